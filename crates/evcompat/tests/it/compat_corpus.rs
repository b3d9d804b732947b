//! The evolution corpus (`tests/data/compat/evolutions.json`): for every keyword, in draft
//! 2020-12 and draft-07 (and draft-04 where it differs), a change that tightens, loosens, adds or
//! removes it, with the verdict each direction must get. Written for this project, each case's
//! verdict worked out by hand from the keyword's meaning.
//!
//! Every case must get exactly its verdicts (never "unknown"), every witness must hold under an
//! independently compiled validator, and the witnesses are written to
//! `target/tmp/compat-witnesses.json` so that CI re-checks each with python-jsonschema
//! (`tools/portability/witnesses.py`).

use std::path::PathBuf;

use evcompat::{Effect, Options, Verdict, compare_schemas};
use serde_json::{Value, json};

fn corpus() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/compat/evolutions.json");
    serde_json::from_slice(&std::fs::read(path).expect("the corpus reads")).expect("JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .offline()
        .build(schema)
        .expect("a corpus schema compiles")
}

fn verdict(name: &str) -> Verdict {
    match name {
        "compatible" => Verdict::Compatible,
        "incompatible" => Verdict::Incompatible,
        other => panic!("a corpus verdict is compatible or incompatible, not {other}"),
    }
}

#[test]
fn every_evolution_gets_its_verdicts_and_every_witness_holds() {
    let mut failures = Vec::new();
    let mut witnesses = Vec::new();
    let cases = corpus();
    assert!(cases.len() >= 200, "the corpus covers every keyword");
    for case in &cases {
        let name = case["name"].as_str().expect("a name");
        let (old, new) = (&case["old"], &case["new"]);
        let report = match compare_schemas(old, new, &Options::default(), &[]) {
            Ok(report) => report,
            Err(err) => {
                failures.push(format!("{name}: refused: {err}"));
                continue;
            }
        };
        let (vo, vn) = (validator(old), validator(new));
        for (direction, got, producer, reader, p_schema, r_schema) in [
            ("backward", &report.backward, &vo, &vn, old, new),
            ("forward", &report.forward, &vn, &vo, new, old),
        ] {
            let expected = verdict(case[direction].as_str().expect("a verdict"));
            if got.verdict != expected {
                failures.push(format!(
                    "{name}: {direction} is {}, expected {}: {}",
                    got.verdict, case[direction], got.reason
                ));
            }
            for change in &report.changes {
                let effect = if direction == "backward" {
                    &change.backward
                } else {
                    &change.forward
                };
                if let Effect::Incompatible { witness } = effect {
                    if !producer.is_valid(witness) || reader.is_valid(witness) {
                        failures.push(format!(
                            "{name}: {direction} witness {witness} of {} does not hold",
                            change.rule.id()
                        ));
                    }
                    witnesses.push(json!({
                        "case": name,
                        "direction": direction,
                        "rule": change.rule.id(),
                        "producer": p_schema,
                        "reader": r_schema,
                        "witness": witness,
                    }));
                }
            }
        }
        // A rewrite with the same meaning is no change at all.
        if name.contains("(no change)") && !report.changes.is_empty() {
            failures.push(format!(
                "{name}: a rewrite with the same meaning lists {} change(s)",
                report.changes.len()
            ));
        }
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compat-witnesses.json");
    std::fs::write(&out, serde_json::to_vec_pretty(&witnesses).expect("JSON"))
        .expect("the witnesses are written");
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
