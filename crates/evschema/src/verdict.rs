//! The verdict on one input's bytes, with every problem located in them.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use evcontract::locate::locate;
use evcontract::{Checked, Engine};

use crate::output::{Problem, ProblemKind, Record, Source, Verdict};

/// The verdict on one event's bytes. `first_line` is the line of the source where the bytes
/// start. Never panics: a panic while checking becomes an internal-error record for the input.
pub fn check(engine: &Engine, source: &Arc<Source>, first_line: usize, bytes: &[u8]) -> Record {
    catch_unwind(AssertUnwindSafe(|| {
        crate::fault::inject("check", bytes);
        check_unguarded(engine, source, first_line, bytes)
    }))
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
) -> Record {
    let record = |verdict, event_type, problems| Record {
        source: Arc::clone(source),
        line: first_line,
        verdict,
        event_type,
        problems,
    };
    match engine.check(bytes) {
        Checked::Valid { event_type } => record(Verdict::Valid, Some(event_type), Vec::new()),
        Checked::Invalid { event_type, issues } => {
            // The event parsed, so it is UTF-8.
            let text = String::from_utf8_lossy(bytes);
            let problems = issues
                .into_iter()
                .map(|issue| {
                    // A missing key is not in the text: point at the opening brace of the
                    // object that lacks it rather than underline the whole object.
                    let span = locate(&text, &issue.pointer).map(|mut s| {
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
                    }
                })
                .collect();
            record(Verdict::Invalid, event_type, problems)
        }
        Checked::Unparsable(err) => {
            let offset = err.offset;
            let problem = Problem {
                pointer: String::new(),
                kind: ProblemKind::Parse,
                message: err.message,
                line: first_line + err.line - 1,
                column: Some(err.column),
                span: Some(offset..offset + 1),
            };
            record(Verdict::ParseError, None, vec![problem])
        }
    }
}
