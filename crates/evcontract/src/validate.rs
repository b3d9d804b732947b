//! Validation of events against the published schemas, with reports that say where and what.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use jsonschema::json::{Json, Node, Object, SerdeJson};
use jsonschema::{Draft, PatternOptions, Retrieve, ValidationOptions, Validator};
use opentact_events::catalog::CatalogIndex;
use opentact_events::schema::close_objects;
use serde_json::Value;

use crate::locate::Locator;
use crate::tape::{Tape, TapeJson};

/// The options every schema is compiled with, for either representation of instances (`F`:
/// jsonschema's `SerdeJson` for `Value`s, [`TapeJson`] for tapes): draft 2020-12, formats
/// checked, unknown formats refused, linear-time regular expressions, no `$ref` fetched.
pub(crate) fn options<F: Json>() -> ValidationOptions<'static, Arc<dyn Retrieve>, F> {
    jsonschema::options_for::<F>()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_pattern_options(PatternOptions::regex())
        .offline()
}

/// What the validator does with keys the contract does not list. With the `clap` feature it is
/// a `clap::ValueEnum` (`deny`, `allow`), the command line's own option values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum UnknownFields {
    /// Refuse them: the contract check, and producers proving what they send.
    #[default]
    Deny,
    /// Accept them, as the published schemas do: a tolerant consumer.
    Allow,
}

/// A schema catalog that could not be loaded or compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// A file the catalog needs is missing.
    #[error("{file}: missing from the schema catalog")]
    Missing {
        /// The missing file, relative to the catalog's folder.
        file: String,
    },
    /// `index.json` does not describe a catalog.
    #[error("{file}: {message}")]
    Index {
        /// The index file.
        file: String,
        /// What is wrong with it.
        message: String,
    },
    /// A schema does not compile (under the rules: formats checked, unknown formats refused,
    /// linear-time regular expressions, no `$ref` fetched).
    #[error("{file}: the schema does not compile: {message}")]
    Compile {
        /// The schema file.
        file: String,
        /// The compiler's message.
        message: String,
    },
}

/// One thing wrong with an event: one fault, however many keywords of the schema it fails.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    /// JSON Pointer into the event. For a missing, unknown or forbidden key it names the key.
    pub pointer: String,
    /// A short, stable name for the kind of problem (see [`Kind`]).
    pub kind: Kind,
    /// What is wrong, lower-case, naming what was expected and what was found (values as
    /// written in the event when its text is known).
    pub message: String,
    /// Where in the schema the broken rule is (a JSON Pointer into the schema); empty for a
    /// problem no keyword states ([`Kind::DoubleRange`]).
    pub schema_path: String,
    /// Every keyword of the schema that failed for this fault, as the schema spells it
    /// (`format`, `pattern`, `minLength`; `false` for a `false` schema): a short `uuid` is one
    /// issue of kind `format` that lists all three. Empty for [`Kind::DoubleRange`].
    pub keywords: Vec<String>,
}

/// The kinds of problem an event can have. Their names are part of the fixtures' format
/// (`fixtures/invalid/**/*.expect`) and of machine-readable reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A required key is missing.
    Required,
    /// A key the contract does not list.
    UnknownField,
    /// A key that must be absent here (a transition timestamp of another state).
    Forbidden,
    /// A value of the wrong JSON type.
    Type,
    /// A value outside the allowed set of strings (an unknown enum value or event type).
    Enum,
    /// A value other than the one allowed.
    Const,
    /// A string that is not of its format (date-time, uuid, ipv4, ...).
    Format,
    /// A string that does not match its pattern.
    Pattern,
    /// A string too short or too long.
    Length,
    /// A number outside its bounds.
    Range,
    /// A number outside the range of a double (`1e400`), which JavaScript and Python read as
    /// infinity: refused wherever it is, whatever the schema says (ARCHITECTURE.md, "numbers").
    DoubleRange,
    /// A value that matches none of the allowed alternatives.
    AnyOf,
    /// Anything else the schema refuses.
    Other,
}

