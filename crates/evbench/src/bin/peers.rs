//! `evschema validate` against the validators other teams would reach for, as whole processes
//! on the same NDJSON lines, in the same run: sourcemeta's `jsonschema` CLI on the published
//! any-event schema and on the contract's closed form of it, and the ajv standalone validators
//! of our npm package (`@opentact/events`) driven by a small node script
//! (`tools/bench/ajv.mjs`). Issue 19 asks for at least 5x the fastest peer, with unknown keys
//! denied (the contract) and allowed (the tolerant reader).
//!
//! The peers are pinned in `tools/bench/package.json` and `package-lock.json` and installed by
//! `bash tools/bench/run.sh install` into a scratch project (`target/bench-peers/`), with the
//! package's tarball built from this tree, as a user installs it.
//!
//! ```sh
//! bash tools/bench/run.sh                         # installs, builds, 50,000 events, 5 runs
//! cargo build --release -p evschema && cargo run --release -p evbench --bin peers -- --runs 9
//! ```
//!
//! Every command runs once to warm up, then `--runs` times, interleaved run by run; each is
//! timed from its start to its exit, with its peak resident memory and CPU time from
//! `/usr/bin/time`. Before its numbers count, every command must refuse exactly the lines that
//! carry the generator's one fault: a tool that disagrees is named, with the lines, and the run
//! exits non-zero.

#![allow(clippy::print_stdout, clippy::print_stderr)] // A report: its output is the point.

use std::ffi::OsString;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use clap::Parser;
use evbench::peers::{self, Disagreement, Verdicts};
use evbench::{Fault, Generator, load_templates, median, workspace_dir};
use serde_json::Value;

/// Times evschema against sourcemeta's jsonschema and ajv's standalone validators, as processes.
#[derive(Parser)]
struct Args {
    /// How many events in the corpus.
    #[arg(long, default_value_t = 50_000)]
    events: usize,
    /// The corpus's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed runs of each command (after one warm-up run); the median is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// The evschema binary to time (default: `target/release/evschema` of this workspace, which
    /// `cargo build --release -p evschema` makes).
    #[arg(long, value_name = "PATH")]
    evschema: Option<PathBuf>,
    /// The scratch project where `tools/bench/run.sh install` put the peers (default:
    /// `target/bench-peers/` of this workspace).
    #[arg(long, value_name = "DIR")]
    peers: Option<PathBuf>,
    /// The node program that runs `tools/bench/ajv.mjs`.
    #[arg(long, value_name = "PATH", default_value = "node")]
    node: PathBuf,
    /// Leave out the `evschema --jobs 2` rows.
    #[arg(long)]
    no_parallel: bool,
    /// Keep the temporary folder (the corpus and the closed schema) and print its path.
    #[arg(long)]
    keep: bool,
}

/// What unknown keys get: the two ways the schemas are used.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Refused: the contract (`--unknown-fields deny`, the closed form of the schemas).
    Contract,
    /// Accepted: the tolerant reader (`--unknown-fields allow`, the published schemas).
    Tolerant,
}

impl Mode {
    const ALL: [Mode; 2] = [Mode::Contract, Mode::Tolerant];

    fn name(self) -> &'static str {
        match self {
            Mode::Contract => "contract",
            Mode::Tolerant => "tolerant",
        }
    }

    /// The value of evschema's `--unknown-fields` and of ajv.mjs's.
    fn policy(self) -> &'static str {
        match self {
            Mode::Contract => "deny",
            Mode::Tolerant => "allow",
        }
    }
}

/// How a command's output is read.
#[derive(Clone, Copy)]
enum Reader {
    /// `evschema --quiet --format json`: the summary line (standard output).
    EvschemaSummary,
    /// `evschema --format json`: a record per event (standard output).
    EvschemaRecords,
    /// sourcemeta's `fail: ... (entry #N)` lines (standard error).
    Sourcemeta,
    /// ajv.mjs's report line (standard output).
    Ajv,
}

impl Reader {
    fn read(self, stdout: &str, stderr: &str) -> Result<Verdicts, String> {
        match self {
            Reader::EvschemaSummary => peers::evschema_summary(stdout),
            Reader::EvschemaRecords => peers::evschema_records(stdout),
            Reader::Sourcemeta => peers::sourcemeta(stderr),
            Reader::Ajv => peers::ajv(stdout),
        }
    }
}

