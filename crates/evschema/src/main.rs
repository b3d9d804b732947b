//! `evschema`: checks Opentact events against the published schemas, for CI and for the teams
//! that emit or receive them.
//!
//! Exit codes: 0 every event valid; 1 at least one invalid, unparsable or too large (or no event
//! at all, without `--allow-empty`); 2 a usage or schema problem; 3 an input could not be read or
//! the report could not be written; 130 interrupted by SIGINT, 143 by SIGTERM.

#![allow(clippy::print_stderr)] // A command-line tool: its messages are the point.

use std::io::{self, IsTerminal, Read, Write};
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use evcompat as compat;
use evcontract::files::read_catalog;
use evcontract::{Engine, UnknownFields, Values};
use evschema::input::{
    Batch, Compression, Discovery, FileRead, Found, Gunzip, Input, Mode, describe_io, discover,
    read_file, send_batches,
};
use evschema::output::{
    Format, ProblemKind, Record, Reporter, Source, Style, Summary, Verdict, summary,
};
use evschema::verdict::{Detail, check_line_with, check_with, too_large_line};
use rayon::prelude::*;
use serde_json::Value;

#[derive(Parser)]
#[command(
    name = "evschema",
    version,
    about = "Checks Opentact events against the published JSON Schemas"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate events: JSON files (one event each), NDJSON files (.ndjson, .jsonl: one event
    /// per line), either gzip-compressed (.gz), folders (searched recursively), or NDJSON on
    /// standard input (`-` or no path).
    Validate(ValidateArgs),
    /// Compare two schema catalogs (folders laid out like `schemas/`) or two schema files of any
    /// draft, and say whether the change from OLD to NEW breaks readers: compatible only with a
    /// proof, incompatible with a witness value for every break. Exit 0 compatible in the mode;
    /// 1 incompatible, or undecided for some change (never a silent "compatible"); 2 usage or a
    /// schema that does not load; 3 internal error.
    Compat(CompatArgs),
}

