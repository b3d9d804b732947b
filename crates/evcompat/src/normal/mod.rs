//! The normal form the comparison works on.
//!
//! Every schema (a location in one of the compared documents, or a conjunction of such
//! locations) becomes a [`Record`]: the constraints it puts on each JSON type, with its
//! subschemas as [`NodeId`]s in one arena. Building the record does what makes two spellings of
//! the same meaning equal:
//!
//! - `$ref` (through the `referencing` crate, so `$id`, anchors, `definitions` and `$defs`
//!   resolve as validators resolve them) is followed, so a renamed target is no change;
//! - `allOf` is merged into one record where that keeps the meaning;
//! - a one-value `enum` and `const` are the same, and so are a `type` list and an `anyOf` of
//!   plain types;
//! - `anyOf`/`oneOf` branches are a set, compared without regard to order;
//! - keywords that cannot apply to the allowed types are dropped;
//! - each draft's keywords (`items` arrays, `additionalItems`, `dependencies`, draft-04
//!   boolean `exclusiveMinimum`, `$ref` siblings ignored before 2019-09) map to one vocabulary.
//!
//! Records are built lazily, so a recursive schema is a finite graph of nodes, never an
//! infinite tree.
//!
//! The parts: [`record`] is the vocabulary the rest of `compat` works in (types, bounds, the
//! record of one schema, keyword groups and families); this file is the arena (documents,
//! nodes, where each came from); [`read`] reads one schema object's keywords, per draft, into
//! a record; [`merge`] conjoins records (`allOf`, `$ref` beside other keywords) and brings
//! each to its canonical form.

mod merge;
mod read;
mod record;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use opentact_events::json::pointer::{Index, address, unescape};
use referencing::{Draft, Registry, Resolver, ResourceRef};
use serde_json::{Number, Value};

pub(crate) use record::*;

use merge::out_of_context;
use read::{Builder, uses_unevaluated};

/// One compared document: a schema file as given, or closed (`additionalProperties: false` on
/// every object schema that lists its properties).
pub(crate) struct Document<'v> {
    /// `old` or `new`.
    pub side: Side,
    /// The retrieval URI it is registered under.
    pub uri: String,
    /// The schema: the caller's, or a copy where the check rewrote it (closed, or aliases
    /// compressed).
    pub value: std::borrow::Cow<'v, Value>,
    /// Its draft, from `$schema` (2020-12 without one).
    pub draft: Draft,
}

/// Which side of the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Side {
    Old,
    New,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// A schema that cannot be compared: it does not load or has a `$ref` loop that makes no
/// progress.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct LoadError {
    /// The side whose schema it is, when it is one side's.
    pub side: Option<Side>,
    pub message: String,
}

/// How a node came to be; its key in the arena.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Constant(bool),
    /// A location in a document: (document index, address of the value).
    Source(usize, usize),
    /// The conjunction of nodes (sorted, flattened, deduplicated).
    Conj(Vec<NodeId>),
    /// A node restricted to some types.
    Typed(NodeId, u8),
    /// A record made by the check (a change applied alone to a node), numbered.
    Made(usize),
    /// A node without the `index`-th element of a list (`anyOf`, `oneOf`, conditionals).
    Dropped(NodeId, List, usize),
    /// Only one family of keywords of a node.
    Family(NodeId, Family),
    /// Every value the node refuses (`not`).
    Not(NodeId),
    /// Exactly one value (its canonical text).
    Const(String),
    /// Objects whose key holds exactly one value.
    Tagged(String, String),
}

struct Node<'r> {
    key: Key,
    record: Option<Rc<Record>>,
    /// For sources: the resolver in scope, the value, its draft and document.
    source: Option<(Resolver<'r>, &'r Value, Draft, usize)>,
    /// The `$defs` (or `definitions`) name this node was reached through, for reports.
    def_name: Option<String>,
}

/// The arena of nodes over the compared documents.
pub(crate) struct Arena<'r> {
    pub docs: &'r [Document<'r>],
    registries: &'r [Registry<'r>],
    nodes: Vec<Node<'r>>,
    by_key: HashMap<Key, NodeId>,
    /// Per document: the JSON Pointer of each schema object, by its address.
    pointers: Vec<Index>,
    /// Constant values of `Const` and `Tagged` nodes.
    constants: HashMap<NodeId, (Option<String>, Value)>,
    /// The records of `Made` nodes, until they are built.
    made: Vec<Option<Record>>,
    /// Each node's fingerprint (see [`Arena::fingerprint`]), once computed.
    fingerprints: HashMap<NodeId, u64>,
    /// Whether a document uses `unevaluatedProperties` or `unevaluatedItems`: then which keys
    /// and items a schema evaluates is part of its meaning, and the simplifications that would
    /// lose it are not made.
    annotations_matter: bool,
}

