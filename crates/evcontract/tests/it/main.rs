//! The contract's integration tests: fixtures both ways, freshness of `schemas/`, and the
//! property tests that the models and the schemas agree.

mod fixtures;
mod freshness;
mod proptests;
mod support;
mod tolerant;
