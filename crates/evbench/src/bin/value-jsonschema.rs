//! The whole-process baseline: a minimal NDJSON validator built the usual way, serde_json →
//! `Value` → jsonschema, one thread, with the same compiled schema as the engine (the committed
//! `schemas/`, unknown fields denied, formats checked). It prints how many events are invalid;
//! time it beside `evschema validate --quiet --jobs 1` on the same file (`/usr/bin/time -v`).
//!
//! ```sh
//! cargo run --release -p evbench --bin value-jsonschema -- corpus.ndjson
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::ExitCode;

use evbench::workspace_dir;
use evcontract::{Catalog, UnknownFields};
use serde_json::Value;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("usage: value-jsonschema FILE.ndjson");
        }
        return ExitCode::from(2);
    };
    let result = (|| -> Result<(usize, usize), String> {
        let files = evcontract::files::read_catalog(&workspace_dir().join("schemas"))
            .map_err(|e| e.to_string())?;
        let catalog = Catalog::new(&files, UnknownFields::Deny).map_err(|e| e.to_string())?;
        let file = File::open(&path).map_err(|e| e.to_string())?;
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
            let valid = serde_json::from_slice::<Value>(&line).is_ok_and(|v| catalog.is_valid(&v));
            invalid += usize::from(!valid);
        }
        Ok((events, invalid))
    })();
    #[allow(clippy::print_stdout, clippy::print_stderr)]
    match result {
        Ok((events, invalid)) => {
            println!("{events} events, {invalid} invalid");
            ExitCode::from(u8::from(invalid > 0))
        }
        Err(message) => {
            eprintln!("value-jsonschema: {message}");
            ExitCode::from(2)
        }
    }
}
