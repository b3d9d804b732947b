//! The public JSON parsing conformance suite (JSONTestSuite's `test_parsing`, vendored in
//! `tests/data/JSONTestSuite` with its licence) through the real binary, in every format: as
//! files (a folder run), and each file as one NDJSON line.
//!
//! - `y_` files are JSON but not events: `invalid`; except the two with a repeated key, which
//!   the contract refuses on purpose (consumers disagree on which value wins): `parse_error`;
//! - `n_` files are not JSON: `parse_error`;
//! - `i_` files are implementation-defined: `invalid` or `parse_error`, never a crash;
//! - files nested past the limit (128 levels: `n_structure_100000_opening_arrays`,
//!   `i_structure_500_nested_arrays`) are `too_deep`, whatever they hold after it.
//!
//! As NDJSON lines, files holding a line feed are left out (they are not one line), as are
//! files holding a carriage return (a final CR ends a CRLF line); a file that is only white
//! space is a `blank` line there.

use std::path::PathBuf;

use crate::properties::{self, FORMATS, Truth};
use crate::support::{TempDir, evschema};

fn suite() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/JSONTestSuite/test_parsing")
}

/// The suite's files, sorted by name (the order evschema reads a folder in).
fn files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(suite())
        .expect("the vendored suite is there")
        .map(|e| {
            let path = e.expect("an entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("ASCII names")
                .to_owned();
            (name, std::fs::read(&path).expect("a suite file reads"))
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 318, "the suite has 318 files");
    files
}

/// Whether `bytes` open 128 levels of arrays and objects (outside strings) before they end.
fn past_the_depth_limit(bytes: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'[' | b'{') => depth += 1,
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > evcontract::parse::MAX_DEPTH {
            return true;
        }
    }
    false
}

/// Whether `verdict` is right for the file `name` holding `bytes`.
fn expected(name: &str, bytes: &[u8], verdict: &str) -> bool {
    const REPEATED_KEYS: [&str; 2] = [
        "y_object_duplicated_key.json",
        "y_object_duplicated_key_and_value.json",
    ];
    if past_the_depth_limit(bytes) {
        return verdict == "too_deep";
    }
    match &name[..2] {
        "y_" if REPEATED_KEYS.contains(&name) => verdict == "parse_error",
        "y_" => verdict == "invalid",
        "n_" => verdict == "parse_error",
        "i_" => matches!(verdict, "invalid" | "parse_error"),
        _ => false,
    }
}

#[track_caller]
fn check_every_format(dir: &std::path::Path, args: &[&str], stdin: Vec<u8>) -> Truth {
    let run = |format: &str| {
        let mut all = vec!["validate", "--format", format];
        all.extend_from_slice(args);
        evschema(dir, &all, stdin.clone())
    };
    let json = run("json");
    let truth = Truth::from_json_report(&json.stdout);
    for format in FORMATS {
        let outcome = run(format);
        assert_eq!(outcome.code, 1, "{format}: {}", outcome.stderr);
        if let Err(err) = properties::check(format, &outcome.stdout, &truth, false) {
            panic!("{err}");
        }
    }
    truth
}

#[test]
fn every_file_of_the_suite_as_a_json_file() {
    let dir = TempDir::new("suite");
    let folder = suite();
    let folder = folder.to_str().expect("a UTF-8 path");
    let truth = check_every_format(dir.path(), &[folder], Vec::new());
    let files = files();
    assert_eq!(truth.verdicts.len(), files.len());
    let deep: Vec<&str> = files
        .iter()
        .filter(|(_, bytes)| past_the_depth_limit(bytes))
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        deep,
        [
            "i_structure_500_nested_arrays.json",
            "n_structure_100000_opening_arrays.json",
            "n_structure_open_array_object.json"
        ]
    );
    let wrong: Vec<String> = files
        .iter()
        .zip(&truth.verdicts)
        .filter(|((name, bytes), verdict)| !expected(name, bytes, verdict))
        .map(|((name, _), verdict)| format!("{name}: {verdict}"))
        .collect();
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}

#[test]
fn every_one_line_file_of_the_suite_as_an_ndjson_line() {
    let dir = TempDir::new("suite-lines");
    let lines: Vec<(String, Vec<u8>)> = files()
        .into_iter()
        .filter(|(_, bytes)| !bytes.contains(&b'\n') && !bytes.contains(&b'\r'))
        .collect();
    assert!(lines.len() > 250, "only {} one-line files", lines.len());
    let mut stream = Vec::new();
    for (_, bytes) in &lines {
        stream.extend_from_slice(bytes);
        stream.push(b'\n');
    }
    let truth = check_every_format(dir.path(), &["-"], stream);
    assert_eq!(truth.verdicts.len(), lines.len());
    let wrong: Vec<String> = lines
        .iter()
        .zip(&truth.verdicts)
        .filter(|((name, bytes), verdict)| {
            let blank = bytes.iter().all(|b| matches!(b, b' ' | b'\t'));
            if blank {
                verdict.as_str() != "blank"
            } else {
                !expected(name, bytes, verdict)
            }
        })
        .map(|((name, _), verdict)| format!("{name}: {verdict}"))
        .collect();
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}
