//! Each change carries its own effect: a proof for that change alone, or a witness that this
//! change (not another at the same place) makes the reader refuse. Issue 17: an enum value
//! replaced (`c` by `d`) credited `ENUM_VALUE_ADDED "d"` with the witness `c`.

use evcompat::{Change, Effect, Options, Report, Rule, Verdict, compare_schemas};
use serde_json::{Value, json};

fn compare(old: &Value, new: &Value) -> Report {
    compare_schemas(old, new, &Options::default(), &[]).expect("both schemas compile")
}

fn change<'r>(report: &'r Report, rule: Rule, detail: &str) -> &'r Change {
    report
        .changes
        .iter()
        .find(|c| c.rule == rule && c.detail.contains(detail))
        .unwrap_or_else(|| panic!("no {rule:?} {detail}: {:#?}", report.changes))
}

/// The effect in words: `compatible`, `witness <value>` or `unknown`.
fn said(effect: &Effect) -> String {
    match effect {
        Effect::Compatible { .. } => "compatible".into(),
        Effect::Incompatible { witness } => format!("witness {witness}"),
        Effect::Unknown { .. } => "unknown".into(),
    }
}

#[track_caller]
fn check(old: Value, new: Value, rule: Rule, detail: &str, expected: (&str, &str)) {
    let report = compare(&old, &new);
    let c = change(&report, rule, detail);
    assert_eq!(
        (said(&c.backward).as_str(), said(&c.forward).as_str()),
        expected,
        "{old} -> {new}: {c:#?}"
    );
}

#[test]
fn an_added_enum_value_never_breaks_backward_and_shows_itself_forward() {
    let (old, new) = (
        json!({"enum": ["a", "b", "c"]}),
        json!({"enum": ["a", "b", "d"]}),
    );
    check(
        old.clone(),
        new.clone(),
        Rule::EnumValueAdded,
        "\"d\"",
        ("compatible", "witness \"d\""),
    );
    check(
        old,
        new,
        Rule::EnumValueRemoved,
        "\"c\"",
        ("witness \"c\"", "compatible"),
    );
}

#[test]
fn the_same_holds_for_a_shared_definition_and_inside_objects() {
    let schema = |values: Value| json!({"$defs": {"S": {"enum": values}}, "properties": {"x": {"$ref": "#/$defs/S"}, "y": {"$ref": "#/$defs/S"}}});
    let (old, new) = (schema(json!(["a", "c"])), schema(json!(["a", "d"])));
    check(
        old.clone(),
        new.clone(),
        Rule::EnumValueAdded,
        "\"d\"",
        ("compatible", "witness {\"x\":\"d\"}"),
    );
    check(
        old,
        new,
        Rule::EnumValueRemoved,
        "\"c\"",
        ("witness {\"x\":\"c\"}", "compatible"),
    );
}

#[test]
fn a_witness_is_refused_only_where_its_change_is() {
    // Two changes: `n`'s minimum went down, `s` gained a value. The witness of the minimum
    // (forward: readers on the old schema) must not also carry the new value of `s`.
    let old =
        json!({"properties": {"n": {"minimum": 1}, "s": {"enum": ["a"]}}, "required": ["n", "s"]});
    let new = json!({"properties": {"n": {"minimum": 0}, "s": {"enum": ["a", "b"]}}, "required": ["n", "s"]});
    check(
        old.clone(),
        new.clone(),
        Rule::BoundsChanged,
        "minimum",
        ("compatible", "witness {\"n\":0,\"s\":\"a\"}"),
    );
    // The witness of the new value: readers on the old schema with that value added accept it.
    let report = compare(&old, &new);
    let Effect::Incompatible { witness } = &change(&report, Rule::EnumValueAdded, "\"b\"").forward
    else {
        panic!("{report:#?}");
    };
    let mut old_with_b = old.clone();
    old_with_b["properties"]["s"]["enum"] = json!(["a", "b"]);
    let validator = jsonschema::validator_for(&old_with_b).expect("compiles");
    assert!(
        validator.is_valid(witness) && witness["s"] == "b",
        "{witness}"
    );
}

