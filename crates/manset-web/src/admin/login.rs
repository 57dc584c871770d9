//! `/yonetim/giris` and `/yonetim/cikis`: logging in and out.
//!
//! A right password makes the session, or, for a member with two-factor
//! sign-in, a page asking for the code: a signed step
//! (`2fa:<id>:<time>:<codes used>`, good for [`STEP_SECONDS`]) carries the
//! password's success to `/yonetim/giris/kod`, and only a right code makes
//! the session. A step serves one login: once any code of the member has
//! been accepted, its `<codes used>` no longer match. Every password and
//! code goes through [`guard`]'s throttle. The answer never tells whether an
//! e-mail address has an account.

use std::net::IpAddr;

use crate::input::{Form, Query};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_core::User;
use serde::{Deserialize, Serialize};

use super::guard::{self, Checked};
use super::two_factor::{self, Used};
use super::{Flash, SESSION_COOKIE, SESSION_SECONDS, Staff, render};
use crate::Snapshot;
use crate::client_ip::ClientIp;
use crate::cookies;
use crate::error::WebError;
use manset_service::accounts;

/// How long after the right password the code may be given.
const STEP_SECONDS: i64 = 5 * 60;

#[derive(Debug, Deserialize)]
pub struct Next {
    sonra: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    email: Option<String>,
    password: Option<String>,
    sonra: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    /// The signed step from the password's page.
    adim: Option<String>,
    kod: Option<String>,
    sonra: Option<String>,
}

#[derive(Debug, Serialize)]
struct LoginPage {
    email: String,
    next: String,
    flash: Option<Flash>,
}

#[derive(Debug, Serialize)]
struct CodePage {
    step: String,
    next: String,
    flash: Option<Flash>,
}

/// Only paths inside the newsroom are followed after login: no open redirect.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/yonetim") && !n.starts_with("//") && !n.contains("://") => n.to_owned(),
        _ => "/yonetim".to_owned(),
    }
}

pub async fn show(state: Snapshot, Query(next): Query<Next>) -> Result<Response, WebError> {
    let page = LoginPage { email: String::new(), next: safe_next(next.sonra.as_deref()), flash: None };
    Ok(render(&state, "admin/login.html", None, "admin_login_title", "login", &page)?.into_response())
}

fn login_page(state: &Snapshot, status: StatusCode, page: &LoginPage) -> Result<Response, WebError> {
    Ok((status, render(state, "admin/login.html", None, "admin_login_title", "login", page)?).into_response())
}

fn code_page(state: &Snapshot, status: StatusCode, page: &CodePage) -> Result<Response, WebError> {
    Ok((status, render(state, "admin/login_code.html", None, "admin_login_code_title", "login", page)?).into_response())
}

/// Writes an audit entry for someone not logged in (yet).
async fn audit(
    state: &Snapshot,
    user: Option<&User>,
    email: &str,
    action: &str,
    detail: &str,
    ip: IpAddr,
    now: Timestamp,
) {
    let actor = user.map_or_else(|| email.to_owned(), |u| format!("{} <{}>", u.name, u.email));
    let ip = ip.to_string();
    let entry = manset_store::NewAuditEntry {
        user_id: user.map(|u| u.id),
        actor: &actor,
        action,
        detail,
        ip: Some(&ip),
        ..Default::default()
    };
    if let Err(e) = state.store().audit(entry, now).await {
        tracing::error!(action, "cannot write the audit log: {e}");
    }
}

pub async fn create(
    state: Snapshot,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let now = state.now();
    let email = manset_core::email::normalize(&form.email.unwrap_or_default());
    let password = form.password.unwrap_or_default();
    let next = safe_next(form.sonra.as_deref());

    let check = async {
        let credentials = state.store().credentials(&email).await?;
        // An unknown address costs one argon2 check too.
        tokio::task::spawn_blocking(move || match credentials {
            Some(c) if accounts::verify_password(&password, &c.password_hash) => Some(c),
            Some(_) => None,
            None => {
                accounts::verify_against_nothing(&password);
                None
            }
        })
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))
    };
    let credentials = match guard::attempt(&state, &email, ip, now, check).await? {
        Checked::Right(credentials) => credentials,
        Checked::Wrong => {
            tracing::info!(%ip, "login failed");
            audit(&state, None, &email, "login.failed", "", ip, now).await;
            let page = LoginPage { email, next, flash: Some(Flash::error(&state, "admin_login_failed")) };
            return login_page(&state, StatusCode::UNAUTHORIZED, &page);
        }
        Checked::Wait(seconds) => {
            tracing::info!(%ip, seconds, "login throttled");
            let flash = Flash { kind: "error", text: guard::wait_text(&state, seconds) };
            return Ok(guard::too_many(
                seconds,
                login_page(&state, StatusCode::OK, &LoginPage { email, next, flash: Some(flash) })?,
            ));
        }
    };
    if credentials.two_factor {
        let used = codes_used(&state, credentials.user.id).await?;
        let step = state.signer().sign(&format!("2fa:{}:{}:{used}", credentials.user.id, now.as_second()));
        return code_page(&state, StatusCode::OK, &CodePage { step, next, flash: None });
    }
    guard::signed_in(&state, &email, ip).await?;
    start_session(&state, &credentials.user, ip, now, &next).await
}

