//! The walk over two normal forms side by side, listing every difference as a change.
//!
//! A short dispatcher: at each pair of nodes it asks each keyword family's `diff` (in
//! [`crate::rules`]) for its changes, and descends into properties, items and union branches
//! through [`Walk::descend`]. A pair whose normal forms differ but where no rule names a
//! difference still gets a change, `UNCLASSIFIED`: nothing is dropped.
//!
//! Each pair of nodes is compared once, however many places reach it: a definition used at
//! 4,000 places is compared once and its changes are listed once, with the number of places and
//! a few of them ([`Walked::places`]). The pairs and the ways they are reached form a graph
//! whose size is that of the documents (nesting through shared `$defs` never makes it
//! exponential); past [`MAX_PAIRS`] pairs the rest is not compared and says so.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value;

use crate::kind::{ChangeKind, Union};
pub(crate) use crate::kind::{Place, Token, pointer};
use crate::normal::{NodeId, Record, TRUE};
use crate::prove::{Prover, discriminator};
use crate::rules;

/// How many pairs of nodes a walk compares; past it, the pairs left are listed as not compared.
pub(crate) const MAX_PAIRS: usize = 100_000;

/// How deep in a value the walk goes (values nest at most 128 levels deep in an event).
const MAX_DEPTH: usize = 512;

/// A pair of nodes the walk compared.
pub(crate) type PairId = usize;

/// How a level of the walk is reached from the one above.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Via {
    /// The root.
    Root,
    /// The value of a listed key.
    Property(String),
    /// An array item.
    Item(usize),
    /// The value of a key no schema lists (`additionalProperties`), or of a key matching a
    /// pattern (`patternProperties`).
    AnyKey(Option<String>),
    /// The same value, under a schema that applies with the one above (a case of a
    /// discriminated union, a conditional's branch, a conjunct). `monotone` when the schema
    /// above accepts more whenever this one does; not for the cases of a `oneOf`.
    InPlace { monotone: bool },
    /// The same value, under one branch of a union: the value need not meet the branch, the
    /// union does. Monotone for `anyOf`; not for `oneOf`, where accepting more can refuse a
    /// value that now meets two branches.
    Branch { union: Union },
}

impl Via {
    /// The token this step adds to a JSON Pointer into the value.
    pub fn token(&self) -> Option<Token> {
        match self {
            Via::Property(key) => Some(Token::Key(key.clone())),
            Via::Item(i) => Some(Token::Index(*i)),
            Via::AnyKey(_) => Some(Token::AnyKey),
            Via::Root | Via::InPlace { .. } | Via::Branch { .. } => None,
        }
    }

    fn monotone(&self) -> bool {
        !matches!(
            self,
            Via::InPlace { monotone: false }
                | Via::Branch {
                    union: Union::OneOf
                }
        )
    }
}

/// One level of a path: the two nodes and how they were reached.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub old: NodeId,
    pub new: NodeId,
    pub via: Via,
}

/// A change found by the walk, before its effects are decided.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub kind: ChangeKind,
    /// The pair of nodes it is at.
    pub pair: PairId,
    /// For a change about one key: the key (its place is the key's).
    pub key: Option<String>,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
    pub rust_field: Option<String>,
}

/// What the walk knows of the place a pair is at: the Rust names, for `Type.key`, and the
/// event type.
#[derive(Clone, Debug, Default)]
pub(crate) struct Context {
    /// The Rust type of the object this level is a value in, and the key.
    parent_type: Option<String>,
    key: Option<String>,
    /// The Rust type of this level's own value (the new side's, or the old side's when only it
    /// has one), and the old side's.
    own_type: Option<String>,
    old_type: Option<String>,
    pub event_type: Option<String>,
}

/// A way a pair is reached: from `parent`, by `via`; `back` when the parent lies below the pair
/// (a recursive schema).
#[derive(Clone, Debug)]
struct Edge {
    parent: PairId,
    via: Via,
    back: bool,
}

