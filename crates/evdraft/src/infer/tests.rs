//! What the drafter decides, place by place: each rule of the README's "Adding an event type"
//! as data, with the model's outline as the expected output.

use serde_json::{Value, json};

use crate::{Capture, Options, Refusal, draft_with};

/// An event of type `t` with `payload`, and `extra` keys of the envelope.
fn event(payload: Value, extra: Value) -> Value {
    let mut event = json!({
        "uuid": "58699aff-b3dd-46b6-b428-029cde3368a4",
        "created_on": "2024-02-19T16:06:00.210Z",
        "type": "t",
        "message": "m",
        "payload": payload,
        "modified_on": "2024-02-19T16:06:00.210Z",
        "delivery_report": []
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        event[k] = v.clone();
    }
    event
}

fn captures(values: Vec<Value>) -> Vec<Capture> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let text = serde_json::to_vec(&value).expect("JSON");
            Capture::new(format!("c.ndjson:{}", i + 1), value, &text)
        })
        .collect()
}

fn outline(values: Vec<Value>, reuse: bool) -> String {
    let options = Options {
        reuse,
        ..Options::default()
    };
    match draft_with("t", &captures(values), &options) {
        Ok(draft) => draft.model.outline(),
        Err(Refusal::Problems(problems)) => problems
            .iter()
            .map(|p| format!("problem at {}: {}\n", p.place, p.message))
            .collect(),
        Err(other) => format!("refused: {other}\n"),
    }
}

/// The outline of a draft from the payloads given (each in an event of its own), without the
/// envelope's constant first lines.
#[track_caller]
fn check(payloads: Vec<Value>, expected: &str) {
    let events = payloads.into_iter().map(|p| event(p, json!({}))).collect();
    let got = outline(events, true);
    let got = got
        .strip_prefix("envelope (fills payload):\n  \"payload\": TPayload (required)\n")
        .unwrap_or(&got);
    assert_eq!(got, expected, "\n{got}");
}

#[test]
fn presence_follows_what_was_seen() {
    check(
        vec![
            json!({"all": 1, "some": 1, "nulls": 1, "both": 1, "never": null}),
            json!({"all": 2, "nulls": null, "never": null}),
            json!({"all": 3, "nulls": 3, "both": null, "never": null, "sometimes_null_only": null}),
        ],
        "struct TPayload at /payload:
  \"all\": Uint32 (required)
  \"both\": Uint32 (optional nullable)
  \"never\": Unspecified (required)
  \"nulls\": Uint32 (nullable)
  \"some\": Uint32 (optional)
  \"sometimes_null_only\": Unspecified (optional)
",
    );
}

#[test]
fn integers_get_the_tightest_bounded_type() {
    check(
        vec![json!({
            "zero": 0,
            "u32": 4_294_967_295u64,
            "past_u32": 4_294_967_296u64,
            "safe": 9_007_199_254_740_991u64,
            "negative": -1,
            "most_negative": -9_007_199_254_740_991i64
        })],
        "struct TPayload at /payload:
  \"most_negative\": Int53 (required)
  \"negative\": Int53 (required)
  \"past_u32\": Uint53 (required)
  \"safe\": Uint53 (required)
  \"u32\": Uint32 (required)
  \"zero\": Uint32 (required)
",
    );
}

#[test]
fn integers_past_two_to_the_53_are_refused_with_their_place() {
    check(
        vec![json!({"a": 1}), json!({"a": 9_007_199_254_740_992u64})],
        "problem at /payload/a: an integer past 2^53 − 1 (1 to 9007199254740992 seen, at c.ndjson:2 /payload/a): the contract's integers stay within what every JSON parser reads exactly (ARCHITECTURE.md, integers); model this place by hand\n",
    );
    check(
        vec![json!({"a": -9_007_199_254_740_992i64})],
        "problem at /payload/a: an integer past 2^53 − 1 (-9007199254740992 to -9007199254740992 seen, at c.ndjson:1 /payload/a): the contract's integers stay within what every JSON parser reads exactly (ARCHITECTURE.md, integers); model this place by hand\n",
    );
}

#[test]
fn integers_and_fractions_are_kept_apart() {
    check(
        vec![
            json!({"mixed": 1, "fractions": 1.5, "whole_floats": 2.0, "ints": 3}),
            json!({"mixed": 0.25, "fractions": 1e3, "whole_floats": 3.0, "ints": 4}),
        ],
        "struct TPayload at /payload:
  \"fractions\": Number (required)
  \"ints\": Uint32 (required)
  \"mixed\": Number (required)
  \"whole_floats\": Number (required)
",
    );
}

