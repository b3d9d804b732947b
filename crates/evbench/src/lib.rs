//! A deterministic corpus of realistic events for measuring the validator's throughput.
//!
//! The events are the valid fixtures, compacted to one line each with their key order and
//! number text kept (as the platform sends them), with their uuids, timestamps and durations
//! varied so that no two events are byte-identical. About 2% carry exactly one fault of the
//! kinds seen in practice, applied to a copy of a valid event. The same seed and count always
//! give the same bytes, on every machine, so that runs can be compared.

pub mod pairs;
pub mod peers;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use evcontract::files::{FilesError, read_tree};
use evcontract::locate::locate;
use opentact_events::json::{skip_string, skip_value};

/// The median of `values` (seconds, ratios: any measure), the mean of the two middle values
/// for an even count. Panics on an empty slice (a benchmark always has a run).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// The workspace's folder, found at compile time so that the binaries run from anywhere.
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The valid fixtures of `dir` (such as `fixtures/valid/`), each compacted to one line, sorted
/// by path so that the corpus does not depend on the order the file system lists them in.
pub fn load_templates(dir: &Path) -> Result<Vec<String>, FilesError> {
    Ok(read_tree(dir)?
        .into_iter()
        .filter(|(path, _)| path.ends_with(".json"))
        .map(|(_, bytes)| compact(&String::from_utf8_lossy(&bytes)))
        .collect())
}

/// `text` without the white space outside strings: one NDJSON line that keeps the key order
/// and the exact text of every value, which a round trip through `serde_json::Value` would not.
pub fn compact(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let end = skip_string(bytes, i);
            out.push_str(&text[i..end]);
            i = end;
        } else {
            if !bytes[i].is_ascii_whitespace() {
                out.push(char::from(bytes[i]));
            }
            i += 1;
        }
    }
    out
}

/// A small seeded generator (SplitMix64). Written here rather than taken from a crate because
/// the corpus must stay byte-identical for a seed across versions, which crates do not promise.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose output depends only on `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0; the modulo bias is negligible for the small `n` used here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The single fault injected into an invalid event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// A timestamp in a form the contract refuses (space separator, no `Z`, month 13).
    Timestamp,
    /// A uuid one character short.
    Uuid,
    /// A required key removed.
    MissingKey,
    /// A string where a number or boolean belongs, or a number where a string belongs.
    WrongType,
    /// A string outside its enum.
    UnknownEnum,
}

impl Fault {
    /// Every kind, in the order the generator picks from.
    pub const ALL: [Fault; 5] = [
        Fault::Timestamp,
        Fault::Uuid,
        Fault::MissingKey,
        Fault::WrongType,
        Fault::UnknownEnum,
    ];

    /// Where the fault may go: the pointers that exist in an event are the candidates (the
    /// lists cover both event types; keys of the other type are simply not found).
    fn pointers(self) -> &'static [&'static str] {
        match self {
            Fault::Timestamp => &[
                "/created_on",
                "/modified_on",
                "/call/created_on",
                "/call/tn/created_on",
                "/account/modified_on",
                "/payload/user/created_on",
            ],
            Fault::Uuid => &[
                "/uuid",
                "/ref_id",
                "/call/uuid",
                "/account/uuid",
                "/payload/uuid",
                "/payload/user/uuid",
            ],
            Fault::MissingKey => &[
                "/uuid",
                "/created_on",
                "/message",
                "/payload",
                "/account",
                "/delivery_report",
                "/account/email",
                "/call/uuid",
                "/call/thread",
                "/payload/state",
                "/payload/ip",
                "/payload/user/role",
            ],
            Fault::WrongType => &[
                "/message",
                "/account/phone",
                "/account/name",
                "/call/duration",
                "/payload/duration",
                "/payload/user/wss_online",
                "/call/sip_control_app/is_active",
            ],
            Fault::UnknownEnum => &[
                "/call/state",
                "/call/direction",
                "/payload/state",
                "/account/level",
                "/payload/user/role",
            ],
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fault::Timestamp => "timestamp",
            Fault::Uuid => "uuid",
            Fault::MissingKey => "missing_key",
            Fault::WrongType => "wrong_type",
            Fault::UnknownEnum => "unknown_enum",
        })
    }
}

