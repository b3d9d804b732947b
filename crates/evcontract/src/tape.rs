//! A read-only index of one JSON text (a tape: one slot per value, in document order) that the
//! schema validator reads in place of a `serde_json::Value`.
//!
//! A refused event must be read twice: once by the check twins, which stop at the first fault,
//! then by the schema validator, for every fault. jsonschema reads instances through its `Json`
//! trait; a [`Tape`] is that trait over the event's own text ([`TapeJson`]). Building it
//! allocates two vectors (a third and a fourth for numbers and escaped strings, when there are
//! some), where a `Value` allocates every key and string and a tree of maps: on the refused
//! events of evbench's corpus (2 KB each) 2.2 µs against 7.2 µs for the strict parse into a
//! `Value`, and nothing to free node by node (evbench's breakdown). The [`Locator`] of the
//! refusal walks the same slots ([`Locator::with_tape`]).
//!
//! [`Locator`]: crate::locate::Locator
//! [`Locator::with_tape`]: crate::locate::Locator::with_tape
//!
//! [`Tape::parse`] accepts a subset of what [`crate::parse::parse`] accepts, and reads it as the
//! same value: what it refuses (any syntax error, a repeated key, nesting past
//! [`crate::parse::MAX_DEPTH`], a number past a double, a byte-order mark, a text of 4 GiB or
//! more) the engine reads through the strict parse, which names the fault. Numbers and strings
//! with escapes are read by serde_json itself, so they are the same numbers and strings.
//!
//! The value of a node that an error quotes ([`Node::lazy_value`]) is parsed from the node's
//! text only when a message asks for it.

use std::borrow::Cow;
use std::hash::{BuildHasher as _, Hasher};
use std::ops::{ControlFlow, Range};
use std::sync::{LazyLock, OnceLock};

use foldhash::{HashMap, HashSet};
use jsonschema::JsonType;
use jsonschema::json::{Array, Json, Node, NodeIdentity, Object, cmp};
use jsonschema_value::LazyInstance;
use serde_json::{Number, Value};

use crate::parse::MAX_DEPTH;

/// What a slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotKind {
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}

/// One value (or one object key) of the text.
#[derive(Debug, Clone, Copy)]
struct Slot {
    kind: SlotKind,
    /// The value's text: `start..end` in bytes (a string's with its quotes).
    start: u32,
    end: u32,
    /// For a container, the index of the first slot after it (its last descendant's next); for
    /// any other value, its own index plus one.
    next: u32,
    /// Members of an object, elements of an array; for an object's key, its fingerprint's low
    /// 32 bits (see [`TapeKey`]); 0 otherwise.
    len: u32,
    /// A number: its index in `numbers`. A string with an escape: its index in `decoded`.
    /// `u32::MAX` for a string without one (its text is its value).
    aux: u32,
}

/// The slots of one JSON text, in document order: a container's slot, then for an object each
/// member's key and value, for an array each element. Borrows the text.
#[derive(Debug)]
pub struct Tape<'t> {
    text: &'t str,
    slots: Vec<Slot>,
    numbers: Vec<Number>,
    decoded: Vec<String>,
}

impl<'t> Tape<'t> {
    /// The tape of `bytes`, or `None` when they are not one JSON value this reader takes: not
    /// UTF-8, a syntax error, an object with a repeated key (after escapes are read), nesting
    /// deeper than [`MAX_DEPTH`] levels, a number outside a double's range, or 4 GiB or more of
    /// text. Every text it takes, [`crate::parse::parse`] takes too, as the same value.
    pub fn parse(bytes: &'t [u8]) -> Option<Tape<'t>> {
        let text = std::str::from_utf8(bytes).ok()?;
        u32::try_from(text.len()).ok()?;
        let mut builder = Builder::new(text);
        builder.white_space();
        builder.value(0)?;
        builder.white_space();
        (builder.pos == bytes.len()).then_some(builder.tape)
    }

    /// The text the tape indexes.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The top-level value.
    pub fn root(&self) -> TapeNode<'_> {
        TapeNode { tape: self, at: 0 }
    }

    /// The value as a `serde_json::Value`, equal to what [`crate::parse::parse`] reads.
    pub fn to_value(&self) -> Value {
        self.root().to_value().into_owned()
    }

    fn slot(&self, at: u32) -> &Slot {
        &self.slots[at as usize]
    }

    /// The text of the string (or key) at `at`, escapes read.
    fn string(&self, at: u32) -> &str {
        let slot = self.slot(at);
        match slot.aux {
            u32::MAX => &self.text[slot.start as usize + 1..slot.end as usize - 1],
            decoded => &self.decoded[decoded as usize],
        }
    }

    /// [`Tape::string`] as bytes (no look for character boundaries): what keys are compared
    /// and fingerprinted by.
    fn string_bytes(&self, at: u32) -> &[u8] {
        let slot = self.slot(at);
        match slot.aux {
            u32::MAX => &self.text.as_bytes()[slot.start as usize + 1..slot.end as usize - 1],
            decoded => self.decoded[decoded as usize].as_bytes(),
        }
    }
}

/// What a walk keeps of the large containers it passes through (more than
/// [`WalkIndex::INDEXED`] members or elements), so that many pointers into one container cost
/// a look-up each, not a read of its members each: an object's keys (escapes read) to their
/// slots, an array's element slots. Empty until a walk needs it; lives as long as the
/// [`crate::locate::Locator`] that holds it.
#[derive(Debug, Default)]
pub(crate) struct WalkIndex<'t> {
    members: HashMap<u32, HashMap<Cow<'t, str>, u32>>,
    elements: HashMap<u32, Vec<u32>>,
}

impl WalkIndex<'_> {
    /// Containers of up to this many members or elements are read in order (as the
    /// `Locator`'s own index reads objects as lists up to the same size).
    pub(crate) const INDEXED: u32 = 64;

    /// Whether the container at `at` has been indexed.
    #[cfg(test)]
    pub(crate) fn has(&self, at: u32) -> bool {
        self.members.contains_key(&at) || self.elements.contains_key(&at)
    }
}

impl<'t> Tape<'t> {
    /// What [`crate::locate::Locator`]'s walk gives for the pointer whose tokens are `tokens`,
    /// read from the slots instead of the text: the byte range of the value they designate (or
    /// of the deepest value on their way), the start of its key when the last token names an
    /// object's member, and whether every token was found. A member is found by its name
    /// (escapes read), an element by `token.parse::<usize>()`, as the `Locator` finds them;
    /// through `index` in a large container.
    pub(crate) fn walk(
        &self,
        tokens: &[Cow<'_, str>],
        index: &mut WalkIndex<'t>,
    ) -> (Range<usize>, Option<usize>, bool) {
        let span = |at: u32| {
            let slot = self.slot(at);
            slot.start as usize..slot.end as usize
        };
        let (mut at, mut key) = (0, None);
        for token in tokens {
            let slot = self.slot(at);
            let found = match slot.kind {
                SlotKind::Object => self
                    .member(at, token, index)
                    .map(|name| (name + 1, Some(self.slot(name).start as usize))),
                SlotKind::Array => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|element| self.element(at, element, index))
                    .map(|element| (element, None)),
                _ => None,
            };
            match found {
                Some((child, child_key)) => (at, key) = (child, child_key),
                None => return (span(at), None, false),
            }
        }
        (span(at), key, true)
    }

