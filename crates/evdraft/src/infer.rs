//! From what the captures show ([`Seen`]) to a draft model: a type for every place, a struct
//! per object, an enum per categorical string, presence and nullability per key, the catalog's
//! own types where every capture fits them. Every decision is recorded with its reason.

use serde_json::Value;

use crate::names::{Unique, camel, field};
use crate::reuse::{self, Kind, Reusable};
use crate::seen::{At, Integers, Key, Seen, Strings};

/// An enum has at most this many values...
pub const ENUM_MAX_VALUES: usize = 12;
/// ... each seen at least this many times...
pub const ENUM_MIN_EACH: usize = 3;
/// ... over at least this many values at its place; otherwise the place is a string.
pub const ENUM_MIN_VALUES: usize = 30;

/// The largest integer every JSON parser reads exactly, 2^53 − 1.
const SAFE: i128 = (1 << 53) - 1;

/// The envelope's keys, in the order the platform serves them
/// (`../shared/platform/EVENTS.md`, "The envelope").
pub const ENVELOPE: [&str; 23] = [
    "uuid",
    "created_on",
    "type",
    "message",
    "payload",
    "call",
    "ref_id",
    "account",
    "tn_order",
    "batch",
    "tn_lease",
    "call_asr",
    "call_flow",
    "sms_brand",
    "tn_order_tn",
    "user",
    "tn",
    "sms_campaign",
    "ticket",
    "sms",
    "call_record",
    "modified_on",
    "delivery_report",
];

/// The envelope keys an event type may give a shape of its own, in order: `payload`, then
/// the ones that default to "absent, null or any object" (`ref_id`: "or a uuid").
pub const DECLARABLE: &[&str] = ENVELOPE.split_at(4).1.split_at(17).0;

/// One step of a place: a key of an object, or every item of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The member named so.
    Key(String),
    /// Every item.
    Items,
}

/// A place in the event, shown as a JSON Pointer with `*` for "every item" (`/payload/xs/*`).
pub fn place_text(place: &[Step]) -> String {
    let mut text = String::new();
    for step in place {
        match step {
            Step::Key(key) => opentact_events::json::pointer::push_token(&mut text, key),
            Step::Items => text.push_str("/*"),
        }
    }
    text
}

/// The values at `place` in `value` (every item of every array on the way).
pub fn values_at<'a>(value: &'a Value, place: &[Step], out: &mut Vec<&'a Value>) {
    match place.split_first() {
        None => out.push(value),
        Some((Step::Key(key), rest)) => {
            if let Some(v) = value.get(key) {
                values_at(v, rest, out);
            }
        }
        Some((Step::Items, rest)) => {
            for item in value.as_array().into_iter().flatten() {
                values_at(item, rest, out);
            }
        }
    }
}

/// A drafted type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// A bounded integer of the catalog (`Uint32`, `Uint53`, `Int53`).
    Integer(&'static str),
    /// `Number`: integers and fractions.
    Number,
    /// `String`.
    String,
    /// A checked string of the catalog (`Timestamp`, `Uuid`, `Thread`, `IpAddress`, `Email`).
    Checked(&'static str),
    /// A drafted enum, by index into [`Model::enums`].
    Enum(usize),
    /// A drafted struct, by index into [`Model::structs`].
    Struct(usize),
    /// One of the catalog's own types.
    Reused(&'static str),
    /// An array of the item type.
    Vec(Box<Ty>),
    /// An array item that may be null.
    Nullable(Box<Ty>),
    /// Any value: seen only as null (or never seen inside arrays seen only empty).
    Unspecified,
    /// Any object: seen only as empty objects.
    UnspecifiedObject,
}

/// Whether a key must be there, and whether it may be null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// In every object, never null.
    Required,
    /// In every object, sometimes null.
    Nullable,
    /// Missing from some objects, never null.
    Optional,
    /// Missing from some objects and null in some.
    OptionalNullable,
}

/// A field of a drafted struct (or a key of the envelope the type declares).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key on the wire.
    pub key: String,
    /// The Rust field name.
    pub ident: String,
    /// Whether it must be there, and whether it may be null.
    pub presence: Presence,
    /// Its type.
    pub ty: Ty,
    /// Its doc comment's lines: what was seen.
    pub doc: Vec<String>,
}

/// A drafted struct: one per object place (objects at one place share it).
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Its name.
    pub name: String,
    /// Where its objects were seen.
    pub place: String,
    /// Its doc comment's lines.
    pub doc: Vec<String>,
    /// Its fields, in the order their keys were first seen (the platform's).
    pub fields: Vec<Field>,
}