/// One fault in this many events, on average: about 2%.
const FAULT_ONE_IN: usize = 50;

/// Makes events one at a time, so that a large corpus can be streamed without being held.
#[derive(Debug, Clone)]
pub struct Generator {
    templates: Vec<String>,
    rng: Rng,
    fault_one_in: usize,
}

impl Generator {
    /// A generator over compacted valid events (see [`load_templates`]); `templates` must not
    /// be empty.
    pub fn new(templates: Vec<String>, seed: u64) -> Generator {
        Generator::with_faults(templates, seed, FAULT_ONE_IN)
    }

    /// A generator that tries to fault one event in `one_in` (2: about half of them; 1: every
    /// event that has a place for the fault drawn).
    pub fn with_faults(templates: Vec<String>, seed: u64, one_in: usize) -> Generator {
        Generator {
            templates,
            rng: Rng::new(seed),
            fault_one_in: one_in.max(1),
        }
    }

    /// The next event's line (without a newline) and the fault injected into it, if any.
    pub fn next_event(&mut self) -> (String, Option<Fault>) {
        let template = &self.templates[self.rng.below(self.templates.len())];
        let line = vary(template, &mut self.rng);
        if self.rng.below(self.fault_one_in) != 0 {
            return (line, None);
        }
        let fault = Fault::ALL[self.rng.below(Fault::ALL.len())];
        match inject(&line, fault, &mut self.rng) {
            Some(faulty) => (faulty, Some(fault)),
            None => (line, None),
        }
    }
}

/// A copy of `line` with fresh uuids (the same original gets the same replacement, so that
/// `ref_id` still names the call), every timestamp moved by one offset (so their order holds)
/// and new durations. Free text such as `message` is left alone.
fn vary(line: &str, rng: &mut Rng) -> String {
    let bytes = line.as_bytes();
    let shift_ms = rng.below(365 * 86_400_000) as i64;
    let mut uuids: HashMap<&str, String> = HashMap::new();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            out.push(char::from(bytes[i]));
            i += 1;
            continue;
        }
        let end = skip_string(bytes, i);
        let content = &line[i + 1..end - 1];
        if is_uuid(content) {
            let fresh = uuids.entry(content).or_insert_with(|| new_uuid(rng));
            out.push('"');
            out.push_str(fresh);
            out.push('"');
            i = end;
        } else if let Some(ms) = parse_timestamp(content) {
            out.push('"');
            out.push_str(&format_timestamp(ms + shift_ms));
            out.push('"');
            i = end;
        } else if content == "duration" && bytes.get(end) == Some(&b':') {
            let digits = bytes[end + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            out.push_str(&line[i..=end]);
            out.push_str(&rng.below(7_200).to_string());
            i = end + 1 + digits;
        } else {
            out.push_str(&line[i..end]);
            i = end;
        }
    }
    out
}

