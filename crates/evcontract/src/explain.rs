//! From the schema validator's errors to the issues a person reads: one issue per fault, in the
//! words of the field's shape, with values quoted as they were written and each rule across keys
//! saying when it applies.
//!
//! - A string that breaks its shape usually fails several keywords at once (a short `uuid`:
//!   `format`, `pattern` and `minLength`). Those failures of one subschema at one pointer are one
//!   issue, of the first kind among `format`, `pattern`, `length`, that lists every keyword that
//!   failed ([`Issue::keywords`]). When the subschema has a `title` (the models give every named
//!   scalar one, with an `examples` entry), the message says it in those words: "expected a UTC
//!   timestamp with milliseconds, like 2024-02-19T16:06:00.210Z, found ...".
//! - A key that must be absent, or is required, under an `if`/`then` (a call's transition
//!   timestamps) says the condition: "`answer_on` must be absent when `state` is \"init\"".
//! - Values are quoted from the event's text when it is known, so a number reads as it was
//!   written (`18446744073709551616`, `1E2`), never as the double it was read into.

use std::collections::BTreeMap;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use opentact_events::json::pointer::{child, push_index, push_token, unescape};
use serde_json::Value;

use crate::locate::Locator;
use crate::validate::{Issue, Kind, Values, suggestion};

/// What messages may draw on besides the error itself.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a, 't> {
    /// Whether values may be shown.
    pub values: Values,
    /// The event's text, when known (UTF-8: it parsed): values are quoted from it, found by
    /// one locator for all the event's issues (one walk per issue would be quadratic in them).
    pub text: Option<&'a Locator<'t>>,
    /// The schema document the validator was compiled from, for the words of a shape (`title`,
    /// `examples`) and the conditions of rules across keys.
    pub schema: &'a Value,
}

/// An issue on its way: what was expected and what was found, kept apart so that the issues of
/// one fault can be merged into one message.
struct Draft {
    issue: Issue,
    /// What the schema wanted, as a noun phrase ("a valid `uuid`", "at least 36 characters").
    want: String,
    /// The value as shown ("\"abc\"", "a value" when masked).
    found: String,
}

/// The issues of one event, from every error the validator found: merged per fault, sorted by
/// pointer and kind, without repeats.
pub(crate) fn issues<'e>(
    errors: impl Iterator<Item = ValidationError<'e>>,
    cx: Context<'_, '_>,
) -> Vec<Issue> {
    let mut drafts = Vec::new();
    for error in errors {
        push(&mut drafts, &error, cx);
    }
    // A value of the wrong type is also, necessarily, not one of an enum's strings: the second
    // message adds nothing.
    let typed: Vec<String> = drafts
        .iter()
        .filter(|d| d.issue.kind == Kind::Type)
        .map(|d| d.issue.pointer.clone())
        .collect();
    drafts.retain(|d| {
        !(matches!(d.issue.kind, Kind::Enum | Kind::Const) && typed.contains(&d.issue.pointer))
    });
    let mut issues = merge_shapes(drafts, cx);
    sort(&mut issues);
    issues
}

/// Sorts issues by pointer, kind and message, and drops repeats: the same problem found through
/// two paths of the schema (the any-event schema checks the top level in three places) is one
/// problem to the reader.
pub(crate) fn sort(issues: &mut Vec<Issue>) {
    issues.sort_by(|a, b| (&a.pointer, a.kind, &a.message).cmp(&(&b.pointer, b.kind, &b.message)));
    issues.dedup_by(|a, b| a.pointer == b.pointer && a.kind == b.kind && a.message == b.message);
}

/// The kinds a string's shape fails with, in the order that names the fault.
const SHAPE: [Kind; 3] = [Kind::Format, Kind::Pattern, Kind::Length];

/// Merges the shape failures of one subschema at one pointer into one issue.
fn merge_shapes(mut drafts: Vec<Draft>, cx: Context<'_, '_>) -> Vec<Issue> {
    drafts.sort_by(|a, b| {
        (&a.issue.pointer, a.issue.kind, &a.issue.message).cmp(&(
            &b.issue.pointer,
            b.issue.kind,
            &b.issue.message,
        ))
    });
    let mut issues: Vec<Issue> = Vec::with_capacity(drafts.len());
    let mut group: Vec<Draft> = Vec::new();
    for draft in drafts {
        let joins = group.first().is_some_and(|first| {
            SHAPE.contains(&draft.issue.kind)
                && first.issue.pointer == draft.issue.pointer
                && parent(&first.issue.schema_path) == parent(&draft.issue.schema_path)
        });
        if !joins && !group.is_empty() {
            issues.push(shape_issue(std::mem::take(&mut group), cx));
        }
        if SHAPE.contains(&draft.issue.kind) {
            group.push(draft);
        } else {
            issues.push(draft.issue);
        }
    }
    if !group.is_empty() {
        issues.push(shape_issue(group, cx));
    }
    issues
}

