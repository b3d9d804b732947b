//! Low-level JSON helpers shared by the models and the engine: a [`Value`] builder that refuses
//! duplicate keys, a scanner that finds members in JSON text without parsing it, and JSON
//! Pointers ([`mod@pointer`]).

pub mod pointer;

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Builds a [`Value`] like serde_json's own, but fails on a repeated key: JSON parsers disagree
/// on which of two values wins, so an event that carries both means different things to
/// different consumers.
pub struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json never produces a non-finite number, so `from_f64` cannot fail here.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // One look-up per key: the entry is either new or a repeat.
            match object.entry(key) {
                serde_json::map::Entry::Occupied(repeated) => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate key `{}`",
                        repeated.key().escape_debug()
                    )));
                }
                serde_json::map::Entry::Vacant(entry) => {
                    entry.insert(map.next_value_seed(StrictValue)?);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

// The scanner below works on text that is valid JSON (or is about to be parsed anyway): on
// anything else it returns positions that are only as good as the text, never panics.

/// In the object or array starting at `pos`, the start of the member named `token` (an array
/// index for an array), and for an object member the start of its key. The first of two equal
/// keys is found.
pub fn find_member(bytes: &[u8], pos: usize, token: &str) -> Option<(usize, Option<usize>)> {
    match bytes.get(pos)? {
        b'{' => {
            let mut i = skip_ws(bytes, pos + 1);
            while bytes.get(i) == Some(&b'"') {
                let key_end = skip_string(bytes, i);
                let key = string_at(bytes, i)?;
                let colon = skip_ws(bytes, key_end);
                let value_start = skip_ws(bytes, colon + 1);
                if key == token {
                    return Some((value_start, Some(i)));
                }
                let after = skip_ws(bytes, skip_value(bytes, value_start));
                if bytes.get(after) != Some(&b',') {
                    return None;
                }
                i = skip_ws(bytes, after + 1);
            }
            None
        }
        b'[' => {
            let index: usize = token.parse().ok()?;
            let mut i = skip_ws(bytes, pos + 1);
            for _ in 0..index {
                if bytes.get(i) == Some(&b']') {
                    return None;
                }
                let after = skip_ws(bytes, skip_value(bytes, i));
                if bytes.get(after) != Some(&b',') {
                    return None;
                }
                i = skip_ws(bytes, after + 1);
            }
            (bytes.get(i) != Some(&b']')).then_some((i, None))
        }
        _ => None,
    }
}

/// The text of the JSON string whose opening quote is at `i`: borrowed from `bytes` when it has
/// no escape, decoded (a copy) when it has one; `None` if no valid string starts there.
pub fn string_at(bytes: &[u8], i: usize) -> Option<Cow<'_, str>> {
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let end = skip_string(bytes, i);
    let raw = bytes.get(i + 1..end.checked_sub(1)?)?;
    if bytes.get(end - 1) != Some(&b'"') || end - 1 <= i {
        return None;
    }
    if raw.iter().any(|&b| b == b'\\' || b < 0x20) {
        return serde_json::from_slice::<String>(&bytes[i..end])
            .ok()
            .map(Cow::Owned);
    }
    std::str::from_utf8(raw).ok().map(Cow::Borrowed)
}

/// The first position at or after `i` that is not JSON white space.
pub fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end of the string whose opening quote is at `i` (just past its closing quote), or the
/// text's length when it does not end. A backslash escapes the byte after it, whatever it is.
///
/// Strings are most of an event's text. Up to 16 bytes are read one at a time (a
/// short string, a run of escapes), then the rest of a long stretch is searched for the next
/// quote or backslash with `memchr` (SIMD where the CPU has it): one search per escape would
/// make a string of nothing but escapes slower than reading it byte by byte.
pub fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    loop {
        let stretch = i.saturating_add(BYTEWISE);
        while i < stretch {
            match bytes.get(i) {
                None => return bytes.len(),
                Some(b'"') => return i + 1,
                Some(b'\\') => i += 2,
                Some(_) => i += 1,
            }
        }
        let Some(found) = bytes
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
        else {
            return bytes.len();
        };
        i += found;
        if bytes[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
}

/// How many bytes of a string [`skip_string`] reads one at a time before it searches.
const BYTEWISE: usize = 16;

/// The end of the value starting at `i` (just past it).
pub fn skip_value(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'"') => skip_string(bytes, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(&b) = bytes.get(j) {
                match b {
                    b'"' => {
                        j = skip_string(bytes, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            bytes.len()
        }
        Some(_) => {
            let mut j = i;
            while let Some(&b) = bytes.get(j) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            j
        }
        None => i,
    }
}
