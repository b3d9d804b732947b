//! The Arrow checker against the records `evschema validate` makes: every fixture, hostile rows
//! and generated rows, in every accepted array type, sliced and with null rows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BinaryArray, BinaryViewArray, Int64Array, LargeBinaryArray, LargeStringArray,
    StringArray, StringViewArray, StructArray,
};
use arrow_schema::DataType;
use evarrow::{Checker, Options, UnsupportedType};
use evcontract::UnknownFields;
use evschema::output::Record;
use proptest::prelude::*;
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every fixture's bytes, in path order.
fn fixtures() -> Vec<Vec<u8>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a fixtures folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join("fixtures"), &mut paths);
    paths.sort();
    assert!(paths.len() >= 30, "only {} fixtures", paths.len());
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("a fixture"))
        .collect()
}

/// Rows that exercise every verdict but the internal error.
fn hostile() -> Vec<Vec<u8>> {
    let valid = first_valid();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&valid);
    vec![
        b"".to_vec(),
        b" \t\r".to_vec(),
        b"\xff\xfe{}".to_vec(),
        bom,
        b"{\"type\": \"auth\", \"type\": \"auth\"}".to_vec(),
        format!("{}1{}", "[".repeat(126), "]".repeat(126)).into_bytes(),
        format!("{}1{}", "[".repeat(127), "]".repeat(127)).into_bytes(),
        format!("{}1{}", "[".repeat(400), "]".repeat(400)).into_bytes(),
        b"{\"type\": \"call_state\",\n \"payload\": {\"x\": \"\xe2\x80\xae\\u0000\"}}".to_vec(),
        b"{\"type\": \"nope\"}".to_vec(),
        b"[1, 2".to_vec(),
        b"null".to_vec(),
        b"{\"type\": \"auth\", \"payload\": 1e999}".to_vec(),
        vec![b' '; 5000],
    ]
}

/// A valid fixture.
fn first_valid() -> Vec<u8> {
    std::fs::read(root().join("fixtures/valid/auth/ipv6_connection.json")).expect("a valid fixture")
}

/// The JSON report's record for one row, without `source` and `line`.
fn expected(record: &Record) -> Value {
    json!({
        "verdict": record.verdict.as_str(),
        "valid": record.verdict.passes(),
        "type": record.event_type,
        "errors": record.problems.iter().map(|p| json!({
            "pointer": p.pointer,
            "kind": p.kind.as_str(),
            "message": p.message,
            "line": p.line,
            "column": p.column,
            "keywords": p.keywords,
        })).collect::<Vec<_>>(),
    })
}

/// Row `i` of the checker's output, as JSON.
fn row(out: &StructArray, i: usize) -> Value {
    let verdict = out.column(0).as_string::<i32>();
    if verdict.is_null(i) {
        for column in out.columns() {
            assert!(column.is_null(i), "a null row is null in every column");
        }
        return Value::Null;
    }
    let valid = out.column(1).as_boolean();
    let event_type = out.column(2).as_string::<i32>();
    let errors = out.column(3).as_list::<i32>();
    let problems = errors.value(i);
    let problems = problems.as_struct();
    let text = |c: usize, j: usize| problems.column(c).as_string::<i32>().value(j).to_owned();
    let int = |c: usize, j: usize| {
        let column = problems
            .column(c)
            .as_primitive::<arrow_array::types::Int64Type>();
        column.is_valid(j).then(|| column.value(j))
    };
    json!({
        "verdict": verdict.value(i),
        "valid": valid.value(i),
        "type": event_type.is_valid(i).then(|| event_type.value(i)),
        "errors": (0..problems.len()).map(|j| {
            let keywords = problems.column(5).as_list::<i32>().value(j);
            let keywords: Vec<&str> = keywords.as_string::<i32>().iter().map(|k| k.expect("a keyword")).collect();
            json!({
                "pointer": text(0, j),
                "kind": text(1, j),
                "message": text(2, j),
                "line": int(3, j),
                "column": int(4, j),
                "keywords": keywords,
            })
        }).collect::<Vec<_>>(),
    })
}