/// A pair of nodes and how the walk came to it.
struct PairNode {
    old: NodeId,
    new: NodeId,
    /// Every way it is reached; the first is the one its changes are shown along.
    incoming: Vec<Edge>,
    context: Context,
}

/// Where a pair is: how many places reach it (saturating; `recursive` when a recursive schema
/// reaches it at every depth), a few of them, and whether every place keeps the meaning
/// monotone above it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Places {
    pub count: u64,
    pub recursive: bool,
    pub monotone: bool,
}

/// How many places of a change are listed (the report counts them all).
pub(crate) const LISTED_PLACES: usize = 1_000;

/// The walk over one pair of schemas.
pub(crate) struct Walk<'p, 'a, 'r> {
    pub prover: &'p mut Prover<'a, 'r>,
    pub found: Vec<Found>,
    pairs: Vec<PairNode>,
    index: HashMap<(NodeId, NodeId), PairId>,
    /// The pairs on the way down to the current one.
    stack: Vec<PairId>,
    on_stack: HashSet<PairId>,
    /// Whether the current pair has a change of its own or a child pair that differs.
    explained: bool,
    /// Pairs not compared for the budget, and the first of them.
    skipped: usize,
    first_skipped: Option<PairId>,
}

/// What a walk found: the changes and the graph of pairs they are at.
pub(crate) struct Walked {
    pub found: Vec<Found>,
    pairs: Vec<PairNode>,
    places: Vec<Places>,
    /// The places of pairs listed so far (up to [`LISTED_PLACES`] each).
    listed: std::cell::RefCell<HashMap<PairId, Vec<Place>>>,
}

impl<'p, 'a, 'r> Walk<'p, 'a, 'r> {
    /// A walk over `prover`'s arena.
    pub fn new(prover: &'p mut Prover<'a, 'r>) -> Self {
        Walk {
            prover,
            found: Vec::new(),
            pairs: Vec::new(),
            index: HashMap::new(),
            stack: Vec::new(),
            on_stack: HashSet::new(),
            explained: false,
            skipped: 0,
            first_skipped: None,
        }
    }

    /// Walks from the roots `old` and `new`; `root_types` are the Rust types of the roots
    /// (old, new), where known, and `event_type` the event type being compared.
    pub fn run(
        mut self,
        old: NodeId,
        new: NodeId,
        root_types: (Option<String>, Option<String>),
        event_type: Option<String>,
    ) -> Walked {
        let context = Context {
            own_type: root_types.1.or(root_types.0.clone()),
            old_type: root_types.0,
            event_type,
            ..Context::default()
        };
        self.visit(None, Via::Root, old, new, context);
        if let Some(at) = self.first_skipped {
            self.stack.push(at);
            self.emit(
                ChangeKind::NotWalked {
                    budget: MAX_PAIRS,
                    skipped: self.skipped,
                },
                None,
                None,
            );
            self.stack.pop();
        }
        let places = places(&self.pairs);
        Walked {
            found: self.found,
            pairs: self.pairs,
            places,
            listed: std::cell::RefCell::new(HashMap::new()),
        }
    }

    /// The pair being compared.
    fn current(&self) -> PairId {
        *self.stack.last().expect("a pair is being compared")
    }

    fn visit(
        &mut self,
        parent: Option<PairId>,
        via: Via,
        old: NodeId,
        new: NodeId,
        context: Context,
    ) {
        if self.prover.same(old, new) {
            return;
        }
        self.explained = true;
        if let Some(&id) = self.index.get(&(old, new)) {
            // Met again: its changes are listed once, with this place among theirs.
            if let Some(parent) = parent {
                let back = self.on_stack.contains(&id);
                self.pairs[id].incoming.push(Edge { parent, via, back });
            }
            return;
        }
        let id = self.pairs.len();
        self.pairs.push(PairNode {
            old,
            new,
            incoming: parent
                .map(|parent| Edge {
                    parent,
                    via,
                    back: false,
                })
                .into_iter()
                .collect(),
            context,
        });
        self.index.insert((old, new), id);
        if self.pairs.len() > MAX_PAIRS || self.stack.len() > MAX_DEPTH {
            self.skipped += 1;
            self.first_skipped.get_or_insert(id);
            return;
        }
        self.stack.push(id);
        self.on_stack.insert(id);
        let outer = std::mem::replace(&mut self.explained, false);
        self.compare(old, new);
        if !self.explained {
            self.emit(ChangeKind::Unclassified, None, None);
        }
        self.explained = outer;
        self.on_stack.remove(&id);
        self.stack.pop();
    }

