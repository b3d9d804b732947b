//! The workspace's folders and fixtures, once per test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use evcontract::files::read_tree;
use evcontract::fixtures::{Fixture, collect};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// Every fixture, paired with its expectations.
pub fn fixtures() -> &'static [Fixture] {
    static FIXTURES: OnceLock<Vec<Fixture>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let tree = read_tree(&root().join("fixtures")).expect("fixtures/ reads");
        let (fixtures, problems) = collect(tree);
        assert!(
            problems.is_empty(),
            "the fixture tree does not fit its layout"
        );
        fixtures
    })
}
