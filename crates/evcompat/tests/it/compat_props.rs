//! Property test of the breaking-change check on random pairs of schemas built from every
//! keyword family (draft 2020-12, and draft-04 where `1` and `1.0` differ): whenever a
//! direction is called compatible, no value of a broad pool (every test value of the JSON
//! Schema Test Suite, plus hand-picked ones: keys with line ends, non-ASCII digits, control
//! characters and byte-order marks, values with nested float twins) is accepted by that
//! direction's producer and refused by its reader; whenever a change is called incompatible,
//! its witness holds under an independently compiled validator.
//!
//! The outside oracles see the same pairs: every compatible direction (with the hand-picked
//! pool) and every witness are written to `target/tmp/compat-random-pairs.json`, which CI
//! re-checks with python-jsonschema and ajv (`tools/portability/random_pairs.py` and
//! `random_pairs.mjs`), whose regular expressions and number types are not this validator's.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use evcompat::{Effect, Options, Verdict, compare_schemas};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::{Map, Value, json};

/// Values to look for counterexamples among.
fn pool() -> &'static [Value] {
    static POOL: OnceLock<Vec<Value>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut push = |v: Value| {
            if seen.insert(v.to_string()) {
                out.push(v);
            }
        };
        for v in [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(1),
            json!(-1),
            json!(2),
            json!(3),
            json!(4),
            json!(5),
            json!(6),
            json!(10),
            json!(11),
            json!(15),
            json!(100),
            json!(2.5),
            json!(-0.5),
            json!(""),
            json!("a"),
            json!("b"),
            json!("ab"),
            json!("abc"),
            json!("aaaa"),
            json!("x1"),
            json!("12"),
            json!("2024-02-19"),
            json!("192.0.2.1"),
            json!("a@b.co"),
            json!([]),
            json!([1]),
            json!([1, 1]),
            json!(["a"]),
            json!([1, "a"]),
            json!(["a", "b", "c"]),
            json!([null]),
            json!({}),
            json!({"a": 1}),
            json!({"a": "x"}),
            json!({"b": null}),
            json!({"a": 1, "b": 2}),
            json!({"c": []}),
            json!({"x1": 1}),
            json!({"a": {"a": 1}}),
            json!({"a": [1, 2]}),
        ] {
            push(v);
        }
        for v in hostile_values() {
            push(v);
        }
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/json-schema-test-suite/draft2020-12");
        for entry in std::fs::read_dir(dir).expect("the suite reads") {
            let path = entry.expect("an entry").path();
            let cases: Vec<Value> =
                serde_json::from_slice(&std::fs::read(path).expect("reads")).expect("JSON");
            for case in cases {
                for test in case["tests"].as_array().into_iter().flatten() {
                    push(test["data"].clone());
                }
            }
        }
        out
    })
}

/// Values on which validators' dialects and number types differ: keys and strings with line
/// ends, non-ASCII digits and letters, control characters and byte-order marks; integers next
/// to their float twins, alone and nested. What python-jsonschema is given to check with.
fn hostile_values() -> Vec<Value> {
    let mut out = vec![
        json!(1.0),
        json!(2.0),
        json!("a\n"),
        json!("\u{661}"),
        json!("\u{feff}"),
        json!("k\u{1f}"),
        json!("é"),
        json!([1, 1.0]),
        json!([1.0, 1]),
        json!([1.0]),
        json!({"a": 1.0}),
        json!({"a": 1, "b": 1.0}),
        json!({"a": 1.0, "b": 1}),
        json!({"a": 1.0, "b": 1.0}),
        json!({"a": [1.0]}),
    ];
    for key in ["a\n", "\u{661}", "\u{feff}", "k\u{1f}", "é", "x\n"] {
        for value in [json!("x"), json!(1), json!(1.0), json!(null)] {
            out.push(json!({key: value}));
        }
    }
    out
}

