//! Verdict records and the reports made of them.
//!
//! One renderer per format, each in its own module: [`human`] (compiler-style diagnostics),
//! [`json_lines`] (one JSON object per input), [`junit`] (JUnit XML), [`github`] (GitHub
//! workflow annotations) and [`sarif`] (SARIF 2.1.0); and [`summary`], the aggregate of a whole
//! run (`--summary`, human or JSON) instead of a record per input. Every renderer is total: whatever the
//! bytes, the file name or the values, it writes a report its consumer can read (text from the
//! input goes through [`escape`]). The [`Reporter`] is the last line of defence around them: a
//! record that still fails to render is reported as an internal error, and the run goes on.

/// Text from the input made safe for a report (shared with the `compat` reports, hence kept in
/// `evcontract`).
pub use evcontract::escape;
pub mod github;
pub mod human;
pub mod json_lines;
pub mod junit;
pub mod sarif;
pub mod summary;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use evcontract::Kind;
use serde::{Serialize, Serializer};

use crate::verdict::Detail;

/// The verdict on one input: a file in JSON mode, a line in NDJSON mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The event keeps the contract.
    Valid,
    /// The event is JSON but breaks the contract.
    Invalid,
    /// Not one JSON value (or a repeated key, a byte-order mark).
    ParseError,
    /// Longer than `--max-line-bytes` / `--max-file-bytes`.
    TooLarge,
    /// Nested deeper than the limit (127 levels of arrays and objects,
    /// [`evcontract::parse::MAX_DEPTH`]): not read past it.
    TooDeep,
    /// Could not be read (including a damaged compressed archive).
    IoError,
    /// evschema itself failed on this input (a bug): reported, never valid, and the run goes on.
    InternalError,
    /// An empty or white-space line in an NDJSON stream: not an event, counted and reported.
    Blank,
}

impl Verdict {
    /// Every verdict, in summary order.
    pub const ALL: [Verdict; 8] = [
        Verdict::Valid,
        Verdict::Invalid,
        Verdict::ParseError,
        Verdict::TooLarge,
        Verdict::TooDeep,
        Verdict::IoError,
        Verdict::InternalError,
        Verdict::Blank,
    ];

    /// The verdict's name in machine-readable output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::ParseError => "parse_error",
            Verdict::TooLarge => "too_large",
            Verdict::TooDeep => evcontract::parse::TOO_DEEP,
            Verdict::IoError => "io_error",
            Verdict::InternalError => "internal_error",
            Verdict::Blank => "blank",
        }
    }

    /// Whether this input lets the run pass: valid events and blank lines do.
    pub fn passes(self) -> bool {
        matches!(self, Verdict::Valid | Verdict::Blank)
    }
}

/// What kind of problem a [`Problem`] is: a schema error of one [`Kind`], or a problem with the
/// input itself. Serialized as its name (`required`, `format`, ..., `parse`, `too_large`,
/// `too_deep`, `io`, `internal`), the `kind` of JSON reports and the rule id of SARIF reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// The event breaks a rule of the schema.
    Schema(Kind),
    /// The input is not one JSON value under the contract's rules.
    Parse,
    /// The input is over the size limit.
    TooLarge,
    /// The input is nested deeper than the limit.
    TooDeep,
    /// The input could not be read.
    Io,
    /// evschema failed on the input (a bug).
    Internal,
}

impl ProblemKind {
    /// The kind's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Schema(kind) => kind.as_str(),
            ProblemKind::Parse => "parse",
            ProblemKind::TooLarge => "too_large",
            ProblemKind::TooDeep => evcontract::parse::TOO_DEEP,
            ProblemKind::Io => "io",
            ProblemKind::Internal => "internal",
        }
    }

    /// What a problem of this kind is, in a few words (SARIF's rule descriptions).
    pub fn description(self) -> &'static str {
        match self {
            ProblemKind::Schema(kind) => kind.description(),
            ProblemKind::Parse => "not one JSON value",
            ProblemKind::TooLarge => "an input over the size limit",
            ProblemKind::TooDeep => "an input nested deeper than the limit",
            ProblemKind::Io => "an input that could not be read",
            ProblemKind::Internal => "an input evschema failed on (a bug: please report it)",
        }
    }
}

