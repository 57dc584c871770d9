//! `/yonetim/iki-adim`: a member's own two-factor sign-in. Turning it on
//! shows a new secret (base32, the `otpauth://` address and its QR code) and
//! takes it once a code from the app proves the app has it; ten recovery
//! codes are shown then, once. Turning it off takes the password and a code.
//! [`check`] is the one place a typed code is accepted, at login and here.
//!
//! The secret being enrolled lives in a signed form field
//! (`totp:<member>:<time>:<secret>`), not in the database, until confirmed:
//! a page left open costs nothing, and no other member's form can carry it.
//! Secrets and codes are never logged.

use crate::input::{Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_core::Action;
use manset_core::totp::{self, Secret};
use serde::{Deserialize, Serialize};

use super::guard::{self, Checked};
use super::{Flash, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use manset_service::accounts;

/// How long an enrolment page's secret may be confirmed.
const ENROL_SECONDS: i64 = 3600;

/// How a right code was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Used {
    /// The app's current code.
    Code,
    /// A recovery code, now used up; this many are left.
    RecoveryCode { left: u32 },
}

/// Whether `typed` is a right code of member `user_id` at `now`: six digits
/// are a TOTP code, accepted once per time step; anything else is tried as
/// a recovery code, accepted once. A right code is used up before this
/// returns.
pub async fn check(state: &Snapshot, user_id: i64, typed: &str, now: Timestamp) -> Result<Option<Used>, WebError> {
    let Some(factor) = state.store().two_factor(user_id).await? else { return Ok(None) };
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == totp::DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
        let Ok(secret) = Secret::from_base32(&factor.secret) else { return Ok(None) };
        let Some(step) = secret.verify(&digits, now.as_second(), factor.last_step) else { return Ok(None) };
        // Two requests with one code: the store lets one of them through.
        return Ok(state.store().use_totp_step(user_id, step).await?.then_some(Used::Code));
    }
    let Some(normalized) = totp::normalize_recovery_code(typed) else { return Ok(None) };
    let left = state.store().use_recovery_code(user_id, &accounts::recovery_code_hash(&normalized), now).await?;
    Ok(left.map(|left| Used::RecoveryCode { left }))
}

/// A secret on its way in: what the page shows and the signed field that
/// brings it back.
#[derive(Debug, Serialize)]
struct Enrolment {
    /// Base32, in groups of four for typing.
    secret: String,
    uri: String,
    /// The QR code of `uri`, an `<svg>` element made by the qrcode crate
    /// from our own address: no outside text reaches it as markup.
    qr_svg: String,
    token: String,
}