/// The pool values the outside oracles check with: the hand-picked ones (the suite's values
/// include integers past 64 bits, which python reads exactly and the others as doubles).
fn oracle_pool() -> Vec<Value> {
    pool()
        .iter()
        .take_while(|v| *v != &json!({"a": [1, 2]}))
        .cloned()
        .chain(std::iter::once(json!({"a": [1, 2]})))
        .chain(hostile_values())
        .collect()
}

/// One keyword family's fragment of a schema, with subschemas from `sub`.
fn fragment(sub: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    let key = prop::sample::select(vec!["a", "b", "c", "a\n", "\u{661}", "\u{feff}", "k\u{1f}"]);
    let pattern = prop::sample::select(vec![
        "^a$", "^\\d$", "^\\s$", "^.$", "^k\\s$", "^\\w$", "^x", "^[a-c]$",
    ]);
    let small = 0u64..4;
    let number = prop::sample::select(vec![-1i64, 0, 1, 2, 3, 5, 10]);
    let types = prop::sample::select(vec![
        "string", "integer", "number", "boolean", "null", "object", "array",
    ]);
    prop_oneof![
        types.clone().prop_map(|t| json!({"type": t})),
        (types.clone(), types).prop_map(|(a, b)| json!({"type": [a, b]})),
        prop::collection::vec(prop::sample::select(pool_atoms()), 1..4)
            .prop_map(|v| json!({"enum": v})),
        prop::sample::select(pool_atoms()).prop_map(|v| json!({"const": v})),
        number.clone().prop_map(|n| json!({"minimum": n})),
        number.clone().prop_map(|n| json!({"maximum": n})),
        number.clone().prop_map(|n| json!({"exclusiveMinimum": n})),
        prop::sample::select(vec![2i64, 3, 5]).prop_map(|m| json!({"multipleOf": m})),
        small.clone().prop_map(|n| json!({"minLength": n})),
        small.clone().prop_map(|n| json!({"maxLength": n})),
        prop::sample::select(vec!["^a", "b$", "^[a-c]+$", "^[0-9]{2}$", "x"])
            .prop_map(|p| json!({"pattern": p})),
        prop::sample::select(vec!["date", "ipv4", "email"]).prop_map(|f| json!({"format": f})),
        (key.clone(), sub.clone()).prop_map(|(k, s)| json!({"properties": {k: s}})),
        key.clone().prop_map(|k| json!({"required": [k]})),
        any::<bool>().prop_map(|b| json!({"additionalProperties": b})),
        sub.clone().prop_map(|s| json!({"additionalProperties": s})),
        small.clone().prop_map(|n| json!({"minProperties": n})),
        small.clone().prop_map(|n| json!({"maxProperties": n})),
        Just(json!({"propertyNames": {"maxLength": 1}})),
        pattern
            .clone()
            .prop_map(|p| json!({"propertyNames": {"pattern": p}})),
        (pattern, sub.clone()).prop_map(|(p, s)| json!({"patternProperties": {p: s}})),
        prop::sample::select(twin_atoms()).prop_map(|v| json!({"enum": [v]})),
        Just(json!({"dependentRequired": {"a": ["b"]}})),
        sub.clone().prop_map(|s| json!({"items": s})),
        sub.clone().prop_map(|s| json!({"prefixItems": [s]})),
        small.clone().prop_map(|n| json!({"minItems": n})),
        small.prop_map(|n| json!({"maxItems": n})),
        Just(json!({"uniqueItems": true})),
        sub.clone().prop_map(|s| json!({"contains": s})),
        (sub.clone(), sub.clone()).prop_map(|(a, b)| json!({"anyOf": [a, b]})),
        (sub.clone(), sub.clone()).prop_map(|(a, b)| json!({"oneOf": [a, b]})),
        (sub.clone(), sub.clone()).prop_map(|(a, b)| json!({"allOf": [a, b]})),
        sub.clone().prop_map(|s| json!({"not": s})),
        (sub.clone(), sub.clone(), sub)
            .prop_map(|(i, t, e)| json!({"if": i, "then": t, "else": e})),
    ]
    .boxed()
}

