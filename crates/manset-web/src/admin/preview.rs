//! `/yonetim/haber/{id}/onizleme`: the story as readers will see it, in the
//! site's theme, side by side at phone and desktop width, with what the
//! member typed and has not saved (their autosave slot) shown too; and a
//! share link for someone without an account.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use super::{Staff, render};
use crate::Snapshot;
use crate::error::WebError;
use crate::input::{Form, Path};
use crate::pages::preview::{self, MAX_SHARE};
use crate::views::DateView;

/// The lifetimes a share link may be given, in hours.
const SHARE_HOURS: [i64; 4] = [1, 24, 72, 168];

#[derive(Debug, Serialize)]
struct PreviewScreen {
    id: i64,
    headline: String,
    frame: String,
    hours: &'static [i64],
    shared: Option<Shared>,
}

#[derive(Debug, Serialize)]
struct Shared {
    url: String,
    until: DateView,
}

async fn screen(state: &Snapshot, staff: &Staff, id: i64, shared: Option<Shared>) -> Result<Response, WebError> {
    let article = state.service().editable_article(&staff.user, id).await?;
    let page = PreviewScreen {
        id,
        headline: article.input.headline,
        frame: format!("/yonetim/haber/{id}/onizleme/sayfa"),
        hours: &SHARE_HOURS,
        shared,
    };
    Ok(render(state, "admin/preview.html", Some(staff), "admin_preview_title", "articles", &page)?.into_response())
}

pub async fn show(state: Snapshot, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    screen(&state, &staff, id, None).await
}

/// `GET /yonetim/haber/{id}/onizleme/sayfa`: the page the preview screen
/// frames: the saved story with the member's unsaved typing over it.
pub async fn page(state: Snapshot, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    state.service().editable_article(&staff.user, id).await?;
    let saved = state.store().article_by_id(id).await?.ok_or(WebError::NotFound)?;
    let (article, key) = match super::editor::typed_input(&state, staff.user.id, id).await? {
        Some(typed) => (preview::typed_over(&saved, &typed), "admin_preview_note_typed"),
        None => (saved, "admin_preview_note_saved"),
    };
    let mut response = preview::render(&state, &article, state.theme().text(key).to_owned()).await?;
    response.extensions_mut().insert(crate::security::FramedBySelf);
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
pub struct ShareForm {
    saat: Option<String>,
}

/// `POST /yonetim/haber/{id}/paylas`: a share link valid for `saat` hours
/// (one of the offered lifetimes), shown once on the preview screen.
pub async fn share(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<ShareForm>,
) -> Result<Response, WebError> {
    let article = state.service().editable_article(&staff.user, id).await?;
    let hours = form.saat.as_deref().and_then(|h| h.trim().parse::<i64>().ok());
    let hours = hours.filter(|h| SHARE_HOURS.contains(h)).ok_or(WebError::BadInput)?;
    let life = SignedDuration::from_hours(hours).min(MAX_SHARE);
    let expires = state.now() + life;
    let path = preview::share_path(&state, id, expires);
    let base = state.site().base_url.trim_end_matches('/').to_owned();
    let until = DateView::new(expires, state.site());
    let subject = format!("#{id} {}", article.input.headline);
    staff.audit(&state, "article.share", &subject, &until.iso).await;
    let shared = Shared { url: format!("{base}{path}"), until };
    let mut response = screen(&state, &staff, id, Some(shared)).await?;
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}
