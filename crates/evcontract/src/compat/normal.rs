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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use referencing::{Draft, Registry, Resolver, ResourceRef};
use serde_json::{Map, Number, Value};

/// A node of the arena: a schema in normal form.
pub(crate) type NodeId = usize;

/// The node that accepts everything (`true`).
pub(crate) const TRUE: NodeId = 0;
/// The node that accepts nothing (`false`).
pub(crate) const FALSE: NodeId = 1;

/// A set of JSON types. `INTEGER` and `FRACTION` split numbers into those with and without a
/// fractional part, so JSON Schema's `integer` is a subset of `number`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub(crate) struct Types(pub u8);

impl Types {
    pub const NONE: Types = Types(0);
    pub const NULL: Types = Types(1);
    pub const BOOLEAN: Types = Types(2);
    pub const INTEGER: Types = Types(4);
    pub const FRACTION: Types = Types(8);
    pub const NUMBER: Types = Types(12);
    pub const STRING: Types = Types(16);
    pub const ARRAY: Types = Types(32);
    pub const OBJECT: Types = Types(64);
    pub const ALL: Types = Types(127);

    /// The types a `type` keyword's name stands for.
    pub fn named(name: &str) -> Option<Types> {
        Some(match name {
            "null" => Types::NULL,
            "boolean" => Types::BOOLEAN,
            "integer" => Types::INTEGER,
            "number" => Types::NUMBER,
            "string" => Types::STRING,
            "array" => Types::ARRAY,
            "object" => Types::OBJECT,
            _ => return None,
        })
    }

    /// The type of a value.
    pub fn of(value: &Value) -> Types {
        match value {
            Value::Null => Types::NULL,
            Value::Bool(_) => Types::BOOLEAN,
            Value::Number(n) if is_integral(n) => Types::INTEGER,
            Value::Number(_) => Types::FRACTION,
            Value::String(_) => Types::STRING,
            Value::Array(_) => Types::ARRAY,
            Value::Object(_) => Types::OBJECT,
        }
    }

    pub fn and(self, other: Types) -> Types {
        Types(self.0 & other.0)
    }

    pub fn or(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }

    pub fn minus(self, other: Types) -> Types {
        Types(self.0 & !other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn intersects(self, other: Types) -> bool {
        self.0 & other.0 != 0
    }

    pub fn contains(self, other: Types) -> bool {
        self.0 & other.0 == other.0
    }

    /// Each single type of the set, numbers split as `integer` and fractional `number`.
    pub fn each(self) -> impl Iterator<Item = Types> {
        [
            Types::NULL,
            Types::BOOLEAN,
            Types::INTEGER,
            Types::FRACTION,
            Types::STRING,
            Types::ARRAY,
            Types::OBJECT,
        ]
        .into_iter()
        .filter(move |t| self.contains(*t))
    }

    /// The `type` names of the set, as a schema would list them.
    pub fn names(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (t, name) in [
            (Types::NULL, "null"),
            (Types::BOOLEAN, "boolean"),
            (Types::STRING, "string"),
            (Types::ARRAY, "array"),
            (Types::OBJECT, "object"),
        ] {
            if self.contains(t) {
                out.push(name);
            }
        }
        if self.contains(Types::NUMBER) {
            out.push("number");
        } else if self.contains(Types::INTEGER) {
            out.push("integer");
        } else if self.contains(Types::FRACTION) {
            out.push("number (not integer)");
        }
        out
    }
}

/// Whether a JSON number is an integer in JSON Schema's sense (no fractional part).
pub(crate) fn is_integral(n: &Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// A bound on numbers: `minimum`/`maximum`, or their exclusive forms.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bound {
    pub value: Number,
    pub exclusive: bool,
}

/// `contains` with its counts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Contains {
    pub schema: NodeId,
    pub min: u64,
    pub max: Option<u64>,
}

/// `if`/`then`/`else`; an absent `then` or `else` accepts everything.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Conditional {
    pub condition: NodeId,
    pub then: NodeId,
    pub otherwise: NodeId,
}

/// A keyword whose meaning validators disagree on, or that this engine does not model: kept
/// as written. A reader's is an obligation only an identical producer keyword discharges; a
/// producer's restricts nothing the engine relies on.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Opaque {
    pub keyword: String,
    pub value: Value,
}

/// One schema in normal form: the conjunction of everything below.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    /// The types a value may have.
    pub types: Types,
    /// `integer` as draft-04 reads it: a number written without a fraction (`1.0` is refused).
    pub integer_strict: bool,
    /// `enum` and `const`: the only values allowed, deduplicated and sorted.
    pub enumeration: Option<Vec<Value>>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Vec<Number>,
    pub min_length: u64,
    pub max_length: Option<u64>,
    pub patterns: Vec<String>,
    pub formats: Vec<String>,
    /// Per-position item schemas (`prefixItems`, or a draft-07 `items` array).
    pub prefix_items: Vec<NodeId>,
    /// The schema of the items after `prefix_items`.
    pub items: NodeId,
    pub min_items: u64,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub contains: Vec<Contains>,
    pub properties: BTreeMap<String, NodeId>,
    pub pattern_properties: Vec<(String, NodeId)>,
    /// The schema of keys neither listed nor matched by a pattern.
    pub additional_properties: NodeId,
    pub required: BTreeSet<String>,
    pub property_names: NodeId,
    pub min_properties: u64,
    pub max_properties: Option<u64>,
    pub dependent_required: BTreeMap<String, BTreeSet<String>>,
    pub dependent_schemas: BTreeMap<String, NodeId>,
    /// Conjuncts that could not be merged into this record without changing its meaning.
    pub all_of: Vec<NodeId>,
    pub any_of: Vec<Vec<NodeId>>,
    pub one_of: Vec<Vec<NodeId>>,
    pub not: Vec<NodeId>,
    pub conditionals: Vec<Conditional>,
    pub unevaluated_properties: Option<NodeId>,
    pub unevaluated_items: Option<NodeId>,
    pub opaque: Vec<Opaque>,
}

