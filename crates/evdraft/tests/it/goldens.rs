//! The drafts of [`cases`], compiled: each golden file in `tests/it/drafts/` is exactly what
//! `cargo xtask new-event` writes for its captures (checked here; `cargo run -p evdraft
//! --example drafts` rewrites them), and is a module of this test crate, so its code compiles with the
//! catalog's own macros. Its event type then has to:
//!
//! - accept every capture it was drafted from, by its model, its borrowed and check twins
//!   and its schema, and serialize each back to the same JSON value;
//! - give one verdict by its model, its twins and its schema on every fixture of the
//!   repository and on mutations of its captures (the contract's own invariant, now for
//!   generated code);
//! - be compared with the hand-written contract it was drafted from: every invalid fixture it
//!   accepts is listed with the fixture's fault and what the draft has at that place
//!   (snapshots).

use std::collections::BTreeSet;

use evdraft::Draft;
use serde_json::{Value, json};

use crate::drafts;
use crate::support::{
    Case, case_captures, cases, draft, fixture_events, fixtures, generated_calls, golden,
};

#[test]
fn the_drafts_are_what_new_event_writes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/drafts");
    let mut stale = Vec::new();
    for case in cases() {
        let text = golden(&case, &draft(&case));
        let path = dir.join(format!("{}.rs", case.name));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(case.name);
        }
    }
    assert!(
        stale.is_empty(),
        "drafts differ from tests/it/drafts/ {stale:?}: rewrite them with `cargo run -p evdraft --example drafts` and review the change"
    );
}

#[test]
fn drafting_is_deterministic() {
    for case in cases() {
        let captures = crate::support::captures(case_captures(&case));
        let draft = || evdraft::draft_with(case.name, &captures, &case.options).expect("drafts");
        let (a, b) = (draft(), draft());
        assert_eq!(a.module, b.module, "{}", case.name);
        assert_eq!(a.entry, b.entry, "{}", case.name);
        assert_eq!(a.fixtures, b.fixtures, "{}", case.name);
        assert_eq!(a.model.decisions, b.model.decisions, "{}", case.name);
    }
}

/// One compiled draft's readers and schema.
struct Compiled {
    name: &'static str,
    /// The model: `Event::from_value`, and the value it serializes back to.
    model: fn(Value) -> Result<Value, String>,
    /// The check twin: `Event::check_slice`.
    check: fn(&[u8]) -> bool,
    /// The borrowed twin: `EventRef::from_slice`.
    borrowed: fn(&[u8]) -> bool,
    /// The model's schema of the type.
    schema: fn() -> Value,
    /// A value of the model from its derived proptest strategy, serialized.
    arbitrary: fn(&mut proptest::test_runner::TestRunner) -> Value,
}

macro_rules! compiled {
    ($name:ident) => {
        Compiled {
            name: stringify!($name),
            model: |value| {
                drafts::$name::Event::from_value(value)
                    .map(|e| serde_json::to_value(&e).expect("a model value serializes"))
                    .map_err(|e| e.to_string())
            },
            check: |bytes| drafts::$name::Event::check_slice(bytes).is_ok(),
            borrowed: |bytes| drafts::$name::EventRef::from_slice(bytes).is_ok(),
            schema: || {
                let [event_type] = drafts::$name::EventType::ALL;
                event_type.model_schema()
            },
            arbitrary: |runner| {
                use proptest::strategy::{Strategy, ValueTree};
                let event = proptest::arbitrary::any::<drafts::$name::Event>()
                    .new_tree(runner)
                    .expect("a value is generated")
                    .current();
                serde_json::to_value(&event).expect("a model value serializes")
            },
        }
    };
}

fn compiled() -> Vec<Compiled> {
    vec![
        compiled!(call_state_draft),
        compiled!(auth_draft),
        compiled!(reused_call_state),
        compiled!(generated_call),
        compiled!(hostile),
    ]
}

fn case(name: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("a case of that name")
}

/// The verdicts of a compiled draft on one event: model, check twin, borrowed twin, schema.
fn verdicts(c: &Compiled, validator: &jsonschema::Validator, value: &Value) -> [bool; 4] {
    let text = serde_json::to_vec(value).expect("serializes");
    [
        (c.model)(value.clone()).is_ok(),
        (c.check)(&text),
        (c.borrowed)(&text),
        validator.is_valid(value),
    ]
}

#[test]
fn each_draft_accepts_what_it_was_drafted_from_and_gives_it_back() {
    for c in compiled() {
        let validator = crate::support::validator(&(c.schema)());
        for (source, value) in case_captures(&case(c.name)) {
            assert_eq!(
                verdicts(&c, &validator, value),
                [true; 4],
                "{}: {source} is refused by the draft (model, check twin, borrowed twin, schema)",
                c.name
            );
            let back = (c.model)(value.clone()).expect("accepted");
            assert!(
                evcontract::contract::json_equal(&back, value),
                "{}: {source} does not serialize back to itself:\n{back}\n{value}",
                c.name
            );
        }
    }
}

