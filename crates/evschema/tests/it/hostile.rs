//! Hostile strings in keys, values, source lines and file names, through every format: each
//! report is checked by a real parser for its format (`properties`), every input gets its
//! verdict, and nothing from the input is obeyed by a terminal, a log viewer or an XML reader.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::properties::{self, FORMATS, Truth};
use crate::support::{AUTH, CALL_BAD_DATE, TempDir, compact, evschema};

/// Strings that have broken, or could break, a report: escape sequences, forged lines,
/// characters XML cannot carry, line and paragraph separators, bidirectional overrides, markup,
/// workflow-command syntax, percent signs, wide characters.
const HOSTILE: [&str; 16] = [
    "\u{1b}]0;t\u{7}\nFORGED: 0 invalid",
    "\u{1b}[31mred\u{1b}[0m",
    "\u{ffff}\u{fffe}",
    "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}",
    "\u{85}\u{9b}31m\u{9f}",
    "line\u{2028}separator\u{2029}",
    "bidi \u{202e}txt.exe\u{202c} \u{2066}x\u{2069}",
    "\u{feff}bom",
    "</failure><testcase name=\"x\"/>]]>&amp;",
    "\n::error file=x::forged\r\n",
    "%0A%25 100% ::,=",
    "名前 中文 📞 e\u{301}",
    "tab\there",
    "\\u{1b} \\x1b",
    "\"quoted\" 'single'",
    "\u{10ffff}\u{e000}",
];

/// NDJSON lines with hostile keys, values and bytes.
fn hostile_stream() -> Vec<u8> {
    let mut out = Vec::new();
    let auth: serde_json::Value = serde_json::from_str(&compact(AUTH)).expect("JSON");
    for text in HOSTILE {
        let mut event = auth.clone();
        // An unknown key spelled with it, and a value of the wrong type holding it.
        event[text] = serde_json::json!(1);
        event["uuid"] = serde_json::json!(text);
        out.extend_from_slice(event.to_string().as_bytes());
        out.push(b'\n');
        // As an unknown event type (the enum message quotes it).
        out.extend_from_slice(serde_json::json!({ "type": text }).to_string().as_bytes());
        out.push(b'\n');
    }
    for raw in [
        &b"\xef\xbb\xbf{\"type\":\"auth\"}"[..],
        b"{\"type\":\"caf\xe9\"}",
        "{\"uuid\":\"📞".as_bytes(),
        b"{\"type\":\"a\x00b\"}",
        b"{\"type\":\"\x1b[31m\"}",
        "{\"type\":\"\u{9b}\u{2028}\"}".as_bytes(),
        b"\"\\udfaa\"",
        b"\x1b]0;title\x07",
        b"\xff\xfe{\x00}\x00",
        b"{\"a\":1,\"a\":2}\r",
        "{\"名\":1, \"中文\":x}".as_bytes(),
    ] {
        out.extend_from_slice(raw);
        out.push(b'\n');
    }
    out.extend_from_slice(compact(AUTH).as_bytes());
    out.push(b'\n');
    out
}

/// File names: each gets one event.
fn hostile_names() -> Vec<Vec<u8>> {
    let mut names: Vec<Vec<u8>> = [
        "my events #1 100%.json",
        "a:b.json",
        "\u{1b}[31mred.json",
        "new\nline.json",
        "tab\t.json",
        "%0A::error::x,y.json",
        "bidi\u{202e}nosj.json",
        "?q=1&x[0].json",
        "名前 📞.json",
        "-dash.json",
        "\u{85}\u{2028}.json",
        "<junit> & \"xml\".JSON",
    ]
    .iter()
    .map(|n| n.as_bytes().to_vec())
    .collect();
    names.push(b"caf\xe9.json".to_vec());
    names.push(b"\xff\xfe.ndjson".to_vec());
    names
}

fn write_tree(dir: &TempDir) {
    let bad_date = crate::support::fixture(CALL_BAD_DATE);
    for (i, name) in hostile_names().iter().enumerate() {
        let path = dir.path().join("in").join(OsStr::from_bytes(name));
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        let contents = match i % 3 {
            _ if name.ends_with(b".ndjson") => format!("{}\n", compact(AUTH)).into_bytes(),
            0 => compact(AUTH).into_bytes(),
            1 => bad_date.clone().into_bytes(),
            _ => b"{\"type\": \"auth\",\n \"\x1b[2J\": tru".to_vec(),
        };
        std::fs::write(&path, contents).expect("a hostile name is a valid file name");
    }
}

/// Runs every format over the hostile tree (relative and absolute paths) and stream, and checks
/// every report against the truth of the JSON report.
#[test]
fn hostile_keys_values_bytes_and_file_names_in_every_format() {
    let dir = TempDir::new("hostile");
    write_tree(&dir);
    let stream = hostile_stream();
    let absolute = dir.path().join("in");
    let absolute = absolute.to_str().expect("the temporary folder is UTF-8");
    for paths in [["in", "-"], [absolute, "-"]] {
        let run = |format: &str, color: &str| {
            let mut args = vec!["validate", "--format", format, "--color", color];
            args.extend_from_slice(&paths);
            evschema(dir.path(), &args, stream.clone())
        };
        let json = run("json", "never");
        let truth = Truth::from_json_report(&json.stdout);
        let files = hostile_names().len();
        let lines = stream.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(truth.verdicts.len(), files + lines, "{}", json.stdout);
        assert_eq!(json.code, 1, "{}", json.stderr);
        for verdict in ["valid", "invalid", "parse_error"] {
            assert!(truth.verdicts.iter().any(|v| v == verdict), "no {verdict}");
        }
        for format in FORMATS {
            for color in ["never", "always"] {
                let outcome = run(format, color);
                assert_eq!(outcome.code, 1, "{format}: {}", outcome.stderr);
                if let Err(err) =
                    properties::check(format, &outcome.stdout, &truth, color == "always")
                {
                    panic!("{err}\n--- report:\n{}", outcome.stdout);
                }
                // A forged line never starts a line of any report.
                assert!(
                    !outcome.stdout.lines().any(|l| l.starts_with("FORGED")),
                    "{format}: a forged line:\n{}",
                    outcome.stdout
                );
            }
        }
    }
}

#[test]
fn the_issues_examples_in_the_human_format() {
    let dir = TempDir::new("examples");
    let auth = compact(AUTH);
    // A BOM file, a Latin-1 line between valid events, a line cut after an emoji.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(crate::support::fixture(AUTH).as_bytes());
    dir.write("bom.json", bom);
    let mut stream = Vec::new();
    for line in [
        auth.as_bytes(),
        b"{\"type\":\"caf\xe9\"}",
        auth.as_bytes(),
        "{\"uuid\":\"📞".as_bytes(),
    ] {
        stream.extend_from_slice(line);
        stream.push(b'\n');
    }
    let outcome = evschema(dir.path(), &["validate", "bom.json", "-"], stream);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    let out = &outcome.stdout;
    assert!(out.contains("\\u{feff}{"), "the BOM is shown:\n{out}");
    assert!(out.contains("{\"type\":\"caf\\xE9\"}"), "{out}");
    assert!(out.contains("invalid UTF-8: byte 0xE9"), "{out}");
    assert!(out.contains("{\"uuid\":\"📞"), "{out}");
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l == "5 events in 2 sources: 2 valid, 0 invalid, 3 unparsable"),
        "{out}"
    );
}
