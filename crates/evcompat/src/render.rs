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
    let place = if change.pointer.is_empty() {
        String::new()
    } else {
        format!(" at {}", style.code(&change.pointer))
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

/// The report as a pull-request comment, in Markdown (CommonMark with GitHub's tables). Text
/// from the schemas is escaped for where it stands (code span, running text, table cell): it
/// cannot end a row or an item, open a link, or write HTML.
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
    let cell_style = Style::MarkdownCell;
    out.push_str("| rule | where | backward | forward |\n|---|---|---|---|\n");
    for change in &report.changes {
        let cell = |e: &Effect| match e {
            Effect::Incompatible { witness } => {
                format!("**breaks**: {}", witness_at(change, witness, cell_style))
            }
            Effect::Unknown { .. } => "unknown".to_owned(),
            Effect::Compatible { .. } => "compatible".to_owned(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            change.rule.id(),
            changelog_styled(change, cell_style),
            cell(&change.backward),
            cell(&change.forward),
        ));
    }
    let style = Style::Markdown;
    let unknown: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| matches!(c.effect(mode), Effect::Unknown { .. }))
        .collect();
    if !unknown.is_empty() {
        out.push_str("\nUndecided (neither shown compatible nor broken by a witness):\n\n");
        for change in unknown {
            if let Effect::Unknown { reason } = change.effect(mode) {
                out.push_str(&format!(
                    "- {}: {}\n",
                    changelog_styled(change, style),
                    style.text(reason)
                ));
            }
        }
    }
    out.push_str("\n<details><summary>Changelog</summary>\n\n");
    for change in &report.changes {
        out.push_str(&format!("- {}\n", changelog_styled(change, style)));
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
