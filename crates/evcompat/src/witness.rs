//! The search for a witness: a whole value the producing side accepts and the reading side
//! refuses.
//!
//! Candidates are built where the change is: values aimed at the change by its keyword
//! family's rule, and values of the producer's schema there, each placed into a whole value of
//! the producer's schema along the path the walk took (or into an example the caller gave).
//! A candidate is a witness only when the validators of both whole documents say so; the
//! search stops at a budget of candidates and says how many it tried.

use serde_json::{Map, Value};

use crate::generate::{self, Generator};
use crate::kind::ChangeKind;
use crate::normal::{FALSE, NodeId, Side};
use crate::oracle::Refusal;
use crate::walk::{Found, Step, Token, Via};

/// Which documents play which part in one direction.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Direction {
    /// The side whose events are sent.
    pub producer: Side,
    /// The document producers are judged by, and the one readers read with.
    pub producer_doc: usize,
    pub reader_doc: usize,
    /// The producing side's document as readers read it (closed or not as readers are): the
    /// base a single change is applied to, to judge that change alone.
    pub producer_as_read_doc: usize,
}

impl Direction {
    /// The node of the producing side at a step of a walk.
    pub fn producer_node(&self, old: NodeId, new: NodeId) -> NodeId {
        match self.producer {
            Side::Old => old,
            Side::New => new,
        }
    }

    /// The node of the reading side at a step of a walk.
    pub fn reader_node(&self, old: NodeId, new: NodeId) -> NodeId {
        match self.producer {
            Side::Old => new,
            Side::New => old,
        }
    }
}

/// How many whole candidates a search may validate.
pub(crate) const CANDIDATES: usize = 600;

/// What a search found.
pub(crate) struct Outcome {
    /// A witness the reader refuses where the change is.
    pub witness: Option<Value>,
    /// A witness the reader refuses elsewhere only: it breaks the direction, but not because
    /// of this change.
    pub stray: Option<Value>,
    pub tried: usize,
}

/// Searches for a witness of `found` in `direction`, along `path` (from the roots to the pair
/// the change is at) to `place` (the change's place in a value); `examples` are whole values of
/// the producing side to place candidates into.
///
/// A witness shows this change: the reader refuses it at one of the change's places, and where
/// the change's kind can tell ([`ChangeKind::refuses`]), the reader's keywords of this change
/// refuse the value there. One refused there and nowhere else is taken first; one also refused
/// elsewhere only when no such one is found. A value the reader refuses only for another
/// reason is kept as a stray (it breaks the direction, but not because of this change).
pub(crate) fn search(
    g: &mut Generator<'_, '_, '_>,
    path: &[Step],
    places: &[Vec<Token>],
    found: &Found,
    direction: Direction,
    examples: &[Value],
) -> Outcome {
    let place = &places[0];
    let mut tried = 0;
    // The producer's and the reader's nodes along the path, in the documents of this direction.
    let mut producer = Vec::with_capacity(path.len());
    for step in path {
        let node = direction.producer_node(step.old, step.new);
        producer.push(g.prover.arena.moved(node, direction.producer_doc));
    }
    let mut reader = Vec::with_capacity(path.len());
    for step in path {
        let node = direction.reader_node(step.old, step.new);
        reader.push(g.prover.arena.moved(node, direction.reader_doc));
    }
    let reader_here = *reader.last().expect("a change has a place");
    if producer.contains(&FALSE) {
        return Outcome {
            witness: None,
            stray: None,
            tried,
        };
    }
    let about_keys = found.kind.about_keys();
    let mut stray = None;
    let mut shared = None;
    // The value at the change: the level the last key or item leads to, and the schemas
    // applied there with it (a case, a conjunct, `then`). A union branch on the way is aimed at
    // (`tight`), but the value need not meet it: the union does (`local`), and the reader
    // refuses it there (`reader_local`), not in the branch alone.
    let level = path
        .iter()
        .rposition(|s| s.via.token().is_some())
        .unwrap_or(0);
    let with = |nodes: &[NodeId]| -> Vec<NodeId> {
        (level..path.len())
            .filter(|&i| i == level || matches!(path[i].via, Via::InPlace { .. }))
            .map(|i| nodes[i])
            .collect()
    };
    let branched = path[level + 1..]
        .iter()
        .any(|s| matches!(s.via, Via::Branch { .. }));
    let tight = g.prover.arena.conj(&producer[level..]);
    let local = g.prover.arena.conj(&with(&producer));
    let reader_local = g.prover.arena.conj(&with(&reader));
    let mut candidates = aimed(g, &found.kind, tight, reader_here);
    if branched {
        candidates.extend(aimed(g, &found.kind, local, reader_local));
    }
    // An enum value's own change is shown by that value and no other.
    if !matches!(found.kind, ChangeKind::EnumValue { .. }) {
        candidates.extend(g.instances(tight, 0, 16));
    }
    let mut kept: Vec<Value> = Vec::new();
    for c in candidates {
        if kept.contains(&c) {
            continue;
        }
        if g.prover.member(local, &c) == Some(false)
            || g.prover.member(reader_local, &c) == Some(true)
        {
            continue;
        }
        kept.push(c);
        if kept.len() >= 48 {
            break;
        }
    }
    // Values refused only where they sit in a whole value are found by the whole-value
    // search: keep a few of the producer's own values too.
    if kept.is_empty() && !matches!(found.kind, ChangeKind::EnumValue { .. }) {
        kept = g.instances(local, 0, 4);
    }
    let oracle = g.prover.oracle;
    let reader_record = g.prover.arena.record(reader_here);
    // The value the change's kind judges: the one at the pair (for a change about a key, the
    // object holding it), where the place names it.
    let pair_place = &place[..place.len() - usize::from(found.key.is_some())];
    let skeletons = skeletons(g, path, &producer[..=level], level);
    for value in kept {
        for whole in place_value(g, path, &skeletons, level, &value, examples) {
            tried += 1;
            if oracle.spent() {
                break;
            }
            if oracle.root_accepts(direction.producer_doc, &whole)
                && !oracle.root_accepts(direction.reader_doc, &whole)
                && !disputed(g, direction, &whole)
            {
                // Under a union branch the reader refuses through the union, not the branch's
                // own keywords: the kind cannot tell there.
                let at_change = branched
                    || at(&whole, pair_place)
                        .is_none_or(|here| found.kind.refuses(&reader_record, here) != Some(false));
                let refusal = if at_change {
                    oracle.refusal(direction.reader_doc, &whole, places, about_keys)
                } else {
                    Refusal::Elsewhere
                };
                match refusal {
                    Refusal::OnlyHere => {
                        return Outcome {
                            witness: Some(whole),
                            stray,
                            tried,
                        };
                    }
                    Refusal::HereToo => {
                        shared.get_or_insert(whole);
                    }
                    Refusal::Elsewhere => {
                        stray.get_or_insert(whole);
                    }
                }
            }
            if tried >= CANDIDATES {
                break;
            }
        }
        if tried >= CANDIDATES {
            break;
        }
    }
    Outcome {
        witness: shared,
        stray,
        tried,
    }
}

