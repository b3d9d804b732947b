//! What other teams get besides the schemas, generated from the same source: reference docs
//! (one Markdown page per event type and an index) and TypeScript declarations.
//!
//! Both are derived from the published schema catalog that [`crate::schema::generate`] returns,
//! so they can never say something the schemas do not. No I/O.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::catalog::CatalogIndex;
use crate::schema::{ANY_EVENT_FILE, GENERATED_MARK, GeneratedFile, INDEX_FILE};

/// The folder of the reference docs, relative to the workspace.
pub const DOCS_DIR: &str = "docs/events";

/// The folder of the TypeScript declarations, relative to the workspace.
pub const TYPES_DIR: &str = "types";

fn find(schemas: &[GeneratedFile], path: &str) -> Value {
    schemas
        .iter()
        .find(|f| f.path == path)
        .and_then(|f| serde_json::from_str(&f.contents).ok())
        .unwrap_or(Value::Null)
}

/// The event types of the catalog's index: (type, schema file, Rust type, status, slot).
fn entries(index: &Value) -> Vec<(String, String, String, String, Option<String>)> {
    let Ok(catalog) = CatalogIndex::from_value(index) else {
        return Vec::new();
    };
    catalog
        .types
        .into_iter()
        .map(|(name, e)| {
            (
                name,
                e.schema,
                e.rust_type.unwrap_or_default(),
                e.status.unwrap_or_default(),
                e.slot,
            )
        })
        .collect()
}