impl Record {
    /// The record of `true`.
    pub fn any() -> Record {
        Record {
            types: Types::ALL,
            integer_strict: false,
            enumeration: None,
            minimum: None,
            maximum: None,
            multiple_of: Vec::new(),
            min_length: 0,
            max_length: None,
            patterns: Vec::new(),
            formats: Vec::new(),
            prefix_items: Vec::new(),
            items: TRUE,
            min_items: 0,
            max_items: None,
            unique_items: false,
            contains: Vec::new(),
            properties: BTreeMap::new(),
            pattern_properties: Vec::new(),
            additional_properties: TRUE,
            required: BTreeSet::new(),
            property_names: TRUE,
            min_properties: 0,
            max_properties: None,
            dependent_required: BTreeMap::new(),
            dependent_schemas: BTreeMap::new(),
            all_of: Vec::new(),
            any_of: Vec::new(),
            one_of: Vec::new(),
            not: Vec::new(),
            conditionals: Vec::new(),
            unevaluated_properties: None,
            unevaluated_items: None,
            opaque: Vec::new(),
        }
    }

    /// The record of `false`.
    pub fn none() -> Record {
        Record {
            types: Types::NONE,
            ..Record::any()
        }
    }

    /// Whether the record accepts nothing, as far as its own keywords say.
    pub fn is_none(&self) -> bool {
        self.types.is_empty() || self.enumeration.as_ref().is_some_and(Vec::is_empty)
    }

    /// Whether the record accepts everything.
    pub fn is_any(&self) -> bool {
        *self == Record::any()
    }

    /// Whether a disjunction or condition remains: the record is then a union of cases.
    pub fn has_cases(&self) -> bool {
        !self.any_of.is_empty() || !self.one_of.is_empty() || !self.conditionals.is_empty()
    }

    /// The item schema at `index`.
    pub fn item(&self, index: usize) -> NodeId {
        self.prefix_items.get(index).copied().unwrap_or(self.items)
    }

    /// The value types the record allows, narrowed by its enumeration.
    pub fn effective_types(&self) -> Types {
        match &self.enumeration {
            Some(values) => values
                .iter()
                .map(Types::of)
                .fold(Types::NONE, Types::or)
                .and(self.types),
            None => self.types,
        }
    }
}

/// A group of keywords that changes together: the unit of a change and of its isolated effect.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Group {
    Types,
    Enum,
    Bounds,
    MultipleOf,
    Length,
    Pattern,
    Format,
    ItemCount,
    Unique,
    Contains,
    Property(String),
    Required(String),
    Additional,
    PatternProperties,
    PropertyNames,
    PropertyCount,
    DependentRequired(String),
    DependentSchema(String),
    AnyOf,
    OneOf,
    Not,
    Conditionals,
    AllOf,
    Unevaluated,
    Opaque,
    /// Every keyword: the node itself changed shape (a union wrapped around it, a case of a
    /// discriminated union appearing or going).
    Whole,
}

impl Record {
    /// This record with the keywords of `group` taken from `donor`.
    pub fn with_group(&self, group: &Group, donor: &Record) -> Record {
        let mut out = self.clone();
        match group {
            Group::Types => {
                out.types = donor.types;
                out.integer_strict = donor.integer_strict;
            }
            Group::Enum => out.enumeration = donor.enumeration.clone(),
            Group::Bounds => {
                out.minimum = donor.minimum.clone();
                out.maximum = donor.maximum.clone();
            }
            Group::MultipleOf => out.multiple_of = donor.multiple_of.clone(),
            Group::Length => {
                out.min_length = donor.min_length;
                out.max_length = donor.max_length;
            }
            Group::Pattern => out.patterns = donor.patterns.clone(),
            Group::Format => out.formats = donor.formats.clone(),
            Group::ItemCount => {
                out.min_items = donor.min_items;
                out.max_items = donor.max_items;
            }
            Group::Unique => out.unique_items = donor.unique_items,
            Group::Contains => out.contains = donor.contains.clone(),
            Group::Property(key) => match donor.properties.get(key) {
                Some(id) => {
                    out.properties.insert(key.clone(), *id);
                }
                None => {
                    out.properties.remove(key);
                }
            },
            Group::Required(key) => {
                if donor.required.contains(key) {
                    out.required.insert(key.clone());
                } else {
                    out.required.remove(key);
                }
            }
            Group::Additional => out.additional_properties = donor.additional_properties,
            Group::PatternProperties => {
                out.pattern_properties = donor.pattern_properties.clone();
            }
            Group::PropertyNames => out.property_names = donor.property_names,
            Group::PropertyCount => {
                out.min_properties = donor.min_properties;
                out.max_properties = donor.max_properties;
            }
            Group::DependentRequired(key) => match donor.dependent_required.get(key) {
                Some(keys) => {
                    out.dependent_required.insert(key.clone(), keys.clone());
                }
                None => {
                    out.dependent_required.remove(key);
                }
            },
            Group::DependentSchema(key) => match donor.dependent_schemas.get(key) {
                Some(id) => {
                    out.dependent_schemas.insert(key.clone(), *id);
                }
                None => {
                    out.dependent_schemas.remove(key);
                }
            },
            Group::AnyOf => out.any_of = donor.any_of.clone(),
            Group::OneOf => out.one_of = donor.one_of.clone(),
            Group::Not => out.not = donor.not.clone(),
            Group::Conditionals => out.conditionals = donor.conditionals.clone(),
            Group::AllOf => out.all_of = donor.all_of.clone(),
            Group::Unevaluated => {
                out.unevaluated_properties = donor.unevaluated_properties;
                out.unevaluated_items = donor.unevaluated_items;
            }
            Group::Opaque => out.opaque = donor.opaque.clone(),
            Group::Whole => out = donor.clone(),
        }
        out
    }

    /// Only the keywords of `group`: what accepts every value but those the group refuses.
    pub fn project(&self, group: &Group) -> Record {
        Record::any().with_group(group, self)
    }

