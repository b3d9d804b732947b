//! The contract check of one event: the schema's verdict and the model's, side by side, as the
//! fixture checks compare them; and JSON equality as JSON Schema defines it.

use opentact_events::{Event, ModelError};
use serde_json::Value;

use crate::validate::Report;

/// The schema's and the model's verdicts on one parsed event (the fixture checks hold each
/// fixture to both).
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The schema's report.
    pub report: Report,
    /// The model's verdict: the event it read, or why it refused.
    pub model: Result<Event, ModelError>,
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
