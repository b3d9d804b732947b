//! `--summary`: the aggregate of a run (counts by event type and verdict, problems grouped by
//! type, JSON Pointer and kind) instead of a record per input, in the human and JSON formats.
//! Every JSON summary is checked by serde_json and `report.schema.json`, and must be exactly the
//! aggregate of the per-input `--format json` report of the same input
//! (`properties::aggregate`, written apart from evschema's own).

use std::io::Write;
use std::sync::OnceLock;

use evcontract::{Catalog, Engine, UnknownFields, Values};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{Value, json};

use crate::properties::{self, SUMMARY_FORMATS, Truth, aggregate, check_summary};
use crate::support::{
    AUTH, CALL_BAD_DATE, Live, MIXED_MAX_LINE, Outcome, TempDir, compact, evschema, evschema_env,
    fixture, has_ansi, mixed_input, root,
};

/// An auth event without its `uuid` and with an unknown key `key`: two problems.
fn auth_broken(key: &str) -> String {
    let mut event: Value = serde_json::from_str(&compact(AUTH)).expect("JSON");
    let object = event.as_object_mut().expect("an object");
    object.remove("uuid");
    object.insert(key.to_owned(), json!(1));
    event.to_string()
}

/// The mixed input (lines 1 to 7: valid, valid, invalid, unparsable, blank, too large, valid),
/// then line 8: an auth event with two problems, 9: the same two problems, 10: the invalid
/// call_state of line 3 again, 11: another unparsable line.
fn summary_input() -> String {
    format!(
        "{}{}\n{}\n{}\n[1,\n",
        mixed_input(),
        auth_broken("bogus"),
        auth_broken("bogus"),
        compact(CALL_BAD_DATE)
    )
}

/// `evschema validate --max-line-bytes MIXED_MAX_LINE ARGS events.ndjson` in a folder holding
/// `events.ndjson` = `input`.
fn run(input: &str, args: &[&str]) -> Outcome {
    let dir = TempDir::new("summary");
    dir.write("events.ndjson", input);
    let mut all = vec!["validate", "--max-line-bytes", MIXED_MAX_LINE];
    all.extend_from_slice(args);
    all.push("events.ndjson");
    evschema(dir.path(), &all, "")
}

/// The JSON summary of a run, checked (one line, `report.schema.json`, counts that add up)
/// against the truth of the per-input JSON report of the same run.
#[track_caller]
fn json_summary(outcome: &Outcome, per_input: &Outcome) -> Value {
    let truth = Truth::from_json_report(&per_input.stdout);
    if let Err(err) = check_summary("json", &outcome.stdout, &truth, false) {
        panic!("{err}\n{}", outcome.stdout);
    }
    serde_json::from_str(&outcome.stdout).expect("checked JSON")
}

