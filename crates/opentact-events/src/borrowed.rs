//! Borrowed twins of the models: the same events, read without copying their text.
//!
//! Every model struct is declared once, with `model!`, which writes three types from the one
//! field list: the owned model (`Call`, with `String`s, the one the schemas are generated from),
//! its borrowed twin (`CallRef<'a>`), whose fields borrow from the JSON text they were read
//! from, and its check twin (`CallCheck`), which keeps nothing. The twin carries the same serde attributes as the model (renames, `deny_unknown_fields`,
//! the `present`/`nullable` helpers), so it accepts exactly what the model accepts; field types
//! are mapped by [`Borrowable`]:
//!
//! | in the model | in the twin |
//! |---|---|
//! | `String`, [`StringPhone`](crate::StringPhone) | [`Text<'a>`](Text): borrowed, or owned when the JSON string has an escape |
//! | [`Timestamp`](crate::Timestamp), [`Uuid`](crate::Uuid), [`Thread`](crate::Thread), [`Email`](crate::Email), [`IpAddress`](crate::IpAddress) | `TimestampRef<'a>`, ...: the same check, done on the borrowed text |
//! | bounded integers, enums, `bool`, `f64` | the same type |
//! | [`Unspecified`](crate::Unspecified), [`UnspecifiedObject`](crate::UnspecifiedObject) | [`UnspecifiedRef`], [`UnspecifiedObjectRef`]: checked as strictly (no repeated key at any depth), not kept |
//! | `Option<T>`, `Vec<T>`, a model struct | `Option<T::Ref>`, `Vec<T::Ref>`, its twin |
//!
//! A valid event read into its twin allocates nothing (no `String` per field, no `Box`, no JSON
//! tree; the arrays the platform sends empty stay unallocated): this is the validator's fast
//! path. The check twins (`CallCheck<Policy>`, see [`Checkable`]) serve both policies for keys
//! an object does not declare: [`Deny`], the contract, refuses them as the model does, and
//! [`Allow`], the published open schemas, reads each once with any value a strict parse accepts
//! (see [`unknown`]). Read [`EventRef::from_slice`] when only the verdict or a few fields are needed; read
//! [`Event`](crate::Event) to keep the event or to be told where it is wrong.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

pub use crate::account::{AccountCheck, AccountRef, UserCheck, UserRef};
pub use crate::call::{CallCheck, ParentCallCheck, SipControlAppCheck, TnCheck};
pub use crate::call::{CallRef, ParentCallRef, SipControlAppRef, TnRef};
// The twins of each event type (`CallStateEventRef`, `AuthPayloadCheck`, ...) are declared
// with the type, in `crate::events`, and re-exported at the crate root with it.
pub use crate::events::EventRef;
pub use crate::scalar::{EmailRef, IpAddressRef, ThreadRef, TimestampRef, UuidRef};
#[doc(hidden)]
pub use unknown::ObjectKeys;
pub use unknown::{Allow, Deny, UnknownKeys};

pub mod unknown;

/// A model type and its borrowed twin: `Ref` is what a field of type `Self` becomes in the
/// twin of a struct declared with `model!`.
pub trait Borrowable<'a> {
    /// The borrowed form, read from JSON text that lives for `'a`.
    type Ref: fmt::Debug + Clone + PartialEq;
}

