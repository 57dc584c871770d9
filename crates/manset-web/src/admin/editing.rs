//! What keeps an editor's work safe, on top of the editor's form: the form
//! as a list of fields (to keep in an autosave slot, to carry through a
//! confirmation or a conflict), the conflict screen, the confirmation step
//! before taking a story down, and presence (`/burada`, `/ayrildi`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use manset_store::Present;
use serde::Serialize;

use super::editor::Values;
use super::{Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::input::Path;

/// Every field of the form, by its name in the form, in the form's order.
pub(super) fn fields(v: &Values) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = [
        ("headline", &v.headline),
        ("standfirst", &v.standfirst),
        ("body", &v.body),
        ("category", &v.category),
        ("tags", &v.tags),
        ("author", &v.author),
        ("slug", &v.slug),
        ("seo_title", &v.seo_title),
        ("seo_description", &v.seo_description),
        ("publish_at", &v.publish_at),
        ("correction", &v.correction),
        ("lang", &v.lang),
        ("image_url", &v.image.url),
        ("image_alt", &v.image.alt),
        ("image_caption", &v.image.caption),
        ("image_credit", &v.image.credit),
        ("image_width", &v.image.width),
        ("image_height", &v.image.height),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.clone()))
    .collect();
    for s in &v.sources {
        out.push((format!("source_name_{}", s.n), s.name.clone()));
        out.push((format!("source_url_{}", s.n), s.url.clone()));
        out.push((format!("source_note_{}", s.n), s.note.clone()));
    }
    out
}

/// The form's fields as a form body: what an autosave slot keeps.
pub(super) fn encode(values: &Values) -> String {
    serde_urlencoded::to_string(fields(values)).unwrap_or_default()
}

/// The translation key of a field's label.
fn label_key(name: &str) -> &'static str {
    match name.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end_matches('_') {
        "headline" => "admin_col_headline",
        "standfirst" => "admin_editor_standfirst",
        "body" => "admin_editor_body",
        "category" => "category",
        "tags" => "admin_editor_tags",
        "author" => "admin_editor_byline",
        "slug" => "admin_editor_slug",
        "seo_title" => "admin_editor_seo_title",
        "seo_description" => "admin_editor_seo_description",
        "publish_at" => "admin_editor_publish_at",
        "correction" => "correction_title",
        "lang" => "admin_editor_lang",
        "image_url" => "admin_editor_image_url",
        "image_alt" => "admin_editor_image_alt",
        "image_caption" => "admin_editor_image_caption",
        "image_credit" => "admin_editor_image_credit",
        "image_width" => "admin_editor_image_width",
        "image_height" => "admin_editor_image_height",
        "source_name" => "admin_editor_source_name",
        "source_url" => "admin_editor_source_url",
        _ => "admin_editor_source_note",
    }
}

/// A field both people changed, differently.
#[derive(Debug, Serialize)]
struct ConflictRow {
    name: String,
    label: String,
    theirs: String,
    mine: String,
    /// The body with both sets of changes, where they touch different lines.
    merged: Option<String>,
}

#[derive(Debug, Serialize)]
struct ConflictPage {
    action: String,
    /// The revision the resolved form starts from: theirs.
    base_revision: i64,
    /// The button pressed, pressed again once resolved.
    act: String,
    theirs_by: String,
    rows: Vec<ConflictRow>,
    /// Fields only one of the two changed, or both alike: settled already.
    settled: Vec<(String, String)>,
}

/// The three versions of the form a conflict compares.
pub(super) struct Versions<'a> {
    pub base: &'a Values,
    pub theirs: &'a Values,
    pub mine: &'a Values,
    pub theirs_by: String,
    pub current: i64,
}

