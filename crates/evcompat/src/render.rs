//! The report's formats: human (a terminal), JSON (machines), Markdown (a pull-request
//! comment). Values are always shown as JSON.

use std::fmt;

use serde_json::{Value, json};

use super::{Change, Effect, Mode, Report, Verdict};
use evcontract::escape::visible;

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

/// How text taken from the schemas and events (keys in pointers, values, event types, Rust
/// names, reasons that quote them) is written in one format. Nothing from the input can end a
/// line, start markup or be obeyed by a terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// As it is: the JSON report's changelog strings (data, escaped by JSON itself).
    Plain,
    /// A terminal: every hazard ([`evcontract::escape::is_hazard`]) shown as a visible escape.
    Terminal,
    /// Markdown (CommonMark and GitHub's tables) in running text or a list item.
    Markdown,
    /// Markdown inside a table cell, where `|` ends the cell even in a code span.
    MarkdownCell,
}

impl Style {
    /// `text` as a code span.
    fn code(self, text: &str) -> String {
        match self {
            Style::Plain => format!("`{text}`"),
            Style::Terminal => format!("`{}`", visible(text)),
            Style::Markdown | Style::MarkdownCell => {
                let mut shown = visible(text).into_owned();
                if self == Style::MarkdownCell {
                    shown = shown.replace('|', "\\|");
                }
                markdown_code_span(&shown)
            }
        }
    }

