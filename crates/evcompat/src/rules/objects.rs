//! `properties`, `patternProperties`, `additionalProperties`, `required`, `propertyNames`,
//! `minProperties`, `maxProperties`, `dependentRequired` and `dependentSchemas` (and
//! draft-07's `dependencies`).
//!
//! A key's value is governed by the schemas of the key classes it falls in: a listed key, each
//! pattern it matches, or (neither) `additionalProperties`. Inclusion is shown class by class:
//! wherever a producer's class and a reader's class may share a key, the producer's schema
//! must be included in the reader's. A concrete key is tested against a pattern with the
//! validator's own regular expressions; two patterns are assumed to overlap unless equal.

use serde_json::{Value, json};

use crate::generate::{self, Generator};
use crate::kind::ChangeKind;
use crate::normal::{FALSE, NodeId, Record, TRUE};
use crate::prove::Prover;
use crate::walk::{Via, Walk};

/// Whether `pattern` matches `key`, as every validator reads it; `None` when the pattern cannot
/// be evaluated, or when the key has text regular-expression dialects read differently
/// ([`crate::dispute::dialect_risk`]: python's `$` before a final newline, its Unicode `\d`,
/// a byte-order mark for `\s`), so that neither answer is relied on.
fn matches(prover: &Prover<'_, '_>, pattern: &str, key: &str) -> Option<bool> {
    if crate::dispute::dialect_risk(key) {
        return None;
    }
    prover.oracle.matches(pattern, key)
}

/// The schemas a record applies to the value of a listed key `key` besides its own: the
/// patterns that match it (or may).
fn pattern_schemas(prover: &Prover<'_, '_>, r: &Record, key: &str) -> Vec<NodeId> {
    r.pattern_properties
        .iter()
        .filter(|(p, _)| matches(prover, p, key) != Some(false))
        .map(|(_, s)| *s)
        .collect()
}

/// The reader's schemas for the value of a concrete key.
fn reader_schemas(prover: &Prover<'_, '_>, r: &Record, key: &str) -> Vec<NodeId> {
    let mut out = pattern_schemas(prover, r, key);
    match r.properties.get(key) {
        Some(s) => out.push(*s),
        None => {
            let surely_matched = r
                .pattern_properties
                .iter()
                .any(|(p, _)| matches(prover, p, key) == Some(true));
            if !surely_matched {
                out.push(r.additional_properties);
            }
        }
    }
    out
}

/// Whether a producer may have key `key` at all: false only when that is sure (its schema
/// there is `false`, its `propertyNames` refuses the name where the validators agree, or a
/// pattern that surely matches it refuses every value).
pub(crate) fn may_have(prover: &mut Prover<'_, '_>, p: &Record, key: &str) -> bool {
    if let Some(s) = p.properties.get(key) {
        return *s != FALSE;
    }
    if p.property_names != TRUE
        && prover.agreed_member(p.property_names, &Value::String(key.to_owned())) == Some(false)
    {
        return false;
    }
    let surely: Vec<NodeId> = p
        .pattern_properties
        .iter()
        .filter(|(pattern, _)| matches(prover, pattern, key) == Some(true))
        .map(|(_, s)| *s)
        .collect();
    if surely.contains(&FALSE) {
        return false;
    }
    let maybe = p
        .pattern_properties
        .iter()
        .any(|(pattern, _)| matches(prover, pattern, key) != Some(false));
    maybe || p.additional_properties != FALSE
}

/// The producer's objects all satisfy the reader's object keywords.
pub(crate) fn includes(
    prover: &mut Prover<'_, '_>,
    p_node: NodeId,
    p: &Record,
    r: &Record,
) -> bool {
    if !r.required.is_subset(&p.required) {
        return false;
    }
    let p_min = p.min_properties.max(p.required.len() as u64);
    if r.min_properties > p_min {
        return false;
    }
    if let Some(limit) = r.max_properties {
        let closed = p.pattern_properties.is_empty() && p.additional_properties == FALSE;
        let listed = p.properties.values().filter(|s| **s != FALSE).count() as u64;
        let bounded = p.max_properties.is_some_and(|m| m <= limit) || (closed && listed <= limit);
        if !bounded {
            return false;
        }
    }
    if !key_classes(prover, p, r) {
        return false;
    }
    if r.property_names != TRUE && !property_names(prover, p, r) {
        return false;
    }
    for (key, needed) in &r.dependent_required {
        if !may_have(prover, p, key) {
            continue;
        }
        let mut has: std::collections::BTreeSet<&String> = p.required.iter().collect();
        if let Some(more) = p.dependent_required.get(key) {
            has.extend(more);
        }
        if !needed.iter().all(|k| has.contains(k)) {
            return false;
        }
    }
    for (key, schema) in r.dependent_schemas.clone() {
        if !may_have(prover, p, &key) {
            continue;
        }
        let own = p.dependent_schemas.get(&key).copied();
        // In place: the same object.
        if !(prover.includes(p_node, schema) || own.is_some_and(|o| prover.includes(o, schema))) {
            return false;
        }
    }
    true
}

