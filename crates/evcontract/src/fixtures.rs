//! The fixture checks: valid fixtures pass the schema and the model and round-trip; invalid
//! fixtures fail both, with exactly the errors recorded next to them.
//!
//! Layout (relative to `fixtures/`): `valid/<type>/<name>.json`, and
//! `invalid/<type>/<name>.json` with `invalid/<type>/<name>.expect`, where `<type>` is an event
//! type, or `any` for events whose `type` itself is wrong. An `.expect` file holds `#` comment
//! lines (the first says what the one fault is) and one line per expected schema error: the
//! JSON Pointer as a JSON string, then the kind, e.g. `"/call/uuid" format`.

use std::collections::BTreeMap;
use std::fmt;

use opentact_events::EventType;
use serde_json::Value;

use opentact_events::Event;

use crate::contract::json_equal;
use crate::engine::{Checked, Engine};
use crate::locate::Locator;
use crate::parse::parse;
use crate::validate::{Issue, Kind};

/// The folder for invalid fixtures whose `type` is itself the fault.
pub const ANY_TYPE_FOLDER: &str = "any";

/// The folder of the older (2022) format's fixtures, checked against its own release and
/// models (see its README), not as fixtures of the current format.
pub const FORMAT_2022_FOLDER: &str = "2022";

/// A fixture and what it must do.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Path relative to `fixtures/`, with `/` separators.
    pub path: String,
    /// The event's bytes.
    pub bytes: Vec<u8>,
    /// The folder's event type (`any` for the any-type folder).
    pub folder_type: String,
    /// `None` for a valid fixture; the recorded errors for an invalid one.
    pub expected: Option<Expectation>,
}

/// What an invalid fixture must produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The comment lines, joined: what the single fault is.
    pub description: String,
    /// The schema errors, as (pointer, kind), sorted.
    pub errors: Vec<(String, Kind)>,
}

/// Something wrong found by a fixture check, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to `fixtures/`.
    pub path: String,
    /// 1-based line in that file, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// JSON Pointer into the event, where it applies.
    pub pointer: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(pointer) = &self.pointer {
            write!(f, ": at `{pointer}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl Problem {
    fn file(path: &str, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_owned(),
            line: None,
            column: None,
            pointer: None,
            message: message.into(),
        }
    }

    fn at(path: &str, text: &Locator<'_>, pointer: &str, message: impl Into<String>) -> Problem {
        let span = text.locate(pointer);
        Problem {
            path: path.to_owned(),
            line: span.as_ref().map(|s| s.line),
            column: span.as_ref().map(|s| s.column),
            pointer: Some(pointer.to_owned()),
            message: message.into(),
        }
    }
}

/// Reads an `.expect` file.
pub fn parse_expectation(text: &str) -> Result<Expectation, String> {
    let mut description = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(comment) = line.strip_prefix('#') {
            description.push(comment.trim().to_owned());
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let fail = |what: &str| format!("line {}: {what}: `{line}`", n + 1);
        let mut stream = serde_json::Deserializer::from_str(line).into_iter::<String>();
        let pointer = match stream.next() {
            Some(Ok(pointer)) if pointer.is_empty() || pointer.starts_with('/') => pointer,
            _ => {
                return Err(fail(
                    "expected a JSON Pointer as a JSON string, then a kind",
                ));
            }
        };
        let kind_name = line[stream.byte_offset()..].trim();
        let kind = Kind::from_name(kind_name).ok_or_else(|| {
            fail(&format!(
                "unknown kind `{kind_name}`, expected one of {}",
                Kind::ALL.map(Kind::as_str).join(", ")
            ))
        })?;
        errors.push((pointer, kind));
    }
    if description.is_empty() {
        return Err("line 1: expected a `#` comment saying what the fault is".into());
    }
    if errors.is_empty() {
        return Err("expected at least one `\"pointer\" kind` line".into());
    }
    errors.sort();
    Ok(Expectation {
        description: description.join(" "),
        errors,
    })
}

