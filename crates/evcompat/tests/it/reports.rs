//! Reports a person and a pull request can hold, whatever the pair: a change with one cause
//! (a shared definition) is one change with its places counted; the Markdown report stays
//! under [`MARKDOWN_LIMIT`] characters and says what it left out; `--format json` lists
//! everything. Issue 17: nesting through shared `$defs` gave 4,993 changes and 2 MB of
//! Markdown; a GitHub comment holds 65,536 characters.

use evcompat::{MARKDOWN_LIMIT, Mode, Options, Report, Rule, compare_schemas, render_json};
use pulldown_cmark::{Event, Options as Md, Parser, Tag};
use serde_json::{Map, Value, json};

fn compare(old: &Value, new: &Value) -> Report {
    compare_schemas(old, new, &Options::default(), &[]).expect("both compile")
}

/// `levels` of `anyOf` with a branch under key `a` and one under `b`, each referring to the
/// level below: the leaf is at 2^levels places.
fn nested(levels: usize, leaf: &str) -> Value {
    let mut defs = Map::new();
    defs.insert("l0".into(), json!({"type": leaf}));
    for k in 1..=levels {
        let below = json!({"$ref": format!("#/$defs/l{}", k - 1)});
        let branch = |key: &str| json!({"type": "object", "properties": {key: below.clone()}, "required": [key]});
        defs.insert(
            format!("l{k}"),
            json!({"anyOf": [branch("a"), branch("b")]}),
        );
    }
    json!({"$defs": defs, "$ref": format!("#/$defs/l{levels}")})
}

/// The Markdown report, checked to be under the limit and read back by a CommonMark parser:
/// a table, no raw HTML but the `<details>` the report writes.
#[track_caller]
fn markdown(report: &Report) -> String {
    let text = evcompat::render_markdown(report, Mode::Full);
    assert!(
        text.chars().count() < MARKDOWN_LIMIT,
        "{} characters",
        text.chars().count()
    );
    let mut tables = 0;
    for event in Parser::new_ext(&text, Md::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Html(html) | Event::InlineHtml(html) => assert!(
                ["<details>", "<summary>", "</summary>", "</details>"]
                    .iter()
                    .any(|tag| html.contains(tag)),
                "{html}"
            ),
            _ => {}
        }
    }
    assert_eq!(tables, 1, "{text}");
    text
}

#[test]
fn a_shared_definition_is_one_change_at_all_its_places() {
    let report = compare(&nested(10, "integer"), &nested(10, "string"));
    let changes: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.rule == Rule::TypeChanged)
        .collect();
    assert_eq!(changes.len(), 1, "{:#?}", report.changes);
    let change = changes[0];
    assert_eq!(change.places, 1 << 10);
    assert_eq!(change.pointer, "/a/a/a/a/a/a/a/a/a/a");
    // Up to 999 more places are listed (the JSON report), each once.
    assert_eq!(change.other_places.len(), 999);
    let mut all: Vec<&String> = std::iter::once(&change.pointer)
        .chain(&change.other_places)
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 1000);
    let text = markdown(&report);
    assert!(text.contains("and 1,023 other places"), "{text}");
}

#[test]
fn nesting_twenty_levels_deep_is_still_one_change() {
    let report = compare(&nested(20, "integer"), &nested(20, "string"));
    let change = report
        .changes
        .iter()
        .find(|c| c.rule == Rule::TypeChanged)
        .expect("the leaf's type changed");
    assert_eq!(change.places, 1 << 20);
    markdown(&report);
}

#[test]
fn thousands_of_changes_stay_under_the_limit_and_json_lists_them_all() {
    let object = |t: &str| {
        let properties: Map<String, Value> = (0..1500)
            .map(|i| {
                (
                    format!("key_{i:04}"),
                    json!({"type": t, "description": "x".repeat(40)}),
                )
            })
            .collect();
        json!({"type": "object", "properties": properties})
    };
    let report = compare(&object("string"), &object("integer"));
    assert_eq!(report.changes.len(), 1500);
    let text = markdown(&report);
    assert!(
        text.contains("rows are left out to keep this comment short; `evschema compat --format json` lists every change"),
        "{}",
        &text[text.len() - 400..]
    );
    let json = render_json(&report, Mode::Full);
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(1500));
}

#[test]
fn an_enum_that_gained_thousands_of_values_is_one_row() {
    let values = |n: usize| -> Vec<String> { (0..n).map(|i| format!("v{i}")).collect() };
    let report = compare(&json!({"enum": values(10)}), &json!({"enum": values(5000)}));
    assert_eq!(report.changes.len(), 4990);
    let text = markdown(&report);
    assert!(text.contains("`ENUM_VALUE_ADDED` ×4,990"), "{text}");
    assert!(text.contains("4,990 changes (1 row)"), "{text}");
}
