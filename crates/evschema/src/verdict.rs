//! The verdict on one input's bytes, with every problem located in them.

use std::sync::Arc;

use evcontract::locate::Locator;
use evcontract::{Checked, Engine, ParseErrorKind};

use crate::output::{Problem, ProblemKind, Record, Source, Verdict};

/// What a record says about an invalid event: what its report needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every problem, located and explained: for a report that shows them.
    Problems,
    /// The verdict only (an invalid event's record has no problems): for a report that shows
    /// only counts (`--quiet` in the human, JSON Lines and GitHub formats). A refusal then costs
    /// less than half of what its explanation costs ([`Engine::check_verdict`]).
    Verdict,
}

/// The verdict on one event's bytes, with every problem. `first_line` is the line of the
/// source where the bytes start. Never panics: a panic while checking becomes an
/// internal-error record for the input.
pub fn check(engine: &Engine, source: &Arc<Source>, first_line: usize, bytes: &[u8]) -> Record {
    check_with(engine, source, first_line, bytes, Detail::Problems)
}

/// [`check`], with the problems of an invalid event only if `detail` asks for them (a parse
/// error, a limit or an internal error keeps its one problem: it costs nothing more).
pub fn check_with(
    engine: &Engine,
    source: &Arc<Source>,
    first_line: usize,
    bytes: &[u8],
    detail: Detail,
) -> Record {
    crate::fault::guarded(|| {
        crate::fault::inject("check", bytes);
        check_unguarded(engine, source, first_line, bytes, detail)
    })
    .unwrap_or_else(|panic| {
        Record::internal(
            source,
            first_line,
            &format!(
                "checking it failed: {}",
                crate::fault::describe(panic.as_ref())
            ),
        )
    })
}

/// The verdict on one NDJSON line, or one row of an Arrow array (`evarrow`): `too_large` when
/// it has more than `max_line_bytes` bytes ([`too_large_line`]), `blank` when it is only white
/// space ([`is_blank`]), else [`check`]. `bytes` are the line without its line feed.
pub fn check_line(
    engine: &Engine,
    source: &Arc<Source>,
    line: usize,
    bytes: &[u8],
    max_line_bytes: u64,
) -> Record {
    check_line_with(
        engine,
        source,
        line,
        bytes,
        max_line_bytes,
        Detail::Problems,
    )
}

/// [`check_line`], with the problems of an invalid event only if `detail` asks for them.
pub fn check_line_with(
    engine: &Engine,
    source: &Arc<Source>,
    line: usize,
    bytes: &[u8],
    max_line_bytes: u64,
    detail: Detail,
) -> Record {
    let len = bytes.len() as u64;
    if len > max_line_bytes {
        too_large_line(source, line, len, max_line_bytes)
    } else if is_blank(bytes) {
        blank(source, line)
    } else {
        check_with(engine, source, line, bytes, detail)
    }
}

/// The record of a line of `len` bytes, over the limit of `max_line_bytes` (`--max-line-bytes`):
/// not read.
pub fn too_large_line(source: &Arc<Source>, line: usize, len: u64, max_line_bytes: u64) -> Record {
    Record::whole(
        source,
        line,
        Verdict::TooLarge,
        ProblemKind::TooLarge,
        format!("the line has {len} bytes, more than --max-line-bytes {max_line_bytes}"),
    )
}

/// The record of an NDJSON line made only of white space.
pub fn blank(source: &Arc<Source>, line: usize) -> Record {
    Record {
        source: Arc::clone(source),
        line,
        verdict: Verdict::Blank,
        event_type: None,
        problems: Vec::new(),
    }
}

