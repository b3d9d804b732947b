//! What every report must be, whatever the input bytes, file names or values: each format
//! checked by a real parser for it. The integration tests run the binary and check its reports
//! with [`check`]; the fuzz target `render` includes this file and checks every report it
//! renders the same way, so each property is written once.
//!
//! - human: no control character (C0 but newline and tab, DEL, C1), line or paragraph
//!   separator, bidirectional control or byte-order mark reaches the output, except the
//!   report's own colour codes; the summary's counts add up to the inputs;
//! - JSON lines: every line one JSON object (serde_json), none of those characters raw either,
//!   one record per input in order with the expected verdicts, then one summary that adds up;
//!   every line valid against the report's own schema (`report.schema.json`);
//! - JUnit: well-formed XML (roxmltree), whose counts match the verdicts;
//! - GitHub: every line one workflow command whose properties are escaped per the rules;
//! - SARIF: valid against the official SARIF 2.1.0 schema (the `jsonschema` crate, formats
//!   asserted), every `uri` an RFC 3986 reference (fluent-uri) relative to `SRCROOT` or a
//!   `file:` URI, standard input an artifact without a URI, one result per problem.
//!
//! And the aggregate of `--summary` ([`check_summary`]): in JSON one object on one line, valid
//! against `report.schema.json`, whose counts add up and are sorted as documented, and which is
//! exactly the aggregate of the per-input JSON report of the same input ([`aggregate`], written
//! here apart from evschema's own); in the human format none of the characters above, tables
//! whose columns stay aligned, and a summary line that adds up.

#![allow(dead_code)] // Each includer uses its part.

use std::sync::OnceLock;

use serde_json::Value;

/// The formats, by their `--format` name.
pub const FORMATS: [&str; 5] = ["human", "json", "junit", "github", "sarif"];

/// What the report must say: the verdict of every input in order, and how many problems the
/// failing ones have in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Truth {
    pub verdicts: Vec<String>,
    pub problems: usize,
}

impl Truth {
    /// The truth a `--format json` report tells (after [`check`]ing it).
    pub fn from_json_report(report: &str) -> Truth {
        let mut truth = Truth::default();
        for line in report.lines() {
            let value: Value = serde_json::from_str(line).unwrap_or_default();
            if value["summary"] == true {
                continue;
            }
            truth
                .verdicts
                .push(value["verdict"].as_str().unwrap_or_default().to_owned());
            truth.problems += value["errors"].as_array().map_or(0, Vec::len);
        }
        truth
    }

    fn count(&self, pred: impl Fn(&str) -> bool) -> usize {
        self.verdicts.iter().filter(|v| pred(v)).count()
    }

    fn failing(&self) -> usize {
        self.count(|v| !matches!(v, "valid" | "blank"))
    }

    fn errors(&self) -> usize {
        self.count(|v| matches!(v, "io_error" | "internal_error"))
    }
}

/// Whether `c` may not appear raw in a report: C0 controls but newline and tab, DEL, C1, the
/// line and paragraph separators, the bidirectional controls and the byte-order mark. (Written
/// here apart from evschema's own list, so that a gap in that list fails.)
pub fn forbidden(c: char) -> bool {
    let n = u32::from(c);
    (n < 0x20 && c != '\n' && c != '\t')
        || (0x7F..=0x9F).contains(&n)
        || matches!(n, 0x2028 | 0x2029 | 0x061C | 0x200E | 0x200F | 0xFEFF)
        || (0x202A..=0x202E).contains(&n)
        || (0x2066..=0x2069).contains(&n)
}

fn no_forbidden(report: &str, what: &str) -> Result<(), String> {
    match report.char_indices().find(|&(_, c)| forbidden(c)) {
        Some((at, c)) => Err(format!(
            "{what}: {c:?} at byte {at}, in {:?}",
            &report[report.floor_char_boundary(at.saturating_sub(40))
                ..report.ceil_char_boundary((at + 40).min(report.len()))]
        )),
        None => Ok(()),
    }
}

