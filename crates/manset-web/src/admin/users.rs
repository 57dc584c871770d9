//! `/yonetim/kullanicilar`: accounts, for admins only. Never public: there
//! is no listing of accounts anywhere outside the logged-in newsroom.

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_core::user::check_password;
use manset_core::{Action, Role, User};
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render};
use crate::AppState;
use crate::auth;
use crate::error::WebError;
use crate::origin::same_origin;

#[derive(Debug, Default, Deserialize)]
pub struct NewUser {
    email: Option<String>,
    name: Option<String>,
    role: Option<String>,
    password: Option<String>,
}

#[derive(Debug, Serialize)]
struct UsersPage {
    users: Vec<User>,
    roles: Vec<&'static str>,
    flash: Option<Flash>,
}

async fn page(state: &AppState, staff: &Staff, status: StatusCode, flash: Option<Flash>) -> Result<Response, WebError> {
    let users = state.store().users().await?;
    let roles = Role::ALL.iter().map(|r| r.as_str()).collect();
    let html = render(
        state,
        "admin/users.html",
        Some(staff),
        "admin_users_title",
        "users",
        &UsersPage { users, roles, flash },
    )?;
    Ok((status, html).into_response())
}

pub async fn index(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(Action::ManageUsers)?;
    page(&state, &staff, StatusCode::OK, None).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<NewUser>,
) -> Result<Response, WebError> {
    if !same_origin(&headers, &state.site()) {
        return Err(WebError::Forbidden);
    }
    staff.require(Action::ManageUsers)?;
    let email = form.email.unwrap_or_default().trim().to_lowercase();
    let name = form.name.unwrap_or_default().trim().to_owned();
    let password = form.password.unwrap_or_default();
    let refused = |key: &str| Some(Flash::error(&state, key));
    if !manset_core::comment::is_valid_email(&email) || name.is_empty() {
        return page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, refused("admin_users_invalid")).await;
    }
    let Ok(role) = form.role.unwrap_or_default().parse::<Role>() else {
        return page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, refused("admin_users_invalid")).await;
    };
    if let Err(problem) = check_password(&password) {
        let key = format!("admin_password_{}", problem.code());
        return page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, refused(&key)).await;
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    match state.store().create_user(&email, &name, role, &hash, Timestamp::now()).await? {
        Some(user) => {
            tracing::info!(by = staff.user.id, user = user.id, role = %role, "account created");
            staff.audit(&state, "user.create", &format!("{} <{}>", user.name, user.email), role.as_str()).await;
            page(&state, &staff, StatusCode::CREATED, Some(Flash::success(&state, "admin_users_created"))).await
        }
        None => page(&state, &staff, StatusCode::CONFLICT, refused("admin_users_taken")).await,
    }
}