/// One issue for the shape failures of one value (`group` is sorted by kind, never empty).
fn shape_issue(group: Vec<Draft>, cx: Context<'_, '_>) -> Issue {
    let first = &group[0];
    let subschema = cx.schema.pointer(parent(&first.issue.schema_path));
    let mut keywords: Vec<String> = Vec::new();
    let mut wants: Vec<&str> = Vec::new();
    for draft in &group {
        for keyword in &draft.issue.keywords {
            if !keywords.contains(keyword) {
                keywords.push(keyword.clone());
            }
        }
        if !wants.contains(&draft.want.as_str()) {
            wants.push(&draft.want);
        }
    }
    let message = match subschema.and_then(shape_words) {
        Some(words) => {
            // Only the format failed: the text has the shape's form, but is no real value of
            // its format (a 30 February).
            let only_format = group.iter().all(|d| d.issue.kind == Kind::Format);
            let not_real = match subschema
                .and_then(|s| s.get("format"))
                .and_then(Value::as_str)
            {
                Some(format) if only_format => format!(", which is not a valid `{format}`"),
                _ => String::new(),
            };
            format!("expected {words}, found {}{not_real}", first.found)
        }
        None => format!("expected {}, found {}", wants.join(" and "), first.found),
    };
    Issue {
        pointer: first.issue.pointer.clone(),
        kind: first.issue.kind,
        message,
        schema_path: first.issue.schema_path.clone(),
        keywords,
    }
}

/// A shape in words, from a subschema's `title` and first `examples` entry: "a UTC timestamp
/// with milliseconds, like 2024-02-19T16:06:00.210Z".
pub fn shape_words(subschema: &Value) -> Option<String> {
    let title = subschema.get("title")?.as_str()?;
    Some(
        match subschema
            .get("examples")
            .and_then(|e| e.get(0))
            .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_owned))
        {
            Some(example) => format!("{title}, like {example}"),
            None => title.to_owned(),
        },
    )
}

/// The schema location a keyword's location is in (`/$defs/Uuid/format` → `/$defs/Uuid`).
fn parent(schema_path: &str) -> &str {
    schema_path
        .rsplit_once('/')
        .map_or("", |(parent, _)| parent)
}

/// The keyword an error is about, as the schema spells it (`false` for a `false` schema).
fn keyword(error: &ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::FalseSchema => "false".into(),
        kind => kind.keyword().to_owned(),
    }
}

