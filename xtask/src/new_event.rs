//! `cargo xtask new-event <TYPE> --from <PATH>...`: drafts a new event type from captured
//! payloads (with `evdraft`), registers it in the catalog's declaration, regenerates every
//! artifact, writes anonymised fixtures (valid ones that show every variant seen, and
//! single-fault invalid ones with their `.expect`), records the invalid reports' snapshot, and
//! runs the contract check: a tree where `cargo xtask check` and `cargo test --workspace` pass,
//! with a draft for the maintainer to review.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use evcontract::files::read_catalog;
use evcontract::validate::Issue;
use evcontract::{Catalog, Checked, Engine, UnknownFields, Values};
use evdraft::{Anonymiser, Capture, Draft, Refusal};
use evschema::input::{Compression, Found, Gunzip, Input, Line, LineReader, Mode, discover};
use serde_json::Value;

/// The largest capture file read whole (a `.json`), and the longest NDJSON line kept.
const MAX_FILE: u64 = 64 << 20;
const MAX_LINE: usize = 1 << 20;

/// What reading the captures found, besides the events of the type.
#[derive(Debug, Default)]
pub struct Reading {
    /// The events of the type, in the order read.
    pub captures: Vec<Capture>,
    /// Events of other types, by type.
    pub other_types: BTreeMap<String, usize>,
    /// Inputs that could not be used: `file:line: why`.
    pub skipped: Vec<String>,
    /// JSON values that are not an event (not an object with a string `type`).
    pub not_events: usize,
    /// Blank NDJSON lines.
    pub blank: usize,
    /// Files inside folders passed over for their extension.
    pub ignored_files: usize,
}

impl Reading {
    /// Adds the event in `bytes`, from `file` at `line` (1-based: the line it starts on).
    fn add(&mut self, type_name: &str, file: &str, line: usize, bytes: &[u8]) {
        let source = format!("{file}:{line}");
        match evcontract::parse(bytes) {
            Err(err) => self.skipped.push(format!(
                "{file}:{}:{}: unparsable, skipped: {}",
                line + err.line - 1,
                err.column,
                err.message
            )),
            Ok(value) => match value.get("type").and_then(Value::as_str) {
                Some(t) if t == type_name => {
                    self.captures
                        .push(Capture::new(source, value.clone(), bytes));
                }
                Some(t) => *self.other_types.entry(t.to_owned()).or_default() += 1,
                None => self.not_events += 1,
            },
        }
    }
}

/// Reads every capture under `paths` (files and folders of `.json`, `.ndjson`, `.jsonl`, each
/// optionally `.gz`), keeping the events whose `type` is `type_name` and counting the rest.
pub fn read_captures(type_name: &str, paths: &[PathBuf]) -> Reading {
    let mut reading = Reading::default();
    let discovery = discover(paths);
    reading.ignored_files = discovery.ignored.len();
    for found in discovery.found {
        match found {
            Found::Unreadable { path, message } => reading.skipped.push(format!(
                "{}: unreadable, skipped: {message}",
                path.display()
            )),
            Found::Input(Input::Stdin) => reading
                .skipped
                .push("-: standard input is not read; name the capture files".into()),
            Found::Input(Input::Path {
                path,
                mode,
                compression,
            }) => {
                if let Err(err) = read_input(type_name, &path, mode, compression, &mut reading) {
                    reading.skipped.push(format!(
                        "{}: {}, the rest of it skipped",
                        path.display(),
                        evschema::input::describe_io(&err)
                    ));
                }
            }
        }
    }
    reading
}

