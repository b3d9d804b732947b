//! `Locator` finds many pointers in one text in linear time; it must give, for every pointer and
//! every offset, what the one-shot `locate`, `value_span` and `line_column` give, on JSON of any
//! shape and layout and on text that is not JSON at all.

use evcontract::locate::{Locator, line_column, locate, value_span};
use opentact_events::json::pointer::{push_index, push_token};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{Map, Value};

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x10ca_7e00),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Keys and strings drawn from a small set, so that objects repeat keys in their members'
/// values, keys need escaping, and text is not all ASCII.
fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "b", "a/b", "~0", "é", "名前", "\"q\"", "", "0", "1", "\n",
    ])
    .prop_map(str::to_owned)
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((word(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every pointer of `value`, and for each container a pointer one step past its end.
fn pointers(value: &Value, at: &mut String, out: &mut Vec<String>) {
    out.push(at.clone());
    let len = at.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                push_token(at, key);
                pointers(child, at, out);
                at.truncate(len);
            }
            push_token(at, "missing");
            out.push(at.clone());
            at.truncate(len);
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                push_index(at, i);
                pointers(child, at, out);
                at.truncate(len);
            }
            push_index(at, items.len());
            out.push(format!("{at}/deeper"));
            at.truncate(len);
        }
        _ => {
            at.push_str("/under");
            out.push(at.clone());
            at.truncate(len);
        }
    }
}

#[track_caller]
fn same_answers(text: &str, pointers: &[String]) {
    let locator = Locator::new(text);
    // Twice over, so the second pass reads the index the first one built.
    for _ in 0..2 {
        for pointer in pointers {
            assert_eq!(
                locator.locate(pointer),
                locate(text, pointer),
                "{pointer:?} in {text:?}"
            );
            assert_eq!(
                locator.value_span(pointer),
                value_span(text, pointer),
                "{pointer:?} in {text:?}"
            );
        }
    }
    for offset in 0..=text.len() + 1 {
        assert_eq!(
            locator.line_column(offset),
            line_column(text, offset),
            "offset {offset} in {text:?}"
        );
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn the_index_finds_what_the_walk_finds(value in json(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        }
        .expect("values serialize");
        let mut all = Vec::new();
        pointers(&value, &mut String::new(), &mut all);
        all.extend(["no-slash", "/", "//", "/01", "/+1", "/-1"].map(str::to_owned));
        same_answers(&text, &all);
    }

    #[test]
    fn the_index_finds_what_the_walk_finds_in_any_text(
        text in "[{}\\[\\]\",: a1\\\\\né名]{0,40}",
        pointers in prop::collection::vec("(/[a1é\"]{0,2}){0,3}", 0..8),
    ) {
        same_answers(&text, &pointers);
    }
}

#[test]
fn a_repeated_key_is_found_at_its_first_member() {
    let text = r#"{"a": 1, "a": [2, {"b": 3}], "c": {"d": "\u0065"}}"#;
    same_answers(text, &["/a", "/a/1/b", "/c/d", "/c/e"].map(str::to_owned));
    assert_eq!(
        Locator::new(text).value_span("/a").map(|r| &text[r]),
        Some("1")
    );
}

/// One event with many problems, the reason `Locator` exists: 20,000 pointers into one 400 KB
/// line, each found where the walk finds it. (Its speed is measured by `cargo run --release -p
/// evbench --bin many_problems`, not here.)
#[test]
fn many_pointers_in_one_long_line() {
    let n = 20_000;
    let mut text = String::from("{\"é\": 0");
    for i in 0..n {
        text.push_str(&format!(", \"key{i}\": [\"名{i}\"]"));
    }
    text.push('}');
    let locator = Locator::new(&text);
    for i in (0..n).rev() {
        let span = locator.locate(&format!("/key{i}/0")).expect("a pointer");
        assert_eq!(&text[span.bytes.clone()], format!("\"名{i}\""));
        if i % 997 == 0 {
            assert_eq!(
                span,
                locate(&text, &format!("/key{i}/0")).expect("a pointer")
            );
        }
    }
}
