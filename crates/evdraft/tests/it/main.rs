//! evdraft's integration tests: drafts of the catalog's own event types (from the repository's
//! fixtures and from the models' property-test strategy) and of hostile captures, written as
//! `cargo xtask new-event` writes them, compiled as modules of this crate, and held to what
//! they were drafted from and to the hand-written contract.

// The drafted modules name the catalog's modules from the crate root (`crate::scalar::Uuid`),
// as they do inside `opentact-events`: this crate's root lends them the same paths.
pub use opentact_events::{account, borrowed, call, scalar, wire_enum};

mod drafts;
mod goldens;
mod support;
