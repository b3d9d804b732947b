//! Models of the Opentact platform's real-time events (the 2024 envelope format).
//!
//! These types are the one source of truth for the event contract: the published JSON Schemas
//! in `schemas/` are generated from them by [`schema::generate`], and their doc comments become
//! the schemas' descriptions.
//!
//! Read an event of any type with [`Event::from_value`] (or serde); it dispatches on `type` and
//! checks every rule the schema states, including the ones across keys (which transition
//! timestamp a call carries in which state). [`EventRef::from_slice`] reads the same event
//! borrowed from its text, without allocating ([`borrowed`]). This crate does no I/O.
//!
//! ```
//! let text = r#"{"type": "ping"}"#;
//! let value: serde_json::Value = serde_json::from_str(text).unwrap();
//! let err = opentact_events::Event::from_value(value).unwrap_err();
//! assert_eq!(err.pointer, "/type");
//! ```

// Lets the code the exported macros write name this crate the same way inside it and outside.
extern crate self as opentact_events;

pub mod account;
pub mod artifacts;
pub mod asyncapi;
pub mod borrowed;
pub mod call;
pub mod catalog;
pub mod event;
pub mod events;
pub mod json;
pub mod scalar;
pub mod schema;
pub mod shape;
pub mod v2022;

pub use account::{
    Account, AccountLevel, AuthAccount, CallAccount, Gender, StringPhone, User, UserRole,
};
pub use call::{
    AttestLevel, Call, CallState, CallType, Direction, FreeswitchCallState, FreeswitchChannelState,
    ParentCall, SipControlApp, Tn, WebhookMethod,
};
pub use event::{ModelError, Status};
// Every event type's struct, payload, twins and tag, and `Event`, `EventRef`, `EventType`: a
// type added to the catalog is exported with the rest.
pub use events::*;
pub use scalar::{
    Email, Int53, InvalidValue, IpAddress, Number, NumericPhone, Q850Cause, Seconds, Thread,
    Timestamp, Uint32, Uint53, Unspecified, UnspecifiedObject, Uuid,
};
