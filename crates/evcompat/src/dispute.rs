//! Where validators disagree, and what no proof or witness may rest on: the soundness rules of
//! the check, in one place.
//!
//! - [`dialect_risk`]: text on which regular-expression dialects differ (ECMA-262's `\d`, `\w`,
//!   `\s`, `\b`, `.` and `$` against python's `re`: non-ASCII letters and digits, line ends,
//!   control characters, the byte-order mark). A `pattern` or a `patternProperties` key
//!   meeting such text, in a value or in a key's name, decides nothing.
//! - [`Dispute`]: whether a keyword validators disagree on applies somewhere to a value under
//!   a node (a `format`, a fractional `multipleOf`, a keyword kept as written, a pattern
//!   meeting such text), so that one validator's verdict there proves nothing.
//! - [`twins`]: every way a value's integers can be written as floats (`1` or `1.0`), which
//!   draft-04's `integer` tells apart though `enum` and `const` do not.
//! - [`check_drafts`]: a document mixing drafts is refused.
//! - [`unreferenced`]: changed definitions no schema refers to.

use std::collections::HashSet;

use opentact_events::json::pointer::{Index, address, child};
use referencing::Draft;
use serde_json::{Number, Value};

use crate::kind::ChangeKind;
use crate::normal::{Arena, NodeId, Opaque};
use crate::{Change, Effect};

/// Whether regular-expression dialects may read `text` differently: it has a character that
/// is not ASCII, or an ASCII control character (line ends among them). On printable ASCII the
/// validators' dialects agree.
pub(crate) fn dialect_risk(text: &str) -> bool {
    text.chars().any(|c| !c.is_ascii() || c.is_ascii_control())
}

/// How many pairs of a node and a part of a value [`Prover::disputed`] looks at before it
/// gives up (and says "disputed").
pub(crate) const DISPUTE_BUDGET: usize = 50_000;

/// What a value is looked at for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scrutiny {
    /// A proof rests on the verdict: no `format` may meet a string (formats differ from
    /// validator to validator: `idn-hostname`, leap seconds, year 0000, regex dialects).
    Proof,
    /// A witness is shown: a `format` may meet only a string on which the validators agree
    /// ([`crate::formats::agreed_format_verdict`]); with `producer`, a kept keyword that can
    /// only narrow (see [`crate::prove::Prover::kept_keywords_apply`]) is allowed.
    Witness { producer: bool },
}

/// The walk of [`crate::prove::Prover::disputed`].
pub(crate) struct Dispute {
    scrutiny: Scrutiny,
    /// The pairs already looked at: a node, the address of a part of the value (or of a key's
    /// text, for `propertyNames`), which does not move during the walk, and whether the node
    /// only narrows there.
    seen: HashSet<(NodeId, usize, bool)>,
}

impl Dispute {
    pub(crate) fn run(
        arena: &mut Arena<'_>,
        node: NodeId,
        value: &Value,
        scrutiny: Scrutiny,
    ) -> bool {
        let mut walk = Dispute {
            scrutiny,
            seen: HashSet::new(),
        };
        walk.at(arena, node, value, address(value), true)
    }

