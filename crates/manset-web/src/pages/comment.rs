//! `POST /haber/{slug}/yorum`: a reader's comment.
//!
//! The article must be readable; the request has come from this site (the
//! router's `origin::guard`, the CSRF defence). The handler reads the form,
//! the signed form token and the reader's cookie, and makes one call:
//! `Service::take_comment` holds the rules (rate, validity, the form's age,
//! the spam signals, the moderation policy) and commits the comment before
//! anything is answered. Whatever is refused comes back on the article page
//! with the reader's text kept.
//!
//! A reader is known only by what their browser can prove: the signed
//! `manset_own` cookie names the comments it wrote, and one of them approved
//! under the same address lets the next publish at once. A typed address
//! proves nothing, and a newsroom member's address or name is held whatever
//! the cookie says (`comment::decide`).
//!
//! With `Accept: application/json` (the page's script) the answer is JSON
//! instead of a redirect or a page, so a comment posts without a reload.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::header::{ACCEPT, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_core::comment::{CommentForm, Field, ValidComment};
use manset_core::{Article, CommentStatus};
use manset_service::comments::{Refusal, Submission, Taken};
use serde::{Deserialize, Serialize};

use crate::Snapshot;
use crate::client_ip::ClientIp;
use crate::cookies;
use crate::error::WebError;
use crate::input::{Form, Path};
use crate::pages::article::{FormState, render_article};
use crate::views::{CommentView, FormValues, Notice, article_path};

/// The fields of the form, all optional so a missing one is a validation
/// error in Turkish rather than a bare 422.
#[derive(Debug, Default, Deserialize)]
pub struct RawComment {
    comment: Option<String>,
    author: Option<String>,
    email: Option<String>,
    url: Option<String>,
    remember: Option<String>,
    parent_id: Option<String>,
    token: Option<String>,
    /// The honeypot: hidden from people, irresistible to bots.
    homepage: Option<String>,
}

impl RawComment {
    /// What the reader typed, to show again if the comment is refused.
    fn values(&self) -> FormValues {
        FormValues {
            body: self.comment.clone().unwrap_or_default(),
            name: self.author.clone().unwrap_or_default(),
            email: self.email.clone().unwrap_or_default(),
            url: self.url.clone().unwrap_or_default(),
            remember: self.remember.is_some(),
        }
    }

    fn parent_id(&self) -> Option<i64> {
        self.parent_id.as_deref().and_then(|p| p.trim().parse::<i64>().ok())
    }
}

pub async fn create(
    state: Snapshot,
    Path(slug): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(raw): Form<RawComment>,
) -> Result<Response, WebError> {
    let article = state.store().published_article(&slug, state.now()).await?.ok_or(WebError::NotFound)?;
    let reply = Reply { state: &state, article: &article, headers: &headers, json: wants_json(&headers) };
    let values = raw.values();
    let own = cookies::own_ids(&headers, state.signer());
    let submission = Submission {
        article: &article,
        form: CommentForm {
            body: values.body.clone(),
            name: values.name.clone(),
            email: values.email.clone(),
            url: values.url.clone(),
        },
        parent_id: raw.parent_id(),
        form_shown_at: raw.token.as_deref().and_then(|t| form_issued_at(&state, t, article.id)),
        honeypot_filled: raw.homepage.as_deref().is_some_and(|h| !h.trim().is_empty()),
        ip,
        own_comment_ids: &own,
        site_name: &state.site().name,
        lang: state.site().lang,
    };
    match state.service().take_comment(submission).await? {
        Taken::Stored { id, status, comment, at } => reply.stored(id, status, &comment, at, values.remember),
        Taken::Refused(refusal) => reply.refused(refusal, values, raw.parent_id()).await,
    }
}

#[derive(Serialize)]
struct SingleComment<'a> {
    comment: &'a CommentView,
}

#[derive(Serialize)]
struct JsonOutcome {
    status: &'static str,
    id: i64,
    html: String,
    message: String,
    errors: BTreeMap<&'static str, String>,
}

/// What is needed to answer a comment.
struct Reply<'a> {
    state: &'a Snapshot,
    article: &'a Article,
    headers: &'a HeaderMap,
    json: bool,
}