#[derive(clap::Args)]
struct CompatArgs {
    /// The schemas before the change: a catalog folder (laid out like `schemas/`) or one schema
    /// file of any draft.
    old: PathBuf,
    /// The schemas after the change: the same kind as OLD.
    new: PathBuf,
    /// `backward`: readers on NEW get values made under OLD; `forward`: readers on OLD get
    /// values made under NEW (webhooks: the platform ships first); `full`: both.
    #[arg(long, value_enum, default_value_t = compat::Mode::Full)]
    mode: compat::Mode,
    /// How readers treat keys their schema does not list: `tolerant` (as the schema is
    /// written) or `strict` (refused).
    #[arg(long, value_enum, default_value_t = compat::Readers::Tolerant)]
    readers: compat::Readers,
    /// What producers may send: `open` (what the schema as written allows, unlisted keys
    /// included) or `strict` (listed keys only). Default: strict for a catalog generated from
    /// this workspace's Rust models, open for anything else.
    #[arg(long, value_enum)]
    producers: Option<compat::Producers>,
    /// Output format; `markdown` is a pull-request comment.
    #[arg(long, value_enum, default_value_t = compat::Format::Human)]
    format: compat::Format,
    /// Example values to build witnesses from, beside the schemas' own `examples`: `.json`
    /// files (one value each), `.ndjson`/`.jsonl` files (one per line), or folders of them
    /// (such as `fixtures/valid`). May be given more than once.
    #[arg(long, value_name = "PATH")]
    events: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct ValidateArgs {
    /// Files, folders, or `-` for standard input (the default).
    paths: Vec<PathBuf>,

    /// Validate against the schema catalog in this folder (laid out like `schemas/`) instead
    /// of the one built in.
    #[arg(long, value_name = "DIR")]
    schemas: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Keys the contract does not list: `deny` (the contract check) or `allow` (a tolerant
    /// consumer, as the published schemas are).
    #[arg(long, value_enum, default_value_t = UnknownFields::Deny)]
    unknown_fields: UnknownFields,

    /// Keep values out of messages and do not show the source: for payloads with personal data.
    #[arg(long)]
    mask: bool,

    /// Print the summary only.
    #[arg(long, short)]
    quiet: bool,

    /// Instead of one record per input, report the aggregate of the run (human or json
    /// format): counts by event type and verdict, and problems grouped by type, JSON Pointer
    /// and kind, most frequent first, each with its first example.
    #[arg(long)]
    summary: bool,

    /// With --summary: how many problem groups to show, most frequent first (0: every group).
    #[arg(long, value_name = "N", requires = "summary", default_value_t = summary::DEFAULT_TOP)]
    top: usize,

    /// The longest NDJSON line read; a longer one is `too_large` and skipped to its end.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    max_line_bytes: u64,

    /// The largest JSON file read; a larger one is `too_large`.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    max_file_bytes: u64,

    /// Threads validating NDJSON lines (default: the number of cores).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,

    /// When to colour the human format (`NO_COLOR` turns `auto` off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Exit 0 when there is no event at all (by default an empty input fails: a CI step that
    /// produced nothing is more likely broken than fine).
    #[arg(long)]
    allow_empty: bool,
}

impl ValidateArgs {
    /// Whether the report comes only at the end of the run (`--quiet`, `--summary`), leaving
    /// the terminal to the progress line meanwhile.
    fn report_at_end(&self) -> bool {
        self.quiet || self.summary
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

const EXIT_INVALID: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_IO: u8 = 3;
const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    evschema::fault::install_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    // The last line of defence: a panic that escaped the per-input guards (or one in `compat`)
    // still ends with exit code 3 and a message, never a crash.
    let run = || match &cli.command {
        Command::Validate(args) => validate(args),
        Command::Compat(args) => compat(args),
    };
    ExitCode::from(catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|panic| {
        complain(&format!(
            "internal error: {}; this is a bug, please report it",
            evschema::fault::describe(panic.as_ref())
        ));
        EXIT_IO
    }))
}

fn compat(args: &CompatArgs) -> u8 {
    evschema::fault::inject("compat", args.old.as_os_str().as_encoded_bytes());
    let options = compat::Options {
        readers: args.readers,
        producers: args.producers,
    };
    let events = match compat_events(&args.events) {
        Ok(events) => events,
        Err(message) => {
            complain(&message);
            return EXIT_USAGE;
        }
    };
    let report = match (args.old.is_dir(), args.new.is_dir()) {
        (true, true) => {
            let load = |dir: &PathBuf| {
                read_catalog(dir).map_err(|err| format!("cannot load the catalog: {err}"))
            };
            match (load(&args.old), load(&args.new)) {
                (Ok(old), Ok(new)) => {
                    compat::compare(&old, &new, &options, &events).map_err(|e| e.to_string())
                }
                (Err(message), _) | (_, Err(message)) => Err(message),
            }
        }
        (false, false) => {
            let load = |path: &PathBuf| -> Result<Value, String> {
                let bytes = std::fs::read(path)
                    .map_err(|err| format!("{}: {}", path.display(), describe_io(&err)))?;
                evcontract::parse(&bytes).map_err(|err| format!("{}: {err}", path.display()))
            };
            match (load(&args.old), load(&args.new)) {
                (Ok(old), Ok(new)) => compat::compare_schemas(&old, &new, &options, &events)
                    .map_err(|e| e.to_string()),
                (Err(message), _) | (_, Err(message)) => Err(message),
            }
        }
        _ => Err(format!(
            "OLD and NEW must both be catalog folders or both be schema files: {} and {}",
            args.old.display(),
            args.new.display()
        )),
    };
    let report = match report {
        Ok(report) => report,
        Err(message) => {
            complain(&message);
            return EXIT_USAGE;
        }
    };
    // Keys and values in the report come from the schemas and events: the renderers escape
    // each where it stands (`evcompat::render`), so they are shown, never obeyed.
    let text = match args.format {
        compat::Format::Json => {
            let mut line =
                evschema::output::json_lines::to_line(&compat::render_json(&report, args.mode));
            line.push('\n');
            line
        }
        format => compat::render(&report, args.mode, format),
    };
    let mut stdout = io::stdout().lock();
    if let Err(err) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if err.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("evschema: cannot write the report: {}", describe_io(&err));
        }
        return EXIT_IO;
    }
    match report.verdict(args.mode) {
        compat::Verdict::Compatible => 0,
        compat::Verdict::Incompatible | compat::Verdict::Unknown => EXIT_INVALID,
    }
}

