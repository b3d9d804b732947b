//! Text from the input made safe for a report: shown, never obeyed.
//!
//! Keys, values, file names and source lines come from input that nobody cleaned. A control
//! character reaching a terminal can set its title, move the cursor or colour what follows; a
//! line separator can forge a line of the report; a bidirectional override can reorder what the
//! reader sees. Every renderer passes such text through one of these functions.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must be shown escaped rather than written as it is:
/// - every control character (`Cc`: C0 including newline and tab, DEL, C1), which terminals
///   obey (ESC starts escape sequences; C1's CSI is one byte in some terminals);
/// - the line and paragraph separators U+2028 and U+2029, which many line readers split on;
/// - the bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069),
///   which reorder what is displayed ("Trojan Source");
/// - the byte-order mark / zero-width no-break space U+FEFF, invisible but significant.
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `c` as a visible Rust-style escape: `\u{1b}`.
pub fn escaped(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

/// `text` with every [hazard](is_hazard) shown as a visible escape (`\u{1b}`, `\u{a}`); one line
/// of text whatever the input. Borrowed when nothing needed escaping.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hazard(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Bytes as text without losing any: valid UTF-8 is kept, each byte of an invalid sequence is
/// shown as `\xNN` (never replaced by U+FFFD, never sliced). Borrowed when the bytes are UTF-8.
pub fn lossless(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02X}");
        }
    }
    Cow::Owned(out)
}

/// Bytes as text that no other bytes give: like [`lossless`], with each backslash of the text
/// shown as `\\`, so that `\xNN` always stands for a byte that is not UTF-8 (a name holding the
/// text `\xFF` is shown `\\xFF`). For names people read (file names).
pub fn unambiguous(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hazards() {
        for c in [
            '\0', '\x07', '\t', '\n', '\r', '\x1b', '\x7f', '\u{80}', '\u{9b}', '\u{9f}',
        ] {
            assert!(is_hazard(c), "{c:?}");
        }
        for c in [
            '\u{2028}', '\u{2029}', '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202e}',
            '\u{2066}', '\u{2069}', '\u{feff}',
        ] {
            assert!(is_hazard(c), "{c:?}");
        }
        for c in [
            ' ', 'a', '~', '\u{a0}', 'é', '📞', '中', '\u{202f}', '\u{2065}', '\u{fffd}',
        ] {
            assert!(!is_hazard(c), "{c:?}");
        }
    }

    #[test]
    fn visible_escapes_only_hazards() {
        assert!(matches!(visible("plain é 📞"), Cow::Borrowed("plain é 📞")));
        assert_eq!(
            visible("\u{1b}]0;t\u{7}\nFORGED"),
            "\\u{1b}]0;t\\u{7}\\u{a}FORGED"
        );
        assert_eq!(visible("a\u{202e}b\u{9b}c"), "a\\u{202e}b\\u{9b}c");
    }

    #[test]
    fn lossless_shows_invalid_bytes() {
        assert!(matches!(lossless(b"caf\xc3\xa9"), Cow::Borrowed("café")));
        assert_eq!(lossless(b"caf\xe9!"), "caf\\xE9!");
        assert_eq!(lossless(b"\xf0\x9f\x93"), "\\xF0\\x9F\\x93");
        assert_eq!(lossless(b"\xff\xfe a"), "\\xFF\\xFE a");
    }

    #[test]
    fn unambiguous_tells_bytes_from_their_escape() {
        assert_eq!(unambiguous(b"caf\xe9"), "caf\\xE9");
        assert_eq!(unambiguous(b"caf\\xE9"), "caf\\\\xE9");
        assert_eq!(unambiguous("é \\ 📞\x1b".as_bytes()), "é \\\\ 📞\x1b");
        assert_eq!(unambiguous(b"\xf0\x9f\x93\\"), "\\xF0\\x9F\\x93\\\\");
        assert_eq!(unambiguous(b""), "");
    }
}
