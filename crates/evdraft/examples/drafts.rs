//! Writes the golden drafts that evdraft's tests compile (`tests/it/drafts/`), from the cases in
//! `tests/it/support.rs`: run it after a change to what the drafter writes, and review the diff.
//!
//! ```sh
//! cargo run -p evdraft --example drafts
//! ```
//!
//! An example rather than a mode of the tests: the test crate compiles the drafts, so it cannot
//! be the one to rewrite drafts that no longer compile.

#![allow(clippy::print_stdout)] // A command-line tool: its output is the point.

// The tests' cases and golden text; the example uses part of it.
#[allow(dead_code)]
#[path = "../tests/it/support.rs"]
mod support;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/drafts");
    for case in support::cases() {
        let t = std::time::Instant::now();
        let captures = support::case_captures(&case);
        let t1 = t.elapsed();
        let d = support::draft(&case);
        let t2 = t.elapsed();
        let text = support::golden(&case, &d);
        println!(
            "{} captures {:?} draft {:?} golden {:?} ({} captures)",
            case.name,
            t1,
            t2 - t1,
            t.elapsed() - t2,
            captures.len()
        );
        let path = dir.join(format!("{}.rs", case.name));
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            println!("unchanged {}", path.display());
        } else {
            std::fs::write(&path, text).expect("the golden file writes");
            println!("wrote {}", path.display());
        }
    }
}
