//! `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else` of a reader.
//!
//! (A producer's unions and conditions are split into cases before the families are checked,
//! see [`crate::prove`]; its `not` only narrows it and is set aside.)

use serde_json::{Value, json};

use super::same_sets;
use crate::Rule;
use crate::generate::Generator;
use crate::normal::{Conditional, Group, NodeId, Record};
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

fn one_branch(
    prover: &mut Prover<'_, '_>,
    p: NodeId,
    branches: &[NodeId],
    exclusive: bool,
) -> bool {
    for (i, b) in branches.iter().enumerate() {
        if prover.includes(p, *b)
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
    same_sets(prover, &a.all_of, &b.all_of)
        && same_sets(prover, &a.not, &b.not)
        && same_groups(prover, &a.any_of, &b.any_of)
        && same_groups(prover, &a.one_of, &b.one_of)
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

/// The changes of unions, `not`, conditions and conjuncts that could not be merged.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    let mut o_any = o.any_of.clone();
    let mut n_one = n.one_of.clone();
    let mut o_one = o.one_of.clone();
    let mut n_any = n.any_of.clone();
    // The same branches under another keyword.
    for (from, to, detail) in [
        (&mut o_any, &mut n_one, "anyOf became oneOf"),
        (&mut o_one, &mut n_any, "oneOf became anyOf"),
    ] {
        let mut i = 0;
        while i < from.len() {
            let found = (0..to.len()).find(|j| same_sets(w.prover, &from[i], &to[*j]));
            match found {
                Some(j) => {
                    from.remove(i);
                    to.remove(j);
                    w.emit(
                        Rule::UnionKindChanged,
                        Group::OneOf,
                        "oneOf",
                        detail.into(),
                        None,
                        None,
                    );
                }
                None => i += 1,
            }
        }
    }
    for (keyword, group, a, b) in [
        ("anyOf", Group::AnyOf, o_any, n_any),
        ("oneOf", Group::OneOf, o_one, n_one),
    ] {
        let pairs = a.len().min(b.len());
        for i in 0..pairs {
            union_diff(w, &a[i], &b[i], keyword, &group);
        }
        for extra in &b[pairs..] {
            for branch in extra {
                emit_branch(w, *branch, keyword, &group, true);
            }
        }
        for extra in &a[pairs..] {
            for branch in extra {
                emit_branch(w, *branch, keyword, &group, false);
            }
        }
    }
    if !same_sets(w.prover, &o.not, &n.not) {
        let text = |w: &Walk<'_, '_, '_>, v: &[NodeId]| -> Option<Value> {
            (!v.is_empty()).then(|| json!(v.iter().map(|x| w.schema_text(*x)).collect::<Vec<_>>()))
        };
        let (old, new) = (text(w, &o.not), text(w, &n.not));
        w.emit(
            Rule::NotChanged,
            Group::Not,
            "not",
            "the values refused by `not` changed".into(),
            old,
            new,
        );
    }
    let mut unmatched_new: Vec<Conditional> = n.conditionals.clone();
    for c in &o.conditionals {
        let partner = unmatched_new
            .iter()
            .position(|d| w.same(c.condition, d.condition));
        match partner {
            Some(j) => {
                let d = unmatched_new.remove(j);
                w.descend(c.then, d.then, Via::InPlace, None, None);
                w.descend(c.otherwise, d.otherwise, Via::InPlace, None, None);
            }
            None => emit_condition(w, c, false),
        }
    }
    for d in &unmatched_new {
        emit_condition(w, d, true);
    }
    let mut unmatched_new: Vec<NodeId> = n.all_of.clone();
    let mut unmatched_old = Vec::new();
    for c in &o.all_of {
        match unmatched_new.iter().position(|d| w.same(*c, *d)) {
            Some(j) => {
                unmatched_new.remove(j);
            }
            None => unmatched_old.push(*c),
        }
    }
    let pairs = unmatched_old.len().min(unmatched_new.len());
    for i in 0..pairs {
        w.descend(unmatched_old[i], unmatched_new[i], Via::InPlace, None, None);
    }
    for (extra, added) in [
        (&unmatched_new[pairs..], true),
        (&unmatched_old[pairs..], false),
    ] {
        for c in extra {
            let text = w.schema_text(*c);
            let (old, new) = if added { (None, text) } else { (text, None) };
            w.emit(
                Rule::AllOfChanged,
                Group::AllOf,
                "allOf",
                format!(
                    "a schema every value must also meet {}",
                    if added { "added" } else { "removed" }
                ),
                old,
                new,
            );
        }
    }
}

fn union_diff(w: &mut Walk<'_, '_, '_>, a: &[NodeId], b: &[NodeId], keyword: &str, group: &Group) {
    let mut old_left: Vec<NodeId> = a.to_vec();
    let mut new_left = Vec::new();
    for x in b {
        match old_left.iter().position(|y| w.same(*x, *y)) {
            Some(i) => {
                old_left.remove(i);
            }
            None => new_left.push(*x),
        }
    }
    // Branches of the same types are the same branch, changed.
    let mut i = 0;
    while i < new_left.len() {
        let types = w.prover.arena.record(new_left[i]).effective_types();
        let partner = old_left
            .iter()
            .position(|y| w.prover.arena.record(*y).effective_types() == types);
        match partner {
            Some(j) => {
                let (old, new) = (old_left.remove(j), new_left.remove(i));
                w.descend(old, new, Via::InPlace, None, None);
            }
            None => i += 1,
        }
    }
    for x in new_left {
        emit_branch(w, x, keyword, group, true);
    }
    for y in old_left {
        emit_branch(w, y, keyword, group, false);
    }
}

fn emit_branch(
    w: &mut Walk<'_, '_, '_>,
    branch: NodeId,
    keyword: &str,
    group: &Group,
    added: bool,
) {
    let null_only = {
        let r = w.prover.arena.record(branch);
        r.enumeration.is_none() && r.types == crate::normal::Types::NULL
    };
    let rule = match (null_only, added) {
        (true, true) => Rule::NullAllowed,
        (true, false) => Rule::NullDisallowed,
        (false, true) => Rule::UnionBranchAdded,
        (false, false) => Rule::UnionBranchRemoved,
    };
    let text = w.schema_text(branch);
    let (old, new) = if added { (None, text) } else { (text, None) };
    let detail = match rule {
        Rule::NullAllowed => "null is now allowed".to_owned(),
        Rule::NullDisallowed => "null is no longer allowed".to_owned(),
        _ => format!(
            "{keyword} branch {}",
            if added { "added" } else { "removed" }
        ),
    };
    w.emit(rule, group.clone(), keyword, detail, old, new);
}

fn emit_condition(w: &mut Walk<'_, '_, '_>, c: &Conditional, added: bool) {
    let text = w.schema_text(c.condition);
    let (old, new) = if added { (None, text) } else { (text, None) };
    w.emit(
        Rule::ConditionChanged,
        Group::Conditionals,
        "if",
        format!(
            "a condition (if/then/else) {}",
            if added { "added" } else { "removed" }
        ),
        old,
        new,
    );
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
