//! The call object carried by `call_state` events, and the objects inside it.

use schemars::Schema;

use crate::account::CallAccount;
use crate::borrowed::model;
use crate::scalar::de_helpers::{nullable, present};
use crate::scalar::{
    NumericPhone, Q850Cause, Seconds, Thread, Timestamp, Uint32, Unspecified, UnspecifiedObject,
    Uuid,
};
use crate::wire_enum;

wire_enum! {
/// The state of a call.
///
/// Lifecycle of one inbound call as documented: `init`, `ringing`, `live`; then `hangup` of the
/// outbound leg and `destroyed` of the inbound leg. The documentation also mentions a "failed"
/// status (for example on insufficient balance) without saying which key carries it, so it is
/// not a state here.
#[serde(rename_all = "lowercase")]
pub enum CallState {
    /// The call was created.
    Init,
    /// The called party is being alerted.
    Ringing,
    /// The call was answered and media flows.
    Live,
    /// The leg was hung up.
    Hangup,
    /// The call record was torn down.
    Destroyed,
}
}

impl CallState {
    /// Every state, in lifecycle order.
    pub const ALL: [CallState; 5] = [
        CallState::Init,
        CallState::Ringing,
        CallState::Live,
        CallState::Hangup,
        CallState::Destroyed,
    ];

    /// The state as it is written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Init => "init",
            CallState::Ringing => "ringing",
            CallState::Live => "live",
            CallState::Hangup => "hangup",
            CallState::Destroyed => "destroyed",
        }
    }

    /// The key of the call object that carries the time of the transition into this state.
    pub fn transition_key(self) -> &'static str {
        match self {
            CallState::Init => "init_on",
            CallState::Ringing => "ring_on",
            CallState::Live => "answer_on",
            CallState::Hangup => "hangup_on",
            CallState::Destroyed => "destroy_on",
        }
    }
}

wire_enum! {
/// Which way a call leg goes, seen from the platform.
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Inbound: the call came into the platform.
    In,
    /// Outbound: the platform placed the call (for example the leg to a SIP user).
    Out,
}
}

wire_enum! {
/// The kind of call. Only `CallSCA` (a call handled by a SIP control application) has been seen;
/// the documentation names no other kind.
pub enum CallType {
    /// A call handled by a SIP control application.
    #[serde(rename = "CallSCA")]
    CallSca,
}
}

wire_enum! {
/// FreeSWITCH's call state for the leg (the platform's API specification lists these values).
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)]
pub enum FreeswitchCallState {
    Active,
    Ringing,
    Down,
    Hangup,
    Dialing,
    Early,
    RingWait,
    Held,
    Unheld,
}
}

wire_enum! {
/// FreeSWITCH's channel state for the leg (the platform's API specification lists these values).
#[allow(missing_docs)]
pub enum FreeswitchChannelState {
    #[serde(rename = "CS_NEW")]
    New,
    #[serde(rename = "CS_INIT")]
    Init,
    #[serde(rename = "CS_ROUTING")]
    Routing,
    #[serde(rename = "CS_SOFT_EXECUTE")]
    SoftExecute,
    #[serde(rename = "CS_EXECUTE")]
    Execute,
    #[serde(rename = "CS_EXCHANGE_MEDIA")]
    ExchangeMedia,
    #[serde(rename = "CS_PARK")]
    Park,
    #[serde(rename = "CS_CONSUME_MEDIA")]
    ConsumeMedia,
    #[serde(rename = "CS_HIBERNATE")]
    Hibernate,
    #[serde(rename = "CS_REPORTING")]
    Reporting,
    #[serde(rename = "CS_NONE")]
    None,
    #[serde(rename = "CS_RESET")]
    Reset,
    #[serde(rename = "CS_HANGUP")]
    Hangup,
    #[serde(rename = "CS_DESTROY")]
    Destroy,
}
}

wire_enum! {
/// A STIR/SHAKEN attestation level: `A` full, `B` partial, `C` gateway.
pub enum AttestLevel {
    /// Full attestation.
    A,
    /// Partial attestation.
    B,
    /// Gateway attestation.
    C,
}
}