fn push(drafts: &mut Vec<Draft>, error: &ValidationError<'_>, cx: Context<'_, '_>) {
    let pointer = error.instance_path().as_str().to_owned();
    let schema_path = error.schema_path().as_str().to_owned();
    // Read only where a message needs it: the value may be the whole event, and an instance
    // read from a tape is parsed from its text when asked for.
    let instance = || error.instance().as_ref();
    let found = || show(&pointer, instance, cx);
    let keywords = vec![keyword(error)];
    let mut add = |pointer: String, kind: Kind, want: String, message: String, found: String| {
        drafts.push(Draft {
            issue: Issue {
                pointer,
                kind,
                message,
                schema_path: schema_path.clone(),
                keywords: keywords.clone(),
            },
            want,
            found,
        });
    };
    let expected = |want: &str, found: &str| format!("expected {want}, found {found}");
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            let when = condition(&schema_path, cx)
                .map(|c| format!(", required when {c}"))
                .unwrap_or_default();
            let message = format!("missing required key `{key}`{when}");
            add(
                child(&pointer, key),
                Kind::Required,
                message.clone(),
                message,
                String::new(),
            );
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for key in unexpected {
                let message = format!("unknown key `{key}`: the contract does not list it");
                add(
                    child(&pointer, key),
                    Kind::UnknownField,
                    message.clone(),
                    message,
                    String::new(),
                );
            }
        }
        ValidationErrorKind::FalseSchema => {
            let key = pointer.rsplit_once('/').map(|(_, token)| unescape(token));
            let message = match (key, condition(&schema_path, cx)) {
                (Some(key), Some(when)) => format!("`{key}` must be absent when {when}"),
                (Some(key), None) => format!("`{key}` must be absent here"),
                (None, _) => "no value is allowed here".into(),
            };
            add(
                pointer,
                Kind::Forbidden,
                message.clone(),
                message,
                String::new(),
            );
        }
        ValidationErrorKind::Type { kind } => {
            let want = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let found = match written_container(&pointer, cx) {
                // Only its kind is said: not read into a value (from a tape, that is a parse).
                Some(kind) => kind.into(),
                None => describe(&pointer, instance(), cx),
            };
            let message = expected(&want, &found);
            add(pointer, Kind::Type, want, message, found);
        }
        ValidationErrorKind::Enum { options } => {
            let options = options.as_array().map(Vec::as_slice).unwrap_or_default();
            let allowed = options
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            // Only a string has a near option: a container is not read into a value for it.
            let near = match written_container(&pointer, cx) {
                Some(_) => None,
                None => suggestion(instance(), options),
            };
            let hint = match (cx.values, near) {
                (Values::Show, Some(near)) => format!("; did you mean \"{near}\"?"),
                _ => String::new(),
            };
            let want = format!("one of {allowed}");
            let found = found();
            let message = format!("{}{hint}", expected(&want, &found));
            add(pointer, Kind::Enum, want, message, found);
        }
        ValidationErrorKind::Constant { expected_value } => {
            let want = expected_value.to_string();
            let found = found();
            let message = expected(&want, &found);
            add(pointer, Kind::Const, want, message, found);
        }
        ValidationErrorKind::Format { format } => {
            let want = format!("a valid `{format}`");
            let found = found();
            let message = expected(&want, &found);
            add(pointer, Kind::Format, want, message, found);
        }
        ValidationErrorKind::Pattern { pattern } => {
            let want = format!("a string matching `{pattern}`");
            let found = found();
            let message = expected(&want, &found);
            add(pointer, Kind::Pattern, want, message, found);
        }
        ValidationErrorKind::MinLength { limit } | ValidationErrorKind::MaxLength { limit } => {
            let least = match error.kind() {
                ValidationErrorKind::MinLength { .. } => "at least",
                _ => "at most",
            };
            let want = format!("{least} {limit} characters");
            let found = found();
            let message = expected(&want, &found);
            add(pointer, Kind::Length, want, message, found);
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit }
        | ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            let bound = match error.kind() {
                ValidationErrorKind::Minimum { .. } => "no less than",
                ValidationErrorKind::ExclusiveMinimum { .. } => "greater than",
                ValidationErrorKind::Maximum { .. } => "no greater than",
                _ => "less than",
            };
            let want = format!("a number {bound} {limit}");
            let found = found();
            let message = expected(&want, &found);
            add(pointer, Kind::Range, want, message, found);
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
                    push(drafts, e, cx);
                }
                return;
            }
            // Otherwise the alternatives in the words of their subschema (its `title`), or
            // briefly what each wanted: "a valid `ipv4` or a valid `ipv6`".
            let want = match cx
                .schema
                .pointer(parent(&schema_path))
                .and_then(shape_words)
            {
                Some(words) => words,
                None => {
                    let mut wanted: Vec<String> = Vec::new();
                    for branch in context {
                        let mut sub = Vec::new();
                        for e in branch {
                            push(&mut sub, e, cx);
                        }
                        // In the order of their places, not of the validator's walk, which
                        // reads an object's members in the order of its representation (sorted
                        // in a `Value`, as written in a tape).
                        sub.sort_by(|a, b| {
                            (&a.issue.pointer, a.issue.kind, &a.want).cmp(&(
                                &b.issue.pointer,
                                b.issue.kind,
                                &b.want,
                            ))
                        });
                        let text = sub
                            .iter()
                            .map(|d| d.want.as_str())
                            .collect::<Vec<_>>()
                            .join(" and ");
                        if !text.is_empty() && !wanted.contains(&text) {
                            wanted.push(text);
                        }
                    }
                    wanted.join(" or ")
                }
            };
            let found = found();
            let message = expected(&want, &found);
            add(pointer, Kind::AnyOf, want, message, found);
        }
        _ => {
            // The validator's own words name the value as it read it (a double): its masked
            // message, and the value as written.
            let rule = error.masked().to_string();
            let found = found();
            let message = match cx.values {
                Values::Show => format!("{rule}, found {found}"),
                Values::Mask => rule.clone(),
            };
            add(pointer, Kind::Other, rule, message, found);
        }
    }
}

/// When a rule under an `if`/`then` (or `else`) applies, in words: "`state` is \"init\"". `None`
/// for a rule under no condition, or a condition other than a key's `const` or `enum`.
fn condition(schema_path: &str, cx: Context<'_, '_>) -> Option<String> {
    let tokens: Vec<&str> = schema_path.split('/').collect();
    // The innermost `then` or `else` that is a keyword (not a property named so), with its `if`.
    (1..tokens.len()).rev().find_map(|at| {
        let branch = tokens[at];
        let keyword = matches!(branch, "then" | "else")
            && !matches!(
                tokens[at - 1],
                "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
            );
        let base = tokens[..at].join("/");
        let condition = keyword
            .then(|| cx.schema.pointer(&format!("{base}/if")))
            .flatten()?;
        // The innermost condition decides, whether or not it can be said in words.
        Some(condition_words(condition, branch == "then"))
    })?
}

