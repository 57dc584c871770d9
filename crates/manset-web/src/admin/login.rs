//! `/yonetim/giris` and `/yonetim/cikis`: logging in and out.
//!
//! Throttling: failures are counted per address and per e-mail (whether or
//! not an account has it). After `SLOW_AFTER` failures each answer waits a
//! little longer; after `LOCK_AFTER` the key is locked for `LOCK_SECONDS`.
//! The answer never tells whether an e-mail address has an account.

use std::time::Duration;

use crate::input::{Form, Query};
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Flash, SESSION_COOKIE, SESSION_SECONDS, Staff, render};
use crate::AppState;
use crate::auth;
use crate::client_ip::ClientIp;
use crate::cookies;
use crate::error::WebError;
use crate::origin::same_origin;

/// Failures counted within this window.
const WINDOW_SECONDS: i64 = 15 * 60;
/// Answers slow down after this many failures in a row.
const SLOW_AFTER: u32 = 3;
/// The key is locked after this many failures in a row.
const LOCK_AFTER: u32 = 8;
/// For this long.
const LOCK_SECONDS: i64 = 15 * 60;

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

#[derive(Debug, Serialize)]
struct LoginPage {
    email: String,
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

pub async fn show(State(state): State<AppState>, Query(next): Query<Next>) -> Result<Response, WebError> {
    let page = LoginPage { email: String::new(), next: safe_next(next.sonra.as_deref()), flash: None };
    Ok(render(&state, "admin/login.html", None, "admin_login_title", "login", &page)?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    if !same_origin(&headers, &state.site()) {
        return Err(WebError::Forbidden);
    }
    let now = Timestamp::now();
    let email = form.email.unwrap_or_default().trim().to_lowercase();
    let password = form.password.unwrap_or_default();
    let next = safe_next(form.sonra.as_deref());
    let store = state.store();
    let keys = [format!("email:{email}"), format!("ip:{ip}")];

    let refuse = |status: StatusCode, flash: Flash| {
        let page = LoginPage { email: email.clone(), next: next.clone(), flash: Some(flash) };
        render(&state, "admin/login.html", None, "admin_login_title", "login", &page)
            .map(|html| (status, html).into_response())
    };

    for key in &keys {
        if let Some(until) = store.login_locked_until(key, now).await? {
            let minutes = (until.as_second() - now.as_second()).div_euclid(60) + 1;
            let text = state.theme().text("admin_login_locked").replace("{n}", &minutes.to_string());
            return refuse(StatusCode::TOO_MANY_REQUESTS, Flash { kind: "error", text });
        }
    }

    let credentials = store.credentials(&email).await?;
    let password_for_check = password.clone();
    let user = tokio::task::spawn_blocking(move || match credentials {
        Some(c) if auth::verify_password(&password_for_check, &c.password_hash) => Some(c.user),
        Some(_) => None,
        None => {
            auth::verify_against_nothing(&password_for_check);
            None
        }
    })
    .await
    .map_err(|e| WebError::Internal(Box::new(e)))?;

    let Some(user) = user else {
        let mut worst = 0;
        let mut locked = false;
        for key in &keys {
            let f = store.record_login_failure(key, now, WINDOW_SECONDS, LOCK_AFTER, LOCK_SECONDS).await?;
            worst = worst.max(f.count);
            locked |= f.locked_until.is_some();
        }
        if worst > SLOW_AFTER {
            let wait = Duration::from_millis(250 * u64::from(worst - SLOW_AFTER)).min(Duration::from_secs(2));
            tokio::time::sleep(wait).await;
        }
        tracing::info!(%ip, failures = worst, locked, "login failed");
        let ip_text = ip.to_string();
        let attempt = manset_store::NewAuditEntry {
            user_id: None,
            actor: &email,
            action: if locked { "login.locked" } else { "login.failed" },
            ip: Some(&ip_text),
            ..Default::default()
        };
        store.audit(attempt, now).await?;
        let flash = if locked {
            let minutes = LOCK_SECONDS / 60;
            Flash { kind: "error", text: state.theme().text("admin_login_locked").replace("{n}", &minutes.to_string()) }
        } else {
            Flash::error(&state, "admin_login_failed")
        };
        let status = if locked { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNAUTHORIZED };
        return refuse(status, flash);
    };

    for key in &keys {
        store.clear_login_failures(key).await?;
    }
    let (token, token_hash) = auth::new_session_token().map_err(|e| WebError::Internal(Box::new(e)))?;
    let expires = Timestamp::from_second(now.as_second() + SESSION_SECONDS).unwrap_or(now);
    store.create_session(&token_hash, user.id, now, expires).await?;
    tracing::info!(user = user.id, "logged in");
    let actor = format!("{} <{}>", user.name, user.email);
    let ip_text = ip.to_string();
    let entry = manset_store::NewAuditEntry {
        user_id: Some(user.id),
        actor: &actor,
        action: "login",
        ip: Some(&ip_text),
        ..Default::default()
    };
    store.audit(entry, now).await?;
    let secure = state.site().base_url.starts_with("https://");
    let cookie = cookies::set(SESSION_COOKIE, &token, SESSION_SECONDS as u32, secure);
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, HeaderValue::from_str(&next).map_err(|e| WebError::Internal(Box::new(e)))?);
    response
        .headers_mut()
        .insert(SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| WebError::Internal(Box::new(e)))?);
    Ok(response)
}

pub async fn delete(State(state): State<AppState>, staff: Staff, headers: HeaderMap) -> Result<Response, WebError> {
    if !same_origin(&headers, &state.site()) {
        return Err(WebError::Forbidden);
    }
    state.store().delete_session(&staff.token_hash).await?;
    staff.audit(&state, "logout", "", "").await;
    let secure = state.site().base_url.starts_with("https://");
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, HeaderValue::from_static("/yonetim/giris"));
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&cookies::clear(SESSION_COOKIE, secure)).map_err(|e| WebError::Internal(Box::new(e)))?,
    );
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
