//! Single faults applied to events: the material the property tests and the breaking-change
//! check's tests look for counterexamples among (every key dropped, every value retyped,
//! every string changed, every value made null, a key added to every object, every string
//! written as serde's externally tagged enum).

use opentact_events::json::pointer::{push_index, push_token, tokens};
use serde_json::{Value, json};

/// One change to one place of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Remove the key (or array item).
    Drop,
    /// Replace the value with one of another JSON type.
    Retype,
    /// Change a string: 0 upper-cases it, 1 lengthens it, 2 shortens it.
    Restring(u8),
    /// Replace the value with null.
    Null,
    /// Add a key the contract does not list to the object there.
    AddKey,
    /// Wrap a string in a one-key object, `{"live": null}`: the externally tagged form serde's
    /// derived enums also read (the schemas' enums are strings only).
    Tagged,
}

impl Mutation {
    /// Every mutation, each string change once.
    pub const ALL: [Mutation; 8] = [
        Mutation::Drop,
        Mutation::Retype,
        Mutation::Restring(0),
        Mutation::Restring(1),
        Mutation::Restring(2),
        Mutation::Null,
        Mutation::AddKey,
        Mutation::Tagged,
    ];
}

/// Every JSON Pointer in `value` but the root's, parents before their children.
pub fn places(value: &Value) -> Vec<String> {
    fn walk(value: &Value, prefix: &mut String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let len = prefix.len();
                    push_token(prefix, key);
                    out.push(prefix.clone());
                    walk(child, prefix, out);
                    prefix.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = prefix.len();
                    push_index(prefix, i);
                    out.push(prefix.clone());
                    walk(child, prefix, out);
                    prefix.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

/// Applies `mutation` at `pointer` (one of [`places`]); a pointer that is not in `event`
/// changes nothing.
pub fn apply(event: &mut Value, pointer: &str, mutation: Mutation) {
    let Some((parent, _)) = pointer.rsplit_once('/') else {
        return;
    };
    let Some(last) = tokens(pointer).and_then(|t| t.last().map(|l| l.clone().into_owned())) else {
        return;
    };
    let Some(target) = event.pointer_mut(pointer) else {
        return;
    };
    match mutation {
        Mutation::Retype => {
            *target = match target {
                Value::String(_) => json!(7),
                Value::Number(_) => json!("7"),
                Value::Bool(b) => json!(b.to_string()),
                Value::Null => json!({}),
                Value::Object(_) => json!([]),
                Value::Array(_) => json!({}),
            }
        }
        Mutation::Restring(how) => {
            if let Value::String(s) = target {
                *s = match how {
                    0 => s.to_uppercase(),
                    1 => format!("{s}x"),
                    _ => s
                        .chars()
                        .take(s.chars().count().saturating_sub(1))
                        .collect(),
                };
            }
        }
        Mutation::Null => *target = Value::Null,
        Mutation::Tagged => {
            if let Value::String(text) = target {
                *target = json!({ text.as_str(): null });
            }
        }
        Mutation::AddKey => {
            if let Value::Object(map) = target {
                map.insert("zz_not_in_contract".into(), json!(1));
            }
        }
        Mutation::Drop => match event.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.remove(&last);
            }
            Some(Value::Array(items)) => {
                if let Ok(i) = last.parse::<usize>()
                    && i < items.len()
                {
                    items.remove(i);
                }
            }
            _ => {}
        },
    }
}

/// Every single mutation of every event, for exhaustive checks.
pub fn single_mutations(events: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for event in events {
        for pointer in places(event) {
            for mutation in Mutation::ALL {
                let mut changed = event.clone();
                apply(&mut changed, &pointer, mutation);
                out.push(changed);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mutation_changes_its_place() {
        let event = json!({"a/b": {"s": "ab", "n": 1}, "l": [true, null]});
        assert_eq!(
            places(&event),
            ["/a~1b", "/a~1b/n", "/a~1b/s", "/l", "/l/0", "/l/1"]
        );
        let at = |pointer: &str, mutation| {
            let mut e = event.clone();
            apply(&mut e, pointer, mutation);
            e
        };
        assert_eq!(
            at("/a~1b/n", Mutation::Drop),
            json!({"a/b": {"s": "ab"}, "l": [true, null]})
        );
        assert_eq!(
            at("/l/0", Mutation::Drop),
            json!({"a/b": {"s": "ab", "n": 1}, "l": [null]})
        );
        assert_eq!(at("/a~1b/n", Mutation::Retype)["a/b"]["n"], "7");
        assert_eq!(at("/a~1b/s", Mutation::Retype)["a/b"]["s"], 7);
        assert_eq!(at("/l/0", Mutation::Retype)["l"][0], "true");
        assert_eq!(at("/l/1", Mutation::Retype)["l"][1], json!({}));
        assert_eq!(at("/l", Mutation::Retype)["l"], json!({}));
        assert_eq!(at("/a~1b", Mutation::Retype)["a/b"], json!([]));
        assert_eq!(at("/a~1b/s", Mutation::Restring(0))["a/b"]["s"], "AB");
        assert_eq!(at("/a~1b/s", Mutation::Restring(1))["a/b"]["s"], "abx");
        assert_eq!(at("/a~1b/s", Mutation::Restring(2))["a/b"]["s"], "a");
        assert_eq!(at("/a~1b/s", Mutation::Null)["a/b"]["s"], Value::Null);
        assert_eq!(
            at("/a~1b", Mutation::AddKey)["a/b"]["zz_not_in_contract"],
            1
        );
        assert_eq!(
            at("/a~1b/s", Mutation::Tagged)["a/b"]["s"],
            json!({"ab": null})
        );
        assert_eq!(at("/a~1b/n", Mutation::Tagged), event);
        assert_eq!(at("/nowhere", Mutation::Null), event);
        assert_eq!(single_mutations(std::slice::from_ref(&event)).len(), 6 * 8);
    }
}
