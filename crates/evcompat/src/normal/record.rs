//! The vocabulary of the normal form: JSON types, bounds, enumerations as sets, the record of
//! one schema with its subschemas as node ids, the keyword families, and the number order and
//! edges (`first_integer`, `max_len`) every part of the check shares.

use std::collections::{BTreeMap, BTreeSet};

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

/// The values of `enum` and `const`, as a set: each value in canonical form (integral floats as
/// integers), keyed by its canonical text, which is equal for two values exactly when JSON
/// Schema calls them equal (numbers by value, objects whatever their key order). Look-ups and
/// set operations cost O(log n) per value, so comparing two enumerations is O(n log n), never
/// the product of their sizes.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Enumeration(BTreeMap<String, Value>);

impl Enumeration {
    /// The set of `values` (duplicates are one value).
    pub fn new(values: impl IntoIterator<Item = Value>) -> Enumeration {
        Enumeration(
            values
                .into_iter()
                .map(|v| {
                    let v = canonical(&v);
                    (v.to_string(), v)
                })
                .collect(),
        )
    }

    /// Whether `value` is one of the values (by JSON Schema's equality).
    pub fn contains(&self, value: &Value) -> bool {
        self.0.contains_key(&canonical_key(value))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values, in the order of their canonical text.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.values()
    }

    /// The values of both.
    pub fn intersect(&self, other: &Enumeration) -> Enumeration {
        // The smaller set is walked and its keys looked up in the larger, for the cost alone
        // (O(small log large)): walking the larger gives the same keys with the same values
        // (one canonical text is one canonical value), so `<=` turned to `>` (cargo mutants)
        // changes the time taken and nothing else.
        let (small, large) = if self.len() <= other.len() {
            (self, other)
        } else {
            (other, self)
        };
        Enumeration(
            small
                .0
                .iter()
                .filter(|(k, _)| large.0.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }

    /// The values of this set that `other` does not have.
    pub fn minus<'a>(&'a self, other: &'a Enumeration) -> impl Iterator<Item = &'a Value> + 'a {
        self.0
            .iter()
            .filter(|(k, _)| !other.0.contains_key(*k))
            .map(|(_, v)| v)
    }

    /// Whether every value of this set is in `other`.
    pub fn is_subset(&self, other: &Enumeration) -> bool {
        self.len() <= other.len() && self.0.keys().all(|k| other.0.contains_key(k))
    }

    /// Adds `value`.
    pub fn insert(&mut self, value: &Value) {
        let v = canonical(value);
        self.0.insert(v.to_string(), v);
    }

    /// Removes `value`.
    pub fn remove(&mut self, value: &Value) {
        self.0.remove(&canonical_key(value));
    }

    /// Keeps the values `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&Value) -> bool) {
        self.0.retain(|_, v| keep(v));
    }

    /// The types of the values.
    pub fn types(&self) -> Types {
        self.values().map(Types::of).fold(Types::NONE, Types::or)
    }

    /// The canonical texts, for hashing the set.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
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
    /// `enum` and `const`: the only values allowed.
    pub enumeration: Option<Enumeration>,
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

    /// Whether the record accepts nothing, as far as its own keywords say: no type, or an empty
    /// list of values. No record the arena has finished holds an empty list (`finish` narrows
    /// the types to those of the values, and returns [`Record::none`] here), so the second test
    /// decides alone only inside `finish`, where merging a union of listed values has just
    /// emptied the list: it ends the pass there (a pass more would find no types).
    pub fn is_none(&self) -> bool {
        self.types.is_empty() || self.enumeration.as_ref().is_some_and(Enumeration::is_empty)
    }

    /// Whether the record accepts everything. The prover's shortcut for such a reader (family
    /// by family it holds too, only later).
    pub fn is_any(&self) -> bool {
        *self == Record::any()
    }