#[derive(Debug, Serialize)]
struct TwoFactorPage {
    enabled: bool,
    /// The member's role must use it (`security.two_factor_roles`).
    required: bool,
    codes_left: u32,
    enrol: Option<Enrolment>,
    /// Shown once, right after enrolment.
    recovery_codes: Vec<String>,
    flash: Option<Flash>,
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    kapatildi: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct EnableForm {
    anahtar: Option<String>,
    kod: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DisableForm {
    password: Option<String>,
    kod: Option<String>,
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> WebError {
    WebError::Internal(Box::new(e))
}

/// The `otpauth://` address an authenticator app reads from the QR code
/// (Google's "Key Uri Format", which every app follows): `issuer` is the
/// site's name, `account` the member's e-mail address (its `@` left as it
/// is, as the format's own examples do).
fn otpauth_uri(secret: &Secret, issuer: &str, account: &str) -> String {
    use manset_text::percent;
    let issuer = percent::encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={}&period={}",
        percent::encode_keeping(account, b"@"),
        secret.to_base32(),
        totp::DIGITS,
        totp::STEP_SECONDS
    )
}

/// The QR code of `text` as an inline `<svg>` element.
fn qr_svg(text: &str) -> Result<String, WebError> {
    use qrcode::render::svg::Color;
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(internal)?;
    let svg = code
        .render::<Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(Color("#000"))
        .light_color(Color("#fff"))
        .build();
    // Inline in HTML: the element without the XML declaration.
    Ok(svg.find("<svg").map_or_else(|| svg.clone(), |at| svg[at..].to_owned()))
}

/// The enrolment of `secret` by `staff`, signed at `now`.
fn enrolment(state: &Snapshot, staff: &Staff, secret: &Secret, now: Timestamp) -> Result<Enrolment, WebError> {
    let base32 = secret.to_base32();
    let uri = otpauth_uri(secret, &state.site().name, &staff.user.email);
    let grouped = base32.as_bytes().chunks(4).filter_map(|c| std::str::from_utf8(c).ok()).collect::<Vec<_>>().join(" ");
    Ok(Enrolment {
        secret: grouped,
        qr_svg: qr_svg(&uri)?,
        uri,
        token: state.signer().sign(&format!("totp:{}:{}:{base32}", staff.user.id, now.as_second())),
    })
}

/// The secret of a signed enrolment field, if `staff` was given it within
/// [`ENROL_SECONDS`].
fn enrolled_secret(state: &Snapshot, staff: &Staff, token: &str, now: Timestamp) -> Option<Secret> {
    let payload = state.signer().verify(token)?;
    let mut parts = payload.strip_prefix("totp:")?.splitn(3, ':');
    let (user, at) = (parts.next()?.parse::<i64>().ok()?, parts.next()?.parse::<i64>().ok()?);
    let fresh = (0..=ENROL_SECONDS).contains(&(now.as_second() - at));
    if user != staff.user.id || !fresh {
        return None;
    }
    Secret::from_base32(parts.next()?).ok()
}

async fn screen(
    state: &Snapshot,
    staff: &Staff,
    status: StatusCode,
    enrol: Option<Enrolment>,
    recovery_codes: Vec<String>,
    flash: Option<Flash>,
) -> Result<Response, WebError> {
    let enabled = state.store().two_factor(staff.user.id).await?.is_some();
    let page = TwoFactorPage {
        enabled,
        required: state.security().requires_two_factor(staff.user.role),
        codes_left: if enabled { state.store().recovery_codes_left(staff.user.id).await? } else { 0 },
        enrol: if enabled { None } else { enrol },
        recovery_codes,
        flash,
    };
    let html = render(state, "admin/two_factor.html", Some(staff), "two_factor_title", "two_factor", &page)?;
    Ok((status, html).into_response())
}

pub async fn show(state: Snapshot, staff: Staff, Query(query): Query<ShowQuery>) -> Result<Response, WebError> {
    staff.require(Action::ChangeOwnPassword)?;
    let now = state.now();
    let enrol = if staff.two_factor {
        None
    } else {
        Some(enrolment(&state, &staff, &accounts::new_totp_secret().map_err(internal)?, now)?)
    };
    let flash = if query.kapatildi.is_some() {
        Some(Flash::success(&state, "two_factor_disabled"))
    } else if !staff.two_factor && state.security().requires_two_factor(staff.user.role) {
        Some(Flash::error(&state, "two_factor_required"))
    } else {
        None
    };
    screen(&state, &staff, StatusCode::OK, enrol, Vec::new(), flash).await
}

pub async fn enable(state: Snapshot, staff: Staff, Form(form): Form<EnableForm>) -> Result<Response, WebError> {
    staff.require(Action::ChangeOwnPassword)?;
    if staff.two_factor {
        return Ok(see_other("/yonetim/iki-adim"));
    }
    let now = state.now();
    let token = form.anahtar.unwrap_or_default();
    let Some(secret) = enrolled_secret(&state, &staff, &token, now) else {
        let fresh = enrolment(&state, &staff, &accounts::new_totp_secret().map_err(internal)?, now)?;
        let flash = Flash::error(&state, "two_factor_expired");
        return screen(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, Some(fresh), Vec::new(), Some(flash)).await;
    };
    let Some(step) = secret.verify(form.kod.as_deref().unwrap_or_default(), now.as_second(), None) else {
        // The same secret again: the member's app already holds it.
        let again = Enrolment { token, ..enrolment(&state, &staff, &secret, now)? };
        let flash = Flash::error(&state, "two_factor_code_wrong");
        return screen(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, Some(again), Vec::new(), Some(flash)).await;
    };
    let codes = accounts::new_recovery_codes().map_err(internal)?;
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| totp::normalize_recovery_code(c))
        .map(|c| accounts::recovery_code_hash(&c))
        .collect();
    if !state.store().enable_two_factor(staff.user.id, &secret.to_base32(), step, &hashes).await? {
        return Ok(see_other("/yonetim/iki-adim"));
    }
    tracing::info!(user = staff.user.id, "two-factor sign-in turned on");
    staff.audit(&state, "2fa.enable", "", "").await;
    let flash = Flash::success(&state, "two_factor_enabled");
    screen(&state, &staff, StatusCode::OK, None, codes, Some(flash)).await
}

pub async fn disable(state: Snapshot, staff: Staff, Form(form): Form<DisableForm>) -> Result<Response, WebError> {
    staff.require(Action::ChangeOwnPassword)?;
    if !staff.two_factor {
        return Ok(see_other("/yonetim/iki-adim"));
    }
    let now = state.now();
    let (password, typed) = (form.password.unwrap_or_default(), form.kod.unwrap_or_default());
    let check = async {
        let hash = state.store().password_hash(staff.user.id).await?.unwrap_or_default();
        let right =
            tokio::task::spawn_blocking(move || accounts::verify_password(&password, &hash)).await.map_err(internal)?;
        // The code is tried (and used up) only after the right password.
        if !right {
            return Ok(None);
        }
        check(&state, staff.user.id, &typed, now).await
    };
    match guard::attempt(&state, &staff.user.email, staff.ip, now, check).await? {
        Checked::Right(_) => {
            state.store().disable_two_factor(staff.user.id).await?;
            tracing::info!(user = staff.user.id, "two-factor sign-in turned off");
            staff.audit(&state, "2fa.disable", "", "").await;
            Ok(see_other("/yonetim/iki-adim?kapatildi=1"))
        }
        Checked::Wrong => {
            staff.audit(&state, "2fa.code_failed", "", "").await;
            let flash = Flash::error(&state, "two_factor_disable_wrong");
            screen(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, None, Vec::new(), Some(flash)).await
        }
        Checked::Wait(seconds) => {
            let flash = Flash { kind: "error", text: guard::wait_text(&state, seconds) };
            Ok(guard::too_many(seconds, screen(&state, &staff, StatusCode::OK, None, Vec::new(), Some(flash)).await?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_otpauth_address_names_the_site_the_member_and_the_secret() {
        // RFC 6238 appendix B's SHA-1 secret.
        let secret = Secret::from_bytes(b"12345678901234567890");
        let uri = otpauth_uri(&secret, "Kafkas Postası", "ayse@example.com");
        assert_eq!(
            uri,
            "otpauth://totp/Kafkas%20Postas%C4%B1:ayse@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Kafkas%20Postas%C4%B1&algorithm=SHA1&digits=6&period=30"
        );
    }
}
