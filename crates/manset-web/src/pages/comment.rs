//! `POST /haber/{slug}/yorum`: a reader's comment.
//!
//! Order of checks: the article must be readable; the request must come from
//! this site (`origin::same_origin`, the CSRF defence); the
//! address must be within its rate; the fields must be valid; the signed form
//! token must be genuine and fresh. Then the moderation policy decides, and
//! the comment is committed before anything is answered. Whatever is refused
//! comes back on the article page with the reader's text kept.
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

use crate::input::{Form, Path};
use axum::Json;
use axum::extract::State;
use axum::http::header::{ACCEPT, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_core::comment::{self, CommentForm, Field, Signals};
use manset_core::settings::CommentSettings;
use manset_core::{Article, CommentStatus};
use manset_store::{AddedComment, NewComment};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::client_ip::ClientIp;
use crate::cookies;
use crate::error::WebError;
use crate::origin::same_origin;
use crate::pages::article::{FormState, render_article};
use crate::views::{CommentView, FormValues, Notice, article_path};

/// A form older than this is refused as expired (the reader's text is kept).
const MAX_FORM_AGE_SECONDS: i64 = 2 * 24 * 3600;

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

pub async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(raw): Form<RawComment>,
) -> Result<Response, WebError> {
    let now = Timestamp::now();
    let store = state.store();
    let article = store.published_article(&slug, now).await?.ok_or(WebError::NotFound)?;
    if !same_origin(&headers, &state.site()) {
        return Err(WebError::Forbidden);
    }
    let reply = Reply { state: &state, article: &article, headers: &headers, now, json: wants_json(&headers) };
    let values = FormValues {
        body: raw.comment.clone().unwrap_or_default(),
        name: raw.author.clone().unwrap_or_default(),
        email: raw.email.clone().unwrap_or_default(),
        url: raw.url.clone().unwrap_or_default(),
        remember: raw.remember.is_some(),
    };
    let parent_id = raw.parent_id.as_deref().and_then(|p| p.trim().parse::<i64>().ok());
    let settings = comment_settings(&state).await?;

    // Counted in the database, so every app server of the site counts the same.
    let key = format!("comment:{ip}");
    if !state.store().allow_attempt(&key, settings.rate_per_minute, 60, jiff::Timestamp::now()).await? {
        return reply
            .refuse(StatusCode::TOO_MANY_REQUESTS, "comment_rate_limited", BTreeMap::new(), values, parent_id)
            .await;
    }
    let form = CommentForm {
        body: values.body.clone(),
        name: values.name.clone(),
        email: values.email.clone(),
        url: values.url.clone(),
    };
    let valid = match form.validate() {
        Ok(valid) => valid,
        Err(problems) => {
            let errors = problems
                .into_iter()
                .map(|(field, problem)| {
                    let (name, key) = field_names(field);
                    (name, state.theme().text(&format!("comment_error_{key}_{}", problem.code())).to_owned())
                })
                .collect();
            return reply
                .refuse(StatusCode::UNPROCESSABLE_ENTITY, "comment_error_summary", errors, values, parent_id)
                .await;
        }
    };
    let Some(issued) = raw.token.as_deref().and_then(|t| form_issued_at(&state, t, article.id)) else {
        return reply
            .refuse(StatusCode::UNPROCESSABLE_ENTITY, "comment_form_expired", BTreeMap::new(), values, parent_id)
            .await;
    };
    let age = now.as_second() - issued;
    if age > MAX_FORM_AGE_SECONDS {
        return reply
            .refuse(StatusCode::UNPROCESSABLE_ENTITY, "comment_form_expired", BTreeMap::new(), values, parent_id)
            .await;
    }

    let lang = state.site().lang;
    let signals = Signals {
        honeypot_filled: raw.homepage.as_deref().is_some_and(|h| !h.trim().is_empty()),
        too_fast: age < i64::from(settings.min_seconds),
        links: comment::count_links(&valid.body),
        held_word: comment::contains_held_word(&valid.body, &settings.held_words, |s| {
            manset_text::case::lower(s, lang)
        }),
        hold_all: settings.hold_all,
        // Known only inside the store's transaction, below.
        author_proven: false,
        staff_email: false,
        staff_name: false,
    };
    let own = cookies::own_ids(&headers, state.signer());
    let site_name = state.site().name.clone();
    let ip_text = ip.to_string();
    let new = NewComment {
        article_id: article.id,
        parent_id,
        name: &valid.name,
        email: &valid.email,
        url: valid.url.as_deref(),
        body: &valid.body,
        ip: Some(&ip_text),
        max_depth: settings.max_depth,
        own_comment_ids: &own,
        staff: None,
    };
    let added = store
        .add_comment(&new, now, |mut facts| {
            // The site's own name is the newsroom's too.
            facts.reserved.names.push(site_name);
            let lookalike = facts.reserved.resembled_by(&valid.name, &valid.email, manset_text::case::name_key);
            comment::decide(Signals {
                author_proven: facts.author_proven,
                staff_email: lookalike.email,
                staff_name: lookalike.name,
                ..signals
            })
        })
        .await?;
    let (id, status) = match added {
        AddedComment::Stored { id, status } => (id, status),
        AddedComment::Duplicate { .. } => {
            return reply.refuse(StatusCode::CONFLICT, "comment_duplicate", BTreeMap::new(), values, parent_id).await;
        }
        AddedComment::NoSuchParent => {
            return reply
                .refuse(StatusCode::UNPROCESSABLE_ENTITY, "comment_no_parent", BTreeMap::new(), values, None)
                .await;
        }
    };
    tracing::info!(article = %article.slug, comment = id, status = %status, "comment received");

    let secure = state.site().base_url.starts_with("https://");
    let mut set_cookies = vec![cookies::own_with(&headers, state.signer(), id, secure)];
    if status != CommentStatus::Approved {
        set_cookies.push(cookies::pending_with(&headers, state.signer(), id, secure));
    }
    if values.remember {
        let who = cookies::Commenter {
            name: valid.name.clone(),
            email: valid.email.clone(),
            url: valid.url.clone().unwrap_or_default(),
        };
        set_cookies.push(cookies::remember(&who, secure));
    } else if cookies::get(&headers, cookies::COMMENTER).is_some() {
        set_cookies.push(cookies::clear(cookies::COMMENTER, secure));
    }

    let mut response = if reply.json {
        let shown = manset_core::PublicComment {
            id,
            parent_id: None,
            name: valid.name.clone(),
            url: valid.url.clone(),
            body: valid.body.clone(),
            // Spam looks pending to its sender: bots learn nothing.
            status: if status == CommentStatus::Approved { status } else { CommentStatus::Pending },
            created_at: now,
            staff_role: None,
        };
        let view = CommentView::new(&shown, &article_path(&article.slug), &state.site());
        let html = state.theme().render("partials/comment.html", &SingleComment { comment: &view })?;
        let key = if status == CommentStatus::Approved { "comment_posted" } else { "comment_held" };
        let body = JsonOutcome {
            status: if status == CommentStatus::Approved { "approved" } else { "pending" },
            id,
            html,
            message: state.theme().text(key).to_owned(),
            errors: BTreeMap::new(),
        };
        (StatusCode::CREATED, Json(body)).into_response()
    } else {
        let location = format!("{}#yorum-{id}", article_path(&article.slug));
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

/// What is needed to answer a refused comment.
struct Reply<'a> {
    state: &'a AppState,
    article: &'a Article,
    headers: &'a HeaderMap,
    now: Timestamp,
    json: bool,
}

impl Reply<'_> {
    /// The article page again, with `status`, the message `notice_key`, the
    /// field errors and everything the reader typed; or the same as JSON.
    async fn refuse(
        &self,
        status: StatusCode,
        notice_key: &str,
        errors: BTreeMap<&'static str, String>,
        values: FormValues,
        parent_id: Option<i64>,
    ) -> Result<Response, WebError> {
        let message = self.state.theme().text(notice_key).to_owned();
        if self.json {
            let body = JsonOutcome { status: "refused", id: 0, html: String::new(), message, errors };
            return Ok((status, Json(body)).into_response());
        }
        let form = FormState { values, errors, notice: Some(Notice { kind: "error", text: message }), parent_id };
        let page = render_article(self.state, self.article, self.now, form, self.headers).await?;
        Ok((status, page).into_response())
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
fn form_issued_at(state: &AppState, token: &str, article_id: i64) -> Option<i64> {
    let payload = state.signer().verify(token.trim())?;
    let mut parts = payload.strip_prefix("f:")?.split(':');
    let article: i64 = parts.next()?.parse().ok()?;
    let issued: i64 = parts.next()?.parse().ok()?;
    (article == article_id && parts.next().is_none()).then_some(issued)
}

pub(crate) async fn comment_settings(state: &AppState) -> Result<CommentSettings, WebError> {
    let pairs = state.store().settings().await?;
    Ok(CommentSettings::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}