    /// Whether a disjunction or condition remains: the record is then a union of cases. A
    /// shortcut before `Prover::cases`, which gives a record without any as its one case.
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
            Some(values) => values.types().and(self.types),
            None => self.types,
        }
    }

    /// The longest array the record allows: `maxItems`, or the first position that takes no
    /// item.
    pub fn max_len(&self) -> Option<u64> {
        let mut max = self.max_items;
        if let Some(i) = self.prefix_items.iter().position(|n| *n == FALSE) {
            max = Some(max.map_or(i as u64, |m| m.min(i as u64)));
        } else if self.items == FALSE {
            let len = self.prefix_items.len() as u64;
            max = Some(max.map_or(len, |m| m.min(len)));
        }
        max
    }
}

/// The lists of a record whose elements a node can be taken without (`Arena::dropped`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum List {
    AnyOf,
    OneOf,
    Conditionals,
}

impl Record {
    /// Whether the record's keywords of `family` are all absent (their defaults).
    pub fn lacks(&self, family: Family) -> bool {
        match family {
            Family::Values => {
                self.types == Types::ALL && !self.integer_strict && self.enumeration.is_none()
            }
            Family::Numbers => {
                self.minimum.is_none() && self.maximum.is_none() && self.multiple_of.is_empty()
            }
            Family::Strings => {
                self.min_length == 0
                    && self.max_length.is_none()
                    && self.patterns.is_empty()
                    && self.formats.is_empty()
            }
            Family::Arrays => {
                self.prefix_items.is_empty()
                    && self.items == TRUE
                    && self.min_items == 0
                    && self.max_items.is_none()
                    && !self.unique_items
                    && self.contains.is_empty()
            }
            Family::Objects => {
                self.properties.is_empty()
                    && self.pattern_properties.is_empty()
                    && self.additional_properties == TRUE
                    && self.required.is_empty()
                    && self.property_names == TRUE
                    && self.min_properties == 0
                    && self.max_properties.is_none()
                    && self.dependent_required.is_empty()
                    && self.dependent_schemas.is_empty()
            }
            Family::Logic => {
                self.all_of.is_empty()
                    && self.any_of.is_empty()
                    && self.one_of.is_empty()
                    && self.not.is_empty()
                    && self.conditionals.is_empty()
            }
            Family::Other => {
                self.unevaluated_properties.is_none()
                    && self.unevaluated_items.is_none()
                    && self.opaque.is_empty()
            }
        }
    }

