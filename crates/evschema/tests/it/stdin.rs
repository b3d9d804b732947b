//! Standard input: `-` and no path both read NDJSON from it, and a slow producer's events are
//! reported as they arrive.

use crate::support::{
    AUTH, CALL_INIT, Live, MIXED_MAX_LINE, MIXED_VERDICTS, TempDir, compact, evschema, fixture,
    mixed_input,
};

#[test]
fn dash_and_no_path_read_ndjson_from_standard_input() {
    let dir = TempDir::new("stdin");
    let base = [
        "validate",
        "--format",
        "json",
        "--max-line-bytes",
        MIXED_MAX_LINE,
    ];
    let no_path = evschema(dir.path(), &base, mixed_input());
    let mut with_dash = base.to_vec();
    with_dash.push("-");
    let dash = evschema(dir.path(), &with_dash, mixed_input());
    let report = no_path.report();
    dash.report();
    assert_eq!(no_path.stdout, dash.stdout);
    assert_eq!(no_path.code, 1);
    assert_eq!(dash.code, 1);
    assert_eq!(report.records.len(), MIXED_VERDICTS.len());
    for record in &report.records {
        assert_eq!(record["source"], "<stdin>");
    }
    // The same lines from a file get the same verdicts.
    dir.write("events.ndjson", mixed_input());
    let mut from_file = base.to_vec();
    from_file.push("events.ndjson");
    let file = evschema(dir.path(), &from_file, "");
    assert_eq!(
        file.stdout
            .replace("\"source\":\"events.ndjson\"", "\"source\":\"<stdin>\""),
        dash.stdout
    );
}

#[test]
fn standard_input_beside_files() {
    let dir = TempDir::new("stdinfiles");
    dir.write("a.json", fixture(AUTH));
    let outcome = evschema(
        dir.path(),
        &["validate", "--format", "json", "a.json", "-"],
        format!("{}\n", compact(CALL_INIT)),
    );
    let report = outcome.report();
    assert_eq!(outcome.code, 0, "{}", outcome.stdout);
    let sources: Vec<&str> = report
        .records
        .iter()
        .map(|r| r["source"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(sources, ["a.json", "<stdin>"]);
    assert_eq!(report.summary["sources"], 2);
}

/// A slow producer: each event's verdict is reported before the next event is written, and
/// before the stream ends.
#[test]
fn verdicts_of_a_slow_stream_show_as_events_arrive() {
    let dir = TempDir::new("slow");
    let mut live = Live::spawn(dir.path(), &["validate", "--format", "json"]);
    for (i, path) in [AUTH, CALL_INIT, AUTH].into_iter().enumerate() {
        live.write(format!("{}\n", compact(path)).as_bytes());
        let line = live.next_line();
        let record: serde_json::Value = serde_json::from_str(&line).expect("a JSON record");
        assert_eq!(record["line"], i as u64 + 1, "{line}");
        assert_eq!(record["verdict"], "valid", "{line}");
    }
    live.close_stdin();
    let outcome = live.finish();
    let report = outcome.report();
    assert_eq!(outcome.code, 0);
    assert_eq!(report.records.len(), 3);
}
