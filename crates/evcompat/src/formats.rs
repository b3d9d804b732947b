//! Facts about `format`s that the check relies on: which formats each draft defines, sample
//! strings of each format and look-alikes that are not of it (what witnesses are built from),
//! and which verdicts every validator agrees on (the only format verdicts a witness may rest
//! on: see [`crate::dispute`]).

use referencing::Draft;

/// Whether `draft`'s specification defines the format `name` (draft-04: section 7.3 of the
/// validation spec; each later draft adds to the list). A format it does not define is one
/// validators treat differently: asserted with a later draft's meaning, or ignored.
pub(crate) fn format_in_draft(draft: Draft, name: &str) -> bool {
    const DRAFT4: &[&str] = &["date-time", "email", "hostname", "ipv4", "ipv6", "uri"];
    const DRAFT6: &[&str] = &["uri-reference", "uri-template", "json-pointer"];
    const DRAFT7: &[&str] = &[
        "date",
        "time",
        "iri",
        "iri-reference",
        "relative-json-pointer",
        "regex",
    ];
    const DRAFT2019: &[&str] = &["duration", "uuid"];
    let lists: &[&[&str]] = match draft {
        Draft::Draft4 => &[DRAFT4],
        Draft::Draft6 => &[DRAFT4, DRAFT6],
        Draft::Draft7 => &[DRAFT4, DRAFT6, DRAFT7],
        _ => &[DRAFT4, DRAFT6, DRAFT7, DRAFT2019],
    };
    // `idn-email` and `idn-hostname` (draft-07 on) are left out on purpose: validators
    // implement them so differently (some not at all, some refusing "" and some not) that they
    // are kept as written, like an undefined format.
    lists.iter().any(|list| list.contains(&name))
}

/// Whether every validator gives `text` the same verdict for `format`: `text` is one of the
/// strings this module writes for formats ([`format_samples`], [`format_violations`], of any
/// format), and not one on which python-jsonschema, ajv-formats and jsonschema disagree for
/// `format` (ajv-formats does not know `iri` and `iri-reference` and takes any string;
/// python's `email` only looks for an `@`, ajv's `date-time` takes a space for the
/// `T`, their `uri-reference` and `uri-template` differ on times, addresses and spaces, Rust's
/// `regex` refuses a bare brace). The
/// portability check confirms every such verdict in CI (`agreed_format_verdicts`,
/// `tools/portability/random_pairs.py` and `.mjs`).
pub(crate) fn agreed_format_verdict(format: &str, text: &str) -> bool {
    if common_form(format, text) {
        return true;
    }
    const DISPUTED: &[(&str, &str)] = &[
        ("date-time", "2024-02-19 16:06:00Z"),
        ("email", "@a"),
        ("email", "a@"),
        ("uri-template", "2024-02-19 16:06:00Z"),
        ("uri-template", "\\\\a"),
        ("uri-template", "^(abc]"),
        ("uri-template", "^a+$"),
        ("uri-template", "x y"),
    ];
    // Times, dates and addresses are relative references to one reader and not to another;
    // a brace is a literal in ECMA-262's and python's regular expressions, not in Rust's.
    let disputed_reference = format == "uri-reference" && text.contains(':');
    let disputed_regex = format == "regex" && text.contains(['{', '}']);
    KNOWN_FORMATS.contains(&format)
        && !disputed_reference
        && !disputed_regex
        && !DISPUTED.contains(&(format, text))
        && KNOWN_FORMATS
            .iter()
            .any(|f| format_samples(f).contains(&text) || format_violations(f).contains(&text))
}

/// The plain form of a `uuid` ([`common_form`]) as a pattern: 8-4-4-4-12 hexadecimal digits,
/// of either case, and nothing else.
pub(crate) const UUID_FORM: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// Whether a `uuid` format says nothing beyond a string schema's `pattern`s and `maxLength`:
/// one of `patterns` matches only strings of the plain form, which every validator accepts as a
/// `uuid` ([`common_form`]), and `max_length` is at most 36, which also rules out the one string
/// more that python reads such a pattern to match (its `$` matches before a final line feed).
/// Then every validator accepts the same strings with the format as without it, whether its
/// draft defines `uuid` (2019-09 on) or not (draft-07, where some validators assert it and
/// others ignore it): the format can be dropped from the schema's normal form.
pub(crate) fn uuid_implied(patterns: &[String], max_length: Option<u64>) -> bool {
    max_length.is_some_and(|max| max <= 36)
        && patterns.iter().any(|pattern| {
            crate::regex::compare(pattern, UUID_FORM) == crate::regex::Inclusion::Included
        })
}