#[test]
fn checked_strings_where_every_value_fits() {
    check(
        vec![
            json!({
                "ts": "2024-02-19T16:06:00.210Z",
                "id": "58699aff-b3dd-46b6-b428-029cde3368a4",
                "thread": "f2fc43433c39837ba33497b10910cf76",
                "ip": "10.0.0.1",
                "mail": "a@b.c",
                "almost_ts": "2024-02-19T16:06:00.210Z",
                "text": "hello"
            }),
            json!({
                "ts": "2024-02-20T16:06:00.210Z",
                "id": "58699AFF-B3DD-46B6-B428-029CDE3368A4",
                "thread": "00000000000000000000000000000000",
                "ip": "2001:db8::1",
                "mail": "x@y",
                "almost_ts": "2024-02-20 16:06:00.210Z",
                "text": "2024-02-19T16:06:00.210Z"
            }),
        ],
        "struct TPayload at /payload:
  \"almost_ts\": String (required)
  \"id\": Uuid (required)
  \"ip\": IpAddress (required)
  \"mail\": Email (required)
  \"text\": String (required)
  \"thread\": Thread (required)
  \"ts\": Timestamp (required)
",
    );
}

/// `n` payloads whose `kind` cycles through `values`.
fn kinds(values: &[&str], n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"kind": values[i % values.len()]}))
        .collect()
}

#[test]
fn an_enum_needs_few_values_each_seen_often_over_enough_captures() {
    let twelve: Vec<String> = (0..12).map(|i| format!("v{i:02}")).collect();
    let twelve: Vec<&str> = twelve.iter().map(String::as_str).collect();
    let variants: Vec<String> = twelve
        .iter()
        .map(|v| format!("V{}={v:?}", &v[1..]))
        .collect();
    // 12 values, each 3 times: 36 values.
    check(
        kinds(&twelve, 36),
        &format!(
            "struct TPayload at /payload:
  \"kind\": TPayloadKind (required)
enum TPayloadKind at /payload/kind: {}
",
            variants.join(", ")
        ),
    );
    // Exactly 30 values, each at least 3 times.
    check(
        kinds(&["a", "b"], 30),
        "struct TPayload at /payload:
  \"kind\": TPayloadKind (required)
enum TPayloadKind at /payload/kind: A=\"a\", B=\"b\"
",
    );
    let string = "struct TPayload at /payload:\n  \"kind\": String (required)\n";
    // 29 values.
    check(kinds(&["a", "b"], 29), string);
    // 13 distinct values.
    let thirteen: Vec<String> = (0..13).map(|i| format!("v{i}")).collect();
    let thirteen: Vec<&str> = thirteen.iter().map(String::as_str).collect();
    check(kinds(&thirteen, 39), string);
    // One value seen twice only.
    let mut rare = kinds(&["a", "b"], 30);
    rare.push(json!({"kind": "c"}));
    rare.push(json!({"kind": "c"}));
    check(rare, string);
    // Three times is enough.
    let mut three = kinds(&["a", "b"], 30);
    three.extend([
        json!({"kind": "c"}),
        json!({"kind": "c"}),
        json!({"kind": "c"}),
    ]);
    check(
        three,
        "struct TPayload at /payload:
  \"kind\": TPayloadKind (required)
enum TPayloadKind at /payload/kind: A=\"a\", B=\"b\", C=\"c\"
",
    );
}

#[test]
fn enum_variants_are_names_even_for_odd_values() {
    let values = ["in-progress", "in_progress", "", "200", "Self", "ÿ"];
    check(
        kinds(&values, 36),
        "struct TPayload at /payload:
  \"kind\": TPayloadKind (required)
enum TPayloadKind at /payload/kind: Empty=\"\", V200=\"200\", Self_=\"Self\", InProgress=\"in-progress\", InProgress2=\"in_progress\", Empty2=\"ÿ\"
",
    );
}