/// Pairs the files of a fixture tree (paths relative to `fixtures/`) into fixtures, and says
/// what does not fit the layout: nothing in the tree is skipped in silence.
pub fn collect(files: Vec<(String, Vec<u8>)>) -> (Vec<Fixture>, Vec<Problem>) {
    let mut fixtures = Vec::new();
    let mut problems = Vec::new();
    let mut expects: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut events = Vec::new();
    for (path, bytes) in files {
        if path.starts_with(&format!("{FORMAT_2022_FOLDER}/")) {
            continue;
        }
        if path.ends_with(".expect") {
            expects.insert(path, bytes);
        } else if path.ends_with(".json") {
            events.push((path, bytes));
        } else if !path.ends_with("README.md") {
            problems.push(Problem::file(
                &path,
                "not a fixture: expected `.json` events and `.expect` files",
            ));
        }
    }
    for (path, bytes) in events {
        let parts: Vec<String> = path.split('/').map(str::to_owned).collect();
        let [group, folder_type, _name] = &parts[..] else {
            problems.push(Problem::file(
                &path,
                "fixtures go in valid/<type>/ or invalid/<type>/",
            ));
            continue;
        };
        let (group, folder_type) = (group.as_str(), folder_type.as_str());
        let known = EventType::from_name(folder_type).is_some()
            || (group == "invalid" && folder_type == ANY_TYPE_FOLDER);
        if !known {
            problems.push(Problem::file(
                &path,
                format!("`{folder_type}` is not an event type"),
            ));
            continue;
        }
        let expect_path = format!("{}.expect", path.trim_end_matches(".json"));
        let expected = match (group, expects.remove(&expect_path)) {
            ("valid", None) => None,
            ("valid", Some(_)) => {
                problems.push(Problem::file(
                    &expect_path,
                    "a valid fixture has no expected errors",
                ));
                None
            }
            ("invalid", Some(text)) => match parse_expectation(&String::from_utf8_lossy(&text)) {
                Ok(expectation) => Some(expectation),
                Err(message) => {
                    problems.push(Problem::file(&expect_path, message));
                    continue;
                }
            },
            ("invalid", None) => {
                problems.push(Problem::file(
                    &path,
                    format!("an invalid fixture needs its expected errors in {expect_path}"),
                ));
                continue;
            }
            _ => {
                problems.push(Problem::file(&path, "fixtures go in valid/ or invalid/"));
                continue;
            }
        };
        fixtures.push(Fixture {
            path,
            bytes,
            folder_type: folder_type.to_owned(),
            expected,
        });
    }
    for orphan in expects.into_keys() {
        problems.push(Problem::file(&orphan, "no fixture goes with this file"));
    }
    (fixtures, problems)
}

/// The outcome of checking one fixture: what went wrong, and the reports it produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Broken expectations; empty when the fixture does what it must.
    pub problems: Vec<Problem>,
    /// The schema's issues with the event (empty for a valid fixture that passes).
    pub issues: Vec<Issue>,
    /// The model's refusal, as (pointer, message), if it refused.
    pub model_error: Option<(String, String)>,
}

/// Checks one fixture with the engine `evschema` uses (its catalog compiled with unknown fields
/// denied), and with the model read both ways (from the parsed value and straight from the
/// bytes): all must give the fixture's verdict.
pub fn check(fixture: &Fixture, engine: &Engine) -> Outcome {
    let path = fixture.path.as_str();
    let text = String::from_utf8_lossy(&fixture.bytes);
    // One locator for all the fixture's problems: a walk from the start for each would be
    // quadratic in them.
    let text = Locator::new(&text);
    let mut problems = Vec::new();
    let event = match parse(&fixture.bytes) {
        Ok(event) => event,
        Err(err) => {
            problems.push(Problem {
                path: path.to_owned(),
                line: Some(err.line),
                column: Some(err.column),
                pointer: None,
                message: format!("not an event: {}", err.message),
            });
            return Outcome {
                problems,
                issues: Vec::new(),
                model_error: None,
            };
        }
    };
    let checked = engine.check(&fixture.bytes);
    let full = engine.check_full(&fixture.bytes);
    if checked != full {
        problems.push(Problem::file(
            path,
            format!("the engine's fast path and the schema disagree: {checked:?} vs {full:?}"),
        ));
    }
    let issues = match &full {
        Checked::Invalid { issues, .. } => issues.clone(),
        Checked::Valid { .. } | Checked::Unparsable(_) => Vec::new(),
    };
    let model = Event::from_value(event.clone());
    if model.is_ok() != Event::from_slice(&fixture.bytes).is_ok() {
        problems.push(Problem::file(
            path,
            "the model read from the bytes and from the parsed value disagree",
        ));
    }
    let verdict = crate::contract::Verdict {
        report: crate::validate::Report {
            event_type: None,
            issues,
        },
        model,
    };
    let model_error = verdict
        .model
        .as_ref()
        .err()
        .map(|e| (e.pointer.clone(), e.message.clone()));

    match &fixture.expected {
        None => {
            for issue in &verdict.report.issues {
                problems.push(Problem::at(
                    path,
                    &text,
                    &issue.pointer,
                    format!(
                        "the schema refuses a valid fixture ({}): {}",
                        issue.kind, issue.message
                    ),
                ));
            }
            match &verdict.model {
                Err(err) => problems.push(Problem::at(
                    path,
                    &text,
                    &err.pointer,
                    format!("the model refuses a valid fixture: {}", err.message),
                )),
                Ok(model) => {
                    if model.event_type().as_str() != fixture.folder_type {
                        problems.push(Problem::at(
                            path,
                            &text,
                            "/type",
                            format!(
                                "a `{}` event in the folder of `{}`",
                                model.event_type(),
                                fixture.folder_type
                            ),
                        ));
                    }
                    let back = serde_json::to_value(model)
                        .expect("the model's types always serialize to JSON");
                    if !json_equal(&back, &event) {
                        let pointer = first_difference(&event, &back);
                        problems.push(Problem::at(
                            path,
                            &text,
                            &pointer,
                            format!(
                                "does not round-trip: the model writes {} here",
                                back.pointer(&pointer)
                                    .map_or_else(|| "nothing".to_owned(), Value::to_string)
                            ),
                        ));
                    }
                }
            }
        }
        Some(expected) => {
            let mut got: Vec<(String, Kind)> = verdict
                .report
                .issues
                .iter()
                .map(|i| (i.pointer.clone(), i.kind))
                .collect();
            got.sort();
            got.dedup();
            let mut wanted = expected.errors.clone();
            wanted.sort();
            for (pointer, kind) in &expected.errors {
                if got.binary_search(&(pointer.clone(), *kind)).is_err() {
                    problems.push(Problem::at(
                        path,
                        &text,
                        pointer,
                        format!("expected a `{kind}` error from the schema here, got none"),
                    ));
                }
            }
            for issue in &verdict.report.issues {
                if wanted
                    .binary_search(&(issue.pointer.clone(), issue.kind))
                    .is_err()
                {
                    problems.push(Problem::at(
                        path,
                        &text,
                        &issue.pointer,
                        format!(
                            "unexpected `{}` error from the schema: {}",
                            issue.kind, issue.message
                        ),
                    ));
                }
            }
            match &verdict.model {
                Ok(_) => problems.push(Problem::file(
                    path,
                    "the model accepts an invalid fixture (the schema and the model disagree)",
                )),
                Err(err) => {
                    if !expected.errors.iter().any(|(p, _)| *p == err.pointer) {
                        problems.push(Problem::at(
                            path,
                            &text,
                            &err.pointer,
                            format!(
                                "the model refuses it at a pointer the schema does not name: {}",
                                err.message
                            ),
                        ));
                    }
                }
            }
        }
    }
    Outcome {
        problems,
        issues: verdict.report.issues,
        model_error,
    }
}

