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
//!    `enum` and `const`, branch order, a type list and an `anyOf` of types, `definitions` and
//!    `$defs`, a renamed `$ref` target, nested `allOf`) are the same normal form: no change.
//! 2. The walk (`walk.rs`) lists every difference as a [`Change`] with a stable [`Rule`], the
//!    keyword, the JSON Pointer into the value and, for catalogs, the event type and the Rust
//!    `Type.key`. A difference no rule names is `UNCLASSIFIED`, never dropped.
//! 3. A direction is **compatible** only when the prover (`prove.rs`) shows that every value the
//!    producing side accepts is accepted by the reading side. Each change also gets its own
//!    effect: compatible when the proof holds for that change alone (and says by which
//!    keyword family), **incompatible** with a witness value that the validators of both
//!    whole schemas confirm (accepted by the producer, refused by the reader), or **unknown**
//!    when neither a proof nor a witness was found within the budget, which the report states.
//!
//! Producers and readers: a catalog generated from this workspace's Rust models has producers
//! that deny keys they do not list (the models do); any other schema's producers may send what
//! the schema as written allows ([`Producers`] overrides either). Readers read with the schema
//! as written ([`Readers::Tolerant`]) or refuse unlisted keys ([`Readers::Strict`]).

mod generate;
mod normal;
mod oracle;
mod prove;
mod regex;
pub mod release;
mod render;
mod rules;
mod walk;
mod witness;

use std::collections::{BTreeMap, BTreeSet};

use opentact_events::schema::{GENERATED_MARK, INDEX_FILE, close_objects};
use referencing::Draft;
use serde::Serialize;
use serde_json::Value;

pub use render::{Format, changelog_line, render, render_human, render_json, render_markdown};

use normal::{Arena, Document, Side, registries};
use oracle::Oracle;
use prove::Prover;
use walk::{Found, Walk};
use witness::Direction;

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
    /// reference, a difference in structure): decided by a witness or left unknown.
    Unclassified,
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
    /// JSON Pointer into the value where the change is. An array item is its index (`/0` for
    /// every item when there are no per-position schemas); `*` stands for a key the schema does
    /// not list or a key matching a pattern.
    pub pointer: String,
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
    /// `old` or `new` (or `both`).
    pub side: &'static str,
    /// `catalog` or `schema`.
    pub what: &'static str,
    /// What is wrong.
    pub message: String,
}

/// How many questions the prover may ask per pair of schemas.
const PROOF_BUDGET: u64 = 200_000;
/// How many values the generator may make per pair of schemas.
const GENERATOR_BUDGET: usize = 5_000;

/// Compares two schema catalogs (files by path relative to the catalog folder, as in
/// `schemas/`: `index.json` lists the event types and their schema files), event type by event
/// type. `events` are example events (fixtures) to build witnesses from, beside the schemas'
/// own `examples`.
pub fn compare(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
    options: &Options,
    events: &[Value],
) -> Result<Report, CompatError> {
    let old_index = opentact_events::catalog::CatalogIndex::read(old).map_err(|e| CompatError {
        side: "old",
        what: "catalog",
        message: e.to_string(),
    })?;
    let new_index = opentact_events::catalog::CatalogIndex::read(new).map_err(|e| CompatError {
        side: "new",
        what: "catalog",
        message: e.to_string(),
    })?;
    let generated = |files: &BTreeMap<String, Value>| {
        files
            .get(INDEX_FILE)
            .and_then(|i| i.get("$comment"))
            .and_then(Value::as_str)
            == Some(GENERATED_MARK)
    };
    let producers = options
        .producers
        .unwrap_or(if generated(old) && generated(new) {
            Producers::Strict
        } else {
            Producers::Open
        });
    let types: BTreeSet<&String> = old_index
        .types
        .keys()
        .chain(new_index.types.keys())
        .collect();
    let mut changes = Vec::new();
    let mut verdicts = [Vec::new(), Vec::new()];
    for event_type in types {
        let of_type = |events: &[Value]| -> Vec<Value> {
            events
                .iter()
                .filter(|e| e.get("type").and_then(Value::as_str) == Some(event_type))
                .cloned()
                .collect()
        };
        match (
            old_index.types.get(event_type),
            new_index.types.get(event_type),
        ) {
            (Some(o), Some(n)) => {
                let pair = Pair {
                    old: &old[&o.schema],
                    new: &new[&n.schema],
                    readers: options.readers,
                    producers,
                    events: of_type(events),
                    event_type: Some(event_type.clone()),
                    root_types: (o.rust_type.clone(), n.rust_type.clone()),
                };
                let result = pair.compare()?;
                changes.extend(result.changes);
                verdicts[0].push((event_type.clone(), result.backward));
                verdicts[1].push((event_type.clone(), result.forward));
            }
            (o, n) => {
                let (entry, files, added) = match (o, n) {
                    (Some(o), None) => (o, old, false),
                    (None, Some(n)) => (n, new, true),
                    _ => continue,
                };
                let change = type_added_or_removed(
                    event_type,
                    &files[&entry.schema],
                    added,
                    producers,
                    &of_type(events),
                    if added { old } else { new },
                )?;
                let (b, f) = (change.backward.clone(), change.forward.clone());
                changes.push(change);
                verdicts[0].push((event_type.clone(), direction_of(&b)));
                verdicts[1].push((event_type.clone(), direction_of(&f)));
            }
        }
    }
    let [backward, forward] = verdicts.map(|v| combine(&v));
    Ok(Report {
        changes,
        backward,
        forward,
        producers,
        readers: options.readers,
    })
}

