//! Breaking-change detection between two schema catalogs, judged by who reads what.
//!
//! A change is found structurally, by walking the two schemas of an event type side by side
//! (through `$ref`, properties, array items and union branches), and gets a stable [`Rule`].
//! Its effect in each direction is then *decided by evidence*: the checker builds candidate
//! events around the change (from the schemas' own examples and any events given) and keeps a
//! candidate as a **witness** only when it is actually accepted by the producing side and
//! refused by the reading side. A rule that can break a direction but finds no witness is
//! reported as `unknown`, never as compatible.
//!
//! Directions: *backward* — readers on the new schema get events made under the old one
//! (redelivered and stored events); *forward* — readers still on the old schema get events made
//! under the new one (the webhook case: the platform ships first). Events are what a producer may
//! send under its contract (unknown keys denied); readers validate with the published schemas
//! (unknown keys allowed) or, with [`Readers::Strict`], deny them too.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jsonschema::Validator;
use opentact_events::schema::{ANY_EVENT_FILE, INDEX_FILE};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// Which direction(s) must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Readers on the new schema accept every event the old one accepted.
    Backward,
    /// Readers on the old schema accept every event the new one accepts.
    Forward,
    /// Both.
    Full,
}

/// How readers treat keys the schema does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Readers {
    /// As the published schemas do: unknown keys are accepted.
    Tolerant,
    /// Unknown keys are refused, as the contract check does.
    Strict,
}

/// The kinds of change, with stable ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)]
pub enum Rule {
    EventTypeAdded,
    EventTypeRemoved,
    PropertyAdded,
    PropertyRemoved,
    RequiredAdded,
    RequiredRemoved,
    TypeWidened,
    TypeNarrowed,
    TypeChanged,
    NullAllowed,
    NullDisallowed,
    EnumValueAdded,
    EnumValueRemoved,
    ConstChanged,
    FormatChanged,
    PatternChanged,
    BoundsChanged,
    UnknownFieldsOpened,
    UnknownFieldsClosed,
    UnionBranchAdded,
    UnionBranchRemoved,
    ConditionChanged,
}

impl Rule {
    /// The id as printed: `PROPERTY_ADDED`.
    pub fn id(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Which directions the change can break, whatever the witnesses say: (backward, forward).
    /// A direction it cannot break is compatible without evidence; one it can break needs a
    /// witness to be called incompatible and is unknown without one.
    fn can_break(self) -> (bool, bool) {
        match self {
            Rule::EventTypeAdded
            | Rule::RequiredRemoved
            | Rule::TypeWidened
            | Rule::NullAllowed
            | Rule::EnumValueAdded
            | Rule::UnknownFieldsOpened
            | Rule::UnionBranchAdded => (false, true),
            // A key the old schema does not list breaks only readers that refuse unknown keys
            // (and `compare` clears this for tolerant readers).
            Rule::PropertyAdded => (false, true),
            Rule::EventTypeRemoved
            | Rule::RequiredAdded
            | Rule::TypeNarrowed
            | Rule::NullDisallowed
            | Rule::EnumValueRemoved
            | Rule::UnknownFieldsClosed
            | Rule::UnionBranchRemoved
            | Rule::PropertyRemoved => (true, false),
            Rule::TypeChanged
            | Rule::ConstChanged
            | Rule::FormatChanged
            | Rule::PatternChanged
            | Rule::BoundsChanged
            | Rule::ConditionChanged => (true, true),
        }
    }
}

/// The effect of a change in one direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Effect {
    /// No event breaks this direction.
    Compatible,
    /// This event is accepted by the producing side and refused by the reading side.
    Incompatible {
        /// The witness event.
        witness: Value,
    },
    /// The change may break this direction, and no witness was found to decide it.
    Unknown {
        /// Why it is undecided.
        reason: String,
    },
}

/// One change between the two catalogs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The rule.
    pub rule: Rule,
    /// The event type.
    pub event_type: String,
    /// JSON Pointer into the event where the change is (`/0` stands for any array item).
    pub pointer: String,
    /// The Rust model and the key there, where known (`Call.state`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_field: Option<String>,
    /// What changed, in words.
    pub detail: String,
    /// The effect on readers of the new schema reading old events.
    pub backward: Effect,
    /// The effect on readers of the old schema reading new events.
    pub forward: Effect,
}

