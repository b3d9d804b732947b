//! Scalar wire types: validated strings and bounded integers.
//!
//! Each type here checks on deserialization exactly what its JSON Schema says, so that the model
//! and the published schema give the same verdict on every value (ARCHITECTURE.md, "Scalars").
//! Strings keep the text they were given, so an event serializes back to the bytes it came from.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::borrowed::{Borrowable, Checkable, Checked, Text, TextCheck, borrowable_as_itself};

/// The largest integer every JSON consumer reads exactly: 2^53 − 1 (I-JSON, RFC 7493 §2.2).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Declares a string newtype whose deserializer runs `check` and whose schema is `schema`;
/// with `=> Twin`, also its borrowed twin (see [`crate::borrowed`]), which runs the same check
/// on the borrowed text.
macro_rules! checked_string {
    (
        $(#[$meta:meta])*
        $name:ident => $twin:ident, $check:path, $schema:expr
    ) => {
        checked_string! { $(#[$meta])* $name as stringify!($name), $check, $schema }

        #[doc = concat!(
            "[`", stringify!($name), "`] borrowed from the JSON text it is read from, checked ",
            "the same way (see [`crate::borrowed`])."
        )]
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $twin<'a>(Text<'a>);

        impl $twin<'_> {
            /// The text, as it was on the wire.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            #[doc = concat!("The owned [`", stringify!($name), "`] (a copy of the text).")]
            pub fn to_owned_model(&self) -> $name {
                $name(self.0.as_str().to_owned())
            }
        }

        impl fmt::Debug for $twin<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl fmt::Display for $twin<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de: 'a, 'a> Deserialize<'de> for $twin<'a> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = Text::deserialize(deserializer)?;
                match $check(&text) {
                    Ok(()) => Ok(Self(text)),
                    Err(reason) => Err(de::Error::invalid_value(Unexpected::Str(&text), &reason)),
                }
            }
        }

        impl<'a> Borrowable<'a> for $name {
            type Ref = $twin<'a>;
        }

        impl TextCheck for $name {
            fn check(text: &str) -> Result<(), &'static str> {
                $check(text)
            }
        }

        impl Checkable for $name {
            type Check<Policy: crate::borrowed::UnknownKeys> = Checked<$name>;
        }
    };
    (
        $(#[$meta:meta])*
        $name:ident, $check:path, $schema:expr
    ) => {
        checked_string! { $(#[$meta])* $name as stringify!($name), $check, $schema }
    };
    (
        $(#[$meta:meta])*
        $name:ident as $schema_name:expr, $check:path, $schema:expr
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks `value` and wraps it.
            pub fn new(value: impl Into<String>) -> Result<Self, InvalidValue> {
                let value = value.into();
                match $check(&value) {
                    Ok(()) => Ok(Self(value)),
                    Err(reason) => Err(InvalidValue { type_name: stringify!($name), reason }),
                }
            }

            /// The text, as it was on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidValue;
            fn from_str(s: &str) -> Result<Self, InvalidValue> {
                Self::new(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <Cow<'de, str>>::deserialize(deserializer)?;
                match $check(&text) {
                    Ok(()) => Ok(Self(text.into_owned())),
                    Err(reason) => Err(de::Error::invalid_value(Unexpected::Str(&text), &reason)),
                }
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                $schema_name.into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

/// A value that does not satisfy the contract of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// The type that refused the value.
    pub type_name: &'static str,
    /// What the value should have looked like.
    pub reason: &'static str,
}

impl std::error::Error for InvalidValue {}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: expected {}", self.type_name, self.reason)
    }
}

/// The reason strings double as serde's "expected ..." text, so they read as a noun phrase.
///
/// Each checked string's shape is said once, in words: its schema's `title`, followed by its
/// `examples` entry (`shape, like example`), which is what the contract check's messages say
/// too (a test holds each reason to its schema's title and example).
mod reason {
    pub const TIMESTAMP_TITLE: &str = "a UTC timestamp with milliseconds";
    pub const TIMESTAMP_EXAMPLE: &str = "2024-02-19T16:06:00.210Z";
    pub const TIMESTAMP: &str = "a UTC timestamp with milliseconds, like 2024-02-19T16:06:00.210Z";
    pub const TIMESTAMP_DATE: &str = "a timestamp on a day that exists in the calendar";
    pub const TIMESTAMP_YEAR: &str = "a timestamp in year 0001 or later";
    pub const UUID_TITLE: &str = "a UUID in 8-4-4-4-12 hexadecimal form";
    pub const UUID_EXAMPLE: &str = "58699aff-b3dd-46b6-b428-029cde3368a4";
    pub const UUID: &str =
        "a UUID in 8-4-4-4-12 hexadecimal form, like 58699aff-b3dd-46b6-b428-029cde3368a4";
    pub const THREAD_TITLE: &str = "a thread id of 32 lowercase hexadecimal characters";
    pub const THREAD_EXAMPLE: &str = "e270fca3009cd53ee22e94c845be3ca4";
    pub const THREAD: &str =
        "a thread id of 32 lowercase hexadecimal characters, like e270fca3009cd53ee22e94c845be3ca4";
    pub const EMAIL_TITLE: &str = "an email address: one `@` with text on both sides";
    pub const EMAIL_EXAMPLE: &str = "info@freefone.app";
    pub const EMAIL: &str =
        "an email address: one `@` with text on both sides, like info@freefone.app";
    pub const IP_TITLE: &str = "an IPv4 or IPv6 address";
    pub const IP_EXAMPLE: &str = "223.182.88.88";
    pub const IP: &str = "an IPv4 or IPv6 address, like 223.182.88.88";
}

// The schema patterns below are written in the common subset of ECMA-262 and Rust's `regex`:
// explicit character classes (`[0-9]`, never `\d`) and no lookaround. `$` in Python's `re`
// also matches before a final newline, so every fixed-length pattern is paired with exact
// `minLength`/`maxLength`, which every validator counts the same way.

checked_string! {
    /// A point in time, as the platform writes it: UTC, milliseconds, `Z`
    /// (`2024-02-19T16:06:00.210Z`).
    ///
    /// Stricter than RFC 3339 on purpose: no offsets, no leap seconds, exactly three fractional
    /// digits, no year 0000 (Python's `datetime`, behind python-jsonschema's check, has none).
    /// That is what the platform emits (JavaScript's `Date.toISOString`), and it is the
    /// form on which every JSON Schema validator agrees.
    Timestamp => TimestampRef, check_timestamp, json_schema!({
        "title": reason::TIMESTAMP_TITLE,
        "type": "string",
        "format": "date-time",
        // Year 0000 is refused: RFC 3339 allows it, but Python's `datetime` (and so
        // python-jsonschema's `date-time` check) starts at year 1, so the pattern keeps every
        // validator in agreement.
        "pattern": "^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z$",
        "minLength": 24,
        "maxLength": 24,
        "examples": [reason::TIMESTAMP_EXAMPLE]
    })
}

checked_string! {
    /// A point in time in the 2022 format's frozen release (1.0.0): as [`Timestamp`], but year
    /// 0000 is accepted, as that release's schema says (a released catalog never changes).
    /// Published under the same name, `Timestamp`.
    Timestamp2022 as "Timestamp", check_timestamp_2022, json_schema!({
        "type": "string",
        "format": "date-time",
        "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z$",
        "minLength": 24,
        "maxLength": 24,
        "examples": ["2024-02-19T16:06:00.210Z"]
    })
}

checked_string! {
    /// A UUID in its hyphenated 8-4-4-4-12 form (`58699aff-b3dd-46b6-b428-029cde3368a4`);
    /// either case is accepted, the platform writes lower case.
    Uuid => UuidRef, check_uuid, json_schema!({
        "title": reason::UUID_TITLE,
        "type": "string",
        "format": "uuid",
        "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "minLength": 36,
        "maxLength": 36,
        "examples": [reason::UUID_EXAMPLE]
    })
}

checked_string! {
    /// A UUID in the 2022 format's frozen release (1.0.0): as [`Uuid`], whose schema that
    /// release published without the words of its shape (`title`, `examples`). Published under
    /// the same name, `Uuid`.
    Uuid2022 as "Uuid", check_uuid, json_schema!({
        "type": "string",
        "format": "uuid",
        "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "minLength": 36,
        "maxLength": 36
    })
}

checked_string! {
    /// A thread id in the 2022 format's frozen release (1.0.0): as [`Thread`], whose schema
    /// that release published without the words of its shape. Published under the same name,
    /// `Thread`.
    Thread2022 as "Thread", check_thread, json_schema!({
        "type": "string",
        "pattern": "^[0-9a-f]{32}$",
        "minLength": 32,
        "maxLength": 32
    })
}

checked_string! {
    /// A conversation thread id: 32 lowercase hexadecimal characters (not a UUID).
    Thread => ThreadRef, check_thread, json_schema!({
        "title": reason::THREAD_TITLE,
        "type": "string",
        "pattern": "^[0-9a-f]{32}$",
        "minLength": 32,
        "maxLength": 32,
        "examples": [reason::THREAD_EXAMPLE]
    })
}

checked_string! {
    /// An email address, checked only for one `@` with text on both sides.
    ///
    /// The schema does not use `format: email`: validators disagree on it (ajv rejects
    /// `info@localhost`, python-jsonschema accepts `info@@freefone.app`).
    Email => EmailRef, check_email, json_schema!({
        "title": reason::EMAIL_TITLE,
        "type": "string",
        "pattern": "^[^@]+@[^@]+$",
        "examples": [reason::EMAIL_EXAMPLE]
    })
}

checked_string! {
    /// An IPv4 address in dotted-decimal form or an IPv6 address.
    IpAddress => IpAddressRef, check_ip, json_schema!({
        "title": reason::IP_TITLE,
        "type": "string",
        "anyOf": [{ "format": "ipv4" }, { "format": "ipv6" }],
        "examples": [reason::IP_EXAMPLE]
    })
}

fn check_timestamp(s: &str) -> Result<(), &'static str> {
    if s.starts_with("0000") {
        // Checked after the shape, so a malformed year-0000 text gets the shape's message.
        check_timestamp_2022(s)?;
        return Err(reason::TIMESTAMP_YEAR);
    }
    check_timestamp_2022(s)
}

/// The timestamp's shape and calendar, year 0000 included (the 2022 release's rule).
fn check_timestamp_2022(s: &str) -> Result<(), &'static str> {
    let b = s.as_bytes();
    // `YYYY-MM-DDTHH:MM:SS.sssZ`: `#` for a digit, compared byte by byte without branching.
    const SHAPE: &[u8; 24] = b"####-##-##T##:##:##.###Z";
    let shape = b.len() == 24
        && b.iter().zip(SHAPE).fold(true, |ok, (&c, &want)| {
            ok & if want == b'#' {
                c.is_ascii_digit()
            } else {
                c == want
            }
        });
    if !shape {
        return Err(reason::TIMESTAMP);
    }
    let num = |range: std::ops::Range<usize>| {
        b[range]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month) || day == 0 || hour > 23 || minute > 59 || second > 59 {
        return Err(reason::TIMESTAMP);
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day > 31 {
        return Err(reason::TIMESTAMP);
    }
    if day > days_in_month {
        return Err(reason::TIMESTAMP_DATE);
    }
    Ok(())
}

/// Which bytes are hexadecimal digits: bit 0 for either case, bit 1 for lower case only. A
/// table lookup per byte, combined without branching, is what makes the checks of the many
/// uuids in an event cheap (they are a large part of the models' time on a valid event).
const HEX: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = match b {
            b'0'..=b'9' | b'a'..=b'f' => 0b11,
            b'A'..=b'F' => 0b01,
            _ => 0,
        };
        c += 1;
    }
    table
};

/// Whether every byte of `bytes` has `bit` in [`HEX`].
fn all_hex(bytes: &[u8], bit: u8) -> bool {
    bytes.iter().fold(bit, |all, &c| all & HEX[usize::from(c)]) == bit
}

fn check_uuid(s: &str) -> Result<(), &'static str> {
    let b = s.as_bytes();
    let ok = b.len() == 36
        && b[8] == b'-'
        && b[13] == b'-'
        && b[18] == b'-'
        && b[23] == b'-'
        && all_hex(&b[..8], 1)
        && all_hex(&b[9..13], 1)
        && all_hex(&b[14..18], 1)
        && all_hex(&b[19..23], 1)
        && all_hex(&b[24..], 1);
    if ok { Ok(()) } else { Err(reason::UUID) }
}

