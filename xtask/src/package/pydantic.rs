//! The pydantic (v2) models of the Python package, generated from the any-event schema of the
//! catalog: a model per object definition, `Literal`s for enums and constants, constraints
//! (lengths, patterns, bounds, formats), the rules across keys as a model validator, and `Event`,
//! a union discriminated on `type`. Twice: `models.py` for consumers, which accepts keys the
//! contract does not list (`extra="ignore"`: the tolerant reader the release gate's promise is
//! made for), and `strict_models.py` for producers' own tests, which refuses them
//! (`extra="forbid"`, as the Rust models and the contract check do).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Result, bail};
use serde_json::{Map, Value};

/// Python's keywords and soft keywords, and the names a pydantic model already uses: a key with
/// one of these names gets a trailing underscore and an alias.
const RESERVED: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "construct",
    "copy",
    "dict",
    "fields",
    "from_orm",
    "json",
    "parse_file",
    "parse_obj",
    "parse_raw",
    "schema",
    "schema_json",
    "update_forward_refs",
    "validate",
];

const HEADER: &str = r#"from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from ._validate import FORMAT_CHECKER, limits_problem


def _format(*names: str) -> AfterValidator:
    """A string of one of these JSON Schema formats, checked as `validate` checks it."""

    def check(value: str) -> str:
        if not any(FORMAT_CHECKER.conforms(value, name) for name in names):
            raise ValueError("expected a valid " + " or ".join(f"`{n}`" for n in names))
        return value

    return AfterValidator(check)


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("this key may be absent, but never null")
    return value


def _integral(value: Any) -> Any:
    # JSON Schema: a number without a fractional part (5.0) is an integer.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_Present = BeforeValidator(_not_null)
_Integral = BeforeValidator(_integral)


def _rules(model: BaseModel, key: str, cases: dict[Any, tuple[tuple[str, ...], tuple[str, ...]]]) -> None:
    """When `key` has one of the values, these fields must be present and those absent."""
    value = getattr(model, key)
    if value not in cases:
        return
    required, forbidden = cases[value]
    fields = type(model).model_fields
    for name in required:
        if name not in model.model_fields_set:
            raise ValueError(f"`{fields[name].alias or name}` must be present when `{key}` is {value!r}")
    for name in forbidden:
        if name in model.model_fields_set:
            raise ValueError(f"`{fields[name].alias or name}` must be absent when `{key}` is {value!r}")


class _Model(BaseModel):
    # Strict: a string is never read as a number, nor a number as a string. Unknown keys: see the
    # module's documentation. Fields are filled and dumped under their wire names.
    model_config = ConfigDict(
        extra=@EXTRA@,
        strict=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


class _Event(_Model):
    """An event's model: evschema's limits of reading an event hold for it too (`validate`'s
    `too_deep` and `double_range`)."""

    @model_validator(mode="before")
    @classmethod
    def _limits(cls, data: Any) -> Any:
        problem = limits_problem(data)
        if problem is not None:
            raise ValueError(problem)
        return data
"#;

/// A Python string literal: JSON's escapes are all Python escapes with the same meaning.
fn py_str(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

fn py_literal(value: &Value) -> Result<String> {
    Ok(match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_str(s),
        _ => bail!("a Literal cannot hold {value}"),
    })
}

/// The Python name of a key, and whether it needs an alias.
fn field_name(key: &str) -> (String, bool) {
    let identifier = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier && !RESERVED.contains(&key) && !key.starts_with("model_") {
        return (key.to_owned(), false);
    }
    let mut name: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "field_");
    }
    if name.starts_with("model_") {
        name.insert_str(0, "field_");
    }
    name.push('_');
    (name, true)
}

struct Generator<'a> {
    defs: &'a Map<String, Value>,
    /// The models of event types, which hold the limits of reading an event (`_Event`).
    events: BTreeSet<String>,
}