/// A drafted enum of strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Its name.
    pub name: String,
    /// Where its values were seen.
    pub place: String,
    /// Its doc comment's lines.
    pub doc: Vec<String>,
    /// Its variants, in the order of their values.
    pub variants: Vec<Variant>,
}

/// One value of a drafted enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The variant's name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
    /// How often it was seen.
    pub count: usize,
}

/// What the drafter decided at one place, and why: what the maintainer reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The place (a JSON Pointer, `*` for every item).
    pub place: String,
    /// What was decided, and why.
    pub text: String,
}

/// A place whose captures cannot be drafted as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The place (a JSON Pointer, `*` for every item).
    pub place: String,
    /// What is wrong, with the values' places named by [`At`]s.
    pub message: String,
    /// The captures and pointers that show it.
    pub at: Vec<At>,
}

/// The draft of one event type's model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The drafted structs: the payload's and the slots' first, then what they hold.
    pub structs: Vec<Struct>,
    /// The drafted enums.
    pub enums: Vec<Enum>,
    /// The envelope keys the type declares (`payload` first), in envelope order.
    pub envelope: Vec<Field>,
    /// The envelope slot the type fills.
    pub fills: String,
    /// What was decided and why.
    pub decisions: Vec<Decision>,
    /// The catalog's types the draft uses, by their Rust names.
    pub reused: Vec<&'static str>,
}

impl Model {
    /// The model in a few lines, for tests and reviews: each envelope key, struct and enum
    /// with its fields' keys, presence and types.
    pub fn outline(&self) -> String {
        let mut out = String::new();
        let field = |out: &mut String, f: &Field| {
            let presence = match f.presence {
                Presence::Required => "required",
                Presence::Nullable => "nullable",
                Presence::Optional => "optional",
                Presence::OptionalNullable => "optional nullable",
            };
            let ident = if f.ident == f.key {
                String::new()
            } else {
                format!(" as {}", f.ident)
            };
            out.push_str(&format!(
                "  {:?}{ident}: {} ({presence})\n",
                f.key,
                self.ty_text(&f.ty)
            ));
        };
        out.push_str(&format!("envelope (fills {}):\n", self.fills));
        for f in &self.envelope {
            field(&mut out, f);
        }
        for s in &self.structs {
            out.push_str(&format!("struct {} at {}:\n", s.name, s.place));
            for f in &s.fields {
                field(&mut out, f);
            }
        }
        for e in &self.enums {
            let variants: Vec<String> = e
                .variants
                .iter()
                .map(|v| format!("{}={:?}", v.name, v.value))
                .collect();
            out.push_str(&format!(
                "enum {} at {}: {}\n",
                e.name,
                e.place,
                variants.join(", ")
            ));
        }
        out
    }

    /// What the draft says at a place of an event (a JSON Pointer, array indices or `*`): the
    /// key's type and presence, and what was decided there; for reviews that compare a draft
    /// with a contract.
    pub fn describe(&self, pointer: &str) -> String {
        let tokens: Vec<String> = opentact_events::json::pointer::tokens(pointer)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.into_owned())
            .collect();
        let mut fields: &[Field] = &self.envelope;
        let mut place: Vec<Step> = Vec::new();
        // The last key found, and the type at the current position (an item's, inside arrays).
        let mut current: Option<(&Field, &Ty)> = None;
        for token in &tokens {
            if let Some((_, ty)) = current {
                let ty = match ty {
                    Ty::Nullable(inner) => inner,
                    ty => ty,
                };
                match ty {
                    Ty::Vec(item) if token == "*" || token.parse::<usize>().is_ok() => {
                        place.push(Step::Items);
                        current = current.map(|(f, _)| (f, &**item));
                        continue;
                    }
                    Ty::Struct(i) => fields = &self.structs[*i].fields,
                    other => {
                        return format!(
                            "the draft has no `{token}` inside `{}` ({})",
                            place_text(&place),
                            self.ty_text(other)
                        );
                    }
                }
            }
            let Some(field) = fields.iter().find(|f| f.key == *token) else {
                return if place.is_empty() {
                    format!("the draft does not declare `{token}`: the envelope's default applies")
                } else {
                    format!("the draft has no key `{token}` at `{}`", place_text(&place))
                };
            };
            place.push(Step::Key(token.clone()));
            current = Some((field, &field.ty));
        }
        let Some((field, ty)) = current else {
            return "the event as a whole".into();
        };
        let presence = match field.presence {
            Presence::Required => "required",
            Presence::Nullable => "nullable",
            Presence::Optional => "optional",
            Presence::OptionalNullable => "optional, nullable",
        };
        let here = place_text(&place);
        let decided: Vec<&str> = self
            .decisions
            .iter()
            .filter(|d| d.place == here)
            .map(|d| d.text.as_str())
            .collect();
        let mut text = format!(
            "the draft has `{here}`: {} (key {presence})",
            self.ty_text(ty)
        );
        if !decided.is_empty() {
            text.push_str("; ");
            text.push_str(&decided.join("; "));
        }
        text
    }

    fn ty_text(&self, ty: &Ty) -> String {
        match ty {
            Ty::Bool => "bool".into(),
            Ty::Integer(n) | Ty::Checked(n) | Ty::Reused(n) => (*n).into(),
            Ty::Number => "Number".into(),
            Ty::String => "String".into(),
            Ty::Enum(i) => self.enums[*i].name.clone(),
            Ty::Struct(i) => self.structs[*i].name.clone(),
            Ty::Vec(t) => format!("Vec<{}>", self.ty_text(t)),
            Ty::Nullable(t) => format!("Option<{}>", self.ty_text(t)),
            Ty::Unspecified => "Unspecified".into(),
            Ty::UnspecifiedObject => "UnspecifiedObject".into(),
        }
    }
}

