//! The validator's edges from field reports (issue 20), through every output format: each
//! report is checked by the real parser for its format (`properties::check`) and snapshotted.
//!
//! - nesting past the limit is `too_deep`, at the pointer where the limit was reached;
//! - a number past the range of a double is refused where it is (`double_range`), as written,
//!   and the rest of the event is still checked; a number past 64 bits shows as written;
//! - one fault is one problem: a short `uuid` or a malformed timestamp is one error in the words
//!   of its shape (the JSON report lists the keywords that failed);
//! - a key that must be absent, or is required, under a condition says the condition.

use serde_json::Value;

use crate::properties::{self, FORMATS, Truth};
use crate::support::{CALL_INIT, TempDir, compact, evschema};

const LIVE: &str = "valid/call_state/platform-call_state_live.json";

/// `fixture` as one line, with the first `from` replaced by `to`.
fn with(fixture: &str, from: &str, to: &str) -> String {
    let line = compact(fixture);
    assert!(line.contains(from), "{fixture} holds {from}");
    line.replacen(from, to, 1)
}

/// One line per edge, in this order.
fn edges() -> Vec<String> {
    vec![
        // 1: too deep, inside a slot of unspecified shape.
        with(
            LIVE,
            r#""call_record":null"#,
            &format!(r#""call_record":{{"n":{}"#, "[".repeat(300)),
        ),
        // 2: two numbers past a double, one in a `number` slot, one in an unspecified one
        // (keys come sorted: the first `balance` is the envelope's account's).
        with(LIVE, r#""balance":814.85626"#, r#""balance":-1E+400"#).replacen(
            r#""call_record":null"#,
            r#""call_record":{"n":1e400}"#,
            1,
        ),
        // 3: an integer past 64 bits, shown as written.
        with(
            LIVE,
            r#""duration":2,"#,
            r#""duration":18446744073709551616,"#,
        ),
        // 4: a uuid one character short: one error, not format + pattern + length.
        with(
            LIVE,
            r#""ref_id":"c7aa8c03-87d6-403d-8287-2211a1974fe3""#,
            r#""ref_id":"c7aa8c03-87d6-403d-8287-2211a1974fe""#,
        ),
        // 5: a timestamp with an offset: one error in the words of its shape.
        with(
            LIVE,
            r#""created_on":"2024-02-20T16:41:36.253Z""#,
            r#""created_on":"2024-02-20T16:41:36.253+00:00""#,
        ),
        // 6: a key that must be absent in this state, and why.
        with(
            CALL_INIT,
            r#""state":"init","#,
            r#""state":"init","answer_on":"2024-02-20T16:41:36.202Z","#,
        ),
        // 7: a key required in this state, and why.
        with(LIVE, r#""answer_on":"2024-02-20T16:41:36.202Z","#, ""),
    ]
}

fn run(dir: &TempDir, format: &str) -> (i32, String) {
    let outcome = evschema(
        dir.path(),
        &[
            "validate",
            "--color",
            "never",
            "--format",
            format,
            "edges.ndjson",
        ],
        "",
    );
    let base = format!("file://{}/", dir.path().display());
    (
        outcome.code,
        outcome.stdout.replace(&base, "file:///WORKING-FOLDER/"),
    )
}

#[test]
fn every_format_reports_the_edges_well_formed() {
    let dir = TempDir::new("edges");
    let mut text = edges().join("\n");
    text.push('\n');
    dir.write("edges.ndjson", &text);
    let (code, json) = run(&dir, "json");
    assert_eq!(code, 1, "{json}");
    let truth = Truth::from_json_report(&json);
    assert_eq!(
        truth.verdicts,
        [
            "too_deep", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid"
        ]
    );
    // One problem per fault: 1 + 2 + 1 + 1 + 1 + 1 + 1.
    assert_eq!(truth.problems, 8, "{json}");
    for format in FORMATS {
        let (code, report) = run(&dir, format);
        assert_eq!(code, 1, "{format}");
        if let Err(err) = properties::check(format, &report, &truth, false) {
            panic!("{err}\n{report}");
        }
        insta::assert_snapshot!(format!("edges_{format}"), report);
    }

    let records: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let errors = |line: usize| -> Vec<(String, String, String, Vec<String>)> {
        records[line - 1]["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                let keywords = e["keywords"]
                    .as_array()
                    .map(|k| {
                        k.iter()
                            .filter_map(|k| k.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                (
                    e["pointer"].as_str().unwrap_or_default().to_owned(),
                    e["kind"].as_str().unwrap_or_default().to_owned(),
                    e["message"].as_str().unwrap_or_default().to_owned(),
                    keywords,
                )
            })
            .collect()
    };
    let [(pointer, kind, message, keywords)] = &errors(1)[..] else {
        panic!("one error: {json}");
    };
    assert_eq!(
        (pointer.as_str(), kind.as_str(), keywords.len()),
        (
            format!("/call_record/n{}", "/0".repeat(125)).as_str(),
            "too_deep",
            0
        )
    );
    assert!(message.contains("past the limit of 127"), "{message}");

    let double: Vec<(String, String)> = errors(2)
        .into_iter()
        .map(|(p, k, m, _)| {
            assert!(m.contains("read as infinity"), "{m}");
            (p, k)
        })
        .collect();
    assert_eq!(
        double,
        [
            ("/account/balance".into(), "double_range".into()),
            ("/call_record/n".into(), "double_range".into())
        ]
    );
    assert!(errors(2)[0].2.contains("found -1E+400,"));
    assert!(
        errors(3)[0].2.ends_with("found 18446744073709551616"),
        "{json}"
    );

    let [(_, kind, message, keywords)] = &errors(4)[..] else {
        panic!("one error for a short uuid: {json}");
    };
    assert_eq!(kind, "format");
    assert_eq!(keywords, &["format", "pattern", "minLength"]);
    assert!(message.starts_with("expected a UUID in 8-4-4-4-12 hexadecimal form, like "));
    let [(_, kind, message, keywords)] = &errors(5)[..] else {
        panic!("one error for a timestamp with an offset: {json}");
    };
    assert_eq!((kind.as_str(), keywords.len()), ("pattern", 2));
    assert!(
        message.starts_with(
            "expected a UTC timestamp with milliseconds, like 2024-02-19T16:06:00.210Z, found"
        ),
        "{message}"
    );
    assert_eq!(
        errors(6)[0].2,
        "`answer_on` must be absent when `state` is \"init\""
    );
    assert_eq!(
        errors(7)[0].2,
        "missing required key `answer_on`, required when `state` is \"live\""
    );
}

/// One line with 4,000 problems (unknown keys, each with a non-ASCII value before it so that
/// columns count characters, not bytes), and a pretty file with as many: every format reports
/// every problem, well-formed, each at its own line and column. (Locating each problem with a
/// walk from the start of the text took time quadratic in them: 16,000 such keys in one 200 KB
/// line took 59 s. `cargo run --release -p evbench --bin many-problems` measures it.)
#[test]
fn every_format_reports_thousands_of_problems_on_one_line() {
    let n = 4_000;
    let mut event: Value = serde_json::from_str(&compact(LIVE)).expect("the live example is JSON");
    let object = event.as_object_mut().expect("an event is an object");
    for i in 0..n {
        object.insert(format!("zz_{i:05}"), Value::from(format!("名{i}")));
    }
    let line = serde_json::to_string(&event).expect("it serializes");
    let pretty = serde_json::to_string_pretty(&event).expect("it serializes");
    let dir = TempDir::new("many-problems");
    dir.write("many.ndjson", format!("{line}\n"));
    dir.write("many.json", &pretty);
    for (file, text) in [("many.ndjson", &line), ("many.json", &pretty)] {
        let report = |format: &str| {
            let outcome = evschema(
                dir.path(),
                &[
                    "validate",
                    "--color",
                    "never",
                    "--max-line-bytes",
                    "10000000",
                    "--format",
                    format,
                    file,
                ],
                "",
            );
            assert_eq!(outcome.code, 1, "{format} {file}");
            outcome.stdout
        };
        let json = report("json");
        let truth = Truth::from_json_report(&json);
        assert_eq!((truth.verdicts.len(), truth.problems), (1, n), "{file}");
        // Each problem where its key is: the line, and the column in characters.
        let record: Value =
            serde_json::from_str(json.lines().next().expect("a record")).expect("a JSON record");
        for error in record["errors"].as_array().expect("errors") {
            let pointer = error["pointer"].as_str().expect("a pointer");
            let key = format!("\"{}\"", &pointer[1..]);
            let at = text.find(&key).expect("the key is in the text");
            let line = text[..at].matches('\n').count() + 1;
            let column = text[..at]
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count())
                + 1;
            assert_eq!(
                (error["line"].as_u64(), error["column"].as_u64()),
                (Some(line as u64), Some(column as u64)),
                "{pointer} in {file}"
            );
        }
        for format in FORMATS {
            let report = report(format);
            if let Err(err) = properties::check(format, &report, &truth, false) {
                panic!("{file}: {err}");
            }
        }
    }
}
