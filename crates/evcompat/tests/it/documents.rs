//! The AsyncAPI (draft-07) and OpenAPI (2020-12) renderings of the catalog, held to the
//! published schemas by the prover in full mode, as `cargo xtask check` holds them: equal as
//! committed, and not equal once a rendering loses or gains a constraint. Draft-07's own rules
//! are the prover's, not the renderer's: a keyword beside a `$ref` is ignored there, so moving
//! one out of its `allOf` loses it.

use evcompat::{Mode, Options, Producers, Readers, Verdict, compare_schemas};
use evcontract::files::read_catalog;
use opentact_events::asyncapi::{ASYNCAPI_FILE, Dialect, OPENAPI_FILE, standalone};
use serde_json::{Value, json};

use crate::support::root;

const OPEN: Options = Options {
    readers: Readers::Tolerant,
    producers: Some(Producers::Open),
};

fn committed(file: &str) -> Value {
    read_catalog(&root().join("schemas")).expect("schemas/ reads")[file].clone()
}

/// The verdict in full mode of `document`'s payload for `event_type` against its published
/// schema.
fn verdict(document: &Value, dialect: Dialect, event_type: &str, root_name: &str) -> Verdict {
    let published = committed(&format!("{event_type}.json"));
    let rendering = standalone(document, root_name, dialect);
    compare_schemas(&published, &rendering, &OPEN, &[])
        .expect("both compile")
        .verdict(Mode::Full)
}

#[test]
fn the_committed_renderings_are_proven_equal() {
    for (file, dialect) in [
        (ASYNCAPI_FILE, Dialect::Draft07),
        (OPENAPI_FILE, Dialect::Draft2020),
    ] {
        let document = committed(file);
        for (event_type, root_name) in [("auth", "AuthEvent"), ("call_state", "CallStateEvent")] {
            assert_eq!(
                verdict(&document, dialect, event_type, root_name),
                Verdict::Compatible,
                "{file} {event_type}"
            );
        }
    }
}

/// `document` with `edit` applied to one of its component schemas.
fn edited(file: &str, component: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut document = committed(file);
    edit(&mut document["components"]["schemas"][component]);
    document
}

#[test]
fn a_rendering_that_loses_or_gains_a_constraint_is_not_equal() {
    for (file, dialect) in [
        (ASYNCAPI_FILE, Dialect::Draft07),
        (OPENAPI_FILE, Dialect::Draft2020),
    ] {
        // A required key dropped: the rendering accepts events the schema refuses.
        let document = edited(file, "AuthEvent", |s| {
            s["required"]
                .as_array_mut()
                .expect("required")
                .retain(|k| k != "payload");
        });
        assert_eq!(
            verdict(&document, dialect, "auth", "AuthEvent"),
            Verdict::Incompatible,
            "{file}"
        );
        // A timestamp's pattern gone: its `date-time` format and lengths still hold, but the
        // platform's one layout no longer does.
        let document = edited(file, "Timestamp", |s| {
            s.as_object_mut().expect("an object").remove("pattern");
        });
        assert_ne!(
            verdict(&document, dialect, "call_state", "CallStateEvent"),
            Verdict::Compatible,
            "{file}"
        );
        // A uuid's pattern gone: the format alone is no equal (in draft-07 some validators
        // ignore `uuid`; in 2020-12 validators read it differently past the plain form).
        let document = edited(file, "Uuid", |s| {
            s.as_object_mut().expect("an object").remove("pattern");
        });
        assert_ne!(
            verdict(&document, dialect, "auth", "AuthEvent"),
            Verdict::Compatible,
            "{file}"
        );
        // An enum value added.
        let document = edited(file, "AccountLevel", |s| {
            s["enum"]
                .as_array_mut()
                .expect("enum")
                .push(json!("Level9"));
        });
        assert_eq!(
            verdict(&document, dialect, "auth", "AuthEvent"),
            Verdict::Incompatible,
            "{file}"
        );
    }
}

