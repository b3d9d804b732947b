//! The golden drafts, written by `cargo run -p evdraft --example drafts` and checked by
//! `goldens.rs`.
//!
//! Each holds a model module and, after it, its entry in a declaration of its own (in the
//! catalog they sit in two files): the entry's full paths (`crate::scalar::Uuid`) then meet the
//! module's imports, which only this file's lint settings need to know about. Items a test
//! does not use (a twin, a reader) are not dead code in the catalog.
#![allow(unused_qualifications, dead_code)]

pub mod auth_draft;
pub mod call_state_draft;
pub mod generated_call;
pub mod hostile;
pub mod reused_call_state;