/// One command line to time.
struct Row {
    tool: String,
    mode: Mode,
    program: PathBuf,
    args: Vec<OsString>,
    reader: Reader,
    /// Exit codes that mean "done" (every tool exits non-zero when it refused an event).
    ok: &'static [i32],
    /// The same command naming every refused line, run once before the warm-up, for a tool
    /// whose timed form only counts (evschema `--quiet`).
    lines_args: Option<(Vec<OsString>, Reader)>,
    /// evschema `--jobs 1`: the baseline of its mode's ratios.
    baseline: bool,
    /// A peer (not evschema).
    peer: bool,
}

/// One timed run of a command.
struct Measure {
    seconds: f64,
    peak_kib: u64,
    cpu_seconds: f64,
    verdicts: Verdicts,
}

/// The temporary folder, removed when dropped unless kept.
struct Scratch {
    dir: PathBuf,
    keep: bool,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("peers: kept {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("peers: {message}");
            ExitCode::from(2)
        }
    }
}

/// The installed peers: where each is, or what to run to install them.
struct Tools {
    evschema: PathBuf,
    sourcemeta: PathBuf,
    package: PathBuf,
    ajv_script: PathBuf,
    node: PathBuf,
}

const TIME: &str = "/usr/bin/time";

fn find_tools(args: &Args, root: &Path) -> Result<Tools, String> {
    let evschema = args
        .evschema
        .clone()
        .unwrap_or_else(|| root.join("target/release/evschema"));
    let peers_dir = args
        .peers
        .clone()
        .unwrap_or_else(|| root.join("target/bench-peers"));
    let arch = match std::env::consts::ARCH {
        "aarch64" => "arm64",
        other => other,
    };
    let sourcemeta = peers_dir.join(format!(
        "node_modules/@sourcemeta/jsonschema/build/github-releases/jsonschema-{}-{arch}",
        std::env::consts::OS
    ));
    let package = peers_dir.join("node_modules/@opentact/events");
    let mut missing = Vec::new();
    if !evschema.is_file() {
        missing.push(format!(
            "{}: no evschema binary; build it with `cargo build --release -p evschema` (or pass --evschema)",
            evschema.display()
        ));
    }
    let install = "install the peers with `bash tools/bench/run.sh install`";
    if !sourcemeta.is_file() {
        missing.push(format!(
            "{}: sourcemeta's jsonschema is not installed; {install}",
            sourcemeta.display()
        ));
    }
    if !package.join("validators/deny.js").is_file() {
        missing.push(format!(
            "{}: the @opentact/events package is not installed; {install}",
            package.display()
        ));
    } else {
        // The package's validators must be compiled from this tree's schemas.
        let ours = std::fs::read(root.join("schemas/event.json")).map_err(|e| e.to_string())?;
        let theirs = std::fs::read(package.join("schemas/event.json")).unwrap_or_default();
        if ours != theirs {
            missing.push(format!(
                "{}: the installed @opentact/events was built from other schemas than schemas/; rebuild and reinstall it with `bash tools/bench/run.sh install`",
                package.display()
            ));
        }
    }
    if !Path::new(TIME).is_file() {
        missing.push(format!(
            "{TIME}: GNU time measures each command's peak memory (Debian: `apt-get install time`)"
        ));
    }
    if version(&args.node, &["--version"]).is_none() {
        missing.push(format!(
            "{}: node does not run (pass --node)",
            args.node.display()
        ));
    }
    if !missing.is_empty() {
        return Err(missing.join("\npeers: "));
    }
    Ok(Tools {
        evschema,
        sourcemeta,
        package,
        ajv_script: root.join("tools/bench/ajv.mjs"),
        node: args.node.clone(),
    })
}

/// The first line a program prints for `args`, if it runs.
fn version(program: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status
        .success()
        .then(|| text.lines().next().unwrap_or("").trim().to_owned())
}