/// Every single-step mutation of `value` (each key removed, set to null, set to a value of
/// another type, a string lengthened, a key added), for the agreement test.
fn mutations(value: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut pointers = Vec::new();
    collect_pointers(value, String::new(), &mut pointers);
    for pointer in pointers {
        let replacements = [
            json!(null),
            json!(12345),
            json!("text"),
            json!(1.5),
            json!([]),
            json!({}),
            json!(true),
            json!(-1),
        ];
        for new in replacements {
            let mut v = value.clone();
            if let Some(slot) = v.pointer_mut(&pointer) {
                *slot = new;
                out.push(v);
            }
        }
        let mut v = value.clone();
        if let Some((parent, key)) = pointer.rsplit_once('/')
            && let Some(Value::Object(map)) = v.pointer_mut(parent)
        {
            map.remove(&*opentact_events::json::pointer::unescape(key));
            out.push(v);
        }
        let mut v = value.clone();
        if let Some(Value::Object(map)) = v.pointer_mut(&pointer) {
            map.insert("added".into(), json!(1));
            out.push(v);
        }
    }
    out
}

fn collect_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let mut p = pointer.clone();
                opentact_events::json::pointer::push_token(&mut p, k);
                out.push(p.clone());
                collect_pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{pointer}/{i}");
                out.push(p.clone());
                collect_pointers(v, p, out);
            }
        }
        _ => {}
    }
}

#[test]
fn model_twins_and_schema_give_one_verdict() {
    // One thread per golden: the slowest test of the crate, it would otherwise hold one core
    // while the others have finished (a panic in a thread fails the test with its message).
    std::thread::scope(|scope| {
        for c in compiled() {
            scope.spawn(move || one_verdict(&c));
        }
    });
}

fn one_verdict(c: &Compiled) {
    let validator = crate::support::validator(&(c.schema)());
    let captures = case_captures(&case(c.name));
    // Every fixture of the repository as this type, and every mutation of two captures.
    let mut events: Vec<Value> = fixtures()
        .iter()
        .filter_map(|f| evcontract::parse(&f.bytes).ok())
        .map(|mut v| {
            if v.is_object() {
                v["type"] = Value::from(c.name);
            }
            v
        })
        .collect();
    for (_, value) in captures.iter().take(2) {
        events.extend(mutations(value));
    }
    let mut checked = 0;
    for event in &events {
        let [model, check, borrowed, schema] = verdicts(c, &validator, event);
        assert!(
            model == schema && check == schema && borrowed == schema,
            "{}: model {model}, check twin {check}, borrowed twin {borrowed}, schema {schema} on\n{event}\n{}",
            c.name,
            (c.model)(event.clone()).err().unwrap_or_default()
        );
        checked += 1;
    }
    assert!(checked > 100, "{}: only {checked} events", c.name);
}

/// Where a draft is looser than the hand-written contract: the invalid fixtures of `source`
/// (as events of the draft's type) it accepts, each with its fault and what the draft has
/// there. `accepts` is the draft's verdict.
fn against_the_hand_written(
    draft: &Draft,
    source: &str,
    as_type: &str,
    accepts: impl Fn(&Value) -> bool,
) -> String {
    let mut looser = Vec::new();
    let mut refused = 0;
    let invalid: Vec<_> = fixtures()
        .iter()
        .filter(|f| f.folder_type == source && f.expected.is_some())
        .collect();
    for fixture in &invalid {
        let mut value = evcontract::parse(&fixture.bytes).expect("an invalid fixture parses");
        value["type"] = Value::from(as_type);
        if !accepts(&value) {
            refused += 1;
            continue;
        }
        let expected = fixture.expected.as_ref().expect("invalid");
        let mut text = format!("{}\n  fault: {}\n", fixture.path, expected.description);
        let pointers: BTreeSet<&str> = expected.errors.iter().map(|(p, _)| p.as_str()).collect();
        for (pointer, kind) in &expected.errors {
            text.push_str(&format!("  the contract: {pointer:?} {kind}\n"));
        }
        for pointer in pointers {
            text.push_str(&format!("  {}\n", draft.model.describe(pointer)));
        }
        looser.push(text);
    }
    format!(
        "{} invalid `{source}` fixtures: the draft refuses {refused}, accepts {} (looser):\n\n{}",
        invalid.len(),
        looser.len(),
        looser.join("\n")
    )
}

#[test]
fn drafts_of_the_catalogs_types_against_the_hand_written_contract() {
    for (name, source) in [
        ("call_state_draft", "call_state"),
        ("auth_draft", "auth"),
        ("reused_call_state", "call_state"),
    ] {
        let c = compiled()
            .into_iter()
            .find(|c| c.name == name)
            .expect("compiled");
        let validator = crate::support::validator(&(c.schema)());
        // The draft accepts every valid fixture of the type it was drafted from.
        for (path, value) in fixture_events(source, true, name) {
            assert_eq!(
                verdicts(&c, &validator, &value),
                [true; 4],
                "{name}: refuses {path}"
            );
        }
        let text = against_the_hand_written(&draft(&case(name)), source, name, |v| {
            (c.model)(v.clone()).is_ok()
        });
        insta::assert_snapshot!(format!("{name}_against_the_hand_written"), text);
    }
}

