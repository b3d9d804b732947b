//! The catalog for the event-API ecosystem: an AsyncAPI 3.0 document (`asyncapi.json`) and
//! OpenAPI 3.1 webhooks (`openapi.json`), generated from the published schema catalog that
//! [`crate::schema::generate`] returns. No I/O.
//!
//! Both documents hold the catalog's definitions under `components.schemas`, by the names of the
//! any-event schema's `$defs` (the Rust type names: `AuthEvent`, `Timestamp`, ...), and each
//! event type's message or webhook refers to its root (`#/components/schemas/AuthEvent`). A
//! schema pasted into another document keeps its references only if they are rewritten: every
//! `#/$defs/X` becomes `#/components/schemas/X` ([`render`]).
//!
//! - AsyncAPI's parser reads JSON Schema draft-07 (AsyncAPI's own schema format is a superset
//!   of it), so the AsyncAPI document holds a **draft-07 rendering** ([`Dialect::Draft07`]):
//!   2020-12 keywords mapped to their draft-07 forms, and a `$ref` with validation keywords
//!   beside it (which draft-07 ignores) moved into an `allOf`. A keyword with no equal draft-07
//!   form fails the generation, naming it and its pointer ([`RenderError`]).
//! - OpenAPI 3.1 reads 2020-12, so the OpenAPI document holds the schemas as published, their
//!   references rewritten ([`Dialect::Draft2020`]).
//!
//! `cargo xtask check` proves each event type's payload in each document equal to its published
//! schema with the breaking-change prover (`evcompat`, full mode, no `unknown`): the payload is
//! taken back out of the committed document ([`standalone`]) and compared.
//!
//! What the platform's documentation (`EVENTS.md`) says of delivery is little: events arrive
//! over a WebSocket (`wss`) connection and, for some kinds, as webhooks to the account's
//! `webhook_url` (`webhook_method` GET or POST, `webhook_request_timeout`). The host, path,
//! handshake and authentication of the WebSocket, which kinds are posted as webhooks, and the
//! webhook request's headers are not documented: the documents say so in their descriptions and
//! leave hosts as server variables rather than invent them.

use std::fmt;

use serde_json::{Map, Value, json};

use crate::catalog::CatalogIndex;
use crate::schema::{
    ANY_EVENT_FILE, GENERATED_MARK, GeneratedFile, INDEX_FILE, VERSION, to_pretty,
};

/// The AsyncAPI document's file name in `schemas/`.
pub const ASYNCAPI_FILE: &str = "asyncapi.json";

/// The OpenAPI document's file name in `schemas/`.
pub const OPENAPI_FILE: &str = "openapi.json";

/// The AsyncAPI version the document is written in.
pub const ASYNCAPI_VERSION: &str = "3.0.0";

/// The OpenAPI version the document is written in.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The `$schema` of a draft-07 schema.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// The `$schema` of a draft 2020-12 schema (the published catalog's).
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Where the documents keep their schemas, as a `$ref` prefix.
pub const COMPONENTS: &str = "#/components/schemas/";

/// The JSON Schema dialect a rendering is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Draft-07, for AsyncAPI.
    Draft07,
    /// Draft 2020-12, as published, for OpenAPI 3.1.
    Draft2020,
}

/// A schema that cannot be rendered: a keyword with no equal form in the target dialect, or a
/// reference the documents cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The file it is in (`event.json`, or the document being generated).
    pub file: String,
    /// A JSON Pointer into that file.
    pub pointer: String,
    /// The keyword at fault.
    pub keyword: String,
    /// Why it cannot be rendered.
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}: `{}` {}",
            self.file, self.pointer, self.keyword, self.message
        )
    }
}

impl std::error::Error for RenderError {}

/// Keywords that only annotate ([`crate::schema::ANNOTATION_KEYWORDS`]): draft-07 ignores them
/// beside a `$ref` as it ignores every sibling, and nothing is lost, since they never change a
/// verdict.
use crate::schema::ANNOTATION_KEYWORDS as ANNOTATIONS;

