//! `evschema compat OLD NEW`: exit codes and the three formats.

use serde_json::Value;

use crate::support::{TempDir, evschema, root};

/// A copy of the committed catalog in `dir/name`, with `edit` applied to every schema file
/// that defines `CallState` (the type's own schema and the any-event schema).
fn catalog_copy(dir: &TempDir, name: &str, edit: impl Fn(&mut Value)) -> String {
    let target = dir.mkdir(name);
    for entry in std::fs::read_dir(root().join("schemas")).expect("schemas/ reads") {
        let path = entry.expect("an entry").path();
        let mut value: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("a schema reads")).expect("JSON");
        if value.pointer("/$defs/CallState").is_some() {
            edit(&mut value);
        }
        let name = path.file_name().expect("a file name");
        std::fs::write(target.join(name), value.to_string()).expect("the copy is written");
    }
    name.to_owned()
}

#[test]
fn exit_codes_follow_the_verdict_in_the_mode() {
    let dir = TempDir::new("compat");
    let old = catalog_copy(&dir, "old", |_| {});
    let new = catalog_copy(&dir, "new", |s| {
        s["$defs"]["CallState"]["enum"]
            .as_array_mut()
            .expect("an enum")
            .push("failed".into());
    });
    let run = |args: &[&str]| evschema(dir.path(), args, "").code;
    assert_eq!(run(&["compat", &old, &old]), 0);
    // A new call state breaks readers still on the old schema, not readers of old events.
    assert_eq!(run(&["compat", &old, &new, "--mode", "backward"]), 0);
    assert_eq!(run(&["compat", &old, &new, "--mode", "forward"]), 1);
    assert_eq!(run(&["compat", &old, &new]), 1);
    assert_eq!(run(&["compat", &old, "missing"]), 2);
    assert_eq!(run(&["compat", &old, &new, "--mode", "sideways"]), 2);
}

#[test]
fn every_format_names_the_rule_and_the_witness() {
    let dir = TempDir::new("compat-formats");
    let old = catalog_copy(&dir, "old", |_| {});
    let new = catalog_copy(&dir, "new", |s| {
        s["$defs"]["Direction"]["enum"] = serde_json::json!(["in"]);
    });
    for format in ["human", "markdown", "json"] {
        let outcome = evschema(dir.path(), &["compat", &old, &new, "--format", format], "");
        assert_eq!(outcome.code, 1, "{format}: {}", outcome.stderr);
        assert!(
            outcome.stdout.contains("ENUM_VALUE_REMOVED"),
            "{format}: {}",
            outcome.stdout
        );
        assert!(outcome.stdout.contains("/call/direction"), "{format}");
        assert!(
            outcome.stdout.to_lowercase().contains("changelog"),
            "{format}"
        );
    }
    let outcome = evschema(dir.path(), &["compat", &old, &new, "--format", "json"], "");
    let report: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
    assert_eq!(report["verdict"], "incompatible");
    let change = &report["changes"][0];
    assert_eq!(change["backward"]["verdict"], "incompatible");
    assert_eq!(change["backward"]["witness"]["call"]["direction"], "out");
}

/// A key and a value built to attack each format: terminal escapes (title, colour, C1's CSI), a
/// line break and a line separator that would forge a report line, a bidirectional override,
/// and Markdown's own syntax (code-span backticks, a table's pipe, HTML, a link).
const HOSTILE_KEY: &str =
    "k\u{1b}]0;t\u{7}\nFORGED: compatible | `x` <b>b</b> [l](http://e)\u{2028}\u{202e}\u{85}";
const HOSTILE_VALUE: &str = "v\u{9b}31m\u{2029}`|<i>";

/// Two plain schema files whose changes all sit at the hostile key: its type changes (both
/// directions break) and a hostile value is added to an enum under it (forward breaks).
fn hostile_pair(dir: &TempDir) {
    let old = serde_json::json!({
        "type": "object",
        "properties": {HOSTILE_KEY: {"type": "string"}, "e": {"enum": ["a"]}}
    });
    let new = serde_json::json!({
        "type": "object",
        "properties": {HOSTILE_KEY: {"type": "integer"}, "e": {"enum": ["a", HOSTILE_VALUE]}}
    });
    dir.write("old.json", old.to_string());
    dir.write("new.json", new.to_string());
}

/// What a terminal obeys or a line reader splits on, other than the report's own line ends.
fn terminal_hazard(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}')
}

