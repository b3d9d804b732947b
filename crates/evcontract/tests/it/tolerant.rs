//! The tolerant reader's fast path: with unknown fields allowed (the published open schemas, as
//! every consumer reads them), the engine first reads an event with the models' check twins
//! under `Allow` (`Event::check_slice_tolerant`). It may only say "valid" where the full path
//! (the strict parse, then the open schemas) says so, and it must say so wherever the full path
//! does, or it is no fast path.
//!
//! Every fixture, valid and invalid, gets keys nobody declared in every one of its objects:
//! once, several, repeated, spelt with escapes, with repeated keys inside their values, nested
//! to the depth limit and one past it. Both policies' engines, fast and full, and both check
//! twins must agree on each (`evcontract::differential::check_both`), and the verdicts must be
//! the ones the strict parser's rules and the open schemas give.

use evcontract::differential::check_both;
use evcontract::mutate::places;
use evcontract::{Checked, ParseErrorKind};
use opentact_events::json::pointer::child as child_pointer;
use serde_json::Value;

use crate::support::{engine, fixtures, tolerant_engine};

/// Writes `value` as compact JSON, with `members` (raw text) first in the object at `target`.
fn write_with_members(value: &Value, pointer: &str, target: &str, members: &str, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            if pointer == target {
                out.push_str(members);
                first = false;
            }
            for (key, child) in map {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_with_members(child, &child_pointer(pointer, key), target, members, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, child) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_with_members(child, &format!("{pointer}/{i}"), target, members, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// What adding members does to the tolerant reader's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Nothing: the open schemas accept any key an object does not declare, once.
    None,
    /// The strict parse refuses the event (a repeated key).
    Syntax,
    /// The strict parse refuses the event (nesting past 127 levels).
    TooDeep,
}

/// The members added, each with its effect, for an object `level` levels deep (the event is
/// level 1).
fn additions(level: usize) -> Vec<(String, Effect)> {
    let nested = |n: usize| format!(r#""zz":{}{}"#, "[".repeat(n), "]".repeat(n));
    let objects = |n: usize| format!(r#""zz":{}null{}"#, r#"{"a":"#.repeat(n), "}".repeat(n));
    let mut all: Vec<(String, Effect)> = [
        (r#""zz_not_in_contract":1"#, Effect::None),
        (
            r#""zz":{"a":[1,{"b":null}]},"zy":[],"zx":"\u00e9""#,
            Effect::None,
        ),
        (r#""\u007a\u0079":true"#, Effect::None),
        (r#""zz":{"zz":{"zz":1}}"#, Effect::None),
        (r#""zz":1,"zz":2"#, Effect::Syntax),
        (r#""zz":1,"zy":2,"\u007az":3"#, Effect::Syntax),
        (r#""zz":{"a":1,"a":2}"#, Effect::Syntax),
        (r#""zz":[{"b":{"c":1,"\u0063":1}}]"#, Effect::Syntax),
    ]
    .into_iter()
    .map(|(members, effect)| (members.to_owned(), effect))
    .collect();
    // The value's first bracket is one level below the object: at most 127 levels in all.
    all.push((nested(127 - level), Effect::None));
    all.push((nested(128 - level), Effect::TooDeep));
    all.push((objects(127 - level), Effect::None));
    all.push((objects(128 - level), Effect::TooDeep));
    all
}

fn is_unparsable(checked: &Checked, kind: ParseErrorKind) -> bool {
    matches!(checked, Checked::Unparsable(err) if err.kind == kind)
}

#[test]
fn every_fixture_with_unknown_keys_in_every_object_gets_one_verdict_on_every_path() {
    let mut checked = 0;
    let mut accepted_by_the_tolerant_fast_path = 0;
    for fixture in fixtures() {
        let path = &fixture.path;
        let Ok(original) = evcontract::parse(&fixture.bytes) else {
            // Not JSON under the strict rules: a key added to its text changes nothing.
            if let Some(at) = fixture.bytes.iter().position(|&b| b == b'{') {
                let mut bytes = fixture.bytes.clone();
                bytes.splice(at + 1..at + 1, br#""zz":1,"#.iter().copied());
                if let Err(e) = check_both(engine(), tolerant_engine(), &bytes) {
                    panic!("{path} with a key added: {e}");
                }
                assert!(!tolerant_engine().check(&bytes).is_valid(), "{path}");
                checked += 1;
            }
            continue;
        };
        let base = tolerant_engine().check_full(&fixture.bytes).is_valid();
        let mut objects = vec![String::new()];
        objects.extend(
            places(&original)
                .into_iter()
                .filter(|p| original.pointer(p).is_some_and(Value::is_object)),
        );
        for target in objects {
            let level = 1 + target.matches('/').count();
            for (members, effect) in additions(level) {
                let mut text = String::new();
                write_with_members(&original, "", &target, &members, &mut text);
                let bytes = text.as_bytes();
                let short = &members[..members.len().min(40)];
                if let Err(e) = check_both(engine(), tolerant_engine(), bytes) {
                    panic!("{path}: {short} in {target:?}: {e}");
                }
                let tolerant = tolerant_engine().check(bytes);
                let contract = engine().check(bytes);
                match effect {
                    Effect::None => {
                        assert_eq!(tolerant.is_valid(), base, "{path}: {short} in {target:?}");
                    }
                    Effect::Syntax | Effect::TooDeep => {
                        let kind = if effect == Effect::Syntax {
                            ParseErrorKind::DuplicateKey
                        } else {
                            ParseErrorKind::TooDeep
                        };
                        assert!(
                            is_unparsable(&tolerant, kind) && is_unparsable(&contract, kind),
                            "{path}: {short} in {target:?}: {tolerant:?}"
                        );
                    }
                }
                accepted_by_the_tolerant_fast_path +=
                    usize::from(opentact_events::Event::check_slice_tolerant(bytes).is_ok());
                checked += 1;
            }
        }
    }
    assert!(checked > 2000, "only {checked} events");
    assert!(
        accepted_by_the_tolerant_fast_path > 500,
        "only {accepted_by_the_tolerant_fast_path} accepted"
    );
}
