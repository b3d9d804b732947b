//! The human format: compiler-style diagnostics, the offending part of the source underlined.
//!
//! Everything from the input (file names, pointers, messages, source lines) is shown with
//! control characters, line separators and bidirectional controls escaped
//! ([`escape::visible`]), and bytes that are not UTF-8 as `\xNN`. Columns on screen are counted
//! by display width (`unicode-width`: a CJK character or an emoji takes two), so the underline
//! sits under the part it names.

use std::fmt::Write as _;
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::escape::{self, is_hazard};
use super::{Record, Render, Style, Summary, Verdict};

/// The widest source window shown, in terminal columns; a longer line (an NDJSON event) is cut
/// to a window around the problem.
const WINDOW: usize = 100;
/// How many columns of context to keep before the problem in a cut line.
const LEAD: usize = 30;

pub(super) const RESET: &str = "\x1b[0m";
pub(super) const BOLD: &str = "\x1b[1m";
pub(super) const RED: &str = "\x1b[31m";
pub(super) const GREEN: &str = "\x1b[32m";
pub(super) const YELLOW: &str = "\x1b[33m";
pub(super) const BLUE: &str = "\x1b[34m";

/// The human renderer.
pub(crate) struct Human {
    style: Style,
}

impl Human {
    pub(crate) fn new(style: Style) -> Human {
        Human { style }
    }

    fn paint(&self, code: &'static str) -> (&'static str, &'static str) {
        if self.style.color {
            (code, RESET)
        } else {
            ("", "")
        }
    }
}

impl Render for Human {
    fn record(&mut self, out: &mut String, record: &Record, text: &[u8]) {
        let (bold, reset) = self.paint(BOLD);
        let (blue, _) = self.paint(BLUE);
        let source = escape::visible(record.source.name());
        if record.verdict == Verdict::Blank {
            let (yellow, _) = self.paint(YELLOW);
            let _ = writeln!(
                out,
                "{yellow}note{reset}: {source}:{}: blank line, not an event (counted, not validated)",
                record.line
            );
            return;
        }
        let (red, _) = self.paint(RED);
        for problem in &record.problems {
            let _ = writeln!(
                out,
                "{red}{bold}error[{}]{reset}{bold}: {}{reset}",
                problem.kind.as_str(),
                escape::visible(&problem.message)
            );
            let column = problem.column.map(|c| format!(":{c}")).unwrap_or_default();
            let at = if problem.pointer.is_empty() {
                String::new()
            } else {
                format!(" at {}", escape::visible(&problem.pointer))
            };
            let event_type = record
                .event_type
                .as_deref()
                .map(|t| format!(" ({} event)", escape::visible(t)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {blue}-->{reset} {source}:{}{column}{at}{event_type}",
                problem.line
            );
            if self.style.show_source
                && let Some(span) = &problem.span
            {
                let (gutter_on, _) = self.paint(BLUE);
                snippet(out, text, span.clone(), problem.line, gutter_on, red, reset);
            }
        }
        if !record.problems.is_empty() {
            out.push('\n');
        }
    }

    fn finish(&mut self, out: &mut String, summary: &Summary, exit_code: u8) {
        let (on, off) = self.paint(if summary.all_pass() && exit_code == 0 {
            GREEN
        } else {
            RED
        });
        let _ = writeln!(out, "{on}{}{off}", summary.sentence());
    }
}

/// Whether `byte` continues a UTF-8 character rather than starting one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// One character (or one byte that is not UTF-8) of a source line as shown: its bytes in the
/// input, its text on screen, and how many columns that text takes.
struct Cell {
    bytes: Range<usize>,
    shown: Shown,
    width: usize,
}

/// A cell's text on screen: most often the character itself (nothing allocated), else its
/// escape.
enum Shown {
    Char(char),
    Escaped(String),
}

/// The cells of `line` (the bytes of one line, without its newline), whose first byte is at
/// `offset` in the record's text.
fn cells(line: &[u8], offset: usize) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(line.len());
    let mut at = offset;
    for chunk in line.utf8_chunks() {
        for c in chunk.valid().chars() {
            let len = c.len_utf8();
            let (shown, width) = match c {
                // A tab's width depends on where it falls: one column keeps the underline true.
                '\t' => (Shown::Char(' '), 1),
                c if is_hazard(c) => {
                    let shown = escape::escaped(c);
                    let width = shown.len();
                    (Shown::Escaped(shown), width)
                }
                c => (Shown::Char(c), c.width().unwrap_or(0)),
            };
            cells.push(Cell {
                bytes: at..at + len,
                shown,
                width,
            });
            at += len;
        }
        for byte in chunk.invalid() {
            cells.push(Cell {
                bytes: at..at + 1,
                shown: Shown::Escaped(format!("\\x{byte:02X}")),
                width: 4,
            });
            at += 1;
        }
    }
    cells
}

