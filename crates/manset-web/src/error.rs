//! Errors of the web layer and how readers see them.
//!
//! A handler returns [`WebError`]; its `IntoResponse` sets the status and
//! marks the response, and the `error_pages` middleware (which has the theme
//! and the store) replaces the empty body with the themed page. A 5xx logs
//! the whole error chain and shows the reader only a plain apology.

use std::error::Error as StdError;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::Snapshot;
use crate::pages;
use crate::views::{Card, Document, NotFoundPage};

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page, or not visible to readers (drafts, embargoed articles).
    #[error("not found")]
    NotFound,
    /// The address exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A form sent from another site (failed the origin check).
    #[error("forbidden")]
    Forbidden,
    /// Withdrawn by the newsroom (410 Gone).
    #[error("gone")]
    Gone,
    /// A preview link past its time (410 Gone, saying so).
    #[error("the preview link has expired")]
    PreviewExpired,
    /// The logged-in role may not do this.
    #[error("not allowed")]
    NotAllowed,
    /// A newsroom page without a live session: go to the login form, then back here.
    #[error("login required")]
    LoginRequired(String),
    /// A member whose role must use two-factor sign-in has not set it up:
    /// to the two-factor page first.
    #[error("two-factor sign-in must be set up first")]
    TwoFactorFirst,
    /// The data folder's disk is full: writes wait, reading goes on (503).
    #[error("the disk of the data folder is full")]
    StorageFull,
    /// A form that cannot be read as one (wrong type, repeated or malformed fields): 422.
    #[error("the form cannot be read")]
    BadInput,
    /// A body over the route's limit: 413.
    #[error("the request is too large")]
    TooLarge,
    /// A body that did not arrive in time (the connection layer's limit): 408.
    #[error("the request body arrived too slowly")]
    TooSlow,
    /// A form with something wrong in it, shown again with what is wrong and
    /// everything typed kept: the handler, which knows the form, renders the
    /// page; the status says how it failed (422, or 409 for a conflict).
    #[error("the form has errors")]
    Form(StatusCode, Html<String>),
    /// Anything else: a bug or a failing database.
    #[error("internal error: {0}")]
    Internal(Box<dyn StdError + Send + Sync>),
}

impl From<manset_store::StoreError> for WebError {
    fn from(e: manset_store::StoreError) -> Self {
        if e.is_storage_full() {
            tracing::error!(error = %e, "the disk of the data folder is full: free space there; reading goes on");
            return WebError::StorageFull;
        }
        WebError::Internal(Box::new(e))
    }
}

impl From<manset_service::Error> for WebError {
    fn from(e: manset_service::Error) -> Self {
        match e {
            manset_service::Error::NotAllowed => WebError::NotAllowed,
            manset_service::Error::NotFound => WebError::NotFound,
            manset_service::Error::Store(e) => e.into(),
            other => WebError::Internal(Box::new(other)),
        }
    }
}

impl From<manset_search::SearchError> for WebError {
    fn from(e: manset_search::SearchError) -> Self {
        WebError::Internal(Box::new(e))
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Internal(Box::new(e))
    }
}

/// Marks a response whose body the `error_pages` middleware must render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorPage {
    NotFound,
    Gone,
    PreviewExpired,
    MethodNotAllowed,
    Forbidden,
    NotAllowed,
    StorageFull,
    BadInput,
    TooLarge,
    TooSlow,
    Internal,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            WebError::NotFound => (StatusCode::NOT_FOUND, ErrorPage::NotFound),
            WebError::Gone => (StatusCode::GONE, ErrorPage::Gone),
            WebError::PreviewExpired => (StatusCode::GONE, ErrorPage::PreviewExpired),
            WebError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ErrorPage::MethodNotAllowed),
            WebError::Forbidden => (StatusCode::FORBIDDEN, ErrorPage::Forbidden),
            WebError::NotAllowed => (StatusCode::FORBIDDEN, ErrorPage::NotAllowed),
            WebError::LoginRequired(back) => {
                let target = format!("/yonetim/giris?sonra={}", manset_text::percent::encode_keeping(&back, b"/"));
                let mut response = StatusCode::SEE_OTHER.into_response();
                if let Ok(value) = axum::http::HeaderValue::from_str(&target) {
                    response.headers_mut().insert(axum::http::header::LOCATION, value);
                }
                return response;
            }
            WebError::TwoFactorFirst => {
                let mut response = StatusCode::SEE_OTHER.into_response();
                response.headers_mut().insert(
                    axum::http::header::LOCATION,
                    axum::http::HeaderValue::from_static(crate::admin::TWO_FACTOR_PAGE),
                );
                return response;
            }
            WebError::StorageFull => (StatusCode::SERVICE_UNAVAILABLE, ErrorPage::StorageFull),
            WebError::BadInput => (StatusCode::UNPROCESSABLE_ENTITY, ErrorPage::BadInput),
            WebError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorPage::TooLarge),
            WebError::TooSlow => (StatusCode::REQUEST_TIMEOUT, ErrorPage::TooSlow),
            WebError::Form(status, page) => return (status, page).into_response(),
            WebError::Internal(e) => {
                tracing::error!(error = %chain(e.as_ref()), "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorPage::Internal)
            }
        };
        let mut response = status.into_response();
        if page == ErrorPage::StorageFull {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("60"));
        }
        response.extensions_mut().insert(page);
        response
    }
}

