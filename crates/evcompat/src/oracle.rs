//! Membership by the real validator: whether a value is accepted by a node of the arena.
//!
//! A node built from locations is the conjunction of those locations' schemas, so a value is
//! in it when the validator of every location accepts it. This is how the engine checks finite
//! sets exactly and filters witness candidates; every witness in a report is also validated
//! against the whole schemas.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use jsonschema::Validator;
use opentact_events::json::pointer::tokens;
use referencing::Registry;
use serde_json::{Value, json};

use crate::kind::Token;
use crate::normal::{Arena, Document, NodeId, Origin, Side, Types};

/// How many whole values the witness searches of one pair may validate together.
pub(crate) const PAIR_VALIDATIONS: usize = 40_000;

/// How many locations of the documents get a validator of their own (each compiles the schema
/// there and what it refers to); past it, a location's verdict is "cannot be told".
const MAX_LOCATIONS: usize = 4_000;

/// How many JSON values (objects, arrays and scalars) the location validators may compile
/// together, at least: as many as the largest document has, so their memory stays within
/// that of one more validator of the whole document.
const LOCATION_VALUES: usize = 50_000;

/// Where a reader refuses a value, for one change ([`Oracle::refusal`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Only at the change's places: the change alone explains it.
    OnlyHere,
    /// At the change's places and elsewhere too.
    HereToo,
    /// Not at the change's places (or not at all).
    Elsewhere,
}

/// A document that does not compile.
pub(crate) struct OracleError {
    pub side: Option<Side>,
    pub message: String,
}

/// Validators of the compared documents, built on first use.
pub(crate) struct Oracle<'r> {
    docs: &'r [Document<'r>],
    registries: &'r [Registry<'r>],
    /// (document, JSON Pointer) → validator (or `None` when it does not build).
    locations: RefCell<HashMap<(usize, String), Option<Validator>>>,
    /// Pattern → validator of `{"pattern": ...}` over strings.
    patterns: RefCell<HashMap<String, Option<Validator>>>,
    /// (pattern, pattern) → how the first compares with the second.
    inclusions: RefCell<HashMap<(String, String), super::regex::Inclusion>>,
    roots: Vec<Validator>,
    /// A key every compared value has with this value (a catalog's event type): a whole value
    /// without it is not one the producers send.
    tag: Option<(String, Value)>,
    /// Whole values validated so far, against [`PAIR_VALIDATIONS`].
    validations: Cell<usize>,
    /// The JSON values the location validators may still compile.
    location_budget: Cell<usize>,
}

/// The options every validator of the comparison is built with: formats are assertions (as
/// the contract says), a format this validator does not know is not an error (another team's
/// schema may name one), no `$ref` is fetched.
pub(crate) fn options<'i>() -> jsonschema::ValidationOptions<'i> {
    jsonschema::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .offline()
}

