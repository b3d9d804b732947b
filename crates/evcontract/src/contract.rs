//! The contract check of one event: the schema's verdict and the model's, side by side.

use opentact_events::{Event, ModelError};
use serde_json::Value;

use crate::validate::{Catalog, Report, Values};

/// The contract check's verdict on one parsed event.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The schema's report.
    pub report: Report,
    /// The model's verdict: the event it read, or why it refused.
    pub model: Result<Event, ModelError>,
}

impl Verdict {
    /// Whether the event keeps the contract: both the schema and the model accept it.
    pub fn is_valid(&self) -> bool {
        self.report.is_valid() && self.model.is_ok()
    }

    /// Whether the schema and the model disagree: a bug in the contract itself, never in the
    /// event.
    pub fn is_contract_bug(&self) -> bool {
        self.report.is_valid() != self.model.is_ok()
    }
}

/// Checks `event` against the schema catalog and the model.
pub fn check_event(catalog: &Catalog, event: &Value, values: Values) -> Verdict {
    Verdict {
        report: catalog.validate(event, values),
        model: Event::from_value(event.clone()),
    }
}

/// Whether two JSON values are equal as JSON Schema compares them: numbers by their
/// mathematical value (`0` equals `0.0`), objects regardless of key order.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}