impl Change {
    /// This change's effect in `mode`: the worse of the directions it covers.
    pub fn effect(&self, mode: Mode) -> &Effect {
        match mode {
            Mode::Backward => &self.backward,
            Mode::Forward => &self.forward,
            Mode::Full => match (&self.backward, &self.forward) {
                (b @ Effect::Incompatible { .. }, _) => b,
                (_, f @ Effect::Incompatible { .. }) => f,
                (b @ Effect::Unknown { .. }, _) => b,
                (_, f) => f,
            },
        }
    }
}

/// The overall verdict in a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every change is compatible in the mode.
    Compatible,
    /// At least one change breaks it, with a witness.
    Incompatible,
    /// No witness of a break, but some change could not be decided.
    Unknown,
}

/// Every change between two catalogs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The changes, by event type and pointer.
    pub changes: Vec<Change>,
}

impl Report {
    /// The verdict in `mode`.
    pub fn verdict(&self, mode: Mode) -> Verdict {
        let mut verdict = Verdict::Compatible;
        for change in &self.changes {
            match change.effect(mode) {
                Effect::Incompatible { .. } => return Verdict::Incompatible,
                Effect::Unknown { .. } => verdict = Verdict::Unknown,
                Effect::Compatible => {}
            }
        }
        verdict
    }
}

/// A catalog that cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{side} catalog: {message}")]
pub struct CompatError {
    /// `old` or `new`.
    pub side: &'static str,
    /// What is wrong.
    pub message: String,
}

/// One side of the comparison: its schemas by event type, raw and compiled.
struct Side {
    name: &'static str,
    /// The Rust type of each event type, from the index (for `rust_field`).
    rust_types: BTreeMap<String, String>,
    schemas: BTreeMap<String, Value>,
    any_event_producer: Validator,
    any_event_reader: Validator,
}

impl Side {
    fn new(
        name: &'static str,
        files: &BTreeMap<String, Value>,
        readers: Readers,
    ) -> Result<Side, CompatError> {
        let fail = |message: String| CompatError {
            side: name,
            message,
        };
        let index = files
            .get(INDEX_FILE)
            .ok_or_else(|| fail(format!("{INDEX_FILE} is missing")))?;
        let entries = index
            .get("events")
            .and_then(Value::as_array)
            .ok_or_else(|| fail(format!("{INDEX_FILE} has no `events` array")))?;
        let mut schemas = BTreeMap::new();
        let mut rust_types = BTreeMap::new();
        for entry in entries {
            let (Some(event_type), Some(file)) = (
                entry.get("type").and_then(Value::as_str),
                entry.get("schema").and_then(Value::as_str),
            ) else {
                return Err(fail(format!(
                    "an entry of {INDEX_FILE} lacks `type` or `schema`"
                )));
            };
            let schema = files
                .get(file)
                .ok_or_else(|| fail(format!("{file} is missing")))?;
            if let Some(rust_type) = entry.get("rust_type").and_then(Value::as_str) {
                rust_types.insert(event_type.to_owned(), rust_type.to_owned());
            }
            schemas.insert(event_type.to_owned(), schema.clone());
        }
        let any = files
            .get(ANY_EVENT_FILE)
            .ok_or_else(|| fail(format!("{ANY_EVENT_FILE} is missing")))?;
        Ok(Side {
            name,
            rust_types,
            schemas,
            any_event_producer: compile(any, true).map_err(&fail)?,
            any_event_reader: compile(any, readers == Readers::Strict).map_err(&fail)?,
        })
    }

    /// Whether this side's producers may send `event` (its contract: unknown keys denied). The
    /// any-event schema is the contract: it dispatches on `type`, then applies that type's
    /// schema, so an event whose `type` the catalog does not list is never produced.
    fn produces(&self, event: &Value) -> bool {
        self.any_event_producer.is_valid(event)
    }

    /// Whether this side's readers accept `event`. Readers take any event type, so they read
    /// with the any-event schema (which refuses a type it does not know).
    fn reads(&self, event: &Value) -> bool {
        self.any_event_reader.is_valid(event)
    }