impl Reply<'_> {
    /// A stored comment: to it on the article page (or, for the page's
    /// script, its HTML), with the cookies that let its writer see it.
    fn stored(
        &self,
        id: i64,
        status: CommentStatus,
        valid: &ValidComment,
        at: Timestamp,
        remember: bool,
    ) -> Result<Response, WebError> {
        let (state, headers) = (self.state, self.headers);
        let secure = state.site().base_url.starts_with("https://");
        let mut set_cookies = vec![cookies::own_with(headers, state.signer(), id, secure)];
        if status != CommentStatus::Approved {
            set_cookies.push(cookies::pending_with(headers, state.signer(), id, secure));
        }
        if remember {
            let who = cookies::Commenter {
                name: valid.name.clone(),
                email: valid.email.clone(),
                url: valid.url.clone().unwrap_or_default(),
            };
            set_cookies.push(cookies::remember(&who, secure));
        } else if cookies::get(headers, cookies::COMMENTER).is_some() {
            set_cookies.push(cookies::clear(cookies::COMMENTER, secure));
        }
        let mut response = if self.json {
            self.stored_json(id, status, valid, at)?
        } else {
            let location = format!("{}#yorum-{id}", article_path(&self.article.slug));
            let mut r = StatusCode::SEE_OTHER.into_response();
            r.headers_mut()
                .insert(LOCATION, HeaderValue::from_str(&location).map_err(|e| WebError::Internal(Box::new(e)))?);
            r
        };
        for cookie in set_cookies {
            let value = HeaderValue::from_str(&cookie).map_err(|e| WebError::Internal(Box::new(e)))?;
            response.headers_mut().append(SET_COOKIE, value);
        }
        Ok(response)
    }

    /// The stored comment as the page's script shows it.
    fn stored_json(
        &self,
        id: i64,
        status: CommentStatus,
        valid: &ValidComment,
        at: Timestamp,
    ) -> Result<Response, WebError> {
        let approved = status == CommentStatus::Approved;
        let shown = manset_core::PublicComment {
            id,
            parent_id: None,
            name: valid.name.clone(),
            url: valid.url.clone(),
            body: valid.body.clone(),
            // Spam looks pending to its sender: bots learn nothing.
            status: if approved { status } else { CommentStatus::Pending },
            created_at: at,
            staff_role: None,
        };
        let view = CommentView::new(&shown, &article_path(&self.article.slug), self.state.site());
        let html = self.state.theme().render("partials/comment.html", &SingleComment { comment: &view })?;
        let body = JsonOutcome {
            status: if approved { "approved" } else { "pending" },
            id,
            html,
            message: self.state.theme().text(if approved { "comment_posted" } else { "comment_held" }).to_owned(),
            errors: BTreeMap::new(),
        };
        Ok((StatusCode::CREATED, Json(body)).into_response())
    }

    /// A refused comment: the article page again with what is wrong and
    /// everything the reader typed; or the same as JSON.
    async fn refused(
        &self,
        refusal: Refusal,
        values: FormValues,
        parent_id: Option<i64>,
    ) -> Result<Response, WebError> {
        let theme = self.state.theme();
        let mut errors = BTreeMap::new();
        let (status, notice_key, parent_id) = match refusal {
            Refusal::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "comment_rate_limited", parent_id),
            Refusal::Invalid(problems) => {
                for (field, problem) in problems {
                    let (name, key) = field_names(field);
                    errors.insert(name, theme.text(&format!("comment_error_{key}_{}", problem.code())).to_owned());
                }
                (StatusCode::UNPROCESSABLE_ENTITY, "comment_error_summary", parent_id)
            }
            Refusal::FormExpired => (StatusCode::UNPROCESSABLE_ENTITY, "comment_form_expired", parent_id),
            Refusal::Duplicate => (StatusCode::CONFLICT, "comment_duplicate", parent_id),
            Refusal::NoSuchParent => (StatusCode::UNPROCESSABLE_ENTITY, "comment_no_parent", None),
        };
        let message = theme.text(notice_key).to_owned();
        if self.json {
            let body = JsonOutcome { status: "refused", id: 0, html: String::new(), message, errors };
            return Ok((status, Json(body)).into_response());
        }
        let form = FormState { values, errors, notice: Some(Notice { kind: "error", text: message }), parent_id };
        let page = render_article(self.state, self.article, self.state.now(), form, self.headers).await?;
        Err(WebError::Form(status, page))
    }
}

/// The form's field name and the translation key part of a field.
fn field_names(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::Body => ("comment", "body"),
        Field::Name => ("author", "name"),
        Field::Email => ("email", "email"),
        Field::Url => ("url", "url"),
    }
}

/// When the form in `token` was shown, if the token is ours and for this article.
fn form_issued_at(state: &Snapshot, token: &str, article_id: i64) -> Option<i64> {
    let payload = state.signer().verify(token.trim())?;
    let mut parts = payload.strip_prefix("f:")?.split(':');
    let article: i64 = parts.next()?.parse().ok()?;
    let issued: i64 = parts.next()?.parse().ok()?;
    (article == article_id && parts.next().is_none()).then_some(issued)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}