/// Creates the registries of the documents: one each, so two documents that share an `$id`
/// (two versions of one schema) never resolve into each other.
pub(crate) fn registries<'r>(docs: &'r [Document<'r>]) -> Result<Vec<Registry<'r>>, LoadError> {
    docs.iter()
        .map(|doc| {
            Registry::new()
                .retrieve_known_draft_meta_schemas(false)
                .add(&doc.uri, ResourceRef::new(&doc.value, doc.draft))
                .and_then(|b| b.prepare())
                .map_err(|err| LoadError {
                    side: Some(doc.side),
                    message: err.to_string(),
                })
        })
        .collect()
}

/// For unit tests: `f` with an arena over `schema` alone (the old side, its draft as it
/// declares) and the node of its root.
#[cfg(test)]
pub(crate) fn with_root<T>(schema: Value, f: impl FnOnce(&mut Arena<'_>, NodeId) -> T) -> T {
    let docs = [Document {
        side: Side::Old,
        uri: "https://compat.evschema.invalid/test.json".into(),
        draft: evcontract::refs::declared_draft(&schema),
        value: std::borrow::Cow::Owned(schema),
    }];
    let regs = registries(&docs).expect("the schema loads");
    let mut arena = Arena::new(&docs, &regs);
    let root = arena.root(0).expect("a root");
    f(&mut arena, root)
}

impl<'r> Arena<'r> {
    /// An arena over `docs`, each registered in the registry of the same index.
    pub fn new(docs: &'r [Document<'r>], registries: &'r [Registry<'r>]) -> Arena<'r> {
        let pointers = docs.iter().map(|doc| Index::new(&doc.value)).collect();
        let mut arena = Arena {
            docs,
            registries,
            nodes: Vec::new(),
            by_key: HashMap::new(),
            pointers,
            constants: HashMap::new(),
            made: Vec::new(),
            fingerprints: HashMap::new(),
            annotations_matter: docs.iter().any(|d| uses_unevaluated(&d.value)),
        };
        let t = arena.intern(Key::Constant(true), None);
        let f = arena.intern(Key::Constant(false), None);
        debug_assert_eq!((t, f), (TRUE, FALSE));
        arena
    }

    /// The root node of document `doc`.
    pub fn root(&mut self, doc: usize) -> Result<NodeId, LoadError> {
        let uri = referencing::uri::from_str(&self.docs[doc].uri).map_err(|err| LoadError {
            side: Some(self.docs[doc].side),
            message: format!("{}: {err}", self.docs[doc].uri),
        })?;
        let resolver = self.registries[doc].resolver(uri);
        let value = &self.docs[doc].value;
        let draft = self.docs[doc].draft;
        Ok(self.source(doc, value, resolver, draft, None))
    }

    fn intern(&mut self, key: Key, def_name: Option<String>) -> NodeId {
        if let Some(id) = self.by_key.get(&key) {
            return *id;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            key: key.clone(),
            record: None,
            source: None,
            def_name,
        });
        self.by_key.insert(key, id);
        id
    }

    fn source(
        &mut self,
        doc: usize,
        value: &'r Value,
        resolver: Resolver<'r>,
        draft: Draft,
        def_name: Option<String>,
    ) -> NodeId {
        match value {
            Value::Bool(true) => return TRUE,
            Value::Bool(false) => return FALSE,
            _ => {}
        }
        let key = Key::Source(doc, address(value));
        if let Some(id) = self.by_key.get(&key) {
            return *id;
        }
        // A schema that is only a `$ref` (with annotations) is its target: the same node, so
        // that a definition used at many places is one node, compared once.
        if let Some(reference) = alias_of(value, draft)
            && let Ok(resolved) = resolver.lookup(reference)
        {
            let (contents, target_resolver, target_draft) = resolved.into_inner();
            let target_draft = if target_draft == Draft::Unknown {
                draft
            } else {
                target_draft
            };
            let name = def_name.or_else(|| definition_name(reference));
            let id = self.source(doc, contents, target_resolver, target_draft, name);
            self.by_key.insert(key, id);
            return id;
        }
        // A schema that is a reference to a definition is named after it.
        let def_name = def_name.or_else(|| definition_name(value.get("$ref")?.as_str()?));
        let id = self.intern(key, def_name);
        self.nodes[id].source = Some((resolver, value, draft, doc));
        id
    }

    /// The node accepting exactly `value`.
    pub fn constant(&mut self, value: &Value) -> NodeId {
        let value = canonical(value);
        let id = self.intern(Key::Const(value.to_string()), None);
        self.constants.insert(id, (None, value));
        id
    }

    /// The node of objects whose `key` holds exactly `value` (and that have the key).
    pub fn tagged(&mut self, key: &str, value: &Value) -> NodeId {
        let value = canonical(value);
        let id = self.intern(Key::Tagged(key.to_owned(), value.to_string()), None);
        self.constants.insert(id, (Some(key.to_owned()), value));
        id
    }

    /// The conjunction of `members`.
    pub fn conj(&mut self, members: &[NodeId]) -> NodeId {
        let mut flat = BTreeSet::new();
        for &m in members {
            match &self.nodes[m].key {
                Key::Constant(true) => {}
                Key::Constant(false) => return FALSE,
                Key::Conj(inner) => flat.extend(inner.iter().copied()),
                _ => {
                    flat.insert(m);
                }
            }
        }
        match flat.len() {
            0 => TRUE,
            1 => flat.into_iter().next().unwrap_or(TRUE),
            _ => {
                let members: Vec<NodeId> = flat.into_iter().collect();
                let def_name = members.iter().find_map(|m| self.nodes[*m].def_name.clone());
                self.intern(Key::Conj(members), def_name)
            }
        }
    }

    /// `node` restricted to `types`.
    pub fn typed(&mut self, node: NodeId, types: Types) -> NodeId {
        if types == Types::ALL {
            return node;
        }
        if types.is_empty() || node == FALSE {
            return FALSE;
        }
        let def_name = self.nodes[node].def_name.clone();
        self.intern(Key::Typed(node, types.0), def_name)
    }

    /// A node whose record is `record` (brought to its canonical form), named after `like`:
    /// for a record the check makes, such as a change applied alone. It has no location, so
    /// the validators cannot evaluate it.
    pub fn made(&mut self, record: Record, like: NodeId) -> NodeId {
        let def_name = self.nodes[like].def_name.clone();
        self.made.push(Some(out_of_context(record)));
        self.intern(Key::Made(self.made.len() - 1), def_name)
    }

    /// The values `node` refuses.
    pub fn not(&mut self, node: NodeId) -> NodeId {
        match node {
            TRUE => FALSE,
            FALSE => TRUE,
            _ => self.intern(Key::Not(node), None),
        }
    }

    /// `node` without the `index`-th element of a list.
    pub fn dropped(&mut self, node: NodeId, list: List, index: usize) -> NodeId {
        let def_name = self.nodes[node].def_name.clone();
        self.intern(Key::Dropped(node, list, index), def_name)
    }

    /// Only the keywords of one family of `node`.
    pub fn family(&mut self, node: NodeId, family: Family) -> NodeId {
        self.intern(Key::Family(node, family), None)
    }

    /// The name of the definition the node was reached through.
    pub fn def_name(&self, node: NodeId) -> Option<&str> {
        self.nodes[node].def_name.as_deref()
    }

    /// Where the node comes from, for a report: (document, JSON Pointer) for a location.
    pub fn location(&self, node: NodeId) -> Option<(usize, &str)> {
        match &self.nodes[node].key {
            Key::Source(doc, addr) => {
                Some((*doc, self.pointers[*doc].pointer_at(*addr).unwrap_or("")))
            }
            Key::Conj(members) => members.iter().find_map(|m| self.location(*m)),
            Key::Typed(n, _) => self.location(*n),
            _ => None,
        }
    }

    /// The same node in document `doc` (the other version of its side: closed or as written).
    /// Nodes built from locations move to the same JSON Pointer in `doc`.
    pub fn moved(&mut self, node: NodeId, doc: usize) -> NodeId {
        match self.nodes[node].key.clone() {
            Key::Source(from, addr) if from != doc => {
                let pointer = self.pointers[from].pointer_at(addr).unwrap_or_default();
                let Some(value) = self.docs[doc].value.pointer(pointer) else {
                    return node;
                };
                let Some((resolver, _, draft, _)) = self.nodes[node].source.clone() else {
                    return node;
                };
                // The other document of a side has the same layout, so the same base URI
                // resolves the same references; only the registry differs.
                let resolver = self.resolver_in(doc, &resolver);
                let def_name = self.nodes[node].def_name.clone();
                self.source(doc, value, resolver, draft, def_name)
            }
            Key::Conj(members) => {
                let moved: Vec<NodeId> = members.iter().map(|m| self.moved(*m, doc)).collect();
                self.conj(&moved)
            }
            Key::Typed(n, t) => {
                let n = self.moved(n, doc);
                self.typed(n, Types(t))
            }
            Key::Dropped(n, g, i) => {
                let n = self.moved(n, doc);
                self.dropped(n, g, i)
            }
            Key::Family(n, f) => {
                let n = self.moved(n, doc);
                self.family(n, f)
            }
            Key::Not(n) => {
                let n = self.moved(n, doc);
                self.not(n)
            }
            _ => node,
        }
    }

    fn resolver_in(&self, doc: usize, like: &Resolver<'r>) -> Resolver<'r> {
        let base = like.base_uri();
        let own = &self.docs.iter().position(|d| d.uri == base.as_str());
        let uri = match own {
            // The document's own base: use this document's URI.
            Some(_) => referencing::uri::from_str(&self.docs[doc].uri).ok(),
            None => referencing::uri::from_str(base.as_str()).ok(),
        };
        match uri {
            Some(uri) => self.registries[doc].resolver(uri),
            None => self.registries[doc].resolver(
                referencing::uri::from_str(&self.docs[doc].uri).unwrap_or_else(|_| (*base).clone()),
            ),
        }
    }

    /// The document and JSON Pointer of every location the node's meaning is the conjunction
    /// of, with the extra restrictions of derived nodes; `None` when the node cannot be
    /// evaluated that way (a substitution or projection).
    pub fn origins(&self, node: NodeId) -> Option<Vec<Origin>> {
        let mut out = Vec::new();
        self.collect_origins(node, &mut out)?;
        Some(out)
    }

    fn collect_origins(&self, node: NodeId, out: &mut Vec<Origin>) -> Option<()> {
        match &self.nodes[node].key {
            Key::Constant(true) => Some(()),
            Key::Constant(false) => {
                out.push(Origin::Nothing);
                Some(())
            }
            Key::Source(doc, addr) => {
                out.push(Origin::Location {
                    doc: *doc,
                    pointer: self.pointers[*doc].pointer_at(*addr)?.to_owned(),
                });
                Some(())
            }
            Key::Conj(members) => {
                for m in members {
                    self.collect_origins(*m, out)?;
                }
                Some(())
            }
            Key::Typed(n, t) => {
                out.push(Origin::Types(Types(*t)));
                self.collect_origins(*n, out)
            }
            Key::Const(_) | Key::Tagged(..) => {
                let (key, value) = self.constants.get(&node)?;
                out.push(Origin::Constant {
                    key: key.clone(),
                    value: value.clone(),
                });
                Some(())
            }
            Key::Not(n) => {
                out.push(Origin::Not(*n));
                Some(())
            }
            Key::Made(..) | Key::Dropped(..) | Key::Family(..) => None,
        }
    }

    /// The node's record, built on first use.
    pub fn record(&mut self, node: NodeId) -> Rc<Record> {
        if let Some(record) = &self.nodes[node].record {
            return Rc::clone(record);
        }
        // A placeholder first: a record whose building reaches the same node again (through a
        // conjunction with itself) sees `true` there, which only weakens that inner use.
        self.nodes[node].record = Some(Rc::new(Record::any()));
        let record = match self.nodes[node].key.clone() {
            Key::Constant(true) => Record::any(),
            Key::Constant(false) => Record::none(),
            Key::Source(..) => self.build_source(node),
            Key::Conj(members) => {
                let mut record = Record::any();
                for m in members {
                    let r = self.record(m);
                    record = self.merge(&record, &r, m);
                }
                self.finish(record)
            }
            Key::Typed(n, t) => {
                let mut record = (*self.record(n)).clone();
                record.types = record.types.and(Types(t));
                self.finish(record)
            }
            Key::Made(i) => {
                let r = self.made[i].take().unwrap_or_else(Record::any);
                self.finish(r)
            }
            Key::Dropped(n, list, index) => {
                let mut r = (*self.record(n)).clone();
                match list {
                    List::AnyOf if index < r.any_of.len() => {
                        r.any_of.remove(index);
                    }
                    List::OneOf if index < r.one_of.len() => {
                        r.one_of.remove(index);
                    }
                    List::Conditionals if index < r.conditionals.len() => {
                        r.conditionals.remove(index);
                    }
                    _ => {}
                }
                self.finish(out_of_context(r))
            }
            Key::Family(n, family) => {
                let r = self.record(n);
                self.finish(out_of_context(r.family_part(family)))
            }
            Key::Not(n) => {
                let mut record = Record::any();
                record.not.push(n);
                self.finish(record)
            }
            Key::Const(_) => {
                let value = self.constants[&node].1.clone();
                self.finish(Record {
                    enumeration: Some(Enumeration::new([value])),
                    ..Record::any()
                })
            }
            Key::Tagged(key, _) => {
                let value = self.constants[&node].1.clone();
                let tag = self.constant(&value);
                let mut record = Record::any();
                record.types = Types::OBJECT;
                record.properties.insert(key.clone(), tag);
                record.required.insert(key);
                self.finish(record)
            }
        };
        let record = Rc::new(record);
        self.nodes[node].record = Some(Rc::clone(&record));
        record
    }

    fn build_source(&mut self, node: NodeId) -> Record {
        let Some((resolver, value, draft, doc)) = self.nodes[node].source.clone() else {
            return Record::any();
        };
        let Some(map) = value.as_object() else {
            // Not a schema: validators refuse to compile it, so it never gets here; keep it
            // as something the engine cannot prove anything about.
            let mut record = Record::any();
            record.opaque.push(Opaque {
                keyword: "(not a schema)".into(),
                value: value.clone(),
            });
            return record;
        };
        // An embedded schema may name its own draft and its own base URI.
        let draft = draft.detect(value);
        let draft = if draft == Draft::Unknown {
            Draft::Draft202012
        } else {
            draft
        };
        let resolver = resolver
            .in_subresource(ResourceRef::new(value, draft))
            .unwrap_or(resolver);
        let mut build = Builder {
            arena: self,
            resolver,
            draft,
            doc,
            record: Record::any(),
            conjuncts: Vec::new(),
        };
        build.keywords(map);
        let Builder {
            record, conjuncts, ..
        } = build;
        let mut record = record;
        for c in conjuncts {
            let r = self.record(c);
            record = self.merge(&record, &r, c);
        }
        self.finish(record)
    }
}