fn check_thread(s: &str) -> Result<(), &'static str> {
    let ok = s.len() == 32 && all_hex(s.as_bytes(), 0b10);
    if ok { Ok(()) } else { Err(reason::THREAD) }
}

fn check_email(s: &str) -> Result<(), &'static str> {
    match s.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(())
        }
        _ => Err(reason::EMAIL),
    }
}

fn check_ip(s: &str) -> Result<(), &'static str> {
    s.parse::<std::net::IpAddr>()
        .map(drop)
        .map_err(|_| reason::IP)
}

/// Declares an integer newtype with inclusive bounds, checked on deserialization and published
/// as `minimum`/`maximum`.
macro_rules! bounded_int {
    (
        $(#[$meta:meta])*
        $name:ident($repr:ty), $min:expr, $max:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($repr);

        impl $name {
            /// The smallest value the contract allows.
            pub const MIN: $repr = $min;
            /// The largest value the contract allows.
            pub const MAX: $repr = $max;

            /// Checks the bounds and wraps `value`.
            pub fn new(value: $repr) -> Result<Self, InvalidValue> {
                if (Self::MIN..=Self::MAX).contains(&value) {
                    Ok(Self(value))
                } else {
                    Err(InvalidValue {
                        type_name: stringify!($name),
                        reason: concat!("an integer from ", stringify!($min), " to ", stringify!($max)),
                    })
                }
            }

            /// The number.
            pub fn get(self) -> $repr {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let n = deserializer.deserialize_any(IntegerVisitor {
                    min: i128::from(Self::MIN),
                    max: i128::from(Self::MAX),
                    expected: concat!("an integer from ", stringify!($min), " to ", stringify!($max)),
                })?;
                let n = <$repr>::try_from(n).map_err(|_| {
                    de::Error::custom("integer out of range after the bounds check")
                })?;
                Ok(Self(n))
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "integer", "minimum": Self::MIN, "maximum": Self::MAX })
            }
        }
    };
}