/// Declares a model struct and its borrowed twin from one field list (see the [module
/// docs](self)).
///
/// ```text
/// model! {
///     /// Docs of the struct.
///     #[serde(deny_unknown_fields)]
///     pub struct Tn => TnRef {
///         /// Docs of the field.
///         #[serde(deserialize_with = "nullable")]
///         pub deleted_on: Option<Timestamp>,
///     }
/// }
/// ```
///
/// Attributes come in this order, on the struct and on each field: doc comments, `serde`,
/// `schemars`, then (fields only) `cfg_attr`. The model gets all of them and derives `Debug`,
/// `Clone`, `PartialEq`, `Serialize`, `Deserialize`, `JsonSchema` (and proptest's `Arbitrary`
/// with the `proptest` feature); the twin gets the doc comments and the `serde` attributes and
/// derives `Debug`, `Clone`, `PartialEq` and `Deserialize`. A model generic over one type
/// parameter gives its twin the same parameter (the model's type, mapped in the field) and
/// needs the twin's serde bound spelled out: `pub struct Account<P> => AccountRef where
/// "P::Ref: serde::Deserialize<'de>"`.
///
/// All three read a JSON object only, never an array of their fields in order (serde's derived
/// code reads both; the schema refuses the array): their `Deserialize` is derived on private
/// shadows (the same fields and `serde` attributes) and reads through
/// [`ObjectOnly`](crate::shape::ObjectOnly) (see [`crate::shape`]). A rule across keys is given
/// as `#[check(rule)]` after the struct's other attributes: `rule!` is a macro that takes a
/// value of any of the three types and returns `Result<(), String>`, so each refuses what the
/// others refuse, with the same message (see `Call`).
///
/// Exported (hidden from the docs) so that code outside this crate can declare models the same
/// way: the drafts of `cargo xtask new-event` are compiled by its tests as such code. The
/// calling crate depends on `serde`, `schemars` and this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! model {
    (
        $(#[doc = $doc:tt])*
        $(#[serde($($serde:tt)*)])*
        $(#[schemars($($schemars:tt)*)])*
        $(#[check($rule:ident)])?
        pub struct $name:ident $(<$param:ident>)? => $twin:ident, $check:ident $(where $bound:tt)? {
            $(
                $(#[doc = $fdoc:expr])*
                $(#[serde($($fserde:tt)*)])*
                $(#[schemars($($fschemars:tt)*)])*
                $(#[cfg_attr($($fcfg:tt)*)])*
                pub $field:ident: $ty:ty,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::schemars::JsonSchema)]
        #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
        $(#[serde($($serde)*)])*
        $(#[schemars($($schemars)*)])*
        pub struct $name $(<$param>)? {
            $(
                $(#[doc = $fdoc])*
                $(#[serde($($fserde)*)])*
                $(#[schemars($($fschemars)*)])*
                $(#[cfg_attr($($fcfg)*)])*
                pub $field: $ty,
            )*
        }

        #[doc = concat!(
            "[`", stringify!($name), "`] borrowed from the JSON text it is read from: the same ",
            "keys and the same checks, no copy of the text (see [`crate::borrowed`])."
        )]
        #[derive(Debug, Clone, PartialEq)]
        pub struct $twin<'a $(, $param: $crate::borrowed::Borrowable<'a>)?> {
            $(
                $(#[doc = $fdoc])*
                pub $field: <$ty as $crate::borrowed::Borrowable<'a>>::Ref,
            )*
        }

        // The twin's derives bound its parameter (the model's field type) as they bound it.
        impl<'a $(, $param: $crate::borrowed::Borrowable<'a> + ::std::fmt::Debug + Clone + PartialEq)?>
            $crate::borrowed::Borrowable<'a> for $name $(<$param>)?
        {
            type Ref = $twin<'a $(, $param)?>;
        }

        #[doc = concat!(
            "The verdict of [`", stringify!($name), "`] without its value: the same keys and ",
            "the same checks, nothing kept (see [`crate::borrowed`])."
        )]
        #[doc = ""]
        #[doc = "`Policy` says what its objects do with a key they do not declare: `Deny` (the contract) or `Allow` (the published schemas), see `opentact_events::borrowed::unknown`."]
        pub struct $check<
            $($param: $crate::borrowed::Checkable,)?
            Policy: $crate::borrowed::UnknownKeys = $crate::borrowed::Deny,
        > {
            $(
                $(#[doc = $fdoc])*
                pub $field: <$ty as $crate::borrowed::Checkable>::Check<Policy>,
            )*
        }

        impl $(<$param: $crate::borrowed::Checkable>)? $crate::borrowed::Checkable
            for $name $(<$param>)?
        {
            type Check<Policy: $crate::borrowed::UnknownKeys> = $check<$($param,)? Policy>;
        }

        // The readers: serde's derived code on shadows of the three structs (same names, fields
        // and `serde` attributes), read through `ObjectOnly`, then moved into the structs.
        const _: () = {
            mod shadow {
                #[allow(unused_imports)]
                use super::*;

                #[derive(::serde::Deserialize)]
                $(#[serde($($serde)*)])*
                pub struct $name $(<$param>)? {
                    $(
                        $(#[serde($($fserde)*)])*
                        pub $field: $ty,
                    )*
                }

                #[derive(::serde::Deserialize)]
                $(#[serde($($serde)*)])*
                $(#[serde(bound(deserialize = $bound))])?
                pub struct $twin<'a $(, $param: $crate::borrowed::Borrowable<'a>)?> {
                    $(
                        $(#[serde($($fserde)*)])*
                        #[serde(borrow)]
                        pub $field: <$ty as $crate::borrowed::Borrowable<'a>>::Ref,
                    )*
                }

                // Without `deny_unknown_fields`: `ObjectKeys` decides unknown keys by `Policy`.
                $crate::__without_deny_unknown_fields! {
                    [#[derive(::serde::Deserialize)]]
                    [$(($($serde)*))*]
                    #[serde(bound(deserialize = ""))]
                    pub struct $check<
                        $($param: $crate::borrowed::Checkable,)?
                        Policy: $crate::borrowed::UnknownKeys,
                    > {
                        $(
                            $(#[serde($($fserde)*)])*
                            pub $field: <$ty as $crate::borrowed::Checkable>::Check<Policy>,
                        )*
                    }
                }
            }

            impl<'de $(, $param: ::serde::Deserialize<'de>)?> ::serde::Deserialize<'de>
                for $name $(<$param>)?
            {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let read = <shadow::$name $(<$param>)? as ::serde::Deserialize>::deserialize(
                        $crate::shape::ObjectOnly(deserializer),
                    )?;
                    let value = $name { $($field: read.$field,)* };
                    $($rule!(value).map_err(<D::Error as ::serde::de::Error>::custom)?;)?
                    Ok(value)
                }
            }

            impl<'de: 'a, 'a $(, $param: $crate::borrowed::Borrowable<'a>)?> ::serde::Deserialize<'de>
                for $twin<'a $(, $param)?>
            where
                $(<$param as $crate::borrowed::Borrowable<'a>>::Ref: ::serde::Deserialize<'de>,)?
            {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let read = <shadow::$twin<'a $(, $param)?> as ::serde::Deserialize>::deserialize(
                        $crate::shape::ObjectOnly(deserializer),
                    )?;
                    let value = $twin { $($field: read.$field,)* };
                    $($rule!(value).map_err(<D::Error as ::serde::de::Error>::custom)?;)?
                    Ok(value)
                }
            }

            impl<'de, $($param: $crate::borrowed::Checkable,)? Policy: $crate::borrowed::UnknownKeys>
                ::serde::Deserialize<'de> for $check<$($param,)? Policy>
            {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let read = <shadow::$check<$($param,)? Policy> as ::serde::Deserialize>::deserialize(
                        $crate::shape::ObjectOnly($crate::borrowed::ObjectKeys::<D, Policy>::new(deserializer)),
                    )?;
                    let value = $check { $($field: read.$field,)* };
                    $($rule!(value).map_err(<D::Error as ::serde::de::Error>::custom)?;)?
                    Ok(value)
                }
            }
        };
    };
}

#[doc(hidden)]
pub use crate::model;

/// Writes an item after the given attributes, the `serde` ones (given as their parenthesised
/// contents) without `deny_unknown_fields`: the shadow of a check twin, whose unknown keys
/// [`ObjectKeys`] decides. `deny_unknown_fields` is dropped alone or first in its attribute;
/// anywhere else it stays, and the twin then refuses unknown keys in both policies (the tests
/// hold every struct of the catalog to accepting them with [`Allow`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __without_deny_unknown_fields {
    ([$($kept:tt)*] [] $($item:tt)*) => {
        $($kept)* $($item)*
    };
    ([$($kept:tt)*] [(deny_unknown_fields) $($rest:tt)*] $($item:tt)*) => {
        $crate::__without_deny_unknown_fields! { [$($kept)*] [$($rest)*] $($item)* }
    };
    ([$($kept:tt)*] [(deny_unknown_fields, $($more:tt)+) $($rest:tt)*] $($item:tt)*) => {
        $crate::__without_deny_unknown_fields! { [$($kept)* #[serde($($more)+)]] [$($rest)*] $($item)* }
    };
    ([$($kept:tt)*] [($($attr:tt)*) $($rest:tt)*] $($item:tt)*) => {
        $crate::__without_deny_unknown_fields! { [$($kept)* #[serde($($attr)*)]] [$($rest)*] $($item)* }
    };
}

/// Types that are their own borrowed form and their own check: they hold no text (enums,
/// bounded integers). Exported, hidden, for the same reason as [`model!`](crate::model).
#[doc(hidden)]
#[macro_export]
macro_rules! borrowable_as_itself {
    ($($ty:ty),* $(,)?) => {
        $(impl<'a> $crate::borrowed::Borrowable<'a> for $ty {
            type Ref = $ty;
        }

        impl $crate::borrowed::Checkable for $ty {
            type Check<Policy: $crate::borrowed::UnknownKeys> = $ty;
        })*
    };
}

borrowable_as_itself!(bool, f64, ());
#[doc(hidden)]
pub use crate::borrowable_as_itself;

impl<'a, T: Borrowable<'a>> Borrowable<'a> for Option<T> {
    type Ref = Option<T::Ref>;
}

impl<'a, T: Borrowable<'a>> Borrowable<'a> for Vec<T> {
    type Ref = Vec<T::Ref>;
}

impl<'a> Borrowable<'a> for String {
    type Ref = Text<'a>;
}

/// A model type and its check: `Check` is what a field of type `Self` becomes in the check
/// twin of a struct declared with `model!`. It reads the same JSON as `Self`, refuses what
/// `Self` refuses, and keeps nothing: a string is checked where it lies in the text (or in the
/// parser's scratch buffer when it has an escape), an array of checks is an empty `Vec` of a
/// zero-sized type, so checking a valid event allocates nothing at all.
pub trait Checkable {
    /// The check, a type that keeps nothing (or a small `Copy` value such as an enum), whose
    /// objects treat the keys they do not declare as `Policy` says ([`Deny`] or [`Allow`]).
    type Check<Policy: UnknownKeys>: de::DeserializeOwned;
}

impl<T: Checkable> Checkable for Option<T> {
    type Check<Policy: UnknownKeys> = Option<T::Check<Policy>>;
}

impl<T: Checkable> Checkable for Vec<T> {
    type Check<Policy: UnknownKeys> = Vec<T::Check<Policy>>;
}

impl Checkable for String {
    type Check<Policy: UnknownKeys> = AnyText;
}

impl Checkable for crate::Unspecified {
    type Check<Policy: UnknownKeys> = UnspecifiedRef;
}

impl Checkable for crate::UnspecifiedObject {
    type Check<Policy: UnknownKeys> = UnspecifiedObjectRef;
}

/// The check of a `String`: any JSON string, not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AnyText;

impl<'de> Deserialize<'de> for AnyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(CheckVisitor(|_: &str| Ok(()), "a string"))?;
        Ok(AnyText)
    }
}

/// A string type whose text is checked by a function (the checked scalars of [`crate::scalar`]).
pub trait TextCheck {
    /// Why `text` is refused, if it is.
    fn check(text: &str) -> Result<(), &'static str>;
}

/// The check of a checked string type `T`: the same check on the text, nothing kept.
pub struct Checked<T>(std::marker::PhantomData<fn() -> T>);

impl<T> fmt::Debug for Checked<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Checked")
    }
}

impl<'de, T: TextCheck> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(CheckVisitor(T::check, "a string"))?;
        Ok(Checked(std::marker::PhantomData))
    }
}

/// Visits a string with a check; the error names the text and the reason, as the model's does.
struct CheckVisitor<F>(F, &'static str);

impl<F: FnOnce(&str) -> Result<(), &'static str>> Visitor<'_> for CheckVisitor<F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        (self.0)(v).map_err(|reason| E::invalid_value(de::Unexpected::Str(v), &reason))
    }
}

/// The text of a JSON string: borrowed from the input, or owned when the string has an escape
/// (`\n`, `\u00e9`) and its text therefore differs from its bytes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'a> Text<'a> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as an owned `String` (a copy, unless it is already owned).
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(TextVisitor)
    }
}

/// The borrowed form of [`Unspecified`](crate::Unspecified): any JSON value, checked as the
/// model checks it (no repeated key at any depth; numbers that serde_json reads), and not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnspecifiedRef;

/// The borrowed form of [`UnspecifiedObject`](crate::UnspecifiedObject): any JSON object,
/// checked as the model checks it (no repeated key at any depth), and not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnspecifiedObjectRef;

impl Borrowable<'_> for crate::Unspecified {
    type Ref = UnspecifiedRef;
}