/// Keywords whose value is a schema.
const SCHEMA_KEYWORDS: [&str; 9] = [
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "not",
    "items",
];

/// Keywords whose value is an array of schemas.
const SCHEMA_ARRAY_KEYWORDS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// Keywords whose value is an object of schemas.
const SCHEMA_MAP_KEYWORDS: [&str; 2] = ["properties", "patternProperties"];

/// Keywords whose value is data, copied as it is.
const VALUE_KEYWORDS: [&str; 17] = [
    "type",
    "enum",
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Renders one schema of the catalog (a `$defs` entry of the any-event schema, or any schema
/// inside one) for a document that keeps the definitions under [`COMPONENTS`]: every
/// `#/$defs/X` reference becomes `#/components/schemas/X`; for [`Dialect::Draft07`], 2020-12
/// keywords become their draft-07 forms (`dependentRequired` and `dependentSchemas` become
/// `dependencies`, `prefixItems` with `items` become `items` as an array with
/// `additionalItems`) and a `$ref` with validation keywords beside it moves into an `allOf`.
///
/// `pointer` is the schema's place in `file`, for errors. Fails on a keyword this renderer does
/// not know (it might hold a schema whose references would be left pointing nowhere), on a
/// keyword with no equal draft-07 form (`unevaluatedProperties`, `$dynamicRef`, ...), and on a
/// reference that is not to a definition of the catalog.
pub fn render(
    schema: &Value,
    dialect: Dialect,
    file: &str,
    pointer: &str,
) -> Result<Value, RenderError> {
    let fail = |at: &str, keyword: &str, message: &str| RenderError {
        file: file.to_owned(),
        pointer: at.to_owned(),
        keyword: keyword.to_owned(),
        message: message.to_owned(),
    };
    let map = match schema {
        Value::Bool(_) => return Ok(schema.clone()),
        Value::Object(map) => map,
        _ => {
            return Err(fail(
                pointer,
                "",
                "is not a schema (an object or a boolean)",
            ));
        }
    };
    let child = |key: &str| crate::json::pointer::child(pointer, key);
    let mut out = Map::new();
    let mut dependencies = Map::new();
    for (key, value) in map {
        let at = child(key);
        match key.as_str() {
            "$ref" => {
                let target = value
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    .filter(|name| !name.is_empty() && !name.contains('/'))
                    .ok_or_else(|| {
                        fail(
                            &at,
                            key,
                            "is not a reference to a definition of the catalog (`#/$defs/Name`)",
                        )
                    })?;
                out.insert(key.clone(), json!(format!("{COMPONENTS}{target}")));
            }
            k if SCHEMA_KEYWORDS.contains(&k) => {
                if k == "items" && value.is_array() {
                    return Err(fail(
                        &at,
                        key,
                        "as an array is not draft 2020-12 (the published catalog's draft)",
                    ));
                }
                // Beside `prefixItems`, `items` is for the items past the prefix: in draft-07,
                // `additionalItems` (the prefix becomes `items`, below).
                let key = if k == "items"
                    && dialect == Dialect::Draft07
                    && map.contains_key("prefixItems")
                {
                    "additionalItems".to_owned()
                } else {
                    key.clone()
                };
                out.insert(key, render(value, dialect, file, &at)?);
            }
            k if SCHEMA_ARRAY_KEYWORDS.contains(&k) || k == "prefixItems" => {
                let items = value
                    .as_array()
                    .ok_or_else(|| fail(&at, key, "is not an array of schemas"))?;
                let rendered = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| render(item, dialect, file, &format!("{at}/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                // In draft-07 the prefix is `items` as an array (`items` beside it became
                // `additionalItems`, above).
                let key = if k == "prefixItems" && dialect == Dialect::Draft07 {
                    "items".to_owned()
                } else {
                    key.clone()
                };
                out.insert(key, Value::Array(rendered));
            }
            k if SCHEMA_MAP_KEYWORDS.contains(&k) || k == "dependentSchemas" => {
                let members = value
                    .as_object()
                    .ok_or_else(|| fail(&at, key, "is not an object of schemas"))?;
                let mut rendered = Map::new();
                for (name, member) in members {
                    let at = crate::json::pointer::child(&at, name);
                    rendered.insert(name.clone(), render(member, dialect, file, &at)?);
                }
                if k == "dependentSchemas" && dialect == Dialect::Draft07 {
                    dependencies.extend(rendered);
                } else {
                    out.insert(key.clone(), Value::Object(rendered));
                }
            }
            "dependentRequired" if dialect == Dialect::Draft07 => {
                let members = value
                    .as_object()
                    .ok_or_else(|| fail(&at, key, "is not an object of arrays"))?;
                dependencies.extend(members.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            "unevaluatedProperties" | "unevaluatedItems" if dialect == Dialect::Draft2020 => {
                out.insert(key.clone(), render(value, dialect, file, &at)?);
            }
            "minContains" | "maxContains" if dialect == Dialect::Draft2020 => {
                out.insert(key.clone(), value.clone());
            }
            "required" | "dependentRequired" => {
                out.insert(key.clone(), value.clone());
            }
            k if VALUE_KEYWORDS.contains(&k) || ANNOTATIONS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            "$schema" | "$id" | "$defs" | "definitions" => {
                return Err(fail(
                    &at,
                    key,
                    "inside a definition cannot be moved into a document's components",
                ));
            }
            "unevaluatedProperties"
            | "unevaluatedItems"
            | "$dynamicRef"
            | "$dynamicAnchor"
            | "$recursiveRef"
            | "$recursiveAnchor"
            | "$anchor"
            | "minContains"
            | "maxContains"
            | "$vocabulary"
                if dialect == Dialect::Draft07 =>
            {
                return Err(fail(&at, key, "has no equal form in draft-07"));
            }
            _ => {
                return Err(fail(
                    &at,
                    key,
                    "is not a keyword this renderer knows; it may hold a schema whose references it would leave pointing nowhere",
                ));
            }
        }
    }
    if !dependencies.is_empty() {
        out.insert("dependencies".into(), Value::Object(dependencies));
    }
    // Draft-07 ignores everything beside a `$ref`: validation keywords there move, with the
    // reference, into an `allOf`; annotations stay (ignored either way).
    if dialect == Dialect::Draft07
        && let Some(reference) = out.get("$ref").cloned()
        && out
            .keys()
            .any(|k| k != "$ref" && !ANNOTATIONS.contains(&k.as_str()))
    {
        out.remove("$ref");
        let mut all_of = match out.remove("allOf") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        all_of.insert(0, json!({ "$ref": reference }));
        out.insert("allOf".into(), Value::Array(all_of));
    }
    Ok(Value::Object(out))
}

/// One event type, as the documents describe it.
struct Message {
    /// The value of `type`.
    name: String,
    /// The name of its root schema among the components (the Rust type's).
    root: String,
    title: String,
    description: String,
    status: String,
    slot: Option<String>,
    /// The platform's examples of it, from its published schema.
    examples: Vec<Value>,
}

/// One generated file, parsed.
fn parse(schemas: &[GeneratedFile], path: &str) -> Result<Value, RenderError> {
    let fail = |message: String| RenderError {
        file: path.to_owned(),
        pointer: String::new(),
        keyword: String::new(),
        message,
    };
    let file = schemas
        .iter()
        .find(|f| f.path == path)
        .ok_or_else(|| fail("is not among the generated files".into()))?;
    serde_json::from_str(&file.contents).map_err(|e| fail(format!("is not JSON: {e}")))
}

/// Reads the event types out of the generated catalog, and the catalog's format.
fn messages(schemas: &[GeneratedFile]) -> Result<(Vec<Message>, String), RenderError> {
    let index = parse(schemas, INDEX_FILE)?;
    let catalog = CatalogIndex::from_value(&index).map_err(|e| RenderError {
        file: INDEX_FILE.into(),
        pointer: String::new(),
        keyword: String::new(),
        message: e.to_string(),
    })?;
    let described: Vec<&Value> = index["events"].as_array().into_iter().flatten().collect();
    let mut out = Vec::new();
    for (name, entry) in catalog.types {
        let schema = parse(schemas, &entry.schema)?;
        let words = described
            .iter()
            .find(|e| e["type"] == name.as_str())
            .copied()
            .unwrap_or(&Value::Null);
        out.push(Message {
            root: entry.rust_type.clone().unwrap_or_else(|| name.clone()),
            title: words["title"].as_str().unwrap_or(&name).replace('`', ""),
            description: words["description"].as_str().unwrap_or_default().to_owned(),
            status: entry.status.clone().unwrap_or_default(),
            slot: entry.slot.clone(),
            examples: schema["examples"].as_array().cloned().unwrap_or_default(),
            name,
        });
    }
    Ok((out, catalog.format.unwrap_or_default()))
}

/// The catalog's definitions (the any-event schema's `$defs`, every event type's root among
/// them), rendered in `dialect` for a document's `components.schemas`.
fn components(any_event: &Value, dialect: Dialect) -> Result<Map<String, Value>, RenderError> {
    let defs = any_event["$defs"].as_object().ok_or_else(|| RenderError {
        file: ANY_EVENT_FILE.into(),
        pointer: "/$defs".into(),
        keyword: "$defs".into(),
        message: "is missing: the any-event schema holds every definition of the catalog".into(),
    })?;
    defs.iter()
        .map(|(name, def)| {
            let pointer = crate::json::pointer::child("/$defs", name);
            render(def, dialect, ANY_EVENT_FILE, &pointer).map(|r| (name.clone(), r))
        })
        .collect()
}

/// The first paragraph of a description: a summary.
fn summary(description: &str) -> String {
    description
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// What the status of a type means, for its description.
fn status_words(status: &str) -> &'static str {
    match status {
        "published-example" => {
            "Status: `published-example` (backed by an example payload the platform published)."
        }
        _ => "Status: `inferred` (read from other sources; no example payload was published).",
    }
}

/// The description every document starts with.
fn info_description(format: &str) -> String {
    format!(
        "{GENERATED_MARK}\n\nThe real-time events of the Opentact telephony platform ({format} event format), generated from the same Rust models as the published JSON Schemas (`https://schemas.opentact.org/events/{VERSION}/`). Each event is one JSON object; its `type` key names the event type, and each type has its own message and payload schema.\n\nWhat the platform's documentation does not say is not invented here: the WebSocket's host, path, handshake (query or headers) and authentication; which event types are also posted as webhooks; the webhook request's headers and any signature; and how deliveries are retried."
    )
}

/// Generates `asyncapi.json` and `openapi.json` from the generated catalog (`schemas`, as
/// [`crate::schema::generate`] returns it). Deterministic: the same catalog gives the same bytes.
///
/// Fails, naming the file, pointer and keyword, when a schema has no equal form in a
/// document's dialect (see [`render`]).
pub fn documents(schemas: &[GeneratedFile]) -> Result<Vec<GeneratedFile>, RenderError> {
    let (messages, format) = messages(schemas)?;
    let any_event = parse(schemas, ANY_EVENT_FILE)?;
    Ok(vec![
        GeneratedFile {
            path: ASYNCAPI_FILE.into(),
            contents: to_pretty(&asyncapi(
                &messages,
                components(&any_event, Dialect::Draft07)?,
                &format,
            )),
        },
        GeneratedFile {
            path: OPENAPI_FILE.into(),
            contents: to_pretty(&openapi(
                &messages,
                components(&any_event, Dialect::Draft2020)?,
                &format,
            )),
        },
    ])
}

/// The example's name in a document: the type and its place among the type's examples.
fn example_name(message: &Message, i: usize) -> String {
    format!("{}-platform-example-{}", message.name, i + 1)
}

fn asyncapi(messages: &[Message], schemas: Map<String, Value>, format: &str) -> Value {
    let mut components_messages = Map::new();
    let mut channel_messages = Map::new();
    for message in messages {
        let mut body = json!({
            "name": message.name,
            "title": message.title,
            "summary": summary(&message.description),
            "description": format!("{}\n\n{}", message.description, status_words(&message.status)),
            "contentType": "application/json",
            "tags": [{ "name": message.status }],
            "payload": { "$ref": format!("{COMPONENTS}{}", message.root) },
            "examples": message.examples.iter().enumerate().map(|(i, e)| json!({
                "name": example_name(message, i),
                "summary": format!("An example the platform published of a `{}` event.", message.name),
                "payload": e,
            })).collect::<Vec<_>>(),
        });
        if message.slot.as_deref() == Some("call") {
            body["correlationId"] = json!({
                "description": "The call leg's id (`call.uuid`): every event of one call leg carries it. `ref_id` is documented as the same id.",
                "location": "$message.payload#/call/uuid",
            });
        }
        components_messages.insert(message.name.clone(), body);
        channel_messages.insert(
            message.name.clone(),
            json!({ "$ref": format!("#/components/messages/{}", message.name) }),
        );
    }
    let operation_messages = |channel: &str| -> Vec<Value> {
        messages
            .iter()
            .map(|m| json!({ "$ref": format!("#/channels/{channel}/messages/{}", m.name) }))
            .collect()
    };
    json!({
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:org:opentact:events",
        "info": {
            "title": "Opentact platform events",
            "version": VERSION,
            "description": info_description(format),
            "externalDocs": {
                "description": "The platform's documentation",
                "url": "https://doc.opentact.org",
            },
        },
        "defaultContentType": "application/json",
        "servers": {
            "websocket": {
                "host": "{host}",
                "protocol": "wss",
                "title": "The platform's event WebSocket",
                "summary": "Subscribers receive events over a WebSocket (wss) connection.",
                "description": "The platform delivers events to subscribers over a WebSocket (`wss`) connection; the `auth` event confirms the connection's login. Its host, path, handshake (query or headers) and authentication are not documented, so none is given here: `host` is a variable to set.",
                "variables": {
                    "host": { "description": "The WebSocket's host, and port if any (not documented)." },
                },
            },
            "webhook": {
                "host": "{host}",
                "protocol": "https",
                "title": "Your webhook endpoint",
                "summary": "For some kinds of event, the platform also calls the account's webhook.",
                "description": "For some kinds of event the platform also sends the event to the URL set as the account's `webhook_url`, with its `webhook_method` (`GET` or `POST`) and within its `webhook_request_timeout`, as the documentation lists them. Which kinds are sent, the request's headers, any signature, and how a `GET` carries the event are not documented; this document describes the `POST`, with the event as its JSON body.",
                "variables": {
                    "host": { "description": "The host of the account's `webhook_url`." },
                },
            },
        },
        "channels": {
            "events": {
                "address": null,
                "title": "Events over the WebSocket",
                "description": "Every event type arrives on the one WebSocket connection, each event one JSON text message; its `type` key says which message it is.",
                "servers": [{ "$ref": "#/servers/websocket" }],
                "messages": channel_messages.clone(),
            },
            "webhook": {
                "address": null,
                "title": "Webhook deliveries",
                "description": "The path of the account's `webhook_url`. Each delivery carries one event; which event types are delivered this way is not documented, so every type is listed.",
                "servers": [{ "$ref": "#/servers/webhook" }],
                "messages": channel_messages,
            },
        },
        "operations": {
            "receiveEvents": {
                "action": "receive",
                "channel": { "$ref": "#/channels/events" },
                "title": "Receive events",
                "summary": "Receive the platform's events over the WebSocket.",
                "messages": operation_messages("events"),
            },
            "receiveWebhooks": {
                "action": "receive",
                "channel": { "$ref": "#/channels/webhook" },
                "title": "Receive webhook deliveries",
                "summary": "Receive the events the platform posts to the account's webhook.",
                "bindings": { "http": { "method": "POST", "bindingVersion": "0.3.0" } },
                "messages": operation_messages("webhook"),
            },
        },
        "components": {
            "schemas": schemas,
            "messages": components_messages,
        },
    })
}

fn openapi(messages: &[Message], schemas: Map<String, Value>, format: &str) -> Value {
    let mut webhooks = Map::new();
    for message in messages {
        let examples: Map<String, Value> = message
            .examples
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    example_name(message, i),
                    json!({
                        "summary": format!("An example the platform published of a `{}` event.", message.name),
                        "value": e,
                    }),
                )
            })
            .collect();
        webhooks.insert(
            message.name.clone(),
            json!({
                "post": {
                    "operationId": format!("{}Webhook", message.name),
                    "summary": message.title,
                    "description": format!("{}\n\n{}", message.description, status_words(&message.status)),
                    "tags": [message.status],
                    "requestBody": {
                        "description": format!("One `{}` event.", message.name),
                        "required": true,
                        "content": {
                            "application/json": {
                                "schema": { "$ref": format!("{COMPONENTS}{}", message.root) },
                                "examples": examples,
                            },
                        },
                    },
                    "responses": {
                        "2XX": {
                            "description": "The delivery was received. How the platform treats other statuses, and whether it retries, is not documented.",
                        },
                    },
                },
            }),
        );
    }
    json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Opentact platform events: webhooks",
            "version": VERSION,
            "description": info_description(format),
        },
        "jsonSchemaDialect": DRAFT_2020_12,
        "externalDocs": {
            "description": "The platform's documentation",
            "url": "https://doc.opentact.org",
        },
        "tags": [
            { "name": "published-example", "description": "Backed by an example payload the platform published." },
            { "name": "inferred", "description": "Read from other sources; no example payload was published." },
        ],
        "webhooks": webhooks,
        "components": { "schemas": schemas },
    })
}