    /// The examples of an event type: the schema's own `examples` and the extra events given.
    fn examples<'a>(&'a self, event_type: &str, extra: &'a [Value]) -> Vec<&'a Value> {
        let own = self
            .schemas
            .get(event_type)
            .and_then(|s| s.get("examples"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        own.chain(
            extra
                .iter()
                .filter(|e| e.get("type").and_then(Value::as_str) == Some(event_type)),
        )
        .filter(|e| self.produces(e))
        .collect()
    }
}

fn compile(schema: &Value, closed: bool) -> Result<Validator, String> {
    let policy = if closed {
        crate::validate::UnknownFields::Deny
    } else {
        crate::validate::UnknownFields::Allow
    };
    crate::validate::compile_schema(schema, policy)
        .map_err(|err| format!("a schema does not compile: {err}"))
}

/// Compares two catalogs (files by path relative to the catalog folder, as in `schemas/`).
/// `events` are extra example events (fixtures) to build witnesses from, beside the schemas'
/// own examples.
pub fn compare(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
    readers: Readers,
    events: &[Value],
) -> Result<Report, CompatError> {
    let old = Side::new("old", old, readers)?;
    let new = Side::new("new", new, readers)?;
    let mut found = Vec::new();
    let types: BTreeSet<&String> = old.schemas.keys().chain(new.schemas.keys()).collect();
    for event_type in types {
        match (old.schemas.get(event_type), new.schemas.get(event_type)) {
            (Some(o), Some(n)) => {
                let mut walk = Walk {
                    old_rust_root: old.rust_types.get(event_type).cloned(),
                    old_root: o,
                    new_root: n,
                    event_type,
                    found: &mut found,
                    visiting: BTreeSet::new(),
                };
                let rust_type = new.rust_types.get(event_type).cloned();
                walk.compare(o, n, String::new(), rust_type, None);
            }
            (None, Some(_)) => found.push(Found::new(
                Rule::EventTypeAdded,
                event_type,
                String::new(),
                None,
                format!("event type `{event_type}` added"),
                Vec::new(),
            )),
            (Some(_), None) => found.push(Found::new(
                Rule::EventTypeRemoved,
                event_type,
                String::new(),
                None,
                format!("event type `{event_type}` removed"),
                Vec::new(),
            )),
            _ => {}
        }
    }
    if readers == Readers::Tolerant {
        // Tolerant readers accept any value under a key their schema does not list: a key
        // added in the new schema cannot break old readers, and a key removed cannot break new
        // ones.
        for f in &mut found {
            match f.rule {
                Rule::PropertyAdded => f.breaks.1 = false,
                Rule::PropertyRemoved => f.breaks.0 = false,
                _ => {}
            }
        }
    }
    let changes = found
        .into_iter()
        .map(|f| decide(f, &old, &new, events))
        .collect();
    Ok(Report { changes })
}

/// A change found by the walk, before its effects are decided.
struct Found {
    rule: Rule,
    event_type: String,
    pointer: String,
    rust_field: Option<String>,
    detail: String,
    /// Values to try at `pointer` when looking for witnesses (`None`: remove the key).
    candidates: Vec<Option<Value>>,
    /// Which directions it can break: (backward, forward).
    breaks: (bool, bool),
}

impl Found {
    fn new(
        rule: Rule,
        event_type: &str,
        pointer: String,
        rust_field: Option<String>,
        detail: String,
        candidates: Vec<Option<Value>>,
    ) -> Found {
        Found {
            rule,
            event_type: event_type.to_owned(),
            pointer,
            rust_field,
            detail,
            candidates,
            breaks: rule.can_break(),
        }
    }
}

/// Decides both effects of a change by looking for witnesses.
fn decide(found: Found, old: &Side, new: &Side, events: &[Value]) -> Change {
    let (breaks_backward, breaks_forward) = found.breaks;
    let backward = if breaks_backward {
        search(&found, old, new, events)
    } else {
        Effect::Compatible
    };
    let forward = if breaks_forward {
        search(&found, new, old, events)
    } else {
        Effect::Compatible
    };
    Change {
        rule: found.rule,
        event_type: found.event_type,
        pointer: found.pointer,
        rust_field: found.rust_field,
        detail: found.detail,
        backward,
        forward,
    }
}

/// Looks for an event the `producer` side may send and the `reader` side refuses.
fn search(found: &Found, producer: &Side, reader: &Side, events: &[Value]) -> Effect {
    let examples = producer.examples(&found.event_type, events);
    if examples.is_empty() {
        return Effect::Unknown {
            reason: format!(
                "no example of `{}` valid under the {} schema to build a witness from",
                found.event_type, producer.name
            ),
        };
    }
    for example in examples {
        // The example itself first: for an added or removed event type, or a union branch
        // removed, it can be the witness as it is.
        let mut candidates: Vec<Value> = vec![example.clone()];
        // Then the example's own value at the change, slightly altered: what a changed
        // pattern, format or bound most likely refuses or newly accepts.
        if let Some(Value::String(text)) = example.pointer(&found.pointer) {
            for altered in [
                text.to_uppercase(),
                text.to_lowercase(),
                format!("{text}x"),
                text.chars().skip(1).collect(),
                text.replacen('T', " ", 1),
            ] {
                candidates.extend(with_value(example, &found.pointer, Some(&json!(altered))));
            }
        }
        for value in &found.candidates {
            if let Some(event) = with_value(example, &found.pointer, value.as_ref()) {
                candidates.push(event);
            }
        }
        for candidate in candidates {
            if producer.produces(&candidate) && !reader.reads(&candidate) {
                return Effect::Incompatible { witness: candidate };
            }
        }
    }
    Effect::Unknown {
        reason: format!(
            "the change can break this direction, but no event built from the {} schema's examples was refused by the {} schema",
            producer.name, reader.name
        ),
    }
}

/// `event` with the value at `pointer` replaced by `value` (or the key removed, for `None`);
/// `None` when the pointer's parent is not in the event.
fn with_value(event: &Value, pointer: &str, value: Option<&Value>) -> Option<Value> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let key = last.replace("~1", "/").replace("~0", "~");
    let mut event = event.clone();
    match event.pointer_mut(parent)? {
        Value::Object(map) => match value {
            Some(v) => {
                map.insert(key, v.clone());
            }
            None => {
                // An event that already lacks the key is what "removed" means.
                map.remove(&key);
            }
        },
        Value::Array(items) => {
            let slot = items.get_mut(key.parse::<usize>().ok()?)?;
            *slot = value?.clone();
        }
        _ => return None,
    }
    Some(event)
}

/// The walk over two schemas of one event type.
struct Walk<'a> {
    /// The old side's Rust type of the event, for keys it had and the new side lacks.
    old_rust_root: Option<String>,
    old_root: &'a Value,
    new_root: &'a Value,
    event_type: &'a str,
    found: &'a mut Vec<Found>,
    visiting: BTreeSet<(String, String)>,
}