/// An `if` schema in words, for its `then` branch (`holds`) or its `else` branch: "`state` is
/// \"init\"", "`state` is one of 1, 2", "`state` is not \"init\"". `None` for anything but one
/// key's `const` or `enum`.
pub fn condition_words(condition: &Value, holds: bool) -> Option<String> {
    let properties = condition.get("properties")?.as_object()?;
    let [(key, rule)] = properties.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let values: Vec<String> = match (rule.get("const"), rule.get("enum")) {
        (Some(value), _) => vec![value.to_string()],
        (None, Some(Value::Array(values))) if !values.is_empty() => {
            values.iter().map(Value::to_string).collect()
        }
        _ => return None,
    };
    Some(match (holds, &values[..]) {
        (true, [one]) => format!("`{key}` is {one}"),
        (true, many) => format!("`{key}` is one of {}", many.join(", ")),
        (false, [one]) => format!("`{key}` is not {one}"),
        (false, many) => format!("`{key}` is none of {}", many.join(", ")),
    })
}

/// The words of every named shape in `schema` (each `$defs` entry with a `title`), by its JSON
/// Pointer as a URI fragment (`#/$defs/Uuid`): what the npm and Python packages say for a
/// shape's fault, as evschema does.
pub fn shapes(schema: &Value) -> BTreeMap<String, String> {
    schema
        .get("$defs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, def)| {
            let mut pointer = "#/$defs".to_owned();
            push_token(&mut pointer, name);
            shape_words(def).map(|words| (pointer, words))
        })
        .collect()
}