/// The payload schema of one event type taken back out of a generated document (`asyncapi.json`
/// or `openapi.json`, parsed) as a schema of its own, for the equivalence proof: the document's
/// `components.schemas` become the schema's definitions (`definitions` for draft-07, `$defs`
/// for 2020-12), every `#/components/schemas/X` reference becomes a reference to them, and the
/// root refers to `root` (the event type's component, by name). A pure renaming: it changes no
/// verdict.
pub fn standalone(document: &Value, root: &str, dialect: Dialect) -> Value {
    let (schema_uri, defs_key) = match dialect {
        Dialect::Draft07 => (DRAFT_07, "definitions"),
        Dialect::Draft2020 => (DRAFT_2020_12, "$defs"),
    };
    let mut defs = document["components"]["schemas"].clone();
    rebase(&mut defs, &format!("#/{defs_key}/"));
    json!({
        "$schema": schema_uri,
        "allOf": [{ "$ref": format!("#/{defs_key}/{root}") }],
        defs_key: defs,
    })
}

/// Rewrites every `$ref` to [`COMPONENTS`] in `value` to `base`.
fn rebase(value: &mut Value, base: &str) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "$ref"
                    && let Some(name) = item.as_str().and_then(|r| r.strip_prefix(COMPONENTS))
                {
                    *item = json!(format!("{base}{name}"));
                } else {
                    rebase(item, base);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rebase(i, base)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft07(schema: Value) -> Result<Value, RenderError> {
        render(&schema, Dialect::Draft07, "event.json", "/$defs/X")
    }

    #[test]
    fn references_move_to_the_components() {
        let rendered = draft07(json!({
            "properties": { "a": { "$ref": "#/$defs/A", "description": "kept beside" } },
            "items": { "anyOf": [{ "$ref": "#/$defs/B" }, { "type": "null" }] },
        }))
        .expect("renders");
        assert_eq!(
            rendered,
            json!({
                "properties": { "a": { "$ref": "#/components/schemas/A", "description": "kept beside" } },
                "items": { "anyOf": [{ "$ref": "#/components/schemas/B" }, { "type": "null" }] },
            })
        );
    }

    #[test]
    fn validation_beside_a_reference_moves_into_an_all_of_in_draft_07_only() {
        let schema = json!({ "$ref": "#/$defs/A", "maxLength": 3, "allOf": [{ "minLength": 1 }], "title": "t" });
        assert_eq!(
            draft07(schema.clone()).expect("renders"),
            json!({
                "allOf": [{ "$ref": "#/components/schemas/A" }, { "minLength": 1 }],
                "maxLength": 3,
                "title": "t",
            })
        );
        assert_eq!(
            render(&schema, Dialect::Draft2020, "f", "").expect("renders")["$ref"],
            "#/components/schemas/A"
        );
    }

    #[test]
    fn what_has_no_draft_07_form_fails_naming_the_keyword_and_pointer() {
        let err = draft07(json!({ "properties": { "a~b": { "unevaluatedProperties": false } } }))
            .expect_err("no draft-07 form");
        assert_eq!(
            (err.pointer.as_str(), err.keyword.as_str()),
            (
                "/$defs/X/properties/a~0b/unevaluatedProperties",
                "unevaluatedProperties"
            )
        );
        assert_eq!(
            err.to_string(),
            "event.json at /$defs/X/properties/a~0b/unevaluatedProperties: `unevaluatedProperties` has no equal form in draft-07"
        );
        // 2020-12 keeps it, its schema rendered.
        assert_eq!(
            render(
                &json!({ "unevaluatedProperties": { "$ref": "#/$defs/A" } }),
                Dialect::Draft2020,
                "f",
                ""
            )
            .expect("renders"),
            json!({ "unevaluatedProperties": { "$ref": "#/components/schemas/A" } })
        );
        for (schema, keyword) in [
            (json!({ "$dynamicRef": "#node" }), "$dynamicRef"),
            (json!({ "x-vendor": { "$ref": "#/$defs/A" } }), "x-vendor"),
            (json!({ "$ref": "other.json#/$defs/A" }), "$ref"),
            (json!({ "$ref": "#/$defs/A/properties/b" }), "$ref"),
            (json!({ "$defs": {} }), "$defs"),
            (json!({ "items": [{}] }), "items"),
            (json!({ "allOf": {} }), "allOf"),
        ] {
            let err = draft07(schema.clone()).expect_err("refused");
            assert_eq!(err.keyword, keyword, "{schema}");
            assert_eq!(
                err.pointer,
                format!("/$defs/X/{}", keyword.replace('/', "~1")),
                "{schema}"
            );
        }
        assert!(draft07(json!(3)).is_err());
        assert_eq!(draft07(json!(true)).expect("a boolean schema"), json!(true));
    }

    #[test]
    fn the_documents_describe_every_event_type() {
        let schemas = crate::schema::generate(&Default::default()).expect("the catalog generates");
        let documents = documents(&schemas).expect("the documents generate");
        let asyncapi: Value = serde_json::from_str(&documents[0].contents).expect("JSON");
        let openapi: Value = serde_json::from_str(&documents[1].contents).expect("JSON");
        assert_eq!(documents[0].path, ASYNCAPI_FILE);
        assert_eq!(asyncapi["asyncapi"], ASYNCAPI_VERSION);
        assert_eq!(openapi["openapi"], OPENAPI_VERSION);
        for event_type in crate::EventType::ALL {
            let name = event_type.as_str();
            let message = &asyncapi["components"]["messages"][name];
            assert_eq!(message["name"], name);
            let root = message["payload"]["$ref"]
                .as_str()
                .expect("a payload reference");
            let root = root.strip_prefix(COMPONENTS).expect("a component");
            assert!(
                asyncapi["components"]["schemas"][root].is_object(),
                "{root}"
            );
            assert_eq!(
                openapi["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]["schema"]
                    ["$ref"],
                message["payload"]["$ref"]
            );
            for channel in ["events", "webhook"] {
                assert_eq!(
                    asyncapi["channels"][channel]["messages"][name]["$ref"],
                    format!("#/components/messages/{name}")
                );
            }
            // A call's events correlate on the call's id; others have none.
            assert_eq!(
                message["correlationId"]["location"].as_str(),
                (event_type.slot() == "call").then_some("$message.payload#/call/uuid")
            );
        }
        // Deterministic.
        assert_eq!(documents, super::documents(&schemas).expect("again"));
    }
}
