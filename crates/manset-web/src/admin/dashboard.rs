//! `/yonetim`: the newsroom's desk. What needs attention (articles in
//! review, what is scheduled, the comment queue), then every article,
//! filtered by status, category and byline, searched through the search
//! index, sorted and paginated; and `/yonetim/toplu`, one action on the
//! articles ticked in the list.

use crate::input::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use manset_core::Action;
use manset_service::desk::{Batch, BatchOutcome, DeskQuery, MAX_BATCH};
use manset_store::{NewsroomArticle, NewsroomCounts, NewsroomFilter, NewsroomSort};
use serde::{Deserialize, Serialize};

use super::{Flash, FormFields, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{DateView, Pagination, article_path};

/// Articles per page of the list.
const PER_PAGE: u32 = 50;
/// Statuses one can filter on, in workflow order.
const STATUSES: [&str; 6] = ["draft", "review", "scheduled", "published", "unpublished", "trash"];
/// The orders of the list, as the address names them: publication time
/// (newest first, the default), oldest first, last change, and relevance
/// (with words only).
const SORTS: [&str; 4] = ["yayin", "eski", "degisiklik", "ilgi"];
/// The desk's actions on many articles, in the order the menu offers them.
const BATCH_ACTIONS: [&str; 6] = ["submit", "schedule", "category", "unpublish", "trash", "recover"];

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    headline: String,
    url: Option<String>,
    status: &'static str,
    category: String,
    byline: String,
    date: DateView,
    changed: DateView,
    changed_by: String,
    pending_comments: u64,
    /// Who has it open in the editor now.
    editing: String,
}

#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    name: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct Dashboard {
    counts: CountsView,
    /// Waiting for an editor.
    review: Vec<Row>,
    /// Coming up, soonest first.
    scheduled: Vec<Row>,
    can_moderate: bool,
    articles: Vec<Row>,
    total: u64,
    statuses: Vec<Choice>,
    categories: Vec<Choice>,
    authors: Vec<Choice>,
    sorts: Vec<Choice>,
    actions: Vec<Choice>,
    /// The list's parameters, kept by the bulk form so the answer comes back to it.
    list: ListParams,
    search: String,
    filtered: bool,
    pagination: Pagination,
    flash: Option<Flash>,
}

#[derive(Debug, Serialize)]
struct CountsView {
    draft: u64,
    review: u64,
    scheduled: u64,
    published: u64,
    unpublished: u64,
    trash: u64,
    pending_comments: u64,
}

impl From<NewsroomCounts> for CountsView {
    fn from(c: NewsroomCounts) -> CountsView {
        CountsView {
            draft: c.draft,
            review: c.review,
            scheduled: c.scheduled,
            published: c.published,
            unpublished: c.unpublished,
            trash: c.trash,
            pending_comments: c.pending_comments,
        }
    }
}

/// The list's filters, search and order, as its address carries them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ListParams {
    #[serde(default)]
    durum: String,
    #[serde(default)]
    kategori: String,
    #[serde(default)]
    yazar: String,
    #[serde(default)]
    ara: String,
    #[serde(default)]
    sirala: String,
}

impl ListParams {
    fn from_form(form: &FormFields) -> ListParams {
        let get = |name: &str| form.get(name).unwrap_or_default().to_owned();
        ListParams {
            durum: get("durum"),
            kategori: get("kategori"),
            yazar: get("yazar"),
            ara: get("ara"),
            sirala: get("sirala"),
        }
    }

    /// The list's address with these parameters.
    fn url(&self) -> String {
        let e = manset_text::percent::encode;
        format!(
            "/yonetim?durum={}&kategori={}&yazar={}&ara={}&sirala={}",
            e(&self.durum),
            e(&self.kategori),
            e(&self.yazar),
            e(self.ara.trim()),
            e(&self.sirala)
        )
    }