#[test]
fn a_draft_from_generated_events_against_a_second_sample() {
    // Drafted from 200 events of the models' strategy: on 200 more, where it is stricter than
    // the hand-written contract (which accepts them all), grouped by the place of the first
    // error.
    let c = compiled()
        .into_iter()
        .find(|c| c.name == "generated_call")
        .expect("compiled");
    let d = draft(&case("generated_call"));
    let mut places: std::collections::BTreeMap<String, usize> = Default::default();
    let second = generated_calls(200, 200);
    let mut refused = 0;
    for (_, value) in &second {
        if let Err(err) = (c.model)(value.clone()) {
            refused += 1;
            let pointer = err
                .rsplit_once("(at ")
                .map(|(_, p)| p.trim_end_matches(')').to_owned())
                .unwrap_or_default();
            let pattern: Vec<&str> = pointer
                .split('/')
                .map(|t| if t.parse::<usize>().is_ok() { "*" } else { t })
                .collect();
            *places.entry(pattern.join("/")).or_default() += 1;
        }
    }
    let mut text = format!(
        "drafted from 200 generated `call_state` events; of 200 more, the draft refuses {refused} (stricter than the hand-written contract):\n"
    );
    for (place, n) in &places {
        text.push_str(&format!(
            "\n{n} at {place}\n  {}\n",
            d.model.describe(place)
        ));
    }
    insta::assert_snapshot!("generated_call_against_a_second_sample", text);
}

/// A call with only its state's transition timestamp (`Call`'s rule across keys), wherever a
/// reused `Call` is: an object with a call `state` and FreeSWITCH states.
fn keep_transition_rule(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(keep_transition_rule);
            let key = match map.get("state").and_then(Value::as_str) {
                Some("init") => "init_on",
                Some("ringing") => "ring_on",
                Some("live") => "answer_on",
                Some("hangup") => "hangup_on",
                Some("destroyed") => "destroy_on",
                _ => return,
            };
            if !map.contains_key("freeswitch_call_state") {
                return;
            }
            for k in ["init_on", "ring_on", "answer_on", "hangup_on", "destroy_on"] {
                map.remove(k);
            }
            let at = map["created_on"].clone();
            map.insert(key.into(), at);
        }
        Value::Array(items) => items.iter_mut().for_each(keep_transition_rule),
        _ => {}
    }
}

#[test]
fn values_of_each_drafted_model_are_schema_valid_and_read_back_equal() {
    // As the catalog's own property test does for its models: the derived strategy's values
    // serialize to JSON the drafted schema accepts, which reads back to the same value.
    let run = || {
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            proptest::test_runner::Config::default(),
            proptest::test_runner::TestRng::from_seed(
                proptest::test_runner::RngAlgorithm::ChaCha,
                &[0x3c; 32],
            ),
        );
        for c in compiled() {
            let validator = crate::support::validator(&(c.schema)());
            for _ in 0..64 {
                let mut value = (c.arbitrary)(&mut runner);
                keep_transition_rule(&mut value);
                assert!(
                    validator.is_valid(&value),
                    "{}: the schema refuses a model value: {value}",
                    c.name
                );
                let back = (c.model)(value.clone()).unwrap_or_else(|e| {
                    panic!("{}: the model refuses its value: {e}\n{value}", c.name)
                });
                assert!(
                    evcontract::contract::json_equal(&back, &value),
                    "{}: read back differently:\n{back}\n{value}",
                    c.name
                );
            }
        }
    };
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run)
        .expect("a thread starts")
        .join()
        .expect("the property test passes");
}

#[test]
fn where_the_captures_show_a_rule_the_draft_refuses_values_outside_it() {
    // The draft from generated events has an enum, bounded integers and checked strings where
    // every generated value fitted them: a value outside each rule is refused by the model and
    // the schema, and the same event with the rule kept is accepted.
    let c = compiled()
        .into_iter()
        .find(|c| c.name == "generated_call")
        .expect("compiled");
    let validator = crate::support::validator(&(c.schema)());
    let (_, base) = &case_captures(&case("generated_call"))[0];
    for (pointer, outside) in [
        ("/payload/state", json!("paused")),
        ("/payload/duration", json!(-1)),
        ("/payload/duration", json!(4_294_967_296u64)),
        ("/payload/duration", json!(1.5)),
        ("/call/created_on", json!("2024-02-19 16:06:00.210Z")),
        ("/call/uuid", json!("c7aa8c03")),
        ("/call/account/email", json!("no at sign")),
        ("/call/account/level", json!("Level9")),
        ("/call/direction", json!("sideways")),
    ] {
        let mut event = base.clone();
        *event.pointer_mut(pointer).expect("the place exists") = outside.clone();
        assert_eq!(
            verdicts(&c, &validator, &event),
            [false; 4],
            "{pointer} = {outside} is accepted"
        );
    }
    assert_eq!(verdicts(&c, &validator, base), [true; 4]);
}
