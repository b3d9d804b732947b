//! The vocabulary of changes: one enum, [`ChangeKind`], whose variants carry what changed, and
//! which decides from that data, once, everything a change needs: its stable [`Rule`] id, its
//! keyword and words, the keyword family whose rules prove it and aim witnesses at it, how to
//! apply it alone to a schema (to judge its own effect), which direction it cannot break by
//! itself, and whether a value at the change is refused because of it.

use opentact_events::json::pointer::{push_index, push_token};
use serde_json::{Number, Value, json};

use crate::Rule;
use crate::normal::{Bound, Enumeration, Family, Record, Types, cmp_numbers};

/// A token of a place in a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Token {
    Key(String),
    Index(usize),
    /// Any key the schema does not list (or that matches a pattern): `*` in a report.
    AnyKey,
}

/// A place in a value, as tokens.
pub(crate) type Place = Vec<Token>;

/// A place as a JSON Pointer, `*` standing for any key.
pub(crate) fn pointer(place: &[Token]) -> String {
    let mut out = String::new();
    for token in place {
        match token {
            Token::Key(key) => push_token(&mut out, key),
            Token::Index(i) => push_index(&mut out, *i),
            Token::AnyKey => out.push_str("/*"),
        }
    }
    out
}

/// Which union keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Union {
    AnyOf,
    OneOf,
}

impl Union {
    pub fn keyword(self) -> &'static str {
        match self {
            Union::AnyOf => "anyOf",
            Union::OneOf => "oneOf",
        }
    }
}

/// One change between the two versions, with its data. `old`/`new` are the two sides' values
/// of the keyword where the kind needs them to decide.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ChangeKind {
    /// One side allows no value at all here (`now_nothing`: the new one).
    Nothing {
        now_nothing: bool,
        old: Types,
        new: Types,
    },
    /// `type`, with draft-04's strict `integer`.
    Types {
        old: Types,
        new: Types,
        old_strict: bool,
        new_strict: bool,
    },
    /// One value of an `enum` added or removed.
    EnumValue { value: Value, added: bool },
    /// An `enum` or `const` appeared (`added`) where nothing listed the values, or went.
    Enum { values: Vec<Value>, added: bool },
    /// The one value of a `const` (or one-value `enum`) changed.
    Const { old: Value, new: Value },
    /// `minimum` (`lower`) or `maximum`, exclusive or not.
    Bound {
        lower: bool,
        old: Option<Bound>,
        new: Option<Bound>,
    },
    /// `multipleOf`.
    MultipleOf { old: Vec<Number>, new: Vec<Number> },
    /// `minLength` (`min`) or `maxLength`; `None` is no limit.
    Length {
        min: bool,
        old: Option<u64>,
        new: Option<u64>,
    },
    /// `pattern`s (each must match).
    Patterns { old: Vec<String>, new: Vec<String> },
    /// `format`s.
    Formats { old: Vec<String>, new: Vec<String> },
    /// `minItems` (`min`) or `maxItems`.
    ItemCount {
        min: bool,
        old: Option<u64>,
        new: Option<u64>,
    },
    /// `uniqueItems`, now `now`.
    UniqueItems { now: bool },
    /// `contains` with its counts.
    Contains,
    /// A key of `properties` added or removed.
    Property { key: String, added: bool },
    /// A key of `required` added or removed.
    Required { key: String, added: bool },
    /// `additionalProperties` became `false` (`closed`) or stopped being it.
    Additional { closed: bool },
    /// A `patternProperties` entry added or removed.
    PatternProperty { pattern: String, added: bool },
    /// `propertyNames`.
    PropertyNames,
    /// `minProperties` (`min`) or `maxProperties`.
    PropertyCount {
        min: bool,
        old: Option<u64>,
        new: Option<u64>,
    },
    /// The keys a key's presence requires (`dependentRequired`).
    DependentRequired {
        key: String,
        old: Option<Vec<String>>,
        new: Option<Vec<String>>,
    },
    /// The schema a key's presence applies (`dependentSchemas`) appeared (`added`) or went.
    DependentSchema { key: String, added: bool },
    /// A union branch added or removed; `null_only` when the branch is `{"type": "null"}`;
    /// `wrapping` when one side is the other wrapped in the union.
    Branch {
        union: Union,
        added: bool,
        null_only: bool,
        wrapping: bool,
        index: usize,
    },
    /// The same branches under `oneOf` (`to_one_of`) instead of `anyOf`, or the reverse.
    UnionKind { to_one_of: bool },
    /// `not`.
    Not,
    /// An `if`/`then`/`else` added or removed.
    Condition { added: bool },
    /// A conjunct that could not be merged added or removed.
    AllOf { added: bool },
    /// `unevaluatedProperties` or `unevaluatedItems`.
    Unevaluated { keyword: &'static str },
    /// A keyword kept as written (validators disagree on it, or it is a dynamic reference).
    Kept { keyword: String, dynamic: bool },
    /// A case of a discriminated union (a value of the key it is told apart by) added or
    /// removed; at a catalog's root, an event type.
    Case {
        key: String,
        value: Value,
        added: bool,
        event_type: bool,
    },
    /// The normal forms differ in a way no rule names.
    Unclassified,
    /// The walk's budget ran out before this pair of schemas (and `skipped` in all) was
    /// compared.
    NotWalked { budget: usize, skipped: usize },
    /// A definition no schema refers to changed.
    Unreferenced { location: String },
}

