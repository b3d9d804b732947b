//! Drafts a new event type from captured payloads: its model as Rust source in the catalog's
//! own style, its entry in the catalog's declaration, the fixtures to keep, and every decision
//! with its reason, for the maintainer to review. `cargo xtask new-event` is its one user; it
//! reads the captures and writes the files. This crate does no I/O.
//!
//! ```text
//! captures ──seen::observe──▶ Seen ──infer::infer──▶ Model ──render──▶ module + entry
//!                                  └──fixtures::select──▶ the captures to keep
//! after codegen, with the new type's schema: fixtures::Anonymiser, fixtures::faults
//! ```
//!
//! The rules (README, "Adding an event type"):
//!
//! - a struct per object place (objects at one place share it), fields in the order the
//!   captures send them; a key missing from some captures is optional, one null in some is
//!   nullable, one null in every capture is `Unspecified` (its shape is not known, and is not
//!   invented); an object seen only empty is an `UnspecifiedObject`;
//! - integers apart from numbers: a place of integers gets the tightest of the catalog's
//!   bounded integers that holds every value (`Uint32`, `Uint53`, `Int53`; none past
//!   2^53 − 1), one with fractions a `Number`;
//! - the catalog's checked strings wherever every value fits (`Timestamp`, `Uuid`, `Thread`,
//!   `IpAddress`, `Email`); an enum for a string place with at most
//!   [`infer::ENUM_MAX_VALUES`] distinct values, each seen at least [`infer::ENUM_MIN_EACH`]
//!   times, over at least [`infer::ENUM_MIN_VALUES`] values; otherwise `String`;
//! - the catalog's own structs (an account, a `tn`) wherever every object fits them, its enums
//!   and bounded integers where a key is named as the catalog names it and every value fits;
//! - the envelope slot the type fills is the one filled in every capture (see
//!   [`infer::infer`]).

pub mod fixtures;
pub mod infer;
pub mod names;
pub mod render;
pub mod reuse;
pub mod seen;

use std::fmt;

use serde_json::Value;

pub use fixtures::{Anonymiser, Fault, Ordered, faults, to_text};
pub use infer::{Decision, Model, Problem};
pub use render::Names;

/// The most valid fixtures a draft keeps.
pub const MAX_FIXTURES: usize = 8;

/// One captured event.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Where it came from, for messages: `file:line`.
    pub source: String,
    /// The event, parsed (strictly: no repeated key).
    pub value: Value,
    /// Its keys in the order of its text.
    pub order: Ordered,
}

impl Capture {
    /// A capture from its text, already parsed as `value`.
    pub fn new(source: String, value: Value, text: &[u8]) -> Capture {
        Capture {
            source,
            value,
            order: Ordered::read(text),
        }
    }
}

/// What the captures a draft was made from cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// How many captures.
    pub captures: usize,
    /// The earliest day of their `created_on` (`2024-02-19`).
    pub first: Option<String>,
    /// The latest.
    pub last: Option<String>,
}

impl Stats {
    fn of(captures: &[&Value]) -> Stats {
        let days: Vec<&str> = captures
            .iter()
            .filter_map(|c| c.get("created_on").and_then(Value::as_str))
            .filter(|t| opentact_events::Timestamp::new(*t).is_ok())
            .map(|t| &t[..10])
            .collect();
        Stats {
            captures: captures.len(),
            first: days.iter().min().map(|d| (*d).to_owned()),
            last: days.iter().max().map(|d| (*d).to_owned()),
        }
    }

    /// The dates as words for a doc comment: ` (their `created_on` from A to B)`, or nothing.
    pub fn dates(&self) -> String {
        match (&self.first, &self.last) {
            (Some(a), Some(b)) if a == b => format!(" (their `created_on` on {a})"),
            (Some(a), Some(b)) => format!(" (their `created_on` from {a} to {b})"),
            _ => String::new(),
        }
    }
}

