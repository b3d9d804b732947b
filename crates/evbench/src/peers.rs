//! The verdicts of the whole-process validators that the `peers` benchmark times, read from
//! their output, and how a validator's refusals differ from the corpus's faults.
//!
//! Each reader takes the text a tool wrote for one NDJSON file and returns what it decided:
//! how many events it read, how many it refused and, when the output names them, the 1-based
//! line numbers of the refused ones. A reader that does not find what it expects says so: a
//! peer whose output cannot be read is never counted as agreeing.

use std::collections::BTreeSet;

use serde_json::Value;

/// What one run of a validator decided about an NDJSON file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdicts {
    /// Events read (blank lines are not events).
    pub events: usize,
    /// Events refused.
    pub refused: usize,
    /// The 1-based line numbers of the refused events, ascending, when the output names them
    /// (`None` for a summary that only counts).
    pub lines: Option<Vec<usize>>,
}

/// The last non-blank line of `stdout`, and its JSON; an error names `tool` and quotes the line.
fn last_json_line<'a>(stdout: &'a str, tool: &str) -> Result<(&'a str, Value), String> {
    let last = stdout
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .ok_or_else(|| format!("{tool} printed nothing"))?;
    let value = serde_json::from_str(last)
        .map_err(|e| format!("{tool}'s last line: {e}: {}", cut(last)))?;
    Ok((last, value))
}

/// `evschema validate --quiet --format json`: the summary object, the last line of standard
/// output. Refused events are the events without the `valid` verdict (`invalid`, `parse_error`,
/// `too_deep`, ...).
pub fn evschema_summary(stdout: &str) -> Result<Verdicts, String> {
    let (last, summary) = last_json_line(stdout, "evschema")?;
    if summary["summary"] != Value::Bool(true) {
        return Err(format!("evschema's last line is not its summary: {last}"));
    }
    let count = |value: &Value| {
        value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("evschema's summary has no count where expected: {last}"))
    };
    let events = count(&summary["events"])?;
    let valid = count(&summary["verdicts"]["valid"])?;
    let refused = events.checked_sub(valid).ok_or_else(|| {
        format!("evschema's summary counts more valid events than events: {last}")
    })?;
    Ok(Verdicts {
        events,
        refused,
        lines: None,
    })
}

/// `evschema validate --format json` (without `--quiet`): one record per input (its `line`,
/// whether it is `valid`, its `verdict`), then the summary. Blank lines are not events.
pub fn evschema_records(stdout: &str) -> Result<Verdicts, String> {
    let mut lines = Vec::new();
    let mut events = 0;
    let mut summary = None;
    for text in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(text)
            .map_err(|e| format!("an evschema record: {e}: {}", cut(text)))?;
        if record["summary"] == Value::Bool(true) {
            summary = Some(evschema_summary(text)?);
            continue;
        }
        if record["verdict"] == "blank" {
            continue;
        }
        events += 1;
        match (record["valid"].as_bool(), record["line"].as_u64()) {
            (Some(true), _) => {}
            (Some(false), Some(line)) => {
                lines.push(usize::try_from(line).map_err(|e| e.to_string())?);
            }
            _ => {
                return Err(format!(
                    "an evschema record without a verdict: {}",
                    cut(text)
                ));
            }
        }
    }
    let summary = summary.ok_or("evschema's records end without a summary")?;
    if (summary.events, summary.refused) != (events, lines.len()) {
        return Err(format!(
            "evschema's summary ({} events, {} refused) does not count its records ({events}, {})",
            summary.events,
            summary.refused,
            lines.len()
        ));
    }
    lines.sort_unstable();
    Ok(Verdicts {
        events,
        refused: lines.len(),
        lines: Some(lines),
    })
}

/// `jsonschema validate SCHEMA FILE.jsonl --continue` (sourcemeta's CLI), its standard error:
/// `fail: FILE (entry #N)` for each refused line N (followed by the instance and the error),
/// and a closing `E validated, P passed, F failed`.
pub fn sourcemeta(stderr: &str) -> Result<Verdicts, String> {
    let mut lines = Vec::new();
    let mut closing = None;
    for text in stderr.lines() {
        if let Some(rest) = text.strip_prefix("fail: ") {
            let entry = rest
                .rsplit_once("(entry #")
                .and_then(|(_, n)| n.strip_suffix(')'))
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| format!("a `fail:` line without an entry number: {}", cut(text)))?;
            lines.push(entry);
        } else if let Some(counts) = closing_counts(text) {
            closing = Some(counts);
        }
    }
    let (events, passed, failed) = closing.ok_or_else(|| {
        format!(
            "no closing `N validated, N passed, N failed` line in jsonschema's output: {}",
            cut(stderr.lines().last().unwrap_or(""))
        )
    })?;
    lines.sort_unstable();
    lines.dedup();
    if passed + failed != events || failed != lines.len() {
        return Err(format!(
            "jsonschema says {events} validated, {passed} passed, {failed} failed, and names {} failed entries",
            lines.len()
        ));
    }
    Ok(Verdicts {
        events,
        refused: failed,
        lines: Some(lines),
    })
}

