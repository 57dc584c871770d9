//! `/haber/{slug}`: the article page.

use axum::extract::{Path, State};
use axum::response::Html;
use jiff::Timestamp;

use crate::AppState;
use crate::error::WebError;
use crate::pages::{chrome, render};
use crate::views::ArticlePage;

/// Related articles under the body.
const RELATED: u32 = 6;

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Html<String>, WebError> {
    let now = Timestamp::now();
    let article = state
        .store()
        .published_article(&slug, now)
        .await?
        .ok_or(WebError::NotFound)?;
    let related = state.store().related(&article, now, RELATED).await?;
    let page = ArticlePage::new(&article, &related, state.site());
    let chrome = chrome(
        &state,
        now,
        article.headline.clone(),
        article.standfirst.clone(),
        Some(&page.url),
        Some(&article.category.slug),
    )
    .await?;
    render(&state, "article.html", chrome, page)
}