fn key_classes(prover: &mut Prover<'_, '_>, p: &Record, r: &Record) -> bool {
    // Listed keys of the producer.
    for (key, schema) in p.properties.clone() {
        if schema == FALSE {
            continue;
        }
        for target in reader_schemas(prover, r, &key) {
            if !prover.child_includes(schema, target) {
                return false;
            }
        }
    }
    let r_patterns: Vec<(String, NodeId)> = r.pattern_properties.clone();
    let p_patterns: Vec<(String, NodeId)> = p.pattern_properties.clone();
    // Keys matching a producer pattern (and not listed by the producer).
    for (pattern, schema) in &p_patterns {
        if *schema == FALSE {
            continue;
        }
        for (key, target) in r.properties.clone() {
            if p.properties.contains_key(&key) || matches(prover, pattern, &key) == Some(false) {
                continue;
            }
            if !prover.child_includes(*schema, target) {
                return false;
            }
        }
        // A key matching this pattern and a reader's pattern σ: when σ is also a producer
        // pattern, the key's value is within the producer's σ schema, checked on its own turn.
        for (sigma, target) in &r_patterns {
            let own_turn = sigma != pattern && p_patterns.iter().any(|(q, _)| q == sigma);
            if !own_turn && !prover.child_includes(*schema, *target) {
                return false;
            }
        }
        let always_matched = r_patterns.iter().any(|(q, _)| q == pattern);
        if !always_matched && !prover.child_includes(*schema, r.additional_properties) {
            return false;
        }
    }
    // Keys neither listed nor matched by the producer.
    let other = p.additional_properties;
    if other != FALSE {
        for (key, target) in r.properties.clone() {
            if p.properties.contains_key(&key) {
                continue;
            }
            let taken = p_patterns
                .iter()
                .any(|(q, _)| matches(prover, q, &key) == Some(true));
            if !taken && !prover.child_includes(other, target) {
                return false;
            }
        }
        for (sigma, target) in &r_patterns {
            let producer_pattern = p_patterns.iter().any(|(q, _)| q == sigma);
            if !producer_pattern && !prover.child_includes(other, *target) {
                return false;
            }
        }
        if !prover.child_includes(other, r.additional_properties) {
            return false;
        }
    }
    true
}

fn property_names(prover: &mut Prover<'_, '_>, p: &Record, r: &Record) -> bool {
    if p.property_names != TRUE && prover.child_includes(p.property_names, r.property_names) {
        return true;
    }
    // A closed producer: its keys can be listed.
    let closed = p.pattern_properties.is_empty() && p.additional_properties == FALSE;
    closed
        && p.properties.clone().iter().all(|(key, schema)| {
            *schema == FALSE
                || prover.agreed_member(r.property_names, &Value::String(key.clone())) == Some(true)
        })
}

/// Same object keywords.
pub(crate) fn same(prover: &mut Prover<'_, '_>, a: &Record, b: &Record) -> bool {
    if a.required != b.required
        || a.min_properties != b.min_properties
        || a.max_properties != b.max_properties
        || a.dependent_required != b.dependent_required
        || a.properties.len() != b.properties.len()
        || a.pattern_properties.len() != b.pattern_properties.len()
        || a.dependent_schemas.len() != b.dependent_schemas.len()
    {
        return false;
    }
    for (key, x) in a.properties.clone() {
        match b.properties.get(&key) {
            Some(y) if prover.same(x, *y) => {}
            _ => return false,
        }
    }
    for ((p, x), (q, y)) in a
        .pattern_properties
        .clone()
        .into_iter()
        .zip(b.pattern_properties.clone())
    {
        if p != q || !prover.same(x, y) {
            return false;
        }
    }
    for (key, x) in a.dependent_schemas.clone() {
        match b.dependent_schemas.get(&key) {
            Some(y) if prover.same(x, *y) => {}
            _ => return false,
        }
    }
    prover.same(a.additional_properties, b.additional_properties)
        && prover.same(a.property_names, b.property_names)
}

