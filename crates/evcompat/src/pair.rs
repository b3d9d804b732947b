//! One pair of schemas compared, in named phases:
//!
//! 1. [`Pair::check_documents`]: `$ref` loops that make no progress and subschemas of another
//!    draft are refused before anything is read;
//! 2. [`Pair::load`]: the four documents (each side as written and closed), their registries,
//!    the validators (the oracle) and the arena with its roots;
//! 3. [`Pair::list_changes`]: the walk, every difference as a change at its places (for a
//!    catalog, also the changes no event of the type reaches, and for any pair the changed
//!    definitions no schema refers to);
//! 4. [`Pair::prove_directions`]: each direction as a whole, by the prover;
//! 5. [`Pair::judge_change`]: each change's own effect in each direction: a proof from its own
//!    data or for the change alone, or a witness that shows this change;
//! 6. [`Pair::verdict`]: each direction's verdict, with a witness of the whole schema when no
//!    change's explains it;
//! 7. [`Pair::assemble`]: the changes as the report lists them.

use opentact_events::schema::close_objects;
use referencing::Draft;
use serde_json::Value;

use crate::dispute::check_drafts;
use crate::generate::Generator;
use crate::kind::ChangeKind;
use crate::normal::{Arena, Document, LoadError, NodeId, Side, registries};
use crate::oracle::Oracle;
use crate::prove::Prover;
use crate::walk::{Found, Walk, Walked, pointer};
use crate::witness::{self, Direction};
use crate::{
    Change, CompatError, DirectionVerdict, Effect, ErrorSide, Options, Producers, Readers, Report,
    Verdict,
};

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

/// The draft a schema declares with `$schema` (2020-12 without one, or for a meta-schema this
/// check does not know).
pub(crate) fn draft_of(schema: &Value) -> Draft {
    evcontract::refs::declared_draft(schema)
}

/// The URI a compared document is registered under (its own `$id` still applies inside).
pub(crate) fn document_uri(side: Side, closed: bool) -> String {
    format!(
        "https://compat.evschema.invalid/{}/{}/schema.json",
        side.name(),
        if closed { "closed" } else { "open" }
    )
}

/// One pair of schemas to compare.
pub(crate) struct Pair<'v> {
    pub old: &'v Value,
    pub new: &'v Value,
    pub readers: Readers,
    pub producers: Producers,
    pub events: Vec<Value>,
    pub event_type: Option<String>,
    /// The Rust types of the roots (old, new), where a catalog's index names them.
    pub root_types: (Option<String>, Option<String>),
}

/// The outcome of one pair.
pub(crate) struct PairResult {
    pub changes: Vec<Change>,
    pub backward: DirectionVerdict,
    pub forward: DirectionVerdict,
}

/// The roots of the documents (see [`Pair::documents`]), tagged with the event type for a
/// catalog; and the untagged ones.
struct Roots {
    tagged: Vec<NodeId>,
    plain: Vec<NodeId>,
}

/// What a change was found to do in one direction, before the report words it.
struct Judged {
    effect: Effect,
    /// A value that breaks the direction elsewhere than at this change.
    stray: Option<Value>,
}