    /// `text` as running text.
    fn text(self, text: &str) -> String {
        match self {
            Style::Plain => text.to_owned(),
            Style::Terminal => visible(text).into_owned(),
            Style::Markdown | Style::MarkdownCell => {
                let shown = visible(text);
                let mut out = String::with_capacity(shown.len() + 8);
                for c in shown.chars() {
                    // Every character that can start inline markup, HTML, an entity or a table
                    // cell boundary; a backslash escape is valid before any ASCII punctuation.
                    if matches!(
                        c,
                        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!'
                    ) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            }
        }
    }
}

/// `text` (already one line) as a CommonMark code span: delimited by one more backtick than the
/// longest run inside, and padded with a space where the content would otherwise touch the
/// delimiters or lose its own edge spaces.
fn markdown_code_span(text: &str) -> String {
    if text.is_empty() {
        return "` `".to_owned();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && text.trim() != "");
    if pad {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// How a change reads in a changelog: "`call_state`: value "failed" added at `/call/state`
/// (`Call.state`)". Text from the schemas is as it is (for the JSON report and the site, which
/// escape it themselves); the human and Markdown reports write the same line safely.
pub fn changelog_line(change: &Change) -> String {
    changelog_styled(change, Style::Plain)
}

fn changelog_styled(change: &Change, style: Style) -> String {
    let place = if change.pointer.is_empty() && change.places <= 1 {
        String::new()
    } else {
        format!(
            " at {}{}",
            style.code(&change.pointer),
            more_places(change, style, 3)
        )
    };
    let field = change
        .rust_field
        .as_ref()
        .map(|f| format!(" ({})", style.code(f)))
        .unwrap_or_default();
    let detail = style.text(&change.detail);
    match &change.event_type {
        Some(t) => format!("{}: {detail}{place}{field}", style.code(t)),
        None => format!("{detail}{place}{field}"),
    }
}

/// The places of a change beyond its first, for a one-line summary: " and 4,095 other places
/// (`/a/b`, `/b/a`, ...)", at most `shown` of them by name.
fn more_places(change: &Change, style: Style, shown: usize) -> String {
    if change.places <= 1 && !change.recursive {
        return String::new();
    }
    let others = change.places.saturating_sub(1);
    let count = if change.places == u64::MAX {
        "more than 18 quintillion".to_owned()
    } else {
        thousands(others)
    };
    let names: Vec<String> = change
        .other_places
        .iter()
        .take(shown)
        .map(|p| style.code(p))
        .collect();
    let ellipsis = if (names.len() as u64) < others {
        ", ..."
    } else {
        ""
    };
    let recursive = if change.recursive {
        ", and at every depth of a recursive schema"
    } else {
        ""
    };
    if names.is_empty() {
        format!(" and {count} other place{}{recursive}", plural(others))
    } else {
        format!(
            " and {count} other place{} ({}{ellipsis}){recursive}",
            plural(others),
            names.join(", ")
        )
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A count with thousands separators: 4,095.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn effect_word(effect: &Effect) -> &'static str {
    match effect {
        Effect::Compatible { .. } => "compatible",
        Effect::Incompatible { .. } => "BREAKS",
        Effect::Unknown { .. } => "unknown",
    }
}

/// The value a witness has at the change, for a one-line summary (at most 60 characters of
/// JSON, cut on a character boundary).
fn witness_at(change: &Change, witness: &Value, style: Style) -> String {
    let shorten = |text: String| {
        let short: String = text.chars().take(60).collect();
        if short.len() < text.len() {
            style.text(&format!("{short}..."))
        } else {
            style.text(&short)
        }
    };
    if change.pointer.is_empty() || change.pointer.contains('*') {
        return shorten(witness.to_string());
    }
    match witness.pointer(&change.pointer) {
        Some(value) => format!(
            "{} = {}",
            style.code(&change.pointer),
            shorten(value.to_string())
        ),
        None => format!("{} absent", style.code(&change.pointer)),
    }
}

/// The report for a terminal: the verdict, each change with both directions and its witness,
/// and a changelog. Text from the schemas is shown with [`evcontract::escape::visible`]: one line per
/// line of the report, nothing a terminal obeys.
pub fn render_human(report: &Report, mode: Mode) -> String {
    let style = Style::Terminal;
    let mut out = format!(
        "{} in {mode} mode ({} change{})\n",
        report.verdict(mode),
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" }
    );
    for (name, d) in [("backward", &report.backward), ("forward", &report.forward)] {
        out.push_str(&format!(
            "  {name}: {} ({})\n",
            d.verdict,
            style.text(&d.reason)
        ));
    }
    for change in &report.changes {
        out.push_str(&format!(
            "\n{} {}\n",
            change.rule.id(),
            changelog_styled(change, style)
        ));
        for (direction, effect) in [("backward", &change.backward), ("forward", &change.forward)] {
            out.push_str(&format!("  {direction}: {}", effect_word(effect)));
            match effect {
                Effect::Incompatible { witness } => {
                    out.push_str(&format!(
                        " (witness: {})",
                        witness_at(change, witness, style)
                    ));
                }
                Effect::Unknown { reason } => {
                    out.push_str(&format!(" ({})", style.text(reason)));
                }
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
        out.push_str(&format!("- {}\n", changelog_styled(change, style)));
    }
    out
}

/// The longest Markdown report: a GitHub pull-request comment holds 65,536 characters.
pub const MARKDOWN_LIMIT: usize = 60_000;

/// The report as a pull-request comment, in Markdown (CommonMark with GitHub's tables). Text
/// from the schemas is escaped for where it stands (code span, running text, table cell): it
/// cannot end a row or an item, open a link, or write HTML.
///
/// Changes of one rule at one place with the same effects are one row with their count (an
/// enum that gained 40,000 values is one row); a change at many places (a shared definition)
/// names a few. The report stays under [`MARKDOWN_LIMIT`] characters whatever the pair: what
/// does not fit is counted, with how to get it (`--format json` lists every change).
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
    let groups = groups(&report.changes);
    out.push_str(&format!(
        "{} change{} ({} row{}).\n\n",
        thousands(report.changes.len() as u64),
        plural(report.changes.len() as u64),
        thousands(groups.len() as u64),
        plural(groups.len() as u64),
    ));
    // Room for each part, so that one long part cannot crowd out the others; whatever is left
    // out is counted in the closing line.
    let (table_room, unknown_room, changelog_room) = (40_000, 8_000, 8_000);
    let cell_style = Style::MarkdownCell;
    let mut table = String::from("| rule | where | backward | forward |\n|---|---|---|---|\n");
    let mut left_out = 0;
    for group in &groups {
        let change = group[0];
        let cell = |e: &Effect| match e {
            Effect::Incompatible { witness } => {
                format!("**breaks**: {}", witness_at(change, witness, cell_style))
            }
            Effect::Unknown { .. } => "unknown".to_owned(),
            Effect::Compatible { .. } => "compatible".to_owned(),
        };
        let rule = if group.len() > 1 {
            format!("`{}` ×{}", change.rule.id(), thousands(group.len() as u64))
        } else {
            format!("`{}`", change.rule.id())
        };
        let mut place = changelog_styled(change, cell_style);
        if group.len() > 1 {
            let details: Vec<String> = group
                .iter()
                .skip(1)
                .take(2)
                .map(|c| cell_style.text(&c.detail))
                .collect();
            place.push_str(&format!("; also {}", details.join("; ")));
            if group.len() > 3 {
                place.push_str(&format!("; and {} more", thousands(group.len() as u64 - 3)));
            }
        }
        let row = format!(
            "| {rule} | {place} | {} | {} |\n",
            cell(&change.backward),
            cell(&change.forward),
        );
        if table.len() + row.len() > table_room {
            left_out += 1;
        } else {
            table.push_str(&row);
        }
    }
    out.push_str(&table);
    let style = Style::Markdown;
    let unknown: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| matches!(c.effect(mode), Effect::Unknown { .. }))
        .collect();
    let mut unknown_left_out = 0;
    if !unknown.is_empty() {
        let mut section =
            String::from("\nUndecided (neither shown compatible nor broken by a witness):\n\n");
        for change in &unknown {
            if let Effect::Unknown { reason } = change.effect(mode) {
                let line = format!(
                    "- {}: {}\n",
                    changelog_styled(change, style),
                    style.text(reason)
                );
                if section.len() + line.len() > unknown_room {
                    unknown_left_out += 1;
                } else {
                    section.push_str(&line);
                }
            }
        }
        if unknown_left_out > 0 {
            section.push_str(&format!(
                "- and {} more undecided\n",
                thousands(unknown_left_out)
            ));
        }
        out.push_str(&section);
    }
    let mut changelog = String::from("\n<details><summary>Changelog</summary>\n\n");
    let mut changelog_left_out = 0u64;
    for change in &report.changes {
        let line = format!("- {}\n", changelog_styled(change, style));
        if changelog.len() + line.len() > changelog_room {
            changelog_left_out += 1;
        } else {
            changelog.push_str(&line);
        }
    }
    if changelog_left_out > 0 {
        changelog.push_str(&format!("- and {} more\n", thousands(changelog_left_out)));
    }
    changelog.push_str("\n</details>\n");
    out.push_str(&changelog);
    if left_out > 0 || unknown_left_out > 0 || changelog_left_out > 0 {
        out.push_str(&format!(
            "\n{} of {} rows are left out to keep this comment short; `evschema compat --format json` lists every change, with all its places.\n",
            thousands(left_out),
            thousands(groups.len() as u64),
        ));
    }
    out
}

/// The changes in rows: one rule at one place (and places) with the same effects, in a row of
/// their own.
fn groups(changes: &[Change]) -> Vec<Vec<&Change>> {
    let kind = |e: &Effect| std::mem::discriminant(e);
    let mut out: Vec<Vec<&Change>> = Vec::new();
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for change in changes {
        let key = (
            change.rule,
            change.event_type.clone(),
            change.pointer.clone(),
            change.places,
            kind(&change.backward),
            kind(&change.forward),
        );
        match index.get(&key) {
            // Only changes that say the same of both directions share a row: a witness is
            // shown for the first.
            Some(&i) if !matches!(change.rule, crate::Rule::Unclassified) => out[i].push(change),
            _ => {
                index.insert(key, out.len());
                out.push(vec![change]);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Options, Parser};

    use serde_json::json;

    use super::{Style, markdown_code_span, witness_at};
    use crate::{Change, Effect, Rule};

    fn change_at(pointer: &str) -> Change {
        Change {
            rule: Rule::TypeChanged,
            keyword: "type".into(),
            event_type: None,
            pointer: pointer.into(),
            places: 1,
            recursive: false,
            other_places: Vec::new(),
            rust_field: None,
            detail: "type".into(),
            old: None,
            new: None,
            backward: Effect::Compatible {
                proof: String::new(),
            },
            forward: Effect::Compatible {
                proof: String::new(),
            },
        }
    }

    #[test]
    fn a_witness_is_shown_at_the_change_and_cut_at_60_characters() {
        let witness = json!({"a": {"b": "x".repeat(100)}, "c": 1});
        let long = format!("\"{}...", "x".repeat(59));
        assert_eq!(
            witness_at(&change_at("/a/b"), &witness, Style::Plain),
            format!("`/a/b` = {long}")
        );
        assert_eq!(
            witness_at(&change_at("/c"), &witness, Style::Plain),
            "`/c` = 1"
        );
        assert_eq!(
            witness_at(&change_at("/d"), &witness, Style::Plain),
            "`/d` absent"
        );
        // At the root, or under a key the schema does not name (`*`): the whole value.
        let small = json!({"c": 1});
        for pointer in ["", "/*", "/a/*/b"] {
            assert_eq!(
                witness_at(&change_at(pointer), &small, Style::Plain),
                r#"{"c":1}"#,
                "{pointer:?}"
            );
        }
        let whole = witness_at(&change_at(""), &witness, Style::Plain);
        assert_eq!(whole.chars().count(), 63, "{whole}");
        assert!(whole.ends_with("..."), "{whole}");
        // Exactly 60 characters are not cut.
        let sixty = json!("y".repeat(58));
        assert_eq!(
            witness_at(&change_at(""), &sixty, Style::Plain),
            format!("\"{}\"", "y".repeat(58))
        );
    }

    /// What a CommonMark parser reads from `markdown`: the text of each code span, and whether
    /// anything else (text, HTML, links) came out.
    fn code_spans(markdown: &str) -> (Vec<String>, bool) {
        let mut spans = Vec::new();
        let mut other = false;
        for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
            match event {
                Event::Code(text) => spans.push(text.to_string()),
                Event::Start(_) | Event::End(_) => {}
                _ => other = true,
            }
        }
        (spans, other)
    }

    #[test]
    fn a_code_span_reads_back_as_exactly_its_text() {
        // Backticks inside, at either edge, in runs; spaces at the edges (CommonMark strips one
        // from each side when both are there); only spaces; nothing.
        for text in [
            "a", "`a", "a`", "`", "``", "a``b`c", " a ", " a", "a ", "  ", " ", "` a `", "*a*",
            "<b>", "[l](u)", "a\\b", "",
        ] {
            let span = markdown_code_span(text);
            let expected = if text.is_empty() { " " } else { text };
            assert_eq!(
                code_spans(&span),
                (vec![expected.to_owned()], false),
                "{text:?} written as {span:?}"
            );
        }
        assert_eq!(markdown_code_span("a"), "`a`");
        assert_eq!(markdown_code_span("`a"), "`` `a ``");
        assert_eq!(markdown_code_span(" a "), "`  a  `");
        assert_eq!(markdown_code_span("  "), "`  `");
        assert_eq!(markdown_code_span("a``b"), "```a``b```");
    }

    #[test]
    fn markdown_text_reads_back_as_plain_text() {
        for text in ["*a* _b_ [l](u) <i> &amp; `c` ~d~ | !e \\", "a\nb\u{1b}c"] {
            let markdown = Style::Markdown.text(text);
            let mut read = String::new();
            for event in Parser::new_ext(&markdown, Options::ENABLE_TABLES) {
                match event {
                    Event::Text(t) => read.push_str(&t),
                    Event::Start(_) | Event::End(_) => {}
                    other => panic!("{text:?} written as {markdown:?} read as {other:?}"),
                }
            }
            assert_eq!(read, evcontract::escape::visible(text), "{markdown:?}");
        }
    }
}
