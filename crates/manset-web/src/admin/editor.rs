//! `/yonetim/haber/…`: writing and moving articles through the workflow.
//!
//! One form, one POST handler: the button pressed (`action`) says what to do
//! (save, submit, publish, unpublish, correct, preview). The handler reads
//! the form into a `Draft` and makes one call, `Service::move_article`,
//! which holds the rules (the workflow's permission first, 403 when it says
//! no; the revision, search and audit log of every save).

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use manset_core::workflow::Move;
use manset_core::{Action, ArticleInput, LeadImage, SourceCredit, Status};
use manset_service::articles::{self, Draft, Mode, Moved, Problem};
use manset_service::editing::Autosaved;
use manset_store::EditableArticle;
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::input::{Form, Path, Query};
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
    /// The revision the form started from.
    base_revision: Option<String>,
    /// Present once a destructive action was confirmed.
    confirm: Option<String>,
}

/// One source row as the form shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct SourceRow {
    pub(super) n: usize,
    pub(super) name: String,
    pub(super) url: String,
    pub(super) note: String,
}

/// The form's values.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct Values {
    pub(super) headline: String,
    pub(super) standfirst: String,
    pub(super) body: String,
    pub(super) category: String,
    pub(super) tags: String,
    pub(super) author: String,
    pub(super) slug: String,
    pub(super) seo_title: String,
    pub(super) seo_description: String,
    pub(super) publish_at: String,
    pub(super) correction: String,
    /// `tr`, `en`, or empty for the site's language.
    pub(super) lang: String,
    pub(super) image: ImageValues,
    pub(super) sources: Vec<SourceRow>,
}

/// The lead image fields, as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct ImageValues {
    pub(super) url: String,
    pub(super) alt: String,
    pub(super) caption: String,
    pub(super) credit: String,
    pub(super) width: String,
    pub(super) height: String,
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
    /// After a save: the article on the site, beside the message.
    flash_link: Option<String>,
    /// The revision this form starts from (0: a new article).
    base_revision: i64,
    /// When this member's unsaved changes were kept, if they have any.
    autosave: Option<AutosaveNote>,
    /// Who else has the article open, in words.
    editing_now: String,
}

#[derive(Debug, Serialize)]
struct AutosaveNote {
    time: String,
}

/// What the editor shows around the form when it is opened (not after a
/// refused save).
#[derive(Debug, Default)]
struct Opened {
    flash_link: Option<String>,
    autosave: Option<AutosaveNote>,
    editing_now: String,
}