impl ChangeKind {
    /// The stable id.
    pub fn rule(&self) -> Rule {
        match self {
            ChangeKind::Nothing { now_nothing, .. } => {
                if *now_nothing {
                    Rule::TypeNarrowed
                } else {
                    Rule::TypeWidened
                }
            }
            ChangeKind::Types {
                old,
                new,
                old_strict,
                new_strict,
            } => {
                let added = new.minus(*old);
                let removed = old.minus(*new);
                if added == Types::NULL && removed.is_empty() && old_strict == new_strict {
                    Rule::NullAllowed
                } else if removed == Types::NULL && added.is_empty() && old_strict == new_strict {
                    Rule::NullDisallowed
                } else if removed.is_empty() && (*old_strict || !new_strict) {
                    Rule::TypeWidened
                } else if added.is_empty() && (*new_strict || !old_strict) {
                    Rule::TypeNarrowed
                } else {
                    Rule::TypeChanged
                }
            }
            ChangeKind::EnumValue { added, .. } => {
                if *added {
                    Rule::EnumValueAdded
                } else {
                    Rule::EnumValueRemoved
                }
            }
            ChangeKind::Enum { added, .. } => {
                if *added {
                    Rule::EnumAdded
                } else {
                    Rule::EnumRemoved
                }
            }
            ChangeKind::Const { .. } => Rule::ConstChanged,
            ChangeKind::Bound { .. }
            | ChangeKind::Length { .. }
            | ChangeKind::ItemCount { .. }
            | ChangeKind::PropertyCount { .. } => Rule::BoundsChanged,
            ChangeKind::MultipleOf { .. } => Rule::MultipleOfChanged,
            ChangeKind::Patterns { .. } => Rule::PatternChanged,
            ChangeKind::Formats { .. } => Rule::FormatChanged,
            ChangeKind::UniqueItems { .. } => Rule::UniqueItemsChanged,
            ChangeKind::Contains => Rule::ContainsChanged,
            ChangeKind::Property { added, .. } => {
                if *added {
                    Rule::PropertyAdded
                } else {
                    Rule::PropertyRemoved
                }
            }
            ChangeKind::Required { added, .. } => {
                if *added {
                    Rule::RequiredAdded
                } else {
                    Rule::RequiredRemoved
                }
            }
            ChangeKind::Additional { closed } => {
                if *closed {
                    Rule::UnknownFieldsClosed
                } else {
                    Rule::UnknownFieldsOpened
                }
            }
            ChangeKind::PatternProperty { .. } => Rule::PatternPropertiesChanged,
            ChangeKind::PropertyNames => Rule::PropertyNamesChanged,
            ChangeKind::DependentRequired { .. } => Rule::DependentRequiredChanged,
            ChangeKind::DependentSchema { .. } => Rule::DependentSchemasChanged,
            ChangeKind::Branch {
                added, null_only, ..
            } => match (null_only, added) {
                (true, true) => Rule::NullAllowed,
                (true, false) => Rule::NullDisallowed,
                (false, true) => Rule::UnionBranchAdded,
                (false, false) => Rule::UnionBranchRemoved,
            },
            ChangeKind::UnionKind { .. } => Rule::UnionKindChanged,
            ChangeKind::Not => Rule::NotChanged,
            ChangeKind::Condition { .. } => Rule::ConditionChanged,
            ChangeKind::AllOf { .. } => Rule::AllOfChanged,
            ChangeKind::Unevaluated { .. } => Rule::UnevaluatedChanged,
            ChangeKind::Kept { .. } | ChangeKind::Unclassified | ChangeKind::NotWalked { .. } => {
                Rule::Unclassified
            }
            ChangeKind::Case {
                added, event_type, ..
            } => match (event_type, added) {
                (true, true) => Rule::EventTypeAdded,
                (true, false) => Rule::EventTypeRemoved,
                (false, true) => Rule::EnumValueAdded,
                (false, false) => Rule::EnumValueRemoved,
            },
            ChangeKind::Unreferenced { .. } => Rule::Unreferenced,
        }
    }