/// Compares two schema files of any draft (`$schema` decides), without a catalog: what
/// other teams have. Producers are open unless `options` says otherwise.
pub fn compare_schemas(
    old: &Value,
    new: &Value,
    options: &Options,
    events: &[Value],
) -> Result<Report, CompatError> {
    let producers = options.producers.unwrap_or(Producers::Open);
    let pair = Pair {
        old,
        new,
        readers: options.readers,
        producers,
        events: events.to_vec(),
        event_type: None,
        root_types: (None, None),
    };
    let result = pair.compare()?;
    Ok(Report {
        changes: result.changes,
        backward: result.backward,
        forward: result.forward,
        producers,
        readers: options.readers,
    })
}

fn direction_of(effect: &Effect) -> DirectionVerdict {
    match effect {
        Effect::Compatible { proof } => DirectionVerdict {
            verdict: Verdict::Compatible,
            reason: proof.clone(),
        },
        Effect::Incompatible { .. } => DirectionVerdict {
            verdict: Verdict::Incompatible,
            reason: "a witness breaks it".into(),
        },
        Effect::Unknown { reason } => DirectionVerdict {
            verdict: Verdict::Unknown,
            reason: reason.clone(),
        },
    }
}

/// The verdict of a catalog from its event types': compatible only if every type's is.
fn combine(verdicts: &[(String, DirectionVerdict)]) -> DirectionVerdict {
    let worst = verdicts
        .iter()
        .find(|(_, v)| v.verdict == Verdict::Incompatible)
        .or_else(|| verdicts.iter().find(|(_, v)| v.verdict == Verdict::Unknown));
    match worst {
        Some((t, v)) => DirectionVerdict {
            verdict: v.verdict,
            reason: format!("`{t}`: {}", v.reason),
        },
        None => DirectionVerdict {
            verdict: Verdict::Compatible,
            reason: if verdicts.is_empty() {
                "no event type on either side".into()
            } else {
                "every event type's schema is shown compatible".into()
            },
        },
    }
}

