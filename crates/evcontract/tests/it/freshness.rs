//! The committed `schemas/` are exactly what the models generate, and their open and closed
//! forms are each other's inverse.

use evcontract::fixtures::platform_examples;
use opentact_events::EventType;
use opentact_events::schema::{close_objects, contract_schema, open_objects};

use crate::support::{catalog, fixtures, root};

#[test]
fn committed_artifacts_are_fresh() {
    // The schemas, the reference docs and the TypeScript declarations, generated in memory.
    let examples = platform_examples(fixtures()).expect("the platform examples parse");
    let generated =
        opentact_events::artifacts::all(&examples).expect("the models generate portable schemas");
    let mut stale = Vec::new();
    for (folder, files) in &generated {
        let dir = root().join(folder);
        for file in files {
            match std::fs::read_to_string(dir.join(&file.path)) {
                Ok(text) if text == file.contents => {}
                Ok(_) => stale.push(format!("{folder}/{} differs", file.path)),
                Err(err) => stale.push(format!("{folder}/{}: {err}", file.path)),
            }
        }
        let committed = std::fs::read_dir(&dir).expect("the folder exists").count();
        if committed != files.len() {
            stale.push(format!(
                "{folder}/ holds {committed} files, the generator makes {}",
                files.len()
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are stale; run `cargo xtask codegen`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn closing_the_published_form_gives_the_contract_back() {
    for event_type in EventType::ALL {
        let contract = contract_schema(event_type);
        let mut published = contract.clone();
        open_objects(&mut published);
        assert_ne!(
            published, contract,
            "{event_type}: the published form is open"
        );
        close_objects(&mut published);
        // `open_objects` also drops schemars' `format: double`, which has no meaning to other
        // validators; that is the only difference closing does not undo.
        let mut expected = contract.clone();
        drop_double_format(&mut expected);
        assert_eq!(published, expected, "{event_type}");
    }
}

fn drop_double_format(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("format").and_then(|f| f.as_str()) == Some("double") {
                map.remove("format");
            }
            map.values_mut().for_each(drop_double_format);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_double_format),
        _ => {}
    }
}

#[test]
fn each_type_fills_its_declared_slot() {
    // The declaration names the envelope slot each type fills: required and non-null in that
    // type, by the schema and by the model. A valid fixture of the type, with the slot null or
    // missing, is refused by both.
    for event_type in EventType::ALL {
        let slot = event_type.slot();
        let fixture = fixtures()
            .iter()
            .find(|f| f.expected.is_none() && f.folder_type == event_type.as_str())
            .unwrap_or_else(|| panic!("{event_type}: no valid fixture"));
        let value = evcontract::parse(&fixture.bytes).expect("a valid fixture parses");
        assert!(
            value.get(slot).is_some_and(|v| !v.is_null()),
            "{event_type}: `{slot}` is not filled in {}",
            fixture.path
        );
        let mut null = value.clone();
        null[slot] = serde_json::Value::Null;
        let mut missing = value.clone();
        missing.as_object_mut().map(|o| o.remove(slot));
        for (what, event) in [("null", null), ("missing", missing)] {
            let report = catalog().validate(&event, evcontract::Values::Show);
            assert!(!report.is_valid(), "{event_type}: `{slot}` {what} is valid");
            assert!(
                opentact_events::Event::from_value(event).is_err(),
                "{event_type}: the model accepts `{slot}` {what}"
            );
        }
    }
}
