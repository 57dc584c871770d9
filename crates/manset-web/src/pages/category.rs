//! `/kategori/{slug}`: a category's articles, newest first, paginated.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use jiff::Timestamp;

use crate::AppState;
use crate::error::WebError;
use crate::pages::{PageQuery, chrome, render};
use crate::views::{Card, ListPage, Pagination, category_path};

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    let now = Timestamp::now();
    let number = query.number()?;
    let site = state.site();
    let category = state.store().category_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
    let page = state.store().published_in_category(category.id, now, number, site.per_page).await?;
    if number > page.page_count() {
        return Err(WebError::NotFound);
    }
    let url = category_path(&category.slug);
    let title = state.theme().text("category_title").replace("{name}", &category.name);
    let chrome = chrome(&state, now, title, String::new(), Some(&url), Some(&category.slug)).await?;
    let view = ListPage {
        name: category.name.clone(),
        pagination: Pagination::new(&page, &url),
        items: Card::list(&page.items, site),
        url,
    };
    render(&state, "category.html", chrome, view)
}