/// The part of `whole` at `place`, where the place is concrete (no [`Token::AnyKey`]).
fn at<'v>(whole: &'v Value, place: &[Token]) -> Option<&'v Value> {
    let mut here = whole;
    for token in place {
        here = match token {
            Token::Key(k) => here.get(k)?,
            Token::Index(i) => here.get(i)?,
            Token::AnyKey => return None,
        };
    }
    Some(here)
}

/// Values aimed at a change, from the producer's node `p` against the reader's `r`: by the
/// change's keyword family, or every family's for a change of the node's whole shape.
fn aimed(g: &mut Generator<'_, '_, '_>, kind: &ChangeKind, p: NodeId, r: NodeId) -> Vec<Value> {
    match kind {
        ChangeKind::EnumValue { value, .. } => {
            let mut out = vec![value.clone()];
            if let Some(twins) = crate::dispute::twins(value) {
                out.extend(twins.into_iter().skip(1));
            }
            out
        }
        _ => match kind.family() {
            Some(family) => family.aimed(g, p, r),
            None => {
                use crate::normal::Family;
                let mut out = Family::Logic.aimed(g, p, r);
                out.extend(Family::Objects.aimed(g, p, r));
                out.extend(Family::Values.aimed(g, p, r));
                out
            }
        },
    }
}

/// For each level above the change that steps into a child (not in place): a few values of
/// that level's schema (every node applied in place there), and its record, to put the level
/// below into. Built once per search.
struct Skeleton {
    bases: Vec<Value>,
    record: std::rc::Rc<super::normal::Record>,
}

fn skeletons(
    g: &mut Generator<'_, '_, '_>,
    path: &[Step],
    producer: &[NodeId],
    level: usize,
) -> Vec<Option<Skeleton>> {
    let mut out = Vec::with_capacity(level + 1);
    for i in 0..=level {
        if i == 0 || path[i].via.token().is_none() {
            out.push(None);
            continue;
        }
        let top = path[..i]
            .iter()
            .rposition(|s| s.via.token().is_some())
            .unwrap_or(0);
        let parent = g.prover.arena.conj(&producer[top..i]);
        let record = g.prover.arena.record(parent);
        let bases = g.instances(parent, 0, 2);
        out.push(Some(Skeleton { bases, record }));
    }
    out
}