    /// The keyword, as a schema spells it.
    pub fn keyword(&self) -> String {
        let bound = |lower: bool, b: &Option<Bound>| -> &'static str {
            let exclusive = b.as_ref().is_some_and(|b| b.exclusive);
            match (lower, exclusive) {
                (true, true) => "exclusiveMinimum",
                (true, false) => "minimum",
                (false, true) => "exclusiveMaximum",
                (false, false) => "maximum",
            }
        };
        let min_max = |min: bool, what: &str| format!("{}{what}", if min { "min" } else { "max" });
        match self {
            ChangeKind::Nothing { .. } | ChangeKind::Types { .. } => "type".into(),
            ChangeKind::EnumValue { .. } => "enum".into(),
            ChangeKind::Enum { values, .. } => {
                if values.len() == 1 { "const" } else { "enum" }.into()
            }
            ChangeKind::Const { .. } => "const".into(),
            ChangeKind::Bound { lower, old, new } => {
                bound(*lower, if new.is_some() { new } else { old }).into()
            }
            ChangeKind::MultipleOf { .. } => "multipleOf".into(),
            ChangeKind::Length { min, .. } => min_max(*min, "Length"),
            ChangeKind::Patterns { .. } => "pattern".into(),
            ChangeKind::Formats { .. } => "format".into(),
            ChangeKind::ItemCount { min, .. } => min_max(*min, "Items"),
            ChangeKind::UniqueItems { .. } => "uniqueItems".into(),
            ChangeKind::Contains => "contains".into(),
            ChangeKind::Property { .. } => "properties".into(),
            ChangeKind::Required { .. } => "required".into(),
            ChangeKind::Additional { .. } => "additionalProperties".into(),
            ChangeKind::PatternProperty { .. } => "patternProperties".into(),
            ChangeKind::PropertyNames => "propertyNames".into(),
            ChangeKind::PropertyCount { min, .. } => min_max(*min, "Properties"),
            ChangeKind::DependentRequired { .. } => "dependentRequired".into(),
            ChangeKind::DependentSchema { .. } => "dependentSchemas".into(),
            ChangeKind::Branch { union, .. } => union.keyword().into(),
            ChangeKind::UnionKind { .. } => "oneOf".into(),
            ChangeKind::Not => "not".into(),
            ChangeKind::Condition { .. } => "if".into(),
            ChangeKind::AllOf { .. } => "allOf".into(),
            ChangeKind::Unevaluated { keyword } => (*keyword).into(),
            ChangeKind::Kept { keyword, .. } => keyword.clone(),
            ChangeKind::Case {
                event_type: true, ..
            } => "type".into(),
            ChangeKind::Case { .. } => "enum".into(),
            ChangeKind::Unclassified | ChangeKind::NotWalked { .. } => String::new(),
            ChangeKind::Unreferenced { .. } => "$defs".into(),
        }
    }

    /// What changed, in words.
    pub fn detail(&self) -> String {
        let count = |n: &Option<u64>| n.map_or("none".to_owned(), |n| n.to_string());
        let bound = |b: &Option<Bound>, lower: bool| match b {
            Some(b) => format!(
                "{} {}",
                match (lower, b.exclusive) {
                    (true, true) => "exclusiveMinimum",
                    (true, false) => "minimum",
                    (false, true) => "exclusiveMaximum",
                    (false, false) => "maximum",
                },
                b.value
            ),
            None => "none".to_owned(),
        };
        let listed = |v: &[String]| match v {
            [] => "none".to_owned(),
            [x] => json!(x).to_string(),
            _ => json!(v).to_string(),
        };
        match self {
            ChangeKind::Nothing {
                now_nothing: true, ..
            } => "no value is allowed here any more".into(),
            ChangeKind::Nothing { new, .. } => {
                format!("no value was allowed here; now {} are", json!(new.names()))
            }
            ChangeKind::Types { old, new, .. } => match self.rule() {
                Rule::NullAllowed => "null is now allowed".into(),
                Rule::NullDisallowed => "null is no longer allowed".into(),
                _ => format!("type {} to {}", json!(old.names()), json!(new.names())),
            },
            ChangeKind::EnumValue { value, added } => {
                format!("value {value} {}", if *added { "added" } else { "removed" })
            }
            ChangeKind::Enum {
                values,
                added: true,
            } => format!("only {} allowed now", json!(values)),
            ChangeKind::Enum { values, .. } => format!("no longer only {}", json!(values)),
            ChangeKind::Const { old, new } => format!("const {old} to {new}"),
            ChangeKind::Bound { lower, old, new } => {
                format!("{} to {}", bound(old, *lower), bound(new, *lower))
            }
            ChangeKind::MultipleOf { old, new } => {
                let list = |v: &[Number]| {
                    if v.is_empty() {
                        "null".to_owned()
                    } else {
                        json!(v).to_string()
                    }
                };
                format!("multipleOf {} to {}", list(old), list(new))
            }
            ChangeKind::Length { old, new, .. }
            | ChangeKind::ItemCount { old, new, .. }
            | ChangeKind::PropertyCount { old, new, .. } => {
                format!("{} {} to {}", self.keyword(), count(old), count(new))
            }
            ChangeKind::Patterns { old, new } => {
                format!("pattern {} to {}", listed(old), listed(new))
            }
            ChangeKind::Formats { old, new } => {
                format!("format {} to {}", listed(old), listed(new))
            }
            ChangeKind::UniqueItems { now } => format!("uniqueItems {} to {now}", !now),
            ChangeKind::Contains => "the items the array must contain changed".into(),
            ChangeKind::Property { key, added } => {
                format!("key `{key}` {}", if *added { "added" } else { "removed" })
            }
            ChangeKind::Required { key, added } => format!(
                "key `{key}` {}",
                if *added {
                    "now required"
                } else {
                    "no longer required"
                }
            ),
            ChangeKind::Additional { closed: true } => {
                "keys the schema does not list are now refused".into()
            }
            ChangeKind::Additional { closed: false } => {
                "keys the schema does not list are now accepted".into()
            }
            ChangeKind::PatternProperty { pattern, added } => format!(
                "keys matching {} {}",
                json!(pattern),
                if *added {
                    "now have a schema of their own"
                } else {
                    "no longer have a schema of their own"
                }
            ),
            ChangeKind::PropertyNames => "the schema of key names changed".into(),
            ChangeKind::DependentRequired { key, .. } => {
                format!("the keys `{key}` needs changed")
            }
            ChangeKind::DependentSchema { key, .. } => {
                format!("the schema that applies when `{key}` is present changed")
            }
            ChangeKind::Branch {
                union,
                added,
                null_only,
                wrapping,
                index,
            } => match (null_only, added) {
                (true, true) => "null is now allowed".into(),
                (true, false) => "null is no longer allowed".into(),
                _ => {
                    let verb = if *added { "added" } else { "removed" };
                    if *wrapping {
                        format!("{} branch {index} {verb}", union.keyword())
                    } else {
                        format!("{} branch {verb}", union.keyword())
                    }
                }
            },
            ChangeKind::UnionKind { to_one_of: true } => "anyOf became oneOf".into(),
            ChangeKind::UnionKind { to_one_of: false } => "oneOf became anyOf".into(),
            ChangeKind::Not => "the values refused by `not` changed".into(),
            ChangeKind::Condition { added } => format!(
                "a condition (if/then/else) {}",
                if *added { "added" } else { "removed" }
            ),
            ChangeKind::AllOf { added } => format!(
                "a schema every value must also meet {}",
                if *added { "added" } else { "removed" }
            ),
            ChangeKind::Unevaluated { keyword } => format!("{keyword} changed"),
            ChangeKind::Kept {
                keyword,
                dynamic: true,
            } => format!(
                "`{keyword}`: where it lands depends on how the schema is entered, which this check does not follow"
            ),
            ChangeKind::Kept { keyword, .. } => format!(
                "`{keyword}` changed; validators disagree on what it means here, so no rule can judge it"
            ),
            ChangeKind::Case {
                value,
                added,
                event_type: true,
                ..
            } => format!(
                "event type `{}` {}",
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned),
                if *added { "added" } else { "removed" }
            ),
            ChangeKind::Case { value, added, .. } => {
                format!("value {value} {}", if *added { "added" } else { "removed" })
            }
            ChangeKind::Unclassified => "the schemas differ here in a way no rule names".into(),
            ChangeKind::NotWalked { budget, skipped } => format!(
                "not compared: the walk's budget of {budget} pairs of schemas ran out ({skipped} pairs left)"
            ),
            ChangeKind::Unreferenced { location } => format!(
                "the definition at `{location}` changed, but no schema refers to it: no value meets it"
            ),
        }
    }

    /// The keyword family whose rules prove this change's effect and aim witnesses at it;
    /// `None` for a change of the node's whole shape (the union of every family's aims).
    pub fn family(&self) -> Option<Family> {
        Some(match self {
            ChangeKind::Types { .. }
            | ChangeKind::EnumValue { .. }
            | ChangeKind::Enum { .. }
            | ChangeKind::Const { .. } => Family::Values,
            ChangeKind::Bound { .. } | ChangeKind::MultipleOf { .. } => Family::Numbers,
            ChangeKind::Length { .. }
            | ChangeKind::Patterns { .. }
            | ChangeKind::Formats { .. } => Family::Strings,
            ChangeKind::ItemCount { .. }
            | ChangeKind::UniqueItems { .. }
            | ChangeKind::Contains => Family::Arrays,
            ChangeKind::Property { .. }
            | ChangeKind::Required { .. }
            | ChangeKind::Additional { .. }
            | ChangeKind::PatternProperty { .. }
            | ChangeKind::PropertyNames
            | ChangeKind::PropertyCount { .. }
            | ChangeKind::DependentRequired { .. }
            | ChangeKind::DependentSchema { .. } => Family::Objects,
            ChangeKind::Branch {
                wrapping: false, ..
            }
            | ChangeKind::UnionKind { .. }
            | ChangeKind::Not
            | ChangeKind::Condition { .. }
            | ChangeKind::AllOf { .. } => Family::Logic,
            ChangeKind::Unevaluated { .. } | ChangeKind::Kept { .. } => Family::Other,
            ChangeKind::Nothing { .. }
            | ChangeKind::Branch { wrapping: true, .. }
            | ChangeKind::Case { .. }
            | ChangeKind::Unclassified
            | ChangeKind::NotWalked { .. }
            | ChangeKind::Unreferenced { .. } => return None,
        })
    }

    /// Whether the change is about an object's keys, so that a reader refuses a witness at the
    /// object that holds (or lacks) the key rather than at the key's value.
    pub fn about_keys(&self) -> bool {
        self.family() == Some(Family::Objects)
    }

    /// `base` with this change alone applied from `donor` (the other side's record at the same
    /// place): what judges the change's own effect.
    pub fn isolate(&self, base: &Record, donor: &Record) -> Record {
        let mut out = base.clone();
        match self {
            ChangeKind::Types { .. } => {
                out.types = donor.types;
                out.integer_strict = donor.integer_strict;
            }
            ChangeKind::EnumValue { value, .. } => {
                if let Some(values) = &mut out.enumeration {
                    if donor
                        .enumeration
                        .as_ref()
                        .is_some_and(|d| d.contains(value))
                    {
                        values.insert(value);
                    } else {
                        values.remove(value);
                    }
                }
            }
            ChangeKind::Enum { .. } | ChangeKind::Const { .. } => {
                out.enumeration = donor.enumeration.clone();
            }
            ChangeKind::Bound { lower: true, .. } => out.minimum = donor.minimum.clone(),
            ChangeKind::Bound { lower: false, .. } => out.maximum = donor.maximum.clone(),
            ChangeKind::MultipleOf { .. } => out.multiple_of = donor.multiple_of.clone(),
            ChangeKind::Length { min: true, .. } => out.min_length = donor.min_length,
            ChangeKind::Length { min: false, .. } => out.max_length = donor.max_length,
            ChangeKind::Patterns { .. } => out.patterns = donor.patterns.clone(),
            ChangeKind::Formats { .. } => out.formats = donor.formats.clone(),
            ChangeKind::ItemCount { min: true, .. } => out.min_items = donor.min_items,
            ChangeKind::ItemCount { min: false, .. } => out.max_items = donor.max_items,
            ChangeKind::UniqueItems { .. } => out.unique_items = donor.unique_items,
            ChangeKind::Contains => out.contains = donor.contains.clone(),
            ChangeKind::Property { key, .. } => match donor.properties.get(key) {
                Some(id) => {
                    out.properties.insert(key.clone(), *id);
                }
                None => {
                    out.properties.remove(key);
                }
            },
            ChangeKind::Required { key, .. } => {
                if donor.required.contains(key) {
                    out.required.insert(key.clone());
                } else {
                    out.required.remove(key);
                }
            }
            ChangeKind::Additional { .. } => {
                out.additional_properties = donor.additional_properties;
            }
            ChangeKind::PatternProperty { pattern, .. } => {
                out.pattern_properties.retain(|(p, _)| p != pattern);
                out.pattern_properties.extend(
                    donor
                        .pattern_properties
                        .iter()
                        .filter(|(p, _)| p == pattern)
                        .cloned(),
                );
                out.pattern_properties.sort_by(|a, b| a.0.cmp(&b.0));
            }
            ChangeKind::PropertyNames => out.property_names = donor.property_names,
            ChangeKind::PropertyCount { min: true, .. } => {
                out.min_properties = donor.min_properties;
            }
            ChangeKind::PropertyCount { min: false, .. } => {
                out.max_properties = donor.max_properties;
            }
            ChangeKind::DependentRequired { key, .. } => match donor.dependent_required.get(key) {
                Some(keys) => {
                    out.dependent_required.insert(key.clone(), keys.clone());
                }
                None => {
                    out.dependent_required.remove(key);
                }
            },
            ChangeKind::DependentSchema { key, .. } => match donor.dependent_schemas.get(key) {
                Some(id) => {
                    out.dependent_schemas.insert(key.clone(), *id);
                }
                None => {
                    out.dependent_schemas.remove(key);
                }
            },
            ChangeKind::Branch {
                union: Union::AnyOf,
                wrapping: false,
                ..
            } => out.any_of = donor.any_of.clone(),
            ChangeKind::Branch {
                union: Union::OneOf,
                wrapping: false,
                ..
            } => out.one_of = donor.one_of.clone(),
            ChangeKind::UnionKind { .. } => {
                out.any_of = donor.any_of.clone();
                out.one_of = donor.one_of.clone();
            }
            ChangeKind::Not => out.not = donor.not.clone(),
            ChangeKind::Condition { .. } => out.conditionals = donor.conditionals.clone(),
            ChangeKind::AllOf { .. } => out.all_of = donor.all_of.clone(),
            ChangeKind::Unevaluated { .. } => {
                out.unevaluated_properties = donor.unevaluated_properties;
                out.unevaluated_items = donor.unevaluated_items;
            }
            ChangeKind::Kept { .. } => out.opaque = donor.opaque.clone(),
            ChangeKind::Nothing { .. }
            | ChangeKind::Branch { wrapping: true, .. }
            | ChangeKind::Case { .. }
            | ChangeKind::Unclassified
            | ChangeKind::NotWalked { .. }
            | ChangeKind::Unreferenced { .. } => out = donor.clone(),
        }
        out
    }

    /// Which side the change leaves looser, from its data alone: `Some(true)` when the new
    /// side accepts at least what the old one does here (so readers on the new version, the
    /// backward direction, cannot break because of it), `Some(false)` when it accepts at most
    /// that (the forward direction cannot break), `None` when the data does not say.
    ///
    /// It holds for the change in place, so it is used only where everything above the change
    /// keeps the meaning monotone (not under a `oneOf` branch, see `walk`).
    pub fn loosens(&self) -> Option<bool> {
        let looser_count = |min: bool, old: &Option<u64>, new: &Option<u64>| match (old, new) {
            (Some(o), Some(n)) if o == n => None,
            (Some(o), Some(n)) => Some((n < o) == min),
            // `None` is no limit: for a minimum that is 0.
            (None, Some(_)) => Some(false),
            (Some(_), None) => Some(true),
            (None, None) => None,
        };
        match self {
            ChangeKind::Nothing { now_nothing, .. } => Some(!now_nothing),
            ChangeKind::Types {
                old,
                new,
                old_strict,
                new_strict,
            } => {
                if new.contains(*old) && (*old_strict || !new_strict) {
                    Some(true)
                } else if old.contains(*new) && (*new_strict || !old_strict) {
                    Some(false)
                } else {
                    None
                }
            }
            ChangeKind::EnumValue { added, .. } => Some(*added),
            // An enumeration that appears narrows; one that goes widens.
            ChangeKind::Enum { added, .. } => Some(!added),
            ChangeKind::Bound { lower, old, new } => match (old, new) {
                (None, Some(_)) => Some(false),
                (Some(_), None) => Some(true),
                (Some(o), Some(n)) => {
                    let order = cmp_numbers(&n.value, &o.value);
                    // Looser: a lower bound moved down (or the same value, no longer
                    // exclusive); an upper bound moved up.
                    let order = if *lower { order.reverse() } else { order };
                    match order {
                        std::cmp::Ordering::Greater => Some(true),
                        std::cmp::Ordering::Less => Some(false),
                        std::cmp::Ordering::Equal if o.exclusive == n.exclusive => None,
                        std::cmp::Ordering::Equal => Some(o.exclusive),
                    }
                }
                (None, None) => None,
            },
            ChangeKind::Length { min, old, new }
            | ChangeKind::ItemCount { min, old, new }
            | ChangeKind::PropertyCount { min, old, new } => looser_count(*min, old, new),
            // Every pattern (format) must hold: fewer of them accept more.
            ChangeKind::Patterns { old, new } | ChangeKind::Formats { old, new } => {
                if new.iter().all(|p| old.contains(p)) {
                    Some(true)
                } else if old.iter().all(|p| new.contains(p)) {
                    Some(false)
                } else {
                    None
                }
            }
            ChangeKind::UniqueItems { now } => Some(!now),
            ChangeKind::Required { added, .. } => Some(!added),
            ChangeKind::Additional { closed } => Some(!closed),
            ChangeKind::DependentRequired { old, new, .. } => {
                let of = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
                let (o, n) = (of(old), of(new));
                if n.iter().all(|k| o.contains(k)) {
                    Some(true)
                } else if o.iter().all(|k| n.contains(k)) {
                    Some(false)
                } else {
                    None
                }
            }
            ChangeKind::DependentSchema { added, .. } => Some(!added),
            // An `anyOf` branch more accepts more; a `oneOf` branch more can refuse a value
            // that now meets two.
            ChangeKind::Branch {
                union: Union::AnyOf,
                added,
                ..
            } => Some(*added),
            ChangeKind::UnionKind { to_one_of } => Some(!to_one_of),
            // A condition or conjunct more is one more thing every value must meet.
            ChangeKind::Condition { added } | ChangeKind::AllOf { added } => Some(!added),
            // A case more of a discriminated union accepts the objects with that tag, which
            // no case accepted before.
            ChangeKind::Case { added, .. } => Some(*added),
            ChangeKind::Const { .. }
            | ChangeKind::MultipleOf { .. }
            | ChangeKind::Contains
            | ChangeKind::Property { .. }
            | ChangeKind::PatternProperty { .. }
            | ChangeKind::PropertyNames
            | ChangeKind::Branch { .. }
            | ChangeKind::Not
            | ChangeKind::Unevaluated { .. }
            | ChangeKind::Kept { .. }
            | ChangeKind::Unclassified
            | ChangeKind::NotWalked { .. }
            | ChangeKind::Unreferenced { .. } => None,
        }
    }

    /// The proof, in words, that the direction this change leaves looser cannot break by it.
    pub fn loosening_proof(&self, backward: bool) -> String {
        let (reader, side) = if backward {
            ("readers on the new version", "new")
        } else {
            ("readers on the old version", "old")
        };
        format!(
            "by its own data: the {side} side is the looser one here ({}), so {reader} accept every value this change alone concerns",
            self.detail()
        )
    }

    /// Whether the reader's keywords of this change refuse `value` (the value at the change;
    /// for a change about keys, the object holding them): `Some(false)` when they accept it,
    /// so that a witness refused there shows another change, not this one. `None` when the
    /// kind does not tell.
    pub fn refuses(&self, reader: &Record, value: &Value) -> Option<bool> {
        match self {
            ChangeKind::Types { .. } => {
                let t = Types::of(value);
                let strict_refuses = reader.integer_strict
                    && t == Types::INTEGER
                    && matches!(value, Value::Number(n) if n.is_f64());
                Some(!reader.types.contains(t) || strict_refuses)
            }
            ChangeKind::EnumValue { value: changed, .. } => {
                let same = Enumeration::new([changed.clone()]).contains(value);
                Some(
                    same && reader
                        .enumeration
                        .as_ref()
                        .is_some_and(|e| !e.contains(value)),
                )
            }
            ChangeKind::Enum { .. } | ChangeKind::Const { .. } => Some(
                reader
                    .enumeration
                    .as_ref()
                    .is_some_and(|e| !e.contains(value)),
            ),
            ChangeKind::Bound { lower, .. } => {
                let Value::Number(n) = value else {
                    return Some(false);
                };
                let bound = if *lower {
                    &reader.minimum
                } else {
                    &reader.maximum
                };
                Some(bound.as_ref().is_some_and(|b| {
                    let order = cmp_numbers(n, &b.value);
                    let order = if *lower { order } else { order.reverse() };
                    order == std::cmp::Ordering::Less
                        || (order == std::cmp::Ordering::Equal && b.exclusive)
                }))
            }
            ChangeKind::Length { min, .. } => {
                let Value::String(s) = value else {
                    return Some(false);
                };
                // Lengths are in code points, as JSON Schema counts them.
                let len = s.chars().count() as u64;
                Some(if *min {
                    len < reader.min_length
                } else {
                    reader.max_length.is_some_and(|m| len > m)
                })
            }
            ChangeKind::ItemCount { min, .. } => {
                let Value::Array(items) = value else {
                    return Some(false);
                };
                let len = items.len() as u64;
                Some(if *min {
                    len < reader.min_items
                } else {
                    reader.max_items.is_some_and(|m| len > m)
                })
            }
            ChangeKind::PropertyCount { min, .. } => {
                let Value::Object(map) = value else {
                    return Some(false);
                };
                let len = map.len() as u64;
                Some(if *min {
                    len < reader.min_properties
                } else {
                    reader.max_properties.is_some_and(|m| len > m)
                })
            }
            ChangeKind::Required { key, .. } => {
                let Value::Object(map) = value else {
                    return Some(false);
                };
                Some(reader.required.contains(key) && !map.contains_key(key))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Number, json};

    use super::*;
    use crate::normal::{Enumeration, FALSE, TRUE, Types};

    fn bound(v: i64, exclusive: bool) -> Option<Bound> {
        Some(Bound {
            value: Number::from(v),
            exclusive,
        })
    }

    /// The direction each kind of change leaves looser, from its data alone: `Some(true)` the
    /// new side, `Some(false)` the old side.
    #[test]
    fn loosens_says_which_side_accepts_more() {
        let types =
            |old: Types, new: Types, old_strict: bool, new_strict: bool| ChangeKind::Types {
                old,
                new,
                old_strict,
                new_strict,
            };
        let cases: Vec<(ChangeKind, Option<bool>)> = vec![
            (
                ChangeKind::Nothing {
                    now_nothing: true,
                    old: Types::STRING,
                    new: Types::NONE,
                },
                Some(false),
            ),
            (
                ChangeKind::Nothing {
                    now_nothing: false,
                    old: Types::NONE,
                    new: Types::STRING,
                },
                Some(true),
            ),
            (
                types(Types::STRING, Types::STRING.or(Types::NULL), false, false),
                Some(true),
            ),
            (
                types(Types::STRING.or(Types::NULL), Types::STRING, false, false),
                Some(false),
            ),
            (types(Types::STRING, Types::INTEGER, false, false), None),
            // Draft-04's strict `integer` refuses `1.0`: becoming strict narrows.
            (
                types(Types::INTEGER, Types::INTEGER, false, true),
                Some(false),
            ),
            (
                types(Types::INTEGER, Types::INTEGER, true, false),
                Some(true),
            ),
            (types(Types::INTEGER, Types::NUMBER, false, true), None),
            (
                ChangeKind::EnumValue {
                    value: json!("d"),
                    added: true,
                },
                Some(true),
            ),
            (
                ChangeKind::EnumValue {
                    value: json!("c"),
                    added: false,
                },
                Some(false),
            ),
            (
                ChangeKind::Enum {
                    values: vec![json!(1)],
                    added: true,
                },
                Some(false),
            ),
            (
                ChangeKind::Enum {
                    values: vec![json!(1)],
                    added: false,
                },
                Some(true),
            ),
            (
                ChangeKind::Const {
                    old: json!(1),
                    new: json!(2),
                },
                None,
            ),
            // Lower bounds: down is looser; upper bounds: up is looser; exclusive is stricter.
            (
                ChangeKind::Bound {
                    lower: true,
                    old: bound(5, false),
                    new: bound(3, false),
                },
                Some(true),
            ),
            (
                ChangeKind::Bound {
                    lower: true,
                    old: bound(3, false),
                    new: bound(5, false),
                },
                Some(false),
            ),
            (
                ChangeKind::Bound {
                    lower: false,
                    old: bound(5, false),
                    new: bound(3, false),
                },
                Some(false),
            ),
            (
                ChangeKind::Bound {
                    lower: false,
                    old: bound(3, false),
                    new: bound(5, false),
                },
                Some(true),
            ),
            (
                ChangeKind::Bound {
                    lower: true,
                    old: bound(5, true),
                    new: bound(5, false),
                },
                Some(true),
            ),
            (
                ChangeKind::Bound {
                    lower: false,
                    old: bound(5, false),
                    new: bound(5, true),
                },
                Some(false),
            ),
            (
                ChangeKind::Bound {
                    lower: true,
                    old: bound(5, true),
                    new: bound(5, true),
                },
                None,
            ),
            (
                ChangeKind::Bound {
                    lower: true,
                    old: None,
                    new: bound(1, false),
                },
                Some(false),
            ),
            (
                ChangeKind::Bound {
                    lower: false,
                    old: bound(1, false),
                    new: None,
                },
                Some(true),
            ),
            (
                ChangeKind::Bound {
                    lower: true,
                    old: None,
                    new: None,
                },
                None,
            ),
            (
                ChangeKind::Length {
                    min: true,
                    old: Some(2),
                    new: Some(1),
                },
                Some(true),
            ),
            (
                ChangeKind::Length {
                    min: true,
                    old: Some(1),
                    new: Some(2),
                },
                Some(false),
            ),
            (
                ChangeKind::Length {
                    min: false,
                    old: Some(2),
                    new: Some(1),
                },
                Some(false),
            ),
            (
                ChangeKind::Length {
                    min: false,
                    old: Some(1),
                    new: Some(2),
                },
                Some(true),
            ),
            (
                ChangeKind::Length {
                    min: false,
                    old: None,
                    new: Some(2),
                },
                Some(false),
            ),
            (
                ChangeKind::Length {
                    min: false,
                    old: Some(2),
                    new: None,
                },
                Some(true),
            ),
            (
                ChangeKind::ItemCount {
                    min: true,
                    old: Some(1),
                    new: Some(1),
                },
                None,
            ),
            (
                ChangeKind::PropertyCount {
                    min: false,
                    old: None,
                    new: None,
                },
                None,
            ),
            (
                ChangeKind::Patterns {
                    old: vec!["^a".into()],
                    new: vec![],
                },
                Some(true),
            ),
            (
                ChangeKind::Patterns {
                    old: vec![],
                    new: vec!["^a".into()],
                },
                Some(false),
            ),
            (
                ChangeKind::Formats {
                    old: vec!["date".into()],
                    new: vec!["uuid".into()],
                },
                None,
            ),
            (ChangeKind::UniqueItems { now: true }, Some(false)),
            (ChangeKind::UniqueItems { now: false }, Some(true)),
            (
                ChangeKind::Required {
                    key: "k".into(),
                    added: true,
                },
                Some(false),
            ),
            (
                ChangeKind::Required {
                    key: "k".into(),
                    added: false,
                },
                Some(true),
            ),
            (ChangeKind::Additional { closed: true }, Some(false)),
            (ChangeKind::Additional { closed: false }, Some(true)),
            (
                ChangeKind::DependentRequired {
                    key: "a".into(),
                    old: Some(vec!["b".into(), "c".into()]),
                    new: Some(vec!["b".into()]),
                },
                Some(true),
            ),
            (
                ChangeKind::DependentRequired {
                    key: "a".into(),
                    old: None,
                    new: Some(vec!["b".into()]),
                },
                Some(false),
            ),
            (
                ChangeKind::DependentRequired {
                    key: "a".into(),
                    old: Some(vec!["b".into()]),
                    new: Some(vec!["c".into()]),
                },
                None,
            ),
            (
                ChangeKind::DependentSchema {
                    key: "a".into(),
                    added: true,
                },
                Some(false),
            ),
            (
                ChangeKind::DependentSchema {
                    key: "a".into(),
                    added: false,
                },
                Some(true),
            ),
            (
                ChangeKind::Branch {
                    union: Union::AnyOf,
                    added: true,
                    null_only: false,
                    wrapping: false,
                    index: 0,
                },
                Some(true),
            ),
            (
                ChangeKind::Branch {
                    union: Union::AnyOf,
                    added: false,
                    null_only: true,
                    wrapping: true,
                    index: 1,
                },
                Some(false),
            ),
            // A `oneOf` branch more can refuse a value that now meets two.
            (
                ChangeKind::Branch {
                    union: Union::OneOf,
                    added: true,
                    null_only: false,
                    wrapping: false,
                    index: 0,
                },
                None,
            ),
            (ChangeKind::UnionKind { to_one_of: true }, Some(false)),
            (ChangeKind::UnionKind { to_one_of: false }, Some(true)),
            (ChangeKind::Condition { added: true }, Some(false)),
            (ChangeKind::AllOf { added: false }, Some(true)),
            (
                ChangeKind::Case {
                    key: "type".into(),
                    value: json!("a"),
                    added: true,
                    event_type: true,
                },
                Some(true),
            ),
            (ChangeKind::Not, None),
            (ChangeKind::Contains, None),
            (
                ChangeKind::Property {
                    key: "k".into(),
                    added: true,
                },
                None,
            ),
            (
                ChangeKind::MultipleOf {
                    old: vec![],
                    new: vec![Number::from(2)],
                },
                None,
            ),
            (ChangeKind::Unclassified, None),
        ];
        for (kind, expected) in cases {
            assert_eq!(kind.loosens(), expected, "{kind:?}");
        }
    }

    #[test]
    fn refuses_tells_a_value_refused_by_this_change() {
        let mut reader = Record::any();
        reader.types = Types::STRING.or(Types::INTEGER);
        reader.integer_strict = true;
        reader.enumeration = Some(Enumeration::new([json!("a"), json!(1)]));
        reader.minimum = bound(1, false);
        reader.maximum = bound(5, true);
        reader.min_length = 1;
        reader.max_length = Some(2);
        reader.min_items = 1;
        reader.max_items = Some(2);
        reader.min_properties = 1;
        reader.max_properties = Some(1);
        reader.required.insert("k".into());
        let types = ChangeKind::Types {
            old: Types::ALL,
            new: Types::STRING,
            old_strict: false,
            new_strict: true,
        };
        let lower = ChangeKind::Bound {
            lower: true,
            old: None,
            new: None,
        };
        let upper = ChangeKind::Bound {
            lower: false,
            old: None,
            new: None,
        };
        let length = |min| ChangeKind::Length {
            min,
            old: None,
            new: None,
        };
        let items = |min| ChangeKind::ItemCount {
            min,
            old: None,
            new: None,
        };
        let props = |min| ChangeKind::PropertyCount {
            min,
            old: None,
            new: None,
        };
        let value = |v: &str, added| ChangeKind::EnumValue {
            value: json!(v),
            added,
        };
        let required = ChangeKind::Required {
            key: "k".into(),
            added: true,
        };
        for (kind, v, refused) in [
            (&types, json!(null), Some(true)),
            (&types, json!("a"), Some(false)),
            (&types, json!(1), Some(false)),
            (&types, json!(1.0), Some(true)),
            (&types, json!(1.5), Some(true)),
            (&value("d", true), json!("d"), Some(true)),
            (&value("d", true), json!("c"), Some(false)),
            (&value("a", true), json!("a"), Some(false)),
            (&lower, json!(0), Some(true)),
            (&lower, json!(1), Some(false)),
            (&lower, json!("x"), Some(false)),
            (&upper, json!(5), Some(true)),
            (&upper, json!(4.5), Some(false)),
            (&length(true), json!(""), Some(true)),
            (&length(true), json!("é"), Some(false)),
            (&length(false), json!("abc"), Some(true)),
            (&length(false), json!("ab"), Some(false)),
            (&length(false), json!(7), Some(false)),
            (&items(true), json!([]), Some(true)),
            (&items(false), json!([1, 2, 3]), Some(true)),
            (&items(false), json!([1, 2]), Some(false)),
            (&items(true), json!({}), Some(false)),
            (&props(true), json!({}), Some(true)),
            (&props(false), json!({"a": 1, "b": 2}), Some(true)),
            (&props(false), json!({"a": 1}), Some(false)),
            (&props(false), json!([]), Some(false)),
            (&required, json!({}), Some(true)),
            (&required, json!({"k": 1}), Some(false)),
            (&required, json!([]), Some(false)),
            (&ChangeKind::Not, json!(1), None),
        ] {
            assert_eq!(kind.refuses(&reader, &v), refused, "{kind:?} on {v}");
        }
        let mut open = reader.clone();
        open.enumeration = None;
        open.minimum = None;
        assert_eq!(
            ChangeKind::Const {
                old: json!(1),
                new: json!(2)
            }
            .refuses(&open, &json!(3)),
            Some(false)
        );
        assert_eq!(lower.refuses(&open, &json!(-100)), Some(false));
    }

    #[test]
    fn isolate_applies_only_this_change() {
        let mut base = Record::any();
        base.enumeration = Some(Enumeration::new([json!("a"), json!("c")]));
        base.minimum = bound(1, false);
        base.maximum = bound(9, false);
        base.required.insert("x".into());
        let mut donor = Record::any();
        donor.enumeration = Some(Enumeration::new([json!("a"), json!("d")]));
        donor.minimum = bound(2, false);
        donor.required.insert("y".into());
        let added = ChangeKind::EnumValue {
            value: json!("d"),
            added: true,
        }
        .isolate(&base, &donor);
        assert_eq!(
            added.enumeration,
            Some(Enumeration::new([json!("a"), json!("c"), json!("d")]))
        );
        let removed = ChangeKind::EnumValue {
            value: json!("c"),
            added: false,
        }
        .isolate(&base, &donor);
        assert_eq!(removed.enumeration, Some(Enumeration::new([json!("a")])));
        let lower = ChangeKind::Bound {
            lower: true,
            old: None,
            new: None,
        }
        .isolate(&base, &donor);
        assert_eq!(
            (lower.minimum, lower.maximum),
            (bound(2, false), bound(9, false))
        );
        let upper = ChangeKind::Bound {
            lower: false,
            old: None,
            new: None,
        }
        .isolate(&base, &donor);
        assert_eq!((upper.minimum, upper.maximum), (bound(1, false), None));
        let required = ChangeKind::Required {
            key: "y".into(),
            added: true,
        }
        .isolate(&base, &donor);
        assert_eq!(required.required.iter().collect::<Vec<_>>(), vec!["x", "y"]);
        let unrequired = ChangeKind::Required {
            key: "x".into(),
            added: false,
        }
        .isolate(&base, &donor);
        assert!(unrequired.required.is_empty());
        // A change of the node's whole shape takes the donor whole.
        assert_eq!(ChangeKind::Unclassified.isolate(&base, &donor), donor);
    }

    #[test]
    fn a_type_change_is_named_by_what_it_adds_and_removes() {
        let rule = |old: Types, new: Types, old_strict: bool, new_strict: bool| {
            ChangeKind::Types {
                old,
                new,
                old_strict,
                new_strict,
            }
            .rule()
        };
        let (s, i, null) = (Types::STRING, Types::INTEGER, Types::NULL);
        assert_eq!(rule(s, s.or(null), false, false), Rule::NullAllowed);
        assert_eq!(rule(s.or(null), s, false, false), Rule::NullDisallowed);
        // `null` with draft-04's strict `integer` let go, or taken up, is more than `null`.
        assert_eq!(rule(i, i.or(null), true, false), Rule::TypeWidened);
        assert_eq!(rule(i.or(null), i, false, true), Rule::TypeNarrowed);
        assert_eq!(rule(s, s.or(i), false, false), Rule::TypeWidened);
        assert_eq!(rule(s.or(i), s, false, false), Rule::TypeNarrowed);
        assert_eq!(rule(s, i, false, false), Rule::TypeChanged);
        // The strict `integer` let go accepts `1.0`: wider; taken up: narrower.
        assert_eq!(rule(i, i, true, false), Rule::TypeWidened);
        assert_eq!(rule(i, i, false, true), Rule::TypeNarrowed);
        // A type added while `integer` turns strict, or removed while it stops being: both.
        assert_eq!(rule(i, i.or(s), false, true), Rule::TypeChanged);
        assert_eq!(rule(i.or(s), i, true, false), Rule::TypeChanged);
    }

    #[test]
    fn changes_about_keys_are_those_of_the_objects_family() {
        for kind in [
            ChangeKind::Required {
                key: "a".into(),
                added: true,
            },
            ChangeKind::Property {
                key: "a".into(),
                added: false,
            },
            ChangeKind::Additional { closed: true },
        ] {
            assert!(kind.about_keys(), "{kind:?}");
        }
        for kind in [
            ChangeKind::Bound {
                lower: true,
                old: None,
                new: None,
            },
            ChangeKind::EnumValue {
                value: json!(1),
                added: true,
            },
            ChangeKind::Unclassified,
        ] {
            assert!(!kind.about_keys(), "{kind:?}");
        }
    }

    #[test]
    fn isolating_a_pattern_property_keeps_the_others() {
        let mut base = Record::any();
        base.pattern_properties = vec![("^a".into(), TRUE), ("^b".into(), TRUE)];
        let mut donor = Record::any();
        donor.pattern_properties = vec![("^b".into(), TRUE), ("^c".into(), FALSE)];
        let added = ChangeKind::PatternProperty {
            pattern: "^c".into(),
            added: true,
        }
        .isolate(&base, &donor);
        assert_eq!(
            added.pattern_properties,
            vec![
                ("^a".to_owned(), TRUE),
                ("^b".to_owned(), TRUE),
                ("^c".to_owned(), FALSE)
            ]
        );
        let removed = ChangeKind::PatternProperty {
            pattern: "^a".into(),
            added: false,
        }
        .isolate(&base, &donor);
        assert_eq!(removed.pattern_properties, vec![("^b".to_owned(), TRUE)]);
    }

    #[test]
    fn refuses_at_the_edges_of_counts_and_listed_values() {
        let mut reader = Record::any();
        reader.enumeration = Some(Enumeration::new([json!(1)]));
        reader.min_items = 2;
        reader.min_properties = 1;
        let constant = ChangeKind::Const {
            old: json!(1),
            new: json!(2),
        };
        assert_eq!(constant.refuses(&reader, &json!(1)), Some(false));
        assert_eq!(constant.refuses(&reader, &json!(2)), Some(true));
        let items = ChangeKind::ItemCount {
            min: true,
            old: None,
            new: None,
        };
        assert_eq!(items.refuses(&reader, &json!([1])), Some(true));
        assert_eq!(items.refuses(&reader, &json!([1, 2])), Some(false));
        let keys = ChangeKind::PropertyCount {
            min: true,
            old: None,
            new: None,
        };
        assert_eq!(keys.refuses(&reader, &json!({})), Some(true));
        assert_eq!(keys.refuses(&reader, &json!({"a": 1})), Some(false));
    }

    #[test]
    fn the_words_of_a_change() {
        assert_eq!(
            pointer(&[Token::Key("a/b".into()), Token::Index(0), Token::AnyKey]),
            "/a~1b/0/*"
        );
        assert_eq!(Union::AnyOf.keyword(), "anyOf");
        assert_eq!(Union::OneOf.keyword(), "oneOf");
        let listed = |values: Vec<Value>| ChangeKind::Enum {
            values,
            added: true,
        };
        assert_eq!(listed(vec![json!(1)]).keyword(), "const");
        assert_eq!(listed(vec![json!(1), json!(2)]).keyword(), "enum");
        let types = |old: Types, new: Types| ChangeKind::Types {
            old,
            new,
            old_strict: false,
            new_strict: false,
        };
        let (s, null) = (Types::STRING, Types::NULL);
        assert_eq!(types(s, s.or(null)).keyword(), "type");
        assert_eq!(types(s, s.or(null)).detail(), "null is now allowed");
        assert_eq!(types(s.or(null), s).detail(), "null is no longer allowed");
        assert_eq!(
            types(s, Types::INTEGER).detail(),
            r#"type ["string"] to ["integer"]"#
        );
        let patterns = ChangeKind::Patterns {
            old: vec![],
            new: vec!["^a".into()],
        };
        assert_eq!(patterns.detail(), r#"pattern none to "^a""#);
        let two = ChangeKind::Patterns {
            old: vec!["^a".into(), "b".into()],
            new: vec!["^a".into()],
        };
        assert_eq!(two.detail(), r#"pattern ["^a","b"] to "^a""#);
        let branch = |null_only: bool, added: bool| ChangeKind::Branch {
            union: Union::AnyOf,
            added,
            null_only,
            wrapping: false,
            index: 0,
        };
        assert_eq!(branch(true, true).detail(), "null is now allowed");
        assert_eq!(branch(true, false).detail(), "null is no longer allowed");
        assert_eq!(branch(false, true).detail(), "anyOf branch added");
        let proof = types(s, s.or(null)).loosening_proof(true);
        assert!(proof.contains("readers on the new version"), "{proof}");
        assert!(proof.contains("null is now allowed"), "{proof}");
        let proof = types(s.or(null), s).loosening_proof(false);
        assert!(proof.contains("readers on the old version"), "{proof}");
    }
}
