//! The 2024 envelope, and the machinery that one declaration per event type drives.
//!
//! The event types themselves are declared in [`crate::events`], once each, with
//! [`event_types!`](crate::event_types): the value of `type`, the model, the envelope keys the
//! type gives a shape of its own (the slot it fills among them), its status and its
//! description. Everything per type follows from that declaration: the event's struct and its
//! twins, [`EventType`](crate::EventType), [`Event`](crate::Event) and its readers, the schema
//! generator's dispatch, and from the generated catalog the docs, the TypeScript declarations,
//! the packages and the site.

use std::fmt;

use crate::json::pointer::push_token;

/// Where an event type's shape comes from, as `index.json`'s `status` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The platform's documentation publishes an example payload of the type (kept unchanged
    /// as `fixtures/valid/<type>/platform-*.json`).
    PublishedExample,
    /// Inferred from other sources: captured traffic (`cargo xtask new-event`), the
    /// documentation's prose, client code. To be confirmed with the platform.
    Inferred,
}

impl Status {
    /// The status as `index.json` writes it: `published-example` or `inferred`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::PublishedExample => "published-example",
            Status::Inferred => "inferred",
        }
    }
}

/// Declares one event type's struct (and, through [`model!`](crate::model), its borrowed and
/// check twins) from the envelope: every key in the order the platform serves it, where the
/// keys an event type declares itself replace the envelope's default for that key.
///
/// The input is `[docs] Name => NameRef, NameCheck, Tag, "wire", [keys]`; `keys` are the
/// event type's own keys, each with its doc comment and attributes as in a `model!` field list,
/// written in envelope order: `payload` (always), then any of `call`, `ref_id`, `account` and
/// the slots `tn_order` ... `call_record`. A key not declared gets the envelope's default:
///
/// - `call`, `account` and every slot: absent, null or any object (shape not yet specified);
/// - `ref_id`: absent, null or a uuid (documented as the uuid of the associated call).
///
/// A key out of order, or one that is not an envelope key, is a compile error. Used by
/// [`event_types!`](crate::event_types); not meant to be called on its own.
#[doc(hidden)]
#[macro_export]
macro_rules! event_struct {
    (
        [$($doc:tt)*] $name:ident => $twin:ident, $check:ident, $tag:ident, $wire:literal,
        [$(#[$($pm:tt)*])* payload: $payload:ty, $($keys:tt)*]
    ) => {
        $crate::event_struct!(@call [$($doc)*] [$name => $twin, $check] [
            /// The event's own id (not the call's).
            pub uuid: $crate::scalar::Uuid,
            /// When the event was created.
            pub created_on: $crate::scalar::Timestamp,
            #[doc = concat!("Always `", $wire, "`.")]
            #[serde(rename = "type")]
            pub event_type: $tag,
            /// A human-readable line describing the event.
            pub message: ::std::string::String,
            $(#[$($pm)*])*
            pub payload: $payload,
        ] [$($keys)*]);
    };
    (
        [$($doc:tt)*] $name:ident => $twin:ident, $check:ident, $tag:ident, $wire:literal,
        [$($keys:tt)*]
    ) => {
        ::core::compile_error!(concat!(
            "the event type `", $wire, "` declares no `payload`: every event type gives its \
             payload's shape (`payload: Unspecified` when it is not known)"
        ));
    };

    // One step per envelope key after `payload`, in the order served: the key the event type
    // declares, or the envelope's default.
    (@call $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* call: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@ref_id $doc $names [$($acc)* $(#[$($m)*])* pub call: $t,] [$($rest)*]);
    };
    (@call $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot call, @ref_id $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a call: shape not yet specified for this event type.");
    };
    (@ref_id $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* ref_id: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@account $doc $names [$($acc)* $(#[$($m)*])* pub ref_id: $t,] [$($rest)*]);
    };
    (@ref_id $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@account $doc $names [$($acc)*
            /// The id of the call the event is about, documented as the uuid of the associated
            /// call: absent or null when there is none.
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "opentact_events::scalar::de_helpers::present")]
            #[schemars(with = "Option<opentact_events::scalar::Uuid>")]
            pub ref_id: Option<Option<$crate::scalar::Uuid>>,
        ] [$($rest)*]);
    };
    (@account $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* account: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@tn_order $doc $names [$($acc)* $(#[$($m)*])* pub account: $t,] [$($rest)*]);
    };
    (@account $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot account, @tn_order $doc $names [$($acc)*] [$($rest)*]
            "A copy of the account the event belongs to: shape not yet specified for this event type.");
    };
    (@tn_order $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* tn_order: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@batch $doc $names [$($acc)* $(#[$($m)*])* pub tn_order: $t,] [$($rest)*]);
    };
    (@tn_order $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot tn_order, @batch $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a number order: shape not yet specified.");
    };
    (@batch $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* batch: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@tn_lease $doc $names [$($acc)* $(#[$($m)*])* pub batch: $t,] [$($rest)*]);
    };
    (@batch $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot batch, @tn_lease $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a batch: shape not yet specified.");
    };
    (@tn_lease $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* tn_lease: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@call_asr $doc $names [$($acc)* $(#[$($m)*])* pub tn_lease: $t,] [$($rest)*]);
    };
    (@tn_lease $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot tn_lease, @call_asr $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a number lease: shape not yet specified.");
    };
    (@call_asr $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* call_asr: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@call_flow $doc $names [$($acc)* $(#[$($m)*])* pub call_asr: $t,] [$($rest)*]);
    };
    (@call_asr $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot call_asr, @call_flow $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a call transcription (ASR): shape not yet specified.");
    };
    (@call_flow $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* call_flow: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@sms_brand $doc $names [$($acc)* $(#[$($m)*])* pub call_flow: $t,] [$($rest)*]);
    };
    (@call_flow $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot call_flow, @sms_brand $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a call-flow command: shape not yet specified in this format.");
    };
    (@sms_brand $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* sms_brand: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@tn_order_tn $doc $names [$($acc)* $(#[$($m)*])* pub sms_brand: $t,] [$($rest)*]);
    };
    (@sms_brand $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot sms_brand, @tn_order_tn $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for an SMS brand: shape not yet specified.");
    };
    (@tn_order_tn $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* tn_order_tn: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@user $doc $names [$($acc)* $(#[$($m)*])* pub tn_order_tn: $t,] [$($rest)*]);
    };
    (@tn_order_tn $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot tn_order_tn, @user $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a number of a number order: shape not yet specified.");
    };
    (@user $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* user: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@tn $doc $names [$($acc)* $(#[$($m)*])* pub user: $t,] [$($rest)*]);
    };
    (@user $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot user, @tn $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a user: shape not yet specified (the `auth` event carries its user in `payload.user` and leaves this slot null).");
    };
    (@tn $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* tn: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@sms_campaign $doc $names [$($acc)* $(#[$($m)*])* pub tn: $t,] [$($rest)*]);
    };
    (@tn $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot tn, @sms_campaign $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a platform number: shape not yet specified.");
    };
    (@sms_campaign $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* sms_campaign: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@ticket $doc $names [$($acc)* $(#[$($m)*])* pub sms_campaign: $t,] [$($rest)*]);
    };
    (@sms_campaign $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot sms_campaign, @ticket $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for an SMS campaign: shape not yet specified.");
    };
    (@ticket $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* ticket: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@sms $doc $names [$($acc)* $(#[$($m)*])* pub ticket: $t,] [$($rest)*]);
    };
    (@ticket $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot ticket, @sms $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a support ticket: shape not yet specified.");
    };
    (@sms $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* sms: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@call_record $doc $names [$($acc)* $(#[$($m)*])* pub sms: $t,] [$($rest)*]);
    };
    (@sms $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot sms, @call_record $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for an SMS: shape not yet specified in this format.");
    };
    (@call_record $doc:tt $names:tt [$($acc:tt)*] [$(#[$($m:tt)*])* call_record: $t:ty, $($rest:tt)*]) => {
        $crate::event_struct!(@end $doc $names [$($acc)* $(#[$($m)*])* pub call_record: $t,] [$($rest)*]);
    };
    (@call_record $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*]) => {
        $crate::event_struct!(@slot call_record, @end $doc $names [$($acc)*] [$($rest)*]
            "Envelope slot for a call recording: shape not yet specified.");
    };

    // The envelope's default for a key the event type does not declare: absent, null or any
    // object.
    (@slot $key:ident, @$next:ident $doc:tt $names:tt [$($acc:tt)*] [$($rest:tt)*] $what:literal) => {
        $crate::event_struct!(@$next $doc $names [$($acc)*
            #[doc = $what]
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "opentact_events::scalar::de_helpers::present")]
            #[schemars(with = "Option<opentact_events::scalar::UnspecifiedObject>")]
            pub $key: Option<Option<$crate::scalar::UnspecifiedObject>>,
        ] [$($rest)*]);
    };

    (@end [$($doc:tt)*] [$name:ident => $twin:ident, $check:ident] [$($acc:tt)*] []) => {
        $crate::model! {
            $($doc)*
            #[serde(deny_unknown_fields)]
            pub struct $name => $twin, $check {
                $($acc)*
                /// When the event last changed.
                pub modified_on: $crate::scalar::Timestamp,
                /// Delivery reports for the event; empty when there are none. The shape of an
                /// entry is not yet specified.
                pub delivery_report: Vec<$crate::scalar::UnspecifiedObject>,
            }
        }
    };
    (@end $doc:tt [$name:ident => $twin:ident, $check:ident] $acc:tt [$($rest:tt)+]) => {
        ::core::compile_error!(concat!(
            "`", stringify!($name), "`: these keys are out of envelope order or are not envelope \
             keys (payload, call, ref_id, account, tn_order, batch, tn_lease, call_asr, \
             call_flow, sms_brand, tn_order_tn, user, tn, sms_campaign, ticket, sms, \
             call_record): ", stringify!($($rest)+)
        ));
    };
}

/// Declares the catalog's event types, one entry each, and derives from the entries
/// everything that dispatches on the event type: each type's `type` tag and event struct
/// (with its twins, through [`event_struct!`](crate::event_struct)), `EventType`, `Event`,
/// `EventRef` and their readers, and the schema generator's dispatch
/// (`EventType::model_schema`). The catalog's one call is in [`crate::events`]; the tests of
/// `cargo xtask new-event` call it too, on drafted types.
///
/// An entry:
///
/// ```text
/// /// A WebSocket connection logged in.          <- its description (the schema's too)
/// Auth = "auth" {                                 <- its `EventType` variant and `type` value
///     status: PublishedExample,                   <- `Status`: PublishedExample or Inferred
///     fills: account,                             <- the envelope slot it fills
///     event: AuthEvent => AuthEventRef, AuthEventCheck,   <- its struct and twins' names
///     tag: AuthTag,                               <- the name of its `type` tag's enum
///     /// The connection, its address, and who logged in.
///     payload: AuthPayload,                       <- then its own envelope keys, in order
///     /// The account that logged in.
///     account: AuthAccount,
/// }
/// ```
///
/// Entries are sorted by their `type` value (a compile error says so otherwise), which is the
/// order of `EventType::ALL`. The calling module needs `serde`, `schemars` and this crate (as
/// `opentact_events`) in scope.
#[doc(hidden)]
#[macro_export]
macro_rules! event_types {
    (
        $(
            $(#[doc = $doc:literal])*
            $variant:ident = $wire:literal {
                status: $status:ident,
                fills: $fills:ident,
                event: $event:ident => $twin:ident, $check:ident,
                tag: $tag:ident,
                $($keys:tt)*
            }
        )+
    ) => {
        $(
            #[doc = concat!("The `type` of `", $wire, "` events.")]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, ::serde::Serialize, ::schemars::JsonSchema)]
            #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
            pub enum $tag {
                #[doc = concat!("`", $wire, "`")]
                #[default]
                #[serde(rename = $wire)]
                Tag,
            }

            // Read from the string only, as every enum of the catalog (see `crate::shape`).
            impl<'de> ::serde::Deserialize<'de> for $tag {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct Name;
                    impl ::serde::de::Visitor<'_> for Name {
                        type Value = $tag;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(concat!("`", $wire, "`"))
                        }
                        fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$tag, E> {
                            if v == $wire {
                                Ok($tag::Tag)
                            } else {
                                Err(E::unknown_variant(v, &[$wire]))
                            }
                        }
                    }
                    deserializer.deserialize_str(Name)
                }
            }

            $crate::borrowable_as_itself!($tag);

            $crate::event_struct! {
                [$(#[doc = $doc])*] $event => $twin, $check, $tag, $wire, [$($keys)*]
            }
        )+

        const _: () = ::core::assert!(
            $crate::event::__private::sorted(&[$($wire),+]),
            "event types must be declared sorted by their `type` value, each once"
        );

        /// The event types of the catalog, one per value of `type`.
        ///
        /// Non-exhaustive: the catalog grows as the platform documents more event types, and a
        /// new one is a minor version.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum EventType {
            $(
                #[doc = concat!("`", $wire, "`:")]
                $(#[doc = $doc])*
                $variant,
            )+
        }

        impl EventType {
            /// Every event type, sorted by its wire name.
            pub const ALL: [EventType; [$($wire),+].len()] = [$(EventType::$variant),+];

            /// The value of `type` on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $wire,)+
                }
            }

            /// The event type whose wire name is `name`.
            pub fn from_name(name: &str) -> Option<EventType> {
                match name {
                    $($wire => Some(EventType::$variant),)+
                    _ => None,
                }
            }

            /// Where the type's shape comes from.
            pub fn status(self) -> $crate::event::Status {
                match self {
                    $(EventType::$variant => $crate::event::Status::$status,)+
                }
            }

            /// Whether the platform's documentation publishes an example payload of this type
            /// (the alternative being a shape inferred from other sources).
            pub fn has_published_example(self) -> bool {
                self.status() == $crate::event::Status::PublishedExample
            }

            /// The envelope slot the type fills: the key that holds its domain object, required
            /// and non-null in this type (`call` for `call_state`, `account` for `auth`).
            pub fn slot(self) -> &'static str {
                match self {
                    $(EventType::$variant => stringify!($fills),)+
                }
            }

            /// The model's schema of the type, before publishing: closed objects, no examples
            /// (what [`schema::model_schema`]($crate::schema::model_schema) returns).
            pub fn model_schema(self) -> ::serde_json::Value {
                match self {
                    $(EventType::$variant => $crate::schema::root_schema_for::<$event>(),)+
                }
            }

            /// Reads the top-level `type` of JSON text by scanning it (the key is third on the
            /// wire), without copying anything unless the name has an escape. The scan only
            /// picks the model to read the text with: that model then checks `type` itself.
            fn of_text(bytes: &[u8]) -> Result<EventType, ::serde_json::Error> {
                $crate::event::__private::type_name_of(bytes)
                    .and_then(|name| EventType::from_name(&name))
                    .ok_or_else(|| {
                        <::serde_json::Error as ::serde::de::Error>::custom(
                            "no known event type in `type`",
                        )
                    })
            }
        }

        impl ::std::fmt::Display for EventType {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Any event of the catalog, told apart by its `type`.
        ///
        /// Deserializing reads `type` first and then the whole event as that type, so an error
        /// names the key that is wrong in that type, never "no variant matched". A missing,
        /// non-string or unknown `type` is an error at `type`. Non-exhaustive, as
        /// [`EventType`] is.
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum Event {
            $(
                #[doc = concat!("A `", $wire, "` event.")]
                $variant(Box<$event>),
            )+
        }

        impl Event {
            /// The event's type.
            pub fn event_type(&self) -> EventType {
                match self {
                    $(Event::$variant(_) => EventType::$variant,)+
                }
            }

            /// Reads an event from JSON text in one pass, with no intermediate tree: finds the
            /// top-level `type` by scanning the text, then deserializes the text as that type.
            ///
            /// Accepts exactly what [`Event::from_value`] accepts after a strict parse (one
            /// value, no repeated key, nesting within 128), which the contract's tests check on
            /// every fixture and on mutations of them. Its errors carry no pointer: use
            /// `from_value` to explain a refusal.
            pub fn from_slice(bytes: &[u8]) -> Result<Event, ::serde_json::Error> {
                let text = $crate::event::__private::utf8(bytes)?;
                let event_type = EventType::of_text(bytes)?;
                let mut deserializer = ::serde_json::Deserializer::from_str(text);
                let event = match event_type {
                    $(EventType::$variant => {
                        <$event as ::serde::Deserialize>::deserialize(&mut deserializer)
                            .map(|e| Event::$variant(Box::new(e)))
                    })+
                }?;
                deserializer.end()?;
                Ok(event)
            }

            /// Reads an event from a JSON value, dispatching on its `type`; an error says where
            /// in the event it is (a JSON Pointer) and what is wrong there.
            pub fn from_value(value: ::serde_json::Value) -> Result<Event, $crate::event::ModelError> {
                let name = $crate::event::__private::type_name_in(&value)?;
                let event_type = EventType::from_name(name).ok_or_else(|| {
                    $crate::event::__private::unknown_type(
                        name,
                        &EventType::ALL.map(EventType::as_str),
                    )
                })?;
                match event_type {
                    $(EventType::$variant => {
                        $crate::event::__private::tracked(value)
                            .map(|e| Event::$variant(Box::new(e)))
                    })+
                }
            }

            /// Whether `bytes` are one valid event, and its type: [`Event::from_slice`]'s
            /// verdict without the event. Nothing is kept and nothing is allocated for a valid
            /// event (each model's check twin, see [`crate::borrowed`], reads the text in
            /// place); this is the validator's fast path. Errors say only that the bytes are
            /// not a valid event.
            pub fn check_slice(bytes: &[u8]) -> Result<EventType, ::serde_json::Error> {
                Event::check_slice_with::<$crate::borrowed::Deny>(bytes)
            }

            /// Whether `bytes` are one event the published (open) schemas accept, and its
            /// type: [`Event::check_slice`] for a tolerant reader, where an object may also
            /// carry keys it does not declare (each once, with any value a strict parse
            /// accepts: no repeated key inside it, nesting within 127 levels; see
            /// [`borrowed::unknown`]($crate::borrowed::unknown)). Nothing is allocated for a
            /// valid event without unknown keys.
            pub fn check_slice_tolerant(bytes: &[u8]) -> Result<EventType, ::serde_json::Error> {
                Event::check_slice_with::<$crate::borrowed::Allow>(bytes)
            }

            /// [`Event::check_slice`] (`Deny`) or [`Event::check_slice_tolerant`] (`Allow`),
            /// as the type parameter says.
            pub fn check_slice_with<Policy: $crate::borrowed::UnknownKeys>(
                bytes: &[u8],
            ) -> Result<EventType, ::serde_json::Error> {
                let text = $crate::event::__private::utf8(bytes)?;
                let event_type = EventType::of_text(bytes)?;
                let mut deserializer = ::serde_json::Deserializer::from_str(text);
                match event_type {
                    $(EventType::$variant => {
                        <$check<Policy> as ::serde::Deserialize>::deserialize(&mut deserializer)
                            .map(drop)
                    })+
                }?;
                deserializer.end()?;
                Ok(event_type)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for Event {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // `type` is the third key on the wire, so the event is read whole before
                // dispatching.
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                Event::from_value(value).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }

        /// Any event of the catalog, borrowed from its JSON text: the [borrowed
        /// twin](crate::borrowed) of [`Event`].
        ///
        /// Reading one allocates nothing when the event is valid and its strings have no
        /// escapes. It accepts exactly what [`Event::from_slice`] accepts (the contract's
        /// tests and the differential fuzz target check both on the same inputs); its errors
        /// say only that the text is not a valid event.
        #[derive(Debug, Clone, PartialEq)]
        // Not boxed: reading an event without allocating is the point, and it lives on the
        // stack.
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum EventRef<'a> {
            $(
                #[doc = concat!("A `", $wire, "` event.")]
                $variant($twin<'a>),
            )+
        }

        impl<'a> EventRef<'a> {
            /// Reads an event from JSON text (UTF-8, checked once for the whole text), as
            /// [`Event::from_slice`] does.
            pub fn from_slice(bytes: &'a [u8]) -> Result<EventRef<'a>, ::serde_json::Error> {
                EventRef::from_text($crate::event::__private::utf8(bytes)?)
            }

            /// Reads an event from JSON text: finds `type` by scanning, then reads the text as
            /// that type, which checks `type` itself.
            pub fn from_text(text: &'a str) -> Result<EventRef<'a>, ::serde_json::Error> {
                let event_type = EventType::of_text(text.as_bytes())?;
                let mut deserializer = ::serde_json::Deserializer::from_str(text);
                let event = match event_type {
                    $(EventType::$variant => {
                        <$twin<'a> as ::serde::Deserialize>::deserialize(&mut deserializer)
                            .map(EventRef::$variant)
                    })+
                }?;
                deserializer.end()?;
                Ok(event)
            }

            /// The event's type.
            pub fn event_type(&self) -> EventType {
                match self {
                    $(EventRef::$variant(_) => EventType::$variant,)+
                }
            }
        }
    };
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

/// What the code [`event_types!`](crate::event_types) writes calls: the parts of the readers
/// that do not depend on the catalog's event types. Not a stable interface.
#[doc(hidden)]
pub mod __private {
    use std::borrow::Cow;

    use serde::de::{self, Error as _};
    use serde_json::Value;

    use super::{ModelError, push_token};

    /// Whether `names` are in strictly increasing order (sorted, no repeats), at compile time.
    pub const fn sorted(names: &[&str]) -> bool {
        let mut i = 1;
        while i < names.len() {
            if !less(names[i - 1].as_bytes(), names[i].as_bytes()) {
                return false;
            }
            i += 1;
        }
        true
    }

    const fn less(a: &[u8], b: &[u8]) -> bool {
        let mut i = 0;
        while i < a.len() && i < b.len() {
            if a[i] != b[i] {
                return a[i] < b[i];
            }
            i += 1;
        }
        a.len() < b.len()
    }

    /// The top-level `type` of JSON text, found by scanning the text without parsing it.
    pub fn type_name_of(bytes: &[u8]) -> Option<Cow<'_, str>> {
        crate::json::find_member(bytes, crate::json::skip_ws(bytes, 0), "type")
            .and_then(|(at, _)| crate::json::string_at(bytes, at))
    }

    /// The `type` of an event value, or the model's error for an event without a string one.
    pub fn type_name_in(value: &Value) -> Result<&str, ModelError> {
        match value {
            Value::Object(map) => match map.get("type") {
                None => Err(ModelError::new(
                    String::new(),
                    "missing field `type`".into(),
                )),
                Some(Value::String(name)) => Ok(name),
                Some(other) => Err(ModelError::new(
                    "/type".into(),
                    format!(
                        "invalid type: {}, expected a string naming the event type",
                        json_kind(other)
                    ),
                )),
            },
            other => Err(ModelError::new(
                String::new(),
                format!(
                    "invalid type: {}, expected an event object",
                    json_kind(other)
                ),
            )),
        }
    }

    /// The model's error for a `type` that names no event type of the catalog.
    pub fn unknown_type(name: &str, known: &[&str]) -> ModelError {
        ModelError::new(
            "/type".into(),
            format!(
                "unknown event type `{name}`, expected one of {}",
                known.join(", ")
            ),
        )
    }

    /// `bytes` as text: one UTF-8 check of the whole text is cheaper than serde_json's check
    /// of each string, and refuses nothing a strict parse would accept (JSON text is UTF-8
    /// throughout).
    pub fn utf8(bytes: &[u8]) -> Result<&str, serde_json::Error> {
        // The SIMD check answers yes or no; the standard one says where, for the message.
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            return Ok(text);
        }
        std::str::from_utf8(bytes)
            .map_err(|err| serde_json::Error::custom(format_args!("invalid UTF-8: {err}")))
    }

    /// Deserializes `T` from `value`, keeping the location of the first error.
    pub fn tracked<T: de::DeserializeOwned>(value: Value) -> Result<T, ModelError> {
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

    fn json_kind(value: &Value) -> &'static str {
        match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn sorted_means_strictly_increasing() {
            assert!(sorted(&[]));
            assert!(sorted(&["auth"]));
            assert!(sorted(&["auth", "call_state"]));
            assert!(sorted(&["a", "ab", "b"]));
            assert!(!sorted(&["call_state", "auth"]));
            assert!(!sorted(&["auth", "auth"]));
            assert!(!sorted(&["ab", "a"]));
        }
    }
}