/// How many bytes before a problem, and after its start, are read to show it: its line is cut
/// to them (at most four bytes a column: enough for LEAD columns before it and WINDOW after,
/// unless zero-width characters take some). So a snippet reads the same few hundred bytes of a
/// 1 MB line as of a short one, and an event with thousands of problems on one line is shown in
/// time linear in them.
const BYTES_BEFORE: usize = 4 * (LEAD + 1);
const BYTES_AFTER: usize = 4 * (WINDOW + 1);

/// Shows the source line holding `span` with the span underlined. The span may be any range:
/// it is clamped to the text, cut at the end of its first line and widened to whole characters.
/// Only [`BYTES_BEFORE`] and [`BYTES_AFTER`] bytes around its start are read.
fn snippet(
    out: &mut String,
    text: &[u8],
    span: Range<usize>,
    line_no: usize,
    blue: &str,
    red: &str,
    reset: &str,
) {
    let start = span.start.min(text.len());
    let low = start.saturating_sub(BYTES_BEFORE);
    let (line_start, cut_before) = match text[low..start].iter().rposition(|&b| b == b'\n') {
        Some(i) => (low + i + 1, false),
        None if low == 0 => (0, false),
        // Cut inside the line: at the next character's first byte (a continuation byte starts
        // none; past three of them the bytes are not UTF-8 anyway).
        None => (
            (low..(low + 3).min(start))
                .find(|&i| !is_continuation(text[i]))
                .unwrap_or(low + 3),
            true,
        ),
    };
    let high = (start + BYTES_AFTER).min(text.len());
    let (mut line_end, cut_after) = match text[start..high].iter().position(|&b| b == b'\n') {
        Some(i) => (start + i, false),
        None if high == text.len() => (high, false),
        // Cut before the character that would not fit whole.
        None => (
            (high.saturating_sub(3).max(start)..=high)
                .rev()
                .find(|&i| !is_continuation(text[i]))
                .unwrap_or(high),
            true,
        ),
    };
    // A CRLF file: the `\r` ends the line, it is not part of it.
    if !cut_after && line_end > line_start && text[line_end - 1] == b'\r' && start < line_end {
        line_end -= 1;
    }
    let end = span.end.clamp(start, line_end);
    let cells = cells(&text[line_start..line_end], line_start);
    // The cells the span touches: from the one holding `start` to the last one starting
    // before `end` (at least one, so a point or the end of the line still gets a caret).
    let first = cells
        .iter()
        .position(|c| c.bytes.end > start)
        .unwrap_or(cells.len());
    let last = cells
        .iter()
        .rposition(|c| c.bytes.start < end)
        .map_or(first + 1, |i| (i + 1).max(first + 1));
    let column = |i: usize| {
        cells[..i.min(cells.len())]
            .iter()
            .map(|c| c.width)
            .sum::<usize>()
    };
    let total = column(cells.len());
    let (from, to) = if total <= WINDOW {
        (0, cells.len())
    } else {
        // Start a little before the problem, and show at most WINDOW columns.
        let target = column(first).saturating_sub(LEAD);
        let from = cells
            .iter()
            .scan(0, |w, c| {
                let at = *w;
                *w += c.width;
                Some(at)
            })
            .position(|at| at >= target)
            .unwrap_or(0)
            .min(first);
        let mut width = 0;
        let mut to = from;
        while to < cells.len() && width + cells[to].width <= WINDOW {
            width += cells[to].width;
            to += 1;
        }
        // Every cell is narrower than the window, so at least the first one fits.
        (from, to)
    };
    let lead = if from > 0 || cut_before { "..." } else { "" };
    let trail = if to < cells.len() || cut_after {
        "..."
    } else {
        ""
    };
    let mut shown = String::new();
    for cell in &cells[from..to] {
        match &cell.shown {
            Shown::Char(c) => shown.push(*c),
            Shown::Escaped(text) => shown.push_str(text),
        }
    }
    let underline_at = lead.len() + column(first) - column(from);
    let underline = if first >= cells.len() {
        1
    } else {
        // The window always reaches past `first` (it starts at most LEAD columns before it).
        (column(last.min(to)) - column(first)).max(1)
    };
    let gutter = line_no.to_string();
    let pad = " ".repeat(gutter.len());
    let _ = writeln!(out, "{pad} {blue}|{reset}");
    let _ = writeln!(out, "{blue}{gutter} |{reset} {lead}{shown}{trail}");
    let _ = writeln!(
        out,
        "{pad} {blue}|{reset} {}{red}{}{reset}",
        " ".repeat(underline_at),
        "^".repeat(underline)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The source line and the underline the snippet shows, without the gutter.
    fn shown(text: &[u8], span: Range<usize>) -> (String, String) {
        let mut out = String::new();
        snippet(&mut out, text, span, 1, "", "", "");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        (
            lines[1].strip_prefix("1 | ").expect("gutter").to_owned(),
            lines[2].strip_prefix("  | ").expect("gutter").to_owned(),
        )
    }

    /// The display column (0-based) of the caret under `line` and the width underlined.
    fn caret(underline: &str) -> (usize, usize) {
        let at = underline.find('^').expect("a caret");
        (at, underline.len() - at)
    }

    #[test]
    fn underlines_by_display_width() {
        let text = "{\"名前\":\"中文\",\"x\":1}".as_bytes();
        let x = text.iter().position(|&b| b == b'x').expect("x") - 1;
        let (line, underline) = shown(text, x..x + 3);
        assert_eq!(line, "{\"名前\":\"中文\",\"x\":1}");
        // Two columns per CJK character: the caret is under the `"x"`.
        let (at, width) = caret(&underline);
        let before = "{\"名前\":\"中文\",";
        assert_eq!(at, 2 * 4 + (before.chars().count() - 4));
        assert_eq!(width, 3);
        // An emoji is two columns wide.
        let text = "{\"a\":\"📞\",\"b\":2}".as_bytes();
        let b = text.iter().position(|&b| b == b'b').expect("b") - 1;
        let (_, underline) = shown(text, b..b + 3);
        assert_eq!(caret(&underline), (10, 3));
    }

    #[test]
    fn any_span_on_any_bytes() {
        // Inside a multi-byte character, on an invalid byte, past the end, reversed.
        let text = "{\"uuid\":\"📞".as_bytes();
        for start in 0..=text.len() + 2 {
            for end in [0, start, start + 1, text.len(), text.len() + 5] {
                let _ = shown(text, start..end);
            }
        }
        let (line, underline) = shown(b"{\"type\":\"caf\xe9\"}", 12..13);
        assert_eq!(line, "{\"type\":\"caf\\xE9\"}");
        assert_eq!(caret(&underline), (12, 4));
        // A point on a wide character underlines the whole character.
        let (_, underline) = shown("中x".as_bytes(), 0..0);
        assert_eq!(caret(&underline), (0, 2));
        let (_, underline) = shown("a中x".as_bytes(), 1..1);
        assert_eq!(caret(&underline), (1, 2));
        // Past the text of a CRLF line: on the newline the `\r` is shown, before it it is not.
        let (line, underline) = shown(b"ab\r\n", 3..4);
        assert_eq!(line, "ab\\u{d}");
        assert_eq!(caret(&underline), (7, 1));
        let (line, underline) = shown(b"ab\r\n", 2..3);
        assert_eq!(line, "ab");
        assert_eq!(caret(&underline), (2, 1));
        // The byte-order mark is shown, not hidden.
        let (line, underline) = shown(b"\xEF\xBB\xBF{}", 0..1);
        assert_eq!(line, "\\u{feff}{}");
        assert_eq!(caret(&underline), (0, 8));
    }

    #[test]
    fn escapes_controls_in_source_lines() {
        let (line, underline) = shown(b"{\"\x1b]0;t\x07\":1}\r\n", 1..2);
        assert_eq!(line, "{\"\\u{1b}]0;t\\u{7}\":1}");
        assert_eq!(caret(&underline), (1, 1));
        let (line, _) = shown(b"a\tb", 2..3);
        assert_eq!(line, "a b");
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let mut text = "x".repeat(300);
        text.push_str("中中");
        text.push_str(&"y".repeat(300));
        let at = 300;
        let (line, underline) = shown(text.as_bytes(), at..at + 6);
        assert!(line.starts_with("...") && line.ends_with("..."), "{line}");
        assert!(line.contains("中中"));
        let (col, width) = caret(&underline);
        assert_eq!(width, 4);
        // The caret is under the first 中: the columns before it in the shown line.
        let before = &line[..line.find('中').expect("shown")];
        assert_eq!(col, before.chars().count());
        assert!(line.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>() <= WINDOW + 6);
        // A line read from its start (a short prefix in bytes, wide on screen) is still cut
        // LEAD columns before the problem, and says so.
        let text = format!("{}X{}", "中".repeat(40), "y".repeat(100));
        let at = text.find('X').expect("X");
        assert!(at < BYTES_BEFORE);
        let (line, underline) = shown(text.as_bytes(), at..at + 1);
        assert_eq!(
            line,
            format!(
                "...{}X{}...",
                "中".repeat(LEAD / 2),
                "y".repeat(WINDOW - LEAD - 1)
            )
        );
        assert_eq!(caret(&underline), (3 + LEAD, 1));
    }

    #[test]
    fn only_the_bytes_around_the_problem_are_read() {
        // A line of megabytes: the window is the one a whole read would give, LEAD columns
        // before the problem and WINDOW in all, each side cut with `...`.
        let mut text = "📞".repeat(250_000);
        let at = text.len();
        text.push('X');
        text.push_str(&"y".repeat(1_000_000));
        let (line, underline) = shown(text.as_bytes(), at..at + 1);
        let expected = format!(
            "...{}X{}...",
            "📞".repeat(LEAD / 2),
            "y".repeat(WINDOW - LEAD - 1)
        );
        assert_eq!(line, expected);
        assert_eq!(caret(&underline), (3 + LEAD, 1));
        // Cut inside a character, either side: the cut moves to a character's first byte.
        for shift in 0..4 {
            let (line, underline) = shown(text.as_bytes(), at - shift..at - shift + 1);
            assert!(
                line.starts_with("...📞") && line.ends_with("y..."),
                "{line}"
            );
            assert!(!line.contains("\\x"), "{line}");
            assert_eq!(caret(&underline).1, if shift == 0 { 1 } else { 2 });
        }
        let mut text = "a".repeat(1000);
        let at = text.len();
        text.push_str(&"é".repeat(2000));
        let (line, _) = shown(text.as_bytes(), at..at + 2);
        assert_eq!(
            line,
            format!("...{}{}...", "a".repeat(LEAD), "é".repeat(WINDOW - LEAD))
        );
        // The line's own end within reach is shown as the end, not cut, CRLF and all.
        let text = format!("{}\r\n{}", "b".repeat(1000), "c".repeat(1000));
        let (line, underline) = shown(text.as_bytes(), 990..991);
        assert_eq!(line, format!("...{}", "b".repeat(LEAD + 10)));
        assert_eq!(caret(&underline), (3 + LEAD, 1));
        let (line, _) = shown(text.as_bytes(), 1005..1006);
        assert_eq!(line, format!("{}...", "c".repeat(WINDOW)));
        // Zero-width characters take bytes and no columns: less context, still well placed.
        let mut text = "\u{301}".repeat(5000);
        let at = text.len();
        text.push_str("Z}");
        let (line, underline) = shown(text.as_bytes(), at..at + 1);
        assert!(line.starts_with("...") && line.ends_with("Z}"), "{line}");
        assert_eq!(caret(&underline), (3, 1));
    }

    /// Where the bytes read stop inside a character, the cut moves to a character's first byte:
    /// forward at the start (the first whole character after it), back at the end (the
    /// character that would not fit whole is left out). Zero-width combining marks fill the
    /// line, so the window shows every byte read and a stray continuation byte would show as
    /// `\xNN`.
    #[test]
    fn a_cut_inside_a_character_moves_to_its_first_byte() {
        let mark = "\u{301}";
        for lead in ["é", "€", "📞"] {
            // The problem (`Z`) 118 to 132 bytes from the start: the bytes read begin at offset
            // 0 (the whole line is read) to 8, on a first byte or inside `lead` or a mark.
            for n in 58..=64 {
                let text = format!("{lead}{}Z}}", mark.repeat(n));
                let at = text.find('Z').expect("Z");
                let (line, underline) = shown(text.as_bytes(), at..at + 1);
                let expected = match at.checked_sub(BYTES_BEFORE) {
                    None | Some(0) => text.clone(),
                    Some(low) => format!("...{}", &text[text.ceil_char_boundary(low)..]),
                };
                assert_eq!(line, expected, "{lead} {n}");
                let before = &line[..line.find('Z').expect("Z")];
                let columns = before.chars().map(|c| c.width().unwrap_or(0)).sum();
                assert_eq!(caret(&underline), (columns, 1), "{lead} {n}");
            }
        }
        for tail in ["é", "€", "📞"] {
            // The bytes read end (BYTES_AFTER from the problem, `Z`, at 0) inside `tail` or
            // at its first byte, or inside a mark or at its first byte.
            for n in 198..=202 {
                let text = format!("Z{}{tail}{}", mark.repeat(n), mark.repeat(300));
                let (line, underline) = shown(text.as_bytes(), 0..1);
                let end = text.floor_char_boundary(BYTES_AFTER);
                assert_eq!(line, format!("{}...", &text[..end]), "{tail} {n}");
                assert_eq!(caret(&underline), (0, 1));
            }
        }
    }

    #[test]
    fn second_line_of_a_file() {
        let text = b"{\n  \"a\": 1,\n  \"b\": x\n}";
        let x = text.iter().position(|&b| b == b'x').expect("x");
        let (line, underline) = shown(text, x..x + 1);
        assert_eq!(line, "  \"b\": x");
        assert_eq!(caret(&underline), (7, 1));
    }

    fn record(verdict: Verdict) -> Record {
        Record {
            source: crate::output::Source::stdin(),
            line: 1,
            verdict,
            event_type: Some("auth".into()),
            problems: vec![crate::output::Problem {
                pointer: "/type".into(),
                kind: crate::output::ProblemKind::Schema(evcontract::Kind::Enum),
                message: "m".into(),
                keywords: vec!["enum".into()],
                line: 1,
                column: Some(9),
                span: Some(8..15),
            }],
        }
    }

    fn render(record: &Record, color: bool, show_source: bool) -> String {
        let mut human = Human::new(Style {
            color,
            show_source,
            ..Style::default()
        });
        let mut out = String::new();
        human.record(&mut out, record, b"{\"type\":\"bogus\"}");
        out
    }

    #[test]
    fn a_record_in_plain_and_in_colour() {
        let plain = render(&record(Verdict::Invalid), false, true);
        assert_eq!(
            plain,
            "error[enum]: m\n  --> <stdin>:1:9 at /type (auth event)\n  |\n1 | {\"type\":\"bogus\"}\n  |         ^^^^^^^\n\n"
        );
        let masked = render(&record(Verdict::Invalid), false, false);
        assert_eq!(
            masked,
            "error[enum]: m\n  --> <stdin>:1:9 at /type (auth event)\n\n"
        );
        let valid = Record {
            problems: Vec::new(),
            ..record(Verdict::Valid)
        };
        assert_eq!(render(&valid, true, true), "");
        let colour = render(&record(Verdict::Invalid), true, true);
        assert_eq!(
            colour,
            "\u{1b}[31m\u{1b}[1merror[enum]\u{1b}[0m\u{1b}[1m: m\u{1b}[0m\n  \u{1b}[34m-->\u{1b}[0m <stdin>:1:9 at /type (auth event)\n  \u{1b}[34m|\u{1b}[0m\n\u{1b}[34m1 |\u{1b}[0m {\"type\":\"bogus\"}\n  \u{1b}[34m|\u{1b}[0m         \u{1b}[31m^^^^^^^\u{1b}[0m\n\n"
        );
        let blank = Record {
            verdict: Verdict::Blank,
            problems: Vec::new(),
            ..record(Verdict::Blank)
        };
        assert_eq!(
            render(&blank, true, true),
            "\u{1b}[33mnote\u{1b}[0m: <stdin>:1: blank line, not an event (counted, not validated)\n"
        );
    }

    #[test]
    fn the_summary_is_green_only_when_everything_passes() {
        let finish = |summary: &Summary, code: u8| {
            let mut human = Human::new(Style {
                color: true,
                ..Style::default()
            });
            let mut out = String::new();
            human.finish(&mut out, summary, code);
            out
        };
        let mut summary = Summary::default();
        summary.add(Verdict::Valid);
        assert!(
            finish(&summary, 0).starts_with(GREEN),
            "{}",
            finish(&summary, 0)
        );
        assert!(
            finish(&summary, 1).starts_with(RED),
            "no event counts as a failure"
        );
        summary.add(Verdict::Invalid);
        assert!(finish(&summary, 0).starts_with(RED));
        assert!(finish(&summary, 0).ends_with("1 invalid\u{1b}[0m\n"));
    }
}
