//! Reads an NDJSON stream of Opentact events (one event per line) from standard input into the
//! models, and prints what each line is; a line that does not keep the contract is reported with
//! its line number, the JSON Pointer and serde's message, and the others are still read.
//!
//! ```sh
//! cargo run --example read_ndjson < events.ndjson
//! ```
//!
//! Exits 0 when every line was an event, 1 otherwise.

#![allow(clippy::print_stdout)] // An example: its output is the point.

use std::io::{self, BufRead};
use std::process::ExitCode;

use opentact_events::Event;

fn main() -> ExitCode {
    let mut failed = 0_usize;
    let mut read = 0_usize;
    for (number, line) in io::stdin().lock().lines().enumerate() {
        let line_number = number + 1;
        let line = match line {
            Ok(line) => line,
            Err(err) => {
                eprintln!("line {line_number}: cannot be read: {err}");
                return ExitCode::FAILURE;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        read += 1;
        // `from_slice` reads the bytes straight into the models; on an error, `from_value` on
        // the parsed value says where (a JSON Pointer) and what.
        match Event::from_slice(line.as_bytes()) {
            Ok(Event::CallState(event)) => println!(
                "line {line_number}: call_state {} ({:?}, {:?})",
                event.call.uuid.as_str(),
                event.call.state,
                event.call.direction,
            ),
            Ok(Event::Auth(event)) => println!(
                "line {line_number}: auth {} ({:?})",
                event.payload.user.email.as_str(),
                event.payload.user.role,
            ),
            // The catalog grows (`Event` is non-exhaustive): a type this program does not
            // handle yet is still an event.
            Ok(other) => println!("line {line_number}: {}", other.event_type()),
            Err(err) => {
                failed += 1;
                match serde_json::from_str::<serde_json::Value>(&line) {
                    Ok(value) => match Event::from_value(value) {
                        Err(err) => eprintln!(
                            "line {line_number}: not an event: at \"{}\": {}",
                            err.pointer, err.message
                        ),
                        Ok(_) => eprintln!("line {line_number}: not an event: {err}"),
                    },
                    Err(syntax) => eprintln!("line {line_number}: not JSON: {syntax}"),
                }
            }
        }
    }
    println!("{read} events read, {failed} refused");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
