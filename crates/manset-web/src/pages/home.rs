//! `/`: the lead story, the latest stories, a block per category.

use axum::extract::State;
use axum::response::Response;
use jiff::Timestamp;

use crate::AppState;
use crate::error::WebError;
use crate::pages::{chrome, render, with_cache};
use crate::views::{Card, HomePage, Link, Section};
use crate::{http_cache, seo};

/// Stories right under the lead.
const SECONDARY: usize = 2;
/// Latest stories in the side column.
const LATEST: usize = 6;
/// Stories per category block.
const PER_SECTION: u32 = 4;

pub async fn show(State(state): State<AppState>) -> Result<Response, WebError> {
    let now = Timestamp::now();
    let site = state.site();
    let latest = state.store().latest_published(now, (1 + SECONDARY + LATEST) as u32, 0).await?;
    let sections = state.store().latest_per_category(now, PER_SECTION).await?;
    let mut cards = Card::list(&latest, site).into_iter();
    let page = HomePage {
        lead: cards.next(),
        secondary: cards.by_ref().take(SECONDARY).collect(),
        latest: cards.collect(),
        sections: sections
            .iter()
            .map(|(category, items)| Section { category: Link::category(category), items: Card::list(items, site) })
            .collect(),
    };
    let description = state.theme().text("home_description").replace("{site}", &site.name);
    let mut chrome = chrome(&state, now, site.name.clone(), description, Some("/"), None).await?;
    chrome.json_ld.push(seo::script_json(&seo::website(state.theme(), site)));
    let last_modified = latest.first().map(|a| a.published_at);
    Ok(with_cache(
        render(&state, "home.html", chrome, page)?,
        http_cache::public(http_cache::max_age::HOME),
        last_modified,
    ))
}
