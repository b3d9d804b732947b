//! Verdict records and their output formats: human diagnostics, JSON lines, JUnit XML, GitHub
//! workflow annotations and SARIF.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;
use serde_json::json;

/// The verdict on one input: a file in JSON mode, a line in NDJSON mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The event keeps the contract.
    Valid,
    /// The event is JSON but breaks the contract.
    Invalid,
    /// Not one JSON value (or a repeated key, a byte-order mark, nesting deeper than 128).
    ParseError,
    /// Longer than `--max-line-bytes` / `--max-file-bytes`.
    TooLarge,
    /// Could not be read.
    IoError,
    /// An empty or white-space line in an NDJSON stream: not an event, counted and reported.
    Blank,
}

impl Verdict {
    /// Every verdict, in summary order.
    pub const ALL: [Verdict; 6] = [
        Verdict::Valid,
        Verdict::Invalid,
        Verdict::ParseError,
        Verdict::TooLarge,
        Verdict::IoError,
        Verdict::Blank,
    ];

    /// The verdict's name in machine-readable output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::ParseError => "parse_error",
            Verdict::TooLarge => "too_large",
            Verdict::IoError => "io_error",
            Verdict::Blank => "blank",
        }
    }

    /// Whether this input lets the run pass: valid events and blank lines do.
    pub fn passes(self) -> bool {
        matches!(self, Verdict::Valid | Verdict::Blank)
    }
}

/// One problem of one input, located.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// JSON Pointer into the event; empty for the whole input (a parse error).
    pub pointer: String,
    /// The kind: a schema error kind, or `parse`, `too_large`, `io`.
    pub kind: String,
    /// What was expected and what was found.
    pub message: String,
    /// 1-based line in the source.
    pub line: usize,
    /// 1-based column in that line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Byte range of the offending part in the record's text, for underlining.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

/// The verdict on one input with everything a report needs.
#[derive(Debug, Clone)]
pub struct Record {
    /// The file or stream.
    pub source: String,
    /// 1-based line where the input starts (1 for a JSON file).
    pub line: usize,
    /// The verdict.
    pub verdict: Verdict,
    /// The event's `type`, when known.
    pub event_type: Option<String>,
    /// The problems; empty for a valid event or a blank line.
    pub problems: Vec<Problem>,
}

/// Counts of verdicts over a run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Inputs per verdict.
    pub counts: BTreeMap<Verdict, u64>,
    /// Files and streams read.
    pub sources: u64,
    /// Files in folders passed over for their extension.
    pub ignored_files: u64,
    /// Whether the run stopped early on a signal.
    pub interrupted: bool,
}

impl Summary {
    /// Counts one verdict.
    pub fn add(&mut self, verdict: Verdict) {
        *self.counts.entry(verdict).or_default() += 1;
    }

    /// Inputs with this verdict.
    pub fn count(&self, verdict: Verdict) -> u64 {
        self.counts.get(&verdict).copied().unwrap_or(0)
    }

    /// Every input counted.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// Events: every input but blank lines.
    pub fn events(&self) -> u64 {
        self.total() - self.count(Verdict::Blank)
    }