/// Whether `text` has the plain form of `format` that every validator accepts: a `date-time`
/// such as `2024-02-19T16:06:00.210Z` (upper-case `T` and `Z`, year 0001 to 9999, a day its
/// month has, no leap second, an offset within a day), a `date`, a lower- or upper-case
/// `uuid` without braces or `urn:`, an `ipv4` of four numbers to 255 without leading zeros.
/// What the events of the catalog carry; their edges are where validators differ.
pub(crate) fn common_form(format: &str, text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let number = |s: &str, lo: u32, hi: u32| {
        digits(s) && s.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n))
    };
    let date = |s: &str| -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return false;
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 || !number(y, 1, 9999) || !number(m, 1, 12)
        {
            return false;
        }
        let (year, month) = (y.parse::<u32>().unwrap_or(0), m.parse::<u32>().unwrap_or(0));
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        number(d, 1, days)
    };
    let clock = |s: &str, seconds: bool| -> bool {
        let parts: Vec<&str> = s.split(':').collect();
        match (parts.as_slice(), seconds) {
            ([h, m, sec], true) => {
                let (whole, fraction) = sec.split_once('.').unwrap_or((sec, "0"));
                [h, m, &whole].iter().all(|p| p.len() == 2)
                    && number(h, 0, 23)
                    && number(m, 0, 59)
                    && number(whole, 0, 59)
                    && digits(fraction)
            }
            ([h, m], false) => h.len() == 2 && m.len() == 2 && number(h, 0, 23) && number(m, 0, 59),
            _ => false,
        }
    };
    match format {
        "date" => text.len() == 10 && date(text),
        "date-time" => {
            let Some((day, rest)) = text.split_once('T') else {
                return false;
            };
            let (time, offset) = match rest.strip_suffix('Z') {
                Some(time) => (time, None),
                None => match rest.rfind(['+', '-']) {
                    Some(i) => (&rest[..i], Some(&rest[i + 1..])),
                    None => return false,
                },
            };
            day.len() == 10
                && date(day)
                && clock(time, true)
                && offset.is_none_or(|o| clock(o, false))
        }
        "uuid" => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.len() == 5
                && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                && groups
                    .iter()
                    .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "ipv4" => {
            let parts: Vec<&str> = text.split('.').collect();
            parts.len() == 4
                && parts
                    .iter()
                    .all(|p| number(p, 0, 255) && (p.len() == 1 || !p.starts_with('0')))
        }
        _ => false,
    }
}

/// The formats [`format_samples`] and [`format_violations`] know.
const KNOWN_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "uuid",
];

/// Every (format, string) a witness may rest on ([`agreed_format_verdict`]).
pub(crate) fn agreed_format_verdicts() -> Vec<(&'static str, &'static str)> {
    let mut strings: Vec<&'static str> = KNOWN_FORMATS
        .iter()
        .flat_map(|f| format_samples(f).iter().chain(format_violations(f)))
        .copied()
        .collect();
    strings.sort_unstable();
    strings.dedup();
    let mut out = Vec::new();
    for format in KNOWN_FORMATS {
        for text in &strings {
            if agreed_format_verdict(format, text) {
                out.push((*format, *text));
            }
        }
    }
    out
}

/// Strings that are close to a format but not of it: what a reader that checks the format
/// refuses.
pub(crate) fn format_violations(format: &str) -> &'static [&'static str] {
    match format {
        "date-time" => &[
            "2024-02-19 16:06:00Z",
            "2024-02-19T16:06:00",
            "2024-13-01T00:00:00Z",
        ],
        "date" => &["2024-13-01", "2024-02-30", "24-02-19"],
        "time" => &["25:00:00Z", "16:06:00"],
        "duration" => &["P", "1D", "PT"],
        "email" | "idn-email" => &["x", "a@", "@a"],
        "hostname" | "idn-hostname" => &["-a", "a..b", "a_b"],
        "ipv4" => &["1.1.1", "256.1.1.1", "01.1.1.1"],
        "ipv6" => &[":::", "1::2::3", "g::1"],
        "uri" | "iri" => &["x y", "/relative", "a"],
        "uri-reference" | "iri-reference" => &["\\\\a", "x y"],
        "uri-template" => &["{", "http://example.com/{a"],
        "json-pointer" => &["a", "/a~2"],
        "relative-json-pointer" => &["/a", "-1"],
        "regex" => &["^(abc]", "(", "["],
        "uuid" => &[
            "x",
            "58699aff-b3dd-46b6-b428",
            "{58699aff-b3dd-46b6-b428-029cde3368a4}",
        ],
        _ => &[],
    }
}

