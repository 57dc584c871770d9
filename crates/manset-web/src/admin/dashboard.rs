//! `/yonetim`: the newsroom's list of articles, every status.

use axum::extract::State;
use axum::response::Html;
use manset_core::Status;
use serde::Serialize;

use super::{Staff, render};
use crate::AppState;
use crate::error::WebError;
use crate::views::{DateView, article_path};

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    headline: String,
    url: Option<String>,
    status: &'static str,
    category: String,
    date: DateView,
    pending_comments: u64,
}

#[derive(Debug, Serialize)]
struct Dashboard {
    articles: Vec<Row>,
}

pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Html<String>, WebError> {
    let now = jiff::Timestamp::now();
    let articles = state.store().newsroom_articles(200).await?;
    let rows = articles
        .iter()
        .map(|a| {
            let status = match a.status {
                Status::Draft => "draft",
                Status::Review => "review",
                Status::Published if a.published_at > now => "scheduled",
                Status::Published => "published",
                Status::Unpublished => "unpublished",
            };
            Row {
                id: a.id,
                headline: a.headline.clone(),
                url: (status == "published").then(|| article_path(&a.slug)),
                status,
                category: a.category.clone(),
                date: DateView::new(a.published_at, &state.site()),
                pending_comments: a.pending_comments,
            }
        })
        .collect();
    render(
        &state,
        "admin/dashboard.html",
        Some(&staff),
        "admin_articles_title",
        "articles",
        &Dashboard { articles: rows },
    )
}
