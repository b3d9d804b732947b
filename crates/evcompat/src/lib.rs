//! Breaking-change detection between two versions of a schema (or of a catalog), judged by who
//! reads what.
//!
//! Directions: *backward*, readers on the new schema get values made under the old one
//! (redelivered and stored events); *forward*, readers still on the old schema get values made
//! under the new one (the webhook case: the platform ships first).
//!
//! How a verdict is reached:
//!
//! 1. Both schemas are read into a normal form (`normal/`), whatever their draft, with
//!    `$ref`s resolved by the `referencing` crate. Rewrites with the same meaning (a one-value
//!    `enum` and `const`, an `anyOf` of `const`s and one `enum`, branch order, a type list and an
//!    `anyOf` of types, a negated `if` with `then`/`else` swapped, `dependentRequired` and
//!    `dependentSchemas` of `required`, `definitions` and `$defs`, a renamed `$ref` target,
//!    nested `allOf`) are the same normal form: no change.
//! 2. The walk (`walk.rs`) lists every difference as a [`Change`] with a stable [`Rule`], the
//!    keyword, the JSON Pointer into the value and, for catalogs, the event type and the Rust
//!    `Type.key`. Each pair of nodes is compared once: a change in a definition used at many
//!    places is one change with its places counted. A difference no rule names is
//!    `UNCLASSIFIED`, never dropped.
//! 3. A direction is **compatible** only when the prover (`prove.rs`) shows that every value the
//!    producing side accepts is accepted by the reading side. Each change also gets its own
//!    effect in each direction: compatible when its own data or the proof for that change alone
//!    shows it, **incompatible** with a witness value that the validators of both whole schemas
//!    confirm and that the reader refuses because of this change, or **unknown** when neither
//!    was found within the budgets, which the report names.
//!
//! Time and memory grow with the documents, not with the product of their parts, and every
//! step has a budget (ARCHITECTURE.md, "How long each step takes").
//!
//! Producers and readers: a catalog generated from this workspace's Rust models has producers
//! that deny keys they do not list (the models do); any other schema's producers may send what
//! the schema as written allows ([`Producers`] overrides either). Readers read with the schema
//! as written ([`Readers::Tolerant`]) or refuse unlisted keys ([`Readers::Strict`]).

mod catalog;
mod dispute;
mod formats;
mod generate;
mod kind;
mod normal;
mod oracle;
mod pair;
mod prove;
mod regex;
pub mod release;
mod render;
mod rules;
mod walk;
mod witness;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use catalog::compare;
pub use pair::compare_schemas;
pub use render::{
    Format, MARKDOWN_LIMIT, changelog_line, render, render_human, render_json, render_markdown,
};

/// The (format, string) pairs a witness may rest on, each one on which the validators agree
/// (python-jsonschema, ajv-formats and jsonschema). A witness whose string meets a `format`
/// with any other string is not shown: formats differ from validator to validator. The
/// portability check (`tools/portability/`) confirms each pair with python-jsonschema and ajv.
pub fn agreed_format_verdicts() -> Vec<(&'static str, &'static str)> {
    formats::agreed_format_verdicts()
}

/// Whether the validators agree on whether `text` is of `format`: it is one of the check's own
/// samples (see [`agreed_format_verdicts`]), or has the plain form of a `date-time`, `date`,
/// `uuid` or `ipv4` that every validator accepts (`2024-02-19T16:06:00.210Z`: upper-case `T`
/// and `Z`, year 0001 to 9999, no leap second).
pub fn agreed_format_verdict(format: &str, text: &str) -> bool {
    formats::agreed_format_verdict(format, text)
}

/// Which direction(s) must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Readers on the new schema accept every value the old one accepted.
    Backward,
    /// Readers on the old schema accept every value the new one accepts.
    Forward,
    /// Both.
    Full,
}

/// How readers treat keys the schema does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Readers {
    /// As the schema is written (the published schemas accept unlisted keys).
    Tolerant,
    /// Unlisted keys are refused (`additionalProperties: false` on every object schema that
    /// says `"type": "object"` and lists its `properties`), as the contract check does.
    Strict,
}

/// What producers may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Producers {
    /// What the schema as written allows, unlisted keys included (what schema registries
    /// assume).
    Open,
    /// Only listed keys, as the Rust models send.
    Strict,
}

/// How to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How readers treat unlisted keys.
    pub readers: Readers,
    /// What producers may send; `None`: strict for a catalog generated from the Rust models,
    /// open for anything else.
    pub producers: Option<Producers>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            readers: Readers::Tolerant,
            producers: None,
        }
    }
}

