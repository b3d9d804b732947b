//! Unknown keys, decided when the text is read: the one reader of the check twins for both
//! policies.
//!
//! The contract refuses a key an object does not declare (its schemas are closed); the published
//! schemas accept one, whatever its value (they are open: `additionalProperties` is left out,
//! see [`schema::open_objects`](crate::schema::open_objects)), and so does every tolerant
//! reader. A check twin is declared once, without `deny_unknown_fields`, and takes the policy as
//! a type parameter, `K`: [`Deny`] or [`Allow`], each compiled on its own.
//!
//! Serde's derived code reads the value of a key its struct does not declare with
//! [`IgnoredAny`](serde::de::IgnoredAny), which reaches the value's
//! [`Deserializer::deserialize_ignored_any`]. Left to serde_json, that would accept what a
//! strict parse refuses: a repeated key inside the value, and the same unknown key twice in one
//! object (the derived code remembers only the keys it declares). So each check twin reads its
//! object through [`ObjectKeys`], which hands the derived code its members one by one and
//! answers that call itself:
//!
//! - [`Deny`]: refused, as `deny_unknown_fields` would refuse the key;
//! - [`Allow`]: the key is remembered (a second unknown key of that name in the same object is
//!   refused, as the strict parser refuses any repeated key, with escapes decoded), and the
//!   value is read as any JSON value under the strict parser's rules, as an unspecified value is
//!   read ([`UnspecifiedRef`](super::UnspecifiedRef)): a repeated key at any depth refused, and
//!   serde_json counts its depth as it counts the rest of the event's, so the limit of 127
//!   levels holds.
//!
//! Nothing else changes: every other call reaches serde_json's deserializer unchanged, with the
//! derived code's own visitor. A model struct inside a value reads its own object through its
//! own `ObjectKeys` (its twin carries the same `K`), so every object the models declare is
//! covered, and an object they do not declare (an unspecified value) is read by `StrictAny`.
//! Without an unknown key, nothing is allocated; with some, one small list per object that has
//! them.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::{KeySet, StrictAny, Text};

/// What a check twin does with a key its struct does not declare: [`Deny`] or [`Allow`].
pub trait UnknownKeys: sealed::Sealed + 'static {
    /// Whether an unknown key is accepted.
    const ALLOW: bool;
}

/// Unknown keys refused: the contract (`evschema --unknown-fields deny`, the closed schemas).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deny {}

/// Unknown keys accepted, each at most once per object, with any value a strict parse accepts:
/// the published (open) schemas, which every tolerant reader applies (`evschema
/// --unknown-fields allow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allow {}

impl UnknownKeys for Deny {
    const ALLOW: bool = false;
}

impl UnknownKeys for Allow {
    const ALLOW: bool = true;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Deny {}
    impl Sealed for super::Allow {}
}

/// A deserializer for one struct's object whose unknown keys `K` decides (see the [module
/// docs](self)). The check twins of [`model!`](crate::model) read through it (inside
/// [`ObjectOnly`](crate::shape::ObjectOnly)); exported, hidden, for that code.
#[doc(hidden)]
pub struct ObjectKeys<D, K>(D, PhantomData<K>);

impl<D, K> ObjectKeys<D, K> {
    /// Wraps the deserializer of the struct's value.
    pub fn new(deserializer: D) -> Self {
        ObjectKeys(deserializer, PhantomData)
    }
}

impl<'de, D: Deserializer<'de>, K: UnknownKeys> Deserializer<'de> for ObjectKeys<D, K> {
    type Error = D::Error;

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_map(Members::<V, K>(visitor, PhantomData))
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_any(Members::<V, K>(visitor, PhantomData))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    // `ObjectOnly` asks for a map only; anything else is read as the input is, and an object
    // always through `Members`.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct struct enum identifier
        ignored_any
    }
}

/// The derived visitor, given the object's members through [`Keys`]. Any other shape is
/// refused (the visitor's `expecting` names what was expected).
struct Members<V, K>(V, PhantomData<K>);

impl<'de, V: Visitor<'de>, K: UnknownKeys> Visitor<'de> for Members<V, K> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Keys::<'de, A, K> {
            map,
            last: None,
            unknown: KeySet::default(),
            policy: PhantomData,
        })
    }
}