    /// Whether the record has keywords of `family` only (or none at all).
    pub fn only(&self, family: Family) -> bool {
        Family::ALL
            .into_iter()
            .all(|f| f == family || self.lacks(f))
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
    /// The family in words, for a proof: "by the allowed values".
    pub fn words(self) -> &'static str {
        match self {
            Family::Values => "the types and allowed values",
            Family::Numbers => "the bounds",
            Family::Strings => "the string rules",
            Family::Arrays => "the array rules",
            Family::Objects => "the object's keys",
            Family::Logic => "the unions and conditions",
            Family::Other => "the keywords kept as written",
        }
    }

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

impl Bound {
    /// The first integer the bound lets through, going inwards (`lower`: up from a lower bound;
    /// otherwise down from an upper one): `minimum: 4.5` lets 5 through first,
    /// `exclusiveMinimum: 5` 6, `exclusiveMaximum: 5` 4. Exact whatever the bound's size: an
    /// integral bound (`u64` ones, and doubles past 2^53, which are all integral) is counted on
    /// in integers, never in `f64`, where 2^53 + 3 rounds to 2^53 + 4. `None` when the first
    /// integer is past 64 bits.
    pub fn first_integer(&self, lower: bool) -> Option<Number> {
        let integral = self
            .value
            .as_i64()
            .map(i128::from)
            .or_else(|| self.value.as_u64().map(i128::from))
            .or_else(|| {
                let f = self.value.as_f64()?;
                // Every integral double below 2^127 converts to i128 exactly.
                (f.fract() == 0.0 && f.abs() < 1.7e38).then_some(f as i128)
            });
        let first = match integral {
            Some(i) => match (lower, self.exclusive) {
                (_, false) => i,
                (true, true) => i + 1,
                (false, true) => i - 1,
            },
            // A double with a fraction is below 2^52: its floor and ceiling are exact, and
            // the first integer past it is the same whether or not the bound is exclusive.
            None => {
                let v = self.value.as_f64()?;
                (if lower { v.ceil() } else { v.floor() }) as i128
            }
        };
        i64::try_from(first)
            .map(Number::from)
            .ok()
            .or_else(|| u64::try_from(first).map(Number::from).ok())
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

/// A value in canonical form: integral floats as integers (`1.0` is `1` in JSON Schema), every
/// one a 64-bit integer holds exactly; objects keep serde_json's sorted keys. Two values are
/// equal as JSON Schema compares them exactly when their canonical forms print the same.
pub(crate) fn canonical(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            // Integral doubles in [-2^63, 2^64) convert to i64 or u64 without rounding.
            if f.fract() == 0.0 && (-9.223_372_036_854_776e18..0.0).contains(&f) {
                Value::from(f as i64)
            } else if f.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&f) {
                Value::from(f as u64)
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

/// The canonical text of a value: the key of [`Enumeration`].
pub(crate) fn canonical_key(value: &Value) -> String {
    canonical(value).to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::{Number, json};

    use super::*;

    fn bound(value: Value, exclusive: bool) -> Bound {
        let Value::Number(value) = value else {
            panic!("a number");
        };
        Bound { value, exclusive }
    }

    #[track_caller]
    fn check(value: Value, exclusive: bool, lower: bool, first: Option<Value>) {
        let got = bound(value.clone(), exclusive).first_integer(lower);
        let want = first.map(|f| match f {
            Value::Number(n) => n,
            _ => panic!("a number"),
        });
        assert_eq!(got, want, "{value} exclusive {exclusive} lower {lower}");
    }

    #[test]
    fn first_integer_counts_inwards_exactly() {
        // Inclusive and exclusive, lower and upper, integers and fractions.
        check(json!(5), false, true, Some(json!(5)));
        check(json!(5), true, true, Some(json!(6)));
        check(json!(5), false, false, Some(json!(5)));
        check(json!(5), true, false, Some(json!(4)));
        check(json!(5.0), true, true, Some(json!(6)));
        check(json!(5.0), true, false, Some(json!(4)));
        check(json!(4.5), false, true, Some(json!(5)));
        check(json!(4.5), true, true, Some(json!(5)));
        check(json!(4.5), false, false, Some(json!(4)));
        check(json!(4.5), true, false, Some(json!(4)));
        check(json!(-0.5), true, true, Some(json!(0)));
        check(json!(-0.5), true, false, Some(json!(-1)));
        check(json!(-5), true, true, Some(json!(-4)));
        check(json!(-5), true, false, Some(json!(-6)));
        // Past 2^53 a double is an integer: counted exactly (2^53 + 3 is not 2^53 + 4).
        check(
            json!(9007199254740994.0),
            true,
            true,
            Some(json!(9007199254740995_i64)),
        );
        check(
            json!(9007199254740994.0),
            true,
            false,
            Some(json!(9007199254740993_i64)),
        );
        check(json!(1e16), true, true, Some(json!(10000000000000001_i64)));
        // The edges of 64 bits: i64::MAX + 1 is a u64; nothing is past u64::MAX or below
        // i64::MIN.
        check(
            json!(i64::MAX),
            true,
            true,
            Some(json!(9223372036854775808_u64)),
        );
        check(json!(u64::MAX), false, true, Some(json!(u64::MAX)));
        check(json!(u64::MAX), true, true, None);
        check(json!(i64::MIN), true, false, None);
        check(json!(1e20), false, true, None);
        assert_eq!(
            bound(json!(2.5), true).first_integer(true),
            Some(Number::from(3))
        );
    }

    #[test]
    fn enumerations_are_sets_under_json_schema_equality() {
        let e = Enumeration::new([json!(1), json!(1.0), json!({"b": 1, "a": 2.0}), json!("1")]);
        assert_eq!(e.len(), 3);
        assert!(e.contains(&json!(1.0)) && e.contains(&json!(1)));
        assert!(e.contains(&json!({"a": 2, "b": 1.0})));
        assert!(!e.contains(&json!(9007199254740993_u64)));
        let f = Enumeration::new([json!("1"), json!(2)]);
        assert_eq!(e.intersect(&f).len(), 1);
        assert_eq!(e.minus(&f).count(), 2);
        assert!(!e.is_subset(&f) && e.intersect(&f).is_subset(&f));
        // A float and an integer are one value only when the float is exactly the integer.
        let big = Enumeration::new([json!(9007199254740992.0)]);
        assert!(big.contains(&json!(9007199254740992_u64)));
        assert!(!big.contains(&json!(9007199254740993_u64)));
        assert_eq!(canonical(&json!(-0.0)), json!(0));
        assert_eq!(
            canonical(&json!(1.8446744073709552e19)),
            json!(1.8446744073709552e19)
        );
    }

    #[test]
    fn an_enumeration_keys_its_values_by_their_canonical_text() {
        let e = Enumeration::new([json!("b"), json!(1.0), json!({"y": 1, "x": [2.0]})]);
        // Sorted by canonical text: what a fingerprint hashes and a union's tag is made of.
        assert_eq!(
            e.keys().collect::<Vec<_>>(),
            ["\"b\"", "1", "{\"x\":[2],\"y\":1}"]
        );
        assert!(!e.is_empty());
        assert!(Enumeration::new(Vec::new()).is_empty());
        let mut kept = e.clone();
        kept.retain(Value::is_number);
        assert_eq!(kept, Enumeration::new([json!(1)]));
        kept.retain(Value::is_string);
        assert!(kept.is_empty() && kept.keys().next().is_none());
    }

    #[test]
    fn a_record_accepts_nothing_everything_or_a_union_of_cases() {
        let none = Record::none();
        assert!(none.is_none() && !none.is_any() && !none.has_cases());
        let any = Record::any();
        assert!(any.is_any() && !any.is_none() && !any.has_cases());
        // Listing no values accepts nothing, whatever the types say.
        let listed = |values: Vec<Value>| Record {
            enumeration: Some(Enumeration::new(values)),
            ..Record::any()
        };
        assert!(listed(Vec::new()).is_none());
        assert!(!listed(vec![json!(1)]).is_none() && !listed(vec![json!(1)]).is_any());
        // Each union or condition alone makes the record a union of cases.
        let condition = Conditional {
            condition: 2,
            then: 3,
            otherwise: TRUE,
        };
        for (name, record) in [
            (
                "anyOf",
                Record {
                    any_of: vec![vec![2, 3]],
                    ..Record::any()
                },
            ),
            (
                "oneOf",
                Record {
                    one_of: vec![vec![2, 3]],
                    ..Record::any()
                },
            ),
            (
                "if",
                Record {
                    conditionals: vec![condition],
                    ..Record::any()
                },
            ),
        ] {
            assert!(
                record.has_cases() && !record.is_any() && !record.is_none(),
                "{name}"
            );
        }
        // `allOf` and `not` are not unions.
        let conjunct = Record {
            all_of: vec![2],
            not: vec![3],
            ..Record::any()
        };
        assert!(!conjunct.has_cases());
    }

    /// A change of each field of the record away from `true`, by family.
    type Keywords = [(Family, &'static [(&'static str, fn(&mut Record))]); 7];
    const KEYWORDS: Keywords = [
        (
            Family::Values,
            &[
                ("type", |r| r.types = Types::STRING),
                ("draft-04 integer", |r| r.integer_strict = true),
                ("enum", |r| {
                    r.enumeration = Some(Enumeration::new([json!(1)]))
                }),
            ],
        ),
        (
            Family::Numbers,
            &[
                ("minimum", |r| r.minimum = Some(bound(json!(1), false))),
                ("maximum", |r| r.maximum = Some(bound(json!(1), true))),
                ("multipleOf", |r| r.multiple_of = vec![Number::from(2)]),
            ],
        ),
        (
            Family::Strings,
            &[
                ("minLength", |r| r.min_length = 1),
                ("maxLength", |r| r.max_length = Some(1)),
                ("pattern", |r| r.patterns = vec!["^a".into()]),
                ("format", |r| r.formats = vec!["date".into()]),
            ],
        ),
        (
            Family::Arrays,
            &[
                ("prefixItems", |r| r.prefix_items = vec![2]),
                ("items", |r| r.items = FALSE),
                ("minItems", |r| r.min_items = 1),
                ("maxItems", |r| r.max_items = Some(1)),
                ("uniqueItems", |r| r.unique_items = true),
                ("contains", |r| {
                    r.contains = vec![Contains {
                        schema: 2,
                        min: 1,
                        max: None,
                    }]
                }),
            ],
        ),
        (
            Family::Objects,
            &[
                ("properties", |r| r.properties = [("a".into(), 2)].into()),
                ("patternProperties", |r| {
                    r.pattern_properties = vec![("^a".into(), 2)]
                }),
                ("additionalProperties", |r| r.additional_properties = FALSE),
                ("required", |r| r.required = ["a".into()].into()),
                ("propertyNames", |r| r.property_names = 2),
                ("minProperties", |r| r.min_properties = 1),
                ("maxProperties", |r| r.max_properties = Some(1)),
                ("dependentRequired", |r| {
                    r.dependent_required = [("a".into(), ["b".into()].into())].into()
                }),
                ("dependentSchemas", |r| {
                    r.dependent_schemas = [("a".into(), 2)].into()
                }),
            ],
        ),
        (
            Family::Logic,
            &[
                ("allOf", |r| r.all_of = vec![2]),
                ("anyOf", |r| r.any_of = vec![vec![2, 3]]),
                ("oneOf", |r| r.one_of = vec![vec![2, 3]]),
                ("not", |r| r.not = vec![2]),
                ("if", |r| {
                    r.conditionals = vec![Conditional {
                        condition: 2,
                        then: 3,
                        otherwise: TRUE,
                    }]
                }),
            ],
        ),
        (
            Family::Other,
            &[
                ("unevaluatedProperties", |r| {
                    r.unevaluated_properties = Some(FALSE)
                }),
                ("unevaluatedItems", |r| r.unevaluated_items = Some(FALSE)),
                ("kept as written", |r| {
                    r.opaque = vec![Opaque {
                        keyword: "x-kept".into(),
                        value: json!(1),
                    }]
                }),
            ],
        ),
    ];

    /// `lacks`, `only` and `family_part` agree with the families keyword by keyword: each
    /// keyword is in its own family's part and no other's. `only` is what decides that an
    /// `anyOf` branch is a plain type and that a `not` is a double negation.
    #[test]
    fn each_keyword_belongs_to_its_family_alone() {
        let any = Record::any();
        for family in Family::ALL {
            assert!(any.lacks(family) && any.only(family), "{family:?}");
        }
        // Each field of the record once.
        assert_eq!(KEYWORDS.iter().map(|(_, k)| k.len()).sum::<usize>(), 33);
        for (own, keywords) in KEYWORDS {
            for (keyword, change) in keywords {
                let mut record = Record::any();
                change(&mut record);
                for family in Family::ALL {
                    let mine = family == own;
                    assert_eq!(record.lacks(family), !mine, "{keyword}: lacks {family:?}");
                    assert_eq!(record.only(family), mine, "{keyword}: only {family:?}");
                    let part = record.family_part(family);
                    assert_eq!(part == record, mine, "{keyword}: part {family:?}");
                    assert_eq!(part.is_any(), !mine, "{keyword}: part {family:?}");
                }
            }
        }
    }

    #[test]
    fn a_number_without_a_fraction_is_an_integer_however_written() {
        for (n, integral) in [
            (json!(1), true),
            (json!(-1), true),
            (json!(u64::MAX), true),
            (json!(1.0), true),
            (json!(-1e300), true),
            (json!(1.5), false),
            (json!(-0.25), false),
        ] {
            let Value::Number(number) = &n else {
                panic!("a number");
            };
            assert_eq!(is_integral(number), integral, "{n}");
            let expected = if integral {
                Types::INTEGER
            } else {
                Types::FRACTION
            };
            assert_eq!(Types::of(&n), expected, "{n}");
        }
    }

    #[test]
    fn an_integer_and_a_float_compare_by_value_with_their_fractions() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let n = |v: Value| match v {
            Value::Number(n) => n,
            _ => panic!("a number"),
        };
        for (a, b, want) in [
            (json!(5), json!(5.5), Less),
            (json!(5), json!(5.0), Equal),
            (json!(5), json!(4.5), Greater),
            (json!(-5), json!(-5.5), Greater),
            (json!(-5), json!(-5.0), Equal),
            (json!(-5), json!(-4.5), Less),
            (json!(0), json!(0.5), Less),
            (json!(0), json!(-0.5), Greater),
            (json!(i64::MAX), json!(9.3e18), Less),
            (json!(u64::MAX), json!(1.0e19), Greater),
            (json!(i64::MIN), json!(-1.0e300), Greater),
        ] {
            assert_eq!(
                cmp_numbers(&n(a.clone()), &n(b.clone())),
                want,
                "{a} vs {b}"
            );
            assert_eq!(
                cmp_numbers(&n(b.clone()), &n(a.clone())),
                want.reverse(),
                "{b} vs {a}"
            );
        }
    }