    /// Only the keywords of one family.
    pub fn family_part(&self, family: Family) -> Record {
        let mut out = Record::any();
        match family {
            Family::Values => {
                out.types = self.types;
                out.integer_strict = self.integer_strict;
                out.enumeration = self.enumeration.clone();
            }
            Family::Numbers => {
                out.minimum = self.minimum.clone();
                out.maximum = self.maximum.clone();
                out.multiple_of = self.multiple_of.clone();
            }
            Family::Strings => {
                out.min_length = self.min_length;
                out.max_length = self.max_length;
                out.patterns = self.patterns.clone();
                out.formats = self.formats.clone();
            }
            Family::Arrays => {
                out.prefix_items = self.prefix_items.clone();
                out.items = self.items;
                out.min_items = self.min_items;
                out.max_items = self.max_items;
                out.unique_items = self.unique_items;
                out.contains = self.contains.clone();
            }
            Family::Objects => {
                out.properties = self.properties.clone();
                out.pattern_properties = self.pattern_properties.clone();
                out.additional_properties = self.additional_properties;
                out.required = self.required.clone();
                out.property_names = self.property_names;
                out.min_properties = self.min_properties;
                out.max_properties = self.max_properties;
                out.dependent_required = self.dependent_required.clone();
                out.dependent_schemas = self.dependent_schemas.clone();
            }
            Family::Logic => {
                out.all_of = self.all_of.clone();
                out.any_of = self.any_of.clone();
                out.one_of = self.one_of.clone();
                out.not = self.not.clone();
                out.conditionals = self.conditionals.clone();
            }
            Family::Other => {
                out.unevaluated_properties = self.unevaluated_properties;
                out.unevaluated_items = self.unevaluated_items;
                out.opaque = self.opaque.clone();
            }
        }
        out
    }
}

/// The families of keywords: each means the same alone as beside the others (a reader's
/// record is the conjunction of its families), so a producer can satisfy them one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Family {
    /// `type`, `enum`, `const`.
    Values,
    /// `minimum`, `maximum`, their exclusive forms, `multipleOf`.
    Numbers,
    /// `minLength`, `maxLength`, `pattern`, `format`.
    Strings,
    /// `prefixItems`, `items`, `minItems`, `maxItems`, `uniqueItems`, `contains`.
    Arrays,
    /// `properties`, `patternProperties`, `additionalProperties`, `required`,
    /// `propertyNames`, `minProperties`, `maxProperties`, `dependentRequired`,
    /// `dependentSchemas`.
    Objects,
    /// `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`.
    Logic,
    /// `unevaluatedProperties`, `unevaluatedItems`, and keywords kept as written.
    Other,
}

impl Family {
    pub const ALL: [Family; 7] = [
        Family::Values,
        Family::Numbers,
        Family::Strings,
        Family::Arrays,
        Family::Objects,
        Family::Logic,
        Family::Other,
    ];
}

/// One compared document: a schema file as given, or closed (`additionalProperties: false` on
/// every object schema that lists its properties).
pub(crate) struct Document {
    /// `old` or `new`.
    pub side: Side,
    /// The retrieval URI it is registered under.
    pub uri: String,
    /// The schema.
    pub value: Value,
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
    /// A node with one keyword group taken from another.
    Subst(NodeId, Group, NodeId),
    /// Only one keyword group of a node.
    Project(NodeId, Group),
    /// A node without the `index`-th element of a list group (`anyOf`, `oneOf`,
    /// conditionals).
    Dropped(NodeId, Group, usize),
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
    pub docs: &'r [Document],
    registries: &'r [Registry<'r>],
    nodes: Vec<Node<'r>>,
    by_key: HashMap<Key, NodeId>,
    /// Per document: address of each value → its JSON Pointer in the document.
    pointers: Vec<HashMap<usize, String>>,
    /// Per document: JSON Pointer → value, for moving a node to the other document of its side.
    by_pointer: Vec<HashMap<String, &'r Value>>,
    /// Constant values of `Const` and `Tagged` nodes.
    constants: HashMap<NodeId, (Option<String>, Value)>,
    /// Whether a document uses `unevaluatedProperties` or `unevaluatedItems`: then which keys
    /// and items a schema evaluates is part of its meaning, and the simplifications that would
    /// lose it are not made.
    annotations_matter: bool,
}

/// Creates the registries of the documents: one each, so two documents that share an `$id`
/// (two versions of one schema) never resolve into each other.
pub(crate) fn registries(docs: &[Document]) -> Result<Vec<Registry<'_>>, LoadError> {
    docs.iter()
        .map(|doc| {
            Registry::new()
                .retrieve_known_draft_meta_schemas(false)
                .add(&doc.uri, ResourceRef::new(&doc.value, doc.draft))
                .and_then(|b| b.prepare())
                .map_err(|err| LoadError {
                    message: format!("{} schema: {err}", doc.side.name()),
                })
        })
        .collect()
}

