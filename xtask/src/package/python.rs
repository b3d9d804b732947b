//! The files of the Python package `opentact-events` that come from the catalog:
//! `pyproject.toml` (hatchling), `opentact_events/__init__.py`, `_catalog.py`, `models.py`
//! (pydantic, see [`super::pydantic`]) and its README. `_validate.py` is copied from
//! `tools/packages/python/`.

use serde_json::json;

use super::{Catalog, Words};

/// The distribution's name.
pub const NAME: &str = "opentact-events";

/// The dependencies of the package: python-jsonschema and pydantic 2. Ranges, as a library's
/// should be; CI installs the versions pinned in `tools/packages/test/requirements.txt`. The
/// package checks `date-time` itself, as the contract does (`_validate.is_date_time`), so it
/// needs no rfc3339-validator.
const DEPENDENCIES: &[&str] = &["jsonschema>=4.18,<5", "pydantic>=2.11,<3"];

pub fn pyproject(catalog: &Catalog) -> String {
    let deps: Vec<String> = DEPENDENCIES
        .iter()
        .map(|d| format!("  {},\n", json!(d)))
        .collect();
    format!(
        "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"{NAME}\"\nversion = \"{v}\"\ndescription = \"The Opentact platform's event contract: JSON Schemas, a configured validator that reports what evschema reports, and pydantic models\"\nreadme = \"README.md\"\nrequires-python = \">=3.10\"\nlicense = \"MIT OR Apache-2.0\"\nlicense-files = [\"LICENSE-MIT\", \"LICENSE-APACHE\"]\nkeywords = [\"opentact\", \"events\", \"json-schema\", \"pydantic\", \"webhooks\"]\nclassifiers = [\n  \"Typing :: Typed\",\n  \"Programming Language :: Python :: 3\",\n]\ndependencies = [\n{deps}]\n\n[project.urls]\nRepository = \"https://github.com/opentact/events\"\n\n[tool.hatch.build.targets.wheel]\npackages = [\"src/opentact_events\"]\n\n[tool.hatch.build.targets.sdist]\ninclude = [\"src/opentact_events\", \"README.md\", \"LICENSE-MIT\", \"LICENSE-APACHE\"]\n",
        v = catalog.version,
        deps = deps.concat(),
    )
}

pub fn catalog_py(catalog: &Catalog, kinds: &[&str], words: &Words, mark: &str) -> String {
    let types: Vec<String> = catalog
        .events
        .iter()
        .map(|e| json!(e.event_type).to_string())
        .collect();
    let kinds: Vec<String> = kinds.iter().map(|k| json!(k).to_string()).collect();
    // JSON strings are Python string literals: both escape `"` and `\\` alike, and serde_json
    // writes non-ASCII text as it is (UTF-8 source).
    let shapes: Vec<String> = words
        .shapes
        .iter()
        .map(|(at, said)| format!("    {}: {},\n", json!(at), json!(said)))
        .collect();
    let conditions: Vec<String> = words
        .conditions
        .iter()
        .map(|(validator, conditions)| {
            let by_place: Vec<String> = conditions
                .iter()
                .map(|(at, (then, otherwise))| {
                    format!(
                        "        {}: ({}, {}),\n",
                        json!(at),
                        json!(then),
                        json!(otherwise)
                    )
                })
                .collect();
            format!(
                "    {}: {{\n{}    }},\n",
                json!(validator),
                by_place.concat()
            )
        })
        .collect();
    format!(
        "# {mark}\n\"\"\"The catalog's version, its event types and the kinds of error.\"\"\"\n\nVERSION = {}\n\"\"\"The catalog version these schemas and models are.\"\"\"\n\nEVENT_TYPES = ({},)\n\"\"\"The event types, as `type` names them.\"\"\"\n\nKINDS = ({},)\n\"\"\"The kinds of error, in the order errors of one pointer are sorted.\"\"\"\n\nMAX_DEPTH = {}\n\"\"\"The deepest nesting of arrays and objects an event may have (evschema's limit).\"\"\"\n\nSHAPES = {{\n{}}}\n\"\"\"Each named shape in words, by schema location (`#/$defs/Uuid`).\"\"\"\n\nCONDITIONS = {{\n{}}}\n\"\"\"Each condition in words (when it holds, when it does not), by validator (an event type, or `any`) and the location of the schema holding its `if`.\"\"\"\n",
        json!(catalog.version),
        types.join(", "),
        kinds.join(", "),
        evcontract::parse::MAX_DEPTH,
        shapes.concat(),
        conditions.concat(),
    )
}