#[test]
fn the_catalogs_types_are_reused_where_every_value_fits() {
    let tn = json!({
        "created_on": "2024-02-19T16:06:00.210Z",
        "modified_on": "2024-02-19T16:06:00.210Z",
        "tn": 18382049000u64,
        "deleted_on": null
    });
    check(
        vec![
            json!({"state": "live", "direction": "in", "duration": 3, "number": tn, "way": "in"}),
            json!({"state": "init", "direction": "out", "duration": 0, "number": tn, "way": "out"}),
        ],
        "struct TPayload at /payload:
  \"direction\": Direction (required)
  \"duration\": Seconds (required)
  \"number\": Tn (required)
  \"state\": CallState (required)
  \"way\": String (required)
",
    );
    // A value that does not fit: drafted from the captures.
    let mut other = tn.clone();
    other["tn"] = json!("18382049000");
    check(
        vec![json!({"state": "failed", "duration": -1, "number": other})],
        "struct TPayload at /payload:
  \"duration\": Int53 (required)
  \"number\": TPayloadNumber (required)
  \"state\": String (required)
struct TPayloadNumber at /payload/number:
  \"created_on\": Timestamp (required)
  \"deleted_on\": Unspecified (required)
  \"modified_on\": Timestamp (required)
  \"tn\": String (required)
",
    );
    // Without reuse, nothing is reused.
    let events = vec![event(json!({"direction": "in", "duration": 3}), json!({}))];
    assert_eq!(
        outline(events, false),
        "envelope (fills payload):
  \"payload\": TPayload (required)
struct TPayload at /payload:
  \"direction\": String (required)
  \"duration\": Uint32 (required)
"
    );
}