/// Reads a JSON number as an integer the way JSON Schema's `"type": "integer"` does: any number
/// with no fractional part (`5`, `5.0`, `5e0`, `-0`), within the bounds.
struct IntegerVisitor {
    min: i128,
    max: i128,
    expected: &'static str,
}

impl IntegerVisitor {
    fn check<E: de::Error>(&self, n: i128, unexpected: Unexpected<'_>) -> Result<i128, E> {
        if (self.min..=self.max).contains(&n) {
            Ok(n)
        } else {
            Err(E::invalid_value(unexpected, &self.expected))
        }
    }
}

impl<'de> Visitor<'de> for IntegerVisitor {
    type Value = i128;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
        self.check(i128::from(v), Unexpected::Unsigned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
        self.check(i128::from(v), Unexpected::Signed(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i128, E> {
        // Only integral values inside the bounds reach the cast, and the bounds are far inside
        // the range where every integer is exactly representable as f64.
        if v.fract() == 0.0 && v >= self.min as f64 && v <= self.max as f64 {
            #[allow(clippy::cast_possible_truncation)]
            Ok(v as i128)
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self.expected))
        }
    }
}

bounded_int! {
    /// A length of time in whole seconds.
    Seconds(u32), 0, 4_294_967_295
}

bounded_int! {
    /// A non-negative integer whose meaning the documentation does not give further.
    Uint32(u32), 0, 4_294_967_295
}

bounded_int! {
    /// An ITU-T Q.850 release cause code (0–127), e.g. 16 for normal clearing.
    Q850Cause(u8), 0, 127
}

bounded_int! {
    /// A phone number sent as a JSON integer: its digits, with no `+` and no leading zero
    /// (`18382049000`). Bounded by 2^53 − 1 so that every JSON parser reads it exactly.
    NumericPhone(u64), 0, 9_007_199_254_740_991
}

bounded_int! {
    /// A non-negative integer whose meaning the documentation does not give further, beyond
    /// the range of [`Uint32`]: up to 2^53 − 1, so that every JSON parser reads it exactly.
    Uint53(u64), 0, 9_007_199_254_740_991
}

bounded_int! {
    /// An integer whose meaning the documentation does not give further, negative values
    /// included: within ±(2^53 − 1), so that every JSON parser reads it exactly.
    Int53(i64), -9_007_199_254_740_991, 9_007_199_254_740_991
}

borrowable_as_itself!(
    Seconds,
    Uint32,
    Q850Cause,
    NumericPhone,
    Uint53,
    Int53,
    Number
);

/// A JSON number, with or without a fractional part (`814.85626`, `5`, `1e-3`): a finite
/// double. Where a key is always an integer, a bounded integer type says so instead.
///
/// It reads back with the same digits (`serde_json/float_roundtrip`); an integer such as `5`
/// is read as the double 5.0 and written as `5.0`, which JSON Schema's equality treats as the
/// same value (ARCHITECTURE.md, "Round trip").
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Number(pub f64);

impl Number {
    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }
}