/// Prints a message on standard error, with anything a terminal would obey shown escaped (it may
/// name a path or quote a schema).
fn complain(message: &str) {
    eprintln!("evschema: {}", evschema::output::escape::visible(message));
}

/// The example values of `compat --events`: every value of every file, in order. A file that
/// cannot be read or a value that does not parse is an error naming the file and the line.
fn compat_events(paths: &[PathBuf]) -> Result<Vec<Value>, String> {
    let mut events = Vec::new();
    if paths.is_empty() {
        return Ok(events);
    }
    let discovery = discover(paths);
    if !discovery.ignored.is_empty() {
        eprintln!(
            "evschema: --events: {} file(s) in folders passed over (not .json, .ndjson or .jsonl)",
            discovery.ignored.len()
        );
    }
    for found in discovery.found {
        let input = match found {
            Found::Unreadable { path, message } => {
                return Err(format!("{}: {message}", Source::file(&path).name()));
            }
            Found::Input(Input::Stdin) => {
                return Err("--events reads files and folders, not standard input".into());
            }
            Found::Input(input) => input,
        };
        let Input::Path {
            path,
            mode,
            compression,
        } = &input
        else {
            continue;
        };
        let name = input.source().name().to_owned();
        let bytes = match read_file(path, COMPAT_EVENTS_MAX_BYTES, *compression) {
            Ok(FileRead::Bytes(bytes)) => bytes,
            Ok(FileRead::TooLarge(message)) => return Err(format!("{name}: {message}")),
            Err(err) => return Err(format!("{name}: {}", describe_io(&err))),
        };
        match mode {
            Mode::Json => {
                events.push(evcontract::parse(&bytes).map_err(|err| format!("{name}: {err}"))?);
            }
            Mode::Ndjson => {
                for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let value = evcontract::parse(line).map_err(|err| {
                        format!("{name}:{}: {} at column {}", i + 1, err.message, err.column)
                    })?;
                    events.push(value);
                }
            }
        }
    }
    Ok(events)
}

/// The largest events file `compat --events` reads (decompressed).
const COMPAT_EVENTS_MAX_BYTES: u64 = 256 << 20;

fn validate(args: &ValidateArgs) -> u8 {
    if args.summary
        && let Err(err) = summary::supports(args.format)
    {
        complain(&err.to_string());
        return EXIT_USAGE;
    }
    let policy = args.unknown_fields;
    let values = if args.mask {
        Values::Mask
    } else {
        Values::Show
    };
    let engine = match evschema::catalog::engine(args.schemas.as_deref(), policy, values) {
        Ok(engine) => engine,
        Err(message) => {
            complain(&message);
            return EXIT_USAGE;
        }
    };
    if args.max_line_bytes == 0 || args.max_file_bytes == 0 {
        eprintln!("evschema: --max-line-bytes and --max-file-bytes must be at least 1");
        return EXIT_USAGE;
    }
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool,
        Err(err) => {
            eprintln!("evschema: cannot start {jobs} threads: {err}");
            return EXIT_USAGE;
        }
    };

    // The number of the signal that interrupted the run, or 0.
    let interrupted = Arc::new(AtomicUsize::new(0));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // Without the handler a signal still ends the run, only without a summary.
        let _ =
            signal_hook::flag::register_usize(signal, Arc::clone(&interrupted), signal as usize);
    }

    let stdout = io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let style = Style {
        color,
        show_source: !args.mask,
        quiet: args.quiet,
        base_dir: std::env::current_dir().ok(),
    };
    let show_progress = shows_progress(
        io::stderr().is_terminal(),
        stdout.is_terminal(),
        args.report_at_end(),
    );
    let out = io::BufWriter::new(stdout.lock());
    let reporter = if args.summary {
        let options = summary::Options { top: args.top };
        match Reporter::summary(out, args.format, style, options) {
            Ok(reporter) => reporter,
            Err(err) => {
                complain(&err.to_string());
                return EXIT_USAGE;
            }
        }
    } else {
        Reporter::new(out, args.format, style)
    };

    let discovery = discover(&args.paths);
    let mut run = Run {
        engine: &engine,
        pool: &pool,
        args,
        reporter,
        summary: Summary::default(),
        interrupted: &interrupted,
        progress: Progress::new(show_progress),
    };
    run.summary.ignored_files = discovery.ignored.len() as u64;
    let outcome = run.all(discovery);
    // A signal that came after the last batch still counts: the run was cut short.
    run.stop();
    run.progress.clear();

    let summary = run.summary;
    let mut code = if summary.interrupted {
        // 128 + the signal's number, as shells report it: 130 for SIGINT, 143 for SIGTERM.
        u8::try_from(128 + interrupted.load(Ordering::Relaxed)).unwrap_or(EXIT_INTERRUPTED)
    } else if summary.count(Verdict::IoError) + summary.count(Verdict::InternalError) > 0 {
        EXIT_IO
    } else if !summary.all_pass() {
        EXIT_INVALID
    } else if summary.events() == 0 && !args.allow_empty {
        eprintln!("evschema: no event in the input (use --allow-empty if that is expected)");
        EXIT_INVALID
    } else {
        0
    };
    let written = outcome.and_then(|()| run.reporter.finish(&summary, code).map(drop));
    if let Err(err) = written {
        // A closed pipe (`evschema ... | head`) ends the run quietly; the report is incomplete,
        // so the run cannot count as a success.
        if err.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("evschema: cannot write the report: {}", describe_io(&err));
        }
        code = code.max(EXIT_IO);
    }
    code
}

