//! `/yonetim/haber/…`: writing and moving articles through the workflow.
//!
//! One form, one POST handler: the button pressed (`action`) says what to do
//! (save, submit, publish, unpublish, correct, preview). Every action asks
//! `workflow::allowed` first and answers 403 when it says no. Every save
//! makes a revision (in the store, in the same transaction).

use crate::input::{Form, Path};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use manset_core::workflow::{Move, allowed};
use manset_core::{Action, ArticleInput, InvalidArticle, LeadImage, SourceCredit, Status};
use manset_store::{EditableArticle, StoreError, Target};
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render};
use crate::AppState;
use crate::error::WebError;
use crate::origin::same_origin;
use crate::views::article_path;

/// Source credit rows in the form.
const SOURCE_ROWS: usize = 3;

/// The editor's form, as posted. Every field optional: a missing one is an
/// empty one, reported in Turkish by validation.
#[derive(Debug, Default, Deserialize)]
pub struct EditorForm {
    headline: Option<String>,
    standfirst: Option<String>,
    body: Option<String>,
    category: Option<String>,
    tags: Option<String>,
    author: Option<String>,
    slug: Option<String>,
    seo_title: Option<String>,
    seo_description: Option<String>,
    publish_at: Option<String>,
    correction: Option<String>,
    lang: Option<String>,
    image_url: Option<String>,
    image_alt: Option<String>,
    image_caption: Option<String>,
    image_credit: Option<String>,
    image_width: Option<String>,
    image_height: Option<String>,
    source_name_1: Option<String>,
    source_url_1: Option<String>,
    source_note_1: Option<String>,
    source_name_2: Option<String>,
    source_url_2: Option<String>,
    source_note_2: Option<String>,
    source_name_3: Option<String>,
    source_url_3: Option<String>,
    source_note_3: Option<String>,
    action: Option<String>,
}

/// One source row as the form shows it.
#[derive(Debug, Clone, Default, Serialize)]
struct SourceRow {
    n: usize,
    name: String,
    url: String,
    note: String,
}

/// The form's values.
#[derive(Debug, Clone, Default, Serialize)]
struct Values {
    headline: String,
    standfirst: String,
    body: String,
    category: String,
    tags: String,
    author: String,
    slug: String,
    seo_title: String,
    seo_description: String,
    publish_at: String,
    correction: String,
    /// `tr`, `en`, or empty for the site's language.
    lang: String,
    image: ImageValues,
    sources: Vec<SourceRow>,
}

/// The lead image fields, as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct ImageValues {
    url: String,
    alt: String,
    caption: String,
    credit: String,
    width: String,
    height: String,
}

#[derive(Debug, Serialize)]
struct EditorPage {
    /// `None` for a new article.
    id: Option<i64>,
    action: String,
    status: &'static str,
    public_url: Option<String>,
    values: Values,
    /// Buttons this member may press here.
    can: Vec<&'static str>,
    preview_html: Option<String>,
    categories: Vec<String>,
    tags: Vec<String>,
    /// Recent library images for the lead image field: (address, description).
    media: Vec<(String, String)>,
    flash: Option<Flash>,
}

fn status_name(status: Status, published_at: Timestamp, now: Timestamp) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Review => "review",
        Status::Published if published_at > now => "scheduled",
        Status::Published => "published",
        Status::Unpublished => "unpublished",
    }
}

fn values_of(input: &ArticleInput, state: &AppState) -> Values {
    let local = state.site().time_zone.to_datetime(input.published_at);
    let mut sources: Vec<SourceRow> = input
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| SourceRow {
            n: i + 1,
            name: s.name.clone(),
            url: s.url.clone().unwrap_or_default(),
            note: s.note.clone().unwrap_or_default(),
        })
        .collect();
    while sources.len() < SOURCE_ROWS {
        sources.push(SourceRow { n: sources.len() + 1, ..SourceRow::default() });
    }
    Values {
        headline: input.headline.clone(),
        standfirst: input.standfirst.clone(),
        body: input.body.clone(),
        category: input.category.clone(),
        tags: input.tags.join(", "),
        author: input.authors.join(", "),
        slug: input.slug.clone().unwrap_or_default(),
        seo_title: input.seo_title.clone().unwrap_or_default(),
        seo_description: input.seo_description.clone().unwrap_or_default(),
        publish_at: format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            local.year(),
            local.month(),
            local.day(),
            local.hour(),
            local.minute()
        ),
        correction: input.correction.clone().unwrap_or_default(),
        lang: input.lang.map(|l| l.tag().to_owned()).unwrap_or_default(),
        image: input
            .image
            .as_ref()
            .map(|i| ImageValues {
                url: i.url.clone(),
                alt: i.alt.clone(),
                caption: i.caption.clone().unwrap_or_default(),
                credit: i.credit.clone().unwrap_or_default(),
                width: i.width.map(|w| w.to_string()).unwrap_or_default(),
                height: i.height.map(|h| h.to_string()).unwrap_or_default(),
            })
            .unwrap_or_default(),
        sources,
    }
}

