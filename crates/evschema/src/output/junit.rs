//! The JUnit XML format, for CI systems' test reports: a test suite per source, a test case
//! per failing input (`<failure>` for a broken contract, `<error>` for an input that could not
//! be read or that evschema failed on), and one passing test case per source for its valid
//! events.
//!
//! XML 1.0 cannot carry most C0 controls, U+FFFE or U+FFFF, even as character references; they
//! and the other [hazards](super::escape::is_hazard) are written as visible escapes
//! (`\u{fffe}`). In attributes, newlines and tabs are character references, so attribute
//! normalisation keeps them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape::{self, is_hazard};
use super::{Record, Render, Summary, Verdict};

/// What one source's test suite holds.
#[derive(Default)]
struct Suite {
    /// Events (every input but blank lines).
    tests: u64,
    /// Failing inputs.
    failures: u64,
    /// Inputs that could not be read or that evschema failed on.
    errors: u64,
    /// The rendered `<testcase>` of every failing input, in order.
    cases: String,
}

/// The JUnit renderer: a document written at the end, from the parts rendered per record.
#[derive(Default)]
pub(crate) struct Junit {
    suites: BTreeMap<String, Suite>,
}

impl Render for Junit {
    fn record(&mut self, _out: &mut String, record: &Record, _text: &[u8]) {
        let source = record.source.name();
        let case = if record.verdict.passes() {
            String::new()
        } else {
            testcase(record)
        };
        // State changes last: nothing above has touched it.
        let suite = match self.suites.get_mut(source) {
            Some(suite) => suite,
            None => self.suites.entry(source.to_owned()).or_default(),
        };
        if record.verdict != Verdict::Blank {
            suite.tests += 1;
        }
        if !record.verdict.passes() {
            suite.failures += 1;
            if matches!(record.verdict, Verdict::IoError | Verdict::InternalError) {
                suite.errors += 1;
            }
        }
        suite.cases.push_str(&case);
    }

    fn finish(&mut self, out: &mut String, summary: &Summary, _exit_code: u8) {
        let errors: u64 = self.suites.values().map(|s| s.errors).sum();
        let failures: u64 = self.suites.values().map(|s| s.failures).sum::<u64>() - errors;
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            r#"<testsuites name="evschema" tests="{}" failures="{failures}" errors="{errors}">"#,
            summary.events()
        );
        for (source, suite) in &self.suites {
            let name = attribute(source);
            let _ = writeln!(
                out,
                r#"  <testsuite name="{name}" tests="{}" failures="{}" errors="{}">"#,
                suite.tests,
                suite.failures - suite.errors,
                suite.errors
            );
            out.push_str(&suite.cases);
            let passed = suite.tests - suite.failures;
            if passed > 0 {
                let _ = writeln!(
                    out,
                    r#"    <testcase classname="{name}" name="{passed} valid event{}"/>"#,
                    if passed == 1 { "" } else { "s" }
                );
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
    }
}

/// The `<testcase>` of one failing input.
fn testcase(record: &Record) -> String {
    let source = record.source.name();
    let lines: Vec<String> = record
        .problems
        .iter()
        .map(|p| {
            let column = p.column.map(|c| format!(":{c}")).unwrap_or_default();
            format!(
                "{}:{}{column} {} [{}] {}",
                escape::visible(source),
                p.line,
                escape::visible(&p.pointer),
                p.kind.as_str(),
                escape::visible(&p.message)
            )
        })
        .collect();
    let first = record.problems.first().map_or("", |p| p.message.as_str());
    let element = match record.verdict {
        Verdict::IoError | Verdict::InternalError => "error",
        _ => "failure",
    };
    format!(
        "    <testcase classname=\"{}\" name=\"line {}\">\n      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n    </testcase>\n",
        attribute(source),
        record.line,
        record.verdict.as_str(),
        attribute(&escape::visible(first)),
        text(&lines.join("\n")),
    )
}

/// Whether XML 1.0 can carry `c` at all (its `Char` production; lone surrogates cannot occur
/// in Rust strings).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes `value` for element content (`attribute: false`) or a double-quoted attribute.
fn escape_xml(value: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Our own line breaks between problems; in an attribute, references survive
            // attribute-value normalisation.
            '\n' if !attribute => out.push('\n'),
            '\n' => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if !xml_char(c) || (is_hazard(c) && c != '\t') => out.push_str(&escape::escaped(c)),
            c => out.push(c),
        }
    }
    out
}

