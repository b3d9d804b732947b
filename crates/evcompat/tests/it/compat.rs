//! The breaking-change check on a corpus of evolutions of the committed catalog: each rule is
//! found where it happens, and every witness really is accepted by one side and refused by
//! the other.

use std::collections::BTreeMap;

use evcompat::{Effect, Mode, Options, Readers, Report, Verdict, compare};
use evcontract::files::read_catalog;
use serde_json::{Value, json};

use crate::support::root;

fn catalog() -> BTreeMap<String, Value> {
    read_catalog(&root().join("schemas")).expect("schemas/ reads")
}

/// The committed catalog changed by `edit`, which gets the `call_state.json` schema.
fn evolve(edit: impl FnOnce(&mut Value)) -> BTreeMap<String, Value> {
    evolve_type("call_state", "CallStateEvent", edit)
}

/// The committed catalog with `edit` applied to one event type's schema, and the any-event
/// schema (which embeds the type's definitions) kept in step.
fn evolve_type(
    event_type: &str,
    rust_type: &str,
    edit: impl FnOnce(&mut Value),
) -> BTreeMap<String, Value> {
    let mut files = catalog();
    let file = format!("{event_type}.json");
    edit(
        files
            .get_mut(&file)
            .expect("the type's schema is in the catalog"),
    );
    let new_schema = files[&file].clone();
    let any = files
        .get_mut("event.json")
        .expect("event.json is in the catalog");
    for (name, def) in new_schema["$defs"].as_object().expect("$defs").clone() {
        any["$defs"][name] = def;
    }
    let mut root = new_schema;
    for key in ["$defs", "$id", "$schema", "$comment", "examples", "title"] {
        root.as_object_mut().expect("an object").remove(key);
    }
    any["$defs"][rust_type] = root;
    files
}

/// The valid fixtures, as witness material.
fn fixture_events() -> Vec<Value> {
    crate::support::fixtures()
        .iter()
        .filter(|f| f.expected.is_none())
        .map(|f| evcontract::parse(&f.bytes).expect("valid fixtures parse"))
        .collect()
}

/// A readable line per change, with the witness's value at the change (the whole witness is
/// a full event).
fn render(report: &Report) -> String {
    let mut out = String::new();
    for mode in [Mode::Backward, Mode::Forward, Mode::Full] {
        out.push_str(&format!("{mode:?}: {}\n", report.verdict(mode)));
    }
    for change in &report.changes {
        let effect = |e: &Effect| match e {
            Effect::Compatible { .. } => "compatible".to_owned(),
            Effect::Incompatible { witness } if change.pointer.is_empty() => {
                format!("incompatible, witness is a {} event", witness["type"])
            }
            Effect::Incompatible { witness } => format!(
                "incompatible, witness has {}",
                witness
                    .pointer(&change.pointer)
                    .map_or_else(|| "no such key".to_owned(), Value::to_string)
            ),
            Effect::Unknown { reason } => format!("unknown: {reason}"),
        };
        let places = if change.places > 1 {
            format!(
                " at {} places, also {:?}",
                change.places, change.other_places
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{} {} {:?}{places} ({}) {}\n  backward: {}\n  forward: {}\n",
            change.rule.id(),
            change.event_type.as_deref().unwrap_or("-"),
            change.pointer,
            change.rust_field.as_deref().unwrap_or("-"),
            change.detail,
            effect(&change.backward),
            effect(&change.forward),
        ));
    }
    out
}

#[track_caller]
fn check(name: &str, edit: impl FnOnce(&mut Value)) {
    check_catalogs(name, &catalog(), &evolve(edit));
}

#[track_caller]
fn check_catalogs(name: &str, old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) {
    let report =
        compare(old, new, &Options::default(), &fixture_events()).expect("both catalogs compile");
    witnesses_hold(old, new, &report);
    no_counterexample_to_compatible(old, new, &report);
    insta::assert_snapshot!(name, render(&report));
}

