//! One place per keyword family: how a change is classified ([`super::walk`] calls `diff`),
//! how inclusion is proved ([`super::prove`] calls `includes`), how values are told apart
//! (`disjoint`), and the values aimed at a change that a witness is built from
//! ([`super::witness`] calls `aimed`), side by side in one file each.

pub(crate) mod arrays;
pub(crate) mod logic;
pub(crate) mod numbers;
pub(crate) mod objects;
pub(crate) mod other;
pub(crate) mod strings;
pub(crate) mod values;

pub(crate) use super::normal::Family;
use super::normal::{NodeId, Record, Types};
use super::prove::Prover;

impl Family {
    /// Whether every value `p` (record `rp`) accepts satisfies the keywords of this family of
    /// `r` (record `rr`). Only a proof answers true.
    pub(crate) fn holds(
        self,
        prover: &mut Prover<'_, '_>,
        p: NodeId,
        rp: &Record,
        r: NodeId,
        rr: &Record,
    ) -> bool {
        let types = rp.effective_types();
        match self {
            Family::Values => values::includes(rp, rr),
            Family::Numbers => !types.intersects(Types::NUMBER) || numbers::includes(rp, rr),
            Family::Strings => {
                !types.intersects(Types::STRING) || strings::includes(prover, rp, rr)
            }
            Family::Arrays => !types.intersects(Types::ARRAY) || arrays::includes(prover, rp, rr),
            Family::Objects => {
                !types.intersects(Types::OBJECT) || objects::includes(prover, p, rp, rr)
            }
            Family::Logic => logic::includes(prover, p, rp, r, rr),
            Family::Other => other::includes(rp, rr),
        }
    }
}

impl Family {
    /// Values of the producer `p` aimed at falling outside the reader `r` by this family's
    /// keywords: what a witness of a change of this family is built from.
    pub(crate) fn aimed(
        self,
        g: &mut super::generate::Generator<'_, '_, '_>,
        p: NodeId,
        r: NodeId,
    ) -> Vec<serde_json::Value> {
        let rp = g.prover.arena.record(p);
        let rr = g.prover.arena.record(r);
        match self {
            Family::Values => values::aimed(g, p, &rp, &rr),
            Family::Numbers => numbers::aimed(&rp, &rr),
            Family::Strings => strings::aimed(g.prover, &rp, &rr),
            Family::Arrays => arrays::aimed(g, &rp, &rr),
            Family::Objects => objects::aimed(g, p, &rp, &rr),
            Family::Logic => logic::aimed(g, p, &rr),
            Family::Other => other::aimed(g, p),
        }
    }
}

/// Whether two records are the same normal form, children compared by [`Prover::same`].
pub(crate) fn same_records(prover: &mut Prover<'_, '_>, a: &Record, b: &Record) -> bool {
    values::same(a, b)
        && numbers::same(a, b)
        && strings::same(a, b)
        && other::same(a, b)
        && arrays::same(prover, a, b)
        && objects::same(prover, a, b)
        && logic::same(prover, a, b)
        && same_optional(prover, a.unevaluated_properties, b.unevaluated_properties)
        && same_optional(prover, a.unevaluated_items, b.unevaluated_items)
}

fn same_optional(prover: &mut Prover<'_, '_>, a: Option<NodeId>, b: Option<NodeId>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => prover.same(x, y),
        _ => false,
    }
}

/// Whether no value of type `t` satisfies both records.
pub(crate) fn disjoint_on(prover: &mut Prover<'_, '_>, t: Types, a: &Record, b: &Record) -> bool {
    if t == Types::INTEGER || t == Types::FRACTION {
        numbers::disjoint(t, a, b)
    } else if t == Types::STRING {
        strings::disjoint(a, b)
    } else if t == Types::ARRAY {
        arrays::disjoint(prover, a, b)
    } else if t == Types::OBJECT {
        objects::disjoint(prover, a, b)
    } else {
        false
    }
}

/// Values of `p` aimed at falling outside `r`, from every family's generator (a value the
/// reader refuses for its type, its bounds, its strings, its arrays or its objects).
pub(crate) fn aimed_against(
    g: &mut super::generate::Generator<'_, '_, '_>,
    p: NodeId,
    r: NodeId,
) -> Vec<serde_json::Value> {
    if g.aiming >= 2 || g.made > g.budget {
        return g.instances(p, 0, 4);
    }
    g.aiming += 1;
    let out = aimed_against_inner(g, p, r);
    g.aiming -= 1;
    out
}

fn aimed_against_inner(
    g: &mut super::generate::Generator<'_, '_, '_>,
    p: NodeId,
    r: NodeId,
) -> Vec<serde_json::Value> {
    let rp = g.prover.arena.record(p);
    let rr = g.prover.arena.record(r);
    let mut out = values::aimed(g, p, &rp, &rr);
    let types = rp.effective_types();
    if types.intersects(Types::NUMBER) {
        out.extend(numbers::aimed(&rp, &rr));
    }
    if types.intersects(Types::STRING) {
        out.extend(strings::aimed(g.prover, &rp, &rr));
    }
    if types.intersects(Types::ARRAY) {
        out.extend(arrays::aimed(g, &rp, &rr));
    }
    if types.intersects(Types::OBJECT) {
        out.extend(objects::aimed(g, p, &rp, &rr));
    }
    out
}

/// Pairs the nodes of `a` with distinct nodes of `b` that are the same ([`Prover::same`]):
/// for each of `a`, the index of its partner in `b`. Candidates are looked up by their
/// fingerprint ([`crate::normal::Arena::fingerprint`], equal for equal normal forms), so the
/// work is linear in the lists, not their product.
pub(crate) fn pair_same(
    prover: &mut Prover<'_, '_>,
    a: &[NodeId],
    b: &[NodeId],
) -> Vec<Option<usize>> {
    let mut buckets: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    for (j, y) in b.iter().enumerate() {
        let fp = prover.arena.fingerprint(*y);
        buckets.entry(fp).or_default().push(j);
    }
    let mut used = vec![false; b.len()];
    a.iter()
        .map(|x| {
            let fp = prover.arena.fingerprint(*x);
            let candidates = buckets.get(&fp)?.clone();
            let j = candidates
                .into_iter()
                .find(|j| !used[*j] && prover.same(*x, b[*j]))?;
            used[j] = true;
            Some(j)
        })
        .collect()
}

/// Whether two lists of nodes are the same multiset under [`Prover::same`].
pub(crate) fn same_sets(prover: &mut Prover<'_, '_>, a: &[NodeId], b: &[NodeId]) -> bool {
    a.len() == b.len() && pair_same(prover, a, b).iter().all(Option::is_some)
}
