//! The differential check behind the fuzz target: on any bytes, the paths that decide a verdict
//! must agree, and nothing may panic, under both policies for unknown fields. The fuzz target
//! runs it on generated inputs; a test replays the fuzz corpus through it on every CI run.

use opentact_events::{Event, EventRef};
use serde_json::Value;

use crate::engine::{Checked, Engine};
use crate::parse::parse;
use crate::tape::Tape;

/// Checks, on `bytes`:
/// - the engine's verdict (with its fast path through the models, and a [`Tape`] for what they
///   refuse) equals the verdict of its full path through a `Value` (the strict parse followed
///   by the schema), messages included; and the schema's verdict
///   on the parsed value gives the same problems (pointers and kinds: its messages quote values
///   as read, not as written);
/// - the models accept the bytes only if the strict parse and the schema do, and their borrowed
///   twins and their check twins (the fast path) accept exactly what the owned models accept,
///   as the same event type;
/// - whatever the strict parser accepts, serde_json accepts too, as the same value (the strict
///   parser only adds refusals: repeated keys, a byte-order mark); and whatever the [`Tape`]
///   takes (the engine's reading of the events the models refuse), the strict parser accepts,
///   as the same value.
///
/// `engine` must be built over the catalog generated from the models, with unknown fields
/// denied. Returns what disagreed.
pub fn check(engine: &Engine, bytes: &[u8]) -> Result<(), String> {
    let slow = paths_agree(engine, bytes)?;
    let strict = parse(bytes);
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
    if let Some(tape) = Tape::parse(bytes) {
        match &strict {
            Ok(value) if *value == tape.to_value() => {}
            Ok(_) => return Err("the tape and the strict parser read different values".into()),
            Err(err) => {
                return Err(format!(
                    "the tape takes what the strict parser refuses: {err:?}"
                ));
            }
        }
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

/// Checks, on `bytes`, the tolerant reader (`tolerant`: the same catalog with unknown fields
/// allowed, the published open schemas as they are) beside the contract (`contract`, as for
/// [`check`], which this runs first):
/// - the tolerant engine's verdict equals its full path's, messages included, and the schema's
///   verdict on the parsed value gives the same problems;
/// - its check twins ([`Event::check_slice_tolerant`], the fast path) accept exactly what the
///   full path accepts (a strict parse, then the open schemas), as the same event type: never
///   more (the fast path may only say "valid" when the schema does) and never less (so the
///   fast path is taken for every valid event);
/// - whatever the contract accepts, the tolerant reader accepts too, as the same type (the open
///   schemas differ from the closed ones only in accepting keys an object does not declare).
///
/// Returns what disagreed.
pub fn check_both(contract: &Engine, tolerant: &Engine, bytes: &[u8]) -> Result<(), String> {
    check(contract, bytes)?;
    let slow = paths_agree(tolerant, bytes).map_err(|e| format!("tolerant: {e}"))?;
    let twins = Event::check_slice_tolerant(bytes);
    if twins.as_ref().ok().map(|t| t.as_str()) != valid_type(&slow) {
        return Err(format!(
            "the tolerant check twins say {twins:?}, the open schemas {slow:?}"
        ));
    }
    let closed = contract.check_full(bytes);
    if closed.is_valid() && valid_type(&closed) != valid_type(&slow) {
        return Err(format!(
            "the contract accepts {closed:?}, the tolerant reader says {slow:?}"
        ));
    }
    Ok(())
}

/// The engine's verdict and its full path's are equal (and its verdict alone,
/// [`Engine::check_verdict`], is the same verdict), and the schema's problems on the parsed
/// value are the full path's; returns the full path's verdict.
fn paths_agree(engine: &Engine, bytes: &[u8]) -> Result<Checked, String> {
    let fast = engine.check(bytes);
    let slow = engine.check_full(bytes);
    if fast != slow {
        return Err(format!("engine {fast:?} but its full path {slow:?}"));
    }
    let verdict = engine.check_verdict(bytes);
    if verdict != slow.clone().without_issues() {
        return Err(format!(
            "the verdict alone {verdict:?} but the full path {slow:?}"
        ));
    }
    if let Ok(value) = &parse(bytes)
        && problems(&engine.check_value(value)) != problems(&slow)
    {
        return Err(format!(
            "the full path {slow:?} but the schema on the parsed value {:?}",
            engine.check_value(value)
        ));
    }
    Ok(slow)
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::{Catalog, UnknownFields, Values};

    fn engine(policy: UnknownFields) -> Engine {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let files = crate::files::read_catalog(&dir).expect("schemas/ reads");
        let catalog = Catalog::new(&files, policy).expect("schemas/ compiles");
        Engine::new(catalog, true, Values::Show)
    }

    /// The live-call fixture with a key nobody declared in its call.
    fn with_unknown_key() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/valid/call_state/platform-call_state_live.json");
        let text = std::fs::read_to_string(path).expect("the fixture reads");
        text.replacen(r#""duration": 2"#, r#""duration": 2, "zz": [{}]"#, 1)
    }

    #[test]
    fn both_policies_agree_on_their_own_paths() {
        let (contract, tolerant) = (engine(UnknownFields::Deny), engine(UnknownFields::Allow));
        let event = with_unknown_key();
        assert_eq!(check_both(&contract, &tolerant, event.as_bytes()), Ok(()));
        assert!(tolerant.check(event.as_bytes()).is_valid());
        assert!(!contract.check(event.as_bytes()).is_valid());
        for bytes in [
            &b"{}"[..],
            b"",
            b"[1,",
            br#"{"type": "auth", "a": 1, "a": 2}"#,
        ] {
            assert_eq!(check_both(&contract, &tolerant, bytes), Ok(()));
        }
    }

    #[test]
    fn a_disagreement_is_reported() {
        let (contract, tolerant) = (engine(UnknownFields::Deny), engine(UnknownFields::Allow));
        let event = with_unknown_key();
        // Engines of the wrong policy: the contract's in the tolerant reader's place, whose
        // twins then accept what its schemas refuse; the tolerant reader's in the contract's,
        // whose schemas accept what the models refuse.
        let err = check_both(&contract, &contract, event.as_bytes()).expect_err("wrong engine");
        assert!(err.starts_with("the tolerant check twins say Ok"), "{err}");
        let err = check_both(&tolerant, &tolerant, event.as_bytes()).expect_err("wrong engine");
        assert!(err.starts_with("the model from the value says"), "{err}");
    }
}