    fn status(&self) -> Result<Option<&'static str>, WebError> {
        match self.durum.trim() {
            "" => Ok(None),
            s => Ok(Some(STATUSES.into_iter().find(|x| *x == s).ok_or(WebError::NotFound)?)),
        }
    }

    fn search(&self) -> Option<String> {
        Some(self.ara.trim().to_owned()).filter(|s| !s.is_empty())
    }

    /// The order asked for, and whether by relevance (only with words:
    /// the index orders by relevance or by publication time).
    fn sort(&self) -> Result<(NewsroomSort, bool), WebError> {
        let words = self.search().is_some();
        Ok(match self.sirala.trim() {
            "" if words => (NewsroomSort::Published, true),
            "" | "yayin" => (NewsroomSort::Published, false),
            "ilgi" => (NewsroomSort::Published, words),
            "eski" if !words => (NewsroomSort::Oldest, false),
            "degisiklik" if !words => (NewsroomSort::Changed, false),
            "eski" | "degisiklik" => (NewsroomSort::Published, false),
            _ => return Err(WebError::NotFound),
        })
    }

    fn filter(&self) -> Result<NewsroomFilter, WebError> {
        Ok(NewsroomFilter {
            status: self.status()?.map(str::to_owned),
            category_id: id_param(&self.kategori)?,
            author_id: id_param(&self.yazar)?,
            visible_to: None,
            sort: self.sort()?.0,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    list: ListParams,
    sayfa: Option<String>,
    /// After a desk action: which, how many moved, how many were left.
    toplu: Option<String>,
    yapilan: Option<String>,
    atlanan: Option<String>,
}

fn rows(articles: &[NewsroomArticle], state: &Snapshot, now: Timestamp) -> Vec<Row> {
    articles
        .iter()
        .map(|a| {
            let status = a.status.name_at(a.published_at, now);
            Row {
                id: a.id,
                headline: a.headline.clone(),
                url: (status == "published").then(|| article_path(&a.slug)),
                status,
                category: a.category.clone(),
                byline: a.authors.join(", "),
                date: DateView::new(a.published_at, state.site()),
                changed: DateView::new(a.modified_at, state.site()),
                changed_by: a.modified_by.clone().unwrap_or_default(),
                pending_comments: a.pending_comments,
                editing: String::new(),
            }
        })
        .collect()
}

/// `rows` with who has each article open now.
async fn with_editors(state: &Snapshot, mut rows: Vec<Row>) -> Result<Vec<Row>, WebError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let present = state.service().editing(&ids).await?;
    for row in &mut rows {
        let names: Vec<&str> = present.iter().filter(|p| p.article_id == row.id).map(|p| p.name.as_str()).collect();
        row.editing = names.join(", ");
    }
    Ok(rows)
}

/// A filter value from the query: empty means "any"; a bad one is a page that does not exist.
fn id_param(value: &str) -> Result<Option<i64>, WebError> {
    match value.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| WebError::NotFound),
    }
}

fn named(state: &Snapshot, prefix: &str, values: &[&str], selected: &str) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: (*v).to_owned(),
            name: state.theme().text(&format!("{prefix}{v}")).to_owned(),
            selected: *v == selected,
        })
        .collect()
}

/// The filter's choices (categories, authors), the current ones selected.
async fn choices(state: &Snapshot, filter: &NewsroomFilter) -> Result<(Vec<Choice>, Vec<Choice>), WebError> {
    let categories = state
        .store()
        .categories()
        .await?
        .into_iter()
        .map(|c| Choice { value: c.id.to_string(), name: c.name, selected: filter.category_id == Some(c.id) })
        .collect();
    let authors = state
        .store()
        .authors()
        .await?
        .into_iter()
        .map(|a| Choice { value: a.id.to_string(), name: a.name, selected: filter.author_id == Some(a.id) })
        .collect();
    Ok((categories, authors))
}

/// What the last desk action did: "3 haber çöpe atıldı", and how many it left.
fn batch_flash(state: &Snapshot, query: &ListQuery) -> Option<Flash> {
    let act = query.toplu.as_deref()?;
    if let Some(problem) = act.strip_prefix("hata-") {
        return matches!(problem, "secim" | "zaman" | "kategori")
            .then(|| Flash::error(state, &format!("admin_batch_error_{problem}")));
    }
    let act = BATCH_ACTIONS.into_iter().find(|a| *a == act)?;
    let count = |n: &Option<String>| n.as_deref().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
    let (done, left) = (count(&query.yapilan), count(&query.atlanan));
    let theme = state.theme();
    let mut text = theme.text(&format!("admin_batch_done_{act}")).replace("{n}", &done.to_string());
    if left > 0 {
        text = format!("{text} {}", theme.text("admin_batch_skipped").replace("{n}", &left.to_string()));
    }
    let kind = if done == 0 { "error" } else { "success" };
    Some(Flash { kind, text })
}