/// Checks a report in `format` against `truth`; `color` says whether colour was on (human).
pub fn check(format: &str, report: &str, truth: &Truth, color: bool) -> Result<(), String> {
    match format {
        "human" => human(report, truth, color),
        "json" => json(report, truth),
        "junit" => junit(report, truth),
        "github" => github(report, truth),
        "sarif" => sarif(report, truth),
        other => Err(format!("no such format: {other}")),
    }
    .map_err(|err| format!("{format}: {err}"))
}

/// The human report without its own colour codes (when `color`).
fn uncoloured(report: &str, color: bool) -> String {
    let mut plain = report.to_owned();
    if color {
        for code in [
            "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[34m",
        ] {
            plain = plain.replace(code, "");
        }
    }
    plain
}

fn human(report: &str, truth: &Truth, color: bool) -> Result<(), String> {
    let plain = uncoloured(report, color);
    no_forbidden(&plain, "a character that must not reach a terminal")?;
    summary_sentence(&plain, truth)?;
    if plain.lines().filter(|l| l.starts_with("error[")).count() != truth.problems {
        return Err(format!(
            "not one `error[` line per problem ({})",
            truth.problems
        ));
    }
    Ok(())
}

/// Checks that the last line of a human report is a summary sentence whose counts add up to
/// the inputs.
fn summary_sentence(plain: &str, truth: &Truth) -> Result<(), String> {
    let summary = plain.lines().last().ok_or("no summary line")?;
    let (_, counts) = summary
        .split_once(": ")
        .ok_or_else(|| format!("not a summary: {summary}"))?;
    let counts = counts.split(';').next().unwrap_or_default();
    let total: usize = counts
        .split(", ")
        .map(|part| part.split(' ').next().and_then(|n| n.parse::<usize>().ok()))
        .sum::<Option<usize>>()
        .ok_or_else(|| format!("not a summary: {summary}"))?;
    if total != truth.verdicts.len() {
        return Err(format!(
            "the summary counts {total} inputs, not {}: {summary}",
            truth.verdicts.len()
        ));
    }
    Ok(())
}

fn report_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(include_str!("../../report.schema.json"))
            .expect("report.schema.json is JSON");
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("report.schema.json compiles")
    })
}

fn json(report: &str, truth: &Truth) -> Result<(), String> {
    no_forbidden(report, "a character JSON lines must escape")?;
    if !report.ends_with('\n') {
        return Err("the report does not end with a newline".into());
    }
    let mut values = Vec::new();
    for (i, line) in report.lines().enumerate() {
        let value: Value =
            serde_json::from_str(line).map_err(|e| format!("line {} is not JSON ({e})", i + 1))?;
        if let Some(error) = report_schema().iter_errors(&value).next() {
            return Err(format!(
                "line {} is not valid against report.schema.json: {error} at {}: {line}",
                i + 1,
                error.instance_path()
            ));
        }
        values.push(value);
    }
    let summary = values.pop().ok_or("empty report")?;
    if summary["summary"] != true || values.iter().any(|v| v.get("summary").is_some()) {
        return Err("not exactly one summary, last".into());
    }
    let verdicts: Vec<String> = values
        .iter()
        .map(|v| v["verdict"].as_str().unwrap_or_default().to_owned())
        .collect();
    if verdicts != truth.verdicts {
        return Err(format!(
            "verdicts {verdicts:?}, expected {:?}",
            truth.verdicts
        ));
    }
    if summary["inputs"] != values.len() {
        return Err(format!("summary.inputs is not {}: {summary}", values.len()));
    }
    let sum: u64 = summary["verdicts"]
        .as_object()
        .ok_or("no verdicts in the summary")?
        .values()
        .filter_map(Value::as_u64)
        .sum();
    if sum != values.len() as u64 {
        return Err(format!("the summary's verdicts do not add up: {summary}"));
    }
    for v in &truth.verdicts {
        if summary["verdicts"][v] != truth.count(|x| x == v) {
            return Err(format!("summary.verdicts.{v} is wrong: {summary}"));
        }
    }
    Ok(())
}