#[test]
fn under_a_one_of_a_wider_branch_is_not_credited_compatible() {
    // `oneOf` refuses a value two branches accept: widening a branch's enum makes "b" meet
    // both, which readers on the new schema refuse. The change is in place under the `oneOf`,
    // where widening is not monotone: no proof from the change's own data.
    let old = json!({"oneOf": [{"enum": ["a"]}, {"type": "string"}]});
    let new = json!({"oneOf": [{"enum": ["a", "b"]}, {"type": "string"}]});
    let report = compare(&old, &new);
    assert_eq!(
        report.backward.verdict,
        Verdict::Incompatible,
        "{report:#?}"
    );
    for c in &report.changes {
        assert!(
            !matches!(c.backward, Effect::Compatible { .. }),
            "{c:#?} is called compatible backward, but \"b\" breaks it"
        );
    }
}

/// The changes as (rule, pointer, detail), sorted.
fn listed(report: &Report) -> Vec<(Rule, String, String)> {
    let mut out: Vec<(Rule, String, String)> = report
        .changes
        .iter()
        .map(|c| (c.rule, c.pointer.clone(), c.detail.clone()))
        .collect();
    out.sort_by(|a, b| (a.1.as_str(), a.2.as_str()).cmp(&(b.1.as_str(), b.2.as_str())));
    out
}

#[test]
fn a_place_that_comes_to_allow_nothing_is_one_change() {
    // `minLength: 5` beside `maxLength: 2` allows no string: one change at `/a`, not a change
    // of `type` and one of `minLength`.
    let old = json!({"properties": {"a": {"type": "string", "minLength": 2}}});
    let new = json!({"properties": {"a": {"type": "string", "minLength": 5, "maxLength": 2}}});
    let report = compare(&old, &new);
    assert_eq!(
        listed(&report),
        [(
            Rule::TypeNarrowed,
            "/a".to_owned(),
            "no value is allowed here any more".to_owned()
        )],
        "{report:#?}"
    );
    check(
        old.clone(),
        new.clone(),
        Rule::TypeNarrowed,
        "no value",
        ("witness {\"a\":\"abc\"}", "compatible"),
    );
    let back = compare(&new, &old);
    assert_eq!(
        listed(&back),
        [(
            Rule::TypeWidened,
            "/a".to_owned(),
            "no value was allowed here; now [\"string\"] are".to_owned()
        )],
        "{back:#?}"
    );
}

#[test]
fn changed_branches_of_a_tagged_union_are_paired_by_their_tag_in_any_order() {
    // Both branches changed and swapped places: each is compared with the old branch of the
    // same `kind` (its `const`), so the changes are the types of `p` and `q`, not a `kind`
    // changed from "a" to "b" and keys added and removed.
    let branch = |kind: &str, key: &str, t: &str| json!({"type": "object", "required": ["kind"], "properties": {"kind": {"const": kind}, key: {"type": t}}});
    let old = json!({"oneOf": [branch("a", "p", "string"), branch("b", "q", "string")]});
    let new = json!({"oneOf": [branch("b", "q", "integer"), branch("a", "p", "integer")]});
    let report = compare(&old, &new);
    let changed = |key: &str| {
        (
            Rule::TypeChanged,
            format!("/{key}"),
            "type [\"string\"] to [\"integer\"]".to_owned(),
        )
    };
    assert_eq!(listed(&report), [changed("p"), changed("q")], "{report:#?}");
    for (key, kind) in [("p", "a"), ("q", "b")] {
        let c = report
            .changes
            .iter()
            .find(|c| c.pointer == format!("/{key}"))
            .expect("listed");
        assert_eq!(
            (said(&c.backward), said(&c.forward)),
            (
                format!("witness {{\"kind\":\"{kind}\",\"{key}\":\"x\"}}"),
                format!("witness {{\"kind\":\"{kind}\",\"{key}\":0}}")
            ),
        );
    }
}

#[test]
fn a_change_proven_alone_names_the_keywords_that_show_it() {
    // Forward, `a` changing type breaks readers on the old schema; `b` added is shown harmless
    // by the object's keywords alone, and the proof says so.
    let old = json!({"properties": {"a": {"type": "string"}}, "required": ["a"]});
    let new = json!({"properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "required": ["a"]});
    let report = compare(&old, &new);
    assert_eq!(report.forward.verdict, Verdict::Incompatible, "{report:#?}");
    let Effect::Compatible { proof } = &change(&report, Rule::PropertyAdded, "`b`").forward else {
        panic!("{report:#?}");
    };
    assert_eq!(
        proof,
        "by the object's keys: everything the producing side allows here, the reading side accepts with this change alone"
    );
}
