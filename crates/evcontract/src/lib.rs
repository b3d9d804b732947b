//! The contract engine: strict JSON parsing, validation against the published schemas with
//! reports that name the pointer and the kind of every problem, the model check, and the
//! fixture checks.
//!
//! Everything here takes values and bytes, not paths, except [`files`], the one module that
//! reads folders for the xtask and the tests.

pub mod contract;
pub mod differential;
pub mod engine;
pub mod escape;
pub mod explain;
pub mod files;
pub mod fixtures;
pub mod locate;
pub mod mutate;
pub mod parse;
pub mod refs;
pub mod tape;
#[cfg(test)]
mod testing;
pub mod validate;

pub use engine::{Checked, Engine};
pub use parse::{ParseError, ParseErrorKind, parse};
pub use validate::{Catalog, Issue, Kind, Report, SchemaError, UnknownFields, Values};

/// The README's Rust code, compiled (and run) by `cargo test` as doctests, so that it cannot
/// rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