pub async fn show(state: Snapshot, staff: Staff, Query(query): Query<ListQuery>) -> Result<Html<String>, WebError> {
    let now = state.now();
    let store = state.store();
    let params = &query.list;
    let filter = params.filter()?;
    let filtered = filter != NewsroomFilter::default() || params.search().is_some();
    let number = crate::input::page_number(query.sayfa.as_deref())?;
    let desk = DeskQuery {
        filter: filter.clone(),
        text: params.search(),
        relevance: params.sort()?.1,
        limit: PER_PAGE,
        offset: u64::from(number - 1) * u64::from(PER_PAGE),
    };
    let service = state.service();
    let (articles, total) = service.desk(&staff.user, desk).await?;
    let of_status = |s: &str| DeskQuery {
        filter: NewsroomFilter { status: Some(s.to_owned()), ..NewsroomFilter::default() },
        limit: 10,
        ..DeskQuery::default()
    };
    let (review, _) = service.desk(&staff.user, of_status("review")).await?;
    let soonest = DeskQuery {
        filter: NewsroomFilter { sort: NewsroomSort::Oldest, ..of_status("scheduled").filter },
        ..of_status("scheduled")
    };
    let (scheduled, _) = service.desk(&staff.user, soonest).await?;

    let (categories, authors) = choices(&state, &filter).await?;
    let info = manset_core::Page::<()> { items: vec![], number, per_page: PER_PAGE, total };
    let sorts = if params.search().is_some() { &SORTS[..] } else { &SORTS[..3] };
    let page = Dashboard {
        counts: store.newsroom_counts(now).await?.into(),
        review: rows(&review, &state, now),
        scheduled: rows(&scheduled, &state, now),
        can_moderate: staff.user.role.may(Action::ModerateComments),
        articles: with_editors(&state, rows(&articles, &state, now)).await?,
        total,
        statuses: named(&state, "admin_status_", &STATUSES, params.durum.trim()),
        categories,
        authors,
        sorts: named(&state, "admin_sort_", sorts, params.sirala.trim()),
        actions: named(&state, "admin_batch_", &BATCH_ACTIONS, ""),
        list: params.clone(),
        filtered,
        search: params.ara.trim().to_owned(),
        pagination: Pagination::with_query(&info, &params.url()),
        flash: batch_flash(&state, &query),
    };
    render(&state, "admin/dashboard.html", Some(&staff), "admin_articles_title", "articles", &page)
}

/// The action a bulk form names, with its time or category; `Err` names
/// what is missing (the key of the message the list then shows).
fn batch_of(state: &Snapshot, form: &FormFields) -> Result<(&'static str, Batch), &'static str> {
    let act = form.get("action").and_then(|a| BATCH_ACTIONS.into_iter().find(|x| *x == a)).ok_or("secim")?;
    let batch = match act {
        "submit" => Batch::Submit,
        "unpublish" => Batch::Unpublish,
        "trash" => Batch::Trash,
        "recover" => Batch::Recover,
        "category" => Batch::Category(form.get("kategori_adi").ok_or("kategori")?.to_owned()),
        _ => {
            let civil: jiff::civil::DateTime = form.get("zaman").ok_or("zaman")?.parse().map_err(|_| "zaman")?;
            let at = state.site().time_zone.to_timestamp(civil).map_err(|_| "zaman")?;
            if at <= state.now() {
                return Err("zaman");
            }
            Batch::Schedule(at)
        }
    };
    Ok((act, batch))
}

/// `POST /yonetim/toplu`: `action` (submit, schedule with `zaman`,
/// category with `kategori_adi`, unpublish, trash, recover) on the ticked
/// `secili` ids; unpublishing and trashing ask first. Each article is moved
/// by its own permissions; the list says how many moved and how many not.
pub async fn batch(
    state: Snapshot,
    staff: Staff,
    crate::input::Text(body): crate::input::Text,
) -> Result<Response, WebError> {
    let form = FormFields::parse(&body)?;
    let list = ListParams::from_form(&form);
    let ids: Vec<i64> = form.all("secili").filter_map(crate::input::id).collect();
    if ids.len() > MAX_BATCH {
        return Err(WebError::BadInput);
    }
    let back = |query: String| Ok(see_other(&format!("{}&{query}", list.url())));
    let (act, batch) = match batch_of(&state, &form) {
        Ok(_) if ids.is_empty() => return back("toplu=hata-secim".to_owned()),
        Ok(found) => found,
        Err(problem) => return back(format!("toplu=hata-{problem}")),
    };
    if matches!(batch, Batch::Unpublish | Batch::Trash) && form.get("confirm").is_none() {
        let fields = form.pairs().iter().filter(|(k, _)| k != "action" && k != "confirm").cloned().collect();
        let confirm = super::editing::Confirm {
            action: "/yonetim/toplu",
            back: &list.url(),
            act,
            button: state.theme().text(&format!("admin_batch_{act}")).to_owned(),
            question_key: &format!("admin_confirm_batch_{act}"),
            n: Some(ids.len()),
            name: None,
        };
        let page = super::editing::confirm_fields(&state, &staff, confirm, fields)?;
        return Ok((StatusCode::OK, page).into_response());
    }
    let BatchOutcome { done, skipped } = state.service().batch(&staff.actor(), &ids, &batch).await?;
    back(format!("toplu={act}&yapilan={}&atlanan={}", done.len(), skipped.len()))
}
