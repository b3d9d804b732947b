//! The verdict on one event's bytes: what `evschema validate` and `cargo xtask check` both use.
//!
//! Valid events are the common case, and building a generic JSON tree for each is the cost to
//! beat. When the catalog is the one generated from the models (the embedded one), the engine
//! first reads the bytes with the models' check twins ([`Event::check_slice`]: no tree, no copy
//! of the text, nothing kept, no allocation for a valid event): the models refuse exactly what
//! the schema refuses, so success means valid. Anything else takes the full path: a strict parse, then the
//! schema validator, which explains the problem. The fast path can only ever say "valid"; every
//! refusal and every message comes from the schema.

use opentact_events::Event;
use serde_json::Value;

use crate::parse::{ParseError, parse};
use crate::validate::{Catalog, Issue, UnknownFields, Values};

/// The verdict on one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The event keeps the contract.
    Valid {
        /// Its `type`.
        event_type: String,
    },
    /// The event parses but breaks the contract.
    Invalid {
        /// Its `type`, when that names a known event type.
        event_type: Option<String>,
        /// Every problem, sorted by pointer.
        issues: Vec<Issue>,
    },
    /// The bytes are not one JSON value under the strict rules.
    Unparsable(ParseError),
}

impl Checked {
    /// Whether the event is valid.
    pub fn is_valid(&self) -> bool {
        matches!(self, Checked::Valid { .. })
    }
}

/// A catalog and how to use it.
#[derive(Debug)]
pub struct Engine {
    catalog: Catalog,
    fast: bool,
    values: Values,
}

impl Engine {
    /// An engine over `catalog`. `models_match` says whether the catalog is the one generated
    /// from this build's models (only then may the models decide that an event is valid), and
    /// the fast path is used only when unknown fields are denied, as the models deny them.
    pub fn new(catalog: Catalog, models_match: bool, values: Values) -> Engine {
        let fast = models_match && catalog.policy() == UnknownFields::Deny;
        Engine {
            catalog,
            fast,
            values,
        }
    }

    /// Whether valid events are recognised by the models without building a JSON tree.
    pub fn uses_fast_path(&self) -> bool {
        self.fast
    }

    /// The compiled catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The verdict on one event's bytes.
    pub fn check(&self, bytes: &[u8]) -> Checked {
        if self.fast
            && let Ok(event_type) = Event::check_slice(bytes)
        {
            return Checked::Valid {
                event_type: event_type.as_str().to_owned(),
            };
        }
        if !self.fast {
            return self.check_full(bytes);
        }
        // The models refused the event, so the schema refuses it too: its errors are collected
        // at once ([`Catalog::explain`]).
        match parse(bytes) {
            Ok(value) => Engine::verdict(self.catalog.explain(&value, self.values)),
            Err(err) => Checked::Unparsable(err),
        }
    }

    /// The verdict on one event's bytes through the full path only (strict parse, then the
    /// schema), as [`Engine::check`] gives it when the models refuse the event or the fast path
    /// is off. The benchmark and the differential tests compare the two.
    pub fn check_full(&self, bytes: &[u8]) -> Checked {
        match parse(bytes) {
            Ok(value) => self.check_value(&value),
            Err(err) => Checked::Unparsable(err),
        }
    }

    /// The schema's verdict on a parsed event.
    pub fn check_value(&self, value: &Value) -> Checked {
        Engine::verdict(self.catalog.validate(value, self.values))
    }

    fn verdict(report: crate::validate::Report) -> Checked {
        if report.is_valid() {
            Checked::Valid {
                event_type: report.event_type.unwrap_or_default(),
            }
        } else {
            Checked::Invalid {
                event_type: report.event_type,
                issues: report.issues,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_fast_path_only_with_the_models_catalog_and_unknown_fields_denied() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let files = crate::files::read_catalog(&dir).expect("schemas/ reads");
        let engine = |policy, models_match| {
            let catalog = Catalog::new(&files, policy).expect("schemas/ compiles");
            Engine::new(catalog, models_match, Values::Show)
        };
        assert!(engine(UnknownFields::Deny, true).uses_fast_path());
        assert!(!engine(UnknownFields::Deny, false).uses_fast_path());
        assert!(!engine(UnknownFields::Allow, true).uses_fast_path());
        // Without the fast path, the same verdicts, from the schema alone.
        let event = br#"{"type": "ping"}"#;
        let (fast, slow) = (
            engine(UnknownFields::Deny, true),
            engine(UnknownFields::Deny, false),
        );
        assert_eq!(fast.check(event), slow.check(event));
        assert_eq!(fast.check(event), fast.check_full(event));
    }
}