/// The first pointer at which two JSON values differ (by [`json_equal`]).
pub fn first_difference(a: &Value, b: &Value) -> String {
    fn walk(a: &Value, b: &Value, pointer: &mut String) -> bool {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                for key in keys {
                    let len = pointer.len();
                    opentact_events::json::pointer::push_token(pointer, key);
                    match (x.get(key), y.get(key)) {
                        (Some(v), Some(w)) => {
                            if walk(v, w, pointer) {
                                return true;
                            }
                        }
                        _ => return true,
                    }
                    pointer.truncate(len);
                }
                false
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    if walk(v, w, pointer) {
                        return true;
                    }
                    pointer.truncate(len);
                }
                false
            }
            _ => !json_equal(a, b),
        }
    }
    let mut pointer = String::new();
    walk(a, b, &mut pointer);
    pointer
}

/// A stable, human-readable rendering of an outcome's reports, for snapshots and for `cargo
/// xtask check --verbose`.
pub fn render_reports(fixture: &Fixture, outcome: &Outcome) -> String {
    let text = String::from_utf8_lossy(&fixture.bytes);
    let text = Locator::new(&text);
    let mut out = String::new();
    if let Some(expected) = &fixture.expected {
        out.push_str(&format!("# {}\n", expected.description));
    }
    for issue in &outcome.issues {
        let place = text
            .locate(&issue.pointer)
            .map(|s| format!("{}:{}", s.line, s.column))
            .unwrap_or_default();
        // One issue per fault; the keywords it failed, when more than one.
        let keywords = if issue.keywords.len() > 1 {
            format!(" ({})", issue.keywords.join(", "))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "schema {place} {:?} {}{keywords}: {}\n",
            issue.pointer, issue.kind, issue.message
        ));
    }
    if let Some((pointer, message)) = &outcome.model_error {
        out.push_str(&format!("model  {pointer:?}: {message}\n"));
    }
    out
}

/// The name prefix of the valid fixtures that are the platform's published examples, unchanged;
/// they are embedded in the schemas as `examples`.
pub const PLATFORM_PREFIX: &str = "platform-";

/// The platform's published examples among the fixtures, by event type, in path order.
pub fn platform_examples(fixtures: &[Fixture]) -> Result<BTreeMap<EventType, Vec<Value>>, Problem> {
    let mut examples: BTreeMap<EventType, Vec<Value>> = BTreeMap::new();
    for fixture in fixtures {
        let name = fixture.path.rsplit('/').next().unwrap_or_default();
        if fixture.expected.is_some() || !name.starts_with(PLATFORM_PREFIX) {
            continue;
        }
        let Some(event_type) = EventType::from_name(&fixture.folder_type) else {
            continue;
        };
        let value = parse(&fixture.bytes).map_err(|err| Problem {
            path: fixture.path.clone(),
            line: Some(err.line),
            column: Some(err.column),
            pointer: None,
            message: err.message,
        })?;
        examples.entry(event_type).or_default().push(value);
    }
    Ok(examples)
}
