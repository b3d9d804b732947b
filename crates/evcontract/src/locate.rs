//! Finding where a JSON Pointer lands in the source text, so that a report can name the line
//! and column of an error and show the offending part.

use std::ops::Range;

use opentact_events::json::pointer::tokens;
use opentact_events::json::{find_member, skip_value, skip_ws};

/// Where a pointer lands in a source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range of the value (for a key that is missing or must go: of the object that lacks
    /// or holds it; for a key that must go, of the key and its value).
    pub bytes: Range<usize>,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in characters.
    pub column: usize,
    /// Whether the whole pointer was found; false when only a prefix of it exists in the text
    /// (a missing key points at the object that lacks it).
    pub exact: bool,
}

/// Finds the value `pointer` designates in `text`, or the deepest existing value on its way.
///
/// `text` must be valid JSON (it is, once it has parsed); on anything else the result is only
/// as good as the text. Returns `None` for a malformed pointer.
pub fn locate(text: &str, pointer: &str) -> Option<Span> {
    let tokens = tokens(pointer)?;
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    let mut range = pos..skip_value(bytes, pos);
    let mut exact = true;
    for (i, token) in tokens.iter().enumerate() {
        match find_member(bytes, pos, token) {
            Some((child_start, child_key_start)) => {
                pos = child_start;
                range = pos..skip_value(bytes, pos);
                // For a key, underline from the key to the end of its value: a report about an
                // unknown or forbidden key is about both.
                if let Some(key_start) = child_key_start
                    && i + 1 == tokens.len()
                {
                    range = key_start..range.end;
                }
            }
            None => {
                exact = false;
                break;
            }
        }
    }
    let (line, column) = line_column(text, range.start);
    Some(Span {
        bytes: range,
        line,
        column,
        exact,
    })
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // An offset inside a character is in that character's column.
    let column = text[line_start..text.floor_char_boundary(offset)]
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"a\": {\"b~/c\": [10, {\"d\": \"x\\\"}\"}]},\n  \"e\": null\n}";

    #[track_caller]
    fn check(pointer: &str, expected: (&str, usize, usize, bool)) {
        let span = locate(TEXT, pointer).expect("a well-formed pointer");
        assert_eq!(
            (
                &TEXT[span.bytes.clone()],
                span.line,
                span.column,
                span.exact
            ),
            expected
        );
    }

    #[test]
    fn finds_values_keys_and_prefixes() {
        check("", (TEXT, 1, 1, true));
        check("/e", ("\"e\": null", 3, 3, true));
        check("/a/b~0~1c/0", ("10", 2, 18, true));
        check("/a/b~0~1c/1/d", ("\"d\": \"x\\\"}\"", 2, 23, true));
        check(
            "/a/missing",
            ("{\"b~/c\": [10, {\"d\": \"x\\\"}\"}]}", 2, 8, false),
        );
        check("/a/b~0~1c/7", ("[10, {\"d\": \"x\\\"}\"}]", 2, 17, false));
        assert_eq!(locate(TEXT, "no-slash"), None);
    }

    #[test]
    fn line_and_column_of_any_offset() {
        let text = "a\n\"名前\": é\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 1), (1, 2));
        assert_eq!(line_column(text, 2), (2, 1));
        // Characters, not bytes: `é` is the seventh character of line 2.
        let e = text.find('é').expect("é");
        assert_eq!(line_column(text, e), (2, 7));
        // Inside a character: that character's column.
        assert_eq!(line_column(text, e + 1), (2, 7));
        assert_eq!(line_column(text, 4), (2, 2));
        // Past the end: the end.
        assert_eq!(line_column(text, 999), (3, 1));
    }
}