/// Where the report says a direction is compatible, no event the producing side may send (the
/// valid fixtures and every single mutation of them the producing side still accepts) is
/// refused by the reading side.
fn no_counterexample_to_compatible(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
    report: &Report,
) {
    let compile = |files: &BTreeMap<String, Value>, policy| {
        evcontract::Catalog::new(files, policy).expect("the catalog compiles")
    };
    let sides = [
        (
            Mode::Backward,
            compile(old, evcontract::UnknownFields::Deny),
            compile(new, evcontract::UnknownFields::Allow),
        ),
        (
            Mode::Forward,
            compile(new, evcontract::UnknownFields::Deny),
            compile(old, evcontract::UnknownFields::Allow),
        ),
    ];
    for (mode, producer, reader) in &sides {
        if report.verdict(*mode) != Verdict::Compatible {
            continue;
        }
        for event in evcontract::mutate::single_mutations(&fixture_events()) {
            if producer.is_valid(&event) {
                assert!(
                    reader.is_valid(&event),
                    "{mode:?} is called compatible, but this event breaks it: {event}"
                );
            }
        }
    }
}

/// Every witness is accepted by its producing side's contract and refused by its reader.
fn witnesses_hold(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>, report: &Report) {
    witnesses_hold_for(old, new, report, Readers::Tolerant);
}

fn witnesses_hold_for(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
    report: &Report,
    readers: Readers,
) {
    let compile = |files: &BTreeMap<String, Value>, policy| {
        evcontract::Catalog::new(files, policy).expect("the catalog compiles")
    };
    let (old_strict, new_strict) = (
        compile(old, evcontract::UnknownFields::Deny),
        compile(new, evcontract::UnknownFields::Deny),
    );
    let reading = match readers {
        Readers::Tolerant => evcontract::UnknownFields::Allow,
        Readers::Strict => evcontract::UnknownFields::Deny,
    };
    let (old_open, new_open) = (compile(old, reading), compile(new, reading));
    for change in &report.changes {
        if let Effect::Incompatible { witness } = &change.backward {
            assert!(
                old_strict.is_valid(witness),
                "{change:?}: the old contract refuses the witness"
            );
            assert!(
                !new_open.is_valid(witness),
                "{change:?}: the new schema accepts the witness"
            );
        }
        if let Effect::Incompatible { witness } = &change.forward {
            assert!(
                new_strict.is_valid(witness),
                "{change:?}: the new contract refuses the witness"
            );
            assert!(
                !old_open.is_valid(witness),
                "{change:?}: the old schema accepts the witness"
            );
        }
    }
}

#[test]
fn the_same_catalog_is_compatible() {
    let report = compare(&catalog(), &catalog(), &Options::default(), &[]).expect("compiles");
    assert_eq!(report.changes, vec![]);
    assert_eq!(report.verdict(Mode::Full), Verdict::Compatible);
}

#[test]
fn enum_value_added() {
    check("enum_value_added", |s| {
        s["$defs"]["CallState"]["enum"]
            .as_array_mut()
            .expect("an enum")
            .push(json!("failed"));
    });
}

#[test]
fn enum_value_removed() {
    check("enum_value_removed", |s| {
        s["$defs"]["Direction"]["enum"] = json!(["in"]);
    });
}

#[test]
fn required_added_and_property_added() {
    check("required_added", |s| {
        s["$defs"]["Call"]["properties"]["codec"] = json!({"type": "string"});
        s["$defs"]["Call"]["required"]
            .as_array_mut()
            .expect("required")
            .push(json!("codec"));
    });
}

#[test]
fn optional_property_added() {
    check("optional_property_added", |s| {
        s["properties"]["region"] = json!({"type": "string"});
    });
}

#[test]
fn required_removed() {
    check("required_removed", |s| {
        let required = s["$defs"]["Call"]["required"]
            .as_array_mut()
            .expect("required");
        required.retain(|k| k != "thread");
    });
}

#[test]
fn type_narrowed_nested() {
    // Nested two objects deep: call.account.balance from number to integer.
    check("type_narrowed_nested", |s| {
        s["$defs"]["AccountNumericPhone"]["properties"]["balance"]["type"] = json!("integer");
    });
}

