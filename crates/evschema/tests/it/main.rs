//! The integration tests of the `evschema` binary: every test runs the real executable on
//! inputs built from the workspace's fixtures, in temporary folders, and checks its exit code,
//! its report and that the summary adds up.

#![cfg(unix)]

mod bad_input;
mod compat;
mod conformance;
mod defence;
mod edges;
mod exit_codes;
mod formats;
mod gzip;
mod hostile;
mod json_report;
mod memory;
mod options;
mod properties;
mod readme;
mod stdin;
mod streams;
mod summary;
mod support;