/// Every `if` of `schema` that can be said in words, by the JSON Pointer (as a URI fragment) of
/// the schema object that holds it: the words for its `then` branch and for its `else` branch.
pub fn conditions(schema: &Value) -> BTreeMap<String, (String, String)> {
    fn walk(node: &Value, pointer: &mut String, out: &mut BTreeMap<String, (String, String)>) {
        match node {
            Value::Object(map) => {
                if let Some(condition) = map.get("if")
                    && let (Some(then), Some(otherwise)) = (
                        condition_words(condition, true),
                        condition_words(condition, false),
                    )
                {
                    out.insert(format!("#{pointer}"), (then, otherwise));
                }
                for (key, value) in map {
                    // Values, not schemas.
                    if matches!(key.as_str(), "const" | "enum" | "examples") {
                        continue;
                    }
                    let len = pointer.len();
                    push_token(pointer, key);
                    walk(value, pointer, out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_index(pointer, index);
                    walk(item, pointer, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(schema, &mut String::new(), &mut out);
    out
}

/// A value for a message: quoted and shortened to 60 characters, or masked. From the event's
/// text when it is known (as written, white space outside strings dropped), else from the value
/// as it was read.
pub(crate) fn show<'v>(
    pointer: &str,
    value: impl FnOnce() -> &'v Value,
    cx: Context<'_, '_>,
) -> String {
    if cx.values == Values::Mask {
        return "a value".into();
    }
    let text = match cx.text.and_then(|locator| {
        locator
            .value_span(pointer)
            .map(|span| &locator.text()[span])
    }) {
        Some(written) => compact(written),
        None => compact_value(value()),
    };
    shorten(text)
}

/// At most 60 characters: the first 57 and `...`.
pub(crate) fn shorten(text: String) -> String {
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text
    }
}

/// `value` as compact JSON, cut after 61 characters as [`compact`] cuts: serialization stops
/// after 256 bytes (at least 61 characters of at most 4 bytes each), so a value of megabytes
/// quoted by each of many issues is not written whole for each.
fn compact_value(value: &Value) -> String {
    /// A sink that takes 256 bytes, then refuses, which stops the serializer.
    struct Bounded(Vec<u8>);
    impl std::io::Write for Bounded {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let room = 256 - self.0.len();
            if room == 0 {
                return Err(std::io::Error::other("enough for a message"));
            }
            let taken = room.min(bytes.len());
            self.0.extend_from_slice(&bytes[..taken]);
            Ok(taken)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Bounded(Vec::new());
    // Stopped on purpose once the sink is full: what was written is what is needed.
    let _ = serde_json::to_writer(&mut sink, value);
    String::from_utf8_lossy(&sink.0).chars().take(61).collect()
}

/// JSON text without the white space outside its strings, cut after 61 characters: enough for
/// [`shorten`] to see it is too long, and no more (a value of megabytes, quoted by each of
/// many issues, would otherwise be copied whole for each).
fn compact(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(256));
    let mut kept = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if matches!(c, ' ' | '\t' | '\n' | '\r') {
            continue;
        }
        if kept == 61 {
            break;
        }
        out.push(c);
        kept += 1;
    }
    out
}

/// "array" or "object" when the value at `pointer` is one, as the event's text says (its first
/// byte); `None` for any other value or when the text is not known. Describing a container
/// takes only its kind, and an error's instance read from a tape is parsed from its text when
/// asked for: thousands of elements, for the word "array".
fn written_container(pointer: &str, cx: Context<'_, '_>) -> Option<&'static str> {
    let locator = cx.text?;
    let span = locator.value_span(pointer)?;
    match locator.text().as_bytes().get(span.start)? {
        b'[' => Some("array"),
        b'{' => Some("object"),
        _ => None,
    }
}

/// A value's JSON type, with the value itself when shown.
fn describe(pointer: &str, value: &Value, cx: Context<'_, '_>) -> String {
    let kind = match value {
        Value::Null => return "null".into(),
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    match (cx.values, value) {
        (Values::Mask, _) | (_, Value::Array(_) | Value::Object(_)) => kind.into(),
        (Values::Show, _) => format!("{kind} {}", show(pointer, || value, cx)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The issues of `text` against `schema`, as (pointer, kind, keywords, message).
    /// [`check`] with the event read as a tape (the engine's reading of a refusal), its
    /// `Locator` over the tape.
    fn check_tape(
        schema: &Value,
        text: &str,
        values: Values,
    ) -> Vec<(String, Kind, String, String)> {
        let validator = jsonschema::options_for::<crate::tape::TapeJson>()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(schema)
            .expect("the schema compiles");
        let tape = crate::tape::Tape::parse(text.as_bytes()).expect("the tape takes it");
        let locator = Locator::with_tape(tape);
        let root = locator.tape().expect("a tape").root();
        let cx = Context {
            values,
            text: Some(&locator),
            schema,
        };
        issues(validator.iter_errors(root), cx)
            .into_iter()
            .map(|i| (i.pointer, i.kind, i.keywords.join(" "), i.message))
            .collect()
    }

    #[test]
    fn a_container_is_named_from_the_text() {
        let text = r#"{"a": [1], "o": {"b": 2}, "s": "[", "n": 1, "z": null}"#;
        let schema = json!({});
        let locator = Locator::new(text);
        let cx = Context {
            values: Values::Show,
            text: Some(&locator),
            schema: &schema,
        };
        let kinds: Vec<_> = ["/a", "/o", "/s", "/n", "/z", "", "/missing"]
            .iter()
            .map(|pointer| written_container(pointer, cx))
            .collect();
        let expected = [
            Some("array"),
            Some("object"),
            None,
            None,
            None,
            Some("object"),
            None,
        ];
        assert_eq!(kinds, expected);
        let unknown = Context { text: None, ..cx };
        assert_eq!(written_container("/a", unknown), None);
    }

    /// A tape gives an object's members as written, a `Value` sorted: the messages that join
    /// several problems of one branch (`anyOf`, `oneOf` without a title) are the same, and a
    /// container of the wrong type is named by its kind alone, from either.
    #[test]
    fn messages_do_not_depend_on_the_order_members_are_read_in() {
        let branches = [
            json!({ "properties": { "a": { "type": "string" }, "b": { "type": "boolean" } } }),
            json!({ "properties": { "x": {} }, "additionalProperties": false }),
            json!({ "propertyNames": { "maxLength": 1 } }),
            json!({ "properties": { "x": {} }, "unevaluatedProperties": false }),
        ];
        for branch in branches {
            for keyword in ["anyOf", "oneOf"] {
                let schema =
                    json!({ "properties": { "p": { keyword: [branch, { "required": ["z"] }] } } });
                for text in [
                    r#"{"p": {"bb": 1, "aa": 1, "b": 1, "a": 1}}"#,
                    r#"{"p": {"a": 1, "b": 1, "aa": 1, "bb": 1}}"#,
                ] {
                    for values in [Values::Show, Values::Mask] {
                        let from_value = check(&schema, text, values);
                        assert_eq!(from_value.len(), 1, "{schema} {text}");
                        assert_eq!(
                            check_tape(&schema, text, values),
                            from_value,
                            "{schema} {text}"
                        );
                    }
                }
            }
        }
        // A container of the wrong type, and not one of an enum's strings.
        let schema = json!({ "properties": { "p": { "type": "string" }, "q": { "enum": ["red", "green"] } } });
        let text = r#"{"p": [1, [2], {"a": 3}], "q": {"r": "red"}}"#;
        let issues = check_tape(&schema, text, Values::Show);
        assert_eq!(issues, check(&schema, text, Values::Show));
        assert_eq!(issues[0].3, "expected string, found array");
        assert!(
            issues[1]
                .3
                .starts_with("expected one of \"red\", \"green\", found {"),
            "{issues:?}"
        );
    }

    fn check(schema: &Value, text: &str, values: Values) -> Vec<(String, Kind, String, String)> {
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(schema)
            .expect("the schema compiles");
        let event: Value = serde_json::from_str(text).expect("JSON");
        let locator = Locator::new(text);
        let cx = Context {
            values,
            text: Some(&locator),
            schema,
        };
        issues(validator.iter_errors(&event), cx)
            .into_iter()
            .map(|i| (i.pointer, i.kind, i.keywords.join(" "), i.message))
            .collect()
    }

    fn shaped() -> Value {
        json!({
            "properties": {
                "id": { "$ref": "#/$defs/Id" },
                "bare": { "format": "uuid", "pattern": "^[0-9a-f-]+$", "maxLength": 36 },
                "day": { "$ref": "#/$defs/Day" },
                "two": { "allOf": [{ "pattern": "^a" }, { "pattern": "b$" }] },
                "ip": {
                    "title": "an address",
                    "anyOf": [{ "format": "ipv4" }, { "format": "ipv6" }]
                },
                "untitled": { "anyOf": [{ "format": "ipv4" }, { "format": "ipv6" }] }
            },
            "$defs": {
                "Id": {
                    "title": "an id",
                    "examples": ["0f0f0f0f-0f0f-0f0f-0f0f-0f0f0f0f0f0f"],
                    "format": "uuid",
                    "pattern": "^[0-9a-f-]+$",
                    "minLength": 36,
                    "maxLength": 36
                },
                "Day": {
                    "title": "a day",
                    "examples": [20240219],
                    "format": "date",
                    "pattern": "^[0-9-]+$"
                }
            }
        })
    }

    #[test]
    fn one_fault_is_one_issue_in_the_words_of_its_shape() {
        let schema = shaped();
        assert_eq!(
            check(&schema, r#"{"id": "0g0f"}"#, Values::Show),
            [(
                "/id".into(),
                Kind::Format,
                "format pattern minLength".into(),
                "expected an id, like 0f0f0f0f-0f0f-0f0f-0f0f-0f0f0f0f0f0f, found \"0g0f\"".into()
            )]
        );
        // The form but no real value of the format; an example that is not a string.
        assert_eq!(
            check(&schema, r#"{"day": "2024-02-30"}"#, Values::Show),
            [(
                "/day".into(),
                Kind::Format,
                "format".into(),
                "expected a day, like 20240219, found \"2024-02-30\", which is not a valid \
                 `date`"
                    .into()
            )]
        );
        // No title: what each keyword wanted, once.
        assert_eq!(
            check(&schema, r#"{"bare": "X"}"#, Values::Mask),
            [(
                "/bare".into(),
                Kind::Format,
                "format pattern".into(),
                "expected a valid `uuid` and a string matching `^[0-9a-f-]+$`, found a value"
                    .into()
            )]
        );
        // Two subschemas at one place: two faults.
        assert_eq!(
            check(&schema, r#"{"two": "x"}"#, Values::Show).len(),
            2,
            "one per subschema"
        );
        // Alternatives: the words of their subschema, or what each wanted.
        assert_eq!(
            check(&schema, r#"{"ip": "x", "untitled": "y"}"#, Values::Show),
            [
                (
                    "/ip".into(),
                    Kind::AnyOf,
                    "anyOf".into(),
                    "expected an address, found \"x\"".into()
                ),
                (
                    "/untitled".into(),
                    Kind::AnyOf,
                    "anyOf".into(),
                    "expected a valid `ipv4` or a valid `ipv6`, found \"y\"".into()
                ),
            ]
        );
    }

    #[test]
    fn each_rule_in_its_words_at_its_pointer() {
        let schema = json!({
            "properties": {
                "closed": { "properties": { "a": {} }, "additionalProperties": false },
                "state": { "enum": ["live", "init"] },
                "short": { "minLength": 2 },
                "long": { "maxLength": 1 },
                "obj": { "required": ["k"] },
                "int": { "type": "string" },
                "neg": { "type": "string" },
                "big": { "type": "string" },
                "frac": { "type": "string" }
            }
        });
        let got: Vec<String> = check(
            &schema,
            r#"{"closed": {"a": 1, "x~/": 2}, "state": "Live", "short": "x", "long": "xy",
                "obj": {}, "int": 5, "neg": -5, "big": 18446744073709551615, "frac": 2.5}"#,
            Values::Show,
        )
        .into_iter()
        .map(|(p, k, w, m)| format!("{p} {k} [{w}]: {m}"))
        .collect();
        assert_eq!(
            got,
            [
                "/big type [type]: expected string, found integer 18446744073709551615",
                "/closed/x~0~1 unknown_field [additionalProperties]: unknown key `x~/`: the \
                 contract does not list it",
                "/frac type [type]: expected string, found number 2.5",
                "/int type [type]: expected string, found integer 5",
                "/long length [maxLength]: expected at most 1 characters, found \"xy\"",
                "/neg type [type]: expected string, found integer -5",
                "/obj/k required [required]: missing required key `k`",
                "/short length [minLength]: expected at least 2 characters, found \"x\"",
                "/state enum [enum]: expected one of \"live\", \"init\", found \"Live\"; did you \
                 mean \"live\"?",
            ]
        );
        // Masked: no value, and no hint that would show it.
        let masked = check(&schema, r#"{"state": "Live"}"#, Values::Mask);
        assert_eq!(
            masked[0].3,
            "expected one of \"live\", \"init\", found a value"
        );
    }

    #[test]
    fn alternatives_that_cannot_match_are_left_out() {
        let schema = json!({
            "properties": {
                "n": { "anyOf": [{ "type": "string", "format": "ipv4" }, { "type": "null" }] },
                "o": { "anyOf": [{ "properties": { "a": { "type": "string" } } }, { "type": "null" }] },
                "same": { "anyOf": [{ "format": "ipv4" }, { "format": "ipv4", "minLength": 1 }] }
            }
        });
        assert_eq!(
            check(
                &schema,
                r#"{"n": "x", "o": {"a": 1}, "same": "y"}"#,
                Values::Show
            ),
            [
                (
                    "/n".into(),
                    Kind::Format,
                    "format".into(),
                    "expected a valid `ipv4`, found \"x\"".into()
                ),
                (
                    "/o/a".into(),
                    Kind::Type,
                    "type".into(),
                    "expected string, found integer 1".into()
                ),
                (
                    "/same".into(),
                    Kind::AnyOf,
                    "anyOf".into(),
                    "expected a valid `ipv4`, found \"y\"".into()
                ),
            ]
        );
    }

    #[test]
    fn repeats_are_dropped_and_nothing_else() {
        let issue = |pointer: &str, kind, message: &str| Issue {
            pointer: pointer.into(),
            kind,
            message: message.into(),
            schema_path: String::new(),
            keywords: Vec::new(),
        };
        let mut issues = vec![
            issue("/b", Kind::Required, "m"),
            issue("/a", Kind::Required, "m"),
            issue("/a", Kind::Required, "m"),
            issue("/a", Kind::UnknownField, "m"),
            issue("/a", Kind::Required, "n"),
        ];
        sort(&mut issues);
        let kept: Vec<(&str, Kind, &str)> = issues
            .iter()
            .map(|i| (i.pointer.as_str(), i.kind, i.message.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                ("/a", Kind::Required, "m"),
                ("/a", Kind::Required, "n"),
                ("/a", Kind::UnknownField, "m"),
                ("/b", Kind::Required, "m"),
            ]
        );
    }

    #[test]
    fn rules_across_keys_say_when_they_apply() {
        let rule = |condition: Value| {
            json!({
                "properties": { "then": { "properties": { "k": false } } },
                "allOf": [condition]
            })
        };
        let messages = |schema: &Value, text: &str| -> Vec<String> {
            check(schema, text, Values::Show)
                .into_iter()
                .map(|(_, _, _, m)| m)
                .collect()
        };
        let when_const = rule(json!({
            "if": { "properties": { "s": { "const": "on" } }, "required": ["s"] },
            "then": { "properties": { "a": false }, "required": ["b"] },
            "else": { "required": ["c"] }
        }));
        assert_eq!(
            messages(&when_const, r#"{"s": "on", "a": 1}"#),
            [
                "`a` must be absent when `s` is \"on\"",
                "missing required key `b`, required when `s` is \"on\""
            ]
        );
        assert_eq!(
            messages(&when_const, r#"{"s": "off"}"#),
            ["missing required key `c`, required when `s` is not \"on\""]
        );
        let when_enum = rule(json!({
            "if": { "properties": { "s": { "enum": [1, 2] } } },
            "then": { "properties": { "a": false } },
            "else": { "properties": { "b": false } }
        }));
        assert_eq!(
            messages(&when_enum, r#"{"s": 1, "a": 0}"#),
            ["`a` must be absent when `s` is one of 1, 2"]
        );
        assert_eq!(
            messages(&when_enum, r#"{"s": 3, "b": 0}"#),
            ["`b` must be absent when `s` is none of 1, 2"]
        );
        // A condition that is not one key's value, and no condition: no reason made up.
        let two_keys = rule(json!({
            "if": { "properties": { "s": { "const": 1 }, "t": { "const": 2 } } },
            "then": { "properties": { "a": false } }
        }));
        assert_eq!(
            messages(&two_keys, r#"{"s": 1, "t": 2, "a": 0}"#),
            ["`a` must be absent here"]
        );
        let other = rule(json!({
            "if": { "properties": { "s": { "minimum": 1 } } },
            "then": { "properties": { "a": false } }
        }));
        assert_eq!(
            messages(&other, r#"{"s": 1, "a": 0}"#),
            ["`a` must be absent here"]
        );
        // A property named `then` is no condition's branch.
        assert_eq!(
            messages(&other, r#"{"then": {"k~/": 1, "k": 2}}"#),
            ["`k` must be absent here"]
        );
        assert_eq!(messages(&json!(false), "1"), ["no value is allowed here"]);
        // Properties named `if` and `then` are no condition and no branch.
        let named = json!({
            "properties": {
                "if": { "properties": { "s": { "const": 1 } } },
                "then": { "properties": { "k": false } }
            }
        });
        assert_eq!(
            messages(&named, r#"{"if": {"s": 1}, "then": {"k": 1}}"#),
            ["`k` must be absent here"]
        );
        // An `enum` of nothing is no condition one can say.
        assert_eq!(
            condition_words(&json!({ "properties": { "s": { "enum": [] } } }), true),
            None
        );
        // The innermost condition decides, even when it cannot be said.
        let nested = rule(json!({
            "if": { "properties": { "s": { "const": 1 } } },
            "then": {
                "if": { "properties": { "s": { "minimum": 0 } } },
                "then": { "properties": { "a": false } }
            }
        }));
        assert_eq!(
            messages(&nested, r#"{"s": 1, "a": 0}"#),
            ["`a` must be absent here"]
        );
    }

    #[test]
    fn shapes_and_conditions_for_the_packages() {
        let schema = json!({
            "allOf": [{
                "if": { "properties": { "s": { "const": "on" } } },
                "then": { "required": ["a"] }
            }],
            "properties": {
                "x": { "if": { "properties": { "t": { "enum": [1, 2] } } }, "then": false },
                "y": { "if": { "minimum": 1 }, "then": false },
                "z": { "const": { "if": { "properties": { "s": { "const": 1 } } } } }
            },
            "$defs": {
                "Id": { "title": "an id", "examples": ["x"] },
                "a/b": { "title": "an a/b" },
                "Bare": { "type": "string" }
            }
        });
        assert_eq!(
            shapes(&schema).into_iter().collect::<Vec<_>>(),
            [
                ("#/$defs/Id".to_owned(), "an id, like x".to_owned()),
                ("#/$defs/a~1b".to_owned(), "an a/b".to_owned())
            ]
        );
        assert_eq!(
            conditions(&schema).into_iter().collect::<Vec<_>>(),
            [
                (
                    "#/allOf/0".to_owned(),
                    ("`s` is \"on\"".to_owned(), "`s` is not \"on\"".to_owned())
                ),
                (
                    "#/properties/x".to_owned(),
                    (
                        "`t` is one of 1, 2".to_owned(),
                        "`t` is none of 1, 2".to_owned()
                    )
                )
            ]
        );
    }

    #[test]
    fn other_rules_and_bounds_show_values_as_written() {
        let schema = json!({
            "properties": {
                "m": { "multipleOf": 3 },
                "lo": { "exclusiveMinimum": 0 },
                "hi": { "exclusiveMaximum": 10 },
                "min": { "minimum": 5 },
                "max": { "maximum": 5 },
                "c": { "const": 1 }
            }
        });
        let messages: Vec<String> = check(
            &schema,
            r#"{"m": 1E1, "lo": 0.0, "hi": 1e1, "min": 4.50, "max": 6, "c": 2.0}"#,
            Values::Show,
        )
        .into_iter()
        .map(|(p, k, _, m)| format!("{p} {k}: {m}"))
        .collect();
        assert_eq!(
            messages,
            [
                "/c const: expected 1, found 2.0",
                "/hi range: expected a number less than 10, found 1e1",
                "/lo range: expected a number greater than 0, found 0.0",
                "/m other: value is not a multiple of 3, found 1E1",
                "/max range: expected a number no greater than 5, found 6",
                "/min range: expected a number no less than 5, found 4.50",
            ]
        );
        let masked = check(&schema, r#"{"m": 1E1}"#, Values::Mask);
        assert_eq!(masked[0].3, "value is not a multiple of 3");
    }

    #[test]
    fn compact_drops_white_space_outside_strings_only() {
        assert_eq!(
            compact("{ \"a b\" :\n [1 ,\t\"x\\\" y\" ] }"),
            "{\"a b\":[1,\"x\\\" y\"]}"
        );
        assert_eq!(compact("\"\\\\\" , 1"), "\"\\\\\",1");
    }

    #[test]
    fn a_value_without_its_text_is_written_as_far_as_a_message_needs() {
        let long = json!({ "a": "名".repeat(100_000), "b": (0..10_000).collect::<Vec<_>>() });
        let whole = long.to_string();
        assert_eq!(
            compact_value(&long),
            whole.chars().take(61).collect::<String>()
        );
        assert_eq!(shorten(compact_value(&long)), shorten(whole));
        for short in [json!(null), json!("é"), json!([1, {"x": 2}])] {
            assert_eq!(compact_value(&short), short.to_string());
        }
    }

    #[test]
    fn compact_stops_after_sixty_one_characters() {
        // White space outside strings is not counted; characters, not bytes, are.
        let long = format!("[ {} ]", "\"é\" , ".repeat(40));
        let kept = compact(&long);
        assert_eq!(kept.chars().count(), 61);
        assert_eq!(kept, format!("[{}", "\"é\",".repeat(15)));
        // Enough for `shorten` to cut it as it would cut the whole compact text.
        let whole: String = long.chars().filter(|c| *c != ' ').collect();
        assert_eq!(shorten(kept), shorten(whole));
        let exactly = format!("\"{}\"", "x".repeat(59));
        assert_eq!(compact(&format!(" {exactly} ")), exactly);
    }

    #[test]
    fn shorten_keeps_sixty_characters() {
        assert_eq!(shorten("é".repeat(60)), "é".repeat(60));
        assert_eq!(shorten("é".repeat(61)), format!("{}...", "é".repeat(57)));
    }
}