impl Pair<'_> {
    /// Compares the pair on a thread with room for deep recursion.
    pub fn compare(&self) -> Result<PairResult, CompatError> {
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("compat".into())
                .stack_size(256 << 20)
                .spawn_scoped(scope, || self.compare_here())
                .map_err(|err| CompatError {
                    side: ErrorSide::Both,
                    what: "schema",
                    message: format!("cannot start the comparison: {err}"),
                })?
                .join()
                .unwrap_or_else(|_| {
                    Err(CompatError {
                        side: ErrorSide::Both,
                        what: "schema",
                        message:
                            "the comparison failed internally; please report it with both schemas"
                                .into(),
                    })
                })
        })
    }

    fn compare_here(&self) -> Result<PairResult, CompatError> {
        self.check_documents()?;
        let docs = self.documents();
        let regs = registries(&docs).map_err(load_error)?;
        let oracle = Oracle::new(&docs, &regs, self.tag()).map_err(|err| CompatError {
            side: error_side(err.side),
            what: "schema",
            message: err.message,
        })?;
        let mut arena = Arena::new(&docs, &regs);
        let roots = self.load(&mut arena)?;
        let mut prover = Prover::new(&mut arena, &oracle);
        if let Some(unchanged) = self.unchanged() {
            return Ok(unchanged);
        }
        let (walked, mut extra) = self.list_changes(&mut prover, &roots);
        let directions = self.directions();
        let whole = directions.map(|d| self.prove_directions(&mut prover, &roots, d));
        let examples = directions.map(|d| self.examples(d.producer));
        let mut effects: Vec<[Effect; 2]> = Vec::with_capacity(walked.found.len());
        let mut strays: [Option<Value>; 2] = [None, None];
        for found in &walked.found {
            let mut pair = [unknown(), unknown()];
            for (d, direction) in directions.iter().enumerate() {
                let judged = self.judge_change(
                    &mut prover,
                    &walked,
                    found,
                    *direction,
                    &whole[d],
                    &examples[d],
                );
                if strays[d].is_none() {
                    strays[d] = judged.stray;
                }
                pair[d] = judged.effect;
            }
            effects.push(pair);
        }
        let mut verdicts = Vec::new();
        for (d, direction) in directions.iter().enumerate() {
            let (verdict, whole_change) = self.verdict(
                &mut prover,
                &roots,
                *direction,
                d,
                &whole[d],
                &effects,
                strays[d].take(),
                &examples[d],
            );
            extra.extend(whole_change);
            verdicts.push(verdict);
        }
        let forward = verdicts.pop().expect("two directions");
        let backward = verdicts.pop().expect("two directions");
        let mut changes = self.assemble(&walked, effects);
        merge_whole_changes(&mut changes, extra);
        Ok(PairResult {
            changes,
            backward,
            forward,
        })
    }

    /// Phase 1: what no comparison can be sound about is refused before either side is read.
    fn check_documents(&self) -> Result<(), CompatError> {
        for (side, value) in [(ErrorSide::Old, self.old), (ErrorSide::New, self.new)] {
            let refuse = |message| CompatError {
                side,
                what: "schema",
                message,
            };
            evcontract::refs::check_loops(value).map_err(refuse)?;
            check_drafts(value).map_err(refuse)?;
        }
        Ok(())
    }

    /// Whether some direction reads or sends with unknown keys refused: then each side is
    /// compared closed too.
    fn closed_needed(&self) -> bool {
        self.producers == Producers::Strict || self.readers == Readers::Strict
    }

    /// The index of a document (see [`Pair::documents`]).
    fn doc_of(&self, side: Side, closed: bool) -> usize {
        let closed = closed && self.closed_needed();
        match (side, closed) {
            (Side::Old, false) => 0,
            (Side::New, false) => 1,
            (Side::Old, true) => 2,
            (Side::New, true) => 3,
        }
    }

    /// The documents: each side as written, and (when a direction needs it) closed, unknown
    /// keys refused. A document the check does not rewrite is the caller's, not a copy.
    fn documents(&self) -> Vec<Document<'_>> {
        let mut out = vec![
            document(Side::Old, self.old, false),
            document(Side::New, self.new, false),
        ];
        if self.closed_needed() {
            out.push(document(Side::Old, self.old, true));
            out.push(document(Side::New, self.new, true));
        }
        out
    }

    /// A catalog's key every event of the compared type has, with its value.
    fn tag(&self) -> Option<(String, Value)> {
        self.event_type
            .as_ref()
            .map(|t| ("type".to_owned(), Value::String(t.clone())))
    }

    /// Phase 2: the roots of the four documents.
    fn load(&self, arena: &mut Arena<'_>) -> Result<Roots, CompatError> {
        let plain = (0..arena.docs.len())
            .map(|doc| arena.root(doc).map_err(load_error))
            .collect::<Result<Vec<_>, _>>()?;
        let mut tagged = plain.clone();
        if let Some((key, value)) = self.tag() {
            // A catalog's readers dispatch on `type`: only this type's events are compared.
            let tag = arena.tagged(&key, &value);
            for root in &mut tagged {
                *root = arena.conj(&[*root, tag]);
            }
        }
        Ok(Roots { tagged, plain })
    }

    /// The same documents on both sides: no change, as long as closing objects cannot make a
    /// difference (it only narrows what producers send).
    fn unchanged(&self) -> Option<PairResult> {
        let identical = evcontract::contract::json_equal(self.old, self.new);
        let closed_readers_only =
            self.readers == Readers::Strict && self.producers == Producers::Open;
        (identical && !closed_readers_only).then(|| {
            let same = || DirectionVerdict {
                verdict: Verdict::Compatible,
                reason: "no change".into(),
            };
            PairResult {
                changes: Vec::new(),
                backward: same(),
                forward: same(),
            }
        })
    }

    fn producer_closed(&self) -> bool {
        self.producers == Producers::Strict
    }

    fn directions(&self) -> [Direction; 2] {
        let (producer_closed, reader_closed) =
            (self.producer_closed(), self.readers == Readers::Strict);
        [
            Direction {
                producer: Side::Old,
                producer_doc: self.doc_of(Side::Old, producer_closed),
                reader_doc: self.doc_of(Side::New, reader_closed),
                producer_as_read_doc: self.doc_of(Side::Old, reader_closed),
            },
            Direction {
                producer: Side::New,
                producer_doc: self.doc_of(Side::New, producer_closed),
                reader_doc: self.doc_of(Side::Old, reader_closed),
                producer_as_read_doc: self.doc_of(Side::New, reader_closed),
            },
        ]
    }

    /// Phase 3: the changes (the walk of the documents as written), and the changes that are
    /// listed with a fixed effect: for a catalog, those no event of the type reaches; for any
    /// pair, changed definitions no schema refers to.
    fn list_changes(&self, prover: &mut Prover<'_, '_>, roots: &Roots) -> (Walked, Vec<Change>) {
        let (old, new) = (self.doc_of(Side::Old, false), self.doc_of(Side::New, false));
        let walked = Walk::new(prover).run(
            roots.tagged[old],
            roots.tagged[new],
            self.root_types.clone(),
            self.event_type.clone(),
        );
        let mut extra = Vec::new();
        if let Some(event_type) = &self.event_type {
            let untagged = Walk::new(prover).run(
                roots.plain[old],
                roots.plain[new],
                self.root_types.clone(),
                self.event_type.clone(),
            );
            extra.extend(unreached(&walked, &untagged, event_type));
        }
        extra.extend(crate::dispute::unreferenced(
            self.old,
            self.new,
            self.event_type.as_deref(),
        ));
        (walked, extra)
    }

    /// Phase 4: whether every value the producer accepts is shown accepted by the reader.
    fn prove_directions(
        &self,
        prover: &mut Prover<'_, '_>,
        roots: &Roots,
        direction: Direction,
    ) -> Whole {
        prover.fresh_budget();
        let compatible = prover.includes(
            roots.tagged[direction.producer_doc],
            roots.tagged[direction.reader_doc],
        );
        Whole {
            compatible,
            exhausted: prover.exhausted,
        }
    }

    /// The whole values of the producing side to place witnesses into: the schema's own
    /// `examples` and the events given.
    fn examples(&self, producer: Side) -> Vec<Value> {
        let value = match producer {
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
    }

    /// Phase 5: one change's own effect in one direction. Compatible when the whole direction
    /// is, or (where everything above the change keeps the meaning monotone) when the change's
    /// own data shows it cannot break this direction, or when the producer is shown included in
    /// its own schema with this change alone applied; otherwise incompatible with a witness
    /// that this change (not another) makes the reader refuse, or unknown with the reason.
    fn judge_change(
        &self,
        prover: &mut Prover<'_, '_>,
        walked: &Walked,
        found: &Found,
        direction: Direction,
        whole: &Whole,
        examples: &[Value],
    ) -> Judged {
        if whole.compatible {
            return Judged {
                effect: Effect::Compatible {
                    proof:
                        "the whole schema is shown to accept every value the producing side sends"
                            .into(),
                },
                stray: None,
            };
        }
        let backward = direction.producer == Side::Old;
        if let ChangeKind::NotWalked { .. } = found.kind {
            return Judged {
                effect: Effect::Unknown {
                    reason: found.kind.detail(),
                },
                stray: None,
            };
        }
        let places = walked.places(found.pair);
        if places.monotone {
            if found.kind.loosens() == Some(backward) {
                return Judged {
                    effect: Effect::Compatible {
                        proof: found.kind.loosening_proof(backward),
                    },
                    stray: None,
                };
            }
            if prover.out_of_budget() {
                return Judged {
                    effect: Effect::Unknown {
                        reason: prover.budget_reason(),
                    },
                    stray: None,
                };
            }
            if self.included_alone(prover, walked, found, direction) {
                return Judged {
                    effect: Effect::Compatible {
                        proof: proof_text(&found.kind),
                    },
                    stray: None,
                };
            }
        }
        if prover.out_of_budget() {
            return Judged {
                effect: Effect::Unknown {
                    reason: prover.budget_reason(),
                },
                stray: None,
            };
        }
        let path = walked.path(found.pair);
        let places: Vec<_> = walked
            .listed_places(found.pair)
            .into_iter()
            .map(|mut place| {
                place.extend(found.key.clone().map(crate::walk::Token::Key));
                place
            })
            .collect();
        let mut g = Generator::new(prover);
        let outcome = witness::search(&mut g, &path, &places, found, direction, examples);
        let effect = match outcome.witness {
            Some(witness) => Effect::Incompatible { witness },
            None => Effect::Unknown {
                reason: if prover.out_of_budget() {
                    prover.budget_reason()
                } else {
                    format!(
                        "not shown compatible, and no witness among {} candidate values (the budget is {})",
                        outcome.tried,
                        witness::CANDIDATES
                    )
                },
            },
        };
        Judged {
            effect,
            stray: outcome.stray,
        }
    }

    /// Whether the producer at the change is included in its own schema (as readers read it)
    /// with this change alone applied from the reader's side.
    fn included_alone(
        &self,
        prover: &mut Prover<'_, '_>,
        walked: &Walked,
        found: &Found,
        direction: Direction,
    ) -> bool {
        let (old, new) = walked.nodes(found.pair);
        let (p_here, r_here) = (
            direction.producer_node(old, new),
            direction.reader_node(old, new),
        );
        let p = prover.arena.moved(p_here, direction.producer_doc);
        let base = prover.arena.moved(p_here, direction.producer_as_read_doc);
        let donor = prover.arena.moved(r_here, direction.reader_doc);
        let (base_record, donor_record) = (prover.arena.record(base), prover.arena.record(donor));
        let alone = found.kind.isolate(&base_record, &donor_record);
        let alone = prover.arena.made(alone, base);
        prover.fresh_budget();
        prover.includes(p, alone)
    }

    /// Phase 6: a direction's verdict. Compatible with the whole proof; incompatible when a
    /// change's witness breaks it; otherwise whole values of the producer are searched for
    /// one the reader refuses (a change of the schemas as a whole when found), or it is
    /// unknown.
    #[allow(clippy::too_many_arguments)]
    fn verdict(
        &self,
        prover: &mut Prover<'_, '_>,
        roots: &Roots,
        direction: Direction,
        d: usize,
        whole: &Whole,
        effects: &[[Effect; 2]],
        stray: Option<Value>,
        examples: &[Value],
    ) -> (DirectionVerdict, Option<Change>) {
        if whole.compatible {
            return (
                DirectionVerdict {
                    verdict: Verdict::Compatible,
                    reason: if effects.is_empty() {
                        "no change".into()
                    } else {
                        "every value the producing side accepts is shown accepted by the reading side".into()
                    },
                },
                None,
            );
        }
        let any_witness = effects
            .iter()
            .any(|e| matches!(e[d], Effect::Incompatible { .. }));
        let any_unknown = effects
            .iter()
            .any(|e| matches!(e[d], Effect::Unknown { .. }));
        if any_witness {
            return (
                DirectionVerdict {
                    verdict: Verdict::Incompatible,
                    reason: "a witness breaks it".into(),
                },
                None,
            );
        }
        let outcome = match stray {
            Some(witness) => witness::Outcome {
                witness: Some(witness),
                stray: None,
                tried: 0,
            },
            None => {
                let mut g = Generator::new(prover);
                witness::search_whole(
                    &mut g,
                    roots.tagged[direction.producer_doc],
                    direction,
                    examples,
                )
            }
        };
        let budget = if whole.exhausted {
            format!(
                "the proof ran out of its budget of {} steps; ",
                crate::prove::QUESTION_STEPS
            )
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
        let change = (verdict == Verdict::Incompatible || !any_unknown).then(|| {
            let mut pair = [
                Effect::Compatible {
                    proof: "not this direction".into(),
                },
                Effect::Compatible {
                    proof: "not this direction".into(),
                },
            ];
            pair[d] = effect;
            let [backward, forward] = pair;
            Change {
                rule: crate::Rule::Unclassified,
                keyword: String::new(),
                event_type: self.event_type.clone(),
                pointer: String::new(),
                places: 1,
                recursive: false,
                other_places: Vec::new(),
                rust_field: None,
                detail: "the schemas as a whole: no single change explains the difference".into(),
                old: None,
                new: None,
                backward,
                forward,
            }
        });
        let reason = match verdict {
            Verdict::Incompatible => "a witness of the whole schema breaks it".into(),
            _ => format!(
                "{budget}not shown compatible, and no witness was found; see the unknown changes"
            ),
        };
        (DirectionVerdict { verdict, reason }, change)
    }

    /// Phase 7: the changes as the report lists them, each at its places; a change met again
    /// through another case (each value of a discriminating key) is listed once.
    fn assemble(&self, walked: &Walked, effects: Vec<[Effect; 2]>) -> Vec<Change> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (found, [backward, forward]) in walked.found.iter().zip(effects) {
            let change = change_of(walked, found, backward, forward, self.event_type.as_deref());
            let key = (
                change.rule,
                change.pointer.clone(),
                change.keyword.clone(),
                change.detail.clone(),
                change.event_type.clone(),
                change.old.as_ref().map(Value::to_string),
                change.new.as_ref().map(Value::to_string),
            );
            if seen.insert(key) {
                out.push(change);
            }
        }
        out
    }
}