/// The names a draft of type `type_name` must not take: every definition of the catalog, its
/// twins, and what the crate exports besides.
pub fn taken_names() -> Unique {
    let mut taken = Vec::new();
    if let Ok(files) = opentact_events::schema::generate(&Default::default())
        && let Some(any) = files
            .iter()
            .find(|f| f.path == opentact_events::schema::ANY_EVENT_FILE)
        && let Ok(any) = serde_json::from_str::<Value>(&any.contents)
    {
        for name in any["$defs"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            taken.extend([name.clone(), format!("{name}Ref"), format!("{name}Check")]);
        }
    }
    for r in reuse::REUSABLE {
        taken.extend([
            r.rust.to_owned(),
            format!("{}Ref", r.rust),
            format!("{}Check", r.rust),
        ]);
    }
    for name in [
        "Event",
        "EventRef",
        "EventType",
        "Status",
        "ModelError",
        "InvalidValue",
        "Account",
        "AccountRef",
        "AccountCheck",
        "StringPhone",
        "Number",
        "Int53",
        "Uint53",
        "Uint32",
        "Seconds",
        "Q850Cause",
        "NumericPhone",
        "Text",
        "AnyText",
        "Checked",
        "Option",
        "Vec",
        "String",
        "Box",
        "Result",
    ] {
        taken.push(name.to_owned());
    }
    Unique::with(taken)
}

