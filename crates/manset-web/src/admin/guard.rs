//! The one door every check of a member's secret goes through: the login's
//! password and two-factor code, the current password on `/yonetim/parola`,
//! and the password and code that turn two-factor sign-in off.
//!
//! An attempt is reserved in the store before the secret is checked
//! (`Store::reserve_attempt`), under two keys: the e-mail address tried from
//! this client address, and the client address alone. A right secret gives
//! the attempt back; a wrong one leaves it counted. Delays grow with
//! failures (`manset_core::throttle`); nobody is ever locked out by what
//! somebody else does from another address.
//!
//! Invariant: the keys name the e-mail address as typed (lowercased), never
//! whether an account has it, so an unknown address is throttled exactly
//! like a known one.

use std::future::Future;
use std::net::IpAddr;

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_core::throttle::{PER_ACCOUNT_AND_ADDRESS, PER_ADDRESS, Policy};
use manset_store::Attempt;

use crate::Snapshot;
use crate::error::WebError;

/// What came of an attempt at a secret.
#[derive(Debug)]
pub enum Checked<T> {
    /// The secret was right; here is what the check found.
    Right(T),
    /// The secret was wrong (or there was none to match).
    Wrong,
    /// Not checked: too many failures in a row; try again in this many seconds.
    Wait(i64),
}

/// The throttle's keys for attempts at `email`'s secrets from `ip`.
fn keys(email: &str, ip: IpAddr) -> [(String, Policy); 2] {
    let email = manset_core::email::normalize(email);
    [(format!("login:{email}|{ip}"), PER_ACCOUNT_AND_ADDRESS), (format!("login-ip:{ip}"), PER_ADDRESS)]
}

/// Runs `check` (a future that finds the secret right, `Some`, or wrong,
/// `None`) if the throttle lets an attempt at `email`'s secrets from `ip`
/// through at `now`; the attempt is counted before `check` starts.
pub async fn attempt<T>(
    state: &Snapshot,
    email: &str,
    ip: IpAddr,
    now: Timestamp,
    check: impl Future<Output = Result<Option<T>, WebError>>,
) -> Result<Checked<T>, WebError> {
    let keys = keys(email, ip);
    let keys: Vec<(&str, Policy)> = keys.iter().map(|(k, p)| (k.as_str(), *p)).collect();
    if let Attempt::Wait { until } = state.store().reserve_attempt(&keys, now).await? {
        return Ok(Checked::Wait((until.as_second() - now.as_second()).max(1)));
    }
    match check.await? {
        Some(found) => {
            state.store().refund_attempt(&keys).await?;
            Ok(Checked::Right(found))
        }
        None => Ok(Checked::Wrong),
    }
}

/// After a whole sign-in succeeded (password, and code where one is needed):
/// the failures of `email` from `ip` are forgotten. Those of the address
/// alone are not, or an attacker with an account of their own could reset
/// the count between guesses at others'.
pub async fn signed_in(state: &Snapshot, email: &str, ip: IpAddr) -> Result<(), WebError> {
    let [(pair, _), _] = keys(email, ip);
    state.store().clear_login_failures(&pair).await?;
    Ok(())
}

/// "Try again in …" in the site's language, for `seconds`.
pub fn wait_text(state: &Snapshot, seconds: i64) -> String {
    let theme = state.theme();
    let (n, key) = wait_in_words(seconds);
    let wait = theme.text(key).replace("{n}", &n.to_string());
    theme.text("admin_throttled").replace("{wait}", &wait)
}

/// A wait as a number and the translation key of its unit: up to a minute
/// and a half in seconds, beyond in whole minutes rounded up; the singular
/// key for 1 (English says "1 second" but "2 seconds").
fn wait_in_words(seconds: i64) -> (i64, &'static str) {
    match seconds {
        ..=1 => (1, "admin_wait_second"),
        2..=90 => (seconds, "admin_wait_seconds"),
        _ => (seconds.div_euclid(60) + i64::from(seconds % 60 != 0), "admin_wait_minutes"),
    }
}

/// A throttled answer: 429 with `Retry-After`, around `page`.
pub fn too_many(seconds: i64, page: impl IntoResponse) -> Response {
    let mut response = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_seconds_then_in_whole_minutes() {
        assert_eq!(wait_in_words(0), (1, "admin_wait_second"));
        assert_eq!(wait_in_words(1), (1, "admin_wait_second"));
        assert_eq!(wait_in_words(2), (2, "admin_wait_seconds"));
        assert_eq!(wait_in_words(90), (90, "admin_wait_seconds"));
        assert_eq!(wait_in_words(91), (2, "admin_wait_minutes"));
        assert_eq!(wait_in_words(900), (15, "admin_wait_minutes"));
        assert_eq!(wait_in_words(899), (15, "admin_wait_minutes"));
    }

    #[test]
    fn the_keys_never_say_whether_an_account_exists() {
        let [(pair, _), (address, _)] = keys(" Kimse@Example.com ", "203.0.113.9".parse().unwrap());
        assert_eq!(pair, "login:kimse@example.com|203.0.113.9");
        assert_eq!(address, "login-ip:203.0.113.9");
    }
}
