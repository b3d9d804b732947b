//! GitHub Actions workflow annotations: one `::error` command per problem, a `::notice` per
//! blank line, and the summary.
//!
//! The workflow-command rules (GitHub's `@actions/core`): in a message, `%`, CR and LF are
//! written `%25`, `%0D`, `%0A`; in a property value, also `:` and `,` (`%3A`, `%2C`). Before
//! that, text from the input has its control characters made visible ([`escape::visible`]): the
//! log viewer obeys ANSI sequences, and an input-borne newline must not start a command.
//!
//! The `file` property is the path itself, escaped by those rules only (a tab stays a tab), so
//! that GitHub finds the file: a name that is not UTF-8, or that holds a character the log viewer
//! would obey, cannot be carried there, and neither can standard input; such an annotation has
//! no `file`, and its message starts with the name as people read it
//! ([`Source::name`](super::Source::name)).

use std::fmt::Write as _;
use std::path::Path;

use super::escape::{self, is_hazard};
use super::{Record, Render, Summary, Verdict};

/// The GitHub annotations renderer.
pub(crate) struct Github;

impl Render for Github {
    fn record(&mut self, out: &mut String, record: &Record, _text: &[u8]) {
        let file = file_property(record.source.path());
        // Where, as properties (a file GitHub resolves) or, failing that, in the message.
        let place = |line: usize, column: Option<usize>| match &file {
            Some(file) => {
                let column = column.map(|c| format!(",col={c}")).unwrap_or_default();
                (format!("file={file},line={line}{column}"), String::new())
            }
            None => {
                let column = column.map(|c| format!(":{c}")).unwrap_or_default();
                (
                    String::new(),
                    format!("{}:{line}{column}: ", record.source.name()),
                )
            }
        };
        if record.verdict == Verdict::Blank {
            let (properties, named) = place(record.line, None);
            let _ = writeln!(
                out,
                "::notice{}::{}",
                if properties.is_empty() {
                    String::new()
                } else {
                    format!(" {properties}")
                },
                data(&format!("{named}blank line, not an event"))
            );
            return;
        }
        for problem in &record.problems {
            let (properties, named) = place(problem.line, problem.column);
            let at = if problem.pointer.is_empty() {
                String::new()
            } else {
                format!("{}: ", problem.pointer)
            };
            let properties = if properties.is_empty() {
                String::new()
            } else {
                format!("{properties},")
            };
            let _ = writeln!(
                out,
                "::error {properties}title={}::{}",
                property(&format!("evschema {}", problem.kind.as_str())),
                data(&format!("{named}{at}{}", problem.message))
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

/// The `file` property naming `path`, when a workflow command can carry it: a UTF-8 path with no
/// [hazard](is_hazard) but tab, CR and LF (which the escaping carries); `None` for standard input.
fn file_property(path: Option<&Path>) -> Option<String> {
    let text = path?.to_str()?;
    if text
        .chars()
        .any(|c| is_hazard(c) && !matches!(c, '\t' | '\r' | '\n'))
    {
        return None;
    }
    Some(
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Source;

    fn file_of(source: &Source) -> Option<String> {
        file_property(source.path())
    }

    #[test]
    fn escapes_per_the_workflow_command_rules() {
        assert_eq!(data("100% done"), "100%25 done");
        assert_eq!(data("a\nb\r"), "a\\u{a}b\\u{d}");
        assert_eq!(data("\u{1b}[31m::x"), "\\u{1b}[31m::x");
        assert_eq!(property("a:b,c%d"), "a%3Ab%2Cc%25d");
        assert_eq!(property("x\n::error::y"), "x\\u{a}%3A%3Aerror%3A%3Ay");
    }

    #[test]
    fn files_are_named_as_github_resolves_them() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let file = |bytes: &[u8]| file_of(&Source::file(Path::new(OsStr::from_bytes(bytes))));
        assert_eq!(file(b"tab\t.json").as_deref(), Some("tab\t.json"));
        assert_eq!(
            file(b"a:b,c%\r\n.json").as_deref(),
            Some("a%3Ab%2Cc%25%0D%0A.json")
        );
        assert_eq!(file(b"a\\xFF.json").as_deref(), Some("a\\xFF.json"));
        assert_eq!(file(b"<stdin>").as_deref(), Some("<stdin>"));
        // Not UTF-8, or holding what a log viewer obeys: no `file`.
        assert_eq!(file(b"a\xff.json"), None);
        assert_eq!(file(b"\x1b[31m.json"), None);
        assert_eq!(file("bidi\u{202e}.json".as_bytes()), None);
        assert_eq!(file_of(&Source::stdin()), None);
    }

    #[test]
    fn annotations_without_a_file_name_it_in_the_message() {
        use crate::output::ProblemKind;
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let render = |source: &std::sync::Arc<Source>, verdict| {
            let mut record = Record::whole(source, 3, verdict, ProblemKind::Parse, "bad".into());
            if verdict == Verdict::Blank {
                record.problems.clear();
            } else {
                record.problems[0].column = Some(7);
            }
            let mut out = String::new();
            Github.record(&mut out, &record, b"");
            out
        };
        let latin = Source::file(Path::new(OsStr::from_bytes(b"caf\xe9.json")));
        assert_eq!(
            render(&latin, Verdict::ParseError),
            "::error title=evschema parse::caf\\xE9.json:3:7: bad\n"
        );
        assert_eq!(
            render(&Source::stdin(), Verdict::Blank),
            "::notice::<stdin>:3: blank line, not an event\n"
        );
        let tab = Source::file(Path::new("a\tb.json"));
        assert_eq!(
            render(&tab, Verdict::ParseError),
            "::error file=a\tb.json,line=3,col=7,title=evschema parse::bad\n"
        );
        assert_eq!(
            render(&tab, Verdict::Blank),
            "::notice file=a\tb.json,line=3::blank line, not an event\n"
        );
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
