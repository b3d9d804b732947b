//! Strict JSON parsing: RFC 8259 as serde_json reads it, plus no duplicate object keys and no
//! byte-order mark, with the line and column of every error.
//!
//! Two limits of reading, both allowed by RFC 8259 (section 9) and both kinds of their own:
//! nesting is limited to [`MAX_DEPTH`] levels of arrays and objects, and a number must lie within
//! the range of a double (IEEE 754 binary64, at most [`f64::MAX`] in magnitude). Past either,
//! the error names the limit and the JSON Pointer of the value where it was reached.

use std::ops::Range;

use opentact_events::json::{StrictValue, skip_string};
use serde::de::DeserializeSeed;
use serde_json::Value;

use crate::locate::pointer_at;

/// The deepest nesting of arrays and objects read: a value that would open level
/// `MAX_DEPTH + 1` is refused ([`ParseErrorKind::TooDeep`]). This is serde_json's limit (its
/// recursion limit of 128 counts the refused level), kept because the validators recurse as deep
/// as the value goes: a 100,000-level value overflows the stack, an abort nothing can catch.
pub const MAX_DEPTH: usize = 127;

/// The kind name of nesting past [`MAX_DEPTH`] in reports (evschema's verdict and problem kind,
/// the packages' error kind).
pub const TOO_DEEP: &str = "too_deep";

/// Why a text is not one JSON value under this crate's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line} column {column}")]
pub struct ParseError {
    /// What is wrong, lower-case, without the position.
    pub message: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column of the error, in characters.
    pub column: usize,
    /// Byte offset of the error in the input (at most its length).
    pub offset: usize,
    /// What kind of problem it is.
    pub kind: ParseErrorKind,
    /// The JSON Pointer of the value where a limit was reached ([`ParseErrorKind::TooDeep`],
    /// [`ParseErrorKind::NumberOutOfRange`]); `None` for other errors.
    pub pointer: Option<String>,
}

/// The kinds of parse error, for callers that act on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The input is empty or only white space.
    Empty,
    /// The input ended inside a value.
    Eof,
    /// The same key appears twice in one object.
    DuplicateKey,
    /// The input starts with a UTF-8 byte-order mark, or is UTF-16/32.
    Encoding,
    /// Nesting deeper than [`MAX_DEPTH`] levels: the error is at the array or object that would
    /// open the next level, and names its pointer.
    TooDeep,
    /// A number outside the range of a double (`1e400`, or an integer of more than 308 digits),
    /// which JavaScript and Python read as infinity: the error is at the number's first byte,
    /// and names its pointer. [`out_of_range_numbers`] finds every such number in a text.
    NumberOutOfRange,
    /// Any other syntax error (including invalid UTF-8).
    Syntax,
}

/// Parses `bytes` as exactly one JSON value, refusing duplicate keys at any depth and a leading
/// byte-order mark.
///
/// Nesting is limited to [`MAX_DEPTH`] levels (serde_json's limit), which keeps both parsing and
/// the validators' recursion far from the stack's end; numbers must be within a double's range.
pub fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    if let Some(message) = encoding_problem(bytes) {
        return Err(ParseError {
            message: message.into(),
            line: 1,
            column: 1,
            offset: 0,
            kind: ParseErrorKind::Encoding,
            pointer: None,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError {
            message: "empty input: expected a JSON value".into(),
            line: 1,
            column: 1,
            offset: 0,
            kind: ParseErrorKind::Empty,
            pointer: None,
        });
    }
    // Text that is UTF-8 throughout (checked once, faster than string by string) is read as
    // text; anything else as bytes, so that the error names the bad byte where it is.
    let value = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            StrictValue
                .deserialize(&mut deserializer)
                .and_then(|value| deserializer.end().map(|()| value))
        }
        Err(_) => {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            StrictValue
                .deserialize(&mut deserializer)
                .and_then(|value| deserializer.end().map(|()| value))
        }
    };
    value.map_err(|err| from_serde(&err, bytes))
}

fn encoding_problem(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some("a UTF-8 byte-order mark starts the input; JSON text must not begin with one")
    } else if bytes.starts_with(&[0x00, 0x00, 0xFE, 0xFF])
        || bytes.starts_with(&[0xFF, 0xFE, 0x00, 0x00])
    {
        Some("the input is UTF-32, not UTF-8")
    } else if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        Some("the input is UTF-16, not UTF-8")
    } else {
        None
    }
}

