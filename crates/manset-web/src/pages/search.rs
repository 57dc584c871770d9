//! `/ara?q=…`: search, ranked by relevance (newer first among equals) or
//! newest first, with highlighted snippets, category and date filters and
//! pages. Any input is a search: empty, overlong or odd queries are read
//! plainly (see `manset_search::query`), never an error.

use std::sync::Arc;

use crate::input::Query;
use axum::response::Response;
use jiff::Timestamp;
use manset_search::{Fragment, SearchRequest};
use manset_text::percent;
use serde::Deserialize;

use crate::Snapshot;
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
fn day(value: Option<&str>, state: &Snapshot) -> Result<Option<Timestamp>, ()> {
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

/// What a reader asked for, read from the address.
struct Criteria {
    query: String,
    /// The query was longer than a search reads.
    cut: bool,
    number: usize,
    category: Option<manset_core::CategoryRef>,
    from: Option<Timestamp>,
    until: Option<Timestamp>,
    bad_date: bool,
    newest_first: bool,
}

impl Criteria {
    fn read(
        params: &SearchParams,
        categories: &[manset_core::CategoryRef],
        state: &Snapshot,
    ) -> Result<Criteria, WebError> {
        let typed = params.q.clone().unwrap_or_default();
        let cut = typed.chars().count() > manset_search::query::MAX_QUERY_CHARS;
        let query: String = typed.chars().take(manset_search::query::MAX_QUERY_CHARS).collect();
        // Pages past the deepest a search goes do not exist, like pages past a
        // list's last.
        let number = crate::input::page_number(params.sayfa.as_deref())? as usize;
        if number > MAX_PAGE {
            return Err(WebError::NotFound);
        }
        let category_slug = params.kategori.as_deref().unwrap_or_default();
        let from = day(params.baslangic.as_deref(), state);
        // "Until" a day includes that day.
        let until = day(params.bitis.as_deref(), state)
            .map(|d| d.map(|t| t.checked_add(jiff::SignedDuration::from_hours(24)).unwrap_or(t)));
        Ok(Criteria {
            query,
            cut,
            number,
            category: categories.iter().find(|c| c.slug == category_slug).cloned(),
            bad_date: from.is_err() || until.is_err(),
            from: from.unwrap_or(None),
            until: until.unwrap_or(None),
            newest_first: params.sira.as_deref() == Some("yeni"),
        })
    }

    fn offset(&self) -> usize {
        (self.number - 1) * PER_PAGE
    }

    /// The address of this search's pages, without the page number.
    fn base(&self, params: &SearchParams) -> String {
        format!(
            "/ara?q={}&kategori={}&baslangic={}&bitis={}&sira={}",
            percent::encode(&self.query),
            percent::encode(params.kategori.as_deref().unwrap_or("")),
            percent::encode(params.baslangic.as_deref().unwrap_or("")),
            percent::encode(params.bitis.as_deref().unwrap_or("")),
            if self.newest_first { "yeni" } else { "" }
        )
    }
}

/// Runs the search off the async threads (the index reads files).
async fn search(state: &Snapshot, c: &Criteria) -> Result<manset_search::Results, WebError> {
    let index = Arc::clone(state.search());
    let (text, category_id, from, until) = (c.query.clone(), c.category.as_ref().map(|c| c.id), c.from, c.until);
    let (newest_first, now, offset) = (c.newest_first, state.now(), c.offset());
    tokio::task::spawn_blocking(move || {
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
    .map_err(|e| WebError::Internal(Box::new(e)))?
    .map_err(WebError::from)
}

/// The found articles as cards, with their snippets, in the index's order.
async fn hits(state: &Snapshot, results: &manset_search::Results) -> Result<Vec<SearchHit>, WebError> {
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let summaries = state.store().summaries_by_ids(&ids, state.now()).await?;
    let mut hits: Vec<SearchHit> = results
        .hits
        .iter()
        .filter_map(|h| {
            let summary = summaries.iter().find(|s| s.id == h.id)?;
            Some(SearchHit { card: Card::new(summary, state.site()), snippet_html: snippet_html(&h.snippet) })
        })
        .collect();
    crate::pages::card_images(state, hits.iter_mut().map(|h| &mut h.card)).await?;
    Ok(hits)
}

pub async fn show(state: Snapshot, Query(params): Query<SearchParams>) -> Result<Response, WebError> {
    let (now, site) = (state.now(), state.site());
    let categories = state.store().categories().await?;
    let c = Criteria::read(&params, &categories, &state)?;
    let results = search(&state, &c).await?;
    // Past the last page of results: no such page (the first page of a
    // search that finds nothing is a page, saying so).
    if c.number > 1 && c.offset() >= results.total {
        return Err(WebError::NotFound);
    }
    let hits = hits(&state, &results).await?;
    let info = manset_core::Page::<()> {
        items: vec![],
        number: c.number as u32,
        per_page: PER_PAGE as u32,
        // Links go no deeper than the search does.
        total: results.total.min(MAX_PAGE * PER_PAGE) as u64,
    };
    let filtered = c.category.is_some() || c.from.is_some() || c.until.is_some();
    let latest =
        if hits.is_empty() { Card::list(&state.store().latest_published(now, 6, 0).await?, site) } else { Vec::new() };
    let page = SearchPage {
        cut: c.cut,
        total: results.total,
        hits,
        categories: categories
            .iter()
            .map(|c| Link { name: c.name.clone(), url: category_path(&c.slug), slug: c.slug.clone() })
            .collect(),
        category: c.category.as_ref().map(|c| c.slug.clone()).unwrap_or_default(),
        from: params.baslangic.clone().unwrap_or_default(),
        until: params.bitis.clone().unwrap_or_default(),
        newest_first: c.newest_first,
        bad_date: c.bad_date,
        pagination: Pagination::with_query(&info, &c.base(&params)),
        without_filters: filtered.then(|| format!("/ara?q={}", percent::encode(&c.query))),
        latest,
        query: c.query.clone(),
    };
    let title = match c.query.trim() {
        "" => state.theme().text("search").to_owned(),
        q => state.theme().text("search_title").replace("{q}", q),
    };
    let description = state.theme().text("search_description").replace("{site}", &site.name);
    let mut chrome = chrome(&state, now, title, description, Some("/ara"), Some("ara")).await?;
    chrome.noindex = true;
    let html = render(&state, "search.html", chrome, page)?;
    Ok(with_cache(html, http_cache::public(http_cache::max_age::LIST), None))
}