#[test]
fn null_allowed() {
    check("null_allowed", |s| {
        s["$defs"]["Call"]["properties"]["thread"] =
            json!({"anyOf": [{"$ref": "#/$defs/Thread"}, {"type": "null"}]});
    });
}

#[test]
fn bounds_narrowed() {
    check("bounds_narrowed", |s| {
        s["$defs"]["Call"]["properties"]["q850_cause"]["maximum"] = json!(100);
    });
}

#[test]
fn strict_readers_break_on_an_added_key() {
    let old = catalog();
    let new = evolve(|s| {
        s["properties"]["region"] = json!({"type": "string"});
    });
    let report = compare(
        &old,
        &new,
        &Options {
            readers: Readers::Strict,
            producers: None,
        },
        &[],
    )
    .expect("compiles");
    witnesses_hold_for(&old, &new, &report, Readers::Strict);
    insta::assert_snapshot!("strict_readers_added_key", render(&report));
}

#[test]
fn event_type_removed_and_added() {
    let old = catalog();
    let mut new = catalog();
    // Remove `auth` from the catalog index: old readers keep it, new ones refuse it.
    let index = new.get_mut("index.json").expect("index.json");
    index["events"]
        .as_array_mut()
        .expect("events")
        .retain(|e| e["type"] != "auth");
    new.remove("auth.json");
    let any = new.get_mut("event.json").expect("event.json");
    any["allOf"][0]["properties"]["type"]["enum"] = json!(["call_state"]);
    let removed = compare(&old, &new, &Options::default(), &[]).expect("compiles");
    witnesses_hold(&old, &new, &removed);
    insta::assert_snapshot!("event_type_removed", render(&removed));
    let added = compare(&new, &old, &Options::default(), &[]).expect("compiles");
    witnesses_hold(&new, &old, &added);
    insta::assert_snapshot!("event_type_added", render(&added));
}

#[test]
fn type_changed() {
    check("type_changed", |s| {
        s["$defs"]["Call"]["properties"]["from"] = json!({"type": "integer"});
    });
}

#[test]
fn const_changed() {
    // The `type` of a call (`CallSCA`) as a const rather than a one-value enum.
    check("const_changed", |s| {
        s["$defs"]["CallType"] = json!({"type": "string", "const": "CallSIP"});
    });
}

#[test]
fn condition_changed() {
    check("condition_changed", |s| {
        s["$defs"]["Call"]["allOf"]
            .as_array_mut()
            .expect("the transition rules")
            .pop();
    });
}

#[test]
fn change_inside_a_union_branch() {
    // `call.parent` is `ParentCall` or null: a bound inside the object branch.
    check("change_inside_a_union_branch", |s| {
        s["$defs"]["ParentCall"]["properties"]["duration"]["maximum"] = json!(1);
    });
}

#[test]
fn union_branch_added() {
    check("union_branch_added", |s| {
        s["$defs"]["Call"]["properties"]["stir_shaken_attest_level"]["anyOf"]
            .as_array_mut()
            .expect("a union")
            .push(json!({"type": "integer"}));
    });
}

#[test]
fn union_branch_removed() {
    let new = evolve_type("auth", "AuthEvent", |s| {
        s["$defs"]["IpAddress"]["anyOf"]
            .as_array_mut()
            .expect("a union")
            .pop();
    });
    check_catalogs("union_branch_removed", &catalog(), &new);
}

#[test]
fn required_added_in_array_items() {
    check("required_added_in_array_items", |s| {
        s["$defs"]["Call"]["properties"]["logs"]["items"] = json!({"type": "object", "properties": {"level": {"type": "string"}}, "required": ["level"]});
    });
}

#[test]
fn pattern_widened_and_format_dropped() {
    check("pattern_and_format", |s| {
        s["$defs"]["Thread"]["pattern"] = json!("^[0-9a-fA-F]{32}$");
        s["$defs"]["Timestamp"]
            .as_object_mut()
            .expect("an object")
            .remove("format");
    });
    // A `uuid` format beside a pattern of the plain form and `maxLength` 36 says nothing more:
    // dropping it is no change at all.
    let report = compare(
        &catalog(),
        &evolve(|s| {
            s["$defs"]["Uuid"]
                .as_object_mut()
                .expect("an object")
                .remove("format");
        }),
        &Options::default(),
        &fixture_events(),
    )
    .expect("both catalogs compile");
    assert!(report.changes.is_empty(), "{}", render(&report));
    assert_eq!(report.verdict(Mode::Full), Verdict::Compatible);
}