/// A schema's allowed JSON types (from `type`, or from the branches of a nullable `anyOf`).
fn types_of(schema: &Map<String, Value>) -> Option<BTreeSet<String>> {
    match schema.get("type")? {
        Value::String(t) => Some(BTreeSet::from([t.clone()])),
        Value::Array(ts) => Some(
            ts.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    }
}

/// A value of JSON type `t`, to try where that type is newly allowed.
fn sample_of_type(t: &str) -> Value {
    match t {
        "null" => Value::Null,
        "boolean" => json!(true),
        "integer" => json!(1),
        "number" => json!(1.5),
        "string" => json!("x"),
        "array" => json!([]),
        _ => json!({}),
    }
}

/// The branch of a nullable `anyOf` (`[X, {"type": "null"}]`) that is not null, if it is one.
fn nullable_branch(schema: &Map<String, Value>) -> Option<&Value> {
    let branches = schema.get("anyOf")?.as_array()?;
    let [a, b] = branches.as_slice() else {
        return None;
    };
    let is_null = |v: &Value| {
        v.get("type") == Some(&json!("null")) && v.as_object().is_some_and(|m| m.len() == 1)
    };
    match (is_null(a), is_null(b)) {
        (false, true) => Some(a),
        (true, false) => Some(b),
        _ => None,
    }
}

impl Walk<'_> {
    fn resolve<'v>(&self, root: &'v Value, schema: &'v Value) -> (&'v Value, Option<String>) {
        let mut current = schema;
        let mut name = None;
        for _ in 0..32 {
            let Some(target) = current.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(def) = target.strip_prefix("#/$defs/") else {
                break;
            };
            match root.get("$defs").and_then(|d| d.get(def)) {
                Some(resolved) => {
                    name = Some(def.to_owned());
                    current = resolved;
                }
                None => break,
            }
        }
        (current, name)
    }

    #[allow(clippy::too_many_lines)]
    fn compare(
        &mut self,
        old: &Value,
        new: &Value,
        pointer: String,
        rust_type: Option<String>,
        rust_key: Option<&str>,
    ) {
        let (old, old_name) = self.resolve(self.old_root, old);
        let (new, new_name) = self.resolve(self.new_root, new);
        let key = (
            format!("{pointer}|{}", old_name.clone().unwrap_or_default()),
            new_name.clone().unwrap_or_default(),
        );
        if old_name.is_some() && !self.visiting.insert(key.clone()) {
            return;
        }
        let rust_field = match (&rust_type, rust_key) {
            (Some(t), Some(k)) => Some(format!("{t}.{k}")),
            _ => None,
        };
        let here_type = new_name.clone().or(old_name.clone()).or(rust_type.clone());
        let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
            if old != new {
                self.push(
                    Rule::TypeChanged,
                    &pointer,
                    &rust_field,
                    "the schema changed shape".into(),
                    Vec::new(),
                );
            }
            return;
        };

        // Nullable wrappers: compare what they wrap, and note null allowed or not.
        match (nullable_branch(o), nullable_branch(n)) {
            (Some(ob), Some(nb)) => {
                self.compare(ob, nb, pointer.clone(), rust_type, rust_key);
                self.visiting.remove(&key);
                return;
            }
            // Only a plain schema that became nullable, or the reverse, is a null change here;
            // a union that gained or lost other branches is compared branch by branch below.
            (None, Some(nb)) if !o.contains_key("anyOf") => {
                self.push(
                    Rule::NullAllowed,
                    &pointer,
                    &rust_field,
                    "null is now allowed".into(),
                    vec![Some(Value::Null)],
                );
                self.compare(old, nb, pointer.clone(), rust_type, rust_key);
                self.visiting.remove(&key);
                return;
            }
            (Some(ob), None) if !n.contains_key("anyOf") => {
                self.push(
                    Rule::NullDisallowed,
                    &pointer,
                    &rust_field,
                    "null is no longer allowed".into(),
                    vec![Some(Value::Null)],
                );
                self.compare(ob, new, pointer.clone(), rust_type, rust_key);
                self.visiting.remove(&key);
                return;
            }
            _ => {}
        }

        // Types.
        if let (Some(ot), Some(nt)) = (types_of(o), types_of(n)) {
            // JSON Schema's "integer" is a subset of "number".
            let covers = |set: &BTreeSet<String>, t: &String| {
                set.contains(t) || (t == "integer" && set.contains("number"))
            };
            if ot != nt && nt.iter().all(|t| covers(&ot, t)) && !ot.iter().all(|t| covers(&nt, t)) {
                let candidates = ["number", "integer", "string"]
                    .iter()
                    .map(|t| Some(sample_of_type(t)))
                    .collect();
                self.push(
                    Rule::TypeNarrowed,
                    &pointer,
                    &rust_field,
                    format!("type narrowed: {ot:?} to {nt:?}"),
                    candidates,
                );
            } else if ot != nt
                && ot.iter().all(|t| covers(&nt, t))
                && !nt.iter().all(|t| covers(&ot, t))
                && !(nt.difference(&ot).count() == 1 && nt.contains("null"))
            {
                let candidates = nt.iter().map(|t| Some(sample_of_type(t))).collect();
                self.push(
                    Rule::TypeWidened,
                    &pointer,
                    &rust_field,
                    format!("type widened: {ot:?} to {nt:?}"),
                    candidates,
                );
            } else if ot != nt {
                let added: Vec<&String> = nt.difference(&ot).collect();
                let removed: Vec<&String> = ot.difference(&nt).collect();
                let only_null = |set: &Vec<&String>| set.len() == 1 && set[0] == "null";
                let (rule, detail) = if removed.is_empty() && only_null(&added) {
                    (Rule::NullAllowed, "null is now allowed".to_owned())
                } else if added.is_empty() && only_null(&removed) {
                    (Rule::NullDisallowed, "null is no longer allowed".to_owned())
                } else if removed.is_empty() {
                    (Rule::TypeWidened, format!("type widened: {ot:?} to {nt:?}"))
                } else if added.is_empty() {
                    (
                        Rule::TypeNarrowed,
                        format!("type narrowed: {ot:?} to {nt:?}"),
                    )
                } else {
                    (Rule::TypeChanged, format!("type changed: {ot:?} to {nt:?}"))
                };
                let candidates = added
                    .iter()
                    .chain(&removed)
                    .map(|t| Some(sample_of_type(t)))
                    .collect();
                self.push(rule, &pointer, &rust_field, detail, candidates);
            }
        }

        // Enumerations and constants.
        if let (Some(Value::Array(oe)), Some(Value::Array(ne))) = (o.get("enum"), n.get("enum")) {
            for v in ne.iter().filter(|v| !oe.contains(v)) {
                self.push(
                    Rule::EnumValueAdded,
                    &pointer,
                    &rust_field,
                    format!("value {v} added"),
                    vec![Some(v.clone())],
                );
            }
            for v in oe.iter().filter(|v| !ne.contains(v)) {
                self.push(
                    Rule::EnumValueRemoved,
                    &pointer,
                    &rust_field,
                    format!("value {v} removed"),
                    vec![Some(v.clone())],
                );
            }
        }
        if o.get("const") != n.get("const") && (o.contains_key("const") || n.contains_key("const"))
        {
            let candidates = [o.get("const"), n.get("const")]
                .into_iter()
                .flatten()
                .map(|v| Some(v.clone()))
                .collect();
            self.push(
                Rule::ConstChanged,
                &pointer,
                &rust_field,
                format!("const {:?} to {:?}", o.get("const"), n.get("const")),
                candidates,
            );
        }

        // String and number constraints: the candidates are the values that sit on either
        // side's limits.
        for (keyword, rule) in [
            ("format", Rule::FormatChanged),
            ("pattern", Rule::PatternChanged),
        ] {
            if o.get(keyword) != n.get(keyword) {
                self.push(
                    rule,
                    &pointer,
                    &rust_field,
                    format!("{keyword} {:?} to {:?}", o.get(keyword), n.get(keyword)),
                    string_candidates(),
                );
            }
        }
        for keyword in [
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
        ] {
            if o.get(keyword) != n.get(keyword) {
                let mut candidates = Vec::new();
                for limit in [o.get(keyword), n.get(keyword)]
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_f64)
                {
                    for delta in [-1.0, 0.0, 1.0] {
                        let v = limit + delta;
                        if keyword.ends_with("Length") {
                            candidates.push(Some(json!("x".repeat(v.max(0.0) as usize))));
                        } else if keyword.ends_with("Items") {
                            candidates
                                .push(Some(Value::Array(vec![json!({}); v.max(0.0) as usize])));
                        } else {
                            candidates.push(Some(json!(v as i64)));
                        }
                    }
                }
                self.push(
                    Rule::BoundsChanged,
                    &pointer,
                    &rust_field,
                    format!("{keyword} {:?} to {:?}", o.get(keyword), n.get(keyword)),
                    candidates,
                );
                // A bound that only moved (both sides have it) narrows or widens: it can break
                // one direction only.
                if let (Some(a), Some(b)) = (
                    o.get(keyword).and_then(Value::as_f64),
                    n.get(keyword).and_then(Value::as_f64),
                ) {
                    let lower = keyword.starts_with("min") || keyword == "exclusiveMinimum";
                    let narrowed = if lower { b > a } else { b < a };
                    if let Some(last) = self.found.last_mut() {
                        last.breaks = if narrowed {
                            (true, false)
                        } else {
                            (false, true)
                        };
                    }
                }
            }
        }

        // Objects.
        let empty = Map::new();
        let op = o
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let np = n
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required = |m: &Map<String, Value>| -> BTreeSet<String> {
            m.get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (oreq, nreq) = (required(o), required(n));
        let child = |k: &str| {
            let mut p = pointer.clone();
            opentact_events::json::push_token(&mut p, k);
            p
        };
        let field = |k: &str| here_type.as_ref().map(|t| format!("{t}.{k}"));
        for (k, ns) in np {
            match op.get(k) {
                Some(os) => self.compare(os, ns, child(k), here_type.clone(), Some(k)),
                None => {
                    let candidates = example_values(ns).into_iter().map(Some).collect();
                    self.push(
                        Rule::PropertyAdded,
                        &child(k),
                        &field(k),
                        format!("key `{k}` added"),
                        candidates,
                    );
                }
            }
        }
        // A removed key belonged to the old side's type.
        let old_type = old_name.clone().or_else(|| {
            if pointer.is_empty() {
                self.old_rust_root.clone()
            } else {
                rust_type.clone()
            }
        });
        for k in op.keys().filter(|k| !np.contains_key(*k)) {
            let candidates = example_values(&op[k]).into_iter().map(Some).collect();
            let old_field = old_type.as_ref().map(|t| format!("{t}.{k}"));
            self.push(
                Rule::PropertyRemoved,
                &child(k),
                &old_field,
                format!("key `{k}` removed"),
                candidates,
            );
        }
        for k in nreq.difference(&oreq) {
            self.push(
                Rule::RequiredAdded,
                &child(k),
                &field(k),
                format!("key `{k}` now required"),
                vec![None],
            );
        }
        for k in oreq.difference(&nreq) {
            self.push(
                Rule::RequiredRemoved,
                &child(k),
                &field(k),
                format!("key `{k}` no longer required"),
                vec![None],
            );
        }
        match (o.get("additionalProperties"), n.get("additionalProperties")) {
            (Some(Value::Bool(false)), None | Some(Value::Bool(true))) => {
                self.push(
                    Rule::UnknownFieldsOpened,
                    &pointer,
                    &rust_field,
                    "keys the schema does not list are now accepted".into(),
                    vec![],
                );
            }
            (None | Some(Value::Bool(true)), Some(Value::Bool(false))) => {
                self.push(
                    Rule::UnknownFieldsClosed,
                    &pointer,
                    &rust_field,
                    "keys the schema does not list are now refused".into(),
                    vec![],
                );
            }
            _ => {}
        }

        // Arrays: `/0` stands for any item.
        if let (Some(oi), Some(ni)) = (o.get("items"), n.get("items")) {
            self.compare(oi, ni, format!("{pointer}/0"), here_type.clone(), None);
        }

        // Unions: branches are matched by position, with their `const` tag when they have one.
        for keyword in ["anyOf", "oneOf"] {
            if let (Some(Value::Array(ob)), Some(Value::Array(nb))) =
                (o.get(keyword), n.get(keyword))
            {
                for (i, branch) in nb.iter().enumerate() {
                    match ob.get(i) {
                        Some(old_branch) => self.compare(
                            old_branch,
                            branch,
                            pointer.clone(),
                            here_type.clone(),
                            rust_key,
                        ),
                        None => self.push(
                            Rule::UnionBranchAdded,
                            &pointer,
                            &rust_field,
                            format!("{keyword} branch {i} added"),
                            example_values(branch).into_iter().map(Some).collect(),
                        ),
                    }
                }
                for (i, branch) in ob.iter().enumerate().skip(nb.len()) {
                    self.push(
                        Rule::UnionBranchRemoved,
                        &pointer,
                        &rust_field,
                        format!("{keyword} branch {i} removed"),
                        example_values(branch).into_iter().map(Some).collect(),
                    );
                }
            }
        }
        if o.get("allOf") != n.get("allOf") {
            self.push(
                Rule::ConditionChanged,
                &pointer,
                &rust_field,
                "the rules across keys (allOf/if/then) changed".into(),
                vec![None],
            );
        }
        self.visiting.remove(&key);
    }

    fn push(
        &mut self,
        rule: Rule,
        pointer: &str,
        rust_field: &Option<String>,
        detail: String,
        candidates: Vec<Option<Value>>,
    ) {
        self.found.push(Found::new(
            rule,
            self.event_type,
            pointer.to_owned(),
            rust_field.clone(),
            detail,
            candidates,
        ));
    }
}

