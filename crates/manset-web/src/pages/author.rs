//! `/yazar/{slug}`: an author's articles, newest first, paginated. Only
//! authors with a published article have a page: bylines, never accounts.

use crate::input::{Path, Query};
use axum::response::Response;

use crate::Snapshot;
use crate::error::WebError;
use crate::page_cache::Shows;
use crate::pages::PageQuery;
use crate::pages::listing::{self, Listing};
use crate::seo::Social;
use crate::views::author_path;

pub async fn show(
    state: Snapshot,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let now = state.now();
    let number = query.number()?;
    let author = state.store().author_by_slug(&slug, now).await?.ok_or(WebError::NotFound)?;
    let page = state.store().published_by_author(author.id, now, number, state.site().per_page).await?;
    let profile = Social::profile(&author.name, state.theme(), state.site());
    let listing = Listing {
        kind: "author",
        name: &author.name,
        url: author_path(&author.slug),
        number,
        page,
        active: None,
        shows: Shows { authors: vec![author.id], ..Shows::default() },
    };
    listing::respond(&state, now, listing, |chrome| chrome.social = Some(profile)).await
}