/// Which of a member's codes have been used: the last TOTP step and the
/// recovery codes left. It changes with every code accepted.
async fn codes_used(state: &Snapshot, user_id: i64) -> Result<String, WebError> {
    let last_step = state.store().two_factor(user_id).await?.and_then(|f| f.last_step).unwrap_or(-1);
    let left = state.store().recovery_codes_left(user_id).await?;
    Ok(format!("{last_step}-{left}"))
}

/// The account a signed step from the password's page names, if it is
/// ours, not older than [`STEP_SECONDS`], and no code was accepted since.
async fn step_user(state: &Snapshot, step: &str, now: Timestamp) -> Result<Option<i64>, WebError> {
    let Some(payload) = state.signer().verify(step) else { return Ok(None) };
    let parts: Vec<&str> = payload.strip_prefix("2fa:").unwrap_or_default().split(':').collect();
    let [user, at, used] = parts[..] else { return Ok(None) };
    let (Ok(user), Ok(at)) = (user.parse::<i64>(), at.parse::<i64>()) else { return Ok(None) };
    if !(0..=STEP_SECONDS).contains(&(now.as_second() - at)) || codes_used(state, user).await? != used {
        return Ok(None);
    }
    Ok(Some(user))
}

pub async fn code(state: Snapshot, ClientIp(ip): ClientIp, Form(form): Form<CodeForm>) -> Result<Response, WebError> {
    let now = state.now();
    let step = form.adim.unwrap_or_default();
    let next = safe_next(form.sonra.as_deref());
    let user = match step_user(&state, &step, now).await? {
        Some(id) => state.store().user(id).await?,
        None => None,
    };
    let Some(user) = user else {
        let page =
            LoginPage { email: String::new(), next, flash: Some(Flash::error(&state, "admin_login_code_expired")) };
        return login_page(&state, StatusCode::UNAUTHORIZED, &page);
    };
    let typed = form.kod.unwrap_or_default();
    match guard::attempt(&state, &user.email, ip, now, two_factor::check(&state, user.id, &typed, now)).await? {
        Checked::Right(used) => {
            guard::signed_in(&state, &user.email, ip).await?;
            if let Used::RecoveryCode { left } = used {
                audit(&state, Some(&user), &user.email, "2fa.recovery_used", &left.to_string(), ip, now).await;
            }
            start_session(&state, &user, ip, now, &next).await
        }
        Checked::Wrong => {
            tracing::info!(%ip, user = user.id, "two-factor code refused");
            audit(&state, Some(&user), &user.email, "2fa.code_failed", "", ip, now).await;
            let page = CodePage { step, next, flash: Some(Flash::error(&state, "admin_login_code_wrong")) };
            code_page(&state, StatusCode::UNAUTHORIZED, &page)
        }
        Checked::Wait(seconds) => {
            let flash = Flash { kind: "error", text: guard::wait_text(&state, seconds) };
            Ok(guard::too_many(
                seconds,
                code_page(&state, StatusCode::OK, &CodePage { step, next, flash: Some(flash) })?,
            ))
        }
    }
}

/// Makes the session of `user`, writes the login into the audit log, and
/// sends the browser on to `next`.
async fn start_session(
    state: &Snapshot,
    user: &User,
    ip: IpAddr,
    now: Timestamp,
    next: &str,
) -> Result<Response, WebError> {
    let (token, token_hash) = accounts::new_session_token().map_err(|e| WebError::Internal(Box::new(e)))?;
    let expires = Timestamp::from_second(now.as_second() + SESSION_SECONDS).unwrap_or(now);
    state.store().create_session(&token_hash, user.id, now, expires).await?;
    tracing::info!(user = user.id, "logged in");
    audit(state, Some(user), &user.email, "login", "", ip, now).await;
    let secure = state.site().base_url.starts_with("https://");
    let cookie = cookies::set(SESSION_COOKIE, &token, SESSION_SECONDS as u32, secure);
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, HeaderValue::from_str(next).map_err(|e| WebError::Internal(Box::new(e)))?);
    response
        .headers_mut()
        .insert(SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| WebError::Internal(Box::new(e)))?);
    let marker = cookies::staff_marker(SESSION_SECONDS as u32, secure);
    response
        .headers_mut()
        .append(SET_COOKIE, HeaderValue::from_str(&marker).map_err(|e| WebError::Internal(Box::new(e)))?);
    Ok(response)
}

pub async fn delete(state: Snapshot, staff: Staff) -> Result<Response, WebError> {
    state.store().delete_session(&staff.token_hash).await?;
    staff.audit(&state, "logout", "", "").await;
    let secure = state.site().base_url.starts_with("https://");
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, HeaderValue::from_static("/yonetim/giris"));
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&cookies::clear(SESSION_COOKIE, secure)).map_err(|e| WebError::Internal(Box::new(e)))?,
    );
    let marker = cookies::staff_marker(0, secure);
    response
        .headers_mut()
        .append(SET_COOKIE, HeaderValue::from_str(&marker).map_err(|e| WebError::Internal(Box::new(e)))?);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_newsroom_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/yonetim/parola")), "/yonetim/parola");
        assert_eq!(safe_next(Some("https://kotu.example/yonetim")), "/yonetim");
        assert_eq!(safe_next(Some("//kotu.example")), "/yonetim");
        assert_eq!(safe_next(Some("/haber/x")), "/yonetim");
        assert_eq!(safe_next(None), "/yonetim");
    }
}