    #[test]
    fn of_two_equal_bounds_the_exclusive_one_is_tighter_whichever_comes_first() {
        for lower in [true, false] {
            let inclusive = Some(bound(json!(5), false));
            let exclusive = Some(bound(json!(5.0), true));
            for (a, b) in [(&inclusive, &exclusive), (&exclusive, &inclusive)] {
                let picked = tighter(a, b, lower).expect("a bound");
                assert!(picked.exclusive, "{a:?} and {b:?}, lower {lower}");
            }
            // Unequal bounds: the larger lower bound, the smaller upper one.
            let (four, six) = (Some(bound(json!(4), true)), Some(bound(json!(6.5), false)));
            let want = if lower { json!(6.5) } else { json!(4) };
            assert_eq!(
                Value::Number(tighter(&four, &six, lower).expect("a bound").value),
                want
            );
            assert_eq!(
                Value::Number(tighter(&six, &four, lower).expect("a bound").value),
                want
            );
            assert_eq!(
                tighter(&None, &four, lower).map(|b| b.exclusive),
                Some(true)
            );
            assert_eq!(
                tighter(&six, &None, lower).map(|b| b.exclusive),
                Some(false)
            );
        }
    }

    #[test]
    fn canonical_values_write_integral_floats_as_integers_on_both_sides_of_zero() {
        for (value, want) in [
            (json!(-1.0), json!(-1)),
            (json!(1.0), json!(1)),
            (json!(-9.0e18), json!(-9_000_000_000_000_000_000_i64)),
            (json!(1.8e19), json!(18_000_000_000_000_000_000_u64)),
            (json!(-1.5), json!(-1.5)),
            (json!(1.5), json!(1.5)),
            (json!(-1.0e19), json!(-1.0e19)),
            (json!([{"a": -2.0}]), json!([{"a": -2}])),
        ] {
            let got = canonical(&value);
            assert_eq!(got, want, "{value}");
            assert_eq!(got.is_f64(), want.is_f64(), "{value}: {got}");
        }
    }
}
