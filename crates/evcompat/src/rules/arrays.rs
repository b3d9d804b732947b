//! `prefixItems`, `items` (and draft-07's `items` array with `additionalItems`), `minItems`,
//! `maxItems`, `uniqueItems`, `contains`, `minContains` and `maxContains`.

use serde_json::{Value, json};

use super::same_sets;
use crate::generate::Generator;
use crate::kind::ChangeKind;
use crate::normal::{Contains, Record};
use crate::prove::Prover;
use crate::walk::{Via, Walk};

/// The producer's arrays all satisfy the reader's array keywords.
pub(crate) fn includes(prover: &mut Prover<'_, '_>, p: &Record, r: &Record) -> bool {
    if r.min_items > p.min_items {
        return false;
    }
    let p_max = p.max_len();
    if let Some(limit) = r.max_items
        && p_max.is_none_or(|m| m > limit)
    {
        return false;
    }
    let positions = p.prefix_items.len().max(r.prefix_items.len());
    for i in 0..positions {
        if p_max.is_some_and(|m| i as u64 >= m) {
            return unique_and_contains(prover, p, p_max, r);
        }
        if !prover.child_includes(p.item(i), r.item(i)) {
            return false;
        }
    }
    if p_max.is_none_or(|m| m > positions as u64) && !prover.child_includes(p.items, r.items) {
        return false;
    }
    unique_and_contains(prover, p, p_max, r)
}

fn unique_and_contains(
    prover: &mut Prover<'_, '_>,
    p: &Record,
    p_max: Option<u64>,
    r: &Record,
) -> bool {
    if r.unique_items && !p.unique_items && p_max.is_none_or(|m| m > 1) {
        return false;
    }
    r.contains
        .iter()
        .all(|c| contains_holds(prover, p, p_max, c))
}

/// Whether the producer's arrays hold enough (and few enough) items matching `c`.
fn contains_holds(
    prover: &mut Prover<'_, '_>,
    p: &Record,
    p_max: Option<u64>,
    c: &Contains,
) -> bool {
    let enough = c.min == 0
        || p.contains
            .iter()
            .any(|pc| pc.min >= c.min && prover.child_includes(pc.schema, c.schema))
        || (p.min_items >= c.min && every_item_in(prover, p, c.schema));
    let few_enough = match c.max {
        None => true,
        Some(limit) => {
            p_max.is_some_and(|m| m <= limit)
                || p.contains.iter().any(|pc| {
                    pc.max.is_some_and(|m| m <= limit) && prover.child_includes(c.schema, pc.schema)
                })
                || no_item_in(prover, p, c.schema)
        }
    };
    enough && few_enough
}

fn every_item_in(prover: &mut Prover<'_, '_>, p: &Record, schema: usize) -> bool {
    p.prefix_items
        .clone()
        .into_iter()
        .all(|i| prover.child_includes(i, schema))
        && prover.child_includes(p.items, schema)
}

fn no_item_in(prover: &mut Prover<'_, '_>, p: &Record, schema: usize) -> bool {
    p.prefix_items
        .clone()
        .into_iter()
        .all(|i| prover.child_disjoint(i, schema))
        && prover.child_disjoint(p.items, schema)
}

/// Same array keywords.
pub(crate) fn same(prover: &mut Prover<'_, '_>, a: &Record, b: &Record) -> bool {
    if a.min_items != b.min_items
        || a.max_items != b.max_items
        || a.unique_items != b.unique_items
        || a.prefix_items.len() != b.prefix_items.len()
        || a.contains.len() != b.contains.len()
    {
        return false;
    }
    for (x, y) in a
        .prefix_items
        .clone()
        .into_iter()
        .zip(b.prefix_items.clone())
    {
        if !prover.same(x, y) {
            return false;
        }
    }
    if !prover.same(a.items, b.items) {
        return false;
    }
    let counts = |c: &[Contains]| -> Vec<(u64, Option<u64>)> {
        let mut v: Vec<_> = c.iter().map(|c| (c.min, c.max)).collect();
        v.sort_unstable();
        v
    };
    counts(&a.contains) == counts(&b.contains)
        && same_sets(
            prover,
            &a.contains.iter().map(|c| c.schema).collect::<Vec<_>>(),
            &b.contains.iter().map(|c| c.schema).collect::<Vec<_>>(),
        )
}

