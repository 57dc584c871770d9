//! The CSRF defence of every form: a state-changing request must come from a
//! page of this site. Its `Origin` (or, failing that, its `Referer`) must be
//! the site's own address or the `Host` it was sent to; a request with
//! neither is refused, as OWASP recommends. Cookies are SameSite=Lax too.
//! Enforced by [`guard`], a layer on every route of the router; the
//! `every_post_route_refuses_another_origin` test walks them all.

use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN, REFERER};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::SiteConfig;
use crate::error::WebError;
use crate::{AppState, Snapshot};

/// The layer around every route: a request that may change something (any
/// method but GET, HEAD and OPTIONS) from a page of another site is refused
/// with 403 before its handler runs, and before its session is even read.
/// A route added tomorrow is covered without anyone remembering to.
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let site = Snapshot::of(request.extensions(), &state).site().clone();
    if !same_origin(request.headers(), &site) {
        return WebError::Forbidden.into_response();
    }
    next.run(request).await
}

/// Whether the request was sent by a page of this site.
pub fn same_origin(headers: &HeaderMap, site: &SiteConfig) -> bool {
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let allowed = |origin: &str| {
        let origin = origin.trim_end_matches('/');
        origin.eq_ignore_ascii_case(&site.base_url)
            || host.is_some_and(|h| {
                origin.eq_ignore_ascii_case(&format!("http://{h}"))
                    || origin.eq_ignore_ascii_case(&format!("https://{h}"))
            })
    };
    if let Some(origin) = headers.get(ORIGIN) {
        return origin.to_str().is_ok_and(allowed);
    }
    headers.get(REFERER).and_then(|r| r.to_str().ok()).and_then(origin_of).is_some_and(allowed)
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let end = url[scheme_end..].find(['/', '?', '#']).map_or(url.len(), |i| scheme_end + i);
    Some(&url[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn site() -> SiteConfig {
        SiteConfig {
            name: "x".into(),
            lang: manset_text::Lang::Tr,
            time_zone: jiff::tz::TimeZone::UTC,
            base_url: "https://haber.example".into(),
            per_page: 10,
            sitemap_urls: crate::SiteConfig::MAX_SITEMAP_URLS,
            description: String::new(),
            logo: None,
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_requests_from_this_site_pass() {
        assert!(same_origin(&headers(&[("origin", "https://haber.example")]), &site()));
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]), &site()));
        assert!(!same_origin(&headers(&[("origin", "https://kotu.example"), ("host", "haber.example")]), &site()));
        assert!(!same_origin(&headers(&[("origin", "null")]), &site()));
        assert!(same_origin(&headers(&[("referer", "https://haber.example/haber/x")]), &site()));
        assert!(!same_origin(&headers(&[("referer", "https://haber.example.kotu.com/x")]), &site()));
        assert!(!same_origin(&headers(&[("host", "haber.example")]), &site()), "neither header: refused");
    }
}
