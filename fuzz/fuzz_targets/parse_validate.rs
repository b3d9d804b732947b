//! Any bytes through the parse-and-validate path: no panic, and the engine's fast path, the
//! strict parser with the schema, and the models all agree (`evcontract::differential`).
//!
//! Run with `cargo fuzz run parse_validate -s none` from the workspace root (stable Rust works
//! without a sanitizer). New findings go to `fuzz/corpus/parse_validate/`, which
//! `cargo test` replays.
#![no_main]

use std::sync::OnceLock;

use evcontract::{Catalog, Engine, UnknownFields, Values};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let files = evcontract::files::read_catalog(&dir).expect("schemas/ reads");
        let catalog = Catalog::new(&files, UnknownFields::Deny).expect("schemas/ compiles");
        Engine::new(catalog, evcontract::validate::models_match(&files), Values::Show)
    })
}

fuzz_target!(|bytes: &[u8]| {
    if let Err(disagreement) = evcontract::differential::check(engine(), bytes) {
        panic!("{disagreement}");
    }
});
