//! `/etiket/{slug}`: a tag's articles, newest first, paginated.

use crate::input::{Path, Query};
use axum::response::Response;
use manset_store::Taxonomy;

use crate::Snapshot;
use crate::error::WebError;
use crate::page_cache::Shows;
use crate::pages::PageQuery;
use crate::pages::listing::{self, Listing};
use crate::views::tag_path;

pub async fn show(
    state: Snapshot,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let now = state.now();
    let number = query.number()?;
    let Some(tag) = state.store().tag_by_slug(&slug).await? else {
        return listing::renamed(&state, Taxonomy::Tag, &slug, tag_path).await;
    };
    let page = state.store().published_with_tag(tag.id, now, number, state.site().per_page).await?;
    // A tag whose articles are all drafts has no page yet.
    if page.total == 0 {
        return Err(WebError::NotFound);
    }
    let listing = Listing {
        kind: "tag",
        name: &tag.name,
        url: tag_path(&tag.slug),
        number,
        page,
        active: None,
        shows: Shows { tags: vec![tag.id], ..Shows::default() },
    };
    listing::respond(&state, now, listing, |_| {}).await
}