/// Sample strings of a format: valid ones first, then look-alikes that are not.
pub(crate) fn format_samples(format: &str) -> &'static [&'static str] {
    match format {
        "date-time" => &[
            "2024-02-19T16:06:00.210Z",
            "1970-01-01T00:00:00Z",
            "2024-02-19T16:06:00+01:00",
        ],
        "date" => &["2024-02-19", "1970-01-01"],
        "time" => &["16:06:00Z", "16:06:00.210+01:00"],
        "duration" => &["P1D", "PT1H30M"],
        "email" | "idn-email" => &["a@example.com", "info@freefone.app"],
        "hostname" | "idn-hostname" => &["example.com", "a"],
        "ipv4" => &["192.0.2.1", "223.182.88.88"],
        "ipv6" => &["2001:db8::1", "::1"],
        "uri" | "iri" => &["https://example.com/a", "urn:x:y"],
        "uri-reference" | "iri-reference" => &["/a/b", "https://example.com/a"],
        "uri-template" => &["https://example.com/{id}"],
        "json-pointer" => &["/a/b", ""],
        "relative-json-pointer" => &["0/a", "1"],
        "regex" => &["^a+$", "x"],
        "uuid" => &[
            "58699aff-b3dd-46b6-b428-029cde3368a4",
            "00000000-0000-0000-0000-000000000000",
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use referencing::Draft;
    use serde_json::{Value, json};

    use super::{agreed_format_verdict, agreed_format_verdicts, format_in_draft};

    #[test]
    fn agreed_format_verdicts_are_this_validators_too() {
        // A format's own samples are of it, its look-alikes are not.
        for format in super::KNOWN_FORMATS {
            let validator = crate::oracle::options()
                .build(&json!({"format": format}))
                .expect("a known format compiles");
            for (strings, valid) in [
                (super::format_samples(format), true),
                (super::format_violations(format), false),
            ] {
                for text in strings {
                    assert_eq!(
                        validator.is_valid(&Value::String((*text).into())),
                        valid,
                        "{format}: {text:?}"
                    );
                }
            }
        }
        assert!(agreed_format_verdicts().len() > 400);
        // The plain forms every validator accepts, and their edges, which are not plain.
        for (format, text, plain) in [
            ("date-time", "2024-02-20T16:41:36.253Z", true),
            ("date-time", "2024-02-29T00:00:00+05:30", true),
            ("date-time", "2023-02-29T00:00:00Z", false),
            ("date-time", "0000-01-01T00:00:00Z", false),
            ("date-time", "2016-12-31T23:59:60Z", false),
            ("date-time", "2024-02-20t16:41:36Z", false),
            ("date-time", "2024-02-20T16:41:36", false),
            ("date-time", "2024-02-20 16:41:36Z", false),
            ("date-time", "2024-02-20T16:41:36.Z", false),
            ("date", "2024-02-29", true),
            ("date", "1900-02-29", false),
            ("uuid", "58699aff-b3dd-46b6-b428-029cde3368a4", true),
            ("uuid", "58699AFF-B3DD-46B6-B428-029CDE3368A4", true),
            ("uuid", "{58699aff-b3dd-46b6-b428-029cde3368a4}", false),
            ("uuid", "58699aff-b3dd-46b6-b428-029cde3368a", false),
            ("ipv4", "192.0.2.1", true),
            ("ipv4", "0.0.0.0", true),
            ("ipv4", "01.1.1.1", false),
            ("ipv4", "256.1.1.1", false),
            ("email", "a@example.com", false),
        ] {
            assert_eq!(
                super::common_form(format, text),
                plain,
                "{format}: {text:?}"
            );
            if plain {
                let validator = crate::oracle::options()
                    .build(&json!({"format": format}))
                    .expect("compiles");
                assert!(validator.is_valid(&json!(text)), "{format}: {text:?}");
            }
        }
        // The look-alikes another validator accepts are not agreed.
        assert!(!agreed_format_verdict("email", "a@"));
        assert!(!agreed_format_verdict("date-time", "2024-02-19 16:06:00Z"));
        assert!(agreed_format_verdict("email", "x"));
        assert!(!agreed_format_verdict("email", "a@e"));
    }

    #[test]
    fn each_draft_defines_its_own_formats() {
        let defines = |draft: Draft| -> Vec<&str> {
            [
                "date-time",
                "email",
                "hostname",
                "ipv4",
                "ipv6",
                "uri",
                "uri-reference",
                "uri-template",
                "json-pointer",
                "date",
                "time",
                "iri",
                "iri-reference",
                "relative-json-pointer",
                "regex",
                "duration",
                "uuid",
                "idn-email",
                "idn-hostname",
                "color",
            ]
            .into_iter()
            .filter(|f| format_in_draft(draft, f))
            .collect()
        };
        let draft4 = ["date-time", "email", "hostname", "ipv4", "ipv6", "uri"];
        let draft6 = [
            &draft4[..],
            &["uri-reference", "uri-template", "json-pointer"],
        ]
        .concat();
        let draft7 = [
            &draft6[..],
            &[
                "date",
                "time",
                "iri",
                "iri-reference",
                "relative-json-pointer",
                "regex",
            ],
        ]
        .concat();
        let modern = [&draft7[..], &["duration", "uuid"]].concat();
        let sorted = |mut v: Vec<&'static str>| {
            v.sort_unstable();
            v
        };
        assert_eq!(sorted(defines(Draft::Draft4)), sorted(draft4.to_vec()));
        assert_eq!(sorted(defines(Draft::Draft6)), sorted(draft6.clone()));
        assert_eq!(sorted(defines(Draft::Draft7)), sorted(draft7.clone()));
        assert_eq!(sorted(defines(Draft::Draft201909)), sorted(modern.clone()));
        assert_eq!(sorted(defines(Draft::Draft202012)), sorted(modern));
        // Draft-06 is not draft-07: no `date`, `time` or `regex` yet.
        for format in ["date", "time", "regex", "iri", "relative-json-pointer"] {
            assert!(!format_in_draft(Draft::Draft6, format), "{format}");
        }
    }

    #[test]
    fn a_uuid_format_is_implied_by_a_plain_form_pattern_and_the_length() {
        use super::{UUID_FORM, common_form, uuid_implied};
        let catalog =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
        let p = |ps: &[&str]| ps.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(uuid_implied(&p(&[catalog]), Some(36)));
        assert!(uuid_implied(&p(&["^x", catalog]), Some(36)));
        // Lower case only is still the plain form; a narrower length too.
        assert!(uuid_implied(
            &p(&["^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"]),
            Some(30)
        ));
        // No length bound: python's `$` also matches before a final line feed.
        assert!(!uuid_implied(&p(&[catalog]), None));
        assert!(!uuid_implied(&p(&[catalog]), Some(37)));
        // Patterns that let other strings through: unanchored, braces, no hyphens, `\d`-style
        // classes (read differently by python), a pattern the DFAs cannot take.
        for pattern in [
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "^\\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\}?$",
            "^[0-9a-f]{32}$",
            "^[0-9a-g]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "^\\w{8}-\\w{4}-\\w{4}-\\w{4}-\\w{12}$",
            "^(?=x)",
        ] {
            assert!(!uuid_implied(&p(&[pattern]), Some(36)), "{pattern}");
        }
        assert!(!uuid_implied(&[], Some(36)));
        // The form's pattern is the plain form `common_form` accepts: a text matches it when the
        // pattern of that text alone is included in it.
        let matches = |text: &str| {
            let literal = format!("^{}$", regex_syntax::escape(text));
            crate::regex::compare(&literal, UUID_FORM) == crate::regex::Inclusion::Included
        };
        for text in [
            "58699aff-b3dd-46b6-b428-029cde3368a4",
            "58699AFF-B3DD-46B6-B428-029CDE3368A4",
            "{58699aff-b3dd-46b6-b428-029cde3368a4}",
            "58699aff-b3dd-46b6-b428-029cde3368a",
            "58699aff-b3dd-46b6-b428-029cde3368a4\n",
            "58699affb3dd46b6b428029cde3368a4",
        ] {
            assert_eq!(matches(text), common_form("uuid", text), "{text:?}");
        }
    }
}
