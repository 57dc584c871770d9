//! `/yonetim/yorumlar`: the comment queue. Approve, mark as spam, trash or
//! send back to the queue, one at a time or many at once; reply as the
//! newsroom; see what an address has written before.
//!
//! Only roles that may `ModerateComments` (editors and admins) get here.

use crate::input::{Path, Query};
use axum::response::{IntoResponse, Response};
use manset_core::comment::{Decision, HoldReason};
use manset_core::{Action, CommentStatus};
use manset_store::{AddedComment, NewComment, StaffAuthor};
use serde::{Deserialize, Serialize};

use super::{Flash, FormFields, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{DateView, Pagination, article_path};

/// Comments per page of the queue.
const PER_PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    /// `pending` (default), `approved`, `spam`, `trash` or `all`.
    durum: Option<String>,
    /// Only this address: the commenter's history.
    eposta: Option<String>,
    sayfa: Option<String>,
    /// How many comments the last action changed.
    tamam: Option<u32>,
    /// Set after a reply was posted.
    yanit: Option<String>,
    /// Set when a reply was refused.
    hata: Option<String>,
}

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    name: String,
    email: String,
    url: Option<String>,
    ip: Option<String>,
    body_html: String,
    status: &'static str,
    staff: bool,
    /// Why the policy held it: each reason's code, and whether it is a
    /// reader posing as the newsroom (shown first, and marked).
    reasons: Vec<Reason>,
    date: DateView,
    article_headline: String,
    article_url: String,
    is_reply: bool,
    /// This address's other comments: total, approved, spam.
    history: (u64, u64, u64),
    history_url: String,
}

#[derive(Debug, Serialize)]
struct Reason {
    code: &'static str,
    staff: bool,
}

impl From<HoldReason> for Reason {
    fn from(r: HoldReason) -> Reason {
        Reason { code: r.code(), staff: r.is_impersonation() }
    }
}

#[derive(Debug, Serialize)]
struct Tab {
    code: &'static str,
    count: u64,
    url: String,
    current: bool,
}

#[derive(Debug, Serialize)]
struct QueuePage {
    rows: Vec<Row>,
    tabs: Vec<Tab>,
    status: &'static str,
    email: Option<String>,
    pagination: Pagination,
    /// Where the forms send the moderator back to.
    back: String,
    flash: Option<Flash>,
}

fn parse_status(code: &str) -> Option<Option<CommentStatus>> {
    match code {
        "all" => Some(None),
        other => other.parse().ok().map(Some),
    }
}

fn status_code(status: Option<CommentStatus>) -> &'static str {
    status.map_or("all", CommentStatus::as_str)
}

pub async fn index(state: Snapshot, staff: Staff, Query(query): Query<QueueQuery>) -> Result<Response, WebError> {
    staff.require(Action::ModerateComments)?;
    let email = query.eposta.as_deref().map(manset_core::email::normalize).filter(|e| !e.is_empty());
    let default = if email.is_some() { "all" } else { "pending" };
    let status = parse_status(query.durum.as_deref().unwrap_or(default)).ok_or(WebError::NotFound)?;
    let number = crate::input::page_number(query.sayfa.as_deref())?;
    let store = state.store();
    let (items, total) =
        store.moderation_queue(status, email.as_deref(), PER_PAGE, u64::from(number - 1) * u64::from(PER_PAGE)).await?;
    let emails: Vec<&str> = items.iter().map(|i| i.email.as_str()).collect();
    let history = store.commenter_history(&emails).await?;
    let counts = store.comment_status_counts().await?;
    let tabs = tabs(&counts, email.as_deref(), status);
    let rows = items
        .iter()
        .map(|i| {
            let h = history.get(&i.email).copied().unwrap_or_default();
            Row {
                id: i.id,
                name: i.name.clone(),
                email: i.email.clone(),
                url: i.url.clone(),
                ip: i.ip.clone(),
                body_html: manset_text::comment::to_html(&i.body),
                status: i.status.as_str(),
                staff: i.staff,
                reasons: i.held_for.iter().copied().map(Reason::from).collect(),
                date: DateView::new(i.created_at, state.site()),
                article_headline: i.article_headline.clone(),
                article_url: format!("{}#yorum-{}", article_path(&i.article_slug), i.id),
                is_reply: i.parent_id.is_some(),
                history: (h.total.saturating_sub(1), h.approved, h.spam),
                history_url: format!("/yonetim/yorumlar?eposta={}", manset_text::percent::encode(&i.email)),
            }
        })
        .collect();
    let page_info = manset_core::Page::<()> { items: vec![], number, per_page: PER_PAGE, total };
    let list_url = list_url(email.as_deref(), status_code(status));
    let flash = flash(&state, &query);
    let page = QueuePage {
        rows,
        tabs,
        status: status_code(status),
        email,
        pagination: Pagination::with_query(&page_info, &list_url),
        back: if number > 1 { format!("{list_url}&sayfa={number}") } else { list_url },
        flash,
    };
    Ok(render(&state, "admin/comments.html", Some(&staff), "admin_comments_title", "comments", &page)?.into_response())
}

/// The queue's address for the status `code`, for one commenter or all.
fn list_url(email: Option<&str>, code: &str) -> String {
    match email {
        Some(e) => format!("/yonetim/yorumlar?durum={code}&eposta={}", manset_text::percent::encode(e)),
        None => format!("/yonetim/yorumlar?durum={code}"),
    }
}