/// A description on one line: paragraphs joined with a space (Markdown tables and single-line
/// comments cannot hold line breaks).
fn one_line(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// TypeScript

/// Generates `types/index.d.ts`: an interface or type per schema definition, each field's
/// description as a doc comment, and `Event`, the union of every event type, which narrows on
/// `type`.
pub fn typescript(schemas: &[GeneratedFile]) -> GeneratedFile {
    let any = find(schemas, ANY_EVENT_FILE);
    let index = find(schemas, INDEX_FILE);
    let mut out = String::new();
    let _ = writeln!(out, "// {GENERATED_MARK}");
    let _ = writeln!(
        out,
        "// TypeScript declarations of the Opentact events, catalog version {}. Rules the type\n// system cannot state (formats, patterns, bounds, integers) are in the JSON Schemas in schemas/.\n",
        index["version"].as_str().unwrap_or("?")
    );
    let defs = any["$defs"].as_object().cloned().unwrap_or_default();
    for (name, def) in &defs {
        doc_comment(&mut out, def["description"].as_str(), "");
        if let Some(variants) = state_variants(def) {
            // An object whose rules across keys depend on one key's value (a call's transition
            // timestamp by its state) is the common fields and a union of one variant per value.
            let mut common = def.clone();
            if let Some(props) = common["properties"].as_object_mut() {
                props.retain(|k, _| !variants.keys.contains(k));
            }
            let _ = writeln!(
                out,
                "export interface {name}Fields {}\n",
                object_body(&common, "")
            );
            let alternatives: Vec<String> = variants
                .cases
                .iter()
                .map(|(value, required, forbidden)| {
                    let mut fields = vec![format!("{}: {value}", variants.key)];
                    for key in required {
                        fields.push(format!("{key}: {}", ts_type(&def["properties"][key], "  ")));
                    }
                    for key in forbidden {
                        fields.push(format!("{key}?: never"));
                    }
                    format!("{{ {} }}", fields.join("; "))
                })
                .collect();
            let _ = writeln!(
                out,
                "export type {name} = {name}Fields & (\n  | {}\n);\n",
                alternatives.join("\n  | ")
            );
        } else if def.get("properties").is_some() {
            let _ = writeln!(out, "export interface {name} {}\n", object_body(def, ""));
        } else {
            let _ = writeln!(out, "export type {name} = {};\n", ts_type(def, ""));
        }
    }
    let names: Vec<String> = entries(&index)
        .into_iter()
        .map(|(_, _, rust, _, _)| rust)
        .collect();
    doc_comment(
        &mut out,
        Some("Any event: narrow it with `switch (event.type)`."),
        "",
    );
    let _ = writeln!(out, "export type Event = {};", names.join(" | "));
    GeneratedFile {
        path: "index.d.ts".into(),
        contents: out,
    }
}

/// The `allOf` of `if`/`then` rules of an object, when each rule is "when `key` is this value,
/// these keys are present and those absent" on one key (what the models generate for a call's
/// transition timestamps).
struct Variants {
    key: String,
    /// Every key the rules mention, the discriminating one included.
    keys: BTreeSet<String>,
    /// (the value as a TypeScript literal, keys required, keys forbidden).
    cases: Vec<(String, Vec<String>, Vec<String>)>,
}

fn state_variants(def: &Value) -> Option<Variants> {
    let rules = def.get("allOf")?.as_array()?;
    let mut key = None;
    let mut keys = BTreeSet::new();
    let mut cases = Vec::new();
    for rule in rules {
        let (k, condition) = rule["if"]["properties"].as_object()?.iter().next()?;
        let value = condition.get("const")?;
        if key.get_or_insert_with(|| k.clone()) != k {
            return None;
        }
        let required: Vec<String> = rule["then"]["required"]
            .as_array()?
            .iter()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .collect();
        let forbidden: Vec<String> = rule["then"]["properties"]
            .as_object()?
            .iter()
            .filter(|(_, v)| **v == Value::Bool(false))
            .map(|(k, _)| k.clone())
            .collect();
        keys.extend(required.iter().cloned());
        keys.extend(forbidden.iter().cloned());
        cases.push((value.to_string(), required, forbidden));
    }
    let key = key?;
    keys.insert(key.clone());
    Some(Variants { key, keys, cases })
}

fn doc_comment(out: &mut String, text: Option<&str>, indent: &str) {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return;
    };
    let _ = writeln!(out, "{indent}/**");
    for line in text.replace("*/", "*\\/").lines() {
        if line.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    let _ = writeln!(out, "{indent} */");
}

fn object_body(schema: &Value, indent: &str) -> String {
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let inner = format!("{indent}  ");
    let mut out = String::from("{\n");
    for (key, field) in schema["properties"].as_object().into_iter().flatten() {
        doc_comment(&mut out, field["description"].as_str(), &inner);
        let optional = if required.contains(key.as_str()) {
            ""
        } else {
            "?"
        };
        let quoted = if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            key.clone()
        } else {
            Value::String(key.clone()).to_string()
        };
        let _ = writeln!(
            out,
            "{inner}{quoted}{optional}: {};",
            ts_type(field, &inner)
        );
    }
    out.push_str(indent);
    out.push('}');
    out
}