/// An event type one catalog has and the other does not: its events break the readers of the
/// catalog without it (which dispatches on `type` and refuses a type it does not list).
fn type_added_or_removed(
    event_type: &str,
    schema: &Value,
    added: bool,
    producers: Producers,
    events: &[Value],
    other_catalog: &BTreeMap<String, Value>,
) -> Result<Change, CompatError> {
    let side = if added { "new" } else { "old" };
    let mut producer = schema.clone();
    if producers == Producers::Strict {
        close_objects(&mut producer);
    }
    let validator = oracle::options()
        .build(&producer)
        .map_err(|err| CompatError {
            side,
            what: "schema",
            message: format!("`{event_type}` does not compile: {err}"),
        })?;
    // Readers of the other catalog read with its any-event schema when it has one.
    let other_reader = opentact_events::catalog::CatalogIndex::read(other_catalog)
        .ok()
        .and_then(|i| other_catalog.get(&i.any_event).cloned())
        .and_then(|any| oracle::options().build(&any).ok());
    let mut candidates: Vec<Value> = events.to_vec();
    if let Some(examples) = schema.get("examples").and_then(Value::as_array) {
        candidates.extend(examples.iter().cloned());
    }
    candidates.extend(witness_candidates_for_schema(&producer));
    let witness = candidates.into_iter().find(|c| {
        validator.is_valid(c)
            && c.get("type").and_then(Value::as_str) == Some(event_type)
            && other_reader.as_ref().is_none_or(|r| !r.is_valid(c))
    });
    let breaking = match witness {
        Some(witness) => Effect::Incompatible { witness },
        None => Effect::Unknown {
            reason: format!(
                "no `{event_type}` event the {side} schema accepts was found to show it"
            ),
        },
    };
    let safe = Effect::Compatible {
        proof: format!(
            "the {} catalog has no `{event_type}` events to send",
            if added { "old" } else { "new" }
        ),
    };
    let (backward, forward, rule, detail) = if added {
        (safe, breaking, Rule::EventTypeAdded, "added")
    } else {
        (breaking, safe, Rule::EventTypeRemoved, "removed")
    };
    Ok(Change {
        rule,
        keyword: "type".into(),
        event_type: Some(event_type.to_owned()),
        pointer: String::new(),
        rust_field: None,
        detail: format!("event type `{event_type}` {detail}"),
        old: (!added).then(|| Value::String(event_type.to_owned())),
        new: added.then(|| Value::String(event_type.to_owned())),
        backward,
        forward,
    })
}

/// Values generated from one schema alone (for an event type only one side has).
fn witness_candidates_for_schema(schema: &Value) -> Vec<Value> {
    let docs = [Document {
        side: Side::New,
        uri: document_uri(Side::New, false),
        value: schema.clone(),
        draft: draft_of(schema),
    }];
    let Ok(regs) = registries(&docs) else {
        return Vec::new();
    };
    let Ok(oracle) = Oracle::new(&docs, &regs, None) else {
        return Vec::new();
    };
    let mut arena = Arena::new(&docs, &regs);
    let Ok(root) = arena.root(0) else {
        return Vec::new();
    };
    let mut prover = Prover::new(&mut arena, &oracle, PROOF_BUDGET);
    let mut g = generate::Generator::new(&mut prover, GENERATOR_BUDGET);
    g.instances(root, 0, 24)
}

/// The draft a schema declares with `$schema` (2020-12 without one, or for a meta-schema this
/// check does not know).
fn draft_of(schema: &Value) -> Draft {
    evcontract::refs::declared_draft(schema)
}

/// The URI a compared document is registered under (its own `$id` still applies inside).
fn document_uri(side: Side, closed: bool) -> String {
    format!(
        "https://compat.evschema.invalid/{}/{}/schema.json",
        side.name(),
        if closed { "closed" } else { "open" }
    )
}

/// One pair of schemas to compare.
struct Pair<'v> {
    old: &'v Value,
    new: &'v Value,
    readers: Readers,
    producers: Producers,
    events: Vec<Value>,
    event_type: Option<String>,
    /// The Rust types of the roots (old, new), where a catalog's index names them.
    root_types: (Option<String>, Option<String>),
}

/// The outcome of one pair.
struct PairResult {
    changes: Vec<Change>,
    backward: DirectionVerdict,
    forward: DirectionVerdict,
}