/// Values a subschema itself offers: its examples, const and enum values, and a sample of each
/// of its types.
fn example_values(schema: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(Value::Array(examples)) = schema.get("examples") {
        out.extend(examples.iter().cloned());
    }
    if let Some(c) = schema.get("const") {
        out.push(c.clone());
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        out.extend(values.iter().cloned());
    }
    if let Some(types) = schema.as_object().and_then(types_of) {
        out.extend(types.iter().map(|t| sample_of_type(t)));
    }
    out.extend(["x", "", "2024-02-19T16:06:00.210Z"].map(|s| json!(s)));
    out
}

/// Strings to try where a format or pattern changed.
fn string_candidates() -> Vec<Option<Value>> {
    [
        "x",
        "",
        "2024-02-19T16:06:00.210Z",
        "2024-02-19T16:06:00Z",
        "2024-02-19T16:06:00.210+01:00",
        "58699aff-b3dd-46b6-b428-029cde3368a4",
        "f2fc43433c39837ba33497b10910cf76",
        "223.182.88.88",
        "info@freefone.app",
    ]
    .into_iter()
    .map(|s| Some(json!(s)))
    .collect()
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Backward => "backward",
            Mode::Forward => "forward",
            Mode::Full => "full",
        })
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Compatible => "compatible",
            Verdict::Incompatible => "incompatible",
            Verdict::Unknown => "unknown",
        })
    }
}

