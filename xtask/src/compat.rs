//! `cargo xtask compat --against <git ref>`: the breaking-change check of the working tree's
//! `schemas/` against the schemas of a commit.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use evcompat::{Mode, Options, Verdict, compare, render_human};
use evcontract::files::read_catalog;
use opentact_events::catalog::CatalogIndex;
use opentact_events::schema::INDEX_FILE;
use serde_json::Value;

pub fn run(root: &Path, against: &str, mode: Mode) -> Result<bool> {
    let old = catalog_at(root, against)?;
    let new = read_catalog(&root.join("schemas")).context("reading schemas/")?;
    let (fixtures, _) = crate::load_fixtures(root)?;
    let events: Vec<Value> = fixtures
        .iter()
        .filter(|f| f.expected.is_none())
        .filter_map(|f| evcontract::parse(&f.bytes).ok())
        .collect();
    let report = compare(&old, &new, &Options::default(), &events)?;
    println!("schemas/ against {against}:");
    print!("{}", render_human(&report, mode));
    Ok(report.verdict(mode) == Verdict::Compatible)
}

/// The schema catalog as committed at `reference`, read with `git show`.
fn catalog_at(root: &Path, reference: &str) -> Result<BTreeMap<String, Value>> {
    let show = |file: &str| -> Result<Value> {
        let output = Command::new("git")
            .args(["show", &format!("{reference}:schemas/{file}")])
            .current_dir(root)
            .output()
            .context("running git")?;
        if !output.status.success() {
            bail!(
                "git show {reference}:schemas/{file}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        evcontract::parse(&output.stdout).with_context(|| format!("{reference}:schemas/{file}"))
    };
    let index = show(INDEX_FILE)?;
    let catalog = CatalogIndex::from_value(&index)
        .with_context(|| format!("{reference}:schemas/{INDEX_FILE}"))?;
    let mut files = BTreeMap::new();
    for file in catalog.files() {
        files.insert(file.to_owned(), show(file)?);
    }
    files.insert(INDEX_FILE.to_owned(), index);
    Ok(files)
}