#[test]
fn arrays_objects_and_their_items() {
    check(
        vec![
            json!({"empty": [], "nested": [[1, 2], []], "maybe": [1, null], "objs": [{"a": 1}, {"a": 2, "b": "x"}], "blank": {}, "only_null_items": [null]}),
            json!({"empty": [], "nested": [[3]], "maybe": [], "objs": [], "blank": {}, "only_null_items": []}),
        ],
        "struct TPayload at /payload:
  \"blank\": UnspecifiedObject (required)
  \"empty\": Vec<Unspecified> (required)
  \"maybe\": Vec<Option<Uint32>> (required)
  \"nested\": Vec<Vec<Uint32>> (required)
  \"objs\": Vec<TPayloadObjsItem> (required)
  \"only_null_items\": Vec<Unspecified> (required)
struct TPayloadObjsItem at /payload/objs/*:
  \"a\": Uint32 (required)
  \"b\": String (optional)
",
    );
}

#[test]
fn keys_become_field_names_that_compile() {
    check(
        vec![
            json!({"type": 1, "Name": "a", "name": "b", "First Name": "c", "": "d", "名前": "e", "1st": true}),
        ],
        "struct TPayload at /payload:
  \"\" as field: String (required)
  \"1st\" as field_1st: bool (required)
  \"First Name\" as first_name: String (required)
  \"Name\" as name: String (required)
  \"name\" as name_2: String (required)
  \"type\" as type_: Uint32 (required)
  \"名前\" as field_2: String (required)
",
    );
}

#[test]
fn values_that_cannot_share_a_type_are_refused_with_their_places() {
    check(
        vec![json!({"a": "x"}), json!({"a": 1}), json!({"a": [1]})],
        "problem at /payload/a: values of different JSON types cannot share a type: 1 integer (first at c.ndjson:2 /payload/a), 1 string (first at c.ndjson:1 /payload/a), 1 array (first at c.ndjson:3 /payload/a); model this place by hand (as `Unspecified` if any value may be there)\n",
    );
    check(
        vec![json!({"a": true}), json!({"a": {}})],
        "problem at /payload/a: values of different JSON types cannot share a type: 1 boolean (first at c.ndjson:1 /payload/a), 1 object (first at c.ndjson:2 /payload/a); model this place by hand (as `Unspecified` if any value may be there)\n",
    );
}

#[test]
fn the_envelope_is_shared_and_checked() {
    let good = event(json!({}), json!({}));
    let mut unknown = good.clone();
    unknown["extra"] = json!(1);
    let mut bad_uuid = good.clone();
    bad_uuid["uuid"] = json!("nope");
    let mut no_created = good.clone();
    no_created.as_object_mut().map(|o| o.remove("created_on"));
    let mut bad_reports = good.clone();
    bad_reports["delivery_report"] = json!([1]);
    let mut number_message = good.clone();
    number_message["message"] = json!(1);
    let mut no_payload = good.clone();
    no_payload.as_object_mut().map(|o| o.remove("payload"));
    let got = outline(
        vec![
            good,
            unknown,
            bad_uuid,
            no_created,
            bad_reports,
            number_message,
        ],
        true,
    );
    assert_eq!(
        got,
        "problem at /extra: `extra` is not a key of the envelope, which every event type shares (uuid, created_on, type, message, payload, call, ref_id, account, tn_order, batch, tn_lease, call_asr, call_flow, sms_brand, tn_order_tn, user, tn, sms_campaign, ticket, sms, call_record, modified_on, delivery_report): a new envelope key is added to the envelope itself (crates/opentact-events/src/event.rs), by hand
problem at /uuid: `uuid` is a uuid in every event of the envelope, and not here
problem at /created_on: `created_on` is in every event of the envelope, and missing here
problem at /message: `message` is a string in every event of the envelope, and not here
problem at /delivery_report: `delivery_report` is an array of objects in every event of the envelope, and not here
"
    );
    assert_eq!(
        outline(vec![no_payload], true),
        "problem at /payload: no capture has a `payload`: every event type declares its payload\n"
    );
    // Each problem names the captures that show it (the command lists them by file and line).
    let good = event(json!({}), json!({}));
    let mut unknown = good.clone();
    unknown["extra"] = json!(null);
    let mut late = good.clone();
    late["uuid"] = json!("nope");
    let problems = match draft_with(
        "t",
        &captures(vec![good.clone(), unknown, late]),
        &Options::default(),
    ) {
        Err(Refusal::Problems(problems)) => problems,
        other => panic!("{other:?}"),
    };
    let at: Vec<(usize, &str)> = problems
        .iter()
        .flat_map(|p| p.at.iter().map(|a| (a.capture, a.pointer.as_str())))
        .collect();
    assert_eq!(at, [(1, "/extra"), (2, "/uuid")]);
}

#[test]
fn the_filled_slot_and_the_declared_keys() {
    let account = json!({"id": 1});
    let sms = json!({"text": "hi"});
    let events = vec![
        event(
            json!({}),
            json!({"sms": sms, "account": account, "call": null, "ref_id": "58699aff-b3dd-46b6-b428-029cde3368a4"}),
        ),
        event(
            json!({}),
            json!({"sms": sms, "account": account, "ref_id": null}),
        ),
    ];
    assert_eq!(
        outline(events, true),
        "envelope (fills sms):
  \"payload\": UnspecifiedObject (required)
  \"ref_id\": Uuid (nullable)
  \"account\": TAccount (required)
  \"sms\": TSms (required)
struct TAccount at /account:
  \"id\": Uint32 (required)
struct TSms at /sms:
  \"text\": String (required)
"
    );
    // Only `account` filled: the slot is `account`; nothing filled: `payload`.
    let events = vec![event(json!({"a": 1}), json!({"account": account}))];
    assert!(outline(events, true).starts_with("envelope (fills account):"));
    let events = vec![
        event(json!({"a": 1}), json!({"sms": sms})),
        event(json!({"a": 1}), json!({"sms": null})),
    ];
    assert!(outline(events, true).starts_with("envelope (fills payload):"));
}

#[test]
fn a_slot_named_after_the_type_is_the_one_it_fills() {
    let mut one = event(json!({}), json!({"sms": {"a": 1}, "call": {"b": 2}}));
    one["type"] = json!("sms");
    let captures = captures(vec![one]);
    let draft = draft_with("sms", &captures, &Options::default()).expect("drafts");
    assert_eq!(draft.model.fills, "sms");
    assert_eq!(draft.names.variant, "Sms");
    assert_eq!(draft.names.event, "SmsEvent");
    assert_eq!(draft.names.tag, "SmsTag");
    assert!(draft.model.outline().contains("struct Sms at /sms:"));
    assert!(draft.model.outline().contains("struct SmsCall at /call:"));
}

#[test]
fn names_the_catalog_has_are_not_taken_again() {
    // A type whose names would be `Call...`: the catalog's `Call` is not redeclared.
    let mut one = event(json!({}), json!({"call": {"b": 2}}));
    one["type"] = json!("call");
    let draft = draft_with("call", &captures(vec![one]), &Options::default()).expect("drafts");
    assert!(
        draft.model.outline().contains("struct Call2 at /call:"),
        "{}",
        draft.model.outline()
    );
    // The variant of an existing type's name is not taken either.
    let mut one = event(json!({}), json!({}));
    one["type"] = json!("call_state_");
    let draft =
        draft_with("call_state_", &captures(vec![one]), &Options::default()).expect("drafts");
    assert_eq!(draft.names.variant, "CallState2");
}

#[test]
fn refusals_before_drafting() {
    let one = captures(vec![event(json!({}), json!({}))]);
    for bad in ["", "Sms", "1sms", "sms-x", "sms x", "ſms"] {
        assert_eq!(
            draft_with(bad, &one, &Options::default()).err(),
            Some(Refusal::BadName(bad.into())),
            "{bad:?}"
        );
    }
    assert_eq!(
        draft_with("call_state", &one, &Options::default()).err(),
        Some(Refusal::Exists("call_state".into()))
    );
    assert_eq!(
        draft_with("sms", &[], &Options::default()).err(),
        Some(Refusal::NoCaptures("sms".into()))
    );
}

#[test]
fn decisions_say_why() {
    let events: Vec<Value> = kinds(&["a", "b"], 30)
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            if i > 0 {
                p["opt"] = json!(1);
            }
            p["nul"] = if i == 2 { json!(null) } else { json!(2.5) };
            event(p, json!({}))
        })
        .collect();
    let draft = draft_with("t", &captures(events), &Options::default()).expect("drafts");
    let decisions: Vec<String> = draft
        .model
        .decisions
        .iter()
        .map(|d| format!("{}: {}", d.place, d.text))
        .collect();
    let text = decisions.join("\n");
    assert!(
        text.contains("/payload/kind: enum `TPayloadKind`: 2 values, each seen at least 3 times in 30: \"a\" (15), \"b\" (15)"),
        "{text}"
    );
    assert!(
        text.contains("/payload/opt: optional: absent from 1 of the 30 objects at `/payload` (first at c.ndjson:1 /payload)"),
        "{text}"
    );
    assert!(
        text.contains("/payload/nul: nullable: null in 1 of the 30 objects at `/payload`"),
        "{text}"
    );
    assert!(
        text.contains("/payload/opt: `Uint32`: integers 1 to 1 seen"),
        "{text}"
    );
    assert!(
        text.contains("/payload: the slot the type fills: `payload`"),
        "{text}"
    );
}

#[test]
fn places_asked_for_are_unspecified_and_a_place_never_seen_is_refused() {
    let captures = captures(vec![
        event(json!({"a": "x", "b": [{"c": 1}]}), json!({})),
        event(json!({"a": 1, "b": [{"c": "y"}]}), json!({})),
    ]);
    let options = Options {
        unspecified: vec!["/payload/a".into(), "/payload/b/*/c".into()],
        ..Options::default()
    };
    let draft = draft_with("t", &captures, &options).expect("drafts");
    assert_eq!(
        draft.model.outline(),
        "envelope (fills payload):
  \"payload\": TPayload (required)
struct TPayload at /payload:
  \"a\": Unspecified (required)
  \"b\": Vec<TPayloadBItem> (required)
struct TPayloadBItem at /payload/b/*:
  \"c\": Unspecified (required)
"
    );
    let options = Options {
        unspecified: vec![
            "/payload/a".into(),
            "/payload/b/*/c".into(),
            "/payload/z".into(),
        ],
        ..Options::default()
    };
    match draft_with("t", &captures, &options) {
        Err(Refusal::Problems(problems)) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].place, "/payload/z");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_catalogs_names_and_their_twins_are_taken() {
    let taken = crate::infer::taken_names();
    for name in [
        "AccountNumericPhone",
        "CallStatePayload",
        "CallStatePayloadCheck",
        "CallStateEventRef",
        "TimestampRef",
        "AuthTag",
        "UserRole",
        "Event",
        "EventType",
        "Number",
    ] {
        assert!(taken.contains(name), "{name}");
    }
    assert!(!taken.contains("SmsPayload"));
}

