//! `/yonetim/medya`: the media library. Upload JPEG, PNG, WebP or GIF
//! (recognized by content, limited in bytes and pixels); the renditions for
//! `srcset` are made once, at upload; alt text, caption and credit are
//! edited here and used wherever the image appears.

use crate::input::{Path, Query};
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use manset_core::Action;
use manset_store::{MediaItem, RenditionRef};
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{DateView, Pagination};
use manset_service::media_library::{Upload as MediaUpload, UploadProblem, Uploaded};

/// Images per page of the library.
const PER_PAGE: u32 = 48;
/// The most an upload request may carry, whatever the setting says (its
/// maximum is 100 MB): bounds what a request can make us read.
pub const BODY_LIMIT: usize = 101 * 1024 * 1024;

#[derive(Debug, Serialize)]
struct Tile {
    id: i64,
    thumb: String,
    alt: String,
    name: String,
    size: String,
    missing_alt: bool,
}

#[derive(Debug, Serialize)]
struct LibraryPage {
    tiles: Vec<Tile>,
    search: String,
    max_megabytes: u32,
    pagination: Pagination,
    flash: Option<Flash>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LibraryQuery {
    ara: Option<String>,
    sayfa: Option<String>,
}

async fn library(
    state: &Snapshot,
    staff: &Staff,
    query: &LibraryQuery,
    status: StatusCode,
    flash: Option<Flash>,
) -> Result<Response, WebError> {
    staff.require(Action::WriteDrafts)?;
    let search = query.ara.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let number = crate::input::page_number(query.sayfa.as_deref())?;
    let (items, total) =
        state.store().media_list(search, PER_PAGE, u64::from(number - 1) * u64::from(PER_PAGE)).await?;
    let tiles = items
        .iter()
        .map(|m| Tile {
            id: m.id,
            thumb: m.renditions.last().map_or(String::new(), |r| r.path.clone()),
            alt: m.alt.clone(),
            name: m.original_name.clone(),
            size: format!("{}×{}", m.width, m.height),
            missing_alt: m.alt.is_empty(),
        })
        .collect();
    let base = format!("/yonetim/medya?ara={}", manset_text::percent::encode(search.unwrap_or("")));
    let info = manset_core::Page::<()> { items: vec![], number, per_page: PER_PAGE, total };
    let page = LibraryPage {
        tiles,
        search: search.unwrap_or("").to_owned(),
        max_megabytes: state.service().max_upload_megabytes().await?,
        pagination: Pagination::with_query(&info, &base),
        flash,
    };
    let html = render(state, "admin/media.html", Some(staff), "admin_media_title", "media", &page)?;
    Ok((status, html).into_response())
}

pub async fn index(state: Snapshot, staff: Staff, Query(query): Query<LibraryQuery>) -> Result<Response, WebError> {
    library(&state, &staff, &query, StatusCode::OK, None).await
}

/// What was sent in the upload form.
#[derive(Debug, Default)]
struct Upload {
    file: Option<(String, Vec<u8>)>,
    alt: String,
    caption: String,
    credit: String,
}

enum ReadError {
    TooLarge,
    Malformed,
}

/// Reads the form, stopping as soon as the file passes `max` bytes.
async fn read_upload(mut multipart: Multipart, max: usize) -> Result<Upload, ReadError> {
    let mut upload = Upload::default();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| ReadError::Malformed)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE { ReadError::TooLarge } else { ReadError::Malformed }
            })? {
                if bytes.len() + chunk.len() > max {
                    return Err(ReadError::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            upload.file = Some((file_name, bytes));
        } else {
            let text = bounded_text(&mut field).await?;
            match name.as_str() {
                "alt" => upload.alt = text,
                "caption" => upload.caption = text,
                "credit" => upload.credit = text,
                _ => {}
            }
        }
    }
    Ok(upload)
}

/// The most a text field of the upload form is read: beyond any field's
/// limit, so the limit's message can be given, and far below the file's.
const TEXT_FIELD_BYTES: usize = 16 * 1024;

/// A text field, read no further than [`TEXT_FIELD_BYTES`]: what is past it
/// is too long for any field anyway, and is dropped unread (the part kept
/// still fails the field's check).
async fn bounded_text(field: &mut axum::extract::multipart::Field<'_>) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| ReadError::Malformed)? {
        let room = TEXT_FIELD_BYTES.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub async fn upload(
    state: Snapshot,
    staff: Staff,
    crate::input::Multipart(multipart): crate::input::Multipart,
) -> Result<Response, WebError> {
    staff.require(Action::WriteDrafts)?;
    let max_megabytes = state.service().max_upload_megabytes().await?;
    let form = match read_upload(multipart, max_megabytes as usize * 1024 * 1024).await {
        Ok(form) => form,
        Err(ReadError::TooLarge) => return refuse(&state, &staff, UploadProblem::TooLarge { max_megabytes }).await,
        Err(ReadError::Malformed) => {
            let text = state.theme().text("admin_media_no_file").to_owned();
            return library(
                &state,
                &staff,
                &LibraryQuery::default(),
                StatusCode::BAD_REQUEST,
                Some(Flash { kind: "error", text }),
            )
            .await;
        }
    };
    let (file_name, bytes) = form.file.unwrap_or_default();
    let upload =
        MediaUpload { file_name: &file_name, bytes, alt: &form.alt, caption: &form.caption, credit: &form.credit };
    match state.service().upload_image(&staff.actor(), &state.site().time_zone, upload).await? {
        Uploaded::Added(added) => Ok(see_other(&format!("/yonetim/medya/{}?yuklendi=1", added.id))),
        Uploaded::Existing { id } => Ok(see_other(&format!("/yonetim/medya/{id}?zaten=1"))),
        Uploaded::Refused(problem) => refuse(&state, &staff, problem).await,
    }
}

/// The library again, saying why the upload was not added.
async fn refuse(state: &Snapshot, staff: &Staff, problem: UploadProblem) -> Result<Response, WebError> {
    let theme = state.theme();
    let (status, text) = match problem {
        UploadProblem::NoFile => (StatusCode::UNPROCESSABLE_ENTITY, theme.text("admin_media_no_file").to_owned()),
        UploadProblem::TooLarge { max_megabytes } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            theme.text("admin_media_too_large").replace("{n}", &max_megabytes.to_string()),
        ),
        UploadProblem::NotAnImage => {
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, theme.text("admin_media_not_image").to_owned())
        }
        UploadProblem::TooManyPixels { width, height } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            theme
                .text("admin_media_too_many_pixels")
                .replace("{w}", &width.to_string())
                .replace("{h}", &height.to_string()),
        ),
        UploadProblem::Corrupt => (StatusCode::UNPROCESSABLE_ENTITY, theme.text("admin_media_corrupt").to_owned()),
        UploadProblem::TextTooLong(e) => (StatusCode::UNPROCESSABLE_ENTITY, too_long(state, e)),
    };
    library(state, staff, &LibraryQuery::default(), status, Some(Flash { kind: "error", text })).await
}