    /// The key slot of the member `name` of the object at `at`.
    fn member(&self, at: u32, name: &str, index: &mut WalkIndex<'t>) -> Option<u32> {
        let keys = || {
            let mut key = at + 1;
            (0..self.slot(at).len).map(move |_| {
                let this = key;
                key = self.slot(this + 1).next;
                this
            })
        };
        if self.slot(at).len <= WalkIndex::INDEXED {
            return keys().find(|&key| self.string_bytes(key) == name.as_bytes());
        }
        let members = index
            .members
            .entry(at)
            .or_insert_with(|| keys().map(|key| (self.key_text(key), key)).collect());
        members.get(name).copied()
    }

    /// The slot of element `element` of the array at `at`.
    fn element(&self, at: u32, element: usize, index: &mut WalkIndex<'t>) -> Option<u32> {
        let len = self.slot(at).len;
        if element >= len as usize {
            return None;
        }
        let elements = || {
            std::iter::successors(Some(at + 1), |&this| Some(self.slot(this).next))
                .take(len as usize)
        };
        if len <= WalkIndex::INDEXED {
            return elements().nth(element);
        }
        let all = index
            .elements
            .entry(at)
            .or_insert_with(|| elements().collect());
        all.get(element).copied()
    }

    /// The text of the key at `at`, borrowed from the text when it has no escape.
    fn key_text(&self, at: u32) -> Cow<'t, str> {
        let slot = self.slot(at);
        match slot.aux {
            u32::MAX => Cow::Borrowed(&self.text[slot.start as usize + 1..slot.end as usize - 1]),
            decoded => Cow::Owned(self.decoded[decoded as usize].clone()),
        }
    }
}

/// Builds a [`Tape`]: a recursive descent, one level of recursion per level of nesting (at most
/// [`MAX_DEPTH`]).
struct Builder<'t> {
    bytes: &'t [u8],
    pos: usize,
    tape: Tape<'t>,
    /// The fingerprints of the keys of the objects being read (a hash of each key's string,
    /// escapes read), innermost object last.
    keys: Vec<u64>,
    /// (object slot, fingerprint) of every key of the objects of more than [`Builder::LISTED`]
    /// keys.
    large: HashSet<(u32, u64)>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Builder<'t> {
        Builder {
            bytes: text.as_bytes(),
            pos: 0,
            tape: Tape {
                text,
                // An event's text has about 12 bytes per slot (the corpus's 2 KB events).
                slots: Vec::with_capacity(text.len() / 8 + 1),
                numbers: Vec::new(),
                decoded: Vec::new(),
            },
            keys: Vec::with_capacity(32),
            large: HashSet::default(),
        }
    }

    /// Objects of up to this many keys find a repeated one in a list of their fingerprints.
    const LISTED: usize = 16;

    fn white_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Pushes a slot; its `end` and `next` are set when the value ends ([`Builder::finish`]).
    fn push(&mut self, kind: SlotKind, start: usize) -> u32 {
        let at = self.tape.slots.len() as u32;
        self.tape.slots.push(Slot {
            kind,
            start: start as u32,
            end: start as u32,
            next: 0,
            len: 0,
            aux: u32::MAX,
        });
        at
    }

    fn finish(&mut self, at: u32) {
        let next = self.tape.slots.len() as u32;
        let slot = &mut self.tape.slots[at as usize];
        slot.end = self.pos as u32;
        slot.next = next;
    }

    /// Reads the value at `pos`, inside `depth` containers.
    fn value(&mut self, depth: usize) -> Option<()> {
        let start = self.pos;
        match *self.bytes.get(start)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string(),
            b't' => self.literal(b"true", SlotKind::True),
            b'f' => self.literal(b"false", SlotKind::False),
            b'n' => self.literal(b"null", SlotKind::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], kind: SlotKind) -> Option<()> {
        let start = self.pos;
        if !self.bytes[start..].starts_with(word) {
            return None;
        }
        let at = self.push(kind, start);
        self.pos += word.len();
        self.finish(at);
        Some(())
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        let mut end = start;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.bytes.get(end) {
            end += 1;
        }
        let written = &self.tape.text[start..end];
        let number = match small_integer(written.as_bytes()) {
            Some(number) => number,
            // serde_json reads any other number, as it does in a `Value`: its grammar (no
            // leading zero, digits after a point), its rounding (and `-0` as a double), and its
            // refusal of what a double cannot hold.
            None => serde_json::from_str(written).ok()?,
        };
        let at = self.push(SlotKind::Number, start);
        self.tape.slots[at as usize].aux = self.tape.numbers.len() as u32;
        self.tape.numbers.push(number);
        self.pos = end;
        self.finish(at);
        Some(())
    }

    /// Reads the string whose opening quote is at `pos`: a raw control character refuses it,
    /// and serde_json reads its escapes, if it has any.
    fn string(&mut self) -> Option<()> {
        let start = self.pos;
        let bytes = self.bytes;
        let mut i = start + 1;
        let mut escaped = false;
        loop {
            // Eight bytes at a time to the first that ends the string or needs a look.
            while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
                match first_special(u64::from_le_bytes(*chunk)) {
                    Some(at) => {
                        i += at;
                        break;
                    }
                    None => i += 8,
                }
            }
            match *bytes.get(i)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
        let end = i + 1;
        let at = self.push(SlotKind::String, start);
        if escaped {
            // serde_json reads the escapes (and refuses an unknown one or a lone surrogate) as
            // it does in a `Value`.
            let decoded: String = serde_json::from_str(self.tape.text.get(start..end)?).ok()?;
            self.tape.slots[at as usize].aux = self.tape.decoded.len() as u32;
            self.tape.decoded.push(decoded);
        }
        self.pos = end;
        self.finish(at);
        Some(())
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        let at = self.container(SlotKind::Array, depth, b']', |builder| {
            builder.value(depth + 1)
        })?;
        self.finish(at);
        Some(())
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        let base = self.keys.len();
        let object = self.tape.slots.len() as u32;
        let at = self.container(SlotKind::Object, depth, b'}', |builder| {
            if builder.bytes.get(builder.pos) != Some(&b'"') {
                return None;
            }
            let key = builder.tape.slots.len() as u32;
            builder.string()?;
            let fingerprint = FINGERPRINT.hash_one(builder.tape.string_bytes(key));
            // The low half for look-ups by name (`TapeObject::get`).
            builder.tape.slots[key as usize].len = fingerprint as u32;
            // A repeated key ends the reading at once, as the strict parse's does: not after
            // the rest of the object (a large value after a repeated key was read into the
            // tape, then thrown away).
            if builder.seen(object, base, fingerprint) {
                return None;
            }
            builder.white_space();
            if builder.bytes.get(builder.pos) != Some(&b':') {
                return None;
            }
            builder.pos += 1;
            builder.white_space();
            builder.value(depth + 1)
        })?;
        self.keys.truncate(base);
        self.finish(at);
        Some(())
    }

    /// Reads the array or object at `pos`, inside `depth` containers: its opening bracket,
    /// then `item` (an element, or a member) for each of its entries, separated by commas, up
    /// to `close`. Returns its slot, its `len` set to the number of entries, for the caller to
    /// [`Builder::finish`].
    fn container(
        &mut self,
        kind: SlotKind,
        depth: usize,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<u32> {
        if depth == MAX_DEPTH {
            return None;
        }
        let at = self.push(kind, self.pos);
        self.pos += 1;
        self.white_space();
        let mut len = 0;
        if self.bytes.get(self.pos) == Some(&close) {
            self.pos += 1;
        } else {
            loop {
                item(self)?;
                len += 1;
                self.white_space();
                match *self.bytes.get(self.pos)? {
                    b',' => {
                        self.pos += 1;
                        self.white_space();
                    }
                    byte if byte == close => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.tape.slots[at as usize].len = len;
        Some(at)
    }

    /// Records the fingerprint of a key of the object at slot `object`, whose keys' fingerprints
    /// are `keys[base..]`; whether another key of the object had it: a repeated key (escapes
    /// read), or, one chance in 2^64 for a pair, two keys of one fingerprint. Either way the
    /// tape does not take the text and the strict parse reads it (naming the repeated key, or
    /// reading the two). Up to [`Builder::LISTED`] keys are compared in a list, the rest in a
    /// set of (object, fingerprint).
    fn seen(&mut self, object: u32, base: usize, fingerprint: u64) -> bool {
        let keys = &self.keys[base..];
        let seen = match keys.len() {
            count if count < Builder::LISTED => keys.contains(&fingerprint),
            count => {
                if count == Builder::LISTED {
                    self.large.extend(keys.iter().map(|&key| (object, key)));
                }
                !self.large.insert((object, fingerprint))
            }
        };
        self.keys.push(fingerprint);
        seen
    }
}

/// The place of the first of the eight bytes of `word` (read little-endian: the first byte is
/// the lowest) that is a quote, a backslash or a control character (below 0x20), if one is.
/// The classic tests for a zero byte and for a byte below a bound: each sets the high bit of
/// every byte that is one, and may set it above such a byte (a borrow runs up), never below, so
/// the lowest bit set is exact.
fn first_special(word: u64) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let found = below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1)
        | below(word, 0x20);
    (found != 0).then(|| found.trailing_zeros() as usize / 8)
}

/// An integer of up to 18 digits without a leading zero (`0`, or `-` and a digit other than 0
/// first), as serde_json reads it (a `u64`, or an `i64` below zero); `None` for any other
/// text, which serde_json itself reads. Most numbers of an event are such integers, and
/// serde_json's reading of one number costs a deserializer's set-up and its end check.
fn small_integer(written: &[u8]) -> Option<Number> {
    let (negative, digits) = match written.split_first()? {
        (b'-', digits) => (true, digits),
        _ => (false, written),
    };
    let (&first, _) = digits.split_first()?;
    if digits.len() > 18
        || !digits.iter().all(u8::is_ascii_digit)
        || (first == b'0' && (negative || digits.len() > 1))
    {
        return None;
    }
    let value = digits
        .iter()
        .fold(0u64, |value, digit| value * 10 + u64::from(digit - b'0'));
    Some(match negative {
        // At most 18 digits: within an `i64`.
        true => Number::from(-(value as i64)),
        false => Number::from(value),
    })
}

/// How keys are fingerprinted (their bytes, escapes read): seeded once per process, as the
/// [`crate::locate::Locator`]'s index is. The keys are the event's, and with a seed known in
/// advance an event could give thousands of keys one fingerprint and have each compared with
/// every other.
static FINGERPRINT: LazyLock<foldhash::fast::RandomState> = LazyLock::new(Default::default);

/// The [`Json`] representation of a [`Tape`], for validators built with
/// `jsonschema::options_for::<TapeJson>()`.
#[derive(Debug, Clone, Copy)]
pub struct TapeJson;

/// A name an object is searched for ([`TapeJson`]'s prepared key): the name, and the low 32 bits
/// of its fingerprint, which a key's slot also holds, so that only keys of the same fingerprint
/// are compared.
#[derive(Debug, Clone)]
pub struct TapeKey {
    name: Box<str>,
    fingerprint: u32,
}

/// One value of a [`Tape`]: the tape and the index of its slot.
#[derive(Debug, Clone, Copy)]
pub struct TapeNode<'a> {
    tape: &'a Tape<'a>,
    at: u32,
}