/// Whether an NDJSON line is blank: empty or only spaces, tabs and line ends.
pub fn is_blank(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn check_unguarded(
    engine: &Engine,
    source: &Arc<Source>,
    first_line: usize,
    bytes: &[u8],
    detail: Detail,
) -> Record {
    let record = |verdict, event_type, problems| Record {
        source: Arc::clone(source),
        line: first_line,
        verdict,
        event_type,
        problems,
    };
    let (checked, located) = match detail {
        Detail::Problems => engine.check_located(bytes),
        Detail::Verdict => (engine.check_verdict(bytes), None),
    };
    match checked {
        Checked::Valid { event_type } => record(Verdict::Valid, Some(event_type), Vec::new()),
        // Not explained ([`Detail::Verdict`]): nothing to place.
        Checked::Invalid { event_type, issues } if issues.is_empty() => {
            record(Verdict::Invalid, event_type, Vec::new())
        }
        Checked::Invalid { event_type, issues } => {
            // One locator for all the problems: an event may have thousands, and a walk from
            // the start of the text for each would take time quadratic in them. The engine's,
            // which has read the containers its messages quote from, when it gives one (it does
            // for every event that parsed, which is UTF-8).
            let text;
            let locator = match located {
                Some(locator) => locator,
                None => {
                    text = String::from_utf8_lossy(bytes);
                    Locator::new(&text)
                }
            };
            let problems = issues
                .into_iter()
                .map(|issue| {
                    // A missing key is not in the text: point at the opening brace of the
                    // object that lacks it rather than underline the whole object.
                    let span = locator.locate(&issue.pointer).map(|mut s| {
                        if !s.exact {
                            s.bytes = s.bytes.start..s.bytes.start + 1;
                        }
                        s
                    });
                    Problem {
                        line: first_line + span.as_ref().map_or(0, |s| s.line - 1),
                        column: span.as_ref().map(|s| s.column),
                        span: span.map(|s| s.bytes),
                        pointer: issue.pointer,
                        kind: ProblemKind::Schema(issue.kind),
                        message: issue.message,
                        keywords: issue.keywords,
                    }
                })
                .collect();
            record(Verdict::Invalid, event_type, problems)
        }
        Checked::Unparsable(err) => {
            let offset = err.offset;
            // Nesting past the limit is a limit of its own, at the value where it was reached;
            // anything else is text that is not one JSON value.
            let (verdict, kind) = match err.kind {
                ParseErrorKind::TooDeep => (Verdict::TooDeep, ProblemKind::TooDeep),
                _ => (Verdict::ParseError, ProblemKind::Parse),
            };
            let problem = Problem {
                pointer: err.pointer.unwrap_or_default(),
                kind,
                message: err.message,
                keywords: Vec::new(),
                line: first_line + err.line - 1,
                column: Some(err.column),
                span: Some(offset..offset + 1),
            };
            record(verdict, None, vec![problem])
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use evcontract::{Catalog, Kind, UnknownFields, Values};

    use super::*;

    fn engine() -> Engine {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let files = evcontract::files::read_catalog(&dir).expect("schemas/ reads");
        let catalog = Catalog::new(&files, UnknownFields::Deny).expect("schemas/ compiles");
        Engine::new(catalog, true, Values::Show)
    }

    /// The one problem of `bytes`, checked as if they started on line 10.
    fn problem(bytes: &[u8]) -> (Verdict, Problem) {
        let record = check(&engine(), &Source::stdin(), 10, bytes);
        let [problem] = &record.problems[..] else {
            panic!("one problem: {record:?}");
        };
        (record.verdict, problem.clone())
    }

    #[test]
    fn a_missing_key_points_at_the_brace_of_its_object() {
        let text = b"{\"type\": \"auth\",\n \"payload\": {\"x\": 1}}";
        let record = check(&engine(), &Source::stdin(), 10, text);
        assert_eq!(record.verdict, Verdict::Invalid);
        let missing = record
            .problems
            .iter()
            .find(|p| p.pointer == "/payload/user")
            .expect("the payload's missing user");
        let brace = text.iter().rposition(|&b| b == b'{').expect("a brace");
        assert_eq!(missing.kind, ProblemKind::Schema(Kind::Required));
        // One byte: the brace, on the second line of the event, which starts on line 10.
        assert_eq!(missing.span, Some(brace..brace + 1));
        assert_eq!((missing.line, missing.column), (11, Some(13)));
        // An unknown key is underlined whole, key and value.
        let unknown = record
            .problems
            .iter()
            .find(|p| p.pointer == "/payload/x")
            .expect("the unknown key");
        let key = text.len() - br#""x": 1}}"#.len();
        assert_eq!(unknown.span, Some(key..key + 6));
        assert_eq!(unknown.keywords, ["additionalProperties"]);
    }

    #[test]
    fn a_parse_error_points_at_one_byte_where_it_is() {
        let text = b"{\"type\":\n\n  \"auth\" x}";
        let (verdict, problem) = problem(text);
        let x = text.iter().position(|&b| b == b'x').expect("the x");
        assert_eq!(verdict, Verdict::ParseError);
        assert_eq!(problem.kind, ProblemKind::Parse);
        assert_eq!(problem.span, Some(x..x + 1));
        assert_eq!((problem.line, problem.column), (12, Some(10)));
        assert_eq!((problem.pointer.as_str(), problem.keywords.len()), ("", 0));
    }

    #[test]
    fn nesting_past_the_limit_is_too_deep_at_its_bracket() {
        let text = format!("{{\"type\": \"auth\",\n\"payload\": {}", "[".repeat(300));
        let (verdict, problem) = problem(text.as_bytes());
        let bracket = text.find('[').expect("brackets") + 126;
        assert_eq!(verdict, Verdict::TooDeep);
        assert_eq!(problem.kind, ProblemKind::TooDeep);
        // The event is level 1, the first bracket level 2: the 127th opens level 128.
        assert_eq!(problem.pointer, format!("/payload{}", "/0".repeat(126)));
        assert_eq!(problem.span, Some(bracket..bracket + 1));
        assert_eq!((problem.line, problem.column), (11, Some(12 + 126)));
        assert!(problem.message.contains("past the limit of 127"));
    }

    #[test]
    fn a_number_past_a_double_is_a_schema_problem_without_keywords() {
        let record = check(
            &engine(),
            &Source::stdin(),
            10,
            br#"{"type": "auth", "payload": 1e999}"#,
        );
        assert_eq!(record.verdict, Verdict::Invalid);
        let problem = record
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Schema(Kind::DoubleRange))
            .expect("the number");
        assert_eq!(
            (problem.pointer.as_str(), problem.kind),
            ("/payload", ProblemKind::Schema(Kind::DoubleRange))
        );
        assert!(problem.keywords.is_empty());
        assert!(
            problem.message.contains("found 1e999,"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn a_line_is_too_large_past_the_limit_blank_when_white_else_checked() {
        let engine = engine();
        let source = Source::stdin();
        let at = |bytes: &[u8], max| check_line(&engine, &source, 7, bytes, max);
        let record = at(b"{\"type\": 1}", 10);
        assert_eq!((record.verdict, record.line), (Verdict::TooLarge, 7));
        assert_eq!(
            record.problems[0].message,
            "the line has 11 bytes, more than --max-line-bytes 10"
        );
        assert_eq!(record.problems[0].kind, ProblemKind::TooLarge);
        // At the limit exactly, the line is read.
        assert_eq!(at(b"{\"type\": 1}", 11).verdict, Verdict::Invalid);
        assert_eq!(at(b" \t\r", 12).verdict, Verdict::Blank);
        assert_eq!(at(b" \t\r", 2).verdict, Verdict::TooLarge);
        assert_eq!(at(b"{", 12).verdict, Verdict::ParseError);
    }

    #[test]
    fn blank_lines() {
        assert!(is_blank(b" \t\r\n") && is_blank(b""));
        assert!(!is_blank(b" x ") && !is_blank(b"\x0c"));
        let record = blank(&Source::stdin(), 4);
        assert_eq!((record.verdict, record.line), (Verdict::Blank, 4));
        assert!(record.problems.is_empty() && record.event_type.is_none());
    }
}