#[test]
fn type_widened() {
    check("type_widened", |s| {
        s["$defs"]["CallStatePayload"]["properties"]["duration"]["type"] =
            json!(["integer", "string"]);
    });
}

#[test]
fn unknown_fields_closed_and_opened() {
    check("unknown_fields_closed", |s| {
        s["$defs"]["Tn"]["additionalProperties"] = json!(false);
    });
    let closed = evolve(|s| {
        s["$defs"]["Tn"]["additionalProperties"] = json!(false);
    });
    check_catalogs("unknown_fields_opened", &closed, &catalog());
}

#[test]
fn null_disallowed_and_property_removed() {
    check("null_disallowed_property_removed", |s| {
        s["$defs"]["Call"]["properties"]["parent"] = json!({"$ref": "#/$defs/ParentCall"});
        s["$defs"]["SipControlApp"]["properties"]
            .as_object_mut()
            .expect("properties")
            .remove("tech_prefix");
    });
}

/// A change no `call_state` event reaches (a `type` value of another event type) is listed,
/// with why it affects no event; so is a changed definition nothing refers to. Issue 17: such
/// a change was "0 changes".
#[test]
fn changes_no_event_reaches_are_listed_with_why() {
    check("unreached_and_unreferenced", |s| {
        s["$defs"]["CallStateTag"]["enum"] = json!(["call_state", "call_state_v2"]);
        s["$defs"]["Unused"] = json!({"type": "string"});
    });
}

mod release_gate {
    use evcompat::Mode;
    use evcompat::release::{Approval, Gate, Version, gate};
    use serde_json::json;

    use super::{catalog, evolve};

    fn v(text: &str) -> Version {
        Version::parse(text).expect("a version")
    }

    fn decide(last: &str, version: &str, change: bool, approvals: &[Approval]) -> String {
        let released = catalog();
        let current = if change {
            evolve(|s| {
                s["$defs"]["CallState"]["enum"]
                    .as_array_mut()
                    .expect("an enum")
                    .push(json!("failed"));
            })
        } else {
            catalog()
        };
        let outcome = gate(
            (v(last), &released),
            (v(version), &current),
            Mode::Full,
            approvals,
            &[],
        )
        .expect("both catalogs compile");
        match outcome {
            Gate::Unchanged => "unchanged".into(),
            Gate::Compatible(_) => "compatible".into(),
            Gate::NewMajor(r) => format!("new major, {} changes", r.changes.len()),
            Gate::Approved(r) => format!("approved, {} changes", r.changes.len()),
            Gate::Refused { message, .. } => {
                format!("refused: {}", message.lines().next().unwrap_or_default())
            }
        }
    }

    fn approval(pointer: &str) -> Approval {
        Approval {
            version: "2.1.0".into(),
            rule: "ENUM_VALUE_ADDED".into(),
            event_type: "call_state".into(),
            pointer: pointer.into(),
            reason: "consumers were told in advance".into(),
        }
    }

