//! `/etiket/{slug}`: a tag's articles, newest first, paginated.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use manset_store::Taxonomy;

use crate::AppState;
use crate::error::WebError;
use crate::http_cache;
use crate::page_cache::{self, Shows};
use crate::pages::{PageQuery, chrome, render, with_cache};
use crate::views::{Card, FeedLink, ListPage, Pagination, tag_path};

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let now = Timestamp::now();
    let number = query.number()?;
    let site = state.site();
    let site = &*site;
    let Some(tag) = state.store().tag_by_slug(&slug).await? else {
        // A renamed tag: its old address leads to the new one, for good.
        return match state.store().taxonomy_redirect(Taxonomy::Tag, &slug).await? {
            Some(current) => Ok(Redirect::permanent(&tag_path(&current)).into_response()),
            None => Err(WebError::NotFound),
        };
    };
    let page = state.store().published_with_tag(tag.id, now, number, site.per_page).await?;
    // A tag whose articles are all drafts has no page yet.
    if page.total == 0 || number > page.page_count() {
        return Err(WebError::NotFound);
    }
    let url = tag_path(&tag.slug);
    let title = state.theme().text("tag_title").replace("{name}", &tag.name);
    let description = state.theme().text("tag_description").replace("{name}", &tag.name).replace("{site}", &site.name);
    let canonical = if number > 1 { format!("{url}?sayfa={number}") } else { url.clone() };
    let mut chrome = chrome(&state, now, title, description, Some(&canonical), None).await?;
    chrome.feeds = FeedLink::pair(&url, &format!("{} – {}", site.name, tag.name));
    let mut view = ListPage {
        name: tag.name.clone(),
        pagination: Pagination::new(&page, &url),
        items: Card::list(&page.items, site),
        url,
    };
    let last_modified = page.items.first().map(|a| a.published_at);
    crate::pages::card_images(&state, view.items.iter_mut()).await?;
    let changed = chrome.changed_at;
    let html = render(&state, "tag.html", chrome, view)?;
    let mut response = with_cache(html, http_cache::public(http_cache::max_age::LIST), last_modified.max(changed));
    let articles = page.items.iter().map(|a| a.id).collect();
    page_cache::mark(&mut response, Shows { articles, tags: vec![tag.id], ..Shows::default() });
    Ok(response)
}
