//! Fixtures from captures: a few valid ones that together show every variant seen, anonymised
//! consistently, and single-fault invalid ones made from the first, each breaking one rule of
//! the drafted contract. Anonymisation and faults are driven by the contract's schema of the
//! new type (generated from the drafted model), so they know the catalog's reused types too.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::infer::{Field, Model, Presence, Ty};
use crate::seen::{Fits, phone_like};

/// A JSON value's keys in the order of its text (serde_json's maps are sorted): what keeps a
/// fixture's keys in the platform's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Ordered {
    /// An object's keys in order, each with what it holds.
    Object(Vec<(String, Ordered)>),
    /// An array's items.
    Array(Vec<Ordered>),
    /// Anything else.
    #[default]
    Scalar,
}

impl Ordered {
    /// The key order of JSON text; `Scalar` for text serde_json does not read (the caller has
    /// parsed it strictly before).
    pub fn read(bytes: &[u8]) -> Ordered {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    /// What the member `key` holds, if this is an object that has it.
    pub fn member(&self, key: &str) -> Option<&Ordered> {
        match self {
            Ordered::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, o)| o),
            _ => None,
        }
    }

    /// What item `i` holds, if this is an array that has it.
    pub fn item(&self, i: usize) -> Option<&Ordered> {
        match self {
            Ordered::Array(items) => items.get(i),
            _ => None,
        }
    }

    /// The keys of `map` in this order, then any it does not list (sorted).
    pub fn keys<'a>(&'a self, map: &'a Map<String, Value>) -> Vec<&'a str> {
        let mut keys: Vec<&str> = match self {
            Ordered::Object(members) => members
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| map.contains_key(*k))
                .collect(),
            _ => Vec::new(),
        };
        for k in map.keys() {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
        keys
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Ordered>()? {
                    members.push((k, v));
                }
                Ok(Ordered::Object(members))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<Ordered>()? {
                    items.push(v);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `value` as pretty JSON (two spaces, a trailing newline) with its objects' keys in `order`.
pub fn to_text(value: &Value, order: &Ordered) -> String {
    let mut out = String::new();
    write_value(&mut out, value, order, 0);
    out.push('\n');
    out
}

fn write_value(out: &mut String, value: &Value, order: &Ordered, depth: usize) {
    let pad = |out: &mut String, depth: usize| out.push_str(&"  ".repeat(depth));
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            let keys = order.keys(map);
            for (i, key) in keys.iter().enumerate() {
                pad(out, depth + 1);
                out.push_str(&Value::from(*key).to_string());
                out.push_str(": ");
                let inner = order.member(key).cloned().unwrap_or_default();
                write_value(out, &map[*key], &inner, depth + 1);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, depth);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, depth + 1);
                let inner = order.item(i).cloned().unwrap_or_default();
                write_value(out, item, &inner, depth + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, depth);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The variants one capture shows, as the model tells them apart: for each optional key
/// whether it is there, for each nullable one whether it is null, for each array whether it is
/// empty, for each enum which value it has. Places the model leaves unspecified show none.
pub fn features(value: &Value, model: &Model) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fields_features(value, &model.envelope, model, &mut String::new(), &mut out);
    out
}

fn fields_features(
    value: &Value,
    fields: &[Field],
    model: &Model,
    place: &mut String,
    out: &mut BTreeSet<String>,
) {
    let Value::Object(map) = value else {
        return;
    };
    for f in fields {
        let len = place.len();
        opentact_events::json::pointer::push_token(place, &f.key);
        let variant = match (map.get(&f.key), f.presence) {
            (None, _) => Some("absent"),
            (Some(Value::Null), Presence::Nullable | Presence::OptionalNullable) => Some("null"),
            (Some(_), Presence::Required) => None,
            (Some(_), _) => Some("there"),
        };
        if let Some(variant) = variant {
            out.insert(format!("{place} {variant}"));
        }
        if let Some(v) = map.get(&f.key).filter(|v| !v.is_null()) {
            ty_features(v, &f.ty, model, place, out);
        }
        place.truncate(len);
    }
}

fn ty_features(
    value: &Value,
    ty: &Ty,
    model: &Model,
    place: &mut String,
    out: &mut BTreeSet<String>,
) {
    match (ty, value) {
        (Ty::Struct(i), _) => fields_features(value, &model.structs[*i].fields, model, place, out),
        (Ty::Enum(_), Value::String(text)) => {
            out.insert(format!("{place} = {text:?}"));
        }
        (Ty::Vec(item), Value::Array(items)) => {
            out.insert(format!(
                "{place} {}",
                if items.is_empty() { "empty" } else { "items" }
            ));
            let len = place.len();
            place.push_str("/*");
            for v in items {
                ty_features(v, item, model, place, out);
            }
            place.truncate(len);
        }
        (Ty::Nullable(inner), v) => {
            if v.is_null() {
                out.insert(format!("{place} null item"));
            } else {
                ty_features(v, inner, model, place, out);
            }
        }
        _ => {}
    }
}

/// The captures to keep as valid fixtures, by index: the fewest (at most `max`) that together
/// show every variant any capture shows, chosen greedily (the capture that shows the most
/// variants not yet shown, the earliest on a tie). Also returns how many variants no chosen
/// capture shows (when `max` was reached).
pub fn select(values: &[&Value], model: &Model, max: usize) -> (Vec<usize>, usize) {
    let each: Vec<BTreeSet<String>> = values.iter().map(|v| features(v, model)).collect();
    let mut missing: BTreeSet<&String> = each.iter().flatten().collect();
    let mut chosen = Vec::new();
    // The first capture always, so that a type with no variant still gets a fixture.
    if !values.is_empty() && max > 0 {
        for x in &each[0] {
            missing.remove(x);
        }
        chosen.push(0);
    }
    while !missing.is_empty() && chosen.len() < max {
        let best = each
            .iter()
            .enumerate()
            .filter(|(i, _)| !chosen.contains(i))
            .map(|(i, f)| (f.iter().filter(|x| missing.contains(x)).count(), i))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        match best {
            Some((gain, i)) if gain > 0 => {
                for x in &each[i] {
                    missing.remove(x);
                }
                chosen.push(i);
            }
            _ => break,
        }
    }
    chosen.sort_unstable();
    (chosen, missing.len())
}

/// Replaces personal data in fixtures, consistently across them: the same email, phone
/// number, uuid, thread, address or text gets the same stand-in everywhere, so that the
/// relations between values (`ref_id` equal to `call.uuid`) stay.
///
/// What is replaced is decided by the contract's schema and the value: emails, phone-like
/// strings, uuids, threads, IP addresses and any other free text (a string the schema does not
/// restrict to an enum or a const), and integers under a key that names a phone (`phone`,
/// `tn`); timestamps, enum values, booleans and other numbers are kept.
#[derive(Debug, Default)]
pub struct Anonymiser {
    seen: BTreeMap<(Class, String), String>,
    counts: BTreeMap<Class, u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Email,
    Phone,
    Uuid,
    Thread,
    Ip,
    Text,
    PhoneInteger,
}

impl Anonymiser {
    /// `value` with its personal data replaced; `schema` is the contract's schema of its event
    /// type (closed, with `$defs`).
    pub fn anonymise(&mut self, value: &Value, schema: &Value) -> Value {
        let mut value = value.clone();
        self.walk(&mut value, Some(schema), schema, "");
        value
    }

    fn stand_in(&mut self, class: Class, original: &str) -> String {
        if let Some(known) = self.seen.get(&(class, original.to_owned())) {
            return known.clone();
        }
        let n = self.counts.entry(class).or_default();
        *n += 1;
        let n = *n;
        let new = match class {
            Class::Email => format!("user{n}@example.com"),
            Class::Phone => {
                let plus = original.starts_with('+');
                let digits = original.len() - usize::from(plus);
                let tail = n.to_string();
                let fill = "5".repeat(digits.saturating_sub(tail.len()));
                format!("{}{fill}{tail}", if plus { "+" } else { "" })
            }
            Class::Uuid => format!("{:08x}-0000-4000-8000-{:012x}", n, n),
            Class::Thread => format!("{n:032x}"),
            Class::Ip if original.contains(':') => format!("2001:db8::{n:x}"),
            // The documentation ranges of RFC 5737, then a private one.
            Class::Ip => match n {
                1..=254 => format!("192.0.2.{n}"),
                255..=508 => format!("198.51.100.{}", n - 254),
                509..=762 => format!("203.0.113.{}", n - 508),
                _ => format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
            },
            Class::Text => format!("text {n}"),
            Class::PhoneInteger => {
                let digits = original.len();
                let base = if digits >= 16 { 1u64 } else { 5 };
                let n = base
                    .saturating_mul(10u64.saturating_pow(digits.saturating_sub(1) as u32))
                    .saturating_add(n);
                n.to_string()
            }
        };
        self.seen.insert((class, original.to_owned()), new.clone());
        new
    }

    fn walk(&mut self, value: &mut Value, schema: Option<&Value>, root: &Value, key: &str) {
        let node = schema.map(|s| resolve(s, root, value));
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let sub = node
                        .and_then(|n| n.get("properties"))
                        .and_then(|p| p.get(k));
                    self.walk(v, sub, root, k);
                }
            }
            Value::Array(items) => {
                let sub = node.and_then(|n| n.get("items"));
                for item in items {
                    self.walk(item, sub, root, key);
                }
            }
            Value::String(text) => {
                if node.is_some_and(|n| n.get("enum").is_some() || n.get("const").is_some()) {
                    return;
                }
                let fits = Fits::of(text);
                let class = if fits.timestamp {
                    return;
                } else if fits.email {
                    Class::Email
                } else if fits.uuid {
                    Class::Uuid
                } else if fits.thread {
                    Class::Thread
                } else if fits.ip {
                    Class::Ip
                } else if phone_like(text) {
                    Class::Phone
                } else if node
                    .is_some_and(|n| n.get("pattern").is_some() || n.get("format").is_some())
                {
                    // A string with a shape the catalog does not know how to replace.
                    return;
                } else {
                    Class::Text
                };
                *text = self.stand_in(class, text);
            }
            Value::Number(n) => {
                let phone_key = key.contains("phone") || key == "tn";
                if let Some(u) = n.as_u64().filter(|_| phone_key) {
                    let new = self.stand_in(Class::PhoneInteger, &u.to_string());
                    if let Ok(new) = new.parse::<u64>() {
                        *value = Value::from(new);
                    }
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }
}

/// The schema node that describes `value` under `schema`: `$ref`s followed (within `root`),
/// and of an `anyOf`/`oneOf` the first branch whose `type` admits the value's JSON type.
fn resolve<'a>(schema: &'a Value, root: &'a Value, value: &Value) -> &'a Value {
    let mut node = schema;
    for _ in 0..64 {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let Some(next) = target
                .strip_prefix('#')
                .and_then(|pointer| root.pointer(pointer))
            else {
                return node;
            };
            node = next;
            continue;
        }
        let branches = node
            .get("anyOf")
            .or_else(|| node.get("oneOf"))
            .and_then(Value::as_array);
        if let Some(branches) = branches
            && node.get("type").is_none()
        {
            let fitting = branches
                .iter()
                .find(|b| admits(resolve(b, root, value), value));
            match fitting {
                Some(branch) => {
                    node = branch;
                    continue;
                }
                None => return node,
            }
        }
        return node;
    }
    node
}