/// What a node's meaning is the conjunction of, for evaluating values against it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Origin {
    /// A location in a document.
    Location { doc: usize, pointer: String },
    /// Only values of these types.
    Types(Types),
    /// Exactly this value (`key: None`), or objects whose `key` holds it.
    Constant { key: Option<String>, value: Value },
    /// No value.
    Nothing,
    /// The values a node refuses.
    Not(NodeId),
}

/// The keywords that say nothing about which values a schema accepts.
use opentact_events::schema::ANNOTATION_KEYWORDS as ANNOTATIONS;

/// The `$ref` of a schema that means exactly its target: one whose other keywords are
/// annotations (before 2019-09, every sibling of `$ref` is ignored, but not an `$id`, which
/// some validators still read). No `$dynamicRef` and no anchor: where those lead depends on
/// more than the target.
fn alias_of(value: &Value, draft: Draft) -> Option<&str> {
    let map = value.as_object()?;
    let reference = map.get("$ref")?.as_str()?;
    let legacy = matches!(draft, Draft::Draft4 | Draft::Draft6 | Draft::Draft7);
    let plain = map.keys().all(|k| {
        k == "$ref"
            || ANNOTATIONS.contains(&k.as_str())
            || (legacy && !matches!(k.as_str(), "$id" | "id" | "$schema"))
    });
    plain.then_some(reference)
}