/// Whole values with `value` at the change: placed into the caller's examples at the
/// change's pointer, and into values built level by level along the path.
fn place_value(
    g: &mut Generator<'_, '_, '_>,
    path: &[Step],
    skeletons: &[Option<Skeleton>],
    level: usize,
    value: &Value,
    examples: &[Value],
) -> Vec<Value> {
    let mut out = Vec::new();
    // Into examples, where the pointer is concrete.
    let concrete = path[1..=level]
        .iter()
        .all(|s| !matches!(s.via, Via::AnyKey(_) | Via::Root));
    if concrete {
        let tokens: Vec<&Via> = path[1..=level].iter().map(|s| &s.via).collect();
        for example in examples.iter().take(8) {
            if let Some(whole) = set_at(example, &tokens, value) {
                out.push(whole);
            }
        }
    }
    // Built along the path: at each level above, a few values of that level's schema with
    // the level below put in.
    let mut current = vec![value.clone()];
    for i in (1..=level).rev() {
        let via = path[i].via.clone();
        let Some(skeleton) = &skeletons[i] else {
            continue;
        };
        let mut next = Vec::new();
        for base in &skeleton.bases {
            for child in &current {
                let mut whole = base.clone();
                let placed = match &via {
                    Via::Property(key) => insert(&mut whole, key, child),
                    Via::AnyKey(pattern) => {
                        let key = any_key(g, &skeleton.record, pattern.as_deref());
                        key.is_some_and(|k| insert(&mut whole, &k, child))
                    }
                    Via::Item(index) => {
                        if let Value::Array(items) = &mut whole {
                            while items.len() <= *index && items.len() < 256 {
                                let filler = g.one(skeleton.record.item(items.len()), 1);
                                items.push(filler);
                            }
                            if let Some(slot) = items.get_mut(*index) {
                                *slot = child.clone();
                                true
                            } else {
                                false
                            }
                        } else {
                            false
                        }
                    }
                    Via::Root | Via::InPlace { .. } | Via::Branch { .. } => false,
                };
                if placed {
                    next.push(whole);
                }
            }
        }
        next.truncate(4);
        current = next;
        if current.is_empty() {
            break;
        }
    }
    if level == 0 || !current.is_empty() {
        out.extend(current);
    }
    out
}

/// A key for a value that `additionalProperties` (no pattern) or a pattern governs in an
/// object of `record`: not listed, matched by the pattern or by none, and a name the record's
/// `propertyNames` allows.
fn any_key(
    g: &mut Generator<'_, '_, '_>,
    record: &super::normal::Record,
    pattern: Option<&str>,
) -> Option<String> {
    let mut names: Vec<String> = match pattern {
        Some(p) => generate::regex_samples(p),
        None => vec!["x".into(), "k".into(), generate::extra_key(0), "zz".into()],
    };
    names.retain(|k| !record.properties.contains_key(k));
    names.into_iter().find(|k| {
        let name = Value::String(k.clone());
        let matched = |p: &str| g.prover.oracle.matches(p, k) == Some(true);
        let pattern_ok = match pattern {
            Some(_) => true,
            None => !record.pattern_properties.iter().any(|(p, _)| matched(p)),
        };
        pattern_ok && g.prover.member(record.property_names, &name) != Some(false)
    })
}

fn insert(whole: &mut Value, key: &str, child: &Value) -> bool {
    match whole {
        Value::Object(map) => {
            map.insert(key.to_owned(), child.clone());
            true
        }
        _ => false,
    }
}

/// `example` with `value` at the path of `tokens` (creating objects on the way).
fn set_at(example: &Value, tokens: &[&Via], value: &Value) -> Option<Value> {
    let mut whole = example.clone();
    let mut here = &mut whole;
    for via in tokens {
        here = match via {
            Via::InPlace { .. } | Via::Branch { .. } | Via::Root => here,
            Via::Property(key) => {
                if !here.is_object() {
                    *here = Value::Object(Map::new());
                }
                here.as_object_mut()?
                    .entry(key.clone())
                    .or_insert(Value::Null)
            }
            Via::Item(index) => here.as_array_mut()?.get_mut(*index)?,
            Via::AnyKey(_) => return None,
        };
    }
    *here = value.clone();
    Some(whole)
}

/// Searches whole values of the producer's root (and the examples) for one the reader
/// refuses: for differences no single change explains.
pub(crate) fn search_whole(
    g: &mut Generator<'_, '_, '_>,
    producer_root: NodeId,
    direction: Direction,
    examples: &[Value],
) -> Outcome {
    let oracle = g.prover.oracle;
    let mut candidates: Vec<Value> = examples.to_vec();
    candidates.extend(g.instances(producer_root, 0, 48));
    let mut tried = 0;
    for c in candidates {
        tried += 1;
        if oracle.root_accepts(direction.producer_doc, &c)
            && !oracle.root_accepts(direction.reader_doc, &c)
            && !disputed(g, direction, &c)
        {
            return Outcome {
                witness: Some(c),
                stray: None,
                tried,
            };
        }
    }
    Outcome {
        witness: None,
        stray: None,
        tried,
    }
}

/// Whether a keyword validators disagree on applies to `whole` in either document of
/// `direction`: the validator here confirms the witness, another might not, so it is not shown.
fn disputed(g: &mut Generator<'_, '_, '_>, direction: Direction, whole: &Value) -> bool {
    [
        (direction.producer_doc, true),
        (direction.reader_doc, false),
    ]
    .into_iter()
    .any(|(doc, producer)| match g.prover.arena.root(doc) {
        Ok(root) => g.prover.kept_keywords_apply(root, whole, producer),
        Err(_) => true,
    })
}
