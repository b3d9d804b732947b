//! The report's formats: human (a terminal), JSON (machines), Markdown (a pull-request
//! comment). Values are always shown as JSON.

use std::fmt;

use serde_json::{Value, json};

use super::{Change, Effect, Mode, Report, Verdict};

/// The formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// For a terminal.
    Human,
    /// One JSON document.
    Json,
    /// A pull-request comment.
    Markdown,
}

/// The report in `format`, ending with a newline.
pub fn render(report: &Report, mode: Mode, format: Format) -> String {
    match format {
        Format::Human => render_human(report, mode),
        Format::Markdown => render_markdown(report, mode),
        Format::Json => {
            let mut text = render_json(report, mode).to_string();
            text.push('\n');
            text
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Backward => "backward",
            Mode::Forward => "forward",
            Mode::Full => "full",
        })
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Compatible => "compatible",
            Verdict::Incompatible => "incompatible",
            Verdict::Unknown => "unknown",
        })
    }
}

/// How a change reads in a changelog: "`call_state`: value "failed" added at `/call/state`
/// (`Call.state`)".
pub fn changelog_line(change: &Change) -> String {
    let place = if change.pointer.is_empty() {
        String::new()
    } else {
        format!(" at `{}`", change.pointer)
    };
    let field = change
        .rust_field
        .as_ref()
        .map(|f| format!(" (`{f}`)"))
        .unwrap_or_default();
    match &change.event_type {
        Some(t) => format!("`{t}`: {}{place}{field}", change.detail),
        None => format!("{}{place}{field}", change.detail),
    }
}

fn effect_word(effect: &Effect) -> &'static str {
    match effect {
        Effect::Compatible { .. } => "compatible",
        Effect::Incompatible { .. } => "BREAKS",
        Effect::Unknown { .. } => "unknown",
    }
}

/// The value a witness has at the change, for a one-line summary.
fn witness_at(change: &Change, witness: &Value) -> String {
    let shorten = |text: String| {
        let short: String = text.chars().take(60).collect();
        if short.len() < text.len() {
            format!("{short}...")
        } else {
            short
        }
    };
    if change.pointer.is_empty() || change.pointer.contains('*') {
        return shorten(witness.to_string());
    }
    match witness.pointer(&change.pointer) {
        Some(value) => format!("`{}` = {}", change.pointer, shorten(value.to_string())),
        None => format!("`{}` absent", change.pointer),
    }
}

/// The report for a terminal: the verdict, each change with both directions and its witness,
/// and a changelog.
pub fn render_human(report: &Report, mode: Mode) -> String {
    let mut out = format!(
        "{} in {mode} mode ({} change{})\n",
        report.verdict(mode),
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" }
    );
    for (name, d) in [("backward", &report.backward), ("forward", &report.forward)] {
        out.push_str(&format!("  {name}: {} ({})\n", d.verdict, d.reason));
    }
    for change in &report.changes {
        out.push_str(&format!(
            "\n{} {}\n",
            change.rule.id(),
            changelog_line(change)
        ));
        for (direction, effect) in [("backward", &change.backward), ("forward", &change.forward)] {
            out.push_str(&format!("  {direction}: {}", effect_word(effect)));
            match effect {
                Effect::Incompatible { witness } => {
                    out.push_str(&format!(" (witness: {})", witness_at(change, witness)));
                }
                Effect::Unknown { reason } => out.push_str(&format!(" ({reason})")),
                Effect::Compatible { .. } => {}
            }
            out.push('\n');
        }
    }
    out.push_str("\nChangelog:\n");
    if report.changes.is_empty() {
        out.push_str("- no change\n");
    }
    for change in &report.changes {
        out.push_str(&format!("- {}\n", changelog_line(change)));
    }
    out
}

/// The report as a pull-request comment, in Markdown.
pub fn render_markdown(report: &Report, mode: Mode) -> String {
    let verdict = report.verdict(mode);
    let icon = match verdict {
        Verdict::Compatible => "✅",
        Verdict::Incompatible => "❌",
        Verdict::Unknown => "⚠️",
    };
    let mut out = format!("### {icon} Event schemas: {verdict} ({mode} mode)\n\n");
    if report.changes.is_empty() {
        out.push_str("No change to the event schemas.\n");
        return out;
    }
    let cell_text = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    out.push_str("| rule | where | backward | forward |\n|---|---|---|---|\n");
    for change in &report.changes {
        let cell = |e: &Effect| match e {
            Effect::Incompatible { witness } => {
                format!("**breaks**: {}", witness_at(change, witness))
            }
            Effect::Unknown { .. } => "unknown".to_owned(),
            Effect::Compatible { .. } => "compatible".to_owned(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            change.rule.id(),
            cell_text(&changelog_line(change)),
            cell_text(&cell(&change.backward)),
            cell_text(&cell(&change.forward)),
        ));
    }
    let unknown: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| matches!(c.effect(mode), Effect::Unknown { .. }))
        .collect();
    if !unknown.is_empty() {
        out.push_str("\nUndecided (neither shown compatible nor broken by a witness):\n");
        for change in unknown {
            if let Effect::Unknown { reason } = change.effect(mode) {
                out.push_str(&format!("- {}: {reason}\n", changelog_line(change)));
            }
        }
    }
    out.push_str("\n<details><summary>Changelog</summary>\n\n");
    for change in &report.changes {
        out.push_str(&format!("- {}\n", changelog_line(change)));
    }
    out.push_str("\n</details>\n");
    out
}

/// The report as one JSON document: the verdict in `mode` and per direction, every change with
/// its effects (whole witness values), and the changelog lines.
pub fn render_json(report: &Report, mode: Mode) -> Value {
    json!({
        "mode": mode,
        "verdict": report.verdict(mode),
        "backward": report.backward,
        "forward": report.forward,
        "producers": report.producers,
        "readers": report.readers,
        "changes": report.changes,
        "changelog": report.changes.iter().map(changelog_line).collect::<Vec<_>>(),
    })
}
