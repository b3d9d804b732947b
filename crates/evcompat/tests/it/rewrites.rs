//! Rewrites with the same meaning are proven equal: no change listed, compatible both ways.
//! Issue 17 found a negated `if` with `then`/`else` swapped and `dependentRequired` written as
//! `dependentSchemas` of `required` left unknown (exit 1), and an `anyOf` of 3,000 `const`s
//! against the same values as one `enum` listed 11,998 changes.

use evcompat::{Options, Verdict, compare_schemas};
use serde_json::{Value, json};

#[track_caller]
fn check(old: Value, new: Value) {
    for (a, b) in [(&old, &new), (&new, &old)] {
        let report = compare_schemas(a, b, &Options::default(), &[]).expect("both compile");
        assert!(
            report.changes.is_empty(),
            "{a} -> {b}: {:#?}",
            report.changes
        );
        assert_eq!(
            (report.backward.verdict, report.forward.verdict),
            (Verdict::Compatible, Verdict::Compatible),
            "{a} -> {b}"
        );
    }
}

const D7: &str = "http://json-schema.org/draft-07/schema#";

#[test]
fn a_negated_condition_with_its_branches_swapped() {
    check(
        json!({"if": {"properties": {"k": {"const": 1}}}, "then": {"required": ["a"]}, "else": {"required": ["b"]}}),
        json!({"if": {"not": {"properties": {"k": {"const": 1}}}}, "then": {"required": ["b"]}, "else": {"required": ["a"]}}),
    );
}

#[test]
fn a_double_negation() {
    check(
        json!({"not": {"not": {"type": "string"}}}),
        json!({"type": "string"}),
    );
}

#[test]
fn dependent_required_as_dependent_schemas_of_required() {
    check(
        json!({"dependentRequired": {"a": ["b", "c"]}}),
        json!({"dependentSchemas": {"a": {"required": ["b", "c"]}}}),
    );
}

#[test]
fn draft_7_dependencies_either_way() {
    check(
        json!({"$schema": D7, "dependencies": {"a": ["b"]}}),
        json!({"$schema": D7, "dependencies": {"a": {"required": ["b"]}}}),
    );
}

#[test]
fn a_one_of_of_disjoint_branches_as_an_any_of() {
    // Told apart by a tag, by types, and by bounds that do not meet.
    let tagged = |tag: &str| json!({"type": "object", "properties": {"t": {"const": tag}}, "required": ["t"]});
    check(
        json!({"oneOf": [tagged("a"), tagged("b")]}),
        json!({"anyOf": [tagged("a"), tagged("b")]}),
    );
    check(
        json!({"oneOf": [{"type": "string", "minLength": 2}, {"type": "integer"}]}),
        json!({"anyOf": [{"type": "string", "minLength": 2}, {"type": "integer"}]}),
    );
    check(
        json!({"oneOf": [{"type": "integer", "maximum": 0}, {"type": "integer", "minimum": 1}]}),
        json!({"anyOf": [{"type": "integer", "maximum": 0}, {"type": "integer", "minimum": 1}]}),
    );
}

#[test]
fn consts_as_one_enum() {
    let values: Vec<String> = (0..300).map(|i| format!("v{i}")).collect();
    let branches: Vec<Value> = values.iter().map(|v| json!({"const": v})).collect();
    check(json!({"anyOf": branches}), json!({"enum": values}));
    check(json!({"oneOf": branches}), json!({"enum": values}));
    check(
        json!({"anyOf": [{"type": "string", "const": "a"}, {"enum": [1, "b"]}]}),
        json!({"enum": ["a", 1, "b"]}),
    );
}

#[test]
fn a_one_of_whose_branches_meet_is_not_an_any_of() {
    // Without `"type": "object"`, both branches accept `[]`, which the `oneOf` then refuses.
    let tagged = |tag: &str| json!({"properties": {"t": {"const": tag}}, "required": ["t"]});
    let old = json!({"oneOf": [tagged("a"), tagged("b")]});
    let new = json!({"anyOf": [tagged("a"), tagged("b")]});
    let report = compare_schemas(&old, &new, &Options::default(), &[]).expect("compiles");
    assert_eq!(report.forward.verdict, Verdict::Incompatible, "{report:#?}");
}

#[test]
fn a_one_of_of_overlapping_values_is_not_an_enum_of_all_of_them() {
    // "b" is listed by both branches, so the `oneOf` refuses it.
    let old = json!({"oneOf": [{"enum": ["a", "b"]}, {"enum": ["b", "c"]}]});
    let new = json!({"enum": ["a", "c"]});
    check(old, new);
}
