//! `--mask`, `--unknown-fields` and `--schemas`.

use std::fs;

use crate::support::{
    AUTH, BAD_DATE, MIXED_MAX_LINE, TempDir, compact, evschema, fixture, mixed_input, root,
};

/// Values from the events that break the contract, each of which a report shows unless masked.
const SECRETS: [&str; 5] = [
    BAD_DATE,
    "secret-scalar-value",
    "secret-type-value",
    "SecretRoleValue",
    "secret-uuid-value",
];

fn masked_input() -> String {
    let auth: serde_json::Value = serde_json::from_str(&fixture(AUTH)).expect("a fixture is JSON");
    let mut role = auth.clone();
    role["payload"]["user"]["role"] = "SecretRoleValue".into();
    let mut uuid = auth;
    uuid["uuid"] = "secret-uuid-value".into();
    format!(
        "{}\"secret-scalar-value\"\n{{\"type\":\"secret-type-value\"}}\n{role}\n{uuid}\n",
        mixed_input()
    )
}

#[test]
fn mask_keeps_values_out_of_every_format() {
    let dir = TempDir::new("mask");
    dir.write("events.ndjson", masked_input());
    let run = |format: &str, mask: bool| {
        let mut args = vec![
            "validate",
            "--format",
            format,
            "--color",
            "never",
            "--max-line-bytes",
            MIXED_MAX_LINE,
        ];
        if mask {
            args.push("--mask");
        }
        args.push("events.ndjson");
        evschema(dir.path(), &args, "")
    };
    // Unmasked, the JSON report shows every one of them: the check below means something.
    let plain = run("json", false);
    for secret in SECRETS {
        assert!(
            plain.stdout.contains(secret),
            "{secret} is not in the report"
        );
    }
    for format in ["human", "json", "junit", "github", "sarif"] {
        let masked = run(format, true);
        assert_eq!(masked.code, 1, "{format}");
        for secret in SECRETS {
            assert!(
                !masked.stdout.contains(secret) && !masked.stderr.contains(secret),
                "{format} --mask shows {secret}:\n{}",
                masked.stdout
            );
        }
        if format == "json" {
            // The same verdicts, the same pointers: only the values are gone.
            let (a, b) = (plain.report(), masked.report());
            assert_eq!(a.verdicts(), b.verdicts());
            for (x, y) in a.records.iter().zip(&b.records) {
                let pointers = |r: &serde_json::Value| -> Vec<String> {
                    crate::support::errors_of(r)
                        .into_iter()
                        .map(|e| e.pointer)
                        .collect()
                };
                assert_eq!(pointers(x), pointers(y));
            }
        }
    }
}