/// `rows` (None = a null row) in every accepted array type.
fn arrays(rows: &[Option<Vec<u8>>]) -> Vec<ArrayRef> {
    let bytes: Vec<Option<&[u8]>> = rows.iter().map(|r| r.as_deref()).collect();
    let mut arrays: Vec<ArrayRef> = vec![
        Arc::new(BinaryArray::from(bytes.clone())),
        Arc::new(LargeBinaryArray::from(bytes.clone())),
        Arc::new(BinaryViewArray::from(bytes.clone())),
    ];
    // String arrays hold UTF-8 only (through safe code): every row is there when all are.
    if let Some(strings) = rows
        .iter()
        .map(|r| match r {
            Some(b) => String::from_utf8(b.clone()).ok().map(Some),
            None => Some(None),
        })
        .collect::<Option<Vec<Option<String>>>>()
    {
        arrays.push(Arc::new(StringArray::from(strings.clone())));
        arrays.push(Arc::new(LargeStringArray::from(strings.clone())));
        arrays.push(Arc::new(StringViewArray::from(strings)));
    }
    arrays
}

/// Checks `rows` in every array type (whole and sliced) and compares each output row with the
/// record of `evschema`'s per-line check.
fn agree(checker: &Checker, rows: &[Option<Vec<u8>>]) {
    let expected: Vec<Value> = rows
        .iter()
        .map(|r| {
            r.as_ref()
                .map_or(Value::Null, |b| expected(&checker.check_row(b)))
        })
        .collect();
    for array in arrays(rows) {
        let out = checker.check(array.as_ref()).expect("an accepted type");
        assert_eq!(out.len(), rows.len(), "{}", array.data_type());
        assert_eq!(out.fields(), &evarrow::fields());
        for (i, want) in expected.iter().enumerate() {
            assert_eq!(&row(&out, i), want, "row {i} of {}", array.data_type());
        }
        // A slice (an offset into the buffers) reads its own rows.
        if rows.len() >= 3 {
            let sliced = array.slice(1, rows.len() - 2);
            let out = checker.check(sliced.as_ref()).expect("an accepted type");
            for i in 0..rows.len() - 2 {
                assert_eq!(
                    &row(&out, i),
                    &expected[i + 1],
                    "sliced row {i} of {}",
                    array.data_type()
                );
            }
        }
    }
}

#[test]
fn every_fixture_and_hostile_row_in_every_array_type_is_the_cli_record() {
    let mut rows: Vec<Option<Vec<u8>>> = fixtures().into_iter().map(Some).collect();
    rows.insert(3, None);
    rows.extend(hostile().into_iter().map(Some));
    rows.push(None);
    for unknown_fields in [UnknownFields::Deny, UnknownFields::Allow] {
        for mask in [false, true] {
            let checker = Checker::new(&Options {
                unknown_fields,
                mask,
                max_line_bytes: 4096,
                schemas: None,
            })
            .expect("the built-in catalog");
            assert!(checker.uses_fast_path());
            agree(&checker, &rows);
        }
    }
}

