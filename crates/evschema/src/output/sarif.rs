//! SARIF 2.1.0, for code-scanning tools: one result per problem, one rule per problem kind.
//!
//! - Every `artifactLocation.uri` is an RFC 3986 URI reference: a relative path is
//!   percent-encoded byte by byte (anything but unreserved characters and `/`, so a `:` in the
//!   first segment cannot pass for a scheme) and is relative to `uriBaseId` `SRCROOT`, which
//!   `originalUriBaseIds` maps to the working folder's `file:` URI; an absolute path is a
//!   `file:` URI of its own.
//! - Standard input is not a file, so it has no URI: its locations point (`index`) at an entry
//!   of `run.artifacts` that describes it, as SARIF describes artifacts without a location.
//! - Columns count Unicode code points (`columnKind`), as every evschema report does.

use std::collections::BTreeSet;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Value, json};

use super::json_lines::to_pretty;
use super::{ProblemKind, Record, Render, Summary};

/// Bytes kept as they are in a URI path: RFC 3986's unreserved characters and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The `uriBaseId` of relative paths.
pub const BASE_ID: &str = "SRCROOT";

/// The SARIF renderer: a document written at the end, from the results rendered per record.
pub(crate) struct Sarif {
    base_uri: Option<String>,
    kinds: BTreeSet<ProblemKind>,
    results: Vec<Value>,
    stdin: bool,
}

impl Sarif {
    pub(crate) fn new(base_dir: Option<&Path>) -> Sarif {
        Sarif {
            base_uri: base_dir.filter(|d| d.is_absolute()).map(|d| {
                let mut uri = file_uri(d);
                if !uri.ends_with('/') {
                    uri.push('/');
                }
                uri
            }),
            kinds: BTreeSet::new(),
            results: Vec::new(),
            stdin: false,
        }
    }
}

/// Percent-encodes the bytes of a path for a URI (bytes that are not UTF-8 included).
pub fn encode_path(path: &Path) -> String {
    percent_encoding::percent_encode(path.as_os_str().as_bytes(), PATH).to_string()
}

/// The `file:` URI of an absolute path.
pub fn file_uri(path: &Path) -> String {
    format!("file://{}", encode_path(path))
}

/// The index in `run.artifacts` of standard input's description.
const STDIN_ARTIFACT: usize = 0;

impl Render for Sarif {
    fn record(&mut self, _out: &mut String, record: &Record, _text: &[u8]) {
        if record.verdict.passes() {
            return;
        }
        let location = match record.source.path() {
            None => json!({ "index": STDIN_ARTIFACT, "description": { "text": "standard input" } }),
            Some(path) if path.is_absolute() => json!({ "uri": file_uri(path) }),
            Some(path) => json!({ "uri": encode_path(path), "uriBaseId": BASE_ID }),
        };
        let results: Vec<Value> = record
            .problems
            .iter()
            .map(|p| {
                let mut region = json!({ "startLine": p.line.max(1) });
                if let Some(column) = p.column {
                    region["startColumn"] = json!(column.max(1));
                }
                let at = if p.pointer.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", p.pointer)
                };
                let mut place = json!({
                    "physicalLocation": { "artifactLocation": location, "region": region },
                });
                if !p.pointer.is_empty() {
                    place["logicalLocations"] =
                        json!([{ "fullyQualifiedName": p.pointer, "kind": "member" }]);
                }
                json!({
                    "ruleId": p.kind.as_str(),
                    "level": "error",
                    "message": { "text": format!("{at}{}", p.message) },
                    "locations": [place],
                })
            })
            .collect();
        // State changes last.
        self.kinds.extend(record.problems.iter().map(|p| p.kind));
        self.stdin |= record.source.path().is_none();
        self.results.extend(results);
    }

    fn finish(&mut self, out: &mut String, _summary: &Summary, exit_code: u8) {
        let rules: Vec<Value> = self
            .kinds
            .iter()
            .map(|k| json!({ "id": k.as_str(), "shortDescription": { "text": k.description() } }))
            .collect();
        let mut run = json!({
            "tool": { "driver": {
                "name": "evschema",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": format!("{}index.json", opentact_events::schema::id_base()),
                "rules": rules,
            } },
            // Exit codes 0 and 1 are verdicts; 2 and up mean the run itself went wrong.
            "invocations": [{ "executionSuccessful": exit_code < 2, "exitCode": exit_code }],
            "results": std::mem::take(&mut self.results),
            "columnKind": "unicodeCodePoints",
        });
        if let Some(base) = &self.base_uri {
            run["originalUriBaseIds"] = json!({ BASE_ID: { "uri": base } });
        }
        if self.stdin {
            run["artifacts"] = json!([{
                "location": { "description": { "text": "standard input" } },
                "roles": ["analysisTarget"],
            }]);
        }
        let document = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        });
        out.push_str(&to_pretty(&document));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            encode_path(Path::new("data/my events #1 100%.json")),
            "data/my%20events%20%231%20100%25.json"
        );
        assert_eq!(encode_path(Path::new("a:b.json")), "a%3Ab.json");
        assert_eq!(encode_path(Path::new("é\u{1b}?.json")), "%C3%A9%1B%3F.json");
        assert_eq!(
            encode_path(Path::new(OsStr::from_bytes(b"caf\xe9.json"))),
            "caf%E9.json"
        );
        assert_eq!(file_uri(Path::new("/tmp/x y")), "file:///tmp/x%20y");
        let sarif = Sarif::new(Some(Path::new("/work/repo")));
        assert_eq!(sarif.base_uri.as_deref(), Some("file:///work/repo/"));
        assert_eq!(Sarif::new(Some(Path::new("rel"))).base_uri, None);
    }

    #[test]
    fn member_locations_only_for_pointers() {
        use crate::output::{Problem, ProblemKind, Record, Source, Verdict};
        let source = Source::file(Path::new("e.json"));
        let mut record =
            Record::whole(&source, 1, Verdict::Invalid, ProblemKind::Parse, "x".into());
        record.problems.push(Problem {
            pointer: "/a~1b".into(),
            kind: ProblemKind::Schema(evcontract::Kind::Type),
            message: "y".into(),
            keywords: vec!["type".into()],
            line: 2,
            column: Some(3),
            span: None,
        });
        let mut sarif = Sarif::new(None);
        sarif.record(&mut String::new(), &record, b"");
        let mut out = String::new();
        sarif.finish(&mut out, &Summary::default(), 1);
        let doc: Value = serde_json::from_str(&out).expect("JSON");
        let results = &doc["runs"][0]["results"];
        assert!(results[0]["locations"][0].get("logicalLocations").is_none());
        assert_eq!(
            results[1]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "/a~1b"
        );
        assert_eq!(results[1]["message"]["text"], "/a~1b: y");
        assert!(doc["runs"][0].get("originalUriBaseIds").is_none());
        assert!(doc["runs"][0].get("artifacts").is_none());
    }
}
