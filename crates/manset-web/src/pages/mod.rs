//! Handlers of the public reading site, a file per resource. Each one reads
//! top to bottom: extract, ask the store, build the page's view, render.

pub mod article;
pub mod assets;
pub mod author;
pub mod category;
pub mod comment;
pub mod home;
pub mod legacy;
pub mod listing;
pub mod preview;
pub mod search;
pub mod sitemap;
pub mod static_page;
pub mod syndication;
pub mod tag;

use axum::response::Html;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Snapshot;
use crate::error::WebError;
use crate::seo::Social;
use crate::views::{Chrome, Document, FeedLink, Link, article_path, static_page_path};

/// Stories in the breaking-news ticker at most.
pub const BREAKING: u32 = 5;

/// Builds what every page has around its content, with the menu of
/// categories that have something to read at `now`.
pub async fn chrome(
    state: &Snapshot,
    now: Timestamp,
    title: String,
    description: String,
    canonical_path: Option<&str>,
    active: Option<&str>,
) -> Result<Chrome, WebError> {
    // One query for everything around the content, kept until something changes.
    let site_chrome = state.page_cache().site_chrome(state.store(), now).await?;
    let nav = site_chrome.categories.iter().map(Link::category).collect();
    let pages = site_chrome
        .pages
        .iter()
        .cloned()
        .map(|(title, slug)| Link { name: title, url: static_page_path(&slug), slug })
        .collect();
    let breaking = site_chrome
        .breaking
        .iter()
        .cloned()
        .map(|b| Link { name: b.headline, url: article_path(&b.slug), slug: b.slug })
        .collect();
    Ok(Chrome {
        description,
        canonical: canonical_path.map(|p| state.site().absolute(p)),
        nav,
        active: active.map(str::to_owned),
        year: state.site().time_zone.to_datetime(now).year(),
        feeds: FeedLink::pair("", &state.site().name),
        pages,
        social: Some(Social::website(&title, state.theme(), state.site())),
        json_ld: Vec::new(),
        breaking,
        changed_at: site_chrome.changed_at,
        noindex: false,
        preview: None,
        title,
    })
}

/// The chrome of pages shown when the database may be unavailable.
pub fn bare_chrome(title: String) -> Chrome {
    Chrome {
        title,
        description: String::new(),
        canonical: None,
        nav: Vec::new(),
        active: None,
        year: jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now()).year(),
        feeds: Vec::new(),
        pages: Vec::new(),
        social: None,
        json_ld: Vec::new(),
        breaking: Vec::new(),
        changed_at: None,
        noindex: false,
        preview: None,
    }
}

/// Renders `template` with the page and its chrome.
pub fn render<P: Serialize>(
    state: &Snapshot,
    template: &str,
    chrome: Chrome,
    page: P,
) -> Result<Html<String>, WebError> {
    Ok(Html(state.theme().render(template, &Document { chrome, page })?))
}

/// A page with its caching headers.
pub fn with_cache(
    html: Html<String>,
    cache_control: axum::http::HeaderValue,
    last_modified: Option<Timestamp>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(axum::http::header::CACHE_CONTROL, cache_control);
    if let Some(at) =
        last_modified.and_then(|t| axum::http::HeaderValue::from_str(&manset_text::dates::http_date(t)).ok())
    {
        headers.insert(axum::http::header::LAST_MODIFIED, at);
    }
    response
}

/// `?sayfa=N` on list pages.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    sayfa: Option<String>,
}

impl PageQuery {
    /// The requested page number; anything but a positive number is a page
    /// that does not exist.
    pub fn number(&self) -> Result<u32, WebError> {
        crate::input::page_number(self.sayfa.as_deref())
    }
}

/// Gives cards whose picture comes from the media library its renditions
/// (`srcset`), size and alt text: one query for the whole page.
pub async fn card_images<'a>(
    state: &Snapshot,
    cards: impl IntoIterator<Item = &'a mut crate::views::Card>,
) -> Result<(), WebError> {
    let mut cards: Vec<&mut crate::views::Card> = cards.into_iter().filter(|c| c.image.is_some()).collect();
    let paths: Vec<String> = cards
        .iter()
        .filter_map(|c| c.image.as_ref())
        .filter(|i| i.url.starts_with(manset_service::media_files::URL_PREFIX))
        .map(|i| i.url.clone())
        .collect();
    if paths.is_empty() {
        return Ok(());
    }
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let items = state.store().media_by_paths(&refs).await?;
    let library = crate::media::by_path(&items);
    for card in cards.iter_mut() {
        let Some(image) = card.image.as_mut() else { continue };
        let Some(item) = library.get(image.url.as_str()) else { continue };
        image.srcset = Some(crate::media::srcset(item));
        if let Some(r) = item.renditions.iter().find(|r| r.path == image.url) {
            image.width = Some(r.width);
            image.height = Some(r.height);
        }
        if image.alt.is_empty() {
            image.alt.clone_from(&item.alt);
        }
    }
    Ok(())
}