/// Whether a schema node's `type`, `enum` and `const` (those it has) admit the value.
fn admits(node: &Value, value: &Value) -> bool {
    if let Some(values) = node.get("enum").and_then(Value::as_array)
        && !values.contains(value)
    {
        return false;
    }
    if node.get("const").is_some_and(|c| c != value) {
        return false;
    }
    let name = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let ok = |t: &Value| {
        t.as_str()
            .is_some_and(|t| t == name || (t == "number" && name == "integer"))
    };
    match node.get("type") {
        None => true,
        Some(Value::Array(types)) => types.iter().any(ok),
        Some(t) => ok(t),
    }
}

/// An invalid fixture made from a valid one: one fault, and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The fixture's file name, without `.json`.
    pub name: String,
    /// What the fault is (the `.expect` file's `#` line).
    pub description: String,
    /// The event with the fault.
    pub value: Value,
}

/// Single-fault events made from `valid` (an event of the new type that the contract accepts),
/// each breaking one rule of the contract's `schema` at the first place (in `order`) where the
/// rule applies: a required key removed, an unknown key added, a string where another type
/// belongs, a value outside an enum, a timestamp in another form, an integer past its bound, a
/// null where none is allowed. `slot` is the slot the type fills; its object and the payload
/// are where keys are removed and added.
pub fn faults(valid: &Value, order: &Ordered, schema: &Value, slot: &str) -> Vec<Fault> {
    let mut places = Vec::new();
    collect_places(
        valid,
        order,
        Some(schema),
        schema,
        &mut String::new(),
        &mut places,
    );
    // The type's own keys: its payload's and its slot's. The envelope's others are every
    // type's, and have their fixtures already.
    let own = |pointer: &str| {
        ["/payload".to_owned(), format!("/{slot}")]
            .iter()
            .any(|c| pointer == c || pointer.starts_with(&format!("{c}/")))
    };
    places.retain(|p| own(&p.pointer));
    let mut out: Vec<Fault> = Vec::new();
    // Adds the fault `edit` makes, unless one of that name is there or the edit cannot be made.
    let mut push = |name: String, description: String, edit: &dyn Fn(&mut Value) -> bool| {
        if out.iter().any(|f| f.name == name) {
            return;
        }
        let mut value = valid.clone();
        if edit(&mut value) {
            out.push(Fault {
                name,
                description,
                value,
            });
        }
    };
    let label = |pointer: &str| {
        opentact_events::json::pointer::tokens(pointer)
            .unwrap_or_default()
            .join(".")
    };
    let file = |pointer: &str| crate::names::field(&label(pointer).replace('.', "_"));

    // A required key removed, and an unknown key added, in the payload and in the filled slot.
    for container in ["/payload", &format!("/{slot}")] {
        if let Some(p) = places.iter().find(|p| {
            p.required && p.pointer.starts_with(&format!("{container}/")) && depth(&p.pointer) == 2
        }) {
            let pointer = p.pointer.clone();
            push(
                format!("missing_{}", file(&pointer)),
                format!("{} is missing (it is in every capture)", label(&pointer)),
                &|v| remove(v, &pointer),
            );
        }
        if places.iter().any(|p| p.pointer == container && p.closed) {
            push(
                format!("unknown_key_in_{}", file(container)),
                format!(
                    "{} has a key no capture has (unknown keys are refused by the contract)",
                    label(container)
                ),
                &|v| match v.pointer_mut(container) {
                    Some(Value::Object(map)) => {
                        map.insert("unexpected_key".into(), Value::from(1));
                        true
                    }
                    _ => false,
                },
            );
        }
    }
    // One fault of each kind, at the first place (in the event's order) where its rule applies.
    let mut kinds_done: Vec<std::mem::Discriminant<PlaceKind>> = Vec::new();
    for p in &places {
        if kinds_done.contains(&std::mem::discriminant(&p.kind)) {
            continue;
        }
        let (name, description, new) = match &p.kind {
            PlaceKind::Enum => (
                format!("{}_not_a_value", file(&p.pointer)),
                format!(
                    "{} is not one of the values its enum allows",
                    label(&p.pointer)
                ),
                Value::from("not-a-value"),
            ),
            PlaceKind::Timestamp => (
                format!("{}_space_separator", file(&p.pointer)),
                format!(
                    "{} is a timestamp with a space instead of `T`",
                    label(&p.pointer)
                ),
                Value::from("2024-02-19 16:06:00.210Z"),
            ),
            PlaceKind::Bounded(max) => (
                format!("{}_past_its_maximum", file(&p.pointer)),
                format!("{} is past its maximum, {max}", label(&p.pointer)),
                Value::from(max + 1),
            ),
            PlaceKind::Text => (
                format!("{}_a_number", file(&p.pointer)),
                format!("{} is a number where a string belongs", label(&p.pointer)),
                Value::from(12345),
            ),
            PlaceKind::Other => continue,
        };
        kinds_done.push(std::mem::discriminant(&p.kind));
        let pointer = p.pointer.clone();
        push(name, description, &|v| set(v, &pointer, new.clone()));
    }
    if let Some(p) = places
        .iter()
        .find(|p| p.required && !p.nullable && !p.value_null)
    {
        let pointer = p.pointer.clone();
        push(
            format!("{}_null", file(&pointer)),
            format!("{} is null, which it never is", label(&pointer)),
            &|v| set(v, &pointer, Value::Null),
        );
    }
    out
}

