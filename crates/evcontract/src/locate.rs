//! Finding where a JSON Pointer lands in the source text, so that a report can name the line
//! and column of an error and show the offending part; and the reverse, the JSON Pointer of the
//! value at a place in the text, for problems found while reading it (nesting past the limit, a
//! number outside the range of a double).

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::ops::Range;

// Seeded per process, as std's `RandomState`, and several times faster on short keys: the keys
// come from the event's text, so an unseeded hash would let an event choose its collisions.
use foldhash::{HashMap, HashMapExt as _};

use opentact_events::json::pointer::{push_index, push_token, tokens};
use opentact_events::json::{find_member, skip_string, skip_value, skip_ws, string_at};

use crate::tape::{Tape, WalkIndex};

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
    let (mut range, key_start, exact) = walk(text.as_bytes(), pointer)?;
    // For a key, underline from the key to the end of its value: a report about an unknown or
    // forbidden key is about both.
    if exact && let Some(key_start) = key_start {
        range = key_start..range.end;
    }
    let (line, column) = line_column(text, range.start);
    Some(Span {
        bytes: range,
        line,
        column,
        exact,
    })
}

/// The byte range of the value `pointer` designates in `text` (without its key), if it is
/// there: what messages quote when they show a value as it was written.
pub fn value_span(text: &str, pointer: &str) -> Option<Range<usize>> {
    match walk(text.as_bytes(), pointer)? {
        (range, _, true) => Some(range),
        _ => None,
    }
}

/// The range of the value `pointer` designates (or of the deepest value on its way), the start
/// of its key if the last token is an object's key, and whether the whole pointer was found.
fn walk(bytes: &[u8], pointer: &str) -> Option<(Range<usize>, Option<usize>, bool)> {
    let tokens = tokens(pointer)?;
    let mut pos = skip_ws(bytes, 0);
    let mut range = pos..skip_value(bytes, pos);
    let mut key = None;
    for token in &tokens {
        match find_member(bytes, pos, token) {
            Some((child_start, child_key_start)) => {
                pos = child_start;
                range = pos..skip_value(bytes, pos);
                key = child_key_start;
            }
            None => return Some((range, None, false)),
        }
    }
    Some((range, key, true))
}

/// Finds many JSON Pointers in one text, in time linear in the text and the pointers together.
///
/// [`locate`] and [`value_span`] walk the text from its start for each pointer, so an event
/// with thousands of problems (say 16,000 unknown keys in one 200 KB NDJSON line) would take
/// time that grows with the square of its size. A `Locator` indexes each object or array the
/// first time a pointer passes through it (its members' key and value offsets, read once), and
/// the text's line ends and character counts the first time a line and column is asked for;
/// every later step is a hash look-up, and every line and column a binary search plus a count
/// over at most [`Locator::STRIDE`] bytes. It gives the same answers as [`locate`] and
/// [`value_span`], whatever the text (a property test holds the two to each other).
///
/// The index grows with the containers visited (a few machine words per member); it lives as
/// long as the `Locator`, which is meant to live for one event.
#[derive(Debug)]
pub struct Locator<'t> {
    text: &'t str,
    /// The root value's range, read the first time an answer is the root itself.
    root: OnceCell<Range<usize>>,
    /// The members of each container visited so far, by the offset of its `{` or `[`.
    containers: RefCell<HashMap<usize, Members<'t>>>,
    /// Line ends and character counts, built on first use.
    lines: OnceCell<Lines>,
    /// The text's tape, when it was read as one ([`Locator::with_tape`]): pointers are then
    /// walked over its slots, and `root` and `containers` stay empty.
    tape: Option<Tape<'t>>,
    /// The tape's large containers, indexed as walks pass through them.
    tape_index: RefCell<WalkIndex<'t>>,
}

/// The members of one container, as [`find_member`] would find them: for an object the first
/// member of each key, for an array each item; both stop where the text stops being JSON.
#[derive(Debug)]
enum Members<'t> {
    Object(Object<'t>),
    Array(Vec<Member>),
}