fn values_of(input: &ArticleInput, zone: &TimeZone) -> Values {
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
        publish_at: manset_text::dates::datetime_local(input.published_at, zone),
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

/// The form's values as the service takes them; `Err` says which field
/// cannot be read (the publish time, the image's size, the language).
fn draft_of(values: &Values, zone: &TimeZone) -> Result<Draft, Problem> {
    let publish_at = match values.publish_at.trim() {
        "" => None,
        typed => {
            let civil: jiff::civil::DateTime = typed.parse().map_err(|_| Problem::PublishAt)?;
            Some(zone.to_timestamp(civil).map_err(|_| Problem::PublishAt)?)
        }
    };
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let side = |s: &str| match s.trim() {
        "" => Ok(None),
        n => n.parse::<u32>().map(Some).map_err(|_| Problem::Image),
    };
    let i = &values.image;
    let image = (!i.url.trim().is_empty())
        .then(|| -> Result<LeadImage, Problem> {
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
        tag => Some(tag.parse().map_err(|_| Problem::Lang)?),
    };
    let list = |s: &str| s.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    let input = ArticleInput {
        headline: values.headline.clone(),
        standfirst: values.standfirst.clone(),
        body: values.body.replace("\r\n", "\n"),
        slug: opt(&values.slug),
        category: values.category.clone(),
        tags: list(&values.tags),
        authors: list(&values.author),
        // The move sets these two.
        published_at: Timestamp::UNIX_EPOCH,
        updated_at: None,
        status: Status::Draft,
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
    };
    Ok(Draft { input, publish_at, base_revision: None })
}

/// The move a button of the form names.
fn move_named(action: &str) -> Option<Move> {
    Some(match action {
        "save" => Move::Save,
        "submit" => Move::Submit,
        "publish" => Move::Publish,
        "unpublish" => Move::Unpublish,
        "correct" => Move::Correct,
        "trash" => Move::Trash,
        "recover" => Move::Recover,
        _ => return None,
    })
}

/// The buttons a member may press on `article` (`None`: a new one).
fn buttons(staff: &Staff, article: Option<&EditableArticle>) -> Vec<&'static str> {
    let moves = articles::moves(&staff.user, article).into_iter().filter(|mv| *mv != Move::Restore);
    std::iter::once("preview").chain(moves.map(articles::name)).collect()
}

struct Screen<'a> {
    state: &'a Snapshot,
    staff: &'a Staff,
    /// The revision the form started from, when it comes back refused;
    /// otherwise the article's newest.
    base: Option<i64>,
    opened: Opened,
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
        let html = self.page(article, values, preview, flash).await?;
        Ok((status_code, html).into_response())
    }

    /// The form again, with what is wrong said at its top.
    async fn refused(&self, article: Option<&EditableArticle>, values: Values, problem: Problem) -> WebError {
        let flash = Flash::error(self.state, problem.key());
        match self.page(article, values, false, Some(flash)).await {
            Ok(html) => WebError::Form(StatusCode::UNPROCESSABLE_ENTITY, html),
            Err(e) => e,
        }
    }

    async fn page(
        &self,
        article: Option<&EditableArticle>,
        values: Values,
        preview: bool,
        flash: Option<Flash>,
    ) -> Result<axum::response::Html<String>, WebError> {
        let (categories, tags) = self.state.store().taxonomy_names().await?;
        let (library, _) = self.state.store().media_list(None, 40, 0).await?;
        let media = library
            .iter()
            .map(|m| {
                let label = if m.alt.is_empty() { m.original_name.clone() } else { m.alt.clone() };
                (m.main_path().to_owned(), label)
            })
            .collect();
        let base_revision = match (self.base, article) {
            (Some(base), _) => base,
            (None, Some(a)) => self.state.store().latest_revision(a.id).await?,
            (None, None) => 0,
        };
        let page = EditorPage {
            base_revision,
            flash_link: self.opened.flash_link.clone(),
            autosave: self.opened.autosave.as_ref().map(|a| AutosaveNote { time: a.time.clone() }),
            editing_now: self.opened.editing_now.clone(),
            id: article.map(|a| a.id),
            action: article.map_or("/yonetim/haber/yeni".to_owned(), |a| format!("/yonetim/haber/{}", a.id)),
            status: article.map_or("draft", |a| a.status.name_at(a.input.published_at, self.state.now())),
            public_url: article.filter(|a| a.status == Status::Published).map(|a| article_path(&a.slug)),
            preview_html: preview.then(|| manset_text::markdown::to_safe_html(&values.body)),
            values,
            can: buttons(self.staff, article),
            categories,
            tags,
            media,
            flash,
        };
        render(self.state, "admin/editor.html", Some(self.staff), "admin_editor_title", "articles", &page)
    }
}

pub async fn new(state: Snapshot, staff: Staff) -> Result<Response, WebError> {
    staff.require(Action::WriteDrafts)?;
    let values = Values {
        sources: (1..=SOURCE_ROWS).map(|n| SourceRow { n, ..SourceRow::default() }).collect(),
        author: staff.user.name.clone(),
        ..Values::default()
    };
    Screen { state: &state, staff: &staff, base: None, opened: Opened::default() }
        .show(StatusCode::OK, None, values, false, None)
        .await
}

/// The editor's address's query: what was just done, or "bring my
/// unsaved changes back".
#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    kaydedildi: Option<String>,
    taslak: Option<String>,
}

pub async fn edit(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<EditQuery>,
) -> Result<Response, WebError> {
    let article = state.service().editable_article(&staff.user, id).await?;
    let zone = &state.site().time_zone;
    let slot = state.service().autosaved(staff.user.id, id).await?;
    let (values, base, slot) = match (slot, query.taslak.as_deref()) {
        (Some(kept), Some("geri")) => {
            let form: EditorForm = serde_urlencoded::from_str(&kept.content).unwrap_or_default();
            (values_from_form(&form), Some(kept.base_revision), None)
        }
        (slot, _) => (values_of(&article.input, zone), None, slot),
    };
    let others = state.service().others_editing(staff.user.id, id).await?;
    let flash = query.kaydedildi.as_deref().and_then(|done| saved_flash(&state, done));
    let public = (article.status == Status::Published).then(|| article_path(&article.slug));
    let opened = Opened {
        flash_link: flash.as_ref().and(public),
        autosave: slot.map(|s| AutosaveNote { time: manset_text::dates::time_of_day(s.saved_at, zone) }),
        editing_now: super::editing::editing_now(&state, &others),
    };
    let screen = Screen { state: &state, staff: &staff, base, opened };
    screen.show(StatusCode::OK, Some(&article), values, false, flash).await
}