impl Kind {
    /// The name used in fixtures and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Required => "required",
            Kind::UnknownField => "unknown_field",
            Kind::Forbidden => "forbidden",
            Kind::Type => "type",
            Kind::Enum => "enum",
            Kind::Const => "const",
            Kind::Format => "format",
            Kind::Pattern => "pattern",
            Kind::Length => "length",
            Kind::Range => "range",
            Kind::DoubleRange => "double_range",
            Kind::AnyOf => "any_of",
            Kind::Other => "other",
        }
    }

    /// What a problem of this kind is, in a few words (SARIF's rule descriptions).
    pub fn description(self) -> &'static str {
        match self {
            Kind::Required => "a required key is missing",
            Kind::UnknownField => "a key the contract does not list",
            Kind::Forbidden => "a key that must be absent here",
            Kind::Type => "a value of the wrong JSON type",
            Kind::Enum => "a value outside the allowed set",
            Kind::Const => "a value other than the one allowed",
            Kind::Format => "a string not of its format",
            Kind::Pattern => "a string that does not match its pattern",
            Kind::Length => "a string too short or too long",
            Kind::Range => "a number outside its bounds",
            Kind::DoubleRange => "a number outside the range of a double",
            Kind::AnyOf => "a value matching none of the alternatives",
            Kind::Other => "a value the schema refuses",
        }
    }

    /// Every kind.
    pub const ALL: [Kind; 13] = [
        Kind::Required,
        Kind::UnknownField,
        Kind::Forbidden,
        Kind::Type,
        Kind::Enum,
        Kind::Const,
        Kind::Format,
        Kind::Pattern,
        Kind::Length,
        Kind::Range,
        Kind::DoubleRange,
        Kind::AnyOf,
        Kind::Other,
    ];

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The schema's verdict on one event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// The event's `type`, when it names a known event type.
    pub event_type: Option<String>,
    /// Every problem found, sorted by pointer; empty when the event is valid.
    pub issues: Vec<Issue>,
}

impl Report {
    /// Whether the event keeps the contract.
    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }
}

/// How values appear in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Values {
    /// Quote the offending value, shortened to 60 characters.
    #[default]
    Show,
    /// Never show a value: for payloads with personal data.
    Mask,
}

/// One schema of a catalog, compiled, with the document it was compiled from (closed under
/// [`UnknownFields::Deny`]): messages read the words of shapes and the conditions of rules there.
struct Compiled {
    /// The schema compiled for `Value`s: by [`Catalog::new`] (which reports a schema that does
    /// not compile), or on first use in a catalog of the models' own schemas
    /// ([`Catalog::deferred`]), whose events the engine reads as tapes unless the tape does not
    /// take them.
    validator: OnceLock<Validator>,
    /// The same schema compiled for instances read as a [`Tape`], on first use (`None` if it
    /// did not compile, which the schema's compiling for `Value`s rules out: the events are then
    /// read as `Value`s).
    tape: OnceLock<Option<Validator<TapeJson>>>,
    schema: Value,
}

impl Compiled {
    /// # Panics
    ///
    /// If the schema does not compile, which only a catalog from [`Catalog::deferred`] can
    /// leave to this point: one of the models' own schemas, which a test compiles under both
    /// policies.
    fn validator(&self) -> &Validator {
        self.validator.get_or_init(|| {
            options::<SerdeJson>()
                .build(&self.schema)
                .unwrap_or_else(|err| panic!("the models' own schema does not compile: {err}"))
        })
    }

    fn tape(&self) -> Option<&Validator<TapeJson>> {
        self.tape
            .get_or_init(|| options::<TapeJson>().build(&self.schema).ok())
            .as_ref()
    }
}

/// The compiled schemas of one catalog: a validator per event type and the any-event one.
pub struct Catalog {
    any_event: Compiled,
    by_type: BTreeMap<String, Compiled>,
    policy: UnknownFields,
    /// How many times a validator has gone over an event (the unit tests tell the engine's
    /// paths apart by it).
    #[cfg(test)]
    pub(crate) walks: std::sync::atomic::AtomicUsize,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("event_types", &self.by_type.keys().collect::<Vec<_>>())
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// Compiles a catalog from its files (paths relative to the catalog's folder, as in
    /// `schemas/`): `index.json` names the event types and their schema files.
    pub fn new(
        files: &BTreeMap<String, Value>,
        policy: UnknownFields,
    ) -> Result<Catalog, SchemaError> {
        Catalog::build(files, policy, true)
    }