/// An object's members in the order of the text. Most objects are small and asked about once
/// or twice (a refused event has a problem or two): a look-up reads the list. Past
/// [`Object::INDEXED`] members, a hash index by key finds the first member of a key at once (an
/// event with thousands of unknown keys asks about each).
#[derive(Debug)]
struct Object<'t> {
    members: Vec<(Cow<'t, str>, Member)>,
    /// Key → position of its first member in `members`, for a large object.
    index: Option<HashMap<Cow<'t, str>, usize>>,
}

impl<'t> Object<'t> {
    /// How many members an object may have and still be searched by reading its list. An
    /// event's objects have up to 26 (a call): with 16, both the root and the call were indexed,
    /// and a refusal's quoted values took about 4.5 µs instead of 3.4 (evbench's breakdown).
    const INDEXED: usize = 64;

    fn new(members: Vec<(Cow<'t, str>, Member)>) -> Object<'t> {
        let index = (members.len() > Object::INDEXED).then(|| {
            let mut index = HashMap::with_capacity(members.len());
            for (at, (key, _)) in members.iter().enumerate() {
                index.entry(key.clone()).or_insert(at);
            }
            index
        });
        Object { members, index }
    }

    /// The first member named `key`.
    fn get(&self, key: &str) -> Option<&Member> {
        match &self.index {
            Some(index) => index.get(key).map(|&at| &self.members[at].1),
            None => self
                .members
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, member)| member),
        }
    }
}

/// Where one member is: its value's range, and its key's start for an object member.
#[derive(Debug, Clone)]
struct Member {
    value: Range<usize>,
    key: Option<usize>,
}

/// The offsets of a text's line feeds, and (unless the text is ASCII) the number of characters
/// before every [`Locator::STRIDE`]-th byte.
#[derive(Debug)]
struct Lines {
    newlines: Vec<usize>,
    chars_before: Option<Vec<usize>>,
}

impl<'t> Locator<'t> {
    /// How many bytes apart the character counts are kept: a column is counted over at most
    /// this many bytes.
    pub const STRIDE: usize = 256;

    /// A locator over `text`, which should be valid JSON (as [`locate`] expects). Reads nothing
    /// yet.
    pub fn new(text: &'t str) -> Locator<'t> {
        Locator {
            text,
            root: OnceCell::new(),
            containers: RefCell::new(HashMap::new()),
            lines: OnceCell::new(),
            tape: None,
            tape_index: RefCell::default(),
        }
    }

    /// A locator over the text of `tape`, which already holds where every value and key is:
    /// a pointer is a walk over its slots (an object's members read in order, an array's
    /// elements skipped by their ends; a container of more than 64 indexed the first time a
    /// walk passes through it, as over the text), with the same answers as over the text. The engine reads
    /// the events the models refuse as tapes, and so places their problems without reading the
    /// text again.
    pub fn with_tape(tape: Tape<'t>) -> Locator<'t> {
        let text = tape.text();
        Locator {
            tape: Some(tape),
            ..Locator::new(text)
        }
    }

    /// The tape this locator walks, if it was built [`Locator::with_tape`].
    pub fn tape(&self) -> Option<&Tape<'t>> {
        self.tape.as_ref()
    }

    /// The text being located in.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// What [`locate`] gives for `pointer` in this text.
    pub fn locate(&self, pointer: &str) -> Option<Span> {
        let (mut range, key_start, exact) = self.walk(pointer)?;
        if exact && let Some(key_start) = key_start {
            range = key_start..range.end;
        }
        let (line, column) = self.line_column(range.start);
        Some(Span {
            bytes: range,
            line,
            column,
            exact,
        })
    }

    /// What [`value_span`] gives for `pointer` in this text.
    pub fn value_span(&self, pointer: &str) -> Option<Range<usize>> {
        match self.walk(pointer)? {
            (range, _, true) => Some(range),
            _ => None,
        }
    }

    /// What [`line_column`] gives for `offset` in this text.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let lines = self.lines.get_or_init(|| Lines::read(bytes));
        let offset = offset.min(text.len());
        let before = lines.newlines.partition_point(|&at| at < offset);
        let line_start = before.checked_sub(1).map_or(0, |i| lines.newlines[i] + 1);
        let end = text.floor_char_boundary(offset);
        let column = match &lines.chars_before {
            // ASCII: a character is a byte.
            None => end - line_start,
            Some(counts) => {
                let chars_to = |at: usize| {
                    let mark = at / Self::STRIDE;
                    counts[mark] + count_chars(&bytes[mark * Self::STRIDE..at])
                };
                chars_to(end) - chars_to(line_start)
            }
        };
        (before + 1, column + 1)
    }