/// A change found by the walk, with its effects, as the report shows it.
fn change_of(
    walked: &Walked,
    found: &Found,
    backward: Effect,
    forward: Effect,
    event_type: Option<&str>,
) -> Change {
    let places = walked.places(found.pair);
    let mut shown: Vec<String> = walked
        .listed_places(found.pair)
        .into_iter()
        .map(|mut place| {
            place.extend(found.key.clone().map(crate::walk::Token::Key));
            pointer(&place)
        })
        .collect();
    let first = shown.remove(0);
    Change {
        rule: found.kind.rule(),
        keyword: found.kind.keyword(),
        event_type: walked
            .event_type(found.pair)
            .or(event_type)
            .map(str::to_owned),
        pointer: first,
        places: places.count.max(1),
        recursive: places.recursive,
        other_places: shown,
        rust_field: found.rust_field.clone(),
        detail: found.kind.detail(),
        old: found.old_value.clone(),
        new: found.new_value.clone(),
        backward,
        forward,
    }
}

/// The changes of the untagged walk of a catalog's type that no event of the type reaches:
/// those at a place where the tagged walk (what the type's events meet) found nothing, at it
/// or below. Each is compatible both ways, with why; none when the tagged walk ran out of
/// budget (then nothing can be said about where it did not look).
fn unreached(tagged: &Walked, untagged: &Walked, event_type: &str) -> Vec<Change> {
    let seen: Vec<String> = tagged
        .found
        .iter()
        .map(|f| pointer(&Walked::place_of(&tagged.path(f.pair))))
        .collect();
    if tagged
        .found
        .iter()
        .any(|f| matches!(f.kind, ChangeKind::NotWalked { .. }))
    {
        return Vec::new();
    }
    let reached = |p: &str| {
        seen.iter()
            .any(|s| s == p || s.starts_with(&format!("{p}/")) || p.starts_with(&format!("{s}/")))
    };
    let proof = format!(
        "no `{event_type}` event reaches it: with `type` set to `{event_type}` the schemas are the same here"
    );
    let mut out: Vec<Change> = Vec::new();
    for found in &untagged.found {
        if matches!(found.kind, ChangeKind::NotWalked { .. }) {
            continue;
        }
        let place = pointer(&Walked::place_of(&untagged.path(found.pair)));
        if reached(&place) {
            continue;
        }
        let effect = || Effect::Compatible {
            proof: proof.clone(),
        };
        let mut change = change_of(untagged, found, effect(), effect(), Some(event_type));
        change.event_type = Some(event_type.to_owned());
        change.detail = format!("{} (no `{event_type}` event reaches it)", change.detail);
        if !out
            .iter()
            .any(|c| c.pointer == change.pointer && c.detail == change.detail)
        {
            out.push(change);
        }
    }
    out
}

