//! Loading the workspace's schemas and fixtures, once per test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use evcontract::files::{read_catalog, read_tree};
use evcontract::fixtures::{Fixture, collect};
use evcontract::{Catalog, UnknownFields};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The committed catalog, compiled as the contract check compiles it (unknown fields denied).
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let files = read_catalog(&root().join("schemas")).expect("schemas/ reads and parses");
        Catalog::new(&files, UnknownFields::Deny).expect("the committed schemas compile")
    })
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
