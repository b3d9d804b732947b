//! The verdict on one event's bytes: what `evschema validate` and `cargo xtask check` both use.
//!
//! Valid events are the common case, and building a generic JSON tree for each is the cost to
//! beat. When the catalog is the one generated from the models (the embedded one), the engine
//! first reads the bytes with the models' check twins (no tree, no copy of the text, nothing
//! kept, no allocation for a valid event): [`Event::check_slice`] when unknown fields are
//! denied (the closed schemas), [`Event::check_slice_tolerant`] when they are allowed (the
//! published open schemas: a key an object does not declare is accepted once per object, with
//! any value the strict parser accepts). The twins refuse exactly what the schema of that
//! policy refuses, so success means valid. Anything else takes the full path: a strict parse,
//! then the schema validator, which explains the problem. The fast path can only ever say
//! "valid"; every refusal and every message comes from the schema.
//!
//! A number outside the range of a double (`1e400`) is refused wherever it is
//! ([`Kind::DoubleRange`]), and the rest of the event is still checked: each such number is read
//! as `null` in its place (the text keeps its positions), the schema's verdict on that is taken,
//! and the schema's complaints about those very places are replaced by the one refusal.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use opentact_events::Event;
use serde_json::Value;

use crate::locate::{Locator, pointer_at};
use crate::parse::{ParseError, ParseErrorKind, out_of_range_message, out_of_range_numbers, parse};
use crate::tape::Tape;
use crate::validate::{
    Ask, Catalog, Issue, Kind, Report, SchemaError, UnknownFields, Values, models_match,
};

/// The verdict on one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The event keeps the contract.
    Valid {
        /// Its `type`.
        event_type: String,
    },
    /// The event parses but breaks the contract.
    Invalid {
        /// Its `type`, when that names a known event type.
        event_type: Option<String>,
        /// Every problem, sorted by pointer; none from [`Engine::check_verdict`], which gives
        /// the verdict without explaining it.
        issues: Vec<Issue>,
    },
    /// The bytes are not one JSON value under the strict rules.
    Unparsable(ParseError),
}

impl Checked {
    /// Whether the event is valid.
    pub fn is_valid(&self) -> bool {
        matches!(self, Checked::Valid { .. })
    }

    /// The same verdict with an invalid event's issues left out: what
    /// [`Engine::check_verdict`] gives.
    pub(crate) fn without_issues(self) -> Checked {
        match self {
            Checked::Invalid { event_type, .. } => Checked::Invalid {
                event_type,
                issues: Vec::new(),
            },
            other => other,
        }
    }
}

/// A catalog and how to use it.
#[derive(Debug)]
pub struct Engine {
    /// The compiled catalog: at construction, or on first need for a deferred one.
    catalog: OnceLock<Catalog>,
    /// The schema files of a deferred catalog, compiled under `policy` on first need.
    deferred: Option<BTreeMap<String, Value>>,
    policy: UnknownFields,
    fast: bool,
    values: Values,
}

impl Engine {
    /// An engine over `catalog`. `models_match` says whether the catalog is the one generated
    /// from this build's models: only then may the models' check twins decide that an event is
    /// valid, under the catalog's policy for unknown fields (closed objects with
    /// [`UnknownFields::Deny`], the published open ones with [`UnknownFields::Allow`]).
    pub fn new(catalog: Catalog, models_match: bool, values: Values) -> Engine {
        Engine {
            policy: catalog.policy(),
            catalog: OnceLock::from(catalog),
            deferred: None,
            fast: models_match,
            values,
        }
    }