/// `outer: cause: root cause`, for logs.
fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Replaces the empty body of a marked error response with its themed page.
pub async fn error_pages(state: Snapshot, request: Request, next: Next) -> Response {
    themed(&state, next.run(request).await).await
}

/// `response` with its themed page, if it is a marked error response.
pub async fn themed(state: &Snapshot, response: Response) -> Response {
    let Some(page) = response.extensions().get::<ErrorPage>().copied() else {
        return response;
    };
    let status = response.status();
    let (mut parts, _) = response.into_parts();
    let body = match render_error_page(state, page).await {
        Ok(html) => html,
        Err(e) => {
            tracing::error!(error = %chain(&e), "the error page itself failed");
            FALLBACK.to_owned()
        }
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut response = (status, Html(body)).into_response();
    std::mem::swap(response.headers_mut(), &mut parts.headers);
    response
        .headers_mut()
        .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// Used when even the themed error page fails (a broken theme, a dead database).
const FALLBACK: &str = "<!doctype html><meta charset=utf-8><title>Hata / Error</title>\
<p>Sayfa şu anda gösterilemiyor. / The page cannot be shown right now.</p>";

async fn render_error_page(state: &Snapshot, page: ErrorPage) -> Result<String, WebError> {
    let theme = state.theme();
    match page {
        ErrorPage::NotFound => {
            let now = state.now();
            let latest = state.store().latest_published(now, 6, 0).await?;
            let title = theme.text("not_found_title").to_owned();
            let chrome = pages::chrome(state, now, title, String::new(), None, None).await?;
            let page = NotFoundPage { latest: Card::list(&latest, state.site()) };
            Ok(theme.render("not_found.html", &Document { chrome, page })?)
        }
        ErrorPage::Gone
        | ErrorPage::PreviewExpired
        | ErrorPage::MethodNotAllowed
        | ErrorPage::Forbidden
        | ErrorPage::NotAllowed
        | ErrorPage::StorageFull
        | ErrorPage::BadInput
        | ErrorPage::TooLarge
        | ErrorPage::TooSlow
        | ErrorPage::Internal => {
            // No database here: the database may be why we are here.
            let (kind, title) = match page {
                ErrorPage::Internal => ("internal", "error_title"),
                ErrorPage::StorageFull => ("storage_full", "storage_full_title"),
                ErrorPage::Forbidden => ("forbidden", "forbidden_title"),
                ErrorPage::Gone => ("gone", "gone_title"),
                ErrorPage::PreviewExpired => ("preview_expired", "preview_expired_title"),
                ErrorPage::NotAllowed => ("not_allowed", "not_allowed_title"),
                ErrorPage::BadInput => ("bad_input", "bad_input_title"),
                ErrorPage::TooLarge => ("too_large", "too_large_title"),
                ErrorPage::TooSlow => ("too_slow", "too_slow_title"),
                _ => ("method", "method_not_allowed_title"),
            };
            let chrome = pages::bare_chrome(theme.text(title).to_owned());
            Ok(theme.render("error.html", &Document { chrome, page: ErrorView { kind } })?)
        }
    }
}

/// What the error template needs: which error it shows.
#[derive(serde::Serialize)]
struct ErrorView {
    kind: &'static str,
}
