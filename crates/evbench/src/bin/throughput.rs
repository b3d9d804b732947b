//! The validator's throughput against baselines measured in the same process, on the same
//! corpus and the same compiled schema. The machines are shared and noisy, so absolute numbers
//! mean little: the pipelines are interleaved run by run, so that they share the noise, and the
//! ratios between them are the result.

#![allow(clippy::print_stdout, clippy::print_stderr)] // A report: its output is the point.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use evbench::{Generator, load_templates, workspace_dir};
use evcontract::{Catalog, Engine, UnknownFields, Values};
use opentact_events::Event;
use rayon::prelude::*;
use serde::de::IgnoredAny;
use serde_json::Value;

/// Times the engine against serde_json + jsonschema and serde_json's syntax-only parse.
#[derive(Parser)]
struct Args {
    /// How many events in the corpus.
    #[arg(long, default_value_t = 100_000)]
    events: usize,
    /// Timed runs of each pipeline (after one warm-up run); the median is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// The corpus's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many events in the second corpus, where about half the events carry one fault (0:
    /// no second corpus).
    #[arg(long, default_value_t = 20_000)]
    half_invalid_events: usize,
}

/// One way of validating a corpus; it returns how many events it found invalid.
struct Pipeline<'a> {
    name: &'static str,
    /// 0: the main corpus; 1: the half-invalid one.
    corpus: usize,
    run: Box<dyn Fn() -> usize + Sync + 'a>,
}

/// A corpus in one buffer, as a file read into memory would be, and its line slices.
struct Corpus {
    text: Vec<u8>,
    injected: usize,
}

impl Corpus {
    fn new(generator: &mut Generator, events: usize) -> Corpus {
        let mut text = Vec::new();
        let mut injected = 0;
        for _ in 0..events {
            let (line, fault) = generator.next_event();
            injected += usize::from(fault.is_some());
            text.extend_from_slice(line.as_bytes());
            text.push(b'\n');
        }
        Corpus { text, injected }
    }

    /// The same events with keys no schema declares (what a newer producer adds and a tolerant
    /// reader must accept): a tracing object first in each event, and a key first in its
    /// `call` or `payload` object when it has one. Neither changes a verdict under the
    /// published open schemas.
    fn with_unknown_keys(&self) -> Corpus {
        let mut text = Vec::with_capacity(self.text.len() * 5 / 4);
        for line in self.lines() {
            let mut line = line.to_vec();
            for (after, key) in [
                (&b"\"call\":{"[..], &b"\"x_region\":\"eu-west-1\","[..]),
                (b"\"payload\":{", b"\"x_region\":\"eu-west-1\","),
                (
                    b"{",
                    br#""x_trace":{"id":"4bf92f3577b34da6","hops":[1,2],"sampled":true},"#,
                ),
            ] {
                if let Some(at) = find(&line, after) {
                    let at = at + after.len();
                    line.splice(at..at, key.iter().copied());
                }
            }
            text.extend_from_slice(&line);
            text.push(b'\n');
        }
        Corpus {
            text,
            injected: self.injected,
        }
    }