    /// `narrows`: the node's verdict on the value can only narrow the whole's (it is not
    /// under a `not`, an `if` or a `oneOf`).
    fn at(
        &mut self,
        arena: &mut Arena<'_>,
        node: NodeId,
        value: &Value,
        id: usize,
        narrows: bool,
    ) -> bool {
        if !self.seen.insert((node, id, narrows)) {
            return false;
        }
        if self.seen.len() > DISPUTE_BUDGET {
            return true;
        }
        let record = arena.record(node);
        // Keywords kept as written; the engine's own marks (`(evaluates: ...)`, written in
        // brackets) only say a record was taken apart, which the validators do not see.
        // A kept keyword that validators either apply with one meaning or ignore can only
        // narrow where it narrows: `dependencies` in a 2019-09 or 2020-12 document. Others
        // (a format some validators check their own way) count wherever they are.
        let engine_mark = |o: &Opaque| o.keyword.starts_with('(');
        let narrowing_kept_ok = self.scrutiny == Scrutiny::Witness { producer: true };
        let narrowing = |o: &Opaque| o.keyword == "dependencies" && narrowing_kept_ok && narrows;
        let counts = |o: &&Opaque| !(engine_mark(o) || narrowing(o));
        if record.opaque.iter().any(|o| counts(&o)) {
            return true;
        }
        match value {
            Value::String(text) if !record.patterns.is_empty() && dialect_risk(text) => {
                return true;
            }
            Value::Object(map)
                if !record.pattern_properties.is_empty() && map.keys().any(|k| dialect_risk(k)) =>
            {
                return true;
            }
            _ => {}
        }
        // `multipleOf` is above zero, so an integer one is a `u64`; anything else (a float,
        // or a negative that no validator takes) counts.
        let fractional = |m: &Number| m.as_u64().is_none();
        match value {
            Value::String(text) if !record.formats.is_empty() => {
                let agreed = |f: &String| crate::formats::agreed_format_verdict(f, text);
                if self.scrutiny == Scrutiny::Proof || !record.formats.iter().all(agreed) {
                    return true;
                }
            }
            // Floating point in some validators, exact in others.
            Value::Number(_) if record.multiple_of.iter().any(fractional) => return true,
            // Draft-04's `integer` on a float with no fraction at or past 2^63 in magnitude:
            // python-jsonschema refuses every float, the validator here takes these.
            Value::Number(n) if record.integer_strict && n.is_f64() && beyond_i64(n) => {
                return true;
            }
            _ => {}
        }
        // Schemas applied to the same value: those that narrow with this node, and those whose
        // failing can also let a value through.
        let mut same: Vec<NodeId> = record.all_of.clone();
        same.extend(record.any_of.iter().flatten());
        for c in &record.conditionals {
            same.extend([c.then, c.otherwise]);
        }
        same.extend(record.dependent_schemas.values());
        same.extend(record.unevaluated_properties);
        same.extend(record.unevaluated_items);
        let mut flipped: Vec<NodeId> = record.one_of.iter().flatten().copied().collect();
        flipped.extend(record.not.iter());
        flipped.extend(record.conditionals.iter().map(|c| c.condition));
        if same
            .into_iter()
            .any(|n| self.at(arena, n, value, id, narrows))
            || flipped
                .into_iter()
                .any(|n| self.at(arena, n, value, id, false))
        {
            return true;
        }
        // Schemas applied to its parts.
        match value {
            Value::Object(map) => map.iter().any(|(key, v)| {
                let key_value = Value::String(key.clone());
                // The key's own schema (or the rest's), and every pattern's: which patterns
                // match is not worked out here.
                let own = record
                    .properties
                    .get(key)
                    .copied()
                    .unwrap_or(record.additional_properties);
                let part = address(v);
                self.at(
                    arena,
                    record.property_names,
                    &key_value,
                    key.as_ptr() as usize,
                    narrows,
                ) || std::iter::once(own)
                    .chain(record.pattern_properties.iter().map(|(_, n)| *n))
                    .any(|n| self.at(arena, n, v, part, narrows))
            }),
            Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
                let part = address(v);
                let mut applied: Vec<NodeId> = record.contains.iter().map(|c| c.schema).collect();
                applied.push(record.prefix_items.get(i).copied().unwrap_or(record.items));
                applied
                    .into_iter()
                    .any(|n| self.at(arena, n, v, part, narrows))
            }),
            _ => false,
        }
    }
}

/// Whether a number is at or past 2^63 in magnitude.
fn beyond_i64(n: &Number) -> bool {
    n.as_f64()
        .is_some_and(|f| f.abs() >= 9_223_372_036_854_775_808.0)
}

/// How many integers of one value [`twins`] writes both ways (2^n values).
const MAX_TWINNED: usize = 10;

