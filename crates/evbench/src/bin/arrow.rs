//! The Arrow checker (`evarrow`, what `evschema.check` and `evschema.spark` run) against the
//! CLI's engine on the same events, in one process, interleaved run by run so that both share
//! the machine's noise: the ratio is the result. The CLI's side is its per-line work
//! (`evschema::verdict::check_line`, the record of each line) without reading or reporting; the
//! Arrow side reads the rows of a string array and builds the result's columns.

#![allow(clippy::print_stdout, clippy::print_stderr)] // A report: its output is the point.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use arrow_array::{Array, BinaryArray, StringArray};
use clap::Parser;
use evarrow::{Checker, Options};
use evbench::{Generator, load_templates, workspace_dir};
use evcontract::{UnknownFields, Values};
use evschema::output::{Source, Verdict};

/// Times the Arrow checker against the CLI's per-line check.
#[derive(Parser)]
struct Args {
    /// How many events in each corpus.
    #[arg(long, default_value_t = 50_000)]
    events: usize,
    /// Timed runs of each pipeline (after one warm-up run); the median is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// The corpora's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.events == 0 || args.runs == 0 {
        eprintln!("arrow: --events and --runs must be at least 1");
        return ExitCode::from(2);
    }
    let templates = match load_templates(&workspace_dir().join("fixtures/valid")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("arrow: {e}");
            return ExitCode::from(2);
        }
    };
    let corpora = [
        (
            "about 2% invalid",
            Generator::new(templates.clone(), args.seed),
        ),
        (
            "half invalid",
            Generator::with_faults(templates, args.seed, 2),
        ),
    ]
    .map(|(name, mut generator)| {
        let lines: Vec<String> = (0..args.events).map(|_| generator.next_event().0).collect();
        (name, lines)
    });
    println!(
        "Arrow checker against the CLI's engine: {} events per corpus, median of {} runs",
        args.events, args.runs
    );
    println!(
        "| corpus | unknown keys | CLI engine (events/s) | Arrow, string array (events/s) | Arrow, binary array (events/s) | ratio string / CLI | ratio binary / CLI |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (name, lines) in &corpora {
        let strings = StringArray::from_iter_values(lines);
        let binary = BinaryArray::from_iter_values(lines.iter().map(String::as_bytes));
        for policy in [UnknownFields::Deny, UnknownFields::Allow] {
            let options = Options {
                unknown_fields: policy,
                ..Options::default()
            };
            let checker = match Checker::new(&options) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("arrow: {e}");
                    return ExitCode::from(2);
                }
            };
            let engine = match evschema::catalog::engine(None, policy, Values::Show) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("arrow: {e}");
                    return ExitCode::from(2);
                }
            };
            let source = Source::stdin();
            let max = options.max_line_bytes;
            let cli = || {
                lines
                    .iter()
                    .enumerate()
                    .filter(|(i, line)| {
                        let record = evschema::verdict::check_line(
                            &engine,
                            &source,
                            i + 1,
                            line.as_bytes(),
                            max,
                        );
                        black_box(&record);
                        record.verdict != Verdict::Valid
                    })
                    .count()
            };
            let arrow = |array: &dyn Array| {
                let out = checker
                    .check(array)
                    .map(|out| out.column(1).null_count() + count_invalid(&out));
                black_box(out).unwrap_or(usize::MAX)
            };
            // Both sides must agree before they are timed.
            let refused = cli();
            if arrow(&strings) != refused || arrow(&binary) != refused {
                eprintln!("arrow: the checker and the CLI's engine disagree on {name}");
                return ExitCode::FAILURE;
            }
            let mut times = [Vec::new(), Vec::new(), Vec::new()];
            for _ in 0..args.runs {
                times[0].push(time(cli));
                times[1].push(time(|| arrow(&strings)));
                times[2].push(time(|| arrow(&binary)));
            }
            let [cli_s, string_s, binary_s] = times.map(|t| median(&t));
            let rate = |s: f64| lines.len() as f64 / s;
            println!(
                "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.2}x | {:.2}x |",
                match policy {
                    UnknownFields::Deny => "deny",
                    UnknownFields::Allow => "allow",
                },
                rate(cli_s),
                rate(string_s),
                rate(binary_s),
                cli_s / string_s,
                cli_s / binary_s,
            );
        }
    }
    ExitCode::SUCCESS
}

/// Rows whose `valid` column is false.
fn count_invalid(out: &arrow_array::StructArray) -> usize {
    use arrow_array::cast::AsArray;
    let valid = out.column(1).as_boolean();
    valid.len() - valid.null_count() - valid.true_count()
}

fn time(f: impl Fn() -> usize) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

/// The median of `times`, in seconds.
fn median(times: &[Duration]) -> f64 {
    evbench::median(&times.iter().map(Duration::as_secs_f64).collect::<Vec<_>>())
}