impl Pair<'_> {
    fn compare(&self) -> Result<PairResult, CompatError> {
        // Deep recursion stays on a thread with room for it.
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("compat".into())
                .stack_size(256 << 20)
                .spawn_scoped(scope, || self.compare_here())
                .map_err(|err| CompatError {
                    side: "both",
                    what: "schema",
                    message: format!("cannot start the comparison: {err}"),
                })?
                .join()
                .unwrap_or_else(|_| {
                    Err(CompatError {
                        side: "both",
                        what: "schema",
                        message:
                            "the comparison failed internally; please report it with both schemas"
                                .into(),
                    })
                })
        })
    }

    fn compare_here(&self) -> Result<PairResult, CompatError> {
        for (side, value) in [("old", self.old), ("new", self.new)] {
            evcontract::refs::check_loops(value).map_err(|message| CompatError {
                side,
                what: "schema",
                message,
            })?;
            check_drafts(value).map_err(|message| CompatError {
                side,
                what: "schema",
                message,
            })?;
        }
        let document = |side: Side, value: &Value, closed: bool| {
            let mut value = value.clone();
            if closed {
                close_objects(&mut value);
            }
            Document {
                side,
                uri: document_uri(side, closed),
                draft: draft_of(&value),
                value,
            }
        };
        // Documents: old as written, old closed, new as written, new closed.
        let docs = [
            document(Side::Old, self.old, false),
            document(Side::Old, self.old, true),
            document(Side::New, self.new, false),
            document(Side::New, self.new, true),
        ];
        let regs = registries(&docs).map_err(|err| CompatError {
            side: "both",
            what: "schema",
            message: err.message,
        })?;
        let tag = self
            .event_type
            .as_ref()
            .map(|t| ("type".to_owned(), Value::String(t.clone())));
        let oracle = Oracle::new(&docs, &regs, tag.clone()).map_err(|message| CompatError {
            side: if message.contains("old") {
                "old"
            } else {
                "new"
            },
            what: "schema",
            message,
        })?;
        let doc_of = |side: Side, closed: bool| match (side, closed) {
            (Side::Old, false) => 0,
            (Side::Old, true) => 1,
            (Side::New, false) => 2,
            (Side::New, true) => 3,
        };
        let producer_closed = self.producers == Producers::Strict;
        let reader_closed = self.readers == Readers::Strict;
        let directions = [
            Direction {
                producer: Side::Old,
                producer_doc: doc_of(Side::Old, producer_closed),
                reader_doc: doc_of(Side::New, reader_closed),
                producer_as_read_doc: doc_of(Side::Old, reader_closed),
            },
            Direction {
                producer: Side::New,
                producer_doc: doc_of(Side::New, producer_closed),
                reader_doc: doc_of(Side::Old, reader_closed),
                producer_as_read_doc: doc_of(Side::New, reader_closed),
            },
        ];
        let mut arena = Arena::new(&docs, &regs);
        let load = |e: normal::LoadError| CompatError {
            side: "both",
            what: "schema",
            message: e.message,
        };
        let mut roots = [
            arena.root(0).map_err(load)?,
            arena.root(1).map_err(load)?,
            arena.root(2).map_err(load)?,
            arena.root(3).map_err(load)?,
        ];
        if let Some((key, value)) = &tag {
            // A catalog's readers dispatch on `type`: only this type's events are compared.
            let tagged = arena.tagged(key, value);
            for root in &mut roots {
                *root = arena.conj(&[*root, tagged]);
            }
        }
        let mut prover = Prover::new(&mut arena, &oracle, PROOF_BUDGET);
        prover.fresh_budget();
        let identical = evcontract::contract::json_equal(self.old, self.new);
        if identical && (producer_closed || !reader_closed) {
            // Closing objects only narrows what producers send.
            let same = || DirectionVerdict {
                verdict: Verdict::Compatible,
                reason: "no change".into(),
            };
            return Ok(PairResult {
                changes: Vec::new(),
                backward: same(),
                forward: same(),
            });
        }
        let found = if identical {
            Vec::new()
        } else {
            let mut walk = Walk::new(
                &mut prover,
                roots[0],
                roots[2],
                self.root_types.clone(),
                self.event_type.clone(),
            );
            walk.run();
            walk.found
        };
        let examples = |side: Side| -> Vec<Value> {
            let value = match side {
                Side::Old => self.old,
                Side::New => self.new,
            };
            let mut out: Vec<Value> = value
                .get("examples")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            out.extend(self.events.iter().cloned());
            out
        };
        let mut effects: Vec<[Effect; 2]> = vec![
            [
                Effect::Unknown {
                    reason: String::new()
                },
                Effect::Unknown {
                    reason: String::new()
                }
            ];
            found.len()
        ];
        let mut extra: Vec<Change> = Vec::new();
        let mut verdicts = Vec::new();
        for (d, direction) in directions.iter().enumerate() {
            let (p_root, r_root) = (roots[direction.producer_doc], roots[direction.reader_doc]);
            prover.fresh_budget();
            let whole = prover.includes(p_root, r_root);
            let exhausted = prover.exhausted;
            let examples = examples(direction.producer);
            let mut any_witness = false;
            let mut any_unknown = false;
            let mut stray = None;
            for (i, f) in found.iter().enumerate() {
                let effect = if whole {
                    Effect::Compatible {
                        proof: proof_text(f.rule, true),
                    }
                } else {
                    decide(&mut prover, f, *direction, &examples, &mut stray)
                };
                any_witness |= matches!(effect, Effect::Incompatible { .. });
                any_unknown |= matches!(effect, Effect::Unknown { .. });
                effects[i][d] = effect;
            }
            let verdict = if whole {
                DirectionVerdict {
                    verdict: Verdict::Compatible,
                    reason: if found.is_empty() {
                        "no change".into()
                    } else {
                        "every value the producing side accepts is shown accepted by the reading side".into()
                    },
                }
            } else if any_witness {
                DirectionVerdict {
                    verdict: Verdict::Incompatible,
                    reason: "a witness breaks it".into(),
                }
            } else {
                // No change's witness: look at whole values, then say what is undecided.
                let mut g = generate::Generator::new(&mut prover, GENERATOR_BUDGET);
                let outcome = match stray {
                    Some(witness) => witness::Outcome {
                        witness: Some(witness),
                        stray: None,
                        tried: 0,
                    },
                    None => witness::search_whole(&mut g, p_root, *direction, &examples),
                };
                let budget = if exhausted {
                    format!("the proof ran out of its budget of {PROOF_BUDGET} steps; ")
                } else {
                    String::new()
                };
                let (verdict, effect) = match outcome.witness {
                    Some(witness) => (Verdict::Incompatible, Effect::Incompatible { witness }),
                    None => (
                        Verdict::Unknown,
                        Effect::Unknown {
                            reason: format!(
                                "{budget}inclusion could not be shown, and no witness was found among {} values of the whole schema",
                                outcome.tried
                            ),
                        },
                    ),
                };
                if verdict == Verdict::Incompatible || !any_unknown {
                    let mut effects = [
                        Effect::Compatible {
                            proof: "not this direction".into(),
                        },
                        Effect::Compatible {
                            proof: "not this direction".into(),
                        },
                    ];
                    effects[d] = effect;
                    let [backward, forward] = effects;
                    extra.push(Change {
                        rule: Rule::Unclassified,
                        keyword: String::new(),
                        event_type: self.event_type.clone(),
                        pointer: String::new(),
                        rust_field: None,
                        detail: "the schemas as a whole: no single change explains the difference"
                            .into(),
                        old: None,
                        new: None,
                        backward,
                        forward,
                    });
                }
                DirectionVerdict {
                    verdict,
                    reason: match verdict {
                        Verdict::Incompatible => "a witness of the whole schema breaks it".into(),
                        _ => format!(
                            "{budget}not shown compatible, and no witness was found; see the unknown changes"
                        ),
                    },
                }
            };
            verdicts.push(verdict);
        }
        let mut changes: Vec<Change> = found
            .into_iter()
            .zip(effects)
            .map(|(f, [backward, forward])| Change {
                rule: f.rule,
                keyword: f.keyword,
                event_type: f.event_type.or_else(|| self.event_type.clone()),
                pointer: f.pointer,
                rust_field: f.rust_field,
                detail: f.detail,
                old: f.old_value,
                new: f.new_value,
                backward,
                forward,
            })
            .collect();
        merge_extra(&mut changes, extra);
        let forward = verdicts.pop().expect("two directions");
        let backward = verdicts.pop().expect("two directions");
        Ok(PairResult {
            changes,
            backward,
            forward,
        })
    }
}