fn read_input(
    type_name: &str,
    path: &Path,
    mode: Mode,
    compression: Compression,
    reading: &mut Reading,
) -> io::Result<()> {
    let name = path.display().to_string();
    match mode {
        Mode::Json => match evschema::input::read_file(path, MAX_FILE, compression)? {
            evschema::input::FileRead::Bytes(bytes) => {
                reading.add(type_name, &name, 1, &bytes);
            }
            evschema::input::FileRead::TooLarge(why) => {
                reading
                    .skipped
                    .push(format!("{name}: too large, skipped: {why}"));
            }
        },
        Mode::Ndjson => {
            let file = fs::File::open(path)?;
            let source: Box<dyn Read> = match compression {
                Compression::None => Box::new(file),
                Compression::Gzip => Box::new(Gunzip::new(file)),
            };
            let mut lines = LineReader::new(BufReader::new(source), MAX_LINE);
            let mut buf = Vec::new();
            while let Some(line) = lines.next_line(&mut buf)? {
                let number = lines.line;
                match line {
                    Line::TooLarge(len) => reading.skipped.push(format!(
                        "{name}:{number}: a line of {len} bytes, more than {MAX_LINE}, skipped"
                    )),
                    Line::Text if buf.iter().all(u8::is_ascii_whitespace) => reading.blank += 1,
                    Line::Text => reading.add(type_name, &name, number, &buf),
                }
            }
        }
    }
    Ok(())
}

/// What `new-event` was asked to do.
pub struct Args {
    type_name: String,
    from: Vec<PathBuf>,
    dry_run: bool,
    unspecified: Vec<String>,
}

/// Reads `new-event`'s arguments: `<TYPE> --from <PATH>... [--unspecified <POINTER>]...
/// [--dry-run]`.
pub fn parse_args(args: &[&str]) -> Result<Args> {
    let mut type_name = None;
    let mut from = Vec::new();
    let mut dry_run = false;
    let mut unspecified = Vec::new();
    let mut in_from = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--from" => in_from = true,
            "--dry-run" => dry_run = true,
            "--unspecified" => match args.next() {
                Some(pointer) => unspecified.push((*pointer).to_owned()),
                None => bail!("new-event: --unspecified needs a JSON Pointer (`/payload/extra`)"),
            },
            a if a.starts_with("--") => bail!("new-event: unknown option `{a}`"),
            a if in_from => from.push(PathBuf::from(a)),
            a if type_name.is_none() => type_name = Some(a.to_owned()),
            a => bail!("new-event: unexpected `{a}` (paths go after --from)"),
        }
    }
    let Some(type_name) = type_name else {
        bail!("new-event: name the event type: cargo xtask new-event <TYPE> --from <PATH>...")
    };
    if from.is_empty() {
        bail!("new-event: give the captures: --from <PATH>... (files or folders)");
    }
    Ok(Args {
        type_name,
        from,
        dry_run,
        unspecified,
    })
}

/// `cargo xtask new-event`.
pub fn run(root: &Path, args: &[&str]) -> Result<bool> {
    let Args {
        type_name,
        from,
        dry_run,
        unspecified,
    } = parse_args(args)?;
    let reading = read_captures(&type_name, &from);
    print!("{}", describe_reading(&type_name, &reading));
    let options = evdraft::Options {
        unspecified,
        ..evdraft::Options::default()
    };
    let draft = match evdraft::draft_with(&type_name, &reading.captures, &options) {
        Ok(draft) => draft,
        Err(refusal) => {
            println!("{}", describe_refusal(&refusal, &reading.captures));
            return Ok(false);
        }
    };
    print!("{}", describe_draft(&draft));
    if dry_run {
        println!("\n--dry-run: nothing written. The model module would be:\n");
        println!("{}", draft.module);
        println!("and the declaration's entry:\n\n{}", draft.entry);
        return Ok(true);
    }
    // The catalog must keep its contract before a type is added: the snapshots recorded below
    // then show only what the new type changes.
    println!("\n== the contract check, before anything is written");
    if !crate::check::run(root, false)? {
        bail!("the contract check fails before the draft is added: fix that first");
    }
    write_draft(root, &draft)?;
    step(
        root,
        "cargo xtask codegen",
        &["run", "--quiet", "--package", "xtask", "--", "codegen"],
        &[],
    )?;
    write_fixtures(root, &draft, &reading.captures)?;
    step(
        root,
        "the invalid fixtures' reports (insta snapshot)",
        &[
            "test",
            "--quiet",
            "--package",
            "evcontract",
            "--test",
            "it",
            "--",
            "fixtures::invalid_fixture_reports",
        ],
        // The new type's reports are new, and the `any` folder's list the catalog's types: the
        // snapshots are recorded for review (the contract check passed before, so nothing else
        // in them changes).
        &[("INSTA_UPDATE", "always"), ("CI", "")],
    )?;
    step(
        root,
        "cargo xtask check",
        &["run", "--quiet", "--package", "xtask", "--", "check"],
        &[],
    )?;
    println!(
        "\nnew-event: `{}` drafted. Review the draft: crates/opentact-events/src/events/{}.rs (every doc comment says what was seen, not what it means), its entry in crates/opentact-events/src/events.rs, fixtures/valid/{}/ and fixtures/invalid/{}/, and releases/approvals.json; then run `cargo test --workspace`.",
        draft.type_name, draft.type_name, draft.type_name, draft.type_name
    );
    Ok(true)
}