/// No object satisfies both: their sizes do not meet, or a key one of them requires takes
/// disjoint values (or is refused) in the other.
pub(crate) fn disjoint(prover: &mut Prover<'_, '_>, a: &Record, b: &Record) -> bool {
    let lo = a
        .min_properties
        .max(b.min_properties)
        .max(a.required.len() as u64)
        .max(b.required.len() as u64);
    let hi = match (a.max_properties, b.max_properties) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    };
    if hi.is_some_and(|hi| hi < lo) {
        return true;
    }
    let required: Vec<String> = a.required.union(&b.required).cloned().collect();
    for key in required {
        let xs = class_schemas(prover, a, &key);
        let ys = class_schemas(prover, b, &key);
        let x = prover.arena.conj(&xs);
        let y = prover.arena.conj(&ys);
        if prover.child_disjoint(x, y) {
            return true;
        }
    }
    false
}

/// The schemas a record surely applies to the value of `key` (a subset is enough here).
fn class_schemas(prover: &Prover<'_, '_>, r: &Record, key: &str) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = r
        .pattern_properties
        .iter()
        .filter(|(p, _)| matches(prover, p, key) == Some(true))
        .map(|(_, s)| *s)
        .collect();
    match r.properties.get(key) {
        Some(s) => out.push(*s),
        None => {
            let unsure = r
                .pattern_properties
                .iter()
                .any(|(p, _)| matches(prover, p, key) != Some(false));
            if !unsure {
                out.push(r.additional_properties);
            }
        }
    }
    out
}

/// The changes of object keywords; the schemas of keys both sides list are walked into.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    let keys: std::collections::BTreeSet<&String> =
        o.properties.keys().chain(n.properties.keys()).collect();
    for key in keys {
        match (o.properties.get(key), n.properties.get(key)) {
            (Some(a), Some(b)) => w.descend(*a, *b, Via::Property(key.clone())),
            (None, Some(b)) => {
                let text = w.schema_text(*b);
                let kind = ChangeKind::Property {
                    key: key.clone(),
                    added: true,
                };
                w.emit_key(kind, key, None, text);
            }
            (Some(a), None) => {
                let text = w.schema_text(*a);
                let kind = ChangeKind::Property {
                    key: key.clone(),
                    added: false,
                };
                w.emit_key(kind, key, text, None);
            }
            (None, None) => {}
        }
    }
    for (added, keys) in [
        (true, n.required.difference(&o.required)),
        (false, o.required.difference(&n.required)),
    ] {
        for key in keys {
            let kind = ChangeKind::Required {
                key: key.clone(),
                added,
            };
            let value = Some(json!(key));
            let (old, new) = if added { (None, value) } else { (value, None) };
            w.emit_key(kind, key, old, new);
        }
    }
    let (oa, na) = (o.additional_properties, n.additional_properties);
    if !w.same(oa, na) {
        if na == FALSE {
            let text = w.schema_text(oa);
            w.emit(
                ChangeKind::Additional { closed: true },
                text,
                Some(json!(false)),
            );
        } else if oa == FALSE {
            let text = w.schema_text(na);
            w.emit(
                ChangeKind::Additional { closed: false },
                Some(json!(false)),
                text,
            );
        } else {
            w.descend(oa, na, Via::AnyKey(None));
        }
    }
    let patterns: std::collections::BTreeSet<&String> = o
        .pattern_properties
        .iter()
        .chain(&n.pattern_properties)
        .map(|(p, _)| p)
        .collect();
    for pattern in patterns {
        let find = |r: &Record| {
            r.pattern_properties
                .iter()
                .find(|(p, _)| p == pattern)
                .map(|(_, s)| *s)
        };
        match (find(o), find(n)) {
            (Some(a), Some(b)) => w.descend(a, b, Via::AnyKey(Some(pattern.clone()))),
            (a, b) => {
                let (old, new) = (
                    a.and_then(|a| w.schema_text(a)),
                    b.and_then(|b| w.schema_text(b)),
                );
                let kind = ChangeKind::PatternProperty {
                    pattern: pattern.clone(),
                    added: a.is_none(),
                };
                w.emit(kind, old, new);
            }
        }
    }
    if !w.same(o.property_names, n.property_names) {
        let (old, new) = (
            w.schema_text(o.property_names),
            w.schema_text(n.property_names),
        );
        w.emit(ChangeKind::PropertyNames, old, new);
    }
    for (min, old, new) in [
        (true, Some(o.min_properties), Some(n.min_properties)),
        (false, o.max_properties, n.max_properties),
    ] {
        if old != new {
            w.emit(
                ChangeKind::PropertyCount { min, old, new },
                old.map(|m| json!(m)),
                new.map(|m| json!(m)),
            );
        }
    }
    let dependents: std::collections::BTreeSet<&String> = o
        .dependent_required
        .keys()
        .chain(n.dependent_required.keys())
        .collect();
    for key in dependents {
        let (a, b) = (o.dependent_required.get(key), n.dependent_required.get(key));
        if a != b {
            let list = |v: Option<&std::collections::BTreeSet<String>>| {
                v.map(|v| v.iter().cloned().collect::<Vec<_>>())
            };
            let kind = ChangeKind::DependentRequired {
                key: key.clone(),
                old: list(a),
                new: list(b),
            };
            w.emit(kind, a.map(|v| json!(v)), b.map(|v| json!(v)));
        }
    }
    let dependents: std::collections::BTreeSet<&String> = o
        .dependent_schemas
        .keys()
        .chain(n.dependent_schemas.keys())
        .collect();
    for key in dependents {
        match (o.dependent_schemas.get(key), n.dependent_schemas.get(key)) {
            // A dependent schema applies where the key is: a value that meets more meets it.
            (Some(a), Some(b)) => w.descend(*a, *b, Via::InPlace { monotone: true }),
            (a, b) => {
                let (old, new) = (
                    a.and_then(|a| w.schema_text(*a)),
                    b.and_then(|b| w.schema_text(*b)),
                );
                let kind = ChangeKind::DependentSchema {
                    key: key.clone(),
                    added: a.is_none(),
                };
                w.emit(kind, old, new);
            }
        }
    }
}

