//! The drafts the tests hold: what each is drafted from, and the golden file that holds it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use evcontract::files::read_tree;
use evcontract::fixtures::{Fixture, collect};
use evdraft::{Capture, Draft, Options};
use opentact_events::{CallStateEvent, Event};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// Every fixture of the repository.
pub fn fixtures() -> &'static [Fixture] {
    static FIXTURES: OnceLock<Vec<Fixture>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let tree = read_tree(&root().join("fixtures")).expect("fixtures/ reads");
        let (fixtures, problems) = collect(tree);
        assert!(problems.is_empty(), "the fixture tree fits its layout");
        fixtures
    })
}

/// The fixtures of `event_type`, valid or invalid, as events of type `as_type`.
pub fn fixture_events(event_type: &str, valid: bool, as_type: &str) -> Vec<(String, Value)> {
    fixtures()
        .iter()
        .filter(|f| f.folder_type == event_type && f.expected.is_none() == valid)
        .filter_map(|f| {
            let mut value = evcontract::parse(&f.bytes).ok()?;
            if value.get("type").and_then(Value::as_str) == Some(event_type) {
                value["type"] = Value::from(as_type);
            }
            Some((f.path.clone(), value))
        })
        .collect()
}

/// `values` as captures, named by where they came from.
pub fn captures(values: &[(String, Value)]) -> Vec<Capture> {
    values
        .iter()
        .map(|(source, value)| {
            let text = serde_json::to_vec(value).expect("a value serializes");
            Capture::new(source.clone(), value.clone(), &text)
        })
        .collect()
}

/// `n` `call_state` events from the models' own strategy (the property tests'), with a fixed
/// seed, each call keeping its transition rule, as events of type `generated_call`. `skip`
/// events are generated first and dropped, for a second sample.
pub fn generated_calls(skip: usize, n: usize) -> Vec<(String, Value)> {
    let run = move || {
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &[0x2b; 32]),
        );
        let strategy = any::<CallStateEvent>();
        (0..skip + n)
            .map(|i| {
                let event = strategy
                    .new_tree(&mut runner)
                    .expect("a value is generated")
                    .current();
                let mut value =
                    serde_json::to_value(Event::CallState(Box::new(event))).expect("serializes");
                keep_transition_rule(&mut value["call"]);
                value["type"] = Value::from("generated_call");
                (format!("generated:{}", i + 1), value)
            })
            .skip(skip)
            .collect::<Vec<_>>()
    };
    // The derived strategy of a whole event is deep: more stack than a test thread's 2 MiB.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run)
        .expect("a thread starts")
        .join()
        .expect("generating does not panic")
}

/// A call with only its state's transition timestamp (the one rule across keys).
fn keep_transition_rule(call: &mut Value) {
    let keys = ["init_on", "ring_on", "answer_on", "hangup_on", "destroy_on"];
    let state = call["state"].as_str().unwrap_or_default();
    let key = match state {
        "init" => "init_on",
        "ringing" => "ring_on",
        "live" => "answer_on",
        "hangup" => "hangup_on",
        _ => "destroy_on",
    };
    let at = call["created_on"].clone();
    if let Some(map) = call.as_object_mut() {
        for k in keys {
            map.remove(k);
        }
        map.insert(key.into(), at);
    }
}

/// A draft the tests hold: its name, what it is drafted from, how, and its golden file.
pub struct Case {
    /// The golden file's name in `tests/it/drafts/` (and the drafted type's name).
    pub name: &'static str,
    /// What the captures are, for the golden file's header.
    pub about: &'static str,
    /// The drafting options.
    pub options: Options,
    /// The captures.
    pub captures: fn() -> Vec<(String, Value)>,
}

/// The places of `call_state` whose values the models' strategy draws from any JSON at all
/// (the model's `Unspecified` shapes): drafted as `Unspecified` too.
const GENERATED_ANY: &[&str] = &[
    "/tn_order",
    "/batch",
    "/tn_lease",
    "/call_asr",
    "/call_flow",
    "/sms_brand",
    "/tn_order_tn",
    "/user",
    "/tn",
    "/sms_campaign",
    "/ticket",
    "/sms",
    "/call_record",
    "/call/batch_item",
    "/call/lerg",
    "/call/hotkey",
    "/call/sip_connection",
    "/call/logs/*",
    "/call/records/*",
    "/call/country",
    "/call/children/*",
    "/call/parent/release_cause_from_protocol_stack",
    "/call/parent/stir_shaken_identity",
    "/call/parent/sip_user",
];