impl Generator<'_> {
    fn is_class(&self, name: &str) -> bool {
        self.defs
            .get(name)
            .is_some_and(|d| d.get("properties").is_some())
    }

    /// The Python type of a schema.
    fn py_type(&self, schema: &Value, at: &str) -> Result<String> {
        let map = match schema {
            Value::Bool(true) => return Ok("Any".into()),
            Value::Object(map) => map,
            _ => bail!("{at}: cannot express {schema} as a Python type"),
        };
        if let Some(target) = map.get("$ref").and_then(Value::as_str) {
            let Some(name) = target.strip_prefix("#/$defs/") else {
                bail!("{at}: only local $refs are supported, found {target}");
            };
            if !self.defs.contains_key(name) {
                bail!("{at}: $ref to a missing definition {name}");
            }
            return Ok(name.to_owned());
        }
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            let literals: Result<Vec<String>> = values.iter().map(py_literal).collect();
            return Ok(format!("Literal[{}]", literals?.join(", ")));
        }
        if let Some(value) = map.get("const") {
            return Ok(format!("Literal[{}]", py_literal(value)?));
        }
        if let Some(branches) = map.get("anyOf").and_then(Value::as_array) {
            // A union of formats on one type: `{"type": "string", "anyOf": [{"format": "ipv4"},
            // {"format": "ipv6"}]}`.
            let formats: Option<Vec<&str>> = branches
                .iter()
                .map(|b| {
                    let b = b.as_object()?;
                    (b.len() == 1).then(|| b.get("format")?.as_str())?
                })
                .collect();
            if let (Some(formats), Some("string")) =
                (formats, map.get("type").and_then(Value::as_str))
            {
                let names: Vec<String> = formats.iter().map(|f| py_str(f)).collect();
                return Ok(format!("Annotated[str, _format({})]", names.join(", ")));
            }
            if map
                .keys()
                .any(|k| !matches!(k.as_str(), "anyOf" | "description"))
            {
                bail!("{at}: anyOf beside other keywords is not supported");
            }
            let types: Result<Vec<String>> = branches
                .iter()
                .enumerate()
                .map(|(i, b)| self.py_type(b, &format!("{at}/anyOf/{i}")))
                .collect();
            return Ok(types?.join(" | "));
        }
        let types: Vec<&str> = match map.get("type") {
            None => return Ok("Any".into()),
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            Some(other) => bail!("{at}: `type` {other}"),
        };
        let mut out = Vec::new();
        for t in &types {
            out.push(match *t {
                "null" => "None".to_owned(),
                "boolean" => "bool".to_owned(),
                "string" => self.string_type(map),
                "integer" => format!("Annotated[int, _Integral{}]", bounds(map)),
                "number" => match bounds(map).as_str() {
                    "" => "float".to_owned(),
                    b => format!("Annotated[float{b}]"),
                },
                "array" => match map.get("items") {
                    Some(items) => {
                        format!("list[{}]", self.py_type(items, &format!("{at}/items"))?)
                    }
                    None => "list[Any]".to_owned(),
                },
                "object" if map.contains_key("properties") => {
                    bail!("{at}: an object with properties must be a definition ($defs)")
                }
                "object" => "dict[str, Any]".to_owned(),
                other => bail!("{at}: unknown type {other}"),
            });
        }
        Ok(out.join(" | "))
    }

    fn string_type(&self, map: &Map<String, Value>) -> String {
        let mut constraints = Vec::new();
        if let Some(n) = map.get("minLength") {
            constraints.push(format!("min_length={n}"));
        }
        if let Some(n) = map.get("maxLength") {
            constraints.push(format!("max_length={n}"));
        }
        if let Some(p) = map.get("pattern").and_then(Value::as_str) {
            constraints.push(format!("pattern={}", py_str(p)));
        }
        let mut parts = vec!["str".to_owned()];
        if !constraints.is_empty() {
            parts.push(format!("StringConstraints({})", constraints.join(", ")));
        }
        if let Some(f) = map.get("format").and_then(Value::as_str) {
            parts.push(format!("_format({})", py_str(f)));
        }
        if parts.len() == 1 {
            "str".into()
        } else {
            format!("Annotated[{}]", parts.join(", "))
        }
    }

    /// The definitions a schema refers to.
    fn refs(schema: &Value, out: &mut BTreeSet<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                {
                    out.insert(name.to_owned());
                }
                for (key, value) in map {
                    if !matches!(key.as_str(), "examples" | "const" | "enum") {
                        Self::refs(value, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| Self::refs(v, out)),
            _ => {}
        }
    }

    /// Classes in an order where each comes after the classes it refers to.
    fn class_order(&self) -> Vec<String> {
        fn visit(g: &Generator<'_>, name: &str, done: &mut Vec<String>, path: &mut Vec<String>) {
            if done.iter().any(|d| d == name) || path.iter().any(|p| p == name) {
                return;
            }
            path.push(name.to_owned());
            let mut refs = BTreeSet::new();
            Generator::refs(&g.defs[name], &mut refs);
            for r in refs.iter().filter(|r| g.is_class(r)) {
                visit(g, r, done, path);
            }
            path.pop();
            done.push(name.to_owned());
        }
        let mut done = Vec::new();
        for name in self.defs.keys().filter(|n| self.is_class(n)) {
            visit(self, name, &mut done, &mut Vec::new());
        }
        done
    }

    fn class(&self, name: &str, out: &mut String) -> Result<()> {
        let def = &self.defs[name];
        let at = format!("#/$defs/{name}");
        let base = if self.events.contains(name) {
            "_Event"
        } else {
            "_Model"
        };
        let _ = writeln!(out, "\n\nclass {name}({base}):");
        if let Some(d) = def["description"].as_str() {
            let _ = writeln!(out, "    {}\n", py_str(d));
        }
        let required: BTreeSet<&str> = def["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut names = BTreeMap::new();
        for (key, field) in def["properties"].as_object().into_iter().flatten() {
            let (py_name, aliased) = field_name(key);
            names.insert(key.clone(), py_name.clone());
            let mut ty = self.py_type(field, &format!("{at}/properties/{key}"))?;
            let nullable = ty.split(" | ").any(|t| t == "None");
            let mut args = Vec::new();
            if aliased {
                args.push(format!("alias={}", py_str(key)));
            }
            if let Some(d) = field["description"].as_str() {
                args.push(format!("description={}", py_str(d)));
            }
            let default = if required.contains(key.as_str()) {
                ""
            } else if nullable {
                // Absent or null (an envelope slot of unspecified shape).
                args.insert(0, "default=None".into());
                ""
            } else {
                // Absent, but never null.
                ty = format!("Annotated[{ty} | None, _Present]");
                args.insert(0, "default=None".into());
                ""
            };
            let _ = writeln!(
                out,
                "    {py_name}: {ty} = Field({}){default}",
                args.join(", ")
            );
        }
        if let Some(rules) = def.get("allOf") {
            self.rules(rules, &names, &at, out)?;
        }
        for key in def.as_object().into_iter().flatten().map(|(k, _)| k) {
            if !matches!(
                key.as_str(),
                "type"
                    | "properties"
                    | "required"
                    | "description"
                    | "allOf"
                    | "title"
                    | "examples"
                    | "$comment"
            ) {
                bail!("{at}: keyword `{key}` on an object is not supported by the generator");
            }
        }
        Ok(())
    }

    /// The `allOf` of `if`/`then` rules on one key's value, as a model validator.
    fn rules(
        &self,
        rules: &Value,
        names: &BTreeMap<String, String>,
        at: &str,
        out: &mut String,
    ) -> Result<()> {
        let mut key = None;
        let mut cases = Vec::new();
        for (i, rule) in rules.as_array().into_iter().flatten().enumerate() {
            let unsupported = || {
                anyhow::anyhow!(
                    "{at}/allOf/{i}: only rules of the form if `key` is const then required/forbidden keys are supported"
                )
            };
            let condition = rule["if"]["properties"]
                .as_object()
                .filter(|p| p.len() == 1)
                .ok_or_else(unsupported)?;
            let (k, c) = condition.iter().next().ok_or_else(unsupported)?;
            let value = c.get("const").ok_or_else(unsupported)?;
            if key.get_or_insert_with(|| k.clone()) != k {
                bail!("{at}: rules on more than one key are not supported");
            }
            let name = |key: &str| {
                names
                    .get(key)
                    .map(|n| py_str(n))
                    .ok_or_else(|| anyhow::anyhow!("{at}: a rule names `{key}`, not a property"))
            };
            let required: Result<Vec<String>> = rule["then"]["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(name)
                .collect();
            let forbidden: Result<Vec<String>> = rule["then"]["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, v)| **v == Value::Bool(false))
                .map(|(k, _)| name(k))
                .collect();
            let tuple = |items: Vec<String>| match items.len() {
                1 => format!("({},)", items[0]),
                _ => format!("({})", items.join(", ")),
            };
            cases.push(format!(
                "{}: ({}, {})",
                py_literal(value)?,
                tuple(required?),
                tuple(forbidden?)
            ));
        }
        let Some(key) = key else { return Ok(()) };
        let _ = writeln!(
            out,
            "\n    @model_validator(mode=\"after\")\n    def _rules_across_keys(self):\n        _rules(\n            self,\n            {},\n            {{\n{}            }},\n        )\n        return self",
            py_str(&names[&key]),
            cases
                .iter()
                .map(|c| format!("                {c},\n"))
                .collect::<String>()
        );
        Ok(())
    }
}

fn bounds(map: &Map<String, Value>) -> String {
    let mut out = Vec::new();
    for (keyword, arg) in [
        ("minimum", "ge"),
        ("maximum", "le"),
        ("exclusiveMinimum", "gt"),
        ("exclusiveMaximum", "lt"),
    ] {
        if let Some(n) = map.get(keyword) {
            out.push(format!("{arg}={n}"));
        }
    }
    if out.is_empty() {
        String::new()
    } else {
        format!(", Field({})", out.join(", "))
    }
}

/// What the models do with keys the contract does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// Accept and drop them (`extra="ignore"`): `models.py`, the consumers' default.
    Ignore,
    /// Refuse them (`extra="forbid"`): `strict_models.py`, the contract check.
    Forbid,
}

/// `models.py` (`Unknown::Ignore`) or `strict_models.py` (`Unknown::Forbid`), from the
/// catalog's any-event schema and its index (event types and their Rust type names, which name
/// the models).
pub fn models(any_event: &Value, index: &Value, mark: &str, unknown: Unknown) -> Result<String> {
    let Some(defs) = any_event["$defs"].as_object() else {
        bail!("the any-event schema has no $defs");
    };
    let events: Vec<(String, String)> = opentact_events::catalog::CatalogIndex::from_value(index)?
        .types
        .into_iter()
        .map(|(name, e)| (name, e.rust_type.unwrap_or_default()))
        .collect();
    let generator = Generator {
        defs,
        events: events.iter().map(|(_, model)| model.clone()).collect(),
    };
    let (policy, extra) = match unknown {
        Unknown::Ignore => (
            "Keys the contract does not list are accepted and dropped (`extra=\"ignore\"`), at any\ndepth: a reader on these models keeps working when a compatible release adds a key. Producers\ntesting their own events use `opentact_events.strict_models`, which refuses them.",
            "\"ignore\"",
        ),
        Unknown::Forbid => (
            "Keys the contract does not list are refused (`extra=\"forbid\"`), as the contract check and\n`evschema validate` do: for producers' own tests. Consumers use `opentact_events.models`.",
            "\"forbid\"",
        ),
    };
    let mut out = format!(
        "# {mark}\n\"\"\"Pydantic (v2) models of the Opentact events, catalog version {}.\n\nRead any event with `pydantic.TypeAdapter(Event)`; `Event` is discriminated on `type`.\n{policy} Dump with\n`model_dump(mode=\"json\", exclude_unset=True)` to get the event's JSON value back.\n\"\"\"\n\n{}",
        index["version"].as_str().unwrap_or("?"),
        HEADER.replace("@EXTRA@", extra),
    );
    let mut exported = Vec::new();
    for (name, def) in defs {
        if generator.is_class(name) {
            continue;
        }
        let ty = generator.py_type(def, &format!("#/$defs/{name}"))?;
        out.push('\n');
        for line in def["description"].as_str().unwrap_or_default().lines() {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "{name} = {ty}");
        exported.push(name.clone());
    }
    for name in generator.class_order() {
        generator.class(&name, &mut out)?;
        exported.push(name);
    }
    for (t, model) in &events {
        if !generator.is_class(model) {
            bail!("event type {t}: no model {model} in the any-event schema's $defs");
        }
    }
    let models: Vec<&str> = events.iter().map(|(_, m)| m.as_str()).collect();
    let _ = writeln!(
        out,
        "\n\nEvent = Annotated[Union[{}], Field(discriminator=\"type\")]\n\"\"\"Any event: read it with `pydantic.TypeAdapter(Event)`.\"\"\"\n\nMODELS: dict[str, type[_Model]] = {{\n{}}}\n\"\"\"The model of each event type.\"\"\"",
        models.join(", "),
        events
            .iter()
            .map(|(t, m)| format!("    {}: {m},\n", py_str(t)))
            .collect::<String>()
    );
    exported.sort();
    let mut all: Vec<String> = ["Event", "MODELS"].map(String::from).to_vec();
    all.extend(exported);
    let _ = writeln!(
        out,
        "\n__all__ = [\n{}]",
        all.iter()
            .map(|n| format!("    {},\n", py_str(n)))
            .collect::<String>()
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_model_attributes_get_an_alias() {
        assert_eq!(field_name("from"), ("from_".into(), true));
        assert_eq!(field_name("json"), ("json_".into(), true));
        assert_eq!(field_name("model_id"), ("field_model_id_".into(), true));
        assert_eq!(field_name("2fa"), ("field_2fa_".into(), true));
        assert_eq!(field_name("a-b"), ("a_b_".into(), true));
        assert_eq!(field_name("state"), ("state".into(), false));
    }

    #[test]
    fn literals_are_python() {
        assert_eq!(py_literal(&Value::Null).ok(), Some("None".into()));
        assert_eq!(py_literal(&Value::Bool(true)).ok(), Some("True".into()));
        assert_eq!(
            py_literal(&Value::String("a\"b\\".into())).ok(),
            Some(r#""a\"b\\""#.into())
        );
        assert!(py_literal(&serde_json::json!([1])).is_err());
    }

    #[test]
    fn unsupported_shapes_are_refused_not_guessed() {
        let defs = serde_json::json!({"A": {"type": "object", "properties": {"x": {"type": "object", "properties": {}}}}});
        let g = Generator {
            defs: defs.as_object().expect("an object"),
            events: BTreeSet::new(),
        };
        let mut out = String::new();
        assert!(g.class("A", &mut out).is_err());
        let not_const = serde_json::json!({"A": {"type": "object", "properties": {"s": {"type": "string"}}, "allOf": [{"if": {"properties": {"s": {"enum": ["x"]}}}, "then": {}}]}});
        let g = Generator {
            defs: not_const.as_object().expect("an object"),
            events: BTreeSet::new(),
        };
        assert!(g.class("A", &mut String::new()).is_err());
    }
}