    fn compare(&mut self, old: NodeId, new: NodeId) {
        let o = self.prover.arena.record(old);
        let n = self.prover.arena.record(new);
        if o.is_none() != n.is_none() {
            // One side allows no value at all here: one change, not one per keyword.
            let (old_types, new_types) = (o.effective_types(), n.effective_types());
            self.emit(
                ChangeKind::Nothing {
                    now_nothing: n.is_none(),
                    old: old_types,
                    new: new_types,
                },
                Some(serde_json::json!(old_types.names())),
                Some(serde_json::json!(new_types.names())),
            );
        } else if !self.cases(old, &o, new, &n) && !self.union_wrapping(old, &o, new, &n) {
            rules::values::diff(self, &o, &n);
            rules::numbers::diff(self, &o, &n);
            rules::strings::diff(self, &o, &n);
            rules::arrays::diff(self, &o, &n);
            rules::objects::diff(self, &o, &n);
            rules::logic::diff(self, &o, &n);
            rules::other::diff(self, &o, &n);
        }
    }

    /// Splits both sides on a discriminating key they share (an event type, a `oneOf` tagged
    /// by a `const`), and compares value by value. Whether it did.
    fn cases(&mut self, old: NodeId, o: &Record, new: NodeId, n: &Record) -> bool {
        let (Some((ko, vo)), Some((kn, vn))) = (
            discriminator(o, self.prover.arena),
            discriminator(n, self.prover.arena),
        ) else {
            return false;
        };
        if ko != kn {
            return false;
        }
        let root = self.stack.len() == 1 && ko == "type";
        // Splitting a `oneOf` into cases keeps its exclusiveness out of sight.
        let monotone = o.one_of.is_empty() && n.one_of.is_empty();
        let mut values: Vec<Value> = vo.clone();
        for v in &vn {
            if !values.contains(v) {
                values.push(v.clone());
            }
        }
        for value in values {
            let name = value.as_str().map(str::to_owned);
            match (vo.contains(&value), vn.contains(&value)) {
                (true, true) => {
                    let tag = self.prover.arena.tagged(&ko, &value);
                    let co = self.resolved(old, tag);
                    let cn = self.resolved(new, tag);
                    let mut context = self.child_context(co, cn, &Via::InPlace { monotone });
                    if root {
                        context.event_type = name;
                    }
                    let parent = self.current();
                    self.visit(Some(parent), Via::InPlace { monotone }, co, cn, context);
                }
                (present_old, _) => {
                    let (old_value, new_value) = if present_old {
                        (Some(value.clone()), None)
                    } else {
                        (None, Some(value.clone()))
                    };
                    let kind = ChangeKind::Case {
                        key: ko.clone(),
                        value,
                        added: !present_old,
                        event_type: root,
                    };
                    if root {
                        // Listed under the event type it adds or removes.
                        let saved = self.pairs[self.current()].context.event_type.clone();
                        let here = self.current();
                        self.pairs[here].context.event_type = name;
                        self.emit(kind, old_value, new_value);
                        self.pairs[here].context.event_type = saved;
                    } else {
                        // A value of the key the cases are told apart by.
                        self.emit_key(kind, &ko, old_value, new_value);
                    }
                }
            }
        }
        true
    }

    /// `node` with `tag` added, its unions and conditions decided where the tag decides them.
    fn resolved(&mut self, node: NodeId, tag: NodeId) -> NodeId {
        let case = self.prover.arena.conj(&[node, tag]);
        match self.prover.cases(case) {
            Some(cases) if cases.len() == 1 => cases[0],
            _ => case,
        }
    }