#[test]
fn hostile_keys_and_values_are_shown_never_obeyed_in_every_format() {
    let dir = TempDir::new("compat-hostile");
    hostile_pair(&dir);
    let run = |format: &str| {
        let outcome = evschema(
            dir.path(),
            &["compat", "old.json", "new.json", "--format", format],
            "",
        );
        assert_eq!(outcome.code, 1, "{format}: {}", outcome.stderr);
        outcome.stdout
    };

    // JSON: one line, the key and the value kept exactly as data.
    let json = run("json");
    assert_eq!(json.lines().count(), 1, "{json}");
    assert!(!json.chars().any(terminal_hazard), "{json:?}");
    let report: Value = serde_json::from_str(&json).expect("one JSON document");
    let changes = report["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2, "{report:#}");
    let pointer = opentact_events::json::pointer::child("", HOSTILE_KEY);
    assert!(changes.iter().any(|c| c["pointer"] == pointer.as_str()));
    let forward: Vec<&Value> = changes.iter().map(|c| &c["forward"]["witness"]).collect();
    assert!(
        forward.iter().any(|w| w["e"] == HOSTILE_VALUE),
        "{forward:?}"
    );

    // Human: nothing obeyed, and exactly the report's lines: a header, two direction lines,
    // four lines per change, the changelog's title and one line per change.
    let human = run("human");
    assert!(!human.chars().any(terminal_hazard), "{human:?}");
    assert!(!human.lines().any(|l| l.starts_with("FORGED")), "{human}");
    assert_eq!(human.lines().count(), 3 + 4 * 2 + 2 + 2, "{human}");
    assert!(
        human.contains("`/k\\u{1b}]0;t\\u{7}\\u{a}FORGED: compatible"),
        "{human}"
    );
    assert!(human.contains("\\u{9b}31m\\u{2029}"), "{human}");

    // Markdown, read by a CommonMark parser with GitHub's tables: one table of two rows of
    // four cells, a changelog of two items, no HTML, no link; the key shown in a code span.
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let markdown = run("markdown");
    assert!(!markdown.chars().any(terminal_hazard), "{markdown:?}");
    let events: Vec<Event> = Parser::new_ext(&markdown, Options::ENABLE_TABLES).collect();
    let mut rows: Vec<usize> = Vec::new();
    let mut items = 0;
    let mut code: Vec<String> = Vec::new();
    let mut in_body = false;
    for event in &events {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                assert!(
                    ["<details>", "<summary>", "</summary>", "</details>"]
                        .iter()
                        .any(|ours| html.trim() == *ours
                            || html.trim() == "<details><summary>Changelog</summary>"),
                    "HTML from the input: {html:?}\n{markdown}"
                );
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                panic!("a link from the input:\n{markdown}")
            }
            Event::End(TagEnd::TableHead) => in_body = true,
            Event::Start(Tag::TableRow) if in_body => rows.push(0),
            Event::Start(Tag::TableCell) if in_body => {
                *rows.last_mut().expect("a row") += 1;
            }
            Event::Start(Tag::Item) => items += 1,
            Event::Code(text) => code.push(text.to_string()),
            _ => {}
        }
    }
    assert_eq!(rows, [4, 4], "{markdown}");
    assert_eq!(items, 2, "{markdown}");
    let shown_key = "/k\\u{1b}]0;t\\u{7}\\u{a}FORGED: compatible | `x` <b>b<~1b> [l](http:~1~1e)\\u{2028}\\u{202e}\\u{85}";
    assert!(
        code.iter().filter(|c| c.as_str() == shown_key).count() >= 2,
        "the key in a table cell and in the changelog: {code:?}\n{markdown}"
    );
}