impl Serialize for ProblemKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem of one input, located.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// JSON Pointer into the event; empty for the whole input (a parse error). For nesting past
    /// the limit, the array or object that would open the next level.
    pub pointer: String,
    /// The kind of problem.
    pub kind: ProblemKind,
    /// What was expected and what was found.
    pub message: String,
    /// For a schema problem, every keyword of the schema that failed for this fault (a short
    /// `uuid`: `format`, `pattern`, `minLength`); empty otherwise. Only the JSON report shows
    /// them: every other format shows one problem per fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// 1-based line in the source.
    pub line: usize,
    /// 1-based column in that line (in characters), where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Byte range of the offending part in the record's bytes, for underlining. Any range is
    /// accepted: renderers clamp it and widen it to whole characters.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

/// Where inputs come from: a file (or FIFO) by path, or standard input.
///
/// Each report names a file in the form its reader resolves, so that two files never share a
/// name and a name never designates another file: the JSON report gives the path's text, or its
/// bytes when it is not UTF-8 ([`Source::json`]); GitHub annotations the path itself, escaped
/// as workflow commands require (`github.rs`); SARIF a percent-encoded URI of its bytes
/// (`sarif.rs`); people (human, JUnit) an unambiguous display ([`Source::name`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    name: String,
    path: Option<PathBuf>,
}

/// How standard input is named; a file of that very name is shown as `./<stdin>`.
pub const STDIN: &str = "<stdin>";

impl Source {
    /// Standard input, named `<stdin>` in reports.
    pub fn stdin() -> Arc<Source> {
        Arc::new(Source {
            name: STDIN.into(),
            path: None,
        })
    }

    /// A file, named in reports by [`Source::name`] (for people) and [`Source::json`].
    pub fn file(path: &Path) -> Arc<Source> {
        use std::os::unix::ffi::OsStrExt;
        Arc::new(Source {
            name: display_name(path.as_os_str().as_bytes()),
            path: Some(path.to_owned()),
        })
    }

    /// The name shown to people (the human and JUnit reports): the path as given, with a
    /// backslash shown as `\\` and each byte that is not UTF-8 as `\xNN`, so that a name that
    /// is not UTF-8 and a name holding the text `\xFF` read differently; `./<stdin>` for a file
    /// named `<stdin>`. Control characters are escaped by each format as it needs.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The path, or `None` for standard input.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The source as the JSON report gives it, lossless: the path as a string when it is UTF-8
    /// (`./<stdin>` for a file named `<stdin>`), else `{"bytes": [...]}` with every byte of the
    /// path; `"<stdin>"` for standard input.
    pub fn json(&self) -> serde_json::Value {
        use std::os::unix::ffi::OsStrExt;
        let Some(path) = &self.path else {
            return STDIN.into();
        };
        let bytes = path.as_os_str().as_bytes();
        match std::str::from_utf8(bytes) {
            Ok(STDIN) => format!("./{STDIN}").into(),
            Ok(text) => text.into(),
            Err(_) => serde_json::json!({ "bytes": bytes }),
        }
    }
}

/// A path's bytes shown unambiguously ([`escape::unambiguous`]); a path that reads `<stdin>` is
/// shown `./<stdin>`.
fn display_name(bytes: &[u8]) -> String {
    if bytes == STDIN.as_bytes() {
        return format!("./{STDIN}");
    }
    escape::unambiguous(bytes)
}

/// The verdict on one input with everything a report needs.
#[derive(Debug, Clone)]
pub struct Record {
    /// The file or stream.
    pub source: Arc<Source>,
    /// 1-based line where the input starts (1 for a JSON file).
    pub line: usize,
    /// The verdict.
    pub verdict: Verdict,
    /// The event's `type`, when known.
    pub event_type: Option<String>,
    /// The problems; empty for a valid event or a blank line.
    pub problems: Vec<Problem>,
}