    /// One side is the other wrapped in a union (`X` and `anyOf: [X, {"type": "null"}]`):
    /// the branches added or removed are the changes, and the matching branch is compared
    /// with the plain side. Whether it applied.
    fn union_wrapping(&mut self, old: NodeId, o: &Record, new: NodeId, n: &Record) -> bool {
        use crate::normal::List;
        let wraps = |r: &Record| r.any_of.len() + r.one_of.len() == 1 && r.conditionals.is_empty();
        let plain = |r: &Record| r.any_of.is_empty() && r.one_of.is_empty();
        let (wrapped_is_new, plain_node, wrapped_node, wrapped) = if plain(o) && wraps(n) {
            (true, old, new, n)
        } else if plain(n) && wraps(o) {
            (false, new, old, o)
        } else {
            return false;
        };
        let (union, list, branches) = match wrapped.any_of.first() {
            Some(b) => (Union::AnyOf, List::AnyOf, b.clone()),
            None => (Union::OneOf, List::OneOf, wrapped.one_of[0].clone()),
        };
        let rest = self.prover.arena.dropped(wrapped_node, list, 0);
        let mut matched = None;
        for (i, b) in branches.iter().enumerate() {
            let case = self.prover.arena.conj(&[rest, *b]);
            if self.prover.same(plain_node, case) || self.prover.same(plain_node, *b) {
                matched = Some((i, case));
                break;
            }
        }
        if matched.is_none() {
            let types = self.prover.arena.record(plain_node).effective_types();
            for (i, b) in branches.iter().enumerate() {
                let case = self.prover.arena.conj(&[rest, *b]);
                if self.prover.arena.record(case).effective_types() == types {
                    matched = Some((i, case));
                    break;
                }
            }
        }
        let Some((index, case)) = matched else {
            return false;
        };
        let (co, cn) = if wrapped_is_new {
            (plain_node, case)
        } else {
            (case, plain_node)
        };
        self.descend(co, cn, Via::Branch { union });
        for (i, b) in branches.into_iter().enumerate() {
            if i == index {
                continue;
            }
            let null_only = {
                let r = self.prover.arena.record(b);
                r.enumeration.is_none() && r.types == crate::normal::Types::NULL
            };
            let value = if null_only {
                Some(Value::Null)
            } else {
                self.schema_text(b)
            };
            let (old_value, new_value) = if wrapped_is_new {
                (None, value)
            } else {
                (value, None)
            };
            // The change is the node's whole shape: judged alone, the reader's node replaces
            // the producer's.
            self.emit(
                ChangeKind::Branch {
                    union,
                    added: wrapped_is_new,
                    null_only,
                    wrapping: true,
                    index: i,
                },
                old_value,
                new_value,
            );
        }
        true
    }

    /// The context of a child pair reached by `via` from the current one.
    fn child_context(&self, old: NodeId, new: NodeId, via: &Via) -> Context {
        let mut context = self.pairs[self.current()].context.clone();
        let arena = &self.prover.arena;
        let name = arena
            .def_name(new)
            .or_else(|| arena.def_name(old))
            .map(str::to_owned);
        let old_name = arena.def_name(old).map(str::to_owned);
        match via {
            Via::InPlace { .. } | Via::Branch { .. } | Via::Root => {
                if name.is_some() {
                    context.own_type = name;
                }
                if old_name.is_some() {
                    context.old_type = old_name;
                }
            }
            _ => {
                context.parent_type = context.own_type.clone();
                context.key = match via {
                    Via::Property(key) => Some(key.clone()),
                    _ => None,
                };
                context.own_type = name;
                context.old_type = old_name;
            }
        }
        context
    }

    /// Descends into a child pair: a property, an item, a key no one lists, or the same value.
    pub fn descend(&mut self, old: NodeId, new: NodeId, via: Via) {
        let context = self.child_context(old, new, &via);
        let parent = self.current();
        self.visit(Some(parent), via, old, new, context);
    }