    /// The summary in words: "12 inputs in 3 sources: 10 valid, 1 invalid, 1 blank line".
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        for verdict in Verdict::ALL {
            let n = self.count(verdict);
            if n > 0 || matches!(verdict, Verdict::Valid | Verdict::Invalid) {
                let name = match verdict {
                    Verdict::ParseError => "unparsable",
                    Verdict::TooLarge => "too large",
                    Verdict::IoError => "unreadable",
                    Verdict::Blank if n == 1 => "blank line",
                    Verdict::Blank => "blank lines",
                    other => other.as_str(),
                };
                parts.push(format!("{n} {name}"));
            }
        }
        let mut text = format!(
            "{} event{} in {} source{}: {}",
            self.events(),
            if self.events() == 1 { "" } else { "s" },
            self.sources,
            if self.sources == 1 { "" } else { "s" },
            parts.join(", ")
        );
        if self.ignored_files > 0 {
            text.push_str(&format!(
                "; {} file{} in folders ignored (not .json, .ndjson or .jsonl)",
                self.ignored_files,
                if self.ignored_files == 1 { "" } else { "s" }
            ));
        }
        if self.interrupted {
            text.push_str("; interrupted before the end");
        }
        text
    }

    fn to_json(&self, exit_code: u8) -> serde_json::Value {
        let mut counts = serde_json::Map::new();
        for verdict in Verdict::ALL {
            counts.insert(verdict.as_str().into(), json!(self.count(verdict)));
        }
        json!({
            "summary": true,
            "inputs": self.total(),
            "events": self.events(),
            "verdicts": counts,
            "sources": self.sources,
            "ignored_files": self.ignored_files,
            "interrupted": self.interrupted,
            "exit_code": exit_code,
        })
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics with the offending part of the source underlined.
    Human,
    /// One JSON object per input, one per line, then a summary object.
    Json,
    /// JUnit XML, for CI systems' test reports.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// How the human format looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to use ANSI colours.
    pub color: bool,
    /// Whether to show source text (off with `--mask`: it would show the values).
    pub show_source: bool,
    /// Whether to print only the summary.
    pub quiet: bool,
}

/// Writes records as they come, and the summary at the end.
pub struct Reporter<W: Write> {
    out: W,
    format: Format,
    style: Style,
    /// JUnit and SARIF are documents, written at the end: the records they need are kept
    /// (only the failing ones, plus counts).
    kept: Vec<Record>,
    per_source: BTreeMap<String, (u64, u64)>,
}

impl<W: Write> Reporter<W> {
    /// A reporter writing `format` to `out`.
    pub fn new(out: W, format: Format, style: Style) -> Self {
        Reporter {
            out,
            format,
            style,
            kept: Vec::new(),
            per_source: BTreeMap::new(),
        }
    }