/// The TypeScript type of a schema.
fn ts_type(schema: &Value, indent: &str) -> String {
    let Some(map) = schema.as_object() else {
        return if schema == &Value::Bool(false) {
            "never".into()
        } else {
            "unknown".into()
        };
    };
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        return target.rsplit('/').next().unwrap_or("unknown").to_owned();
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(" | ");
    }
    if let Some(value) = map.get("const") {
        return value.to_string();
    }
    if let Some(branches) = map
        .get("anyOf")
        .or_else(|| map.get("oneOf"))
        .and_then(Value::as_array)
    {
        // A union of formats on one type (`ipv4` or `ipv6`) is that type.
        let mut types: Vec<String> = branches.iter().map(|b| ts_type(b, indent)).collect();
        types.dedup();
        let types: Vec<String> = types.into_iter().filter(|t| t != "unknown").collect();
        if !types.is_empty() {
            return types.join(" | ");
        }
    }
    let names: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return "unknown".into(),
    };
    names
        .iter()
        .map(|t| match *t {
            "string" => "string".to_owned(),
            "integer" | "number" => "number".to_owned(),
            "boolean" => "boolean".to_owned(),
            "null" => "null".to_owned(),
            "array" => match map.get("items") {
                Some(items) => format!("Array<{}>", ts_type(items, indent)),
                None => "unknown[]".to_owned(),
            },
            "object" if map.contains_key("properties") => object_body(schema, indent),
            _ => "{ [key: string]: unknown }".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

// ---------------------------------------------------------------------------------------------
// Reference docs

/// Generates `docs/events/`: a page per event type (every field with its type, whether it is
/// required and nullable, its allowed values and description, and a complete example) and an
/// index of the event types with their status.
pub fn docs(schemas: &[GeneratedFile]) -> Vec<GeneratedFile> {
    let index = find(schemas, INDEX_FILE);
    let mut files = Vec::new();
    let mut readme = format!(
        "<!-- {GENERATED_MARK} -->\n# Event reference\n\nThe events of the Opentact platform's {} format, catalog version {}. Each page lists every field of\nthe event with its type, whether it must be present and may be null, its allowed values and its\nmeaning, and shows a complete example. The JSON Schemas in [`schemas/`](../../schemas/) are the\nformal contract; these pages are generated from the same source.\n\n| event type | status | what it says |\n|---|---|---|\n",
        index["format"].as_str().unwrap_or("?"),
        index["version"].as_str().unwrap_or("?"),
    );
    for (event_type, file, _, status, slot) in entries(&index) {
        let schema = find(schemas, &file);
        let description = schema["description"].as_str().unwrap_or_default();
        let summary = description.split("\n\n").next().unwrap_or_default();
        let status_text = match status.as_str() {
            "published-example" => "backed by a published platform example",
            _ => {
                "inferred (from captured traffic or other sources; to be confirmed with the platform's documentation)"
            }
        };
        let _ = writeln!(
            readme,
            "| [`{event_type}`]({event_type}.md) | {status_text} | {} |",
            cell(summary)
        );
        files.push(GeneratedFile {
            path: format!("{event_type}.md"),
            contents: page(&event_type, &file, status_text, slot.as_deref(), &schema),
        });
    }
    files.push(GeneratedFile {
        path: "README.md".into(),
        contents: readme,
    });
    files
}

fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

fn page(event_type: &str, file: &str, status: &str, slot: Option<&str>, schema: &Value) -> String {
    let fills = slot.map_or_else(String::new, |slot| {
        format!("- Fills the envelope slot `{slot}`: present and not null in this event type\n")
    });
    let mut out = format!(
        "<!-- {GENERATED_MARK} -->\n# `{event_type}` event\n\n{}\n\n- Schema: [`schemas/{file}`](../../schemas/{file}), `$id` `{}`\n- Status: {status}\n{fills}- Keys the schema does not list are accepted by the published schema and refused by the contract\n  check (`evschema validate --unknown-fields deny`).\n\n## Fields\n\n`*` after a name: required. Nested fields are written with dots; `[]` is any item of an array.\n\n| field | type | may be null | allowed values | description |\n|---|---|---|---|---|\n",
        schema["description"].as_str().unwrap_or_default(),
        schema["$id"].as_str().unwrap_or_default(),
    );
    let mut rows = Vec::new();
    fields(schema, schema, "", &mut rows, &mut Vec::new());
    for row in rows {
        out.push_str(&row);
    }
    // The named scalar types the fields use (timestamps, ids, enums), each described once.
    let mut types = String::new();
    for (name, def) in schema["$defs"].as_object().into_iter().flatten() {
        if def.get("properties").is_some()
            || def.get("type").is_none() && def.get("anyOf").is_none()
        {
            continue;
        }
        let mut plain = def.clone();
        let words = type_words(schema, &plain);
        if let Some(map) = plain.as_object_mut() {
            map.remove("description");
        }
        let allowed = def["enum"]
            .as_array()
            .map(|v| {
                let values: Vec<String> = v
                    .iter()
                    .map(|x| format!("`{}`", x.as_str().unwrap_or_default()))
                    .collect();
                format!(" Allowed values: {}.", values.join(", "))
            })
            .unwrap_or_default();
        let _ = writeln!(
            types,
            "### `{name}`\n\n{words}.{allowed}\n\n{}\n",
            def["description"].as_str().unwrap_or_default()
        );
    }
    if !types.is_empty() {
        out.push_str("\n## Types\n\n");
        out.push_str(&types);
    }
    let rules: Vec<String> = rules_across_keys(schema);
    if !rules.is_empty() {
        out.push_str("\n## Rules across keys\n\n");
        for rule in rules {
            let _ = writeln!(out, "- {rule}");
        }
    }
    if let Some(example) = schema["examples"].as_array().and_then(|e| e.first()) {
        let pretty = serde_json::to_string_pretty(example).unwrap_or_default();
        let _ = write!(
            out,
            "\n## Example\n\nA published platform example, unchanged:\n\n```json\n{pretty}\n```\n"
        );
    }
    out
}

/// Resolves a local `$ref` chain; returns the schema and the name of the last definition.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> (&'a Value, Option<&'a str>) {
    let mut current = schema;
    let mut name = None;
    for _ in 0..16 {
        let Some(target) = current.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(def) = target.strip_prefix("#/$defs/") else {
            break;
        };
        match root["$defs"].get(def) {
            Some(resolved) => {
                name = Some(def);
                current = resolved;
            }
            None => break,
        }
    }
    (current, name)
}

/// The non-null branch of a nullable schema, and whether it is nullable.
fn unwrap_null<'a>(root: &'a Value, schema: &'a Value) -> (&'a Value, bool) {
    let (schema, _) = resolve(root, schema);
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        let non_null: Vec<&Value> = branches
            .iter()
            .filter(|b| b.get("type") != Some(&Value::String("null".into())))
            .collect();
        if non_null.len() + 1 == branches.len() && non_null.len() == 1 {
            return (resolve(root, non_null[0]).0, true);
        }
    }
    if let Some(Value::Array(types)) = schema.get("type") {
        return (schema, types.iter().any(|t| t == "null"));
    }
    (schema, false)
}

