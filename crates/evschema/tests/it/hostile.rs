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

/// The same hostile tree and stream through `--summary`, human (with and without colour) and
/// JSON: each well-formed (`properties::check_summary`), the JSON exactly the aggregate of the
/// per-input JSON report, nothing from the input obeyed, and every group's first example named
/// as each format names its source.
#[test]
fn hostile_text_in_the_summary() {
    let dir = TempDir::new("hostile-summary");
    write_tree(&dir);
    let stream = hostile_stream();
    let run = |args: &[&str]| {
        let mut all = vec!["validate"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["in", "-"]);
        evschema(dir.path(), &all, stream.clone())
    };
    let json = run(&["--format", "json"]);
    let truth = Truth::from_json_report(&json.stdout);
    for top in ["0", "20"] {
        let summary = run(&["--summary", "--format", "json", "--top", top]);
        assert_eq!(summary.code, 1, "{}", summary.stderr);
        if let Err(err) = properties::check_summary("json", &summary.stdout, &truth, false) {
            panic!("{err}\n--- report:\n{}", summary.stdout);
        }
        let got: serde_json::Value = serde_json::from_str(&summary.stdout).expect("checked");
        let want = properties::aggregate(&json.stdout, top.parse().expect("a number"))
            .expect("a JSON report");
        assert_eq!(got, want);
        if top == "0" {
            let sources = got["problems"]
                .as_array()
                .expect("problems")
                .iter()
                .map(|p| p["first"]["source"].clone())
                .collect::<Vec<_>>();
            assert!(sources.contains(&serde_json::json!("in/\u{1b}[31mred.json")));
            assert!(sources.contains(&serde_json::json!("<stdin>")));
            // Hostile keys are pointers of their own groups, kept exactly.
            assert!(
                got["problems"]
                    .as_array()
                    .expect("problems")
                    .iter()
                    .any(|p| {
                        p["pointer"] == "/\u{1b}]0;t\u{7}\nFORGED: 0 invalid"
                            && p["kind"] == "unknown_field"
                    })
            );
        }
    }
    for color in ["never", "always"] {
        let human = run(&["--summary", "--top", "0", "--color", color]);
        assert_eq!(human.code, 1, "{}", human.stderr);
        if let Err(err) =
            properties::check_summary("human", &human.stdout, &truth, color == "always")
        {
            panic!("{err}\n--- report:\n{}", human.stdout);
        }
        assert!(
            !human.stdout.lines().any(|l| l.starts_with("FORGED")),
            "a forged line:\n{}",
            human.stdout
        );
        if color == "never" {
            assert!(
                human.stdout.contains("first at in/\\u{1b}[31mred.json:"),
                "{}",
                human.stdout
            );
            assert!(
                human
                    .stdout
                    .contains("/\\u{1b}]0;t\\u{7}\\u{a}FORGED: 0 invalid"),
                "{}",
                human.stdout
            );
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

/// File names that read alike: each report names each file in the form its reader resolves, and
/// no two files alike. JSON: the path's text, or its bytes (`{"bytes": [...]}`); GitHub: the
/// `file` property is the path (workflow-command escaping only: a tab stays a tab), or, for a
/// name it cannot carry, no `file` and the name in the message; JUnit: one suite per file;
/// SARIF: URIs whose percent-decoded bytes are the path; standard input never passes for a file
/// named `<stdin>`.
#[test]
fn every_report_names_every_file_unambiguously() {
    let dir = TempDir::new("names");
    let names: [&[u8]; 6] = [
        b"a\xff.json",
        b"a\\xFF.json",
        b"tab\t.json",
        b"new\nline.json",
        b"esc\x1b.json",
        b"a:b,c%.json",
    ];
    let bad_date = crate::support::fixture(CALL_BAD_DATE);
    for name in names {
        let path = dir.path().join("names").join(OsStr::from_bytes(name));
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, &bad_date).expect("write");
    }
    dir.write("<stdin>", &bad_date);
    let stdin = format!("{}\n", compact(CALL_BAD_DATE));
    let run = |format: &str| {
        let outcome = evschema(
            dir.path(),
            &["validate", "--format", format, "names", "<stdin>", "-"],
            stdin.clone(),
        );
        assert_eq!(outcome.code, 1, "{format}: {}", outcome.stderr);
        outcome.stdout
    };
    // The paths in the order they are read (a folder sorted by bytes), then standard input.
    let mut expected: Vec<Vec<u8>> = names
        .iter()
        .map(|n| [b"names/".as_slice(), n].concat())
        .collect();
    expected.sort();
    expected.push(b"<stdin>".to_vec());
    let exists = |path: &[u8]| dir.path().join(OsStr::from_bytes(path)).is_file();

    // JSON: lossless, and each resolves to its file.
    let json = run("json");
    let truth = Truth::from_json_report(&json);
    let sources: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .filter(|v| v.get("source").is_some())
        .map(|v| v["source"].clone())
        .collect();
    let decoded: Vec<Vec<u8>> = sources
        .iter()
        .map(|s| match s {
            serde_json::Value::String(text) => text.as_bytes().to_vec(),
            other => other["bytes"]
                .as_array()
                .expect("bytes")
                .iter()
                .map(|b| u8::try_from(b.as_u64().expect("a byte")).expect("a byte"))
                .collect(),
        })
        .collect();
    let mut files = expected.clone();
    files.push(b"-".to_vec());
    let want: Vec<Vec<u8>> = files
        .iter()
        .map(|p| match p.as_slice() {
            b"<stdin>" => b"./<stdin>".to_vec(),
            b"-" => b"<stdin>".to_vec(),
            other => other.to_vec(),
        })
        .collect();
    assert_eq!(decoded, want, "{json}");
    assert!(decoded[..decoded.len() - 1].iter().all(|p| exists(p)));
    assert!(
        sources
            .iter()
            .any(|s| s == &serde_json::json!({ "bytes": b"names/a\xff.json" }))
    );
    assert!(sources.iter().any(|s| s == "names/a\\xFF.json"));

    // GitHub: every `file` is a real path; the names it cannot carry are in the message.
    let github = run("github");
    properties::check("github", &github, &truth, false).expect("well-formed annotations");
    let mut carried = Vec::new();
    let mut named = Vec::new();
    // Every annotation but the summary's.
    for line in github
        .lines()
        .filter(|l| l.starts_with("::error ") && !l.starts_with("::error title=evschema::"))
    {
        let (command, message) = line[2..].split_once("::").expect("a command");
        match command
            .split(',')
            .find_map(|p| p.strip_prefix("error file=").or(p.strip_prefix("file=")))
        {
            Some(file) => {
                let file = file
                    .replace("%0D", "\r")
                    .replace("%0A", "\n")
                    .replace("%3A", ":")
                    .replace("%2C", ",")
                    .replace("%25", "%");
                assert!(exists(file.as_bytes()), "{file:?} is not a file");
                carried.push(file);
            }
            None if !message.is_empty() => named.push(message.to_owned()),
            None => {}
        }
    }
    carried.sort();
    assert_eq!(
        carried,
        [
            "<stdin>",
            "names/a:b,c%.json",
            "names/a\\xFF.json",
            "names/new\nline.json",
            "names/tab\t.json"
        ],
        "{github}"
    );
    assert!(github.contains("file=names/tab\t.json,"), "a tab is a tab");
    assert_eq!(named.len(), 3, "{github}");
    assert!(named[0].starts_with("names/a\\xFF.json:3:5: "), "{github}");
    assert!(
        named[1].starts_with("names/esc\\u{1b}.json:3:5: "),
        "{github}"
    );
    assert!(named[2].starts_with("<stdin>:1:"), "{github}");

    // JUnit: a suite per file, none merged.
    let junit = run("junit");
    properties::check("junit", &junit, &truth, false).expect("well-formed XML");
    let doc = roxmltree::Document::parse(&junit).expect("XML");
    let mut suites: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    suites.sort_unstable();
    suites.dedup();
    assert_eq!(suites.len(), 8, "{junit}");
    assert!(suites.contains(&"names/a\\xFF.json") && suites.contains(&"names/a\\\\xFF.json"));
    assert!(suites.contains(&"./<stdin>") && suites.contains(&"<stdin>"));

    // SARIF: each URI's bytes are the path's.
    let sarif = run("sarif");
    properties::check("sarif", &sarif, &truth, false).expect("valid SARIF");
    let document: serde_json::Value = serde_json::from_str(&sarif).expect("JSON");
    let uris: Vec<Vec<u8>> = document["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .map(|uri| percent_encoding::percent_decode_str(uri).collect())
        .collect();
    assert_eq!(uris, expected, "{sarif}");

    // Human: each name once, none alike.
    let human = run("human");
    let mut shown: Vec<&str> = human
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|l| l.split(":3:").next().unwrap_or(l))
        .collect();
    shown.dedup();
    assert_eq!(shown.len(), 8, "{human}");
}