/// A JSON value whose shape the platform's documentation does not give: every example shows
/// `null`, so nothing more is known. Any value is accepted, except one with a repeated key; see
/// ARCHITECTURE.md, "Unspecified shapes".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Unspecified(pub serde_json::Value);

impl<'de> Deserialize<'de> for Unspecified {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::DeserializeSeed::deserialize(crate::json::StrictValue, deserializer).map(Unspecified)
    }
}

impl JsonSchema for Unspecified {
    fn schema_name() -> Cow<'static, str> {
        "Unspecified".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Shape not yet specified: the platform's documentation gives none and every example shows null. Any JSON value is accepted."
        })
    }
}

/// A JSON object whose fields the platform's documentation does not give. Any object is
/// accepted (except one with a repeated key) and its fields are kept as they are.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct UnspecifiedObject(pub serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for UnspecifiedObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match de::DeserializeSeed::deserialize(crate::json::StrictValue, deserializer)? {
            serde_json::Value::Object(map) => Ok(UnspecifiedObject(map)),
            other => Err(de::Error::invalid_type(unexpected(&other), &"an object")),
        }
    }
}

fn unexpected(value: &serde_json::Value) -> Unexpected<'_> {
    match value {
        serde_json::Value::Null => Unexpected::Unit,
        serde_json::Value::Bool(b) => Unexpected::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (_, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Unexpected::Str(s),
        serde_json::Value::Array(_) => Unexpected::Seq,
        serde_json::Value::Object(_) => Unexpected::Map,
    }
}