/// How a change reads in a changelog: "`call_state`: value "failed" added at `/call/state`
/// (`Call.state`)".
fn changelog_line(change: &Change) -> String {
    let place = if change.pointer.is_empty() {
        String::new()
    } else {
        format!(" at `{}`", change.pointer)
    };
    let field = change
        .rust_field
        .as_ref()
        .map(|f| format!(" (`{f}`)"))
        .unwrap_or_default();
    format!("`{}`: {}{place}{field}", change.event_type, change.detail)
}

fn effect_word(effect: &Effect) -> &'static str {
    match effect {
        Effect::Compatible => "compatible",
        Effect::Incompatible { .. } => "BREAKS",
        Effect::Unknown { .. } => "unknown",
    }
}

/// The value a witness has at the change, for a one-line summary.
fn witness_at(change: &Change, witness: &Value) -> String {
    if change.pointer.is_empty() {
        return format!(
            "a `{}` event",
            witness.get("type").and_then(Value::as_str).unwrap_or("?")
        );
    }
    match witness.pointer(&change.pointer) {
        Some(value) => {
            let text = value.to_string();
            let short: String = text.chars().take(60).collect();
            let ellipsis = if short.len() < text.len() { "..." } else { "" };
            format!("`{}` = {short}{ellipsis}", change.pointer)
        }
        None => format!("`{}` absent", change.pointer),
    }
}