/// One object's members. With [`Allow`], each key is read first as text (borrowed, or decoded
/// when it has an escape) and kept until its value is read, so that an unknown one can be
/// remembered.
struct Keys<'de, A, K> {
    map: A,
    /// The key of the member being read (with `Allow`).
    last: Option<Text<'de>>,
    /// The unknown keys seen in this object so far (with `Allow`).
    unknown: KeySet<'de>,
    policy: PhantomData<K>,
}

impl<'de, A: MapAccess<'de>, K: UnknownKeys> MapAccess<'de> for Keys<'de, A, K> {
    type Error = A::Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        if !K::ALLOW {
            return self.map.next_key_seed(seed);
        }
        let Some(key) = self.map.next_key::<Text<'de>>()? else {
            return Ok(None);
        };
        let field = match key.0 {
            Cow::Borrowed(text) => seed.deserialize(de::value::BorrowedStrDeserializer::new(text)),
            Cow::Owned(ref text) => seed.deserialize(de::value::StrDeserializer::new(text)),
        }?;
        self.last = Some(key);
        Ok(Some(field))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let Keys {
            map, last, unknown, ..
        } = self;
        map.next_value_seed(MemberSeed::<S, K> {
            seed,
            last,
            unknown,
            policy: PhantomData,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// The seed of a member's value: the derived code's own, given [`MemberValue`].
struct MemberSeed<'k, 'de, S, K> {
    seed: S,
    last: &'k mut Option<Text<'de>>,
    unknown: &'k mut KeySet<'de>,
    policy: PhantomData<K>,
}

impl<'de, S: DeserializeSeed<'de>, K: UnknownKeys> DeserializeSeed<'de>
    for MemberSeed<'_, 'de, S, K>
{
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(MemberValue::<D, K> {
            inner: deserializer,
            last: self.last,
            unknown: self.unknown,
            policy: PhantomData,
        })
    }
}

/// A member's value: serde_json's deserializer, except when the derived code ignores the value
/// of a key its struct does not declare.
struct MemberValue<'k, 'de, D, K> {
    inner: D,
    last: &'k mut Option<Text<'de>>,
    unknown: &'k mut KeySet<'de>,
    policy: PhantomData<K>,
}

/// Forwards `deserialize_*` methods to the inner deserializer, visitor unchanged.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method($($arg,)* visitor)
        })*
    };
}