/// The name of the definition a `$ref` names (`#/$defs/Call` is `Call`), for reports.
pub(crate) fn definition_name(reference: &str) -> Option<String> {
    let (_, name) = reference
        .rsplit_once("/$defs/")
        .or_else(|| reference.rsplit_once("/definitions/"))?;
    Some(unescape(name).into_owned())
}

impl Arena<'_> {
    /// A hash of a node's normal form, two levels deep (children by their own fingerprint one
    /// level down, lists of branches as sets): equal for two nodes [`crate::prove::Prover::same`]
    /// calls the same, so that matching lists of schemas looks candidates up instead of
    /// comparing every pair. Computed once per node.
    pub fn fingerprint(&mut self, node: NodeId) -> u64 {
        if let Some(fp) = self.fingerprints.get(&node) {
            return *fp;
        }
        let fp = self.fingerprint_at(node, 2);
        self.fingerprints.insert(node, fp);
        fp
    }

    fn fingerprint_at(&mut self, node: NodeId, depth: usize) -> u64 {
        use std::hash::{Hash, Hasher};
        if depth == 0 {
            return 0;
        }
        let r = self.record(node);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let below = depth - 1;
        (r.types.0, r.integer_strict).hash(&mut h);
        if let Some(values) = &r.enumeration {
            values.len().hash(&mut h);
            for key in values.keys() {
                key.hash(&mut h);
            }
        }
        for bound in [&r.minimum, &r.maximum] {
            bound
                .as_ref()
                .map(|b| (b.value.as_f64().map(f64::to_bits), b.exclusive))
                .hash(&mut h);
        }
        let mut multiples: Vec<Option<u64>> = r
            .multiple_of
            .iter()
            .map(|m| m.as_f64().map(f64::to_bits))
            .collect();
        multiples.sort_unstable();
        multiples.hash(&mut h);
        (r.min_length, r.max_length, &r.patterns, &r.formats).hash(&mut h);
        (r.min_items, r.max_items, r.unique_items).hash(&mut h);
        for n in &r.prefix_items {
            self.fingerprint_at(*n, below).hash(&mut h);
        }
        self.fingerprint_at(r.items, below).hash(&mut h);
        let mut counts: Vec<(u64, Option<u64>)> =
            r.contains.iter().map(|c| (c.min, c.max)).collect();
        counts.sort_unstable();
        counts.hash(&mut h);
        let contained: Vec<NodeId> = r.contains.iter().map(|c| c.schema).collect();
        self.fingerprint_set(&contained, below).hash(&mut h);
        for (key, n) in &r.properties {
            key.hash(&mut h);
            self.fingerprint_at(*n, below).hash(&mut h);
        }
        for (pattern, n) in &r.pattern_properties {
            pattern.hash(&mut h);
            self.fingerprint_at(*n, below).hash(&mut h);
        }
        self.fingerprint_at(r.additional_properties, below)
            .hash(&mut h);
        r.required.hash(&mut h);
        self.fingerprint_at(r.property_names, below).hash(&mut h);
        (r.min_properties, r.max_properties, &r.dependent_required).hash(&mut h);
        for (key, n) in &r.dependent_schemas {
            key.hash(&mut h);
            self.fingerprint_at(*n, below).hash(&mut h);
        }
        self.fingerprint_set(&r.all_of, below).hash(&mut h);
        self.fingerprint_set(&r.not, below).hash(&mut h);
        // `anyOf` and `oneOf` groups alike: a `oneOf` of disjoint branches is the same as an
        // `anyOf` of them.
        let mut groups: Vec<Vec<u64>> = r
            .any_of
            .iter()
            .chain(&r.one_of)
            .map(|g| self.fingerprint_set(g, below))
            .collect();
        groups.sort_unstable();
        groups.hash(&mut h);
        let mut conditions: Vec<(u64, u64, u64)> = r
            .conditionals
            .iter()
            .map(|c| {
                (
                    self.fingerprint_at(c.condition, below),
                    self.fingerprint_at(c.then, below),
                    self.fingerprint_at(c.otherwise, below),
                )
            })
            .collect();
        conditions.sort_unstable();
        conditions.hash(&mut h);
        for n in [r.unevaluated_properties, r.unevaluated_items] {
            n.map(|n| self.fingerprint_at(n, below)).hash(&mut h);
        }
        for o in &r.opaque {
            (&o.keyword, o.value.to_string()).hash(&mut h);
        }
        h.finish()
    }

    /// The fingerprints of a list of nodes as a multiset.
    fn fingerprint_set(&mut self, nodes: &[NodeId], depth: usize) -> Vec<u64> {
        let mut fps: Vec<u64> = nodes
            .iter()
            .map(|n| self.fingerprint_at(*n, depth))
            .collect();
        fps.sort_unstable();
        fps
    }
}

