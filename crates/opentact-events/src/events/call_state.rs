//! The `call_state` event type's own model: its payload. The call it carries is
//! [`Call`](crate::Call), in `call.rs`, shared with the call's parent leg.

use crate::borrowed::model;
use crate::call::CallState;
use crate::scalar::Seconds;

model! {
/// The payload of a `call_state` event.
#[serde(deny_unknown_fields)]
pub struct CallStatePayload => CallStatePayloadRef, CallStatePayloadCheck {
    /// The state the call entered.
    pub state: CallState,
    /// Seconds since the call was created; may differ from `call.duration`.
    pub duration: Seconds,
}
}