impl<'a> TapeNode<'a> {
    fn slot(&self) -> &'a Slot {
        self.tape.slot(self.at)
    }

    fn kind(&self) -> SlotKind {
        self.slot().kind
    }

    /// The value's text as written.
    fn written(&self) -> &'a str {
        let slot = self.slot();
        &self.tape.text[slot.start as usize..slot.end as usize]
    }
}

/// Builds the value an error quotes from the text of its node (only called on text the tape
/// read, which serde_json reads as the same value).
fn value_of(bytes: &[u8], _tag: u32) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

impl<'a> Node<'a, TapeJson> for TapeNode<'a> {
    type Object = TapeObject<'a>;
    type Array = TapeArray<'a>;
    type Number = &'a Number;

    fn as_object(&self) -> Option<TapeObject<'a>> {
        (self.kind() == SlotKind::Object).then_some(TapeObject(*self))
    }

    fn as_array(&self) -> Option<TapeArray<'a>> {
        (self.kind() == SlotKind::Array).then_some(TapeArray(*self))
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        (self.kind() == SlotKind::String).then(|| Cow::Borrowed(self.tape.string(self.at)))
    }

    fn as_number(&self) -> Option<&'a Number> {
        let slot = self.slot();
        (slot.kind == SlotKind::Number).then(|| &self.tape.numbers[slot.aux as usize])
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.kind() {
            SlotKind::True => Some(true),
            SlotKind::False => Some(false),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.kind() == SlotKind::Null
    }

    fn is_number(&self) -> bool {
        self.kind() == SlotKind::Number
    }

    fn is_string(&self) -> bool {
        self.kind() == SlotKind::String
    }

    fn json_type(&self) -> JsonType {
        match self.kind() {
            SlotKind::Null => JsonType::Null,
            SlotKind::False | SlotKind::True => JsonType::Boolean,
            SlotKind::Number => JsonType::Number,
            SlotKind::String => JsonType::String,
            SlotKind::Array => JsonType::Array,
            SlotKind::Object => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Value) -> bool {
        match (self.kind(), expected) {
            (SlotKind::String, Value::String(s)) => self.tape.string(self.at) == s,
            (SlotKind::Null, Value::Null) => true,
            (SlotKind::True, Value::Bool(b)) => *b,
            (SlotKind::False, Value::Bool(b)) => !*b,
            // A number as a `Value` (a copy of its `Number`), for jsonschema's mathematical
            // comparison.
            (SlotKind::Number, Value::Number(_)) => cmp::equal(
                &Value::Number(self.tape.numbers[self.slot().aux as usize].clone()),
                expected,
            ),
            // Containers member by member, element by element: never built as a `Value` (an
            // `enum` of many objects would build one per option).
            (SlotKind::Array, Value::Array(items)) => {
                self.slot().len as usize == items.len()
                    && TapeArray(*self)
                        .elements()
                        .zip(items)
                        .all(|(element, item)| element.equals_value(item))
            }
            (SlotKind::Object, Value::Object(map)) => {
                self.slot().len as usize == map.len()
                    && TapeObject(*self)
                        .members()
                        .all(|(key, value)| map.get(key).is_some_and(|v| value.equals_value(v)))
            }
            _ => false,
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(match self.kind() {
            SlotKind::Null => Value::Null,
            SlotKind::False => Value::Bool(false),
            SlotKind::True => Value::Bool(true),
            SlotKind::Number => Value::Number(self.tape.numbers[self.slot().aux as usize].clone()),
            SlotKind::String => Value::String(self.tape.string(self.at).to_owned()),
            SlotKind::Array | SlotKind::Object => value_of(self.written().as_bytes(), 0),
        })
    }

    fn lazy_value(&self) -> LazyInstance<'a> {
        match self.kind() {
            SlotKind::Array | SlotKind::Object => LazyInstance::Deferred {
                bytes: self.written().as_bytes(),
                tag: 0,
                make: value_of,
                cell: OnceLock::new(),
            },
            _ => LazyInstance::Ready(self.to_value()),
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::tagged(
            std::ptr::from_ref(self.tape) as usize,
            self.at,
        ))
    }
}

