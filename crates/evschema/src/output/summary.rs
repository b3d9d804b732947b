//! The aggregated report of `evschema validate --summary`: instead of one record per input, the
//! counts of a whole run, for archives of millions of events whose per-input report nobody can
//! read.
//!
//! Two tables, each counted exactly:
//! - **by type and verdict**: how many inputs of each event type got each verdict; the type is
//!   unknown (`null`, shown `(unknown)`) for inputs whose `type` names no known event type
//!   (parse errors, too large or too deep inputs, blank lines, I/O and internal errors);
//! - **problem groups**: how many problems share an event type, a JSON Pointer (exactly as the
//!   JSON report gives it) and a kind (`required`, `parse`, `too_large`, ...), most frequent
//!   first, each with its first example in input order (source, line, column, message). Only
//!   the `top` most frequent are shown (0: all); how many are left out is stated.
//!
//! Records are aggregated as the [`Reporter`](super::Reporter) gets them, in input order, in
//! the thread that writes the report, so the report does not depend on `--jobs`. Memory stays
//! bounded whatever the input: at most [`MAX_GROUPS`] groups are kept, holding at most
//! [`MAX_GROUP_BYTES`] of text; a problem of a new group past either limit is counted in
//! `problems_other` (never lost in silence), and every other count stays exact. The table by
//! type is bounded by the catalog: a record's type is a known event type or none.
//!
//! Formats: [`Format::Human`] (a table, with every text from the input escaped as the human
//! format escapes it, [`escape::visible`]) and [`Format::Json`] (one JSON object on one line,
//! written with the JSON lines report's `LineSafe` writer; its shape is the `aggregate` of
//! `report.schema.json`). The other formats report per input and have no aggregate form.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::escape;
use super::human::{BLUE, BOLD, GREEN, Human, RED, RESET, YELLOW};
use super::json_lines::{summary_json, to_line};
use super::{Format, ProblemKind, Record, Render, Source, Style, Summary, Verdict};

/// The formats `--summary` is made in.
pub const FORMATS: [Format; 2] = [Format::Human, Format::Json];

/// How many problem groups are shown by default (`--top`).
pub const DEFAULT_TOP: usize = 20;

/// The most problem groups kept; a problem of a new group past it is counted in
/// `problems_other`.
pub const MAX_GROUPS: usize = 100_000;

/// The most text (bytes of event types, pointers and first messages) the kept groups hold; a
/// problem of a new group that would go past it is counted in `problems_other`.
pub const MAX_GROUP_BYTES: usize = 16 << 20;

/// What the aggregated report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many problem groups to show, most frequent first; 0 shows every group.
    pub top: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { top: DEFAULT_TOP }
    }
}

/// `--summary` asked of a format that has no aggregate form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported(pub Format);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--summary works with --format human or --format json only, not --format {} \
             (it reports each input; use it without --summary)",
            format_name(self.0)
        )
    }
}

impl std::error::Error for Unsupported {}

/// The format's `--format` name.
fn format_name(format: Format) -> String {
    clap::ValueEnum::to_possible_value(&format)
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default()
}

/// Whether `format` has an aggregate form ([`FORMATS`]).
pub fn supports(format: Format) -> Result<(), Unsupported> {
    if FORMATS.contains(&format) {
        Ok(())
    } else {
        Err(Unsupported(format))
    }
}

/// A problem group's identity: the event type, the pointer and the kind.
type GroupKey = (Option<String>, String, ProblemKind);

/// A problem group: how many problems, and the first of them in input order.
#[derive(Debug, Clone)]
struct Group {
    count: u64,
    source: Arc<Source>,
    line: usize,
    column: Option<usize>,
    message: String,
}

/// The counts of a run, kept as records come (in input order).
#[derive(Debug)]
pub(crate) struct Aggregate {
    /// Inputs per verdict ([`Verdict::ALL`]'s order) of each known type, and of none.
    known: HashMap<String, [u64; Verdict::ALL.len()]>,
    unknown: [u64; Verdict::ALL.len()],
    groups: HashMap<GroupKey, Group>,
    /// Problems of new groups past the limits.
    other: u64,
    /// Bytes of text the kept groups hold.
    bytes: usize,
    max_groups: usize,
    max_bytes: usize,
}