fn type_words(root: &Value, schema: &Value) -> String {
    let (schema, name) = resolve(root, schema);
    let map: &Map<String, Value> = match schema.as_object() {
        Some(map) => map,
        None => return "any".into(),
    };
    let mut words = match map.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ if map.contains_key("anyOf") => map["anyOf"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b.get("type") != Some(&Value::String("null".into())))
            .map(|b| type_words(root, b))
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".into(),
    };
    if words == "array"
        && let Some(items) = map.get("items")
    {
        words = format!("array of {}", type_words(root, items));
    }
    let mut details = Vec::new();
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        details.push(format!("format `{format}`"));
    }
    if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
        details.push(format!("pattern `{pattern}`"));
    }
    if let (Some(min), Some(max)) = (map.get("minimum"), map.get("maximum")) {
        details.push(format!("{min} to {max}"));
    }
    if let (Some(branches), true) = (
        map.get("anyOf").and_then(Value::as_array),
        map.get("type").is_some(),
    ) {
        let formats: Vec<String> = branches
            .iter()
            .filter_map(|b| {
                b.get("format")
                    .and_then(Value::as_str)
                    .map(|f| format!("`{f}`"))
            })
            .collect();
        if !formats.is_empty() {
            details.push(format!("format {}", formats.join(" or ")));
        }
    }
    // A named type's details are in the page's "Types" section, once.
    if let Some(name) = name {
        if map.contains_key("properties") {
            return format!("{words} (`{name}`)");
        }
        return format!("{words} ([`{name}`](#{}))", name.to_lowercase());
    }
    let named = String::new();
    if details.is_empty() {
        format!("{words}{named}")
    } else {
        format!("{words}{named}, {}", details.join(", "))
    }
}

