//! The release gate: the current catalog against the last released one, in the configured
//! compatibility mode, with version bumps and reviewed approvals.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::{CompatError, Effect, Mode, Options, Report, compare};

/// A semantic version, `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// Parses `1.2.3`.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
        let v = Version(parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// An approved breaking change: reviewed, with a reason, for one version.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The version the change ships in.
    pub version: String,
    /// The rule id (`ENUM_VALUE_ADDED`).
    pub rule: String,
    /// The event type.
    pub event_type: String,
    /// The pointer of the change in the event.
    pub pointer: String,
    /// Why breaking readers is acceptable (who was told, what they must do).
    pub reason: String,
}

/// Reads `releases/approvals.json`: a JSON array of approvals.
pub fn parse_approvals(bytes: &[u8]) -> Result<Vec<Approval>, String> {
    let value = evcontract::parse(bytes).map_err(|e| e.to_string())?;
    let approvals: Vec<Approval> = serde_json::from_value(value).map_err(|e| e.to_string())?;
    if let Some(empty) = approvals.iter().find(|a| a.reason.trim().is_empty()) {
        return Err(format!(
            "the approval of {} at {} has no reason",
            empty.rule, empty.pointer
        ));
    }
    Ok(approvals)
}

/// What the gate decided.
#[derive(Debug, Clone)]
pub enum Gate {
    /// The version is the released one and the catalog is exactly what was released.
    Unchanged,
    /// A newer version, compatible with the release in the mode.
    Compatible(Report),
    /// A newer major version: breaking changes are allowed, and listed.
    NewMajor(Report),
    /// Breaking changes in a minor or patch version, every one approved.
    Approved(Report),
    /// The gate fails, and why.
    Refused {
        /// What to do about it.
        message: String,
        /// The comparison, when one was made.
        report: Option<Report>,
    },
}

/// The files that differ between two catalog folders, each with how: `name (added)`,
/// `name (removed)` or `name (changed)`. Companion documents (`asyncapi.json`) count as any
/// file does: a release is frozen whole.
fn differing_files(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| match (old.get(name), new.get(name)) {
            (None, Some(_)) => Some(format!("{name} (added)")),
            (Some(_), None) => Some(format!("{name} (removed)")),
            (Some(a), Some(b)) if a != b => Some(format!("{name} (changed)")),
            _ => None,
        })
        .collect()
}

/// Judges the current catalog (`version`, `current`) against the last release.
pub fn gate(
    released: (Version, &BTreeMap<String, Value>),
    current: (Version, &BTreeMap<String, Value>),
    mode: Mode,
    approvals: &[Approval],
    events: &[Value],
) -> Result<Gate, CompatError> {
    let ((last, old), (version, new)) = (released, current);
    if version < last {
        return Ok(Gate::Refused {
            message: format!("the version {version} is older than the last release, {last}"),
            report: None,
        });
    }
    if version == last {
        return Ok(if old == new {
            Gate::Unchanged
        } else {
            Gate::Refused {
                message: format!(
                    "schemas/ differs from release {last} ({}): raise `VERSION` in crates/opentact-events/src/schema.rs",
                    differing_files(old, new).join(", ")
                ),
                report: Some(compare(old, new, &Options::default(), events)?),
            }
        });
    }
    let report = compare(old, new, &Options::default(), events)?;
    let breaking: Vec<_> = report
        .changes
        .iter()
        .filter(|c| !matches!(c.effect(mode), Effect::Compatible { .. }))
        .collect();
    if breaking.is_empty() {
        return Ok(Gate::Compatible(report));
    }
    if version.0 > last.0 {
        return Ok(Gate::NewMajor(report));
    }
    let version_text = version.to_string();
    // A change at several places (a shared definition) is approved when each of its places
    // is: an approval names one place, as readers of each place are told.
    let unapproved: Vec<String> = breaking
        .iter()
        .filter(|c| {
            !std::iter::once(&c.pointer)
                .chain(&c.other_places)
                .all(|pointer| {
                    approvals.iter().any(|a| {
                        a.version == version_text
                            && a.rule == c.rule.id()
                            && c.event_type.as_deref() == Some(a.event_type.as_str())
                            && &a.pointer == pointer
                    })
                })
        })
        .map(|c| {
            format!(
                "{} {} at {:?}: {}",
                c.rule.id(),
                c.event_type.as_deref().unwrap_or("-"),
                c.pointer,
                c.detail
            )
        })
        .collect();
    if unapproved.is_empty() {
        return Ok(Gate::Approved(report));
    }
    Ok(Gate::Refused {
        message: format!(
            "{} change(s) break readers in {mode} mode, in {version} after {last}: make it {}.0.0, or approve each in releases/approvals.json with a reason:\n  {}",
            unapproved.len(),
            last.0 + 1,
            unapproved.join("\n  ")
        ),
        report: Some(report),
    })
}
