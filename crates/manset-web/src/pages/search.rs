//! `/ara?q=…`: search, ranked by relevance (newer first among equals) or
//! newest first, with highlighted snippets, category and date filters and
//! pages. Any input is a search: empty, overlong or odd queries are read
//! plainly (see `manset_search::query`), never an error.

use std::sync::Arc;

use crate::input::Query;
use axum::extract::State;
use axum::response::Response;
use jiff::Timestamp;
use manset_search::{Fragment, SearchRequest};
use manset_store::Taxonomy;
use manset_text::percent;
use serde::Deserialize;

use crate::AppState;
use crate::error::WebError;
use crate::http_cache;
use crate::pages::{chrome, render, with_cache};
use crate::views::{Card, Link, Pagination, SearchHit, SearchPage, category_path};

/// Results per page.
const PER_PAGE: usize = 10;
/// The last page of any search: as deep as the index goes.
const MAX_PAGE: usize = manset_search::index::MAX_DEPTH / PER_PAGE;

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    kategori: Option<String>,
    baslangic: Option<String>,
    bitis: Option<String>,
    sira: Option<String>,
    sayfa: Option<String>,
}

/// Escaped text with the matched pieces in `<mark>`.
fn snippet_html(fragments: &[Fragment]) -> String {
    let mut out = String::new();
    for (text, matched) in fragments {
        let escaped = manset_text::html::escape(text);
        if *matched {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
    }
    out
}

/// A day (`2024-06-28`) in the site's zone: its first second.
fn day(value: Option<&str>, state: &AppState) -> Result<Option<Timestamp>, ()> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => {
            let date: jiff::civil::Date = v.parse().map_err(|_| ())?;
            state
                .site()
                .time_zone
                .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
                .map(Some)
                .map_err(|_| ())
        }
    }
}

pub async fn show(State(state): State<AppState>, Query(params): Query<SearchParams>) -> Result<Response, WebError> {
    let now = Timestamp::now();
    let site = state.site();
    let query = params.q.clone().unwrap_or_default();
    let cut = query.chars().count() > manset_search::query::MAX_QUERY_CHARS;
    let query: String = query.chars().take(manset_search::query::MAX_QUERY_CHARS).collect();
    // Pages past the deepest a search goes do not exist, like pages past a
    // list's last.
    let number = crate::input::page_number(params.sayfa.as_deref())? as usize;
    if number > MAX_PAGE {
        return Err(WebError::NotFound);
    }
    let categories = state.store().taxonomy(Taxonomy::Category).await?;
    let category_slug = params.kategori.clone().unwrap_or_default();
    let category = categories.iter().find(|c| c.slug == category_slug);
    let from = day(params.baslangic.as_deref(), &state);
    // "Until" a day includes that day.
    let until = day(params.bitis.as_deref(), &state)
        .map(|d| d.map(|t| t.checked_add(jiff::SignedDuration::from_hours(24)).unwrap_or(t)));
    let bad_date = from.is_err() || until.is_err();
    let newest_first = params.sira.as_deref() == Some("yeni");

    let (category_id, from, until) = (category.map(|c| c.id), from.unwrap_or(None), until.unwrap_or(None));
    let offset = (number - 1) * PER_PAGE;
    let index = Arc::clone(state.search());
    let text = query.clone();
    let results = tokio::task::spawn_blocking(move || {
        index.search(&SearchRequest {
            text: &text,
            category_id,
            from,
            until,
            newest_first,
            now,
            limit: PER_PAGE,
            offset,
        })
    })
    .await
    .map_err(|e| WebError::Internal(Box::new(e)))??;
    // Past the last page of results: no such page (the first page of a
    // search that finds nothing is a page, saying so).
    if number > 1 && offset >= results.total {
        return Err(WebError::NotFound);
    }

    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let summaries = state.store().summaries_by_ids(&ids, now).await?;
    let mut hits: Vec<SearchHit> = results
        .hits
        .iter()
        .filter_map(|h| {
            let summary = summaries.iter().find(|s| s.id == h.id)?;
            Some(SearchHit { card: Card::new(summary, &site), snippet_html: snippet_html(&h.snippet) })
        })
        .collect();
    crate::pages::card_images(&state, hits.iter_mut().map(|h| &mut h.card)).await?;

    let base = format!(
        "/ara?q={}&kategori={}&baslangic={}&bitis={}&sira={}",
        percent::encode(&query),
        percent::encode(&category_slug),
        percent::encode(params.baslangic.as_deref().unwrap_or("")),
        percent::encode(params.bitis.as_deref().unwrap_or("")),
        if newest_first { "yeni" } else { "" }
    );
    let info = manset_core::Page::<()> {
        items: vec![],
        number: number as u32,
        per_page: PER_PAGE as u32,
        // Links go no deeper than the search does.
        total: results.total.min(MAX_PAGE * PER_PAGE) as u64,
    };
    let filtered = category.is_some() || from.is_some() || until.is_some();
    let latest =
        if hits.is_empty() { Card::list(&state.store().latest_published(now, 6, 0).await?, &site) } else { Vec::new() };
    let page = SearchPage {
        cut,
        total: results.total,
        hits,
        categories: categories
            .iter()
            .map(|c| Link { name: c.name.clone(), url: category_path(&c.slug), slug: c.slug.clone() })
            .collect(),
        category: category.map(|c| c.slug.clone()).unwrap_or_default(),
        from: params.baslangic.clone().unwrap_or_default(),
        until: params.bitis.clone().unwrap_or_default(),
        newest_first,
        bad_date,
        pagination: Pagination::with_query(&info, &base),
        without_filters: filtered.then(|| format!("/ara?q={}", percent::encode(&query))),
        latest,
        query: query.clone(),
    };
    let title = if query.trim().is_empty() {
        state.theme().text("search").to_owned()
    } else {
        state.theme().text("search_title").replace("{q}", query.trim())
    };
    let description = state.theme().text("search_description").replace("{site}", &site.name);
    let mut chrome = chrome(&state, now, title, description, Some("/ara"), Some("ara")).await?;
    chrome.noindex = true;
    let html = render(&state, "search.html", chrome, page)?;
    Ok(with_cache(html, http_cache::public(http_cache::max_age::LIST), None))
}