#[test]
fn keys_left_to_the_envelope_are_said_so_once_each_kind() {
    let events = vec![
        event(
            json!({}),
            json!({"ref_id": null, "call": null, "sms": null}),
        ),
        event(json!({}), json!({"tn": null})),
    ];
    let draft = draft_with("t", &captures(events), &Options::default()).expect("drafts");
    let decisions: Vec<(&str, &str)> = draft
        .model
        .decisions
        .iter()
        .filter(|d| d.place.is_empty())
        .map(|d| (d.place.as_str(), d.text.as_str()))
        .collect();
    assert_eq!(
        decisions,
        [
            (
                "",
                "`ref_id` kept as the envelope's default (absent, null or a uuid): null or absent in every capture"
            ),
            (
                "",
                "`call`, `tn`, `sms` kept as the envelope's default (absent, null or any object): null or absent in every capture"
            ),
        ]
    );
    // With nothing left to the envelope, nothing is said.
    let draft = draft_with(
        "t",
        &captures(vec![event(json!({}), json!({}))]),
        &Options::default(),
    )
    .expect("drafts");
    assert!(draft.model.decisions.iter().all(|d| !d.place.is_empty()));
}

#[test]
fn a_slot_named_after_the_type_but_not_always_filled_is_not_the_one() {
    let mut one = event(json!({}), json!({"sms": {"a": 1}, "tn": {"b": 1}}));
    one["type"] = json!("sms");
    let mut two = event(json!({}), json!({"sms": null, "tn": {"b": 2}}));
    two["type"] = json!("sms");
    let draft = draft_with("sms", &captures(vec![one, two]), &Options::default()).expect("drafts");
    assert_eq!(draft.model.fills, "tn");
}

