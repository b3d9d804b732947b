//! Bad input, from the reliability test plan (`shared/research/reliability.md`, section 3,
//! groups A bytes and framing, B size and depth, C numbers and parser differentials, F file
//! system and process faults), plus the `type` cases of group D. In every case the binary does
//! not panic (checked on every run) and the summary adds up (checked on every JSON report).

use std::io::Write;

use crate::support::{
    AUTH, CALL_INIT, Case, Live, MIXED_MAX_LINE, Producer, Stdin, TempDir, compact, errors_of,
    evschema, fixture, mixed_input,
};

fn lines(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

// A. Bytes, encoding and framing.

#[test]
fn truncated_json_file() {
    Case::file("A3", "truncated.json", r#"{"type":"call_st"#)
        .exits(1)
        .verdicts(&[(1, "parse_error")])
        .error_at(1, "", "parse", "EOF while parsing a string", 1, 16..=16)
        .check();
}

/// A pretty-printed event cut after a line (an editor's or `head -n`'s truncation): the file
/// ends with a newline inside the unfinished value.
#[test]
fn truncated_pretty_json_file_ending_with_a_newline() {
    let text = fixture(AUTH);
    let kept: Vec<&str> = text.lines().take(12).collect();
    let truncated = lines(&kept);
    for (name, bytes) in [
        ("LF", truncated.clone()),
        ("CRLF", truncated.replace('\n', "\r\n")),
    ] {
        let report = Case::file(name, "truncated.json", bytes)
            .exits(1)
            .verdicts(&[(1, "parse_error")])
            .error(1, "", "parse", "EOF while parsing")
            .check();
        let line = report.errors(1)[0].line;
        assert!(
            (12..=13).contains(&line),
            "{name}: EOF reported at line {line}"
        );
    }
}

#[test]
fn truncated_last_ndjson_line() {
    let call = compact(CALL_INIT);
    Case::stdin(
        "A4",
        format!("{}\n{}\n{}", compact(AUTH), call, &call[..100]),
    )
    .exits(1)
    .verdicts(&[(1, "valid"), (2, "valid"), (3, "parse_error")])
    .error_at(3, "", "parse", "EOF while parsing", 3, 100..=101)
    .check();
}

#[test]
fn last_line_without_a_newline_is_counted_once() {
    let (auth, call) = (compact(AUTH), compact(CALL_INIT));
    Case::stdin("A5", format!("{auth}\n{call}"))
        .exits(0)
        .verdicts(&[(1, "valid"), (2, "valid")])
        .check();
    // A final newline does not start another line.
    Case::stdin("A5 newline", format!("{auth}\n{call}\n"))
        .exits(0)
        .verdicts(&[(1, "valid"), (2, "valid")])
        .check();
    // Nor does a final CRLF.
    Case::stdin("A5 CRLF", format!("{auth}\r\n{call}\r\n"))
        .exits(0)
        .verdicts(&[(1, "valid"), (2, "valid")])
        .check();
}

#[test]
fn invalid_utf8_in_a_string_fails_only_its_line() {
    let mut bytes = format!("{}\n", compact(AUTH)).into_bytes();
    bytes.extend_from_slice(b"{\"type\":\"auth\",\"message\":\"\xff\xfe\"}\n");
    bytes.extend_from_slice(format!("{}\n", compact(CALL_INIT)).as_bytes());
    Case::stdin("A6/A7", bytes)
        .exits(1)
        .verdicts(&[(1, "valid"), (2, "parse_error"), (3, "valid")])
        .error_at(2, "", "parse", "invalid UTF-8: byte 0x", 2, 27..=27)
        .check();
}

#[test]
fn byte_order_marks() {
    const BOM: &str = "\u{feff}";
    let (auth, call) = (compact(AUTH), compact(CALL_INIT));
    Case::stdin("A10 stream start", format!("{BOM}{auth}\n{call}\n"))
        .exits(1)
        .verdicts(&[(1, "parse_error"), (2, "valid")])
        .error_at(1, "", "parse", "byte-order mark", 1, 1..=1)
        .check();
    Case::file("A10 file", "bom.json", format!("{BOM}{}", fixture(AUTH)))
        .exits(1)
        .verdicts(&[(1, "parse_error")])
        .error_at(1, "", "parse", "byte-order mark", 1, 1..=1)
        .check();
    // `cat a.ndjson b.ndjson` where b starts with a mark: only that line fails.
    Case::stdin("A11", format!("{auth}\n{BOM}{call}\n{auth}\n"))
        .exits(1)
        .verdicts(&[(1, "valid"), (2, "parse_error"), (3, "valid")])
        .error_at(2, "", "parse", "byte-order mark", 2, 1..=1)
        .check();
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

#[test]
fn utf16_input() {
    for big_endian in [false, true] {
        Case::file("A12 file", "utf16.json", utf16(&fixture(AUTH), big_endian))
            .exits(1)
            .verdicts(&[(1, "parse_error")])
            .error_at(1, "", "parse", "UTF-16", 1, 1..=1)
            .check();
    }
    // As NDJSON, the stream is cut at every 0x0A byte, as any NDJSON reader cuts it: one
    // verdict per such line, none of them valid, and the first says what the input is.
    let text = format!("{}\n{}\n", compact(AUTH), compact(CALL_INIT));
    let bytes = utf16(&text, false);
    let dir = TempDir::new("utf16");
    let outcome = evschema(dir.path(), &["validate", "--format", "json"], bytes.clone());
    let report = outcome.report();
    assert_eq!(outcome.code, 1);
    let physical = bytes.split(|&b| b == b'\n').count() - usize::from(bytes.ends_with(b"\n"));
    assert_eq!(report.records.len(), physical, "{}", outcome.stdout);
    assert!(report.records.iter().all(|r| r["valid"] == false));
    assert!(
        report.errors(1)[0].message.contains("UTF-16"),
        "{}",
        outcome.stdout
    );
}

/// CRLF line endings give the same verdicts, errors, lines and columns as LF.
#[test]
fn crlf_and_lf_give_the_same_report() {
    let dir = TempDir::new("crlf");
    let lf = mixed_input();
    let crlf = lf.replace('\n', "\r\n");
    let run = |input: &str| {
        let outcome = evschema(
            dir.path(),
            &[
                "validate",
                "--format",
                "json",
                "--max-line-bytes",
                MIXED_MAX_LINE,
            ],
            input,
        );
        let report = outcome.report();
        (outcome.code, report)
    };
    let (lf_code, lf_report) = run(&lf);
    let (crlf_code, crlf_report) = run(&crlf);
    assert_eq!(crlf_code, lf_code);
    assert_eq!(crlf_report.verdicts(), lf_report.verdicts());
    for (a, b) in lf_report.records.iter().zip(&crlf_report.records) {
        // Pointer, kind, line and column; messages are compared below.
        let place = |r: &serde_json::Value| -> Vec<(String, String, u64, Option<u64>)> {
            errors_of(r)
                .into_iter()
                .map(|e| (e.pointer, e.kind, e.line, e.column))
                .collect()
        };
        assert_eq!(place(a), place(b));
        assert!(!b.to_string().contains("\\r"), "a \\r in the report: {b}");
    }
}

/// The messages are the same too: a too-large line's length is the length of the line, not
/// counting its `\r\n` (as LF's is not counting its `\n`).
#[test]
fn crlf_and_lf_give_the_same_messages() {
    let dir = TempDir::new("crlf-messages");
    let lf = mixed_input();
    let crlf = lf.replace('\n', "\r\n");
    let json = |input: &str| {
        evschema(
            dir.path(),
            &[
                "validate",
                "--format",
                "json",
                "--max-line-bytes",
                MIXED_MAX_LINE,
            ],
            input,
        )
        .stdout
    };
    let (crlf_json, lf_json) = (json(&crlf), json(&lf));
    assert_eq!(crlf_json.lines().count(), lf_json.lines().count());
    for (a, b) in crlf_json.lines().zip(lf_json.lines()) {
        assert_eq!(a, b, "CRLF and LF reports differ");
    }
    // And the human report is the same, line for line.
    let human = |input: &str| {
        evschema(
            dir.path(),
            &[
                "validate",
                "--color",
                "never",
                "--max-line-bytes",
                MIXED_MAX_LINE,
            ],
            input,
        )
        .stdout
    };
    assert_eq!(human(&crlf), human(&lf));
}

#[test]
fn empty_and_blank_lines_are_counted() {
    let auth = compact(AUTH);
    Case::stdin("A15", format!("\n  \n\t\n\r\n{auth}\n\n"))
        .exits(0)
        .verdicts(&[
            (1, "blank"),
            (2, "blank"),
            (3, "blank"),
            (4, "blank"),
            (5, "valid"),
            (6, "blank"),
        ])
        .check();
}

#[test]
fn two_values_on_one_line() {
    let auth = compact(AUTH);
    let len = auth.len() as u64;
    Case::stdin("A16", lines(&[&format!("{auth}{auth}"), "1 2", "{} {}"]))
        .exits(1)
        .verdicts(&[(1, "parse_error"), (2, "parse_error"), (3, "parse_error")])
        .error_at(1, "", "parse", "trailing characters", 1, len + 1..=len + 1)
        .error_at(2, "", "parse", "trailing characters", 2, 3..=3)
        .error_at(3, "", "parse", "trailing characters", 3, 4..=4)
        .check();
}

/// A pretty-printed event given as NDJSON: every physical line gets its own verdict, and none
/// is valid.
#[test]
fn pretty_printed_json_given_as_ndjson() {
    let text = fixture(AUTH);
    let dir = TempDir::new("pretty");
    let outcome = evschema(dir.path(), &["validate", "--format", "json"], text.as_str());
    let report = outcome.report();
    assert_eq!(outcome.code, 1);
    let n = text.lines().count();
    assert_eq!(report.records.len(), n);
    for (i, record) in report.records.iter().enumerate() {
        assert_eq!(record["line"], i as u64 + 1);
        assert_eq!(record["valid"], false, "{record}");
    }
}

#[test]
fn top_level_values_that_are_not_objects_are_invalid() {
    let mut case = Case::stdin(
        "A19",
        lines(&[
            "1",
            "\"x\"",
            "[]",
            "null",
            "true",
            "[{\"type\":\"auth\"}]",
            "-1.5",
        ]),
    )
    .exits(1)
    .verdicts(&[
        (1, "invalid"),
        (2, "invalid"),
        (3, "invalid"),
        (4, "invalid"),
        (5, "invalid"),
        (6, "invalid"),
        (7, "invalid"),
    ]);
    for line in 1..=7 {
        case = case.error_at(line, "", "type", "expected object", line, 1..=1);
    }
    case.check();
}

/// Each problem is reported once: a top-level value that is not an object breaks the
/// any-event schema in several places, but the user is told once.
#[test]
fn a_top_level_non_object_is_reported_once() {
    let dir = TempDir::new("once");
    let outcome = evschema(
        dir.path(),
        &["validate", "--format", "json"],
        lines(&["1", "null", "[]"]),
    );
    let report = outcome.report();
    for record in &report.records {
        let errors = errors_of(record);
        assert_eq!(errors.len(), 1, "the same error more than once: {record}");
    }
}

// B. Size, depth and resource exhaustion.

/// A 100 MB line, streamed into standard input from a thread (never held in memory): it is
/// `too_large`, and the next line is still read and validated.
#[test]
fn a_100_mb_line_is_too_large_and_the_next_line_is_validated() {
    const MB: usize = 1 << 20;
    let dir = TempDir::new("huge");
    let call = compact(CALL_INIT);
    const PREFIX: &[u8] = b"{\"type\":\"auth\",\"message\":\"";
    const SUFFIX: &[u8] = b"\"}";
    let producer: Producer = Box::new(move |out: &mut dyn Write| {
        out.write_all(PREFIX)?;
        let chunk = vec![b'x'; MB];
        for _ in 0..100 {
            out.write_all(&chunk)?;
        }
        out.write_all(SUFFIX)?;
        out.write_all(b"\n")?;
        out.write_all(call.as_bytes())?;
        out.write_all(b"\n")
    });
    let outcome = evschema(
        dir.path(),
        &[
            "validate",
            "--format",
            "json",
            "--max-line-bytes",
            "1048576",
        ],
        Stdin::Stream(producer),
    );
    let report = outcome.report();
    assert_eq!(
        report.verdicts(),
        [(1, "too_large".to_owned()), (2, "valid".to_owned())]
    );
    assert_eq!(outcome.code, 1);
    let error = &report.errors(1)[0];
    assert_eq!(error.kind, "too_large");
    let length = format!("{} bytes", PREFIX.len() + 100 * MB + SUFFIX.len());
    assert!(
        error.message.contains(&length) && error.message.contains("1048576"),
        "{error:?}"
    );
}

#[test]
fn deep_nesting_is_too_deep_at_its_pointer() {
    const DEPTH: usize = 10_000;
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(DEPTH), "}".repeat(DEPTH));
    let in_event = format!(
        r#"{{"type":"auth","payload":{}1{}}}"#,
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    // 127 levels are read: the 128th opening bracket is refused, at its pointer.
    let at = r#"{"type":"auth","payload":"#.len() as u64 + 127;
    let arrays_at = "/0".repeat(127);
    let objects_at = "/a".repeat(127);
    let in_event_at = format!("/payload{}", "/0".repeat(126));
    Case::stdin("B3", lines(&[&arrays, &objects, &in_event]))
        .exits(1)
        .verdicts(&[(1, "too_deep"), (2, "too_deep"), (3, "too_deep")])
        .error_at(
            1,
            &arrays_at,
            "too_deep",
            "this array would open level 128 of arrays and objects, past the limit of 127",
            1,
            128..=128,
        )
        .error_at(
            2,
            &objects_at,
            "too_deep",
            "this object would open level 128",
            2,
            5 * 127 + 1..=5 * 127 + 1,
        )
        .error_at(3, &in_event_at, "too_deep", "level 128", 3, at..=at)
        .check();
    Case::file("B3 file", "deep.json", arrays)
        .exits(1)
        .verdicts(&[(1, "too_deep")])
        .error_at(1, &arrays_at, "too_deep", "past the limit", 1, 128..=128)
        .check();
    // 127 levels are not too deep: the event is judged by its schema.
    let deepest = format!(
        r#"{{"type":"auth","payload":{}1{}}}"#,
        "[".repeat(126),
        "]".repeat(126)
    );
    Case::stdin("B3 at the limit", lines(&[&deepest]))
        .exits(1)
        .verdicts(&[(1, "invalid")])
        .check();
}

// C. Numbers and parser differentials.

#[test]
fn huge_numbers() {
    let call = compact(CALL_INIT);
    let field = r#""duration":1,"#;
    assert!(call.contains(field), "the call fixture has a duration of 1");
    let with = |number: &str| call.replacen(field, &format!(r#""duration":{number},"#), 1);
    let (inf, neg_inf, u64_overflow) =
        (with("1e400"), with("-1E+400"), with("18446744073709551616"));
    // At the key, as every error about an object's member.
    let column = |line: &str, number: &str| {
        let at = line
            .find(&format!(r#""duration":{number}"#))
            .expect("the number is in the line") as u64;
        at + 1..=at + 1
    };
    // Past the range of a double: refused where it is, as written; the rest is checked.
    Case::stdin("C1/C3", lines(&[&inf, &neg_inf, &u64_overflow, &call]))
        .exits(1)
        .verdicts(&[(1, "invalid"), (2, "invalid"), (3, "invalid"), (4, "valid")])
        .error_at(
            1,
            "/call/duration",
            "double_range",
            "found 1e400, which JavaScript and Python read as infinity",
            1,
            column(&inf, "1e400"),
        )
        .error_at(
            2,
            "/call/duration",
            "double_range",
            "found -1E+400,",
            2,
            column(&neg_inf, "-1E+400"),
        )
        .error_at(
            3,
            "/call/duration",
            "range",
            "no greater than 4294967295, found 18446744073709551616",
            3,
            column(&u64_overflow, "18446744073709551616"),
        )
        .check();
}

#[test]
fn duplicate_keys_at_depth_with_line_and_column() {
    // On an NDJSON line, inside `call`.
    let call = compact(CALL_INIT);
    let key = r#""direction":"in","#;
    assert!(call.contains(key), "the call fixture has a direction");
    let twice = call.replacen(key, r#""direction":"in","direction":"out","#, 1);
    let second = twice.rfind(r#""direction""#).expect("the key") as u64;
    // Escaped, the same key is still the same key.
    let escaped = call.replacen(key, r#""direction":"in","\u0064irection":"out","#, 1);
    let second_escaped = escaped.rfind(r#""\u0064irection""#).expect("the key") as u64;
    Case::stdin("C9/C10", lines(&[&twice, &escaped, &call]))
        .exits(1)
        .verdicts(&[(1, "parse_error"), (2, "parse_error"), (3, "valid")])
        .error_at(
            1,
            "",
            "parse",
            "duplicate key `direction`",
            1,
            second + 1..=second + 12,
        )
        .error_at(
            2,
            "",
            "parse",
            "duplicate key `direction`",
            2,
            second_escaped + 1..=second_escaped + 17,
        )
        .check();

    // In a pretty-printed file, two levels down: the line of the second key.
    let text = fixture(CALL_INIT);
    let mut out = Vec::new();
    let mut duplicate_line = 0;
    for (i, line) in text.lines().enumerate() {
        out.push(line.to_owned());
        if duplicate_line == 0 && line.trim_start().starts_with("\"tn\": 1") {
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push(format!("{indent}\"tn\": 18382049001,"));
            duplicate_line = i as u64 + 2;
        }
    }
    assert_ne!(duplicate_line, 0, "the call fixture has a tn number");
    let indent = out[duplicate_line as usize - 1].find('"').expect("a key") as u64;
    Case::file(
        "C9 file",
        "duplicate.json",
        lines(&out.iter().map(String::as_str).collect::<Vec<_>>()),
    )
    .exits(1)
    .verdicts(&[(1, "parse_error")])
    .error_at(
        1,
        "",
        "parse",
        "duplicate key `tn`",
        duplicate_line,
        indent + 1..=indent + 5,
    )
    .check();
}

// D. The `type` of the event (unknown, missing, null, not a string).

#[test]
fn unknown_missing_and_null_type() {
    // Every event type of the catalog, as the message lists them (the catalog grows).
    let known_types = format!(
        "expected one of {}",
        opentact_events::EventType::ALL
            .map(|t| format!("{:?}", t.as_str()))
            .join(", ")
    );
    let any = |name: &str| compact(&format!("invalid/any/{name}.json"));
    let report = Case::stdin(
        "D1-D3",
        lines(&[
            &any("unknown_type"),
            &any("missing_type"),
            &any("null_type"),
            r#"{"type":1}"#,
        ]),
    )
    .exits(1)
    .verdicts(&[
        (1, "invalid"),
        (2, "invalid"),
        (3, "invalid"),
        (4, "invalid"),
    ])
    .error(1, "/type", "enum", &known_types)
    .error(2, "/type", "required", "missing required key `type`")
    .error(3, "/type", "type", "expected string, found null")
    .error(4, "/type", "type", "expected string")
    .check();
    for record in &report.records {
        assert!(record["type"].is_null(), "{record}");
        // Only what is wrong with `type` is reported, not a bare "none of the event types".
        assert!(
            errors_of(record).iter().all(|e| e.pointer == "/type"),
            "{record}"
        );
    }
}

// F. File system and process faults.

#[test]
fn a_folder_with_a_symlink_loop() {
    let dir = TempDir::new("loop");
    dir.write("events/a.json", fixture(AUTH));
    dir.mkdir("events/nested/deeper");
    dir.symlink("../..", "events/nested/deeper/back");
    dir.symlink("self.json", "events/self.json");
    dir.write("events/z.ndjson", format!("{}\n", compact(CALL_INIT)));
    let outcome = evschema(dir.path(), &["validate", "--format", "json", "events"], "");
    let report = outcome.report();
    assert_eq!(outcome.code, 3, "{}", outcome.stdout);
    let by_source: Vec<(&str, &str)> = report
        .records
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap_or_default(),
                r["verdict"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        by_source,
        [
            ("events/a.json", "valid"),
            ("events/nested/deeper/back", "io_error"),
            ("events/self.json", "io_error"),
            ("events/z.ndjson", "valid"),
        ]
    );
    let loop_error = &errors_of(&report.records[1])[0];
    assert!(loop_error.message.contains("loop"), "{loop_error:?}");
    assert!(report.records.iter().all(|r| r["line"] == 1));
}

/// The tests run as root, where `chmod 000` does not stop a read: a dangling symbolic link
/// and `/proc/self/mem` (an EIO on its first read) stand in for an unreadable file.
#[test]
fn unreadable_files_are_io_errors() {
    let dir = TempDir::new("unreadable");
    dir.write("events/a.json", fixture(AUTH));
    dir.symlink("/nonexistent/evschema-it.json", "events/dangling.json");
    dir.symlink("/proc/self/mem", "events/mem.ndjson");
    let outcome = evschema(dir.path(), &["validate", "--format", "json", "events"], "");
    let report = outcome.report();
    assert_eq!(outcome.code, 3, "{}", outcome.stdout);
    let verdicts: Vec<(&str, &str)> = report
        .records
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap_or_default(),
                r["verdict"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("events/a.json", "valid"),
            ("events/dangling.json", "io_error"),
            ("events/mem.ndjson", "io_error"),
        ]
    );
}

/// `evschema ... | head -1`: the reader closes the pipe after one line. The run ends quietly
/// (no panic, no "Broken pipe" message) and does not count as a success (exit 3: the report
/// could not be written).
#[test]
fn output_piped_into_a_reader_that_closes_early() {
    let dir = TempDir::new("pipe");
    // Every format but JUnit and SARIF (documents written at the end) reports as it goes;
    // this input's report is far larger than a pipe holds.
    dir.write("many.ndjson", mixed_input().repeat(300));
    for format in ["json", "human", "github"] {
        let mut child = std::process::Command::new(crate::support::BIN)
            .args([
                "validate",
                "--format",
                format,
                "--color",
                "never",
                "--max-line-bytes",
                MIXED_MAX_LINE,
                "many.ndjson",
            ])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("evschema starts");
        {
            use std::io::BufRead;
            let stdout = child.stdout.take().expect("piped");
            let mut reader = std::io::BufReader::new(stdout);
            let mut first = String::new();
            reader.read_line(&mut first).expect("one line");
            // Dropping the reader closes the pipe.
        }
        let output = child.wait_with_output().expect("evschema ends");
        let code = crate::support::exit_code(output.status);
        let stderr = String::from_utf8_lossy(&output.stderr);
        crate::support::assert_no_panic(code, &stderr);
        assert_eq!(code, 3, "{format}: {stderr}");
        assert!(
            !stderr.to_lowercase().contains("broken pipe"),
            "{format}: {stderr}"
        );
    }
}

/// SIGINT (and SIGTERM) while a slow producer is silent: the verdicts so far, then a summary
/// that says the run was interrupted and adds up, and exit 130.
#[test]
fn an_interrupted_run() {
    // The exit code is 128 plus the signal's number, as shells report it.
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let dir = TempDir::new("interrupt");
        let mut live = Live::spawn(dir.path(), &["validate", "--format", "json"]);
        let events = [compact(AUTH), compact(CALL_INIT), "{\"type\":".to_owned()];
        for event in &events {
            live.write(format!("{event}\n").as_bytes());
            live.next_line();
        }
        // The producer stays silent, its stream open: only the signal ends the run.
        live.signal(signal);
        let outcome = live.finish();
        assert_eq!(outcome.code, code, "{signal}: {outcome:#?}");
        let report = outcome.report();
        assert_eq!(report.summary["interrupted"], true, "{signal}");
        assert_eq!(
            report.verdicts(),
            [
                (1, "valid".to_owned()),
                (2, "valid".to_owned()),
                (3, "parse_error".to_owned())
            ]
        );
    }
    // The human summary says so too.
    let dir = TempDir::new("interrupt-human");
    let mut live = Live::spawn(dir.path(), &["validate", "--color", "never"]);
    live.write(b"{\"type\":\n");
    assert!(live.next_line().starts_with("error[parse]"));
    live.signal("INT");
    let outcome = live.finish();
    assert_eq!(outcome.code, 130);
    let summary = outcome.stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("1 event in 1 source:") && summary.contains("interrupted"),
        "{summary}"
    );
}

/// Ctrl-C in `producer | evschema validate`: the terminal sends SIGINT to the whole
/// pipeline, the producer dies and its end of the pipe closes. The stream was cut by the
/// interrupt: the run must say it was interrupted (exit 130), not pass as a complete one.
/// The stream is closed only once `evschema` has taken the signal (its handler has run), so a
/// correct binary passes whatever the timing.
#[test]
fn ctrl_c_in_a_pipeline() {
    let dir = TempDir::new("interrupt-pipeline");
    let mut live = Live::spawn(dir.path(), &["validate", "--format", "json"]);
    live.write(format!("{}\n", compact(AUTH)).as_bytes());
    live.next_line();
    live.signal("INT");
    live.wait_until_signal_taken(2);
    live.close_stdin();
    let outcome = live.finish();
    let report = outcome.report();
    assert_eq!(report.summary["interrupted"], true, "{}", outcome.stdout);
    assert_eq!(outcome.code, 130);
}

// Columns: the README promises the line and column of every error; a parse error's column
// counts characters, as a schema error's does, so both underline the right place.

#[test]
fn parse_error_columns_count_characters() {
    // `x` is the 25th character and the 35th byte.
    let line = "{\"message\":\"éééééééééé\" x}";
    let schema_line = "{\"type\":\"auth\",\"message\":\"éééé\",\"uuid\":\"nope\"}";
    let uuid_at = schema_line[..schema_line.find("\"uuid\"").expect("uuid")]
        .chars()
        .count() as u64
        + 1;
    Case::stdin("columns", lines(&[schema_line, line]))
        .exits(1)
        .verdicts(&[(1, "invalid"), (2, "parse_error")])
        .error_at(1, "/uuid", "format", "UUID", 1, uuid_at..=uuid_at)
        .error_at(2, "", "parse", "expected `,` or `}`", 2, 25..=25)
        .check();
    // The human report underlines the `x`.
    let dir = TempDir::new("underline");
    let outcome = evschema(
        dir.path(),
        &["validate", "--color", "never"],
        lines(&[line]),
    );
    let shown: Vec<&str> = outcome.stdout.lines().collect();
    let source = shown
        .iter()
        .position(|l| l.starts_with("1 | "))
        .unwrap_or_else(|| panic!("no source line:\n{}", outcome.stdout));
    let caret = shown[source + 1].find('^').expect("an underline");
    let x = shown[source].find(" x}").expect("the line") + 1;
    assert_eq!(
        shown[source][..x].chars().count(),
        shown[source + 1][..caret].chars().count(),
        "the caret is not under the `x`:\n{}",
        outcome.stdout
    );
}

/// In a pretty-printed file, text before the error that is not ASCII must not move the
/// reported place to another line.
#[test]
fn parse_error_after_non_ascii_text_in_a_json_file() {
    let text = "{\n  \"message\": \"éééééééééé\" x,\n  \"type\": \"auth\"\n}\n";
    Case::file("non-ASCII", "event.json", text)
        .exits(1)
        .verdicts(&[(1, "parse_error")])
        .error_at(1, "", "parse", "expected `,` or `}`", 2, 27..=27)
        .check();
    let dir = TempDir::new("nonascii");
    dir.write("event.json", text);
    let outcome = evschema(
        dir.path(),
        &["validate", "--color", "never", "event.json"],
        "",
    );
    assert!(
        outcome
            .stdout
            .contains("2 |   \"message\": \"éééééééééé\" x,"),
        "the snippet does not show line 2:\n{}",
        outcome.stdout
    );
}
