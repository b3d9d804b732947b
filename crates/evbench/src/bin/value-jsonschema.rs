//! The whole-process baselines: a minimal NDJSON validator built the usual way, serde_json →
//! `Value` → jsonschema, one thread, with the same compiled schema as the engine (the committed
//! `schemas/`, unknown fields denied, formats checked). It prints how many events are invalid;
//! time it beside `evschema validate --quiet --jobs 1` on the same file (`/usr/bin/time -v`).
//!
//! With `--syntax-only` it is the floor instead (issue 19, point 3): the same reading loop, each
//! line read as `serde_json::IgnoredAny` (syntax only: no tree, no verdict, no schema compiled),
//! and it prints how many lines are not JSON.
//!
//! ```sh
//! cargo run --release -p evbench --bin value-jsonschema -- corpus.ndjson
//! cargo run --release -p evbench --bin value-jsonschema -- --syntax-only corpus.ndjson
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::ExitCode;

use evbench::workspace_dir;
use evcontract::{Catalog, UnknownFields};
use serde::de::IgnoredAny;
use serde_json::Value;

fn main() -> ExitCode {
    let mut args: Vec<_> = std::env::args_os().skip(1).collect();
    let syntax_only = args.first().is_some_and(|a| a == "--syntax-only");
    if syntax_only {
        args.remove(0);
    }
    let [path] = args.as_slice() else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("usage: value-jsonschema [--syntax-only] FILE.ndjson");
        }
        return ExitCode::from(2);
    };
    let result = (|| -> Result<(usize, usize), String> {
        let catalog = if syntax_only {
            None
        } else {
            let files = evcontract::files::read_catalog(&workspace_dir().join("schemas"))
                .map_err(|e| e.to_string())?;
            Some(Catalog::new(&files, UnknownFields::Deny).map_err(|e| e.to_string())?)
        };
        let file = File::open(path).map_err(|e| e.to_string())?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut line = Vec::new();
        let (mut events, mut invalid) = (0, 0);
        loop {
            line.clear();
            if reader
                .read_until(b'\n', &mut line)
                .map_err(|e| e.to_string())?
                == 0
            {
                break;
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            events += 1;
            let valid = match &catalog {
                Some(catalog) => {
                    serde_json::from_slice::<Value>(&line).is_ok_and(|v| catalog.is_valid(&v))
                }
                None => serde_json::from_slice::<IgnoredAny>(&line).is_ok(),
            };
            invalid += usize::from(!valid);
        }
        Ok((events, invalid))
    })();
    #[allow(clippy::print_stdout, clippy::print_stderr)]
    match result {
        Ok((events, invalid)) => {
            let what = if syntax_only { "not JSON" } else { "invalid" };
            println!("{events} events, {invalid} {what}");
            ExitCode::from(u8::from(invalid > 0))
        }
        Err(message) => {
            eprintln!("value-jsonschema: {message}");
            ExitCode::from(2)
        }
    }
}
