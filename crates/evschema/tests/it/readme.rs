//! The README's examples run as shown: every `evschema` command in its `sh` blocks is run by a
//! shell, with the installed binary on the `PATH`, in a folder where the repository's
//! `fixtures/`, `releases/` and `schemas/` are at hand and the files the examples name as a
//! user's own (`events.ndjson`, `capture.ndjson.gz`, `call.json`, `captured/`, `producer`,
//! `OLD_DIR`, `NEW_DIR`, `old/`, `new/`) exist; each must end with the exit code the README
//! implies. The compiler-style report the README shows is what evschema prints.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::support::{AUTH, CALL_INIT, TempDir, compact, fixture, root};

/// The README's `evschema` commands and the exit code each must give (0: the example's events
/// are valid or its change compatible; 1: the change it shows breaks readers).
const EXPECTED: [(&str, i32); 12] = [
    ("evschema validate events.ndjson", 0),
    ("evschema validate capture.ndjson.gz", 0),
    ("evschema validate fixtures/valid/", 0),
    ("evschema validate call.json", 0),
    ("producer | evschema validate", 0),
    (
        "evschema validate --format json captured/ > report.ndjson",
        0,
    ),
    ("evschema validate --summary capture.ndjson.gz", 0),
    // releases/2.0.0 to schemas/ (2.0.1): year 0000 is refused now, which breaks backward.
    ("evschema compat OLD_DIR NEW_DIR --mode forward", 0),
    ("evschema compat OLD_DIR NEW_DIR --mode backward", 1),
    ("evschema compat OLD_DIR NEW_DIR", 1),
    (
        "evschema compat releases/2.0.0 schemas --format markdown",
        1,
    ),
    (
        "evschema compat old/order.schema.json new/order.schema.json --mode backward",
        0,
    ),
];

/// Every command line of the README's `sh` blocks that runs `evschema`, without its comment.
fn commands(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if let Some(info) = line.strip_prefix("```") {
            in_sh = !in_sh && matches!(info.trim(), "sh" | "bash" | "shell");
            continue;
        }
        let command = line.split("  #").next().unwrap_or_default().trim();
        if in_sh && command.split(' ').any(|word| word == "evschema") {
            out.push(command.to_owned());
        }
    }
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory")
}

/// A user's folder: their own events, and the repository's folders the examples name.
fn workspace() -> TempDir {
    let dir = TempDir::new("readme");
    let events = format!("{}\n{}\n", compact(AUTH), compact(CALL_INIT));
    dir.write("events.ndjson", &events);
    dir.write("capture.ndjson.gz", gzip(events.as_bytes()));
    dir.write("call.json", fixture(CALL_INIT));
    dir.write("captured/auth.json", fixture(AUTH));
    dir.write("captured/today.ndjson", &events);
    for folder in ["fixtures", "releases", "schemas"] {
        dir.symlink(root().join(folder), folder);
    }
    dir.symlink(root().join("releases/2.0.0"), "OLD_DIR");
    dir.symlink(root().join("schemas"), "NEW_DIR");
    let order = |id: &str| {
        format!(
            r#"{{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                "required": ["id"], "properties": {{"id": {{"type": {id}}}}}}}"#
        )
    };
    dir.write("old/order.schema.json", order(r#""string""#));
    // A wider type: readers on the new schema still read every old order.
    dir.write("new/order.schema.json", order(r#"["string", "integer"]"#));
    dir
}

#[test]
fn every_evschema_command_in_the_readme_runs_as_shown() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md reads");
    let found = commands(&readme);
    let known: Vec<&str> = EXPECTED.iter().map(|(c, _)| *c).collect();
    assert_eq!(
        found, known,
        "the README's evschema commands changed: list each here with its exit code"
    );
    let dir = workspace();
    let bin = Path::new(crate::support::BIN)
        .parent()
        .expect("the binary's folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (command, code) in EXPECTED {
        let output = Command::new("bash")
            .arg("-c")
            // `producer` stands for a program that writes events.
            .arg(format!("producer() {{ cat events.ndjson; }}\n{command}"))
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("bash runs");
        assert_eq!(
            output.status.code(),
            Some(code),
            "`{command}`\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The redirected report is there, one record per input and a summary.
    let report = std::fs::read_to_string(dir.path().join("report.ndjson")).expect("report");
    assert_eq!(report.lines().count(), 4, "{report}");
}

/// The human report the README shows is the one evschema prints for that fixture.
#[test]
fn the_readmes_report_is_what_evschema_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md reads");
    let start = readme
        .find("```text\nerror[")
        .expect("the README shows a human report")
        + "```text\n".len();
    let shown = &readme[start..start + readme[start..].find("```").expect("the block ends")];
    let path = "fixtures/invalid/call_state/created_on_space_separator.json";
    assert!(shown.contains(path), "{shown}");
    let output = Command::new(crate::support::BIN)
        .args(["validate", "--color", "never", path])
        .current_dir(root())
        .output()
        .expect("evschema runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.starts_with(shown),
        "the README shows:\n{shown}\nevschema prints:\n{printed}"
    );
}