#[test]
fn the_reused_types_are_listed_once() {
    let tn = json!({
        "created_on": "2024-02-19T16:06:00.210Z",
        "modified_on": "2024-02-19T16:06:00.210Z",
        "tn": 18382049000u64,
        "deleted_on": null
    });
    let events = vec![
        event(
            json!({"a": tn, "b": tn, "duration": 1, "state": "live"}),
            json!({}),
        ),
        event(
            json!({"a": tn, "b": tn, "duration": 2, "state": "init"}),
            json!({}),
        ),
    ];
    let draft = draft_with("t", &captures(events), &Options::default()).expect("drafts");
    assert_eq!(draft.model.reused, ["Tn", "Seconds", "CallState"]);
}

#[test]
fn what_the_draft_says_at_a_place() {
    let events = vec![
        event(
            json!({"items": [{"n": 1, "tags": ["x"]}], "maybe": [null, {"k": "v"}], "flat": 1}),
            json!({"sms": {"text": "hi"}}),
        ),
        event(
            json!({"items": [], "maybe": [], "flat": 2, "opt": "o"}),
            json!({"sms": {"text": "yo"}}),
        ),
    ];
    let draft = draft_with("t", &captures(events), &Options::default()).expect("drafts");
    let m = &draft.model;
    assert_eq!(m.describe(""), "the event as a whole");
    assert_eq!(
        m.describe("/call"),
        "the draft does not declare `call`: the envelope's default applies"
    );
    assert_eq!(
        m.describe("/sms/text"),
        "the draft has `/sms/text`: String (key required); `String`, not an enum: 2 distinct values (\"hi\", \"yo\") in 2; an enum needs at least 30 values seen, each at least 3 times (2 seen fewer)"
    );
    assert_eq!(
        m.describe("/payload/items/0/n"),
        "the draft has `/payload/items/*/n`: Uint32 (key required); `Uint32`: integers 1 to 1 seen, non-negative, at most 4294967295"
    );
    assert_eq!(
        m.describe("/payload/items/*/tags/3"),
        "the draft has `/payload/items/*/tags/*`: String (key required); `String`, not an enum: 1 distinct values (\"x\") in 1; an enum needs at least 30 values seen, each at least 3 times (1 seen fewer)"
    );
    assert_eq!(
        m.describe("/payload/items"),
        "the draft has `/payload/items`: Vec<TPayloadItemsItem> (key required)"
    );
    assert_eq!(
        m.describe("/payload/maybe/1/k"),
        "the draft has `/payload/maybe/*/k`: String (key required); `String`, not an enum: 1 distinct values (\"v\") in 1; an enum needs at least 30 values seen, each at least 3 times (1 seen fewer)"
    );
    assert_eq!(
        m.describe("/payload/opt"),
        "the draft has `/payload/opt`: String (key optional); `String`, not an enum: 1 distinct values (\"o\") in 1; an enum needs at least 30 values seen, each at least 3 times (1 seen fewer); optional: absent from 1 of the 2 objects at `/payload` (first at c.ndjson:1 /payload)"
    );
    assert_eq!(
        m.describe("/payload/flat/x"),
        "the draft has no `x` inside `/payload/flat` (Uint32)"
    );
    assert_eq!(
        m.describe("/payload/items/k"),
        "the draft has no `k` inside `/payload/items` (Vec<TPayloadItemsItem>)"
    );
    assert_eq!(
        m.describe("/payload/nope"),
        "the draft has no key `nope` at `/payload`"
    );
    assert_eq!(
        m.describe("/payload/a~1b"),
        "the draft has no key `a/b` at `/payload`"
    );
}

