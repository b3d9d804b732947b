//! Catalogs compared event type by event type: each type both catalogs have is a pair of
//! schemas ([`crate::pair`]); a type only one has is a change of its own, with a witness event
//! of that type.

use std::collections::{BTreeMap, BTreeSet};

use opentact_events::schema::{GENERATED_MARK, INDEX_FILE, close_objects};
use serde_json::Value;

use crate::generate::Generator;
use crate::normal::{Arena, Document, Side, registries};
use crate::oracle::{self, Oracle};
use crate::pair::{Pair, document_uri, draft_of};
use crate::prove::Prover;
use crate::{
    Change, CompatError, DirectionVerdict, Effect, ErrorSide, Options, Producers, Report, Rule,
    Verdict,
};

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
        side: ErrorSide::Old,
        what: "catalog",
        message: e.to_string(),
    })?;
    let new_index = opentact_events::catalog::CatalogIndex::read(new).map_err(|e| CompatError {
        side: ErrorSide::New,
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
            side: if added {
                ErrorSide::New
            } else {
                ErrorSide::Old
            },
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
        places: 1,
        recursive: false,
        other_places: Vec::new(),
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
        value: std::borrow::Cow::Borrowed(schema),
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
    let mut prover = Prover::new(&mut arena, &oracle);
    let mut g = Generator::new(&mut prover);
    g.instances(root, 0, 24)
}
