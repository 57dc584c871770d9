//! Addresses of the site an import came from (`/?p=12`,
//! `/2012/03/15/a-post/`, `/category/news/`): each answers 301 with the
//! article's, page's or section's address here, looked up when asked, so a
//! rename after the import still leads to the right place.

use axum::extract::RawQuery;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::Snapshot;
use crate::error::WebError;

/// WordPress's query-string addresses, in the form imports record them.
const QUERY_KEYS: [&str; 4] = ["p", "page_id", "cat", "tag"];

/// The 301 for an old address, if an import recorded it and its target exists.
pub async fn redirect(state: &Snapshot, old: &str) -> Result<Option<Response>, WebError> {
    let store = state.store();
    let Some(target) = store.legacy_path(old).await? else { return Ok(None) };
    let Some(path) = store.legacy_target_path(target).await? else { return Ok(None) };
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    let location = HeaderValue::from_str(&path).map_err(|e| WebError::Internal(Box::new(e)))?;
    response.headers_mut().insert(header::LOCATION, location);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(Some(response))
}

/// `/?p=12` and its kin: the old address among the query's parameters.
pub fn old_query_address(query: Option<&str>) -> Option<String> {
    let query = query?;
    form_urlencoded_pairs(query)
        .find(|(k, v)| QUERY_KEYS.contains(&k.as_str()) && !v.is_empty())
        .map(|(k, v)| format!("/?{k}={v}"))
}

fn form_urlencoded_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default().into_iter()
}

/// Every address no route knows: an old one leads on, the rest is 404.
pub async fn fallback(state: Snapshot, method: Method, uri: Uri, RawQuery(query): RawQuery) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return WebError::NotFound.into_response();
    }
    let mut candidates = vec![uri.path().to_owned()];
    if let Some(q) = old_query_address(query.as_deref()) {
        candidates.insert(0, q);
    }
    for old in candidates {
        match redirect(&state, &old).await {
            Ok(Some(response)) => return response,
            Ok(None) => {}
            Err(e) => return e.into_response(),
        }
    }
    WebError::NotFound.into_response()
}