fn values_from_form(form: &EditorForm) -> Values {
    let get = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows = [
        (&form.source_name_1, &form.source_url_1, &form.source_note_1),
        (&form.source_name_2, &form.source_url_2, &form.source_note_2),
        (&form.source_name_3, &form.source_url_3, &form.source_note_3),
    ];
    Values {
        headline: get(&form.headline),
        standfirst: get(&form.standfirst),
        body: get(&form.body),
        category: get(&form.category),
        tags: get(&form.tags),
        author: get(&form.author),
        slug: get(&form.slug),
        seo_title: get(&form.seo_title),
        seo_description: get(&form.seo_description),
        publish_at: get(&form.publish_at),
        correction: get(&form.correction),
        lang: get(&form.lang),
        image: ImageValues {
            url: get(&form.image_url),
            alt: get(&form.image_alt),
            caption: get(&form.image_caption),
            credit: get(&form.image_credit),
            width: get(&form.image_width),
            height: get(&form.image_height),
        },
        sources: rows
            .iter()
            .enumerate()
            .map(|(i, (n, u, note))| SourceRow { n: i + 1, name: get(n), url: get(u), note: get(note) })
            .collect(),
    }
}

/// The form's values as an article input; `Err` names the translation key
/// of what is wrong with the publish time.
fn input_of(
    values: &Values,
    status: Status,
    fallback_time: Timestamp,
    state: &AppState,
) -> Result<ArticleInput, &'static str> {
    let published_at = if values.publish_at.trim().is_empty() {
        fallback_time
    } else {
        let civil: jiff::civil::DateTime = values.publish_at.trim().parse().map_err(|_| "editor_error_publish_at")?;
        state.site().time_zone.to_timestamp(civil).map_err(|_| "editor_error_publish_at")?
    };
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let side = |s: &str| match s.trim() {
        "" => Ok(None),
        n => n.parse::<u32>().map(Some).map_err(|_| "editor_error_image"),
    };
    let i = &values.image;
    let image = (!i.url.trim().is_empty())
        .then(|| -> Result<LeadImage, &'static str> {
            Ok(LeadImage {
                url: i.url.clone(),
                alt: i.alt.clone(),
                caption: opt(&i.caption),
                credit: opt(&i.credit),
                width: side(&i.width)?,
                height: side(&i.height)?,
            })
        })
        .transpose()?;
    let lang = match values.lang.trim() {
        "" => None,
        tag => Some(tag.parse().map_err(|_| "editor_error_lang")?),
    };
    Ok(ArticleInput {
        headline: values.headline.clone(),
        standfirst: values.standfirst.clone(),
        body: values.body.replace("\r\n", "\n"),
        slug: opt(&values.slug),
        category: values.category.clone(),
        tags: values.tags.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
        authors: values.author.split(',').map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect(),
        published_at,
        updated_at: None,
        status,
        sources: values
            .sources
            .iter()
            .filter(|s| !s.name.trim().is_empty() || !s.url.trim().is_empty() || !s.note.trim().is_empty())
            .map(|s| SourceCredit { name: s.name.clone(), url: opt(&s.url), note: opt(&s.note) })
            .collect(),
        seo_title: opt(&values.seo_title),
        seo_description: opt(&values.seo_description),
        correction: opt(&values.correction),
        image,
        lang,
    })
}

