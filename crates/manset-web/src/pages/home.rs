//! `/`: the lead story, the latest stories, a block per category.

use axum::extract::RawQuery;
use axum::response::Response;
use manset_core::ArticleSummary;

use crate::Snapshot;
use crate::error::WebError;
use crate::page_cache::{self, Shows};
use crate::pages::{chrome, render, with_cache};
use crate::views::{Card, HomePage, Link, Section};
use crate::{http_cache, seo};

/// Stories right under the lead.
const SECONDARY: usize = 2;
/// Latest stories in the side column.
const LATEST: usize = 6;
/// Stories per category block.
const PER_SECTION: u32 = 4;

/// The stories of the page's top, and the ids of every story on it so far.
struct Picked<'a> {
    lead: Option<&'a ArticleSummary>,
    secondary: Vec<&'a ArticleSummary>,
    rest: Vec<&'a ArticleSummary>,
    used: Vec<i64>,
}

/// The slots the editors filled (slot 0: the lead), then the newest stories.
fn pick<'a>(arranged: &'a [(i64, ArticleSummary)], latest: &'a [ArticleSummary]) -> Picked<'a> {
    let pinned = |slot: i64| arranged.iter().find(|(p, _)| *p == slot).map(|(_, a)| a);
    let mut used: Vec<i64> = arranged.iter().map(|(_, a)| a.id).collect();
    let mut fresh = latest.iter().filter(|a| !used.contains(&a.id));
    let lead = pinned(0).or_else(|| fresh.next());
    let mut secondary: Vec<&ArticleSummary> = arranged.iter().filter(|(p, _)| *p > 0).map(|(_, a)| a).collect();
    secondary.truncate(SECONDARY);
    while secondary.len() < SECONDARY {
        match fresh.next() {
            Some(a) => secondary.push(a),
            None => break,
        }
    }
    used.extend(lead.iter().map(|a| a.id).chain(secondary.iter().map(|a| a.id)));
    let rest = latest.iter().filter(|a| !used.contains(&a.id)).take(LATEST).collect();
    Picked { lead, secondary, rest, used }
}

pub async fn show(state: Snapshot, RawQuery(query): RawQuery) -> Result<Response, WebError> {
    // `/?p=12`: an address of the site this one was imported from.
    if let Some(old) = crate::pages::legacy::old_query_address(query.as_deref())
        && let Some(moved) = crate::pages::legacy::redirect(&state, &old).await?
    {
        return Ok(moved);
    }
    let now = state.now();
    let site = state.site();
    let store = state.store();
    // Slots the editors filled (slot 0: the lead), then the newest stories.
    let arranged = store.front_page(now).await?;
    let latest = store.latest_published(now, (1 + SECONDARY + LATEST + arranged.len()) as u32, 0).await?;
    let Picked { lead, secondary, rest, used } = pick(&arranged, &latest);
    let sections = store.latest_per_category(now, PER_SECTION).await?;
    let mut page = HomePage {
        lead: lead.map(|a| Card::new(a, site)),
        secondary: secondary.iter().map(|a| Card::new(a, site)).collect(),
        latest: rest.iter().map(|a| Card::new(a, site)).collect(),
        sections: sections
            .iter()
            .map(|(category, items)| Section { category: Link::category(category), items: Card::list(items, site) })
            .collect(),
    };
    {
        let HomePage { lead, secondary, latest, sections } = &mut page;
        let cards = lead.iter_mut().chain(secondary.iter_mut()).chain(latest.iter_mut());
        crate::pages::card_images(&state, cards.chain(sections.iter_mut().flat_map(|s| s.items.iter_mut()))).await?;
    }
    let description = if site.description.is_empty() {
        state.theme().text("home_description").replace("{site}", &site.name)
    } else {
        site.description.clone()
    };
    let mut chrome = chrome(&state, now, site.name.clone(), description, Some("/"), None).await?;
    chrome.json_ld.push(seo::script_json(&seo::website(state.theme(), site)));
    // Arranging the front page changes it too, without a newer article.
    let last_modified = latest.first().map(|a| a.published_at).max(chrome.changed_at);
    let mut articles: Vec<i64> = used;
    articles.extend(rest.iter().map(|a| a.id));
    articles.extend(sections.iter().flat_map(|(_, items)| items.iter().map(|a| a.id)));
    let mut response = with_cache(
        render(&state, "home.html", chrome, page)?,
        http_cache::public(http_cache::max_age::HOME),
        last_modified,
    );
    page_cache::mark(&mut response, Shows { articles, listing: true, ..Shows::default() });
    Ok(response)
}
