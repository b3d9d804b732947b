//! The contract check's proof that the AsyncAPI and OpenAPI documents carry the published
//! schemas unchanged: each event type's payload, taken back out of the committed document
//! (`opentact_events::asyncapi::standalone`), is compared with the type's published schema by
//! the breaking-change prover (`evcompat::compare_schemas`, what `evschema compat` runs on
//! two schema files) in full mode: compatible both ways, no `unknown`, so the two accept the
//! same events.

use std::collections::BTreeMap;

use evcompat::{Mode, Options, Producers, Readers, Verdict};
use opentact_events::asyncapi::{ASYNCAPI_FILE, COMPONENTS, Dialect, OPENAPI_FILE, standalone};
use opentact_events::catalog::CatalogIndex;
use serde_json::Value;

/// The outcome: whether every payload was proven equal, one line for the check's output, and
/// the failures (each naming the document, the event type and what the prover said).
pub struct Proof {
    pub passed: bool,
    pub line: String,
    pub failures: Vec<String>,
}

/// Proves every event type's payload in `asyncapi.json` (draft-07) and `openapi.json` (2020-12)
/// equal to its published schema, in the committed catalog `committed`. `events` are the valid
/// fixtures, which the prover tries as witnesses first.
pub fn prove(committed: &BTreeMap<String, Value>, events: &[Value]) -> Proof {
    let mut failures = Vec::new();
    let mut proven = 0;
    let index = match CatalogIndex::read(committed) {
        Ok(index) => index,
        Err(err) => {
            return Proof {
                passed: false,
                line: format!("FAIL  documents: {err}"),
                failures: Vec::new(),
            };
        }
    };
    let options = Options {
        readers: Readers::Tolerant,
        producers: Some(Producers::Open),
    };
    for (file, dialect) in [
        (ASYNCAPI_FILE, Dialect::Draft07),
        (OPENAPI_FILE, Dialect::Draft2020),
    ] {
        let Some(document) = committed.get(file) else {
            failures.push(format!("{file}: missing from schemas/"));
            continue;
        };
        let payloads = payload_roots(document, dialect);
        let extra: Vec<&String> = payloads
            .keys()
            .filter(|name| !index.types.contains_key(*name))
            .collect();
        if !extra.is_empty() {
            failures.push(format!(
                "{file}: describes event types the catalog does not have: {extra:?}"
            ));
        }
        for (event_type, entry) in &index.types {
            let Some(root) = payloads.get(event_type) else {
                failures.push(format!("{file}: no payload for the `{event_type}` event"));
                continue;
            };
            let Some(published) = committed.get(&entry.schema) else {
                failures.push(format!("{}: missing from schemas/", entry.schema));
                continue;
            };
            let rendering = standalone(document, root, dialect);
            let type_events: Vec<Value> = events
                .iter()
                .filter(|e| e["type"] == event_type.as_str())
                .cloned()
                .collect();
            match evcompat::compare_schemas(published, &rendering, &options, &type_events) {
                Ok(report) if report.verdict(Mode::Full) == Verdict::Compatible => proven += 1,
                Ok(report) => failures.push(format!(
                    "{file}: the `{event_type}` payload ({COMPONENTS}{root}) is not equal to {}: backward {:?} ({}), forward {:?} ({}); {} changes: {}",
                    entry.schema,
                    report.backward.verdict,
                    report.backward.reason,
                    report.forward.verdict,
                    report.forward.reason,
                    report.changes.len(),
                    report
                        .changes
                        .iter()
                        .take(5)
                        .map(|c| format!("{:?} at {}", c.rule, c.pointer))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Err(err) => failures.push(format!(
                    "{file}: the `{event_type}` payload cannot be compared with {}: {err}",
                    entry.schema
                )),
            }
        }
    }
    let passed = failures.is_empty();
    let line = if passed {
        format!(
            "ok    documents: {proven} payloads of {ASYNCAPI_FILE} (draft-07) and {OPENAPI_FILE} (2020-12) proven equal to the published schemas (full mode, no unknown)"
        )
    } else {
        format!(
            "FAIL  documents: {} of the AsyncAPI and OpenAPI payloads not proven equal to the published schemas",
            failures.len()
        )
    };
    Proof {
        passed,
        line,
        failures,
    }
}

/// Each event type's payload root in a document, by the component its reference names: for
/// AsyncAPI, `components.messages.<type>.payload`; for OpenAPI, the JSON body of
/// `webhooks.<type>.post`.
fn payload_roots(document: &Value, dialect: Dialect) -> BTreeMap<String, String> {
    let entries = match dialect {
        Dialect::Draft07 => document["components"]["messages"].as_object(),
        Dialect::Draft2020 => document["webhooks"].as_object(),
    };
    entries
        .into_iter()
        .flatten()
        .filter_map(|(name, entry)| {
            let payload = match dialect {
                Dialect::Draft07 => &entry["payload"],
                Dialect::Draft2020 => {
                    &entry["post"]["requestBody"]["content"]["application/json"]["schema"]
                }
            };
            let root = payload["$ref"].as_str()?.strip_prefix(COMPONENTS)?;
            Some((name.clone(), root.to_owned()))
        })
        .collect()
}
