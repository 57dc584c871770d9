//! `/yonetim/kullanicilar`: accounts, for admins only. Never public: there
//! is no listing of accounts anywhere outside the logged-in newsroom.

use crate::input::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use manset_core::user::check_password;
use manset_core::{Action, Email, Role, User};
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render};
use crate::Snapshot;
use crate::error::WebError;
use manset_service::accounts;

#[derive(Debug, Default, Deserialize)]
pub struct NewUser {
    email: Option<String>,
    name: Option<String>,
    role: Option<String>,
    password: Option<String>,
}

#[derive(Debug, Serialize)]
struct Row {
    user: User,
    disabled: bool,
    /// The member looking at the page: no changing one's own role or access.
    me: bool,
}

#[derive(Debug, Serialize)]
struct UsersPage {
    users: Vec<Row>,
    roles: Vec<&'static str>,
    flash: Option<Flash>,
}

async fn page(state: &Snapshot, staff: &Staff, status: StatusCode, flash: Option<Flash>) -> Result<Response, WebError> {
    let users = state
        .store()
        .all_users()
        .await?
        .into_iter()
        .map(|(user, disabled)| Row { me: user.id == staff.user.id, user, disabled: disabled.is_some() })
        .collect();
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

pub async fn index(state: Snapshot, staff: Staff) -> Result<Response, WebError> {
    staff.require(Action::ManageUsers)?;
    page(&state, &staff, StatusCode::OK, None).await
}

pub async fn create(state: Snapshot, staff: Staff, Form(form): Form<NewUser>) -> Result<Response, WebError> {
    staff.require(Action::ManageUsers)?;
    let email = Email::parse(&form.email.unwrap_or_default());
    let name = form.name.unwrap_or_default().trim().to_owned();
    let password = form.password.unwrap_or_default();
    let refused = |key: &str| Some(Flash::error(&state, key));
    let (Ok(email), false) = (email, name.is_empty()) else {
        return page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, refused("admin_users_invalid")).await;
    };
    let Ok(role) = form.role.unwrap_or_default().parse::<Role>() else {
        return page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, refused("admin_users_invalid")).await;
    };
    if let Err(problem) = check_password(&password) {
        let key = format!("admin_password_{}", problem.code());
        return page(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, refused(&key)).await;
    }
    let hash = tokio::task::spawn_blocking(move || accounts::hash_password(&password))
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    match state.store().create_user(email.as_str(), &name, role, &hash, state.now()).await? {
        Some(user) => {
            tracing::info!(by = staff.user.id, user = user.id, role = %role, "account created");
            staff.audit(&state, "user.create", &format!("{} <{}>", user.name, user.email), role.as_str()).await;
            page(&state, &staff, StatusCode::CREATED, Some(Flash::success(&state, "admin_users_created"))).await
        }
        None => page(&state, &staff, StatusCode::CONFLICT, refused("admin_users_taken")).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ChangeForm {
    action: Option<String>,
    role: Option<String>,
    /// Present once disabling was confirmed.
    confirm: Option<String>,
}

/// `POST /yonetim/kullanicilar/{id}`: `action=role` with `role`, or
/// `action=disable` (asked first: it signs the member out everywhere) /
/// `action=enable`. Nobody changes their own account here, so the last
/// admin cannot lock everyone out.
pub async fn change(
    state: Snapshot,
    staff: Staff,
    crate::input::Path(id): crate::input::Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    staff.require(Action::ManageUsers)?;
    if id == staff.user.id {
        return page(&state, &staff, StatusCode::CONFLICT, Some(Flash::error(&state, "admin_users_not_self"))).await;
    }
    let users = state.store().all_users().await?;
    let (target, _) = users.iter().find(|(u, _)| u.id == id).ok_or(WebError::NotFound)?;
    let subject = format!("{} <{}>", target.name, target.email);
    let store = state.store();
    match form.action.as_deref() {
        Some("role") => {
            let role: Role = form.role.unwrap_or_default().parse().map_err(|_| WebError::NotFound)?;
            let before = store.set_user_role(id, role).await?.ok_or(WebError::NotFound)?;
            if before != role {
                staff.audit(&state, "user.role", &subject, &format!("{before} → {role}")).await;
            }
        }
        Some("disable") if form.confirm.is_none() => {
            let address = format!("/yonetim/kullanicilar/{id}");
            let confirm = super::editing::Confirm {
                action: &address,
                back: "/yonetim/kullanicilar",
                act: "disable",
                button: state.theme().text("admin_users_disable").to_owned(),
                question_key: "admin_confirm_user_disable",
                n: None,
                name: Some(&target.name),
            };
            return Ok(super::editing::confirm_fields(&state, &staff, confirm, Vec::new())?.into_response());
        }
        Some("disable") => {
            store.set_user_disabled(id, Some(state.now())).await?;
            staff.audit(&state, "user.disable", &subject, "").await;
        }
        Some("enable") => {
            store.set_user_disabled(id, None).await?;
            staff.audit(&state, "user.enable", &subject, "").await;
        }
        _ => return Err(WebError::NotFound),
    }
    page(&state, &staff, StatusCode::OK, Some(Flash::success(&state, "admin_users_changed"))).await
}