wire_enum! {
/// The HTTP method of a SIP control application's webhook.
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum WebhookMethod {
    Get,
    Post,
}
}

/// The rule across a call's keys, for the model and its twins alike (`model!`'s `check`): the
/// transition timestamp of the current state is present, the other four are absent.
macro_rules! transitions {
    ($call:expr) => {
        check_transitions(
            $call.state,
            [
                $call.init_on.is_some(),
                $call.ring_on.is_some(),
                $call.answer_on.is_some(),
                $call.hangup_on.is_some(),
                $call.destroy_on.is_some(),
            ],
        )
    };
}

model! {
/// A call leg, as the platform reports it in `call_state` events.
///
/// Of the five transition timestamps (`init_on`, `ring_on`, `answer_on`, `hangup_on`,
/// `destroy_on`) exactly one is present: the one of the current `state`. The others are absent,
/// not null.
#[serde(deny_unknown_fields)]
#[schemars(transform = transition_rules)]
#[check(transitions)]
pub struct Call => CallRef, CallCheck {
    /// The call leg's id (not the event's).
    pub uuid: Uuid,
    /// Which way the leg goes.
    pub direction: Direction,
    /// The calling party as the platform got it: digits with or without a leading `+`.
    pub from: String,
    /// The called party: digits with or without a leading `+`, or a SIP user name on an
    /// outbound leg to a SIP user.
    pub to: String,
    /// The leg's current state.
    pub state: CallState,
    /// Seconds since the leg was created, "till now". May differ from `payload.duration` in the
    /// same event.
    pub duration: Seconds,
    /// The kind of call.
    #[serde(rename = "type")]
    pub call_type: CallType,
    /// When the call record was created.
    pub created_on: Timestamp,
    /// When the call record last changed.
    pub modified_on: Timestamp,
    /// When the leg entered `init`. Present only in state `init`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Timestamp")]
    pub init_on: Option<Timestamp>,
    /// When the leg entered `ringing`. Present only in state `ringing`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Timestamp")]
    pub ring_on: Option<Timestamp>,
    /// When the leg was answered (`live`). Present only in state `live`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Timestamp")]
    pub answer_on: Option<Timestamp>,
    /// When the leg was hung up. Present only in state `hangup`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Timestamp")]
    pub hangup_on: Option<Timestamp>,
    /// When the call record was destroyed. Present only in state `destroyed`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Timestamp")]
    pub destroy_on: Option<Timestamp>,
    /// The Q.850 release cause, once the call has ended (for example 16, 18). Absent before.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Q850Cause")]
    pub q850_cause: Option<Q850Cause>,
    /// The name of the Q.850 release cause as FreeSWITCH spells it (`NORMAL_CLEARING`,
    /// `NO_USER_RESPONSE`), once the call has ended. Absent before.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "String")]
    pub q850_cause_string: Option<String>,
    /// FreeSWITCH's call state for the leg.
    pub freeswitch_call_state: FreeswitchCallState,
    /// FreeSWITCH's channel state for the leg.
    pub freeswitch_channel_state: FreeswitchChannelState,
    /// The STIR/SHAKEN attestation level of the call, or null when there is none.
    #[serde(deserialize_with = "nullable")]
    pub stir_shaken_attest_level: Option<AttestLevel>,
    /// The platform phone number (TN) involved in the call. Absent on an outbound leg.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Tn")]
    pub tn: Option<Tn>,
    /// The SIP control application that handles the call. Absent on an outbound leg.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "SipControlApp")]
    pub sip_control_app: Option<SipControlApp>,
    /// On an outbound (child) leg, the inbound leg it belongs to, as a flat call record;
    /// otherwise null.
    #[serde(deserialize_with = "nullable")]
    pub parent: Option<ParentCall>,
    /// The account the call belongs to.
    pub account: CallAccount,
    /// The conversation thread the call belongs to.
    pub thread: Thread,
    /// Seen only as null; shape not yet specified.
    #[serde(deserialize_with = "nullable")]
    pub batch_item: Option<UnspecifiedObject>,
    /// Seen only as null; shape not yet specified.
    #[serde(deserialize_with = "nullable")]
    pub lerg: Option<UnspecifiedObject>,
    /// Seen only as null; shape not yet specified.
    #[serde(deserialize_with = "nullable")]
    pub hotkey: Option<UnspecifiedObject>,
    /// Seen only as null; shape not yet specified.
    #[serde(deserialize_with = "nullable")]
    pub sip_connection: Option<UnspecifiedObject>,
    /// Seen only empty; the shape of an entry is not yet specified.
    pub logs: Vec<UnspecifiedObject>,
    /// Seen only empty; the shape of an entry is not yet specified.
    pub records: Vec<UnspecifiedObject>,
    /// Seen only as null; shape not yet specified.
    #[serde(deserialize_with = "nullable")]
    pub country: Option<UnspecifiedObject>,
    /// Seen only empty; the shape of an entry (presumably the child legs) is not yet specified.
    pub children: Vec<UnspecifiedObject>,
}
}

