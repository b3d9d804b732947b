//! `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else` of a reader.
//!
//! (A producer's unions and conditions are split into cases before the families are checked,
//! see [`crate::prove`]; its `not` only narrows it and is set aside.)

use serde_json::{Value, json};

use super::same_sets;
use crate::generate::Generator;
use crate::kind::{ChangeKind, Union};
use crate::normal::{Conditional, NodeId, Record};
use crate::prove::Prover;
use crate::walk::{Via, Walk};

/// The producer `p` (one case, record `rp`) satisfies the reader's logic keywords.
pub(crate) fn includes(
    prover: &mut Prover<'_, '_>,
    p: NodeId,
    rp: &Record,
    _r: NodeId,
    rr: &Record,
) -> bool {
    rr.all_of.clone().into_iter().all(|c| prover.includes(p, c))
        && rr
            .any_of
            .clone()
            .iter()
            .all(|branches| union_holds(prover, p, rp, branches, false))
        && rr
            .one_of
            .clone()
            .iter()
            .all(|branches| union_holds(prover, p, rp, branches, true))
        && rr.not.clone().into_iter().all(|x| prover.disjoint(p, x))
        && rr
            .conditionals
            .clone()
            .iter()
            .all(|c| conditional_holds(prover, p, rp, c))
}

/// Every value of `p` is in some branch (in exactly one, when `exclusive`).
fn union_holds(
    prover: &mut Prover<'_, '_>,
    p: NodeId,
    rp: &Record,
    branches: &[NodeId],
    exclusive: bool,
) -> bool {
    if one_branch(prover, p, branches, exclusive) {
        return true;
    }
    let types = rp.effective_types();
    types.each().count() > 1
        && types.each().all(|t| {
            let part = prover.typed(p, t);
            one_branch(prover, part, branches, exclusive)
        })
}

/// Whether `p` lies in one branch (and, `exclusive`, is disjoint from every other). Only the
/// branches whose types and tag meet `p`'s are tried ([`Prover::branch_candidates`]); a
/// `oneOf` whose branches are disjoint is an `anyOf` ([`Prover::disjoint_branches`]).
fn one_branch(
    prover: &mut Prover<'_, '_>,
    p: NodeId,
    branches: &[NodeId],
    exclusive: bool,
) -> bool {
    let exclusive = exclusive && !prover.disjoint_branches(branches);
    for i in prover.branch_candidates(p, branches) {
        if prover.includes(p, branches[i])
            && (!exclusive
                || branches
                    .iter()
                    .enumerate()
                    .all(|(j, o)| j == i || prover.disjoint(p, *o)))
        {
            return true;
        }
    }
    false
}

/// Every value of `p` satisfies `then` where it satisfies the condition, `else` elsewhere.
fn conditional_holds(prover: &mut Prover<'_, '_>, p: NodeId, rp: &Record, c: &Conditional) -> bool {
    let holds = |prover: &mut Prover<'_, '_>, p: NodeId| {
        if prover.includes(p, c.condition) {
            prover.includes(p, c.then)
        } else if prover.disjoint(p, c.condition) {
            prover.includes(p, c.otherwise)
        } else {
            prover.includes(p, c.then) && prover.includes(p, c.otherwise)
        }
    };
    if holds(prover, p) {
        return true;
    }
    let types = rp.effective_types();
    types.each().count() > 1
        && types.each().all(|t| {
            let part = prover.typed(p, t);
            holds(prover, part)
        })
}

/// Same logic keywords (unions as sets of sets).
pub(crate) fn same(prover: &mut Prover<'_, '_>, a: &Record, b: &Record) -> bool {
    let (a_any, a_one) = unions(prover, a);
    let (b_any, b_one) = unions(prover, b);
    same_sets(prover, &a.all_of, &b.all_of)
        && same_sets(prover, &a.not, &b.not)
        && same_groups(prover, &a_any, &b_any)
        && same_groups(prover, &a_one, &b_one)
        && a.conditionals.len() == b.conditionals.len()
        && {
            let mut used = vec![false; b.conditionals.len()];
            a.conditionals.iter().all(|x| {
                for (i, y) in b.conditionals.iter().enumerate() {
                    if !used[i]
                        && prover.same(x.condition, y.condition)
                        && prover.same(x.then, y.then)
                        && prover.same(x.otherwise, y.otherwise)
                    {
                        used[i] = true;
                        return true;
                    }
                }
                false
            })
        }
}