fn from_serde(err: &serde_json::Error, bytes: &[u8]) -> ParseError {
    let text = err.to_string();
    // serde_json appends " at line L column C"; the position is kept in fields instead.
    let message = match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    };
    let kind = if message.starts_with("duplicate key") {
        ParseErrorKind::DuplicateKey
    } else if message == "recursion limit exceeded" {
        ParseErrorKind::TooDeep
    } else if message == "number out of range" {
        ParseErrorKind::NumberOutOfRange
    } else if err.classify() == serde_json::error::Category::Eof {
        ParseErrorKind::Eof
    } else {
        ParseErrorKind::Syntax
    };
    // serde_json counts columns in bytes; reports count characters, like the rest of the
    // workspace (and an end-of-file error may sit one line past the last line of the text).
    let line = err.line().max(1);
    let line_start = match line.checked_sub(2) {
        None => 0,
        Some(newlines_before) => bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(newlines_before)
            .map_or(bytes.len(), |(i, _)| i + 1),
    };
    let mut offset = (line_start + err.column().saturating_sub(1)).min(bytes.len());
    let mut message = message;
    let mut pointer = None;
    if kind == ParseErrorKind::TooDeep {
        // serde_json stops on the bracket that would open the level past the limit.
        let what = if bytes.get(offset) == Some(&b'{') {
            "object"
        } else {
            "array"
        };
        message = format!(
            "nested too deep: this {what} would open level {} of arrays and objects, past the \
             limit of {MAX_DEPTH}",
            MAX_DEPTH + 1
        );
        pointer = Some(pointer_at(bytes, offset));
    } else if kind == ParseErrorKind::NumberOutOfRange {
        // serde_json stops at the number's last digit: the error is the whole number.
        let number = number_around(bytes, offset);
        offset = number.start;
        message = out_of_range_message(&String::from_utf8_lossy(&bytes[number]));
        pointer = Some(pointer_at(bytes, offset));
    }
    // Bytes that are not UTF-8 are the error wherever serde_json noticed them (it may be past
    // the sequence): point at the first one, and say so.
    if let Some(at) = first_invalid_utf8(bytes, offset) {
        offset = at;
        message = format!(
            "invalid UTF-8: byte 0x{:02X} does not start or continue a character",
            bytes[at]
        );
    } else {
        message = clearer_surrogate(message, bytes, offset);
    }
    // An invalid byte is never a newline: the offset stays on its line.
    let column = String::from_utf8_lossy(&bytes[line_start.min(offset)..offset])
        .chars()
        .count()
        + 1;
    ParseError {
        message,
        line,
        column,
        offset,
        kind,
        pointer,
    }
}

/// The message for a number outside the range of a double, showing it as it was written.
pub fn out_of_range_message(number: &str) -> String {
    format!(
        "expected a number within the range of a double (at most {:e} in magnitude), found \
         {number}, which JavaScript and Python read as infinity",
        f64::MAX
    )
}

/// Whether `b` can be part of a JSON number's text.
fn number_byte(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
}

/// The byte range of the number whose text holds `offset` (empty if there is none).
fn number_around(bytes: &[u8], offset: usize) -> Range<usize> {
    let offset = offset.min(bytes.len());
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| !number_byte(b))
        .map_or(0, |i| i + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| !number_byte(b))
        .map_or(bytes.len(), |i| offset + i);
    start..end
}

/// The byte range of every number in `bytes` that lies outside the range of a double, in text
/// order: what serde_json refuses as "number out of range" (tested on both sides of the
/// boundary). Strings are skipped; on text that is not JSON the result is only as good as the
/// text, and nothing panics.
pub fn out_of_range_numbers(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'-' | b'0'..=b'9' => {
                let number = number_around(bytes, i);
                let text = std::str::from_utf8(&bytes[number.clone()]).unwrap_or_default();
                if text.parse::<f64>().is_ok_and(f64::is_infinite) {
                    found.push(number.clone());
                }
                // The number holds the byte at `i`, so it ends past it.
                i = number.end;
            }
            _ => i += 1,
        }
    }
    found
}