impl Call {
    /// The transition timestamps with their keys, in lifecycle order.
    pub fn transitions(&self) -> [(&'static str, Option<&Timestamp>); 5] {
        [
            ("init_on", self.init_on.as_ref()),
            ("ring_on", self.ring_on.as_ref()),
            ("answer_on", self.answer_on.as_ref()),
            ("hangup_on", self.hangup_on.as_ref()),
            ("destroy_on", self.destroy_on.as_ref()),
        ]
    }
}

/// Checks the rule the schema states with `allOf`/`if`/`then`: the transition timestamp of the
/// current state is present, the other four are absent. `present` says which of the five keys
/// (in lifecycle order, as [`Call::transitions`] lists them) the call carries.
fn check_transitions(state: CallState, present: [bool; 5]) -> Result<(), String> {
    let current = state.transition_key();
    for (other, present) in CallState::ALL.into_iter().zip(present) {
        let key = other.transition_key();
        match (key == current, present) {
            (true, false) => {
                return Err(format!(
                    "missing field `{key}`, required in state `{}`",
                    state.as_str()
                ));
            }
            (false, true) => {
                return Err(format!(
                    "forbidden field `{key}`, must be absent in state `{}`",
                    state.as_str()
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Adds the state/transition rule of [`Call`] to its schema: one `if`/`then` per state.
fn transition_rules(schema: &mut Schema) {
    let rules: Vec<serde_json::Value> = CallState::ALL
        .iter()
        .map(|state| {
            // The current key is listed (as `true`) next to the forbidden ones: strict ajv
            // wants every `required` key defined in the same schema.
            let keys: serde_json::Map<String, serde_json::Value> = CallState::ALL
                .iter()
                .map(|other| {
                    let allowed = other == state;
                    (
                        other.transition_key().to_owned(),
                        serde_json::Value::Bool(allowed),
                    )
                })
                .collect();
            serde_json::json!({
                "if": {
                    "properties": { "state": { "const": state.as_str() } },
                    "required": ["state"]
                },
                "then": {
                    "required": [state.transition_key()],
                    "properties": keys
                }
            })
        })
        .collect();
    schema.insert("allOf".to_owned(), serde_json::Value::Array(rules));
}

model! {
/// The inbound leg of an outbound call, as a flat call record: every key is present, with
/// explicit nulls for what is not known.
#[serde(deny_unknown_fields)]
pub struct ParentCall => ParentCallRef, ParentCallCheck {
    /// The kind of call.
    #[serde(rename = "type")]
    pub call_type: CallType,
    /// When the call record was created.
    pub created_on: Timestamp,
    /// When the call record last changed.
    pub modified_on: Timestamp,
    /// The inbound leg's id.
    pub uuid: Uuid,
    /// The inbound leg's state when the record was taken.
    pub state: CallState,
    /// Which way the leg goes.
    pub direction: Direction,
    /// The calling party.
    pub from: String,
    /// The called party.
    pub to: String,
    /// Seconds since the leg was created.
    pub duration: Seconds,
    /// When the leg entered `init`, or null.
    #[serde(deserialize_with = "nullable")]
    pub init_on: Option<Timestamp>,
    /// When the leg entered `ringing`, or null.
    #[serde(deserialize_with = "nullable")]
    pub ring_on: Option<Timestamp>,
    /// When the leg was answered, or null.
    #[serde(deserialize_with = "nullable")]
    pub answer_on: Option<Timestamp>,
    /// When the leg was hung up, or null.
    #[serde(deserialize_with = "nullable")]
    pub hangup_on: Option<Timestamp>,
    /// When the call record was destroyed, or null.
    #[serde(deserialize_with = "nullable")]
    pub destroy_on: Option<Timestamp>,
    /// When the call finished, or null. Not described further by the documentation.
    #[serde(deserialize_with = "nullable")]
    pub finished_on: Option<Timestamp>,
    /// The Q.850 release cause, or null while the leg has not ended.
    #[serde(deserialize_with = "nullable")]
    pub q850_cause: Option<Q850Cause>,
    /// The name of the Q.850 release cause, or null while the leg has not ended.
    #[serde(deserialize_with = "nullable")]
    pub q850_cause_string: Option<String>,
    /// Seen only as null; shape not yet specified.
    pub release_cause_from_protocol_stack: Unspecified,
    /// The STIR/SHAKEN attestation level, or null.
    #[serde(deserialize_with = "nullable")]
    pub stir_shaken_attest_level: Option<AttestLevel>,
    /// Seen only as null; shape not yet specified.
    pub stir_shaken_identity: Unspecified,
    /// The conversation thread of the leg.
    pub thread: Thread,
    /// Seen only as null; shape not yet specified.
    pub sip_user: Unspecified,
}
}

model! {
/// A platform phone number (TN) record.
#[serde(deny_unknown_fields)]
pub struct Tn => TnRef, TnCheck {
    /// When the record was created.
    pub created_on: Timestamp,
    /// When the record last changed.
    pub modified_on: Timestamp,
    /// The number itself, as a JSON integer (11 digits in the examples, no `+`).
    pub tn: NumericPhone,
    /// When the number was released, or null.
    #[serde(deserialize_with = "nullable")]
    pub deleted_on: Option<Timestamp>,
}
}

model! {
/// A SIP control application: the program that handles a number's calls.
#[serde(deny_unknown_fields)]
pub struct SipControlApp => SipControlAppRef, SipControlAppCheck {
    /// When the application was created.
    pub created_on: Timestamp,
    /// When the application last changed.
    pub modified_on: Timestamp,
    /// The application's id.
    pub uuid: Uuid,
    /// The application's name.
    pub name: String,
    /// Whether the application is enabled.
    pub is_active: bool,
    /// The STIR/SHAKEN verification policy, as a code; the documentation does not list the
    /// codes (0 seen).
    pub shaken_verify_policy: Uint32,
    /// The lowest STIR/SHAKEN attestation level the application accepts.
    pub shaken_minimum_accepted_attest_lvl: AttestLevel,
    /// Whether calls are answered automatically.
    pub auto_answer: bool,
    /// The longest a call may last, in minutes, or null for no limit.
    #[serde(deserialize_with = "nullable")]
    pub max_call_length_min: Option<Uint32>,
    /// A dialling prefix. Seen only in older examples; absent in current ones.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Uint32")]
    pub tech_prefix: Option<Uint32>,
    /// The URL the application's webhook calls. Listed by the documentation, not seen in an
    /// event; may be absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "String")]
    pub webhook_url: Option<String>,
    /// The HTTP method of the webhook. Listed by the documentation, not seen in an event; may be
    /// absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "WebhookMethod")]
    pub webhook_method: Option<WebhookMethod>,
    /// The webhook's request timeout; the documentation gives no unit. Listed by the
    /// documentation, not seen in an event; may be absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "Uint32")]
    pub webhook_request_timeout: Option<Uint32>,
}
}