impl Aggregate {
    /// An empty aggregate keeping at most `max_groups` groups and `max_bytes` of their text.
    pub(crate) fn new(max_groups: usize, max_bytes: usize) -> Aggregate {
        Aggregate {
            known: HashMap::new(),
            unknown: [0; Verdict::ALL.len()],
            groups: HashMap::new(),
            other: 0,
            bytes: 0,
            max_groups,
            max_bytes,
        }
    }

    /// Counts one record: its type and verdict, and each of its problems in its group.
    pub(crate) fn add(&mut self, record: &Record) {
        // A valid event allocates nothing: its type is looked up by reference.
        let counts = match &record.event_type {
            Some(t) => match self.known.get_mut(t.as_str()) {
                Some(counts) => counts,
                None => self.known.entry(t.clone()).or_default(),
            },
            None => &mut self.unknown,
        };
        // `Verdict::ALL` lists the verdicts in the order they are declared.
        counts[record.verdict as usize] += 1;
        for problem in &record.problems {
            let key = (
                record.event_type.clone(),
                problem.pointer.clone(),
                problem.kind,
            );
            if let Some(group) = self.groups.get_mut(&key) {
                group.count += 1;
                continue;
            }
            let bytes = key.0.as_ref().map_or(0, String::len) + key.1.len() + problem.message.len();
            if self.groups.len() >= self.max_groups || self.bytes + bytes > self.max_bytes {
                self.other += 1;
                continue;
            }
            self.bytes += bytes;
            self.groups.insert(
                key,
                Group {
                    count: 1,
                    source: Arc::clone(&record.source),
                    line: problem.line,
                    column: problem.column,
                    message: problem.message.clone(),
                },
            );
        }
    }

    /// The counts by type and verdict: by type (unknown last), then verdict
    /// ([`Verdict::ALL`]'s order).
    fn by_type(&self) -> Vec<(Option<&str>, Verdict, u64)> {
        let mut types: Vec<(Option<&str>, &[u64; Verdict::ALL.len()])> = self
            .known
            .iter()
            .map(|(t, counts)| (Some(t.as_str()), counts))
            .collect();
        types.sort_by(|a, b| a.0.cmp(&b.0));
        types.push((None, &self.unknown));
        types
            .into_iter()
            .flat_map(|(t, counts)| {
                Verdict::ALL
                    .into_iter()
                    .zip(counts)
                    .filter(|(_, n)| **n > 0)
                    .map(move |(v, n)| (t, v, *n))
            })
            .collect()
    }

    /// Every kept group, most frequent first, then by type (unknown last), pointer and kind.
    fn groups(&self) -> Vec<(&GroupKey, &Group)> {
        let mut groups: Vec<(&GroupKey, &Group)> = self.groups.iter().collect();
        groups.sort_by(|(a, x), (b, y)| {
            y.count
                .cmp(&x.count)
                .then_with(|| type_order(a.0.as_deref(), b.0.as_deref()))
                .then_with(|| a.1.cmp(&b.1))
                .then_with(|| a.2.as_str().cmp(b.2.as_str()))
        });
        groups
    }
}