impl JsonSchema for UnspecifiedObject {
    fn schema_name() -> Cow<'static, str> {
        "UnspecifiedObject".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Shape not yet specified: the platform's documentation gives no fields for this object. Any object is accepted.",
            "type": "object"
        })
    }
}

/// Deserializer helpers that keep the model's idea of "required" and "nullable" the same as the
/// schema's (ARCHITECTURE.md, "Absent and null"), for `#[serde(deserialize_with = ...)]`.
pub mod de_helpers {
    use serde::{Deserialize, Deserializer};

    /// For `Option<T>` fields that must be present but may be `null`. With `deserialize_with`,
    /// serde no longer treats a missing `Option` field as `None`: a missing key is an error.
    pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer)
    }

    /// For `Option<T>` fields that may be absent but, when present, must be a `T`: `null` is
    /// handed to `T`, which refuses it unless `T` itself is nullable.
    pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        T::deserialize(deserializer).map(Some)
    }
}

#[cfg(feature = "proptest")]
mod arbitrary {
    //! Strategies that produce only values the contract accepts.
    use super::*;
    use proptest::prelude::*;

    macro_rules! arbitrary_from_regex {
        ($name:ident, $regex:expr) => {
            impl Arbitrary for $name {
                type Parameters = ();
                type Strategy = BoxedStrategy<Self>;
                fn arbitrary_with((): ()) -> Self::Strategy {
                    proptest::string::string_regex($regex)
                        .expect("the regex is a constant that compiles")
                        .prop_filter_map("outside the contract", |s| $name::new(s).ok())
                        .boxed()
                }
            }
        };
    }

