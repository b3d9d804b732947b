//! The order in which the platform sends each object's keys, read from the examples' text (the
//! schemas list keys alphabetically: serde_json's maps are sorted).

use std::collections::BTreeMap;

use evdraft::fixtures::Ordered;

/// For each object, by its path (keys joined with `.`, `[]` for an array's items; `` for the
/// event), its keys in the order first seen.
pub type KeyOrder = BTreeMap<String, Vec<String>>;

fn record(value: &Ordered, path: &str, out: &mut KeyOrder) {
    match value {
        Ordered::Object(entries) => {
            let keys = out.entry(path.to_owned()).or_default();
            for (k, _) in entries {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
            for (k, v) in entries {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                record(v, &child, out);
            }
        }
        Ordered::Array(items) => {
            for item in items {
                record(item, &format!("{path}[]"), out);
            }
        }
        Ordered::Scalar => {}
    }
}

/// The key order of events' texts, by event type: the platform's published examples first (the
/// order it sends), then the other valid examples for keys those never show.
pub fn of_texts<'a>(
    texts: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> BTreeMap<String, KeyOrder> {
    let mut out: BTreeMap<String, KeyOrder> = BTreeMap::new();
    for (event_type, bytes) in texts {
        if let Ok(value) = serde_json::from_slice::<Ordered>(bytes) {
            record(&value, "", out.entry(event_type.to_owned()).or_default());
        }
    }
    out
}

/// The key order of one catalog version, from the valid examples of its format as (event type,
/// path, text): published examples (`platform-*`) first, whose order is the one the platform
/// really sends, then the others for keys those never show. Keyed by `<type>:<path>`.
pub fn for_version(mut examples: Vec<(String, String, Vec<u8>)>) -> KeyOrder {
    examples.sort_by_key(|(_, path, _)| (!path.contains("platform-"), path.clone()));
    let by_type = of_texts(examples.iter().map(|(t, _, b)| (t.as_str(), b.as_slice())));
    let mut out = KeyOrder::new();
    for (event_type, order) in by_type {
        for (path, keys) in order {
            out.insert(format!("{event_type}:{path}"), keys);
        }
    }
    out
}

/// `keys` in the platform's order for the object at `path` of an event of `event_type`; keys
/// no example shows come last, alphabetically.
pub fn sort(order: &KeyOrder, event_type: &str, path: &str, keys: &mut [String]) {
    let known = order.get(&format!("{event_type}:{path}"));
    keys.sort_by_key(|k| {
        (
            known
                .and_then(|o| o.iter().position(|x| x == k))
                .unwrap_or(usize::MAX),
            k.clone(),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_the_text_at_every_depth() {
        let texts = [(
            "t",
            br#"{"z": 1, "a": {"y": 2, "b": 3}, "m": [{"q": 1, "c": 2}]}"#.as_slice(),
        )];
        let order = &of_texts(texts)["t"];
        assert_eq!(order[""], ["z", "a", "m"]);
        assert_eq!(order["a"], ["y", "b"]);
        assert_eq!(order["m[]"], ["q", "c"]);
    }

    #[test]
    fn unknown_keys_come_last_alphabetically() {
        let mut order = KeyOrder::new();
        order.insert("t:".into(), vec!["z".into(), "a".into()]);
        let mut keys: Vec<String> = ["b", "a", "c", "z"].map(String::from).to_vec();
        sort(&order, "t", "", &mut keys);
        assert_eq!(keys, ["z", "a", "b", "c"]);
    }
}
