//! `type`, `enum` and `const`: which values and which JSON types are allowed.

use serde_json::{Value, json};

use crate::Rule;
use crate::generate::Generator;
use crate::normal::{Group, NodeId, Record, Types};
use crate::oracle::equal;
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
        (Some(allowed), Some(values)) => values.iter().all(|v| allowed.iter().any(|a| equal(a, v))),
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
            listed.iter().all(|v| allowed.iter().any(|a| equal(a, v)))
        }
    }
}

/// Same types and values.
pub(crate) fn same(a: &Record, b: &Record) -> bool {
    a.types == b.types && a.integer_strict == b.integer_strict && a.enumeration == b.enumeration
}

/// The changes of types and values.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    let both_listed = o.enumeration.is_some() && n.enumeration.is_some();
    if !both_listed && (o.types != n.types || o.integer_strict != n.integer_strict) {
        let added = n.types.minus(o.types);
        let removed = o.types.minus(n.types);
        let rule = if added == Types::NULL && removed.is_empty() {
            Rule::NullAllowed
        } else if removed == Types::NULL && added.is_empty() {
            Rule::NullDisallowed
        } else if removed.is_empty() && (o.integer_strict || !n.integer_strict) {
            Rule::TypeWidened
        } else if added.is_empty() && (n.integer_strict || !o.integer_strict) {
            Rule::TypeNarrowed
        } else {
            Rule::TypeChanged
        };
        let (old, new) = (json!(o.types.names()), json!(n.types.names()));
        let detail = match rule {
            Rule::NullAllowed => "null is now allowed".to_owned(),
            Rule::NullDisallowed => "null is no longer allowed".to_owned(),
            _ => format!("type {old} to {new}"),
        };
        w.emit(rule, Group::Types, "type", detail, Some(old), Some(new));
    }
    match (&o.enumeration, &n.enumeration) {
        (Some(a), Some(b)) if a.len() == 1 && b.len() == 1 => {
            if !equal(&a[0], &b[0]) {
                w.emit(
                    Rule::ConstChanged,
                    Group::Enum,
                    "const",
                    format!("const {} to {}", a[0], b[0]),
                    Some(a[0].clone()),
                    Some(b[0].clone()),
                );
            }
        }
        (Some(a), Some(b)) => {
            for v in b.iter().filter(|v| !a.iter().any(|x| equal(x, v))) {
                w.emit(
                    Rule::EnumValueAdded,
                    Group::Enum,
                    "enum",
                    format!("value {v} added"),
                    None,
                    Some(v.clone()),
                );
            }
            for v in a.iter().filter(|v| !b.iter().any(|x| equal(x, v))) {
                w.emit(
                    Rule::EnumValueRemoved,
                    Group::Enum,
                    "enum",
                    format!("value {v} removed"),
                    Some(v.clone()),
                    None,
                );
            }
        }
        (None, Some(b)) => w.emit(
            Rule::EnumAdded,
            Group::Enum,
            if b.len() == 1 { "const" } else { "enum" },
            format!("only {} allowed now", json!(b)),
            None,
            Some(json!(b)),
        ),
        (Some(a), None) => w.emit(
            Rule::EnumRemoved,
            Group::Enum,
            if a.len() == 1 { "const" } else { "enum" },
            format!("no longer only {}", json!(a)),
            Some(json!(a)),
            None,
        ),
        (None, None) => {}
    }
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
        out.extend(
            values
                .iter()
                .filter(|v| !allowed.iter().any(|a| equal(a, v)))
                .cloned(),
        );
    } else if let Some(allowed) = &rr.enumeration {
        out.extend(
            g.instances(p, 0, 12)
                .into_iter()
                .filter(|v| !allowed.iter().any(|a| equal(a, v))),
        );
    }
    out
}