    arbitrary_from_regex!(
        Timestamp,
        "(19[7-9][0-9]|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z"
    );
    arbitrary_from_regex!(
        Uuid,
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    );
    arbitrary_from_regex!(Thread, "[0-9a-f]{32}");
    arbitrary_from_regex!(Email, "[a-z0-9._+-]{1,12}@[a-z0-9-]{1,12}\\.[a-z]{2,4}");
    arbitrary_from_regex!(
        IpAddress,
        "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}|[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}"
    );

    macro_rules! arbitrary_bounded {
        ($name:ident) => {
            impl Arbitrary for $name {
                type Parameters = ();
                type Strategy = BoxedStrategy<Self>;
                fn arbitrary_with((): ()) -> Self::Strategy {
                    prop_oneof![Just($name::MIN), Just($name::MAX), $name::MIN..=$name::MAX]
                        .prop_map($name)
                        .boxed()
                }
            }
        };
    }

    arbitrary_bounded!(Seconds);
    arbitrary_bounded!(Uint32);
    arbitrary_bounded!(Q850Cause);
    arbitrary_bounded!(NumericPhone);
    arbitrary_bounded!(Uint53);
    arbitrary_bounded!(Int53);

    impl Arbitrary for Number {
        type Parameters = ();
        type Strategy = BoxedStrategy<Self>;
        fn arbitrary_with((): ()) -> Self::Strategy {
            // Finite doubles only (JSON has no others), integral ones among them.
            prop_oneof![
                any::<i32>().prop_map(f64::from),
                proptest::num::f64::NORMAL | proptest::num::f64::ZERO,
            ]
            .prop_map(Number)
            .boxed()
        }
    }

