//! The files of the npm package `@opentact/events` that come from the catalog: `package.json`,
//! `catalog.js`, `index.js` (`validate`, `isEvent`, a type guard per event type), `index.d.ts`
//! (the generated declarations and the API's) and its README. The validators are compiled by
//! `tools/packages/npm/compile.mjs`; `report.js` is copied from `tools/packages/npm/`.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Catalog, Words};

/// The npm package's name.
pub const NAME: &str = "@opentact/events";

/// ajv and ajv-formats, as pinned in `tools/packages/package.json`: the standalone code imports
/// their run-time helpers, so the package depends on exactly the versions that generated it.
pub fn package_json(catalog: &Catalog, build_lock: &Value) -> String {
    let pinned = |name: &str| {
        build_lock["packages"][format!("node_modules/{name}")]["version"]
            .as_str()
            .unwrap_or("0.0.0")
            .to_owned()
    };
    let manifest = json!({
        "name": NAME,
        "version": catalog.version,
        "description": "The Opentact platform's event contract: JSON Schemas, TypeScript types and precompiled validators that report what evschema reports",
        "license": "MIT OR Apache-2.0",
        // npm's provenance (the release workflow's `npm publish --provenance`) checks that the
        // package names the repository it is built from.
        "repository": { "type": "git", "url": "git+https://github.com/opentact/events.git" },
        "keywords": ["opentact", "events", "json-schema", "webhooks", "validation", "typescript"],
        "type": "module",
        "sideEffects": false,
        "exports": {
            ".": { "types": "./index.d.ts", "default": "./index.js" },
            "./schemas/*": "./schemas/*",
            "./package.json": "./package.json"
        },
        "main": "./index.js",
        "types": "./index.d.ts",
        "files": ["index.js", "index.d.ts", "catalog.js", "report.js", "formats.js", "parse.js", "validators/", "schemas/", "LICENSE-MIT", "LICENSE-APACHE"],
        "engines": { "node": ">=18" },
        "dependencies": {
            "ajv": pinned("ajv"),
            "ajv-formats": pinned("ajv-formats")
        }
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    text
}

/// `catalog.js`: the version, the event types and the kinds of error, from the catalog and from
/// `evcontract`'s list of kinds; the depth limit; and the words of shapes and conditions that
/// messages use (`evcontract::explain`), by schema location.
pub fn catalog_js(catalog: &Catalog, kinds: &[&str], words: &Words, mark: &str) -> String {
    let types: Vec<String> = catalog
        .events
        .iter()
        .map(|e| json!(e.event_type).to_string())
        .collect();
    let kinds: Vec<String> = kinds.iter().map(|k| json!(k).to_string()).collect();
    let conditions: serde_json::Map<String, Value> = words
        .conditions
        .iter()
        .map(|(validator, conditions)| {
            let by_place: serde_json::Map<String, Value> = conditions
                .iter()
                .map(|(at, (then, otherwise))| (at.clone(), json!([then, otherwise])))
                .collect();
            (validator.clone(), Value::Object(by_place))
        })
        .collect();
    format!(
        "// {mark}\n\n/** The catalog version these schemas and validators are. */\nexport const VERSION = {};\n\n/** The event types, as `type` names them. */\nexport const EVENT_TYPES = Object.freeze([{}]);\n\n/** The kinds of error, in the order errors of one pointer are sorted. */\nexport const KINDS = Object.freeze([{}]);\n\n/** The deepest nesting of arrays and objects an event may have (evschema's limit). */\nexport const MAX_DEPTH = {};\n\n/** Each named shape in words, by schema location. */\nexport const SHAPES = Object.freeze({});\n\n/** Each condition in words (when it holds, when it does not), by validator and the location of the schema holding its `if`. */\nexport const CONDITIONS = Object.freeze({});\n",
        json!(catalog.version),
        types.join(", "),
        kinds.join(", "),
        evcontract::parse::MAX_DEPTH,
        json!(words.shapes),
        Value::Object(conditions),
    )
}

fn guard_name(rust_type: &str) -> String {
    format!("is{rust_type}")
}

/// `index.js`: the API.
pub fn index_js(catalog: &Catalog, mark: &str) -> String {
    let mut out = format!(
        "// {mark}\n\nimport * as deny from './validators/deny.js';\nimport * as allow from './validators/allow.js';\nimport {{ report }} from './report.js';\nimport {{ parse, ParseError }} from './parse.js';\n\nexport {{ VERSION, EVENT_TYPES, KINDS, MAX_DEPTH }} from './catalog.js';\nexport {{ parse, ParseError }};\n\nfunction validators(options) {{\n  const policy = options?.unknownFields ?? 'allow';\n  if (policy === 'deny') return deny;\n  if (policy === 'allow') return allow;\n  throw new TypeError(`unknownFields must be \"deny\" or \"allow\", not ${{JSON.stringify(policy)}}`);\n}}\n\n/**\n * Validates one event (a parsed JSON value). Returns `{{ valid, errors }}`; each error has the\n * `pointer`, `kind` and `message` that `evschema validate --format json` reports. Keys the\n * contract does not list are accepted unless `unknownFields: \"deny\"`.\n */\nexport function validate(event, options) {{\n  return report(validators(options), event);\n}}\n\n/**\n * Reads a webhook body (a string, or its bytes) as the contract reads it (`parse`), then\n * validates the event. Returns `{{ valid, errors, event }}`: a body that does not parse has one\n * error of kind `parse` or `too_deep`, with its `line` and `column`, and no `event`.\n */\nexport function validateBody(body, options) {{\n  const policy = validators(options);\n  let event;\n  try {{\n    event = parse(body);\n  }} catch (err) {{\n    if (err instanceof ParseError) return {{ valid: false, errors: [err.error], event: undefined }};\n    throw err;\n  }}\n  return {{ ...report(policy, event), event }};\n}}\n\n/** Whether `value` is an event of any type that keeps the contract. */\nexport function isEvent(value, options) {{\n  return report(validators(options), value).valid;\n}}\n"
    );
    for e in &catalog.events {
        let _ = write!(
            out,
            "\n/** Whether `value` is a `{t}` event that keeps the contract. */\nexport function {g}(value, options) {{\n  return value !== null && typeof value === 'object' && value.type === {tj} && report(validators(options), value).valid;\n}}\n",
            t = e.event_type,
            g = guard_name(&e.rust_type),
            tj = json!(e.event_type),
        );
    }
    out
}

/// `index.d.ts`: the generated declarations of the events (`types/index.d.ts`), then the API's.
pub fn index_d_ts(catalog: &Catalog, declarations: &str, kinds: &[&str]) -> String {
    let mut out = declarations.to_owned();
    let kinds: Vec<String> = kinds.iter().map(|k| json!(k).to_string()).collect();
    let types: Vec<String> = catalog
        .events
        .iter()
        .map(|e| json!(e.event_type).to_string())
        .collect();
    let _ = write!(
        out,
        "
/** The catalog version these declarations, schemas and validators are. */
export declare const VERSION: {version};

/** An event type, as `type` names it. */
export type EventType = Event[\"type\"];

/** The event types. */
export declare const EVENT_TYPES: readonly [{types}];

/** The kind of an error: the names evschema reports and fixtures' `.expect` files use, and
 * `parse` for a body that is not one JSON value. */
export type ErrorKind = {kind_union} | \"parse\";

/** The kinds, in the order errors of one pointer are sorted. */
export declare const KINDS: readonly ErrorKind[];

/** The deepest nesting of arrays and objects an event may have (evschema's limit): a value that
 * opens the next level is a `too_deep` error. */
export declare const MAX_DEPTH: number;

/** One thing wrong with an event. */
export interface ValidationError {{
  /** JSON Pointer into the event; for a missing, unknown or forbidden key it names the key. */
  pointer: string;
  kind: ErrorKind;
  /** What was expected and what was found. */
  message: string;
  /** Every keyword of the schema that failed for this fault (a short uuid: `format`, `pattern`,
   * `minLength`); absent for `too_deep`, `double_range` and `parse`. */
  keywords?: string[];
  /** For a body that does not parse (`parse`, `too_deep` from `parse`/`validateBody`): the
   * 1-based line and column (in characters) evschema reports. */
  line?: number;
  column?: number;
}}

export interface ValidationResult {{
  valid: boolean;
  /** Sorted by pointer, then kind; empty when valid. */
  errors: ValidationError[];
}}

export interface ValidateOptions {{
  /**
   * `\"allow\"` (the default) accepts keys the schemas do not list, as the published schemas do:
   * the tolerant reader that a compatible release never breaks. `\"deny\"` refuses them: the
   * contract check, as `evschema validate` does, for producers' own tests.
   */
  unknownFields?: \"deny\" | \"allow\";
}}

/** Validates one event (a parsed JSON value) with precompiled validators. */
export declare function validate(event: unknown, options?: ValidateOptions): ValidationResult;

/** The verdict on a body: `event` is the parsed value, absent when the body does not parse. */
export interface BodyResult extends ValidationResult {{
  event?: unknown;
}}

/** Reads a webhook body (its text, or its bytes) as the contract reads it, then validates it: the
 * way to read a body (`JSON.parse` keeps the last of two equal keys; evschema refuses them). */
export declare function validateBody(body: string | Uint8Array | ArrayBuffer | ArrayBufferView, options?: ValidateOptions): BodyResult;

/** Reads one body as evschema does: refuses a repeated key at any depth, `NaN`, a byte-order
 * mark, bytes that are not UTF-8, nesting past `MAX_DEPTH`, any syntax error; returns the value. */
export declare function parse(body: string | Uint8Array | ArrayBuffer | ArrayBufferView): unknown;

/** What `parse` throws: `error` is the problem, as `evschema validate --format json` reports it
 * (kind `parse` or `too_deep`, with `line` and `column`). */
export declare class ParseError extends SyntaxError {{
  readonly error: ValidationError & {{ line: number; column: number }};
}}

/** Whether `value` is an event of any type that keeps the contract. */
export declare function isEvent(value: unknown, options?: ValidateOptions): value is Event;
",
        version = json!(catalog.version),
        types = types.join(", "),
        kind_union = kinds.join(" | "),
    );
    for e in &catalog.events {
        let _ = write!(
            out,
            "\n/** Whether `value` is a `{t}` event that keeps the contract. */\nexport declare function {g}(value: unknown, options?: ValidateOptions): value is {r};\n",
            t = e.event_type,
            g = guard_name(&e.rust_type),
            r = e.rust_type,
        );
    }
    out
}

/// The package's README: what it is, and how to use it.
pub fn readme(catalog: &Catalog) -> String {
    let guards: Vec<String> = catalog
        .events
        .iter()
        .map(|e| format!("`{}`", guard_name(&e.rust_type)))
        .collect();
    format!(
        "# {NAME}\n\nThe Opentact platform's real-time events as a contract, catalog version {v}: the JSON Schemas\n(draft 2020-12), TypeScript declarations, and validators precompiled with ajv (standalone code:\nno schema is compiled and no string is evaluated at run time).\n\n```ts\nimport {{ validateBody, isEvent }} from \"{NAME}\";\n\nconst result = validateBody(body);               // the request's raw body: a string or bytes\nif (!result.valid) {{\n  console.error(JSON.stringify(result.errors));   // [{{ pointer, kind, message, ... }}]\n}} else if (isEvent(result.event)) {{\n  switch (result.event.type) {{                    // narrows on `type`\n    case \"call_state\": console.log(result.event.call.state); break;\n    case \"auth\": console.log(result.event.payload.user.role); break;\n  }}\n}}\n```\n\n- `validateBody(body, {{ unknownFields }})` reads the body as the contract does (no repeated key,\n  no byte-order mark, UTF-8, at most `MAX_DEPTH` levels: `JSON.parse` keeps the last of two equal\n  keys), then validates: `{{ valid, errors, event }}`. A body that does not parse has one error,\n  `parse` or `too_deep`, with the line and column evschema reports. `parse(body)` only reads\n  (`ParseError`).\n- `validate(event, {{ unknownFields }})` returns `{{ valid, errors: [{{ pointer, kind, message }}] }}`,\n  with the JSON Pointers and kinds that `evschema validate --format json` reports. Keys the\n  contract does not list are accepted by default (`\"allow\"`: a compatible release never breaks\n  the reader); `\"deny\"` refuses them, as the contract check does (producers' own tests).\n- Type guards: `isEvent`, and one per event type: {guards}.\n- The schemas: `import schema from \"{NAME}/schemas/event.json\" with {{ type: \"json\" }}`; every\n  schema's `$id` names the catalog version.\n- `VERSION`, `EVENT_TYPES`, `KINDS`.\n\nGenerated by `cargo xtask package` from the Rust models, the contract's one source of truth.\n",
        v = catalog.version,
        guards = guards.join(", "),
    )
}