fn junit(report: &str, truth: &Truth) -> Result<(), String> {
    let doc = roxmltree::Document::parse(report).map_err(|e| format!("not XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "testsuites" {
        return Err("the root is not <testsuites>".into());
    }
    let number = |node: roxmltree::Node, name: &str| -> Result<usize, String> {
        node.attribute(name)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("<{}> has no number {name}", node.tag_name().name()))
    };
    let events = truth.count(|v| v != "blank");
    if number(root, "tests")? != events
        || number(root, "failures")? + number(root, "errors")? != truth.failing()
        || number(root, "errors")? != truth.errors()
    {
        return Err(format!(
            "the counts are not {events} tests, {} failing ({} errors)",
            truth.failing(),
            truth.errors()
        ));
    }
    let failing = doc
        .descendants()
        .filter(|n| matches!(n.tag_name().name(), "failure" | "error"))
        .count();
    if failing != truth.failing() {
        return Err(format!(
            "{failing} <failure>/<error>, not {}",
            truth.failing()
        ));
    }
    for suite in root.children().filter(roxmltree::Node::is_element) {
        if suite.attribute("name").is_none() {
            return Err("a <testsuite> without a name".into());
        }
    }
    Ok(())
}

fn github(report: &str, truth: &Truth) -> Result<(), String> {
    no_forbidden(report, "a character a workflow log must not get raw")?;
    let mut lines = 0;
    for line in report.lines() {
        lines += 1;
        let rest = line
            .strip_prefix("::")
            .ok_or_else(|| format!("not a workflow command: {line}"))?;
        let (command, message) = rest
            .split_once("::")
            .ok_or_else(|| format!("no `::` before the message: {line}"))?;
        let (name, properties) = command.split_once(' ').unwrap_or((command, ""));
        if !matches!(name, "error" | "notice") {
            return Err(format!("unknown command {name}: {line}"));
        }
        for property in properties.split(',').filter(|p| !p.is_empty()) {
            let (key, value) = property
                .split_once('=')
                .ok_or_else(|| format!("a property without `=`: {line}"))?;
            let numeric = value.parse::<u64>().is_ok_and(|n| n >= 1);
            let ok = match key {
                "file" | "title" => !value.is_empty(),
                "line" | "col" => numeric,
                _ => false,
            };
            if !ok {
                return Err(format!("a bad property {property:?}: {line}"));
            }
        }
        // `%` only as an escape in messages and properties.
        for text in [message, properties] {
            let mut rest = text;
            while let Some(at) = rest.find('%') {
                let code = rest.get(at + 1..at + 3).unwrap_or_default();
                if !matches!(code, "25" | "0D" | "0A" | "3A" | "2C") {
                    return Err(format!("a `%` not escaped: {line}"));
                }
                rest = &rest[at + 3..];
            }
        }
    }
    let expected = truth.problems + truth.count(|v| v == "blank") + 1;
    if lines != expected {
        return Err(format!("{lines} commands, not {expected}"));
    }
    Ok(())
}

fn sarif_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(include_str!("../data/sarif/sarif-schema-2.1.0.json"))
                .expect("the SARIF schema is JSON");
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles")
    })
}