/// Runs `cargo <args>` in the workspace, failing with what it printed.
fn step(root: &Path, what: &str, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    println!("\n== {what}");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(root);
    for (key, value) in env {
        if value.is_empty() {
            command.env_remove(key);
        } else {
            command.env(key, value);
        }
    }
    let status = command
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!(
            "`cargo {}` failed ({status}); the draft is in place for you to inspect (`git status`)",
            args.join(" ")
        );
    }
    Ok(())
}

/// What was read, in a few lines: the captures of the type, and everything else counted.
pub fn describe_reading(type_name: &str, reading: &Reading) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "read {} `{type_name}` event(s)",
        reading.captures.len()
    );
    if !reading.other_types.is_empty() {
        let others: Vec<String> = reading
            .other_types
            .iter()
            .map(|(t, n)| format!("{n} {t}"))
            .collect();
        let _ = writeln!(out, "  other types, not used: {}", others.join(", "));
    }
    if reading.not_events > 0 {
        let _ = writeln!(
            out,
            "  not events (no string `type`), not used: {}",
            reading.not_events
        );
    }
    if reading.blank > 0 {
        let _ = writeln!(out, "  blank lines: {}", reading.blank);
    }
    if reading.ignored_files > 0 {
        let _ = writeln!(
            out,
            "  files passed over (not .json, .ndjson or .jsonl): {}",
            reading.ignored_files
        );
    }
    if !reading.skipped.is_empty() {
        let _ = writeln!(out, "  skipped: {}", reading.skipped.len());
        for s in &reading.skipped {
            let _ = writeln!(out, "    {}", evcontract::escape::visible(s));
        }
    }
    out
}