struct Run<'a, W: Write> {
    engine: &'a Engine,
    pool: &'a rayon::ThreadPool,
    args: &'a ValidateArgs,
    reporter: Reporter<W>,
    summary: Summary,
    interrupted: &'a AtomicUsize,
    progress: Progress,
}

/// Lines validated together: enough to keep every thread busy between hand-overs, few enough
/// that a batch's records stay small (a batch's buffer is about `BATCH_BYTES`). Measured as whole
/// processes (paired medians of 21): on the 50,000-event corpus, 512 KiB buffers run as fast as
/// 2 MiB ones with `--jobs 1` and `--jobs 2`, in 17 MiB of resident memory instead of 23 (8 MiB
/// ones were slower and took 56 MiB); on 20 million `{}` lines, 512 lines a batch took 16% longer
/// than 2,048 (a hand-over costs about as much as 100 tiny lines).
const BATCH_LINES: usize = 2048;
const BATCH_BYTES: usize = 512 << 10;

impl<W: Write> Run<'_, W> {
    fn all(&mut self, discovery: Discovery) -> io::Result<()> {
        let parallel = self.pool.current_num_threads() > 1;
        let mut found = discovery.found.into_iter().peekable();
        while let Some(next) = found.next() {
            if self.stop() {
                break;
            }
            // One-event files (a folder of them, or many named) are read and checked on every
            // core, `FILE_BATCH` at a time, and reported in order.
            if parallel && json_file(&next).is_some() {
                let mut batch = vec![next];
                while batch.len() < FILE_BATCH
                    && let Some(more) = found.next_if(|f| json_file(f).is_some())
                {
                    batch.push(more);
                }
                self.files(&batch)?;
                continue;
            }
            self.summary.sources += 1;
            match next {
                Found::Unreadable { path, message } => {
                    self.emit(io_record(&Source::file(&path), 1, message), b"")?
                }
                Found::Input(input) => self.input(&input)?,
            }
        }
        Ok(())
    }

    /// Reads and checks one-event files in parallel, then reports them in order.
    fn files(&mut self, batch: &[Found]) -> io::Result<()> {
        let (engine, max, detail) = (
            self.engine,
            self.args.max_file_bytes,
            self.reporter.detail(),
        );
        let records: Vec<(Record, Vec<u8>, usize)> = self.pool.install(|| {
            batch
                .par_iter()
                .filter_map(json_file)
                .map(|(path, compression)| {
                    let (record, mut bytes) = check_file(engine, path, max, compression, detail);
                    // Only a refusal's report shows the text: a valid file's bytes are let go
                    // at once, so a batch holds little more than its failing files.
                    let len = bytes.len();
                    if record.verdict == Verdict::Valid {
                        bytes = Vec::new();
                    }
                    (record, bytes, len)
                })
                .collect()
        });
        for (record, bytes, len) in records {
            self.summary.sources += 1;
            let verdict = self.reporter.record(&record, &bytes)?;
            self.summary.add(verdict);
            self.progress.tick(&self.summary, len);
        }
        Ok(())
    }

    fn stop(&mut self) -> bool {
        if self.interrupted.load(Ordering::Relaxed) != 0 {
            self.summary.interrupted = true;
        }
        self.summary.interrupted
    }

    /// Reports one record and counts the verdict reported (an internal error if it could not
    /// be rendered).
    fn emit(&mut self, record: Record, text: &[u8]) -> io::Result<()> {
        let verdict = self.reporter.record(&record, text)?;
        self.summary.add(verdict);
        self.progress.tick(&self.summary, text.len());
        Ok(())
    }

    fn input(&mut self, input: &Input) -> io::Result<()> {
        let source = input.source();
        match input {
            Input::Stdin => self.stream(&source, io::stdin()),
            Input::Path {
                path,
                mode: Mode::Ndjson,
                compression,
            } => match (std::fs::File::open(path), compression) {
                (Ok(file), Compression::None) => self.stream(&source, file),
                (Ok(file), Compression::Gzip) => self.stream(&source, Gunzip::new(file)),
                (Err(err), _) => self.emit(io_record(&source, 1, describe_io(&err)), b""),
            },
            Input::Path {
                path,
                mode: Mode::Json,
                compression,
            } => {
                let (record, bytes) = check_file(
                    self.engine,
                    path,
                    self.args.max_file_bytes,
                    *compression,
                    self.reporter.detail(),
                );
                self.emit(record, &bytes)
            }
        }
    }

    /// Validates an NDJSON stream batch by batch: a reading thread hands over lines as they
    /// arrive, they are validated in parallel and reported in order. The wait for input is
    /// bounded, so an interrupt stops the run even while a producer is silent.
    fn stream(
        &mut self,
        source: &Arc<Source>,
        reader: impl Read + Send + 'static,
    ) -> io::Result<()> {
        let max = usize::try_from(self.args.max_line_bytes).unwrap_or(usize::MAX);
        // Two batches in flight at most: memory stays flat however fast the input comes. Each
        // batch's buffer is given back once reported, for the reader to fill again.
        let (tx, rx) = mpsc::sync_channel::<Batch>(2);
        let (give_back, recycled) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            // A panic in the reader ends the stream with an internal error, never in silence.
            let guard = tx.clone();
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| {
                send_batches(reader, max, BATCH_LINES, BATCH_BYTES, &tx, &recycled);
            })) {
                let _ = guard.send(Batch {
                    text: Vec::new(),
                    lines: Vec::new(),
                    failure: None,
                    internal: Some(evschema::fault::describe(panic.as_ref())),
                });
            }
        });
        let mut last_line = 0;
        loop {
            let batch = match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(batch) => batch,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // The producer is slow: show the verdicts so far while waiting.
                    self.reporter.flush()?;
                    if self.stop() {
                        return Ok(());
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            };
            let (engine, detail) = (self.engine, self.reporter.detail());
            let max_line = self.args.max_line_bytes;
            let text = &batch.text;
            let check_line = |(line, too_large, range): &(usize, Option<u64>, Range<usize>)| {
                let bytes = &text[range.clone()];
                match too_large {
                    Some(len) => too_large_line(source, *line, *len, max_line),
                    None => check_line_with(engine, source, *line, bytes, max_line, detail),
                }
            };
            let records: Vec<Record> =
                if self.pool.current_num_threads() > 1 && batch.lines.len() > 1 {
                    self.pool
                        .install(|| batch.lines.par_iter().map(check_line).collect())
                } else {
                    batch.lines.iter().map(check_line).collect()
                };
            for (record, (line, _, range)) in records.into_iter().zip(&batch.lines) {
                last_line = *line;
                self.emit(record, &batch.text[range.clone()])?;
            }
            if let Some((line, message)) = batch.failure {
                self.emit(io_record(source, line, message), b"")?;
            }
            if let Some(what) = batch.internal {
                let what = format!("reading it failed: {what}");
                self.emit(Record::internal(source, last_line + 1, &what), b"")?;
            }
            // The reader may be gone (the stream ended): the buffer is then dropped.
            let _ = give_back.send(batch.text);
            if self.stop() {
                return Ok(());
            }
        }
    }
}

