//! `/yonetim/parola`: changing one's own password. Other sessions of the
//! account end; this one stays. The current password is checked through the
//! login's throttle (`guard`): a stolen session cannot guess it any faster.

use crate::input::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use manset_core::Action;
use manset_core::user::check_password;
use serde::{Deserialize, Serialize};

use super::guard::{self, Checked};
use super::{Flash, Staff, render};
use crate::Snapshot;
use crate::error::WebError;
use manset_service::accounts;

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    current: Option<String>,
    new: Option<String>,
    repeat: Option<String>,
}

#[derive(Debug, Serialize)]
struct PasswordPage {
    flash: Option<Flash>,
}

pub async fn show(state: Snapshot, staff: Staff) -> Result<Response, WebError> {
    staff.require(Action::ChangeOwnPassword)?;
    let page = PasswordPage { flash: None };
    Ok(render(&state, "admin/password.html", Some(&staff), "admin_password_title", "password", &page)?.into_response())
}

pub async fn update(state: Snapshot, staff: Staff, Form(form): Form<PasswordForm>) -> Result<Response, WebError> {
    staff.require(Action::ChangeOwnPassword)?;
    let answer = |status: StatusCode, flash: Flash| -> Result<Response, WebError> {
        let page = PasswordPage { flash: Some(flash) };
        Ok((status, render(&state, "admin/password.html", Some(&staff), "admin_password_title", "password", &page)?)
            .into_response())
    };
    let (current, new, repeat) =
        (form.current.unwrap_or_default(), form.new.unwrap_or_default(), form.repeat.unwrap_or_default());
    let check = async {
        let hash = state.store().password_hash(staff.user.id).await?.unwrap_or_default();
        let right = tokio::task::spawn_blocking(move || accounts::verify_password(&current, &hash))
            .await
            .map_err(|e| WebError::Internal(Box::new(e)))?;
        Ok(right.then_some(()))
    };
    match guard::attempt(&state, &staff.user.email, staff.ip, state.now(), check).await? {
        Checked::Right(()) => {}
        Checked::Wrong => {
            return answer(StatusCode::UNPROCESSABLE_ENTITY, Flash::error(&state, "admin_password_wrong_current"));
        }
        Checked::Wait(seconds) => {
            let flash = Flash { kind: "error", text: guard::wait_text(&state, seconds) };
            return Ok(guard::too_many(seconds, answer(StatusCode::OK, flash)?));
        }
    }
    if let Err(problem) = check_password(&new) {
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            Flash::error(&state, &format!("admin_password_{}", problem.code())),
        );
    }
    if new != repeat {
        return answer(StatusCode::UNPROCESSABLE_ENTITY, Flash::error(&state, "admin_password_mismatch"));
    }
    let new_hash = tokio::task::spawn_blocking(move || accounts::hash_password(&new))
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    state.store().set_password(staff.user.id, &new_hash, Some(&staff.token_hash)).await?;
    tracing::info!(user = staff.user.id, "password changed");
    staff.audit(&state, "password.change", "", "").await;
    answer(StatusCode::OK, Flash::success(&state, "admin_password_changed"))
}
