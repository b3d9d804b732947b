//! Property test of the breaking-change check on random pairs of schemas built from every
//! keyword family: whenever a direction is called compatible, no value of a broad pool (every
//! test value of the JSON Schema Test Suite, plus hand-picked ones) is accepted by that
//! direction's producer and refused by its reader; whenever a change is called incompatible,
//! its witness holds under an independently compiled validator.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use evcontract::compat::{Effect, Options, Verdict, compare_schemas};
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

/// One keyword family's fragment of a schema, with subschemas from `sub`.
fn fragment(sub: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    let key = prop::sample::select(vec!["a", "b", "c"]);
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
        sub.clone()
            .prop_map(|s| json!({"patternProperties": {"^x": s}})),
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
    )
        .prop_map(|(old, other, extra, which, how)| {
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
            (old, new)
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
        cases: 400,
        rng_seed: RngSeed::Fixed(0x5EED_C04A),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&evolution(), |(old, new)| {
        let (Some(vo), Some(vn)) = (validator(&old), validator(&new)) else {
            return Ok(());
        };
        let report = compare_schemas(&old, &new, &Options::default(), &[])
            .map_err(|e| TestCaseError::fail(format!("refused {old} -> {new}: {e}")))?;
        for (direction, verdict, producer, reader) in [
            ("backward", report.backward.verdict, &vo, &vn),
            ("forward", report.forward.verdict, &vn, &vo),
        ] {
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
            for (effect, producer, reader) in
                [(&change.backward, &vo, &vn), (&change.forward, &vn, &vo)]
            {
                if let Effect::Incompatible { witness } = effect {
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
}