fn same_groups(prover: &mut Prover<'_, '_>, a: &[Vec<NodeId>], b: &[Vec<NodeId>]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Unions are few per schema; each comparison of two is linear in their branches.
    let mut used = vec![false; b.len()];
    'outer: for x in a {
        for (i, y) in b.iter().enumerate() {
            if !used[i] && same_sets(prover, x, y) {
                used[i] = true;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// A record's unions as `anyOf` groups and `oneOf` groups, a `oneOf` whose branches are
/// disjoint counted as an `anyOf` (it accepts the same values).
fn unions(prover: &mut Prover<'_, '_>, r: &Record) -> (Vec<Vec<NodeId>>, Vec<Vec<NodeId>>) {
    let mut any_of = r.any_of.clone();
    let mut one_of = Vec::new();
    for group in &r.one_of {
        if prover.disjoint_branches(group) {
            any_of.push(group.clone());
        } else {
            one_of.push(group.clone());
        }
    }
    (any_of, one_of)
}

/// The changes of unions, `not`, conditions and conjuncts that could not be merged.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    let (mut o_any, mut o_one) = unions(w.prover, o);
    let (mut n_any, mut n_one) = unions(w.prover, n);
    // The same branches under another keyword.
    for (from, to, to_one_of) in [
        (&mut o_any, &mut n_one, true),
        (&mut o_one, &mut n_any, false),
    ] {
        let mut i = 0;
        while i < from.len() {
            let found = (0..to.len()).find(|j| same_sets(w.prover, &from[i], &to[*j]));
            match found {
                Some(j) => {
                    from.remove(i);
                    to.remove(j);
                    w.emit(ChangeKind::UnionKind { to_one_of }, None, None);
                }
                None => i += 1,
            }
        }
    }
    for (union, a, b) in [(Union::AnyOf, o_any, n_any), (Union::OneOf, o_one, n_one)] {
        let pairs = a.len().min(b.len());
        for i in 0..pairs {
            union_diff(w, &a[i], &b[i], union);
        }
        for extra in &b[pairs..] {
            for branch in extra {
                emit_branch(w, *branch, union, true);
            }
        }
        for extra in &a[pairs..] {
            for branch in extra {
                emit_branch(w, *branch, union, false);
            }
        }
    }
    if !same_sets(w.prover, &o.not, &n.not) {
        let text = |w: &Walk<'_, '_, '_>, v: &[NodeId]| -> Option<Value> {
            (!v.is_empty()).then(|| json!(v.iter().map(|x| w.schema_text(*x)).collect::<Vec<_>>()))
        };
        let (old, new) = (text(w, &o.not), text(w, &n.not));
        w.emit(ChangeKind::Not, old, new);
    }
    let mut unmatched_new: Vec<Conditional> = n.conditionals.clone();
    for c in &o.conditionals {
        let partner = unmatched_new
            .iter()
            .position(|d| w.same(c.condition, d.condition));
        match partner {
            Some(j) => {
                let d = unmatched_new.remove(j);
                // `then` and `else` hold where the condition does (does not): monotone.
                w.descend(c.then, d.then, Via::InPlace { monotone: true });
                w.descend(c.otherwise, d.otherwise, Via::InPlace { monotone: true });
            }
            None => emit_condition(w, c, false),
        }
    }
    for d in &unmatched_new {
        emit_condition(w, d, true);
    }
    let partners = super::pair_same(w.prover, &o.all_of, &n.all_of);
    let taken: std::collections::HashSet<usize> = partners.iter().flatten().copied().collect();
    let unmatched_old: Vec<NodeId> = o
        .all_of
        .iter()
        .zip(&partners)
        .filter(|(_, p)| p.is_none())
        .map(|(c, _)| *c)
        .collect();
    let unmatched_new: Vec<NodeId> = n
        .all_of
        .iter()
        .enumerate()
        .filter(|(j, _)| !taken.contains(j))
        .map(|(_, c)| *c)
        .collect();
    let pairs = unmatched_old.len().min(unmatched_new.len());
    for i in 0..pairs {
        w.descend(
            unmatched_old[i],
            unmatched_new[i],
            Via::InPlace { monotone: true },
        );
    }
    for (extra, added) in [
        (&unmatched_new[pairs..], true),
        (&unmatched_old[pairs..], false),
    ] {
        for c in extra {
            let text = w.schema_text(*c);
            let (old, new) = if added { (None, text) } else { (text, None) };
            w.emit(ChangeKind::AllOf { added }, old, new);
        }
    }
}

/// The tag of a union branch: a key it requires whose schema lists its values (a `const` or a
/// small `enum`), the key and the values' canonical texts.
fn branch_tag(w: &mut Walk<'_, '_, '_>, branch: NodeId) -> Option<(String, Vec<String>)> {
    let r = w.prover.arena.record(branch);
    for key in &r.required {
        let Some(&schema) = r.properties.get(key) else {
            continue;
        };
        let values = w.prover.arena.record(schema).enumeration.clone();
        if let Some(values) = values.filter(|v| !v.is_empty() && v.len() <= 32) {
            return Some((key.clone(), values.keys().map(str::to_owned).collect()));
        }
    }
    None
}

/// The changes between two branch lists of one union: the branches that are the same on both
/// sides are set aside (looked up by fingerprint), the others matched by their tag (a `const`
/// on a key both require), then by their types, and compared; what is left was added or
/// removed. Linear in the branches.
fn union_diff(w: &mut Walk<'_, '_, '_>, a: &[NodeId], b: &[NodeId], union: Union) {
    let partners = super::pair_same(w.prover, b, a);
    let taken: std::collections::HashSet<usize> = partners.iter().flatten().copied().collect();
    let mut new_left: Vec<NodeId> = b
        .iter()
        .zip(&partners)
        .filter(|(_, p)| p.is_none())
        .map(|(x, _)| *x)
        .collect();
    let mut old_left: Vec<Option<NodeId>> = a
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken.contains(i))
        .map(|(_, y)| Some(*y))
        .collect();
    // Branches with the same tag are the same branch, changed.
    let mut by_tag: std::collections::HashMap<(String, Vec<String>), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, y) in old_left.iter().enumerate() {
        if let Some(tag) = y.and_then(|y| branch_tag(w, y)) {
            by_tag.entry(tag).or_default().push(i);
        }
    }
    let mut still_new = Vec::new();
    for x in new_left.drain(..) {
        let partner = branch_tag(w, x)
            .and_then(|tag| by_tag.get_mut(&tag))
            .and_then(|list| {
                list.iter()
                    .position(|i| old_left[*i].is_some())
                    .map(|k| list.remove(k))
            });
        match partner.and_then(|i| old_left[i].take()) {
            Some(y) => w.descend(y, x, Via::Branch { union }),
            None => still_new.push(x),
        }
    }
    // Then branches of the same types.
    let mut by_types: std::collections::HashMap<u8, Vec<usize>> = std::collections::HashMap::new();
    for (i, y) in old_left.iter().enumerate() {
        if let Some(y) = y {
            let types = w.prover.arena.record(*y).effective_types();
            by_types.entry(types.0).or_default().push(i);
        }
    }
    for x in still_new {
        let types = w.prover.arena.record(x).effective_types();
        let partner = by_types.get_mut(&types.0).and_then(|list| {
            let k = list.iter().position(|i| old_left[*i].is_some())?;
            Some(list.remove(k))
        });
        match partner.and_then(|i| old_left[i].take()) {
            Some(y) => w.descend(y, x, Via::Branch { union }),
            None => emit_branch(w, x, union, true),
        }
    }
    for y in old_left.into_iter().flatten() {
        emit_branch(w, y, union, false);
    }
}