/// Every way of writing the integers of `value` as integers or floats (`{"a": 1, "b": 1}`
/// also as `{"a": 1.0, "b": 1}`, `{"a": 1, "b": 1.0}` and `{"a": 1.0, "b": 1.0}`), the value
/// itself first: JSON Schema's equality (`enum`, `const`) does not tell them apart, draft-04's
/// `integer` does. Only integers a double holds exactly have a twin. `None` when there are
/// more than [`MAX_TWINNED`] such integers (too many to list).
pub(crate) fn twins(value: &Value) -> Option<Vec<Value>> {
    fn integers(value: &Value, at: &mut String, out: &mut Vec<(String, Number)>) {
        match value {
            // A float has no twin: `float_twin` gives one only for an integer.
            Value::Number(n) => {
                if let Some(f) = float_twin(n) {
                    out.push((at.clone(), f));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = at.len();
                    opentact_events::json::pointer::push_index(at, i);
                    integers(item, at, out);
                    at.truncate(len);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let len = at.len();
                    opentact_events::json::pointer::push_token(at, key);
                    integers(item, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    integers(value, &mut String::new(), &mut found);
    if found.len() > MAX_TWINNED {
        return None;
    }
    let mut out = Vec::with_capacity(1 << found.len());
    for mask in 0..(1usize << found.len()) {
        let mut twin = value.clone();
        for (bit, (pointer, float)) in found.iter().enumerate() {
            if mask & (1 << bit) != 0
                && let Some(slot) = twin.pointer_mut(pointer)
            {
                *slot = Value::Number(float.clone());
            }
        }
        out.push(twin);
    }
    Some(out)
}

/// The float an integer is equal to, when a double holds it exactly.
fn float_twin(n: &Number) -> Option<Number> {
    // Back through 128 bits, where the double nearest `i64::MAX` or `u64::MAX` (2^63, 2^64)
    // does not saturate to the integer it is not.
    let exact = match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => (i as f64) as i128 == i128::from(i),
        (None, Some(u)) => (u as f64) as u128 == u128::from(u),
        _ => false,
    };
    exact
        .then(|| n.as_f64().and_then(Number::from_f64))
        .flatten()
}

/// Refuses a document with a subschema whose `$schema` names another draft than the root's:
/// validators disagree on which draft's rules apply inside it (python-jsonschema keeps the
/// root's, others switch), so no verdict about it holds for every validator. The error names
/// the subschema's JSON Pointer.
pub(crate) fn check_drafts(schema: &Value) -> Result<(), String> {
    fn other(value: &Value, root: Draft, top: bool) -> Option<&Value> {
        match value {
            Value::Object(map) => {
                let declares = map.get("$schema").is_some_and(Value::is_string);
                if !top && declares && evcontract::refs::declared_draft(value) != root {
                    return Some(value);
                }
                map.values().find_map(|v| other(v, root, false))
            }
            Value::Array(items) => items.iter().find_map(|v| other(v, root, false)),
            _ => None,
        }
    }
    let Some(inner) = other(schema, evcontract::refs::declared_draft(schema), true) else {
        return Ok(());
    };
    let pointers = Index::new(schema);
    let pointer = pointers.pointer_of(inner).unwrap_or("");
    Err(format!(
        "the subschema at {pointer} declares another draft ({}) than the document; validators \
         disagree on which rules apply inside it, so it cannot be compared",
        inner["$schema"]
    ))
}

/// The changed definitions (`$defs` and `definitions` entries, at any depth) that no schema
/// refers to on either side: each one change, compatible both ways, since no value meets them;
/// unknown when a document has a dynamic reference, which may land anywhere.
pub(crate) fn unreferenced(old: &Value, new: &Value, event_type: Option<&str>) -> Vec<Change> {
    let dynamic = |v: &Value| {
        let text = v.to_string();
        text.contains("\"$dynamicRef\"") || text.contains("\"$recursiveRef\"")
    };
    // Sorted, so that "is a schema reached at the entry or inside it" is a binary search.
    let (old_reached, new_reached) = (
        evcontract::refs::reachable(old),
        evcontract::refs::reachable(new),
    );
    let mut entries: Vec<String> = Vec::new();
    definitions(old, &mut String::new(), &mut entries);
    definitions(new, &mut String::new(), &mut entries);
    entries.sort();
    entries.dedup();
    let effect = |dynamic: bool| {
        if dynamic {
            Effect::Unknown {
                reason: "a dynamic reference ($dynamicRef) may land in it, which this check does not follow".into(),
            }
        } else {
            Effect::Compatible {
                proof: "no schema refers to the definition, so no value meets it".into(),
            }
        }
    };
    let dynamic = dynamic(old) || dynamic(new);
    let mut out = Vec::new();
    let mut listed: HashSet<String> = HashSet::new();
    for location in entries {
        let (a, b) = (old.pointer(&location), new.pointer(&location));
        let same = match (a, b) {
            (Some(a), Some(b)) => evcontract::contract::json_equal(a, b),
            _ => false,
        };
        if same {
            continue;
        }
        // Referred to when a schema reached is the entry or inside it.
        let used = [&old_reached, &new_reached]
            .into_iter()
            .any(|reached| reaches_into(reached, &location));
        // An entry inside another changed entry no one refers to is part of that change.
        let nested = location
            .match_indices('/')
            .any(|(i, _)| listed.contains(&location[..i]));
        if used || nested {
            continue;
        }
        listed.insert(location.clone());
        let kind = ChangeKind::Unreferenced {
            location: location.clone(),
        };
        out.push(Change {
            rule: kind.rule(),
            keyword: kind.keyword(),
            event_type: event_type.map(str::to_owned),
            pointer: String::new(),
            places: 0,
            recursive: false,
            other_places: Vec::new(),
            rust_field: None,
            detail: kind.detail(),
            old: a.cloned(),
            new: b.cloned(),
            backward: effect(dynamic),
            forward: effect(dynamic),
        });
    }
    out
}

/// Whether a sorted list of pointers has `location` or a pointer inside it: the pointers
/// inside it (`location/...`) sort together, right where `location/` would.
fn reaches_into(sorted: &[String], location: &str) -> bool {
    if sorted
        .binary_search_by(|r| r.as_str().cmp(location))
        .is_ok()
    {
        return true;
    }
    let below = format!("{location}/");
    let at = sorted.partition_point(|r| r.as_str() < below.as_str());
    sorted.get(at).is_some_and(|r| r.starts_with(&below))
}

/// The JSON Pointer of every `$defs` and `definitions` entry in `value`.
fn definitions(value: &Value, at: &mut String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if matches!(key.as_str(), "$defs" | "definitions")
                    && let Value::Object(defs) = item
                {
                    let here = child(at, key);
                    for name in defs.keys() {
                        out.push(child(&here, name));
                    }
                }
                let len = at.len();
                opentact_events::json::pointer::push_token(at, key);
                definitions(item, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                opentact_events::json::pointer::push_index(at, i);
                definitions(item, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::normal::with_root;

    /// Whether `value` is disputed under `schema`'s root, for `scrutiny`.
    fn disputed(schema: Value, value: Value, scrutiny: Scrutiny) -> bool {
        with_root(schema, |arena, root| {
            Dispute::run(arena, root, &value, scrutiny)
        })
    }

    #[track_caller]
    fn check(schema: Value, value: Value, expected: bool) {
        assert_eq!(
            disputed(schema.clone(), value.clone(), Scrutiny::Proof),
            expected,
            "{schema} on {value}"
        );
    }

    #[test]
    fn a_format_counts_wherever_the_schema_applies_to_a_string() {
        check(json!({"format": "date"}), json!("2024-01-01"), true);
        check(json!({"format": "date"}), json!(1), false);
        // Items by position, the rest, and `contains`: the array branch of the walk.
        check(
            json!({"items": {"format": "date"}}),
            json!(["2024-01-01"]),
            true,
        );
        check(json!({"items": {"format": "date"}}), json!([1, 2]), false);
        check(json!({"items": {"format": "date"}}), json!([]), false);
        check(
            json!({"prefixItems": [{"type": "integer"}], "items": {"format": "date"}}),
            json!([1]),
            false,
        );
        check(
            json!({"prefixItems": [{"type": "integer"}], "items": {"format": "date"}}),
            json!([1, "x"]),
            true,
        );
        check(
            json!({"prefixItems": [{"format": "date"}]}),
            json!([1, "x"]),
            false,
        );
        check(
            json!({"contains": {"format": "email"}}),
            json!([1, "a"]),
            true,
        );
        check(
            json!({"contains": {"format": "email"}}),
            json!([1, 2]),
            false,
        );
        // Nested: an array in an object in an array.
        check(
            json!({"items": {"properties": {"a": {"items": {"format": "ipv4"}}}}}),
            json!([{"a": [1, "x"]}]),
            true,
        );
        // A fractional `multipleOf` meets a number.
        check(json!({"items": {"multipleOf": 0.1}}), json!([0.3]), true);
        check(json!({"items": {"multipleOf": 2}}), json!([4]), false);
        check(json!({"multipleOf": 2.0}), json!(4), true);
        // Draft-04's `integer` on a float from 2^63 on, which only some validators take.
        let d4 = "http://json-schema.org/draft-04/schema#";
        let integer = json!({"$schema": d4, "type": "integer"});
        check(
            integer.clone(),
            json!(9_223_372_036_854_775_808.0_f64),
            true,
        );
        check(integer.clone(), json!(-1e19), true);
        check(
            integer.clone(),
            json!(9_223_372_036_854_774_784.0_f64),
            false,
        );
        check(integer.clone(), json!(1.0), false);
        check(integer.clone(), json!(u64::MAX), false);
        check(json!({"type": "integer"}), json!(1e19), false);
        check(json!({"$schema": d4, "type": "number"}), json!(1e19), false);
    }

    #[test]
    fn a_pattern_counts_where_it_meets_text_dialects_read_differently() {
        check(json!({"pattern": "^a"}), json!("ab"), false);
        check(json!({"pattern": "^a"}), json!("a\n"), true);
        check(json!({"pattern": "^a"}), json!("é"), true);
        check(
            json!({"items": {"pattern": "^\\d$"}}),
            json!(["\u{661}"]),
            true,
        );
        // Keys against `patternProperties`, and against `propertyNames`.
        check(
            json!({"patternProperties": {"^a": true}}),
            json!({"é": 1}),
            true,
        );
        check(
            json!({"patternProperties": {"^a": true}}),
            json!({"\u{661}": 1}),
            true,
        );
        check(
            json!({"patternProperties": {"^a": true}}),
            json!({"a\n": 1}),
            true,
        );
        check(
            json!({"patternProperties": {"^a": true}}),
            json!({"ab": 1}),
            false,
        );
        check(
            json!({"propertyNames": {"pattern": "^\\s$"}}),
            json!({"\u{feff}": 1}),
            true,
        );
        check(
            json!({"propertyNames": {"pattern": "^a"}}),
            json!({"ab": 1}),
            false,
        );
        check(
            json!({"propertyNames": {"maxLength": 3}}),
            json!({"é": 1}),
            false,
        );
        // Keys are read by a pattern only under `patternProperties` (or `propertyNames`):
        // a listed key is compared as text, whatever it holds, and keys in printable ASCII
        // are read alike by every dialect.
        check(
            json!({"properties": {"é": {"type": "integer"}}}),
            json!({"é": 1, "a\n": 2}),
            false,
        );
        check(
            json!({"patternProperties": {"^a$": {"type": "integer"}}}),
            json!({"a": 1, "b": 2}),
            false,
        );
    }

    #[test]
    fn the_walk_gives_up_past_its_budget_and_not_before() {
        // The root and each item are one pair each: DISPUTE_BUDGET pairs are looked at in
        // full, one more is past the budget (and so "disputed").
        let schema = json!({"items": {"type": "null"}});
        let items = |n: usize| Value::Array(vec![Value::Null; n]);
        check(schema.clone(), items(DISPUTE_BUDGET - 1), false);
        check(schema, items(DISPUTE_BUDGET), true);
    }

    #[test]
    fn a_witness_may_meet_a_format_only_where_validators_agree() {
        let witness = Scrutiny::Witness { producer: false };
        assert!(!disputed(json!({"format": "email"}), json!("x"), witness));
        assert!(!disputed(
            json!({"format": "email"}),
            json!("a@example.com"),
            witness
        ));
        assert!(disputed(json!({"format": "email"}), json!("a@"), witness));
        assert!(disputed(json!({"format": "email"}), json!("a@e"), witness));
        assert!(!disputed(
            json!({"format": "date-time"}),
            json!("2024-02-19T16:06:00.210Z"),
            witness
        ));
        assert!(disputed(
            json!({"format": "date-time"}),
            json!("0000-01-01T00:00:00.000Z"),
            witness
        ));
        // `dependencies` in a 2020-12 document is kept as written: it counts, unless it can
        // only narrow what a producer sends.
        let kept = json!({"dependencies": {"a": ["b"]}});
        assert!(disputed(kept.clone(), json!({"a": 1}), witness));
        assert!(!disputed(
            kept.clone(),
            json!({"a": 1}),
            Scrutiny::Witness { producer: true }
        ));
        assert!(disputed(
            json!({"not": kept}),
            json!({"a": 1}),
            Scrutiny::Witness { producer: true }
        ));
    }

    #[test]
    fn every_mix_of_float_twins_is_listed() {
        let all = twins(&json!({"a": 1, "b": [1]})).expect("two integers");
        assert_eq!(all.len(), 4);
        assert_eq!(all[0], json!({"a": 1, "b": [1]}));
        for twin in [
            json!({"a": 1.0, "b": [1]}),
            json!({"a": 1, "b": [1.0]}),
            json!({"a": 1.0, "b": [1.0]}),
        ] {
            assert!(all.contains(&twin), "{twin} missing from {all:?}");
        }
        assert_eq!(twins(&json!("x")), Some(vec![json!("x")]));
        assert_eq!(twins(&json!(2.5)), Some(vec![json!(2.5)]));
        // A float is not twinned back into an integer.
        assert_eq!(
            twins(&json!([1.0, 2])),
            Some(vec![json!([1.0, 2]), json!([1.0, 2.0])])
        );
        // Only integers a double holds exactly have a twin.
        assert_eq!(
            twins(&json!(9007199254740993_u64)).map(|t| t.len()),
            Some(1)
        );
        assert_eq!(
            twins(&json!(9007199254740992_u64)).map(|t| t.len()),
            Some(2)
        );
        assert_eq!(twins(&json!(-3)).map(|t| t.len()), Some(2));
        // At the ends of 64 bits: the largest doubles below 2^63 and 2^64, -2^63 and 2^63
        // are integers a double holds; i64::MAX and u64::MAX are not (their nearest doubles
        // are 2^63 and 2^64).
        for (n, count) in [
            (json!(9_223_372_036_854_774_784_i64), 2),
            (json!(i64::MIN), 2),
            (json!(i64::MAX), 1),
            (json!(9_223_372_036_854_775_808_u64), 2),
            (json!(18_446_744_073_709_549_568_u64), 2),
            (json!(u64::MAX), 1),
        ] {
            let all = twins(&n).expect("one integer");
            assert_eq!(all.len(), count, "{n}: {all:?}");
            if let Some(twin) = all.get(1) {
                assert!(twin.is_f64(), "{n}: {twin}");
                assert_eq!(twin.as_f64(), n.as_f64(), "{n}: {twin}");
            }
        }
        // Ten integers are 1,024 values; eleven are too many to list.
        assert_eq!(
            twins(&json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).map(|t| t.len()),
            Some(1024)
        );
        assert_eq!(twins(&json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])), None);
    }

    #[test]
    fn dialect_risk_is_non_ascii_or_control_text() {
        for (text, risk) in [
            ("abc", false),
            ("a b~", false),
            ("a\n", true),
            ("\t", true),
            ("\u{7f}", true),
            ("é", true),
            ("\u{feff}", true),
            ("", false),
        ] {
            assert_eq!(dialect_risk(text), risk, "{text:?}");
        }
    }

    #[test]
    fn reaches_into_finds_the_entry_and_what_is_inside_it() {
        let sorted = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let reached = sorted(&["/$defs/a", "/$defs/b", "/$defs/c/x", "/$defs/d"]);
        assert!(reaches_into(&reached, "/$defs/a"));
        assert!(reaches_into(&reached, "/$defs/c"));
        assert!(!reaches_into(&reached, "/$defs/x"));
        // A name that only starts with another's is not inside it.
        assert!(!reaches_into(&sorted(&["/$defs/ab"]), "/$defs/a"));
        assert!(!reaches_into(&[], "/$defs/a"));
        // The pointer of the key "" inside the entry (`/$defs/c/`) is inside it.
        assert!(reaches_into(
            &sorted(&["/$defs/c/", "/$defs/d"]),
            "/$defs/c"
        ));
    }

    #[test]
    fn changed_definitions_nothing_refers_to_are_listed_once() {
        let d = "https://json-schema.org/draft/2020-12/schema";
        let old = json!({
            "$schema": d,
            "properties": {"x": {"$ref": "#/$defs/used"}},
            "$defs": {
                "used": {"type": "string"},
                "unused": {"type": "string", "$defs": {"inner": {"type": "string"}}},
                "same": {"type": "string"},
                "gone": {"type": "string"},
            },
            "anyOf": [{"$defs": {"deep": {"type": "string"}}}],
        });
        let new = json!({
            "$schema": d,
            "properties": {"x": {"$ref": "#/$defs/used"}},
            "$defs": {
                "used": {"type": "integer"},
                "unused": {"type": "integer", "$defs": {"inner": {"type": "integer"}}},
                "same": {"type": "string"},
                "added": {"type": "string"},
            },
            "anyOf": [{"$defs": {"deep": {"type": "integer"}}}],
        });
        let changes = unreferenced(&old, &new, Some("call"));
        let mut details: Vec<&str> = changes.iter().map(|c| c.detail.as_str()).collect();
        details.sort_unstable();
        let named = |location: &str| {
            ChangeKind::Unreferenced {
                location: location.into(),
            }
            .detail()
        };
        let mut expected = [
            named("/$defs/added"),
            named("/$defs/gone"),
            named("/$defs/unused"),
            named("/anyOf/0/$defs/deep"),
        ];
        expected.sort();
        assert_eq!(
            details,
            expected.iter().map(String::as_str).collect::<Vec<_>>()
        );
        for c in &changes {
            assert_eq!(c.rule, crate::Rule::Unreferenced);
            assert_eq!(c.event_type.as_deref(), Some("call"));
            for effect in [&c.backward, &c.forward] {
                assert!(matches!(effect, Effect::Compatible { .. }), "{effect:?}");
            }
        }
        let gone = changes
            .iter()
            .find(|c| c.detail == named("/$defs/gone"))
            .expect("listed");
        assert_eq!(
            (gone.old.clone(), gone.new.clone()),
            (Some(json!({"type": "string"})), None)
        );
        // A dynamic reference may land anywhere: the same changes are unknown.
        for dynamic in ["$dynamicRef", "$recursiveRef"] {
            let mut with = new.clone();
            with["properties"]["y"] = json!({ dynamic: "#meta" });
            let changes = unreferenced(&old, &with, None);
            assert_eq!(changes.len(), 4, "{dynamic}");
            for c in &changes {
                assert!(matches!(c.backward, Effect::Unknown { .. }), "{dynamic}");
                assert!(matches!(c.forward, Effect::Unknown { .. }), "{dynamic}");
            }
        }
    }
}