pub fn init_py(catalog: &Catalog, mark: &str) -> String {
    format!(
        "# {mark}\n\"\"\"The Opentact platform's event contract, catalog version {v}.\n\n- `validate_body(body)` reads a webhook body (bytes or text) as the contract reads it, then\n  validates it: `.valid`, `.errors`, `.event`. `parse(body)` only reads it (`ParseError`).\n- `validate(event)` returns a list of `Error`s (dicts: `pointer`, `kind`, `message`), the ones\n  `evschema validate --format json` reports; `[]` means valid. Keys the contract does not list\n  are accepted unless `unknown_fields=\"deny\"`.\n- `opentact_events.models`: pydantic models (tolerant); `Event` is a union discriminated on\n  `type`. `opentact_events.strict_models`: the same, refusing unlisted keys.\n- `schema(\"event.json\")`: a published JSON Schema (draft 2020-12); `schema(\"asyncapi.json\")`\n  and `schema(\"openapi.json\")`: the catalog as AsyncAPI 3.0 and OpenAPI 3.1 documents.\n\"\"\"\n\nfrom ._catalog import EVENT_TYPES, KINDS, MAX_DEPTH, VERSION\nfrom ._parse import ParseError, parse\nfrom ._validate import BodyReport, Error, is_valid, schema, validate, validate_body\n\n__version__ = VERSION\n\n__all__ = [\n    \"EVENT_TYPES\",\n    \"KINDS\",\n    \"MAX_DEPTH\",\n    \"VERSION\",\n    \"BodyReport\",\n    \"Error\",\n    \"ParseError\",\n    \"is_valid\",\n    \"parse\",\n    \"schema\",\n    \"validate\",\n    \"validate_body\",\n]\n",
        v = catalog.version
    )
}

pub fn readme(catalog: &Catalog) -> String {
    format!(
        "# {NAME}\n\nThe Opentact platform's real-time events as a contract, catalog version {v}: the JSON Schemas\n(draft 2020-12), a validator that reports what `evschema` reports, a reader of webhook bodies\nthat refuses what `evschema` refuses, and pydantic v2 models.\n\n```python\nimport json\nfrom opentact_events import validate_body\n\nreport = validate_body(body)               # the request's raw bytes\nif not report.valid:\n    print(json.dumps(report.errors))      # [{{\"pointer\", \"kind\", \"message\", ...}}]\nelse:\n    event = report.event\n```\n\n- `validate_body(body, unknown_fields=\"allow\")`: reads the body as the contract does (no\n  repeated key, no `NaN`, no byte-order mark, UTF-8, at most `MAX_DEPTH` levels: `json.loads`\n  accepts the first three), then validates. A body that does not parse has one error, `parse` or\n  `too_deep`, with the line and column evschema reports. `parse(body)` only reads (`ParseError`).\n- `validate(event, unknown_fields=\"allow\")`: `[]` when valid, else `Error`s (dicts, for\n  `json.dumps` as they are) with the JSON Pointers and kinds of `evschema validate --format\n  json`. Keys the contract does not list are accepted by default, so a compatible release never\n  breaks the reader; `\"deny\"` refuses them, as the contract check does (producers' tests).\n- `opentact_events.models`: a model per object, `Literal`s for enums, the schemas' constraints\n  and formats, the rules across keys; unlisted keys accepted and dropped.\n  `opentact_events.strict_models`: the same models refusing them. Keys that are Python keywords\n  (`from`) are fields with a trailing underscore (`from_`) and the key as alias.\n- `schema(\"call_state.json\")`: a published schema (`\"asyncapi.json\"`, `\"openapi.json\"`: the\n  catalog as AsyncAPI 3.0 and OpenAPI 3.1 documents); `VERSION`, `EVENT_TYPES`, `KINDS`.\n\nGenerated by `cargo xtask package` from the Rust models, the contract's one source of truth.\n",
        v = catalog.version
    )
}
