//! Rust names for what the captures call keys and values: field names in snake case, type and
//! variant names in upper camel case, unique where they must be, never a keyword.

use std::collections::BTreeSet;

/// Rust's keywords, strict and reserved (2024 edition): never a name as they are.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The words of a key or value: runs of ASCII letters and digits, split where the case goes
/// from lower to upper (`callState` is `call`, `State`). Anything else separates words; text
/// with no ASCII letter or digit has no words.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            current.push(c);
        } else {
            previous_lower = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A field name for `key`: snake case (`callState` → `call_state`, `First Name` →
/// `first_name`), `field` when the key has no ASCII letter or digit, `field_` before a leading
/// digit, `_` after a keyword (`type_`).
pub fn field(key: &str) -> String {
    let name = words(key)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    let name = match name.chars().next() {
        None => "field".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("field_{name}"),
        Some(_) => name,
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A type or variant name for `text`: upper camel case (`call_state` → `CallState`,
/// `CS_NEW` → `CsNew`, `in-progress` → `InProgress`), with `empty` for text with no ASCII letter
/// or digit and `V` before a leading digit (`200` → `V200`).
pub fn camel(text: &str, empty: &str) -> String {
    let name: String = words(text)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first
                .into_iter()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect::<String>()
        })
        .collect();
    match name.chars().next() {
        None => empty.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        // `Self` is the only keyword in upper camel case.
        Some(_) if name == "Self" => "Self_".to_owned(),
        Some(_) => name,
    }
}

/// Hands out names that are unique among themselves and the names already taken: a name seen
/// before gets `2`, `3`, ... appended (with `_` for snake case names).
#[derive(Debug, Default, Clone)]
pub struct Unique {
    taken: BTreeSet<String>,
}

impl Unique {
    /// A set with `taken` already used.
    pub fn with<I: IntoIterator<Item = String>>(taken: I) -> Unique {
        Unique {
            taken: taken.into_iter().collect(),
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Marks `name` as used, as it is.
    pub fn take(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// `name`, or the first of `name2`, `name3`, ... (`name_2` for a snake case name) not taken;
    /// it is taken from then on.
    pub fn claim(&mut self, name: &str) -> String {
        let separator = if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let mut candidate = name.to_owned();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{}{separator}{n}", name.trim_end_matches('_'));
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// `text` as a Rust string literal: the string's `Debug` form, which escapes quotes,
/// backslashes and control characters as Rust reads them back.
pub fn literal(text: &str) -> String {
    format!("{text:?}")
}

/// `text` for a doc comment: one line, control characters and backticks shown escaped so that
/// a key cannot end the comment's line or break its Markdown.
pub fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '`' => out.push('\''),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&c.escape_unicode().to_string());
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_field(key: &str, expected: &str) {
        assert_eq!(field(key), expected, "{key:?}");
    }

    #[track_caller]
    fn check_camel(text: &str, expected: &str) {
        assert_eq!(camel(text, "Empty"), expected, "{text:?}");
    }

    #[test]
    fn field_names() {
        check_field("call_state", "call_state");
        check_field("callState", "call_state");
        check_field("CallState", "call_state");
        check_field("First Name", "first_name");
        check_field("x-request-id", "x_request_id");
        check_field("URL", "url");
        check_field("a1b2", "a1b2");
        check_field("type", "type_");
        check_field("Self", "self_");
        check_field("match", "match_");
        check_field("", "field");
        check_field("名前", "field");
        check_field("número", "n_mero");
        check_field("3d", "field_3d");
        check_field("__x__", "x");
        check_field("a\nb", "a_b");
    }

    #[test]
    fn camel_names() {
        check_camel("call_state", "CallState");
        check_camel("CS_NEW", "CsNew");
        check_camel("in-progress", "InProgress");
        check_camel("CallSCA", "CallSca");
        check_camel("smso", "Smso");
        check_camel("200", "V200");
        check_camel("", "Empty");
        check_camel("   ", "Empty");
        check_camel("self", "Self_");
        check_camel("ünïcode", "NCode");
    }

    #[test]
    fn unique_names_get_a_number() {
        let mut names = Unique::with(["Call".to_owned()]);
        assert!(names.contains("Call"));
        assert_eq!(names.claim("Call"), "Call2");
        assert_eq!(names.claim("Call"), "Call3");
        assert_eq!(names.claim("field"), "field");
        assert_eq!(names.claim("field"), "field_2");
        assert_eq!(names.claim("type_"), "type_");
        assert_eq!(names.claim("type_"), "type_2");
        names.take("x");
        assert_eq!(names.claim("x"), "x_2");
        assert!(!names.contains("y"));
    }

    #[test]
    fn literals_and_doc_text_cannot_escape() {
        assert_eq!(literal("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(doc_text("a`b\nc\u{2028}d"), "a'b\\u{a}c\\u{2028}d");
        assert_eq!(doc_text("plain"), "plain");
    }
}