    /// An engine over the schema catalog `files` (file name → schema, as
    /// [`crate::files::read_catalog`] gives them) under `policy`.
    ///
    /// When the files are the ones this build's models generate ([`models_match`]), valid
    /// events are recognised by the models alone, and the schemas are compiled only when an
    /// event first needs them: the first refusal, or [`Engine::catalog`]. A file of valid events
    /// never pays for the compilation (about 4 ms of `evschema`'s 11 ms start-up, issue 19). The
    /// generated catalog always compiles: a test holds it to that under both policies. Any other
    /// catalog is compiled here, as [`Catalog::new`] does.
    ///
    /// [`models_match`] leaves each schema's top-level `examples` out of its comparison, so a
    /// copy of the catalog whose `examples` were edited still matches. The meta-schema, which
    /// the compilation applies, asks only that `examples` be an array: a matching catalog whose
    /// `examples` are all arrays (or absent) compiles as the generated one does, and only such a
    /// catalog is deferred. Any other is compiled here, its fault reported at once.
    ///
    /// Errors: those of [`Catalog::new`], for a catalog compiled here.
    pub fn from_files(
        files: BTreeMap<String, Value>,
        policy: UnknownFields,
        values: Values,
    ) -> Result<Engine, SchemaError> {
        let examples_compile = || {
            opentact_events::catalog::schema_files(&files)
                .values()
                .all(|schema| schema.get("examples").is_none_or(Value::is_array))
        };
        let models_match = models_match(&files);
        if models_match && examples_compile() {
            Ok(Engine {
                catalog: OnceLock::new(),
                deferred: Some(files),
                policy,
                fast: true,
                values,
            })
        } else {
            Ok(Engine::new(
                Catalog::new(&files, policy)?,
                models_match,
                values,
            ))
        }
    }

    /// Whether valid events are recognised by the models without building a JSON tree.
    pub fn uses_fast_path(&self) -> bool {
        self.fast
    }

    /// Whether the catalog has been built yet (always, unless built by [`Engine::from_files`]
    /// and no event has needed it). A deferred catalog, once built, compiles each schema when an
    /// event first needs it, for `Value`s or for tapes.
    pub fn is_compiled(&self) -> bool {
        self.catalog.get().is_some()
    }

    /// The catalog (built now if it was deferred and not yet needed; a deferred catalog then
    /// compiles each schema, for `Value`s or for tapes, when an event first needs it).
    ///
    /// # Panics
    ///
    /// If a deferred catalog does not compile, which cannot happen: only the catalog the models
    /// generate is deferred, and a test compiles it under both policies.
    pub fn catalog(&self) -> &Catalog {
        self.catalog.get_or_init(|| {
            let files = self
                .deferred
                .as_ref()
                .expect("an engine without a compiled catalog has its files");
            Catalog::deferred(files, self.policy)
                .unwrap_or_else(|err| panic!("the models' own catalog does not compile: {err}"))
        })
    }

    /// The verdict on one event's bytes.
    pub fn check(&self, bytes: &[u8]) -> Checked {
        self.check_located(bytes).0
    }