/// Listed values whose integers have float twins, nested.
fn twin_atoms() -> Vec<Value> {
    vec![
        json!({"a": 1, "b": 1}),
        json!({"a": 1}),
        json!([1, 1]),
        json!([1]),
        json!({"a": [1]}),
        json!(1),
    ]
}

/// Atoms for `enum` and `const`.
fn pool_atoms() -> Vec<Value> {
    vec![
        json!(null),
        json!(1),
        json!(2),
        json!(2.5),
        json!("a"),
        json!("ab"),
        json!(true),
        json!([]),
        json!({}),
    ]
}

/// A schema: one to three fragments merged (a later fragment's keyword wins), or a boolean.
fn schema() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(json!(true)),
        Just(json!(false)),
        prop::sample::select(vec!["string", "integer", "object", "array", "null"])
            .prop_map(|t| json!({"type": t})),
    ]
    .boxed();
    leaf.prop_recursive(3, 24, 3, |inner| {
        prop::collection::vec(fragment(inner), 1..4)
            .prop_map(|parts| {
                let mut map = Map::new();
                for part in parts {
                    if let Value::Object(p) = part {
                        map.extend(p);
                    }
                }
                Value::Object(map)
            })
            .boxed()
    })
    .boxed()
}

/// A change of `schema`: one fragment added, or a keyword removed, or an unrelated schema.
fn evolution() -> impl Strategy<Value = (Value, Value)> {
    (
        schema(),
        schema(),
        fragment(schema()),
        any::<prop::sample::Index>(),
        0u8..3,
        0u8..4,
    )
        .prop_map(|(old, other, extra, which, how, draft)| {
            let new = match (how, &old) {
                (0, Value::Object(map)) => {
                    let mut map = map.clone();
                    if let Value::Object(extra) = extra {
                        map.extend(extra);
                    }
                    Value::Object(map)
                }
                (1, Value::Object(map)) if !map.is_empty() => {
                    let mut map = map.clone();
                    let key = map.keys().nth(which.index(map.len())).cloned();
                    if let Some(key) = key {
                        map.remove(&key);
                    }
                    Value::Object(map)
                }
                _ => other,
            };
            // One pair in four is draft-04, where `integer` refuses `1.0`.
            let as_draft = |schema: Value| match (draft, schema) {
                (0, Value::Object(mut map)) => {
                    map.insert(
                        "$schema".into(),
                        json!("http://json-schema.org/draft-04/schema#"),
                    );
                    Value::Object(map)
                }
                (_, schema) => schema,
            };
            (as_draft(old), as_draft(new))
        })
}

fn validator(schema: &Value) -> Option<jsonschema::Validator> {
    jsonschema::options()
        .should_validate_formats(true)
        .offline()
        .build(schema)
        .ok()
}