/// Types in order, the unknown type (`None`) last.
fn type_order(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The groups shown (the first `top`, or all for 0) out of `groups`.
fn shown<T>(groups: &[T], top: usize) -> &[T] {
    if top == 0 {
        groups
    } else {
        &groups[..top.min(groups.len())]
    }
}

/// The renderer of `--summary`: aggregates every record, writes nothing until the end.
pub(crate) struct SummaryReport {
    aggregate: Aggregate,
    options: Options,
    format: Format,
    style: Style,
}

impl SummaryReport {
    /// The aggregated report in `format` (one of [`FORMATS`]; any other is written as JSON).
    pub(crate) fn new(format: Format, style: Style, options: Options) -> SummaryReport {
        SummaryReport {
            aggregate: Aggregate::new(MAX_GROUPS, MAX_GROUP_BYTES),
            options,
            format,
            style,
        }
    }

    #[cfg(test)]
    fn with_limits(mut self, max_groups: usize, max_bytes: usize) -> SummaryReport {
        self.aggregate = Aggregate::new(max_groups, max_bytes);
        self
    }

    /// The report as one JSON value: the summary object of the JSON lines report, with
    /// `by_type`, `problems`, `problems_total`, `problems_omitted` and `problems_other`.
    fn json(&self, summary: &Summary, exit_code: u8) -> serde_json::Value {
        let mut value = summary_json(summary, exit_code);
        let by_type: Vec<serde_json::Value> = self
            .aggregate
            .by_type()
            .into_iter()
            .map(|(t, verdict, count)| json!({ "type": t, "verdict": verdict, "count": count }))
            .collect();
        let groups = self.aggregate.groups();
        let shown = shown(&groups, self.options.top);
        let problems: Vec<serde_json::Value> = shown
            .iter()
            .map(|((t, pointer, kind), group)| {
                let mut first = json!({
                    "source": group.source.json(),
                    "line": group.line,
                    "message": group.message,
                });
                if let Some(column) = group.column {
                    first["column"] = json!(column);
                }
                json!({
                    "type": t,
                    "pointer": pointer,
                    "kind": kind,
                    "count": group.count,
                    "first": first,
                })
            })
            .collect();
        if let Some(object) = value.as_object_mut() {
            object.insert("by_type".into(), by_type.into());
            object.insert("problems".into(), problems.into());
            object.insert("problems_total".into(), groups.len().into());
            object.insert(
                "problems_omitted".into(),
                (groups.len() - shown.len()).into(),
            );
            object.insert("problems_other".into(), self.aggregate.other.into());
        }
        value
    }

    fn paint(&self, code: &'static str) -> (&'static str, &'static str) {
        if self.style.color {
            (code, RESET)
        } else {
            ("", "")
        }
    }

    /// The report as tables for people, then the summary sentence of the human format.
    fn human(&self, out: &mut String, summary: &Summary, exit_code: u8) {
        self.human_by_type(out);
        out.push('\n');
        self.human_problems(out);
        out.push('\n');
        Human::new(self.style.clone()).finish(out, summary, exit_code);
    }

    /// The table by type (rows) and verdict (columns: valid, invalid, and each other verdict
    /// some input got), with a row of totals.
    fn human_by_type(&self, out: &mut String) {
        let (bold, reset) = self.paint(BOLD);
        let rows = self.aggregate.by_type();
        let verdicts: Vec<Verdict> = Verdict::ALL
            .into_iter()
            .filter(|v| {
                matches!(v, Verdict::Valid | Verdict::Invalid) || rows.iter().any(|r| r.1 == *v)
            })
            .collect();
        // One line per type, in the rows' order (unknown last).
        let mut types: Vec<Option<&str>> = rows.iter().map(|r| r.0).collect();
        types.dedup();
        let names: Vec<String> = types.iter().map(|t| type_name(*t)).collect();
        let first = names
            .iter()
            .map(|n| n.width())
            .chain(["type".width(), TOTAL.width()])
            .max()
            .unwrap_or(0);
        let widths: Vec<usize> = verdicts
            .iter()
            .map(|v| {
                let most = rows.iter().filter(|r| r.1 == *v).map(|r| r.2).sum::<u64>();
                v.as_str().len().max(most.to_string().len())
            })
            .collect();
        let _ = writeln!(out, "{bold}Events by type and verdict{reset}");
        let mut header = pad("type", first);
        for (verdict, width) in verdicts.iter().zip(&widths) {
            let _ = write!(header, "  {:>width$}", verdict.as_str());
        }
        let _ = writeln!(out, "{bold}{header}{reset}");
        let count = |t: Option<Option<&str>>, verdict: Verdict| -> u64 {
            rows.iter()
                .filter(|r| r.1 == verdict && t.is_none_or(|t| r.0 == t))
                .map(|r| r.2)
                .sum()
        };
        let lines = types
            .iter()
            .zip(&names)
            .map(|(t, name)| (Some(*t), name.as_str()))
            .chain([(None, TOTAL)]);
        for (t, name) in lines {
            let mut line = pad(name, first);
            for (verdict, width) in verdicts.iter().zip(&widths) {
                let n = count(t, *verdict);
                let (on, off) = if n == 0 {
                    ("", "")
                } else {
                    self.paint(match verdict {
                        Verdict::Valid => GREEN,
                        Verdict::Blank => YELLOW,
                        _ => RED,
                    })
                };
                let _ = write!(line, "  {on}{n:>width$}{off}");
            }
            let _ = writeln!(out, "{line}");
        }
    }

    /// The problem groups shown, each with its first example, and what was left out.
    fn human_problems(&self, out: &mut String) {
        let (bold, reset) = self.paint(BOLD);
        let (red, _) = self.paint(RED);
        let (blue, _) = self.paint(BLUE);
        let groups = self.aggregate.groups();
        let shown = shown(&groups, self.options.top);
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let title = if shown.len() < groups.len() {
            format!(
                "the {} most frequent of {} groups",
                shown.len(),
                groups.len()
            )
        } else {
            format!("{} group{}", groups.len(), plural(groups.len()))
        };
        let _ = writeln!(
            out,
            "{bold}Problems by type, pointer and kind: {title}{reset}"
        );
        if !shown.is_empty() {
            let rows: Vec<[String; 4]> = shown
                .iter()
                .map(|((t, pointer, kind), group)| {
                    let pointer = if pointer.is_empty() {
                        WHOLE.to_owned()
                    } else {
                        escape::visible(pointer).into_owned()
                    };
                    [
                        group.count.to_string(),
                        type_name(t.as_deref()),
                        kind.as_str().to_owned(),
                        pointer,
                    ]
                })
                .collect();
            let width = |i: usize, title: &str| {
                rows.iter()
                    .map(|r| r[i].width())
                    .chain([title.width()])
                    .max()
                    .unwrap_or(0)
            };
            let (count_w, type_w, kind_w) = (width(0, "count"), width(1, "type"), width(2, "kind"));
            let _ = writeln!(
                out,
                "{bold}{:>count_w$}  {}  {}  pointer{reset}",
                "count",
                pad("type", type_w),
                pad("kind", kind_w)
            );
            for (row, (_, group)) in rows.iter().zip(shown) {
                let _ = writeln!(
                    out,
                    "{:>count_w$}  {}  {red}{}{reset}  {}",
                    row[0],
                    pad(&row[1], type_w),
                    pad(&row[2], kind_w),
                    row[3]
                );
                let column = group.column.map(|c| format!(":{c}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:count_w$}  {blue}first at{reset} {}:{}{column}: {}",
                    "",
                    escape::visible(group.source.name()),
                    group.line,
                    escape::visible(&group.message)
                );
            }
        }
        let omitted = groups.len() - shown.len();
        if omitted > 0 {
            let _ = writeln!(
                out,
                "{omitted} more group{} not shown: --top 0 shows every group, --format json \
                 without --summary every problem",
                plural(omitted)
            );
        }
        let other = self.aggregate.other;
        if other > 0 {
            let _ = writeln!(
                out,
                "{other} more problem{} not in any group: past {} groups or {} MiB of their \
                 text, problems of new groups are only counted; --format json without \
                 --summary gives every problem",
                if other == 1 { "" } else { "s" },
                self.aggregate.max_groups,
                self.aggregate.max_bytes >> 20
            );
        }
    }
}

/// How the human table names the row of totals.
const TOTAL: &str = "(all)";
/// How the human table names an empty pointer (the whole input).
const WHOLE: &str = "(whole input)";

/// An event type as the human table shows it: escaped, `(unknown)` for none.
fn type_name(event_type: Option<&str>) -> String {
    event_type.map_or_else(
        || "(unknown)".to_owned(),
        |t| escape::visible(t).into_owned(),
    )
}

/// `text` followed by spaces up to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let mut out = text.to_owned();
    out.push_str(&" ".repeat(width.saturating_sub(text.width())));
    out
}

impl Render for SummaryReport {
    fn record(&mut self, _out: &mut String, record: &Record, _text: &[u8]) {
        self.aggregate.add(record);
    }

    fn finish(&mut self, out: &mut String, summary: &Summary, exit_code: u8) {
        match self.format {
            Format::Human => self.human(out, summary, exit_code),
            _ => {
                out.push_str(&to_line(&self.json(summary, exit_code)));
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use evcontract::Kind;
    use serde_json::Value;

    use super::*;
    use crate::output::Problem;

    fn problem(pointer: &str, kind: ProblemKind, message: &str, line: usize) -> Problem {
        Problem {
            pointer: pointer.into(),
            kind,
            message: message.into(),
            keywords: Vec::new(),
            line,
            column: Some(line + 10),
            span: None,
        }
    }

    fn record(
        source: &Arc<Source>,
        line: usize,
        verdict: Verdict,
        event_type: Option<&str>,
        problems: Vec<Problem>,
    ) -> Record {
        Record {
            source: Arc::clone(source),
            line,
            verdict,
            event_type: event_type.map(str::to_owned),
            problems,
        }
    }

    const FORMAT: ProblemKind = ProblemKind::Schema(Kind::Format);
    const REQUIRED: ProblemKind = ProblemKind::Schema(Kind::Required);

    /// A run of every kind of record, from two sources.
    fn records() -> Vec<Record> {
        let a = Source::file(Path::new("a.ndjson"));
        let b = Source::stdin();
        vec![
            record(&a, 1, Verdict::Valid, Some("call_state"), vec![]),
            record(
                &a,
                2,
                Verdict::Invalid,
                Some("call_state"),
                vec![
                    problem("/created_on", FORMAT, "bad date 1", 2),
                    problem("/uuid", REQUIRED, "no uuid", 2),
                ],
            ),
            record(
                &a,
                3,
                Verdict::Invalid,
                Some("auth"),
                vec![problem("/created_on", FORMAT, "auth date", 3)],
            ),
            Record::whole(&a, 4, Verdict::ParseError, ProblemKind::Parse, "p".into()),
            crate::verdict::blank(&a, 5),
            record(
                &b,
                1,
                Verdict::Invalid,
                Some("call_state"),
                vec![problem("/created_on", FORMAT, "bad date 2", 1)],
            ),
            Record::whole(
                &b,
                2,
                Verdict::TooLarge,
                ProblemKind::TooLarge,
                "big".into(),
            ),
            Record::whole(&b, 3, Verdict::TooDeep, ProblemKind::TooDeep, "deep".into()),
            Record::whole(&b, 4, Verdict::IoError, ProblemKind::Io, "gone".into()),
            Record::internal(&b, 5, "a test"),
            record(&b, 6, Verdict::Valid, Some("auth"), vec![]),
            record(&b, 7, Verdict::Valid, Some("auth"), vec![]),
        ]
    }

    fn summary_of(records: &[Record]) -> Summary {
        let mut summary = Summary {
            sources: 2,
            ..Summary::default()
        };
        for record in records {
            summary.add(record.verdict);
        }
        summary
    }

    fn render(report: &mut SummaryReport, records: &[Record]) -> String {
        let mut out = String::new();
        for record in records {
            report.record(&mut out, record, b"");
        }
        assert_eq!(out, "", "nothing is written before the end");
        report.finish(&mut out, &summary_of(records), 3);
        out
    }

    fn json_of(records: &[Record], top: usize) -> Value {
        let mut report = SummaryReport::new(Format::Json, Style::default(), Options { top });
        let out = render(&mut report, records);
        assert_eq!(out.matches('\n').count(), 1, "one line: {out}");
        assert!(out.ends_with('\n'));
        serde_json::from_str(&out).expect("one JSON value")
    }

    #[test]
    fn counts_by_type_and_verdict_and_groups_problems() {
        let value = json_of(&records(), 0);
        assert_eq!(value["summary"], true);
        assert_eq!(value["inputs"], 12);
        assert_eq!(value["events"], 11);
        assert_eq!(value["exit_code"], 3);
        assert_eq!(value["verdicts"]["invalid"], 3);
        assert_eq!(
            value["by_type"],
            serde_json::json!([
                { "type": "auth", "verdict": "valid", "count": 2 },
                { "type": "auth", "verdict": "invalid", "count": 1 },
                { "type": "call_state", "verdict": "valid", "count": 1 },
                { "type": "call_state", "verdict": "invalid", "count": 2 },
                { "type": null, "verdict": "parse_error", "count": 1 },
                { "type": null, "verdict": "too_large", "count": 1 },
                { "type": null, "verdict": "too_deep", "count": 1 },
                { "type": null, "verdict": "io_error", "count": 1 },
                { "type": null, "verdict": "internal_error", "count": 1 },
                { "type": null, "verdict": "blank", "count": 1 },
            ])
        );
        let first = |source: &str, line: usize, message: &str| {
            serde_json::json!({
                "source": source, "line": line, "column": line + 10, "message": message,
            })
        };
        let whole = |source: &str, line: usize, message: &str| serde_json::json!({ "source": source, "line": line, "message": message });
        let problems = value["problems"].as_array().expect("problems");
        assert_eq!(
            problems[0],
            serde_json::json!({
                "type": "call_state", "pointer": "/created_on", "kind": "format", "count": 2,
                "first": first("a.ndjson", 2, "bad date 1"),
            })
        );
        // Ties by type (null last), then pointer, then kind.
        assert_eq!(
            problems[1],
            serde_json::json!({
                "type": "auth", "pointer": "/created_on", "kind": "format", "count": 1,
                "first": first("a.ndjson", 3, "auth date"),
            })
        );
        assert_eq!(problems[2]["pointer"], "/uuid");
        assert_eq!(problems[2]["first"], first("a.ndjson", 2, "no uuid"));
        let kinds: Vec<&str> = problems[3..]
            .iter()
            .map(|p| p["kind"].as_str().expect("a kind"))
            .collect();
        assert_eq!(
            kinds,
            ["internal", "io", "parse", "too_deep", "too_large"],
            "the whole input's problems, by kind"
        );
        assert!(
            problems[3..]
                .iter()
                .all(|p| p["type"].is_null() && p["pointer"] == "" && p["count"] == 1)
        );
        assert_eq!(problems[4]["first"], whole("<stdin>", 4, "gone"));
        assert_eq!(problems[5]["first"], whole("a.ndjson", 4, "p"));
        assert_eq!(value["problems_total"], 8);
        assert_eq!(value["problems_omitted"], 0);
        assert_eq!(value["problems_other"], 0);
    }

    #[test]
    fn verdicts_are_declared_in_the_order_of_all() {
        for (i, verdict) in Verdict::ALL.into_iter().enumerate() {
            assert_eq!(verdict as usize, i, "{verdict:?}");
        }
    }

    #[test]
    fn top_shows_the_most_frequent_groups_and_says_how_many_are_left() {
        for (top, shown) in [(0, 8), (1, 1), (3, 3), (8, 8), (9, 8), (20, 8)] {
            let value = json_of(&records(), top);
            assert_eq!(
                value["problems"].as_array().map(Vec::len),
                Some(shown),
                "--top {top}"
            );
            assert_eq!(value["problems_total"], 8);
            assert_eq!(value["problems_omitted"], 8 - shown, "--top {top}");
        }
        assert_eq!(json_of(&records(), 1)["problems"][0]["count"], 2);
        assert_eq!(Options::default().top, DEFAULT_TOP);
        assert_eq!(DEFAULT_TOP, 20);
    }

    #[test]
    fn the_first_example_is_the_first_in_input_order() {
        let source = Source::stdin();
        let records: Vec<Record> = (1..=5)
            .map(|line| {
                record(
                    &source,
                    line,
                    Verdict::Invalid,
                    Some("auth"),
                    vec![problem("/x", FORMAT, &format!("m{line}"), line)],
                )
            })
            .collect();
        let value = json_of(&records, 0);
        assert_eq!(value["problems"][0]["count"], 5);
        assert_eq!(value["problems"][0]["first"]["line"], 1);
        assert_eq!(value["problems"][0]["first"]["message"], "m1");
    }

    #[test]
    fn past_the_limits_new_groups_are_counted_as_other_and_every_count_stays_exact() {
        let source = Source::stdin();
        let one = |line: usize, pointer: &str| {
            record(
                &source,
                line,
                Verdict::Invalid,
                Some("auth"),
                vec![problem(pointer, FORMAT, "m", line)],
            )
        };
        // At most two groups: /a and /b are kept (and keep counting), /c and /d are other.
        let records = [
            one(1, "/a"),
            one(2, "/b"),
            one(3, "/c"),
            one(4, "/a"),
            one(5, "/d"),
            one(6, "/c"),
            one(7, "/b"),
        ];
        let mut report = SummaryReport::new(Format::Json, Style::default(), Options { top: 0 })
            .with_limits(2, MAX_GROUP_BYTES);
        let value: Value = serde_json::from_str(&render(&mut report, &records)).expect("JSON");
        assert_eq!(value["problems"][0]["pointer"], "/a");
        assert_eq!(value["problems"][0]["count"], 2);
        assert_eq!(value["problems"][1]["pointer"], "/b");
        assert_eq!(value["problems"][1]["count"], 2);
        assert_eq!(value["problems_total"], 2);
        assert_eq!(value["problems_other"], 3);
        assert_eq!(value["by_type"][0]["count"], 7, "{value}");

        // Text: "auth" + "/a" + "m" is 7 bytes; a limit of 14 keeps two such groups exactly.
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 0 })
            .with_limits(MAX_GROUPS, 14);
        let text = render(&mut report, &records);
        assert!(text.contains("2 groups\n"), "{text}");
        assert!(
            text.contains(
                "3 more problems not in any group: past 100000 groups or 0 MiB of their text"
            ),
            "{text}"
        );
        let mut report = SummaryReport::new(Format::Json, Style::default(), Options { top: 0 })
            .with_limits(MAX_GROUPS, 13);
        let value: Value = serde_json::from_str(&render(&mut report, &records)).expect("JSON");
        assert_eq!(value["problems_total"], 1, "{value}");
        assert_eq!(value["problems_other"], 5, "{value}");
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 0 })
            .with_limits(MAX_GROUPS, 6 << 20);
        let text = render(&mut report, &records[..1]);
        assert!(!text.contains("not in any group"), "{text}");
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 0 })
            .with_limits(0, 6 << 20);
        let text = render(&mut report, &records[..1]);
        assert!(
            text.contains("\n1 more problem not in any group: past 0 groups or 6 MiB of"),
            "{text}"
        );
        assert_eq!((MAX_GROUPS, MAX_GROUP_BYTES), (100_000, 16 << 20));
    }

    #[test]
    fn the_human_tables() {
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 3 });
        let text = render(&mut report, &records());
        assert_eq!(
            text,
            "\
Events by type and verdict
type        valid  invalid  parse_error  too_large  too_deep  io_error  internal_error  blank
auth            2        1            0          0         0         0               0      0
call_state      1        2            0          0         0         0               0      0
(unknown)       0        0            1          1         1         1               1      1
(all)           3        3            1          1         1         1               1      1

Problems by type, pointer and kind: the 3 most frequent of 8 groups
count  type        kind      pointer
    2  call_state  format    /created_on
       first at a.ndjson:2:12: bad date 1
    1  auth        format    /created_on
       first at a.ndjson:3:13: auth date
    1  call_state  required  /uuid
       first at a.ndjson:2:12: no uuid
5 more groups not shown: --top 0 shows every group, --format json without --summary every problem

11 events in 2 sources: 3 valid, 3 invalid, 1 unparsable, 1 too large, 1 too deep, 1 unreadable, 1 internal errors (please report), 1 blank line
"
        );
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 0 });
        let text = render(&mut report, &records()[..1]);
        assert_eq!(
            text,
            "\
Events by type and verdict
type        valid  invalid
call_state      1        0
(all)           1        0

Problems by type, pointer and kind: 0 groups

1 event in 2 sources: 1 valid, 0 invalid
"
        );
        // One group, the whole input: named as such; a line without a column.
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 0 });
        let text = render(&mut report, &records()[6..7]);
        assert!(
            text.contains(
                "Problems by type, pointer and kind: 1 group\ncount  type       kind       \
                 pointer\n    1  (unknown)  too_large  (whole input)\n       first at \
                 <stdin>:2: big\n\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("(all)          0        0          1\n"),
            "{text}"
        );
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 7 });
        let text = render(&mut report, &records());
        assert!(text.contains("\n1 more group not shown: --top 0"), "{text}");
    }

    #[test]
    fn a_count_wider_than_its_verdict_widens_its_column_only() {
        let source = Source::stdin();
        let mut records = vec![record(&source, 1, Verdict::Valid, Some("auth"), vec![])];
        records.extend((2..=100_001).map(|line| crate::verdict::blank(&source, line)));
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options::default());
        let text = render(&mut report, &records);
        assert!(
            text.starts_with(
                "\
Events by type and verdict
type       valid  invalid   blank
auth           1        0       0
(unknown)      0        0  100000
(all)          1        0  100000
"
            ),
            "{text}"
        );
    }

    #[test]
    fn colour_as_the_human_format() {
        let style = Style {
            color: true,
            ..Style::default()
        };
        let mut report = SummaryReport::new(Format::Human, style, Options { top: 1 });
        let text = render(&mut report, &records()[..3]);
        assert_eq!(
            text,
            "\
\u{1b}[1mEvents by type and verdict\u{1b}[0m
\u{1b}[1mtype        valid  invalid\u{1b}[0m
auth            0  \u{1b}[31m      1\u{1b}[0m
call_state  \u{1b}[32m    1\u{1b}[0m  \u{1b}[31m      1\u{1b}[0m
(all)       \u{1b}[32m    1\u{1b}[0m  \u{1b}[31m      2\u{1b}[0m

\u{1b}[1mProblems by type, pointer and kind: the 1 most frequent of 3 groups\u{1b}[0m
\u{1b}[1mcount  type  kind    pointer\u{1b}[0m
    1  auth  \u{1b}[31mformat\u{1b}[0m  /created_on
       \u{1b}[34mfirst at\u{1b}[0m a.ndjson:3:13: auth date
2 more groups not shown: --top 0 shows every group, --format json without --summary every problem

\u{1b}[31m3 events in 2 sources: 1 valid, 2 invalid\u{1b}[0m
"
        );
        let blank = [crate::verdict::blank(&Source::stdin(), 1)];
        let mut report = SummaryReport::new(Format::Human, style_colour(), Options { top: 0 });
        let text = render(&mut report, &blank);
        assert!(
            text.contains("(unknown)      0        0  \u{1b}[33m    1\u{1b}[0m\n"),
            "{text}"
        );
    }

    fn style_colour() -> Style {
        Style {
            color: true,
            ..Style::default()
        }
    }

    #[test]
    fn text_from_the_input_is_escaped_and_columns_are_counted_by_display_width() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9\x1b[2J.ndjson");
        let source = Source::file(Path::new(name));
        let records = [record(
            &source,
            1,
            Verdict::Invalid,
            Some("名前\u{202e}"),
            vec![problem(
                "/\u{2028}x\u{1b}]0;t\u{7}",
                ProblemKind::Schema(Kind::UnknownField),
                "m\nFORGED\u{85}",
                1,
            )],
        )];
        let mut report = SummaryReport::new(Format::Human, Style::default(), Options { top: 0 });
        let text = render(&mut report, &records);
        assert!(
            !text.chars().any(|c| c != '\n' && escape::is_hazard(c)),
            "{text}"
        );
        assert!(!text.lines().any(|l| l.starts_with("FORGED")), "{text}");
        assert!(
            text.contains("type          valid  invalid\n名前\\u{202e}      0        1\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "    1  名前\\u{202e}  unknown_field  /\\u{2028}x\\u{1b}]0;t\\u{7}\n       first \
                 at caf\\xE9\\u{1b}[2J.ndjson:1:11: m\\u{a}FORGED\\u{85}\n"
            ),
            "{text}"
        );
        let value = json_of(&records, 0);
        assert_eq!(value["problems"][0]["pointer"], "/\u{2028}x\u{1b}]0;t\u{7}");
        assert_eq!(value["problems"][0]["type"], "名前\u{202e}");
        assert_eq!(
            value["problems"][0]["first"]["source"],
            serde_json::json!({ "bytes": b"caf\xe9\x1b[2J.ndjson" })
        );
    }

    #[test]
    fn only_human_and_json_have_a_summary() {
        for format in Format::ALL {
            assert_eq!(
                supports(format).is_ok(),
                matches!(format, Format::Human | Format::Json),
                "{format:?}"
            );
        }
        assert_eq!(
            Unsupported(Format::Sarif).to_string(),
            "--summary works with --format human or --format json only, not --format sarif \
             (it reports each input; use it without --summary)"
        );
        assert_eq!(format_name(Format::Junit), "junit");
        assert_eq!(format_name(Format::Github), "github");
        let reporter = crate::output::Reporter::summary(
            Vec::new(),
            Format::Junit,
            Style::default(),
            Options::default(),
        );
        assert_eq!(reporter.err(), Some(Unsupported(Format::Junit)));
    }

    #[test]
    fn quiet_changes_nothing_in_the_reporter() {
        let run = |quiet: bool| {
            let style = Style {
                quiet,
                ..Style::default()
            };
            let mut reporter = crate::output::Reporter::summary(
                Vec::new(),
                Format::Json,
                style,
                Options::default(),
            )
            .expect("json has a summary");
            let records = records();
            for record in &records {
                assert_eq!(
                    reporter.record(record, b"").expect("in memory"),
                    record.verdict
                );
            }
            let out = reporter
                .finish(&summary_of(&records), 3)
                .expect("in memory");
            String::from_utf8(out).expect("UTF-8")
        };
        let report = run(true);
        assert_eq!(report, run(false));
        assert!(report.contains("\"problems_total\":8"), "{report}");
    }
}
