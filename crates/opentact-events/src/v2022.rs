//! The platform's older (2022) event format, kept as the previous major version of the catalog
//! (release 1.0.0) so that the breaking-change check can say what moving to the 2024 format
//! breaks.
//!
//! Envelope: `{timestamp, [success], message, type, [command], payload}`, with no `uuid` or
//! `created_on`; the domain object *is* the `payload` (`call_state`, `sms`) or sits in
//! `payload.call` (`call_flow`). Only what the documentation describes is modelled; its
//! examples elide further keys ("..."), which are not invented here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::call::{CallState, Direction};
use crate::scalar::de_helpers::present;
use crate::scalar::{
    Thread2022 as Thread, Timestamp2022, Unspecified, UnspecifiedObject, Uuid2022 as Uuid,
};

/// Declares one 2022 event type: the envelope keys around a type-specific payload.
macro_rules! event_2022 {
    ($(#[$meta:meta])* $name:ident, $tag:ident = $wire:literal, $payload:ty) => {
        #[doc = concat!("The `type` of a 2022 `", $wire, "` event.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
        pub enum $tag {
            #[doc = concat!("`", $wire, "`")]
            #[serde(rename = $wire)]
            Tag,
        }

        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// When the event happened. Its form is not documented.
            pub timestamp: Unspecified,
            /// Whether the action succeeded; present on some events.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "bool")]
            pub success: Option<bool>,
            /// A human-readable line describing the event.
            pub message: String,
            #[doc = concat!("Always `", $wire, "`.")]
            #[serde(rename = "type")]
            pub event_type: $tag,
            /// The call-control command, on `call_flow` events.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "String")]
            pub command: Option<String>,
            /// The domain object.
            pub payload: $payload,
        }
    };
}

/// A call as the 2022 format's `call_state` carries it, as `payload` itself. Public client code
/// reads `payload.direction`, `payload.state` and `payload.uuid`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Call2022 {
    /// The call leg's id.
    pub uuid: Uuid,
    /// Which way the leg goes.
    pub direction: Direction,
    /// The leg's state.
    pub state: CallState,
    /// The calling party.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "String")]
    pub from: Option<String>,
    /// The called party.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "String")]
    pub to: Option<String>,
}

/// The kind of SMS: outbound, inbound, or `smsr` (seen in client code, meaning not documented).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum SmsKind {
    Smso,
    Smsi,
    Smsr,
}

/// An SMS's state. Outbound: created, sending, sent, failed; inbound: created, success,
/// failed (the API specification) — though the outbound example says `success`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum SmsState {
    Created,
    Sending,
    Sent,
    Success,
    Failed,
}

/// An SMS, as the 2022 format's `sms` event carries it, as `payload` itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sms2022 {
    /// The kind of SMS.
    #[serde(rename = "type")]
    pub kind: SmsKind,
    /// When the SMS was created.
    pub created_on: Timestamp2022,
    /// When the SMS last changed.
    pub modified_on: Timestamp2022,
    /// The SMS's id.
    pub uuid: Uuid,
    /// The sender.
    pub from: String,
    /// The recipient.
    pub to: String,
    /// The conversation thread.
    pub thread: Thread,
    /// The text.
    pub message: String,
    /// The SMS's state.
    pub state: SmsState,
    /// Delivery status; its form is not documented.
    pub delivered: Unspecified,
    /// Whether the SMS was sent automatically; its form is not documented.
    pub automated: Unspecified,
    /// Why the SMS failed; its form is not documented.
    pub reason: Unspecified,
    /// The platform number; its form in this format is not documented.
    pub tn: Unspecified,
    /// The account; its form in this format is not documented.
    pub account: Unspecified,
}

/// A call-control XML verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub enum CommandName {
    Answer,
    Dial,
    Gather,
    Hangup,
    Pause,
    Play,
    Reject,
    Redirect,
    Record,
    Say,
    Callback,
    Switch,
    Case,
    Default,
    Error,
}

/// The outcome of one call-control command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Command2022 {
    /// The verb.
    pub name: CommandName,
    /// Whether it succeeded.
    pub success: bool,
    /// Why, in words ("Call answered").
    pub reason: String,
    /// Where in the call-control document: `Answer[0]`.
    pub path: String,
    /// Nested commands; their shape is not documented.
    pub children: Vec<UnspecifiedObject>,
    /// Errors; their shape is not documented.
    pub error: Vec<Unspecified>,
}

/// The payload of a 2022 `call_flow` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallFlowPayload2022 {
    /// The command that ran.
    pub command: Command2022,
    /// The call it ran on.
    pub call: Call2022,
}

event_2022! {
    /// A call changed state (2022 format): the call is the payload itself.
    CallStateEvent2022, CallStateTag2022 = "call_state", Call2022
}

event_2022! {
    /// An SMS was sent or received (2022 format): the SMS is the payload itself.
    SmsEvent2022, SmsTag2022 = "sms", Sms2022
}

event_2022! {
    /// A call-control command ran (2022 format).
    CallFlowEvent2022, CallFlowTag2022 = "call_flow", CallFlowPayload2022
}
