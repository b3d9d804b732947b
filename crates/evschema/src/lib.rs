//! The library behind the `evschema` command-line tool: finding and reading inputs
//! ([`input`]), the verdict on one input's bytes ([`verdict`]), the reports ([`output`]) and the
//! last line of defence against a bug ([`fault`]). The binary (`main.rs`) adds options,
//! threads, signals and exit codes; the fuzz target `render` and the tests drive the same code.

pub mod fault;
pub mod input;
pub mod output;
pub mod verdict;