impl Record {
    /// A record with one problem covering the whole input (no pointer, no column).
    pub fn whole(
        source: &Arc<Source>,
        line: usize,
        verdict: Verdict,
        kind: ProblemKind,
        message: String,
    ) -> Record {
        Record {
            source: Arc::clone(source),
            line,
            verdict,
            event_type: None,
            problems: vec![Problem {
                pointer: String::new(),
                kind,
                message,
                keywords: Vec::new(),
                line,
                column: None,
                span: None,
            }],
        }
    }

    /// The internal-error record of an input evschema failed on: `what` says what failed.
    pub fn internal(source: &Arc<Source>, line: usize, what: &str) -> Record {
        Record::whole(
            source,
            line,
            Verdict::InternalError,
            ProblemKind::Internal,
            format!(
                "internal error: evschema failed on this input ({what}); this is a bug, please \
                 report it with the input. The run went on with the next input"
            ),
        )
    }
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

    /// Whether every input passed (valid events and blank lines only).
    pub fn all_pass(&self) -> bool {
        self.counts.iter().all(|(v, n)| v.passes() || *n == 0)
    }

    /// The summary in words: "12 events in 3 sources: 10 valid, 1 invalid, 1 blank line".
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        for verdict in Verdict::ALL {
            let n = self.count(verdict);
            if n > 0 || matches!(verdict, Verdict::Valid | Verdict::Invalid) {
                let name = match verdict {
                    Verdict::ParseError => "unparsable",
                    Verdict::TooLarge => "too large",
                    Verdict::TooDeep => "too deep",
                    Verdict::IoError => "unreadable",
                    Verdict::InternalError => "internal errors (please report)",
                    Verdict::Blank if n == 1 => "blank line",
                    Verdict::Blank => "blank lines",
                    other => other.as_str(),
                };
                parts.push(format!("{n} {name}"));
            }
        }
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let mut text = format!(
            "{} event{} in {} source{}: {}",
            self.events(),
            plural(self.events()),
            self.sources,
            plural(self.sources),
            parts.join(", ")
        );
        if self.ignored_files > 0 {
            text.push_str(&format!(
                "; {} file{} in folders ignored (not .json, .ndjson or .jsonl, compressed or not)",
                self.ignored_files,
                plural(self.ignored_files)
            ));
        }
        if self.interrupted {
            text.push_str("; interrupted before the end");
        }
        text
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

impl Format {
    /// Every format.
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Junit,
        Format::Github,
        Format::Sarif,
    ];
}

/// How a report looks.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// Whether to use ANSI colours (human format only).
    pub color: bool,
    /// Whether to show source text (off with `--mask`: it would show the values).
    pub show_source: bool,
    /// Whether to print only the summary.
    pub quiet: bool,
    /// The folder relative paths are relative to (the working folder), for SARIF's
    /// `originalUriBaseIds`; `None` leaves relative URIs without a base.
    pub base_dir: Option<PathBuf>,
}

/// One output format: what it writes for each record as it comes, and at the end.
///
/// Renderers write into a `String` (so a renderer that fails midway leaves nothing half
/// written) and must update their own state only after everything that could fail.
pub(crate) trait Render {
    /// What the format says about one input. `text` is the input's bytes (the file or the
    /// line), for showing the source.
    fn record(&mut self, out: &mut String, record: &Record, text: &[u8]);
    /// The end: the summary, or the whole document for JUnit and SARIF.
    fn finish(&mut self, out: &mut String, summary: &Summary, exit_code: u8);
}

/// Writes records as they come, and the summary at the end, in one format.
pub struct Reporter<W: Write> {
    out: W,
    renderer: Box<dyn Render>,
    quiet: bool,
    format: Format,
}