pub fn cases() -> Vec<Case> {
    let no_reuse = Options {
        reuse: false,
        ..Options::default()
    };
    vec![
        Case {
            name: "call_state_draft",
            about: "the repository's valid `call_state` fixtures, as type `call_state_draft`, without reusing the catalog's types",
            options: no_reuse.clone(),
            captures: || fixture_events("call_state", true, "call_state_draft"),
        },
        Case {
            name: "auth_draft",
            about: "the repository's valid `auth` fixtures, as type `auth_draft`, without reusing the catalog's types",
            options: no_reuse.clone(),
            captures: || fixture_events("auth", true, "auth_draft"),
        },
        Case {
            name: "reused_call_state",
            about: "the repository's valid `call_state` fixtures, as type `reused_call_state`, reusing the catalog's types (as `cargo xtask new-event` does)",
            options: Options::default(),
            captures: || fixture_events("call_state", true, "reused_call_state"),
        },
        Case {
            name: "generated_call",
            about: "200 `call_state` events from the models' property-test strategy (seeded), as type `generated_call`, without reusing the catalog's types; the places the model leaves unspecified are drafted so (`--unspecified`)",
            options: Options {
                reuse: false,
                unspecified: GENERATED_ANY.iter().map(|p| (*p).to_owned()).collect(),
            },
            captures: || generated_calls(0, 200),
        },
        Case {
            name: "hostile",
            about: "tests/it/captures/hostile.ndjson: keys that are Rust keywords or no identifier, keys that differ only in case, empty objects, deeply nested arrays, mixed integers and fractions, non-ASCII text",
            options: Options::default(),
            captures: || {
                let path =
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/captures/hostile.ndjson");
                std::fs::read_to_string(&path)
                    .expect("the hostile captures read")
                    .lines()
                    .enumerate()
                    .map(|(i, line)| {
                        (
                            format!("hostile.ndjson:{}", i + 1),
                            evcontract::parse(line.as_bytes()).expect("a capture parses"),
                        )
                    })
                    .collect()
            },
        },
    ]
}

/// Events with where each came from.
pub type Events = [(String, Value)];

/// The captures of a case, made once per test run (generating events takes a while).
pub fn case_captures(case: &Case) -> &'static Events {
    static MADE: std::sync::Mutex<Vec<(&'static str, &'static Events)>> =
        std::sync::Mutex::new(Vec::new());
    let mut made = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, captures)) = made.iter().find(|(name, _)| *name == case.name) {
        return captures;
    }
    let captures: &'static Events = Vec::leak((case.captures)());
    made.push((case.name, captures));
    captures
}

/// The draft of a case.
pub fn draft(case: &Case) -> Draft {
    let captures = captures(case_captures(case));
    evdraft::draft_with(case.name, &captures, &case.options)
        .unwrap_or_else(|refusal| panic!("{}: {refusal}", case.name))
}

/// The golden file of a case: a header, the model module as `cargo xtask new-event` writes it
/// (through rustfmt), then its entry in a declaration of its own.
pub fn golden(case: &Case, draft: &Draft) -> String {
    let header = format!(
        "Generated by evdraft's tests from {}. The model module `cargo xtask new-event` writes, then its entry, in a declaration of its own. Do not edit: `cargo run -p evdraft --example drafts` rewrites it.",
        case.about
    );
    let mut text = String::new();
    let mut line = String::from("//");
    for word in header.split(' ') {
        if line.len() + 1 + word.len() > 100 {
            text.push_str(&line);
            text.push('\n');
            line = String::from("//");
        }
        line.push(' ');
        line.push_str(word);
    }
    text.push_str(&line);
    text.push_str(&format!(
        "\n\n{}\nopentact_events::event_types! {{\n{}}}\n",
        draft.module, draft.entry
    ));
    rustfmt(&text)
}

/// `text` through rustfmt, as `cargo xtask new-event` formats what it writes.
pub fn rustfmt(text: &str) -> String {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rustfmt runs (rustup component add rustfmt)");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(text.as_bytes())
        .expect("rustfmt reads");
    let out = child.wait_with_output().expect("rustfmt ends");
    assert!(out.status.success(), "rustfmt refuses the draft:\n{text}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A validator of a drafted type's model schema in its contract form, compiled as the engine
/// compiles the catalog's (published, then closed: `open_objects` drops schemars' `double`
/// format; formats asserted, unknown formats refused, the linear-time regex engine, offline).
pub fn validator(schema: &Value) -> jsonschema::Validator {
    let mut schema = schema.clone();
    opentact_events::schema::open_objects(&mut schema);
    opentact_events::schema::close_objects(&mut schema);
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .offline()
        .build(&schema)
        .expect("a drafted type's schema compiles")
}