/// The translation key of an article rule that failed.
fn problem_key(e: &StoreError) -> Option<&'static str> {
    Some(match e {
        StoreError::Invalid(InvalidArticle::EmptyHeadline) => "editor_error_headline",
        StoreError::Invalid(InvalidArticle::HeadlineTooLong(_)) => "editor_error_headline_long",
        StoreError::Invalid(InvalidArticle::StandfirstTooLong(_)) => "editor_error_standfirst_long",
        StoreError::Invalid(InvalidArticle::EmptyCategory) => "editor_error_category",
        StoreError::Invalid(InvalidArticle::BadSlug(_)) => "editor_error_slug",
        StoreError::Invalid(InvalidArticle::UpdatedBeforePublished) => "editor_error_publish_at",
        StoreError::Invalid(InvalidArticle::Source { .. }) => "editor_error_source",
        StoreError::Invalid(InvalidArticle::Image(manset_core::InvalidImage::TextTooLong(_))) => {
            "editor_error_image_text"
        }
        StoreError::Invalid(InvalidArticle::Image(_)) => "editor_error_image",
        StoreError::Unsluggable(_) => "editor_error_unsluggable",
        _ => return None,
    })
}

fn is_own(article: &EditableArticle, staff: &Staff) -> bool {
    article.created_by == Some(staff.user.id)
}

/// The buttons a member may press on an article in `status`.
fn buttons(staff: &Staff, own: bool, status: Status) -> Vec<&'static str> {
    let mut can = vec!["preview"];
    for (mv, name) in [
        (Move::Save, "save"),
        (Move::Submit, "submit"),
        (Move::Publish, "publish"),
        (Move::Unpublish, "unpublish"),
        (Move::Correct, "correct"),
    ] {
        if allowed(staff.user.role, own, status, mv) {
            can.push(name);
        }
    }
    can
}

struct Screen<'a> {
    state: &'a AppState,
    staff: &'a Staff,
}

impl Screen<'_> {
    async fn show(
        &self,
        status_code: StatusCode,
        article: Option<&EditableArticle>,
        values: Values,
        preview: bool,
        flash: Option<Flash>,
    ) -> Result<Response, WebError> {
        let now = Timestamp::now();
        let (categories, tags) = self.state.store().taxonomy_names().await?;
        let (library, _) = self.state.store().media_list(None, 40, 0).await?;
        let media = library
            .iter()
            .map(|m| {
                let label = if m.alt.is_empty() { m.original_name.clone() } else { m.alt.clone() };
                (m.main_path().to_owned(), label)
            })
            .collect();
        let (status, own) = match article {
            Some(a) => (a.status, is_own(a, self.staff)),
            None => (Status::Draft, true),
        };
        let page = EditorPage {
            id: article.map(|a| a.id),
            action: article.map_or("/yonetim/haber/yeni".to_owned(), |a| format!("/yonetim/haber/{}", a.id)),
            status: article.map_or("draft", |a| status_name(a.status, a.input.published_at, now)),
            public_url: article.filter(|a| a.status == Status::Published).map(|a| article_path(&a.slug)),
            preview_html: preview.then(|| manset_text::markdown::to_safe_html(&values.body)),
            values,
            can: buttons(self.staff, own, status),
            categories,
            tags,
            media,
            flash,
        };
        let html = render(self.state, "admin/editor.html", Some(self.staff), "admin_editor_title", "articles", &page)?;
        Ok((status_code, html).into_response())
    }
}

pub async fn new(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(Action::WriteDrafts)?;
    let values = Values {
        sources: (1..=SOURCE_ROWS).map(|n| SourceRow { n, ..SourceRow::default() }).collect(),
        author: staff.user.name.clone(),
        ..Values::default()
    };
    Screen { state: &state, staff: &staff }.show(StatusCode::OK, None, values, false, None).await
}

pub async fn edit(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    let article = state.store().editable_article(id).await?.ok_or(WebError::NotFound)?;
    if !is_own(&article, &staff) && !staff.user.role.may(Action::EditAnyArticle) {
        return Err(WebError::NotAllowed);
    }
    let values = values_of(&article.input, &state);
    Screen { state: &state, staff: &staff }.show(StatusCode::OK, Some(&article), values, false, None).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<EditorForm>,
) -> Result<Response, WebError> {
    save(state, staff, headers, None, form).await
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<EditorForm>,
) -> Result<Response, WebError> {
    save(state, staff, headers, Some(id), form).await
}