impl TapeNode<'_> {
    /// Whether two nodes (of this tape or another) hold equal JSON values, as jsonschema's
    /// `cmp::equal` compares `Value`s: numbers by their value (`1`, `1.0` and `1e0` alike, an
    /// integer past 2^53 unlike the double nearest it), strings as decoded, arrays element by
    /// element, objects member by member whatever their order. Nothing is built.
    fn equals_node(&self, other: &TapeNode<'_>) -> bool {
        match (self.kind(), other.kind()) {
            (SlotKind::Null, SlotKind::Null)
            | (SlotKind::True, SlotKind::True)
            | (SlotKind::False, SlotKind::False) => true,
            (SlotKind::String, SlotKind::String) => {
                self.tape.string(self.at) == other.tape.string(other.at)
            }
            (SlotKind::Number, SlotKind::Number) => cmp::equal(
                &Value::Number(self.number().clone()),
                &Value::Number(other.number().clone()),
            ),
            (SlotKind::Array, SlotKind::Array) => {
                self.slot().len == other.slot().len
                    && TapeArray(*self)
                        .elements()
                        .zip(TapeArray(*other).elements())
                        .all(|(a, b)| a.equals_node(&b))
            }
            (SlotKind::Object, SlotKind::Object) => {
                // A tape has no repeated key: as many members, each found in the other, is
                // equality.
                let theirs = TapeObject(*other);
                let mut at = self.at + 1;
                self.slot().len == other.slot().len
                    && (0..self.slot().len).all(|_| {
                        let (key, value) = (
                            at,
                            TapeNode {
                                tape: self.tape,
                                at: at + 1,
                            },
                        );
                        at = self.tape.slot(at + 1).next;
                        theirs
                            .member(self.tape.slot(key).len, self.tape.string_bytes(key))
                            .is_some_and(|found| value.equals_node(&found))
                    })
            }
            _ => false,
        }
    }

    /// Feeds `state` with a hash of the node's JSON value that equal values share
    /// ([`TapeNode::equals_node`]): a number by its nearest double (`0` and `-0` alike), an
    /// object by the sum of its members' hashes, each taken apart (so their order does not
    /// count).
    fn hash_json<H: Hasher>(&self, state: &mut H) {
        match self.kind() {
            SlotKind::Null => state.write_u8(0),
            SlotKind::False => state.write_u8(1),
            SlotKind::True => state.write_u8(2),
            SlotKind::Number => {
                let bits = self
                    .number()
                    .as_f64()
                    .map_or(1, |n| if n == 0.0 { 0 } else { n.to_bits() });
                state.write_u8(3);
                state.write_u64(bits);
            }
            SlotKind::String => {
                state.write_u8(4);
                state.write(self.tape.string(self.at).as_bytes());
                state.write_u8(0xff);
            }
            SlotKind::Array => {
                state.write_u8(5);
                state.write_u32(self.slot().len);
                for element in TapeArray(*self).elements() {
                    element.hash_json(state);
                }
            }
            SlotKind::Object => {
                let mut sum = 0u64;
                for (key, value) in TapeObject(*self).members() {
                    let mut member = FINGERPRINT.build_hasher();
                    member.write(key.as_bytes());
                    member.write_u8(0xff);
                    value.hash_json(&mut member);
                    sum = sum.wrapping_add(member.finish());
                }
                state.write_u8(6);
                state.write_u64(sum);
            }
        }
    }

    /// [`TapeNode::hash_json`] with the process's seed: equal values, equal hashes.
    fn json_hash(&self) -> u64 {
        let mut hasher = FINGERPRINT.build_hasher();
        self.hash_json(&mut hasher);
        hasher.finish()
    }

    /// A number node's value.
    fn number(&self) -> &Number {
        &self.tape.numbers[self.slot().aux as usize]
    }
}

/// An object of a [`Tape`].
#[derive(Debug, Clone, Copy)]
pub struct TapeObject<'a>(TapeNode<'a>);

/// An array of a [`Tape`].
#[derive(Debug, Clone, Copy)]
pub struct TapeArray<'a>(TapeNode<'a>);

/// The members of an object of a [`Tape`], in the order written.
#[derive(Debug, Clone)]
pub struct TapeMembers<'a> {
    tape: &'a Tape<'a>,
    /// The next member's key slot.
    at: u32,
    left: u32,
}

impl<'a> Iterator for TapeMembers<'a> {
    type Item = (&'a str, TapeNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let key = self.tape.string(self.at);
        let value = TapeNode {
            tape: self.tape,
            at: self.at + 1,
        };
        self.at = self.tape.slot(self.at + 1).next;
        Some((key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

/// The elements of an array of a [`Tape`], in order.
#[derive(Debug, Clone)]
pub struct TapeElements<'a> {
    tape: &'a Tape<'a>,
    at: u32,
    left: u32,
}

impl<'a> Iterator for TapeElements<'a> {
    type Item = TapeNode<'a>;

    fn next(&mut self) -> Option<TapeNode<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let node = TapeNode {
            tape: self.tape,
            at: self.at,
        };
        self.at = self.tape.slot(self.at).next;
        Some(node)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

impl<'a> Object<'a, TapeJson> for TapeObject<'a> {
    type Node = TapeNode<'a>;
    type MemberName = &'a str;
    type MembersIter = TapeMembers<'a>;

    fn len(&self) -> usize {
        self.0.slot().len as usize
    }

    fn get(&self, key: &TapeKey) -> Option<TapeNode<'a>> {
        self.member(key.fingerprint, key.name.as_bytes())
    }

    fn members(&self) -> TapeMembers<'a> {
        TapeMembers {
            tape: self.0.tape,
            at: self.0.at + 1,
            left: self.0.slot().len,
        }
    }

    fn try_for_each_name_node<B>(
        &self,
        buffer: &mut (),
        mut f: impl FnMut(TapeNode<'_>) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        let _ = buffer;
        let mut at = self.0.at + 1;
        for _ in 0..self.0.slot().len {
            // A key's slot is a string node of the same tape.
            if let ControlFlow::Break(stop) = f(TapeNode {
                tape: self.0.tape,
                at,
            }) {
                return ControlFlow::Break(stop);
            }
            at = self.0.tape.slot(at + 1).next;
        }
        ControlFlow::Continue(())
    }
}

impl<'a> TapeObject<'a> {
    /// The value of the member whose key reads `name` (decoded), found by the key's
    /// fingerprint (`fingerprint`: its low 32 bits, as a key's slot holds them) before its bytes.
    fn member(&self, fingerprint: u32, name: &[u8]) -> Option<TapeNode<'a>> {
        let tape = self.0.tape;
        let mut at = self.0.at + 1;
        for _ in 0..self.0.slot().len {
            if tape.slot(at).len == fingerprint && tape.string_bytes(at) == name {
                return Some(TapeNode { tape, at: at + 1 });
            }
            at = tape.slot(at + 1).next;
        }
        None
    }
}

impl<'a> Array<'a, TapeJson> for TapeArray<'a> {
    type Node = TapeNode<'a>;
    type ElementsIter = TapeElements<'a>;

