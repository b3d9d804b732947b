//! The JSON shape each model reads, held to the schema's.
//!
//! Serde's derived code is more forgiving than a JSON Schema: a struct also reads a JSON array
//! of its fields in order (`"tn": ["2024-...", "2024-...", 18382049000, null]`), and an enum
//! of unit variants also reads a one-key object (`"state": {"live": null}`). The schemas refuse
//! both (`"type": "object"`, `"enum": [...]`), so the models must too, or the fast path would
//! call such an event valid. Every model struct (through [`model!`](crate::model)) and every
//! enum (through [`wire_enum!`](crate::wire_enum)) reads through these adapters: an object
//! only, a string only. Nothing else changes: the derived code, its errors and its speed are
//! the same for the shapes it accepts.

use std::fmt;

use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

/// A deserializer whose structs read from a JSON object only, never from an array.
pub struct ObjectOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    // Derived struct code asks only for a struct; anything else reads as the input is.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A deserializer whose enums read from a JSON string only (a unit variant's name), never from
/// a one-key object.
pub struct StringOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for StringOnly<D> {
    type Error = D::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_str(UnitVariant(visitor))
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    // Derived enum code asks only for an enum; anything else reads as the input is.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// Reads a string as the unit variant it names, for an enum's derived visitor.
struct UnitVariant<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for UnitVariant<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.0.visit_enum(v.into_deserializer())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.0
            .visit_enum(de::value::BorrowedStrDeserializer::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.0.visit_enum(v.into_deserializer())
    }
}

/// Declares an enum of unit variants that reads from a string only (see the [module
/// docs](self)): the enum itself (with `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `Hash`,
/// `Serialize`, `JsonSchema`, and proptest's `Arbitrary` with the `proptest` feature), a
/// `Deserialize` derived on a private shadow (the same variants and `serde` attributes) and
/// read through [`StringOnly`], and its borrowed form and check (itself: it holds no text).
///
/// ```text
/// wire_enum! {
///     /// Which way a call leg goes.
///     #[serde(rename_all = "lowercase")]
///     pub enum Direction {
///         /// Inbound.
///         In,
///         /// Outbound.
///         Out,
///     }
/// }
/// ```
///
/// Attributes come in this order: doc comments, `serde`, then `allow`; variants take doc
/// comments and `serde`. Exported, hidden, for drafted code (see [`model!`](crate::model)).
#[doc(hidden)]
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[doc = $doc:expr])*
        $(#[serde($($serde:tt)*)])*
        $(#[allow($($allow:tt)*)])?
        pub enum $name:ident {
            $(
                $(#[doc = $vdoc:expr])*
                $(#[serde($($vserde:tt)*)])*
                $variant:ident
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::schemars::JsonSchema)]
        #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
        $(#[serde($($serde)*)])*
        $(#[allow($($allow)*)])?
        pub enum $name {
            $(
                $(#[doc = $vdoc])*
                $(#[serde($($vserde)*)])*
                $variant,
            )*
        }

        // The reader: serde's derived code on a shadow of the enum (same name, variants and
        // `serde` attributes), read through `StringOnly`.
        const _: () = {
            mod shadow {
                #[derive(::serde::Deserialize)]
                $(#[serde($($serde)*)])*
                pub enum $name {
                    $(
                        $(#[serde($($vserde)*)])*
                        $variant,
                    )*
                }
            }

            impl<'de> ::serde::Deserialize<'de> for $name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let read = <shadow::$name as ::serde::Deserialize>::deserialize(
                        $crate::shape::StringOnly(deserializer),
                    )?;
                    Ok(match read {
                        $(shadow::$name::$variant => $name::$variant,)*
                    })
                }
            }
        };

        $crate::borrowable_as_itself!($name);
    };
}

#[cfg(test)]
mod tests {
    use serde::Deserialize as _;

    use crate::{CallState, Direction, Tn};

    #[test]
    fn structs_read_objects_only() {
        let object = r#"{"created_on": "2024-01-17T06:29:59.473Z", "modified_on": "2024-01-17T08:03:54.373Z", "tn": 18382049000, "deleted_on": null}"#;
        let array =
            r#"["2024-01-17T06:29:59.473Z", "2024-01-17T08:03:54.373Z", 18382049000, null]"#;
        assert!(serde_json::from_str::<Tn>(object).is_ok());
        let err = serde_json::from_str::<Tn>(array).expect_err("an array is not a tn");
        assert!(err.to_string().contains("invalid type: sequence"), "{err}");
        let value: serde_json::Value = serde_json::from_str(array).expect("JSON");
        assert!(Tn::deserialize(&value).is_err(), "read from a value too");
        // The twins read as the model does.
        assert!(serde_json::from_str::<crate::borrowed::TnCheck>(array).is_err());
        assert!(serde_json::from_str::<crate::borrowed::TnRef<'_>>(array).is_err());
        assert!(serde_json::from_str::<crate::borrowed::TnCheck>(object).is_ok());
        assert!(serde_json::from_str::<crate::borrowed::TnRef<'_>>(object).is_ok());
    }

    #[test]
    fn enums_read_strings_only() {
        assert_eq!(
            serde_json::from_str::<CallState>(r#""live""#).ok(),
            Some(CallState::Live)
        );
        // With an escape (an owned string) too.
        assert_eq!(
            serde_json::from_str::<CallState>(r#""l\u0069ve""#).ok(),
            Some(CallState::Live)
        );
        for bad in [
            r#"{"live": null}"#,
            r#"{"live": []}"#,
            "null",
            "1",
            r#"["live"]"#,
        ] {
            assert!(serde_json::from_str::<CallState>(bad).is_err(), "{bad}");
            let value: serde_json::Value = serde_json::from_str(bad).expect("JSON");
            assert!(CallState::deserialize(&value).is_err(), "{bad} as a value");
        }
        let value = serde_json::json!("out");
        assert_eq!(Direction::deserialize(&value).ok(), Some(Direction::Out));
        let err = serde_json::from_str::<Direction>(r#""sideways""#).expect_err("not a direction");
        assert_eq!(
            err.to_string(),
            "unknown variant `sideways`, expected `in` or `out` at line 1 column 10"
        );
        let err = serde_json::from_str::<Direction>("null").expect_err("null");
        assert!(err.to_string().starts_with("invalid type: null"), "{err}");
        assert_eq!(
            serde_json::to_string(&Direction::In).ok().as_deref(),
            Some(r#""in""#)
        );
    }
}
