//! Time and peak memory of the breaking-change check on every kind of large or deeply nested
//! schema pair issue 17 names, at the issue's size and at twice it (`evbench::pairs`).
//!
//! Each pair runs in a child process of its own, so that its peak resident memory is its own
//! (read from `/proc/self/status`, `VmHWM`) and a pair that runs past `--timeout` is stopped and
//! reported as such instead of holding up the rest. The baseline, measured in the same child,
//! is what any tool that reads the pair must do: compile both documents into validators
//! (jsonschema, formats on).
//!
//! ```sh
//! cargo run --release -p evbench --bin compat                     # every kind, both sizes
//! cargo run --release -p evbench --bin compat -- --kind ref-chain --timeout 30
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)] // A report: its output is the point.

use std::io::Read;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use evbench::pairs::PairKind;
use serde_json::{Value, json};

/// Times `compare_schemas` on large and deeply nested pairs, each in its own process.
#[derive(Parser)]
struct Args {
    /// Only this kind (by name; repeatable).
    #[arg(long)]
    kind: Vec<String>,
    /// Seconds a pair may run before it is stopped.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Exit non-zero when a pair takes more than this many seconds...
    #[arg(long, default_value_t = 10.0)]
    max_seconds: f64,
    /// ...or more than this many MiB of resident memory.
    #[arg(long, default_value_t = 512.0)]
    max_mib: f64,
    /// Internal: run one pair (kind, size) and print its measures as JSON.
    #[arg(long, num_args = 2, value_names = ["KIND", "SIZE"], hide = true)]
    one: Option<Vec<String>>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(one) = &args.one {
        return match run_one(&one[0], &one[1]) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("{err}");
                ExitCode::from(2)
            }
        };
    }
    let kinds: Vec<PairKind> = if args.kind.is_empty() {
        PairKind::ALL.to_vec()
    } else {
        match args
            .kind
            .iter()
            .map(|k| PairKind::named(k).ok_or(k))
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(kinds) => kinds,
            Err(name) => {
                eprintln!("no pair kind {name:?}");
                return ExitCode::from(2);
            }
        }
    };
    let Ok(me) = std::env::current_exe() else {
        eprintln!("cannot find this program's path");
        return ExitCode::from(2);
    };
    println!(
        "| pair | size | verdict (backward, forward) | changes (most places) | Markdown chars | compat s | peak MiB | baseline s | ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut over = false;
    for kind in kinds {
        for size in kind.sizes() {
            let row = measure(&me, kind, size, Duration::from_secs(args.timeout));
            let seconds = row.get("seconds").and_then(Value::as_f64);
            let mib = row.get("peak_mib").and_then(Value::as_f64);
            over |= seconds.is_none_or(|s| s > args.max_seconds)
                || mib.is_none_or(|m| m > args.max_mib);
            println!("{}", table_row(kind, size, &row, args.timeout));
        }
    }
    if over {
        eprintln!(
            "some pair took more than {} s or {} MiB",
            args.max_seconds, args.max_mib
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs one pair in a child process, stopping it after `timeout`.
fn measure(me: &std::path::Path, kind: PairKind, size: usize, timeout: Duration) -> Value {
    let child = Command::new(me)
        .args(["--one", kind.name(), &size.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(err) => return json!({"error": format!("cannot start: {err}")}),
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut out = String::new();
                let mut err = String::new();
                if let Some(mut s) = child.stdout.take() {
                    let _ = s.read_to_string(&mut out);
                }
                if let Some(mut s) = child.stderr.take() {
                    let _ = s.read_to_string(&mut err);
                }
                if !status.success() {
                    return json!({"error": format!("{status}: {}", err.trim())});
                }
                return serde_json::from_str(out.trim())
                    .unwrap_or_else(|e| json!({"error": format!("unreadable output: {e}")}));
            }
            Ok(None) if start.elapsed() > timeout => {
                // Its peak so far, read before it is stopped.
                let peak = peak_mib(&format!("/proc/{}/status", child.id()));
                let _ = child.kill();
                let _ = child.wait();
                return json!({"timed_out": true, "peak_mib": peak});
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(err) => return json!({"error": format!("cannot wait: {err}")}),
        }
    }
}

fn table_row(kind: PairKind, size: usize, row: &Value, timeout: u64) -> String {
    let size = format!("{size} {}", kind.unit());
    if let Some(err) = row.get("error") {
        return format!("| {} | {size} | error: {err} | | | | | | |", kind.name());
    }
    let peak = row
        .get("peak_mib")
        .and_then(Value::as_f64)
        .map_or("?".to_owned(), |m| format!("{m:.0}"));
    if row.get("timed_out").is_some() {
        return format!(
            "| {} | {size} | stopped after {timeout} s | | | > {timeout} | ≥ {peak} | | |",
            kind.name()
        );
    }
    let num = |k: &str| row.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    format!(
        "| {} | {size} | {}, {} | {} ({}) | {} | {:.2} | {peak} | {:.2} | {:.1}x |",
        kind.name(),
        row["backward"].as_str().unwrap_or("?"),
        row["forward"].as_str().unwrap_or("?"),
        row["changes"],
        row["places"],
        row["markdown_chars"],
        num("seconds"),
        num("baseline_seconds"),
        num("seconds") / num("baseline_seconds"),
    )
}

/// The peak resident memory of a process, in MiB, from its `/proc/.../status` (`VmHWM`).
fn peak_mib(status: &str) -> Option<f64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The child's work: one pair, measured.
fn run_one(kind: &str, size: &str) -> Result<Value, String> {
    let kind = PairKind::named(kind).ok_or_else(|| format!("no pair kind {kind:?}"))?;
    let size: usize = size.parse().map_err(|e| format!("size: {e}"))?;
    let (old, new) = kind.pair(size);
    // The baseline: both documents compiled as the check's validators are.
    let start = Instant::now();
    for schema in [&old, &new] {
        jsonschema::options()
            .should_validate_formats(true)
            .offline()
            .build(schema)
            .map_err(|e| format!("the pair does not compile: {e}"))?;
    }
    let baseline = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let report = evcompat::compare_schemas(&old, &new, &Default::default(), &[])
        .map_err(|e| e.to_string())?;
    let markdown = evcompat::render_markdown(&report, evcompat::Mode::Full);
    if markdown.chars().count() >= evcompat::MARKDOWN_LIMIT {
        return Err(format!(
            "the Markdown report has {} characters",
            markdown.chars().count()
        ));
    }
    let seconds = start.elapsed().as_secs_f64();
    Ok(json!({
        "seconds": seconds,
        "baseline_seconds": baseline,
        "peak_mib": peak_mib("/proc/self/status"),
        "backward": report.backward.verdict,
        "forward": report.forward.verdict,
        "changes": report.changes.len(),
        "places": report.changes.iter().map(|c| c.places).max().unwrap_or(0),
        "markdown_chars": markdown.chars().count(),
    }))
}