/// Objects the producer may send, aimed at the reader's object keywords: without a key the
/// reader requires, with a key the reader types differently or does not list, with many
/// keys, with a key present and the keys it needs absent.
pub(crate) fn aimed(
    g: &mut Generator<'_, '_, '_>,
    p: NodeId,
    rp: &Record,
    rr: &Record,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut bases: Vec<Value> = g
        .instances(p, 0, 6)
        .into_iter()
        .filter(Value::is_object)
        .take(3)
        .collect();
    if bases.is_empty() {
        bases.push(json!({}));
    }
    let base = bases[0].clone();
    let Value::Object(base_map) = &base else {
        return out;
    };
    for key in rr.required.difference(&rp.required) {
        let mut m = base_map.clone();
        m.remove(key);
        out.push(Value::Object(m));
    }
    // Every key the reader lists or matches, with each value the producer allows there.
    let mut names: Vec<String> = rr.properties.keys().cloned().collect();
    names.extend(rr.required.iter().cloned());
    names.extend(rr.dependent_required.keys().cloned());
    names.extend(rr.dependent_schemas.keys().cloned());
    for (pattern, _) in rr.pattern_properties.iter().chain(&rp.pattern_properties) {
        names.extend(generate::regex_samples(pattern));
    }
    // Key names the producer allows, aimed at the reader's `propertyNames`.
    if rp.property_names != TRUE || rr.property_names != TRUE {
        for name in super::aimed_against(g, rp.property_names, rr.property_names) {
            if let Value::String(name) = name {
                names.push(name);
            }
        }
    }
    names.extend((0..2).map(generate::extra_key));
    names.extend(["x", "k"].map(str::to_owned));
    names.dedup();
    for name in names {
        let schema = g.key_schema(rp, &name);
        let mut values = g.instances(schema, 1, 6);
        values.extend(generate::any_values());
        for value in values {
            for b in &bases {
                if let Value::Object(m) = b {
                    let mut m = m.clone();
                    m.insert(name.clone(), value.clone());
                    out.push(Value::Object(m));
                }
            }
        }
    }
    if let Some(max) = rr.max_properties {
        let mut m = base_map.clone();
        let mut i = 0;
        while (m.len() as u64) <= max && i < 256 {
            let key = rp
                .properties
                .keys()
                .find(|k| !m.contains_key(*k))
                .cloned()
                .unwrap_or_else(|| generate::extra_key(i));
            let schema = g.key_schema(rp, &key);
            let v = g.one(schema, 1);
            m.insert(key, v);
            i += 1;
        }
        out.push(Value::Object(m));
    }
    for (key, needed) in &rr.dependent_required {
        let schema = g.key_schema(rp, key);
        let mut m = base_map.clone();
        m.insert(key.clone(), g.one(schema, 1));
        for k in needed {
            if !rp.required.contains(k) {
                m.remove(k);
            }
        }
        out.push(Value::Object(m));
    }
    out
}