/// One-event files validated together: enough to keep every core busy on a folder of small
/// files; a batch keeps the bytes of its failing files only, for their reports.
const FILE_BATCH: usize = 64;

/// The path and compression of a one-event file (`.json`, `.json.gz`, or a file named on the
/// command line that is not NDJSON).
fn json_file(found: &Found) -> Option<(&Path, Compression)> {
    match found {
        Found::Input(Input::Path {
            path,
            mode: Mode::Json,
            compression,
        }) => Some((path, *compression)),
        _ => None,
    }
}

/// The verdict on a one-event file (with the problems `detail` asks for), and its bytes (empty
/// if it could not be read).
fn check_file(
    engine: &Engine,
    path: &Path,
    max: u64,
    compression: Compression,
    detail: Detail,
) -> (Record, Vec<u8>) {
    let source = Source::file(path);
    match read_file(path, max, compression) {
        Ok(FileRead::Bytes(bytes)) => (check_with(engine, &source, 1, &bytes, detail), bytes),
        Ok(FileRead::TooLarge(message)) => (too_large_record(&source, 1, message), Vec::new()),
        Err(err) => (io_record(&source, 1, describe_io(&err)), Vec::new()),
    }
}

fn io_record(source: &Arc<Source>, line: usize, message: String) -> Record {
    Record::whole(source, line, Verdict::IoError, ProblemKind::Io, message)
}