fn emit_branch(w: &mut Walk<'_, '_, '_>, branch: NodeId, union: Union, added: bool) {
    let null_only = {
        let r = w.prover.arena.record(branch);
        r.enumeration.is_none() && r.types == crate::normal::Types::NULL
    };
    let text = w.schema_text(branch);
    let (old, new) = if added { (None, text) } else { (text, None) };
    let kind = ChangeKind::Branch {
        union,
        added,
        null_only,
        wrapping: false,
        index: 0,
    };
    w.emit(kind, old, new);
}

fn emit_condition(w: &mut Walk<'_, '_, '_>, c: &Conditional, added: bool) {
    let text = w.schema_text(c.condition);
    let (old, new) = if added { (None, text) } else { (text, None) };
    w.emit(ChangeKind::Condition { added }, old, new);
}

/// Values of the producer aimed at the reader's logic: inside what a `not` refuses, inside
/// a condition, inside two `oneOf` branches at once, and plain values of the producer.
pub(crate) fn aimed(g: &mut Generator<'_, '_, '_>, p: NodeId, rr: &Record) -> Vec<Value> {
    let mut out = g.instances(p, 0, 24);
    // Inside what a `not` refuses; inside every union branch (a value in two `oneOf`
    // branches); inside a condition and outside its `then`, outside the condition and outside
    // its `else`.
    let mut inside: Vec<NodeId> = rr.not.clone();
    for group in rr.one_of.iter().chain(&rr.any_of) {
        inside.extend(group.iter().copied());
    }
    for t in inside {
        let both = g.prover.arena.conj(&[p, t]);
        out.extend(g.instances(both, 0, 6));
    }
    for c in &rr.conditionals {
        let yes = g.prover.arena.conj(&[p, c.condition]);
        out.extend(g.instances(yes, 0, 6));
        out.extend(super::aimed_against(g, yes, c.then));
        out.extend(super::aimed_against(g, p, c.otherwise));
    }
    for group in rr.one_of.iter().chain(&rr.any_of) {
        for b in group {
            out.extend(super::aimed_against(g, p, *b));
        }
    }
    out
}
