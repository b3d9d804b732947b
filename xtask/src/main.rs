//! `cargo xtask`: the workspace's maintenance commands.
//!
//! - `cargo xtask codegen` regenerates every generated artifact (`schemas/`).
//! - `cargo xtask check` is the contract check CI runs: stale artifacts, fixtures both ways.
//!   It never writes.

#![allow(clippy::print_stdout)] // A command-line tool: its output is the point.

mod atomic;
mod check;
mod codegen;
mod compat;
mod documents;
mod new_event;
mod release;
// Issue 10: what other teams install, and the reference site.
mod package;
mod site;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use evcompat::Mode;
use evcontract::files::read_tree;
use evcontract::fixtures::{Fixture, Problem, collect};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen           regenerate every generated file (schemas/)
  check [--verbose] the contract check: stale generated files, fixtures both ways, the release
                    gate; one line per step; never writes (--verbose: every invalid
                    fixture's reports and the release gate's full report)
  release           freeze the current schemas as releases/<VERSION>/ (after the release gate)
  compat --against <git ref> [--mode backward|forward|full]
                    the breaking-change check of schemas/ against a commit's (default mode: full)
  package [npm] [python] [crates] [wheel] [--dev]
                    build the packages into target/packages/ (default: all four;
                    --dev: the wheel's binary unoptimised, as CI builds it)
  site              write the reference site to target/site/
  new-event <TYPE> --from <PATH>... [--unspecified <POINTER>]... [--dry-run]
                    draft a new event type from captured payloads (.json, .ndjson, .jsonl,
                    gzip or not, folders of them): its model, its entry in the declaration,
                    fixtures; then codegen and the contract check (--unspecified: a place
                    drafted as any value, `*` for every item; --dry-run: print the draft
                    and what was decided, write nothing)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(&root()),
        ["check"] => check::run(&root(), false),
        ["check", "--verbose" | "-v"] => check::run(&root(), true),
        ["release"] => release::run(&root()),
        ["compat", "--against", reference] => compat::run(&root(), reference, Mode::Full),
        ["compat", "--against", reference, "--mode", mode] => match *mode {
            "backward" => compat::run(&root(), reference, Mode::Backward),
            "forward" => compat::run(&root(), reference, Mode::Forward),
            "full" => compat::run(&root(), reference, Mode::Full),
            _ => {
                eprint!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        ["package", targets @ ..] => package::run(&root(), targets),
        ["site"] => site::run(&root()),
        ["new-event", rest @ ..] => new_event::run(&root(), rest),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            Ok(true)
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The workspace's root folder.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the workspace's root")
        .to_owned()
}

/// The fixture tree, paired up, with what does not fit its layout.
fn load_fixtures(root: &Path) -> Result<(Vec<Fixture>, Vec<Problem>)> {
    let dir = root.join("fixtures");
    let tree = read_tree(&dir).with_context(|| format!("reading {}", dir.display()))?;
    Ok(collect(tree))
}