fn attribute(value: &str) -> String {
    escape_xml(value, true)
}

/// Element text: input-borne newlines were already made visible by the caller; the ones left
/// are the report's own, between problems.
fn text(value: &str) -> String {
    escape_xml(value, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_carry_are_escaped() {
        assert_eq!(
            attribute("a\u{ffff}b\u{fffe}c\u{1}d\u{1b}e"),
            "a\\u{ffff}b\\u{fffe}c\\u{1}d\\u{1b}e"
        );
        assert_eq!(attribute("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
        assert_eq!(text("x\ny\tz\r"), "x\ny\tz&#13;");
        assert_eq!(text("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
        assert_eq!(text("\u{85}\u{7f}\u{202e}"), "\\u{85}\\u{7f}\\u{202e}");
        assert_eq!(text("é📞\u{fffd}"), "é📞\u{fffd}");
        for c in [
            '\u{0}', '\u{8}', '\u{b}', '\u{c}', '\u{1f}', '\u{fffe}', '\u{ffff}',
        ] {
            assert!(!xml_char(c), "{c:?}");
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{d7ff}',
            '\u{e000}',
            '\u{fffd}',
            '\u{10000}',
        ] {
            assert!(xml_char(c), "{c:?}");
        }
    }

    #[test]
    fn a_document_with_counts_per_suite() {
        use crate::output::{ProblemKind, Source};
        let a = Source::file(std::path::Path::new("a.ndjson"));
        let b = Source::file(std::path::Path::new("b.json"));
        let valid = |source: &std::sync::Arc<Source>, line| Record {
            source: std::sync::Arc::clone(source),
            line,
            verdict: Verdict::Valid,
            event_type: Some("auth".into()),
            problems: Vec::new(),
        };
        let records = [
            valid(&a, 1),
            Record::whole(&a, 2, Verdict::ParseError, ProblemKind::Parse, "bad".into()),
            valid(&a, 3),
            Record {
                verdict: Verdict::Blank,
                event_type: None,
                ..valid(&a, 4)
            },
            Record::whole(&b, 1, Verdict::IoError, ProblemKind::Io, "gone".into()),
        ];
        let mut junit = Junit::default();
        let mut summary = Summary::default();
        for record in &records {
            junit.record(&mut String::new(), record, b"");
            summary.add(record.verdict);
        }
        let mut out = String::new();
        junit.finish(&mut out, &summary, 3);
        assert_eq!(
            out,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="evschema" tests="4" failures="1" errors="1">
  <testsuite name="a.ndjson" tests="3" failures="1" errors="0">
    <testcase classname="a.ndjson" name="line 2">
      <failure type="parse_error" message="bad">a.ndjson:2  [parse] bad</failure>
    </testcase>
    <testcase classname="a.ndjson" name="2 valid events"/>
  </testsuite>
  <testsuite name="b.json" tests="1" failures="0" errors="1">
    <testcase classname="b.json" name="line 1">
      <error type="io_error" message="gone">b.json:1  [io] gone</error>
    </testcase>
  </testsuite>
</testsuites>
"#
        );
        // One valid event: singular.
        let mut junit = Junit::default();
        junit.record(&mut String::new(), &valid(&b, 1), b"");
        let mut out = String::new();
        junit.finish(&mut out, &Summary::default(), 0);
        assert!(out.contains(r#"name="1 valid event"/>"#), "{out}");
    }
}