    /// Reports one input. `text` is the input's bytes (the file, or the line), for showing
    /// the source.
    pub fn record(&mut self, record: &Record, text: &[u8]) -> io::Result<()> {
        if self.format == Format::Junit {
            // Only JUnit reports per source; a lookup per event is not free on a long stream.
            if !self.per_source.contains_key(&record.source) {
                self.per_source.insert(record.source.clone(), (0, 0));
            }
            let entry = self
                .per_source
                .get_mut(&record.source)
                .expect("inserted above");
            if record.verdict != Verdict::Blank {
                entry.0 += 1;
            }
            if !record.verdict.passes() {
                entry.1 += 1;
            }
        }
        match self.format {
            Format::Json if !self.style.quiet => {
                let object = json!({
                    "source": record.source,
                    "line": record.line,
                    "verdict": record.verdict,
                    "valid": record.verdict.passes(),
                    "type": record.event_type,
                    "errors": record.problems,
                });
                serde_json::to_writer(&mut self.out, &object)?;
                self.out.write_all(b"\n")
            }
            Format::Human if !self.style.quiet => self.human(record, text),
            Format::Github if !self.style.quiet => self.github(record),
            Format::Junit | Format::Sarif if !record.verdict.passes() => {
                self.kept.push(record.clone());
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Flushes what was written, so a slow stream's verdicts show while it waits for more.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Writes the summary (and, for JUnit and SARIF, the whole document) and flushes.
    pub fn finish(mut self, summary: &Summary, exit_code: u8) -> io::Result<()> {
        match self.format {
            Format::Human => {
                let (on, off) = self.paint(
                    if summary.total()
                        == summary.count(Verdict::Valid) + summary.count(Verdict::Blank)
                        && exit_code == 0
                    {
                        GREEN
                    } else {
                        RED
                    },
                );
                writeln!(self.out, "{on}{}{off}", summary.sentence())?;
            }
            Format::Json => {
                serde_json::to_writer(&mut self.out, &summary.to_json(exit_code))?;
                self.out.write_all(b"\n")?;
            }
            Format::Github => {
                let level = if exit_code == 0 { "notice" } else { "error" };
                writeln!(
                    self.out,
                    "::{level} title=evschema::{}",
                    escape_data(&summary.sentence())
                )?;
            }
            Format::Junit => self.junit(summary)?,
            Format::Sarif => self.sarif()?,
        }
        self.out.flush()
    }

    fn paint(&self, code: &'static str) -> (&'static str, &'static str) {
        if self.style.color {
            (code, RESET)
        } else {
            ("", "")
        }
    }

    fn human(&mut self, record: &Record, text: &[u8]) -> io::Result<()> {
        let (bold, reset) = self.paint(BOLD);
        let (blue, _) = self.paint(BLUE);
        if record.verdict == Verdict::Blank {
            let (yellow, _) = self.paint(YELLOW);
            return writeln!(
                self.out,
                "{yellow}note{reset}: {}:{}: blank line, not an event (counted, not validated)",
                record.source, record.line
            );
        }
        let (red, _) = self.paint(RED);
        let text = String::from_utf8_lossy(text);
        for problem in &record.problems {
            writeln!(
                self.out,
                "{red}{bold}error[{}]{reset}{bold}: {}{reset}",
                problem.kind, problem.message
            )?;
            let column = problem.column.map(|c| format!(":{c}")).unwrap_or_default();
            let at = if problem.pointer.is_empty() {
                String::new()
            } else {
                format!(" at {}", problem.pointer)
            };
            let event_type = record
                .event_type
                .as_deref()
                .map(|t| format!(" ({t} event)"))
                .unwrap_or_default();
            writeln!(
                self.out,
                "  {blue}-->{reset} {}:{}{column}{at}{event_type}",
                record.source, problem.line
            )?;
            if self.style.show_source
                && let Some(span) = &problem.span
            {
                self.snippet(&text, span.clone(), problem.line)?;
            }
        }
        if !record.problems.is_empty() {
            writeln!(self.out)?;
        }
        Ok(())
    }

    /// Shows the source line of `span` with the span underlined; a long line (an NDJSON
    /// event) is cut to a window around it.
    fn snippet(&mut self, text: &str, span: Range<usize>, line_no: usize) -> io::Result<()> {
        let (blue, reset) = self.paint(BLUE);
        let (red, _) = self.paint(RED);
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[line_start..line_end];
        let end = span.end.clamp(start, line_end);
        // Columns in characters, so the underline sits under the right characters.
        let before = text[line_start..start].chars().count();
        let width = text[start..end].chars().count().max(1);
        let chars: Vec<char> = line.chars().collect();
        let (from, to) = if chars.len() <= 100 {
            (0, chars.len())
        } else {
            let from = before.saturating_sub(30);
            (from, (from + 100).min(chars.len()))
        };
        let mut shown: String = chars[from..to].iter().collect();
        shown = shown.replace('\t', " ");
        let (lead, trail) = (
            if from > 0 { "..." } else { "" },
            if to < chars.len() { "..." } else { "" },
        );
        let gutter = line_no.to_string();
        let pad = " ".repeat(gutter.len());
        let underline_at = lead.len() + before - from;
        let underline = width.min(to.saturating_sub(before).max(1));
        writeln!(self.out, "{pad} {blue}|{reset}")?;
        writeln!(self.out, "{blue}{gutter} |{reset} {lead}{shown}{trail}")?;
        writeln!(
            self.out,
            "{pad} {blue}|{reset} {}{red}{}{reset}",
            " ".repeat(underline_at),
            "^".repeat(underline)
        )
    }

    fn github(&mut self, record: &Record) -> io::Result<()> {
        if record.verdict == Verdict::Blank {
            return writeln!(
                self.out,
                "::notice file={},line={}::blank line, not an event",
                escape_property(&record.source),
                record.line
            );
        }
        for problem in &record.problems {
            let column = problem
                .column
                .map(|c| format!(",col={c}"))
                .unwrap_or_default();
            let at = if problem.pointer.is_empty() {
                String::new()
            } else {
                format!("{}: ", problem.pointer)
            };
            writeln!(
                self.out,
                "::error file={},line={}{column},title={}::{}",
                escape_property(&record.source),
                problem.line,
                escape_property(&format!("evschema {}", problem.kind)),
                escape_data(&format!("{at}{}", problem.message))
            )?;
        }
        Ok(())
    }

    fn junit(&mut self, summary: &Summary) -> io::Result<()> {
        let failures: u64 = self.per_source.values().map(|(_, f)| f).sum();
        writeln!(self.out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            self.out,
            r#"<testsuites name="evschema" tests="{}" failures="{failures}">"#,
            summary.events()
        )?;
        for (source, (tests, failed)) in &self.per_source {
            writeln!(
                self.out,
                r#"  <testsuite name="{}" tests="{tests}" failures="{failed}">"#,
                xml(source)
            )?;
            for record in self.kept.iter().filter(|r| &r.source == source) {
                writeln!(
                    self.out,
                    r#"    <testcase classname="{}" name="line {}">"#,
                    xml(source),
                    record.line
                )?;
                let text: Vec<String> = record
                    .problems
                    .iter()
                    .map(|p| {
                        let column = p.column.map(|c| format!(":{c}")).unwrap_or_default();
                        format!(
                            "{source}:{}{column} {} [{}] {}",
                            p.line, p.pointer, p.kind, p.message
                        )
                    })
                    .collect();
                let first = record.problems.first().map_or("", |p| p.message.as_str());
                writeln!(
                    self.out,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    record.verdict.as_str(),
                    xml(first),
                    xml(&text.join("\n"))
                )?;
                writeln!(self.out, "    </testcase>")?;
            }
            let passed = tests - failed;
            if passed > 0 {
                writeln!(
                    self.out,
                    r#"    <testcase classname="{}" name="{passed} valid event{}"/>"#,
                    xml(source),
                    if passed == 1 { "" } else { "s" }
                )?;
            }
            writeln!(self.out, "  </testsuite>")?;
        }
        writeln!(self.out, "</testsuites>")
    }

    fn sarif(&mut self) -> io::Result<()> {
        let mut kinds: Vec<&str> = self
            .kept
            .iter()
            .flat_map(|r| r.problems.iter().map(|p| p.kind.as_str()))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let rules: Vec<serde_json::Value> = kinds
            .iter()
            .map(|k| json!({ "id": k, "shortDescription": { "text": rule_text(k) } }))
            .collect();
        let results: Vec<serde_json::Value> = self
            .kept
            .iter()
            .flat_map(|record| {
                record.problems.iter().map(move |p| {
                    let mut region = json!({ "startLine": p.line });
                    if let Some(column) = p.column {
                        region["startColumn"] = json!(column);
                    }
                    let at = if p.pointer.is_empty() { String::new() } else { format!("{}: ", p.pointer) };
                    json!({
                        "ruleId": p.kind,
                        "level": "error",
                        "message": { "text": format!("{at}{}", p.message) },
                        "locations": [{
                            "physicalLocation": {
                                "artifactLocation": { "uri": record.source },
                                "region": region,
                            },
                            "logicalLocations": [{ "fullyQualifiedName": p.pointer, "kind": "member" }],
                        }],
                    })
                })
            })
            .collect();
        let document = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "evschema",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": format!("{}index.json", opentact_events::schema::id_base()),
                    "rules": rules,
                } },
                "results": results,
                // Columns count characters (Unicode code points), not UTF-16 units.
                "columnKind": "unicodeCodePoints",
            }],
        });
        serde_json::to_writer_pretty(&mut self.out, &document)?;
        self.out.write_all(b"\n")
    }
}

fn rule_text(kind: &str) -> &'static str {
    match kind {
        "required" => "a required key is missing",
        "unknown_field" => "a key the contract does not list",
        "forbidden" => "a key that must be absent here",
        "type" => "a value of the wrong JSON type",
        "enum" => "a value outside the allowed set",
        "const" => "a value other than the one allowed",
        "format" => "a string not of its format",
        "pattern" => "a string that does not match its pattern",
        "length" => "a string too short or too long",
        "range" => "a number outside its bounds",
        "any_of" => "a value matching none of the alternatives",
        "parse" => "not one JSON value",
        "too_large" => "an input over the size limit",
        "io" => "an input that could not be read",
        _ => "a value the schema refuses",
    }
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";

/// Escapes text for an XML attribute or element.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
