//! `cargo xtask check`: the contract check. It never writes.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use evcontract::files::read_catalog;
use evcontract::fixtures::{check, render_reports};
use evcontract::validate::models_match;
use evcontract::{Catalog, Engine, UnknownFields, Values};
use similar::TextDiff;

pub fn run(root: &Path, verbose: bool) -> Result<bool> {
    let start = Instant::now();
    let mut ok = true;

    // 1. Generated files are fresh: the schemas, the reference docs, the TypeScript types.
    let generated = crate::codegen::generated(root)?;
    let schemas_dir = root.join("schemas");
    let committed = read_catalog(&schemas_dir).context("reading the committed schemas")?;
    let mut stale = Vec::new();
    let mut count = 0;
    for (folder, files) in &generated {
        count += files.len();
        for file in files {
            let path = root.join(folder).join(&file.path);
            match std::fs::read_to_string(&path) {
                Ok(text) if text == file.contents => {}
                Ok(text) => {
                    let diff = TextDiff::from_lines(&text, &file.contents);
                    let shown = diff
                        .unified_diff()
                        .context_radius(2)
                        .header(
                            &format!("{folder}/{} (committed)", file.path),
                            "(generated)",
                        )
                        .to_string();
                    let lines: Vec<&str> = shown.lines().collect();
                    let mut text = lines
                        .iter()
                        .take(40)
                        .copied()
                        .collect::<Vec<_>>()
                        .join("\n");
                    if lines.len() > 40 {
                        text.push_str(&format!("\n... {} more diff lines", lines.len() - 40));
                    }
                    stale.push(text);
                }
                Err(_) => stale.push(format!("{folder}/{}: missing", file.path)),
            }
        }
        if let Ok(entries) = std::fs::read_dir(root.join(folder)) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.path().is_file() && !files.iter().any(|f| f.path == name) {
                    stale.push(format!("{folder}/{name}: not generated any more"));
                }
            }
        }
    }
    let generated_len = count;
    if stale.is_empty() {
        println!(
            "ok    codegen: {generated_len} generated files up to date (schemas, docs, types)"
        );
    } else {
        ok = false;
        println!(
            "FAIL  codegen: {} generated files are stale; run `cargo xtask codegen`",
            stale.len()
        );
        for text in &stale {
            println!("{text}");
        }
    }

    // 2. The committed schemas compile under the contract's rules, and 3. every fixture does
    // what it must, checked against the committed schemas (what other teams get).
    let engine = match Catalog::new(&committed, UnknownFields::Deny) {
        Ok(catalog) => {
            println!(
                "ok    schemas: {} compile (formats checked, no remote $ref)",
                opentact_events::catalog::schema_files(&committed).len() - 1
            );
            Engine::new(catalog, models_match(&committed), Values::Show)
        }
        Err(err) => {
            println!("FAIL  schemas: {err}");
            return Ok(false);
        }
    };
    let (fixtures, layout_problems) = crate::load_fixtures(root)?;
    let mut problems: Vec<String> = layout_problems
        .iter()
        .map(|p| format!("fixtures/{p}"))
        .collect();
    let mut counts: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for fixture in &fixtures {
        let outcome = check(fixture, &engine);
        let group = if fixture.expected.is_some() {
            "invalid"
        } else {
            "valid"
        };
        *counts
            .entry((group, fixture.folder_type.clone()))
            .or_default() += 1;
        problems.extend(outcome.problems.iter().map(|p| format!("fixtures/{p}")));
        if verbose && fixture.expected.is_some() {
            println!(
                "fixtures/{}\n{}",
                fixture.path,
                render_reports(fixture, &outcome)
            );
        }
    }
    // 4. The release gate: the committed schemas against the last release.
    let events: Vec<serde_json::Value> = fixtures
        .iter()
        .filter(|f| f.expected.is_none())
        .filter_map(|f| evcontract::parse(&f.bytes).ok())
        .collect();
    let gate_start = Instant::now();
    let gate = crate::release::gate_step(root, &committed, &events)?;
    // The gate's time on its line: it is the step that grows with the catalog.
    let release_line = format!(
        "{} (in {:.2}s)",
        gate.summary,
        gate_start.elapsed().as_secs_f64()
    );
    // The full report only when the gate fails or on request: a passing check is one line per
    // step.
    let release_details = gate.details.filter(|_| verbose || !gate.passed);
    ok &= gate.passed;

    let summary = |group: &str| {
        let parts: Vec<String> = counts
            .iter()
            .filter(|((g, _), _)| *g == group)
            .map(|((_, t), n)| format!("{t} {n}"))
            .collect();
        let total: usize = counts
            .iter()
            .filter(|((g, _), _)| *g == group)
            .map(|(_, n)| n)
            .sum();
        format!("{total} {group} ({})", parts.join(", "))
    };
    if problems.is_empty() {
        println!(
            "ok    fixtures: {}; {}; schema and model agree on every one",
            summary("valid"),
            summary("invalid")
        );
    } else {
        ok = false;
        println!(
            "FAIL  fixtures: {} problems in {}; {}",
            problems.len(),
            summary("valid"),
            summary("invalid")
        );
        for p in &problems {
            println!("  {p}");
        }
    }
    // 5. The AsyncAPI and OpenAPI documents carry the published schemas unchanged.
    let proof = crate::documents::prove(&committed, &events);
    println!("{}", proof.line);
    for failure in &proof.failures {
        println!("  {failure}");
    }
    ok &= proof.passed;
    println!("{release_line}");
    if let Some(details) = release_details {
        println!("{details}");
    }
    println!(
        "{} in {:.2}s",
        if ok {
            "contract check passed"
        } else {
            "contract check FAILED"
        },
        start.elapsed().as_secs_f64()
    );
    Ok(ok)
}
