//! Releases: `cargo xtask release` freezes the current catalog under `releases/<version>/`;
//! the contract check gates every later change against the last release.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use evcompat::release::{Gate, Version, gate, parse_approvals};
use evcompat::{Effect, Mode, Report, render_human};
use evcontract::files::read_catalog;
use opentact_events::schema::VERSION;
use serde_json::Value;

/// The compatibility mode releases are held to, from `releases/config.json`.
fn configured_mode(root: &Path) -> Result<Mode> {
    let path = root.join("releases/config.json");
    let text = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let config = evcontract::parse(&text).with_context(|| path.display().to_string())?;
    match config.get("compat_mode").and_then(Value::as_str) {
        Some("backward") => Ok(Mode::Backward),
        Some("forward") => Ok(Mode::Forward),
        Some("full") => Ok(Mode::Full),
        other => bail!(
            "{}: `compat_mode` must be backward, forward or full, not {other:?}",
            path.display()
        ),
    }
}

/// The last (highest) released version and its catalog.
fn last_release(root: &Path) -> Result<Option<(Version, BTreeMap<String, Value>)>> {
    let dir = root.join("releases");
    let mut versions = Vec::new();
    for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version = Version::parse(&name)
                .with_context(|| format!("releases/{name}: not a version (MAJOR.MINOR.PATCH)"))?;
            versions.push(version);
        }
    }
    let Some(last) = versions.into_iter().max() else {
        return Ok(None);
    };
    let catalog = read_catalog(&dir.join(last.to_string()))?;
    Ok(Some((last, catalog)))
}

fn current_version() -> Result<Version> {
    Version::parse(VERSION).with_context(|| format!("VERSION {VERSION:?} is not MAJOR.MINOR.PATCH"))
}

/// What the release gate said, as a step of `cargo xtask check` and `cargo xtask release`.
pub struct GateStep {
    /// Whether the gate passed.
    pub passed: bool,
    /// One line: the version, the release it is held against, the number of changes and
    /// whether the breaking ones are all approved.
    pub summary: String,
    /// The full compatibility report, when a comparison was made: printed when the gate fails,
    /// or on request (`--verbose`).
    pub details: Option<String>,
}

/// The release gate: the current catalog against the last release.
pub fn gate_step(
    root: &Path,
    current: &BTreeMap<String, Value>,
    events: &[Value],
) -> Result<GateStep> {
    let Some((last, released)) = last_release(root)? else {
        return Ok(GateStep {
            passed: true,
            summary: "ok    releases: none yet (`cargo xtask release` makes the first)".into(),
            details: None,
        });
    };
    let mode = configured_mode(root)?;
    let approvals_path = root.join("releases/approvals.json");
    let approvals = match fs::read(&approvals_path) {
        Ok(bytes) => parse_approvals(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", approvals_path.display()))?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => return Err(err).with_context(|| approvals_path.display().to_string()),
    };
    let version = current_version()?;
    let gate = gate(
        (last, &released),
        (version, current),
        mode,
        &approvals,
        events,
    )?;
    let breaking = |report: &Report| {
        report
            .changes
            .iter()
            .filter(|c| !matches!(c.effect(mode), Effect::Compatible { .. }))
            .count()
    };
    let step = |passed: bool, summary: String, report: Option<&Report>| GateStep {
        passed,
        summary,
        details: report.map(|r| render_human(r, mode)),
    };
    Ok(match &gate {
        Gate::Unchanged => step(
            true,
            format!("ok    releases: {version} is the released catalog, unchanged"),
            None,
        ),
        Gate::Compatible(report) => step(
            true,
            format!(
                "ok    releases: {version} is {mode}-compatible with release {last} ({} changes)",
                report.changes.len()
            ),
            Some(report),
        ),
        Gate::NewMajor(report) => step(
            true,
            format!(
                "ok    releases: {version} is a new major version after {last}: {} changes, {} breaking {mode} compatibility",
                report.changes.len(),
                breaking(report)
            ),
            Some(report),
        ),
        Gate::Approved(report) => step(
            true,
            format!(
                "ok    releases: {version} against release {last}: {} changes, {} breaking {mode} compatibility, all approved in releases/approvals.json",
                report.changes.len(),
                breaking(report)
            ),
            Some(report),
        ),
        Gate::Refused { message, report } => {
            step(false, format!("FAIL  releases: {message}"), report.as_ref())
        }
    })
}

/// `cargo xtask release`: writes the current catalog to `releases/<VERSION>/`, after the same
/// gate the contract check applies.
pub fn run(root: &Path) -> Result<bool> {
    let files = crate::codegen::generated_schemas(root)?;
    let current: BTreeMap<String, Value> = files
        .iter()
        .map(|f| Ok((f.path.clone(), evcontract::parse(f.contents.as_bytes())?)))
        .collect::<Result<_>>()?;
    let gate = gate_step(root, &current, &[])?;
    println!("{}", gate.summary);
    if !gate.passed {
        if let Some(details) = gate.details {
            println!("{details}");
        }
        return Ok(false);
    }
    let dir = root.join("releases").join(VERSION);
    if dir.exists() {
        let released = read_catalog(&dir)?;
        if released == current {
            println!("release {VERSION} already exists, unchanged");
            return Ok(true);
        }
        bail!(
            "{} exists with other contents: raise VERSION",
            dir.display()
        );
    }
    // The release appears whole or not at all (a full disk or an interrupted run leaves no
    // half-written release for the gate to read).
    let contents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
        .collect();
    crate::atomic::write_folder(&dir, &contents)?;
    println!(
        "released {VERSION}: {} files in releases/{VERSION}/",
        files.len()
    );
    Ok(true)
}
