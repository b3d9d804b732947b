//! The walk over two normal forms side by side, listing every difference as a change.
//!
//! A short dispatcher: at each pair of nodes it asks each keyword family's `diff` (in
//! [`super::rules`]) for its changes, and descends into properties, items and union branches
//! through [`Walk::child`]. A pair whose normal forms differ but where no rule names a
//! difference still gets a change, `UNCLASSIFIED`: nothing is dropped.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::Rule;
use super::normal::{Group, NodeId, Record, TRUE};
use super::prove::{Prover, discriminator};
use super::rules;

/// How many pairs of nodes a walk compares before a pair met again is no longer walked again.
const WALK_BUDGET: usize = 20_000;

/// How a level of the walk is reached from the one above.
#[derive(Clone, Debug, PartialEq)]
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
    /// The same value (a union branch, a case, a conditional's branch).
    InPlace,
}

/// One level of the walk: the two nodes and how they were reached.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub old: NodeId,
    pub new: NodeId,
    pub via: Via,
}

/// A change found by the walk, before its effects are decided.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub rule: Rule,
    pub group: Group,
    pub keyword: String,
    pub pointer: String,
    /// From the root to the pair of nodes the change is at (inclusive).
    pub path: Vec<Step>,
    pub detail: String,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
    pub event_type: Option<String>,
    pub rust_field: Option<String>,
}

/// Where the walk is.
#[derive(Clone)]
struct Here {
    pointer: String,
    path: Vec<Step>,
    /// The Rust type of the object this level is a value in, and the key (for `Type.key`).
    parent_type: Option<String>,
    key: Option<String>,
    /// The Rust type of this level's own value (the new side's, or the old side's when only it
    /// has one).
    own_type: Option<String>,
    /// The old side's Rust type of this level's value, for keys only the old side has.
    old_type: Option<String>,
    event_type: Option<String>,
}

/// The walk over one pair of schemas.
pub(crate) struct Walk<'p, 'a, 'r> {
    pub prover: &'p mut Prover<'a, 'r>,
    pub found: Vec<Found>,
    visited: HashSet<(NodeId, NodeId)>,
    /// Pairs met again (their changes are listed where they were first met); counted so that
    /// a pair whose only differences lie in such a pair is not called unclassified.
    met_again: usize,
    /// Pairs walked so far.
    walked: usize,
    here: Here,
}

impl<'p, 'a, 'r> Walk<'p, 'a, 'r> {
    /// A walk from the roots `old` and `new`; `root_types` are the Rust types of the roots
    /// (old, new), where known, and `event_type` the event type being compared.
    pub fn new(
        prover: &'p mut Prover<'a, 'r>,
        old: NodeId,
        new: NodeId,
        root_types: (Option<String>, Option<String>),
        event_type: Option<String>,
    ) -> Self {
        Walk {
            prover,
            found: Vec::new(),
            visited: HashSet::new(),
            met_again: 0,
            walked: 0,
            here: Here {
                pointer: String::new(),
                path: vec![Step {
                    old,
                    new,
                    via: Via::Root,
                }],
                parent_type: None,
                key: None,
                own_type: root_types.1.or(root_types.0.clone()),
                old_type: root_types.0,
                event_type,
            },
        }
    }

    /// Walks from the roots.
    pub fn run(&mut self) {
        let Step { old, new, .. } = self.here.path[0].clone();
        self.compare(old, new);
    }