#[test]
fn the_rows_cover_every_verdict_but_the_internal_error() {
    let checker = Checker::new(&Options {
        max_line_bytes: 4096,
        ..Options::default()
    })
    .expect("the built-in catalog");
    let texts: Vec<Vec<u8>> = fixtures().into_iter().chain(hostile()).collect();
    let array = BinaryArray::from(texts.iter().map(|r| Some(r.as_slice())).collect::<Vec<_>>());
    let out = checker.check(&array).expect("binary");
    let mut seen: Vec<&str> = out.column(0).as_string::<i32>().iter().flatten().collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen,
        [
            "blank",
            "invalid",
            "parse_error",
            "too_deep",
            "too_large",
            "valid"
        ]
    );
    // Masked, no message quotes a value of the row; shown, one does.
    let secret = br#"{"type": "call_state", "payload": "SECRET-VALUE"}"#;
    for (mask, shown) in [(false, true), (true, false)] {
        let checker = Checker::new(&Options {
            mask,
            ..Options::default()
        })
        .expect("catalog");
        let out = checker
            .check(&BinaryArray::from(vec![&secret[..]]))
            .expect("binary");
        assert_eq!(row(&out, 0)["verdict"], "invalid");
        assert_eq!(
            row(&out, 0).to_string().contains("SECRET-VALUE"),
            shown,
            "mask {mask}"
        );
    }
}

#[test]
fn other_types_are_refused_naming_the_type_and_the_accepted_ones() {
    let checker = Checker::new(&Options::default()).expect("the built-in catalog");
    let err = checker
        .check(&Int64Array::from(vec![1, 2]))
        .expect_err("integers");
    assert_eq!(err, UnsupportedType(DataType::Int64));
    let message = err.to_string();
    assert!(message.contains("of type Int64"), "{message}");
    assert!(message.contains(evarrow::ACCEPTED_TYPES), "{message}");
}

#[test]
fn options_are_checked() {
    let err = Checker::new(&Options {
        max_line_bytes: 0,
        ..Options::default()
    })
    .err()
    .expect("0 bytes");
    assert!(err.contains("max_line_bytes"), "{err}");
    let err = Checker::new(&Options {
        schemas: Some(root().join("no-such-catalog")),
        ..Options::default()
    })
    .err()
    .expect("no folder");
    assert!(err.contains("no-such-catalog"), "{err}");
    // A folder catalog equal to the built-in one takes the fast path too.
    let checker = Checker::new(&Options {
        schemas: Some(root().join("schemas")),
        ..Options::default()
    })
    .expect("schemas/");
    assert!(checker.uses_fast_path());
}

#[test]
fn an_empty_array_gives_an_empty_result() {
    let checker = Checker::new(&Options::default()).expect("the built-in catalog");
    let out = checker
        .check(&StringArray::from(Vec::<&str>::new()))
        .expect("strings");
    assert_eq!((out.len(), out.num_columns()), (0, 4));
}

/// A fault injected in the engine (`EVSCHEMA_FAULT`, read once per process) makes its row an
/// internal error, and the rows after it are checked. Runs itself again in a child process with
/// the variable set.
#[test]
fn a_row_the_engine_fails_on_is_an_internal_error_and_the_batch_goes_on() {
    const MARKER: &str = "FAULT-MARKER";
    if std::env::var_os("EVSCHEMA_FAULT").is_none() {
        let status = std::process::Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "--exact",
                "a_row_the_engine_fails_on_is_an_internal_error_and_the_batch_goes_on",
                "--nocapture",
            ])
            .env("EVSCHEMA_FAULT", format!("check:{MARKER}"))
            .status()
            .expect("the test binary runs");
        assert!(status.success(), "the child run failed: {status}");
        return;
    }
    evschema::fault::install_library_hook();
    let checker = Checker::new(&Options::default()).expect("the built-in catalog");
    let valid = first_valid();
    let faulty = format!(r#"{{"type": "{MARKER}"}}"#);
    let array = BinaryArray::from(vec![
        Some(valid.as_slice()),
        Some(faulty.as_bytes()),
        None,
        Some(valid.as_slice()),
    ]);
    let out = checker.check(&array).expect("binary");
    let rows: Vec<Value> = (0..4).map(|i| row(&out, i)).collect();
    assert_eq!(rows[0]["verdict"], "valid");
    assert_eq!(rows[1]["verdict"], "internal_error");
    assert_eq!(rows[1]["valid"], false);
    assert_eq!(rows[1]["errors"][0]["kind"], "internal");
    let message = rows[1]["errors"][0]["message"].as_str().expect("a message");
    // The library hook recorded the panic's place for the message.
    assert!(
        message.contains("fault injected in check by EVSCHEMA_FAULT at "),
        "{message}"
    );
    assert_eq!(rows[2], Value::Null);
    assert_eq!(rows[3]["verdict"], "valid");
    // A panic outside a guarded check still reaches the previous hook and unwinds as before.
    let caught = std::panic::catch_unwind(|| panic!("outside")).expect_err("it panics");
    assert_eq!(evschema::fault::describe(caught.as_ref()), "outside");
}