/// `E validated, P passed, F failed` as its three numbers.
fn closing_counts(text: &str) -> Option<(usize, usize, usize)> {
    let mut numbers = text
        .trim()
        .split(", ")
        .zip(["validated", "passed", "failed"])
        .map(|(part, word)| {
            part.strip_suffix(word)
                .and_then(|n| n.trim().parse::<usize>().ok())
        });
    let counts = (numbers.next()??, numbers.next()??, numbers.next()??);
    (text.trim().split(", ").count() == 3).then_some(counts)
}

/// `tools/bench/ajv.mjs`: one JSON line, `{"events": N, "invalid": M, "invalid_lines": [...]}`.
pub fn ajv(stdout: &str) -> Result<Verdicts, String> {
    let (last, report) = last_json_line(stdout, "ajv.mjs")?;
    let count = |value: &Value| value.as_u64().and_then(|n| usize::try_from(n).ok());
    let events = count(&report["events"]);
    let invalid = count(&report["invalid"]);
    let lines: Option<Vec<usize>> = report["invalid_lines"]
        .as_array()
        .and_then(|items| items.iter().map(count).collect());
    match (events, invalid, lines) {
        (Some(events), Some(invalid), Some(mut lines)) if lines.len() == invalid => {
            lines.sort_unstable();
            Ok(Verdicts {
                events,
                refused: invalid,
                lines: Some(lines),
            })
        }
        _ => Err(format!("ajv.mjs's line is not its report: {}", cut(last))),
    }
}

/// How a validator's refused lines differ from the lines that carry a fault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disagreement {
    /// Lines with a fault that the validator accepted.
    pub accepted_faulty: Vec<usize>,
    /// Lines without a fault that the validator refused.
    pub refused_sound: Vec<usize>,
}

impl Disagreement {
    /// Whether the validator refused exactly the faulty lines.
    pub fn is_empty(&self) -> bool {
        self.accepted_faulty.is_empty() && self.refused_sound.is_empty()
    }
}

/// Compares `refused` with `faulty`, both lists of line numbers; the result's lists ascend.
pub fn compare(faulty: &[usize], refused: &[usize]) -> Disagreement {
    let faulty: BTreeSet<usize> = faulty.iter().copied().collect();
    let refused: BTreeSet<usize> = refused.iter().copied().collect();
    Disagreement {
        accepted_faulty: faulty.difference(&refused).copied().collect(),
        refused_sound: refused.difference(&faulty).copied().collect(),
    }
}

/// Values that only a `format` assertion refuses: the schemas' `pattern`s, types and lengths
/// let each one through (`date-time` backs a pattern that allows any day up to 31; an IP
/// address is `format: ipv4` or `format: ipv6` and nothing else). The corpus's faults are all
/// caught without formats, so the corpus alone cannot tell a validator that skips them (as
/// draft 2020-12 allows by default) from one that checks them: these lines can. Each is the
/// event type, the JSON Pointer of a string the event has, the value put there, and what it
/// tests.
pub const FORMAT_ONLY: [(&str, &str, &str, &str); 7] = [
    (
        "auth",
        "/created_on",
        "2024-02-30T16:41:36.253Z",
        "date-time: February 30",
    ),
    (
        "auth",
        "/payload/user/created_on",
        "2023-02-29T05:37:15.707Z",
        "date-time: February 29 of a common year",
    ),
    (
        "call_state",
        "/call/created_on",
        "2024-04-31T16:41:34.861Z",
        "date-time: April 31",
    ),
    (
        "auth",
        "/payload/ip",
        "999.182.88.88",
        "ipv4: an octet over 255",
    ),
    ("auth", "/payload/ip", "1.2.3", "ipv4: three octets"),
    ("auth", "/payload/ip", "01.2.3.4", "ipv4: a leading zero"),
    ("auth", "/payload/ip", "fe80::1%eth0", "ipv6: a zone index"),
];