    fn compare(&mut self, old: NodeId, new: NodeId) {
        if self.prover.same(old, new) {
            return;
        }
        // A pair met again on its own path is a cycle (a recursive schema): its changes are
        // listed where it was first met. A pair met again elsewhere (a definition used at two
        // places) is walked again, so that each place lists its changes, until the walk's
        // budget is spent.
        let path = &self.here.path[..self.here.path.len().saturating_sub(1)];
        let cycle = path.iter().any(|s| (s.old, s.new) == (old, new));
        let first = self.visited.insert((old, new));
        self.walked += 1;
        if cycle || (!first && self.walked > WALK_BUDGET) || self.here.path.len() > 512 {
            self.met_again += 1;
            return;
        }
        let before = (self.found.len(), self.met_again);
        let o = self.prover.arena.record(old);
        let n = self.prover.arena.record(new);
        if o.is_none() != n.is_none() {
            // One side allows no value at all here: one change, not one per keyword.
            let (rule, detail) = if o.is_none() {
                (
                    Rule::TypeWidened,
                    format!(
                        "no value was allowed here; now {} are",
                        json!(n.effective_types().names())
                    ),
                )
            } else {
                (
                    Rule::TypeNarrowed,
                    "no value is allowed here any more".to_owned(),
                )
            };
            self.emit(
                rule,
                Group::Types,
                "type",
                detail,
                Some(json!(o.effective_types().names())),
                Some(json!(n.effective_types().names())),
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
        if (self.found.len(), self.met_again) == before {
            self.emit(
                Rule::Unclassified,
                Group::AllOf,
                "",
                "the schemas differ here in a way no rule names".into(),
                None,
                None,
            );
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
        let root = self.here.pointer.is_empty() && ko == "type";
        let mut values: Vec<Value> = vo.clone();
        for v in &vn {
            if !values.contains(v) {
                values.push(v.clone());
            }
        }
        for value in values {
            let name = value.as_str().map(str::to_owned);
            let label = name.clone().unwrap_or_else(|| value.to_string());
            match (vo.contains(&value), vn.contains(&value)) {
                (true, true) => {
                    let (tag_o, tag_n) = (
                        self.prover.arena.tagged(&ko, &value),
                        self.prover.arena.tagged(&ko, &value),
                    );
                    let co = self.resolved(old, tag_o);
                    let cn = self.resolved(new, tag_n);
                    let saved = self.here.clone();
                    if root {
                        self.here.event_type = name.clone();
                    }
                    self.descend(co, cn, Via::InPlace, None, None);
                    self.here = saved;
                }
                (present_old, _) => {
                    let (rule, detail) = match (root, present_old) {
                        (true, true) => (
                            Rule::EventTypeRemoved,
                            format!("event type `{label}` removed"),
                        ),
                        (true, false) => {
                            (Rule::EventTypeAdded, format!("event type `{label}` added"))
                        }
                        (false, true) => (Rule::EnumValueRemoved, format!("value {value} removed")),
                        (false, false) => (Rule::EnumValueAdded, format!("value {value} added")),
                    };
                    let saved = self.here.clone();
                    if root {
                        self.here.event_type = name.clone();
                    }
                    let (old_value, new_value) = if present_old {
                        (Some(value.clone()), None)
                    } else {
                        (None, Some(value.clone()))
                    };
                    if root {
                        self.emit(rule, Group::Whole, "type", detail, old_value, new_value);
                    } else {
                        // A value of the key the cases are told apart by.
                        self.emit_at(
                            rule,
                            Group::Whole,
                            "enum",
                            detail,
                            old_value,
                            new_value,
                            Some(&ko),
                        );
                    }
                    self.here = saved;
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
        let wraps = |r: &Record| r.any_of.len() + r.one_of.len() == 1 && r.conditionals.is_empty();
        let plain = |r: &Record| r.any_of.is_empty() && r.one_of.is_empty();
        let (wrapped_is_new, plain_node, wrapped_node, wrapped) = if plain(o) && wraps(n) {
            (true, old, new, n)
        } else if plain(n) && wraps(o) {
            (false, new, old, o)
        } else {
            return false;
        };
        let (group, branches) = match wrapped.any_of.first() {
            Some(b) => (Group::AnyOf, b.clone()),
            None => (Group::OneOf, wrapped.one_of[0].clone()),
        };
        let rest = self.prover.arena.dropped(wrapped_node, group.clone(), 0);
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
        self.descend(co, cn, Via::InPlace, None, None);
        let keyword = if group == Group::AnyOf {
            "anyOf"
        } else {
            "oneOf"
        };
        for (i, b) in branches.into_iter().enumerate() {
            if i == index {
                continue;
            }
            let null_only = {
                let r = self.prover.arena.record(b);
                r.enumeration.is_none() && r.types == super::normal::Types::NULL
            };
            let rule = match (null_only, wrapped_is_new) {
                (true, true) => Rule::NullAllowed,
                (true, false) => Rule::NullDisallowed,
                (false, true) => Rule::UnionBranchAdded,
                (false, false) => Rule::UnionBranchRemoved,
            };
            let detail = match rule {
                Rule::NullAllowed => "null is now allowed".to_owned(),
                Rule::NullDisallowed => "null is no longer allowed".to_owned(),
                Rule::UnionBranchAdded => format!("{keyword} branch {i} added"),
                _ => format!("{keyword} branch {i} removed"),
            };
            let value = if null_only {
                Some(Value::Null)
            } else {
                self.prover
                    .arena
                    .location(b)
                    .and_then(|(doc, ptr)| self.prover.arena.docs[doc].value.pointer(ptr).cloned())
            };
            let (old_value, new_value) = if wrapped_is_new {
                (None, value)
            } else {
                (value, None)
            };
            // The change is the node's whole shape: judged alone, the reader's node replaces
            // the producer's.
            self.emit(rule, Group::Whole, keyword, detail, old_value, new_value);
        }
        true
    }

    /// Descends into a child pair: a property, an item, a key no one lists, or the same
    /// value. `key` is the property's name (for `Type.key`).
    pub fn descend(
        &mut self,
        old: NodeId,
        new: NodeId,
        via: Via,
        token: Option<&str>,
        key: Option<&str>,
    ) {
        let saved = self.here.clone();
        if let Some(token) = token {
            opentact_events::json::pointer::push_token(&mut self.here.pointer, token);
        }
        if !matches!(via, Via::InPlace) {
            self.here.parent_type = self.here.own_type.clone();
            self.here.key = key.map(str::to_owned);
        }
        let name = self
            .prover
            .arena
            .def_name(new)
            .or_else(|| self.prover.arena.def_name(old))
            .map(str::to_owned);
        let old_name = self.prover.arena.def_name(old).map(str::to_owned);
        match via {
            Via::InPlace => {
                if name.is_some() {
                    self.here.own_type = name;
                }
                if old_name.is_some() {
                    self.here.old_type = old_name;
                }
            }
            _ => {
                self.here.own_type = name;
                self.here.old_type = old_name;
            }
        }
        self.here.path.push(Step { old, new, via });
        self.compare(old, new);
        self.here = saved;
    }

    /// Records a change at the current pair of nodes.
    pub fn emit(
        &mut self,
        rule: Rule,
        group: Group,
        keyword: &str,
        detail: String,
        old_value: Option<Value>,
        new_value: Option<Value>,
    ) {
        self.emit_at(rule, group, keyword, detail, old_value, new_value, None);
    }

    /// Records a change about key `key` of the current object (a key added, removed,
    /// required): its pointer names the key.
    #[allow(clippy::too_many_arguments)]
    pub fn emit_at(
        &mut self,
        rule: Rule,
        group: Group,
        keyword: &str,
        detail: String,
        old_value: Option<Value>,
        new_value: Option<Value>,
        key: Option<&str>,
    ) {
        let mut pointer = self.here.pointer.clone();
        let rust_field = match key {
            Some(k) => {
                opentact_events::json::pointer::push_token(&mut pointer, k);
                // A key only the old side has belongs to the old side's type.
                let owner = if rule == Rule::PropertyRemoved {
                    self.here.old_type.as_ref().or(self.here.own_type.as_ref())
                } else {
                    self.here.own_type.as_ref()
                };
                owner.map(|t| format!("{t}.{k}"))
            }
            None => match (&self.here.parent_type, &self.here.key) {
                (Some(t), Some(k)) => Some(format!("{t}.{k}")),
                _ => None,
            },
        };
        // The same change met again through another case (each value of a discriminating key)
        // is listed once.
        let again = self.found.iter().any(|f| {
            f.rule == rule
                && f.pointer == pointer
                && f.keyword == keyword
                && f.detail == detail
                && f.event_type == self.here.event_type
                && f.old_value == old_value
                && f.new_value == new_value
        });
        if again {
            self.met_again += 1;
            return;
        }
        self.found.push(Found {
            rule,
            group,
            keyword: keyword.to_owned(),
            pointer,
            path: self.here.path.clone(),
            detail,
            old_value,
            new_value,
            event_type: self.here.event_type.clone(),
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