fn sarif(report: &str, truth: &Truth) -> Result<(), String> {
    // Pretty-printed: newlines are layout, never inside a string.
    no_forbidden(report, "a character the report must escape")?;
    let document: Value = serde_json::from_str(report).map_err(|e| format!("not JSON: {e}"))?;
    let errors: Vec<String> = sarif_schema()
        .iter_errors(&document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    if !errors.is_empty() {
        return Err(format!("not valid SARIF 2.1.0: {}", errors.join("; ")));
    }
    let run = &document["runs"][0];
    let results = run["results"].as_array().ok_or("no results")?;
    // Valid events and blank lines have no problems: one result per problem.
    if results.len() != truth.problems {
        return Err(format!("{} results, not {}", results.len(), truth.problems));
    }
    for result in results {
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        match location["uri"].as_str() {
            Some(uri) => {
                fluent_uri::UriRef::parse(uri)
                    .map_err(|e| format!("{uri:?} is not an RFC 3986 reference: {e}"))?;
                let base = location["uriBaseId"].as_str();
                let ok = match base {
                    Some(id) => {
                        !uri.starts_with('/')
                            && !uri.contains(':')
                            && run["originalUriBaseIds"][id]["uri"]
                                .as_str()
                                .is_none_or(|u| u.starts_with("file:///") && u.ends_with('/'))
                    }
                    None => uri.starts_with("file:///"),
                };
                if !ok {
                    return Err(format!("{uri:?} is neither relative to a base nor file:"));
                }
            }
            None => {
                let index = location["index"].as_u64().ok_or("no uri and no index")?;
                let artifact = &run["artifacts"][usize::try_from(index).unwrap_or(usize::MAX)];
                if artifact["location"]["description"]["text"] != "standard input" {
                    return Err(format!(
                        "an artifact without a URI that is not stdin: {run}"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The formats `--summary` is made in, by their `--format` name.
pub const SUMMARY_FORMATS: [&str; 2] = ["human", "json"];

/// The verdicts in the order of the report schema's enum (`Verdict::ALL`).
const VERDICT_ORDER: [&str; 8] = [
    "valid",
    "invalid",
    "parse_error",
    "too_large",
    "too_deep",
    "io_error",
    "internal_error",
    "blank",
];

/// Types in the aggregate's order: by their text, the unknown type (null) last.
fn type_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    (a.is_null(), a.as_str()).cmp(&(b.is_null(), b.as_str()))
}

/// What `--summary --format json --top TOP` must print for the input whose `--format json`
/// report is `report`: its summary object, with `by_type`, `problems` (the first `top` groups,
/// 0 for all), `problems_total`, `problems_omitted` and `problems_other` (0: no input of a test
/// has 100,000 groups) computed from its records.
pub fn aggregate(report: &str, top: usize) -> Result<Value, String> {
    let mut values = Vec::new();
    for line in report.lines() {
        values.push(serde_json::from_str::<Value>(line).map_err(|e| format!("not JSON: {e}"))?);
    }
    let mut summary = values.pop().ok_or("an empty report")?;
    let mut by_type: Vec<(Value, usize, u64)> = Vec::new();
    // (type, pointer, kind) and (count, first), in the order first seen.
    type Group = ((Value, Value, Value), (u64, Value));
    let mut groups: Vec<Group> = Vec::new();
    for record in &values {
        let verdict = VERDICT_ORDER
            .iter()
            .position(|v| record["verdict"] == *v)
            .ok_or_else(|| format!("no verdict: {record}"))?;
        let event_type = record["type"].clone();
        match by_type
            .iter_mut()
            .find(|(t, v, _)| *t == event_type && *v == verdict)
        {
            Some(row) => row.2 += 1,
            None => by_type.push((event_type.clone(), verdict, 1)),
        }
        for error in record["errors"].as_array().ok_or("no errors")? {
            let key = (
                event_type.clone(),
                error["pointer"].clone(),
                error["kind"].clone(),
            );
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, (count, _))) => *count += 1,
                None => {
                    let mut first = serde_json::json!({
                        "source": record["source"],
                        "line": error["line"],
                        "message": error["message"],
                    });
                    if let Some(column) = error.get("column") {
                        first["column"] = column.clone();
                    }
                    groups.push((key, (1, first)));
                }
            }
        }
    }
    by_type.sort_by(|a, b| type_order(&a.0, &b.0).then(a.1.cmp(&b.1)));
    groups.sort_by(|(a, x), (b, y)| {
        y.0.cmp(&x.0)
            .then_with(|| type_order(&a.0, &b.0))
            .then_with(|| a.1.as_str().cmp(&b.1.as_str()))
            .then_with(|| a.2.as_str().cmp(&b.2.as_str()))
    });
    let total = groups.len();
    let shown = if top == 0 { total } else { top.min(total) };
    let object = summary
        .as_object_mut()
        .ok_or("the summary is not an object")?;
    object.insert(
        "by_type".into(),
        by_type
            .into_iter()
            .map(|(t, v, count)| {
                serde_json::json!({ "type": t, "verdict": VERDICT_ORDER[v], "count": count })
            })
            .collect(),
    );
    object.insert(
        "problems".into(),
        groups
            .into_iter()
            .take(shown)
            .map(|((t, pointer, kind), (count, first))| {
                serde_json::json!({
                    "type": t, "pointer": pointer, "kind": kind, "count": count, "first": first,
                })
            })
            .collect(),
    );
    object.insert("problems_total".into(), total.into());
    object.insert("problems_omitted".into(), (total - shown).into());
    object.insert("problems_other".into(), 0.into());
    Ok(summary)
}

/// Checks a `--summary` report in `format` (`human` or `json`) against `truth`; `color` says
/// whether colour was on (human).
pub fn check_summary(format: &str, report: &str, truth: &Truth, color: bool) -> Result<(), String> {
    match format {
        "human" => human_summary(report, truth, color),
        "json" => json_summary(report, truth).map(drop),
        other => Err(format!("no summary in format {other}")),
    }
    .map_err(|err| format!("{format} --summary: {err}"))
}

fn json_summary(report: &str, truth: &Truth) -> Result<Value, String> {
    no_forbidden(report, "a character JSON lines must escape")?;
    let line = report
        .strip_suffix('\n')
        .filter(|l| !l.contains('\n'))
        .ok_or("not one line ending with a newline")?;
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON ({e})"))?;
    if let Some(error) = report_schema().iter_errors(&value).next() {
        return Err(format!(
            "not valid against report.schema.json: {error} at {}: {line}",
            error.instance_path()
        ));
    }
    let fail = |what: &str| Err(format!("{what}: {line}"));
    if value["summary"] != true || !value["by_type"].is_array() {
        return fail("not the aggregate");
    }
    if value["inputs"] != truth.verdicts.len() {
        return fail("inputs is not the number of inputs");
    }
    let by_type = value["by_type"].as_array().cloned().unwrap_or_default();
    for verdict in VERDICT_ORDER {
        let n = truth.count(|v| v == verdict);
        let rows: u64 = by_type
            .iter()
            .filter(|r| r["verdict"] == verdict)
            .filter_map(|r| r["count"].as_u64())
            .sum();
        if value["verdicts"][verdict] != n || rows != n as u64 {
            return fail(&format!("{verdict} is not counted {n} times"));
        }
    }
    let position = |v: &Value| VERDICT_ORDER.iter().position(|x| v == *x);
    if !by_type.windows(2).all(|w| {
        type_order(&w[0]["type"], &w[1]["type"])
            .then(position(&w[0]["verdict"]).cmp(&position(&w[1]["verdict"])))
            .is_lt()
    }) {
        return fail("by_type is not sorted by type (null last), then verdict, each once");
    }
    let problems = value["problems"].as_array().cloned().unwrap_or_default();
    let key = |p: &Value| {
        (
            std::cmp::Reverse(p["count"].as_u64()),
            p["type"].is_null(),
            p["type"].as_str().map(str::to_owned),
            p["pointer"].as_str().map(str::to_owned),
            p["kind"].as_str().map(str::to_owned),
        )
    };
    if !problems.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
        return fail("problems is not sorted by count, then type, pointer and kind, each once");
    }
    let counted: u64 = problems.iter().filter_map(|p| p["count"].as_u64()).sum();
    let other = value["problems_other"].as_u64().unwrap_or_default();
    let omitted = value["problems_omitted"].as_u64().unwrap_or_default();
    if value["problems_total"] != problems.len() as u64 + omitted {
        return fail("problems_total is not the groups shown and omitted");
    }
    let all = truth.problems as u64;
    if counted + other > all || (omitted == 0 && counted + other != all) {
        return fail(&format!("the groups do not hold the {all} problems"));
    }
    Ok(value)
}

fn human_summary(report: &str, truth: &Truth, color: bool) -> Result<(), String> {
    let plain = uncoloured(report, color);
    no_forbidden(&plain, "a character that must not reach a terminal")?;
    summary_sentence(&plain, truth)?;
    let mut lines = plain.lines();
    if lines.next() != Some("Events by type and verdict") {
        return Err(format!("no table by type first:\n{plain}"));
    }
    // The table by type: every row as wide as its header (right-aligned counts), and the row
    // of totals adds up to the inputs.
    let header = lines.next().ok_or("no header")?;
    let width = header.chars().count();
    let mut total = None;
    for row in lines.by_ref().take_while(|l| !l.is_empty()) {
        if row.chars().count() != width {
            return Err(format!("a row not as wide as its header:\n{header}\n{row}"));
        }
        if let Some(counts) = row.strip_prefix("(all)") {
            total = counts
                .split_whitespace()
                .map(|n| n.parse::<usize>().ok())
                .sum::<Option<usize>>();
        }
    }
    if total != Some(truth.verdicts.len()) {
        return Err(format!("the row of totals does not add up:\n{plain}"));
    }
    // The problems: every group's pointer under the header's, each group followed by its
    // first example.
    let title = lines.next().unwrap_or_default();
    if !title.starts_with("Problems by type, pointer and kind: ") {
        return Err(format!("no table of problems:\n{plain}"));
    }
    let mut lines = lines.take_while(|l| !l.is_empty()).peekable();
    if let Some(header) = lines.next_if(|l| l.trim_start().starts_with("count ")) {
        let column = header.find("pointer").ok_or("no pointer column")?;
        let indent = header.find("type").ok_or("no type column")?;
        // A group's row: its count, then two spaces.
        let is_row = |l: &&str| {
            let row = l.trim_start();
            let digits = row.len() - row.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            digits > 0 && row[digits..].starts_with("  ")
        };
        while let Some(row) = lines.next_if(is_row) {
            let at: String = row.chars().skip(column - 2).take(3).collect();
            if !(at.starts_with("  /") || at == "  (") {
                return Err(format!("a pointer out of its column:\n{header}\n{row}"));
            }
            let first = lines.next().unwrap_or_default();
            if first.get(..indent).is_none_or(|i| !i.trim().is_empty())
                || !first[indent..].starts_with("first at ")
            {
                return Err(format!(
                    "a group without its first example:\n{row}\n{first}"
                ));
            }
        }
    }
    for rest in lines {
        if !rest.contains(" more group") && !rest.contains(" more problem") {
            return Err(format!("an unexpected line in the problems: {rest}"));
        }
    }
    Ok(())
}

/// The fuzz target's check, on any bytes: the first byte gives the length of a file name
/// (`0` is standard input), the next that many bytes are the name, the rest is the input. The
/// input is checked as one JSON file and as an NDJSON stream (lines of at most 256 bytes, so
/// `too_large` comes up), every record is rendered in every format (human with and without
/// colour, with and without source), and every report must pass [`check`]; no input may be an
/// internal error. The aggregate (`--summary`) of the records, in the human and JSON formats,
/// must pass [`check_summary`], and in JSON be exactly the [`aggregate`] of the JSON report,
/// with every `--top` tried.
pub fn check_rendering(engine: &evcontract::Engine, data: &[u8]) -> Result<(), String> {
    check_rendering_lines(engine, data, 256)
}

/// [`check_rendering`] with NDJSON lines of at most `max_line` bytes.
pub fn check_rendering_lines(
    engine: &evcontract::Engine,
    data: &[u8],
    max_line: usize,
) -> Result<(), String> {
    use std::ffi::OsStr;
    use std::io::BufReader;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    use evschema::input::{Line, LineReader};
    use evschema::output::{
        Format, ProblemKind, Record, Reporter, Source, Style, Summary, Verdict,
    };
    use evschema::verdict::{blank, check as check_bytes, is_blank};

    let (name, bytes) = match data.split_first() {
        Some((&n, rest)) => rest.split_at(usize::from(n % 48).min(rest.len())),
        None => (&[][..], data),
    };
    let source = if name.is_empty() {
        Source::stdin()
    } else {
        Source::file(Path::new(OsStr::from_bytes(name)))
    };
    let mut records: Vec<(Record, &[u8])> = vec![(check_bytes(engine, &source, 1, bytes), bytes)];
    let mut lines = LineReader::new(BufReader::with_capacity(7, bytes), max_line);
    let mut buf = Vec::new();
    let mut kept = Vec::new();
    while let Some(line) = lines.next_line(&mut buf).map_err(|e| e.to_string())? {
        let record = match line {
            Line::TooLarge(len) => Record::whole(
                &source,
                lines.line,
                Verdict::TooLarge,
                ProblemKind::TooLarge,
                format!("the line has {len} bytes"),
            ),
            Line::Text if is_blank(&buf) => blank(&source, lines.line),
            Line::Text => check_bytes(engine, &source, lines.line, &buf),
        };
        kept.push((record, std::mem::take(&mut buf)));
    }
    records.extend(kept.iter().map(|(r, b)| (r.clone(), b.as_slice())));
    let truth = Truth {
        verdicts: records
            .iter()
            .map(|(r, _)| r.verdict.as_str().to_owned())
            .collect(),
        problems: records.iter().map(|(r, _)| r.problems.len()).sum(),
    };
    if truth.verdicts.iter().any(|v| v == "internal_error") {
        return Err(format!("an internal error: {records:?}"));
    }
    // Every record through a reporter, then its end: the report.
    let run = |mut reporter: Reporter<Vec<u8>>| -> Result<String, String> {
        let mut summary = Summary {
            sources: 2,
            ..Summary::default()
        };
        for (record, text) in &records {
            let verdict = reporter.record(record, text).map_err(|e| e.to_string())?;
            if verdict != record.verdict {
                return Err(format!("the report of {record:?} failed"));
            }
            summary.add(verdict);
        }
        let code = if summary.all_pass() { 0 } else { 1 };
        let out = reporter.finish(&summary, code).map_err(|e| e.to_string())?;
        String::from_utf8(out).map_err(|e| e.to_string())
    };
    let styles = [(true, true), (false, true), (false, false)];
    let style = |color, show_source| Style {
        color,
        show_source,
        quiet: false,
        base_dir: Some("/fuzz/base dir".into()),
    };
    let mut json_report = String::new();
    for format in Format::ALL {
        for &(color, show_source) in &styles[..if format == Format::Human { 3 } else { 1 }] {
            let reporter = Reporter::new(Vec::new(), format, style(color, show_source));
            let report = run(reporter).map_err(|e| format!("{format:?}: {e}"))?;
            let name = FORMATS[Format::ALL.iter().position(|f| *f == format).unwrap_or(0)];
            check(name, &report, &truth, color).map_err(|e| format!("{e}\n{report}"))?;
            if format == Format::Json {
                json_report = report;
            }
        }
    }
    // The aggregate (`--summary`): well-formed, and in JSON exactly the aggregate of the
    // per-input JSON report, whatever the number of groups shown.
    for (format, name) in [(Format::Human, "human"), (Format::Json, "json")] {
        for &(color, show_source) in &styles[..if format == Format::Human { 2 } else { 1 }] {
            for top in [0, 1, 20] {
                let options = evschema::output::summary::Options { top };
                let reporter =
                    Reporter::summary(Vec::new(), format, style(color, show_source), options)
                        .map_err(|e| e.to_string())?;
                let report = run(reporter).map_err(|e| format!("{format:?} --summary: {e}"))?;
                check_summary(name, &report, &truth, color)
                    .map_err(|e| format!("{e}\n{report}"))?;
                if format == Format::Json {
                    let got: Value = serde_json::from_str(&report).map_err(|e| e.to_string())?;
                    let want = aggregate(&json_report, top)?;
                    if got != want {
                        return Err(format!(
                            "--summary --top {top} is not the aggregate of the JSON report:\n\
                             {got}\nexpected\n{want}"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
