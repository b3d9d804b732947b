//! The 2024 envelope and the event types it carries.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::account::{AuthAccount, CallAccount, User};
use crate::borrowed::{borrowable_as_itself, model};
use crate::call::{Call, CallState};
use crate::json::pointer::push_token;
use crate::scalar::de_helpers::present;
use crate::scalar::{IpAddress, Seconds, Timestamp, UnspecifiedObject, Uuid};

/// Declares one event type's struct: the envelope keys in the order the platform serves them,
/// with the keys that differ between event types (`type`, `payload`, `call`, `ref_id`,
/// `account`) given by the caller.
///
/// The envelope slots with no documented shape are the same in every event type: absent, null
/// or any object.
macro_rules! event_struct {
    (
        $(#[doc = $doc:tt])*
        pub struct $name:ident => $twin:ident, $check:ident {
            $(#[$($type_meta:tt)*])* type: $tag:ty,
            $(#[$($payload_meta:tt)*])* payload: $payload:ty,
            $(#[$($call_meta:tt)*])* call: $call:ty,
            $(#[$($ref_meta:tt)*])* ref_id: $ref_id:ty,
            $(#[$($account_meta:tt)*])* account: $account:ty,
        }
    ) => {
        model! {
        $(#[doc = $doc])*
        #[serde(deny_unknown_fields)]
        pub struct $name => $twin, $check {
            /// The event's own id (not the call's).
            pub uuid: Uuid,
            /// When the event was created.
            pub created_on: Timestamp,
            $(#[$($type_meta)*])*
            #[serde(rename = "type")]
            pub event_type: $tag,
            /// A human-readable line describing the event.
            pub message: String,
            $(#[$($payload_meta)*])*
            pub payload: $payload,
            $(#[$($call_meta)*])*
            pub call: $call,
            $(#[$($ref_meta)*])*
            pub ref_id: $ref_id,
            $(#[$($account_meta)*])*
            pub account: $account,
            /// Envelope slot for a number order: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub tn_order: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a batch: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub batch: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a number lease: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub tn_lease: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a call transcription (ASR): shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub call_asr: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a call-flow command: shape not yet specified in this format.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub call_flow: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for an SMS brand: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub sms_brand: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a number of a number order: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub tn_order_tn: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a user: shape not yet specified (the `auth` event carries its
            /// user in `payload.user` and leaves this slot null).
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub user: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a platform number: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub tn: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for an SMS campaign: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub sms_campaign: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a support ticket: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub ticket: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for an SMS: shape not yet specified in this format.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub sms: Option<Option<UnspecifiedObject>>,
            /// Envelope slot for a call recording: shape not yet specified.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
            #[schemars(with = "Option<UnspecifiedObject>")]
            pub call_record: Option<Option<UnspecifiedObject>>,
            /// When the event last changed.
            pub modified_on: Timestamp,
            /// Delivery reports for the event; empty when there are none. The shape of an entry
            /// is not yet specified.
            pub delivery_report: Vec<UnspecifiedObject>,
        }
        }
    };
}

/// Declares the one-value enum that a single event type's `type` key holds.
macro_rules! event_tag {
    ($(#[$meta:meta])* $name:ident = $wire:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
        #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
        pub enum $name {
            #[doc = concat!("`", $wire, "`")]
            #[default]
            #[serde(rename = $wire)]
            Tag,
        }
    };
}

borrowable_as_itself!(CallStateTag, AuthTag);

event_tag! {
    /// The `type` of a `call_state` event.
    CallStateTag = "call_state"
}

event_tag! {
    /// The `type` of an `auth` event.
    AuthTag = "auth"
}

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

model! {
/// The payload of an `auth` event: who logged in, from where.
#[serde(deny_unknown_fields)]
pub struct AuthPayload => AuthPayloadRef, AuthPayloadCheck {
    /// The WebSocket connection's id.
    pub uuid: Uuid,
    /// The address the connection came from.
    pub ip: IpAddress,
    /// The user who logged in.
    pub user: User,
    /// The user's account.
    pub account: AuthAccount,
}
}

event_struct! {
    /// A call changed state: it rang, went live, hung up, or was torn down.
    ///
    /// The `call` slot carries the whole call leg; `payload` repeats its new state.
    pub struct CallStateEvent => CallStateEventRef, CallStateEventCheck {
        /// Always `call_state`.
        type: CallStateTag,
        /// The new state, and the call's duration so far.
        payload: CallStatePayload,
        /// The call leg whose state changed.
        call: Call,
        /// The id of the call the event is about (documented as the call's uuid).
        ref_id: Uuid,
        /// The account the call belongs to.
        account: CallAccount,
    }
}

event_struct! {
    /// A WebSocket connection logged in.
    ///
    /// The `call` and `ref_id` keys are absent from this event (null is accepted too); the user
    /// and account are in `payload`, and the account again at the top level.
    pub struct AuthEvent => AuthEventRef, AuthEventCheck {
        /// Always `auth`.
        type: AuthTag,
        /// The connection, its address, and who logged in.
        payload: AuthPayload,
        /// Absent in this event; null is accepted too.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
        #[schemars(with = "()")]
        call: Option<()>,
        /// Absent in this event; null is accepted too.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
        #[schemars(with = "()")]
        ref_id: Option<()>,
        /// The account that logged in.
        account: AuthAccount,
    }
}

/// The event types of the 2024 format, one per value of `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    /// `auth`: a WebSocket connection logged in.
    Auth,
    /// `call_state`: a call changed state.
    CallState,
}

impl EventType {
    /// Every event type, sorted by its wire name.
    pub const ALL: [EventType; 2] = [EventType::Auth, EventType::CallState];

    /// The value of `type` on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Auth => "auth",
            EventType::CallState => "call_state",
        }
    }

    /// The event type whose wire name is `name`.
    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Whether the platform's documentation publishes an example payload of this type (the
    /// alternative being a shape inferred from other sources).
    pub fn has_published_example(self) -> bool {
        match self {
            EventType::Auth | EventType::CallState => true,
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Any event of the 2024 format, told apart by its `type`.
///
/// Deserializing reads `type` first and then the whole event as that type, so an error names
/// the key that is wrong in that type, never "no variant matched". A missing, non-string or
/// unknown `type` is an error at `type`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[serde(untagged)]
pub enum Event {
    /// An `auth` event.
    Auth(Box<AuthEvent>),
    /// A `call_state` event.
    CallState(Box<CallStateEvent>),
}

impl Event {
    /// The event's type.
    pub fn event_type(&self) -> EventType {
        match self {
            Event::Auth(_) => EventType::Auth,
            Event::CallState(_) => EventType::CallState,
        }
    }

    /// Reads an event from JSON text in one pass, with no intermediate tree: finds the
    /// top-level `type` by scanning the text, then deserializes the text as that type.
    ///
    /// Accepts exactly what [`Event::from_value`] accepts after a strict parse (one value,
    /// no repeated key, nesting within 128), which the contract's tests check on every fixture
    /// and on mutations of them; it is the validator's fast path. Its errors carry no pointer:
    /// use `from_value` to explain a refusal.
    pub fn from_slice(bytes: &[u8]) -> Result<Event, serde_json::Error> {
        let event_type = event_type_of(bytes)?;
        let mut deserializer = serde_json::Deserializer::from_str(utf8(bytes)?);
        let event = match event_type {
            EventType::Auth => {
                AuthEvent::deserialize(&mut deserializer).map(|e| Event::Auth(Box::new(e)))
            }
            EventType::CallState => CallStateEvent::deserialize(&mut deserializer)
                .map(|e| Event::CallState(Box::new(e))),
        }?;
        deserializer.end()?;
        Ok(event)
    }

    /// Reads an event from a JSON value, dispatching on its `type`; an error says where in the
    /// event it is (a JSON Pointer) and what is wrong there.
    pub fn from_value(value: serde_json::Value) -> Result<Event, ModelError> {
        let event_type = match value.get("type") {
            _ if !value.is_object() => {
                return Err(ModelError::new(
                    String::new(),
                    format!(
                        "invalid type: {}, expected an event object",
                        json_kind(&value)
                    ),
                ));
            }
            None => {
                return Err(ModelError::new(
                    String::new(),
                    "missing field `type`".into(),
                ));
            }
            Some(serde_json::Value::String(name)) => {
                EventType::from_name(name).ok_or_else(|| {
                    ModelError::new(
                        "/type".into(),
                        format!(
                            "unknown event type `{name}`, expected one of {}",
                            EventType::ALL.map(EventType::as_str).join(", ")
                        ),
                    )
                })?
            }
            Some(other) => {
                return Err(ModelError::new(
                    "/type".into(),
                    format!(
                        "invalid type: {}, expected a string naming the event type",
                        json_kind(other)
                    ),
                ));
            }
        };
        match event_type {
            EventType::Auth => tracked(value).map(|e| Event::Auth(Box::new(e))),
            EventType::CallState => tracked(value).map(|e| Event::CallState(Box::new(e))),
        }
    }
}

/// Any event of the 2024 format, borrowed from its JSON text: the [borrowed
/// twin](crate::borrowed) of [`Event`].
///
/// Reading one allocates nothing when the event is valid and its strings have no escapes; this
/// is the validator's fast path. It accepts exactly what [`Event::from_slice`] accepts (the
/// contract's tests and the differential fuzz target check both on the same inputs); its errors
/// say only that the text is not a valid event.
#[derive(Debug, Clone, PartialEq)]
// Not boxed: reading an event without allocating is the point, and it lives on the stack.
#[allow(clippy::large_enum_variant)]
pub enum EventRef<'a> {
    /// An `auth` event.
    Auth(AuthEventRef<'a>),
    /// A `call_state` event.
    CallState(CallStateEventRef<'a>),
}

impl<'a> EventRef<'a> {
    /// Reads an event from JSON text (UTF-8, checked once for the whole text), as
    /// [`Event::from_slice`] does.
    pub fn from_slice(bytes: &'a [u8]) -> Result<EventRef<'a>, serde_json::Error> {
        EventRef::from_text(utf8(bytes)?)
    }

    /// Reads an event from JSON text.
    ///
    /// The most common type is tried first, without looking for `type`: a text of another type
    /// is refused by that model as soon as it reads `type` (the third key on the wire), and only
    /// then is `type` looked up (as [`Event::from_slice`] does) to read the text as the type it
    /// names. The model that accepts checks `type` itself, so the order changes only the speed.
    pub fn from_text(text: &'a str) -> Result<EventRef<'a>, serde_json::Error> {
        match EventRef::read(text, EventType::CallState) {
            Ok(event) => Ok(event),
            Err(err) => match event_type_of(text.as_bytes())? {
                EventType::CallState => Err(err),
                other => EventRef::read(text, other),
            },
        }
    }

    fn read(text: &'a str, event_type: EventType) -> Result<EventRef<'a>, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let event = match event_type {
            EventType::Auth => AuthEventRef::deserialize(&mut deserializer).map(EventRef::Auth),
            EventType::CallState => {
                CallStateEventRef::deserialize(&mut deserializer).map(EventRef::CallState)
            }
        }?;
        deserializer.end()?;
        Ok(event)
    }

    /// The event's type.
    pub fn event_type(&self) -> EventType {
        match self {
            EventRef::Auth(_) => EventType::Auth,
            EventRef::CallState(_) => EventType::CallState,
        }
    }
}

impl Event {
    /// Whether `bytes` are one valid event, and its type: [`Event::from_slice`]'s verdict
    /// without the event. Nothing is kept and nothing is allocated for a valid event (each
    /// model's check twin, see [`crate::borrowed`], reads the text in place); this is the
    /// validator's fast path. The most common type is tried first, as [`EventRef::from_text`]
    /// does. Errors say only that the bytes are not a valid event.
    pub fn check_slice(bytes: &[u8]) -> Result<EventType, serde_json::Error> {
        let text = utf8(bytes)?;
        match check_as(text, EventType::CallState) {
            Ok(()) => Ok(EventType::CallState),
            Err(err) => match event_type_of(bytes)? {
                EventType::CallState => Err(err),
                other => check_as(text, other).map(|()| other),
            },
        }
    }
}

/// Checks `text` as an event of `event_type` with the check twins.
fn check_as(text: &str, event_type: EventType) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match event_type {
        EventType::Auth => AuthEventCheck::deserialize(&mut deserializer).map(drop),
        EventType::CallState => CallStateEventCheck::deserialize(&mut deserializer).map(drop),
    }?;
    deserializer.end()
}

/// The event type named by the top-level `type` of JSON text, found by scanning the text (the
/// key is third on the wire) without copying anything unless a key or the name has an escape.
/// The scan only picks the model to read the text with: that model then checks `type` itself.
fn event_type_of(bytes: &[u8]) -> Result<EventType, serde_json::Error> {
    use serde::de::Error as _;
    crate::json::find_member(bytes, crate::json::skip_ws(bytes, 0), "type")
        .and_then(|(at, _)| crate::json::string_at(bytes, at))
        .and_then(|name| EventType::from_name(&name))
        .ok_or_else(|| serde_json::Error::custom("no known event type in `type`"))
}

/// `bytes` as text: one UTF-8 check of the whole text is cheaper than serde_json's check of
/// each string, and refuses nothing a strict parse would accept (JSON text is UTF-8
/// throughout).
fn utf8(bytes: &[u8]) -> Result<&str, serde_json::Error> {
    use serde::de::Error as _;
    // The SIMD check answers yes or no; the standard one says where, for the message.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes)
        .map_err(|err| serde_json::Error::custom(format_args!("invalid UTF-8: {err}")))
}

/// Deserializes `T` from `value`, keeping the location of the first error.
fn tracked<T: de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ModelError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let mut pointer = String::new();
        for segment in err.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
                serde_path_to_error::Segment::Map { key } => push_token(&mut pointer, key),
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        ModelError::new(pointer, err.into_inner().to_string())
    })
}

/// Why the model refused an event: where (a JSON Pointer into the event) and what.
///
/// For a missing or forbidden key the pointer names the key itself, not the object that
/// lacks or carries it, the same as the schema validator's reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// A JSON Pointer (RFC 6901) to the offending value or key; empty for the whole event.
    pub pointer: String,
    /// What is wrong, in serde's words.
    pub message: String,
}

impl ModelError {
    fn new(mut pointer: String, message: String) -> ModelError {
        // serde reports a missing field at the object that lacks it; the check of the call's
        // transition keys does the same for a forbidden one. Point at the key instead.
        for prefix in ["missing field `", "forbidden field `"] {
            if let Some(rest) = message.strip_prefix(prefix)
                && let Some((key, _)) = rest.split_once('`')
            {
                push_token(&mut pointer, key);
            }
        }
        ModelError { pointer, message }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (at {})", self.message, self.pointer)
        }
    }
}

impl std::error::Error for ModelError {}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `type` is the third key on the wire, so the event is read whole before dispatching.
        let value = serde_json::Value::deserialize(deserializer)?;
        Event::from_value(value).map_err(de::Error::custom)
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}