/// What `member` typed into article `id` and has not saved (their autosave
/// slot), as the article it would make; `None` when they typed nothing
/// since, or what they typed cannot be read yet (a half-typed time).
pub(super) async fn typed_input(
    state: &Snapshot,
    member: i64,
    id: i64,
) -> Result<Option<manset_core::ArticleInput>, WebError> {
    let Some(kept) = state.service().autosaved(member, id).await? else { return Ok(None) };
    let form: EditorForm = serde_urlencoded::from_str(&kept.content).unwrap_or_default();
    Ok(draft_of(&values_from_form(&form), &state.site().time_zone).ok().map(|d| d.input))
}

/// The message after `done` ("Haber yayımlandı"), for the moves there are.
fn saved_flash(state: &Snapshot, done: &str) -> Option<Flash> {
    matches!(done, "save" | "submit" | "publish" | "unpublish" | "correct" | "restore" | "trash" | "recover")
        .then(|| Flash::success(state, &format!("admin_saved_{done}")))
}

pub async fn create(
    state: Snapshot,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<EditorForm>,
) -> Result<Response, WebError> {
    save(state, staff, is_autosave(&headers), None, form).await
}

pub async fn update(
    state: Snapshot,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<EditorForm>,
) -> Result<Response, WebError> {
    save(state, staff, is_autosave(&headers), Some(id), form).await
}

/// The editor's script saves in the background, marked with this header.
fn is_autosave(headers: &HeaderMap) -> bool {
    headers.contains_key("x-autosave")
}