impl<W: Write> Reporter<W> {
    /// A reporter writing `format` to `out`.
    pub fn new(out: W, format: Format, style: Style) -> Self {
        let quiet = style.quiet;
        let renderer: Box<dyn Render> = match format {
            Format::Human => Box::new(human::Human::new(style)),
            Format::Json => Box::new(json_lines::JsonLines),
            Format::Junit => Box::new(junit::Junit::default()),
            Format::Github => Box::new(github::Github),
            Format::Sarif => Box::new(sarif::Sarif::new(style.base_dir.as_deref())),
        };
        Reporter {
            out,
            renderer,
            quiet,
            format,
        }
    }

    /// A reporter writing the aggregate of every record ([`summary`]) in `format` at the end,
    /// and nothing per record (`style.quiet` changes nothing: the aggregate is a summary).
    /// Errors for a format that has no aggregate form (only [`summary::FORMATS`] have one).
    pub fn summary(
        out: W,
        format: Format,
        style: Style,
        options: summary::Options,
    ) -> Result<Self, summary::Unsupported> {
        summary::supports(format)?;
        Ok(Reporter {
            out,
            renderer: Box::new(summary::SummaryReport::new(format, style, options)),
            quiet: false,
            format,
        })
    }

    /// Reports one input and returns the verdict reported: the record's own, or
    /// [`Verdict::InternalError`] when rendering it failed (then an internal-error record for
    /// the same input is reported instead). Only writing can fail.
    pub fn record(&mut self, record: &Record, text: &[u8]) -> io::Result<Verdict> {
        if self.counts_only() {
            return Ok(record.verdict);
        }
        let renderer = &mut self.renderer;
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            crate::fault::inject("render", text);
            let mut out = String::new();
            renderer.record(&mut out, record, text);
            out
        }));
        let (out, verdict) = match rendered {
            Ok(out) => (out, record.verdict),
            Err(panic) => {
                let internal = Record::internal(
                    &record.source,
                    record.line,
                    &format!(
                        "the report of it failed: {}",
                        crate::fault::describe(&panic)
                    ),
                );
                let out = catch_unwind(AssertUnwindSafe(|| {
                    let mut out = String::new();
                    renderer.record(&mut out, &internal, b"");
                    out
                }))
                .unwrap_or_default();
                (out, Verdict::InternalError)
            }
        };
        self.out.write_all(out.as_bytes())?;
        Ok(verdict)
    }

    /// Whether the report shows nothing per record, only the counts at the end: `--quiet` in
    /// the human, JSON Lines and GitHub formats. The documents (JUnit, SARIF) keep their part
    /// even with `--quiet`: it is their summary; so does the aggregate (`--summary`), which
    /// counts problems by kind.
    fn counts_only(&self) -> bool {
        self.quiet && matches!(self.format, Format::Human | Format::Json | Format::Github)
    }

    /// What the records given to [`Reporter::record`] need to hold: the problems of an invalid
    /// event, unless the report shows only counts.
    pub fn detail(&self) -> Detail {
        if self.counts_only() {
            Detail::Verdict
        } else {
            Detail::Problems
        }
    }

    /// Flushes what was written, so a slow stream's verdicts show while it waits for more.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Writes the summary (and, for JUnit and SARIF, the whole document), flushes, and gives
    /// the writer back.
    pub fn finish(mut self, summary: &Summary, exit_code: u8) -> io::Result<W> {
        let mut out = String::new();
        self.renderer.finish(&mut out, summary, exit_code);
        self.out.write_all(out.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report that shows only counts asks for the verdict alone, and then says the same of an
    /// invalid event whether its record holds its problems or not; every other report asks for
    /// the problems, and shows them.
    #[test]
    fn a_report_asks_for_the_problems_it_shows() {
        let source = Source::stdin();
        let invalid = |problems| Record {
            source: Arc::clone(&source),
            line: 1,
            verdict: Verdict::Invalid,
            event_type: Some("auth".into()),
            problems,
        };
        let problem = Problem {
            pointer: "/payload/user".into(),
            kind: ProblemKind::Schema(Kind::Required),
            message: "a marker message".into(),
            keywords: vec!["required".into()],
            line: 1,
            column: Some(2),
            span: Some(1..2),
        };
        let text = br#"{"type":"auth","payload":{}}"#;
        let formats = [
            Format::Human,
            Format::Json,
            Format::Junit,
            Format::Github,
            Format::Sarif,
        ];
        for format in formats {
            for quiet in [false, true] {
                let style = Style {
                    quiet,
                    show_source: true,
                    ..Style::default()
                };
                let render = |record: &Record| {
                    let mut reporter = Reporter::new(Vec::new(), format, style.clone());
                    let verdict = reporter.record(record, text).expect("written");
                    assert_eq!(verdict, Verdict::Invalid);
                    let mut summary = Summary::default();
                    summary.add(verdict);
                    let out = reporter.finish(&summary, 1).expect("written");
                    String::from_utf8(out).expect("UTF-8")
                };
                let (full, bare) = (
                    render(&invalid(vec![problem.clone()])),
                    render(&invalid(Vec::new())),
                );
                let detail = Reporter::new(Vec::new(), format, style.clone()).detail();
                let counts_only = quiet && !matches!(format, Format::Junit | Format::Sarif);
                assert_eq!(detail == Detail::Verdict, counts_only, "{format:?} {quiet}");
                if counts_only {
                    assert_eq!(full, bare, "{format:?}");
                } else {
                    assert!(
                        full.contains("a marker message"),
                        "{format:?} {quiet}: {full}"
                    );
                }
            }
            // The aggregate counts problems by kind: it asks for them, --quiet or not.
            for quiet in [false, true] {
                let style = Style {
                    quiet,
                    ..Style::default()
                };
                if let Ok(reporter) =
                    Reporter::summary(Vec::new(), format, style, summary::Options::default())
                {
                    assert_eq!(reporter.detail(), Detail::Problems, "{format:?}");
                }
            }
        }
    }

    #[test]
    fn every_problem_kind_has_a_name_and_a_description() {
        let mut kinds: Vec<ProblemKind> = Kind::ALL.into_iter().map(ProblemKind::Schema).collect();
        kinds.extend([
            ProblemKind::Parse,
            ProblemKind::TooLarge,
            ProblemKind::TooDeep,
            ProblemKind::Io,
            ProblemKind::Internal,
        ]);
        let mut names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let mut descriptions: Vec<&str> = kinds.iter().map(|k| k.description()).collect();
        names.sort_unstable();
        names.dedup();
        descriptions.sort_unstable();
        descriptions.dedup();
        assert_eq!(names.len(), kinds.len(), "names are distinct");
        assert_eq!(descriptions.len(), kinds.len(), "descriptions are distinct");
        assert!(descriptions.iter().all(|d| d.len() > 8));
        assert_eq!(ProblemKind::Parse.description(), "not one JSON value");
        assert!(
            ProblemKind::Internal
                .description()
                .contains("please report")
        );
        assert_eq!(
            serde_json::to_string(&ProblemKind::Schema(Kind::UnknownField)).expect("a string"),
            "\"unknown_field\""
        );
    }

    #[test]
    fn sources_keep_their_path_and_show_their_name() {
        use std::os::unix::ffi::OsStrExt;
        let stdin = Source::stdin();
        assert_eq!((stdin.name(), stdin.path()), ("<stdin>", None));
        let path = Path::new(std::ffi::OsStr::from_bytes(b"d/caf\xe9 \x1b.json"));
        let file = Source::file(path);
        assert_eq!(file.name(), "d/caf\\xE9 \u{1b}.json");
        assert_eq!(file.path(), Some(path));
        assert_eq!(
            file.json(),
            serde_json::json!({ "bytes": b"d/caf\xe9 \x1b.json" })
        );
        // A name that is not UTF-8 and a name holding the text `\xE9` differ everywhere.
        let text = Source::file(Path::new("d/caf\\xE9 \u{1b}.json"));
        assert_eq!(text.name(), "d/caf\\\\xE9 \u{1b}.json");
        assert_eq!(text.json(), "d/caf\\xE9 \u{1b}.json");
        // Standard input and a file named like it.
        assert_eq!(stdin.json(), "<stdin>");
        let named = Source::file(Path::new("<stdin>"));
        assert_eq!(
            (named.name(), named.json()),
            ("./<stdin>", "./<stdin>".into())
        );
        let deeper = Source::file(Path::new("d/<stdin>"));
        assert_eq!(
            (deeper.name(), deeper.json()),
            ("d/<stdin>", "d/<stdin>".into())
        );
    }

    fn summary(verdicts: &[(Verdict, u64)]) -> Summary {
        let mut summary = Summary {
            sources: 1,
            ..Summary::default()
        };
        for &(verdict, n) in verdicts {
            for _ in 0..n {
                summary.add(verdict);
            }
        }
        summary
    }

    #[test]
    fn summaries_in_words() {
        let all_valid = summary(&[(Verdict::Valid, 2), (Verdict::Blank, 1)]);
        assert!(all_valid.all_pass());
        assert_eq!(
            all_valid.sentence(),
            "2 events in 1 source: 2 valid, 0 invalid, 1 blank line"
        );
        assert!(Summary::default().all_pass());
        for failing in [
            Verdict::Invalid,
            Verdict::ParseError,
            Verdict::TooLarge,
            Verdict::TooDeep,
            Verdict::IoError,
            Verdict::InternalError,
        ] {
            assert!(!summary(&[(Verdict::Valid, 1), (failing, 1)]).all_pass());
        }
        let mut mixed = summary(&[
            (Verdict::Valid, 1),
            (Verdict::Invalid, 2),
            (Verdict::ParseError, 1),
            (Verdict::TooLarge, 1),
            (Verdict::TooDeep, 1),
            (Verdict::IoError, 1),
            (Verdict::InternalError, 1),
            (Verdict::Blank, 2),
        ]);
        mixed.sources = 2;
        mixed.ignored_files = 1;
        assert_eq!(
            mixed.sentence(),
            "8 events in 2 sources: 1 valid, 2 invalid, 1 unparsable, 1 too large, 1 too deep, \
             1 unreadable, 1 internal errors (please report), 2 blank lines; 1 file in folders \
             ignored (not .json, .ndjson or .jsonl, compressed or not)"
        );
        mixed.ignored_files = 2;
        mixed.interrupted = true;
        assert!(mixed.sentence().ends_with(
            "; 2 files in folders ignored (not .json, .ndjson or .jsonl, compressed or not); \
             interrupted before the end"
        ));
        let one = summary(&[(Verdict::Invalid, 1)]);
        assert_eq!(one.sentence(), "1 event in 1 source: 0 valid, 1 invalid");
    }

    /// A writer that counts flushes.
    #[derive(Default)]
    struct Counting {
        bytes: Vec<u8>,
        flushes: usize,
    }

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    #[test]
    fn the_reporter_flushes_and_gives_the_writer_back() {
        let mut reporter = Reporter::new(Counting::default(), Format::Json, Style::default());
        let record = Record::whole(
            &Source::stdin(),
            3,
            Verdict::TooLarge,
            ProblemKind::TooLarge,
            "big".into(),
        );
        assert_eq!(
            reporter.record(&record, b"").expect("in memory"),
            Verdict::TooLarge
        );
        reporter.flush().expect("in memory");
        let mut summary = summary(&[(Verdict::TooLarge, 1)]);
        summary.sources = 1;
        let out = reporter.finish(&summary, 1).expect("in memory");
        assert_eq!(out.flushes, 2);
        let text = String::from_utf8(out.bytes).expect("UTF-8");
        assert!(
            text.starts_with("{\"errors\":[{\"kind\":\"too_large\",\"line\":3,"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 2);
    }
}
