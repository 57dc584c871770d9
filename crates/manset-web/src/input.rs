//! What a request carries in its address and its form, read through one
//! bounded parser.
//!
//! Handlers take [`Path`], [`Query`] and [`Form`] from here, never axum's:
//! the same extraction, but a value that does not parse is a themed page
//! (404 for an address that names nothing, 422 for a form that cannot be
//! read, 413 for one that is too large), never axum's plain-text 400. Numbers
//! are read with their range ([`page_number`], [`number`]), so nothing a
//! request carries can size an allocation or overflow an offset.
//!
//! Invariant: every route answers hostile values (0, −1, 2^63, 10^30, bad
//! percent escapes, 100 KB strings, repeated keys, NUL) without a 5xx; the
//! `http_surface` test walks every route of the router to prove it.

use std::ops::RangeInclusive;
use std::str::FromStr;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::WebError;

/// The last page number any list answers; past it every list is 404 (most
/// end far earlier, at their own last page).
pub const MAX_PAGE: u32 = 100_000;

/// A path parameter (`{slug}`, `{id}`, `{*path}`); one that does not parse as
/// `T` (an id that is not a number, or out of `i64`) names nothing: 404.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(WebError::NotFound),
        }
    }
}

/// The query string as `T`; one that does not fit (a repeated key, a value
/// of the wrong kind) is an address of no page: 404.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, WebError> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query).map(Query).map_err(|_| WebError::NotFound)
    }
}

/// A URL-encoded form as `T`. A body over the route's limit is 413, one too
/// slow to arrive is 408 (`limits::admit`), anything else that cannot
/// be read as this form (wrong content type, a repeated field, bad UTF-8)
/// is 422 with the themed page.
#[derive(Debug, Clone, Copy)]
pub struct Form<T>(pub T);

impl<S, T> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) => Err(body_error(rejection.status())),
        }
    }
}

/// A whole body as UTF-8 text (forms read field by field, the preview's
/// Markdown); errors as for [`Form`].
#[derive(Debug, Clone)]
pub struct Text(pub String);

impl<S> FromRequest<S> for Text
where
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        match String::from_request(request, state).await {
            Ok(text) => Ok(Text(text)),
            Err(rejection) => Err(body_error(rejection.status())),
        }
    }
}

/// A `multipart/form-data` body, streamed; a request that is not one is 422.
pub struct Multipart(pub axum::extract::Multipart);

impl<S> FromRequest<S> for Multipart
where
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        match axum::extract::Multipart::from_request(request, state).await {
            Ok(multipart) => Ok(Multipart(multipart)),
            Err(rejection) => Err(body_error(rejection.status())),
        }
    }
}

/// The error for a body that could not be read, by the status axum gave it
/// (a body that fell behind its clock is answered 408 by `limits::admit`).
pub fn body_error(status: StatusCode) -> WebError {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
        _ => WebError::BadInput,
    }
}

/// `?sayfa=N`: absent is the first page; anything but a number from 1 to
/// [`MAX_PAGE`] is a page that does not exist.
pub fn page_number(value: Option<&str>) -> Result<u32, WebError> {
    match value {
        None => Ok(1),
        Some(s) => number(s, 1..=MAX_PAGE).ok_or(WebError::NotFound),
    }
}

/// `value` as a number inside `range`, or nothing: surrounding spaces are
/// allowed, a sign, a fraction or digits past the type's range are not.
pub fn number<T>(value: &str, range: RangeInclusive<T>) -> Option<T>
where
    T: FromStr + PartialOrd,
{
    value.trim().parse::<T>().ok().filter(|n| range.contains(n))
}

/// A database id as the newsroom's forms send it: a positive `i64`.
pub fn id(value: &str) -> Option<i64> {
    number(value, 1..=i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_outside_their_range_are_pages_that_do_not_exist() {
        assert_eq!(page_number(None).ok(), Some(1));
        assert_eq!(page_number(Some("3")).ok(), Some(3));
        for hostile in ["0", "-1", "100001", "9223372036854775808", "1e30", "", "1.5", "\0", "٣"] {
            assert!(matches!(page_number(Some(hostile)), Err(WebError::NotFound)), "{hostile:?}");
        }
    }

    #[test]
    fn ids_are_positive_and_fit_in_i64() {
        assert_eq!(id(" 42 "), Some(42));
        assert_eq!(id(&i64::MAX.to_string()), Some(i64::MAX));
        for hostile in ["0", "-1", "9223372036854775808", "100000000000000000000000000000", "x", ""] {
            assert_eq!(id(hostile), None, "{hostile:?}");
        }
    }
}
