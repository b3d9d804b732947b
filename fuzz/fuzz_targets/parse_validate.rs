//! Any bytes through the parse-and-validate path: no panic, and under both policies for unknown
//! fields (the contract's closed schemas, the published open ones) the engine's fast path, the
//! strict parser with the schema, and the models all agree (`evcontract::differential`).
//!
//! Run with `cargo fuzz run parse_validate -s none` from the workspace root (stable Rust works
//! without a sanitizer). New findings go to `fuzz/corpus/parse_validate/`, which
//! `cargo test` replays.
#![no_main]

use std::sync::OnceLock;

use evcontract::{Catalog, Engine, UnknownFields, Values};
use libfuzzer_sys::fuzz_target;

/// The engine over the committed schemas with `policy`, as `evschema` builds it.
fn engine(policy: UnknownFields) -> Engine {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let files = evcontract::files::read_catalog(&dir).expect("schemas/ reads");
    let catalog = Catalog::new(&files, policy).expect("schemas/ compiles");
    Engine::new(catalog, evcontract::validate::models_match(&files), Values::Show)
}

fn engines() -> &'static (Engine, Engine) {
    static ENGINES: OnceLock<(Engine, Engine)> = OnceLock::new();
    ENGINES.get_or_init(|| (engine(UnknownFields::Deny), engine(UnknownFields::Allow)))
}

fuzz_target!(|bytes: &[u8]| {
    let (contract, tolerant) = engines();
    if let Err(disagreement) = evcontract::differential::check_both(contract, tolerant, bytes) {
        panic!("{disagreement}");
    }
});