#[test]
fn unknown_fields_deny_rejects_what_allow_accepts() {
    let dir = TempDir::new("unknown");
    let auth = compact(AUTH);
    let top = auth.replacen('{', r#"{"extra_key":"hello","#, 1);
    let nested = auth.replacen(r#""user":{"#, r#""user":{"nested_extra":1,"#, 1);
    assert_ne!(nested, auth, "the auth fixture has a user");
    let input = format!("{top}\n{nested}\n");
    let deny = evschema(
        dir.path(),
        &["validate", "--format", "json"],
        input.as_str(),
    );
    let explicit = evschema(
        dir.path(),
        &["validate", "--format", "json", "--unknown-fields", "deny"],
        input.as_str(),
    );
    assert_eq!(deny.stdout, explicit.stdout, "deny is the default");
    let report = deny.report();
    assert_eq!(deny.code, 1);
    assert_eq!(
        report.verdicts(),
        [(1, "invalid".to_owned()), (2, "invalid".to_owned())]
    );
    let has = |line: u64, pointer: &str| {
        report
            .errors(line)
            .iter()
            .any(|e| e.pointer == pointer && e.kind == "unknown_field")
    };
    assert!(has(1, "/extra_key"), "{}", deny.stdout);
    assert!(has(2, "/payload/user/nested_extra"), "{}", deny.stdout);

    let allow = evschema(
        dir.path(),
        &["validate", "--format", "json", "--unknown-fields", "allow"],
        input.as_str(),
    );
    let report = allow.report();
    assert_eq!(allow.code, 0, "{}", allow.stdout);
    assert_eq!(
        report.verdicts(),
        [(1, "valid".to_owned()), (2, "valid".to_owned())]
    );
}

/// `--schemas DIR` with a copy of `schemas/` gives the built-in catalog's verdicts, errors and
/// exit code, on every fixture and on NDJSON; so does a copy with a changed description (not
/// what the models generate, so the fast path through the models is off).
#[test]
fn a_copy_of_the_schemas_gives_the_same_verdicts() {
    let dir = TempDir::new("schemas");
    let copy = dir.mkdir("copy");
    let edited = dir.mkdir("edited");
    for entry in fs::read_dir(root().join("schemas")).expect("schemas/ reads") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().expect("a file name");
        fs::copy(&path, copy.join(name)).expect("copied");
        fs::copy(&path, edited.join(name)).expect("copied");
    }
    let auth = fs::read_to_string(edited.join("auth.json")).expect("auth.json reads");
    let changed = auth.replacen(
        "\"description\": \"",
        "\"description\": \"Edited for a test. ",
        1,
    );
    assert_ne!(changed, auth);
    fs::write(edited.join("auth.json"), changed).expect("written");
    dir.write("events.ndjson", masked_input());
    let fixtures = root().join("fixtures");
    let fixtures = fixtures.to_str().expect("a UTF-8 path");
    for policy in ["deny", "allow"] {
        let run = |schemas: Option<&str>| {
            let mut args = vec![
                "validate",
                "--format",
                "json",
                "--unknown-fields",
                policy,
                "--max-line-bytes",
                MIXED_MAX_LINE,
            ];
            if let Some(schemas) = schemas {
                args.extend(["--schemas", schemas]);
            }
            args.extend([fixtures, "events.ndjson"]);
            let outcome = evschema(dir.path(), &args, "");
            outcome.report();
            outcome
        };
        let built_in = run(None);
        assert!(built_in.stdout.lines().count() > 40);
        for schemas in ["copy", "edited"] {
            let other = run(Some(schemas));
            assert_eq!(other.code, built_in.code, "{schemas} {policy}");
            assert_eq!(other.stdout, built_in.stdout, "{schemas} {policy}");
        }
    }
}

/// `--quiet` in the human, JSON Lines and GitHub formats shows only the counts, so it asks for
/// verdicts without their explanations (issue 19): the counts and the exit code must be the
/// full report's, on every fixture (one-event files, read in parallel) and on NDJSON lines of
/// every verdict (refusals read as tapes, and what the tape does not take: a repeated key, a
/// number past a double, a syntax error, nesting past the limit), under both policies, with
/// the built-in catalog (the models' fast path) and an edited one (the schemas alone).
#[test]
fn quiet_counts_what_the_full_report_counts() {
    let dir = TempDir::new("quiet");
    let edited = dir.mkdir("edited");
    for entry in fs::read_dir(root().join("schemas")).expect("schemas/ reads") {
        let path = entry.expect("an entry").path();
        fs::copy(&path, edited.join(path.file_name().expect("a file name"))).expect("copied");
    }
    let auth = fs::read_to_string(edited.join("auth.json")).expect("auth.json reads");
    let changed = auth.replacen("\"description\": \"", "\"description\": \"Edited. ", 1);
    fs::write(edited.join("auth.json"), changed).expect("written");
    let live = compact("valid/call_state/platform-call_state_live.json");
    let with = |from: &str, to: &str| {
        assert!(live.contains(from), "{from}");
        live.replacen(from, to, 1)
    };
    let extra = [
        with(r#""duration":2"#, r#""duration":-2"#),
        with(r#""duration":2"#, r#""duration":2,"zz":1"#),
        with(r#""duration":2"#, r#""duration":2,"zz":1,"zz":2"#),
        with(r#""duration":2"#, r#""duration":1e400"#),
        with(r#""duration":2"#, r#""duration":1e400,"zz":[]"#),
        with(
            r#""duration":2"#,
            &format!(r#""duration":{}"#, "[".repeat(200)),
        ),
        with(r#""type":"call_state""#, r#""type":"call_stat""#),
        r#"{"type":"auth","payload":{"user":{}}}"#.to_owned(),
    ];
    dir.write(
        "events.ndjson",
        format!("{}{}\n", masked_input(), extra.join("\n")),
    );
    let fixtures = root().join("fixtures");
    let fixtures = fixtures.to_str().expect("a UTF-8 path");
    for policy in ["deny", "allow"] {
        for schemas in [None, Some("edited")] {
            for format in ["human", "json", "github"] {
                let run = |quiet: bool| {
                    let mut args = vec![
                        "validate",
                        "--format",
                        format,
                        "--unknown-fields",
                        policy,
                        "--max-line-bytes",
                        MIXED_MAX_LINE,
                    ];
                    if quiet {
                        args.push("--quiet");
                    }
                    if let Some(schemas) = schemas {
                        args.extend(["--schemas", schemas]);
                    }
                    args.extend([fixtures, "events.ndjson"]);
                    evschema(dir.path(), &args, "")
                };
                let (full, quiet) = (run(false), run(true));
                let case = format!("{policy} {schemas:?} {format}");
                assert_eq!(quiet.code, full.code, "{case}");
                assert_eq!(quiet.code, 1, "{case}");
                // The counts are the full report's last line: the quiet report is that line.
                let last = full.stdout.lines().last().expect("a summary");
                assert_eq!(quiet.stdout, format!("{last}\n"), "{case}");
                assert!(last.contains("invalid"), "{case}: {last}");
            }
        }
    }
}
