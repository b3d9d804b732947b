//! The models and the schemas agree, both ways:
//!
//! - any value of the models serializes to JSON the schema accepts, and reads back equal;
//! - any single mutation of a valid fixture (drop a key, change a type, change a string, null a
//!   value, add a key) gets the same verdict from the schema and the model.
//!
//! A disagreement is a bug in the contract, never in the input. The seed is fixed, so a run is
//! repeatable; change it to explore further.

use evcontract::Values;
use evcontract::mutate::{Mutation, apply, places, single_mutations};
use opentact_events::json::pointer::{child as child_pointer, unescape};
use opentact_events::{Call, CallState, Event, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{Value, json};

use crate::support::{catalog, engine, fixtures, tolerant_engine};

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x0e7e_47c0_2024),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Makes an arbitrary event keep the one rule across keys: a call carries the transition
/// timestamp of its state and no other. Every call of the event is fixed, whichever event type
/// holds it (a type drafted by `cargo xtask new-event` may reuse `Call`): an object with a
/// call `state` is rewritten with only its state's timestamp, and kept so if it then reads as
/// a `Call`.
fn keep_transition_rule(event: Event) -> Event {
    let mut value = serde_json::to_value(&event).expect("model values serialize");
    fix_calls(&mut value);
    Event::from_value(value).unwrap_or(event)
}

fn fix_calls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(fix_calls);
            let Some(state) = map
                .get("state")
                .and_then(|s| serde_json::from_value::<CallState>(s.clone()).ok())
            else {
                return;
            };
            let mut fixed = map.clone();
            let at = CallState::ALL
                .iter()
                .find_map(|s| fixed.remove(s.transition_key()).filter(|t| t.is_string()))
                .or_else(|| fixed.get("created_on").cloned())
                .unwrap_or_else(|| json!("2024-02-19T16:06:00.210Z"));
            for other in CallState::ALL {
                fixed.remove(other.transition_key());
            }
            fixed.insert(state.transition_key().into(), at);
            let fixed = Value::Object(fixed);
            if serde_json::from_value::<Call>(fixed.clone()).is_ok() {
                *value = fixed;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fix_calls),
        _ => {}
    }
}

#[test]
fn model_values_are_schema_valid_and_round_trip() {
    // The derived strategy for a whole event is a deep tree of nested tuples; building and
    // shrinking it needs more stack than a test thread's default 2 MiB in a debug build.
    let run = || {
        let mut runner = proptest::test_runner::TestRunner::new(config(256));
        let strategy = any::<Event>().prop_map(keep_transition_rule);
        runner.run(&strategy, |event| {
            let value = serde_json::to_value(&event).expect("model values serialize");
            let report = catalog().validate(&value, Values::Show);
            prop_assert!(
                report.is_valid(),
                "the schema refuses a model value: {:#?}\n{}",
                report.issues,
                value
            );
            let back = Event::from_value(value.clone());
            prop_assert_eq!(
                back.as_ref().ok(),
                Some(&event),
                "read back: {:?}",
                back.as_ref().err()
            );
            Ok(())
        })
    };
    let outcome = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run)
        .expect("a test thread starts")
        .join()
        .expect("the property test does not panic");
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop::sample::select(Mutation::ALL.to_vec())
}