/// Adds the whole-schema changes, one per direction merged into one change.
fn merge_extra(changes: &mut Vec<Change>, extra: Vec<Change>) {
    let mut merged: Option<Change> = None;
    for e in extra {
        merged = Some(match merged {
            None => e,
            Some(mut m) => {
                if !matches!(e.backward, Effect::Compatible { .. }) {
                    m.backward = e.backward;
                }
                if !matches!(e.forward, Effect::Compatible { .. }) {
                    m.forward = e.forward;
                }
                m
            }
        });
    }
    changes.extend(merged);
}

/// The effect of one change in one direction: compatible if the producer's schema there is
/// shown included in its own schema with this change applied; otherwise a witness, or unknown.
fn decide(
    prover: &mut Prover<'_, '_>,
    f: &Found,
    direction: Direction,
    examples: &[Value],
    stray: &mut Option<Value>,
) -> Effect {
    let last = f.path.last().expect("a change has a place");
    let (p_here, r_here) = (
        direction.producer_node(last.old, last.new),
        direction.reader_node(last.old, last.new),
    );
    let p = prover.arena.moved(p_here, direction.producer_doc);
    let base = prover.arena.moved(p_here, direction.producer_as_read_doc);
    let donor = prover.arena.moved(r_here, direction.reader_doc);
    let alone = prover.arena.subst(base, f.group.clone(), donor);
    prover.fresh_budget();
    let included = prover.includes(p, alone);
    if included {
        return Effect::Compatible {
            proof: proof_text(f.rule, false),
        };
    }
    let mut g = generate::Generator::new(prover, GENERATOR_BUDGET);
    let outcome = witness::search(&mut g, f, direction, examples);
    if stray.is_none() {
        *stray = outcome.stray;
    }
    match outcome.witness {
        Some(witness) => Effect::Incompatible { witness },
        None => Effect::Unknown {
            reason: format!(
                "not shown compatible, and no witness among {} candidate values (the budget is {})",
                outcome.tried,
                witness::CANDIDATES
            ),
        },
    }
}

