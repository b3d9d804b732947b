//! Every valid fixture passes the schema and the model and round-trips; every invalid one is
//! refused by both, with exactly the errors recorded next to it.

use evcontract::fixtures::{check, parse_expectation, render_reports};

use crate::support::{engine, fixtures};

#[test]
fn every_fixture_does_what_it_must() {
    let mut problems = Vec::new();
    for fixture in fixtures() {
        problems.extend(
            check(fixture, engine())
                .problems
                .iter()
                .map(ToString::to_string),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn there_are_enough_fixtures_of_each_kind() {
    let valid = fixtures().iter().filter(|f| f.expected.is_none()).count();
    let invalid = fixtures().len() - valid;
    assert!(valid >= 12, "only {valid} valid fixtures");
    assert!(invalid >= 15, "only {invalid} invalid fixtures");
}

/// The full reports of the schema and the model on every invalid fixture, for review: a change
/// in wording, pointer or line shows up here. One snapshot per fixture folder
/// (`invalid_fixture_reports_<type>`), so that a new event type adds its own (`cargo xtask
/// new-event` records it) and leaves the others as they are.
#[test]
fn invalid_fixture_reports() {
    let mut by_folder: std::collections::BTreeMap<&str, String> = Default::default();
    for fixture in fixtures().iter().filter(|f| f.expected.is_some()) {
        let outcome = check(fixture, engine());
        by_folder
            .entry(fixture.folder_type.as_str())
            .or_default()
            .push_str(&format!(
                "== {}\n{}\n",
                fixture.path,
                render_reports(fixture, &outcome)
            ));
    }
    for (folder, text) in by_folder {
        insta::assert_snapshot!(format!("invalid_fixture_reports_{folder}"), text);
    }
}

#[track_caller]
fn check_expectation(input: &str, expected: &str) {
    let got = match parse_expectation(input) {
        Ok(e) => format!("{:?} {:?}", e.description, e.errors),
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected);
}

#[test]
fn expectation_files() {
    check_expectation(
        "# one fault\n\"/call/uuid\" required\n\"\" type\n",
        "\"one fault\" [(\"\", Type), (\"/call/uuid\", Required)]",
    );
    check_expectation(
        "\"/a\" required\n",
        "error: line 1: expected a `#` comment saying what the fault is",
    );
    check_expectation(
        "# x\n",
        "error: expected at least one `\"pointer\" kind` line",
    );
    check_expectation(
        "# x\n\"/a\" nope\n",
        "error: line 2: unknown kind `nope`, expected one of required, unknown_field, forbidden, type, enum, const, format, pattern, length, range, double_range, any_of, other: `\"/a\" nope`",
    );
    check_expectation(
        "# x\n/a required\n",
        "error: line 2: expected a JSON Pointer as a JSON string, then a kind: `/a required`",
    );
}
