//! `/yonetim/anasayfa`: the front page as editors arrange it when news
//! breaks: the lead story, the featured slots under it, and the "Son dakika"
//! ticker with an expiry time.

use crate::input::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use manset_core::Action;
use serde::{Deserialize, Serialize};

use super::{Flash, FormFields, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{DateView, article_path};

/// The lead and the featured stories under it (the home page's `secondary`).
pub const SLOTS: usize = 3;
/// Articles offered for the slots and the ticker.
const CANDIDATES: u32 = 60;
/// How long breaking news stays up unless the editor says otherwise.
const DEFAULT_BREAKING_HOURS: i64 = 2;

#[derive(Debug, Serialize)]
struct Candidate {
    id: i64,
    headline: String,
    date: String,
}

#[derive(Debug, Serialize)]
struct Slot {
    n: usize,
    selected: Option<i64>,
}

#[derive(Debug, Serialize)]
struct Breaking {
    id: i64,
    headline: String,
    url: String,
    until: DateView,
}

#[derive(Debug, Serialize)]
struct FrontScreen {
    slots: Vec<Slot>,
    candidates: Vec<Candidate>,
    breaking: Vec<Breaking>,
    /// `datetime-local` default for a new breaking item.
    default_until: String,
    flash: Option<Flash>,
}

#[derive(Debug, Deserialize)]
pub struct FrontQuery {
    tamam: Option<String>,
}

async fn screen(
    state: &Snapshot,
    staff: &Staff,
    status: StatusCode,
    flash: Option<Flash>,
) -> Result<Response, WebError> {
    let now = state.now();
    let store = state.store();
    let slots = store.front_slots().await?;
    let mut articles = store.latest_published(now, CANDIDATES, 0).await?;
    // Slotted stories stay choosable even when older than the newest 60.
    for (_, a) in store.front_page(now).await? {
        if !articles.iter().any(|x| x.id == a.id) {
            articles.push(a);
        }
    }
    let candidates = articles
        .iter()
        .map(|a| Candidate {
            id: a.id,
            headline: a.headline.clone(),
            date: DateView::new(a.published_at, state.site()).short,
        })
        .collect();
    let view = FrontScreen {
        slots: (0..SLOTS).map(|n| Slot { n, selected: slots.get(n).copied() }).collect(),
        candidates,
        breaking: store
            .breaking_news(now, 20)
            .await?
            .into_iter()
            .map(|b| Breaking {
                id: b.id,
                url: article_path(&b.slug),
                headline: b.headline,
                until: DateView::new(b.until, state.site()),
            })
            .collect(),
        default_until: manset_text::dates::datetime_local(
            now + SignedDuration::from_hours(DEFAULT_BREAKING_HOURS),
            &state.site().time_zone,
        ),
        flash,
    };
    let html = render(state, "admin/front.html", Some(staff), "admin_front_title", "front", &view)?;
    Ok((status, html).into_response())
}

pub async fn show(state: Snapshot, staff: Staff, Query(query): Query<FrontQuery>) -> Result<Response, WebError> {
    staff.require(Action::ArrangeFrontPage)?;
    let flash = query.tamam.map(|_| Flash::success(&state, "admin_front_saved"));
    screen(&state, &staff, StatusCode::OK, flash).await
}

fn done() -> Response {
    see_other("/yonetim/anasayfa?tamam=1")
}

/// `POST /yonetim/anasayfa`: `action=slots` with `slot_0…`; `action=breaking`
/// with `article` and `until`; `unbreak=ID` to end breaking news now.
pub async fn update(
    state: Snapshot,
    staff: Staff,
    crate::input::Text(body): crate::input::Text,
) -> Result<Response, WebError> {
    staff.require(Action::ArrangeFrontPage)?;
    let form = FormFields::parse(&body)?;
    let field = |name: &str| form.get(name);
    let store = state.store();
    let now = state.now();
    let refuse = |key: &str| screen(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, Some(Flash::error(&state, key)));

    if let Some(id) = field("unbreak") {
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        if !store.set_breaking(id, None, now).await? {
            return Err(WebError::NotFound);
        }
        staff.audit(&state, "front.unbreak", &format!("#{id}"), "").await;
        return Ok(done());
    }
    match field("action") {
        Some("slots") => {
            let mut ids: Vec<i64> = Vec::new();
            for n in 0..SLOTS {
                match field(&format!("slot_{n}")).map(str::parse::<i64>) {
                    None => {}
                    Some(Ok(id)) if !ids.contains(&id) => ids.push(id),
                    Some(Ok(_)) => return refuse("admin_front_twice").await,
                    Some(Err(_)) => return Err(WebError::NotFound),
                }
            }
            if !store.set_front_slots(&ids, now).await? {
                return Err(WebError::NotFound);
            }
            let list = ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(" ");
            staff.audit(&state, "front.arrange", &list, "").await;
            Ok(done())
        }
        Some("breaking") => {
            let Some(id) = field("article").and_then(crate::input::id) else {
                return refuse("admin_front_pick_article").await;
            };
            let until = field("until")
                .and_then(|v| v.parse::<jiff::civil::DateTime>().ok())
                .and_then(|civil| state.site().time_zone.to_timestamp(civil).ok());
            let Some(until) = until.filter(|u| *u > now) else {
                return refuse("admin_front_bad_until").await;
            };
            if !store.set_breaking(id, Some(until), now).await? {
                return Err(WebError::NotFound);
            }
            staff
                .audit(&state, "front.breaking", &format!("#{id}"), &DateView::new(until, state.site()).long_time)
                .await;
            Ok(done())
        }
        _ => Err(WebError::NotFound),
    }
}