async fn save(
    state: Snapshot,
    staff: Staff,
    autosave: bool,
    id: Option<i64>,
    form: EditorForm,
) -> Result<Response, WebError> {
    let article = match id {
        Some(id) => Some(state.store().editable_article(id).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    let base = form.base_revision.as_deref().and_then(|b| b.trim().parse::<i64>().ok()).filter(|b| *b > 0);
    let screen = Screen { state: &state, staff: &staff, base, opened: Opened::default() };
    let values = values_from_form(&form);
    // An article being edited autosaves into its member's slot, never itself.
    if let (true, Some(a)) = (autosave, &article) {
        return keep_typed(&state, &staff, a.id, base, &values).await;
    }
    let action = form.action.as_deref().unwrap_or("save");
    let mv = match (move_named(action), autosave) {
        (Some(mv), _) => mv,
        (None, true) => return Ok(autosave_reply(&state, &Moved::Refused(Problem::AutosaveDraftsOnly))),
        (None, false) if action == "preview" => {
            return screen.show(StatusCode::OK, article.as_ref(), values, true, None).await;
        }
        (None, false) => return Err(WebError::NotFound),
    };
    if let (Move::Unpublish | Move::Trash, None, Some(a)) = (mv, &form.confirm, &article) {
        let address = format!("/yonetim/haber/{}", a.id);
        let page = super::editing::confirm(&state, &staff, &address, action, &values, form.base_revision.as_deref());
        return Ok(page?.into_response());
    }
    let mode = if autosave { Mode::Autosave } else { Mode::Editor };
    let draft = draft_of(&values, &state.site().time_zone).map(|d| Draft { base_revision: base, ..d });
    let moved = state.service().move_article(&staff.actor(), article.as_ref(), mv, draft, mode).await?;
    match (moved, article.as_ref()) {
        (moved, _) if autosave => Ok(autosave_reply(&state, &moved)),
        (Moved::Saved { id, .. }, _) => Ok(see_other(&format!("/yonetim/haber/{id}?kaydedildi={action}"))),
        (Moved::Refused(problem), _) => Err(screen.refused(article.as_ref(), values, problem).await),
        (Moved::Stale { base, current }, Some(a)) => {
            Err(stale(&state, &staff, a, action, &values, base, current).await?)
        }
        (Moved::Stale { .. }, None) => Err(WebError::NotFound),
    }
}

/// Someone saved since this form was opened: the conflict screen, built
/// from the revision the form started from, theirs, and what was typed.
async fn stale(
    state: &Snapshot,
    staff: &Staff,
    article: &EditableArticle,
    act: &str,
    mine: &Values,
    base: i64,
    current: i64,
) -> Result<WebError, WebError> {
    let revisions = state.store().revisions(article.id).await?;
    let zone = &state.site().time_zone;
    let theirs = revisions.iter().find(|r| r.number == current).ok_or(WebError::NotFound)?;
    // A start no revision has (a form from elsewhere): compare with theirs.
    let started = revisions.iter().find(|r| r.number == base).unwrap_or(theirs);
    let (base_values, theirs_values) = (values_of(&started.content, zone), values_of(&theirs.content, zone));
    let versions = super::editing::Versions {
        base: &base_values,
        theirs: &theirs_values,
        mine,
        theirs_by: theirs.user_name.clone().unwrap_or_else(|| "—".to_owned()),
        current,
    };
    super::editing::conflict(state, staff, &format!("/yonetim/haber/{}", article.id), act, versions)
}

/// Keeps what was typed in the member's autosave slot for article `id`.
async fn keep_typed(
    state: &Snapshot,
    staff: &Staff,
    id: i64,
    base: Option<i64>,
    values: &Values,
) -> Result<Response, WebError> {
    let base = match base {
        Some(base) => base,
        None => state.store().latest_revision(id).await?,
    };
    let content = super::editing::encode(values);
    let reply = match state.service().autosave(&staff.actor(), id, base, &content).await? {
        Autosaved::Kept { at } => {
            let time = manset_text::dates::time_of_day(at, &state.site().time_zone);
            let message = state.theme().text("admin_autosaved_slot").replace("{time}", &time);
            (StatusCode::OK, AutosaveReply { id: Some(id), revision: None, message })
        }
        Autosaved::TooLarge => {
            let message = state.theme().text("admin_autosave_too_large").to_owned();
            (StatusCode::PAYLOAD_TOO_LARGE, AutosaveReply { id: None, revision: None, message })
        }
    };
    Ok((reply.0, Json(reply.1)).into_response())
}

/// What the editor's script is told of a background save of a new article:
/// when its draft was made, or why not (409 when only a person may save
/// this, 422 when the draft breaks a rule).
fn autosave_reply(state: &Snapshot, moved: &Moved) -> Response {
    match moved {
        Moved::Saved { id, revision, .. } => {
            let time = manset_text::dates::time_of_day(state.now(), &state.site().time_zone);
            let message = state.theme().text("admin_autosaved").replace("{time}", &time);
            Json(AutosaveReply { id: Some(*id), revision: Some(*revision), message }).into_response()
        }
        Moved::Refused(problem) => {
            let status = match problem {
                Problem::AutosaveDraftsOnly => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let message = state.theme().text(problem.key()).to_owned();
            (status, Json(AutosaveReply { id: None, revision: None, message })).into_response()
        }
        Moved::Stale { .. } => {
            let message = state.theme().text("admin_conflict_title").to_owned();
            (StatusCode::CONFLICT, Json(AutosaveReply { id: None, revision: None, message })).into_response()
        }
    }
}

/// The answer to a background save.
#[derive(Debug, Serialize)]
struct AutosaveReply {
    /// The article's id (new drafts get one on their first autosave).
    id: Option<i64>,
    /// The revision a new draft's first autosave made: the form's start.
    revision: Option<i64>,
    message: String,
}

/// `POST /yonetim/onizleme`: the body rendered by the public page's own
/// Markdown code, for the editor's live preview.
pub async fn preview(staff: Staff, crate::input::Text(body): crate::input::Text) -> Result<Response, WebError> {
    staff.require(Action::WriteDrafts)?;
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

pub async fn revisions(state: Snapshot, staff: Staff, Path(id): Path<i64>) -> Result<Response, WebError> {
    let article = state.service().editable_article(&staff.user, id).await?;
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
                date: crate::views::DateView::new(r.created_at, state.site()),
                headline: r.content.headline.clone(),
                diff: manset_text::diff::lines(before, &r.content.body),
            }
        })
        .collect();
    let page = RevisionsPage {
        id,
        headline: article.input.headline.clone(),
        revisions: rows,
        can_restore: articles::moves(&staff.user, Some(&article)).contains(&Move::Restore),
    };
    Ok(render(&state, "admin/revisions.html", Some(&staff), "admin_revisions_title", "articles", &page)?
        .into_response())
}

/// Brings back an earlier revision's text (see `Service::restore_revision`).
pub async fn restore(
    state: Snapshot,
    staff: Staff,
    Path((id, number)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    state.service().restore_revision(&staff.actor(), id, number).await?;
    Ok(see_other(&format!("/yonetim/haber/{id}?kaydedildi=restore")))
}