    #[test]
    fn versions_bumps_and_approvals() {
        assert_eq!(decide("2.0.0", "2.0.0", false, &[]), "unchanged");
        assert_eq!(
            decide("2.0.0", "2.0.0", true, &[]),
            "refused: schemas/ differs from release 2.0.0 (call_state.json (changed), event.json (changed)): raise `VERSION` in crates/opentact-events/src/schema.rs"
        );
        // A release is frozen whole: a companion document that differs (the AsyncAPI document
        // made of the schemas) is named too, and so is a file added or removed.
        let mut released = catalog();
        released.insert("asyncapi.json".into(), json!({ "asyncapi": "3.0.0" }));
        released.insert("old.json".into(), json!({}));
        let mut current = catalog();
        current.insert(
            "asyncapi.json".into(),
            json!({ "asyncapi": "3.0.0", "id": "x" }),
        );
        current.insert("new.json".into(), json!({}));
        let outcome = gate(
            (v("2.0.0"), &released),
            (v("2.0.0"), &current),
            Mode::Full,
            &[],
            &[],
        )
        .expect("both catalogs compile");
        let Gate::Refused { message, .. } = outcome else {
            panic!("refused: {outcome:?}");
        };
        assert_eq!(
            message,
            "schemas/ differs from release 2.0.0 (asyncapi.json (changed), new.json (added), old.json (removed)): raise `VERSION` in crates/opentact-events/src/schema.rs"
        );
        assert_eq!(decide("2.0.0", "2.0.1", false, &[]), "compatible");
        assert_eq!(
            decide("2.0.0", "1.9.0", false, &[]),
            "refused: the version 1.9.0 is older than the last release, 2.0.0"
        );
        assert_eq!(
            decide("2.0.0", "2.1.0", true, &[]),
            "refused: 2 change(s) break readers in full mode, in 2.1.0 after 2.0.0: make it 3.0.0, or approve each in releases/approvals.json with a reason:"
        );
        assert_eq!(decide("2.0.0", "3.0.0", true, &[]), "new major, 2 changes");
        let all = ["/call/state", "/call/parent/state", "/payload/state"].map(approval);
        // One change is the shared `CallState` at two places: it needs an approval for each.
        assert_eq!(decide("2.0.0", "2.1.0", true, &all), "approved, 2 changes");
        assert!(decide("2.0.0", "2.1.0", true, &all[..2]).starts_with("refused: 1 change(s)"));
    }

