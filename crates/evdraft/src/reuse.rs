//! The catalog's own types a draft reuses where every capture fits them: its structs (an
//! account, a `tn`), its enums (a call's `state`) and its bounded integers (`duration` in
//! seconds). A test holds this list to the catalog: every definition the catalog publishes is
//! here or in [`NOT_REUSED`], with the reason.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// What kind of type a reusable one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A struct: reused at an object place where every object fits it, whatever its key.
    Struct,
    /// An enum: reused at a string place named like one where the catalog uses it, when every
    /// string fits.
    Enum,
    /// A bounded integer: reused at an integer place named like one where the catalog uses it,
    /// when every integer fits.
    Integer,
}

/// One of the catalog's types a draft can reuse.
pub struct Reusable {
    /// Its name in Rust, as the drafted code writes it.
    pub rust: &'static str,
    /// Its path from the crate root, for the `use` line.
    pub path: &'static str,
    /// The name of its definition in the published schemas (`$defs`), when it has one.
    pub def: Option<&'static str>,
    /// What it is.
    pub kind: Kind,
    /// The keys the catalog holds it under (for enums and integers: a place must be named so).
    pub keys: &'static [&'static str],
    /// Whether a value fits it: the model's own deserializer accepts it.
    pub fits: fn(&Value) -> bool,
}

fn fits<T: DeserializeOwned>(value: &Value) -> bool {
    T::deserialize(value).is_ok()
}

/// The catalog's types a draft reuses, in the order they are preferred when several fit.
pub const REUSABLE: &[Reusable] = &[
    Reusable {
        rust: "CallAccount",
        path: "crate::account::CallAccount",
        def: Some("AccountNumericPhone"),
        kind: Kind::Struct,
        keys: &["account"],
        fits: fits::<opentact_events::CallAccount>,
    },
    Reusable {
        rust: "AuthAccount",
        path: "crate::account::AuthAccount",
        def: Some("AccountStringPhone"),
        kind: Kind::Struct,
        keys: &["account"],
        fits: fits::<opentact_events::AuthAccount>,
    },
    Reusable {
        rust: "User",
        path: "crate::account::User",
        def: Some("User"),
        kind: Kind::Struct,
        keys: &["user"],
        fits: fits::<opentact_events::User>,
    },
    Reusable {
        rust: "Call",
        path: "crate::call::Call",
        def: Some("Call"),
        kind: Kind::Struct,
        keys: &["call"],
        fits: fits::<opentact_events::Call>,
    },
    Reusable {
        rust: "ParentCall",
        path: "crate::call::ParentCall",
        def: Some("ParentCall"),
        kind: Kind::Struct,
        keys: &["parent"],
        fits: fits::<opentact_events::ParentCall>,
    },
    Reusable {
        rust: "Tn",
        path: "crate::call::Tn",
        def: Some("Tn"),
        kind: Kind::Struct,
        keys: &["tn"],
        fits: fits::<opentact_events::Tn>,
    },
    Reusable {
        rust: "SipControlApp",
        path: "crate::call::SipControlApp",
        def: Some("SipControlApp"),
        kind: Kind::Struct,
        keys: &["sip_control_app"],
        fits: fits::<opentact_events::SipControlApp>,
    },
    Reusable {
        rust: "AccountLevel",
        path: "crate::account::AccountLevel",
        def: Some("AccountLevel"),
        kind: Kind::Enum,
        keys: &["level"],
        fits: fits::<opentact_events::AccountLevel>,
    },
    Reusable {
        rust: "UserRole",
        path: "crate::account::UserRole",
        def: Some("UserRole"),
        kind: Kind::Enum,
        keys: &["role"],
        fits: fits::<opentact_events::UserRole>,
    },
    Reusable {
        rust: "Gender",
        path: "crate::account::Gender",
        def: Some("Gender"),
        kind: Kind::Enum,
        keys: &["gender"],
        fits: fits::<opentact_events::Gender>,
    },
    Reusable {
        rust: "CallState",
        path: "crate::call::CallState",
        def: Some("CallState"),
        kind: Kind::Enum,
        keys: &["state"],
        fits: fits::<opentact_events::CallState>,
    },
    Reusable {
        rust: "Direction",
        path: "crate::call::Direction",
        def: Some("Direction"),
        kind: Kind::Enum,
        keys: &["direction"],
        fits: fits::<opentact_events::Direction>,
    },
    Reusable {
        rust: "CallType",
        path: "crate::call::CallType",
        def: Some("CallType"),
        kind: Kind::Enum,
        keys: &["type"],
        fits: fits::<opentact_events::CallType>,
    },
    Reusable {
        rust: "FreeswitchCallState",
        path: "crate::call::FreeswitchCallState",
        def: Some("FreeswitchCallState"),
        kind: Kind::Enum,
        keys: &["freeswitch_call_state"],
        fits: fits::<opentact_events::FreeswitchCallState>,
    },
    Reusable {
        rust: "FreeswitchChannelState",
        path: "crate::call::FreeswitchChannelState",
        def: Some("FreeswitchChannelState"),
        kind: Kind::Enum,
        keys: &["freeswitch_channel_state"],
        fits: fits::<opentact_events::FreeswitchChannelState>,
    },
    Reusable {
        rust: "AttestLevel",
        path: "crate::call::AttestLevel",
        def: Some("AttestLevel"),
        kind: Kind::Enum,
        keys: &[
            "stir_shaken_attest_level",
            "shaken_minimum_accepted_attest_lvl",
        ],
        fits: fits::<opentact_events::AttestLevel>,
    },
    Reusable {
        rust: "WebhookMethod",
        path: "crate::call::WebhookMethod",
        def: Some("WebhookMethod"),
        kind: Kind::Enum,
        keys: &["webhook_method"],
        fits: fits::<opentact_events::WebhookMethod>,
    },
    Reusable {
        rust: "Seconds",
        path: "crate::scalar::Seconds",
        def: None,
        kind: Kind::Integer,
        keys: &["duration"],
        fits: fits::<opentact_events::Seconds>,
    },
    Reusable {
        rust: "Q850Cause",
        path: "crate::scalar::Q850Cause",
        def: None,
        kind: Kind::Integer,
        keys: &["q850_cause"],
        fits: fits::<opentact_events::Q850Cause>,
    },
    Reusable {
        rust: "NumericPhone",
        path: "crate::scalar::NumericPhone",
        def: None,
        kind: Kind::Integer,
        keys: &["phone", "tn", "phone_number"],
        fits: fits::<opentact_events::NumericPhone>,
    },
];