    /// [`walk`] through the index.
    fn walk(&self, pointer: &str) -> Option<(Range<usize>, Option<usize>, bool)> {
        let tokens = tokens(pointer)?;
        if let Some(tape) = &self.tape {
            return Some(tape.walk(&tokens, &mut self.tape_index.borrow_mut()));
        }
        let bytes = self.text.as_bytes();
        // The root's end takes a scan of the whole text: it is read only when the answer is the
        // root itself (the empty pointer, or a first token that is not there).
        let root = || {
            self.root
                .get_or_init(|| {
                    let start = skip_ws(bytes, 0);
                    start..skip_value(bytes, start)
                })
                .clone()
        };
        let mut start = skip_ws(bytes, 0);
        let mut found_range = None;
        let mut key = None;
        let mut containers = self.containers.borrow_mut();
        for token in &tokens {
            let members = containers
                .entry(start)
                .or_insert_with(|| Members::read(bytes, start));
            let found = match members {
                Members::Object(members) => members.get(token.as_ref()),
                Members::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            };
            match found {
                Some(member) => {
                    start = member.value.start;
                    found_range = Some(member.value.clone());
                    key = member.key;
                }
                None => return Some((found_range.unwrap_or_else(root), None, false)),
            }
        }
        Some((found_range.unwrap_or_else(root), key, true))
    }
}

