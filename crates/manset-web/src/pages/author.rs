//! `/yazar/{slug}`: an author's articles, newest first, paginated. Only
//! authors with a published article have a page: bylines, never accounts.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiff::Timestamp;

use crate::AppState;
use crate::error::WebError;
use crate::http_cache;
use crate::page_cache::{self, Shows};
use crate::pages::{PageQuery, chrome, render, with_cache};
use crate::seo::Social;
use crate::views::{Card, FeedLink, ListPage, Pagination, author_path};

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let now = Timestamp::now();
    let number = query.number()?;
    let site = state.site();
    let site = &*site;
    let author = state.store().author_by_slug(&slug, now).await?.ok_or(WebError::NotFound)?;
    let page = state.store().published_by_author(author.id, now, number, site.per_page).await?;
    if number > page.page_count() {
        return Err(WebError::NotFound);
    }
    let url = author_path(&author.slug);
    let title = state.theme().text("author_title").replace("{name}", &author.name);
    let description =
        state.theme().text("author_description").replace("{name}", &author.name).replace("{site}", &site.name);
    let canonical = if number > 1 { format!("{url}?sayfa={number}") } else { url.clone() };
    let mut chrome = chrome(&state, now, title, description, Some(&canonical), None).await?;
    chrome.feeds = FeedLink::pair(&url, &format!("{} – {}", site.name, author.name));
    chrome.social = Some(Social::profile(&author.name, &state.theme(), site));
    let last_modified = page.items.first().map(|a| a.published_at);
    let mut view = ListPage {
        name: author.name.clone(),
        pagination: Pagination::new(&page, &url),
        items: Card::list(&page.items, site),
        url,
    };
    crate::pages::card_images(&state, view.items.iter_mut()).await?;
    let changed = chrome.changed_at;
    let html = render(&state, "author.html", chrome, view)?;
    let mut response = with_cache(html, http_cache::public(http_cache::max_age::LIST), last_modified.max(changed));
    let articles = page.items.iter().map(|a| a.id).collect();
    page_cache::mark(&mut response, Shows { articles, authors: vec![author.id], ..Shows::default() });
    Ok(response)
}
