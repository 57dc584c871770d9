//! `/sitemap.xml` (the index), `/sitemap-<kind>-<n>.xml` (children),
//! `/sitemap-news.xml` (Google News) and `/robots.txt`.

use crate::input::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use manset_store::SitemapKind;

use crate::Snapshot;
use crate::error::WebError;
use crate::http_cache;
use crate::sitemaps::{self, Child, NEWS_MAX, NEWS_WINDOW_HOURS};
use crate::views::static_page_path;

fn respond(body: String, content_type: &'static str, last: Option<Timestamp>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, http_cache::public(http_cache::max_age::FEED));
    if let Some(value) = last.and_then(|t| HeaderValue::from_str(&manset_text::dates::http_date(t)).ok()) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    response
}

const XML: &str = "application/xml; charset=utf-8";

/// The newest `lastmod` of each page of a child sitemap.
async fn pages(state: &Snapshot, child: Child, now: Timestamp) -> Result<Vec<Timestamp>, WebError> {
    Ok(match child {
        Child::Listed(kind) => state.store().sitemap_pages(kind, now, state.site().sitemap_urls).await?,
        // One page: the home page and the static pages.
        Child::Pages => vec![site_pages(state, now).await?.iter().filter_map(|p| p.1).max().unwrap_or(now)],
    })
}

async fn newest(state: &Snapshot, now: Timestamp) -> Result<Option<Timestamp>, WebError> {
    Ok(state.store().sitemap_pages(SitemapKind::Articles, now, u32::MAX).await?.into_iter().max())
}

/// The home page (new with the newest article) and every static page.
async fn site_pages(state: &Snapshot, now: Timestamp) -> Result<Vec<(String, Option<Timestamp>)>, WebError> {
    let mut pages = vec![("/".to_owned(), Some(newest(state, now).await?.unwrap_or(now)))];
    for p in state.store().static_pages().await?.into_iter().filter(|p| !p.draft) {
        pages.push((static_page_path(&p.slug), Some(p.modified_at)));
    }
    Ok(pages)
}

pub async fn index(state: Snapshot) -> Result<Response, WebError> {
    let now = state.now();
    let mut children = Vec::new();
    for child in Child::ALL {
        for (i, lastmod) in pages(&state, child, now).await?.into_iter().enumerate() {
            children.push((child.path(i + 1), Some(lastmod)));
        }
    }
    let last = children.iter().filter_map(|c| c.1).max();
    Ok(respond(sitemaps::index(state.site(), &children), XML, last))
}

pub async fn child(state: Snapshot, Path(file): Path<String>) -> Result<Response, WebError> {
    let (child, number) = Child::parse(&file).ok_or(WebError::NotFound)?;
    let now = state.now();
    let urls: Vec<(String, Option<Timestamp>)> = match child {
        Child::Listed(kind) => state
            .store()
            .sitemap_page(kind, now, number, state.site().sitemap_urls)
            .await?
            .into_iter()
            .map(|e| (child.entry_path(&e.slug), Some(e.lastmod)))
            .collect(),
        Child::Pages if number == 1 => site_pages(&state, now).await?,
        Child::Pages => Vec::new(),
    };
    // A page past the end does not exist (and an empty `urlset` is not valid).
    if urls.is_empty() {
        return Err(WebError::NotFound);
    }
    let last = urls.iter().filter_map(|u| u.1).max();
    Ok(respond(sitemaps::urlset(state.site(), &urls), XML, last))
}

pub async fn news(state: Snapshot) -> Result<Response, WebError> {
    let now = state.now();
    let since = now - SignedDuration::from_hours(NEWS_WINDOW_HOURS);
    let entries = state.store().news_sitemap(now, since, NEWS_MAX).await?;
    let last = entries.iter().map(|e| e.published_at).max();
    Ok(respond(sitemaps::news(state.site(), &entries), XML, last))
}

pub async fn robots(state: Snapshot) -> Response {
    respond(sitemaps::robots(state.site()), "text/plain; charset=utf-8", None)
}
