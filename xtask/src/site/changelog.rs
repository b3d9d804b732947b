//! The one call into the breaking-change checker (`evcompat`) the site makes.

use std::collections::BTreeMap;

use anyhow::Result;
use evcompat::{Mode, Options, compare, render_human};
use serde_json::Value;

/// The report of `evschema compat OLD NEW` (the default options: tolerant readers, producers
/// by the catalog's kind; full mode, no extra events), as
/// text: its verdict, each change with its effect in both directions and witness, and the
/// changelog.
pub fn report(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> Result<String> {
    let report = compare(old, new, &Options::default(), &[])?;
    Ok(render_human(&report, Mode::Full))
}