/// A JSON value that keeps its objects' key order (serde_json's maps are sorted).
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar(Value),
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Ordered>()? {
                    members.push(member);
                }
                Ok(Ordered::Object(members))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Ordered>()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(json!(v)))
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::Null))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Ordered {
    /// The JSON text, with the object at `target` (a path of member indices) written as the
    /// array of its values in order.
    fn text(&self, target: &[usize], out: &mut String) {
        match self {
            Ordered::Object(members) if target.is_empty() => {
                out.push('[');
                for (i, (_, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.text(&[1], out);
                }
                out.push(']');
            }
            Ordered::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&json!(k).to_string());
                    out.push(':');
                    let inner: &[usize] = if target.first() == Some(&i) {
                        &target[1..]
                    } else {
                        &[usize::MAX]
                    };
                    v.text(inner, out);
                }
                out.push('}');
            }
            Ordered::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let inner: &[usize] = if target.first() == Some(&i) {
                        &target[1..]
                    } else {
                        &[usize::MAX]
                    };
                    v.text(inner, out);
                }
                out.push(']');
            }
            Ordered::Scalar(v) => out.push_str(&v.to_string()),
        }
    }

    /// The paths (member or item indices) of every object inside, itself included.
    fn objects(&self, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        let children: Vec<&Ordered> = match self {
            Ordered::Object(members) => {
                out.push(path.clone());
                members.iter().map(|(_, v)| v).collect()
            }
            Ordered::Array(items) => items.iter().collect(),
            Ordered::Scalar(_) => Vec::new(),
        };
        for (i, child) in children.into_iter().enumerate() {
            path.push(i);
            child.objects(path, out);
            path.pop();
        }
    }
}