/// The kinds of change, with stable ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rule {
    /// A catalog gained an event type.
    EventTypeAdded,
    /// A catalog lost an event type.
    EventTypeRemoved,
    /// `properties` lists a new key.
    PropertyAdded,
    /// `properties` no longer lists a key.
    PropertyRemoved,
    /// A key became required.
    RequiredAdded,
    /// A key is no longer required.
    RequiredRemoved,
    /// `type` allows more types.
    TypeWidened,
    /// `type` allows fewer types.
    TypeNarrowed,
    /// `type` allows other types.
    TypeChanged,
    /// `null` became allowed.
    NullAllowed,
    /// `null` is no longer allowed.
    NullDisallowed,
    /// `enum` gained a value.
    EnumValueAdded,
    /// `enum` lost a value.
    EnumValueRemoved,
    /// `enum`/`const` now limits the values where nothing did.
    EnumAdded,
    /// `enum`/`const` no longer limits the values.
    EnumRemoved,
    /// `const` holds another value.
    ConstChanged,
    /// `format` changed, appeared or went.
    FormatChanged,
    /// `pattern` changed, appeared or went.
    PatternChanged,
    /// A bound changed: `minimum`, `maximum` and their exclusive forms, `minLength`,
    /// `maxLength`, `minItems`, `maxItems`, `minProperties`, `maxProperties`.
    BoundsChanged,
    /// `multipleOf` changed.
    MultipleOfChanged,
    /// `uniqueItems` changed.
    UniqueItemsChanged,
    /// `contains`, `minContains` or `maxContains` changed.
    ContainsChanged,
    /// `additionalProperties` became `false`.
    UnknownFieldsClosed,
    /// `additionalProperties` is no longer `false`.
    UnknownFieldsOpened,
    /// A `patternProperties` entry appeared or went.
    PatternPropertiesChanged,
    /// `propertyNames` changed.
    PropertyNamesChanged,
    /// `dependentRequired` (draft-07: `dependencies` with a list) changed.
    DependentRequiredChanged,
    /// `dependentSchemas` (draft-07: `dependencies` with a schema) changed.
    DependentSchemasChanged,
    /// An `anyOf`/`oneOf` branch appeared (or a discriminated case: a tag value).
    UnionBranchAdded,
    /// An `anyOf`/`oneOf` branch went.
    UnionBranchRemoved,
    /// The same branches under `oneOf` instead of `anyOf`, or the reverse.
    UnionKindChanged,
    /// `not` changed.
    NotChanged,
    /// An `if`/`then`/`else` appeared or went.
    ConditionChanged,
    /// A conjunct that cannot be merged (`allOf` next to `unevaluated*`, or object keywords
    /// that apply to different keys) appeared or went.
    AllOfChanged,
    /// `unevaluatedProperties` or `unevaluatedItems` changed.
    UnevaluatedChanged,
    /// A difference no rule classifies (a keyword validators disagree on, a dynamic
    /// reference, a difference in structure, or pairs of schemas left uncompared when the
    /// walk's budget ran out): decided by a witness or left unknown.
    Unclassified,
    /// A definition (`$defs`, `definitions`) that no schema refers to changed: no value meets
    /// it, so it is compatible both ways.
    Unreferenced,
}

impl Rule {
    /// The id as printed: `PROPERTY_ADDED`.
    pub fn id(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// The effect of a change in one direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Effect {
    /// Shown not to break this direction.
    Compatible {
        /// What shows it.
        proof: String,
    },
    /// This value is accepted by the producing side and refused by the reading side.
    Incompatible {
        /// The witness: a whole value (an event, for catalogs).
        witness: Value,
    },
    /// Neither shown compatible nor broken by a witness.
    Unknown {
        /// Why, with the budget the search used.
        reason: String,
    },
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The rule.
    pub rule: Rule,
    /// The keyword that changed (`enum`, `maximum`, `properties`...).
    pub keyword: String,
    /// The event type, for catalogs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// JSON Pointer into the value where the change is (its first place, when there are
    /// several). An array item is its index (`/0` for every item when there are no
    /// per-position schemas); `*` stands for a key the schema does not list or a key matching a
    /// pattern.
    pub pointer: String,
    /// How many places in a value the change is at: more than one when a shared definition
    /// changed (`$defs` used at many places is compared once and listed once). Saturates at
    /// `u64::MAX`.
    pub places: u64,
    /// Whether a recursive schema reaches the change at every depth (`places` then counts the
    /// places above the recursion only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub recursive: bool,
    /// Its other places, beside `pointer` (up to 999 of them; `places` counts them all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_places: Vec<String>,
    /// The Rust model and the key there, where known (`Call.state`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_field: Option<String>,
    /// What changed, in words.
    pub detail: String,
    /// The keyword's value before, as JSON (absent when it was not there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The keyword's value after, as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// The effect on readers of the new version reading old values.
    pub backward: Effect,
    /// The effect on readers of the old version reading new values.
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

/// A verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Shown compatible.
    Compatible,
    /// Broken, with a witness.
    Incompatible,
    /// Neither shown nor refuted.
    Unknown,
}

/// The verdict on one direction, with what decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectionVerdict {
    /// The verdict.
    pub verdict: Verdict,
    /// How it was reached: the proof, the witness's change, or what was left undecided.
    pub reason: String,
}

/// Every change between two versions, and the verdict on each direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The changes, by event type and pointer.
    pub changes: Vec<Change>,
    /// Readers on the new version reading old values.
    pub backward: DirectionVerdict,
    /// Readers on the old version reading new values.
    pub forward: DirectionVerdict,
    /// Whether producers were taken to send only listed keys.
    pub producers: Producers,
    /// How readers treat unlisted keys.
    pub readers: Readers,
}

impl Report {
    /// The verdict in `mode`.
    pub fn verdict(&self, mode: Mode) -> Verdict {
        match mode {
            Mode::Backward => self.backward.verdict,
            Mode::Forward => self.forward.verdict,
            Mode::Full => match (self.backward.verdict, self.forward.verdict) {
                (Verdict::Incompatible, _) | (_, Verdict::Incompatible) => Verdict::Incompatible,
                (Verdict::Unknown, _) | (_, Verdict::Unknown) => Verdict::Unknown,
                _ => Verdict::Compatible,
            },
        }
    }
}

/// Two versions that cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{side} {what}: {message}")]
pub struct CompatError {
    /// Which version is at fault.
    pub side: ErrorSide,
    /// `catalog` or `schema`.
    pub what: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Which version a [`CompatError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorSide {
    /// The old version.
    Old,
    /// The new version.
    New,
    /// Both, or the comparison itself.
    Both,
}

impl fmt::Display for ErrorSide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorSide::Old => "old",
            ErrorSide::New => "new",
            ErrorSide::Both => "both",
        })
    }
}
