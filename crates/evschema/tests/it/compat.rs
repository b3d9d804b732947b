//! `evschema compat OLD NEW`: exit codes and the three formats.

use serde_json::Value;

use crate::support::{TempDir, evschema, root};

/// A copy of the committed catalog in `dir/name`, with `edit` applied to every schema file
/// that defines `CallState` (the type's own schema and the any-event schema).
fn catalog_copy(dir: &TempDir, name: &str, edit: impl Fn(&mut Value)) -> String {
    let target = dir.mkdir(name);
    for entry in std::fs::read_dir(root().join("schemas")).expect("schemas/ reads") {
        let path = entry.expect("an entry").path();
        let mut value: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("a schema reads")).expect("JSON");
        if value.pointer("/$defs/CallState").is_some() {
            edit(&mut value);
        }
        let name = path.file_name().expect("a file name");
        std::fs::write(target.join(name), value.to_string()).expect("the copy is written");
    }
    name.to_owned()
}

#[test]
fn exit_codes_follow_the_verdict_in_the_mode() {
    let dir = TempDir::new("compat");
    let old = catalog_copy(&dir, "old", |_| {});
    let new = catalog_copy(&dir, "new", |s| {
        s["$defs"]["CallState"]["enum"]
            .as_array_mut()
            .expect("an enum")
            .push("failed".into());
    });
    let run = |args: &[&str]| evschema(dir.path(), args, "").code;
    assert_eq!(run(&["compat", &old, &old]), 0);
    // A new call state breaks readers still on the old schema, not readers of old events.
    assert_eq!(run(&["compat", &old, &new, "--mode", "backward"]), 0);
    assert_eq!(run(&["compat", &old, &new, "--mode", "forward"]), 1);
    assert_eq!(run(&["compat", &old, &new]), 1);
    assert_eq!(run(&["compat", &old, "missing"]), 2);
    assert_eq!(run(&["compat", &old, &new, "--mode", "sideways"]), 2);
}

#[test]
fn every_format_names_the_rule_and_the_witness() {
    let dir = TempDir::new("compat-formats");
    let old = catalog_copy(&dir, "old", |_| {});
    let new = catalog_copy(&dir, "new", |s| {
        s["$defs"]["Direction"]["enum"] = serde_json::json!(["in"]);
    });
    for format in ["human", "markdown", "json"] {
        let outcome = evschema(dir.path(), &["compat", &old, &new, "--format", format], "");
        assert_eq!(outcome.code, 1, "{format}: {}", outcome.stderr);
        assert!(
            outcome.stdout.contains("ENUM_VALUE_REMOVED"),
            "{format}: {}",
            outcome.stdout
        );
        assert!(outcome.stdout.contains("/call/direction"), "{format}");
        assert!(
            outcome.stdout.to_lowercase().contains("changelog"),
            "{format}"
        );
    }
    let outcome = evschema(dir.path(), &["compat", &old, &new, "--format", "json"], "");
    let report: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
    assert_eq!(report["verdict"], "incompatible");
    let change = &report["changes"][0];
    assert_eq!(change["backward"]["verdict"], "incompatible");
    assert_eq!(change["backward"]["witness"]["call"]["direction"], "out");
}
