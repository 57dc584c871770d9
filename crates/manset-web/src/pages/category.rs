//! `/kategori/{slug}`: a category's articles, newest first, paginated.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use manset_store::Taxonomy;

use crate::AppState;
use crate::error::WebError;
use crate::page_cache::{self, Shows};
use crate::pages::{PageQuery, chrome, render, with_cache};
use crate::views::{Card, FeedLink, ListPage, Pagination, category_path};
use crate::{http_cache, seo};

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let now = Timestamp::now();
    let number = query.number()?;
    let site = state.site();
    let site = &*site;
    let Some(category) = state.store().category_by_slug(&slug).await? else {
        // A renamed category: its old address leads to the new one, for good.
        return match state.store().taxonomy_redirect(Taxonomy::Category, &slug).await? {
            Some(current) => Ok(Redirect::permanent(&category_path(&current)).into_response()),
            None => Err(WebError::NotFound),
        };
    };
    let page = state.store().published_in_category(category.id, now, number, site.per_page).await?;
    if number > page.page_count() {
        return Err(WebError::NotFound);
    }
    let url = category_path(&category.slug);
    let title = state.theme().text("category_title").replace("{name}", &category.name);
    let description =
        state.theme().text("category_description").replace("{name}", &category.name).replace("{site}", &site.name);
    let canonical = if number > 1 { format!("{url}?sayfa={number}") } else { url.clone() };
    let mut chrome = chrome(&state, now, title, description, Some(&canonical), Some(&category.slug)).await?;
    chrome.feeds = FeedLink::pair(&url, &format!("{} – {}", site.name, category.name));
    let crumbs = seo::breadcrumbs(state.theme().text("home"), &[(&category.name, url.clone())], site);
    chrome.json_ld.push(seo::script_json(&crumbs));
    let mut view = ListPage {
        name: category.name.clone(),
        pagination: Pagination::new(&page, &url),
        items: Card::list(&page.items, site),
        url,
    };
    let last_modified = page.items.first().map(|a| a.published_at);
    crate::pages::card_images(&state, view.items.iter_mut()).await?;
    let changed = chrome.changed_at;
    let html = render(&state, "category.html", chrome, view)?;
    let mut response = with_cache(html, http_cache::public(http_cache::max_age::LIST), last_modified.max(changed));
    let articles = page.items.iter().map(|a| a.id).collect();
    page_cache::mark(&mut response, Shows { articles, categories: vec![category.id], ..Shows::default() });
    Ok(response)
}