#[test]
fn a_ref_loop_a_schema_too_deep_or_of_two_drafts_is_a_usage_error() {
    let dir = TempDir::new("compat-loops");
    dir.write(
        "loop.json",
        r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"anyOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##,
    );
    dir.write("plain.json", r#"{"type": "string"}"#);
    let deep = format!("{}true{}", r#"{"items":"#.repeat(1000), "}".repeat(1000));
    dir.write("deep.json", deep);
    // A resource of another draft inside a draft-07 document: python-jsonschema applies
    // draft-07's rules inside it (`maximum` beside `$ref` ignored), other validators 2020-12's.
    dir.write(
        "mixed.json",
        r##"{"$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {"x": {"$id": "http://e.com/x",
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$ref": "#/$defs/y", "$defs": {"y": {"type": "integer"}}, "maximum": 3}},
            "$ref": "http://e.com/x"}"##,
    );
    for (old, new, says) in [
        ("loop.json", "plain.json", "old schema: a `$ref` loop"),
        ("plain.json", "loop.json", "new schema: a `$ref` loop"),
        ("deep.json", "plain.json", "deep.json"),
        (
            "plain.json",
            "mixed.json",
            "new schema: the subschema at /definitions/x declares another draft",
        ),
    ] {
        let outcome = evschema(dir.path(), &["compat", old, new], "");
        assert_eq!(outcome.code, 2, "{old} {new}: {}", outcome.stderr);
        assert!(
            outcome.stderr.contains(says),
            "{old} {new}: {}",
            outcome.stderr
        );
        assert!(outcome.stdout.is_empty(), "{}", outcome.stdout);
    }
}

/// A schema nested 1,000 levels through `$ref` (each level a property of the one before, so not
/// a loop, and too deep for no parser): compared in well under the time a CI job allows, and
/// decided, not crashed.
#[test]
fn a_thousand_levels_of_refs_are_compared_without_a_crash() {
    let dir = TempDir::new("compat-deep-refs");
    let chain = |leaf: &str| {
        let mut defs = serde_json::Map::new();
        for i in 0..1000 {
            defs.insert(
                format!("d{i}"),
                serde_json::json!({"type": "object", "properties": {"x": {"$ref": format!("#/$defs/d{}", i + 1)}}}),
            );
        }
        defs.insert("d1000".into(), serde_json::json!({"type": leaf}));
        serde_json::json!({"$defs": defs, "$ref": "#/$defs/d0"}).to_string()
    };
    dir.write("old.json", chain("string"));
    dir.write("new.json", chain("integer"));
    dir.write("same.json", chain("string"));
    let outcome = evschema(dir.path(), &["compat", "old.json", "same.json"], "");
    assert_eq!(outcome.code, 0, "{}{}", outcome.stdout, outcome.stderr);
    let outcome = evschema(
        dir.path(),
        &["compat", "old.json", "new.json", "--format", "json"],
        "",
    );
    assert!(
        outcome.code == 1,
        "a changed leaf is never compatible: {}{}",
        outcome.stdout,
        outcome.stderr
    );
    let report: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
    assert_ne!(report["verdict"], "compatible");
}

/// A panic inside `compat` (injected in debug builds) is exit code 3 with one message on
/// standard error, shown escaped, and no half-written report.
#[test]
fn a_panic_in_compat_is_an_internal_error_not_a_crash() {
    let dir = TempDir::new("compat-fault");
    dir.write("poisoned\u{1b}[31m.json", r#"{"type": "string"}"#);
    dir.write("plain.json", r#"{"type": "string"}"#);
    let outcome = crate::support::evschema_env(
        dir.path(),
        &["compat", "poisoned\u{1b}[31m.json", "plain.json"],
        &[("EVSCHEMA_FAULT", "compat:poisoned")],
        "",
    );
    assert_eq!(outcome.code, 3, "{}{}", outcome.stdout, outcome.stderr);
    assert!(outcome.stdout.is_empty(), "{}", outcome.stdout);
    assert!(
        outcome
            .stderr
            .starts_with("evschema: internal error: fault injected in compat"),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains('\u{1b}'), "{:?}", outcome.stderr);
    assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);
    // Without the fault, the same files compare.
    let outcome = evschema(
        dir.path(),
        &["compat", "poisoned\u{1b}[31m.json", "plain.json"],
        "",
    );
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
}

/// The three reports on one evolution of a plain schema file with a change of each effect: a
/// value added to an enum (compatible backward, broken forward), a lower bound relaxed, a
/// property added, and a pattern rewritten in a way the automata cannot compare (unknown).
#[test]
fn plain_file_reports_snapshot() {
    let dir = TempDir::new("compat-snapshot");
    let old = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["id", "state"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9]+$"},
            "state": {"enum": ["ringing", "live"]},
            "n": {"type": "integer", "minimum": 1}
        }
    });
    let new = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["id", "state"],
        "properties": {
            "id": {"type": "string", "pattern": "^\\d+$"},
            "state": {"enum": ["ringing", "live", "hangup"]},
            "n": {"type": "integer", "minimum": 0},
            "note": {"type": "string"}
        }
    });
    dir.write("old.json", old.to_string());
    dir.write("new.json", new.to_string());
    for format in ["human", "markdown", "json"] {
        let outcome = evschema(
            dir.path(),
            &["compat", "old.json", "new.json", "--format", format],
            "",
        );
        let stdout = if format == "json" {
            let value: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
            serde_json::to_string_pretty(&value).expect("a value serializes")
        } else {
            outcome.stdout
        };
        insta::assert_snapshot!(
            format!("compat_plain_{format}"),
            format!("exit code: {}\n---\n{stdout}", outcome.code)
        );
    }
}
