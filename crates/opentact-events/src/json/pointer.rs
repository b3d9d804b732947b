//! JSON Pointer (RFC 6901), written once for the workspace: building pointers token by token,
//! reading their tokens back, and finding the pointer of a value inside a document.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

/// Appends `key` to `pointer` as one reference token, escaped as RFC 6901 says (`~` as `~0`,
/// `/` as `~1`).
pub fn push_token(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Appends an array index to `pointer`.
pub fn push_index(pointer: &mut String, index: usize) {
    pointer.push('/');
    pointer.push_str(&index.to_string());
}

/// `pointer` with `key` appended as one token.
pub fn child(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + key.len() + 1);
    out.push_str(pointer);
    push_token(&mut out, key);
    out
}

/// The text a reference token stands for: `~1` is `/` and `~0` is `~`, read in one pass so that
/// `~01` is `~1` (RFC 6901, section 4). A `~` followed by anything else is kept as it is.
pub fn unescape(token: &str) -> Cow<'_, str> {
    if !token.contains('~') {
        return Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('~', Some('0')) => {
                out.push('~');
                chars.next();
            }
            ('~', Some('1')) => {
                out.push('/');
                chars.next();
            }
            (c, _) => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The tokens of `pointer`, unescaped: `[]` for the whole document (`""`), `None` for text that
/// is not a JSON Pointer (not empty and not starting with `/`).
pub fn tokens(pointer: &str) -> Option<Vec<Cow<'_, str>>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    Some(
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(unescape)
            .collect(),
    )
}

/// The JSON Pointer of every object and array in one document, found by the value's address:
/// for the parts of a document that is borrowed (and so does not move) while the index lives.
/// Building it visits each value once.
#[derive(Debug, Default, Clone)]
pub struct Index {
    by_address: HashMap<usize, String>,
}

impl Index {
    /// The index of `document`.
    pub fn new(document: &Value) -> Index {
        let mut index = Index::default();
        index.add(document, &mut String::new());
        index
    }

    fn add(&mut self, value: &Value, pointer: &mut String) {
        match value {
            Value::Object(map) => {
                self.by_address.insert(address(value), pointer.clone());
                for (key, child) in map {
                    let len = pointer.len();
                    push_token(pointer, key);
                    self.add(child, pointer);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                self.by_address.insert(address(value), pointer.clone());
                for (i, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_index(pointer, i);
                    self.add(child, pointer);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// The pointer of `value`, an object or array of the indexed document (by address: a
    /// value equal to one in the document but stored elsewhere has none).
    pub fn pointer_of(&self, value: &Value) -> Option<&str> {
        self.by_address.get(&address(value)).map(String::as_str)
    }

    /// The pointer of the object or array at `address` (as [`address`] gives it).
    pub fn pointer_at(&self, address: usize) -> Option<&str> {
        self.by_address.get(&address).map(String::as_str)
    }
}

/// The address of a value, the key [`Index`] finds it by.
pub fn address(value: &Value) -> usize {
    std::ptr::from_ref(value) as usize
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tokens_are_escaped_and_read_back() {
        for key in ["a", "", "a/b", "m~n", "~1", "~01", "/~", "é\n"] {
            let pointer = child("", key);
            assert_eq!(tokens(&pointer), Some(vec![Cow::Borrowed(key)]), "{key:?}");
        }
        assert_eq!(child("/a", "b~/c"), "/a/b~0~1c");
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(unescape("~10"), "/0");
        assert_eq!(unescape("a~2"), "a~2");
        assert_eq!(unescape("~"), "~");
        assert_eq!(tokens(""), Some(vec![]));
        assert_eq!(tokens("/"), Some(vec![Cow::Borrowed("")]));
        assert_eq!(tokens("a/b"), None);
        let mut p = String::new();
        push_index(&mut p, 12);
        assert_eq!(p, "/12");
    }

    #[test]
    fn an_index_finds_every_container_by_address() {
        let doc = json!({"a": [{"b/c": {}}, 1], "~": {"x": true}});
        let index = Index::new(&doc);
        assert_eq!(index.pointer_of(&doc), Some(""));
        assert_eq!(index.pointer_of(&doc["a"]), Some("/a"));
        assert_eq!(index.pointer_of(&doc["a"][0]["b/c"]), Some("/a/0/b~1c"));
        assert_eq!(index.pointer_of(&doc["~"]), Some("/~0"));
        // Scalars are not indexed, and an equal value elsewhere is not the document's.
        assert_eq!(index.pointer_of(&doc["~"]["x"]), None);
        assert_eq!(index.pointer_of(&json!({})), None);
        assert_eq!(index.pointer_at(address(&doc["a"])), Some("/a"));
        for pointer in ["", "/a", "/a/0/b~1c", "/~0"] {
            let value = doc.pointer(pointer).expect("in the document");
            assert_eq!(index.pointer_of(value), Some(pointer));
        }
    }
}