    /// [`Catalog::new`] for the schemas this build's models generate ([`models_match`]), which
    /// are known to compile: each schema is read (its `$ref`s checked for loops, its objects
    /// closed under [`UnknownFields::Deny`]) but compiled only when an event first needs it, for
    /// `Value`s or for tapes. The engine reads the events its models refuse as tapes, so a run
    /// whose refusals all read as tapes never compiles the schemas for `Value`s (about 3 ms of
    /// a run with one refusal, issue 19).
    ///
    /// Errors: those of [`Catalog::new`] but the compilation's.
    pub(crate) fn deferred(
        files: &BTreeMap<String, Value>,
        policy: UnknownFields,
    ) -> Result<Catalog, SchemaError> {
        Catalog::build(files, policy, false)
    }

    /// Reads the catalog's index and prepares each schema, compiling them for `Value`s at once
    /// when `compile_now` says so.
    fn build(
        files: &BTreeMap<String, Value>,
        policy: UnknownFields,
        compile_now: bool,
    ) -> Result<Catalog, SchemaError> {
        let index = CatalogIndex::read(files).map_err(|err| {
            if err.message == opentact_events::catalog::MISSING {
                SchemaError::Missing { file: err.file }
            } else {
                SchemaError::Index {
                    file: err.file,
                    message: err.message,
                }
            }
        })?;
        let mut by_type = BTreeMap::new();
        for (name, entry) in &index.types {
            let compiled = compile(&entry.schema, &files[&entry.schema], policy, compile_now)?;
            by_type.insert(name.clone(), compiled);
        }
        let any_event = compile(
            &index.any_event,
            &files[&index.any_event],
            policy,
            compile_now,
        )?;
        Ok(Catalog {
            any_event,
            by_type,
            policy,
            #[cfg(test)]
            walks: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// How many of the catalog's schemas have been compiled for `Value`s (unit tests only).
    #[cfg(test)]
    pub(crate) fn compiled_for_values(&self) -> usize {
        std::iter::once(&self.any_event)
            .chain(self.by_type.values())
            .filter(|compiled| compiled.validator.get().is_some())
            .count()
    }

    /// Counts one walk of a validator over an event (unit tests only).
    fn walked(&self) {
        #[cfg(test)]
        self.walks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// The policy on unknown fields this catalog was compiled with.
    pub fn policy(&self) -> UnknownFields {
        self.policy
    }

    /// The event types the catalog knows, sorted.
    pub fn event_types(&self) -> impl Iterator<Item = &str> {
        self.by_type.keys().map(String::as_str)
    }

    /// Whether `event` keeps the contract; the fast path, with no report.
    pub fn is_valid(&self, event: &Value) -> bool {
        self.walked();
        self.compiled_for(event).1.validator().is_valid(event)
    }

    /// Validates `event`. When its `type` names a known event type, the report comes from that
    /// type's schema alone; otherwise from the any-event schema, which says what is wrong with
    /// `type`. Values in messages are shown as serde_json reads them; [`Catalog::validate_text`]
    /// shows them as written.
    pub fn validate(&self, event: &Value, values: Values) -> Report {
        self.report(event, None, values, Ask::Validate)
    }

    /// [`Catalog::validate`] for an event read from `text` (which must be the text it was parsed
    /// from): messages quote values as they were written (`1E2`, `18446744073709551616`).
    pub fn validate_text(&self, event: &Value, text: &str, values: Values) -> Report {
        self.report(event, Some(&Locator::new(text)), values, Ask::Validate)
    }

    /// The same report as [`Catalog::validate`], for an event that is most likely invalid (the
    /// models refused it): the schema's errors are collected at once, without first asking the
    /// validator the yes-or-no question that `validate` asks to make valid events cheap.
    pub fn explain(&self, event: &Value, values: Values) -> Report {
        self.report(event, None, values, Ask::Explain)
    }

    /// [`Catalog::explain`] for an event read from `text`, quoting values as they were written.
    pub fn explain_text(&self, event: &Value, text: &str, values: Values) -> Report {
        self.report(event, Some(&Locator::new(text)), values, Ask::Explain)
    }

    /// The report on `event`, quoting values from the text `text` indexes (the one `event` was
    /// parsed from) when there is one. The index is the caller's, so that whoever places the
    /// issues in the text next reads the containers it already read.
    pub(crate) fn report(
        &self,
        event: &Value,
        text: Option<&Locator<'_>>,
        values: Values,
        ask: Ask,
    ) -> Report {
        let (event_type, compiled) = self.compiled_for(event);
        let cx = (text, values, ask);
        self.report_on(compiled.validator(), event, compiled, event_type, cx)
    }

    /// [`Catalog::report`] on an event read as a [`Tape`] (the engine's path for the events the
    /// models refuse): the same report, without building a `Value`. `None` when the schema did
    /// not compile for tapes (see [`Compiled`]); the caller then reads the event as a `Value`.
    pub(crate) fn report_tape(
        &self,
        tape: &Tape<'_>,
        text: Option<&Locator<'_>>,
        values: Values,
        ask: Ask,
    ) -> Option<Report> {
        let (event_type, compiled, validator) = self.compiled_tape(tape)?;
        let cx = (text, values, ask);
        Some(self.report_on(validator, tape.root(), compiled, event_type, cx))
    }

    /// [`Catalog::report_tape`]'s verdict without the report: whether the event read as `tape`
    /// keeps the contract (one yes-or-no walk of its type's schema, no error collected), and its
    /// type as the catalog spells it when its `type` names a known one. `None` when the schema
    /// did not compile for tapes.
    pub(crate) fn is_valid_tape(&self, tape: &Tape<'_>) -> Option<(Option<&str>, bool)> {
        let (event_type, _, validator) = self.compiled_tape(tape)?;
        self.walked();
        Some((event_type, validator.is_valid(tape.root())))
    }

    /// The compiled schema for the event read as `tape` (its type's, or the any-event one, as
    /// [`Catalog::compiled_named`] chooses), with the type's name and the schema's compilation
    /// for tapes; `None` when the schema did not compile for tapes.
    fn compiled_tape(
        &self,
        tape: &Tape<'_>,
    ) -> Option<(Option<&str>, &Compiled, &Validator<TapeJson>)> {
        let name = tape
            .root()
            .as_object()
            .and_then(|event| event.members().find(|(key, _)| *key == "type"))
            .and_then(|(_, value)| value.as_string());
        let (event_type, compiled) = self.compiled_named(name.as_deref());
        Some((event_type, compiled, compiled.tape()?))
    }

    /// The report of `compiled`'s schema on `instance`, through `validator`, its compilation for
    /// the instance's representation (`Value`s or tapes): the yes-or-no question first when
    /// `ask` is [`Ask::Validate`], then every error, explained with the text `text` indexes.
    fn report_on<'i, F: Json>(
        &self,
        validator: &'i Validator<F>,
        instance: F::Node<'i>,
        compiled: &Compiled,
        event_type: Option<&str>,
        (text, values, ask): (Option<&Locator<'_>>, Values, Ask),
    ) -> Report {
        let event_type = event_type.map(str::to_owned);
        if ask == Ask::Validate {
            self.walked();
            if validator.is_valid(instance.clone()) {
                return Report {
                    event_type,
                    issues: Vec::new(),
                };
            }
        }
        self.walked();
        let context = crate::explain::Context {
            values,
            text,
            schema: &compiled.schema,
        };
        Report {
            event_type,
            issues: crate::explain::issues(validator.iter_errors(instance), context),
        }
    }

    fn compiled_for<'a>(&'a self, event: &'a Value) -> (Option<&'a str>, &'a Compiled) {
        self.compiled_named(event.get("type").and_then(Value::as_str))
    }

    /// The compiled schema for an event whose `type` is `name`: that type's, with its name as
    /// the catalog spells it, or the any-event schema's.
    fn compiled_named(&self, name: Option<&str>) -> (Option<&str>, &Compiled) {
        match name.and_then(|n| self.by_type.get_key_value(n)) {
            Some((name, compiled)) => (Some(name.as_str()), compiled),
            None => (None, &self.any_event),
        }
    }
}

/// Whether a report first asks the validator whether the event is valid at all (cheap for a
/// valid event), or collects its errors at once (for an event already known to be refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ask {
    Validate,
    Explain,
}

/// Whether a catalog's schema files (`index.json` and the files it names: companion documents
/// such as `asyncapi.json` are left out, see [`opentact_events::catalog::schema_files`]) are
/// exactly what this build's models generate (ignoring the embedded `examples`): only then may
/// the models stand in for the schemas.
pub fn models_match(files: &BTreeMap<String, Value>) -> bool {
    let Ok(fresh) = opentact_events::schema::generate_values(&BTreeMap::new()) else {
        return false;
    };
    let files = opentact_events::catalog::schema_files_borrowed(files);
    fresh.len() == files.len()
        && fresh.iter().all(|(path, generated)| {
            files
                .get(path.as_str())
                .is_some_and(|committed| equal_but_examples(committed, generated))
        })
}

/// Whether two documents are equal but for a top-level `examples` member in either.
fn equal_but_examples(a: &Value, b: &Value) -> bool {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            let members = |map: &'_ serde_json::Map<String, Value>| {
                map.iter().filter(|(key, _)| *key != "examples").count()
            };
            members(a) == members(b)
                && a.iter()
                    .filter(|(key, _)| *key != "examples")
                    .all(|(key, value)| b.get(key) == Some(value))
        }
        _ => a == b,
    }
}

