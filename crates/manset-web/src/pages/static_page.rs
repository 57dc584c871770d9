//! `/sayfa/{slug}`: a static page (Künye, Hakkımızda, İletişim…).

use crate::input::Path;
use axum::response::Response;

use crate::Snapshot;
use crate::error::WebError;
use crate::http_cache;
use crate::page_cache::{self, Shows};
use crate::pages::{chrome, render, with_cache};
use crate::views::{DateView, StaticPageView, static_page_path};

pub async fn show(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    let now = state.now();
    let page = state.store().static_page_by_slug(&slug).await?.ok_or(WebError::NotFound)?;
    let description = manset_text::shorten::shorten(&first_text(&page.body), 160);
    let mut chrome =
        chrome(&state, now, page.title.clone(), description, Some(&static_page_path(&page.slug)), None).await?;
    chrome.active = Some(format!("sayfa:{}", page.slug));
    let view = StaticPageView {
        title: page.title.clone(),
        body_html: page.body_html.clone(),
        updated: DateView::new(page.modified_at, state.site()),
    };
    let changed = chrome.changed_at;
    let html = render(&state, "page.html", chrome, view)?;
    let mut response =
        with_cache(html, http_cache::public(http_cache::max_age::LIST), Some(page.modified_at).max(changed));
    // Static pages change only with the site (their edits are site changes: the footer menu).
    page_cache::mark(&mut response, Shows::default());
    Ok(response)
}

/// The first paragraph of Markdown as plain words, for the description.
fn first_text(markdown: &str) -> String {
    let paragraph = markdown.split("\n\n").map(str::trim).find(|p| !p.is_empty() && !p.starts_with('#')).unwrap_or("");
    paragraph
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '#' | '>' | '[' | ']'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
