//! reliability.md G1 and G2, in process: whatever the mix of lines (valid, invalid, garbage,
//! blank, byte-order mark, oversize, invalid UTF-8), the line endings (LF or CRLF), a final line
//! with or without its newline, and however the bytes arrive (read buffers of 1, 7 and 8192
//! bytes), every line gets exactly one verdict, the one its kind calls for, at its line number.

use std::io::BufReader;
use std::sync::{Arc, OnceLock};

use evcontract::{Catalog, Engine, UnknownFields, Values};
use evschema::input::{Line, LineReader};
use evschema::output::{Source, Verdict};
use evschema::verdict::{check, is_blank};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use crate::support::{AUTH, CALL_BAD_DATE, compact, root};

const MAX_LINE: usize = 4096;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let files = evcontract::files::read_catalog(&root().join("schemas")).expect("schemas/");
        let catalog = Catalog::new(&files, UnknownFields::Deny).expect("schemas/ compiles");
        Engine::new(
            catalog,
            evcontract::validate::models_match(&files),
            Values::Show,
        )
    })
}

/// A kind of line and the verdict it calls for.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Valid,
    Invalid,
    Garbage,
    Blank,
    Bom,
    Oversize,
    BadUtf8,
}

impl Kind {
    fn bytes(self) -> Vec<u8> {
        match self {
            Kind::Valid => compact(AUTH).into_bytes(),
            Kind::Invalid => compact(CALL_BAD_DATE).into_bytes(),
            Kind::Garbage => b"{\"type\": \"auth\",".to_vec(),
            Kind::Blank => b" \t ".to_vec(),
            Kind::Bom => [&b"\xef\xbb\xbf"[..], compact(AUTH).as_bytes()].concat(),
            Kind::Oversize => vec![b'x'; MAX_LINE + 1],
            Kind::BadUtf8 => b"{\"type\":\"caf\xe9\"}".to_vec(),
        }
    }

    fn verdict(self) -> Verdict {
        match self {
            Kind::Valid => Verdict::Valid,
            Kind::Invalid => Verdict::Invalid,
            Kind::Garbage | Kind::Bom | Kind::BadUtf8 => Verdict::ParseError,
            Kind::Blank => Verdict::Blank,
            Kind::Oversize => Verdict::TooLarge,
        }
    }
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => Just(Kind::Valid),
        1 => Just(Kind::Invalid),
        1 => Just(Kind::Garbage),
        1 => Just(Kind::Blank),
        1 => Just(Kind::Bom),
        1 => Just(Kind::Oversize),
        1 => Just(Kind::BadUtf8),
    ]
}

/// (line number, verdict) of every line of `stream`, read `buffer` bytes at a time.
fn verdicts(stream: &[u8], buffer: usize) -> Vec<(usize, Verdict)> {
    let source: Arc<Source> = Source::stdin();
    let mut reader = LineReader::new(BufReader::with_capacity(buffer, stream), MAX_LINE);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Some(line) = reader.next_line(&mut buf).expect("reading memory") {
        let verdict = match line {
            Line::TooLarge(_) => Verdict::TooLarge,
            Line::Text if is_blank(&buf) => Verdict::Blank,
            Line::Text => check(engine(), &source, reader.line, &buf).verdict,
        };
        out.push((reader.line, verdict));
    }
    out
}

proptest! {
    #![proptest_config(Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x0e7e_0008),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn one_verdict_per_line_whatever_the_mix_and_the_reads(
        kinds in prop::collection::vec(kind(), 1..24),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
    ) {
        let mut stream = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            stream.extend(kind.bytes());
            if i + 1 < kinds.len() || final_newline {
                stream.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
        }
        let expected: Vec<(usize, Verdict)> =
            kinds.iter().enumerate().map(|(i, k)| (i + 1, k.verdict())).collect();
        for buffer in [1, 7, 8192] {
            prop_assert_eq!(&verdicts(&stream, buffer), &expected, "buffer {}", buffer);
        }
    }
}