#[test]
fn the_envelope_s_timestamps_are_timestamps() {
    let good = event(json!({}), json!({}));
    let mut words = good.clone();
    words["created_on"] = json!("yesterday");
    let mut number = good.clone();
    number["modified_on"] = json!(5);
    let got = outline(vec![good, words, number], true);
    assert_eq!(
        got,
        "problem at /created_on: `created_on` is a UTC timestamp with milliseconds in every event of the envelope, and not here
problem at /modified_on: `modified_on` is a UTC timestamp with milliseconds in every event of the envelope, and not here
"
    );
}

#[test]
fn a_place_asked_for_that_is_only_null_is_used() {
    let options = Options {
        unspecified: vec!["/payload/n".into()],
        ..Options::default()
    };
    let draft = draft_with(
        "t",
        &captures(vec![event(json!({"n": null}), json!({}))]),
        &options,
    )
    .expect("drafts");
    assert!(
        draft
            .model
            .outline()
            .contains("\"n\": Unspecified (required)")
    );
}

#[test]
fn only_a_mix_of_integers_and_fractions_is_said_to_be_one() {
    let events = vec![
        event(json!({"mixed": 1, "fractions": 1.5}), json!({})),
        event(json!({"mixed": 1.5, "fractions": 2.5}), json!({})),
    ];
    let draft = draft_with("t", &captures(events), &Options::default()).expect("drafts");
    let about = |place: &str| {
        draft
            .model
            .decisions
            .iter()
            .filter(|d| d.place == place)
            .map(|d| d.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        about("/payload/mixed"),
        [
            "`Number`: integers (1, first at c.ndjson:1 /payload/mixed) and numbers with a fraction (1, first at c.ndjson:2 /payload/mixed) at one place"
        ]
    );
    assert!(about("/payload/fractions").is_empty());
}

#[test]
fn an_integer_out_of_range_is_shown_where_it_breaks_the_range() {
    // The largest is exactly 2^53 − 1 (in range): the place shown is the smallest's.
    check(
        vec![
            json!({"a": -9_007_199_254_740_992i64}),
            json!({"a": 9_007_199_254_740_991u64}),
        ],
        "problem at /payload/a: an integer past 2^53 − 1 (-9007199254740992 to 9007199254740991 seen, at c.ndjson:1 /payload/a): the contract's integers stay within what every JSON parser reads exactly (ARCHITECTURE.md, integers); model this place by hand\n",
    );
}

#[test]
fn arrays_seen_only_empty_or_only_with_null_items_say_which() {
    let events = vec![
        event(json!({"empty": [], "nulls": [null]}), json!({})),
        event(json!({"empty": [], "nulls": []}), json!({})),
    ];
    let draft = draft_with("t", &captures(events), &Options::default()).expect("drafts");
    let text: Vec<String> = draft
        .model
        .decisions
        .iter()
        .filter(|d| d.place.ends_with("/*"))
        .map(|d| format!("{}: {}", d.place, d.text))
        .collect();
    assert_eq!(
        text,
        [
            "/payload/empty/*: `Unspecified` items: every one of 2 arrays is empty, so the items' shape is not known",
            "/payload/nulls/*: `Unspecified` items: every item is null, so their shape is not known",
        ]
    );
}

#[test]
fn the_envelope_is_the_models_envelope() {
    // The drafter's list of envelope keys is held to every event type's model: the same keys
    // (the schemas list them sorted, so the order is checked where it is declared, in
    // `event_struct!`); the declarable ones run from `payload` to `call_record`.
    let mut envelope: Vec<&str> = crate::infer::ENVELOPE.to_vec();
    envelope.sort_unstable();
    for event_type in opentact_events::EventType::ALL {
        let schema = event_type.model_schema();
        let properties = schema["properties"].as_object().expect("an object schema");
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        assert_eq!(keys, envelope, "{}", event_type.as_str());
    }
    let declarable = crate::infer::DECLARABLE;
    assert_eq!(declarable.first(), Some(&"payload"));
    assert_eq!(declarable.last(), Some(&"call_record"));
    assert_eq!(declarable.len(), 17);
}