impl<'t> Members<'t> {
    /// The members of the container at `pos` (none if no container starts there), read as
    /// [`find_member`] reads them.
    fn read(bytes: &'t [u8], pos: usize) -> Members<'t> {
        match bytes.get(pos) {
            Some(b'{') => {
                let mut members = Vec::new();
                let mut i = skip_ws(bytes, pos + 1);
                while bytes.get(i) == Some(&b'"') {
                    let Some(key) = string_at(bytes, i) else {
                        break;
                    };
                    let colon = skip_ws(bytes, skip_string(bytes, i));
                    let value_start = skip_ws(bytes, colon + 1);
                    let value_end = skip_value(bytes, value_start);
                    members.push((
                        key,
                        Member {
                            value: value_start..value_end,
                            key: Some(i),
                        },
                    ));
                    let after = skip_ws(bytes, value_end);
                    if bytes.get(after) != Some(&b',') {
                        break;
                    }
                    i = skip_ws(bytes, after + 1);
                }
                Members::Object(Object::new(members))
            }
            Some(b'[') => {
                let mut items = Vec::new();
                let mut i = skip_ws(bytes, pos + 1);
                while bytes.get(i) != Some(&b']') {
                    let end = skip_value(bytes, i);
                    items.push(Member {
                        value: i..end,
                        key: None,
                    });
                    let after = skip_ws(bytes, end);
                    if bytes.get(after) != Some(&b',') {
                        break;
                    }
                    i = skip_ws(bytes, after + 1);
                }
                Members::Array(items)
            }
            _ => Members::Array(Vec::new()),
        }
    }
}

impl Lines {
    /// Reads the line ends and character counts of `bytes`. (Not called `new`: cargo-mutants
    /// leaves functions of that name alone, and this one has mutants worth testing.)
    fn read(bytes: &[u8]) -> Lines {
        let newlines = memchr::memchr_iter(b'\n', bytes).collect();
        let chars_before = (!bytes.is_ascii()).then(|| {
            let mut counts = Vec::with_capacity(bytes.len() / Locator::STRIDE + 1);
            let mut total = 0;
            counts.push(0);
            for chunk in bytes.chunks(Locator::STRIDE) {
                total += count_chars(chunk);
                counts.push(total);
            }
            counts
        });
        Lines {
            newlines,
            chars_before,
        }
    }
}

/// The characters that start in `bytes`: the bytes that are not UTF-8 continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
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

/// The JSON Pointer of the value that starts at, or holds, byte `offset` of `bytes`.
///
/// `bytes` must be valid JSON up to `offset` (as it is when a parser stopped there); past it,
/// anything may follow. An offset on an object's key gives the pointer of that object; between
/// a key and its value, of that member; past the end, of where the text would go on.
/// Never panics, whatever the bytes.
pub fn pointer_at(bytes: &[u8], offset: usize) -> String {
    /// An open container: an object and the key of the member being read (none before its key
    /// is complete), or an array and the index of the item being read.
    enum Open {
        Object(Option<String>),
        Array(usize),
    }
    let end = offset.min(bytes.len());
    let mut open: Vec<Open> = Vec::new();
    let mut i = skip_ws(bytes, 0);
    while i < end {
        match bytes[i] {
            b'{' => open.push(Open::Object(None)),
            b'[' => open.push(Open::Array(0)),
            b'}' | b']' => {
                open.pop();
            }
            b',' => match open.last_mut() {
                Some(Open::Array(index)) => *index += 1,
                Some(Open::Object(key)) => *key = None,
                None => {}
            },
            b'"' => {
                let after = skip_string(bytes, i);
                // A key is the member's name once it is whole; a string value holds the offset
                // or ends before it.
                if let Some(Open::Object(key @ None)) = open.last_mut()
                    && after <= end
                {
                    *key = Some(string_at(bytes, i).map(Into::into).unwrap_or_default());
                }
                i = skip_ws(bytes, after);
                continue;
            }
            b':' => {}
            // A number or a literal: skipped whole (at least this byte, which is no delimiter).
            _ => {
                i = skip_ws(bytes, skip_value(bytes, i));
                continue;
            }
        }
        i = skip_ws(bytes, i + 1);
    }
    let mut pointer = String::new();
    for container in &open {
        match container {
            Open::Object(Some(key)) => push_token(&mut pointer, key),
            Open::Array(index) => push_index(&mut pointer, *index),
            Open::Object(None) => break,
        }
    }
    pointer
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
    fn value_spans_leave_the_key_out() {
        let span = |pointer| value_span(TEXT, pointer).map(|r| &TEXT[r]);
        assert_eq!(span("/e"), Some("null"));
        assert_eq!(span("/a/b~0~1c/1/d"), Some("\"x\\\"}\""));
        assert_eq!(span("/a/b~0~1c/0"), Some("10"));
        assert_eq!(span(""), Some(TEXT));
        assert_eq!(span("/a/missing"), None);
        assert_eq!(span("no-slash"), None);
    }

    /// The pointer at the first occurrence of `marker` in `text`.
    #[track_caller]
    fn pointer_of(text: &str, marker: &str, expected: &str) {
        let at = text.find(marker).expect("the marker is in the text");
        assert_eq!(pointer_at(text.as_bytes(), at), expected, "at {marker:?}");
    }

    #[test]
    fn pointers_of_places_in_the_text() {
        let text =
            r#" {"a": [1, {"b~/c": [true, "x,]}", 7]}, null], "\u0064": {"e": "f"}, "g": 5}"#;
        pointer_of(text, "{", "");
        pointer_of(text, "[1", "/a");
        pointer_of(text, "1,", "/a/0");
        pointer_of(text, r#"{"b"#, "/a/1");
        pointer_of(text, "true", "/a/1/b~0~1c/0");
        pointer_of(text, r#""x"#, "/a/1/b~0~1c/1");
        // Inside a string value: that string, whatever it holds.
        pointer_of(text, r#"]}""#, "/a/1/b~0~1c/1");
        pointer_of(text, "7", "/a/1/b~0~1c/2");
        pointer_of(text, "null", "/a/2");
        // An escaped key is read as its text.
        pointer_of(text, r#"{"e"#, "/d");
        pointer_of(text, r#""f"#, "/d/e");
        pointer_of(text, "5}", "/g");
        // On a key: the object; between a key and its value: the member.
        pointer_of(text, r#""g"#, "");
        pointer_of(text, r#"b~/c""#, "/a/1");
        pointer_of(text, r#": {"e"#, "/d");
        // Without white space: a key's colon is not part of its value.
        let compact = r#"{"a":{"b":1},"c":"x,y","d":[true,{"e":null}]}"#;
        pointer_of(compact, "1}", "/a/b");
        pointer_of(compact, r#""x,"#, "/c");
        pointer_of(compact, "null", "/d/1/e");
        // Past the end: where the text would go on (nowhere, once the root is closed).
        assert_eq!(pointer_at(text.as_bytes(), 999), "");
        assert_eq!(pointer_at(br#"{"a": [["#, 999), "/a/0/0");
        assert_eq!(pointer_at(b"", 0), "");
        // Whatever the bytes: no panic, some pointer.
        for bytes in [
            &b"}}]]::,,"[..],
            b"\"",
            b"{\"",
            b"[\"a\\",
            b"{\"k\" x",
            b"[1 2",
        ] {
            for at in 0..=bytes.len() {
                let _ = pointer_at(bytes, at);
            }
        }
    }

    #[test]
    fn the_pointer_of_the_container_past_the_nesting_limit() {
        let text = format!("{}{}", r#"{"a": [{"b": "#.repeat(3), "[".repeat(10));
        // The tenth `[` opens the value at /a/0/b/0/b/0/b/0/.../0 (nine array items before it).
        let at = text.rfind('[').expect("brackets");
        let expected = format!("{}{}", "/a/0/b".repeat(3), "/0".repeat(9));
        assert_eq!(pointer_at(text.as_bytes(), at), expected);
    }

    /// `Locator` against the one-shot `locate`, `value_span` and `line_column`: the same answer
    /// for every pointer and every offset, on JSON of any shape and layout and on text that is
    /// not JSON at all.
    mod locator {
        use opentact_events::json::pointer::{push_index, push_token};
        use proptest::prelude::*;
        use proptest::test_runner::Config;
        use serde_json::Value;

        use super::super::{Locator, line_column, locate, value_span};
        use crate::tape::Tape;

        fn config(cases: u32) -> Config {
            crate::testing::config(cases, 0x10ca_7e00)
        }

        /// Keys and strings that need escaping in a pointer or in JSON, and text that is not
        /// all ASCII.
        fn json() -> impl Strategy<Value = Value> {
            crate::testing::json(&[
                "a", "b", "a/b", "~0", "é", "名前", "\"q\"", "", "0", "1", "\n",
            ])
        }

        /// Every pointer of `value`, and for each container a pointer one step past its end.
        fn pointers(value: &Value, at: &mut String, out: &mut Vec<String>) {
            out.push(at.clone());
            let len = at.len();
            match value {
                Value::Object(map) => {
                    for (key, child) in map {
                        push_token(at, key);
                        pointers(child, at, out);
                        at.truncate(len);
                    }
                    push_token(at, "missing");
                    out.push(at.clone());
                    at.truncate(len);
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        push_index(at, i);
                        pointers(child, at, out);
                        at.truncate(len);
                    }
                    push_index(at, items.len());
                    out.push(format!("{at}/deeper"));
                    at.truncate(len);
                }
                _ => {
                    at.push_str("/under");
                    out.push(at.clone());
                    at.truncate(len);
                }
            }
        }

        /// The answers of a `Locator` over `text`, and of one over its tape when the tape takes
        /// the text (returns whether it did), are `locate`'s and `value_span`'s.
        #[track_caller]
        fn same_answers(text: &str, pointers: &[String]) -> bool {
            let tape = Tape::parse(text.as_bytes()).map(Locator::with_tape);
            if let Some(tape) = &tape {
                same_answers_of(tape, text, pointers);
            }
            same_answers_of(&Locator::new(text), text, pointers);
            tape.is_some()
        }

        #[track_caller]
        fn same_answers_of(locator: &Locator<'_>, text: &str, pointers: &[String]) {
            // Twice over, so the second pass reads the index the first one built.
            for _ in 0..2 {
                for pointer in pointers {
                    assert_eq!(
                        locator.locate(pointer),
                        locate(text, pointer),
                        "{pointer:?} in {text:?}"
                    );
                    assert_eq!(
                        locator.value_span(pointer),
                        value_span(text, pointer),
                        "{pointer:?} in {text:?}"
                    );
                }
            }
            for offset in 0..=text.len() + 1 {
                assert_eq!(
                    locator.line_column(offset),
                    line_column(text, offset),
                    "offset {offset} in {text:?}"
                );
            }
        }

        proptest! {
            #![proptest_config(config(400))]

            #[test]
            fn the_index_finds_what_the_walk_finds(value in json(), pretty in any::<bool>()) {
                let text = if pretty {
                    serde_json::to_string_pretty(&value)
                } else {
                    serde_json::to_string(&value)
                }
                .expect("values serialize");
                let mut all = Vec::new();
                pointers(&value, &mut String::new(), &mut all);
                all.extend(["no-slash", "/", "//", "/01", "/+1", "/-1"].map(str::to_owned));
                prop_assert!(same_answers(&text, &all), "the tape takes {}", text);
            }

            #[test]
            fn the_index_finds_what_the_walk_finds_in_any_text(
                text in "[{}\\[\\]\",: a1\\\\\né名]{0,40}",
                pointers in prop::collection::vec("(/[a1é\"]{0,2}){0,3}", 0..8),
            ) {
                same_answers(&text, &pointers);
            }
        }

        /// `skip_string` as it was before it searched with `memchr`: byte by byte.
        fn skip_string_bytewise(bytes: &[u8], mut i: usize) -> usize {
            i += 1;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            bytes.len()
        }

        proptest! {
            #![proptest_config(config(2000))]

            /// The scanner under every index finds a string's end where a byte-by-byte reading
            /// does, from any position: escapes at the end of the text, a backslash before the
            /// closing quote, strings longer than a SIMD register.
            #[test]
            fn a_string_ends_where_the_bytes_say(
                bytes in prop::collection::vec(
                    prop::sample::select(vec![b'"', b'\\', b'a', b' ', 0xC3, 0xA9]),
                    0..200,
                ),
                start in 0usize..100,
            ) {
                prop_assert_eq!(
                    opentact_events::json::skip_string(&bytes, start),
                    skip_string_bytewise(&bytes, start)
                );
            }
        }

        #[test]
        fn the_root_is_read_only_when_it_is_the_answer() {
            let text = r#" {"a": {"b": [1, "x\"y"]}, "c": 2} "#;
            let locator = Locator::new(text);
            assert_eq!(
                locator.value_span("/a/b/1").map(|r| &text[r]),
                Some(r#""x\"y""#)
            );
            assert_eq!(locator.value_span("/c").map(|r| &text[r]), Some("2"));
            // Reading the root's end takes a scan of the whole text: not done for its members.
            assert!(locator.root.get().is_none());
            let whole = &text[1..text.len() - 1];
            assert_eq!(locator.value_span("").map(|r| &text[r]), Some(whole));
            assert!(locator.root.get().is_some());
            // A first token that is not there: the root, exactly as the walk gives it.
            let fresh = Locator::new(text);
            assert_eq!(fresh.locate("/z"), locate(text, "/z"));
            assert_eq!(
                fresh.locate("/z").map(|s| (s.bytes, s.exact)),
                Some((1..text.len() - 1, false))
            );
        }

        /// Over a tape, a container past 64 members or elements is indexed the first time a
        /// walk passes through it, a smaller one never; the answers are the walk's either way.
        #[test]
        fn the_tapes_large_containers_are_indexed() {
            for len in [63, 64, 65, 100] {
                // Keys written plain (`k0`, `k2`, ...) and with an escape (odd `i`: `k\u00NN`,
                // NN being i's two decimal digits read as hex), none the same.
                let escaped = |i: u32| i % 2 == 1;
                let members: Vec<String> = (0..len)
                    .map(|i| match escaped(i) {
                        true => format!("\"k\\u00{i:02}\": [{i}]"),
                        false => format!("\"k{i}\": [{i}]"),
                    })
                    .collect();
                let elements: Vec<String> = (0..len).map(|i| format!("{{\"e\": {i}}}")).collect();
                let text = format!(
                    "{{\"o\": {{{}}}, \"a\": [{}]}}",
                    members.join(", "),
                    elements.join(", ")
                );
                let tape = Tape::parse(text.as_bytes()).expect("the tape takes it");
                let locator = Locator::with_tape(tape);
                let mut pointers: Vec<String> = Vec::new();
                for i in 0..len {
                    let key = match escaped(i) {
                        true => {
                            let code = u32::from_str_radix(&format!("{i:02}"), 16).expect("hex");
                            char::from_u32(code).expect("a character").to_string()
                        }
                        false => i.to_string(),
                    };
                    pointers.push(format!("/o/k{key}/0"));
                    pointers.push(format!("/a/{i}/e"));
                }
                pointers.extend(
                    ["/o/k", "/o/missing/0", &format!("/a/{len}"), "/a/x"].map(str::to_owned),
                );
                same_answers_of(&locator, &text, &pointers);
                // The slots of `/o` and `/a`: the root is 0, `o`'s key 1, then three slots per
                // member of `o` (key, array, number), then `a`'s key.
                let a = 4 + 3 * len;
                let index = locator.tape_index.borrow();
                assert_eq!(index.has(2), len > 64, "{len} members");
                assert_eq!(index.has(a), len > 64, "{len} elements");
            }
        }

        /// Past `Object::INDEXED` members the index answers: still the first member of a
        /// repeated key, as the walk finds it, whether it repeats early or late.
        #[test]
        fn a_large_object_finds_the_first_of_a_repeated_key() {
            for len in [15, 63, 64, 65, 66, 100] {
                let mut members: Vec<String> = (0..len).map(|i| format!("\"k{i}\": {i}")).collect();
                members[1] = r#""a": "first""#.to_owned();
                members[len - 2] = r#""a": "last""#.to_owned();
                members[len - 1] = r#""k1": [1, 2]"#.to_owned();
                let text = format!("{{{}}}", members.join(", "));
                let mut pointers: Vec<String> = (0..len).map(|i| format!("/k{i}")).collect();
                pointers.extend(["/a", "/k1/1", "/zz"].map(str::to_owned));
                same_answers(&text, &pointers);
                let locator = Locator::new(&text);
                assert_eq!(
                    locator.value_span("/a").map(|r| &text[r]),
                    Some(r#""first""#)
                );
            }
        }

        #[test]
        fn a_repeated_key_is_found_at_its_first_member() {
            let text = r#"{"a": 1, "a": [2, {"b": 3}], "c": {"d": "\u0065"}}"#;
            same_answers(text, &["/a", "/a/1/b", "/c/d", "/c/e"].map(str::to_owned));
            assert_eq!(
                Locator::new(text).value_span("/a").map(|r| &text[r]),
                Some("1")
            );
        }

        /// One event with many problems, the reason `Locator` exists: 20,000 pointers into one 400 KB
        /// line, each found where the walk finds it. (Its speed is measured by `cargo run --release -p
        /// evbench --bin many_problems`, not here.)
        #[test]
        fn many_pointers_in_one_long_line() {
            let n = 20_000;
            let mut text = String::from("{\"é\": 0");
            for i in 0..n {
                text.push_str(&format!(", \"key{i}\": [\"名{i}\"]"));
            }
            text.push('}');
            let locator = Locator::new(&text);
            for i in (0..n).rev() {
                let span = locator.locate(&format!("/key{i}/0")).expect("a pointer");
                assert_eq!(&text[span.bytes.clone()], format!("\"名{i}\""));
                if i % 997 == 0 {
                    assert_eq!(
                        span,
                        locate(&text, &format!("/key{i}/0")).expect("a pointer")
                    );
                }
            }
        }
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