impl Borrowable<'_> for crate::UnspecifiedObject {
    type Ref = UnspecifiedObjectRef;
}

impl<'de> Deserialize<'de> for UnspecifiedRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictAny { object_only: false })?;
        Ok(UnspecifiedRef)
    }
}

impl<'de> Deserialize<'de> for UnspecifiedObjectRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictAny { object_only: true })?;
        Ok(UnspecifiedObjectRef)
    }
}

/// Walks any JSON value as [`StrictValue`](crate::json::StrictValue) reads it, refusing what it
/// refuses (a repeated key at any depth), without building it. With `object_only`, the value
/// itself must be an object.
#[derive(Clone, Copy)]
struct StrictAny {
    object_only: bool,
}

impl StrictAny {
    #[cfg(test)]
    fn to_string_expecting(self) -> String {
        struct Expecting(StrictAny);
        impl fmt::Display for Expecting {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                Visitor::expecting(&self.0, f)
            }
        }
        Expecting(self).to_string()
    }

    fn scalar<E: de::Error>(self, unexpected: de::Unexpected<'_>) -> Result<(), E> {
        if self.object_only {
            Err(E::invalid_type(unexpected, &self))
        } else {
            Ok(())
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictAny {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictAny {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.object_only {
            "an object"
        } else {
            "a JSON value"
        })
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(de::Unexpected::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(de::Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(de::Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(de::Unexpected::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(de::Unexpected::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(de::Unexpected::Unit)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar(de::Unexpected::Option)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.object_only {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        while seq
            .next_element_seed(StrictAny { object_only: false })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = KeySet::default();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            if !keys.insert(key) {
                return Err(de::Error::custom("duplicate key"));
            }
            map.next_value_seed(StrictAny { object_only: false })?;
        }
        Ok(())
    }
}

/// The keys of one object seen so far: a short list searched in order, then a tree, so that an
/// object with very many keys costs `n log n`, not `n²`.
#[derive(Default)]
struct KeySet<'de> {
    few: Vec<Text<'de>>,
    many: BTreeSet<Text<'de>>,
}

impl<'de> KeySet<'de> {
    const FEW: usize = 16;

    /// Adds `key`; false if it was already there.
    fn insert(&mut self, key: Text<'de>) -> bool {
        if self.many.is_empty() {
            if self.few.contains(&key) {
                return false;
            }
            if self.few.len() < Self::FEW {
                self.few.push(key);
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unspecified(text: &str) -> bool {
        serde_json::from_str::<UnspecifiedRef>(text).is_ok()
    }

    fn unspecified_object(text: &str) -> bool {
        serde_json::from_str::<UnspecifiedObjectRef>(text).is_ok()
    }

    #[test]
    fn text_borrows_unless_escaped() {
        let plain: Text<'_> = serde_json::from_str(r#""abc""#).expect("a string");
        assert!(matches!(plain.0, Cow::Borrowed("abc")));
        let escaped: Text<'_> = serde_json::from_str(r#""a\nc""#).expect("a string");
        assert!(matches!(&escaped.0, Cow::Owned(s) if s == "a\nc"));
        assert_eq!(escaped.as_str(), "a\nc");
        assert_eq!(&*plain, "abc");
        assert_eq!(plain.to_string(), "abc");
        assert_eq!(format!("{escaped:?}"), r#""a\nc""#);
        assert_eq!(
            serde_json::to_string(&escaped).ok().as_deref(),
            Some(r#""a\nc""#)
        );
        assert_eq!(escaped.into_owned(), "a\nc");
        assert!(serde_json::from_str::<Text<'_>>("1").is_err());
    }

    #[test]
    fn checks_read_escaped_text_and_refuse_what_the_model_refuses() {
        use crate::{Timestamp, Uuid};
        let check = |text: &str| serde_json::from_str::<Checked<Uuid>>(text).is_ok();
        let model = |text: &str| serde_json::from_str::<Uuid>(text).is_ok();
        for text in [
            r#""58699aff-b3dd-46b6-b428-029cde3368a4""#,
            r#""\u00358699aff-b3dd-46b6-b428-029cde3368a4""#,
            r#""58699aff-b3dd-46b6-b428-029cde3368a""#,
            r#""58699aff-b3dd-46b6-b428-029cde3368a4\n""#,
            "58699",
            "null",
            "[]",
        ] {
            assert_eq!(check(text), model(text), "{text}");
        }
        assert!(check(r#""\u00358699aff-b3dd-46b6-b428-029cde3368a4""#));
        assert!(
            serde_json::from_str::<Checked<Timestamp>>(r#""2024-02-29T00:00:00.000Z""#).is_ok()
        );
        assert!(
            serde_json::from_str::<Checked<Timestamp>>(r#""2023-02-29T00:00:00.000Z""#).is_err()
        );
        assert!(serde_json::from_str::<AnyText>(r#""a\nb""#).is_ok());
        // The errors name what was expected (a model's error, not shown to users, but kept
        // honest): the checks', the text's and the unspecified values'.
        let message = |result: Result<(), serde_json::Error>| {
            result.err().map(|e| e.to_string()).unwrap_or_default()
        };
        assert!(message(serde_json::from_str::<AnyText>("1").map(drop)).contains("a string"));
        assert!(message(serde_json::from_str::<Checked<Uuid>>("1").map(drop)).contains("a string"));
        assert!(message(serde_json::from_str::<Text<'_>>("1").map(drop)).contains("a string"));
        assert!(
            message(serde_json::from_str::<UnspecifiedObjectRef>("1").map(drop))
                .contains("an object")
        );
        assert_eq!(
            format!("{:?}", Checked::<Uuid>(std::marker::PhantomData)),
            "Checked"
        );
        assert_eq!(
            StrictAny { object_only: false }.to_string_expecting(),
            "a JSON value"
        );
        assert!(serde_json::from_str::<AnyText>("1").is_err());
        assert!(serde_json::from_str::<AnyText>("null").is_err());
    }

    #[test]
    fn unspecified_values_are_checked_as_the_model_checks_them() {
        for ok in [
            "null",
            "1",
            "-1",
            "1.5",
            "true",
            "\"x\"",
            "[]",
            "[1,[2,{}]]",
            "{}",
        ] {
            assert!(unspecified(ok), "{ok}");
            assert!(
                serde_json::from_str::<crate::Unspecified>(ok).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,"\u0061":2}"#,
            r#"[{"b":{"c":1,"c":1}}]"#,
            "1e999",
            "[1,]",
            r#""\ud800""#,
        ] {
            assert!(!unspecified(bad), "{bad}");
            assert!(
                serde_json::from_str::<crate::Unspecified>(bad).is_err(),
                "{bad}"
            );
        }
        assert!(unspecified_object(r#"{"a":[1,{"b":null}]}"#));
        assert!(unspecified_object("{}"));
        for not_object in ["null", "1", "-1", "1.5", "true", "\"x\"", "[]"] {
            assert!(!unspecified_object(not_object), "{not_object}");
        }
        assert!(!unspecified_object(r#"{"a":{"b":1,"b":1}}"#));
    }

    #[test]
    fn many_keys_are_told_apart_in_both_forms_of_the_key_set() {
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let object = format!("{{{}}}", keys.join(","));
        assert!(unspecified_object(&object));
        for repeated in [0, 5, 16, 17, 39] {
            let bad = format!("{{{},\"k{repeated}\":0}}", keys.join(","));
            assert!(!unspecified_object(&bad), "k{repeated}");
        }
        let mut set = KeySet::default();
        for i in 0..20 {
            assert!(set.insert(Text(Cow::Owned(format!("{i}")))));
        }
        assert!(!set.insert(Text(Cow::Borrowed("3"))));
        assert!(!set.insert(Text(Cow::Borrowed("19"))));
        assert!(set.insert(Text(Cow::Borrowed("20"))));
    }
}