#[test]
fn an_object_written_as_the_array_of_its_values_is_refused_everywhere() {
    // Serde's derived code reads a struct from a JSON array of its fields in declaration order;
    // the schemas' objects are objects only. Every object of every valid fixture, written as
    // the array of its values in the models' order (what would fool the derived code), is
    // refused by the models, their twins, the fast path and the schema alike.
    let mut checked = 0;
    for (path, value) in valid_fixture_values() {
        let event = Event::from_value(value).expect("a valid fixture");
        let text = serde_json::to_string(&event).expect("serializes in the models' order");
        let ordered: Ordered = serde_json::from_str(&text).expect("JSON");
        let mut objects = Vec::new();
        ordered.objects(&mut Vec::new(), &mut objects);
        for target in objects {
            let mut changed = String::new();
            ordered.text(&target, &mut changed);
            let bytes = changed.as_bytes();
            let schema = engine().check_full(bytes);
            assert!(!schema.is_valid(), "{path}: the schema accepts {changed}");
            assert!(
                Event::check_slice(bytes).is_err(),
                "{path}: the check twin accepts {changed}"
            );
            assert!(
                Event::from_slice(bytes).is_err(),
                "{path}: the model accepts {changed}"
            );
            assert!(
                opentact_events::EventRef::from_slice(bytes).is_err(),
                "{path}: the borrowed twin accepts {changed}"
            );
            assert!(
                !engine().check(bytes).is_valid(),
                "{path}: the engine accepts {changed}"
            );
            if let Ok(value) = serde_json::from_str::<Value>(&changed) {
                assert!(
                    Event::from_value(value).is_err(),
                    "{path}: from_value accepts {changed}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} objects");
}

fn valid_fixture_values() -> Vec<(String, Value)> {
    fixtures()
        .iter()
        .filter(|f| f.expected.is_none())
        .map(|f| {
            let value = evcontract::parse(&f.bytes).expect("valid fixtures parse");
            (f.path.clone(), value)
        })
        .collect()
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn mutated_fixtures_get_one_verdict(which in any::<prop::sample::Index>(), place in any::<prop::sample::Index>(), mutation in mutation()) {
        let all = valid_fixture_values();
        let (path, original) = &all[which.index(all.len())];
        let all_places = places(original);
        let pointer = &all_places[place.index(all_places.len())];
        let mut event = original.clone();
        apply(&mut event, pointer, mutation);

        let report = catalog().validate(&event, Values::Show);
        let model = Event::from_value(event.clone());
        prop_assert_eq!(
            report.is_valid(),
            model.is_ok(),
            "{} with {:?} at {}: schema {:#?}, model {:?}",
            path, mutation, pointer, report.issues, model.err()
        );
        // The engine's fast path reads the bytes straight into the models: same verdict, in
        // compact and in pretty text.
        for bytes in [serde_json::to_vec(&event), serde_json::to_vec_pretty(&event)] {
            let bytes = bytes.expect("a JSON value serializes");
            prop_assert_eq!(Event::from_slice(&bytes).is_ok(), report.is_valid(), "from_slice on {}", path);
            prop_assert_eq!(opentact_events::EventRef::from_slice(&bytes).is_ok(), report.is_valid(), "EventRef::from_slice on {}", path);
            prop_assert_eq!(Event::check_slice(&bytes).is_ok(), report.is_valid(), "Event::check_slice on {}", path);
            prop_assert_eq!(engine().check(&bytes).is_valid(), report.is_valid(), "engine on {}", path);
        }
        // The tolerant reader: its check twins against the published open schemas, the same
        // way (an added key is valid there).
        let open = tolerant_engine().catalog().validate(&event, Values::Show);
        if report.is_valid() {
            prop_assert!(open.is_valid(), "{} with {:?} at {}: {:#?}", path, mutation, pointer, open.issues);
        }
        for bytes in [serde_json::to_vec(&event), serde_json::to_vec_pretty(&event)] {
            let bytes = bytes.expect("a JSON value serializes");
            prop_assert_eq!(Event::check_slice_tolerant(&bytes).is_ok(), open.is_valid(), "Event::check_slice_tolerant on {} with {:?} at {}", path, mutation, pointer);
            let (fast, full) = (tolerant_engine().check(&bytes), tolerant_engine().check_full(&bytes));
            prop_assert_eq!(fast.is_valid(), open.is_valid(), "tolerant engine on {}", path);
            prop_assert_eq!(fast, full, "tolerant engine's paths on {}", path);
        }
    }
}

#[test]
fn an_unknown_key_anywhere_in_a_listed_object_is_refused_by_both() {
    // Exhaustive rather than sampled: every object of every valid fixture.
    for (path, original) in valid_fixture_values() {
        let mut objects = vec![String::new()];
        objects.extend(places(&original));
        for pointer in objects {
            if !original.pointer(&pointer).is_some_and(Value::is_object) {
                continue;
            }
            let mut event = original.clone();
            if let Some(Value::Object(map)) = event.pointer_mut(&pointer) {
                map.insert("zz_not_in_contract".into(), json!(1));
            }
            let report = catalog().validate(&event, Values::Show);
            let model = Event::from_value(event.clone());
            assert_eq!(
                report.is_valid(),
                model.is_ok(),
                "{path}: unknown key in {pointer:?}: schema {:?}, model {:?}",
                report.issues,
                model.err()
            );
        }
    }
}

#[test]
fn timestamps_agree_on_edge_cases() {
    // The edge cases on which validators are known to disagree (shared/research/validators.md);
    // the model and our schema must agree on every one.
    let cases = [
        "2024-02-20T16:41:36.253Z",
        "2024-02-20 16:41:36.253Z",
        "2024-02-30T16:41:36.253Z",
        "2024-02-29T16:41:36.253Z",
        "2023-02-29T16:41:36.253Z",
        "2016-12-31T23:59:60.000Z",
        "2024-02-20T16:41:36.253+0530",
        "2024-02-20T16:41:36.253+05:30",
        "2024-02-20T16:41:36.253Z\n",
        "2024-02-20t16:41:36.253z",
        "2024-02-20T16:41:36Z",
        "2024-02-20T16:41:36.253123Z",
        "0000-01-01T00:00:00.000Z",
        "0000-02-29T00:00:00.000Z",
        "0001-01-01T00:00:00.000Z",
        "2100-02-29T00:00:00.000Z",
        "2000-02-29T00:00:00.000Z",
    ];
    let (_, live) = valid_fixture_values()
        .into_iter()
        .find(|(p, _)| p.ends_with("platform-call_state_live.json"))
        .expect("the platform's live example is a fixture");
    for case in cases {
        let mut event = live.clone();
        event["created_on"] = json!(case);
        let schema = catalog().validate(&event, Values::Show).is_valid();
        let model = Event::from_value(event).is_ok();
        let direct = case.parse::<Timestamp>().is_ok();
        assert_eq!((schema, model), (direct, direct), "{case:?}");
    }
}

/// Writes `value` as compact JSON, repeating the first key of the object at `target`.
fn write_with_repeated_key(value: &Value, pointer: &str, target: &str, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            if pointer == target
                && let Some(&member) = members.first()
            {
                members.insert(0, member);
            }
            for (key, child) in members {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_with_repeated_key(child, &child_pointer(pointer, key), target, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, child) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_with_repeated_key(child, &format!("{pointer}/{i}"), target, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[test]
fn a_repeated_key_anywhere_is_refused_on_both_paths() {
    for (path, original) in valid_fixture_values() {
        let mut objects = vec![String::new()];
        objects.extend(places(&original));
        for target in objects {
            if original
                .pointer(&target)
                .and_then(Value::as_object)
                .is_none_or(|m| m.is_empty())
            {
                continue;
            }
            let mut text = String::new();
            write_with_repeated_key(&original, "", &target, &mut text);
            let strict = evcontract::parse(text.as_bytes());
            assert!(strict.is_err(), "{path}: repeated key in {target:?} parsed");
            assert!(
                Event::from_slice(text.as_bytes()).is_err(),
                "{path}: repeated key in {target:?} read by the models"
            );
            assert!(
                Event::check_slice(text.as_bytes()).is_err(),
                "{path}: repeated key in {target:?} passed the check twins"
            );
            assert!(
                opentact_events::EventRef::from_slice(text.as_bytes()).is_err(),
                "{path}: repeated key in {target:?} read by the borrowed models"
            );
            assert!(
                !engine().check(text.as_bytes()).is_valid(),
                "{path}: {target:?}"
            );
        }
    }
}

#[test]
fn the_fuzz_corpus_replays_without_disagreement() {
    // The corpus of `fuzz/fuzz_targets/parse_validate.rs`, replayed on every test run so CI
    // keeps every input the fuzzer (or a person) found interesting.
    let dir = crate::support::root().join("fuzz/corpus/parse_validate");
    let (mut inputs, mut seeds) = (0, 0);
    for entry in std::fs::read_dir(&dir).expect("the fuzz corpus exists") {
        let path = entry.expect("a corpus entry reads").path();
        let bytes = std::fs::read(&path).expect("a corpus file reads");
        if let Err(disagreement) =
            evcontract::differential::check_both(engine(), tolerant_engine(), &bytes)
        {
            panic!("{}: {disagreement}", path.display());
        }
        // The seeds of the tolerant reader say in their names what they hold: those with
        // unknown keys the open schemas accept pass its fast path; the others are refused.
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("tolerant-") {
            let accepted = [
                "tolerant-unknown-keys-everywhere.json",
                "tolerant-unknown-key-before-type.json",
                "tolerant-unknown-value-at-depth-limit.json",
            ]
            .contains(&name);
            assert_eq!(
                Event::check_slice_tolerant(&bytes).is_ok(),
                accepted,
                "{name}"
            );
            assert_eq!(
                tolerant_engine().check(&bytes).is_valid(),
                accepted,
                "{name}"
            );
            assert!(!engine().check(&bytes).is_valid(), "{name}");
            seeds += 1;
        }
        inputs += 1;
    }
    assert!(inputs >= 50, "only {inputs} corpus inputs");
    assert_eq!(seeds, 9, "the tolerant reader's seeds");
}

#[test]
fn every_reported_pointer_resolves_in_the_event() {
    // reliability.md G4, exhaustive over every single mutation of every valid fixture: a
    // pointer names a value of the event, or (a missing key) a key absent from an object that
    // is there.
    let events: Vec<Value> = valid_fixture_values().into_iter().map(|(_, v)| v).collect();
    let mut checked = 0;
    for event in single_mutations(&events) {
        for issue in catalog().validate(&event, Values::Show).issues {
            let resolves = match issue.kind {
                evcontract::Kind::Required => {
                    let (parent, key) = issue.pointer.rsplit_once('/').expect("a key's pointer");
                    let key = unescape(key);
                    event
                        .pointer(parent)
                        .and_then(Value::as_object)
                        .is_some_and(|object| !object.contains_key(key.as_ref()))
                }
                _ => event.pointer(&issue.pointer).is_some(),
            };
            assert!(resolves, "{issue:?} does not resolve in {event}");
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} issues");
}

#[test]
fn a_wrong_case_or_misspelt_enum_value_gets_a_hint() {
    // reliability.md D4: still invalid (no case folding), with the likely value named.
    let (_, live) = valid_fixture_values()
        .into_iter()
        .find(|(p, _)| p.ends_with("platform-call_state_live.json"))
        .expect("the platform's live example is a fixture");
    for (value, hint) in [
        ("LIVE", Some("live")),
        ("Live", Some("live")),
        ("lvie", Some("live")),
        ("ringin", Some("ringing")),
        ("hangedup", None),
        ("x", None),
    ] {
        let mut event = live.clone();
        event["call"]["state"] = json!(value);
        let report = catalog().validate(&event, Values::Show);
        let issue = report
            .issues
            .iter()
            .find(|i| i.pointer == "/call/state")
            .unwrap_or_else(|| panic!("{value}: no issue at /call/state: {report:?}"));
        assert_eq!(issue.kind, evcontract::Kind::Enum);
        match hint {
            Some(near) => assert!(
                issue
                    .message
                    .ends_with(&format!("; did you mean \"{near}\"?")),
                "{value}: {}",
                issue.message
            ),
            None => assert!(!issue.message.contains("did you mean"), "{}", issue.message),
        }
        // Masked: no value, and no hint derived from it.
        let masked = catalog().validate(&event, Values::Mask);
        assert!(
            masked
                .issues
                .iter()
                .all(|i| !i.message.contains("did you mean"))
        );
    }
}

#[test]
fn invalid_utf8_anywhere_in_an_event_is_refused_by_the_fast_path_and_the_engine() {
    // The fast path checks the whole text once (SIMD) before serde_json reads it without
    // checking strings again: every kind of bad sequence, in keys and in values, must be caught
    // there. Valid multi-byte text in the same places must still be read.
    let bad: [&[u8]; 6] = [
        b"\xff",             // never in UTF-8
        b"\xe9",             // Latin-1, a lead byte without its continuation
        b"\xc0\xaf",         // overlong
        b"\xed\xa0\x80",     // a UTF-16 surrogate
        b"\xf4\x90\x80\x80", // past U+10FFFF
        b"\xe2\x82",         // cut short
    ];
    let mut checked = 0;
    for (path, value) in valid_fixture_values() {
        let text = serde_json::to_vec(&value).expect("a JSON value serializes");
        for at in (0..text.len())
            .filter(|&i| text[i].is_ascii_alphabetic())
            .step_by(5)
        {
            for sequence in bad {
                let mut bytes = text.clone();
                bytes.splice(at..=at, sequence.iter().copied());
                let err = Event::check_slice(&bytes).expect_err("not UTF-8");
                assert!(
                    err.to_string().contains("invalid UTF-8"),
                    "{path} at {at}: {err}"
                );
                assert!(!engine().check(&bytes).is_valid(), "{path} at {at}");
                checked += 1;
            }
            // The same place with valid two-, three- and four-byte characters: the verdict is
            // the schema's, whatever it is (a letter in an enum value or a uuid breaks it).
            for good in ["é", "€", "📞"] {
                let mut bytes = text.clone();
                bytes.splice(at..=at, good.bytes());
                let report = engine().check_full(&bytes);
                assert_eq!(
                    Event::check_slice(&bytes).is_ok(),
                    report.is_valid(),
                    "{path} at {at} with {good}"
                );
            }
        }
    }
    assert!(checked > 1000, "only {checked} bad texts");
}