fn set(value: &mut Value, pointer: &str, new: Value) -> bool {
    value.pointer_mut(pointer).map(|v| *v = new).is_some()
}

fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

fn remove(value: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = opentact_events::json::pointer::unescape(last);
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&*key).is_some(),
        _ => false,
    }
}

/// What rule a place's schema states, for the faults.
#[derive(Debug, Clone, PartialEq)]
enum PlaceKind {
    Enum,
    Timestamp,
    Bounded(i64),
    Text,
    Other,
}

#[derive(Debug, Clone)]
struct Place {
    pointer: String,
    kind: PlaceKind,
    /// The key is in its object's `required`.
    required: bool,
    /// Its schema allows null.
    nullable: bool,
    /// Its value is null in the valid event.
    value_null: bool,
    /// An object schema that refuses unknown keys.
    closed: bool,
}

fn collect_places(
    value: &Value,
    order: &Ordered,
    schema: Option<&Value>,
    root: &Value,
    pointer: &mut String,
    out: &mut Vec<Place>,
) {
    let node = schema.map(|s| resolve(s, root, value));
    let kind = match (value, node) {
        (Value::String(_), Some(n)) if n.get("enum").is_some() => PlaceKind::Enum,
        (Value::String(_), Some(n)) if n.get("format") == Some(&Value::from("date-time")) => {
            PlaceKind::Timestamp
        }
        (Value::String(_), Some(n))
            if n.get("type") == Some(&Value::from("string"))
                && n.get("pattern").is_none()
                && n.get("format").is_none()
                && n.get("anyOf").is_none() =>
        {
            PlaceKind::Text
        }
        (Value::Number(_), Some(n)) if n.get("type") == Some(&Value::from("integer")) => n
            .get("maximum")
            .and_then(Value::as_i64)
            .filter(|max| *max < i64::MAX)
            .map_or(PlaceKind::Other, PlaceKind::Bounded),
        _ => PlaceKind::Other,
    };
    let closed = node.is_some_and(|n| n.get("additionalProperties") == Some(&Value::Bool(false)));
    if let Some(last) = out.last_mut().filter(|p| p.pointer == *pointer) {
        last.kind = kind;
        last.closed = closed;
    } else {
        out.push(Place {
            pointer: pointer.clone(),
            kind,
            required: false,
            nullable: true,
            value_null: value.is_null(),
            closed,
        });
    }
    match value {
        Value::Object(map) => {
            let required: Vec<&str> = node
                .and_then(|n| n.get("required"))
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for key in order.keys(map) {
                let sub = node
                    .and_then(|n| n.get("properties"))
                    .and_then(|p| p.get(key));
                let len = pointer.len();
                opentact_events::json::pointer::push_token(pointer, key);
                let v = &map[key];
                let nullable = sub.is_none_or(|s| admits_null(s, root));
                out.push(Place {
                    pointer: pointer.clone(),
                    kind: PlaceKind::Other,
                    required: required.contains(&key),
                    nullable,
                    value_null: v.is_null(),
                    closed: false,
                });
                let inner = order.member(key).cloned().unwrap_or_default();
                collect_places(v, &inner, sub, root, pointer, out);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            let sub = node.and_then(|n| n.get("items"));
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                let inner = order.item(i).cloned().unwrap_or_default();
                collect_places(item, &inner, sub, root, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether a schema admits null: a branch of `type` null, an `enum` or `const` with null, or
/// no constraint on the type at all.
fn admits_null(schema: &Value, root: &Value) -> bool {
    let node = resolve(schema, root, &Value::Null);
    match node {
        Value::Bool(b) => *b,
        Value::Object(map) => {
            if let Some(values) = map.get("enum") {
                return values.as_array().is_some_and(|e| e.contains(&Value::Null));
            }
            if let Some(value) = map.get("const") {
                return value.is_null();
            }
            // `resolve` takes a branch that admits null when one does.
            if map.contains_key("anyOf") || map.contains_key("oneOf") {
                return false;
            }
            admits(node, &Value::Null)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