/// The `version` of a package.json.
fn package_version(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|json| json["version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn run(args: Args) -> Result<bool, String> {
    if args.runs == 0 || args.events == 0 {
        return Err("--runs and --events must be at least 1".into());
    }
    let root = workspace_dir();
    let root = root.canonicalize().unwrap_or(root);
    let tools = find_tools(&args, &root)?;

    let dir = std::env::temp_dir().join(format!("evbench-peers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let scratch = Scratch {
        dir,
        keep: args.keep,
    };
    let dir = &scratch.dir;

    // The corpus, as `gen-corpus` writes it; `.jsonl`, the extension every tool reads as NDJSON.
    let corpus = dir.join("corpus.jsonl");
    let templates = load_templates(&root.join("fixtures/valid")).map_err(|e| e.to_string())?;
    if templates.is_empty() {
        return Err("fixtures/valid: no events".into());
    }
    // The format probe is built from the valid fixtures, whatever the corpus's size.
    let probe = peers::format_probe(templates.iter().map(String::as_str))?;
    let mut generator = Generator::new(templates, args.seed);
    let mut faults: Vec<(usize, Fault)> = Vec::new();
    let mut bytes = 0;
    {
        let file = File::create(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let mut out = BufWriter::new(file);
        for line in 1..=args.events {
            let (text, fault) = generator.next_event();
            bytes += text.len();
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
            if let Some(fault) = fault {
                faults.push((line, fault));
            }
        }
        out.flush().map_err(|e| e.to_string())?;
    }
    let faulty: Vec<usize> = faults.iter().map(|&(line, _)| line).collect();

    // The published any-event schema, and the contract's closed form of it.
    let published = root.join("schemas/event.json");
    let mut schema: Value = serde_json::from_slice(
        &std::fs::read(&published).map_err(|e| format!("{}: {e}", published.display()))?,
    )
    .map_err(|e| format!("{}: {e}", published.display()))?;
    opentact_events::schema::close_objects(&mut schema);
    let closed = dir.join("event.closed.json");
    std::fs::write(
        &closed,
        serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("{}: {e}", closed.display()))?;

    print_environment(&args, &tools, &faults, bytes);

    // The format probe: each command, as it is timed, on lines only a format check refuses.
    let probe_path = dir.join("format-probe.jsonl");
    let probe_text: String = probe.iter().map(|p| format!("{}\n", p.text)).collect();
    std::fs::write(&probe_path, probe_text)
        .map_err(|e| format!("{}: {e}", probe_path.display()))?;
    let probe_refused: Vec<usize> = (1..=probe.len())
        .filter(|&n| probe[n - 1].refused)
        .collect();
    let mut problems = Vec::new();
    for row in rows(&args, &tools, &probe_path, &published, &closed) {
        let name = format!("{} ({})", row.tool, row.mode.name());
        let (probe_args, reader) = row
            .lines_args
            .as_ref()
            .map_or((&row.args, row.reader), |(a, r)| (a, *r));
        match measure(&row.program, probe_args, reader, row.ok, dir) {
            Err(err) => problems.push(format!("{name} FAILED on the format probe: {err}")),
            Ok(m) => {
                let named = m.verdicts.lines.unwrap_or_default();
                let d = peers::compare(&probe_refused, &named);
                if !d.is_empty() {
                    let list = |lines: &[usize]| {
                        lines
                            .iter()
                            .map(|&n| probe[n - 1].what.clone())
                            .collect::<Vec<_>>()
                            .join("; ")
                    };
                    problems.push(format!(
                        "{name} DISAGREES on the format probe: accepts [{}], refuses [{}]",
                        list(&d.accepted_faulty),
                        list(&d.refused_sound)
                    ));
                }
            }
        }
    }
    println!(
        "format probe: {} lines, {} refused by formats alone ({})",
        probe.len(),
        probe_refused.len(),
        peers::FORMAT_ONLY
            .iter()
            .map(|case| case.3)
            .collect::<Vec<_>>()
            .join("; ")
    );

    let rows = rows(&args, &tools, &corpus, &published, &closed);
    let mut lines: Vec<Option<Result<Verdicts, String>>> = Vec::new();
    for row in &rows {
        lines.push(row.lines_args.as_ref().map(|(line_args, reader)| {
            measure(&row.program, line_args, *reader, row.ok, dir).map(|m| m.verdicts)
        }));
    }
    // Run 0 is the warm-up. A command that fails is reported and not run again.
    let mut failed: Vec<Option<String>> = vec![None; rows.len()];
    let mut warm: Vec<Option<Verdicts>> = vec![None; rows.len()];
    let mut times: Vec<Vec<Measure>> = (0..rows.len()).map(|_| Vec::new()).collect();
    for run in 0..=args.runs {
        eprint!(
            "\rpeers: {} {run}/{} ",
            if run == 0 { "warm-up" } else { "run" },
            args.runs
        );
        for (i, row) in rows.iter().enumerate() {
            if failed[i].is_some() {
                continue;
            }
            match measure(&row.program, &row.args, row.reader, row.ok, dir) {
                Ok(m) if run == 0 => warm[i] = Some(m.verdicts),
                Ok(m) => times[i].push(m),
                Err(err) => failed[i] = Some(err),
            }
        }
    }
    eprintln!();

    // Agreement: every command must refuse exactly the faulty lines, in every run.
    for (i, row) in rows.iter().enumerate() {
        let name = format!("{} ({})", row.tool, row.mode.name());
        if let Some(err) = &failed[i] {
            problems.push(format!("{name} FAILED: {err}"));
            continue;
        }
        let named = match (&lines[i], &warm[i]) {
            (Some(Err(err)), _) => {
                problems.push(format!("{name} FAILED to list its refusals: {err}"));
                continue;
            }
            (Some(Ok(v)), _) => v.lines.clone(),
            (None, Some(v)) => v.lines.clone(),
            (None, None) => None,
        };
        let Some(named) = named else {
            problems.push(format!("{name}: its output names no lines"));
            continue;
        };
        let disagreement = peers::compare(&faulty, &named);
        if !disagreement.is_empty() {
            problems.push(describe(&name, &disagreement, &faults, &corpus));
        }
        let counts: Vec<(usize, usize)> = warm[i]
            .iter()
            .chain(times[i].iter().map(|m| &m.verdicts))
            .map(|v| (v.events, v.refused))
            .collect();
        if counts.iter().any(|&c| c != (args.events, named.len())) {
            problems.push(format!(
                "{name} DISAGREES with itself: (events, refused) per run {counts:?}, {} refused lines named, {} events written",
                named.len(),
                args.events
            ));
        }
    }

    print_table(&args, &rows, &times, &failed, &faulty);
    if problems.is_empty() {
        println!(
            "\nagreement: every command refused exactly the {} lines with a fault, in every run, in both modes, and exactly the {} lines of the format probe",
            faulty.len(),
            probe_refused.len()
        );
        Ok(true)
    } else {
        println!("\nDISAGREEMENT: the rows below are not comparable as they stand");
        for problem in &problems {
            println!("- {problem}");
        }
        Ok(false)
    }
}

fn print_environment(args: &Args, tools: &Tools, faults: &[(usize, Fault)], bytes: usize) {
    let kinds: Vec<String> = Fault::ALL
        .iter()
        .map(|kind| {
            let n = faults.iter().filter(|(_, f)| f == kind).count();
            format!("{n} {kind}")
        })
        .collect();
    println!(
        "corpus: {} events, {} with one injected fault ({}), {:.1} MB, seed {}",
        args.events,
        faults.len(),
        kinds.join(", "),
        bytes as f64 / 1e6,
        args.seed
    );
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    println!(
        "machine: {} cores ({cpu}), Linux {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        kernel.trim()
    );
    let unknown = || "?".to_owned();
    println!(
        "evschema: {} ({})",
        version(&tools.evschema, &["--version"]).unwrap_or_else(unknown),
        tools.evschema.display()
    );
    println!(
        "sourcemeta jsonschema: {} (the native binary of npm @sourcemeta/jsonschema {})",
        version(&tools.sourcemeta, &["--version"]).unwrap_or_else(unknown),
        package_version(&tools.package.join("../../@sourcemeta/jsonschema"))
    );
    let modules = tools.package.join("..").join("..");
    // The validators' first line says which ajv compiled them, at package time.
    let header = std::fs::read_to_string(tools.package.join("validators/deny.js"))
        .ok()
        .and_then(|text| {
            text.lines()
                .next()
                .map(|l| l.trim_start_matches("// ").to_owned())
        })
        .unwrap_or_else(unknown);
    println!(
        "node {}; @opentact/events {} installed from its tarball, with ajv {} and ajv-formats {} beside it; its validators: {header}",
        version(&tools.node, &["--version"]).unwrap_or_else(unknown),
        package_version(&tools.package),
        package_version(&modules.join("ajv")),
        package_version(&modules.join("ajv-formats")),
    );
    println!(
        "runs: {} timed after 1 warm-up, interleaved; wall time from start to exit; peak RSS and CPU (user + system) from GNU time",
        args.runs
    );
}

/// Every command to time, contract rows first.
fn rows(args: &Args, tools: &Tools, corpus: &Path, published: &Path, closed: &Path) -> Vec<Row> {
    let os = |items: &[&str]| items.iter().map(OsString::from).collect::<Vec<_>>();
    let mut rows = Vec::new();
    for mode in Mode::ALL {
        let jobs: &[&str] = if args.no_parallel {
            &["1"]
        } else {
            &["1", "2"]
        };
        for &j in jobs {
            let common = os(&[
                "validate",
                "--format",
                "json",
                "--jobs",
                j,
                "--unknown-fields",
                mode.policy(),
            ]);
            let mut timed = common.clone();
            timed.insert(1, "--quiet".into());
            timed.push(corpus.into());
            let mut listing = common;
            listing.push(corpus.into());
            rows.push(Row {
                tool: format!("evschema --jobs {j}"),
                mode,
                program: tools.evschema.clone(),
                args: timed,
                reader: Reader::EvschemaSummary,
                ok: &[0, 1],
                lines_args: Some((listing, Reader::EvschemaRecords)),
                baseline: j == "1",
                peer: false,
            });
        }
        let schema = match mode {
            Mode::Contract => closed,
            Mode::Tolerant => published,
        };
        let mut sourcemeta = os(&["validate"]);
        sourcemeta.extend([schema.into(), corpus.into()]);
        sourcemeta.extend(os(&["--fast", "--format-assertion", "--continue"]));
        rows.push(Row {
            tool: "sourcemeta jsonschema".into(),
            mode,
            program: tools.sourcemeta.clone(),
            args: sourcemeta,
            reader: Reader::Sourcemeta,
            ok: &[0, 2],
            lines_args: None,
            baseline: false,
            peer: true,
        });
        for (tool, api) in [
            ("ajv standalone (npm package)", "validators"),
            ("npm package validate()", "validate"),
        ] {
            let mut node = vec![tools.ajv_script.clone().into_os_string()];
            node.extend(os(&["--package"]));
            node.push(tools.package.clone().into_os_string());
            node.extend(os(&["--unknown-fields", mode.policy(), "--api", api]));
            node.push(corpus.into());
            rows.push(Row {
                tool: tool.into(),
                mode,
                program: tools.node.clone(),
                args: node,
                reader: Reader::Ajv,
                ok: &[0, 1],
                lines_args: None,
                baseline: false,
                peer: true,
            });
        }
    }
    rows
}

/// Runs one command under GNU time, its output into files, and reads its verdicts.
fn measure(
    program: &Path,
    args: &[OsString],
    reader: Reader,
    ok: &[i32],
    dir: &Path,
) -> Result<Measure, String> {
    let (out_path, err_path, time_path) = (
        dir.join("stdout.txt"),
        dir.join("stderr.txt"),
        dir.join("time.txt"),
    );
    let file = |path: &Path| File::create(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut command = Command::new(TIME);
    command
        .args(["-f", "%M %U %S", "-o"])
        .arg(&time_path)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(file(&out_path)?)
        .stderr(file(&err_path)?);
    let start = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    let read = |path: &Path| {
        std::fs::read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let (stdout, stderr) = (read(&out_path)?, read(&err_path)?);
    let shown = || {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    };
    if !status.code().is_some_and(|code| ok.contains(&code)) {
        return Err(format!(
            "{} exited with {status}: {}",
            program.display(),
            shown()
        ));
    }
    // GNU time writes "Command exited with non-zero status N" first when it did.
    let timing = read(&time_path)?;
    let fields: Vec<f64> = timing
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [peak_kib, user, system] = fields[..] else {
        return Err(format!("{TIME} wrote {timing:?}"));
    };
    let verdicts = reader
        .read(&stdout, &stderr)
        .map_err(|e| format!("{e} (stderr: {})", shown()))?;
    Ok(Measure {
        seconds,
        peak_kib: peak_kib as u64,
        cpu_seconds: user + system,
        verdicts,
    })
}

/// A disagreement in words, with a few of the lines and their faults.
fn describe(name: &str, d: &Disagreement, faults: &[(usize, Fault)], corpus: &Path) -> String {
    let text = std::fs::read_to_string(corpus).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    let show = |line: usize| {
        let fault = faults
            .iter()
            .find(|(l, _)| *l == line)
            .map_or("no fault".to_owned(), |(_, f)| format!("fault {f}"));
        let content = all.get(line - 1).copied().unwrap_or("");
        let cut: String = content.chars().take(160).collect();
        format!("line {line} ({fault}): {cut}...")
    };
    let mut out = format!(
        "{name} DISAGREES: accepts {} lines with a fault, refuses {} lines without one",
        d.accepted_faulty.len(),
        d.refused_sound.len()
    );
    if !d.accepted_faulty.is_empty() {
        let mut by_kind: Vec<String> = Vec::new();
        for kind in Fault::ALL {
            let n = d
                .accepted_faulty
                .iter()
                .filter(|l| faults.iter().any(|(fl, f)| fl == *l && *f == kind))
                .count();
            if n > 0 {
                by_kind.push(format!("{n} {kind}"));
            }
        }
        out.push_str(&format!(
            "\n    accepted faults by kind: {}",
            by_kind.join(", ")
        ));
    }
    for &line in d.accepted_faulty.iter().chain(&d.refused_sound).take(6) {
        out.push_str(&format!("\n    {}", show(line)));
    }
    out
}

fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)))
}

fn print_table(
    args: &Args,
    rows: &[Row],
    times: &[Vec<Measure>],
    failed: &[Option<String>],
    faulty: &[usize],
) {
    let seconds = |i: usize| times[i].iter().map(|m| m.seconds).collect::<Vec<_>>();
    let baseline = |mode: Mode| {
        rows.iter()
            .position(|r| r.baseline && r.mode == mode)
            .filter(|&b| failed[b].is_none())
    };
    println!();
    println!(
        "| tool | mode | median s (min–max) | events/s | peak RSS MiB | CPU s | refused | time / evschema --jobs 1 (per run) |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (i, row) in rows.iter().enumerate() {
        if let Some(err) = &failed[i] {
            let err: String = err.chars().take(120).collect();
            println!(
                "| {} | {} | FAILED: {err} | | | | | |",
                row.tool,
                row.mode.name()
            );
            continue;
        }
        let s = seconds(i);
        let med = median(&s);
        let (lo, hi) = range(s.iter().copied());
        let peak = times[i].iter().map(|m| m.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
        let cpu = median(&times[i].iter().map(|m| m.cpu_seconds).collect::<Vec<_>>());
        let refused = times[i].first().map_or(0, |m| m.verdicts.refused);
        let mark = if refused == faulty.len() { "" } else { " ✗" };
        let ratio = match baseline(row.mode) {
            Some(b) if b == i => "1.00x (baseline)".to_owned(),
            Some(b) => {
                let base = seconds(b);
                let (rlo, rhi) = range(s.iter().zip(&base).map(|(t, b)| t / b));
                format!("{:.2}x ({rlo:.2}–{rhi:.2})", med / median(&base))
            }
            None => "?".to_owned(),
        };
        println!(
            "| {} | {} | {med:.3} ({lo:.3}–{hi:.3}) | {:.0} | {peak:.0} | {cpu:.2} | {refused}{mark} | {ratio} |",
            row.tool,
            row.mode.name(),
            args.events as f64 / med,
        );
    }
    println!();
    for mode in Mode::ALL {
        let Some(b) = baseline(mode) else { continue };
        let fastest = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| r.peer && r.mode == mode && failed[*i].is_none())
            .map(|(i, r)| (median(&seconds(i)), r))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((peer, row)) = fastest {
            let ratio = peer / median(&seconds(b));
            println!(
                "{}: the fastest peer is {} ({peer:.3} s); evschema --jobs 1 is {ratio:.2}x faster (issue 19's goal: at least 5x): {}",
                mode.name(),
                row.tool,
                if ratio >= 5.0 { "met" } else { "NOT met" }
            );
        }
    }
}
