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

/// Whether two JSON values are equal as JSON Schema compares them: numbers by their exact
/// mathematical value (`0` equals `0.0`; `9007199254740993` does not equal
/// `9007199254740992.0`, which a comparison through `f64` would say), objects regardless of key
/// order.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
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

/// Exact equality of two JSON numbers as serde_json holds them (`i64`, `u64` or `f64`): an
/// integer and a float are equal only when the float is integral and has exactly that value.
fn numbers_equal(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    let int = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    // Integral floats below 2^127 convert to i128 exactly; every 64-bit integer is below that.
    let float_as_int = |f: f64| (f.fract() == 0.0 && f.abs() < 1.0e38).then_some(f as i128);
    match (int(x), int(y)) {
        (Some(i), Some(j)) => i == j,
        (Some(i), None) => y.as_f64().and_then(float_as_int) == Some(i),
        (None, Some(j)) => x.as_f64().and_then(float_as_int) == Some(j),
        (None, None) => x.as_f64() == y.as_f64(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::json_equal;

    #[test]
    fn numbers_are_equal_by_their_exact_value() {
        for (a, b) in [
            (json!(0), json!(0.0)),
            (json!(-0.0), json!(0)),
            (json!(1), json!(1.0)),
            (json!(-3), json!(-3.0)),
            (json!(9007199254740992_u64), json!(9007199254740992.0)),
            (json!(u64::MAX), json!(u64::MAX)),
            (json!(0.5), json!(0.5)),
            (json!([1, {"a": 2.0}]), json!([1.0, {"a": 2}])),
        ] {
            assert!(json_equal(&a, &b), "{a} = {b}");
            assert!(json_equal(&b, &a), "{b} = {a}");
        }
        for (a, b) in [
            (json!(9007199254740993_u64), json!(9007199254740992.0)),
            (json!(u64::MAX), json!(18446744073709551616.0)),
            (json!(-1), json!(u64::MAX)),
            (json!(i64::MIN + 1), json!(-9223372036854775808.0)),
            (json!(1), json!(1.5)),
            (json!(1), json!("1")),
            (json!(0.1), json!(0.2)),
            (json!([1]), json!([1, 1])),
            (json!({"a": 1}), json!({"a": 1, "b": 1})),
        ] {
            assert!(!json_equal(&a, &b), "{a} != {b}");
            assert!(!json_equal(&b, &a), "{b} != {a}");
        }
    }
}
