//! The breaking-change check against an outside ground truth: the official JSON Schema Test
//! Suite (vendored in `tests/data/json-schema-test-suite`). Within one keyword file, every pair
//! of cases is an evolution OLD → NEW; a test value OLD accepts and NEW refuses proves that
//! readers on NEW break (backward), and the reverse for forward. The check must never call such
//! a direction compatible, every witness it shows must hold under an independently compiled
//! validator, and every schema compared with itself must be no change.

use std::collections::BTreeMap;
use std::path::PathBuf;

use evcompat::{Effect, Options, Verdict, compare_schemas};
use serde_json::Value;

fn suite_dir(draft: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/json-schema-test-suite")
        .join(draft)
}

/// The validator the suite's verdicts are read with: formats asserted, unknown formats
/// ignored, the draft from `$schema`.
fn validator(schema: &Value) -> Option<jsonschema::Validator> {
    jsonschema::options()
        .should_validate_formats(true)
        .offline()
        .build(schema)
        .ok()
}

/// The cases of one keyword file: (schema, the test values).
fn cases(draft: &str, file: &str) -> Vec<(Value, Vec<Value>)> {
    let meta = match draft {
        "draft7" => "http://json-schema.org/draft-07/schema#",
        _ => "https://json-schema.org/draft/2020-12/schema",
    };
    let text = std::fs::read(suite_dir(draft).join(file)).expect("a suite file reads");
    let cases: Vec<Value> = serde_json::from_slice(&text).expect("a suite file is JSON");
    cases
        .into_iter()
        .map(|case| {
            let mut schema = case["schema"].clone();
            // The draft is the folder's; a schema that names none is read as that draft.
            if let Value::Object(map) = &mut schema {
                map.entry("$schema").or_insert(Value::String(meta.into()));
            }
            let data = case["tests"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| t["data"].clone())
                .collect();
            (schema, data)
        })
        .collect()
}

fn files(draft: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(suite_dir(draft))
        .expect("the suite folder reads")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

/// What the whole run found, for one summary assertion.
#[derive(Default, Debug)]
struct Tally {
    pairs: usize,
    compatible: usize,
    incompatible: usize,
    unknown: usize,
    /// Directions a suite value shows broken that the check left unknown.
    unknown_but_broken: usize,
    failures: Vec<String>,
}

/// Every pair of schemas of each file of the suite, the files shared among the machine's cores
/// (the slowest test of the crate: on one thread it held one core after the others finished).
fn run(draft: &str) -> Tally {
    let files = files(draft);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut tally = Tally::default();
                    while let Some(file) =
                        files.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        run_file(draft, file, &mut tally);
                    }
                    tally
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker of the suite panicked"))
            .collect()
    });
    let mut tally = Tally::default();
    for t in tallies {
        tally.pairs += t.pairs;
        tally.compatible += t.compatible;
        tally.incompatible += t.incompatible;
        tally.unknown += t.unknown;
        tally.unknown_but_broken += t.unknown_but_broken;
        tally.failures.extend(t.failures);
    }
    tally.failures.sort();
    tally
}

fn run_file(draft: &str, file: &str, tally: &mut Tally) {
    let cases = cases(draft, file);
    let validators: Vec<Option<jsonschema::Validator>> =
        cases.iter().map(|(s, _)| validator(s)).collect();
    for (i, (old, old_data)) in cases.iter().enumerate() {
        for (j, (new, new_data)) in cases.iter().enumerate() {
            let (Some(vo), Some(vn)) = (&validators[i], &validators[j]) else {
                continue;
            };
            tally.pairs += 1;
            let place = format!("{draft}/{file} case {i} -> case {j}");
            let report = match compare_schemas(old, new, &Options::default(), &[]) {
                Ok(report) => report,
                Err(err) => {
                    tally.failures.push(format!("{place}: refused: {err}"));
                    continue;
                }
            };
            if i == j && !report.changes.is_empty() {
                tally.failures.push(format!(
                    "{place}: a schema compared with itself has {} change(s)",
                    report.changes.len()
                ));
            }
            let data: Vec<&Value> = old_data.iter().chain(new_data).collect();
            for (direction, verdict, producer, reader) in [
                ("backward", report.backward.verdict, vo, vn),
                ("forward", report.forward.verdict, vn, vo),
            ] {
                let broken = data
                    .iter()
                    .find(|d| producer.is_valid(d) && !reader.is_valid(d));
                match verdict {
                    Verdict::Compatible => {
                        tally.compatible += 1;
                        if let Some(d) = broken {
                            tally.failures.push(format!(
                                "{place}: {direction} called compatible, but {d} breaks it: {old} -> {new}"
                            ));
                        }
                    }
                    Verdict::Incompatible => tally.incompatible += 1,
                    Verdict::Unknown => {
                        if std::env::var("SUITE_UNKNOWN").is_ok() {
                            eprintln!("UNKNOWN {place} {direction}");
                        }
                        tally.unknown += 1;
                        tally.unknown_but_broken += usize::from(broken.is_some());
                    }
                }
            }
            for change in &report.changes {
                for (effect, producer, reader) in
                    [(&change.backward, vo, vn), (&change.forward, vn, vo)]
                {
                    if let Effect::Incompatible { witness } = effect
                        && (!producer.is_valid(witness) || reader.is_valid(witness))
                    {
                        tally.failures.push(format!(
                            "{place}: the witness {witness} of {} does not hold",
                            change.rule.id()
                        ));
                    }
                }
            }
        }
    }
}

#[track_caller]
fn check(draft: &str, most_unknown: f64) {
    let tally = run(draft);
    assert!(
        tally.failures.is_empty(),
        "{} failure(s):\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    let directions = (tally.pairs * 2) as f64;
    let unknown = tally.unknown as f64 / directions;
    assert!(
        unknown <= most_unknown,
        "{draft}: {:.1}% of directions unknown (at most {:.1}%): {tally:?}",
        unknown * 100.0,
        most_unknown * 100.0
    );
    let summary: BTreeMap<&str, usize> = BTreeMap::from([
        ("pairs", tally.pairs),
        ("compatible", tally.compatible),
        ("incompatible", tally.incompatible),
        ("unknown", tally.unknown),
        ("unknown_but_broken", tally.unknown_but_broken),
    ]);
    eprintln!("{draft}: {summary:?}");
}

#[test]
fn draft_2020_12_pairs_are_never_wrongly_compatible() {
    // 17.8% before witnesses touching keywords validators disagree on (formats checked their
    // own way, `$dynamicRef`, keywords of another draft) were set aside: 21.1% since. 22.1%
    // since issue 17: a witness's string meets a `format` only where python-jsonschema,
    // ajv-formats and jsonschema agree (ajv-formats takes any `iri`, which leaves the pairs of
    // `format.json` between `iri` and the other formats without a witness).
    check("draft2020-12", 0.23);
}

#[test]
fn draft_7_pairs_are_never_wrongly_compatible() {
    check("draft7", 0.10);
}
