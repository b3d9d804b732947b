//! The breaking-change check's integration tests, against outside ground truth: evolutions of
//! the committed catalog checked with the catalog's own validators and every single mutation of
//! the fixtures (`compat`), the official JSON Schema Test Suite (`compat_suite`), a hand-worked
//! corpus of evolutions per keyword and draft whose witnesses python-jsonschema re-checks
//! (`compat_corpus`), and random schema pairs (`compat_props`).

mod compat;
mod compat_corpus;
mod compat_props;
mod compat_suite;
mod documents;
mod effects;
mod reports;
mod rewrites;
mod support;
