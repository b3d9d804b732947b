//! One event with many problems: does the time per problem stay flat as their number grows?
//!
//! Each problem is located in the event's text (line, column, span) and, in the human format,
//! shown with its part of the line. Done naively, each costs time proportional to the line, and
//! a line with N problems costs N × its length: quadratic (before this benchmark, 16,000 unknown
//! keys in one 200 KB line took 59 s in the human format). This times one NDJSON line holding N
//! unknown keys, for growing N, through what `evschema validate` does with it (the verdict with
//! every problem located, then each output format's rendering) and through the Arrow checker.
//! The baseline, in the same run, is serde_json reading the same line with `IgnoredAny`, which
//! is linear by construction. Read the `growth` column: the time per problem at N over the time
//! per problem at the smallest N. Linear work stays near 1.0x; quadratic work grows as N does.

#![allow(clippy::print_stdout, clippy::print_stderr)] // A report: its output is the point.

use std::hint::black_box;
use std::io;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::cast::AsArray;
use arrow_array::{Array, StringArray};
use clap::Parser;
use evarrow::{Checker, Options};
use evbench::{load_templates, workspace_dir};
use evcontract::{UnknownFields, Values};
use evschema::output::{Format, Reporter, Source, Style, Summary};
use serde::de::IgnoredAny;
use serde_json::Value;

/// Times one event with N unknown keys through the verdict, each output format and the Arrow
/// checker.
#[derive(Parser)]
struct Args {
    /// The numbers of unknown keys, one line each.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000, 4_000, 16_000, 64_000])]
    problems: Vec<usize>,
    /// Timed runs of each pipeline (after one warm-up run); the median is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.problems.is_empty() || args.problems.contains(&0) || args.runs == 0 {
        eprintln!("many-problems: --problems and --runs must be at least 1");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("many-problems: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let templates =
        load_templates(&workspace_dir().join("fixtures/valid")).map_err(|e| e.to_string())?;
    let template: Value = serde_json::from_str(templates.first().ok_or("no valid fixture")?)
        .map_err(|e| e.to_string())?;
    let engine = Arc::new(
        evschema::catalog::engine(None, UnknownFields::Deny, Values::Show)
            .map_err(|e| e.to_string())?,
    );
    let checker = Checker::new(&Options {
        max_line_bytes: u64::MAX,
        ..Options::default()
    })
    .map_err(|e| e.to_string())?;
    let source = Source::stdin();
    let max = u64::MAX;

    let mut pipelines: Vec<(String, Pipeline)> = Vec::new();
    pipelines.push((
        "floor: serde_json IgnoredAny".into(),
        Box::new(|line| usize::from(serde_json::from_slice::<IgnoredAny>(line).is_ok())),
    ));
    {
        let (engine, source) = (Arc::clone(&engine), Arc::clone(&source));
        pipelines.push((
            "verdict (check_line)".into(),
            Box::new(move |line| {
                evschema::verdict::check_line(&engine, &source, 1, line, max)
                    .problems
                    .len()
            }),
        ));
    }
    for format in Format::ALL {
        let (engine, source) = (Arc::clone(&engine), Arc::clone(&source));
        pipelines.push((
            format!("verdict + {format:?} report").to_lowercase(),
            Box::new(move |line| {
                let record = evschema::verdict::check_line(&engine, &source, 1, line, max);
                let style = Style {
                    show_source: true,
                    ..Style::default()
                };
                let mut reporter = Reporter::new(io::sink(), format, style);
                let mut summary = Summary::default();
                if let Ok(verdict) = reporter.record(&record, line) {
                    summary.add(verdict);
                }
                let _ = reporter.finish(&summary, 1);
                record.problems.len()
            }),
        ));
    }
    pipelines.push((
        "arrow checker (one row)".into(),
        Box::new(move |line| {
            let text = String::from_utf8_lossy(line);
            let array = StringArray::from(vec![text.as_ref()]);
            // The number of problems in the row: the length of its `errors` list.
            checker.check(&array).map_or(0, |out| {
                let errors = out
                    .column_by_name("errors")
                    .map(|c| c.as_list::<i32>().value(0));
                errors.map_or(0, |e| e.len())
            })
        }),
    ));

    println!(
        "One NDJSON line with N unknown keys (unknown keys denied): median of {} runs",
        args.runs
    );
    println!("| pipeline | N | line (KB) | time (ms) | per problem (µs) | / floor | growth |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let lines: Vec<(usize, Vec<u8>)> = args
        .problems
        .iter()
        .map(|&n| (n, line_with_unknown_keys(&template, n)))
        .collect();
    for (name, pipeline) in &pipelines {
        let mut first_per_problem = None;
        for (n, line) in &lines {
            let floor = median(&times(args.runs, || {
                black_box(serde_json::from_slice::<IgnoredAny>(line).is_ok())
            }));
            // The verdict must hold every problem before it is timed.
            let found = pipeline(line);
            if !name.starts_with("floor") && found != *n {
                return Err(format!("{name} found {found} problems in a line with {n}"));
            }
            let secs = median(&times(args.runs, || black_box(pipeline(line))));
            let per_problem = secs / *n as f64;
            let first = *first_per_problem.get_or_insert(per_problem);
            println!(
                "| {name} | {n} | {:.0} | {:.2} | {:.2} | {:.1}x | {:.2}x |",
                line.len() as f64 / 1000.0,
                secs * 1e3,
                per_problem * 1e6,
                secs / floor,
                per_problem / first,
            );
        }
    }
    Ok(())
}

/// What is timed: the work on one line, returning the number of problems it found (for the
/// floor, 1 if the line parsed).
type Pipeline = Box<dyn Fn(&[u8]) -> usize>;

/// `template` (a valid event) with `n` unknown keys added at its top level, as one compact line.
fn line_with_unknown_keys(template: &Value, n: usize) -> Vec<u8> {
    let mut event = template.clone();
    if let Some(object) = event.as_object_mut() {
        for i in 0..n {
            object.insert(format!("unknown_{i}"), Value::from(i));
        }
    }
    serde_json::to_vec(&event).expect("a value serializes")
}

/// `runs` timings of `f`, after one warm-up call.
fn times<T>(runs: usize, f: impl Fn() -> T) -> Vec<Duration> {
    black_box(f());
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect()
}

/// The median of `times`, in seconds.
fn median(times: &[Duration]) -> f64 {
    evbench::median(&times.iter().map(Duration::as_secs_f64).collect::<Vec<_>>())
}
