//! Compressed and upper-case inputs: `.json.gz`, `.ndjson.gz` and `.jsonl.gz` are decompressed
//! while streaming with the same limits and line numbers; a truncated or corrupt archive gives
//! every complete line before the damage its verdict and the damage one `io_error`; extensions
//! match in any case, on the command line and in folders.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::support::{AUTH, CALL_BAD_DATE, TempDir, compact, evschema, fixture};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("compressing in memory");
    encoder.finish().expect("compressing in memory")
}

/// Lines: 1 valid, 2 invalid, 3 blank, 4 unparsable, 5 valid.
fn stream() -> String {
    format!(
        "{}\n{}\n\n{{\"type\":\n{}\n",
        compact(AUTH),
        compact(CALL_BAD_DATE),
        compact(AUTH)
    )
}

const VERDICTS: [(u64, &str); 5] = [
    (1, "valid"),
    (2, "invalid"),
    (3, "blank"),
    (4, "parse_error"),
    (5, "valid"),
];

fn verdicts(expected: &[(u64, &str)]) -> Vec<(u64, String)> {
    expected.iter().map(|&(l, v)| (l, v.to_owned())).collect()
}

#[test]
fn compressed_ndjson_and_json_give_the_same_verdicts_and_lines() {
    let dir = TempDir::new("gzip");
    let text = stream();
    dir.write("plain.ndjson", &text);
    dir.write("events.ndjson.gz", gzip(text.as_bytes()));
    dir.write("EVENTS.JSONL.GZ", gzip(text.as_bytes()));
    // Two members, as `cat a.gz b.gz` makes: one stream.
    let (first, second) = text.split_at(text.find('\n').expect("lines") + 1);
    let mut members = gzip(first.as_bytes());
    members.extend(gzip(second.as_bytes()));
    dir.write("members.ndjson.gz", members);
    let plain = evschema(
        dir.path(),
        &["validate", "--format", "json", "plain.ndjson"],
        "",
    );
    for name in ["events.ndjson.gz", "EVENTS.JSONL.GZ", "members.ndjson.gz"] {
        let outcome = evschema(dir.path(), &["validate", "--format", "json", name], "");
        assert_eq!(outcome.report().verdicts(), verdicts(&VERDICTS), "{name}");
        assert_eq!(
            outcome.stdout.replace(name, "plain.ndjson"),
            plain.stdout,
            "{name}: the same report as uncompressed"
        );
    }
    dir.write("call.json.gz", gzip(fixture(CALL_BAD_DATE).as_bytes()));
    let outcome = evschema(
        dir.path(),
        &["validate", "--format", "json", "call.json.gz"],
        "",
    );
    let report = outcome.report();
    assert_eq!(report.verdicts(), verdicts(&[(1, "invalid")]));
    // Line numbers are those of the decompressed file.
    let errors = report.errors(1);
    assert!(errors.iter().all(|e| e.line == 3), "{errors:?}");
}

#[test]
fn truncated_and_corrupt_archives() {
    let dir = TempDir::new("gzip-damage");
    // Long enough that the cut falls after several complete lines.
    let mut text = String::new();
    for _ in 0..200 {
        text.push_str(&compact(AUTH));
        text.push('\n');
    }
    let whole = gzip(text.as_bytes());
    dir.write("cut.ndjson.gz", &whole[..whole.len() * 2 / 3]);
    let mut corrupt = whole.clone();
    let middle = corrupt.len() / 2;
    for byte in &mut corrupt[middle..middle + 64] {
        *byte ^= 0x5A;
    }
    dir.write("corrupt.ndjson.gz", corrupt);
    let mut bad_crc = whole.clone();
    let at = bad_crc.len() - 8;
    bad_crc[at] ^= 1;
    dir.write("crc.ndjson.gz", bad_crc);
    dir.write("not-gzip.ndjson.gz", text.as_bytes());
    dir.write("cut.json.gz", &gzip(fixture(AUTH).as_bytes())[..40]);
    for (name, message) in [
        ("cut.ndjson.gz", "the gzip archive ends inside a member"),
        // Flipped bits are found where the decompressor can tell: here, as an early end.
        ("corrupt.ndjson.gz", "the gzip archive "),
        (
            "crc.ndjson.gz",
            "the gzip archive is damaged: corrupt gzip stream does not have a matching checksum",
        ),
        (
            "not-gzip.ndjson.gz",
            "not gzip data: the file starts with 0x7B 0x22, not gzip's 0x1F 0x8B",
        ),
        ("cut.json.gz", "the gzip archive ends inside a member"),
    ] {
        let outcome = evschema(dir.path(), &["validate", "--format", "json", name], "");
        assert_eq!(outcome.code, 3, "{name}: {}", outcome.stdout);
        let report = outcome.report();
        let verdicts = report.verdicts();
        let (damage, before) = verdicts.split_last().expect("at least the damage");
        assert_eq!(damage.1, "io_error", "{name}: {verdicts:?}");
        // Every complete line before the damage: valid, numbered 1, 2, 3, ...
        for (i, (line, verdict)) in before.iter().enumerate() {
            assert_eq!((*line, verdict.as_str()), (i as u64 + 1, "valid"), "{name}");
        }
        assert_eq!(
            damage.0,
            before.len() as u64 + 1,
            "{name}: the damage's line"
        );
        let error = &report.errors(damage.0)[0];
        assert!(error.message.starts_with(message), "{name}: {error:?}");
        if name == "cut.ndjson.gz" {
            assert!(
                before.len() > 10,
                "{name}: {} lines before the cut",
                before.len()
            );
        }
        if name == "crc.ndjson.gz" {
            assert_eq!(
                before.len(),
                200,
                "a bad checksum is found after the last line"
            );
        }
    }
}

