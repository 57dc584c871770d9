//! HTTP caching for the reading site: strong ETags, `Last-Modified`, `304
//! Not Modified`, and `Cache-Control` a CDN can use.
//!
//! The ETag is a hash of the bytes sent (after compression, so each encoding
//! has its own tag, as a strong validator must): XXH3-128, which is not a
//! cryptographic hash and need not be (a collision would only make one
//! client keep a copy it should refresh), fixed across processes and
//! versions of the server, and at 31 KB a tenth of SHA-256's cost. Handlers state freshness by
//! setting `Cache-Control` and, where they know it, `Last-Modified`; pages
//! that depend on the reader's cookies are marked `private`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_text::dates;

/// Largest body hashed for an ETag; bigger ones are sent without one.
const MAX_HASHED: usize = 8 * 1024 * 1024;

/// Adds a strong ETag to successful GET/HEAD answers and turns them into
/// `304 Not Modified` when the client already has them.
pub async fn conditional(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let if_modified_since =
        request.headers().get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()).and_then(dates::parse_http_date);
    let response = next.run(request).await;
    if !(method == Method::GET || method == Method::HEAD) || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_HASHED).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "response too large to hash").into_response();
    };
    let etag = format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(&bytes));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, value);
    }
    let not_modified = match if_none_match {
        Some(tags) => tags.to_str().is_ok_and(|tags| etag_matches(tags, &etag)),
        None => match (if_modified_since, last_modified(&parts.headers)) {
            (Some(since), Some(modified)) => modified.as_second() <= since.as_second(),
            _ => false,
        },
    };
    if not_modified {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether a client sending `request`'s validators already has the answer
/// with this ETag and `Last-Modified`. If-None-Match wins over
/// If-Modified-Since (RFC 9110 13.2.2).
pub fn not_modified(request: &HeaderMap, etag: Option<&str>, modified: Option<Timestamp>) -> bool {
    if let Some(tags) = request.get(header::IF_NONE_MATCH) {
        return etag.is_some_and(|etag| tags.to_str().is_ok_and(|tags| etag_matches(tags, etag)));
    }
    let since = request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()).and_then(dates::parse_http_date);
    matches!((since, modified), (Some(since), Some(modified)) if modified.as_second() <= since.as_second())
}

fn etag_matches(tags: &str, etag: &str) -> bool {
    tags.trim() == "*" || tags.split(',').any(|t| t.trim().trim_start_matches("W/") == etag)
}

fn last_modified(headers: &HeaderMap) -> Option<Timestamp> {
    headers.get(header::LAST_MODIFIED).and_then(|v| v.to_str().ok()).and_then(dates::parse_http_date)
}

/// Cache lifetimes by kind of page, in seconds.
pub mod max_age {
    /// The home page changes with every story.
    pub const HOME: u32 = 30;
    /// Lists: categories, tags, authors.
    pub const LIST: u32 = 60;
    /// An article changes rarely once published.
    pub const ARTICLE: u32 = 300;
    /// Feeds and sitemaps.
    pub const FEED: u32 = 300;
}

/// `Cache-Control` for a public page: shared caches may keep it `seconds`,
/// then revalidate with the ETag.
pub fn public(seconds: u32) -> HeaderValue {
    HeaderValue::from_str(&format!("public, max-age={seconds}, stale-while-revalidate=60"))
        .unwrap_or(HeaderValue::from_static("no-cache"))
}

/// `Cache-Control` for a page that shows something of this reader (their
/// pending comment, their remembered name): only their browser may keep it.
pub fn private() -> HeaderValue {
    HeaderValue::from_static("private, no-cache")
}