/// Drafts the model of the event type `type_name` from `captures` (each an event object whose
/// `type` is `type_name`; `sources` names where each came from, `file:line`, for messages),
/// avoiding the names in `taken`; with `reuse`, the catalog's own types are used where every
/// value fits them. The places in `unspecified` (JSON Pointers, `*` for every item) are drafted
/// as `Unspecified`, any value, whatever the captures show there: the maintainer's way through
/// values that cannot share a type.
///
/// # Errors
///
/// Every place the captures cannot be drafted from as they are: a key outside the envelope,
/// an envelope key that breaks the envelope's shape, values at one place that cannot share a
/// type, integers past 2^53 − 1.
pub fn infer(
    type_name: &str,
    captures: &[&Value],
    sources: &[String],
    seen: &Seen,
    mut taken: Unique,
    reuse: bool,
    unspecified: &[String],
) -> Result<Model, Vec<Problem>> {
    let type_camel = camel(type_name, "Event");
    let mut cx = Cx {
        captures,
        sources,
        reuse,
        unspecified,
        used: vec![false; unspecified.len()],
        taken: &mut taken,
        model: Model {
            structs: Vec::new(),
            enums: Vec::new(),
            envelope: Vec::new(),
            fills: String::new(),
            decisions: Vec::new(),
            reused: Vec::new(),
        },
        problems: Vec::new(),
    };
    let total = captures.len();
    let root = &seen.objects;
    cx.check_envelope(root, total);
    let mut defaults = Vec::new();
    for &name in DECLARABLE {
        let Some(key) = root.key(name) else {
            continue;
        };
        if name != "payload" && key.seen.non_null() == 0 {
            defaults.push(name);
            continue;
        }
        let owner = match name {
            "payload" => format!("{type_camel}Payload"),
            n if n == type_name => type_camel.clone(),
            n => format!("{type_camel}{}", camel(n, "Field")),
        };
        let field = cx.field(&[], key, total, &owner, Where::Captures);
        cx.model.envelope.push(field);
    }
    for (what, keys) in [
        (
            "absent, null or a uuid",
            defaults
                .iter()
                .filter(|k| **k == "ref_id")
                .collect::<Vec<_>>(),
        ),
        (
            "absent, null or any object",
            defaults.iter().filter(|k| **k != "ref_id").collect(),
        ),
    ] {
        if !keys.is_empty() {
            let names: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            cx.decide(
                &[],
                format!(
                    "{} kept as the envelope's default ({what}): null or absent in every capture",
                    names.join(", ")
                ),
            );
        }
    }
    if root.key("payload").is_none() {
        cx.problems.push(Problem {
            place: "/payload".into(),
            message: "no capture has a `payload`: every event type declares its payload".into(),
            at: root.seen.first.iter().cloned().collect(),
        });
    }
    cx.model.fills = fills(type_name, root, total);
    cx.decide(
        &[Step::Key(cx.model.fills.clone())],
        format!(
            "the slot the type fills: `{}`, {}",
            cx.model.fills,
            if cx.model.fills == "payload" {
                "as no other slot is filled in every capture".to_owned()
            } else {
                "filled (present, not null) in every capture".to_owned()
            }
        ),
    );
    for (pattern, used) in cx.unspecified.iter().zip(&cx.used) {
        if !used {
            cx.problems.push(Problem {
                place: pattern.clone(),
                message: format!(
                    "--unspecified {pattern}: no capture has a value there (a JSON Pointer from the event's root, `*` for every item of an array)"
                ),
                at: Vec::new(),
            });
        }
    }
    if cx.problems.is_empty() {
        Ok(cx.model)
    } else {
        Err(cx.problems)
    }
}

/// The slot the type fills: the one named after the type when it is filled in every capture,
/// else the first filled slot other than `account`, else `account`, else `payload`.
fn fills(type_name: &str, root: &crate::seen::Objects, total: usize) -> String {
    let filled = |name: &str| {
        root.key(name)
            .is_some_and(|k| k.present == total && k.seen.nulls.count == 0)
    };
    let slots = DECLARABLE
        .iter()
        .filter(|n| !matches!(**n, "payload" | "ref_id"));
    if DECLARABLE.contains(&type_name) && filled(type_name) && type_name != "payload" {
        return type_name.to_owned();
    }
    slots
        .clone()
        .find(|n| **n != "account" && filled(n))
        .or_else(|| slots.clone().find(|n| **n == "account" && filled(n)))
        .map_or_else(|| "payload".to_owned(), |n| (*n).to_owned())
}

/// Whose objects a field's presence is counted over (for the doc comments).
#[derive(Clone, Copy)]
enum Where {
    Captures,
    Objects,
}

struct Cx<'a> {
    captures: &'a [&'a Value],
    sources: &'a [String],
    reuse: bool,
    unspecified: &'a [String],
    used: Vec<bool>,
    taken: &'a mut Unique,
    model: Model,
    problems: Vec<Problem>,
}

impl Cx<'_> {
    /// A value's place for a message: the capture's source (`file:line`) and the pointer.
    fn show(&self, at: &Option<At>) -> String {
        match at {
            Some(at) => show(self.sources, at),
            None => "no value".into(),
        }
    }

    fn decide(&mut self, place: &[Step], text: String) {
        self.model.decisions.push(Decision {
            place: place_text(place),
            text,
        });
    }

    fn problem(&mut self, place: &[Step], message: String, at: Vec<At>) {
        self.problems.push(Problem {
            place: place_text(place),
            message,
            at,
        });
    }

    fn reuse(&mut self, r: &'static Reusable) {
        if !self.model.reused.contains(&r.rust) {
            self.model.reused.push(r.rust);
        }
    }
}