impl<'r> Arena<'r> {
    /// An arena over `docs`, each registered in the registry of the same index.
    pub fn new(docs: &'r [Document], registries: &'r [Registry<'r>]) -> Arena<'r> {
        let mut pointers = Vec::new();
        let mut by_pointer = Vec::new();
        for doc in docs {
            let mut map = HashMap::new();
            let mut back = HashMap::new();
            index_pointers(&doc.value, &mut String::new(), &mut map, &mut back);
            pointers.push(map);
            by_pointer.push(back);
        }
        let mut arena = Arena {
            docs,
            registries,
            nodes: Vec::new(),
            by_key: HashMap::new(),
            pointers,
            by_pointer,
            constants: HashMap::new(),
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
        let key = Key::Source(doc, std::ptr::from_ref(value) as usize);
        if let Some(id) = self.by_key.get(&key) {
            return *id;
        }
        // A schema that is a reference to a definition is named after it.
        let def_name = def_name.or_else(|| {
            let reference = value.get("$ref")?.as_str()?;
            let (_, name) = reference
                .rsplit_once("/$defs/")
                .or_else(|| reference.rsplit_once("/definitions/"))?;
            Some(name.replace("~1", "/").replace("~0", "~"))
        });
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

    /// `node` with keyword group `group` taken from `donor`.
    pub fn subst(&mut self, node: NodeId, group: Group, donor: NodeId) -> NodeId {
        let def_name = self.nodes[node].def_name.clone();
        self.intern(Key::Subst(node, group, donor), def_name)
    }

    /// Only the keywords of `group` of `node`.
    pub fn project(&mut self, node: NodeId, group: Group) -> NodeId {
        self.intern(Key::Project(node, group), None)
    }

    /// The values `node` refuses.
    pub fn not(&mut self, node: NodeId) -> NodeId {
        match node {
            TRUE => FALSE,
            FALSE => TRUE,
            _ => self.intern(Key::Not(node), None),
        }
    }

    /// `node` without the `index`-th element of a list group.
    pub fn dropped(&mut self, node: NodeId, group: Group, index: usize) -> NodeId {
        let def_name = self.nodes[node].def_name.clone();
        self.intern(Key::Dropped(node, group, index), def_name)
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
            Key::Source(doc, addr) => Some((
                *doc,
                self.pointers[*doc].get(addr).map_or("", String::as_str),
            )),
            Key::Conj(members) => members.iter().find_map(|m| self.location(*m)),
            Key::Typed(n, _) | Key::Subst(n, _, _) => self.location(*n),
            _ => None,
        }
    }

    /// The same node in document `doc` (the other version of its side: closed or as written).
    /// Nodes built from locations move to the same JSON Pointer in `doc`.
    pub fn moved(&mut self, node: NodeId, doc: usize) -> NodeId {
        match self.nodes[node].key.clone() {
            Key::Source(from, addr) if from != doc => {
                let pointer = self.pointers[from].get(&addr).cloned().unwrap_or_default();
                let Some(value) = self.by_pointer[doc].get(&pointer).copied() else {
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
            Key::Subst(n, g, d) => {
                let (n, d) = (self.moved(n, doc), self.moved(d, doc));
                self.subst(n, g, d)
            }
            Key::Project(n, g) => {
                let n = self.moved(n, doc);
                self.project(n, g)
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
                    pointer: self.pointers[*doc].get(addr)?.clone(),
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
            Key::Subst(..) | Key::Project(..) | Key::Dropped(..) | Key::Family(..) => None,
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
            Key::Subst(n, group, donor) => {
                let base = self.record(n);
                let donor = self.record(donor);
                self.finish(out_of_context(base.with_group(&group, &donor)))
            }
            Key::Project(n, group) => {
                let r = self.record(n);
                self.finish(out_of_context(r.project(&group)))
            }
            Key::Dropped(n, group, index) => {
                let mut r = (*self.record(n)).clone();
                match group {
                    Group::AnyOf if index < r.any_of.len() => {
                        r.any_of.remove(index);
                    }
                    Group::OneOf if index < r.one_of.len() => {
                        r.one_of.remove(index);
                    }
                    Group::Conditionals if index < r.conditionals.len() => {
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
                    enumeration: Some(vec![value]),
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

    /// The conjunction of two records. `b_node` is the node `b` belongs to, kept whole as a
    /// conjunct where its object keywords cannot merge with `a`'s.
    fn merge(&mut self, a: &Record, b: &Record, b_node: NodeId) -> Record {
        let mut out = a.clone();
        if b.unevaluated_properties.is_some() || b.unevaluated_items.is_some() {
            // `unevaluated*` reads the keywords of its own schema object: merged with others it
            // would mean something else, so that schema stays whole.
            out.all_of.push(b_node);
            return out;
        }
        out.types = a.types.and(b.types);
        out.integer_strict = a.integer_strict || b.integer_strict;
        out.enumeration = match (&a.enumeration, &b.enumeration) {
            (Some(x), Some(y)) => Some(x.iter().filter(|v| y.contains(v)).cloned().collect()),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        };
        out.minimum = tighter(&a.minimum, &b.minimum, true);
        out.maximum = tighter(&a.maximum, &b.maximum, false);
        out.multiple_of.extend(b.multiple_of.iter().cloned());
        out.min_length = a.min_length.max(b.min_length);
        out.max_length = min_opt(a.max_length, b.max_length);
        out.patterns.extend(b.patterns.iter().cloned());
        out.formats.extend(b.formats.iter().cloned());
        // Arrays: position by position.
        let len = a.prefix_items.len().max(b.prefix_items.len());
        if len > 0 {
            out.prefix_items = (0..len)
                .map(|i| self.conj(&[a.item(i), b.item(i)]))
                .collect();
        }
        out.items = self.conj(&[a.items, b.items]);
        out.min_items = a.min_items.max(b.min_items);
        out.max_items = min_opt(a.max_items, b.max_items);
        out.unique_items = a.unique_items || b.unique_items;
        out.contains.extend(b.contains.iter().cloned());
        // Objects: merged only where each key's schema stays the same.
        if object_mergeable(a, b) {
            let keys: BTreeSet<String> = a
                .properties
                .keys()
                .chain(b.properties.keys())
                .cloned()
                .collect();
            let mut properties = BTreeMap::new();
            let mut ok = true;
            for key in keys {
                match (self.key_schema(a, &key), self.key_schema(b, &key)) {
                    (Some(x), Some(y)) => {
                        properties.insert(key, self.conj(&[x, y]));
                    }
                    _ => ok = false,
                }
            }
            if ok {
                out.properties = properties;
                out.pattern_properties = if a.pattern_properties.is_empty() {
                    b.pattern_properties.clone()
                } else if b.pattern_properties.is_empty() {
                    a.pattern_properties.clone()
                } else {
                    a.pattern_properties
                        .iter()
                        .zip(&b.pattern_properties)
                        .map(|((p, x), (_, y))| (p.clone(), self.conj(&[*x, *y])))
                        .collect()
                };
                out.additional_properties =
                    self.conj(&[a.additional_properties, b.additional_properties]);
            } else {
                out.all_of.push(b_node);
            }
        } else {
            out.all_of.push(b_node);
        }
        out.required.extend(b.required.iter().cloned());
        out.property_names = self.conj(&[a.property_names, b.property_names]);
        out.min_properties = a.min_properties.max(b.min_properties);
        out.max_properties = min_opt(a.max_properties, b.max_properties);
        for (k, v) in &b.dependent_required {
            out.dependent_required
                .entry(k.clone())
                .or_default()
                .extend(v.iter().cloned());
        }
        for (k, v) in &b.dependent_schemas {
            let merged = match a.dependent_schemas.get(k) {
                Some(x) => self.conj(&[*x, *v]),
                None => *v,
            };
            out.dependent_schemas.insert(k.clone(), merged);
        }
        out.all_of.extend(b.all_of.iter().copied());
        out.any_of.extend(b.any_of.iter().cloned());
        out.one_of.extend(b.one_of.iter().cloned());
        out.not.extend(b.not.iter().copied());
        out.conditionals.extend(b.conditionals.iter().cloned());
        out.opaque.extend(b.opaque.iter().cloned());
        out
    }

    /// The schema a record applies to the value of `key`, when that does not depend on a
    /// pattern (`None` when a pattern might match it: merging then keeps both records).
    fn key_schema(&mut self, record: &Record, key: &str) -> Option<NodeId> {
        if let Some(id) = record.properties.get(key) {
            return if record.pattern_properties.is_empty() {
                Some(*id)
            } else {
                None
            };
        }
        if record.pattern_properties.is_empty() {
            Some(record.additional_properties)
        } else {
            None
        }
    }

    /// Simplifies a record into its canonical form.
    fn finish(&mut self, mut r: Record) -> Record {
        if let Some(values) = &mut r.enumeration {
            let mut canon: Vec<Value> = values.iter().map(canonical).collect();
            canon.sort_by_key(Value::to_string);
            canon.dedup();
            // Values the types refuse are not values of the schema.
            canon.retain(|v| r.types.contains(Types::of(v)));
            if r.integer_strict {
                canon.retain(|v| !matches!(v, Value::Number(n) if n.is_f64() && r.types.and(Types::FRACTION).is_empty()));
            }
            *values = canon;
            r.types = r.effective_types();
        }
        for list in [&mut r.patterns, &mut r.formats] {
            list.sort();
            list.dedup();
        }
        r.multiple_of.sort_by_key(Number::to_string);
        r.multiple_of.dedup();
        r.pattern_properties.sort_by(|a, b| a.0.cmp(&b.0));
        r.all_of.sort_unstable();
        r.all_of.dedup();
        r.not.sort_unstable();
        r.not.dedup();
        if r.not.contains(&TRUE) {
            return Record::none();
        }
        r.not.retain(|n| *n != FALSE);
        // Unions: `false` branches drop out; a `true` branch makes an `anyOf` vacuous.
        let mut any_of = Vec::new();
        for mut group in std::mem::take(&mut r.any_of) {
            group.retain(|b| *b != FALSE);
            group.sort_unstable();
            group.dedup();
            if group.contains(&TRUE) && !self.annotations_matter {
                continue;
            }
            match group.len() {
                0 => return Record::none(),
                _ => any_of.push(group),
            }
        }
        // An `anyOf` of plain types is a type list.
        let mut kept = Vec::new();
        for group in any_of {
            let plain: Option<Types> = group
                .iter()
                .map(|b| {
                    let rec = self.record(*b);
                    let only_types = Record {
                        types: Types::ALL,
                        ..(*rec).clone()
                    }
                    .is_any()
                        && !rec.integer_strict;
                    only_types.then_some(rec.types)
                })
                .try_fold(Types::NONE, |acc, t| t.map(|t| acc.or(t)));
            match plain {
                Some(types) => r.types = r.types.and(types),
                None if group.len() == 1 => {
                    // One branch is a plain conjunct.
                    let rec = self.record(group[0]);
                    r = self.merge(&r, &rec, group[0]);
                }
                None => kept.push(group),
            }
        }
        kept.sort();
        kept.dedup();
        r.any_of = kept;
        let mut one_of = Vec::new();
        for mut group in std::mem::take(&mut r.one_of) {
            group.retain(|b| *b != FALSE);
            group.sort_unstable();
            // A `oneOf` of plain types that share no value is a type list too.
            let plain: Option<Vec<Types>> = group
                .iter()
                .map(|b| {
                    let rec = self.record(*b);
                    let only_types = Record {
                        types: Types::ALL,
                        ..(*rec).clone()
                    }
                    .is_any()
                        && !rec.integer_strict;
                    only_types.then_some(rec.types)
                })
                .collect();
            if let Some(types) = plain {
                let union = types.iter().fold(Types::NONE, |acc, t| acc.or(*t));
                let disjoint =
                    types.iter().map(|t| t.0.count_ones()).sum::<u32>() == union.0.count_ones();
                if disjoint && group.len() > 1 {
                    r.types = r.types.and(union);
                    continue;
                }
            }
            match group.len() {
                0 => return Record::none(),
                1 => {
                    let rec = self.record(group[0]);
                    r = self.merge(&r, &rec, group[0]);
                }
                _ => one_of.push(group),
            }
        }
        one_of.sort();
        r.one_of = one_of;
        let mut conditionals = Vec::new();
        for c in std::mem::take(&mut r.conditionals) {
            if c.then == TRUE && c.otherwise == TRUE && !self.annotations_matter {
                continue;
            }
            match c.condition {
                TRUE => {
                    let rec = self.record(c.then);
                    r = self.merge(&r, &rec, c.then);
                }
                FALSE => {
                    let rec = self.record(c.otherwise);
                    r = self.merge(&r, &rec, c.otherwise);
                }
                _ => conditionals.push(c),
            }
        }
        conditionals.sort_by_key(|c| (c.condition, c.then, c.otherwise));
        conditionals.dedup();
        r.conditionals = conditionals;
        if r.all_of.contains(&FALSE) {
            return Record::none();
        }
        r.all_of.retain(|n| *n != TRUE);
        // Bounds on integers only, as the integer they let through: `exclusiveMinimum: 4` and
        // `minimum: 5` are the same schema there.
        if r.types.intersects(Types::INTEGER) && !r.types.intersects(Types::FRACTION) {
            for (bound, lower) in [(&mut r.minimum, true), (&mut r.maximum, false)] {
                if let Some(b) = bound.as_ref()
                    && let Some(edge) = crate::compat::rules::numbers::first_integer(b, lower)
                    && is_integral(&edge)
                {
                    *bound = Some(Bound {
                        value: edge,
                        exclusive: false,
                    });
                }
            }
        }
        // Contradictions.
        if r.is_none() {
            return Record::none();
        }
        if let (Some(lo), Some(hi)) = (&r.minimum, &r.maximum) {
            let order = cmp_numbers(&lo.value, &hi.value);
            if order == std::cmp::Ordering::Greater
                || (order == std::cmp::Ordering::Equal && (lo.exclusive || hi.exclusive))
            {
                r.types = r.types.minus(Types::NUMBER);
            }
        }
        if r.max_length.is_some_and(|max| max < r.min_length) {
            r.types = r.types.minus(Types::STRING);
        }
        if r.max_items.is_some_and(|max| max < r.min_items) {
            r.types = r.types.minus(Types::ARRAY);
        }
        if r.max_properties.is_some_and(|max| max < r.min_properties) {
            r.types = r.types.minus(Types::OBJECT);
        }
        if r.types.is_empty() {
            return Record::none();
        }
        prune(&mut r, self.annotations_matter);
        r
    }
}

/// A record taken apart (a keyword dropped, one group alone): `unevaluated*` would now read
/// other keywords than its own, so it is set aside as a mark no producer satisfies. For a
/// producer that only widens it; for a reader, nothing can be shown through it.
fn out_of_context(mut r: Record) -> Record {
    for (keyword, value) in [
        ("unevaluatedProperties", r.unevaluated_properties.take()),
        ("unevaluatedItems", r.unevaluated_items.take()),
    ] {
        if value.is_some() {
            r.opaque.push(Opaque {
                keyword: format!("({keyword} taken out of its schema)"),
                value: Value::Null,
            });
        }
    }
    r
}

/// Drops the keywords that cannot apply to the types a record allows, and their defaults.
fn prune(r: &mut Record, annotations_matter: bool) {
    if !r.types.intersects(Types::NUMBER) {
        r.minimum = None;
        r.maximum = None;
        r.multiple_of.clear();
    }
    if !r.types.intersects(Types::INTEGER) {
        r.integer_strict = false;
    }
    if !r.types.intersects(Types::STRING) {
        r.min_length = 0;
        r.max_length = None;
        r.patterns.clear();
        r.formats.clear();
    }
    if !r.types.intersects(Types::ARRAY) {
        r.prefix_items.clear();
        r.items = TRUE;
        r.min_items = 0;
        r.max_items = None;
        r.unique_items = false;
        r.contains.clear();
        r.unevaluated_items = None;
    }
    if !r.types.intersects(Types::OBJECT) {
        r.properties.clear();
        r.pattern_properties.clear();
        r.additional_properties = TRUE;
        r.required.clear();
        r.property_names = TRUE;
        r.min_properties = 0;
        r.max_properties = None;
        r.dependent_required.clear();
        r.dependent_schemas.clear();
        r.unevaluated_properties = None;
    }
    while r.prefix_items.last() == Some(&r.items) {
        r.prefix_items.pop();
    }
    if r.max_items
        .is_some_and(|max| (max as usize) < r.prefix_items.len())
    {
        // Positions past the maximum are never read.
        r.prefix_items.truncate(r.max_items.unwrap_or(0) as usize);
    }
    if !annotations_matter {
        r.contains.retain(|c| !(c.min == 0 && c.max.is_none()));
    }
    r.dependent_required.retain(|_, v| !v.is_empty());
    r.dependent_schemas.retain(|_, v| *v != TRUE);
    if r.unevaluated_properties == Some(TRUE) {
        r.unevaluated_properties = None;
    }
    if r.unevaluated_items == Some(TRUE) {
        r.unevaluated_items = None;
    }
}

/// Whether two records' object keywords can be merged into one record without changing which
/// schema applies to which key.
fn object_mergeable(a: &Record, b: &Record) -> bool {
    let open = |r: &Record| r.pattern_properties.is_empty() && r.additional_properties == TRUE;
    let same_patterns = a.pattern_properties.len() == b.pattern_properties.len()
        && a.pattern_properties
            .iter()
            .zip(&b.pattern_properties)
            .all(|(x, y)| x.0 == y.0);
    (open(a) || open(b) || same_patterns)
        && (a.pattern_properties.is_empty() || b.pattern_properties.is_empty() || same_patterns)
}

fn min_opt(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    }
}

/// The tighter of two bounds: the larger lower bound or the smaller upper bound.
pub(crate) fn tighter(a: &Option<Bound>, b: &Option<Bound>, lower: bool) -> Option<Bound> {
    match (a, b) {
        (Some(x), Some(y)) => {
            let order = cmp_numbers(&x.value, &y.value);
            let pick_x = match order {
                std::cmp::Ordering::Equal => x.exclusive || !y.exclusive,
                std::cmp::Ordering::Greater => lower,
                std::cmp::Ordering::Less => !lower,
            };
            Some(if pick_x { x.clone() } else { y.clone() })
        }
        (x, None) => x.clone(),
        (None, y) => y.clone(),
    }
}

/// Compares two JSON numbers exactly (an integer and a float by value, with no rounding).
pub(crate) fn cmp_numbers(a: &Number, b: &Number) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    fn as_int(n: &Number) -> Option<i128> {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    }
    match (as_int(a), as_int(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(x), None) => cmp_int_float(x, b.as_f64().unwrap_or(0.0)),
        (None, Some(y)) => cmp_int_float(y, a.as_f64().unwrap_or(0.0)).reverse(),
        (None, None) => a
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&b.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
    }
}

fn cmp_int_float(i: i128, f: f64) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // Every f64 beyond ±2^127 is beyond every i128 here (they come from 64-bit integers).
    if f >= 1.7e38 {
        return Ordering::Less;
    }
    if f <= -1.7e38 {
        return Ordering::Greater;
    }
    let whole = f.trunc() as i128;
    match i.cmp(&whole) {
        Ordering::Equal => {
            let frac = f - f.trunc();
            if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        other => other,
    }
}

/// A value in canonical form: integral floats as integers (`1.0` is `1` in JSON Schema).
pub(crate) fn canonical(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Value::from(f as i64)
            } else {
                value.clone()
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), canonical(v)))
                .collect::<Map<String, Value>>(),
        ),
        other => other.clone(),
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

fn index_pointers<'v>(
    value: &'v Value,
    pointer: &mut String,
    map: &mut HashMap<usize, String>,
    back: &mut HashMap<String, &'v Value>,
) {
    map.insert(std::ptr::from_ref(value) as usize, pointer.clone());
    back.insert(pointer.clone(), value);
    match value {
        Value::Object(object) => {
            for (k, v) in object {
                let len = pointer.len();
                opentact_events::json::push_token(pointer, k);
                index_pointers(v, pointer, map, back);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                index_pointers(v, pointer, map, back);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Reads one schema object's keywords into a record, by draft.
struct Builder<'a, 'r> {
    arena: &'a mut Arena<'r>,
    resolver: Resolver<'r>,
    draft: Draft,
    doc: usize,
    record: Record,
    /// In-place subschemas to merge in (`$ref`, `allOf`).
    conjuncts: Vec<NodeId>,
}

impl<'r> Builder<'_, 'r> {
    fn child(&mut self, value: &'r Value) -> NodeId {
        self.arena
            .source(self.doc, value, self.resolver.clone(), self.draft, None)
    }

    fn children(&mut self, value: &'r Value) -> Option<Vec<NodeId>> {
        let items = value.as_array()?;
        Some(items.iter().map(|v| self.child(v)).collect())
    }

    fn opaque(&mut self, keyword: &str, value: &Value) {
        self.record.opaque.push(Opaque {
            keyword: keyword.to_owned(),
            value: value.clone(),
        });
    }

    fn reference(&mut self, keyword: &str, value: &'r Value) {
        let Some(reference) = value.as_str() else {
            return self.opaque(keyword, value);
        };
        let resolved = match keyword {
            "$recursiveRef" => self.resolver.lookup_recursive_ref(),
            _ => self.resolver.lookup(reference),
        };
        match resolved {
            Ok(resolved) => {
                let (contents, resolver, draft) = resolved.into_inner();
                let name = reference
                    .rsplit_once("/$defs/")
                    .or_else(|| reference.rsplit_once("/definitions/"))
                    .map(|(_, name)| name.replace("~1", "/").replace("~0", "~"));
                let draft = if draft == Draft::Unknown {
                    self.draft
                } else {
                    draft
                };
                let id = self.arena.source(self.doc, contents, resolver, draft, name);
                if keyword != "$ref" {
                    // Where a dynamic reference lands depends on how the schema was entered;
                    // the static target is followed and the keyword kept as written.
                    self.opaque(keyword, value);
                }
                self.conjuncts.push(id);
            }
            Err(_) => self.opaque(keyword, value),
        }
    }

    fn keywords(&mut self, map: &'r Map<String, Value>) {
        if self.arena.annotations_matter {
            // `additionalProperties: true` (or `items`, `unevaluated*`) evaluates keys that an
            // absent keyword leaves for `unevaluated*` to judge: not the same schema then.
            for keyword in [
                "additionalProperties",
                "items",
                "additionalItems",
                "unevaluatedProperties",
                "unevaluatedItems",
                "prefixItems",
                "contains",
            ] {
                if map.contains_key(keyword) {
                    self.record.opaque.push(Opaque {
                        keyword: format!("(evaluates: {keyword})"),
                        value: Value::Bool(true),
                    });
                }
            }
        }
        let legacy = matches!(self.draft, Draft::Draft4 | Draft::Draft6 | Draft::Draft7);
        if legacy && let Some(target) = map.get("$ref") {
            // Before 2019-09 a `$ref` makes its siblings ignored.
            return self.reference("$ref", target);
        }
        let draft4 = self.draft == Draft::Draft4;
        for (keyword, value) in map {
            match keyword.as_str() {
                "type" => {
                    let names: Vec<&str> = match value {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                        _ => Vec::new(),
                    };
                    let types = names
                        .iter()
                        .filter_map(|n| Types::named(n))
                        .fold(Types::NONE, Types::or);
                    self.record.types = self.record.types.and(types);
                    if draft4 && types.contains(Types::INTEGER) && !types.contains(Types::FRACTION)
                    {
                        self.record.integer_strict = true;
                    }
                }
                "enum" => match value.as_array() {
                    Some(values) => self.narrow_enum(values.clone()),
                    None => self.opaque(keyword, value),
                },
                "const" if !draft4 => self.narrow_enum(vec![value.clone()]),
                "multipleOf" => match value {
                    Value::Number(n) => self.record.multiple_of.push(n.clone()),
                    _ => self.opaque(keyword, value),
                },
                "minimum" | "maximum" => {
                    let Value::Number(n) = value else {
                        self.opaque(keyword, value);
                        continue;
                    };
                    let lower = keyword == "minimum";
                    let flag = if lower {
                        "exclusiveMinimum"
                    } else {
                        "exclusiveMaximum"
                    };
                    let exclusive = draft4 && map.get(flag) == Some(&Value::Bool(true));
                    self.bound(n.clone(), exclusive, lower);
                }
                "exclusiveMinimum" | "exclusiveMaximum" if !draft4 => {
                    let Value::Number(n) = value else {
                        self.opaque(keyword, value);
                        continue;
                    };
                    self.bound(n.clone(), true, keyword == "exclusiveMinimum");
                }
                "minLength" => self.record.min_length = self.record.min_length.max(count(value)),
                "maxLength" => {
                    self.record.max_length = min_opt(self.record.max_length, Some(count(value)));
                }
                "pattern" => match value.as_str() {
                    Some(p) => self.record.patterns.push(p.to_owned()),
                    None => self.opaque(keyword, value),
                },
                "format" => {
                    if let Some(f) = value.as_str() {
                        self.record.formats.push(f.to_owned());
                    }
                }
                "contentMediaType" | "contentEncoding"
                    if matches!(self.draft, Draft::Draft6 | Draft::Draft7) =>
                {
                    // Asserted by some validators for these drafts, by others not.
                    self.opaque(keyword, value);
                }
                "items" => match value {
                    Value::Array(schemas) => {
                        self.record.prefix_items = schemas.iter().map(|s| self.child(s)).collect();
                        self.record.items = match map.get("additionalItems") {
                            Some(additional) => self.child(additional),
                            None => TRUE,
                        };
                        if self.draft == Draft::Draft202012 {
                            // An `items` array is not 2020-12: validators differ on it.
                            self.opaque(keyword, value);
                        }
                    }
                    _ => {
                        let id = self.child(value);
                        self.record.items = id;
                    }
                },
                "prefixItems" if self.draft == Draft::Draft202012 => {
                    if let Some(ids) = self.children(value) {
                        self.record.prefix_items = ids;
                    }
                }
                // With an `items` array it is read there; with a schema `items` it does nothing.
                // In 2020-12 it is not a keyword, though some validators apply it.
                "additionalItems"
                    if self.draft == Draft::Draft202012
                        && map.get("items").is_none_or(Value::is_array) =>
                {
                    self.opaque(keyword, value);
                }
                "maxItems" => {
                    self.record.max_items = min_opt(self.record.max_items, Some(count(value)));
                }
                "minItems" => self.record.min_items = self.record.min_items.max(count(value)),
                "uniqueItems" if value == &Value::Bool(true) => self.record.unique_items = true,
                "contains" if self.draft != Draft::Draft4 => {
                    let schema = self.child(value);
                    let modern = matches!(self.draft, Draft::Draft201909 | Draft::Draft202012);
                    let min = if modern {
                        map.get("minContains").map_or(1, count)
                    } else {
                        1
                    };
                    let max = if modern {
                        map.get("maxContains").map(count)
                    } else {
                        None
                    };
                    self.record.contains.push(Contains { schema, min, max });
                }
                "maxProperties" => {
                    self.record.max_properties =
                        min_opt(self.record.max_properties, Some(count(value)));
                }
                "minProperties" => {
                    self.record.min_properties = self.record.min_properties.max(count(value));
                }
                "required" => {
                    if let Some(keys) = value.as_array() {
                        self.record
                            .required
                            .extend(keys.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                }
                "properties" => {
                    if let Some(props) = value.as_object() {
                        for (k, v) in props {
                            let id = self.child(v);
                            self.record.properties.insert(k.clone(), id);
                        }
                    }
                }
                "patternProperties" => {
                    if let Some(props) = value.as_object() {
                        for (k, v) in props {
                            let id = self.child(v);
                            self.record.pattern_properties.push((k.clone(), id));
                        }
                    }
                }
                "additionalProperties" => {
                    self.record.additional_properties = self.child(value);
                }
                "propertyNames" if self.draft != Draft::Draft4 => {
                    self.record.property_names = self.child(value);
                }
                "dependencies" => {
                    let modern = matches!(self.draft, Draft::Draft201909 | Draft::Draft202012);
                    if modern {
                        // Not a keyword of this draft, though some validators apply it.
                        self.opaque(keyword, value);
                        continue;
                    }
                    if let Some(deps) = value.as_object() {
                        for (k, v) in deps {
                            self.dependency(k, v);
                        }
                    }
                }
                "dependentRequired"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    if let Some(deps) = value.as_object() {
                        for (k, v) in deps {
                            self.dependency(k, v);
                        }
                    }
                }
                "dependentSchemas"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    if let Some(deps) = value.as_object() {
                        for (k, v) in deps {
                            if v.is_object() || v.is_boolean() {
                                self.dependency(k, v);
                            }
                        }
                    }
                }
                "allOf" => {
                    if let Some(ids) = self.children(value) {
                        self.conjuncts.extend(ids);
                    }
                }
                "anyOf" => {
                    if let Some(ids) = self.children(value) {
                        self.record.any_of.push(ids);
                    }
                }
                "oneOf" => {
                    if let Some(ids) = self.children(value) {
                        self.record.one_of.push(ids);
                    }
                }
                "not" => {
                    let id = self.child(value);
                    self.record.not.push(id);
                }
                "if" if self.draft != Draft::Draft4 && self.draft != Draft::Draft6 => {
                    let condition = self.child(value);
                    let then = match map.get("then") {
                        Some(v) => self.child(v),
                        None => TRUE,
                    };
                    let otherwise = match map.get("else") {
                        Some(v) => self.child(v),
                        None => TRUE,
                    };
                    self.record.conditionals.push(Conditional {
                        condition,
                        then,
                        otherwise,
                    });
                }
                "$ref" => self.reference(keyword, value),
                "$recursiveRef" if self.draft == Draft::Draft201909 => {
                    self.reference(keyword, value);
                }
                "$dynamicRef" if self.draft == Draft::Draft202012 => {
                    self.reference(keyword, value);
                }
                "unevaluatedProperties"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    self.record.unevaluated_properties = Some(self.child(value));
                }
                "unevaluatedItems"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    self.record.unevaluated_items = Some(self.child(value));
                }
                _ => {}
            }
        }
    }

    fn narrow_enum(&mut self, values: Vec<Value>) {
        let values: Vec<Value> = values.iter().map(canonical).collect();
        self.record.enumeration = Some(match self.record.enumeration.take() {
            Some(existing) => existing
                .into_iter()
                .filter(|v| values.contains(v))
                .collect(),
            None => values,
        });
    }

    fn bound(&mut self, value: Number, exclusive: bool, lower: bool) {
        let new = Some(Bound { value, exclusive });
        if lower {
            self.record.minimum = tighter(&self.record.minimum, &new, true);
        } else {
            self.record.maximum = tighter(&self.record.maximum, &new, false);
        }
    }

    fn dependency(&mut self, key: &str, value: &'r Value) {
        match value {
            Value::Array(keys) => {
                self.record
                    .dependent_required
                    .entry(key.to_owned())
                    .or_default()
                    .extend(keys.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            _ => {
                let id = self.child(value);
                let merged = match self.record.dependent_schemas.get(key) {
                    Some(existing) => self.arena.conj(&[*existing, id]),
                    None => id,
                };
                self.record.dependent_schemas.insert(key.to_owned(), merged);
            }
        }
    }
}

/// Whether a schema document uses `unevaluatedProperties` or `unevaluatedItems` anywhere.
fn uses_unevaluated(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            k == "unevaluatedProperties" || k == "unevaluatedItems" || uses_unevaluated(v)
        }),
        Value::Array(items) => items.iter().any(uses_unevaluated),
        _ => false,
    }
}

/// A non-negative count keyword's value (`minLength: 2.0` counts as 2).
fn count(value: &Value) -> u64 {
    match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
            .unwrap_or(0),
        _ => 0,
    }
}