impl<'de, D: Deserializer<'de>, K: UnknownKeys> Deserializer<'de> for MemberValue<'_, 'de, D, K> {
    type Error = D::Error;

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        if !K::ALLOW {
            return Err(de::Error::custom("unknown field"));
        }
        // The key of this value: read by `Keys::next_key_seed` just before.
        let Some(key) = self.last.take() else {
            return Err(de::Error::custom("a value ignored without its key"));
        };
        if !self.unknown.insert(key) {
            return Err(de::Error::custom("duplicate key"));
        }
        self.inner
            .deserialize_any(StrictAny { object_only: false })?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }

    forward! {
        deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16()
        deserialize_i32() deserialize_i64() deserialize_i128() deserialize_u8()
        deserialize_u16() deserialize_u32() deserialize_u64() deserialize_u128()
        deserialize_f32() deserialize_f64() deserialize_char() deserialize_str()
        deserialize_string() deserialize_bytes() deserialize_byte_buf() deserialize_option()
        deserialize_unit() deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str) deserialize_seq()
        deserialize_tuple(len: usize) deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_map()
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
        deserialize_identifier()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::borrowed::TnCheck;

    const TN: &str = r#""created_on": "2024-01-17T06:29:59.473Z", "modified_on": "2024-01-17T08:03:54.373Z", "tn": 18382049000, "deleted_on": null"#;

    /// Whether `{<members>, TN}` reads as a `Tn` check twin under each policy: (Deny, Allow).
    fn tn(members: &str) -> (bool, bool) {
        let text = format!("{{{members}{TN}}}");
        (
            serde_json::from_str::<TnCheck<Deny>>(&text).is_ok(),
            serde_json::from_str::<TnCheck<Allow>>(&text).is_ok(),
        )
    }

    #[test]
    fn an_unknown_key_is_refused_by_deny_and_read_strictly_by_allow() {
        assert_eq!(tn(""), (true, true));
        // Any value a strict parse accepts, once.
        for value in [
            "1",
            "-1.5e3",
            "null",
            "true",
            r#""x""#,
            r#""\ud83d\udcde""#,
            "[]",
            "{}",
            r#"[1, {"a": [], "b": {"c": null}}]"#,
            r#"{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}"#,
        ] {
            assert_eq!(tn(&format!(r#""zz": {value}, "#)), (false, true), "{value}");
        }
        // Several, and the key with an escape.
        assert_eq!(tn(r#""a": 1, "b": 2, "\u0063": 3, "#), (false, true));
        // What a strict parse refuses inside the value: a repeated key at any depth, a number
        // past a double, a lone surrogate, bad syntax.
        for value in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"a": 1, "\u0061": 2}"#,
            r#"[{"b": {"c": 1, "c": 1}}]"#,
            r#"{"x": [1e400]}"#,
            "1e400",
            r#""\ud800""#,
            "[1,]",
            "nul",
        ] {
            assert_eq!(
                tn(&format!(r#""zz": {value}, "#)),
                (false, false),
                "{value}"
            );
        }
    }

    #[test]
    fn an_unknown_key_repeated_in_one_object_is_refused() {
        for members in [
            r#""zz": 1, "zz": 1, "#,
            r#""zz": 1, "a": 2, "zz": {}, "#,
            // Escapes decoded before comparing, either way round.
            r#""zz": 1, "\u007a\u007a": 2, "#,
            r#""\u007az": 1, "zz": 2, "#,
            r#""\u007az": 1, "z\u007a": 2, "#,
        ] {
            assert_eq!(tn(members), (false, false), "{members}");
        }
        // The same key in two objects is no repeat.
        assert_eq!(tn(r#""zz": {"zz": {"zz": 1}}, "#), (false, true));
        // A known key repeated, or spelt once plainly and once with an escape: refused by the
        // derived code under both policies.
        assert_eq!(tn(r#""tn": 1, "#), (false, false));
        assert_eq!(tn(r#""t\u006e": 1, "#), (false, false));
        // Past the short list of the key set, into its tree.
        let many: String = (0..40).map(|i| format!(r#""k{i}": {i}, "#)).collect();
        assert_eq!(tn(&many), (false, true));
        for repeated in [0, 15, 16, 17, 39] {
            assert_eq!(
                tn(&format!(r#"{many}"k{repeated}": 0, "#)),
                (false, false),
                "k{repeated}"
            );
        }
    }

    #[test]
    fn an_unknown_value_counts_toward_the_nesting_limit() {
        // The object is level 1 and the value's first bracket level 2: 126 brackets reach level
        // 127, the deepest the strict parser accepts; one more is refused.
        let nested = |n: usize| format!(r#""zz": {}{}, "#, "[".repeat(n), "]".repeat(n));
        assert_eq!(tn(&nested(126)), (false, true));
        assert_eq!(tn(&nested(127)), (false, false));
        let objects = |n: usize| format!(r#""zz": {}1{}, "#, r#"{"a":"#.repeat(n), "}".repeat(n));
        assert_eq!(tn(&objects(126)), (false, true));
        assert_eq!(tn(&objects(127)), (false, false));
    }

    #[test]
    fn only_an_object_reads_as_a_struct() {
        for text in ["[]", "1", r#""x""#, "null", "[1, 2, 3, 4]"] {
            assert!(
                serde_json::from_str::<TnCheck<Allow>>(text).is_err(),
                "{text}"
            );
            assert!(
                serde_json::from_str::<TnCheck<Deny>>(text).is_err(),
                "{text}"
            );
        }
        // `deserialize_any` (what `ObjectOnly` forwards everything but a struct to) gives an
        // object's members through `Keys` too.
        let value = serde_json::json!({"zz": 1, "a": {"b": 1}});
        let read = <crate::borrowed::UnspecifiedObjectRef as serde::Deserialize>::deserialize(
            ObjectKeys::<_, Allow>::new(&value),
        );
        assert!(read.is_ok());
        let not_object = serde_json::json!([1]);
        let read = <crate::borrowed::UnspecifiedObjectRef as serde::Deserialize>::deserialize(
            ObjectKeys::<_, Allow>::new(&not_object),
        );
        assert!(read.is_err());
    }

    #[test]
    fn the_wrapper_says_what_the_input_says_about_itself() {
        let mut json = serde_json::Deserializer::from_str("{}");
        assert!(ObjectKeys::<_, Deny>::new(&mut json).is_human_readable());
        // A deserializer of a binary format says it is not human-readable.
        let binary = NotHumanReadable;
        assert!(!binary.is_human_readable());
        assert!(!ObjectKeys::<_, Allow>::new(binary).is_human_readable());
        let (mut last, mut unknown) = (None, KeySet::default());
        let value = MemberValue::<_, Allow> {
            inner: NotHumanReadable,
            last: &mut last,
            unknown: &mut unknown,
            policy: PhantomData,
        };
        assert!(!value.is_human_readable());
        let mut json = serde_json::Deserializer::from_str("1");
        let value = MemberValue::<_, Deny> {
            inner: &mut json,
            last: &mut last,
            unknown: &mut unknown,
            policy: PhantomData,
        };
        assert!(value.is_human_readable());
    }

    #[test]
    fn the_members_say_how_many_are_left_and_a_refusal_what_was_expected() {
        let entries = [("a", 1), ("b", 2)].into_iter();
        let keys = Keys::<'_, _, Allow> {
            map: de::value::MapDeserializer::<_, de::value::Error>::new(entries),
            last: None,
            unknown: KeySet::default(),
            policy: PhantomData,
        };
        assert_eq!(keys.size_hint(), Some(2));
        // The derived visitor's own words, through `Members`.
        let err = serde_json::from_str::<TnCheck<Allow>>("1")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid type: integer `1`, expected struct TnCheck at line 1 column 1")
        );
    }

    #[allow(dead_code)] // Only read.
    mod combined {
        use crate::borrowed::model;

        model! {
            /// `deny_unknown_fields` first among other `serde` attributes.
            #[serde(deny_unknown_fields, rename_all = "camelCase")]
            pub struct Probe => ProbeRef, ProbeCheck {
                /// A field renamed.
                pub some_field: bool,
            }
        }
    }

    #[test]
    fn deny_unknown_fields_is_dropped_from_the_check_twin_alone_and_first() {
        use combined::{Probe, ProbeCheck, ProbeRef};
        let plain = r#"{"someField": true}"#;
        let unknown = r#"{"someField": true, "zz": 1}"#;
        assert!(serde_json::from_str::<Probe>(plain).is_ok());
        assert!(serde_json::from_str::<ProbeRef<'_>>(plain).is_ok());
        assert!(serde_json::from_str::<ProbeCheck<Deny>>(plain).is_ok());
        assert!(serde_json::from_str::<ProbeCheck<Allow>>(plain).is_ok());
        // The other attributes of the same `serde(...)` are kept.
        assert!(serde_json::from_str::<ProbeCheck<Allow>>(r#"{"some_field": true}"#).is_err());
        assert!(serde_json::from_str::<Probe>(unknown).is_err());
        assert!(serde_json::from_str::<ProbeRef<'_>>(unknown).is_err());
        assert!(serde_json::from_str::<ProbeCheck<Deny>>(unknown).is_err());
        assert!(serde_json::from_str::<ProbeCheck<Allow>>(unknown).is_ok());
        // Alone (the catalog's spelling): `Tn`.
        assert_eq!(tn(r#""zz": 1, "#), (false, true));
        assert!(serde_json::from_str::<crate::Tn>(&format!(r#"{{"zz": 1, {TN}}}"#)).is_err());
    }

    /// A deserializer that says it is not human-readable, and reads nothing.
    struct NotHumanReadable;

    impl<'de> Deserializer<'de> for NotHumanReadable {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            visitor.visit_unit()
        }

        fn is_human_readable(&self) -> bool {
            false
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
            identifier ignored_any
        }
    }
}