/// One line of the format probe: the event, whether the contract refuses it, and what it tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeLine {
    /// The event, one line of JSON.
    pub text: String,
    /// Whether a validator that checks formats refuses it.
    pub refused: bool,
    /// What the line tests, in words.
    pub what: String,
}

/// The format probe built from `valid` events (lines of JSON, such as the valid fixtures of
/// [`load_templates`](crate::load_templates)): for each event type of
/// [`FORMAT_ONLY`], its first event unchanged (every validator must accept it), then one line
/// for each case whose pointer names a string in that event, with the case's value there.
/// Errors when an event type or a pointer is not found in any event: the probe would prove
/// less than it says.
pub fn format_probe<'a>(
    valid: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<ProbeLine>, String> {
    let mut firsts: Vec<(String, Value)> = Vec::new();
    for line in valid {
        let Ok(event) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(kind) = event["type"].as_str() else {
            continue;
        };
        if !firsts.iter().any(|(k, _)| k == kind) {
            firsts.push((kind.to_owned(), event));
        }
    }
    let mut out = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for (kind, ..) in FORMAT_ONLY {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    for kind in kinds {
        let (_, event) = firsts
            .iter()
            .find(|(k, _)| k == kind)
            .ok_or_else(|| format!("no `{kind}` event to build the format probe from"))?;
        out.push(ProbeLine {
            text: event.to_string(),
            refused: false,
            what: format!("a valid `{kind}` event"),
        });
        for (_, pointer, value, what) in FORMAT_ONLY.iter().filter(|case| case.0 == kind) {
            let mut changed = event.clone();
            match changed.pointer_mut(pointer) {
                Some(slot @ Value::String(_)) => *slot = Value::String((*value).to_owned()),
                _ => return Err(format!("the `{kind}` event has no string at {pointer}")),
            }
            out.push(ProbeLine {
                text: changed.to_string(),
                refused: true,
                what: format!("{what} ({pointer}: {value:?})"),
            });
        }
    }
    Ok(out)
}

/// At most 200 characters of `text`, for a message.
fn cut(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(
        got: Result<Verdicts, String>,
        events: usize,
        refused: usize,
        lines: Option<&[usize]>,
    ) {
        let got = got.expect("readable output");
        assert_eq!(
            got,
            Verdicts {
                events,
                refused,
                lines: lines.map(<[usize]>::to_vec)
            }
        );
    }

    #[test]
    fn evschema_summaries() {
        let summary = r#"{"summary":true,"inputs":5,"events":5,"verdicts":{"valid":3,"invalid":1,"parse_error":1,"blank":0},"exit_code":1}"#;
        check(evschema_summary(&format!("{summary}\n")), 5, 2, None);
        assert!(evschema_summary("").is_err());
        assert!(evschema_summary(r#"{"line":1,"valid":true}"#).is_err());
        assert!(evschema_summary(r#"{"summary":true,"events":1,"verdicts":{"valid":2}}"#).is_err());
    }

    #[test]
    fn evschema_record_lists() {
        let out = concat!(
            r#"{"source":"c.jsonl","line":1,"verdict":"valid","valid":true,"errors":[]}"#,
            "\n",
            r#"{"source":"c.jsonl","line":2,"verdict":"blank","valid":true,"errors":[]}"#,
            "\n",
            r#"{"source":"c.jsonl","line":7,"verdict":"invalid","valid":false,"errors":[{}]}"#,
            "\n",
            r#"{"source":"c.jsonl","line":3,"verdict":"parse_error","valid":false,"errors":[{}]}"#,
            "\n",
            r#"{"summary":true,"events":3,"verdicts":{"valid":1,"invalid":1,"parse_error":1,"blank":1}}"#,
            "\n",
        );
        check(evschema_records(out), 3, 2, Some(&[3, 7]));
        // Records that the summary does not count, and no summary at all, are errors.
        let (records, _) = out.rsplit_once(r#"{"summary""#).expect("a summary");
        assert!(evschema_records(records).is_err());
        let extra = format!(
            "{}\n{out}",
            r#"{"source":"c.jsonl","line":9,"verdict":"invalid","valid":false}"#
        );
        assert!(evschema_records(&extra).is_err());
    }

    #[test]
    fn sourcemeta_output() {
        let err = "fail: c.jsonl (entry #5)\n\n{\n  \"a\": 1\n}\n\nerror: Schema validation failure\n\nfail: ../x (y)/c.jsonl (entry #1)\n{}\nerror: Schema validation failure\n5 validated, 3 passed, 2 failed\n";
        check(sourcemeta(err), 5, 2, Some(&[1, 5]));
        check(
            sourcemeta("4 validated, 4 passed, 0 failed\n"),
            4,
            0,
            Some(&[]),
        );
        // No closing line, a count that the entries do not match, an entry without a number.
        assert!(sourcemeta("fail: c.jsonl (entry #5)\n").is_err());
        assert!(sourcemeta("fail: c.jsonl (entry #5)\n5 validated, 3 passed, 2 failed\n").is_err());
        assert!(sourcemeta("5 validated, 3 passed, 1 failed\n").is_err());
        assert!(sourcemeta("fail: c.jsonl\n1 validated, 0 passed, 1 failed\n").is_err());
    }

    #[test]
    fn ajv_output() {
        check(
            ajv("{\"events\":4,\"invalid\":2,\"invalid_lines\":[4,2]}\n"),
            4,
            2,
            Some(&[2, 4]),
        );
        assert!(ajv("").is_err());
        assert!(ajv(r#"{"events":4,"invalid":1,"invalid_lines":[4,2]}"#).is_err());
        assert!(ajv(r#"{"events":4,"invalid":1}"#).is_err());
    }

    /// Every probe line is refused by the contract's engine, in both modes, for its format
    /// alone: jsonschema with formats off accepts it on the published schema; the unchanged
    /// events are accepted by all.
    #[test]
    fn the_format_probe_is_refused_for_formats_only() {
        use crate::{load_templates, workspace_dir};
        use evcontract::{Catalog, Engine, UnknownFields, Values};

        let root = workspace_dir();
        let files = evcontract::files::read_catalog(&root.join("schemas")).expect("the schemas");
        let engine = |policy| {
            let catalog = Catalog::new(&files, policy).expect("a catalog");
            Engine::new(
                catalog,
                evcontract::validate::models_match(&files),
                Values::Show,
            )
        };
        let engines = [engine(UnknownFields::Deny), engine(UnknownFields::Allow)];
        let published: Value = serde_json::from_slice(
            &std::fs::read(root.join("schemas/event.json")).expect("event.json"),
        )
        .expect("JSON");
        let no_formats = jsonschema::options()
            .should_validate_formats(false)
            .build(&published)
            .expect("the published schema compiles");

        let templates = load_templates(&root.join("fixtures/valid")).expect("the fixtures");
        let probe = format_probe(templates.iter().map(String::as_str)).expect("a probe");
        assert_eq!(probe.len(), FORMAT_ONLY.len() + 2);
        assert_eq!(
            probe.iter().filter(|p| p.refused).count(),
            FORMAT_ONLY.len()
        );
        for line in &probe {
            let value: Value = serde_json::from_str(&line.text).expect("JSON");
            for engine in &engines {
                assert_eq!(
                    engine.check(line.text.as_bytes()).is_valid(),
                    !line.refused,
                    "{}",
                    line.what
                );
            }
            assert!(
                no_formats.is_valid(&value),
                "not format-only: {}",
                line.what
            );
        }
        assert!(format_probe(["{\"type\":\"auth\"}"]).is_err());
    }

    #[test]
    fn disagreements() {
        assert!(compare(&[2, 5, 9], &[2, 5, 9]).is_empty());
        assert!(compare(&[], &[]).is_empty());
        assert_eq!(
            compare(&[2, 5, 9], &[1, 5, 10, 11]),
            Disagreement {
                accepted_faulty: vec![2, 9],
                refused_sound: vec![1, 10, 11],
            }
        );
        assert_eq!(
            compare(&[3], &[]),
            Disagreement {
                accepted_faulty: vec![3],
                refused_sound: vec![],
            }
        );
        assert!(!compare(&[3], &[]).is_empty());
        assert!(!compare(&[], &[4]).is_empty());
    }

    /// An unreadable output is quoted in the error, cut to 200 characters.
    #[test]
    fn errors_quote_the_output() {
        let err = ajv("not json").expect_err("not a report");
        assert!(err.ends_with(": not json"), "{err}");
        let long = format!("{{\"events\":{}", "1".repeat(300));
        let err = ajv(&long).expect_err("not a report");
        assert!(err.ends_with(&format!("{}...", &long[..200])), "{err}");
    }
}
