//! Writes the benchmark's corpus as NDJSON, so that other tools (evschema, ajv, python) can be
//! timed on exactly the bytes the in-process benchmark uses.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use evbench::{Generator, load_templates, workspace_dir};

/// Writes a deterministic NDJSON corpus of realistic events, about 2% with one fault.
#[derive(Parser)]
struct Args {
    /// How many events.
    #[arg(long, default_value_t = 100_000)]
    events: usize,
    /// The seed: the same seed and count always give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The file to write (standard output when absent).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The folder of valid events to build from.
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// Writes the same events as one `.json` file each into this folder (created if needed;
    /// `00000.json`, `00001.json`, ... in 100-file subfolders), instead of NDJSON: the
    /// folder-of-small-files case, on the bytes of the NDJSON corpus.
    #[arg(long, conflicts_with = "output")]
    files: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // A command-line tool: its error message is the point.
            #[allow(clippy::print_stderr)]
            {
                eprintln!("gen-corpus: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let dir = args
        .fixtures
        .unwrap_or_else(|| workspace_dir().join("fixtures/valid"));
    let templates = load_templates(&dir).map_err(|e| e.to_string())?;
    if templates.is_empty() {
        return Err(format!("{}: no .json events", dir.display()));
    }
    if let Some(folder) = &args.files {
        let mut generator = Generator::new(templates, args.seed);
        let mut faults = 0;
        for i in 0..args.events {
            let (line, fault) = generator.next_event();
            faults += usize::from(fault.is_some());
            let sub = folder.join(format!("{:03}", i / 100));
            std::fs::create_dir_all(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
            let path = sub.join(format!("{i:05}.json"));
            std::fs::write(&path, format!("{line}\n"))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        #[allow(clippy::print_stderr)]
        {
            eprintln!("gen-corpus: {} files, {faults} with one fault", args.events);
        }
        return Ok(());
    }
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => Box::new(io::stdout().lock()),
    };
    // Events are written as they are made, so memory stays flat whatever the count.
    let mut out = BufWriter::new(out);
    let mut generator = Generator::new(templates, args.seed);
    let mut faults = 0;
    for _ in 0..args.events {
        let (line, fault) = generator.next_event();
        faults += usize::from(fault.is_some());
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "gen-corpus: {} events, {faults} with one fault",
            args.events
        );
    }
    Ok(())
}