#[test]
fn draft_07_ignores_a_keyword_beside_a_ref_and_2020_12_does_not() {
    // `payload` is `{"$ref": ..., "description": ...}`; a `maxProperties` beside the reference
    // constrains it in 2020-12 and is ignored in draft-07.
    let narrow = |file: &str| {
        let mut document = committed(file);
        let payload = &mut document["components"]["schemas"]["AuthEvent"]["properties"]["payload"];
        assert!(payload.get("$ref").is_some(), "{payload}");
        payload["maxProperties"] = json!(1);
        document
    };
    assert_eq!(
        verdict(
            &narrow(ASYNCAPI_FILE),
            Dialect::Draft07,
            "auth",
            "AuthEvent"
        ),
        Verdict::Compatible
    );
    assert_eq!(
        verdict(
            &narrow(OPENAPI_FILE),
            Dialect::Draft2020,
            "auth",
            "AuthEvent"
        ),
        Verdict::Incompatible
    );
}

/// The renderer's draft-07 forms of 2020-12 keywords the catalog does not use yet, each proven
/// equal to the 2020-12 original by the prover: a `$ref` with validation keywords beside it,
/// `prefixItems` with `items`, `dependentRequired` and `dependentSchemas`.
#[test]
fn the_draft_07_forms_of_2020_12_keywords_are_proven_equal() {
    use opentact_events::asyncapi::render;
    let original = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "at": { "$ref": "#/$defs/Stamp", "maxLength": 20, "description": "narrowed" },
            "pair": {
                "type": "array",
                "prefixItems": [{ "type": "string" }, { "$ref": "#/$defs/Stamp" }],
                "items": { "type": "integer" }
            },
            "card": { "type": "string" }
        },
        "dependentRequired": { "card": ["at"] },
        "dependentSchemas": { "pair": { "required": ["card"] } },
        "$defs": {
            "Stamp": { "type": "string", "minLength": 10, "pattern": "^[0-9]+$" }
        }
    });
    let mut root = original.clone();
    let defs = root
        .as_object_mut()
        .and_then(|m| {
            m.remove("$schema");
            m.remove("$defs")
        })
        .expect("$defs");
    for (dialect, schema_uri) in [
        (Dialect::Draft07, "http://json-schema.org/draft-07/schema#"),
        (
            Dialect::Draft2020,
            "https://json-schema.org/draft/2020-12/schema",
        ),
    ] {
        let mut components = serde_json::Map::new();
        components.insert(
            "Root".into(),
            render(&root, dialect, "test", "").expect("renders"),
        );
        for (name, def) in defs.as_object().expect("an object") {
            components.insert(
                name.clone(),
                render(def, dialect, "test", &format!("/$defs/{name}")).expect("renders"),
            );
        }
        let document = json!({ "components": { "schemas": components } });
        let rendering = standalone(&document, "Root", dialect);
        assert_eq!(rendering["$schema"], schema_uri);
        let report = compare_schemas(&original, &rendering, &OPEN, &[]).expect("both compile");
        assert_eq!(
            report.verdict(Mode::Full),
            Verdict::Compatible,
            "{dialect:?}: {rendering:#}\n{report:#?}"
        );
        if dialect == Dialect::Draft07 {
            // The forms themselves: the reference moved into an `allOf`, the prefix as `items`.
            let root = &components["Root"];
            assert_eq!(
                root["properties"]["at"]["allOf"],
                json!([{ "$ref": "#/components/schemas/Stamp" }])
            );
            assert_eq!(
                root["properties"]["pair"]["additionalItems"],
                json!({ "type": "integer" })
            );
            assert_eq!(root["dependencies"]["card"], json!(["at"]));
        }
        // Dropping the narrowing beside the reference is a change the prover sees.
        let mut loose = document.clone();
        loose["components"]["schemas"]["Root"]["properties"]["at"] =
            json!({ "$ref": "#/components/schemas/Stamp" });
        let report = compare_schemas(&original, &standalone(&loose, "Root", dialect), &OPEN, &[])
            .expect("both compile");
        assert_eq!(
            report.verdict(Mode::Full),
            Verdict::Incompatible,
            "{dialect:?}"
        );
    }
}