/// No array satisfies both: their lengths do not meet, or a position every array has takes
/// disjoint items.
pub(crate) fn disjoint(prover: &mut Prover<'_, '_>, a: &Record, b: &Record) -> bool {
    let lo = a.min_items.max(b.min_items);
    let hi = match (a.max_len(), b.max_len()) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    };
    if hi.is_some_and(|hi| hi < lo) {
        return true;
    }
    let positions = a.prefix_items.len().max(b.prefix_items.len()) as u64;
    (0..lo.min(positions)).any(|i| {
        let i = i as usize;
        prover.child_disjoint(a.item(i), b.item(i))
    })
}

/// The changes of array keywords; item schemas are walked into (`/0` is the first item, or
/// any item when there are no per-position schemas).
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    for (min, old, new) in [
        (true, Some(o.min_items), Some(n.min_items)),
        (false, o.max_items, n.max_items),
    ] {
        if old != new {
            w.emit(
                ChangeKind::ItemCount { min, old, new },
                old.map(|m| json!(m)),
                new.map(|m| json!(m)),
            );
        }
    }
    if o.unique_items != n.unique_items {
        w.emit(
            ChangeKind::UniqueItems {
                now: n.unique_items,
            },
            Some(json!(o.unique_items)),
            Some(json!(n.unique_items)),
        );
    }
    let same_contains = o.contains.len() == n.contains.len()
        && o.contains
            .iter()
            .zip(&n.contains)
            .all(|(x, y)| x.min == y.min && x.max == y.max && w.same(x.schema, y.schema));
    if !same_contains {
        let show = |r: &Record| {
            r.contains
                .iter()
                .map(|c| json!({"minContains": c.min, "maxContains": c.max}))
                .collect::<Vec<_>>()
        };
        w.emit(
            ChangeKind::Contains,
            Some(json!(show(o))),
            Some(json!(show(n))),
        );
    }
    let positions = o.prefix_items.len().max(n.prefix_items.len());
    for i in 0..positions {
        w.descend(o.item(i), n.item(i), Via::Item(i));
    }
    w.descend(o.items, n.items, Via::Item(positions));
}

/// Arrays just outside the reader's counts, with duplicates, or without the items the reader
/// wants contained.
pub(crate) fn aimed(g: &mut Generator<'_, '_, '_>, rp: &Record, rr: &Record) -> Vec<Value> {
    let mut out = Vec::new();
    let item = g.one(rp.item(0), 1);
    let fill = |len: u64, item: &Value| -> Value {
        Value::Array((0..len.min(256)).map(|_| item.clone()).collect())
    };
    if let Some(max) = rr.max_items {
        out.push(fill(max + 1, &item));
    }
    if rr.min_items > 0 {
        out.push(fill(rr.min_items - 1, &item));
    }
    out.push(fill(2, &item));
    out.push(fill(0, &item));
    let mut distinct = g.instances(rp.items, 1, 4);
    distinct.truncate(4);
    out.push(Value::Array(distinct));
    // Items the reader's item schemas refuse, at each position.
    let positions = rp.prefix_items.len().max(rr.prefix_items.len());
    for i in 0..=positions {
        let bad = super::aimed_against(g, rp.item(i), rr.item(i));
        for b in bad.into_iter().take(6) {
            let mut items: Vec<Value> = (0..i).map(|j| g.one(rp.item(j), 1)).collect();
            items.push(b);
            out.push(Value::Array(items));
        }
    }
    for c in &rr.contains {
        // Without an item the reader wants contained; with one too many.
        for b in super::aimed_against(g, rp.items, c.schema)
            .into_iter()
            .take(6)
        {
            out.push(fill(1, &b));
            out.push(fill(3, &b));
        }
        let both = g.prover.arena.conj(&[rp.items, c.schema]);
        if let Some(matching) = g.instances(both, 1, 1).into_iter().next() {
            let count = c.max.map_or(c.min.saturating_sub(1), |m| m + 1);
            out.push(fill(count, &matching));
            out.push(fill(c.min.saturating_sub(1), &matching));
        }
    }
    out
}
