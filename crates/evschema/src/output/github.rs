//! GitHub Actions workflow annotations: one `::error` command per problem, a `::notice` per
//! blank line, and the summary.
//!
//! The workflow-command rules (GitHub's `@actions/core`): in a message, `%`, CR and LF are
//! written `%25`, `%0D`, `%0A`; in a property value, also `:` and `,` (`%3A`, `%2C`). Before
//! that, text from the input has its control characters made visible ([`escape::visible`]): the
//! log viewer obeys ANSI sequences, and an input-borne newline must not start a command.

use std::fmt::Write as _;

use super::escape;
use super::{Record, Render, Summary, Verdict};

/// The GitHub annotations renderer.
pub(crate) struct Github;

impl Render for Github {
    fn record(&mut self, out: &mut String, record: &Record, _text: &[u8]) {
        let file = property(record.source.name());
        if record.verdict == Verdict::Blank {
            let _ = writeln!(
                out,
                "::notice file={file},line={}::blank line, not an event",
                record.line
            );
            return;
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
            let _ = writeln!(
                out,
                "::error file={file},line={}{column},title={}::{}",
                problem.line,
                property(&format!("evschema {}", problem.kind.as_str())),
                data(&format!("{at}{}", problem.message))
            );
        }
    }

    fn finish(&mut self, out: &mut String, summary: &Summary, exit_code: u8) {
        let level = if exit_code == 0 { "notice" } else { "error" };
        let _ = writeln!(
            out,
            "::{level} title=evschema::{}",
            data(&summary.sentence())
        );
    }
}

/// A workflow command's message.
fn data(text: &str) -> String {
    escape::visible(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_rules() {
        assert_eq!(data("100% done"), "100%25 done");
        assert_eq!(data("a\nb\r"), "a\\u{a}b\\u{d}");
        assert_eq!(data("\u{1b}[31m::x"), "\\u{1b}[31m::x");
        assert_eq!(property("a:b,c%d"), "a%3Ab%2Cc%25d");
        assert_eq!(property("x\n::error::y"), "x\\u{a}%3A%3Aerror%3A%3Ay");
    }

    #[test]
    fn the_summary_is_a_notice_or_an_error() {
        let mut summary = Summary::default();
        summary.add(Verdict::Valid);
        let finish = |code: u8| {
            let mut out = String::new();
            Github.finish(&mut out, &summary, code);
            out
        };
        assert_eq!(
            finish(0),
            "::notice title=evschema::1 event in 0 sources: 1 valid, 0 invalid\n"
        );
        assert!(finish(1).starts_with("::error title=evschema::"));
    }
}