/// A refusal, with each problem's captures named by file and line.
pub fn describe_refusal(refusal: &Refusal, captures: &[Capture]) -> String {
    let mut out = format!("error: cannot draft: {refusal}");
    if let Refusal::Problems(problems) = refusal {
        out.push_str("\nwhere:");
        for p in problems {
            for at in &p.at {
                let source = captures.get(at.capture).map_or("?", |c| c.source.as_str());
                let _ = write!(
                    out,
                    "\n  {source}: {}",
                    evdraft::infer::pointer_text(&at.pointer)
                );
            }
        }
    }
    // Each line escaped on its own: the line breaks are the report's, anything else is shown
    // escaped (a key with a line break cannot forge a line).
    out.split('\n')
        .map(|line| evcontract::escape::visible(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the drafter decided and why, for the maintainer to review.
pub fn describe_draft(draft: &Draft) -> String {
    let mut out = String::new();
    let m = &draft.model;
    let _ = writeln!(
        out,
        "\ndrafted `{}` ({} {}): {} struct(s), {} enum(s), fills `{}`",
        draft.type_name,
        draft.names.variant,
        draft.names.event,
        m.structs.len(),
        m.enums.len(),
        m.fills
    );
    if !m.reused.is_empty() {
        let _ = writeln!(
            out,
            "  the catalog's own types reused: {}",
            m.reused.join(", ")
        );
    }
    let _ = writeln!(out, "decisions:");
    for d in &m.decisions {
        let _ = writeln!(
            out,
            "  {}: {}",
            if d.place.is_empty() {
                "the envelope".into()
            } else {
                evcontract::escape::visible(&d.place)
            },
            evcontract::escape::visible(&d.text)
        );
    }
    let _ = writeln!(
        out,
        "fixtures: {} capture(s) kept as valid fixtures{}",
        draft.fixtures.len(),
        if draft.uncovered > 0 {
            format!(
                " (at most {}; {} variant(s) seen are not shown by them)",
                evdraft::MAX_FIXTURES,
                draft.uncovered
            )
        } else {
            ", showing every variant seen".into()
        }
    );
    out
}

/// Writes the model module and registers the type in the declaration.
fn write_draft(root: &Path, draft: &Draft) -> Result<()> {
    let events_dir = root.join("crates/opentact-events/src/events");
    let module = events_dir.join(format!("{}.rs", draft.type_name));
    if module.exists() {
        bail!("{} exists already", module.display());
    }
    crate::atomic::write_file(&module, draft.module.as_bytes())?;
    rustfmt(&module)?;
    println!("\nwrote {}", relative(root, &module));
    let declaration = root.join("crates/opentact-events/src/events.rs");
    let text = fs::read_to_string(&declaration)
        .with_context(|| format!("reading {}", declaration.display()))?;
    let text = register(&text, &draft.type_name, &draft.entry)
        .with_context(|| format!("registering the type in {}", declaration.display()))?;
    crate::atomic::write_file(&declaration, text.as_bytes())?;
    rustfmt(&declaration)?;
    println!(
        "registered `{}` in {}",
        draft.type_name,
        relative(root, &declaration)
    );
    approve(root, draft)?;
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn rustfmt(path: &Path) -> Result<()> {
    let status = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .arg(path)
        .status()
        .context("running rustfmt (install it with `rustup component add rustfmt`)")?;
    if !status.success() {
        bail!("rustfmt failed on {}", path.display());
    }
    Ok(())
}

/// The declaration's text with the type registered: `mod <type>;` and `pub use <type>::*;`
/// among the others, and its entry among the others in `event_types!`, each in the order of
/// the type names.
pub fn register(text: &str, type_name: &str, entry: &str) -> Result<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for (prefix, line) in [
        ("mod ", format!("mod {type_name};")),
        ("pub use ", format!("pub use {type_name}::*;")),
    ] {
        let block: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with(prefix) && l.ends_with(';'))
            .map(|(i, _)| i)
            .collect();
        let (Some(&first), Some(&last)) = (block.first(), block.last()) else {
            bail!("no `{prefix}...;` line to put `{line}` beside");
        };
        let at = block
            .iter()
            .copied()
            .find(|&i| lines[i].as_str() > line.as_str())
            .unwrap_or(last + 1);
        let _ = first;
        lines.insert(at, line);
    }
    // Entries start with their doc comment at four spaces, then `Name = "type" {`.
    let open = lines
        .iter()
        .position(|l| l.contains("event_types! {"))
        .context("no `event_types! {` in the declaration")?;
    let close = lines
        .iter()
        .skip(open)
        .position(|l| l == "}")
        .map(|i| i + open)
        .context("no closing `}` of `event_types!` at the start of a line")?;
    let mut entry_starts: Vec<(String, usize)> = Vec::new();
    let mut doc_start = None;
    for (i, line) in lines.iter().enumerate().take(close).skip(open + 1) {
        if line.starts_with("    ///") && !line.starts_with("        ") {
            doc_start.get_or_insert(i);
        } else if let Some(rest) = line.strip_prefix("    ").filter(|r| !r.starts_with(' ')) {
            if let Some((_, wire)) = rest.split_once(" = \"")
                && let Some((wire, _)) = wire.split_once('"')
            {
                entry_starts.push((wire.to_owned(), doc_start.unwrap_or(i)));
            }
            doc_start = None;
        } else {
            doc_start = None;
        }
    }
    let at = entry_starts
        .iter()
        .find(|(wire, _)| wire.as_str() > type_name)
        .map_or(close, |(_, i)| *i);
    let mut insert: Vec<String> = entry.lines().map(str::to_owned).collect();
    // A blank line between entries.
    if at == close {
        insert.insert(0, String::new());
    } else {
        insert.push(String::new());
    }
    for (k, line) in insert.into_iter().enumerate() {
        lines.insert(at + k, line);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// Approves the new type in the release gate: adding an event type breaks forward
/// compatibility (a reader of the previous catalog refuses a `type` it does not know), which a
/// minor version may do only with a reviewed approval. When the current version is already
/// released, the next minor version is started first.
fn approve(root: &Path, draft: &Draft) -> Result<()> {
    let version = opentact_events::schema::VERSION;
    if root.join("releases").join(version).exists() {
        bail!(
            "the catalog's version {version} is released (releases/{version}/): raise `VERSION` in crates/opentact-events/src/schema.rs (and the crate's version) to the next minor version first, then run new-event again"
        );
    }
    let path = root.join("releases/approvals.json");
    let text = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut approvals: Vec<Value> = match evcontract::parse(&text)? {
        Value::Array(items) => items,
        _ => bail!("{}: expected a JSON array", path.display()),
    };
    approvals.push(serde_json::json!({
        "version": version,
        "rule": "EVENT_TYPE_ADDED",
        "event_type": draft.type_name,
        "pointer": "",
        "reason": format!(
            "DRAFT, to review before release: `{}` drafted by `cargo xtask new-event` from {} captures. Readers of the previous catalog refuse a `type` they do not know (forward); tell consumers when the type is announced.",
            draft.type_name, draft.stats.captures
        ),
    }));
    let mut text = serde_json::to_string_pretty(&approvals)?;
    text.push('\n');
    crate::atomic::write_file(&path, text.as_bytes())?;
    println!(
        "approved EVENT_TYPE_ADDED `{}` for {version} in releases/approvals.json (a draft approval: review its reason)",
        draft.type_name
    );
    Ok(())
}

/// After codegen: checks every capture against the new type's generated schema, and writes the
/// valid fixtures (anonymised) and the single-fault invalid ones with their `.expect`.
fn write_fixtures(root: &Path, draft: &Draft, captures: &[Capture]) -> Result<()> {
    println!("\n== fixtures");
    let files = read_catalog(&root.join("schemas")).context("reading the regenerated schemas")?;
    let catalog = Catalog::new(&files, UnknownFields::Deny)?;
    let engine = Engine::new(catalog, false, Values::Show);
    // The drafted contract accepts every capture it was drafted from.
    let mut refused = Vec::new();
    for capture in captures {
        if let Checked::Invalid { issues, .. } = engine.check_value(&capture.value) {
            refused.push(format!("{}: {}", capture.source, issues_text(&issues)));
        }
    }
    if !refused.is_empty() {
        bail!(
            "the drafted contract refuses {} of the captures it was drafted from (a bug in new-event: please report it with the captures):\n  {}",
            refused.len(),
            refused.join("\n  ")
        );
    }
    println!(
        "the drafted contract accepts all {} captures",
        captures.len()
    );
    let file = format!("{}.json", draft.type_name);
    let mut schema = files
        .get(&file)
        .cloned()
        .with_context(|| format!("schemas/{file} was not generated"))?;
    opentact_events::schema::close_objects(&mut schema);

    let mut anonymiser = Anonymiser::default();
    let valid_dir = root.join("fixtures/valid").join(&draft.type_name);
    let invalid_dir = root.join("fixtures/invalid").join(&draft.type_name);
    let mut first = None;
    for (n, &i) in draft.fixtures.iter().enumerate() {
        let capture = &captures[i];
        let value = anonymiser.anonymise(&capture.value, &schema);
        if let Checked::Invalid { issues, .. } = engine.check_value(&value) {
            bail!(
                "anonymising {} broke it (a bug in new-event): {}",
                capture.source,
                issues_text(&issues)
            );
        }
        fs::create_dir_all(&valid_dir)
            .with_context(|| format!("creating {}", valid_dir.display()))?;
        let path = valid_dir.join(format!("captured-{:02}.json", n + 1));
        crate::atomic::write_file(&path, evdraft::to_text(&value, &capture.order).as_bytes())?;
        println!(
            "wrote {} (from {}, anonymised)",
            relative(root, &path),
            capture.source
        );
        first.get_or_insert((value, capture.order.clone()));
    }
    let Some((valid, order)) = first else {
        bail!("no valid fixture was kept");
    };
    for fault in evdraft::faults(&valid, &order, &schema, &draft.model.fills) {
        let issues = match engine.check_value(&fault.value) {
            Checked::Invalid { issues, .. } => issues,
            _ => {
                println!(
                    "  (the fault `{}` is not refused by the contract; not kept)",
                    fault.name
                );
                continue;
            }
        };
        fs::create_dir_all(&invalid_dir)
            .with_context(|| format!("creating {}", invalid_dir.display()))?;
        let path = invalid_dir.join(format!("{}.json", fault.name));
        crate::atomic::write_file(&path, evdraft::to_text(&fault.value, &order).as_bytes())?;
        let mut expect = format!("# {}\n", fault.description);
        for issue in &issues {
            let _ = writeln!(
                expect,
                "{} {}",
                Value::from(issue.pointer.as_str()),
                issue.kind.as_str()
            );
        }
        crate::atomic::write_file(&path.with_extension("expect"), expect.as_bytes())?;
        println!(
            "wrote {} and its .expect ({})",
            relative(root, &path),
            fault.description
        );
    }
    Ok(())
}

fn issues_text(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| format!("{} {}: {}", i.pointer, i.kind.as_str(), i.message))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECLARATION: &str = "use x;\n\nmod auth;\nmod call_state;\n\npub use auth::*;\npub use call_state::*;\n\ncrate::event_types! {\n    /// A.\n    Auth = \"auth\" {\n        status: PublishedExample,\n    }\n\n    /// C.\n    ///\n    /// More.\n    CallState = \"call_state\" {\n        status: PublishedExample,\n    }\n}\n";

    #[track_caller]
    fn check_register(type_name: &str, expected_order: &[&str]) {
        let entry = format!(
            "    /// New.\n    New = \"{type_name}\" {{\n        status: Inferred,\n    }}\n"
        );
        let text = register(DECLARATION, type_name, &entry).expect("registers");
        let mods: Vec<&str> = text.lines().filter(|l| l.starts_with("mod ")).collect();
        let uses: Vec<&str> = text.lines().filter(|l| l.starts_with("pub use ")).collect();
        let entries: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("    ")?.split_once(" = \"").map(|(_, w)| w))
            .filter_map(|w| w.split_once('"').map(|(w, _)| w))
            .collect();
        assert_eq!(entries, expected_order);
        let mut sorted_mods = mods.clone();
        sorted_mods.sort_unstable();
        assert_eq!(mods, sorted_mods);
        assert_eq!(mods.len(), 3);
        assert_eq!(uses.len(), 3);
        assert!(text.contains(&format!("mod {type_name};")));
        assert!(text.contains(&format!("pub use {type_name}::*;")));
        // The new entry's doc comment stays with it, and entries are one blank line apart.
        assert!(text.contains(&format!("    /// New.\n    New = \"{type_name}\"")));
        assert!(!text.contains("\n\n\n"), "{text}");
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn a_type_is_registered_in_order() {
        check_register("aaa", &["aaa", "auth", "call_state"]);
        check_register("b", &["auth", "b", "call_state"]);
        check_register("sms", &["auth", "call_state", "sms"]);
        // Another entry's doc comment is not taken for the new one's.
        let text = register(DECLARATION, "b", "    /// New.\n    New = \"b\" {\n    }\n")
            .expect("registers");
        assert!(text.contains("    }\n\n    /// C.\n    ///\n    /// More.\n    CallState"));
    }

    #[test]
    fn a_declaration_without_its_parts_is_refused() {
        assert!(register("crate::event_types! {\n}\n", "x", "").is_err());
        assert!(register("mod a;\npub use a::*;\n", "x", "").is_err());
    }

    #[test]
    fn arguments() {
        let args = parse_args(&[
            "sms",
            "--from",
            "a",
            "--unspecified",
            "/payload/x",
            "b",
            "--dry-run",
        ])
        .expect("valid");
        assert_eq!(args.type_name, "sms");
        assert_eq!(args.from, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!(args.unspecified, ["/payload/x"]);
        assert!(args.dry_run);
        assert!(!parse_args(&["sms", "--from", "a"]).expect("valid").dry_run);
        for bad in [
            &["--from", "a"][..],
            &["sms"],
            &["sms", "--from"],
            &["sms", "x", "--from", "a"],
            &["sms", "--frm", "a"],
            &["sms", "--from", "a", "--unspecified"],
        ] {
            assert!(parse_args(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn captures_are_read_from_files_and_folders_and_the_rest_is_counted() {
        let dir = std::env::temp_dir().join(format!("xtask-new-event-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).expect("temp dir");
        let sms = r#"{"type":"sms","payload":{}}"#;
        fs::write(
            dir.join("a.ndjson"),
            format!(
                "{sms}\n\n{{\"type\":\"auth\"}}\n{{\"type\":1}}\nnot json\n{{\"a\":1,\"a\":2}}\n"
            ),
        )
        .expect("write");
        fs::write(dir.join("sub/b.json"), sms).expect("write");
        fs::write(dir.join("sub/notes.txt"), "x").expect("write");
        let mut gz = Vec::new();
        {
            use std::io::Write as _;
            let mut encoder =
                flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
            encoder
                .write_all(format!("{sms}\n{sms}\n").as_bytes())
                .expect("gzip");
            encoder.finish().expect("gzip");
        }
        fs::write(dir.join("sub/c.jsonl.gz"), gz).expect("write");
        let reading = read_captures("sms", &[dir.clone(), dir.join("missing.json")]);
        let sources: Vec<&str> = reading
            .captures
            .iter()
            .map(|c| c.source.rsplit('/').next().unwrap_or_default())
            .collect();
        assert_eq!(
            sources,
            ["a.ndjson:1", "b.json:1", "c.jsonl.gz:1", "c.jsonl.gz:2"]
        );
        assert_eq!(reading.other_types.get("auth"), Some(&1));
        assert_eq!(reading.not_events, 1);
        assert_eq!(reading.blank, 1);
        assert_eq!(reading.ignored_files, 1);
        assert_eq!(reading.skipped.len(), 3, "{:#?}", reading.skipped);
        assert!(
            reading.skipped[0].ends_with("a.ndjson:5:2: unparsable, skipped: expected ident"),
            "{}",
            reading.skipped[0]
        );
        assert!(reading.skipped[1].contains("a.ndjson:6:10: unparsable"));
        assert!(reading.skipped[1].contains("duplicate key"));
        assert!(reading.skipped[2].contains("missing.json"));
        let text = describe_reading("sms", &reading);
        assert!(text.contains("read 4 `sms` event(s)"), "{text}");
        assert!(text.contains("other types, not used: 1 auth"), "{text}");
        let _ = fs::remove_dir_all(&dir);
    }
}
