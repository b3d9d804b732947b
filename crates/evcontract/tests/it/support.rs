//! Loading the workspace's schemas and fixtures, once per test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use evcontract::files::{read_catalog, read_tree};
use evcontract::fixtures::{Fixture, collect};
use evcontract::validate::models_match;
use evcontract::{Catalog, Engine, UnknownFields, Values};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The engine over the committed catalog, as the contract check builds it (unknown fields
/// denied, the models' fast path on).
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let files = read_catalog(&root().join("schemas")).expect("schemas/ reads and parses");
        assert!(
            models_match(&files),
            "schemas/ is stale; run `cargo xtask codegen`"
        );
        let catalog =
            Catalog::new(&files, UnknownFields::Deny).expect("the committed schemas compile");
        let engine = Engine::new(catalog, true, Values::Show);
        assert!(engine.uses_fast_path());
        engine
    })
}

/// The engine of a tolerant reader over the committed catalog: unknown fields allowed (the
/// published open schemas as they are), the models' fast path on.
pub fn tolerant_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let files = read_catalog(&root().join("schemas")).expect("schemas/ reads and parses");
        let catalog =
            Catalog::new(&files, UnknownFields::Allow).expect("the committed schemas compile");
        let engine = Engine::new(catalog, models_match(&files), Values::Show);
        assert!(engine.uses_fast_path());
        engine
    })
}

/// The committed catalog, compiled with unknown fields denied.
pub fn catalog() -> &'static Catalog {
    engine().catalog()
}

/// Every fixture, paired with its expectations; a fixture tree that does not fit the layout
/// fails here.
pub fn fixtures() -> &'static [Fixture] {
    static FIXTURES: OnceLock<Vec<Fixture>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let tree = read_tree(&root().join("fixtures")).expect("fixtures/ reads");
        let (fixtures, problems) = collect(tree);
        assert!(
            problems.is_empty(),
            "the fixture tree does not fit its layout:\n{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        fixtures
    })
}