/// Why no draft was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The name is not a `type` value the catalog can hold.
    BadName(String),
    /// The catalog already has the type.
    Exists(String),
    /// No capture is of the type.
    NoCaptures(String),
    /// Places the captures cannot be drafted from as they are.
    Problems(Vec<Problem>),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::BadName(name) => write!(
                f,
                "`{}` is not an event type name: lower-case ASCII letters, digits and `_`, starting with a letter (as `call_state`)",
                names::doc_text(name)
            ),
            Refusal::Exists(name) => write!(
                f,
                "the catalog already has the event type `{name}`: its model is in crates/opentact-events/src/events/ (widen it by hand; new-event drafts new types only)"
            ),
            Refusal::NoCaptures(name) => write!(f, "no capture is an event of type `{name}`"),
            Refusal::Problems(problems) => {
                write!(
                    f,
                    "{} place(s) cannot be drafted as captured:",
                    problems.len()
                )?;
                for p in problems {
                    write!(f, "\n  {}: {}", p.place, p.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Refusal {}

/// A draft of a new event type.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The value of `type`.
    pub type_name: String,
    /// The names its declaration gives it.
    pub names: Names,
    /// The model module, `crates/opentact-events/src/events/<type>.rs` (to go through rustfmt).
    pub module: String,
    /// Its entry in the declaration, `crates/opentact-events/src/events.rs`.
    pub entry: String,
    /// The model, with what was decided and why.
    pub model: Model,
    /// What the captures cover.
    pub stats: Stats,
    /// The captures to keep as valid fixtures (indices into the captures given).
    pub fixtures: Vec<usize>,
    /// How many variants no kept capture shows (when [`MAX_FIXTURES`] was reached).
    pub uncovered: usize,
}

/// Whether `name` can be a `type` value: `[a-z][a-z0-9_]*`, as the catalog's are.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Drafts the event type `type_name` from `captures`, all of which must be events of that type
/// (the caller keeps only those).
///
/// # Errors
///
/// A [`Refusal`]: a bad or existing name, no capture, or places the captures cannot be drafted
/// from (each named, with the captures that show it).
pub fn draft(type_name: &str, captures: &[Capture]) -> Result<Draft, Refusal> {
    draft_with(type_name, captures, &Options::default())
}

/// How to draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Use the catalog's own types (an account, a call state) where every value fits them;
    /// on by default. Off, every place is inferred from the captures alone (what the tests use
    /// to hold the inference to the hand-written models).
    pub reuse: bool,
    /// Places drafted as `Unspecified` (any value) whatever the captures show: JSON Pointers
    /// from the event's root, `*` for every item of an array (`/payload/extra`,
    /// `/payload/items/*/meta`).
    pub unspecified: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reuse: true,
            unspecified: Vec::new(),
        }
    }
}

/// [`draft`], with options.
///
/// # Errors
///
/// As [`draft`].
pub fn draft_with(
    type_name: &str,
    captures: &[Capture],
    options: &Options,
) -> Result<Draft, Refusal> {
    if !valid_name(type_name) {
        return Err(Refusal::BadName(type_name.to_owned()));
    }
    if opentact_events::EventType::from_name(type_name).is_some() {
        return Err(Refusal::Exists(type_name.to_owned()));
    }
    if captures.is_empty() {
        return Err(Refusal::NoCaptures(type_name.to_owned()));
    }
    let values: Vec<&Value> = captures.iter().map(|c| &c.value).collect();
    let sources: Vec<String> = captures.iter().map(|c| c.source.clone()).collect();
    let ordered: Vec<(&Value, &Ordered)> = captures.iter().map(|c| (&c.value, &c.order)).collect();
    let seen = seen::observe(&ordered);
    let mut taken = infer::taken_names();
    // The type's own names first, so that its structs do not take them.
    let variants: Vec<String> = opentact_events::EventType::ALL
        .iter()
        .map(|t| format!("{t:?}"))
        .collect();
    let mut variant_names = names::Unique::with(variants);
    let variant = variant_names.claim(&names::camel(type_name, "Event"));
    let tag = taken.claim(&format!("{variant}Tag"));
    let event = taken.claim(&format!("{variant}Event"));
    for name in [&tag, &event] {
        for twin in ["Ref", "Check"] {
            taken.take(&format!("{name}{twin}"));
        }
    }
    let model = infer::infer(
        type_name,
        &values,
        &sources,
        &seen,
        taken,
        options.reuse,
        &options.unspecified,
    )
    .map_err(Refusal::Problems)?;
    let stats = Stats::of(&values);
    let names = Names {
        variant,
        tag,
        event,
    };
    let (fixtures, uncovered) = fixtures::select(&values, &model, MAX_FIXTURES);
    Ok(Draft {
        type_name: type_name.to_owned(),
        module: render::module(type_name, &model, &stats),
        entry: render::entry(type_name, &names, &model, &stats),
        names,
        model,
        stats,
        fixtures,
        uncovered,
    })
}
