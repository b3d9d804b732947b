//! Validation of events against the published schemas, with reports that say where and what.

use std::collections::BTreeMap;
use std::fmt;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{PatternOptions, ValidationError, Validator};
use opentact_events::catalog::CatalogIndex;
use opentact_events::json::pointer::child;
use opentact_events::schema::close_objects;
use serde_json::Value;

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

/// One thing wrong with an event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    /// JSON Pointer into the event. For a missing, unknown or forbidden key it names the key.
    pub pointer: String,
    /// A short, stable name for the kind of problem (see [`Kind`]).
    pub kind: Kind,
    /// What is wrong, lower-case, naming what was expected and what was found.
    pub message: String,
    /// Where in the schema the broken rule is (a JSON Pointer into the schema).
    pub schema_path: String,
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
            Kind::AnyOf => "a value matching none of the alternatives",
            Kind::Other => "a value the schema refuses",
        }
    }

    /// Every kind.
    pub const ALL: [Kind; 12] = [
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

/// The compiled schemas of one catalog: a validator per event type and the any-event one.
pub struct Catalog {
    any_event: Validator,
    by_type: BTreeMap<String, Validator>,
    policy: UnknownFields,
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
            let validator = compile(&entry.schema, &files[&entry.schema], policy)?;
            by_type.insert(name.clone(), validator);
        }
        let any_event = compile(&index.any_event, &files[&index.any_event], policy)?;
        Ok(Catalog {
            any_event,
            by_type,
            policy,
        })
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
        self.validator_for(event).1.is_valid(event)
    }

    /// Validates `event`. When its `type` names a known event type, the report comes from that
    /// type's schema alone; otherwise from the any-event schema, which says what is wrong with
    /// `type`.
    pub fn validate(&self, event: &Value, values: Values) -> Report {
        let (event_type, validator) = self.validator_for(event);
        if validator.is_valid(event) {
            return Report {
                event_type: event_type.map(str::to_owned),
                issues: Vec::new(),
            };
        }
        self.explain(event, values)
    }

    /// The same report as [`Catalog::validate`], for an event that is most likely invalid (the
    /// models refused it): the schema's errors are collected at once, without first asking the
    /// validator the yes-or-no question that `validate` asks to make valid events cheap.
    pub fn explain(&self, event: &Value, values: Values) -> Report {
        let (event_type, validator) = self.validator_for(event);
        let mut issues = Vec::new();
        for error in validator.iter_errors(event) {
            push_issues(&mut issues, &error, values);
        }
        // A value of the wrong type is also, necessarily, not one of an enum's strings: the
        // second message adds nothing.
        let typed: Vec<String> = issues
            .iter()
            .filter(|i| i.kind == Kind::Type)
            .map(|i| i.pointer.clone())
            .collect();
        issues.retain(|i| {
            !(matches!(i.kind, Kind::Enum | Kind::Const) && typed.contains(&i.pointer))
        });
        issues.sort_by(|a, b| {
            (&a.pointer, a.kind, &a.message).cmp(&(&b.pointer, b.kind, &b.message))
        });
        // The same problem found through two paths of the schema (the any-event schema checks
        // the top level in three places) is one problem to the reader.
        issues
            .dedup_by(|a, b| a.pointer == b.pointer && a.kind == b.kind && a.message == b.message);
        Report {
            event_type: event_type.map(str::to_owned),
            issues,
        }
    }

    fn validator_for<'a>(&'a self, event: &'a Value) -> (Option<&'a str>, &'a Validator) {
        let name = event.get("type").and_then(Value::as_str);
        match name.and_then(|n| self.by_type.get_key_value(n)) {
            Some((name, validator)) => (Some(name.as_str()), validator),
            None => (None, &self.any_event),
        }
    }
}

/// Whether a catalog's files are exactly what this build's models generate (ignoring the
/// embedded `examples`): only then may the models stand in for the schemas.
pub fn models_match(files: &BTreeMap<String, Value>) -> bool {
    let Ok(fresh) = opentact_events::schema::generate(&BTreeMap::new()) else {
        return false;
    };
    fresh.len() == files.len()
        && fresh.iter().all(|file| {
            let Ok(generated) = serde_json::from_str::<Value>(&file.contents) else {
                return false;
            };
            files.get(&file.path).is_some_and(|committed| {
                let mut committed = committed.clone();
                if let Some(map) = committed.as_object_mut() {
                    map.remove("examples");
                }
                committed == generated
            })
        })
}

/// Compiles one schema under the contract's rules: formats are assertions, an unknown format
/// is an error, patterns use the linear-time `regex` engine, and no `$ref` is ever fetched.
/// With `UnknownFields::Deny`, the published schema is closed first.
pub(crate) fn compile_schema(schema: &Value, policy: UnknownFields) -> Result<Validator, String> {
    // A `$ref` loop that makes no progress compiles, and then accepts everything: refused here.
    crate::refs::check_loops(schema)?;
    let mut schema = schema.clone();
    if policy == UnknownFields::Deny {
        close_objects(&mut schema);
    }
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_pattern_options(PatternOptions::regex())
        .offline()
        .build(&schema)
        .map_err(|err| err.to_string())
}