    /// Records a change at the current pair of nodes.
    pub fn emit(&mut self, kind: ChangeKind, old_value: Option<Value>, new_value: Option<Value>) {
        let context = &self.pairs[self.current()].context;
        let rust_field = match (&context.parent_type, &context.key) {
            (Some(t), Some(k)) => Some(format!("{t}.{k}")),
            _ => None,
        };
        self.push(kind, None, old_value, new_value, rust_field);
    }

    /// Records a change about key `key` of the current object (a key added, removed,
    /// required): its place names the key.
    pub fn emit_key(
        &mut self,
        kind: ChangeKind,
        key: &str,
        old_value: Option<Value>,
        new_value: Option<Value>,
    ) {
        let context = &self.pairs[self.current()].context;
        // A key only the old side has belongs to the old side's type.
        let owner = if matches!(kind, ChangeKind::Property { added: false, .. }) {
            context.old_type.as_ref().or(context.own_type.as_ref())
        } else {
            context.own_type.as_ref()
        };
        let rust_field = owner.map(|t| format!("{t}.{key}"));
        self.push(kind, Some(key.to_owned()), old_value, new_value, rust_field);
    }

    fn push(
        &mut self,
        kind: ChangeKind,
        key: Option<String>,
        old_value: Option<Value>,
        new_value: Option<Value>,
        rust_field: Option<String>,
    ) {
        self.explained = true;
        self.found.push(Found {
            kind,
            pair: self.current(),
            key,
            old_value,
            new_value,
            rust_field,
        });
    }

    /// Whether two nodes are the same.
    pub fn same(&mut self, a: NodeId, b: NodeId) -> bool {
        self.prover.same(a, b)
    }

    /// The JSON text of a node's schema, where it is one location (for reports).
    pub fn schema_text(&self, node: NodeId) -> Option<Value> {
        if node == TRUE {
            return Some(Value::Bool(true));
        }
        let (doc, pointer) = self.prover.arena.location(node)?;
        self.prover.arena.docs[doc].value.pointer(pointer).cloned()
    }
}

impl Walked {
    /// The pair's nodes (old, new).
    pub fn nodes(&self, pair: PairId) -> (NodeId, NodeId) {
        (self.pairs[pair].old, self.pairs[pair].new)
    }

    /// The event type a pair belongs to, for catalogs.
    pub fn event_type(&self, pair: PairId) -> Option<&str> {
        self.pairs[pair].context.event_type.as_deref()
    }

    /// Where a pair is.
    pub fn places(&self, pair: PairId) -> &Places {
        &self.places[pair]
    }

    /// The first path from the roots to the pair (inclusive), the one witnesses are built
    /// along and the first place shown.
    pub fn path(&self, pair: PairId) -> Vec<Step> {
        let mut out = Vec::new();
        let mut at = pair;
        loop {
            let node = &self.pairs[at];
            // A pair's first way in (not up from below) comes from a pair met before it, so
            // this ends.
            match node.incoming.iter().find(|e| !e.back) {
                Some(edge) => {
                    out.push(Step {
                        old: node.old,
                        new: node.new,
                        via: edge.via.clone(),
                    });
                    at = edge.parent;
                }
                None => {
                    out.push(Step {
                        old: node.old,
                        new: node.new,
                        via: Via::Root,
                    });
                    break;
                }
            }
        }
        out.reverse();
        out
    }

    /// The place of a path, as tokens.
    pub fn place_of(path: &[Step]) -> Place {
        path.iter().filter_map(|s| s.via.token()).collect()
    }

    /// The places of a pair, up to [`LISTED_PLACES`]: its first place (along [`Self::path`])
    /// first. Each place is listed once, however many ways (the cases of a union) lead to it.
    pub fn listed_places(&self, pair: PairId) -> Vec<Place> {
        let first = Self::place_of(&self.path(pair));
        let mut out = vec![first.clone()];
        for place in self.enumerate(pair) {
            if out.len() >= LISTED_PLACES {
                break;
            }
            if place != first {
                out.push(place);
            }
        }
        out
    }