/// The proof of a compatible effect, in words.
fn proof_text(rule: Rule, whole: bool) -> String {
    if whole {
        return "the whole schema is shown to accept every value the producing side sends".into();
    }
    let family = match rule {
        Rule::TypeWidened
        | Rule::TypeNarrowed
        | Rule::TypeChanged
        | Rule::NullAllowed
        | Rule::NullDisallowed => "the types",
        Rule::EnumValueAdded
        | Rule::EnumValueRemoved
        | Rule::EnumAdded
        | Rule::EnumRemoved
        | Rule::ConstChanged => "the allowed values",
        Rule::BoundsChanged | Rule::MultipleOfChanged => "the bounds",
        Rule::PatternChanged | Rule::FormatChanged => "the string rules",
        Rule::PropertyAdded
        | Rule::PropertyRemoved
        | Rule::RequiredAdded
        | Rule::RequiredRemoved
        | Rule::UnknownFieldsClosed
        | Rule::UnknownFieldsOpened
        | Rule::PatternPropertiesChanged
        | Rule::PropertyNamesChanged
        | Rule::DependentRequiredChanged
        | Rule::DependentSchemasChanged => "the object's keys",
        Rule::UniqueItemsChanged | Rule::ContainsChanged => "the array rules",
        _ => "the schemas",
    };
    format!(
        "by {family}: everything the producing side allows here, the reading side accepts with this change alone"
    )
}

/// Refuses a document with a subschema whose `$schema` names another draft than the root's:
/// validators disagree on which draft's rules apply inside it (python-jsonschema keeps the
/// root's, others switch), so no verdict about it holds for every validator. The error names
/// the subschema's JSON Pointer.
fn check_drafts(schema: &Value) -> Result<(), String> {
    fn other(value: &Value, root: Draft, top: bool) -> Option<&Value> {
        match value {
            Value::Object(map) => {
                let declares = map.get("$schema").is_some_and(Value::is_string);
                if !top && declares && evcontract::refs::declared_draft(value) != root {
                    return Some(value);
                }
                map.values().find_map(|v| other(v, root, false))
            }
            Value::Array(items) => items.iter().find_map(|v| other(v, root, false)),
            _ => None,
        }
    }
    let Some(inner) = other(schema, evcontract::refs::declared_draft(schema), true) else {
        return Ok(());
    };
    let pointers = opentact_events::json::pointer::Index::new(schema);
    let pointer = pointers.pointer_of(inner).unwrap_or("");
    Err(format!(
        "the subschema at {pointer} declares another draft ({}) than the document; validators \
         disagree on which rules apply inside it, so it cannot be compared",
        inner["$schema"]
    ))
}