fn compile(file: &str, schema: &Value, policy: UnknownFields) -> Result<Validator, SchemaError> {
    compile_schema(schema, policy).map_err(|message| SchemaError::Compile {
        file: file.to_owned(),
        message,
    })
}

fn push_issues(issues: &mut Vec<Issue>, error: &ValidationError<'_>, values: Values) {
    let pointer = error.instance_path().as_str().to_owned();
    let schema_path = error.schema_path().as_str().to_owned();
    let instance = error.instance();
    let show = |v: &Value| show_value(v, values);
    let mut push = |pointer: String, kind: Kind, message: String| {
        issues.push(Issue {
            pointer,
            kind,
            message,
            schema_path: schema_path.clone(),
        });
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            push(
                child(&pointer, key),
                Kind::Required,
                format!("missing required key `{key}`"),
            );
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for key in unexpected {
                push(
                    child(&pointer, key),
                    Kind::UnknownField,
                    format!("unknown key `{key}`: the contract does not list it"),
                );
            }
        }
        ValidationErrorKind::FalseSchema => {
            push(
                pointer,
                Kind::Forbidden,
                "this key must be absent here".into(),
            );
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            push(
                pointer,
                Kind::Type,
                format!("expected {expected}, found {}", describe(instance, values)),
            );
        }
        ValidationErrorKind::Enum { options } => {
            let options = options.as_array().map(Vec::as_slice).unwrap_or_default();
            let allowed = options
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let hint = match (values, suggestion(instance, options)) {
                (Values::Show, Some(near)) => format!("; did you mean \"{near}\"?"),
                _ => String::new(),
            };
            push(
                pointer,
                Kind::Enum,
                format!("expected one of {allowed}, found {}{hint}", show(instance)),
            );
        }
        ValidationErrorKind::Constant { expected_value } => push(
            pointer,
            Kind::Const,
            format!("expected {expected_value}, found {}", show(instance)),
        ),
        ValidationErrorKind::Format { format } => push(
            pointer,
            Kind::Format,
            format!("expected a valid `{format}`, found {}", show(instance)),
        ),
        ValidationErrorKind::Pattern { pattern } => push(
            pointer,
            Kind::Pattern,
            format!(
                "expected a string matching `{pattern}`, found {}",
                show(instance)
            ),
        ),
        ValidationErrorKind::MinLength { limit } => push(
            pointer,
            Kind::Length,
            format!(
                "expected at least {limit} characters, found {}",
                show(instance)
            ),
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            pointer,
            Kind::Length,
            format!(
                "expected at most {limit} characters, found {}",
                show(instance)
            ),
        ),
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            push(
                pointer,
                Kind::Range,
                format!(
                    "expected a number no less than {limit}, found {}",
                    show(instance)
                ),
            );
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            push(
                pointer,
                Kind::Range,
                format!(
                    "expected a number no greater than {limit}, found {}",
                    show(instance)
                ),
            );
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // Branches the value is not even the type of (`null` for a nullable field) say
            // nothing useful; when one branch is left, its errors are the real ones.
            let relevant: Vec<&Vec<ValidationError<'static>>> = context
                .iter()
                .filter(|branch| {
                    !branch.iter().all(|e| {
                        matches!(e.kind(), ValidationErrorKind::Type { .. })
                            && e.instance_path() == error.instance_path()
                    })
                })
                .collect();
            if let [branch] = relevant[..] {
                for e in branch {
                    push_issues(issues, e, values);
                }
                return;
            }
            // Otherwise say briefly what each alternative wanted: "a valid `ipv4` or a valid
            // `ipv6`".
            let mut wanted: Vec<String> = Vec::new();
            for branch in context {
                let mut sub = Vec::new();
                for e in branch {
                    push_issues(&mut sub, e, Values::Mask);
                }
                let text = sub
                    .iter()
                    .map(|i| {
                        let m = i.message.strip_prefix("expected ").unwrap_or(&i.message);
                        m.strip_suffix(", found a value").unwrap_or(m).to_owned()
                    })
                    .collect::<Vec<_>>()
                    .join(" and ");
                if !text.is_empty() && !wanted.contains(&text) {
                    wanted.push(text);
                }
            }
            push(
                pointer,
                Kind::AnyOf,
                format!("expected {}, found {}", wanted.join(" or "), show(instance)),
            );
        }
        _ => push(
            pointer,
            Kind::Other,
            match values {
                Values::Show => error.to_string(),
                Values::Mask => error.masked().to_string(),
            },
        ),
    }
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

/// A value for a message: quoted and shortened, or masked.
pub fn show_value(value: &Value, values: Values) -> String {
    match values {
        Values::Mask => "a value".into(),
        Values::Show => {
            let text = value.to_string();
            if text.chars().count() > 60 {
                let short: String = text.chars().take(57).collect();
                format!("{short}...")
            } else {
                text
            }
        }
    }
}

/// A value's JSON type, with the value itself when shown.
fn describe(value: &Value, values: Values) -> String {
    let kind = match value {
        Value::Null => return "null".into(),
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    match (values, value) {
        (Values::Mask, _) | (_, Value::Array(_) | Value::Object(_)) => kind.into(),
        (Values::Show, _) => format!("{kind} {}", show_value(value, values)),
    }
}