/// The position of the first byte at or before `offset` (or within the sequence that starts
/// there) that is not part of a UTF-8 character, if any.
fn first_invalid_utf8(bytes: &[u8], offset: usize) -> Option<usize> {
    let end = (offset + 4).min(bytes.len());
    match std::str::from_utf8(&bytes[..end]) {
        // A sequence cut short by the end of the window is only invalid if the input ends there.
        Err(e) if e.valid_up_to() <= offset && (e.error_len().is_some() || end == bytes.len()) => {
            Some(e.valid_up_to())
        }
        _ => None,
    }
}

/// serde_json's message on a surrogate escape made exact: a lone trailing surrogate is not a
/// "lone leading surrogate", and a leading surrogate with no trailing one is not an "unexpected
/// end of hex escape".
fn clearer_surrogate(message: String, bytes: &[u8], offset: usize) -> String {
    if !matches!(
        message.as_str(),
        "lone leading surrogate in hex escape" | "unexpected end of hex escape"
    ) {
        return message;
    }
    let Some((at, unit)) = escape_before(bytes, offset) else {
        return message;
    };
    let before = at.checked_sub(6).and_then(|p| escape_at(bytes, p));
    match unit {
        0xDC00..=0xDFFF => format!(
            "lone trailing surrogate \\u{unit:04X}: a trailing surrogate must follow a leading \
             one (\\uD800 to \\uDBFF)"
        ),
        0xD800..=0xDBFF => format!(
            "lone leading surrogate \\u{unit:04X}: it must be followed by a trailing surrogate \
             (\\uDC00 to \\uDFFF)"
        ),
        _ => match before {
            Some(lead @ 0xD800..=0xDBFF) => format!(
                "lone leading surrogate \\u{lead:04X}: it is followed by \\u{unit:04X}, not by a \
                 trailing surrogate (\\uDC00 to \\uDFFF)"
            ),
            _ => message,
        },
    }
}

/// The last `\uXXXX` escape starting at or before `offset`, within the 12 bytes before it:
/// (its position, its code unit).
fn escape_before(bytes: &[u8], offset: usize) -> Option<(usize, u16)> {
    (offset.saturating_sub(12)..=offset)
        .rev()
        .find_map(|p| escape_at(bytes, p).map(|unit| (p, unit)))
}

