//! `/kategori/{slug}`: a category's articles, newest first, paginated.

use crate::input::{Path, Query};
use axum::response::Response;
use manset_store::Taxonomy;

use crate::error::WebError;
use crate::page_cache::Shows;
use crate::pages::PageQuery;
use crate::pages::listing::{self, Listing};
use crate::views::category_path;
use crate::{Snapshot, seo};

pub async fn show(
    state: Snapshot,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let now = state.now();
    let number = query.number()?;
    let Some(category) = state.store().category_by_slug(&slug).await? else {
        return listing::renamed(&state, Taxonomy::Category, &slug, category_path).await;
    };
    let page = state.store().published_in_category(category.id, now, number, state.site().per_page).await?;
    let url = category_path(&category.slug);
    let crumbs = seo::breadcrumbs(state.theme().text("home"), &[(&category.name, url.clone())], state.site());
    let listing = Listing {
        kind: "category",
        name: &category.name,
        url,
        number,
        page,
        active: Some(&category.slug),
        shows: Shows { categories: vec![category.id], ..Shows::default() },
    };
    listing::respond(&state, now, listing, |chrome| chrome.json_ld.push(seo::script_json(&crumbs))).await
}