    fn len(&self) -> usize {
        self.0.slot().len as usize
    }

    fn elements(&self) -> TapeElements<'a> {
        TapeElements {
            tape: self.0.tape,
            at: self.0.at + 1,
            left: self.0.slot().len,
        }
    }

    /// `uniqueItems` on the tape, never building a `Value` (jsonschema's default builds every
    /// element as one, at every level of nesting: 8x the time of a refusal in a catalog with
    /// nested `uniqueItems`). Equality is jsonschema's (`cmp::equal`: numbers by value, objects
    /// whatever their members' order); up to 15 elements are compared pair by pair, more are
    /// hashed (seeded per process) and compared only on equal hashes, as jsonschema does for
    /// `Value`s.
    fn is_unique(&self) -> bool {
        let elements: Vec<TapeNode<'a>> = self.elements().collect();
        if elements.len() <= PAIRWISE {
            return elements
                .iter()
                .enumerate()
                .all(|(i, a)| elements[i + 1..].iter().all(|b| !a.equals_node(b)));
        }
        let mut seen: HashSet<Hashed<'a>> = HashSet::default();
        seen.reserve(elements.len());
        elements.into_iter().all(|node| {
            seen.insert(Hashed {
                hash: node.json_hash(),
                node,
            })
        })
    }
}

/// The most elements [`TapeArray::is_unique`] compares pair by pair (jsonschema's threshold for
/// `Value`s, where hashing starts to pay).
const PAIRWISE: usize = 15;

/// A node with the hash of its JSON value, equal to another only if their values are equal.
struct Hashed<'a> {
    hash: u64,
    node: TapeNode<'a>,
}

impl std::hash::Hash for Hashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialEq for Hashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.node.equals_node(&other.node)
    }
}

impl Eq for Hashed<'_> {}

impl Json for TapeJson {
    type Node<'a> = TapeNode<'a>;
    type PreparedKey = TapeKey;
    type StringBuffer = ();

