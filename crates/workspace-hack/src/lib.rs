//! No code. This crate exists for its `Cargo.toml`: it turns on, in the workspace's shared
//! dependencies, the features that `cargo test --workspace` turns on, so that `cargo xtask` and
//! `cargo test -p evcontract` reuse that build instead of compiling the graph again. See the
//! manifest for the list and why.
