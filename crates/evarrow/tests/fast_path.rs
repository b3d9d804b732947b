//! A catalog folder whose schemas are not the models' own: the checker leaves the fast path and
//! still gives every row the record of the CLI's engine over the same folder.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, BinaryArray};
use evarrow::{Checker, Options};
use evcontract::{UnknownFields, Values};
use evschema::output::Source;

#[test]
fn a_catalog_that_is_not_the_models_takes_the_full_path_with_the_same_records() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("evarrow-fast-path-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    for entry in std::fs::read_dir(root.join("schemas")).expect("schemas/") {
        let path = entry.expect("an entry").path();
        let mut text = std::fs::read_to_string(&path).expect("a schema");
        if path.file_name().is_some_and(|n| n == "auth.json") {
            // Same meaning, other bytes: the models no longer generate this catalog.
            text = text.replacen('{', "{\"x-edited\": true, ", 1);
        }
        std::fs::write(dir.join(path.file_name().expect("a name")), text).expect("a copy");
    }
    let options = Options {
        schemas: Some(dir.clone()),
        ..Options::default()
    };
    let checker = Checker::new(&options).expect("the edited catalog loads");
    assert!(!checker.uses_fast_path());
    let engine = evschema::catalog::engine(Some(&dir), UnknownFields::Deny, Values::Show)
        .expect("the edited catalog");
    let valid =
        std::fs::read(root.join("fixtures/valid/auth/ipv6_connection.json")).expect("a fixture");
    let rows: Vec<&[u8]> = vec![&valid, br#"{"type": "auth"}"#, b"{"];
    let out = checker
        .check(&BinaryArray::from(rows.clone()))
        .expect("binary");
    let verdicts = out.column(0).as_string::<i32>();
    for (i, row) in rows.iter().enumerate() {
        let record = evschema::verdict::check_line(&engine, &Source::stdin(), 1, row, 1 << 20);
        assert_eq!(verdicts.value(i), record.verdict.as_str(), "row {i}");
        let errors = out.column(3).as_list::<i32>().value(i);
        assert_eq!(errors.len(), record.problems.len(), "row {i}");
    }
    assert_eq!(verdicts.value(0), "valid");
    let _ = std::fs::remove_dir_all(&dir);
}
