//! The JSON lines format: one JSON object per input, one per line, then one summary object.
//!
//! Each line is one JSON value (RFC 8259) written with `LineSafe`, which also escapes the
//! characters that some line readers split on or terminals obey although JSON allows them raw
//! (U+2028, U+2029, C1 controls such as NEL, DEL, bidirectional controls): a report line stays
//! one line for Python's `splitlines`, JavaScript and terminals alike, and reads back the same.

use std::io;

use serde::Serialize;
use serde_json::json;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use super::escape::is_hazard;
use super::{Record, Render, Summary, Verdict};

/// The JSON lines renderer.
pub(crate) struct JsonLines;

impl Render for JsonLines {
    fn record(&mut self, out: &mut String, record: &Record, _text: &[u8]) {
        let object = json!({
            "source": record.source.json(),
            "line": record.line,
            "verdict": record.verdict,
            "valid": record.verdict.passes(),
            "type": record.event_type,
            "errors": record.problems,
        });
        out.push_str(&to_line(&object));
        out.push('\n');
    }

    fn finish(&mut self, out: &mut String, summary: &Summary, exit_code: u8) {
        out.push_str(&to_line(&summary_json(summary, exit_code)));
        out.push('\n');
    }
}

/// The summary object: `summary: true`, the counts per verdict, the exit code.
pub(crate) fn summary_json(summary: &Summary, exit_code: u8) -> serde_json::Value {
    let mut counts = serde_json::Map::new();
    for verdict in Verdict::ALL {
        counts.insert(verdict.as_str().into(), json!(summary.count(verdict)));
    }
    json!({
        "summary": true,
        "inputs": summary.total(),
        "events": summary.events(),
        "verdicts": counts,
        "sources": summary.sources,
        "ignored_files": summary.ignored_files,
        "interrupted": summary.interrupted,
        "exit_code": exit_code,
    })
}

/// `value` as compact JSON on one line, with `LineSafe` escaping.
pub fn to_line(value: &impl Serialize) -> String {
    write_with(value, LineSafe(CompactFormatter))
}

/// `value` as indented JSON, with `LineSafe` escaping.
pub(crate) fn to_pretty(value: &impl Serialize) -> String {
    write_with(value, LineSafe(PrettyFormatter::new()))
}

fn write_with<F: Formatter>(value: &impl Serialize, formatter: F) -> String {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    // Serializing a JSON value or a plain struct into memory cannot fail.
    if value.serialize(&mut serializer).is_err() {
        return "null".into();
    }
    // serde_json writes UTF-8 and every escape is ASCII.
    String::from_utf8(bytes).unwrap_or_default()
}

/// A serde_json formatter that escapes, as `\uXXXX`, every [hazard](is_hazard) serde_json would
/// write raw (it escapes only what JSON requires: `"`, `\` and U+0000 to U+001F).
pub(crate) struct LineSafe<F>(pub(crate) F);

impl<F: Formatter> Formatter for LineSafe<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hazard(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every hazard is in the Basic Multilingual Plane: one `\uXXXX`.
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // Layout is the inner formatter's: every method CompactFormatter or PrettyFormatter
    // overrides is handed to it.
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_stay_lines_and_read_back() {
        let text = "a\u{2028}b\u{2029}c\u{85}d\u{7f}e\u{202e}f\n\u{1b}\"\\é📞";
        let line = to_line(&json!({ "k": text, text: [1, 2] }));
        assert!(!line.chars().any(is_hazard), "{line}");
        assert!(line.contains("\\u2028") && line.contains("\\u0085") && line.contains("\\u007f"));
        assert!(line.contains("é📞"), "other text is kept: {line}");
        let back: serde_json::Value = serde_json::from_str(&line).expect("one JSON value");
        assert_eq!(back["k"], text);
        assert_eq!(back[text], json!([1, 2]));
        assert_eq!(
            to_pretty(&json!({ "a": [1, { "b": [] }], "c": {}, "d": [2] })),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],\n  \"c\": {},\n  \"d\": [\n    2\n  ]\n}"
        );
        assert_eq!(
            to_line(&json!({ "a": [1, 2], "b": {} })),
            "{\"a\":[1,2],\"b\":{}}"
        );
        let pretty = to_pretty(&json!({ "k": [text] }));
        assert!(!pretty.chars().any(|c| c != '\n' && is_hazard(c)));
        let back: serde_json::Value = serde_json::from_str(&pretty).expect("one JSON value");
        assert_eq!(back["k"][0], text);
    }
}
