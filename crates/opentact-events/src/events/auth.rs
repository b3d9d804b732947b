//! The `auth` event type's own model: its payload. The user and account it carries are
//! [`User`](crate::User) and [`AuthAccount`](crate::AuthAccount), in `account.rs`.

use crate::account::{AuthAccount, User};
use crate::borrowed::model;
use crate::scalar::{IpAddress, Uuid};

model! {
/// The payload of an `auth` event: who logged in, from where.
#[serde(deny_unknown_fields)]
pub struct AuthPayload => AuthPayloadRef, AuthPayloadCheck {
    /// The WebSocket connection's id.
    pub uuid: Uuid,
    /// The address the connection came from.
    pub ip: IpAddress,
    /// The user who logged in.
    pub user: User,
    /// The user's account.
    pub account: AuthAccount,
}
}