/// One tab per status (and "all"), with its count.
fn tabs(counts: &[(CommentStatus, u64)], email: Option<&str>, current: Option<CommentStatus>) -> Vec<Tab> {
    let count_of = |s: Option<CommentStatus>| match s {
        Some(s) => counts.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n),
        None => counts.iter().map(|(_, n)| n).sum(),
    };
    [
        Some(CommentStatus::Pending),
        Some(CommentStatus::Approved),
        Some(CommentStatus::Spam),
        Some(CommentStatus::Trash),
        None,
    ]
    .into_iter()
    .map(|s| Tab {
        code: status_code(s),
        count: count_of(s),
        url: list_url(email, status_code(s)),
        current: s == current,
    })
    .collect()
}

/// What the last action did, from the address it sent the moderator to.
fn flash(state: &Snapshot, query: &QueueQuery) -> Option<Flash> {
    match (query.tamam, query.yanit.is_some()) {
        _ if query.hata.is_some() => Some(Flash::error(state, "admin_comments_reply_empty")),
        (_, true) => Some(Flash::success(state, "admin_comments_replied")),
        (Some(n), _) => Some(Flash {
            kind: "success",
            text: state.theme().text("admin_comments_done").replace("{n}", &n.to_string()),
        }),
        _ => None,
    }
}

/// Where to go after an action: back to the list the moderator came from,
/// if it is one.
fn back_to(back: Option<&str>, changed: usize) -> Response {
    let back = back.filter(|b| b.starts_with("/yonetim/yorumlar") && !b.contains("//")).unwrap_or("/yonetim/yorumlar");
    let separator = if back.contains('?') { '&' } else { '?' };
    see_other(&format!("{back}{separator}tamam={changed}"))
}

/// `POST /yonetim/yorumlar`: `one=approve:12` (a row's button) or
/// `action=spam` with `ids=12&ids=15…` (the bulk form).
pub async fn moderate(
    state: Snapshot,
    staff: Staff,
    crate::input::Text(body): crate::input::Text,
) -> Result<Response, WebError> {
    staff.require(Action::ModerateComments)?;
    let form = FormFields::parse(&body)?;
    let (action, ids): (&str, Vec<i64>) = match form.get("one").and_then(|one| one.split_once(':')) {
        Some((action, id)) => (action, crate::input::id(id).into_iter().collect()),
        None => (form.get("action").unwrap_or(""), form.all("ids").filter_map(crate::input::id).collect()),
    };
    let status: CommentStatus = action.parse().map_err(|_| WebError::NotFound)?;
    if ids.is_empty() {
        return Ok(back_to(form.get("back"), 0));
    }
    // Readers lose what is trashed: ask first, one comment or many.
    if status == CommentStatus::Trash && form.get("confirm").is_none() {
        let back = form.get("back").filter(|b| b.starts_with("/yonetim/yorumlar") && !b.contains("//"));
        let confirm = super::editing::Confirm {
            action: "/yonetim/yorumlar",
            back: back.unwrap_or("/yonetim/yorumlar"),
            act: "trash",
            button: state.theme().text("admin_comments_trash").to_owned(),
            question_key: "admin_confirm_comments_trash",
            n: Some(ids.len()),
            name: None,
        };
        let fields = form.pairs().iter().filter(|(k, _)| k != "action" && k != "confirm").cloned().collect();
        return Ok(super::editing::confirm_fields(&state, &staff, confirm, fields)?.into_response());
    }
    let missing = state.store().set_comment_status(&ids, status, state.now()).await?;
    let changed = ids.len() - missing.len();
    let list = ids.iter().filter(|id| !missing.contains(id)).map(|id| format!("#{id}")).collect::<Vec<_>>().join(" ");
    staff.audit(&state, &format!("comment.{}", status.as_str()), &list, &changed.to_string()).await;
    Ok(back_to(form.get("back"), changed))
}

#[derive(Debug, Deserialize)]
pub struct ReplyForm {
    body: Option<String>,
    back: Option<String>,
}

/// `POST /yonetim/yorumlar/{id}/yanit`: a reply from the newsroom, published
/// at once under the member's name and with their role, which pages show as
/// a badge. This is the only path that marks a comment as the newsroom's.
/// Replying approves the comment replied to.
pub async fn reply(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    crate::input::Form(form): crate::input::Form<ReplyForm>,
) -> Result<Response, WebError> {
    staff.require(Action::ModerateComments)?;
    let store = state.store();
    let (article_id, status) = store.comment_article(id).await?.ok_or(WebError::NotFound)?;
    let back = form.back.filter(|b| b.starts_with("/yonetim/yorumlar") && !b.contains("//"));
    let back = back.as_deref().unwrap_or("/yonetim/yorumlar");
    let separator = if back.contains('?') { '&' } else { '?' };
    let body = form.body.unwrap_or_default().trim().replace("\r\n", "\n");
    if body.is_empty() || body.chars().count() > manset_core::comment::MAX_BODY_CHARS {
        return Ok(see_other(&format!("{back}{separator}hata=yanit")));
    }
    let now = state.now();
    if status != CommentStatus::Approved {
        store.set_comment_status(&[id], CommentStatus::Approved, now).await?;
    }
    let settings = state.service().comment_settings().await?;
    let ip = staff.ip.to_string();
    let new = NewComment {
        article_id,
        parent_id: Some(id),
        name: &staff.user.name,
        email: &staff.user.email,
        url: None,
        body: &body,
        ip: Some(&ip),
        max_depth: settings.max_depth,
        own_comment_ids: &[],
        staff: Some(StaffAuthor { user_id: staff.user.id, role: staff.user.role }),
    };
    match store.add_comment(&new, now, |_| Decision::approved()).await? {
        AddedComment::Stored { id: reply_id, .. } | AddedComment::Duplicate { id: reply_id, .. } => {
            staff.audit(&state, "comment.reply", &format!("#{id}"), &format!("#{reply_id}")).await;
        }
        AddedComment::NoSuchParent => return Err(WebError::NotFound),
    }
    Ok(see_other(&format!("{back}{separator}yanit=1")))
}
