//! `unevaluatedProperties`, `unevaluatedItems`, and the keywords kept as written (a dynamic
//! reference, a keyword of another draft some validators apply, content assertions of
//! draft-07): a reader's is satisfied only by the same keyword, with the same value, in the
//! producer.

use serde_json::{Value, json};

use crate::generate::{self, Generator};
use crate::kind::ChangeKind;
use crate::normal::{NodeId, Record};
use crate::walk::Walk;

/// The producer satisfies the reader's remaining keywords.
pub(crate) fn includes(p: &Record, r: &Record) -> bool {
    r.unevaluated_properties.is_none()
        && r.unevaluated_items.is_none()
        && r.opaque.iter().all(|o| {
            // A value that refers elsewhere may mean something else in the other document.
            !o.keyword.starts_with('(')
                && !o.value.to_string().contains("$ref")
                && p.opaque.contains(o)
        })
}

/// Same keywords kept as written (`unevaluated*` are compared with the children, in
/// [`super::same_records`]). Dynamic references never compare equal: where they land depends
/// on how the schema was entered, which a node does not know.
pub(crate) fn same(a: &Record, b: &Record) -> bool {
    let plain = |r: &Record| {
        r.opaque
            .iter()
            .all(|o| !matches!(o.keyword.as_str(), "$dynamicRef" | "$recursiveRef"))
    };
    plain(a) && plain(b) && a.opaque == b.opaque
}

/// The changes of `unevaluated*` and of keywords kept as written.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    for (keyword, a, b) in [
        (
            "unevaluatedProperties",
            o.unevaluated_properties,
            n.unevaluated_properties,
        ),
        ("unevaluatedItems", o.unevaluated_items, n.unevaluated_items),
    ] {
        let same = match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => w.same(x, y),
            _ => false,
        };
        if !same {
            let (old, new) = (
                a.and_then(|x| w.schema_text(x)),
                b.and_then(|y| w.schema_text(y)),
            );
            w.emit(ChangeKind::Unevaluated { keyword }, old, new);
        }
    }
    let keywords: std::collections::BTreeSet<&String> = o
        .opaque
        .iter()
        .chain(&n.opaque)
        .map(|x| &x.keyword)
        .collect();
    for keyword in keywords {
        let pick = |r: &Record| -> Vec<Value> {
            r.opaque
                .iter()
                .filter(|x| &x.keyword == keyword)
                .map(|x| x.value.clone())
                .collect()
        };
        let (a, b) = (pick(o), pick(n));
        let dynamic = matches!(keyword.as_str(), "$dynamicRef" | "$recursiveRef");
        if a != b || dynamic {
            let one = |v: Vec<Value>| match v.len() {
                0 => None,
                1 => v.into_iter().next(),
                _ => Some(Value::Array(v)),
            };
            let kind = ChangeKind::Kept {
                keyword: keyword.clone(),
                dynamic,
            };
            w.emit(kind, one(a), one(b));
        }
    }
}

/// Values of the producer with an extra key and an extra item, for `unevaluated*`.
pub(crate) fn aimed(g: &mut Generator<'_, '_, '_>, p: NodeId) -> Vec<Value> {
    let mut out = Vec::new();
    for value in g.instances(p, 0, 6) {
        match &value {
            Value::Object(m) => {
                let mut m = m.clone();
                m.insert(generate::extra_key(0), json!(1));
                out.push(Value::Object(m));
            }
            Value::Array(items) => {
                let mut items = items.clone();
                items.push(json!(1));
                out.push(Value::Array(items));
            }
            _ => {}
        }
        out.push(value);
    }
    out
}