/// Rewrites every schema that is only a `$ref` to another schema that is only a `$ref` (a chain
/// of aliases) to refer to the end of the chain at once: the rewrites, each the pointer of an
/// alias and the pointer its `$ref` is to name ([`apply_aliases`] makes them). The meaning is the same (such a
/// schema is exactly its target), and a chain of n aliases costs O(n) to read and to compile
/// instead of O(n^2) (the validators track each reference's path). Only where it is sure to
/// mean the same: references within the document (`#/...`, no embedded `$id` on the way), and
/// no dynamic reference anywhere (their resolution depends on the resources passed through).
pub(crate) fn alias_rewrites(document: &Value) -> Vec<(String, String)> {
    let text = document.to_string();
    if [
        "\"$dynamicRef\"",
        "\"$recursiveRef\"",
        "\"$dynamicAnchor\"",
        "\"$recursiveAnchor\"",
    ]
    .iter()
    .any(|k| text.contains(k))
    {
        return Vec::new();
    }
    // Every alias: its pointer and the pointer it refers to.
    fn aliases(value: &Value, at: &mut String, under_id: bool, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                let own_id = !at.is_empty() && map.contains_key("$id");
                let under_id = under_id || own_id;
                if !under_id
                    && map.len() == 1
                    && let Some(Value::String(target)) = map.get("$ref")
                    && let Some(pointer) = target.strip_prefix('#')
                    && (pointer.is_empty() || pointer.starts_with('/'))
                {
                    out.push((at.clone(), pointer.to_owned()));
                }
                for (key, item) in map {
                    let len = at.len();
                    opentact_events::json::pointer::push_token(at, key);
                    aliases(item, at, under_id, out);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = at.len();
                    opentact_events::json::pointer::push_index(at, i);
                    aliases(item, at, under_id, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    aliases(document, &mut String::new(), false, &mut found);
    if found.len() < 2 {
        return Vec::new();
    }
    // The URI fragments in `$ref` are percent-encoded JSON Pointers; only plain ones are
    // followed (the rest stay as written).
    let target_of: HashMap<String, String> = found
        .iter()
        .filter(|(_, t)| !t.contains('%'))
        .cloned()
        .collect();
    // The end of each chain, found once per alias (the chains share their ends): O(aliases).
    let mut end_of: HashMap<String, Option<String>> = HashMap::new();
    for (at, _) in &found {
        let mut chain = vec![at.clone()];
        let mut on_chain: HashSet<&str> = HashSet::from([at.as_str()]);
        let mut end = None;
        while let Some(next) = target_of.get(chain.last().map_or("", String::as_str)) {
            if let Some(known) = end_of.get(next) {
                end = known.clone().or_else(|| Some(next.clone()));
                break;
            }
            if !on_chain.insert(next.as_str()) || chain.len() > target_of.len() {
                // A loop of aliases (refused before this by `check_loops`): left as written.
                end = None;
                chain.clear();
                break;
            }
            chain.push(next.clone());
        }
        if chain.len() > 1 && end.is_none() {
            end = chain.last().cloned();
        }
        for link in chain {
            end_of.entry(link).or_insert_with(|| end.clone());
        }
    }
    let mut rewrites = Vec::new();
    for (at, first) in &found {
        let Some(Some(target)) = end_of.get(at).cloned() else {
            continue;
        };
        if target != *first && document.pointer(&target).is_some() {
            // The end must not lie under an embedded `$id` either.
            let mut under_id = false;
            let mut prefix = String::new();
            for token in opentact_events::json::pointer::tokens(&target).unwrap_or_default() {
                opentact_events::json::pointer::push_token(&mut prefix, &token);
                if document
                    .pointer(&prefix)
                    .and_then(|v| v.get("$id"))
                    .is_some()
                {
                    under_id = true;
                }
            }
            if !under_id {
                rewrites.push((at.clone(), target));
            }
        }
    }
    rewrites
}

/// Makes the rewrites [`alias_rewrites`] found.
pub(crate) fn apply_aliases(document: &mut Value, rewrites: &[(String, String)]) {
    for (at, target) in rewrites {
        if let Some(Value::Object(map)) = document.pointer_mut(at) {
            map.insert("$ref".into(), Value::String(format!("#{target}")));
        }
    }
}
