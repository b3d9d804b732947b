//! Where the engine's time goes: each step of the pipelines alone, on the valid and the invalid
//! events of the corpus apart, in ns/event (median of 5 interleaved runs after a warm-up).
//!
//! `cargo run --release -p evbench --example breakdown`; with `profile` (valid events) or
//! `profile-invalid` as the argument it only loops over `engine.check`, with `profile-tape` over
//! `Tape::parse` of the invalid events, for `perf record`.

#![allow(clippy::print_stdout)] // A report: its output is the point.

use std::hint::black_box;
use std::time::Instant;

use evbench::{Generator, load_templates, workspace_dir};
use evcontract::{Catalog, Engine, UnknownFields, Values};
use opentact_events::{CallStateEvent, Event, EventRef};
use serde::de::IgnoredAny;
use serde_json::Value;

/// A step: its name, the lines it runs on, and what it does to one line.
type Step<'a> = (
    &'static str,
    &'a [&'a [u8]],
    Box<dyn Fn(&[u8]) -> bool + 'a>,
);

fn main() {
    let root = workspace_dir();
    let files = evcontract::files::read_catalog(&root.join("schemas")).expect("the schemas");
    let catalog = Catalog::new(&files, UnknownFields::Deny).expect("a catalog");
    let models_match = evcontract::validate::models_match(&files);
    let engine = Engine::new(catalog, models_match, Values::Show);
    let templates = load_templates(&root.join("fixtures/valid")).expect("the fixtures");
    let mut generator = Generator::new(templates, 1);
    let events: Vec<(String, bool)> = (0..100_000)
        .map(|_| {
            let (line, fault) = generator.next_event();
            (line, fault.is_none())
        })
        .collect();
    let pick = |want: &dyn Fn(&str, bool) -> bool| -> Vec<&[u8]> {
        let chosen = events.iter().filter(|(line, ok)| want(line, *ok));
        chosen.map(|(line, _)| line.as_bytes()).collect()
    };
    let valid = pick(&|_, ok| ok);
    let invalid = pick(&|_, ok| !ok);
    let calls = pick(&|line, ok| ok && line.contains(r#""type":"call_state""#));
    if std::env::args().nth(1).as_deref() == Some("profile-invalid") {
        for _ in 0..200 {
            black_box(
                invalid
                    .iter()
                    .filter(|l| engine.check(l).is_valid())
                    .count(),
            );
        }
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("profile-tape") {
        for _ in 0..400 {
            let tapes = invalid.iter().map(|l| evcontract::tape::Tape::parse(l));
            black_box(tapes.filter(Option::is_some).count());
        }
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("profile") {
        for _ in 0..30 {
            black_box(valid.iter().filter(|l| engine.check(l).is_valid()).count());
        }
        return;
    }

    let baseline =
        |l: &[u8]| serde_json::from_slice::<Value>(l).is_ok_and(|v| engine.catalog().is_valid(&v));
    let steps: Vec<Step> = vec![
        (
            "valid: serde_json IgnoredAny (b)",
            &valid,
            Box::new(|l| serde_json::from_slice::<IgnoredAny>(l).is_ok()),
        ),
        (
            "valid: serde_json Value",
            &valid,
            Box::new(|l| black_box(serde_json::from_slice::<Value>(l)).is_ok()),
        ),
        (
            "valid: Value + catalog.is_valid (a)",
            &valid,
            Box::new(baseline),
        ),
        (
            "valid: Event::from_slice",
            &valid,
            Box::new(|l| black_box(Event::from_slice(l)).is_ok()),
        ),
        (
            "valid: EventRef::from_slice",
            &valid,
            Box::new(|l| black_box(EventRef::from_slice(l)).is_ok()),
        ),
        (
            "valid: Event::check_slice (the fast path)",
            &valid,
            Box::new(|l| black_box(Event::check_slice(l)).is_ok()),
        ),
        (
            "valid: engine.check (c)",
            &valid,
            Box::new(|l| black_box(engine.check(l)).is_valid()),
        ),
        // The models read from bytes check UTF-8 string by string; checking the whole line once
        // and reading from a `&str` skips that.
        (
            "call_state: from_slice::<CallStateEvent>",
            &calls,
            Box::new(|l| black_box(serde_json::from_slice::<CallStateEvent>(l)).is_ok()),
        ),
        (
            "call_state: from_utf8 + from_str::<CallStateEvent>",
            &calls,
            Box::new(|l| {
                std::str::from_utf8(l)
                    .is_ok_and(|s| black_box(serde_json::from_str::<CallStateEvent>(s)).is_ok())
            }),
        ),
        (
            "call_state: from_utf8 alone",
            &calls,
            Box::new(|l| std::str::from_utf8(black_box(l)).is_ok()),
        ),
        (
            "invalid: Event::from_slice (fails)",
            &invalid,
            Box::new(|l| black_box(Event::from_slice(l)).is_ok()),
        ),
        (
            "invalid: Value + catalog.is_valid (a)",
            &invalid,
            Box::new(baseline),
        ),
        // A refusal's parts on the full path of `Value`s: the strict parse, then the report with
        // and without the text (values quoted as written, through a `Locator`).
        (
            "invalid: Event::check_slice (fails)",
            &invalid,
            Box::new(|l| black_box(Event::check_slice(l)).is_ok()),
        ),
        (
            "invalid: evcontract::parse (strict Value)",
            &invalid,
            Box::new(|l| black_box(evcontract::parse(l)).is_ok()),
        ),
        // The engine's reading of a refusal: a tape of the text (no `Value`), which the
        // schema's validator reads in place of one.
        (
            "invalid: Tape::parse (the engine's reading)",
            &invalid,
            Box::new(|l| black_box(evcontract::tape::Tape::parse(l)).is_some()),
        ),
        (
            "invalid: parse + catalog.explain (no text)",
            &invalid,
            Box::new(|l| {
                evcontract::parse(l)
                    .is_ok_and(|v| engine.catalog().explain(&v, Values::Show).is_valid())
            }),
        ),
        (
            "invalid: parse + catalog.explain_text",
            &invalid,
            Box::new(|l| {
                let text = std::str::from_utf8(l).unwrap_or_default();
                evcontract::parse(l).is_ok_and(|v| {
                    engine
                        .catalog()
                        .explain_text(&v, text, Values::Show)
                        .is_valid()
                })
            }),
        ),
        (
            "invalid: parse + catalog.validate (report)",
            &invalid,
            Box::new(|l| {
                evcontract::parse(l)
                    .is_ok_and(|v| engine.catalog().validate(&v, Values::Show).is_valid())
            }),
        ),
        (
            "invalid: engine.check_full (the Value path)",
            &invalid,
            Box::new(|l| black_box(engine.check_full(l)).is_valid()),
        ),
        (
            "invalid: engine.check (c)",
            &invalid,
            Box::new(|l| black_box(engine.check(l)).is_valid()),
        ),
        (
            "invalid: engine.check_verdict (--quiet)",
            &invalid,
            Box::new(|l| black_box(engine.check_verdict(l)).is_valid()),
        ),
    ];
    let runs = 5;
    let mut ns: Vec<Vec<f64>> = vec![Vec::new(); steps.len()];
    // Run 0 is the warm-up; the steps are interleaved run by run to share the noise.
    for run in 0..=runs {
        for ((_, lines, step), ns) in steps.iter().zip(&mut ns) {
            let start = Instant::now();
            black_box(lines.iter().filter(|l| step(l)).count());
            if run > 0 {
                ns.push(start.elapsed().as_nanos() as f64 / lines.len() as f64);
            }
        }
    }
    println!(
        "valid {} (call_state {}), invalid {}; fast path {}",
        valid.len(),
        calls.len(),
        invalid.len(),
        engine.uses_fast_path()
    );
    for ((name, _, _), ns) in steps.iter().zip(&mut ns) {
        ns.sort_by(f64::total_cmp);
        let (median, min, max) = (ns[runs / 2], ns[0], ns[runs - 1]);
        println!("{name:<50} {median:>7.0} ns/event  ({min:.0}-{max:.0})");
    }
}