/// Bytes made of pieces that keep parsers busy: fragments of valid events, brackets, quotes,
/// escapes, invalid UTF-8 and white space.
fn row_bytes() -> impl Strategy<Value = Vec<u8>> {
    let valid = first_valid();
    let piece = prop_oneof![
        Just(valid.clone()),
        Just(b"{\"type\": \"call_state\", \"payload\": {".to_vec()),
        Just(b"\"call\": {\"id\": \"x\"}".to_vec()),
        Just(b"}".to_vec()),
        Just(b"]".to_vec()),
        Just(b"[".to_vec()),
        Just(b",".to_vec()),
        Just(b"\"\\u12".to_vec()),
        Just(b"\xc3".to_vec()),
        Just(b" \r\n\t".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..4),
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_rows_are_the_cli_records(
        rows in proptest::collection::vec(proptest::option::weighted(0.9, row_bytes()), 0..12),
        allow in any::<bool>(),
    ) {
        let checker = Checker::new(&Options {
            unknown_fields: if allow { UnknownFields::Allow } else { UnknownFields::Deny },
            max_line_bytes: 3000,
            ..Options::default()
        }).expect("the built-in catalog");
        agree(&checker, &rows);
    }
}

#[test]
fn chunks_of_any_accepted_types_are_checked_as_one_array_in_order() {
    let checker = Checker::new(&Options::default()).expect("the built-in catalog");
    let valid = String::from_utf8(first_valid()).expect("UTF-8");
    let first = StringArray::from(vec![Some(valid.as_str()), None]);
    let second = LargeBinaryArray::from(vec![Some(&b"{"[..]), Some(b" ")]);
    let out = checker
        .check_chunks([&first as &dyn Array, &second])
        .expect("accepted types");
    let verdicts: Vec<Option<&str>> = out.column(0).as_string::<i32>().iter().collect();
    assert_eq!(
        verdicts,
        [Some("valid"), None, Some("parse_error"), Some("blank")]
    );
    // A chunk of another type is refused, naming its type, whatever comes before it.
    let err = checker
        .check_chunks([&first as &dyn Array, &Int64Array::from(vec![1])])
        .expect_err("integers");
    assert_eq!(err, UnsupportedType(DataType::Int64));
    let none: [&dyn Array; 0] = [];
    assert_eq!(checker.check_chunks(none).expect("no chunk").len(), 0);
}

/// An array of the `Null` type (pyarrow's and polars' type for an empty or all-null column) is
/// rows that are all null, not an unreadable type.
#[test]
fn a_null_typed_array_is_null_rows() {
    let checker = Checker::new(&Options::default()).expect("the built-in catalog");
    let out = checker
        .check(&arrow_array::NullArray::new(3))
        .expect("the null type");
    assert_eq!(out.len(), 3);
    for i in 0..3 {
        assert_eq!(row(&out, i), Value::Null);
    }
    let strings = StringArray::from(vec![Some("{"), None]);
    let nulls = arrow_array::NullArray::new(2);
    let out = checker
        .check_chunks([&strings as &dyn Array, &nulls])
        .expect("strings and nulls");
    assert_eq!(out.len(), 4);
    assert_eq!(row(&out, 0)["verdict"], "parse_error");
    assert!((1..4).all(|i| row(&out, i) == Value::Null));
}