/// `line` with `fault` at one of its candidate places, or `None` if it has none of them.
fn inject(line: &str, fault: Fault, rng: &mut Rng) -> Option<String> {
    let bytes = line.as_bytes();
    // Each candidate is the byte range of its key and value; the value starts just past the
    // key's closing quote and the colon (the line is compact).
    let candidates: Vec<(usize, usize, usize)> = fault
        .pointers()
        .iter()
        .filter_map(|pointer| locate(line, pointer).filter(|span| span.exact))
        .map(|span| {
            let key = span.bytes.start;
            let value = skip_string(bytes, key) + 1;
            (key, value, skip_value(bytes, value))
        })
        .filter(|&(_, value, _)| match fault {
            Fault::MissingKey => true,
            Fault::WrongType => bytes[value] != b'n',
            _ => bytes[value] == b'"',
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let (key, value, end) = candidates[rng.below(candidates.len())];
    let text = &line[value..end];
    let (range, replacement) = match fault {
        Fault::Timestamp => {
            let bad = match rng.below(3) {
                0 => text.replacen('T', " ", 1),
                1 => text.replacen('Z', "", 1),
                _ => format!("{}13{}", &text[..6], &text[8..]),
            };
            (value..end, bad)
        }
        Fault::Uuid => (value..end, format!("{}\"", &text[..text.len() - 2])),
        // The member goes with one of its commas, so that the line stays valid JSON.
        Fault::MissingKey if bytes.get(end) == Some(&b',') => (key..end + 1, String::new()),
        Fault::MissingKey => (key - 1..end, String::new()),
        Fault::WrongType if text.starts_with('"') => (value..end, "12345".to_owned()),
        Fault::WrongType => (value..end, format!("\"{text}\"")),
        Fault::UnknownEnum => (value..end, "\"not_a_known_value\"".to_owned()),
    };
    let mut out = line.to_owned();
    out.replace_range(range, &replacement);
    Some(out)
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A random version-4 uuid, lower-case, as the platform writes them.
fn new_uuid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff,
    )
}

/// Milliseconds since 1970 of a timestamp in the platform's one form
/// (`2024-02-20T16:41:36.253Z`), or `None` for any other string.
fn parse_timestamp(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let shape = b.len() == 24
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'.',
            23 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    let num = |range: std::ops::Range<usize>| s[range].parse::<i64>().ok();
    if !shape {
        return None;
    }
    let days = days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?);
    let seconds = num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?;
    Some((days * 86_400 + seconds) * 1000 + num(20..23)?)
}

fn format_timestamp(ms: i64) -> String {
    let (days, ms) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let s = ms / 1000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000
    )
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar: days since 1970-01-01 from
// a date and back, exact for every date, with no dependency for two small functions.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use evcontract::{Catalog, Engine, UnknownFields, Values};

    fn templates() -> Vec<String> {
        load_templates(&workspace_dir().join("fixtures/valid")).expect("the valid fixtures")
    }

    #[test]
    fn timestamps_round_trip() {
        for text in [
            "2024-02-20T16:41:36.253Z",
            "2024-02-29T23:59:59.999Z",
            "1999-12-31T00:00:00.000Z",
        ] {
            assert_eq!(
                parse_timestamp(text).map(format_timestamp).as_deref(),
                Some(text)
            );
        }
        assert_eq!(
            parse_timestamp("2024-02-28T12:00:00.000Z").map(|t| t - 1_709_121_600_000),
            Some(0)
        );
    }

    #[test]
    fn compacting_keeps_the_value() {
        for (_, bytes) in read_tree(&workspace_dir().join("fixtures/valid")).expect("fixtures") {
            let line = compact(&String::from_utf8_lossy(&bytes));
            assert!(!line.contains('\n'));
            let a: serde_json::Value = serde_json::from_slice(&bytes).expect("a fixture");
            let b: serde_json::Value = serde_json::from_str(&line).expect("its line");
            assert_eq!(a, b);
        }
    }

    #[test]
    fn same_seed_same_corpus() {
        let run = |seed| {
            let mut generator = Generator::new(templates(), seed);
            (0..500).map(|_| generator.next_event()).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    /// Every event is one line of JSON; the unfaulted ones are valid and every faulted one is
    /// invalid, for the schema and for the engine alike, with every kind of fault present.
    #[test]
    fn faults_are_exactly_the_invalid_events() {
        let files =
            evcontract::files::read_catalog(&workspace_dir().join("schemas")).expect("the schemas");
        let catalog = Catalog::new(&files, UnknownFields::Deny).expect("a catalog");
        let engine = Engine::new(
            catalog,
            evcontract::validate::models_match(&files),
            Values::Show,
        );
        let mut generator = Generator::new(templates(), 1);
        let mut seen = Vec::new();
        for _ in 0..5_000 {
            let (line, fault) = generator.next_event();
            let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
            let valid = fault.is_none();
            assert_eq!(
                engine.catalog().is_valid(&value),
                valid,
                "{fault:?}: {line}"
            );
            assert_eq!(engine.check(line.as_bytes()).is_valid(), valid, "{line}");
            seen.extend(fault);
        }
        for fault in Fault::ALL {
            assert!(seen.contains(&fault), "no {fault} fault in the sample");
        }
    }
}