/// Zero padding after a member (tools that pad to a block size) is read as `gzip -d`, `zcat`
/// and Python read it: skipped. Trailing bytes that are not gzip are named as such, after every
/// line before them (the last one too, newline or not) has its verdict; never "truncated".
#[test]
fn zero_padding_is_read_and_trailing_data_is_named() {
    let dir = TempDir::new("gzip-trailing");
    let text = stream();
    let without_newline = text.trim_end_matches('\n');
    let padded = [gzip(text.as_bytes()), vec![0; 10_240]].concat();
    dir.write("plain.ndjson", &text);
    dir.write("padded.ndjson.gz", &padded);
    dir.write(
        "garbage.ndjson.gz",
        [
            gzip(without_newline.as_bytes()).as_slice(),
            &[0; 7],
            b"trailer",
        ]
        .concat(),
    );
    dir.write(
        "one.json.gz",
        [gzip(fixture(AUTH).as_bytes()), vec![0; 512]].concat(),
    );
    dir.write(
        "garbage.json.gz",
        [gzip(fixture(AUTH).as_bytes()).as_slice(), b"\n"].concat(),
    );
    let json = |name: &str| evschema(dir.path(), &["validate", "--format", "json", name], "");
    let plain = json("plain.ndjson");
    let padded = json("padded.ndjson.gz");
    assert_eq!(
        padded.code, 1,
        "the stream's own invalid lines: {}",
        padded.stdout
    );
    assert_eq!(
        padded.stdout.replace("padded.ndjson.gz", "plain.ndjson"),
        plain.stdout
    );
    let one = json("one.json.gz");
    assert_eq!(one.code, 0, "{}", one.stdout);

    let garbage = json("garbage.ndjson.gz");
    assert_eq!(garbage.code, 3, "{}", garbage.stdout);
    let report = garbage.report();
    let mut expected = verdicts(&VERDICTS);
    expected.push((6, "io_error".to_owned()));
    assert_eq!(report.verdicts(), expected, "{}", garbage.stdout);
    let error = &report.errors(6)[0];
    assert_eq!(
        error.message,
        "trailing data after the gzip archive: 7 bytes that are not gzip (starting 0x74 0x72 0x61 \
         0x69), not read; everything before them was read"
    );
    let file = json("garbage.json.gz");
    assert_eq!(file.code, 3);
    let report = file.report();
    assert_eq!(report.verdicts(), verdicts(&[(1, "io_error")]));
    assert!(
        report.errors(1)[0].message.starts_with(
            "trailing data after the gzip archive: 1 byte that is not gzip (starting 0x0A)"
        ),
        "{}",
        file.stdout
    );

    // Through every format, each report checked by its real parser.
    let truth = crate::properties::Truth::from_json_report(&garbage.stdout);
    for format in crate::properties::FORMATS {
        let outcome = evschema(
            dir.path(),
            &["validate", "--format", format, "garbage.ndjson.gz"],
            "",
        );
        assert_eq!(outcome.code, 3, "{format}");
        if let Err(err) = crate::properties::check(format, &outcome.stdout, &truth, false) {
            panic!("{err}\n{}", outcome.stdout);
        }
        assert!(
            outcome
                .stdout
                .contains("trailing data after the gzip archive"),
            "{format}: {}",
            outcome.stdout
        );
    }
}

#[test]
fn limits_apply_to_decompressed_bytes() {
    let dir = TempDir::new("gzip-bomb");
    // 50 MB of one line: a few dozen kilobytes compressed.
    let mut text = vec![b'x'; 50_000_000];
    text.push(b'\n');
    text.extend_from_slice(compact(AUTH).as_bytes());
    text.push(b'\n');
    dir.write("bomb.ndjson.gz", gzip(&text));
    let outcome = evschema(
        dir.path(),
        &["validate", "--format", "json", "bomb.ndjson.gz"],
        "",
    );
    let report = outcome.report();
    assert_eq!(
        report.verdicts(),
        verdicts(&[(1, "too_large"), (2, "valid")])
    );
    dir.write("bomb.json.gz", gzip(&text));
    let outcome = evschema(
        dir.path(),
        &[
            "validate",
            "--format",
            "json",
            "--max-file-bytes",
            "1000000",
            "bomb.json.gz",
        ],
        "",
    );
    let report = outcome.report();
    assert_eq!(report.verdicts(), verdicts(&[(1, "too_large")]));
    assert!(
        report.errors(1)[0]
            .message
            .contains("decompresses to more than")
    );
}

#[test]
fn extensions_match_in_any_case() {
    let dir = TempDir::new("case");
    let two = format!("{}\n{}\n", compact(AUTH), compact(AUTH));
    dir.write("EVENTS.JSONL", &two);
    dir.write("tree/CALL.JSON", fixture(AUTH));
    dir.write("tree/F.NDJSON", &two);
    dir.write("tree/g.Json.Gz", gzip(fixture(AUTH).as_bytes()));
    dir.write("tree/notes.txt", "not an event");
    let outcome = evschema(
        dir.path(),
        &["validate", "--format", "json", "EVENTS.JSONL"],
        "",
    );
    assert_eq!(outcome.code, 0, "{}", outcome.stdout);
    assert_eq!(outcome.report().verdicts().len(), 2, "read as NDJSON");
    let outcome = evschema(dir.path(), &["validate", "--format", "json", "tree"], "");
    assert_eq!(outcome.code, 0, "{}", outcome.stdout);
    let report = outcome.report();
    assert_eq!(report.records.len(), 4, "{}", outcome.stdout);
    assert_eq!(report.summary["ignored_files"], 1);
}
