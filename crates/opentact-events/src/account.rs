//! Accounts and users.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::borrowed::{AnyText, Borrowable, Checkable, Text, model};
use crate::scalar::de_helpers::{nullable, present};
use crate::scalar::{Email, NumericPhone, Timestamp, Unspecified, Uuid};
use crate::wire_enum;

wire_enum! {
/// An account's service level (the platform's API specification lists these values).
#[allow(missing_docs)]
pub enum AccountLevel {
    Level0,
    Level1,
    Level2,
    ServiceAccount,
}
}

model! {
/// A copy of an account, as events carry it.
///
/// The platform writes the same account differently by context: in call events `phone` is a
/// JSON integer and `balance` is present; in the `auth` event `phone` is a string and `balance`
/// is absent.
#[serde(deny_unknown_fields)]
#[schemars(rename = "Account{P}")]
pub struct Account<P> => AccountRef, AccountCheck where "P::Ref: Deserialize<'de>" {
    /// When the account was created.
    pub created_on: Timestamp,
    /// When the account last changed.
    pub modified_on: Timestamp,
    /// The account's id.
    pub uuid: Uuid,
    /// The account's contact email.
    pub email: Email,
    /// The account's name.
    pub name: String,
    /// The account's phone number: a JSON integer in call events, a string in the `auth` event.
    pub phone: P,
    /// The account's service level.
    pub level: AccountLevel,
    /// First line of the postal address.
    pub address1: String,
    /// Second line of the postal address.
    pub address2: String,
    /// Postal code, as a string (it may have leading zeros).
    pub zip_code: String,
    /// City of the postal address.
    pub city: String,
    /// When the account was deleted, or null.
    #[serde(deserialize_with = "nullable")]
    pub deleted_on: Option<Timestamp>,
    /// When the account was disabled, or null.
    #[serde(deserialize_with = "nullable")]
    pub disabled_on: Option<Timestamp>,
    /// The account's balance, in the account's currency, with up to 5 decimals. Present in call
    /// events, absent in the `auth` event.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schemars(with = "f64")]
    #[cfg_attr(feature = "proptest", proptest(strategy = "arbitrary::balance()"))]
    pub balance: Option<f64>,
}
}

/// The account as call events carry it: `phone` is a JSON integer.
pub type CallAccount = Account<NumericPhone>;

/// The account as the `auth` event carries it: `phone` is a string.
pub type AuthAccount = Account<StringPhone>;

/// A phone number sent as a JSON string: digits, which may start with `+` or `0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[serde(transparent)]
pub struct StringPhone(pub String);

/// Read borrowed as the text it holds: a string phone has no check of its own.
impl<'a> Borrowable<'a> for StringPhone {
    type Ref = Text<'a>;
}

impl Checkable for StringPhone {
    type Check<Policy: crate::borrowed::UnknownKeys> = AnyText;
}

wire_enum! {
/// A user's role (the platform's API specification lists these values).
#[allow(missing_docs)]
pub enum UserRole {
    Admin,
    User,
    Provider,
}
}

wire_enum! {
/// A user's gender, as the platform's API specification lists it.
#[allow(missing_docs)]
pub enum Gender {
    Male,
    Female,
    Other,
}
}

model! {
/// A user of the platform, as the `auth` event carries it.
#[serde(deny_unknown_fields)]
pub struct User => UserRef, UserCheck {
    /// When the user was created.
    pub created_on: Timestamp,
    /// When the user last changed.
    pub modified_on: Timestamp,
    /// The user's id.
    pub uuid: Uuid,
    /// The user's login email.
    pub email: Email,
    /// The user's phone number.
    pub phone_number: StringPhone,
    /// The user's first name.
    pub first_name: String,
    /// Whether the user has a WebSocket connection open.
    pub wss_online: bool,
    /// The user's last name.
    pub last_name: String,
    /// Seen only as null; shape not yet specified (presumably an image URL).
    pub avatar: Unspecified,
    /// Seen only as null; shape not yet specified (presumably a date of birth).
    pub dob: Unspecified,
    /// The user's role.
    pub role: UserRole,
    /// The user's gender, or null.
    #[serde(deserialize_with = "nullable")]
    pub gender: Option<Gender>,
    /// When the user was deleted, or null.
    #[serde(deserialize_with = "nullable")]
    pub deleted_on: Option<Timestamp>,
}
}

#[cfg(feature = "proptest")]
mod arbitrary {
    use proptest::prelude::*;

    /// Balances as the platform writes them: finite, with up to 5 decimals.
    pub fn balance() -> impl Strategy<Value = Option<f64>> {
        proptest::option::of((-10_000_000i64..10_000_000_000i64).prop_map(|n| n as f64 / 1e5))
    }
}