async fn save(
    state: AppState,
    staff: Staff,
    headers: HeaderMap,
    id: Option<i64>,
    form: EditorForm,
) -> Result<Response, WebError> {
    if !same_origin(&headers, &state.site()) {
        return Err(WebError::Forbidden);
    }
    let now = Timestamp::now();
    let article = match id {
        Some(id) => Some(state.store().editable_article(id).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    let (status, own) = match &article {
        Some(a) => (a.status, is_own(a, &staff)),
        None => (Status::Draft, true),
    };
    let screen = Screen { state: &state, staff: &staff };
    let values = values_from_form(&form);
    let action = form.action.as_deref().unwrap_or("save");
    // The editor's script saves drafts in the background; only drafts, only as drafts.
    let autosave = headers.get("x-autosave").is_some();
    if autosave && (action != "save" || status != Status::Draft) {
        let message = state.theme().text("admin_autosave_drafts_only").to_owned();
        return Ok((StatusCode::CONFLICT, Json(AutosaveReply { id: None, message })).into_response());
    }
    let mv = match action {
        "preview" => return screen.show(StatusCode::OK, article.as_ref(), values, true, None).await,
        "save" => Move::Save,
        "submit" => Move::Submit,
        "publish" => Move::Publish,
        "unpublish" => Move::Unpublish,
        "correct" => Move::Correct,
        _ => return Err(WebError::NotFound),
    };
    if !allowed(staff.user.role, own, status, mv) {
        return Err(WebError::NotAllowed);
    }
    let new_status = match mv {
        Move::Save | Move::Correct | Move::Restore => status,
        Move::Submit => Status::Review,
        Move::Publish => Status::Published,
        Move::Unpublish => Status::Unpublished,
    };
    let fallback_time = article
        .as_ref()
        .map_or(now, |a| if mv == Move::Publish && a.status != Status::Published { now } else { a.input.published_at });
    let mut input = match input_of(&values, new_status, fallback_time, &state) {
        Ok(input) => input,
        Err(key) if autosave => {
            let message = state.theme().text(key).to_owned();
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(AutosaveReply { id: None, message })).into_response());
        }
        Err(key) => {
            let flash = Flash::error(&state, key);
            return screen.show(StatusCode::UNPROCESSABLE_ENTITY, article.as_ref(), values, false, Some(flash)).await;
        }
    };
    // Only a correction writes the correction note; other saves keep it as it was.
    if mv != Move::Correct {
        input.correction = article.as_ref().and_then(|a| a.input.correction.clone());
    }
    if mv == Move::Correct && input.correction.is_none() {
        let flash = Flash::error(&state, "editor_error_correction");
        return screen.show(StatusCode::UNPROCESSABLE_ENTITY, article.as_ref(), values, false, Some(flash)).await;
    }
    if article.as_ref().is_some_and(|a| a.status == Status::Published) && matches!(mv, Move::Save | Move::Correct) {
        input.updated_at = Some(now.max(input.published_at));
    }
    let target = match &article {
        Some(a) => Target::Existing(a.id),
        None => Target::New { created_by: Some(staff.user.id) },
    };
    // A published article may not show a library image without alt text.
    if input.status == Status::Published && !crate::media::alt_texts_complete(state.store(), &input).await? {
        if autosave {
            let message = state.theme().text("editor_error_media_alt").to_owned();
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(AutosaveReply { id: None, message })).into_response());
        }
        let flash = Flash::error(&state, "editor_error_media_alt");
        return screen.show(StatusCode::UNPROCESSABLE_ENTITY, article.as_ref(), values, false, Some(flash)).await;
    }
    let headline = input.headline.clone();
    match state.store().save_article_as(input, target, Some(staff.user.id), now).await {
        Ok(outcome) if autosave => {
            let local = state.site().time_zone.to_datetime(now);
            let message = state
                .theme()
                .text("admin_autosaved")
                .replace("{time}", &format!("{:02}:{:02}", local.hour(), local.minute()));
            Ok(Json(AutosaveReply { id: Some(outcome.id), message }).into_response())
        }
        Ok(outcome) => {
            tracing::info!(user = staff.user.id, article = outcome.id, action, "article saved");
            // The search index follows in the same request: when the editor is
            // told it is published (or withdrawn), search says so too.
            crate::search_sync::articles(state.store(), state.search(), &[outcome.id])
                .await
                .map_err(|e| WebError::Internal(Box::new(e)))?;
            let code = if outcome.created { "article.create" } else { &format!("article.{action}") };
            staff.audit(&state, code, &format!("#{} {headline}", outcome.id), "").await;
            let mut response =
                Redirect::to(&format!("/yonetim/haber/{}?kaydedildi={action}", outcome.id)).into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            Ok(response)
        }
        Err(e) => match problem_key(&e) {
            Some(key) if autosave => {
                let message = state.theme().text(key).to_owned();
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(AutosaveReply { id: None, message })).into_response())
            }
            Some(key) => {
                let flash = Flash::error(&state, key);
                screen.show(StatusCode::UNPROCESSABLE_ENTITY, article.as_ref(), values, false, Some(flash)).await
            }
            None => Err(e.into()),
        },
    }
}