    #[test]
    fn approvals_need_a_reason() {
        let text = br#"[{"version": "2.1.0", "rule": "ENUM_VALUE_ADDED", "event_type": "call_state", "pointer": "/call/state", "reason": " "}]"#;
        assert_eq!(
            evcompat::release::parse_approvals(text).err().as_deref(),
            Some("the approval of ENUM_VALUE_ADDED at /call/state has no reason")
        );
        assert!(evcompat::release::parse_approvals(b"[]").is_ok());
        assert!(evcompat::release::parse_approvals(br#"[{"rule": "X"}]"#).is_err());
    }
}

/// The previous major version: the platform's older (2022) format, release 1.0.0.
mod format_2022 {
    use std::collections::BTreeMap;

    use evcompat::{Effect, Mode, Options, Rule, compare};
    use evcontract::files::{read_catalog, read_tree};
    use evcontract::{Catalog, UnknownFields};
    use opentact_events::schema::{VERSION_2022, generate_2022};
    use opentact_events::v2022::{CallFlowEvent2022, CallStateEvent2022, SmsEvent2022};
    use serde_json::Value;

    use super::{fixture_events, render};
    use crate::support::root;

    fn release() -> BTreeMap<String, Value> {
        read_catalog(&root().join("releases").join(VERSION_2022)).expect("release 1.0.0 reads")
    }

    fn events_2022() -> Vec<(String, Value)> {
        read_tree(&root().join("fixtures/2022/valid"))
            .expect("fixtures/2022 reads")
            .into_iter()
            .filter(|(path, _)| path.ends_with(".json"))
            .map(|(path, bytes)| {
                (
                    path,
                    evcontract::parse(&bytes).expect("a 2022 fixture parses"),
                )
            })
            .collect()
    }

    #[test]
    fn the_release_is_what_the_2022_models_generate() {
        let generated = generate_2022(&BTreeMap::new()).expect("the 2022 models generate");
        let released = release();
        assert_eq!(generated.len(), released.len());
        for file in generated {
            let value: Value = serde_json::from_str(&file.contents).expect("generated JSON");
            assert_eq!(
                released.get(&file.path),
                Some(&value),
                "releases/{VERSION_2022}/{} is frozen: the 2022 models must not change",
                file.path
            );
        }
    }

    #[test]
    fn the_2022_fixtures_keep_their_contract_and_round_trip() {
        let catalog =
            Catalog::new(&release(), UnknownFields::Deny).expect("release 1.0.0 compiles");
        let events = events_2022();
        assert!(events.len() >= 5);
        for (path, event) in events {
            let report = catalog.validate(&event, evcontract::Values::Show);
            assert!(report.is_valid(), "{path}: {:?}", report.issues);
            let back = match event["type"].as_str() {
                Some("sms") => serde_json::from_value::<SmsEvent2022>(event.clone())
                    .map(|e| serde_json::to_value(&e)),
                Some("call_flow") => serde_json::from_value::<CallFlowEvent2022>(event.clone())
                    .map(|e| serde_json::to_value(&e)),
                Some("call_state") => serde_json::from_value::<CallStateEvent2022>(event.clone())
                    .map(|e| serde_json::to_value(&e)),
                other => panic!("{path}: unexpected type {other:?}"),
            };
            let back = back.unwrap_or_else(|e| panic!("{path}: the 2022 model refuses it: {e}"));
            assert_eq!(back.ok().as_ref(), Some(&event), "{path}: round trip");
        }
    }

    /// The real case: moving from the 2022 format to the current one (release 1.0.0 to 2.0.0,
    /// both frozen, so that the catalog's growth since does not change this report) breaks
    /// every reader of `payload.direction`, and the report says so with a witness.
    #[test]
    fn moving_from_2022_to_the_current_format() {
        let mut events: Vec<Value> = events_2022().into_iter().map(|(_, e)| e).collect();
        events.extend(fixture_events());
        let current = read_catalog(&root().join("releases/2.0.0")).expect("release 2.0.0 reads");
        let report =
            compare(&release(), &current, &Options::default(), &events).expect("both compile");
        let direction = report
            .changes
            .iter()
            .find(|c| {
                c.event_type.as_deref() == Some("call_state")
                    && c.pointer == "/payload/direction"
                    && c.rule == Rule::RequiredRemoved
            })
            .expect("payload.direction is no longer required");
        let Effect::Incompatible { witness } = &direction.forward else {
            panic!("readers of payload.direction break: {direction:?}");
        };
        // The witness is a current call_state event, which has no payload.direction and which
        // a reader holding the 2022 schema refuses.
        assert_eq!(witness["type"], "call_state");
        assert!(witness.pointer("/payload/direction").is_none());
        let old = Catalog::new(&release(), UnknownFields::Allow).expect("compiles");
        assert!(!old.is_valid(witness));
        assert_eq!(
            report.verdict(Mode::Forward),
            evcompat::Verdict::Incompatible
        );
        insta::assert_snapshot!("from_2022_to_current", render(&report));
    }
}

/// Random evolutions of the catalog: whatever the change, a direction called compatible meets
/// no counterexample among generated events, and every witness holds.
mod random_evolutions {
    use proptest::prelude::*;
    use proptest::sample::Index;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    use serde_json::{Value, json};

    use super::{catalog, evolve, fixture_events, witnesses_hold};
    use evcompat::{Mode, Options, Verdict, compare};
    use evcontract::{Catalog, UnknownFields};

    /// One edit of the `call_state` schema, chosen by kind and by where.
    #[derive(Debug, Clone)]
    enum Edit {
        AddEnumValue(Index),
        RemoveEnumValue(Index, Index),
        ToggleRequired(Index, Index),
        MoveBound(Index, i64),
        AddProperty(Index),
        AllowNull(Index, Index),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            any::<Index>().prop_map(Edit::AddEnumValue),
            (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::RemoveEnumValue(a, b)),
            (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::ToggleRequired(a, b)),
            (any::<Index>(), -3i64..3).prop_map(|(a, d)| Edit::MoveBound(a, d)),
            any::<Index>().prop_map(Edit::AddProperty),
            (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::AllowNull(a, b)),
        ]
    }

    /// The names of the definitions that have `key`.
    fn defs_with(schema: &Value, key: &str) -> Vec<String> {
        schema["$defs"]
            .as_object()
            .map(|d| {
                d.iter()
                    .filter(|(_, v)| v.get(key).is_some())
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn apply(schema: &mut Value, edit: &Edit) {
        match edit {
            Edit::AddEnumValue(at) => {
                let defs = defs_with(schema, "enum");
                let name = &defs[at.index(defs.len())];
                schema["$defs"][name]["enum"]
                    .as_array_mut()
                    .expect("an enum")
                    .push(json!("zz_new"));
            }
            Edit::RemoveEnumValue(at, which) => {
                let defs = defs_with(schema, "enum");
                let name = &defs[at.index(defs.len())];
                let values = schema["$defs"][name]["enum"]
                    .as_array_mut()
                    .expect("an enum");
                if values.len() > 1 {
                    values.remove(which.index(values.len()));
                }
            }
            Edit::ToggleRequired(at, which) => {
                let defs = defs_with(schema, "properties");
                let name = &defs[at.index(defs.len())];
                let keys: Vec<String> = schema["$defs"][name]["properties"]
                    .as_object()
                    .expect("properties")
                    .keys()
                    .cloned()
                    .collect();
                let key = json!(keys[which.index(keys.len())]);
                let required = schema["$defs"][name]["required"].as_array_mut();
                match required {
                    Some(required) if required.contains(&key) => required.retain(|k| k != &key),
                    Some(required) => required.push(key),
                    None => schema["$defs"][name]["required"] = json!([key]),
                }
            }
            Edit::MoveBound(at, delta) => {
                let defs = defs_with(schema, "maxLength");
                let name = &defs[at.index(defs.len())];
                let limit = schema["$defs"][name]["maxLength"].as_i64().unwrap_or(0);
                schema["$defs"][name]["maxLength"] = json!((limit + delta).max(0));
            }
            Edit::AddProperty(at) => {
                let defs = defs_with(schema, "properties");
                let name = &defs[at.index(defs.len())];
                schema["$defs"][name]["properties"]["zz_added"] = json!({"type": "string"});
            }
            Edit::AllowNull(at, which) => {
                let defs = defs_with(schema, "properties");
                let name = &defs[at.index(defs.len())];
                let keys: Vec<String> = schema["$defs"][name]["properties"]
                    .as_object()
                    .expect("properties")
                    .keys()
                    .cloned()
                    .collect();
                let key = &keys[which.index(keys.len())];
                let inner = schema["$defs"][name]["properties"][key].clone();
                schema["$defs"][name]["properties"][key] =
                    json!({"anyOf": [inner, {"type": "null"}]});
            }
        }
    }

    #[test]
    fn compatible_verdicts_meet_no_counterexample() {
        let config = Config {
            cases: 24,
            rng_seed: RngSeed::Fixed(0xC0_4A7),
            failure_persistence: None,
            ..Config::default()
        };
        let events = fixture_events();
        let mutations = evcontract::mutate::single_mutations(&events);
        let mut runner = TestRunner::new(config);
        let strategy = (edit(), proptest::collection::vec(any::<Index>(), 300));
        let result = runner.run(&strategy, |(edit, samples)| {
            let old = catalog();
            let new = evolve(|s| apply(s, &edit));
            let report = compare(&old, &new, &Options::default(), &events).expect("both compile");
            witnesses_hold(&old, &new, &report);
            let compile = |files, policy| Catalog::new(files, policy).expect("compiles");
            for (mode, producer, reader) in [
                (
                    Mode::Backward,
                    compile(&old, UnknownFields::Deny),
                    compile(&new, UnknownFields::Allow),
                ),
                (
                    Mode::Forward,
                    compile(&new, UnknownFields::Deny),
                    compile(&old, UnknownFields::Allow),
                ),
            ] {
                if report.verdict(mode) != Verdict::Compatible {
                    continue;
                }
                for sample in &samples {
                    let event = &mutations[sample.index(mutations.len())];
                    prop_assert!(
                        !producer.is_valid(event) || reader.is_valid(event),
                        "{edit:?}: {mode:?} called compatible, but an event breaks it: {event}"
                    );
                }
            }
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{failure}");
        }
    }
}