    fn lines(&self) -> Vec<&[u8]> {
        self.text
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect()
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.events == 0 || args.runs == 0 {
        eprintln!("throughput: --events and --runs must be at least 1");
        return ExitCode::from(2);
    }
    let root = workspace_dir();
    let (templates, files) = match (
        load_templates(&root.join("fixtures/valid")),
        evcontract::files::read_catalog(&root.join("schemas")),
    ) {
        (Ok(t), Ok(f)) => (t, f),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("throughput: {e}");
            return ExitCode::from(2);
        }
    };
    let (catalog, open_catalog) = match (
        Catalog::new(&files, UnknownFields::Deny),
        Catalog::new(&files, UnknownFields::Allow),
    ) {
        (Ok(closed), Ok(open)) => (closed, open),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("throughput: {e}");
            return ExitCode::from(2);
        }
    };
    // Exactly what `evschema validate` builds: the committed schemas, unknown fields denied,
    // and the models' fast path when the schemas are what this build's models generate.
    let models_match = evcontract::validate::models_match(&files);
    let engine = Engine::new(catalog, models_match, Values::Show);
    // And what `evschema validate --unknown-fields allow` builds: the tolerant reader.
    let tolerant = Engine::new(open_catalog, models_match, Values::Show);

    // The corpora live in one buffer each, as a file read into memory would, and the
    // pipelines see the same line slices.
    let main_corpus = Corpus::new(
        &mut Generator::new(templates.clone(), args.seed),
        args.events,
    );
    let half_corpus = Corpus::new(
        &mut Generator::with_faults(templates, args.seed, 2),
        args.half_invalid_events,
    );
    let keyed_corpus = main_corpus.with_unknown_keys();
    let corpora = [
        main_corpus.lines(),
        half_corpus.lines(),
        keyed_corpus.lines(),
    ];
    let injected = [
        main_corpus.injected,
        half_corpus.injected,
        keyed_corpus.injected,
    ];
    let bytes: Vec<usize> = corpora
        .iter()
        .map(|lines| lines.iter().map(|l| l.len()).sum())
        .collect();

    let count = |corpus: usize, valid: &dyn Fn(&[u8]) -> bool| {
        corpora[corpus].iter().filter(|l| !valid(l)).count()
    };
    let baseline = |l: &[u8]| {
        serde_json::from_slice::<Value>(l).is_ok_and(|v| engine.catalog().is_valid(black_box(&v)))
    };
    // The engine as it was before issue 11: the owned models as the fast path (a `String` per
    // field, a `Vec` per array), then the full path for what they refuse.
    let before = |l: &[u8]| Event::from_slice(l).is_ok() || engine.check_full(l).is_valid();
    let mut pipelines = vec![
        Pipeline {
            name: "(a) serde_json Value + jsonschema",
            corpus: 0,
            run: Box::new(|| count(0, &baseline)),
        },
        Pipeline {
            name: "(b) serde_json IgnoredAny (floor)",
            corpus: 0,
            run: Box::new(|| count(0, &|l| serde_json::from_slice::<IgnoredAny>(l).is_ok())),
        },
        Pipeline {
            name: "(c) engine.check",
            corpus: 0,
            run: Box::new(|| count(0, &|l| black_box(engine.check(l)).is_valid())),
        },
        Pipeline {
            name: "(d) engine.check, rayon",
            corpus: 0,
            run: Box::new(|| {
                corpora[0]
                    .par_iter()
                    .filter(|l| !black_box(engine.check(l)).is_valid())
                    .count()
            }),
        },
        Pipeline {
            name: "(e) engine before issue 11",
            corpus: 0,
            run: Box::new(|| count(0, &before)),
        },
    ];
    if args.half_invalid_events > 0 {
        pipelines.push(Pipeline {
            name: "(f) half invalid: (a)",
            corpus: 1,
            run: Box::new(|| count(1, &baseline)),
        });
        pipelines.push(Pipeline {
            name: "(g) half invalid: (c) engine.check",
            corpus: 1,
            run: Box::new(|| count(1, &|l| black_box(engine.check(l)).is_valid())),
        });
    }

    // What the machine itself gives two threads: the floor over all cores. (d)/(c) can only be
    // judged against (h)/(b) (shared or hyper-threaded cores scale below the core count).
    let floor_rayon = pipelines.len();
    pipelines.push(Pipeline {
        name: "(h) floor, rayon",
        corpus: 0,
        run: Box::new(|| {
            corpora[0]
                .par_iter()
                .filter(|l| serde_json::from_slice::<IgnoredAny>(l).is_err())
                .count()
        }),
    });

    // The tolerant reader, on the same corpus as (c) and on the same events with unknown keys
    // (with the floor on those, the bytes being more).
    let tolerant_at = pipelines.len();
    pipelines.push(Pipeline {
        name: "(i) tolerant: engine.check, allow",
        corpus: 0,
        run: Box::new(|| count(0, &|l| black_box(tolerant.check(l)).is_valid())),
    });
    pipelines.push(Pipeline {
        name: "(j) unknown keys: (i)",
        corpus: 2,
        run: Box::new(|| count(2, &|l| black_box(tolerant.check(l)).is_valid())),
    });
    pipelines.push(Pipeline {
        name: "(k) unknown keys: floor",
        corpus: 2,
        run: Box::new(|| count(2, &|l| serde_json::from_slice::<IgnoredAny>(l).is_ok())),
    });
    let (keyed_tolerant, keyed_floor) = (tolerant_at + 1, tolerant_at + 2);

    // One warm-up run of each (caches, page faults, rayon's threads), then the timed runs,
    // interleaved: run 1 of every pipeline, then run 2 of every pipeline, and so on.
    let invalid: Vec<usize> = pipelines.iter().map(|p| (p.run)()).collect();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); pipelines.len()];
    for _ in 0..args.runs {
        for (pipeline, times) in pipelines.iter().zip(&mut times) {
            let start = Instant::now();
            black_box((pipeline.run)());
            times.push(start.elapsed());
        }
    }
    let medians: Vec<f64> = times.iter().map(|t| median(t)).collect();

    for (i, name) in ["corpus", "half-invalid corpus", "corpus with unknown keys"]
        .iter()
        .enumerate()
    {
        if corpora[i].is_empty() {
            continue;
        }
        println!(
            "{name}: {} events, {} with one injected fault, {:.1} MB (mean {} B/event), seed {}",
            corpora[i].len(),
            injected[i],
            bytes[i] as f64 / 1e6,
            bytes[i] / corpora[i].len(),
            args.seed
        );
    }
    println!(
        "runs: {} timed after 1 warm-up, interleaved; cores: {}; engine fast path: {}",
        args.runs,
        rayon::current_num_threads(),
        if engine.uses_fast_path() { "on" } else { "OFF" }
    );
    println!(
        "tolerant reader (unknown fields allowed) fast path: {}",
        if tolerant.uses_fast_path() {
            "on"
        } else {
            "OFF"
        }
    );
    println!();
    println!(
        "{:<36} {:>12} {:>23} {:>9} {:>8}",
        "pipeline", "events/s", "(min-max)", "MB/s", "invalid"
    );
    for (i, pipeline) in pipelines.iter().enumerate() {
        let events = corpora[pipeline.corpus].len() as f64;
        let rate = |secs: f64| events / secs;
        let slowest = times[i].iter().max().map_or(0.0, |t| rate(t.as_secs_f64()));
        let fastest = times[i].iter().min().map_or(0.0, |t| rate(t.as_secs_f64()));
        // The syntax-only parse has no verdict: its count is of lines that are not JSON.
        let verdicts = if i == 1 || i == floor_rayon || i == keyed_floor {
            "-".to_owned()
        } else {
            invalid[i].to_string()
        };
        println!(
            "{:<36} {:>12.0} {:>23} {:>9.1} {:>8}",
            pipeline.name,
            rate(medians[i]),
            format!("({slowest:.0}-{fastest:.0})"),
            bytes[pipeline.corpus] as f64 / medians[i] / 1e6,
            verdicts
        );
    }
    println!();
    // A ratio of medians, and in brackets the range of the per-run ratios: the pipelines of one
    // run ran back to back, so the spread of those says how much the noise moved the ratio. Both
    // pipelines of a ratio run on the same corpus.
    let ratio = |fast: usize, slow: usize| {
        let per_run: Vec<f64> = (0..args.runs)
            .map(|r| times[slow][r].as_secs_f64() / times[fast][r].as_secs_f64())
            .collect();
        let (lo, hi) = per_run
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        (medians[slow] / medians[fast], lo, hi)
    };
    let mut ratios = vec![
        ("(c)/(a) engine vs serde_json+jsonschema", 2, 0),
        ("(c)/(b) engine vs syntax-only floor", 2, 1),
        ("(d)/(c) rayon vs one thread", 3, 2),
        ("(h)/(b) the machine: floor on all cores", floor_rayon, 1),
        ("(c)/(e) engine vs before issue 11", 2, 4),
        ("(e)/(a) before issue 11 vs (a)", 4, 0),
        ("(e)/(b) before issue 11 vs floor", 4, 1),
    ];
    if args.half_invalid_events > 0 {
        ratios.push(("(g)/(f) half invalid: engine vs (a)", 6, 5));
    }
    ratios.push((
        "(j)/(k) unknown keys: tolerant vs floor",
        keyed_tolerant,
        keyed_floor,
    ));
    for (label, fast, slow) in ratios {
        let (r, lo, hi) = ratio(fast, slow);
        println!("{label:<40} {r:>5.2}x  (per run {lo:.2}-{hi:.2}x)");
    }
    // A ratio of times, not of speeds: how much longer the tolerant reader takes than the
    // contract on the same events (the goal of issue 19 is at most 1.25x).
    let (r, lo, hi) = ratio(2, tolerant_at);
    println!(
        "{:<40} {r:>5.2}x  (per run {lo:.2}-{hi:.2}x)",
        "(i)÷(c) tolerant's time / contract's"
    );
    println!();
    println!(
        "invalid: (a) {}, (c) {}, (d) {}, (e) {}, injected {}",
        invalid[0], invalid[2], invalid[3], invalid[4], injected[0]
    );
    if args.half_invalid_events > 0 {
        println!(
            "half invalid: (f) {}, (g) {}, injected {}",
            invalid[5], invalid[6], injected[1]
        );
    }

    println!(
        "tolerant: (i) {}, (j) {} (no fault is an unknown key: the contract's count)",
        invalid[tolerant_at], invalid[keyed_tolerant]
    );

    // Speed bought with wrong verdicts would be no speed at all.
    let agree = invalid[0] == invalid[2]
        && invalid[2] == invalid[3]
        && invalid[3] == invalid[4]
        && invalid[2] == invalid[tolerant_at]
        && invalid[2] == invalid[keyed_tolerant]
        && (args.half_invalid_events == 0 || invalid[5] == invalid[6]);
    if !agree {
        eprintln!("throughput: the pipelines disagree on how many events are invalid");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The median of `times`, in seconds.
fn median(times: &[Duration]) -> f64 {
    evbench::median(&times.iter().map(Duration::as_secs_f64).collect::<Vec<_>>())
}
