//! What the category, tag and author pages share: one subject's published
//! articles, newest first, a page at a time, kept in the page cache until
//! one of them or the subject changes.

use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use manset_core::{ArticleSummary, Page};
use manset_store::Taxonomy;

use crate::Snapshot;
use crate::error::WebError;
use crate::http_cache;
use crate::page_cache::{self, Shows};
use crate::pages::{chrome, render, with_cache};
use crate::views::{Card, Chrome, FeedLink, ListPage, Pagination};

/// One subject's list page.
pub struct Listing<'a> {
    /// `category`, `tag` or `author`: the theme's `{kind}_title` and
    /// `{kind}_description` texts and its `{kind}.html` template.
    pub kind: &'static str,
    pub name: &'a str,
    /// The list's own address (its first page).
    pub url: String,
    /// The page asked for (1-based) and what is on it.
    pub number: u32,
    pub page: Page<ArticleSummary>,
    /// The menu entry to mark as where the reader is.
    pub active: Option<&'a str>,
    /// The subject, for the page cache (the articles are added here).
    pub shows: Shows,
}

/// Renders `listing`, after `adjust` has added what only its kind shows
/// around the list (breadcrumbs, a profile). A page past the last is 404.
pub async fn respond(
    state: &Snapshot,
    now: Timestamp,
    listing: Listing<'_>,
    adjust: impl FnOnce(&mut Chrome),
) -> Result<Response, WebError> {
    let Listing { kind, name, url, number, page, active, mut shows } = listing;
    if number > page.page_count() {
        return Err(WebError::NotFound);
    }
    let site = state.site();
    let theme = state.theme();
    let title = theme.text(&format!("{kind}_title")).replace("{name}", name);
    let description = theme.text(&format!("{kind}_description")).replace("{name}", name).replace("{site}", &site.name);
    let canonical = if number > 1 { format!("{url}?sayfa={number}") } else { url.clone() };
    let mut chrome = chrome(state, now, title, description, Some(&canonical), active).await?;
    chrome.feeds = FeedLink::pair(&url, &format!("{} – {}", site.name, name));
    adjust(&mut chrome);
    let mut view = ListPage {
        name: name.to_owned(),
        pagination: Pagination::new(&page, &url),
        items: Card::list(&page.items, site),
        url,
    };
    crate::pages::card_images(state, view.items.iter_mut()).await?;
    let last_modified = page.items.first().map(|a| a.published_at).max(chrome.changed_at);
    let html = render(state, &format!("{kind}.html"), chrome, view)?;
    let mut response = with_cache(html, http_cache::public(http_cache::max_age::LIST), last_modified);
    shows.articles = page.items.iter().map(|a| a.id).collect();
    page_cache::mark(&mut response, shows);
    Ok(response)
}

/// The answer for a category or tag address that names none: a renamed
/// one's old address leads to the new one, for good; any other is 404.
pub async fn renamed(
    state: &Snapshot,
    kind: Taxonomy,
    slug: &str,
    path: fn(&str) -> String,
) -> Result<Response, WebError> {
    match state.store().taxonomy_redirect(kind, slug).await? {
        Some(current) => Ok(Redirect::permanent(&path(&current)).into_response()),
        None => Err(WebError::NotFound),
    }
}