    fn json_leaf() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            "[a-z ]{0,8}".prop_map(serde_json::Value::from),
        ]
    }

    fn json_object() -> impl Strategy<Value = serde_json::Map<String, serde_json::Value>> {
        proptest::collection::btree_map("[a-z_]{1,6}", json_leaf(), 0..3)
            .prop_map(|m| m.into_iter().collect())
    }

    impl Arbitrary for Unspecified {
        type Parameters = ();
        type Strategy = BoxedStrategy<Self>;
        fn arbitrary_with((): ()) -> Self::Strategy {
            prop_oneof![
                3 => Just(Unspecified(serde_json::Value::Null)),
                1 => json_leaf().prop_map(Unspecified),
                1 => json_object().prop_map(|m| Unspecified(serde_json::Value::Object(m))),
            ]
            .boxed()
        }
    }

    impl Arbitrary for UnspecifiedObject {
        type Parameters = ();
        type Strategy = BoxedStrategy<Self>;
        fn arbitrary_with((): ()) -> Self::Strategy {
            json_object().prop_map(UnspecifiedObject).boxed()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each checked string's reason is its schema's `title`, then `, like ` and its example:
    /// the model and the contract check's messages say a shape in the same words.
    #[test]
    fn reasons_are_the_schemas_words() {
        let mut generator = SchemaGenerator::default();
        for (schema, reason, check) in [
            (
                Timestamp::json_schema(&mut generator),
                reason::TIMESTAMP,
                check_timestamp as fn(&str) -> Result<(), &'static str>,
            ),
            (Uuid::json_schema(&mut generator), reason::UUID, check_uuid),
            (
                Thread::json_schema(&mut generator),
                reason::THREAD,
                check_thread,
            ),
            (
                Email::json_schema(&mut generator),
                reason::EMAIL,
                check_email,
            ),
            (IpAddress::json_schema(&mut generator), reason::IP, check_ip),
        ] {
            let schema = schema.as_value();
            let title = schema["title"].as_str().expect("a title");
            let example = schema["examples"][0].as_str().expect("an example");
            assert_eq!(reason, format!("{title}, like {example}"));
            assert_eq!(check(example), Ok(()), "the example is of its shape");
            assert_eq!(check("x"), Err(reason), "{title}");
        }
    }

    #[track_caller]
    fn check_ts(input: &str, ok: bool) {
        assert_eq!(check_timestamp(input).is_ok(), ok, "{input}");
    }

    #[test]
    fn timestamps() {
        check_ts("2024-02-19T16:06:00.210Z", true);
        // Every separator of the shape, and two faults at once (one fault must not cancel
        // another).
        check_ts("2024-02-20t16:41:36.253z", false);
        check_ts("2024/02/20T16:41:36.253Z", false);
        check_ts("2024-02-20T16-41-36.253Z", false);
        check_ts("2024-02-20T16:41:36,253Z", false);
        check_ts("2024-02-20T16:41:36.25aZ", false);
        check_ts("2024-02-20T16:41:36.253+", false);
        check_ts("2024-02-29T23:59:59.999Z", true);
        check_ts("2000-02-29T00:00:00.000Z", true);
        check_ts("1900-02-29T00:00:00.000Z", false);
        check_ts("2023-02-29T00:00:00.000Z", false);
        check_ts("2024-04-31T00:00:00.000Z", false);
        check_ts("2024-02-19 16:06:00.210Z", false);
        check_ts("2024-02-19T16:06:00.21Z", false);
        check_ts("2024-02-19T16:06:00.210z", false);
        check_ts("2024-02-19T16:06:00.210+00:00", false);
        check_ts("2024-02-19T24:00:00.000Z", false);
        check_ts("2016-12-31T23:59:60.000Z", false);
        check_ts("2024-13-01T00:00:00.000Z", false);
        check_ts("2024-02-19T16:06:00.210Z\n", false);
        check_ts("", false);
        // Year 0000 is refused (python-jsonschema refuses it); years 0001 to 9999 are not.
        check_ts("0000-01-01T00:00:00.000Z", false);
        check_ts("0000-02-29T00:00:00.000Z", false);
        check_ts("0001-01-01T00:00:00.000Z", true);
        check_ts("0004-02-29T00:00:00.000Z", true);
        check_ts("0100-02-29T00:00:00.000Z", false);
        check_ts("9999-12-31T23:59:59.999Z", true);
        assert_eq!(
            check_timestamp("0000-06-01T00:00:00.000Z"),
            Err(reason::TIMESTAMP_YEAR)
        );
        assert_eq!(check_timestamp("0000-06-01 00:00"), Err(reason::TIMESTAMP));
        // The 2022 release, frozen, keeps year 0000.
        assert!("0000-01-01T00:00:00.000Z".parse::<Timestamp2022>().is_ok());
        assert!("0000-02-30T00:00:00.000Z".parse::<Timestamp2022>().is_err());
    }

    #[test]
    fn every_byte_at_every_place_of_a_uuid_and_a_thread() {
        // The table-driven checks against the schema's patterns, spelled out byte by byte:
        // `^[0-9a-fA-F]{8}-...-[0-9a-fA-F]{12}$` and `^[0-9a-f]{32}$`.
        let uuid = *b"58699aff-b3dd-46b6-b428-029cde3368a4";
        let thread = *b"f2fc43433c39837ba33497b10910cf76";
        for at in 0..uuid.len() {
            for byte in 0..=255u8 {
                let mut text = uuid;
                text[at] = byte;
                let expected = if matches!(at, 8 | 13 | 18 | 23) {
                    byte == b'-'
                } else {
                    byte.is_ascii_hexdigit()
                };
                if let Ok(text) = std::str::from_utf8(&text) {
                    assert_eq!(check_uuid(text).is_ok(), expected, "{text:?}");
                }
            }
        }
        for at in 0..thread.len() {
            for byte in 0..=255u8 {
                let mut text = thread;
                text[at] = byte;
                let expected = matches!(byte, b'0'..=b'9' | b'a'..=b'f');
                if let Ok(text) = std::str::from_utf8(&text) {
                    assert_eq!(check_thread(text).is_ok(), expected, "{text:?}");
                }
            }
        }
        for len in [0, 31, 33, 35, 37] {
            assert!(check_uuid(&"a".repeat(len)).is_err());
            assert!(check_thread(&"a".repeat(len)).is_err());
        }
    }

    #[test]
    fn uuids_threads_emails_ips() {
        assert!(check_uuid("58699aff-b3dd-46b6-b428-029cde3368a4").is_ok());
        assert!(check_uuid("58699AFF-B3DD-46B6-B428-029CDE3368A4").is_ok());
        assert!(check_uuid("{58699aff-b3dd-46b6-b428-029cde3368a4}").is_err());
        assert!(check_uuid("58699affb3dd46b6b428029cde3368a4").is_err());
        assert!(check_uuid("58699aff-b3dd-46b6-b428-029cde3368ag").is_err());
        assert!(check_thread("f2fc43433c39837ba33497b10910cf76").is_ok());
        assert!(check_thread("F2FC43433C39837BA33497B10910CF76").is_err());
        assert!(check_email("info@freefone.app").is_ok());
        assert!(check_email("info@@freefone.app").is_err());
        assert!(check_email("@freefone.app").is_err());
        assert!(check_ip("223.182.88.88").is_ok());
        assert!(check_ip("2001:db8::1").is_ok());
        assert!(check_ip("223.182.88").is_err());
    }

    #[test]
    fn integers_follow_json_schema_semantics() {
        let parse = |s: &str| serde_json::from_str::<Q850Cause>(s).map(Q850Cause::get);
        assert_eq!(parse("16").ok(), Some(16));
        assert_eq!(parse("16.0").ok(), Some(16));
        assert_eq!(parse("1.6e1").ok(), Some(16));
        assert_eq!(parse("-0").ok(), Some(0));
        assert!(parse("16.5").is_err());
        assert!(parse("128").is_err());
        assert!(parse("-1").is_err());
        assert!(parse("\"16\"").is_err());
        let phone = |s: &str| serde_json::from_str::<NumericPhone>(s).map(NumericPhone::get);
        assert_eq!(phone("9007199254740991").ok(), Some(MAX_SAFE_INTEGER));
        assert!(phone("9007199254740992").is_err());
        assert!(phone("18446744073709551616").is_err());
    }
}