    /// [`Engine::check`], and with a verdict of [`Checked::Invalid`] the index of the event's
    /// text that placed the values its messages quote: the same [`Locator`] then places the
    /// issues themselves (lines, columns, spans) without reading those containers again. `None`
    /// for any other verdict.
    pub fn check_located<'t>(&self, bytes: &'t [u8]) -> (Checked, Option<Locator<'t>>) {
        match self.models(bytes) {
            Ok(valid) => (valid, None),
            Err(ask) => self.full(bytes, ask),
        }
    }

    /// The fast path: [`Checked::Valid`] when the models' check twins accept the event (only
    /// for the catalog generated from them). Otherwise how to ask the schema: when the models
    /// refused the event, the schema refuses it too, so its errors are collected at once
    /// ([`Catalog::explain`]), without first asking whether it is valid.
    fn models(&self, bytes: &[u8]) -> Result<Checked, Ask> {
        if !self.fast {
            return Err(Ask::Validate);
        }
        let fast = match self.policy {
            UnknownFields::Deny => Event::check_slice(bytes),
            UnknownFields::Allow => Event::check_slice_tolerant(bytes),
        };
        match fast {
            Ok(event_type) => Ok(Checked::Valid {
                event_type: event_type.as_str().to_owned(),
            }),
            Err(_) => Err(Ask::Explain),
        }
    }

    /// [`Engine::check`]'s verdict without explaining a refusal, for a report that shows only
    /// how many events were valid (`evschema validate --quiet`): the same verdict (valid with its
    /// type, invalid with its type when known, or unparsable with the same [`ParseError`]),
    /// except that [`Checked::Invalid`]'s `issues` are always empty.
    ///
    /// A refusal still comes from the schema, never from the models alone: the event is read
    /// as a [`Tape`] and the schema asked the yes-or-no question ([`Catalog::is_valid`]'s walk,
    /// which stops at the first error) instead of collecting and explaining every error. On the
    /// refused events of the benchmark corpus that is less than half of [`Engine::check`]'s
    /// time (9.1 µs against 19.7 in evbench's breakdown; issue 19). What the tape does not take (a syntax error, a repeated key, a number past a
    /// double) goes the full path, as in [`Engine::check`]; the differential fuzz target holds
    /// the two verdicts equal.
    pub fn check_verdict(&self, bytes: &[u8]) -> Checked {
        let ask = match self.models(bytes) {
            Ok(valid) => return valid,
            Err(ask) => ask,
        };
        if let Some(tape) = Tape::parse(bytes)
            && let Some((event_type, valid)) = self.catalog().is_valid_tape(&tape)
        {
            let event_type = event_type.map(str::to_owned);
            return if valid {
                Checked::Valid {
                    event_type: event_type.unwrap_or_default(),
                }
            } else {
                Checked::Invalid {
                    event_type,
                    issues: Vec::new(),
                }
            };
        }
        self.full_value(bytes, ask).0.without_issues()
    }

    /// The verdict on one event's bytes through the full path of `Value`s only (the strict
    /// parse, then the schema on the `Value`): what [`Engine::check`] must give. It reads the
    /// events the models refuse (and all of them when the fast path is off) as a [`Tape`]
    /// where it can, the same schema on a representation that builds no `Value`; the
    /// benchmark and the differential tests compare the two, messages included.
    pub fn check_full(&self, bytes: &[u8]) -> Checked {
        self.full_value(bytes, Ask::Validate).0
    }

    /// The full path: the event read as a [`Tape`] (no `Value` built), or, when the tape does
    /// not take it (a syntax error, a repeated key, a number past a double: see
    /// [`Tape::parse`]), as a `Value` by the strict parse, which names the fault.
    fn full<'t>(&self, bytes: &'t [u8], ask: Ask) -> (Checked, Option<Locator<'t>>) {
        if let Some(tape) = Tape::parse(bytes) {
            // The tape places the values the messages quote, and then the problems themselves.
            let locator = Locator::with_tape(tape);
            if let Some(tape) = locator.tape()
                && let Some(report) =
                    self.catalog()
                        .report_tape(tape, Some(&locator), self.values, ask)
            {
                return Engine::located(Engine::verdict(report), Some(locator));
            }
        }
        self.full_value(bytes, ask)
    }

    /// The full path through a `Value`: the strict parse, then the schema.
    fn full_value<'t>(&self, bytes: &'t [u8], ask: Ask) -> (Checked, Option<Locator<'t>>) {
        match parse(bytes) {
            Ok(value) => {
                // It parsed, so it is UTF-8.
                let locator = std::str::from_utf8(bytes).ok().map(Locator::new);
                let report = self
                    .catalog()
                    .report(&value, locator.as_ref(), self.values, ask);
                Engine::located(Engine::verdict(report), locator)
            }
            Err(err) => match err.kind {
                ParseErrorKind::NumberOutOfRange => self.out_of_range(bytes, err, ask),
                _ => (Checked::Unparsable(err), None),
            },
        }
    }

    /// The verdict with the locator, which only an invalid event keeps.
    fn located<'t>(
        checked: Checked,
        locator: Option<Locator<'t>>,
    ) -> (Checked, Option<Locator<'t>>) {
        match checked {
            Checked::Invalid { .. } => (checked, locator),
            _ => (checked, None),
        }
    }

    /// The verdict on an event with numbers outside the range of a double: each is refused at
    /// its pointer, and the rest of the event is checked with `null` in their places.
    fn out_of_range<'t>(
        &self,
        bytes: &'t [u8],
        err: ParseError,
        ask: Ask,
    ) -> (Checked, Option<Locator<'t>>) {
        let numbers = out_of_range_numbers(bytes);
        let mut patched = bytes.to_vec();
        for number in &numbers {
            // `null` and spaces: every other byte keeps its place, so lines and columns hold.
            // The shortest number past the range (`1e309`) is longer than `null`.
            let Some(place) = patched.get_mut(number.start..number.start + 4) else {
                return (Checked::Unparsable(err), None);
            };
            place.copy_from_slice(b"null");
            patched[number.start + 4..number.end].fill(b' ');
        }
        let value = match parse(&patched) {
            Ok(value) => value,
            // Another fault: the bytes are not an event. (A number past the range that the
            // scan missed would be refused here too, at its place; the scan and serde_json agree
            // on every number tested.)
            Err(other) => return (Checked::Unparsable(other), None),
        };
        // The patched text parsed, and differs from `bytes` only in ASCII: `bytes` is UTF-8.
        let locator = std::str::from_utf8(bytes).ok().map(Locator::new);
        let report = self
            .catalog()
            .report(&value, locator.as_ref(), self.values, ask);
        let refused: Vec<Issue> = numbers
            .iter()
            .map(|number| {
                let written = String::from_utf8_lossy(&bytes[number.clone()]);
                Issue {
                    pointer: pointer_at(bytes, number.start),
                    kind: Kind::DoubleRange,
                    message: out_of_range_message(match self.values {
                        Values::Show => &written,
                        Values::Mask => "a value",
                    }),
                    schema_path: String::new(),
                    keywords: Vec::new(),
                }
            })
            .collect();
        let mut issues: Vec<Issue> = report
            .issues
            .into_iter()
            .filter(|issue| !refused.iter().any(|r| r.pointer == issue.pointer))
            .collect();
        issues.extend(refused);
        crate::explain::sort(&mut issues);
        let invalid = Checked::Invalid {
            event_type: report.event_type,
            issues,
        };
        (invalid, locator)
    }

    /// The schema's verdict on a parsed event (values in messages as serde_json read them).
    pub fn check_value(&self, value: &Value) -> Checked {
        Engine::verdict(self.catalog().validate(value, self.values))
    }

    fn verdict(report: Report) -> Checked {
        if report.is_valid() {
            Checked::Valid {
                event_type: report.event_type.unwrap_or_default(),
            }
        } else {
            Checked::Invalid {
                event_type: report.event_type,
                issues: report.issues,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::Ordering;

    use serde_json::json;

    use super::*;

    fn engine(policy: UnknownFields, models_match: bool, values: Values) -> Engine {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let files = crate::files::read_catalog(&dir).expect("schemas/ reads");
        let catalog = Catalog::new(&files, policy).expect("schemas/ compiles");
        Engine::new(catalog, models_match, values)
    }

    fn live() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/valid/call_state/platform-call_state_live.json");
        std::fs::read_to_string(path).expect("the fixture reads")
    }

    /// The live-call fixture with the first `from` replaced by `to`.
    fn live_with(from: &str, to: &str) -> String {
        let text = live();
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    }

    /// (pointer, kind, message) of every issue, or the verdict when it is not `Invalid`.
    fn issues(checked: &Checked) -> Vec<(String, Kind, String)> {
        match checked {
            Checked::Invalid { issues, .. } => issues
                .iter()
                .map(|i| (i.pointer.clone(), i.kind, i.message.clone()))
                .collect(),
            other => panic!("not invalid: {other:?}"),
        }
    }

    #[test]
    fn the_fast_path_only_with_the_models_catalog_under_either_policy() {
        assert!(engine(UnknownFields::Deny, true, Values::Show).uses_fast_path());
        assert!(!engine(UnknownFields::Deny, false, Values::Show).uses_fast_path());
        assert!(engine(UnknownFields::Allow, true, Values::Show).uses_fast_path());
        assert!(!engine(UnknownFields::Allow, false, Values::Show).uses_fast_path());
        // Without the fast path, the same verdicts, from the schema alone.
        let event = br#"{"type": "ping"}"#;
        let (fast, slow) = (
            engine(UnknownFields::Deny, true, Values::Show),
            engine(UnknownFields::Deny, false, Values::Show),
        );
        assert_eq!(fast.check(event), slow.check(event));
        assert_eq!(fast.check(event), fast.check_full(event));
    }

    /// How many times the validators go over an event on each path: the fast path says "valid"
    /// without them, and explains a refusal in one walk; without it, the schema is asked first
    /// (one walk for a valid event) and then explains (a second).
    #[test]
    fn each_path_walks_the_schema_as_often_as_it_must() {
        let walks = |engine: &Engine, bytes: &[u8]| {
            let before = engine.catalog().walks.load(Ordering::Relaxed);
            let valid = engine.check(bytes).is_valid();
            (
                valid,
                engine.catalog().walks.load(Ordering::Relaxed) - before,
            )
        };
        let valid = live();
        let refused = live_with(r#""duration": 2"#, r#""duration": -2"#);
        let fast = engine(UnknownFields::Deny, true, Values::Show);
        let slow = engine(UnknownFields::Deny, false, Values::Show);
        assert_eq!(walks(&fast, valid.as_bytes()), (true, 0));
        assert_eq!(walks(&fast, refused.as_bytes()), (false, 1));
        assert_eq!(walks(&slow, valid.as_bytes()), (true, 1));
        assert_eq!(walks(&slow, refused.as_bytes()), (false, 2));
        // The full path asks first, whichever engine.
        let before = fast.catalog().walks.load(Ordering::Relaxed);
        assert!(!fast.check_full(refused.as_bytes()).is_valid());
        assert_eq!(fast.catalog().walks.load(Ordering::Relaxed) - before, 2);
        // The tolerant reader's fast path (its own check twins) says "valid" to an event with
        // keys nobody declared, in the event and in the call; the contract's refuses it, and
        // its schema explains.
        let unknown = live_with(r#""duration": 2"#, r#""duration": 2, "zz": {"a": [1]}"#).replacen(
            r#""type""#,
            r#""zz": null, "type""#,
            1,
        );
        let tolerant = engine(UnknownFields::Allow, true, Values::Show);
        let tolerant_slow = engine(UnknownFields::Allow, false, Values::Show);
        assert_eq!(walks(&tolerant, valid.as_bytes()), (true, 0));
        assert_eq!(walks(&tolerant, unknown.as_bytes()), (true, 0));
        assert_eq!(walks(&tolerant, refused.as_bytes()), (false, 1));
        assert_eq!(walks(&tolerant_slow, unknown.as_bytes()), (true, 1));
        assert_eq!(walks(&fast, unknown.as_bytes()), (false, 1));
        // A repeated unknown key: no walk at all, the strict parse refuses it.
        let repeated = unknown.replacen(r#""zz": null"#, r#""zz": null, "zz": null"#, 1);
        assert_eq!(walks(&tolerant, repeated.as_bytes()), (false, 0));
    }

    /// The verdict alone is `check`'s verdict on every path (the models, the tape, the strict
    /// parse and the out-of-range numbers), with and without the models, under both policies;
    /// a refusal read as a tape is one yes-or-no walk of the schema, with nothing explained.
    #[test]
    fn the_verdict_alone_is_the_verdict_of_check() {
        let unknown = live_with(r#""duration": 2"#, r#""duration": 2, "zz": [1]"#);
        let events = [
            live(),
            // Refused by the schema (read as a tape), of a known type and of an unknown one.
            live_with(r#""duration": 2"#, r#""duration": -2"#),
            live_with(r#""type": "call_state""#, r#""type": "call_stat""#),
            r#"{"type": "auth"}"#.to_owned(),
            r#"{"payload": 1}"#.to_owned(),
            "[1, 2]".to_owned(),
            unknown.clone(),
            // What the tape does not take: a repeated key, a number past a double (the rest
            // of the event still checked), a syntax error, nesting past the limit, not UTF-8.
            unknown.replacen(r#""zz": [1]"#, r#""zz": [1], "zz": 2"#, 1),
            live_with(r#""duration": 2"#, r#""duration": 1e400"#),
            live_with(r#""duration": 2"#, r#""duration": 1e400, "zz": 1"#),
            live_with(r#""duration": 2"#, r#""duration": "#),
            format!(r#"{{"type": "auth", "x": {}1"#, "[".repeat(200)),
            "\u{feff}{}".to_owned(),
            String::from_utf8_lossy(b"{\"type\": \"a\xffb\"}").into_owned(),
        ];
        for policy in [UnknownFields::Deny, UnknownFields::Allow] {
            for models in [true, false] {
                let engine = engine(policy, models, Values::Show);
                for event in &events {
                    let bytes = event.as_bytes();
                    let verdict = engine.check_verdict(bytes);
                    assert_eq!(
                        verdict,
                        engine.check(bytes).without_issues(),
                        "{policy:?} {models}: {event}"
                    );
                }
                let refused = live_with(r#""duration": 2"#, r#""duration": -2"#);
                let before = engine.catalog().walks.load(Ordering::Relaxed);
                let verdict = engine.check_verdict(refused.as_bytes());
                let walked = engine.catalog().walks.load(Ordering::Relaxed) - before;
                assert_eq!(walked, 1, "{policy:?} {models}");
                assert_eq!(
                    verdict,
                    Checked::Invalid {
                        event_type: Some("call_state".into()),
                        issues: Vec::new()
                    }
                );
            }
        }
        // Not UTF-8 at all, and a type-less refusal: the same verdict.
        let engine = engine(UnknownFields::Deny, true, Values::Show);
        for bytes in [&b"{\"type\": \"a\xffb\"}"[..], b"\xef\xbb\xbf{}", b"{}"] {
            assert_eq!(
                engine.check_verdict(bytes),
                engine.check(bytes).without_issues()
            );
        }
    }

    #[test]
    fn the_models_catalog_is_compiled_when_an_event_first_needs_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let files = crate::files::read_catalog(&dir).expect("schemas/ reads");
        let refused = live_with(r#""duration": 2"#, r#""duration": -2"#);
        for policy in [UnknownFields::Deny, UnknownFields::Allow] {
            let deferred =
                Engine::from_files(files.clone(), policy, Values::Show).expect("the catalog");
            assert!(deferred.uses_fast_path() && !deferred.is_compiled());
            assert!(deferred.check(live().as_bytes()).is_valid());
            assert!(!deferred.is_compiled(), "a valid event needs no schema");
            // The first refusal compiles it (the generated catalog compiles under both
            // policies), with the verdict of an engine compiled at once.
            let (checked, locator) = deferred.check_located(refused.as_bytes());
            assert!(deferred.is_compiled());
            assert_eq!(
                checked,
                engine(policy, true, Values::Show).check(refused.as_bytes())
            );
            assert_eq!(deferred.catalog().policy(), policy);
            assert!(locator.is_some());
            // It was read as a tape: no schema is compiled for `Value`s until an event needs
            // one (the strict parse, here for a number past a double), and then only its
            // type's; an engine compiled at once has them all.
            assert_eq!(deferred.catalog().compiled_for_values(), 0);
            let far = live_with(r#""duration": 2"#, r#""duration": 1e400"#);
            assert_eq!(
                deferred.check(far.as_bytes()),
                engine(policy, true, Values::Show).check(far.as_bytes())
            );
            assert_eq!(deferred.catalog().compiled_for_values(), 1);
            assert_eq!(
                engine(policy, true, Values::Show)
                    .catalog()
                    .compiled_for_values(),
                3
            );
        }
        // `models_match` leaves each schema's top-level `examples` out, so only a catalog whose
        // `examples` the meta-schema accepts (an array, whatever is in it) is deferred; any
        // other is compiled, and refused, at once. The rule is held to the 2020-12 meta-schema
        // jsonschema ships (the outside oracle) and to the compilation itself.
        let cases = [
            json!(12),
            json!({"a": 1}),
            Value::Null,
            json!("x"),
            json!(true),
            json!({"$ref": "#/examples"}),
            json!([]),
            json!([{"any": 1}]),
            json!([{"$ref": "#"}]),
            json!([{"$ref": "#/examples/0"}]),
            json!([{"type": 12}]),
            json!([{"$id": "http://other.example/x"}]),
        ];
        for examples in cases {
            let meta = jsonschema::draft202012::meta::is_valid(&json!({ "examples": examples }));
            assert_eq!(meta, examples.is_array(), "{examples}");
            for file in ["call_state.json", "event.json"] {
                let mut edited = files.clone();
                edited.get_mut(file).expect("a schema")["examples"] = examples.clone();
                let compiles = Catalog::new(&edited, UnknownFields::Deny).is_ok();
                assert_eq!(compiles, meta, "{file}: {examples}");
                match Engine::from_files(edited, UnknownFields::Deny, Values::Show) {
                    Ok(deferred) => {
                        assert!(meta, "{file}: {examples}");
                        assert!(deferred.uses_fast_path() && !deferred.is_compiled());
                        assert_eq!(deferred.catalog().policy(), UnknownFields::Deny);
                    }
                    Err(err) => {
                        assert!(!meta, "{file}: {examples}: {err}");
                        assert!(err.to_string().contains(file), "{err}");
                    }
                }
            }
        }
        // `examples` removed: deferred, and it compiles.
        let mut edited = files.clone();
        if let Some(auth) = edited.get_mut("auth.json").and_then(Value::as_object_mut) {
            auth.remove("examples");
        }
        let deferred = Engine::from_files(edited, UnknownFields::Deny, Values::Show).expect("ok");
        assert!(deferred.uses_fast_path() && !deferred.is_compiled());
        assert_eq!(deferred.catalog().policy(), UnknownFields::Deny);
        // A catalog the models did not generate is compiled at once, and refused then if it
        // does not compile.
        let mut edited = files.clone();
        let schema = edited.get_mut("call_state.json").expect("call_state.json");
        schema["description"] = Value::from("edited");
        let other = Engine::from_files(edited.clone(), UnknownFields::Deny, Values::Show)
            .expect("an edited catalog compiles");
        assert!(!other.uses_fast_path() && other.is_compiled());
        edited.get_mut("call_state.json").expect("call_state.json")["type"] = Value::from(12);
        let err = Engine::from_files(edited, UnknownFields::Deny, Values::Show)
            .expect_err("`type: 12` does not compile");
        assert!(err.to_string().contains("call_state.json"), "{err}");
    }

    /// The engine hands over its index of the text only with an `Invalid` verdict (an event
    /// that parsed), whichever path gave it.
    #[test]
    fn the_locator_comes_with_every_refusal_that_parsed_and_nothing_else() {
        let fast = engine(UnknownFields::Deny, true, Values::Show);
        let slow = engine(UnknownFields::Deny, false, Values::Show);
        let refused = live_with(r#""duration": 2"#, r#""duration": -2"#);
        let past_double = live_with(r#""duration": 2"#, r#""duration": 1e400"#);
        let live = live();
        for engine in [&fast, &slow] {
            let (valid, none) = engine.check_located(live.as_bytes());
            assert!(valid.is_valid() && none.is_none());
            let (broken, none) = engine.check_located(b"{");
            assert!(matches!(broken, Checked::Unparsable(_)) && none.is_none());
            for text in [&refused, &past_double] {
                let (checked, locator) = engine.check_located(text.as_bytes());
                assert!(matches!(checked, Checked::Invalid { .. }), "{checked:?}");
                let locator = locator.expect("a refusal's locator");
                assert_eq!(locator.text(), text.as_str());
                assert_eq!(
                    locator.value_span("/call/duration").map(|r| &text[r]),
                    Some(if text == &refused { "-2" } else { "1e400" })
                );
            }
        }
    }

    #[test]
    fn numbers_past_a_double_are_refused_and_the_rest_is_still_checked() {
        let fast = engine(UnknownFields::Deny, true, Values::Show);
        // A `number` slot, an object of unspecified shape, and another fault.
        let text = live_with(r#""balance": 814.85626"#, r#""balance": -1E+400"#)
            .replacen(
                r#""call_record": null"#,
                r#""call_record": {"n": [1e999]}"#,
                1,
            )
            .replacen(r#""duration": 2"#, r#""duration": 18446744073709551616"#, 1);
        let checked = fast.check(text.as_bytes());
        assert_eq!(checked, fast.check_full(text.as_bytes()));
        let max = "at most 1.7976931348623157e308 in magnitude";
        assert_eq!(
            issues(&checked),
            [
                (
                    "/call/account/balance".to_owned(),
                    Kind::DoubleRange,
                    format!(
                        "expected a number within the range of a double ({max}), found -1E+400, \
                         which JavaScript and Python read as infinity"
                    )
                ),
                (
                    "/call/duration".to_owned(),
                    Kind::Range,
                    // As written, not as the double it was read into (1.8446744073709552e19).
                    "expected a number no greater than 4294967295, found 18446744073709551616"
                        .to_owned()
                ),
                (
                    "/call_record/n/0".to_owned(),
                    Kind::DoubleRange,
                    format!(
                        "expected a number within the range of a double ({max}), found 1e999, \
                         which JavaScript and Python read as infinity"
                    )
                ),
            ]
        );
        match checked {
            Checked::Invalid { event_type, .. } => {
                assert_eq!(event_type.as_deref(), Some("call_state"))
            }
            other => panic!("{other:?}"),
        }
        // Alone, in a slot that accepts any object: still refused.
        let text = live_with(r#""call_record": null"#, r#""call_record": {"n": 1e400}"#);
        assert_eq!(
            issues(&fast.check(text.as_bytes()))
                .into_iter()
                .map(|(p, k, _)| (p, k))
                .collect::<Vec<_>>(),
            [("/call_record/n".to_owned(), Kind::DoubleRange)]
        );
        // Masked: no value.
        let masked = engine(UnknownFields::Deny, true, Values::Mask);
        let [(_, _, message)] = &issues(&masked.check(text.as_bytes()))[..] else {
            panic!("one issue");
        };
        assert!(
            message.contains("found a value,") && !message.contains("1e400"),
            "{message}"
        );
        // A number past the range and a syntax error: the text is no event.
        let broken = format!("{} x", text.trim_end());
        match fast.check(broken.as_bytes()) {
            Checked::Unparsable(err) => {
                assert_eq!(
                    (err.kind, err.message.as_str()),
                    (ParseErrorKind::Syntax, "trailing characters")
                );
            }
            other => panic!("{other:?}"),
        }
        // A number past the range where it is the event itself, or where `type` is.
        assert_eq!(
            issues(&fast.check(b" 1e400 "))
                .into_iter()
                .map(|(p, k, _)| (p, k))
                .collect::<Vec<_>>(),
            [(String::new(), Kind::DoubleRange)]
        );
        let kinds = issues(&fast.check(br#"{"type": 1e400}"#));
        assert_eq!(
            kinds
                .iter()
                .map(|(p, k, _)| (p.as_str(), *k))
                .collect::<Vec<_>>(),
            [("/type", Kind::DoubleRange)]
        );
    }

    #[test]
    fn values_are_shown_as_written() {
        let fast = engine(UnknownFields::Deny, true, Values::Show);
        let text = live_with(r#""duration": 2"#, r#""duration": 2.50"#);
        assert_eq!(
            issues(&fast.check(text.as_bytes())),
            [(
                "/call/duration".to_owned(),
                Kind::Type,
                "expected integer, found number 2.50".to_owned()
            )]
        );
        let text = live_with(r#""level": "Level2""#, "\"level\": [ 1E2,\n  \"x\" ]");
        let [(pointer, kind, message)] = &issues(&fast.check(text.as_bytes()))[..] else {
            panic!("one issue");
        };
        assert_eq!(
            (pointer.as_str(), *kind),
            ("/call/account/level", Kind::Type)
        );
        assert_eq!(message, "expected string, found array");
        // Through the value alone (no text), serde_json's reading of it.
        let value = parse(text.as_bytes()).expect("parses");
        let report = fast.catalog().validate(&value, Values::Show);
        assert_eq!(report.issues.len(), 1);
    }

    #[test]
    fn nesting_past_the_limit_is_its_own_kind_with_a_pointer() {
        let fast = engine(UnknownFields::Deny, true, Values::Show);
        let text = live_with(
            r#""call_record": null"#,
            &format!(r#""call_record": {{"n": {}"#, "[".repeat(200)),
        );
        match fast.check(text.as_bytes()) {
            Checked::Unparsable(err) => {
                assert_eq!(err.kind, ParseErrorKind::TooDeep);
                // The event is level 1, `call_record` level 2, the first bracket level 3: the
                // 126th bracket opens level 128, as the first item of the 125th.
                assert_eq!(
                    err.pointer,
                    Some(format!("/call_record/n{}", "/0".repeat(125)))
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