fn too_large_record(source: &Arc<Source>, line: usize, message: String) -> Record {
    Record::whole(
        source,
        line,
        Verdict::TooLarge,
        ProblemKind::TooLarge,
        message,
    )
}

/// Whether to show the progress line on standard error: only on a terminal, and only when the
/// report does not show on the same terminal as it goes (standard output is a file or a pipe,
/// or the report comes only at the end: `--quiet`, `--summary`).
fn shows_progress(stderr_terminal: bool, stdout_terminal: bool, report_at_end: bool) -> bool {
    stderr_terminal && (report_at_end || !stdout_terminal)
}

/// A one-line progress report on standard error, for long runs on a terminal.
struct Progress {
    enabled: bool,
    start: Instant,
    last: Instant,
    bytes: u64,
    shown: bool,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        let now = Instant::now();
        Progress {
            enabled,
            start: now,
            last: now,
            bytes: 0,
            shown: false,
        }
    }

    fn tick(&mut self, summary: &Summary, bytes: usize) {
        self.bytes += bytes as u64;
        if !self.enabled || self.last.elapsed() < Duration::from_millis(250) {
            return;
        }
        self.last = Instant::now();
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let failed =
            summary.total() - summary.count(Verdict::Valid) - summary.count(Verdict::Blank);
        eprint!(
            "\r\x1b[Kevschema: {} events, {} failing, {:.1} MB ({:.0} events/s)",
            summary.events(),
            failed,
            self.bytes as f64 / 1e6,
            summary.events() as f64 / secs
        );
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[K");
            self.shown = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Cli, Command, shows_progress};

    #[test]
    fn the_report_comes_at_the_end_with_quiet_or_summary() {
        for (options, at_end) in [
            (&[][..], false),
            (&["--quiet"], true),
            (&["--summary"], true),
            (&["--summary", "--quiet"], true),
        ] {
            let mut args = vec!["evschema", "validate"];
            args.extend_from_slice(options);
            let cli = Cli::try_parse_from(&args).expect("valid options");
            let Command::Validate(validate) = cli.command else {
                panic!("not validate");
            };
            assert_eq!(validate.report_at_end(), at_end, "{options:?}");
        }
    }

    #[test]
    fn progress_shows_on_a_terminal_that_the_report_leaves_free() {
        // (stderr a terminal, stdout a terminal, the report only at the end): shown.
        let table = [
            ((true, false, false), true),
            ((true, false, true), true),
            ((true, true, true), true),
            ((true, true, false), false),
            ((false, false, false), false),
            ((false, false, true), false),
            ((false, true, true), false),
            ((false, true, false), false),
        ];
        for ((stderr, stdout, at_end), shown) in table {
            assert_eq!(
                shows_progress(stderr, stdout, at_end),
                shown,
                "stderr {stderr}, stdout {stdout}, at the end {at_end}"
            );
        }
    }
}