fn fields(
    root: &Value,
    object: &Value,
    prefix: &str,
    rows: &mut Vec<String>,
    seen: &mut Vec<String>,
) {
    let (object, _) = resolve(root, object);
    let required: BTreeSet<&str> = object["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (key, field) in object["properties"].as_object().into_iter().flatten() {
        let path = format!("{prefix}{key}");
        let (inner, nullable) = unwrap_null(root, field);
        let star = if required.contains(key.as_str()) {
            "*"
        } else {
            ""
        };
        let allowed = inner["enum"]
            .as_array()
            .map(|v| {
                v.iter()
                    .map(|x| {
                        format!(
                            "`{}`",
                            x.as_str().map_or_else(|| x.to_string(), str::to_owned)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .or_else(|| inner.get("const").map(|c| format!("`{c}`")))
            .unwrap_or_default();
        let description = field["description"]
            .as_str()
            .or_else(|| inner["description"].as_str())
            .unwrap_or_default();
        rows.push(format!(
            "| `{path}`{star} | {} | {} | {} | {} |\n",
            cell(&type_words(root, field)),
            if nullable { "yes" } else { "no" },
            cell(&allowed),
            cell(description)
        ));
        // Into nested objects and array items, once per definition on the way (no cycles).
        let (def, name) = resolve(root, inner);
        let name = name.map(str::to_owned).unwrap_or_else(|| path.clone());
        if seen.contains(&name) {
            continue;
        }
        if def.get("properties").is_some() {
            seen.push(name);
            fields(root, def, &format!("{path}."), rows, seen);
            seen.pop();
        } else if let Some(items) = def.get("items") {
            let (item, _) = resolve(root, items);
            if item.get("properties").is_some() {
                fields(root, item, &format!("{path}[]."), rows, seen);
            }
        }
    }
}

/// The `allOf`/`if`/`then` rules of the schema's objects, in words.
fn rules_across_keys(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (name, def) in schema["$defs"].as_object().into_iter().flatten() {
        for rule in def["allOf"].as_array().into_iter().flatten() {
            let condition = rule["if"]["properties"]
                .as_object()
                .and_then(|p| p.iter().next())
                .map(|(k, v)| format!("`{k}` is {}", v["const"]));
            let required: Vec<String> = rule["then"]["required"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|k| format!("`{}`", k.as_str().unwrap_or_default()))
                .collect();
            let absent: Vec<String> = rule["then"]["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, v)| **v == Value::Bool(false))
                .map(|(k, _)| format!("`{k}`"))
                .collect();
            if let Some(condition) = condition {
                out.push(format!(
                    "In `{name}`, when {condition}: {} must be present; {} must be absent.",
                    required.join(", "),
                    absent.join(", ")
                ));
            }
        }
    }
    out
}

/// Why the artifacts could not be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactsError {
    /// A schema broke a publishing rule ([`crate::schema::generate`]).
    Schema(crate::schema::GenerateError),
    /// A schema has no equal form in the AsyncAPI or OpenAPI document
    /// ([`crate::asyncapi::render`]).
    Document(crate::asyncapi::RenderError),
}

impl std::fmt::Display for ArtifactsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArtifactsError::Schema(e) => e.fmt(f),
            ArtifactsError::Document(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ArtifactsError {}

/// Every generated artifact, by folder relative to the workspace: `schemas/` (the schemas, and
/// the AsyncAPI and OpenAPI documents made of them), `docs/events/` and `types/`. `cargo xtask
/// codegen` writes them; the contract check and the freshness test compare them with the
/// committed files.
pub fn all(
    examples: &std::collections::BTreeMap<crate::EventType, Vec<Value>>,
) -> Result<Vec<(&'static str, Vec<GeneratedFile>)>, ArtifactsError> {
    let mut schemas = crate::schema::generate(examples).map_err(ArtifactsError::Schema)?;
    let docs = docs(&schemas);
    let types = vec![typescript(&schemas)];
    // The AsyncAPI and OpenAPI documents go beside the schemas they are made of.
    let documents = crate::asyncapi::documents(&schemas).map_err(ArtifactsError::Document)?;
    schemas.extend(documents);
    schemas.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(vec![
        ("schemas", schemas),
        (DOCS_DIR, docs),
        (TYPES_DIR, types),
    ])
}