/// Compiles one schema under the contract's rules: formats are assertions, an unknown format
/// is an error, patterns use the linear-time `regex` engine, and no `$ref` is ever fetched.
/// With `UnknownFields::Deny`, the published schema is closed first. Returns the validator and
/// the document it was compiled from; with `compile_now` false, the document only, compiled on
/// first use ([`Catalog::deferred`]).
fn compile_schema(
    schema: &Value,
    policy: UnknownFields,
    compile_now: bool,
) -> Result<Compiled, String> {
    // A `$ref` loop that makes no progress compiles, and then accepts everything: refused here.
    crate::refs::check_loops(schema)?;
    let mut schema = schema.clone();
    if policy == UnknownFields::Deny {
        close_objects(&mut schema);
    }
    let validator = OnceLock::new();
    if compile_now {
        let compiled = options::<SerdeJson>()
            .build(&schema)
            .map_err(|err| err.to_string())?;
        let _ = validator.set(compiled);
    }
    Ok(Compiled {
        validator,
        tape: OnceLock::new(),
        schema,
    })
}

fn compile(
    file: &str,
    schema: &Value,
    policy: UnknownFields,
    compile_now: bool,
) -> Result<Compiled, SchemaError> {
    compile_schema(schema, policy, compile_now).map_err(|message| SchemaError::Compile {
        file: file.to_owned(),
        message,
    })
}