    /// An object's members are found by reading them in order: a pass over all of them costs
    /// less than a second look-up.
    const KEYS_PER_LOOKUP: usize = 64;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> TapeKey {
        TapeKey {
            name: key.into(),
            fingerprint: FINGERPRINT.hash_one(key.as_bytes()) as u32,
        }
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(TapeNode<'_>) -> T) -> T {
        let tape = Tape {
            text: "",
            slots: vec![Slot {
                kind: SlotKind::String,
                start: 0,
                end: 0,
                next: 1,
                len: 0,
                aux: 0,
            }],
            numbers: Vec::new(),
            decoded: vec![string.to_owned()],
        };
        f(tape.root())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use jsonschema::json::SerdeJson;
    use proptest::prelude::*;
    use proptest::test_runner::Config;
    use serde_json::json;

    use super::*;
    use crate::parse::parse;

    /// The tape of `text`, which must be taken, checked against the strict parse.
    #[track_caller]
    fn taken(text: &str) -> Tape<'_> {
        let tape = Tape::parse(text.as_bytes()).unwrap_or_else(|| panic!("refused: {text:?}"));
        let value = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        assert_eq!(tape.to_value(), value, "{text:?}");
        tape
    }

    /// Whatever the tape takes, the strict parse reads as the same value.
    #[track_caller]
    fn agrees(bytes: &[u8]) -> bool {
        let Some(tape) = Tape::parse(bytes) else {
            return false;
        };
        match parse(bytes) {
            Ok(value) => assert_eq!(
                tape.to_value(),
                value,
                "{:?}",
                String::from_utf8_lossy(bytes)
            ),
            Err(err) => panic!(
                "the tape takes what the strict parse refuses ({err:?}): {:?}",
                String::from_utf8_lossy(bytes)
            ),
        }
        true
    }

    #[test]
    fn it_holds_to_jsonschemas_contract_for_representations() {
        // jsonschema's own checks of a representation (jsonschema-value's `conformance`).
        let text = jsonschema_value::conformance::document().to_string();
        let tape = taken(&text);
        jsonschema_value::conformance::assert_conformance::<TapeJson>(&tape.root());
    }

    #[test]
    fn it_reads_every_kind_of_value_as_the_strict_parse_does() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "-0.0",
            "1.0",
            "1e2",
            "1E+2",
            "1.5e-3",
            "1e308",
            "-1.7976931348623157e308",
            "5e-324",
            "1e-400",
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "0.1000000000000000055511151231257827",
            r#""""#,
            r#""abc""#,
            r#""é 名前 😀""#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u0041\u00e9\u540d\ud83d\ude00""#,
            "[]",
            "[ ]",
            "{}",
            "{ }",
            "[1,[2,[3]],{}]",
            "\t\n\r {\"a\" :\n1 , \"b\":[ true ,null ] }\r\n",
            r#"{"a":{"b":{"c":[{"d":"e"}]}},"f":[[],{}]}"#,
            r#"{"a":1,"A":2,"a\u0000":3}"#,
        ] {
            taken(text);
        }
    }

    #[test]
    fn what_it_refuses_falls_to_the_strict_parse() {
        for text in [
            &b""[..],
            b" ",
            b"\xEF\xBB\xBF{}",
            b"{} x",
            b"{}{}",
            b"[1,]",
            b"[,1]",
            b"{\"a\":1,}",
            b"{\"a\" 1}",
            b"{a:1}",
            b"{1:1}",
            b"[1 2]",
            b"nul",
            b"True",
            b"01",
            b"1.",
            b".5",
            b"+1",
            b"-",
            b"1e",
            b"1e400",
            b"-1e309",
            b"0x10",
            b"1-2",
            b"NaN",
            b"\"abc",
            b"\"a\tb\"",
            b"\"a\x01b\"",
            b"\"a\\x\"",
            b"\"\\u12\"",
            b"\"\\ud800\"",
            b"\"\\udc00\\ud800\"",
            b"\"\xff\"",
            b"\"\xc3\"",
            br#"{"a":1,"a":2}"#,
            br#"{"a":1,"\u0061":2}"#,
            br#"{"x":{"a":[],"b":{},"a":null}}"#,
            b"[\x0c1]",
        ] {
            assert!(
                Tape::parse(text).is_none(),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn a_repeated_key_is_found_among_many() {
        // Past 16 members the keys are sorted to be compared.
        for members in [16, 17, 64] {
            let keys: Vec<String> = (0..members).map(|i| format!("\"k{i}\":{i}")).collect();
            taken(&format!("{{{}}}", keys.join(",")));
            for repeat in [0, members / 2, members - 1] {
                let mut with = keys.clone();
                with.push(format!("\"k{repeat}\":null"));
                let text = format!("{{{}}}", with.join(","));
                assert!(Tape::parse(text.as_bytes()).is_none(), "{members} {repeat}");
                // Written with an escape, it is the same key.
                let escaped = text.replacen(
                    &format!("\"k{repeat}\":null"),
                    &format!("\"\\u006b{repeat}\":null"),
                    1,
                );
                assert!(
                    Tape::parse(escaped.as_bytes()).is_none(),
                    "{members} {repeat}"
                );
            }
        }
    }

    /// Where the reading of `text` stopped, when the tape does not take it.
    fn stopped_at(text: &str) -> usize {
        let mut builder = Builder::new(text);
        assert!(builder.value(0).is_none(), "{text:?} was taken");
        builder.pos
    }

    /// Up to 16 keys an object's fingerprints are a list; past them, a set that holds them all.
    #[test]
    fn large_objects_keep_their_fingerprints_in_a_set() {
        // The 16 listed ones join the set with the 17th.
        for (members, in_set) in [(1, 0), (15, 0), (16, 0), (17, 17), (40, 40)] {
            let keys: Vec<String> = (0..members).map(|i| format!("\"k{i}\":{i}")).collect();
            // The object, and a small one after it.
            let text = format!("[{{{}}},{{\"a\":1}}]", keys.join(","));
            let mut builder = Builder::new(&text);
            assert!(builder.value(0).is_some());
            assert_eq!(builder.large.len(), in_set, "{members} keys");
            assert!(builder.keys.is_empty());
        }
    }

    #[test]
    fn a_repeated_key_ends_the_reading_at_once() {
        let rest = format!("[{}]", vec!["0"; 1000].join(","));
        for members in [1, 15, 16, 17, 40] {
            let keys: Vec<String> = (0..members).map(|i| format!("\"k{i}\":{i}")).collect();
            for (repeat, written) in [(0, "k0"), (members - 1, "\\u006b"), (members / 2, "k")] {
                let key = match written {
                    "\\u006b" => format!("\\u006b{repeat}"),
                    _ => format!("k{repeat}"),
                };
                let head = format!("{{{},\"{key}\"", keys.join(","));
                let text = format!("{head}:1,\"z\":{rest}}}");
                // Right after the repeated key, before its value and the rest.
                assert_eq!(stopped_at(&text), head.len(), "{text}");
                assert!(parse(text.as_bytes()).is_err());
            }
        }
        // The same keys in two objects, and in an object and the one inside it, are no repeat.
        let keys: Vec<String> = (0..20).map(|i| format!("\"k{i}\":{i}")).collect();
        let keys = keys.join(",");
        taken(&format!("[{{{keys}}},{{{keys}}}]"));
        taken(&format!("{{{keys},\"in\":{{{keys}}}}}"));
        taken(r#"[{"a":1},{"a":2},{"b":{"a":3,"b":4}}]"#);
    }

    #[test]
    fn eight_bytes_at_a_time_find_what_one_at_a_time_finds() {
        let one = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        let first = |word: [u8; 8]| word.iter().position(|&b| one(b));
        for background in [b'a', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']', 0x20] {
            for byte in 0..=255u8 {
                for at in 0..8 {
                    let mut word = [background; 8];
                    word[at] = byte;
                    assert_eq!(
                        first_special(u64::from_le_bytes(word)),
                        first(word),
                        "{word:?}"
                    );
                    // And with a second such byte after it.
                    for (after, other) in [(7, b'"'), (7, 0), ((at + 1).min(7), b'\\')] {
                        let mut two = word;
                        two[after] = other;
                        assert_eq!(
                            first_special(u64::from_le_bytes(two)),
                            first(two),
                            "{two:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn strings_end_and_escape_at_every_place_of_a_word() {
        for len in 0..40 {
            for at in 0..=len {
                let plain = "é".repeat(len / 2) + &"x".repeat(len % 2);
                let cut = plain
                    .char_indices()
                    .nth(at / 2)
                    .map_or(plain.len(), |(i, _)| i);
                let (head, tail) = plain.split_at(cut);
                taken(&format!("[\"{plain}\"]"));
                taken(&format!("[\"{head}\\n{tail}\",1]"));
                taken(&format!("{{\"{head}\\\"{tail}\":\"{head}\\u00e9\"}}"));
                for bad in ["\u{1}", "\n", "\u{1f}", "\\x", "\\ud800"] {
                    let text = format!("[\"{head}{bad}{tail}\"]");
                    assert!(Tape::parse(text.as_bytes()).is_none(), "{text:?}");
                }
                let open = format!("[\"{head}");
                assert!(Tape::parse(open.as_bytes()).is_none(), "{open:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(config(4096))]

        #[test]
        fn any_words_first_special_byte_is_found(word in any::<u64>()) {
            let bytes = word.to_le_bytes();
            let expected = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            prop_assert_eq!(first_special(word), expected);
        }
    }

    #[test]
    fn nesting_is_held_to_the_strict_parses_limit() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")] {
            let levels = |n: usize| {
                let steps = n / open.matches(['[', '{']).count();
                format!("{}0{}", open.repeat(steps), close.repeat(steps))
            };
            let deepest = levels(MAX_DEPTH);
            taken(&deepest);
            let past = levels(MAX_DEPTH + 2);
            assert!(Tape::parse(past.as_bytes()).is_none());
            assert!(parse(past.as_bytes()).is_err());
        }
        let past = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(Tape::parse(past.as_bytes()).is_none());
        assert!(parse(past.as_bytes()).is_err());
    }

    #[test]
    fn nodes_answer_as_values_do() {
        let text =
            r#"{"s":"a\nb","n":-1.5,"i":7,"t":true,"f":false,"z":null,"a":[1,"x"],"o":{"k":[]}}"#;
        let tape = taken(text);
        let root = tape.root();
        let object = root.as_object().expect("an object");
        assert_eq!(object.len(), 8);
        let names: Vec<&str> = object.members().map(|(name, _)| name).collect();
        assert_eq!(names, ["s", "n", "i", "t", "f", "z", "a", "o"]);
        let get = |key: &str| object.get(&TapeJson::prepare_key(key)).expect(key);
        assert_eq!(get("s").as_string().as_deref(), Some("a\nb"));
        assert_eq!(
            get("n").as_number().map(ToString::to_string),
            Some("-1.5".into())
        );
        assert_eq!(get("t").as_boolean(), Some(true));
        assert_eq!(get("f").as_boolean(), Some(false));
        assert!(get("z").is_null());
        let array = get("a").as_array().expect("an array");
        assert_eq!(array.len(), 2);
        let elements: Vec<Value> = array
            .elements()
            .map(|e| e.to_value().into_owned())
            .collect();
        assert_eq!(elements, [json!(1), json!("x")]);
        assert_eq!(get("o").to_value().into_owned(), json!({"k": []}));
        assert_eq!(get("o").lazy_value().get().as_ref(), &json!({"k": []}));
        assert!(object.get(&TapeJson::prepare_key("missing")).is_none());
        for (key, expected) in [
            ("s", json!("a\nb")),
            ("n", json!(-1.5)),
            ("i", json!(7)),
            ("t", json!(true)),
            ("f", json!(false)),
            ("z", json!(null)),
            ("a", json!([1, "x"])),
            ("o", json!({"k": []})),
        ] {
            let node = get(key);
            assert_eq!(node.json_type(), JsonType::from(&expected), "{key}");
            assert!(node.equals_value(&expected), "{key}");
            assert_eq!(node.lazy_value().get().as_ref(), &expected, "{key}");
            for other in [
                json!("a\nb"),
                json!(null),
                json!(true),
                json!(false),
                json!(7.5),
            ] {
                assert_eq!(
                    node.equals_value(&other),
                    other == expected,
                    "{key} {other}"
                );
            }
        }
        let mut keys = Vec::new();
        let _ = object.try_for_each_name_node(&mut (), |name| {
            keys.push(name.as_string().expect("a key").into_owned());
            if keys.len() == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(keys, ["s", "n", "i"]);
        // Iterators know their length; a container's value waits for a message to ask for it;
        // every node has an identity of its own, the same through any handle.
        assert_eq!(object.members().size_hint(), (8, Some(8)));
        let mut members = object.members();
        members.next();
        assert_eq!(members.size_hint(), (7, Some(7)));
        assert_eq!(array.elements().size_hint(), (2, Some(2)));
        assert_eq!(array.elements().skip(1).size_hint(), (1, Some(1)));
        for (key, lazy) in [("a", true), ("o", true), ("s", false), ("n", false)] {
            let deferred = matches!(get(key).lazy_value(), LazyInstance::Deferred { .. });
            assert_eq!(deferred, lazy, "{key}");
        }
        let identities: Vec<_> = object.members().map(|(_, node)| node.identity()).collect();
        assert!(identities.iter().all(Option::is_some));
        for (i, a) in identities.iter().enumerate() {
            assert_eq!(identities.iter().filter(|b| *b == a).count(), 1, "{i}");
        }
        assert_eq!(get("a").identity(), get("a").identity());
        assert_ne!(root.identity(), get("a").identity());
    }

    /// A name is found by its fingerprint and then its bytes: a member whose key has the same
    /// 32-bit fingerprint (made so here; by chance, one in 2^32) is not taken for it.
    #[test]
    fn a_name_is_found_by_its_bytes_among_equal_fingerprints() {
        let text = r#"{"a":1,"b":2,"c":3}"#;
        let mut tape = taken(text);
        let b = TapeJson::prepare_key("b");
        // The keys' slots: 1, 3, 5. `a` and `c` given `b`'s fingerprint.
        tape.slots[1].len = b.fingerprint;
        tape.slots[5].len = b.fingerprint;
        let root = tape.root();
        let object = root.as_object().expect("an object");
        let found = object.get(&b).expect("b").to_value().into_owned();
        assert_eq!(found, json!(2));
        assert!(object.get(&TapeJson::prepare_key("z")).is_none());
    }

    /// `const` and `enum` compare without building a `Value`, as jsonschema compares `Value`s:
    /// numbers by value, objects whatever their order, every member and element.
    #[test]
    fn equality_is_jsonschemas() {
        let texts = [
            "1",
            "1.0",
            "-0",
            "1e2",
            "\"a\"",
            "null",
            "true",
            "[]",
            "[1,[2,{\"a\":3}]]",
            "[1.0,[2,{\"a\":3.0}]]",
            "[1,[2,{\"a\":4}]]",
            "[1,[2]]",
            "[[2,{\"a\":3}],1]",
            "{}",
            "{\"a\":1,\"b\":[true,null]}",
            "{\"b\":[true,null],\"a\":1.0}",
            "{\"a\":1}",
            "{\"a\":1,\"b\":[true,null],\"c\":0}",
            "{\"a\":1,\"c\":[true,null]}",
            "{\"a\":\"1\",\"b\":[true,null]}",
        ];
        for text in texts {
            let tape = taken(text);
            for other in texts {
                let expected: Value = serde_json::from_str(other).expect("JSON");
                assert_eq!(
                    tape.root().equals_value(&expected),
                    cmp::equal(&tape.to_value(), &expected),
                    "{text} against {other}"
                );
            }
        }
    }

    /// The short way for integers reads what serde_json reads, or leaves the text to it.
    #[track_caller]
    fn same_number(text: &str) -> bool {
        let ours = small_integer(text.as_bytes());
        if let Some(number) = &ours {
            let theirs: Number = serde_json::from_str(text).expect("serde_json reads it");
            assert_eq!(
                (number, number.is_u64(), number.is_i64()),
                (&theirs, theirs.is_u64(), theirs.is_i64()),
                "{text}"
            );
        }
        ours.is_some()
    }

    #[test]
    fn small_integers_are_read_as_serde_json_reads_them() {
        for text in [
            "0",
            "7",
            "10",
            "-1",
            "-10",
            "999999999999999999",
            "-999999999999999999",
            "123456789012345678",
        ] {
            assert!(same_number(text), "{text}");
        }
        for text in [
            "",
            "-",
            "-0",
            "00",
            "01",
            "-01",
            "1.0",
            "1e2",
            "+1",
            "1-",
            "--1",
            "1000000000000000000",
            "-1000000000000000000",
            "18446744073709551615",
            " 1",
            "1a",
        ] {
            assert!(!same_number(text), "{text}");
        }
    }

    proptest! {
        #![proptest_config(config(4096))]

        #[test]
        fn any_integer_text_is_read_as_serde_json_reads_it(text in "-?[0-9]{0,20}") {
            same_number(&text);
        }
    }

    fn config(cases: u32) -> Config {
        crate::testing::config(cases, 0x7a9e)
    }

    /// Strings that need escapes (a quote, a backslash, control characters) and that are not
    /// ASCII.
    fn json() -> impl Strategy<Value = Value> {
        crate::testing::json(&[
            "a", "b", "é", "名前", "\"q\"", "\\", "", "\n", "\u{1}", "😀",
        ])
    }

    /// Bytes of JSON's own tokens and of what breaks them, so that most inputs are near-misses.
    fn near_json() -> impl Strategy<Value = Vec<u8>> {
        let token = prop::sample::select(vec![
            &b"{"[..],
            b"}",
            b"[",
            b"]",
            b",",
            b":",
            b"\"",
            b"\"a\"",
            b"\"a\":",
            b"\\",
            b"\\u00",
            b"\\ud83d",
            b"\\n",
            b"0",
            b"1",
            b"-",
            b".",
            b"e",
            b"+",
            b"9e999",
            b"true",
            b"null",
            b" ",
            b"\n",
            b"\t",
            b"\x00",
            b"\x1f",
            b"\xc3\xa9",
            b"\xc3",
            b"\xef\xbb\xbf",
        ]);
        prop::collection::vec(token, 0..24).prop_map(|tokens| tokens.concat())
    }

    proptest! {
        #![proptest_config(config(512))]

        #[test]
        fn any_value_written_any_way_is_read_back(value in json(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            }
            .expect("a value writes");
            let tape = Tape::parse(text.as_bytes()).expect("what serde_json writes is taken");
            prop_assert_eq!(tape.to_value(), value);
        }
    }

    proptest! {
        #![proptest_config(config(4096))]

        #[test]
        fn near_misses_are_refused_or_read_as_the_strict_parse_does(bytes in near_json()) {
            agrees(&bytes);
        }
    }

    /// Texts of values that JSON equality (jsonschema's `cmp::equal`) finds equal in ways the
    /// text hides: numbers written apart, escaped strings, members in another order, integers
    /// past 2^53 or 2^64 beside the double nearest them.
    const UNIQUE_POOL: [&str; 29] = [
        "1",
        "1.0",
        "1e0",
        "10E-1",
        "0",
        "-0",
        "0.0",
        "-1",
        "18446744073709551615",
        "1.8446744073709552e19",
        "9007199254740993",
        "9007199254740992",
        "9007199254740992.0",
        "\"a\"",
        "\"\\u0061\"",
        "\"b\"",
        "\"\"",
        "null",
        "true",
        "false",
        "[]",
        "{}",
        "[1,{\"a\":[]}]",
        "[1.0,{\"a\":[]}]",
        "[{\"a\":[]},1]",
        "{\"a\":1,\"b\":[true,\"x\"]}",
        "{\"b\":[true,\"\\u0078\"],\"a\":1.0}",
        "{\"a\":1,\"b\":[true,\"x\"],\"c\":null}",
        "{\"\\u0062\":[true,\"x\"],\"\\u0061\":1e0}",
    ];

    /// `is_unique` on a tape's array of `items` (JSON texts), and jsonschema's own `is_unique`
    /// on the same text read as `Value`s (the oracle).
    fn unique_both<S: AsRef<str>>(items: &[S]) -> (bool, bool) {
        let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
        let text = format!("[{}]", items.join(","));
        let tape = Tape::parse(text.as_bytes()).expect("the arrays tested are JSON");
        let values: Vec<Value> = serde_json::from_str(&text).expect("JSON");
        (
            TapeArray(tape.root()).is_unique(),
            jsonschema_value::unique::is_unique(&values),
        )
    }

    /// [`unique_both`] on the pool's texts at `picks`.
    fn unique_picks(picks: &[usize]) -> (bool, bool) {
        unique_both(&picks.iter().map(|&i| UNIQUE_POOL[i]).collect::<Vec<_>>())
    }

    #[test]
    fn uniqueness_is_jsonschemas_on_every_pair_of_the_pool() {
        for first in UNIQUE_POOL {
            for second in UNIQUE_POOL {
                let (tape, oracle) = unique_both(&[first, second]);
                assert_eq!(tape, oracle, "{first} {second}");
                // Past the pair-by-pair threshold, hashed: distinct fillers, then the pair.
                let items: Vec<String> = (0..20)
                    .map(|i| format!("{{\"filler\":{i}}}"))
                    .chain([first.to_owned(), second.to_owned()])
                    .collect();
                let (tape, oracle) = unique_both(&items);
                assert_eq!(tape, oracle, "hashed: {first} {second}");
            }
        }
        // Known answers, so that the oracle itself is held to something.
        assert_eq!(unique_picks(&[0, 1]), (false, false));
        assert_eq!(unique_picks(&[8, 9]), (true, true));
        assert_eq!(unique_picks(&[13, 14]), (false, false));
        assert_eq!(unique_picks(&[25, 26]), (false, false));
        assert_eq!(unique_picks(&[25, 27]), (true, true));
        assert_eq!(unique_picks(&[22, 24]), (true, true));
        assert_eq!(unique_picks(&[25, 28]), (false, false));
    }

    /// The hash that decides which elements are compared: equal values share it (every equal
    /// pair of the pool), distinct ones do not (a collision would only cost a comparison, but a
    /// hash that ignores the value would make every array past 15 elements quadratic), and the
    /// set's hash of an element is that hash.
    #[test]
    fn equal_values_hash_alike_and_distinct_ones_apart() {
        let text = format!("[{}]", UNIQUE_POOL.join(","));
        let tape = Tape::parse(text.as_bytes()).expect("JSON");
        let nodes: Vec<TapeNode<'_>> = TapeArray(tape.root()).elements().collect();
        for a in &nodes {
            for b in &nodes {
                if a.equals_node(b) {
                    assert_eq!(
                        a.json_hash(),
                        b.json_hash(),
                        "{} {}",
                        a.written(),
                        b.written()
                    );
                }
            }
        }
        let distinct = r#"[1, 2, "a", "b", "", null, true, false, [], {}, [1], [[1]], [1, 2],
            [2, 1], {"a": 1}, {"a": 2}, {"b": 1}, {"a": 1, "b": 2}, {"a": {"b": 1}}, "1", 1.5]"#;
        let tape = Tape::parse(distinct.as_bytes()).expect("JSON");
        let nodes: Vec<TapeNode<'_>> = TapeArray(tape.root()).elements().collect();
        let hashes: HashSet<u64> = nodes.iter().map(TapeNode::json_hash).collect();
        assert_eq!(hashes.len(), nodes.len());
        let set_hash = |node: TapeNode<'_>| {
            FINGERPRINT.hash_one(Hashed {
                hash: node.json_hash(),
                node,
            })
        };
        let set_hashes: HashSet<u64> = nodes.iter().map(|&node| set_hash(node)).collect();
        assert_eq!(set_hashes.len(), nodes.len());
    }

    proptest! {
        #![proptest_config(config(1024))]

        /// Arrays of every length around the pair-by-pair threshold, drawn from the pool, so
        /// that most hold equal values written apart.
        #[test]
        fn uniqueness_is_jsonschemas_on_any_array_of_the_pool(
            picks in prop::collection::vec(0..UNIQUE_POOL.len(), 0..40),
        ) {
            let (tape, oracle) = unique_picks(&picks);
            prop_assert_eq!(tape, oracle);
        }
    }

    /// The JSON-Schema-Test-Suite's draft 2020-12 cases (vendored in evcompat's test data), each
    /// schema compiled for tapes and for `Value`s, each instance written as text: the same
    /// verdict as the suite's, and the same errors as for the `Value`, under jsonschema's default
    /// options and under the contract's.
    #[test]
    fn the_schema_test_suite_gives_the_same_verdicts_on_tapes() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../evcompat/tests/data/json-schema-test-suite/draft2020-12");
        let (mut cases, mut compiled) = (0, 0);
        let mut misses = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the suite is vendored")
            .map(|entry| entry.expect("an entry").path())
            .collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            if name == "refRemote.json" {
                continue; // needs the suite's remotes/, not vendored
            }
            let groups: Vec<Value> =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("reads"))
                    .expect("the suite is JSON");
            for group in &groups {
                let schema = &group["schema"];
                for contract in [false, true] {
                    let (value, tape) = if contract {
                        (
                            crate::validate::options::<SerdeJson>().build(schema),
                            crate::validate::options::<TapeJson>().build(schema),
                        )
                    } else {
                        (
                            jsonschema::options_for::<SerdeJson>()
                                .with_draft(jsonschema::Draft::Draft202012)
                                .build(schema),
                            jsonschema::options_for::<TapeJson>()
                                .with_draft(jsonschema::Draft::Draft202012)
                                .build(schema),
                        )
                    };
                    let (Ok(value), Ok(tape)) = (&value, &tape) else {
                        assert_eq!(
                            value.is_ok(),
                            tape.is_ok(),
                            "{name}: {}",
                            group["description"]
                        );
                        continue;
                    };
                    compiled += 1;
                    for case in group["tests"].as_array().expect("tests") {
                        cases += 1;
                        let data = &case["data"];
                        let text = serde_json::to_string(data).expect("writes");
                        let read = Tape::parse(text.as_bytes()).expect("the suite's data is taken");
                        let at =
                            format!("{name}: {} / {}", group["description"], case["description"]);
                        let verdict = tape.is_valid(read.root());
                        assert_eq!(verdict, value.is_valid(data), "{at}");
                        if !contract && Some(verdict) != case["valid"].as_bool() {
                            misses.push(at.clone());
                        }
                        let errors = |e: jsonschema::ValidationError<'_>| {
                            (
                                e.instance_path().as_str().to_owned(),
                                e.schema_path().as_str().to_owned(),
                                e.to_string(),
                            )
                        };
                        let mut from_tape: Vec<_> =
                            tape.iter_errors(read.root()).map(errors).collect();
                        let mut from_value: Vec<_> = value.iter_errors(data).map(errors).collect();
                        from_tape.sort();
                        from_value.sort();
                        assert_eq!(from_tape, from_value, "{at}");
                    }
                }
            }
        }
        // The one case jsonschema misses for `Value`s too (its verdict is the tape's, asserted
        // above): the metaschema that drops the validation vocabulary is a remote one, which
        // is not fetched.
        assert_eq!(
            misses,
            [concat!(
                "vocabulary.json: \"schema that uses custom metaschema with with no validation ",
                "vocabulary\" / \"no validation: invalid number, but it still validates\""
            )]
        );
        // The suite as vendored, 2020-12 without remote references: 362 schemas and 1,248
        // instances, each under both options (every schema compiles).
        assert_eq!((compiled, cases), (724, 2496));
    }
}
