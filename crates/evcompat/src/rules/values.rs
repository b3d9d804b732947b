//! `type`, `enum` and `const`: which values and which JSON types are allowed.

use serde_json::{Value, json};

use crate::generate::Generator;
use crate::kind::ChangeKind;
use crate::normal::{Enumeration, NodeId, Record, Types};
use crate::walk::Walk;

/// A producer satisfies the reader's types and enumeration.
pub(crate) fn includes(p: &Record, r: &Record) -> bool {
    let types = p.effective_types();
    if !r.types.contains(types) {
        return false;
    }
    // Draft-04 `integer` refuses `1.0`, which every other draft's `integer` accepts.
    if r.integer_strict && types.intersects(Types::INTEGER) && !p.integer_strict {
        return false;
    }
    match (&r.enumeration, &p.enumeration) {
        (None, _) => true,
        (Some(allowed), Some(values)) => values.is_subset(allowed),
        (Some(allowed), None) => {
            // Only `null` and the booleans can be listed without an enumeration.
            if !Types::NULL.or(Types::BOOLEAN).contains(types) {
                return false;
            }
            let mut listed = Vec::new();
            if types.contains(Types::NULL) {
                listed.push(Value::Null);
            }
            if types.contains(Types::BOOLEAN) {
                listed.extend([Value::Bool(false), Value::Bool(true)]);
            }
            listed.iter().all(|v| allowed.contains(v))
        }
    }
}

/// Same types and values.
pub(crate) fn same(a: &Record, b: &Record) -> bool {
    a.types == b.types && a.integer_strict == b.integer_strict && a.enumeration == b.enumeration
}

/// The changes of types and values: enumerations are compared as sets, one change per value
/// added or removed.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    let both_listed = o.enumeration.is_some() && n.enumeration.is_some();
    if !both_listed && (o.types != n.types || o.integer_strict != n.integer_strict) {
        w.emit(
            ChangeKind::Types {
                old: o.types,
                new: n.types,
                old_strict: o.integer_strict,
                new_strict: n.integer_strict,
            },
            Some(json!(o.types.names())),
            Some(json!(n.types.names())),
        );
    }
    match (&o.enumeration, &n.enumeration) {
        (Some(a), Some(b)) if a.len() == 1 && b.len() == 1 => {
            if a != b {
                let (x, y) = (first(a), first(b));
                w.emit(
                    ChangeKind::Const {
                        old: x.clone(),
                        new: y.clone(),
                    },
                    Some(x),
                    Some(y),
                );
            }
        }
        (Some(a), Some(b)) => {
            for v in b.minus(a) {
                w.emit(
                    ChangeKind::EnumValue {
                        value: v.clone(),
                        added: true,
                    },
                    None,
                    Some(v.clone()),
                );
            }
            for v in a.minus(b) {
                w.emit(
                    ChangeKind::EnumValue {
                        value: v.clone(),
                        added: false,
                    },
                    Some(v.clone()),
                    None,
                );
            }
        }
        (None, Some(b)) => {
            let values: Vec<Value> = b.values().cloned().collect();
            let text = json!(values);
            w.emit(
                ChangeKind::Enum {
                    values,
                    added: true,
                },
                None,
                Some(text),
            );
        }
        (Some(a), None) => {
            let values: Vec<Value> = a.values().cloned().collect();
            let text = json!(values);
            w.emit(
                ChangeKind::Enum {
                    values,
                    added: false,
                },
                Some(text),
                None,
            );
        }
        (None, None) => {}
    }
}

fn first(values: &Enumeration) -> Value {
    values.values().next().cloned().unwrap_or(Value::Null)
}

/// Values of the producer's types the reader does not take, and its listed values the
/// reader does not list.
pub(crate) fn aimed(
    g: &mut Generator<'_, '_, '_>,
    p: NodeId,
    rp: &Record,
    rr: &Record,
) -> Vec<Value> {
    let mut out = Vec::new();
    for t in rp.effective_types().minus(rr.types).each() {
        let part = g.prover.typed(p, t);
        out.extend(g.instances(part, 0, 3));
    }
    if rr.integer_strict && !rp.integer_strict {
        out.push(json!(1.0));
    }
    if let (Some(allowed), Some(values)) = (&rr.enumeration, &rp.enumeration) {
        out.extend(values.minus(allowed).take(64).cloned());
    } else if let Some(allowed) = &rr.enumeration {
        out.extend(
            g.instances(p, 0, 12)
                .into_iter()
                .filter(|v| !allowed.contains(v)),
        );
    }
    out
}