impl<'r> Oracle<'r> {
    /// The validators of `docs`; fails when a document does not compile.
    pub fn new(
        docs: &'r [Document<'r>],
        registries: &'r [Registry<'r>],
        tag: Option<(String, Value)>,
    ) -> Result<Oracle<'r>, OracleError> {
        let roots = docs
            .iter()
            .map(|doc| {
                options().build(&doc.value).map_err(|err| OracleError {
                    side: Some(doc.side),
                    message: format!("does not compile: {err}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Oracle {
            docs,
            registries,
            locations: RefCell::new(HashMap::new()),
            patterns: RefCell::new(HashMap::new()),
            inclusions: RefCell::new(HashMap::new()),
            roots,
            tag,
            validations: Cell::new(0),
            location_budget: Cell::new(
                docs.iter()
                    .map(|d| values_in(&d.value, usize::MAX))
                    .max()
                    .unwrap_or(0)
                    .max(LOCATION_VALUES),
            ),
        })
    }

    /// Whether the whole validations of this pair are spent.
    pub fn spent(&self) -> bool {
        self.validations.get() > PAIR_VALIDATIONS
    }

    /// Why a search stopped for the budget, in words.
    pub fn budget_reason(&self) -> String {
        format!(
            "the comparison's budget of {PAIR_VALIDATIONS} witness validations ran out before this change was judged"
        )
    }

    /// Whether document `doc` accepts `value` as a whole (and it has the tag, when there is one).
    pub fn root_accepts(&self, doc: usize, value: &Value) -> bool {
        let tagged = match &self.tag {
            Some((key, tag)) => value.get(key).is_some_and(|v| equal(v, tag)),
            None => true,
        };
        self.validations.set(self.validations.get() + 1);
        tagged && self.roots[doc].is_valid(value)
    }

    /// Where document `doc` refuses `value`, against the places of one change: an error at a
    /// place or below it (or, with `or_parent`, at its parent: a key missing or refused there)
    /// is the change's, a union's failure counting where its branches failed.
    /// [`Token::AnyKey`] stands for any key.
    pub fn refusal(
        &self,
        doc: usize,
        value: &Value,
        places: &[Vec<Token>],
        or_parent: bool,
    ) -> Refusal {
        let (mut here, mut elsewhere) = (false, false);
        for error in self.roots[doc].iter_errors(value) {
            let mut paths = Vec::new();
            error_paths(&error, &mut paths);
            if places
                .iter()
                .any(|place| self.explained(&paths, place, or_parent))
            {
                here = true;
            } else {
                elsewhere = true;
            }
        }
        match (here, elsewhere) {
            (false, _) => Refusal::Elsewhere,
            (true, true) => Refusal::HereToo,
            (true, false) => Refusal::OnlyHere,
        }
    }

    /// Whether one of an error's paths is at `place` (see [`Self::refuses_only_at`]).
    fn explained(
        &self,
        paths: &[(String, Option<String>)],
        place: &[Token],
        or_parent: bool,
    ) -> bool {
        if place.is_empty() {
            return true;
        }
        let matches = |t: &Token, p: &str| match t {
            Token::AnyKey => true,
            Token::Key(k) => k == p,
            Token::Index(i) => p.parse::<usize>().is_ok_and(|j| j == *i),
        };
        let last = place.last();
        paths.iter().any(|(path, about)| {
            let Some(found) = tokens(path) else {
                return false;
            };
            let same = |n: usize| {
                found.len() >= n && place[..n].iter().zip(&found).all(|(t, p)| matches(t, p))
            };
            let about_key = match (about, last) {
                (None, _) | (_, Some(Token::AnyKey)) => true,
                (Some(k), Some(t)) => matches(t, k),
                (Some(_), None) => false,
            };
            let at_parent =
                or_parent && found.len() + 1 == place.len() && same(found.len()) && about_key;
            same(place.len()) || at_parent
        })
    }

    /// Whether `node` accepts `value`; `None` when the node cannot be evaluated.
    pub fn member(&self, arena: &Arena<'_>, node: NodeId, value: &Value) -> Option<bool> {
        let origins = arena.origins(node)?;
        for origin in origins {
            let ok = match origin {
                Origin::Nothing => false,
                Origin::Types(t) => t.contains(Types::of(value)),
                Origin::Constant {
                    key: None,
                    value: c,
                } => equal(&c, value),
                Origin::Constant {
                    key: Some(k),
                    value: c,
                } => value.get(&k).is_some_and(|v| equal(&c, v)) && value.is_object(),
                Origin::Location { doc, pointer } => self.at(doc, &pointer, value)?,
                Origin::Not(node) => !self.member(arena, node, value)?,
            };
            if !ok {
                return Some(false);
            }
        }
        Some(true)
    }

    fn at(&self, doc: usize, pointer: &str, value: &Value) -> Option<bool> {
        if pointer.is_empty() {
            return Some(self.roots[doc].is_valid(value));
        }
        let mut cache = self.locations.borrow_mut();
        if !cache.contains_key(&(doc, pointer.to_owned())) {
            // A validator of its own compiles the schema there: only within the budgets.
            let left = self.location_budget.get();
            let size = values_in(self.docs[doc].value.pointer(pointer)?, left);
            if cache.len() >= MAX_LOCATIONS || size > left {
                return None;
            }
            self.location_budget.set(left - size);
        }
        let validator = cache.entry((doc, pointer.to_owned())).or_insert_with(|| {
            let reference = format!("{}#{}", self.docs[doc].uri, fragment(pointer));
            options()
                .with_registry(&self.registries[doc])
                .build(&json!({ "$ref": reference }))
                .ok()
        });
        validator.as_ref().map(|v| v.is_valid(value))
    }

    /// Whether `text` matches `pattern` as the validators read patterns; `None` when the
    /// pattern does not compile.
    pub fn matches(&self, pattern: &str, text: &str) -> Option<bool> {
        let mut cache = self.patterns.borrow_mut();
        let validator = cache.entry(pattern.to_owned()).or_insert_with(|| {
            options()
                .build(&json!({ "type": "string", "pattern": pattern }))
                .ok()
        });
        validator
            .as_ref()
            .map(|v| v.is_valid(&Value::String(text.to_owned())))
    }
}

impl Oracle<'_> {
    /// Whether every string `p` matches is matched by `r`, or a string that shows it is not.
    pub fn pattern_inclusion(&self, p: &str, r: &str) -> super::regex::Inclusion {
        self.inclusions
            .borrow_mut()
            .entry((p.to_owned(), r.to_owned()))
            .or_insert_with(|| super::regex::compare(p, r))
            .clone()
    }
}

/// The instance paths of an error, and of the errors of each branch of a union that failed;
/// with the key an error is about, for a missing or unexpected key.
fn error_paths(error: &jsonschema::ValidationError<'_>, out: &mut Vec<(String, Option<String>)>) {
    use jsonschema::error::ValidationErrorKind;
    let about = match error.kind() {
        ValidationErrorKind::Required { property } => property.as_str().map(str::to_owned),
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            // One entry per unexpected key.
            for key in unexpected {
                out.push((error.instance_path().as_str().to_owned(), Some(key.clone())));
            }
            return;
        }
        _ => None,
    };
    out.push((error.instance_path().as_str().to_owned(), about));
    match error.kind() {
        ValidationErrorKind::AnyOf { context }
        | ValidationErrorKind::OneOfNotValid { context }
        | ValidationErrorKind::OneOfMultipleValid { context } => {
            for branch in context {
                for e in branch {
                    error_paths(e, out);
                }
            }
        }
        _ => {}
    }
}

/// How many JSON values `value` holds (itself included), counting no further than `limit`
/// (past it, `limit + 1`).
fn values_in(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        if count > limit {
            return count;
        }
        match v {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    count
}

/// Equality as JSON Schema defines it: numbers by value, objects regardless of key order.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    evcontract::contract::json_equal(a, b)
}

/// A JSON Pointer as a URI fragment: characters outside the fragment's set percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