    fn enumerate(&self, pair: PairId) -> Vec<Place> {
        if let Some(places) = self.listed.borrow().get(&pair) {
            return places.clone();
        }
        // A recursive schema comes back here: its places above the recursion are enough.
        self.listed.borrow_mut().insert(pair, Vec::new());
        let node = &self.pairs[pair];
        let mut out: Vec<Place> = Vec::new();
        if node.incoming.is_empty() {
            out.push(Vec::new());
        }
        let mut seen: HashSet<Place> = HashSet::new();
        'ways: for edge in node.incoming.iter().filter(|e| !e.back) {
            for mut place in self.enumerate(edge.parent) {
                place.extend(edge.via.token());
                if seen.insert(place.clone()) {
                    out.push(place);
                    if out.len() >= LISTED_PLACES {
                        break 'ways;
                    }
                }
            }
        }
        self.listed.borrow_mut().insert(pair, out.clone());
        out
    }
}

/// The places of every pair: counted along the ways in, in an order where every pair comes
/// after the pairs it is reached from (ways back up a recursive schema aside), then the
/// recursive and non-monotone marks carried down every way until nothing changes. O(pairs +
/// ways) each, with at most [`SAMPLES`] places kept per pair.
fn places(pairs: &[PairNode]) -> Vec<Places> {
    let n = pairs.len();
    let mut out = vec![Places::default(); n];
    let mut children: Vec<Vec<(PairId, usize)>> = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (id, pair) in pairs.iter().enumerate() {
        for (e, edge) in pair.incoming.iter().enumerate() {
            children[edge.parent].push((id, e));
            if !edge.back {
                waiting[id] += 1;
            }
        }
    }
    // A pair reached only in place from pairs of one class is at their places: it is in their
    // class. Places are counted once per (class of the parent, token) way in, so the cases a
    // union is split into (each in place) do not multiply the places below them.
    let mut class: Vec<PairId> = (0..n).collect();
    let mut queue: VecDeque<PairId> = (0..n).filter(|id| waiting[*id] == 0).collect();
    for &root in &queue {
        out[root].count = 1;
    }
    while let Some(id) = queue.pop_front() {
        for &(child, e) in &children[id] {
            if pairs[child].incoming[e].back {
                continue;
            }
            waiting[child] -= 1;
            if waiting[child] > 0 {
                continue;
            }
            // Every way in is known: the child's class, count and samples.
            let ways: Vec<(usize, &Edge)> = pairs[child]
                .incoming
                .iter()
                .enumerate()
                .filter(|(_, edge)| !edge.back)
                .collect();
            let first_class = class[ways[0].1.parent];
            if ways
                .iter()
                .all(|(_, edge)| edge.via.token().is_none() && class[edge.parent] == first_class)
            {
                class[child] = first_class;
            }
            let mut distinct: HashSet<(PairId, Option<Token>)> = HashSet::new();
            let mut count = 0u64;
            for (_, edge) in ways {
                if distinct.insert((class[edge.parent], edge.via.token())) {
                    count = count.saturating_add(out[edge.parent].count);
                }
            }
            out[child].count = count;
            queue.push_back(child);
        }
    }
    // Marks carried down every way, back ways included.
    let mut nonmono = vec![false; n];
    let mut recursive = vec![false; n];
    let mut work: VecDeque<PairId> = VecDeque::new();
    for (id, pair) in pairs.iter().enumerate() {
        for edge in &pair.incoming {
            let mut changed = false;
            if !edge.via.monotone() && !nonmono[id] {
                nonmono[id] = true;
                changed = true;
            }
            if edge.back && !recursive[id] {
                recursive[id] = true;
                changed = true;
            }
            if changed {
                work.push_back(id);
            }
        }
    }
    while let Some(id) = work.pop_front() {
        for &(child, _) in &children[id] {
            let mut changed = false;
            if nonmono[id] && !nonmono[child] {
                nonmono[child] = true;
                changed = true;
            }
            if recursive[id] && !recursive[child] {
                recursive[child] = true;
                changed = true;
            }
            if changed {
                work.push_back(child);
            }
        }
    }
    for id in 0..n {
        out[id].monotone = !nonmono[id];
        out[id].recursive = recursive[id];
    }
    out
}