/// The code unit of the `\uXXXX` escape at `p`, if one starts there (the backslash itself not
/// escaped).
fn escape_at(bytes: &[u8], p: usize) -> Option<u16> {
    let hex = bytes.get(p + 2..p + 6)?;
    if bytes.get(p..p + 2)? != b"\\u" {
        return None;
    }
    let backslashes = bytes[..=p]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    if backslashes % 2 == 0 {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_err(input: &[u8], expected: &str) {
        let err = parse(input).expect_err("the input is not valid");
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn accepts_one_value() {
        assert_eq!(
            parse(b" {\"a\": [1, 2.5, null]} \n").ok(),
            Some(serde_json::json!({"a": [1, 2.5, null]}))
        );
    }

    #[test]
    fn refuses() {
        check_err(b"", "empty input: expected a JSON value at line 1 column 1");
        check_err(
            b" \r\n",
            "empty input: expected a JSON value at line 1 column 1",
        );
        check_err(
            b"{\"type\":\"call.st",
            "EOF while parsing a string at line 1 column 16",
        );
        check_err(
            b"{\"a\":1,\n \"b\":{\"c\":1,\"c\":2}}",
            "duplicate key `c` at line 2 column 15",
        );
        check_err(
            b"{\"type\":1,\"\\u0074ype\":2}",
            "duplicate key `type` at line 1 column 21",
        );
        check_err(
            b"\xEF\xBB\xBF{}",
            "a UTF-8 byte-order mark starts the input; JSON text must not begin with one at line 1 column 1",
        );
        check_err(
            b"\xFF\xFE{\x00}\x00",
            "the input is UTF-16, not UTF-8 at line 1 column 1",
        );
        check_err(b"{} {}", "trailing characters at line 1 column 4");
        check_err(
            b"\"\xff\"",
            "invalid UTF-8: byte 0xFF does not start or continue a character at line 1 column 2",
        );
        check_err(
            b"1e400",
            "expected a number within the range of a double (at most 1.7976931348623157e308 in \
             magnitude), found 1e400, which JavaScript and Python read as infinity at line 1 \
             column 1",
        );
        check_err(b"NaN", "expected value at line 1 column 1");
        check_err(
            "{\"m\":\"\u{e9}\u{e9}\" x}".as_bytes(),
            "expected `,` or `}` at line 1 column 11",
        );
        check_err(
            b"{\n  \"a\": 1,\n",
            "EOF while parsing a value at line 3 column 1",
        );
        // Invalid UTF-8, in a string and outside one.
        check_err(
            b"{\"type\":\"caf\xe9\"}",
            "invalid UTF-8: byte 0xE9 does not start or continue a character at line 1 column 13",
        );
        check_err(
            b"\xe9",
            "invalid UTF-8: byte 0xE9 does not start or continue a character at line 1 column 1",
        );
        // Surrogates named for what they are.
        check_err(
            br#""\udfaa""#,
            "lone trailing surrogate \\uDFAA: a trailing surrogate must follow a leading one \
             (\\uD800 to \\uDBFF) at line 1 column 7",
        );
        check_err(
            br#"["\ud800"]"#,
            "lone leading surrogate \\uD800: it must be followed by a trailing surrogate \
             (\\uDC00 to \\uDFFF) at line 1 column 9",
        );
        check_err(
            br#""\ud800\u0041""#,
            "lone leading surrogate \\uD800: it is followed by \\u0041, not by a trailing \
             surrogate (\\uDC00 to \\uDFFF) at line 1 column 13",
        );
        check_err(
            br#""\\ud800\udfaa""#,
            "lone trailing surrogate \\uDFAA: a trailing surrogate must follow a leading one \
             (\\uD800 to \\uDBFF) at line 1 column 14",
        );
        check_err(
            br#""\udbff\udbff""#,
            "lone leading surrogate \\uDBFF: it must be followed by a trailing surrogate \
             (\\uDC00 to \\uDFFF) at line 1 column 13",
        );
        assert!(
            parse(br#""\ud83d\udcde""#).is_ok(),
            "a surrogate pair is one character"
        );
        // An escaped backslash before `u` is no escape.
        check_err(
            br#""\ud800\\u0041""#,
            "lone leading surrogate \\uD800: it must be followed by a trailing surrogate \
             (\\uDC00 to \\uDFFF) at line 1 column 9",
        );
        // A truncated sequence, an overlong one, a surrogate encoded in UTF-8, a byte outside
        // strings: the first bad byte is named, where it is.
        check_err(
            b"[\"\xf0\x9f\x93\"]",
            "invalid UTF-8: byte 0xF0 does not start or continue a character at line 1 column 3",
        );
        check_err(
            b"\"\xc0\xaf\"",
            "invalid UTF-8: byte 0xC0 does not start or continue a character at line 1 column 2",
        );
        check_err(
            b"\"\xc3\xa9\xed\xa0\x80\"",
            "invalid UTF-8: byte 0xED does not start or continue a character at line 1 column 3",
        );
        check_err(
            b"{}\n \xe9",
            "invalid UTF-8: byte 0xE9 does not start or continue a character at line 2 column 2",
        );
        // Not an invalid byte that merely follows the error.
        check_err(b"[1x\xe9]", "expected `,` or `]` at line 1 column 3");
        // UTF-32 (either order) and UTF-16 (either order).
        check_err(
            b"\x00\x00\xFE\xFF\x00\x00\x00{",
            "the input is UTF-32, not UTF-8 at line 1 column 1",
        );
        check_err(
            b"\xFF\xFE\x00\x00{\x00\x00\x00",
            "the input is UTF-32, not UTF-8 at line 1 column 1",
        );
        check_err(
            b"\xFE\xFF\x00{",
            "the input is UTF-16, not UTF-8 at line 1 column 1",
        );
        let deep = "[".repeat(10_000);
        check_err(
            deep.as_bytes(),
            "nested too deep: this array would open level 128 of arrays and objects, past the \
             limit of 127 at line 1 column 128",
        );
    }

    #[test]
    fn limits_name_the_pointer_where_they_are_reached() {
        let at = |input: &[u8]| {
            let err = parse(input).expect_err("past a limit");
            (err.kind, err.pointer, err.line, err.column, err.offset)
        };
        // 127 levels are read; the 128th is refused, at its bracket.
        let deepest = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(deepest.as_bytes()).is_ok());
        let text = format!("{{\"a\": [\n {}{{\"b\": 1}}", "[".repeat(MAX_DEPTH - 2));
        let brace = text.rfind('{').expect("the innermost object");
        assert_eq!(
            at(text.as_bytes()),
            (
                ParseErrorKind::TooDeep,
                Some(format!("/a{}", "/0".repeat(MAX_DEPTH - 1))),
                2,
                MAX_DEPTH,
                brace
            )
        );
        let err = parse(text.as_bytes()).expect_err("too deep");
        assert!(
            err.message.contains("this object would open level 128"),
            "{err}"
        );
        // A number past the range of a double: its first byte, its pointer, as written.
        let text = b"{\"x\": [1, {\"big\": -1E+400}]}";
        let err = parse(text).expect_err("out of range");
        assert_eq!(
            (err.kind, err.pointer.as_deref(), err.offset),
            (ParseErrorKind::NumberOutOfRange, Some("/x/1/big"), 18)
        );
        assert!(err.message.contains("found -1E+400,"), "{err}");
        // Other errors have no pointer.
        assert_eq!(parse(b"[1,]").expect_err("syntax").pointer, None);
    }

    #[test]
    fn numbers_out_of_range_are_what_serde_json_refuses() {
        for number in [
            "1e400",
            "-1e400",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "-1.7976931348623159e308",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
            "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368",
            "18446744073709551616",
            "1e-400",
            "0",
            "-0.0e-9999",
            "123456789e300",
        ] {
            let refused = serde_json::from_str::<Value>(number).is_err();
            let found: Vec<(usize, usize)> = out_of_range_numbers(number.as_bytes())
                .into_iter()
                .map(|r| (r.start, r.end))
                .collect();
            let expected = if refused {
                vec![(0, number.len())]
            } else {
                vec![]
            };
            assert_eq!(found, expected, "{number}");
        }
        // An integer of 401 digits is a number past the range, as serde_json reads it.
        let big = format!("1{}", "0".repeat(400));
        assert!(serde_json::from_str::<Value>(&big).is_err());
        let found = out_of_range_numbers(big.as_bytes());
        assert_eq!((found.len(), &found[0]), (1, &(0..401)));
        // In a document: every one, in text order; never inside a string.
        let text = br#"{"a": "1e400", "b": [1e400, 2, -1e999], "1e999": true}"#;
        let found = out_of_range_numbers(text);
        let shown: Vec<&[u8]> = found.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(shown, [&b"1e400"[..], b"-1e999"]);
        // Whatever the bytes: no panic.
        for bytes in [&b"\"1e999"[..], b"-", b"e9", b"1e", b"\xff1e999"] {
            let _ = out_of_range_numbers(bytes);
        }
    }

    #[test]
    fn kinds_and_positions() {
        let kind = |input: &[u8]| parse(input).expect_err("invalid").kind;
        assert_eq!(kind(b""), ParseErrorKind::Empty);
        assert_eq!(kind(b" \t\r\n"), ParseErrorKind::Empty);
        assert_eq!(kind(b"{\"a\": [1,"), ParseErrorKind::Eof);
        assert_eq!(kind(b"{\"a\":1,\"a\":2}"), ParseErrorKind::DuplicateKey);
        assert_eq!(kind(b"\xEF\xBB\xBF{}"), ParseErrorKind::Encoding);
        assert_eq!(kind(b"{\"a\" 1}"), ParseErrorKind::Syntax);
        assert_eq!(kind(b"\x00"), ParseErrorKind::Syntax);
        assert_eq!(kind("[".repeat(200).as_bytes()), ParseErrorKind::TooDeep);
        assert_eq!(kind(b"[1e999]"), ParseErrorKind::NumberOutOfRange);
        // The second line of a pretty-printed file, after non-ASCII text: line, column (in
        // characters) and byte offset.
        let text = "{\n  \"名\": 1,\n  \"é\": x\n}";
        let err = parse(text.as_bytes()).expect_err("invalid");
        assert_eq!((err.line, err.column), (3, 8), "{err}");
        assert_eq!(&text[err.offset..err.offset + 1], "x");
        let text = "{\n  \"名\": tru";
        let err = parse(text.as_bytes()).expect_err("invalid");
        assert_eq!(
            (err.line, err.column, err.kind),
            (2, 10, ParseErrorKind::Eof),
            "{err}"
        );
        assert_eq!(err.offset, text.len() - 1);
        // An error past the last line (a file ending in a newline inside a value).
        let err = parse(b"[\n1,\n").expect_err("invalid");
        assert_eq!((err.line, err.column, err.offset), (3, 1, 5), "{err}");
    }
}
