//! `/static/{name}`: the theme's static files, from memory.

use crate::input::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Snapshot;
use crate::error::WebError;

#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    v: Option<String>,
}

pub async fn show(
    state: Snapshot,
    Path(name): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, WebError> {
    let theme = state.theme();
    let asset = theme.asset(&name).ok_or(WebError::NotFound)?;
    // A URL carrying the content's hash never changes meaning: cache it for a
    // year. Anything else may change with the next theme.
    let cache = match &query.v {
        Some(v) if asset.version.starts_with(v.as_str()) && !v.is_empty() => "public, max-age=31536000, immutable",
        _ => "public, max-age=300",
    };
    let mut response = asset.bytes.clone().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}