#[test]
fn the_json_summary_of_a_mixed_input_field_by_field() {
    let input = summary_input();
    let outcome = run(&input, &["--summary", "--format", "json"]);
    let per_input = run(&input, &["--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(per_input.code, 1);
    assert!(outcome.stderr.is_empty(), "{}", outcome.stderr);
    let summary = json_summary(&outcome, &per_input);
    assert_eq!(summary["summary"], true);
    assert_eq!(summary["inputs"], 11);
    assert_eq!(summary["events"], 10);
    assert_eq!(summary["sources"], 1);
    assert_eq!(summary["ignored_files"], 0);
    assert_eq!(summary["interrupted"], false);
    assert_eq!(summary["exit_code"], 1);
    assert_eq!(
        summary["verdicts"],
        json!({
            "valid": 3, "invalid": 4, "parse_error": 2, "too_large": 1, "too_deep": 0,
            "io_error": 0, "internal_error": 0, "blank": 1,
        })
    );
    assert_eq!(
        summary["by_type"],
        json!([
            { "type": "auth", "verdict": "valid", "count": 1 },
            { "type": "auth", "verdict": "invalid", "count": 2 },
            { "type": "call_state", "verdict": "valid", "count": 2 },
            { "type": "call_state", "verdict": "invalid", "count": 2 },
            { "type": null, "verdict": "parse_error", "count": 2 },
            { "type": null, "verdict": "too_large", "count": 1 },
            { "type": null, "verdict": "blank", "count": 1 },
        ])
    );
    let problems = summary["problems"].as_array().expect("problems");
    let shape: Vec<(Value, &str, &str, u64)> = problems
        .iter()
        .map(|p| {
            (
                p["type"].clone(),
                p["pointer"].as_str().expect("a pointer"),
                p["kind"].as_str().expect("a kind"),
                p["count"].as_u64().expect("a count"),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (json!("auth"), "/bogus", "unknown_field", 2),
            (json!("auth"), "/uuid", "required", 2),
            (json!("call_state"), "/created_on", "format", 2),
            (Value::Null, "", "parse", 2),
            (Value::Null, "", "too_large", 1),
        ]
    );
    // Each group's first example is its first problem in input order, as the JSON report
    // names and places it.
    let report = per_input.report();
    for (group, line) in problems.iter().zip([8, 8, 3, 4, 6]) {
        let error = report
            .errors(line)
            .into_iter()
            .find(|e| e.pointer == group["pointer"] && e.kind == group["kind"])
            .expect("the first example is one of the record's errors");
        let mut first = json!({
            "source": "events.ndjson",
            "line": line,
            "message": error.message,
        });
        if let Some(column) = error.column {
            first["column"] = column.into();
        }
        assert_eq!(group["first"], first, "{group}");
    }
    assert!(problems[4]["first"].get("column").is_none());
    assert_eq!(
        problems[2]["first"]["message"],
        "expected a UTC timestamp with milliseconds, like 2024-02-19T16:06:00.210Z, found \
         \"2024-02-20 16:41:36.253Z\""
    );
    assert_eq!(problems[3]["first"]["column"], 16);
    assert_eq!(summary["problems_total"], 5);
    assert_eq!(summary["problems_omitted"], 0);
    assert_eq!(summary["problems_other"], 0);
}

/// The summary is the aggregate of the per-input JSON report, on inputs of every kind: the
/// mixed NDJSON input, the fixtures (one-event files, in folders), several sources with
/// standard input among them; whatever `--top`.
#[test]
fn the_summary_is_the_aggregate_of_the_per_input_report() {
    let dir = TempDir::new("aggregate");
    dir.write("events.ndjson", summary_input());
    dir.write("a.json", fixture(CALL_BAD_DATE));
    let inputs: [&[&str]; 3] = [
        &["events.ndjson"],
        &["events.ndjson", "fixtures/invalid", "a.json", "-"],
        &["fixtures"],
    ];
    dir.symlink(root().join("fixtures"), "fixtures");
    for paths in inputs {
        let run = |extra: &[&str]| {
            let mut args = vec!["validate", "--max-line-bytes", MIXED_MAX_LINE];
            args.extend_from_slice(extra);
            args.extend_from_slice(paths);
            evschema(dir.path(), &args, summary_input())
        };
        let per_input = run(&["--format", "json"]);
        per_input.report();
        for (top, args) in [
            (20, &["--summary", "--format", "json"][..]),
            (0, &["--summary", "--format", "json", "--top", "0"]),
            (2, &["--summary", "--format", "json", "--top", "2"]),
        ] {
            let outcome = run(args);
            assert_eq!(outcome.code, per_input.code, "{paths:?}");
            let got = json_summary(&outcome, &per_input);
            let want = aggregate(&per_input.stdout, top).expect("a JSON report");
            assert_eq!(got, want, "{paths:?} {args:?}");
        }
    }
}

/// Records are aggregated in input order in the thread that writes the report: the summary is
/// the same whatever the number of threads, for NDJSON lines and for one-event files.
#[test]
fn the_summary_does_not_depend_on_jobs() {
    let dir = TempDir::new("summary-jobs");
    let mut input = String::new();
    for i in 0..40 {
        input.push_str(&summary_input());
        // Groups that differ by line, so "first" depends on the order.
        input.push_str(&auth_broken(&format!("k{}", i % 7)));
        input.push('\n');
    }
    dir.write("events.ndjson", &input);
    let kinds = [
        fixture(AUTH),
        fixture(CALL_BAD_DATE),
        "{\"type\": \"call_state\",".to_owned(),
        auth_broken("extra"),
    ];
    for i in 0..150 {
        dir.write(
            &format!("files/{:03}/e{i}.json", i % 7),
            &kinds[i % kinds.len()],
        );
    }
    for format in SUMMARY_FORMATS {
        let run = |jobs: &str| {
            let outcome = evschema(
                dir.path(),
                &[
                    "validate",
                    "--summary",
                    "--format",
                    format,
                    "--max-line-bytes",
                    MIXED_MAX_LINE,
                    "--jobs",
                    jobs,
                    "events.ndjson",
                    "files",
                ],
                "",
            );
            assert_eq!(outcome.code, 1, "{}", outcome.stderr);
            outcome.stdout
        };
        let one = run("1");
        assert!(one.contains("k6"), "{one}");
        assert_eq!(run("2"), one, "{format} --jobs 2");
        assert_eq!(run("4"), one, "{format} --jobs 4");
    }
}

/// 25 groups of one problem each, and one of two: `--top` shows the most frequent.
#[test]
fn top_shows_the_most_frequent_groups_and_says_what_is_left_out() {
    let mut input = String::new();
    for i in 0..25 {
        input.push_str(&format!("{{\"type\":\"auth\",\"k{i:02}\":1}}\n"));
    }
    input.push_str("{\"type\":\"auth\",\"k24\":1}\n");
    let per_input = run(&input, &["--format", "json"]);
    let json = |top: &[&str]| {
        let mut args = vec!["--summary", "--format", "json"];
        args.extend_from_slice(top);
        json_summary(&run(&input, &args), &per_input)
    };
    // Every line misses the same required keys (one group each, 26 problems), and has one
    // unknown key.
    let all = json(&["--top", "0"]);
    let total = all["problems_total"].as_u64().expect("a count");
    assert!(total > 25, "{all}");
    assert_eq!(
        all["problems"].as_array().map(Vec::len),
        Some(total as usize)
    );
    assert_eq!(all["problems_omitted"], 0);
    let default = json(&[]);
    assert_eq!(default["problems"].as_array().map(Vec::len), Some(20));
    assert_eq!(default["problems_omitted"], total - 20);
    assert_eq!(
        default["problems"],
        json!(all["problems"].as_array().expect("")[..20])
    );
    let three = json(&["--top", "3"]);
    assert_eq!(three["problems"].as_array().map(Vec::len), Some(3));
    assert_eq!(three["problems_omitted"], total - 3);
    assert_eq!(three["problems_total"], total);
    // Sorted by count: k24 (2) comes before k00 (1), after the required keys (26).
    let pointers: Vec<&str> = all["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["pointer"].as_str())
        .filter(|p| p.starts_with("/k"))
        .collect();
    assert_eq!(pointers[..3], ["/k24", "/k00", "/k01"]);

    let human = run(&input, &["--summary", "--top", "3", "--color", "never"]).stdout;
    let omitted = total - 3;
    assert!(
        human.contains(&format!(
            "Problems by type, pointer and kind: the 3 most frequent of {total} groups\n"
        )),
        "{human}"
    );
    assert!(
        human.contains(&format!(
            "\n{omitted} more groups not shown: --top 0 shows every group, --format json \
             without --summary every problem\n"
        )),
        "{human}"
    );
    let everything = run(&input, &["--summary", "--top", "0", "--color", "never"]).stdout;
    assert!(!everything.contains("not shown"), "{everything}");
    assert_eq!(
        everything.matches("first at events.ndjson:").count() as u64,
        total
    );
}

#[test]
fn summary_works_with_human_and_json_only() {
    let dir = TempDir::new("summary-usage");
    dir.write("events.ndjson", mixed_input());
    for format in ["junit", "github", "sarif"] {
        let outcome = evschema(
            dir.path(),
            &["validate", "--summary", "--format", format, "events.ndjson"],
            "",
        );
        assert_eq!(outcome.code, 2, "{format}");
        assert_eq!(outcome.stdout, "");
        assert_eq!(
            outcome.stderr,
            format!(
                "evschema: --summary works with --format human or --format json only, not \
                 --format {format} (it reports each input; use it without --summary)\n"
            )
        );
    }
    // --top is an option of --summary, and a number of groups.
    for (args, says) in [
        (&["--top", "3"][..], "--summary"),
        (&["--summary", "--top", "x"], "--top"),
        (&["--summary", "--top", "-1"], "-1"),
        (&["--summary", "--top=-1"], "--top"),
    ] {
        let mut all = vec!["validate"];
        all.extend_from_slice(args);
        all.push("events.ndjson");
        let outcome = evschema(dir.path(), &all, "");
        assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.stderr);
        assert!(outcome.stdout.is_empty());
        assert!(
            outcome.stderr.contains(says),
            "{args:?}: {}",
            outcome.stderr
        );
    }
}

/// Exit codes depend on the verdicts, not on the report.
#[test]
fn exit_codes_do_not_depend_on_the_summary() {
    let dir = TempDir::new("summary-exit");
    dir.write("valid.ndjson", format!("{}\n", compact(AUTH)));
    dir.write("mixed.ndjson", mixed_input());
    dir.write("empty.ndjson", "");
    dir.write("deep.ndjson", format!("{}\n", "[".repeat(200)));
    for (args, code) in [
        (&["valid.ndjson"][..], 0),
        (&["mixed.ndjson"], 1),
        (&["empty.ndjson"], 1),
        (&["--allow-empty", "empty.ndjson"], 0),
        (&["deep.ndjson"], 1),
        (&["missing.ndjson"], 3),
        (&["valid.ndjson", "missing.ndjson"], 3),
    ] {
        for format in SUMMARY_FORMATS {
            for summary in [false, true] {
                let mut all = vec!["validate", "--format", format];
                if summary {
                    all.push("--summary");
                }
                all.extend_from_slice(args);
                let outcome = evschema(dir.path(), &all, "");
                assert_eq!(outcome.code, code, "{all:?}: {}", outcome.stderr);
            }
        }
    }
}

/// Internal errors (check and render), I/O errors (a damaged archive, a missing file), too deep
/// and too large inputs and blank lines: each in both tables (by type and verdict, and, but for
/// blank lines, which have no problem, as a problem of its kind).
#[test]
fn every_verdict_is_counted_with_its_kind() {
    let dir = TempDir::new("summary-kinds");
    let auth = compact(AUTH);
    let mut archive = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    archive
        .write_all(format!("{auth}\n{auth}\n").as_bytes())
        .expect("in memory");
    let mut damaged = archive.finish().expect("in memory");
    damaged.truncate(damaged.len() - 12);
    dir.write("damaged.ndjson.gz", damaged);
    let stream = format!(
        "{auth}\n{{\"type\":\"auth\",\"CHECK-FAULT\":1}}\n{{\"type\":\"auth\",\"RENDER-FAULT\":1}}\n\
         \n{}\n{}\n",
        "[".repeat(200),
        "x".repeat(5000)
    );
    let run = |fault: &str, extra: &[&str]| {
        let mut args = vec![
            "validate",
            "--max-line-bytes",
            MIXED_MAX_LINE,
            "damaged.ndjson.gz",
            "missing.json",
            "-",
        ];
        args.extend_from_slice(extra);
        evschema_env(
            dir.path(),
            &args,
            &[("EVSCHEMA_FAULT", fault)],
            stream.clone(),
        )
    };
    for fault in ["check:CHECK-FAULT", "render:RENDER-FAULT"] {
        let per_input = run(fault, &["--format", "json"]);
        assert_eq!(per_input.code, 3, "{}", per_input.stderr);
        let outcome = run(fault, &["--summary", "--format", "json"]);
        assert_eq!(outcome.code, 3, "{}", outcome.stderr);
        let summary = json_summary(&outcome, &per_input);
        assert_eq!(summary, aggregate(&per_input.stdout, 20).expect("JSON"));
        let verdict = |verdict: &str| -> u64 {
            summary["by_type"]
                .as_array()
                .expect("by_type")
                .iter()
                .filter(|r| r["verdict"] == verdict && r["type"].is_null())
                .filter_map(|r| r["count"].as_u64())
                .sum()
        };
        let kind = |kind: &str| -> u64 {
            summary["problems"]
                .as_array()
                .expect("problems")
                .iter()
                .filter(|p| p["kind"] == kind && p["type"].is_null())
                .filter_map(|p| p["count"].as_u64())
                .sum()
        };
        assert_eq!((verdict("io_error"), kind("io")), (2, 2), "{summary}");
        assert_eq!(
            (verdict("internal_error"), kind("internal")),
            (1, 1),
            "{summary}"
        );
        assert_eq!((verdict("too_deep"), kind("too_deep")), (1, 1), "{summary}");
        assert_eq!(
            (verdict("too_large"), kind("too_large")),
            (1, 1),
            "{summary}"
        );
        assert_eq!(verdict("blank"), 1, "{summary}");
        // The RENDER fault's event parsed (its type is known); the internal error replaces it.
        let internal = summary["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .find(|p| p["kind"] == "internal")
            .expect("an internal problem");
        assert_eq!(internal["first"]["source"], "<stdin>");
        assert_eq!(
            internal["first"]["line"],
            2 + u64::from(fault.starts_with("render"))
        );
        let human = run(fault, &["--summary", "--color", "never"]);
        assert_eq!(human.code, 3);
        let truth = Truth::from_json_report(&per_input.stdout);
        if let Err(err) = check_summary("human", &human.stdout, &truth, false) {
            panic!("{err}\n{}", human.stdout);
        }
        for kind in ["io", "internal", "too_deep", "too_large"] {
            assert!(
                human.stdout.contains(&format!("  {kind} ")),
                "{kind}:\n{}",
                human.stdout
            );
        }
    }
}

/// Past 16 MiB of group text (long unknown keys, each quoted in its message), a problem of a new
/// group is counted in `problems_other`, stated in both formats; every count stays exact.
#[test]
fn past_the_limit_new_groups_are_counted_not_kept() {
    let events = 3000;
    let mut input = String::new();
    for i in 0..events {
        input.push_str(&auth_broken(&format!("{i:05}{}", "k".repeat(4000))));
        input.push('\n');
    }
    let dir = TempDir::new("summary-limit");
    dir.write("events.ndjson", &input);
    let run = |args: &[&str]| {
        let mut all = vec!["validate", "--summary", "--color", "never"];
        all.extend_from_slice(args);
        all.push("events.ndjson");
        evschema(dir.path(), &all, "")
    };
    let outcome = run(&["--format", "json", "--top", "0"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    let summary: Value = serde_json::from_str(&outcome.stdout).expect("one JSON object");
    let other = summary["problems_other"].as_u64().expect("a count");
    let total = summary["problems_total"].as_u64().expect("a count");
    assert!(other > 0 && total < events, "{other} {total}");
    // Every problem is in a group or in other: the required `uuid` of every event, and one
    // unknown key each.
    let grouped: u64 = summary["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["count"].as_u64())
        .sum();
    assert_eq!(grouped + other, 2 * events);
    assert_eq!(summary["problems"][0]["count"], events, "the uuid group");
    assert_eq!(
        summary["by_type"],
        json!([{ "type": "auth", "verdict": "invalid", "count": events }])
    );
    let human = run(&[]).stdout;
    assert!(
        human.contains(&format!(
            "\n{other} more problems not in any group: past 100000 groups or 16 MiB of their \
             text, problems of new groups are only counted; --format json without --summary \
             gives every problem\n"
        )),
        "{}",
        &human[human.len().saturating_sub(2000)..]
    );
}

#[test]
fn quiet_changes_nothing_and_mask_keeps_values_out() {
    let input = summary_input();
    for format in SUMMARY_FORMATS {
        let plain = run(&input, &["--summary", "--format", format]);
        let quiet = run(&input, &["--summary", "--format", format, "--quiet"]);
        assert_eq!(plain.stdout, quiet.stdout, "{format}");
        assert!(plain.stdout.contains("2024-02-20 16:41:36.253Z"));
        let masked = run(&input, &["--summary", "--format", format, "--mask"]);
        assert!(
            !masked.stdout.contains("2024-02-20 16:41:36.253Z"),
            "{}",
            masked.stdout
        );
        assert!(masked.stdout.contains("/created_on"), "{}", masked.stdout);
    }
}

#[test]
fn colour_as_the_human_format() {
    let input = summary_input();
    let never = run(&input, &["--summary", "--color", "never"]).stdout;
    assert!(!has_ansi(&never));
    assert_eq!(
        run(&input, &["--summary"]).stdout,
        never,
        "no colour on a pipe"
    );
    let always = run(&input, &["--summary", "--color", "always"]).stdout;
    assert!(has_ansi(&always));
    let per_input = run(&input, &["--format", "json"]);
    let truth = Truth::from_json_report(&per_input.stdout);
    check_summary("human", &always, &truth, true).expect("well-formed in colour");
    let json = run(
        &input,
        &["--summary", "--format", "json", "--color", "always"],
    )
    .stdout;
    assert!(!has_ansi(&json));
}

/// SIGINT while a producer is silent: the aggregate of what was read comes out all the same,
/// saying the run was interrupted (exit 130), and adds up. (Without a report line to wait for,
/// how many of the lines written were read before the signal is not known: the counts must
/// agree with each other, whatever they are.)
#[test]
fn an_interrupted_run_still_gives_its_summary() {
    for format in SUMMARY_FORMATS {
        let dir = TempDir::new("summary-interrupt");
        let mut live = Live::spawn(
            dir.path(),
            &[
                "validate",
                "--summary",
                "--format",
                format,
                "--color",
                "never",
            ],
        );
        live.write(
            format!(
                "{}\n{}\n{{\"type\":\n",
                compact(AUTH),
                compact(CALL_BAD_DATE)
            )
            .as_bytes(),
        );
        live.wait_until_catching(2);
        live.signal("INT");
        let outcome = live.finish();
        assert_eq!(outcome.code, 130, "{format}: {outcome:#?}");
        if format == "json" {
            let summary: Value = serde_json::from_str(&outcome.stdout).expect("one JSON object");
            assert_eq!(summary["interrupted"], true);
            assert_eq!(summary["exit_code"], 130);
            let inputs = summary["inputs"].as_u64().expect("a count");
            assert!(inputs <= 3, "{summary}");
            let counted: u64 = summary["by_type"]
                .as_array()
                .expect("by_type")
                .iter()
                .filter_map(|r| r["count"].as_u64())
                .sum();
            assert_eq!(counted, inputs, "{summary}");
        } else {
            let last = outcome.stdout.lines().last().unwrap_or_default();
            assert!(
                last.ends_with("; interrupted before the end"),
                "{}",
                outcome.stdout
            );
            assert!(outcome.stdout.starts_with("Events by type and verdict\n"));
        }
    }
}

#[track_caller]
fn snapshot(format: &str) {
    let outcome = run(
        &summary_input(),
        &["--summary", "--format", format, "--color", "never"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    insta::assert_snapshot!(
        format!("summary_{format}"),
        format!("exit code: {}\n---\n{}", outcome.code, outcome.stdout)
    );
}

#[test]
fn human_snapshot() {
    snapshot("human");
}

#[test]
fn json_snapshot() {
    snapshot("json");
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let files = evcontract::files::read_catalog(&root().join("schemas")).expect("schemas/");
        let catalog = Catalog::new(&files, UnknownFields::Deny).expect("schemas/ compiles");
        Engine::new(
            catalog,
            evcontract::validate::models_match(&files),
            Values::Show,
        )
    })
}

/// Lines of every kind, several problems and types among them, and hostile text.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let auth = compact(AUTH);
    prop_oneof![
        3 => Just(auth.clone().into_bytes()),
        2 => Just(compact(CALL_BAD_DATE).into_bytes()),
        2 => (0..4_u8).prop_map(|k| auth_broken(&format!("k{k}")).into_bytes()),
        1 => Just(b"{\"type\": \"auth\",".to_vec()),
        1 => Just(b" ".to_vec()),
        1 => Just(vec![b'x'; 300]),
        1 => Just(b"{\"type\":\"caf\xe9\"}".to_vec()),
        1 => Just("{\"type\":\"auth\",\"\u{1b}]0;t\u{7}\u{2028}\":1}".as_bytes().to_vec()),
        1 => Just(format!("{}1{}", "[".repeat(130), "]".repeat(130)).into_bytes()),
        1 => Just(b"{\"type\":\"auth\",\"x\":1,\"x\":2}".to_vec()),
    ]
}

proptest! {
    #![proptest_config(Config {
        cases: 48,
        rng_seed: RngSeed::Fixed(0x0e7e_0016),
        failure_persistence: None,
        ..Config::default()
    })]

    /// For any mix of lines, under any file name, the JSON summary (whatever `--top`) is the
    /// aggregate of the per-input JSON report, and both summary formats are well-formed
    /// (`properties::check_rendering`, which the fuzz target and the unit tests run too, here
    /// with lines of up to 4096 bytes, so that events are read).
    #[test]
    fn the_summary_is_the_aggregate_of_the_records(
        lines in prop::collection::vec(line(), 1..40),
        name in prop::sample::select(vec![&b""[..], b"e.ndjson", b"caf\xe9 \x1b[2J\xe2\x80\xa8.ndjson"]),
    ) {
        let mut data = vec![u8::try_from(name.len()).expect("short")];
        data.extend_from_slice(name);
        for line in &lines {
            data.extend_from_slice(line);
            data.push(b'\n');
        }
        if let Err(err) = properties::check_rendering_lines(engine(), &data, 4096) {
            return Err(TestCaseError::fail(err));
        }
    }
}