/// The conflict screen (409): field by field, what the other person changed
/// and what this one did; a field only one of them changed takes that
/// change, a body both changed in different places is merged.
pub(super) fn conflict(
    state: &Snapshot,
    staff: &Staff,
    action: &str,
    act: &str,
    versions: Versions<'_>,
) -> Result<WebError, WebError> {
    let (base, theirs, mine) = (fields(versions.base), fields(versions.theirs), fields(versions.mine));
    let value = |list: &[(String, String)], name: &str| {
        list.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    let mut rows = Vec::new();
    let mut settled = Vec::new();
    for (name, mine_value) in &mine {
        let (base_value, theirs_value) = (value(&base, name), value(&theirs, name));
        if *mine_value == theirs_value || *mine_value == base_value {
            settled.push((name.clone(), theirs_value));
        } else if theirs_value == base_value {
            settled.push((name.clone(), mine_value.clone()));
        } else {
            let merged = (name == "body").then(|| diffy::merge(&base_value, mine_value, &theirs_value).ok()).flatten();
            rows.push(ConflictRow {
                name: name.clone(),
                label: state.theme().text(label_key(name)).to_owned(),
                theirs: theirs_value,
                mine: mine_value.clone(),
                merged,
            });
        }
    }
    let page = ConflictPage {
        action: action.to_owned(),
        base_revision: versions.current,
        act: act.to_owned(),
        theirs_by: versions.theirs_by,
        rows,
        settled,
    };
    let html = render(state, "admin/conflict.html", Some(staff), "admin_conflict_title", "articles", &page)?;
    Ok(WebError::Form(StatusCode::CONFLICT, html))
}

#[derive(Debug, Serialize)]
struct ConfirmPage {
    action: String,
    question: String,
    act: String,
    /// The button's words ("Yayından kaldır", "Sayfayı sil").
    button: String,
    back: String,
    fields: Vec<(String, String)>,
}

/// "Are you sure?" before `act` (taking a story down): the form comes back
/// with everything typed and `confirm=1`.
pub(super) fn confirm(
    state: &Snapshot,
    staff: &Staff,
    action: &str,
    act: &str,
    values: &Values,
    base_revision: Option<&str>,
) -> Result<Html<String>, WebError> {
    let mut fields = fields(values);
    fields.push(("base_revision".to_owned(), base_revision.unwrap_or_default().to_owned()));
    let button = state.theme().text(&format!("admin_action_{act}")).to_owned();
    let question_key = &format!("admin_confirm_{act}");
    confirm_fields(
        state,
        staff,
        Confirm { action, back: action, act, button, question_key, n: None, name: None },
        fields,
    )
}

/// What a confirmation asks before `act`.
pub(super) struct Confirm<'a> {
    /// Where the confirmed form posts.
    pub action: &'a str,
    /// Where "Vazgeç" leads.
    pub back: &'a str,
    pub act: &'a str,
    pub button: String,
    pub question_key: &'a str,
    /// How many things it touches, for a question that counts (`{n}`).
    pub n: Option<usize>,
    /// What it touches, for a question that names it (`{name}`).
    pub name: Option<&'a str>,
}

/// "Are you sure?" before any destructive action: the form comes back with
/// `fields` as they were and `confirm=1`.
pub(super) fn confirm_fields(
    state: &Snapshot,
    staff: &Staff,
    confirm: Confirm<'_>,
    fields: Vec<(String, String)>,
) -> Result<Html<String>, WebError> {
    let page = ConfirmPage {
        action: confirm.action.to_owned(),
        question: state
            .theme()
            .text(confirm.question_key)
            .replace("{n}", &confirm.n.unwrap_or(1).to_string())
            .replace("{name}", confirm.name.unwrap_or_default()),
        act: confirm.act.to_owned(),
        button: confirm.button,
        back: confirm.back.to_owned(),
        fields,
    };
    render(state, "admin/confirm.html", Some(staff), "admin_confirm_title", "articles", &page)
}

/// "Ayşe Yılmaz bu haberi şu anda düzenliyor", or nothing when alone.
pub(super) fn editing_now(state: &Snapshot, others: &[Present]) -> String {
    if others.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = others.iter().map(|p| p.name.as_str()).collect();
    state.theme().text("admin_editing_now").replace("{names}", &names.join(", "))
}

#[derive(Debug, Serialize)]
struct Heartbeat {
    /// Who else has the article open, in words; empty when nobody.
    message: String,
}

/// `POST /yonetim/haber/{id}/burada`: the editor's heartbeat.
pub async fn here(state: Snapshot, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    let others = state.service().heartbeat(&staff.actor(), id).await?;
    Ok(Json(Heartbeat { message: editing_now(&state, &others) }).into_response())
}

/// `POST /yonetim/haber/{id}/ayrildi`: the editor's tab closed.
pub async fn gone(state: Snapshot, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    state.service().leave(&staff.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /yonetim/haber/{id}/otomatik/sil`: throws the unsaved changes away.
pub async fn discard(state: Snapshot, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    state.service().editable_article(&staff.user, id).await?;
    state.service().discard_autosave(staff.user.id, id).await?;
    Ok(see_other(&format!("/yonetim/haber/{id}")))
}