/// The report for a terminal: the verdict, each change with both directions and its witness,
/// and a changelog.
pub fn render_human(report: &Report, mode: Mode) -> String {
    let mut out = format!(
        "{} in {mode} mode ({} change{})\n",
        report.verdict(mode),
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" }
    );
    for change in &report.changes {
        out.push_str(&format!(
            "\n{} {}\n",
            change.rule.id(),
            changelog_line(change)
        ));
        for (direction, effect) in [("backward", &change.backward), ("forward", &change.forward)] {
            out.push_str(&format!("  {direction}: {}", effect_word(effect)));
            match effect {
                Effect::Incompatible { witness } => {
                    out.push_str(&format!(" (witness: {})", witness_at(change, witness)));
                }
                Effect::Unknown { reason } => out.push_str(&format!(" ({reason})")),
                Effect::Compatible => {}
            }
            out.push('\n');
        }
    }
    out.push_str("\nChangelog:\n");
    if report.changes.is_empty() {
        out.push_str("- no change\n");
    }
    for change in &report.changes {
        out.push_str(&format!("- {}\n", changelog_line(change)));
    }
    out
}

/// The report as a pull-request comment, in Markdown.
pub fn render_markdown(report: &Report, mode: Mode) -> String {
    let verdict = report.verdict(mode);
    let icon = match verdict {
        Verdict::Compatible => "✅",
        Verdict::Incompatible => "❌",
        Verdict::Unknown => "⚠️",
    };
    let mut out = format!("### {icon} Event schemas: {verdict} ({mode} mode)\n\n");
    if report.changes.is_empty() {
        out.push_str("No change to the event schemas.\n");
        return out;
    }
    out.push_str("| rule | where | backward | forward |\n|---|---|---|---|\n");
    for change in &report.changes {
        let cell = |e: &Effect| match e {
            Effect::Incompatible { witness } => {
                format!("**breaks**: {}", witness_at(change, witness))
            }
            Effect::Unknown { .. } => "unknown".to_owned(),
            Effect::Compatible => "compatible".to_owned(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            change.rule.id(),
            changelog_line(change).replace('|', "\\|"),
            cell(&change.backward).replace('|', "\\|"),
            cell(&change.forward).replace('|', "\\|"),
        ));
    }
    let unknown: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| matches!(c.effect(mode), Effect::Unknown { .. }))
        .collect();
    if !unknown.is_empty() {
        out.push_str("\nUndecided (no witness found either way):\n");
        for change in unknown {
            if let Effect::Unknown { reason } = change.effect(mode) {
                out.push_str(&format!("- {}: {reason}\n", changelog_line(change)));
            }
        }
    }
    out.push_str("\n<details><summary>Changelog</summary>\n\n");
    for change in &report.changes {
        out.push_str(&format!("- {}\n", changelog_line(change)));
    }
    out.push_str("\n</details>\n");
    out
}

/// The report as one JSON document: the verdict in `mode`, every change with its effects and
/// whole witness events, and the changelog lines.
pub fn render_json(report: &Report, mode: Mode) -> Value {
    json!({
        "mode": mode,
        "verdict": report.verdict(mode),
        "changes": report.changes,
        "changelog": report.changes.iter().map(changelog_line).collect::<Vec<_>>(),
    })
}
