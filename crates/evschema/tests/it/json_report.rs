//! `--format json`: one object per input line or file, then one summary that adds up.

use crate::support::{
    AUTH, BAD_DATE, CALL_BAD_DATE, CALL_INIT, CALL_RINGING, MIXED_MAX_LINE, MIXED_VERDICTS,
    TempDir, evschema, fixture, mixed_input, root,
};

#[test]
fn one_object_per_ndjson_line_then_a_summary_that_adds_up() {
    let dir = TempDir::new("jsonreport");
    let input = mixed_input();
    dir.write("events.ndjson", &input);
    let outcome = evschema(
        dir.path(),
        &[
            "validate",
            "--format",
            "json",
            "--max-line-bytes",
            MIXED_MAX_LINE,
            "events.ndjson",
        ],
        "",
    );
    // `report` checks every line parses, the fields and their types, one summary last, and
    // that the summary's counts add up to the records.
    let report = outcome.report();
    let lines = input.lines().count() as u64;
    assert_eq!(report.records.len() as u64, lines);
    assert_eq!(report.summary["inputs"], lines);
    assert_eq!(report.summary["events"], lines - 1);
    assert_eq!(report.summary["sources"], 1);
    assert_eq!(report.summary["interrupted"], false);
    let expected: Vec<(u64, String)> = MIXED_VERDICTS
        .iter()
        .map(|&(l, v)| (l, v.to_owned()))
        .collect();
    assert_eq!(report.verdicts(), expected);
    for record in &report.records {
        assert_eq!(record["source"], "events.ndjson");
    }
    assert_eq!(report.record(1)["type"], "auth");
    assert_eq!(report.record(2)["type"], "call_state");
    assert_eq!(report.record(3)["type"], "call_state");
    assert!(report.record(4)["type"].is_null());
    let errors = report.errors(3);
    assert!(
        errors
            .iter()
            .any(|e| e.pointer == "/created_on" && e.message.contains(BAD_DATE)),
        "{errors:#?}"
    );
}

#[test]
fn one_object_per_json_file() {
    let root = root();
    let outcome = evschema(&root, &["validate", "--format", "json", "fixtures"], "");
    let report = outcome.report();
    assert_eq!(outcome.code, 1);
    let files = count_files(&root.join("fixtures"), "json");
    assert_eq!(report.records.len(), files);
    // `.expect` files and READMEs are passed over, and counted.
    let ignored =
        count_files(&root.join("fixtures"), "expect") + count_files(&root.join("fixtures"), "md");
    assert_eq!(report.summary["ignored_files"], ignored as u64);
    for record in &report.records {
        assert_eq!(record["line"], 1, "{record}");
        let source = record["source"].as_str().expect("a source");
        let expected = if source.starts_with("fixtures/valid/") {
            "valid"
        } else {
            "invalid"
        };
        assert_eq!(record["verdict"], expected, "{record}");
    }
}

fn count_files(dir: &std::path::Path, extension: &str) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("a fixture folder reads") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            n += count_files(&path, extension);
        } else if path.extension().is_some_and(|e| e == extension) {
            n += 1;
        }
    }
    n
}

#[test]
fn several_sources_are_reported_in_order() {
    let dir = TempDir::new("sources");
    dir.write("a.json", fixture(AUTH));
    dir.write("b.ndjson", mixed_input());
    dir.write("c.json", fixture(CALL_BAD_DATE));
    let outcome = evschema(
        dir.path(),
        &[
            "validate",
            "--format",
            "json",
            "--max-line-bytes",
            MIXED_MAX_LINE,
            "a.json",
            "b.ndjson",
            "c.json",
        ],
        "",
    );
    let report = outcome.report();
    let sources: Vec<&str> = report
        .records
        .iter()
        .map(|r| r["source"].as_str().unwrap_or_default())
        .collect();
    let mut expected = vec!["a.json"];
    expected.extend(std::iter::repeat_n("b.ndjson", MIXED_VERDICTS.len()));
    expected.push("c.json");
    assert_eq!(sources, expected);
    assert_eq!(report.summary["sources"], 3);
}

/// Lines are validated in parallel but reported in input order: the report does not depend
/// on the number of threads.
#[test]
fn the_report_does_not_depend_on_jobs() {
    let dir = TempDir::new("jobs");
    let mut input = String::new();
    for _ in 0..50 {
        input.push_str(&mixed_input());
    }
    dir.write("events.ndjson", &input);
    let run = |jobs: &str| {
        let outcome = evschema(
            dir.path(),
            &[
                "validate",
                "--format",
                "json",
                "--max-line-bytes",
                MIXED_MAX_LINE,
                "--jobs",
                jobs,
                "events.ndjson",
            ],
            "",
        );
        outcome.report();
        outcome.stdout
    };
    let one = run("1");
    assert_eq!(one.lines().count(), 50 * MIXED_VERDICTS.len() + 1);
    assert_eq!(run("2"), one);
    assert_eq!(run("4"), one);
}

/// One-event files are read and checked in parallel, in batches, but reported in the order
/// found: a folder of many files (more than one batch, each kind of verdict among them) gets
/// the same report, in every format that shows the failing file's text, whatever the threads.
#[test]
fn a_folder_of_files_reports_the_same_whatever_the_jobs() {
    let dir = TempDir::new("files-jobs");
    let kinds = [
        fixture(CALL_INIT),
        fixture(AUTH),
        fixture(CALL_BAD_DATE),
        "{\"type\": \"call_state\",".to_owned(),
        "x".repeat(5000),
        fixture(CALL_RINGING),
    ];
    for i in 0..150 {
        dir.write(
            &format!("events/{:03}/e{i}.json", i % 7),
            &kinds[i % kinds.len()],
        );
    }
    dir.write("events/notes.txt", "not an event");
    let run = |format: &str, jobs: &str| {
        let outcome = evschema(
            dir.path(),
            &[
                "validate",
                "--format",
                format,
                "--max-file-bytes",
                "4096",
                "--jobs",
                jobs,
                "events",
            ],
            "",
        );
        assert_eq!(outcome.code, 1, "{}", outcome.stderr);
        outcome
    };
    let one = run("json", "1");
    let report = one.report();
    assert_eq!(report.summary["sources"], 150);
    assert_eq!(one.stdout.lines().count(), 151);
    for jobs in ["2", "4"] {
        assert_eq!(run("json", jobs).stdout, one.stdout, "--jobs {jobs}");
    }
    let human = run("human", "1").stdout;
    assert!(human.contains(BAD_DATE), "{human}");
    assert_eq!(run("human", "2").stdout, human);
}
