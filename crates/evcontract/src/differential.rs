//! The differential check behind the fuzz target: on any bytes, the paths that decide a verdict
//! must agree, and nothing may panic. The fuzz target runs it on generated inputs; a test
//! replays the fuzz corpus through it on every CI run.

use opentact_events::{Event, EventRef};
use serde_json::Value;

use crate::engine::{Checked, Engine};
use crate::parse::parse;

/// Checks, on `bytes`:
/// - the engine's verdict (with its fast path through the models) equals the verdict of its full
///   path (the strict parse followed by the schema), messages included; and the schema's verdict
///   on the parsed value gives the same problems (pointers and kinds: its messages quote values
///   as read, not as written);
/// - the models accept the bytes only if the strict parse and the schema do, and their borrowed
///   twins and their check twins (the fast path) accept exactly what the owned models accept,
///   as the same event type;
/// - whatever the strict parser accepts, serde_json accepts too, as the same value (the strict
///   parser only adds refusals: repeated keys, a byte-order mark).
///
/// `engine` must be built over the catalog generated from the models, with unknown fields
/// denied. Returns what disagreed.
pub fn check(engine: &Engine, bytes: &[u8]) -> Result<(), String> {
    let fast = engine.check(bytes);
    let slow = engine.check_full(bytes);
    if fast != slow {
        return Err(format!("engine {fast:?} but its full path {slow:?}"));
    }
    let strict = parse(bytes);
    if let Ok(value) = &strict
        && problems(&engine.check_value(value)) != problems(&slow)
    {
        return Err(format!(
            "the full path {slow:?} but the schema on the parsed value {:?}",
            engine.check_value(value)
        ));
    }
    let models = Event::from_slice(bytes);
    if models.is_ok() && !slow.is_valid() {
        return Err(format!(
            "the models accept what the schema refuses: {slow:?}"
        ));
    }
    let borrowed = EventRef::from_slice(bytes);
    if borrowed.is_ok() != models.is_ok() {
        return Err(format!(
            "the borrowed models say {:?}, the owned models {:?}",
            borrowed.err(),
            models.err()
        ));
    }
    if let Ok(event) = &borrowed
        && Some(event.event_type().as_str()) != valid_type(&slow)
    {
        return Err(format!(
            "the borrowed models read a {} event, the schema {slow:?}",
            event.event_type()
        ));
    }
    let check = Event::check_slice(bytes);
    if check.as_ref().ok() != models.as_ref().ok().map(Event::event_type).as_ref() {
        return Err(format!(
            "the check twins say {check:?}, the owned models {:?}",
            models.as_ref().map(Event::event_type)
        ));
    }
    if let Ok(value) = &strict {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(plain) if &plain == value => {}
            Ok(_) => return Err("the strict parser and serde_json read different values".into()),
            Err(err) => {
                return Err(format!(
                    "the strict parser accepts what serde_json refuses: {err}"
                ));
            }
        }
        let from_value = Event::from_value(value.clone());
        if from_value.is_ok() != slow.is_valid() {
            return Err(format!(
                "the model from the value says {:?}, the schema {slow:?}",
                from_value.err()
            ));
        }
    }
    Ok(())
}

/// A verdict's problems as (pointer, kind), or `None` when it is not `Invalid`.
fn problems(checked: &Checked) -> Option<Vec<(&str, crate::Kind)>> {
    match checked {
        Checked::Invalid { issues, .. } => Some(
            issues
                .iter()
                .map(|i| (i.pointer.as_str(), i.kind))
                .collect(),
        ),
        _ => None,
    }
}

fn valid_type(checked: &Checked) -> Option<&str> {
    match checked {
        Checked::Valid { event_type } => Some(event_type),
        _ => None,
    }
}