/// The catalog's definitions a draft does not reuse, and why.
pub const NOT_REUSED: &[(&str, &str)] = &[
    (
        "Timestamp",
        "a checked string: chosen from the values, whatever the key",
    ),
    (
        "Uuid",
        "a checked string: chosen from the values, whatever the key",
    ),
    (
        "Thread",
        "a checked string: chosen from the values, whatever the key",
    ),
    (
        "Email",
        "a checked string: chosen from the values, whatever the key",
    ),
    (
        "IpAddress",
        "a checked string: chosen from the values, whatever the key",
    ),
    (
        "StringPhone",
        "a plain string on the wire: drafted as `String`",
    ),
    (
        "Unspecified",
        "what a place seen only as null becomes, by the rule for unknown shapes",
    ),
    (
        "UnspecifiedObject",
        "what a place seen only as empty objects becomes, by the rule for unknown shapes",
    ),
    (
        "AuthPayload",
        "an event type's own payload, not a shared object",
    ),
    (
        "CallStatePayload",
        "an event type's own payload, not a shared object",
    ),
];

/// The reusable struct that every one of `values` fits, whatever key holds them: the
/// catalog's structs refuse each other's objects (each has required keys the others lack), so
/// at most one fits (a test holds them to it).
pub fn struct_for(values: &[&Value]) -> Option<&'static Reusable> {
    REUSABLE.iter().find(|r| {
        r.kind == Kind::Struct && !values.is_empty() && values.iter().all(|v| (r.fits)(v))
    })
}

