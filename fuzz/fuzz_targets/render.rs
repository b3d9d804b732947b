//! Any bytes under any file name, checked as a JSON file and as an NDJSON stream, rendered in
//! every format: every report must be what its consumer can read (a real parser for each
//! format: `crates/evschema/tests/it/properties.rs`, shared with the tests), every input gets
//! exactly one verdict, and nothing is an internal error.
//!
//! Run with `cargo fuzz run render -s none` from the workspace root. New findings go to
//! `fuzz/corpus/render/`, which `cargo test` replays.
#![no_main]

use std::sync::OnceLock;

use evcontract::{Catalog, Engine, UnknownFields, Values};
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/evschema/tests/it/properties.rs"]
mod properties;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let files = evcontract::files::read_catalog(&dir).expect("schemas/ reads");
        let catalog = Catalog::new(&files, UnknownFields::Deny).expect("schemas/ compiles");
        Engine::new(catalog, evcontract::validate::models_match(&files), Values::Show)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = properties::check_rendering(engine(), data) {
        panic!("{problem}");
    }
});