/// Adds the changes listed beside the walk's; the whole-schema changes of the two directions
/// merge into one.
fn merge_whole_changes(changes: &mut Vec<Change>, extra: Vec<Change>) {
    let mut whole: Option<Change> = None;
    for e in extra {
        let is_whole =
            e.rule == crate::Rule::Unclassified && e.pointer.is_empty() && e.keyword.is_empty();
        if !is_whole {
            changes.push(e);
            continue;
        }
        whole = Some(match whole {
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
    changes.extend(whole);
}

/// One compared document: `value` as written, or closed; a copy only where the check rewrites
/// it.
fn document(side: Side, value: &Value, closed: bool) -> Document<'_> {
    let rewrites = crate::normal::alias_rewrites(value);
    let value = if closed || !rewrites.is_empty() {
        let mut copy = value.clone();
        if closed {
            close_objects(&mut copy);
        }
        crate::normal::apply_aliases(&mut copy, &rewrites);
        std::borrow::Cow::Owned(copy)
    } else {
        std::borrow::Cow::Borrowed(value)
    };
    Document {
        side,
        uri: document_uri(side, closed),
        draft: draft_of(&value),
        value,
    }
}

/// Whether a direction was shown compatible as a whole, and whether its proof ran out of
/// budget.
struct Whole {
    compatible: bool,
    exhausted: bool,
}

fn unknown() -> Effect {
    Effect::Unknown {
        reason: String::new(),
    }
}

/// The proof of a compatible effect for the change alone, in words.
fn proof_text(kind: &ChangeKind) -> String {
    let family = match kind.family() {
        Some(family) => family.words(),
        None => "the schemas",
    };
    format!(
        "by {family}: everything the producing side allows here, the reading side accepts with this change alone"
    )
}

fn load_error(err: LoadError) -> CompatError {
    CompatError {
        side: error_side(err.side),
        what: "schema",
        message: err.message,
    }
}

fn error_side(side: Option<Side>) -> ErrorSide {
    match side {
        Some(Side::Old) => ErrorSide::Old,
        Some(Side::New) => ErrorSide::New,
        None => ErrorSide::Both,
    }
}