#[derive(Debug, Serialize)]
struct DetailPage {
    id: i64,
    name: String,
    main: String,
    size: String,
    bytes: String,
    uploaded: DateView,
    uploaded_by: Option<String>,
    alt: String,
    caption: String,
    credit: String,
    renditions: Vec<RenditionRef>,
    /// Ready to paste into an article's body.
    markdown: String,
    flash: Option<Flash>,
}

#[derive(Debug, Deserialize)]
pub struct DetailQuery {
    yuklendi: Option<String>,
    zaten: Option<String>,
    kaydedildi: Option<String>,
}

fn detail(state: &Snapshot, staff: &Staff, item: &MediaItem, flash: Option<Flash>) -> Result<Response, WebError> {
    let main = item.main_path().to_owned();
    let page = DetailPage {
        id: item.id,
        name: item.original_name.clone(),
        size: format!("{}×{}", item.width, item.height),
        bytes: format!("{:.1} MB", item.bytes as f64 / 1_048_576.0),
        uploaded: DateView::new(item.created_at, state.site()),
        uploaded_by: item.uploaded_by.clone(),
        alt: item.alt.clone(),
        caption: item.caption.clone().unwrap_or_default(),
        credit: item.credit.clone().unwrap_or_default(),
        renditions: item.renditions.clone(),
        markdown: format!("![{}]({main})", item.alt.replace(['[', ']'], "")),
        main,
        flash,
    };
    Ok(render(state, "admin/media_item.html", Some(staff), "admin_media_title", "media", &page)?.into_response())
}

pub async fn show(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> Result<Response, WebError> {
    staff.require(Action::WriteDrafts)?;
    let item = state.store().media(id).await?.ok_or(WebError::NotFound)?;
    let flash = if query.yuklendi.is_some() {
        Some(Flash::success(&state, "admin_media_uploaded"))
    } else if query.zaten.is_some() {
        Some(Flash::success(&state, "admin_media_already"))
    } else if query.kaydedildi.is_some() {
        Some(Flash::success(&state, "admin_media_saved"))
    } else {
        None
    };
    detail(&state, &staff, &item, flash)
}

#[derive(Debug, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    alt: String,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    credit: String,
}

pub async fn update(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    crate::input::Form(form): crate::input::Form<TextForm>,
) -> Result<Response, WebError> {
    staff.require(Action::WriteDrafts)?;
    let store = state.store();
    let item = store.media(id).await?.ok_or(WebError::NotFound)?;
    let uses = store.media_uses(id).await?;
    let own_upload = item.uploader_id == Some(staff.user.id);
    let rights = uses.iter().map(|u| (u.created_by == Some(staff.user.id), u.status));
    if !manset_core::workflow::may_edit_media(staff.user.role, own_upload, rights) {
        return Err(WebError::NotAllowed);
    }
    let refuse = |flash: Flash| {
        let mut item = item.clone();
        item.alt = form.alt.clone();
        item.caption = Some(form.caption.clone());
        item.credit = Some(form.credit.clone());
        let response = detail(&state, &staff, &item, Some(flash));
        response.map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
    };
    if let Err(e) = manset_core::image::check_text(&form.alt, &form.caption, &form.credit) {
        return refuse(Flash { kind: "error", text: too_long(&state, e) });
    }
    // Readers of a published story would lose the description of its picture.
    if form.alt.trim().is_empty() && uses.iter().any(|u| u.status == manset_core::Status::Published) {
        return refuse(Flash::error(&state, "admin_media_alt_in_use"));
    }
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let (caption, credit) = (opt(&form.caption), opt(&form.credit));
    if !store.update_media_text(id, &form.alt, caption.as_deref(), credit.as_deref()).await? {
        return Err(WebError::NotFound);
    }
    staff.audit(&state, "media.edit", &format!("#{id}"), form.alt.trim()).await;
    Ok(see_other(&format!("/yonetim/medya/{id}?kaydedildi=1")))
}

/// "The alt text may be at most 500 characters", in the interface's language.
fn too_long(state: &Snapshot, e: manset_core::image::TextTooLong) -> String {
    let field = state.theme().text(&format!("admin_media_field_{}", e.field)).to_owned();
    state.theme().text("admin_media_too_long").replace("{field}", &field).replace("{n}", &e.max.to_string())
}