/// The answer to a background save.
#[derive(Debug, Serialize)]
struct AutosaveReply {
    /// The article's id (new drafts get one on their first autosave).
    id: Option<i64>,
    message: String,
}

/// `POST /yonetim/onizleme`: the body rendered by the public page's own
/// Markdown code, for the editor's live preview.
pub async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    crate::input::Text(body): crate::input::Text,
) -> Result<Response, WebError> {
    staff.posting(&state, &headers, Action::WriteDrafts)?;
    let html = manset_text::markdown::to_safe_html(&body);
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

#[derive(Debug, Serialize)]
struct RevisionRow {
    number: i64,
    user: String,
    status: String,
    date: crate::views::DateView,
    headline: String,
    /// Lines of the body compared with the revision before: (`+`, `-` or ` `, text).
    diff: Vec<(char, String)>,
}

#[derive(Debug, Serialize)]
struct RevisionsPage {
    id: i64,
    headline: String,
    revisions: Vec<RevisionRow>,
    can_restore: bool,
}

pub async fn revisions(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    let article = state.store().editable_article(id).await?.ok_or(WebError::NotFound)?;
    let own = is_own(&article, &staff);
    if !own && !staff.user.role.may(Action::EditAnyArticle) {
        return Err(WebError::NotAllowed);
    }
    let list = state.store().revisions(id).await?;
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let before = list.get(i + 1).map_or("", |p| p.content.body.as_str());
            RevisionRow {
                number: r.number,
                user: r.user_name.clone().unwrap_or_else(|| "—".to_owned()),
                status: r.status.as_str().to_owned(),
                date: crate::views::DateView::new(r.created_at, &state.site()),
                headline: r.content.headline.clone(),
                diff: manset_text::diff::lines(before, &r.content.body),
            }
        })
        .collect();
    let page = RevisionsPage {
        id,
        headline: article.input.headline.clone(),
        revisions: rows,
        can_restore: allowed(staff.user.role, own, article.status, Move::Restore),
    };
    Ok(render(&state, "admin/revisions.html", Some(&staff), "admin_revisions_title", "articles", &page)?
        .into_response())
}

pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, number)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    if !same_origin(&headers, &state.site()) {
        return Err(WebError::Forbidden);
    }
    let article = state.store().editable_article(id).await?.ok_or(WebError::NotFound)?;
    if !allowed(staff.user.role, is_own(&article, &staff), article.status, Move::Restore) {
        return Err(WebError::NotAllowed);
    }
    let revision =
        state.store().revisions(id).await?.into_iter().find(|r| r.number == number).ok_or(WebError::NotFound)?;
    let mut input = revision.content;
    // Restoring brings back the text, not an old workflow state.
    input.status = article.status;
    input.published_at = article.input.published_at;
    let subject = format!("#{id} {}", input.headline);
    state.store().save_article_as(input, Target::Existing(id), Some(staff.user.id), Timestamp::now()).await?;
    tracing::info!(user = staff.user.id, article = id, revision = number, "revision restored");
    crate::search_sync::articles(state.store(), state.search(), &[id])
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    staff.audit(&state, "article.restore", &subject, &format!("{number}")).await;
    let mut response = Redirect::to(&format!("/yonetim/haber/{id}?kaydedildi=restore")).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    Ok(response)
}