/// The reusable enum or integer of `kind` held under `key` that every one of `values` fits.
pub fn named_for(kind: Kind, key: &str, values: &[&Value]) -> Option<&'static Reusable> {
    REUSABLE.iter().find(|r| {
        r.kind == kind
            && r.keys.contains(&key)
            && !values.is_empty()
            && values.iter().all(|v| (r.fits)(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_definition_of_the_catalog_is_reused_or_said_why_not() {
        let files =
            opentact_events::schema::generate(&Default::default()).expect("the catalog generates");
        let any = files
            .iter()
            .find(|f| f.path == opentact_events::schema::ANY_EVENT_FILE)
            .expect("the any-event schema is generated");
        let any: Value = serde_json::from_str(&any.contents).expect("JSON");
        let roots: Vec<String> = opentact_events::EventType::ALL
            .iter()
            .map(|t| {
                t.model_schema()["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        let mut unlisted = Vec::new();
        for name in any["$defs"].as_object().expect("$defs").keys() {
            let tag = name.ends_with("Tag");
            let listed = REUSABLE.iter().any(|r| r.def == Some(name.as_str()))
                || NOT_REUSED.iter().any(|(n, _)| n == name);
            if !listed && !tag && !roots.contains(name) {
                unlisted.push(name.clone());
            }
        }
        assert!(
            unlisted.is_empty(),
            "add these to REUSABLE or NOT_REUSED in evdraft/src/reuse.rs: {unlisted:?}"
        );
        for r in REUSABLE {
            if let Some(def) = r.def {
                assert!(
                    any["$defs"].get(def).is_some(),
                    "{def} is not in the catalog"
                );
            }
        }
    }

    #[test]
    fn no_two_structs_fit_the_same_object() {
        // Each struct's own fixture object (from the catalog's platform examples) fits it and
        // no other, so the first that fits is the one.
        let example: Value = serde_json::from_str(include_str!(
            "../../../fixtures/valid/call_state/platform-call_state_live.json"
        ))
        .expect("the platform example parses");
        let auth: Value = serde_json::from_str(include_str!(
            "../../../fixtures/valid/auth/platform-auth_success.json"
        ))
        .expect("the platform example parses");
        let parent: Value = serde_json::from_str(include_str!(
            "../../../fixtures/valid/call_state/platform-call_state_hangup_outbound_leg.json"
        ))
        .expect("the platform example parses");
        for (object, name) in [
            (&example["call"]["account"], "CallAccount"),
            (&auth["account"], "AuthAccount"),
            (&auth["payload"]["user"], "User"),
            (&example["call"], "Call"),
            (&parent["call"]["parent"], "ParentCall"),
            (&example["call"]["tn"], "Tn"),
            (&example["call"]["sip_control_app"], "SipControlApp"),
        ] {
            let fitting: Vec<&str> = REUSABLE
                .iter()
                .filter(|r| r.kind == Kind::Struct && (r.fits)(object))
                .map(|r| r.rust)
                .collect();
            assert_eq!(fitting, [name]);
        }
    }

    #[test]
    fn structs_fit_by_the_models_own_check() {
        let tn = json!({
            "created_on": "2024-02-19T16:06:00.210Z",
            "modified_on": "2024-02-19T16:06:00.210Z",
            "tn": 18382049000u64,
            "deleted_on": null
        });
        assert_eq!(struct_for(&[&tn]).map(|r| r.rust), Some("Tn"));
        let mut extra = tn.clone();
        extra["x"] = json!(1);
        assert!(struct_for(&[&tn, &extra]).is_none(), "one does not fit");
        assert!(struct_for(&[]).is_none(), "nothing seen");
    }

    #[test]
    fn enums_and_integers_are_reused_only_under_their_keys() {
        let (inn, out, up) = (json!("in"), json!("out"), json!("IN"));
        assert_eq!(
            named_for(Kind::Enum, "direction", &[&inn, &out]).map(|r| r.rust),
            Some("Direction")
        );
        assert!(named_for(Kind::Enum, "way", &[&inn]).is_none());
        assert!(named_for(Kind::Enum, "direction", &[&inn, &up]).is_none());
        assert!(named_for(Kind::Enum, "direction", &[]).is_none());
        let (d, big) = (json!(10), json!(5_000_000_000u64));
        assert_eq!(
            named_for(Kind::Integer, "duration", &[&d]).map(|r| r.rust),
            Some("Seconds")
        );
        assert!(named_for(Kind::Integer, "duration", &[&d, &big]).is_none());
        assert!(
            named_for(Kind::Enum, "duration", &[&d]).is_none(),
            "kinds differ"
        );
        assert_eq!(
            named_for(Kind::Integer, "phone", &[&big]).map(|r| r.rust),
            Some("NumericPhone")
        );
    }
}