/// The allowed string closest to a refused string, when it is close enough to be what was
/// meant (reliability.md D4): the same but for case, or at most two edits away (Damerau-
/// Levenshtein: a typo, a swap, a missing letter) and less than a third of the option's length.
/// Never folds case silently: the value stays invalid; the hint only names the likely fix.
pub fn suggestion<'a>(value: &Value, options: &'a [Value]) -> Option<&'a str> {
    let value = value.as_str()?;
    let options = options.iter().filter_map(Value::as_str);
    let mut best: Option<(usize, &str)> = None;
    for option in options {
        let distance = if option.to_lowercase() == value.to_lowercase() {
            0
        } else {
            strsim::damerau_levenshtein(value, option)
        };
        let close = distance == 0 || (distance <= 2 && distance * 3 < option.chars().count());
        if close && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, option));
        }
    }
    best.map(|(_, option)| option)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    fn committed() -> BTreeMap<String, Value> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        crate::files::read_catalog(&dir).expect("schemas/ reads")
    }

    /// A file the index names and the catalog lacks is `Missing`, a broken index is `Index`,
    /// a schema that does not compile is `Compile`: whether the catalog compiles at once or
    /// on need (which reads the index and every file all the same).
    #[test]
    fn a_catalog_that_cannot_load_says_why() {
        let files = committed();
        let without = |file: &str| {
            let mut files = files.clone();
            files.remove(file);
            files
        };
        let mut broken = files.clone();
        broken.insert("index.json".into(), json!({"types": 12}));
        let mut uncompilable = files.clone();
        uncompilable.insert("auth.json".into(), json!({"type": 12}));
        for compile_now in [true, false] {
            let load = |files: &BTreeMap<String, Value>| {
                Catalog::build(files, UnknownFields::Deny, compile_now).err()
            };
            assert_eq!(
                load(&without("auth.json")),
                Some(SchemaError::Missing {
                    file: "auth.json".into()
                })
            );
            assert_eq!(
                load(&without("index.json")),
                Some(SchemaError::Missing {
                    file: "index.json".into()
                })
            );
            assert!(
                matches!(load(&broken), Some(SchemaError::Index { file, .. }) if file == "index.json"),
                "{:?}",
                load(&broken)
            );
            let compiled = load(&uncompilable);
            if compile_now {
                assert!(
                    matches!(&compiled, Some(SchemaError::Compile { file, .. }) if file == "auth.json"),
                    "{compiled:?}"
                );
            } else {
                // Compiled on need: only the models' own schemas are deferred, which compile.
                assert_eq!(compiled, None);
            }
            assert_eq!(load(&files), None);
        }
    }

    #[test]
    fn the_models_match_their_catalog_but_for_its_examples() {
        let files = committed();
        assert!(models_match(&files));
        let with = |change: &dyn Fn(&mut BTreeMap<String, Value>)| {
            let mut files = files.clone();
            change(&mut files);
            models_match(&files)
        };
        let call = "call_state.json";
        // A schema's own examples are left out, whether changed, added or removed.
        assert!(with(
            &|f| f.get_mut(call).expect("a call")["examples"] = json!([{}])
        ));
        assert!(with(&|f| {
            f.get_mut(call)
                .and_then(Value::as_object_mut)
                .map(|schema| schema.remove("examples"));
        }));
        assert!(with(
            &|f| f.get_mut("index.json").expect("an index")["examples"] = json!([])
        ));
        // Anything else is not.
        assert!(!with(
            &|f| f.get_mut(call).expect("a call")["title"] = json!("x")
        ));
        assert!(!with(
            &|f| f.get_mut(call).expect("a call")["x-extra"] = json!(1)
        ));
        assert!(!with(&|f| {
            f.get_mut(call)
                .and_then(Value::as_object_mut)
                .map(|schema| schema.remove("title"));
        }));
        assert!(!with(&|f| {
            f.get_mut(call).expect("a call")["properties"]["examples"] = json!(true);
        }));
        assert!(!with(&|f| *f.get_mut(call).expect("a call") = json!([])));
        assert!(!with(&|f| {
            f.remove(call);
        }));
        assert!(!with(&|f| {
            let schema = f[call].clone();
            f.insert("extra.json".into(), schema);
            f.get_mut("index.json").expect("an index")["events"]
                .as_array_mut()
                .expect("events")
                .push(json!({ "type": "extra", "schema": "extra.json" }));
        }));
    }

    #[test]
    fn documents_are_compared_member_by_member() {
        let a = json!({ "a": 1, "examples": [1] });
        assert!(equal_but_examples(&a, &json!({ "a": 1 })));
        assert!(equal_but_examples(&json!({ "a": 1 }), &a));
        assert!(!equal_but_examples(&a, &json!({ "a": 2 })));
        assert!(!equal_but_examples(&a, &json!({ "b": 1 })));
        assert!(!equal_but_examples(&a, &json!({ "a": 1, "b": 1 })));
        assert!(!equal_but_examples(&json!({ "a": 1, "b": 1 }), &a));
        assert!(!equal_but_examples(&a, &json!([1])));
        assert!(equal_but_examples(&json!([1]), &json!([1])));
        assert!(!equal_but_examples(&json!([1]), &json!([2])));
    }
}
