//! The integration tests of the `evschema` binary: every test runs the real executable on
//! inputs built from the workspace's fixtures, in temporary folders, and checks its exit code,
//! its report and that the summary adds up.

#![cfg(unix)]

mod bad_input;
mod compat;
mod exit_codes;
mod formats;
mod json_report;
mod memory;
mod options;
mod stdin;
mod support;
