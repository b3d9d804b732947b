//! The catalog's event types: one declaration each.
//!
//! An event type is its model module (a file in `events/`, declared below) and one entry of
//! [`event_types!`](crate::event_types): its `EventType` variant and `type` value, its status,
//! the envelope slot it fills, the names of its event struct (and twins) and `type` tag, and the
//! envelope keys it gives a shape of its own, in envelope order (`payload` always; then any of
//! `call`, `ref_id`, `account` and the slots; every other key keeps the envelope's default, see
//! [`event_struct!`](crate::event_struct)). The entry's doc comment is the type's description.
//! An entry names the types of other modules by their paths (`crate::call::Call`), and its
//! own model module's types by name (each module's items are re-exported here), so that this
//! file needs no imports and an entry can be added or removed alone.
//! Everything that dispatches on the type follows from the entry (see [`crate::event`]).
//!
//! `cargo xtask new-event <TYPE> --from <captures>` drafts a model module and an entry from
//! captured payloads and adds both here (README, "Adding an event type").

mod auth;
mod call_state;

pub use auth::*;
pub use call_state::*;

crate::event_types! {
    /// A WebSocket connection logged in.
    ///
    /// The `call` and `ref_id` keys are absent from this event (null is accepted too); the user
    /// and account are in `payload`, and the account again at the top level.
    Auth = "auth" {
        status: PublishedExample,
        fills: account,
        event: AuthEvent => AuthEventRef, AuthEventCheck,
        tag: AuthTag,
        /// The connection, its address, and who logged in.
        payload: AuthPayload,
        /// Absent in this event; null is accepted too.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::scalar::de_helpers::present")]
        #[schemars(with = "()")]
        call: Option<()>,
        /// Absent in this event; null is accepted too.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::scalar::de_helpers::present")]
        #[schemars(with = "()")]
        ref_id: Option<()>,
        /// The account that logged in.
        account: crate::account::AuthAccount,
    }

    /// A call changed state: it rang, went live, hung up, or was torn down.
    ///
    /// The `call` slot carries the whole call leg; `payload` repeats its new state.
    CallState = "call_state" {
        status: PublishedExample,
        fills: call,
        event: CallStateEvent => CallStateEventRef, CallStateEventCheck,
        tag: CallStateTag,
        /// The new state, and the call's duration so far.
        payload: CallStatePayload,
        /// The call leg whose state changed.
        call: crate::call::Call,
        /// The id of the call the event is about (documented as the call's uuid).
        ref_id: crate::scalar::Uuid,
        /// The account the call belongs to.
        account: crate::account::CallAccount,
    }
}