#[test]
fn verdicts_on_random_pairs_meet_no_counterexample() {
    let config = Config {
        cases: std::env::var("COMPAT_PROPS_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(2000),
        rng_seed: RngSeed::Fixed(
            std::env::var("COMPAT_PROPS_SEED")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0x5EED_C04A),
        ),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let tally = std::cell::RefCell::new(Tally::default());
    let for_oracles = std::cell::RefCell::new((Vec::new(), Vec::new()));
    let result = runner.run(&evolution(), |(old, new)| {
        let (Some(vo), Some(vn)) = (validator(&old), validator(&new)) else {
            tally.borrow_mut().skipped += 1;
            return Ok(());
        };
        tally.borrow_mut().compared += 1;
        let report = compare_schemas(&old, &new, &Options::default(), &[])
            .map_err(|e| TestCaseError::fail(format!("refused {old} -> {new}: {e}")))?;
        for (direction, verdict, producer, reader, p_schema, r_schema) in [
            ("backward", report.backward.verdict, &vo, &vn, &old, &new),
            ("forward", report.forward.verdict, &vn, &vo, &new, &old),
        ] {
            if verdict == Verdict::Compatible {
                for_oracles.borrow_mut().0.push(
                    json!({"producer": p_schema, "reader": r_schema, "direction": direction}),
                );
            }
            let mut t = tally.borrow_mut();
            match verdict {
                Verdict::Compatible => t.compatible += 1,
                Verdict::Incompatible => t.incompatible += 1,
                _ => t.unknown += 1,
            }
            drop(t);
            if verdict == Verdict::Compatible {
                for value in pool() {
                    prop_assert!(
                        !producer.is_valid(value) || reader.is_valid(value),
                        "{direction} called compatible, but {value} breaks it: {old} -> {new}"
                    );
                }
            }
        }
        for change in &report.changes {
            for (effect, producer, reader, p_schema, r_schema) in [
                (&change.backward, &vo, &vn, &old, &new),
                (&change.forward, &vn, &vo, &new, &old),
            ] {
                if let Effect::Incompatible { witness } = effect {
                    tally.borrow_mut().witnesses += 1;
                    for_oracles.borrow_mut().1.push(json!({
                        "producer": p_schema,
                        "reader": r_schema,
                        "rule": change.rule.id(),
                        "witness": witness,
                    }));
                    prop_assert!(
                        producer.is_valid(witness) && !reader.is_valid(witness),
                        "the witness {witness} of {} does not hold: {old} -> {new}",
                        change.rule.id()
                    );
                }
            }
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let t = tally.into_inner();
    eprintln!("{t:?}");
    let (compatible, witnesses) = for_oracles.into_inner();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compat-random-pairs.json");
    // The format verdicts witnesses rest on, as this validator gives them: the strings of the
    // check's own lists, and every string of the valid fixtures in its plain form.
    let mut agreed: Vec<(String, String)> = evcompat::agreed_format_verdicts()
        .into_iter()
        .map(|(f, t)| (f.to_owned(), t.to_owned()))
        .collect();
    for fixture in crate::support::fixtures()
        .iter()
        .filter(|f| f.expected.is_none())
    {
        let event = evcontract::parse(&fixture.bytes).expect("valid fixtures parse");
        for text in strings_in(&event) {
            for format in ["date-time", "date", "uuid", "ipv4"] {
                if evcompat::agreed_format_verdict(format, &text) {
                    agreed.push((format.to_owned(), text.clone()));
                }
            }
        }
    }
    agreed.sort();
    agreed.dedup();
    let formats: Vec<Value> = agreed
        .into_iter()
        .map(|(format, text)| {
            let valid =
                validator(&json!({"format": format})).is_some_and(|v| v.is_valid(&json!(text)));
            json!({"format": format, "text": text, "valid": valid})
        })
        .collect();
    let file = json!({
        "pool": oracle_pool(),
        "compatible": compatible,
        "witnesses": witnesses,
        "formats": formats,
    });
    std::fs::write(&out, serde_json::to_vec(&file).expect("JSON")).expect("the pairs are written");
    // The property is only worth something if the generator reaches every verdict often.
    assert!(t.compared >= 1500, "{t:?}");
    assert!(
        t.compatible >= 250 && t.incompatible >= 250 && t.witnesses >= 250,
        "{t:?}"
    );
    assert!(t.unknown * 4 <= t.compared, "{t:?}");
}

/// Every string in a value.
fn strings_in(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(strings_in).collect(),
        Value::Object(map) => map.values().flat_map(strings_in).collect(),
        _ => Vec::new(),
    }
}

/// What the random pairs exercised, so that a generator that drifts into trivia fails.
#[derive(Debug, Default)]
struct Tally {
    skipped: usize,
    compared: usize,
    compatible: usize,
    incompatible: usize,
    unknown: usize,
    witnesses: usize,
}

/// Pairs the property test once found unsound (a union of one branch, or a condition that
/// always holds, merged into its parent dropped the unions and conditions nested in it): each
/// old schema accepts only strings of two or more characters and `null`, so a new schema of
/// integers must break the forward direction (and the backward one).
#[test]
fn merged_wrappers_keep_what_they_nest() {
    let inner = json!({"anyOf": [{"type": "string", "minLength": 2}, {"type": "null"}]});
    let inner_one = json!({"oneOf": [{"type": "string", "minLength": 2}, {"type": "null"}]});
    let inner_if =
        json!({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}});
    let olds = [
        json!({"if": true, "then": inner_if.clone(), "else": true}),
        json!({"if": false, "then": true, "else": inner_if.clone()}),
        json!({"anyOf": [inner.clone()]}),
        json!({"oneOf": [inner_one.clone()]}),
        json!({"anyOf": [{"oneOf": [inner_if.clone()]}]}),
        json!({"if": true, "then": {"anyOf": [{"if": true, "then": inner}]}}),
        json!({"allOf": [{"oneOf": [inner_one]}, {"if": false, "else": inner_if}]}),
    ];
    let new = json!({"type": "integer"});
    let vn = validator(&new).expect("compiles");
    for old in olds {
        let vo = validator(&old).expect("compiles");
        assert!(!vo.is_valid(&json!(0)) && vo.is_valid(&json!("ab")) && vo.is_valid(&json!(null)));
        let report = compare_schemas(&old, &new, &Options::default(), &[]).expect("compares");
        assert_eq!(report.forward.verdict, Verdict::Incompatible, "{old}");
        assert_eq!(report.backward.verdict, Verdict::Incompatible, "{old}");
        let witnesses: Vec<&Value> = report
            .changes
            .iter()
            .filter_map(|c| match &c.forward {
                Effect::Incompatible { witness } => Some(witness),
                _ => None,
            })
            .collect();
        assert!(!witnesses.is_empty(), "{old}");
        for w in witnesses {
            assert!(vn.is_valid(w) && !vo.is_valid(w), "{old}: {w}");
        }
    }
}

/// Pairs a hostile tester found called compatible in a direction where python-jsonschema (an
/// independent validator) has a value the producer accepts and the reader refuses. Each kind:
/// numbers compared through `f64` (`json_equal`, and `u64` bounds rounded when made integral);
/// a listed `1` standing for `1.0`, which draft-04's `integer` refuses; a format the draft
/// does not define (asserted by some validators, ignored by others); a finite producer checked
/// value by value against a `format`, a fractional `multipleOf` or a `pattern` meeting
/// non-ASCII text, where validators disagree.
/// None may be "compatible" in its direction; where the tool shows a witness, it must hold.
#[test]
fn values_validators_disagree_on_are_never_proved_compatible() {
    let d4 = "http://json-schema.org/draft-04/schema#";
    let d6 = "http://json-schema.org/draft-06/schema#";
    let d7 = "http://json-schema.org/draft-07/schema#";
    // (old, new, the direction that must not be compatible, the breaking value)
    let cases = [
        (
            json!({"maximum": 9007199254740993_u64}),
            json!({"maximum": 9007199254740992.0}),
            "backward",
            json!(9007199254740993_u64),
        ),
        (
            json!({"type": "integer", "maximum": 18446744073709551616.0}),
            json!({"type": "integer", "maximum": u64::MAX}),
            "backward",
            json!(18446744073709551616.0),
        ),
        (
            json!({"$schema": d4, "type": "integer"}),
            json!({"$schema": d4, "enum": [1.0]}),
            "forward",
            json!(1.0),
        ),
        (
            json!({"$schema": d4, "type": "integer"}),
            json!({"$schema": d4, "enum": [1, 2]}),
            "forward",
            json!(1.0),
        ),
        (
            json!({"$schema": d4, "properties": {"a": {"type": "integer"}}}),
            json!({"$schema": d4, "properties": {"a": {"enum": [1, 2]}}}),
            "forward",
            json!({"a": 1.0}),
        ),
        (
            json!({"$schema": d6, "const": 1}),
            json!({"$schema": d4, "type": "integer"}),
            "backward",
            json!(1.0),
        ),
        (
            json!({"$schema": d7, "type": "string", "format": "uuid"}),
            json!({"type": "string", "format": "uuid"}),
            "backward",
            json!(""),
        ),
        (
            json!({"$schema": d7, "type": "string", "format": "duration"}),
            json!({"type": "string", "format": "duration"}),
            "backward",
            json!(""),
        ),
        (
            json!({"$schema": d4, "type": "string", "format": "date"}),
            json!({"type": "string", "format": "date"}),
            "backward",
            json!(""),
        ),
        (
            json!({"const": "!! not a host"}),
            json!({"type": "string", "format": "idn-hostname"}),
            "backward",
            json!("!! not a host"),
        ),
        (
            json!({"const": ""}),
            json!({"type": "string", "format": "idn-email"}),
            "backward",
            json!(""),
        ),
        (
            json!({"enum": [0.3]}),
            json!({"multipleOf": 0.1}),
            "backward",
            json!(0.3),
        ),
        // ECMA-262's `\D` matches "٣" (an Arabic-Indic digit) and `\s` matches U+FEFF;
        // python's `re` says the opposite of each.
        (
            json!({"enum": ["\u{663}"]}),
            json!({"type": "string", "pattern": "^\\D$"}),
            "backward",
            json!("\u{663}"),
        ),
        (
            json!({"enum": ["\u{feff}"]}),
            json!({"type": "string", "pattern": "^\\s$"}),
            "backward",
            json!("\u{feff}"),
        ),
        (
            json!({"const": {"at": "1990-12-31T23:59:60Z"}}),
            json!({"properties": {"at": {"format": "date-time"}}}),
            "backward",
            json!({"at": "1990-12-31T23:59:60Z"}),
        ),
        // The first integer past an exclusive bound beyond 2^53 is counted exactly: past
        // 9007199254740994.0 it is 9007199254740995, which `f64` rounds to ...996.
        (
            json!({"type": "integer", "exclusiveMinimum": 9007199254740994.0}),
            json!({"type": "integer", "minimum": 9007199254740996_u64}),
            "backward",
            json!(9007199254740995_u64),
        ),
        // Issue 17: object keys meet the same dialects. Python's `$` matches before a final
        // newline, its `\d` matches "١" (an Arabic-Indic digit), and its `\s` does not match
        // the byte-order mark, which ECMA-262's does.
        (
            json!({"properties": {"a\n": {"type": "string"}}, "additionalProperties": false}),
            json!({"patternProperties": {"^a$": {"type": "integer"}}}),
            "backward",
            json!({"a\n": "x"}),
        ),
        (
            json!({"properties": {"\u{661}": {"type": "string"}}, "additionalProperties": false}),
            json!({"patternProperties": {"^\\d$": {"type": "integer"}}}),
            "backward",
            json!({"\u{661}": "x"}),
        ),
        (
            json!({"properties": {"\u{feff}": true}, "additionalProperties": false}),
            json!({"propertyNames": {"pattern": "^\\s$"}}),
            "backward",
            json!({"\u{feff}": 1}),
        ),
        (
            json!({"properties": {"k\u{1f}": {"type": "string"}}, "additionalProperties": false}),
            json!({"patternProperties": {"^k\\s$": {"type": "integer"}}}),
            "backward",
            json!({"k\u{1f}": "x"}),
        ),
        // Draft-04's `integer` tells `1` from `1.0` inside listed objects too: the value with
        // one member a float twin and the other not meets neither branch.
        (
            json!({"$schema": d4, "enum": [{"a": 1, "b": 1}]}),
            json!({"$schema": d4, "anyOf": [
                {"properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}},
                {"properties": {"a": {"not": {"type": "integer"}}, "b": {"not": {"type": "integer"}}}}
            ]}),
            "backward",
            json!({"a": 1, "b": 1.0}),
        ),
        // The largest integers a double holds below 2^63 and 2^64 have float twins too; past
        // 2^63 the validator here takes such a float for a draft-04 `integer`, which
        // python-jsonschema does not (it refuses every float).
        (
            json!({"$schema": d4, "enum": [9_223_372_036_854_774_784_i64]}),
            json!({"$schema": d4, "type": "integer"}),
            "backward",
            json!(9_223_372_036_854_774_784.0_f64),
        ),
        (
            json!({"$schema": d4, "enum": [18_446_744_073_709_549_568_u64]}),
            json!({"$schema": d4, "type": "integer"}),
            "backward",
            json!(18_446_744_073_709_549_568.0_f64),
        ),
        (
            json!({"$schema": d4, "enum": [[1, 1]]}),
            json!({"$schema": d4, "anyOf": [
                {"items": {"type": "integer"}},
                {"items": {"not": {"type": "integer"}}}
            ]}),
            "backward",
            json!([1, 1.0]),
        ),
    ];
    let mut wrong = Vec::new();
    for (old, new, direction, value) in cases {
        let report = compare_schemas(&old, &new, &Options::default(), &[]).expect("compares");
        let verdict = match direction {
            "backward" => &report.backward,
            _ => &report.forward,
        };
        if verdict.verdict == Verdict::Compatible {
            wrong.push(format!(
                "{old} -> {new}: {direction} called compatible, but {value} breaks it"
            ));
        }
        // Where a witness is shown, it holds for the validator the tool uses.
        let (producer, reader) = if direction == "backward" {
            (&old, &new)
        } else {
            (&new, &old)
        };
        let (vp, vr) = (validator(producer), validator(reader));
        for change in &report.changes {
            let effect = if direction == "backward" {
                &change.backward
            } else {
                &change.forward
            };
            if let (Effect::Incompatible { witness }, Some(vp), Some(vr)) = (effect, &vp, &vr) {
                assert!(
                    vp.is_valid(witness) && !vr.is_valid(witness),
                    "{old} -> {new}: witness {witness}"
                );
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Witnesses the validator here confirms and python-jsonschema does not, because a keyword
/// validators disagree on decides them: `idn-email` (python refuses "" and "x", the validator
/// here accepts them), `dependencies` in a 2020-12 document under `not` (python ignores it).
/// No such witness may be shown; the change stays unknown.
#[test]
fn no_witness_rests_on_a_keyword_validators_disagree_on() {
    let cases = [
        (
            json!({"type": "string", "format": "email"}),
            json!({"type": "string", "format": "idn-email"}),
        ),
        (
            json!({"not": {"dependencies": {"c": ["b"]}}}),
            json!({"not": {"dependencies": {"c": ["b"]}}, "properties": {"c": {"type": "string"}}}),
        ),
        (
            json!({"type": "string", "format": "idn-hostname"}),
            json!({"type": "string", "maxLength": 3}),
        ),
    ];
    for (old, new) in cases {
        let report = compare_schemas(&old, &new, &Options::default(), &[]).expect("compares");
        for change in &report.changes {
            for effect in [&change.backward, &change.forward] {
                assert!(
                    !matches!(effect, Effect::Incompatible { .. }),
                    "{old} -> {new}: {effect:?}"
                );
            }
        }
        assert_ne!(
            report.backward.verdict,
            Verdict::Compatible,
            "{old} -> {new}"
        );
    }
}

/// A subschema that declares another draft than its document is refused, naming where; the
/// same draft spelled another way (with or without the trailing `#`) is not.
#[test]
fn a_subschema_of_another_draft_is_refused() {
    let d7 = "http://json-schema.org/draft-07/schema#";
    let plain = json!({"type": "integer"});
    let mixed = json!({
        "$schema": d7,
        "definitions": {"x": {"items": [{"$schema": "https://json-schema.org/draft/2020-12/schema",
                                          "maximum": 3}]}},
        "$ref": "#/definitions/x"
    });
    for (old, new, side) in [(&mixed, &plain, "old"), (&plain, &mixed, "new")] {
        let err = compare_schemas(old, new, &Options::default(), &[])
            .expect_err("two drafts in one document");
        let text = err.to_string();
        assert!(text.contains(side), "{text}");
        assert!(text.contains("/definitions/x/items/0"), "{text}");
        assert!(text.contains("another draft"), "{text}");
    }
    let same = json!({
        "$schema": d7,
        "definitions": {"x": {"$schema": "http://json-schema.org/draft-07/schema", "type": "integer"}},
        "$ref": "#/definitions/x"
    });
    assert!(compare_schemas(&same, &plain, &Options::default(), &[]).is_ok());
}
