//! The contract's integration tests: fixtures both ways, freshness of `schemas/`, and the
//! property tests that the models and the schemas agree.

mod compat;
mod compat_corpus;
mod compat_props;
mod compat_suite;
mod fixtures;
mod freshness;
mod proptests;
mod support;
