//! Every output format on the same small mixed input (snapshots), and when colour is used.

use crate::support::{MIXED_MAX_LINE, TempDir, evschema, evschema_env, has_ansi, mixed_input};

/// Runs the mixed input from a file with a relative path in a temporary folder, so the report
/// holds no machine-specific path.
fn mixed(format: &str, extra: &[&str]) -> (i32, String) {
    let dir = TempDir::new("mixed");
    dir.write("events.ndjson", mixed_input());
    let mut args = vec![
        "validate",
        "--format",
        format,
        "--max-line-bytes",
        MIXED_MAX_LINE,
    ];
    args.extend_from_slice(extra);
    args.push("events.ndjson");
    let outcome = evschema(dir.path(), &args, "");
    // SARIF names the working folder (`originalUriBaseIds`): the same text on every machine.
    let base = format!("file://{}/", dir.path().display());
    let stdout = outcome.stdout.replace(&base, "file:///WORKING-FOLDER/");
    (outcome.code, stdout)
}

#[track_caller]
fn snapshot(format: &str, extra: &[&str]) {
    let (code, stdout) = mixed(format, extra);
    assert_eq!(code, 1, "{stdout}");
    insta::assert_snapshot!(
        format!("mixed_{format}"),
        format!("exit code: {code}\n---\n{stdout}")
    );
}

#[test]
fn human_snapshot() {
    snapshot("human", &["--color", "never"]);
}

#[test]
fn json_snapshot() {
    snapshot("json", &[]);
}

#[test]
fn junit_snapshot() {
    snapshot("junit", &[]);
}

#[test]
fn github_snapshot() {
    snapshot("github", &[]);
}

#[test]
fn sarif_snapshot() {
    snapshot("sarif", &[]);
    // The document is one JSON value, SARIF 2.1.0, with one result per problem.
    let (_, stdout) = mixed("sarif", &[]);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .len();
    let (_, json) = mixed("json", &[]);
    let problems: usize = json
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["errors"].as_array().map(Vec::len))
        .sum();
    assert_eq!(results, problems);
}

#[test]
fn junit_counts_add_up() {
    let (_, stdout) = mixed("junit", &[]);
    // 6 events (the blank line is not one), 3 of them failing.
    assert!(
        stdout.contains(r#"<testsuites name="evschema" tests="6" failures="3" errors="0">"#),
        "{stdout}"
    );
}

#[test]
fn colour_only_on_a_terminal_or_when_forced() {
    // Standard output is a pipe here: `auto` means no colour.
    let (_, plain) = mixed("human", &[]);
    assert!(!has_ansi(&plain), "colour on a pipe:\n{plain}");
    let (_, auto) = mixed("human", &["--color", "auto"]);
    assert!(!has_ansi(&auto), "colour on a pipe:\n{auto}");
    let (_, never) = mixed("human", &["--color", "never"]);
    assert!(!has_ansi(&never));
    let (_, always) = mixed("human", &["--color", "always"]);
    assert!(
        has_ansi(&always),
        "--color always gives no colour:\n{always}"
    );

    // NO_COLOR turns `auto` off (and only colour: the text is the same).
    let dir = TempDir::new("nocolor");
    dir.write("events.ndjson", mixed_input());
    let outcome = evschema_env(
        dir.path(),
        &[
            "validate",
            "--max-line-bytes",
            MIXED_MAX_LINE,
            "events.ndjson",
        ],
        &[("NO_COLOR", "1")],
        "",
    );
    assert!(!has_ansi(&outcome.stdout) && !has_ansi(&outcome.stderr));
    assert_eq!(outcome.stdout, never);

    // Colour is for the human format only.
    for format in ["json", "junit", "github", "sarif"] {
        let (_, out) = mixed(format, &["--color", "always"]);
        assert!(!has_ansi(&out), "{format} with --color always:\n{out}");
    }
}