impl<'a> Cx<'a> {
    fn values(&self, place: &[Step]) -> Vec<&'a Value> {
        let mut out = Vec::new();
        for capture in self.captures {
            values_at(capture, place, &mut out);
        }
        out
    }

    /// The envelope keys every event type shares, and the keys outside the envelope.
    fn check_envelope(&mut self, root: &crate::seen::Objects, total: usize) {
        for key in &root.keys {
            if !ENVELOPE.contains(&key.name.as_str()) {
                let at = first_value(&key.seen).into_iter().collect();
                self.problem(
                    &[Step::Key(key.name.clone())],
                    format!(
                        "`{}` is not a key of the envelope, which every event type shares ({}): a new envelope key is added to the envelope itself (crates/opentact-events/src/event.rs), by hand",
                        crate::names::doc_text(&key.name),
                        ENVELOPE.join(", ")
                    ),
                    at,
                );
            }
        }
        type Check = fn(&Seen) -> bool;
        let fixed: [(&str, &str, Check); 6] = [
            ("uuid", "a uuid", |s| s.strings.fits.uuid && only_strings(s)),
            ("created_on", "a UTC timestamp with milliseconds", |s| {
                s.strings.fits.timestamp && only_strings(s)
            }),
            ("type", "a string", only_strings),
            ("message", "a string", only_strings),
            ("modified_on", "a UTC timestamp with milliseconds", |s| {
                s.strings.fits.timestamp && only_strings(s)
            }),
            ("delivery_report", "an array of objects", |s| {
                s.arrays.seen.count == s.values()
                    && s.arrays.items().objects.seen.count == s.arrays.items().values()
            }),
        ];
        for (name, shape, fits) in fixed {
            let place = [Step::Key(name.into())];
            match root.key(name) {
                Some(key) if key.present == total && fits(&key.seen) => {}
                Some(key) if key.present < total => self.problem(
                    &place,
                    format!("`{name}` is in every event of the envelope, and missing here"),
                    key.first_absent.iter().cloned().collect(),
                ),
                Some(key) => {
                    let at = first_not_fitting(self.captures, name, fits);
                    self.problem(
                        &place,
                        format!("`{name}` is {shape} in every event of the envelope, and not here"),
                        at.or_else(|| first_value(&key.seen)).into_iter().collect(),
                    );
                }
                None => self.problem(
                    &place,
                    format!("`{name}` is in every event of the envelope, and no capture has it"),
                    root.seen.first.iter().cloned().collect(),
                ),
            }
        }
    }

    /// The field for `key` of the objects at `owner_place` (there were `parents` of them).
    fn field(
        &mut self,
        owner_place: &[Step],
        key: &Key,
        parents: usize,
        type_name_hint: &str,
        whose: Where,
    ) -> Field {
        let mut place = owner_place.to_vec();
        place.push(Step::Key(key.name.clone()));
        let seen = &key.seen;
        let nulls = seen.nulls.count;
        let required = key.present == parents;
        let of = |n: usize| match whose {
            Where::Captures => format!("{n} of {parents} captures"),
            Where::Objects => format!(
                "{n} of the {parents} objects at `{}`",
                place_text(owner_place)
            ),
        };
        let mut doc = Vec::new();
        let (ty, presence) = if seen.non_null() == 0 {
            // Unspecified already: a place asked for is used.
            let text = place_text(&place);
            if let Some(i) = self.unspecified.iter().position(|p| *p == text) {
                self.used[i] = true;
            }
            doc.push(format!(
                "Seen only as null ({}); shape not yet specified.",
                if required {
                    match whose {
                        Where::Captures => format!("in all {parents} captures"),
                        Where::Objects => format!("in all {parents} objects"),
                    }
                } else {
                    format!("present in {}", of(key.present))
                }
            ));
            self.decide(
                &place,
                format!(
                    "`Unspecified` (any value): null in every capture that has it{}",
                    if required {
                        ""
                    } else {
                        "; absent from others, so optional"
                    }
                ),
            );
            let presence = if required {
                Presence::Required
            } else {
                Presence::Optional
            };
            (Ty::Unspecified, presence)
        } else {
            let ty = self.type_of(&place, seen, &key.name, type_name_hint);
            let presence = match (required, nulls > 0) {
                (true, false) => Presence::Required,
                (true, true) => Presence::Nullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            doc.push(match presence {
                Presence::Required => match (whose, parents) {
                    (Where::Captures, 1) => "Seen in the one capture.".to_owned(),
                    (Where::Objects, 1) => "Seen in the one object.".to_owned(),
                    (Where::Captures, _) => format!("Seen in all {parents} captures."),
                    (Where::Objects, _) => format!("Seen in all {parents} objects."),
                },
                Presence::Nullable => format!("Null in {}.", of(nulls)),
                Presence::Optional => format!("Absent from {}.", of(parents - key.present)),
                Presence::OptionalNullable => format!(
                    "Absent from {}; null in {nulls} of the others.",
                    of(parents - key.present)
                ),
            });
            match presence {
                Presence::Required => {}
                Presence::Nullable => self.decide(
                    &place,
                    format!("nullable: null in {}", of(nulls)),
                ),
                Presence::Optional => self.decide(
                    &place,
                    format!(
                        "optional: absent from {} (first at {})",
                        of(parents - key.present),
                        self.show(&key.first_absent)
                    ),
                ),
                Presence::OptionalNullable => self.decide(
                    &place,
                    format!(
                        "optional and nullable: absent from {} (first at {}), null in {nulls} of the others",
                        of(parents - key.present),
                        self.show(&key.first_absent)
                    ),
                ),
            }
            (ty, presence)
        };
        Field {
            key: key.name.clone(),
            ident: field(&key.name),
            presence,
            ty,
            doc,
        }
    }

    /// The type of the values (not null) seen at `place`; `key` is the key they are under
    /// (for a place of array items, the array's) and `name` the name a new struct or enum
    /// there would get.
    fn type_of(&mut self, place: &[Step], seen: &Seen, key: &str, name: &str) -> Ty {
        let text = place_text(place);
        if let Some(i) = self.unspecified.iter().position(|p| *p == text) {
            self.used[i] = true;
            self.decide(
                place,
                "`Unspecified` (any value), as asked (--unspecified)".into(),
            );
            return Ty::Unspecified;
        }
        let kinds: Vec<(&str, &Option<At>, usize)> = [
            ("boolean", &seen.bools.first, seen.bools.count),
            (
                "integer",
                &seen.integers.seen.first,
                seen.integers.seen.count,
            ),
            (
                "number with a fraction",
                &seen.floats.first,
                seen.floats.count,
            ),
            ("string", &seen.strings.seen.first, seen.strings.seen.count),
            ("array", &seen.arrays.seen.first, seen.arrays.seen.count),
            ("object", &seen.objects.seen.first, seen.objects.seen.count),
        ]
        .into_iter()
        .filter(|(_, _, n)| *n > 0)
        .collect();
        let only = |kind: &str| kinds.len() == 1 && kinds[0].0 == kind;
        if only("boolean") {
            Ty::Bool
        } else if only("integer") {
            self.integer(place, &seen.integers, key)
        } else if kinds
            .iter()
            .all(|(k, _, _)| matches!(*k, "integer" | "number with a fraction"))
        {
            if seen.integers.seen.count > 0 {
                self.decide(
                    place,
                    format!(
                        "`Number`: integers ({}, first at {}) and numbers with a fraction ({}, first at {}) at one place",
                        seen.integers.seen.count,
                        self.show(&seen.integers.seen.first),
                        seen.floats.count,
                        self.show(&seen.floats.first)
                    ),
                );
            }
            Ty::Number
        } else if only("string") {
            self.string(place, &seen.strings, key, name)
        } else if only("array") {
            self.array(place, seen, key, name)
        } else if only("object") {
            self.object(place, seen, name)
        } else {
            let listed: Vec<String> = kinds
                .iter()
                .map(|(kind, at, n)| format!("{n} {kind} (first at {})", self.show(at)))
                .collect();
            self.problem(
                place,
                format!(
                    "values of different JSON types cannot share a type: {}; model this place by hand (as `Unspecified` if any value may be there)",
                    listed.join(", ")
                ),
                kinds.iter().filter_map(|(_, at, _)| (*at).clone()).collect(),
            );
            Ty::Unspecified
        }
    }

    fn integer(&mut self, place: &[Step], ints: &Integers, key: &str) -> Ty {
        // The bounds as JSON numbers, for the models' own checks (both came from an i64 or u64).
        let exact: Vec<Value> = [ints.min, ints.max]
            .iter()
            .filter_map(|&n| {
                i64::try_from(n)
                    .ok()
                    .map(Value::from)
                    .or_else(|| u64::try_from(n).ok().map(Value::from))
            })
            .collect();
        let refs: Vec<&Value> = exact.iter().collect();
        let range = format!("{} to {}", ints.min, ints.max);
        if let Some(r) = reuse::named_for(Kind::Integer, key, &refs).filter(|_| self.reuse) {
            self.reuse(r);
            self.decide(
                place,
                format!(
                    "`{}` (the catalog's, as at `{key}` elsewhere): every integer fits ({range} seen)",
                    r.rust
                ),
            );
            return Ty::Reused(r.rust);
        }
        let (ty, why) = if ints.min >= 0 && ints.max <= i128::from(u32::MAX) {
            ("Uint32", "non-negative, at most 4294967295")
        } else if ints.min >= 0 && ints.max <= SAFE {
            ("Uint53", "non-negative, past 4294967295, at most 2^53 − 1")
        } else if ints.min >= -SAFE && ints.max <= SAFE {
            ("Int53", "negative values seen, within ±(2^53 − 1)")
        } else {
            let at = if ints.max > SAFE {
                &ints.max_at
            } else {
                &ints.min_at
            };
            self.problem(
                place,
                format!(
                    "an integer past 2^53 − 1 ({range} seen, at {}): the contract's integers stay within what every JSON parser reads exactly (ARCHITECTURE.md, integers); model this place by hand",
                    self.show(at)
                ),
                at.iter().cloned().collect(),
            );
            return Ty::Unspecified;
        };
        self.decide(place, format!("`{ty}`: integers {range} seen, {why}"));
        Ty::Integer(ty)
    }

    fn string(&mut self, place: &[Step], strings: &Strings, key: &str, name: &str) -> Ty {
        let fits = strings.fits;
        let n = strings.seen.count;
        if !strings.many {
            let values: Vec<Value> = strings
                .distinct
                .keys()
                .map(|s| Value::from(s.as_str()))
                .collect();
            let refs: Vec<&Value> = values.iter().collect();
            if let Some(r) = reuse::named_for(Kind::Enum, key, &refs).filter(|_| self.reuse) {
                self.reuse(r);
                self.decide(
                    place,
                    format!(
                        "`{}` (the catalog's, as at `{key}` elsewhere): every value fits ({})",
                        r.rust,
                        quoted(strings.distinct.keys())
                    ),
                );
                return Ty::Reused(r.rust);
            }
        }
        let checked = [
            (
                fits.timestamp,
                "Timestamp",
                "a UTC timestamp with milliseconds",
            ),
            (fits.uuid, "Uuid", "a uuid"),
            (fits.thread, "Thread", "32 lowercase hexadecimal characters"),
            (fits.ip, "IpAddress", "an IP address"),
            (fits.email, "Email", "an email address"),
        ];
        if let Some((_, ty, what)) = checked.iter().find(|(fit, _, _)| *fit) {
            self.decide(place, format!("`{ty}`: every one of {n} values is {what}"));
            return Ty::Checked(ty);
        }
        let distinct = strings.distinct.len();
        let rare = strings
            .distinct
            .iter()
            .filter(|(_, c)| **c < ENUM_MIN_EACH)
            .count();
        if strings.many || distinct > ENUM_MAX_VALUES {
            // Free text: no decision worth a line of the report.
            return Ty::String;
        }
        if n < ENUM_MIN_VALUES || rare > 0 {
            self.decide(
                place,
                format!(
                    "`String`, not an enum: {distinct} distinct values ({}) in {n}; an enum needs at least {ENUM_MIN_VALUES} values seen{}",
                    quoted(strings.distinct.keys()),
                    if rare > 0 {
                        format!(", each at least {ENUM_MIN_EACH} times ({rare} seen fewer)")
                    } else {
                        String::new()
                    }
                ),
            );
            return Ty::String;
        }
        let enum_name = self.taken.claim(name);
        let mut variants: Vec<Variant> = Vec::new();
        let mut variant_names = Unique::default();
        for (value, count) in &strings.distinct {
            variants.push(Variant {
                name: variant_names.claim(&camel(value, "Empty")),
                value: value.clone(),
                count: *count,
            });
        }
        self.decide(
            place,
            format!(
                "enum `{enum_name}`: {distinct} values, each seen at least {ENUM_MIN_EACH} times in {n}: {}",
                strings
                    .distinct
                    .iter()
                    .map(|(v, c)| format!("{v:?} ({c})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        self.model.enums.push(Enum {
            name: enum_name,
            place: place_text(place),
            doc: vec![format!(
                "The values seen at `{}`: {distinct} distinct in {n} captured values.",
                crate::names::doc_text(&place_text(place))
            )],
            variants,
        });
        Ty::Enum(self.model.enums.len() - 1)
    }

    fn array(&mut self, place: &[Step], seen: &Seen, key: &str, name: &str) -> Ty {
        let items = seen.arrays.items();
        let mut item_place = place.to_vec();
        item_place.push(Step::Items);
        if items.non_null() == 0 {
            self.decide(
                &item_place,
                if items.values() == 0 {
                    format!(
                        "`Unspecified` items: every one of {} arrays is empty, so the items' shape is not known",
                        seen.arrays.seen.count
                    )
                } else {
                    "`Unspecified` items: every item is null, so their shape is not known".into()
                },
            );
            return Ty::Vec(Box::new(Ty::Unspecified));
        }
        let item = self.type_of(&item_place, items, key, &format!("{name}Item"));
        if items.nulls.count > 0 {
            self.decide(
                &item_place,
                format!(
                    "items may be null: {} null items (first at {})",
                    items.nulls.count,
                    self.show(&items.nulls.first)
                ),
            );
            Ty::Vec(Box::new(Ty::Nullable(Box::new(item))))
        } else {
            Ty::Vec(Box::new(item))
        }
    }

    fn object(&mut self, place: &[Step], seen: &Seen, name: &str) -> Ty {
        let objects = &seen.objects;
        if objects.keys.is_empty() {
            self.decide(
                place,
                format!(
                    "`UnspecifiedObject` (any object): every one of {} objects is empty, so its keys are not known",
                    objects.seen.count
                ),
            );
            return Ty::UnspecifiedObject;
        }
        let values = self.values(place);
        if let Some(r) = reuse::struct_for(&values).filter(|_| self.reuse) {
            self.reuse(r);
            self.decide(
                place,
                format!(
                    "`{}` (the catalog's): every one of {} objects fits it",
                    r.rust,
                    values.len()
                ),
            );
            return Ty::Reused(r.rust);
        }
        let struct_name = self.taken.claim(name);
        let index = self.model.structs.len();
        self.model.structs.push(Struct {
            name: struct_name.clone(),
            place: place_text(place),
            doc: vec![format!(
                "The objects seen at `{}` ({} of them).",
                crate::names::doc_text(&place_text(place)),
                objects.seen.count
            )],
            fields: Vec::new(),
        });
        let mut idents = Unique::default();
        let mut fields = Vec::new();
        for k in &objects.keys {
            let hint = format!("{struct_name}{}", camel(&k.name, "Field"));
            let mut f = self.field(place, k, objects.seen.count, &hint, Where::Objects);
            f.ident = idents.claim(&f.ident);
            fields.push(f);
        }
        self.model.structs[index].fields = fields;
        Ty::Struct(index)
    }
}

/// Whether every value at a place is a string.
fn only_strings(seen: &Seen) -> bool {
    seen.strings.seen.count == seen.values()
}

/// The first value seen at a place, of any type.
fn first_value(seen: &Seen) -> Option<At> {
    [
        &seen.nulls.first,
        &seen.bools.first,
        &seen.integers.seen.first,
        &seen.floats.first,
        &seen.strings.seen.first,
        &seen.arrays.seen.first,
        &seen.objects.seen.first,
    ]
    .into_iter()
    .flatten()
    .min()
    .cloned()
}

/// The first capture whose top-level `name` does not fit.
fn first_not_fitting(captures: &[&Value], name: &str, fits: fn(&Seen) -> bool) -> Option<At> {
    captures.iter().enumerate().find_map(|(i, c)| {
        let value = c.get(name)?;
        let mut at = At {
            capture: 0,
            pointer: String::new(),
        };
        let mut one = Seen::default();
        one.add(value, &crate::fixtures::Ordered::Scalar, &mut at);
        (!fits(&one)).then(|| At {
            capture: i,
            pointer: format!("/{name}"),
        })
    })
}

/// A value's place for a message: its capture's source (`file:line`) and the JSON Pointer.
pub fn show(sources: &[String], at: &At) -> String {
    let source = sources
        .get(at.capture)
        .cloned()
        .unwrap_or_else(|| format!("capture {}", at.capture + 1));
    format!("{source} {}", pointer_text(&at.pointer))
}

/// A JSON Pointer as shown in messages: the empty pointer (the whole event) as `""`.
pub fn pointer_text(pointer: &str) -> String {
    if pointer.is_empty() {
        "\"\"".into()
    } else {
        crate::names::doc_text(pointer)
    }
}

fn quoted<'a>(values: impl Iterator<Item = &'a String>) -> String {
    values
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
