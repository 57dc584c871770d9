//! `/yonetim`: the newsroom's desk. What needs attention (articles in
//! review, what is scheduled, the comment queue), then every article,
//! filtered by status, category and byline, searchable and paginated.

use crate::input::Query;
use axum::response::Html;
use jiff::Timestamp;
use manset_core::Action;
use manset_store::{NewsroomArticle, NewsroomCounts, NewsroomFilter, Taxonomy};
use serde::{Deserialize, Serialize};

use super::{Staff, render};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{DateView, Pagination, article_path};

/// Articles per page of the list.
const PER_PAGE: u32 = 50;
/// Statuses one can filter on, in workflow order.
const STATUSES: [&str; 5] = ["draft", "review", "scheduled", "published", "unpublished"];

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    headline: String,
    url: Option<String>,
    status: &'static str,
    category: String,
    date: DateView,
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
    search: String,
    filtered: bool,
    pagination: Pagination,
}

#[derive(Debug, Serialize)]
struct CountsView {
    draft: u64,
    review: u64,
    scheduled: u64,
    published: u64,
    unpublished: u64,
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
            pending_comments: c.pending_comments,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    durum: Option<String>,
    kategori: Option<String>,
    yazar: Option<String>,
    ara: Option<String>,
    sayfa: Option<String>,
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
                date: DateView::new(a.published_at, state.site()),
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
fn id_param(value: &Option<String>) -> Result<Option<i64>, WebError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| WebError::NotFound),
    }
}

/// The filter's choices (statuses, categories, authors), the current ones selected.
async fn choices(
    state: &Snapshot,
    status: Option<&str>,
    filter: &NewsroomFilter,
) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), WebError> {
    let theme = state.theme();
    let statuses = STATUSES
        .iter()
        .map(|s| Choice {
            value: (*s).to_owned(),
            name: theme.text(&format!("admin_status_{s}")).to_owned(),
            selected: status == Some(*s),
        })
        .collect();
    let categories = state
        .store()
        .taxonomy(Taxonomy::Category)
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
    Ok((statuses, categories, authors))
}

pub async fn show(state: Snapshot, staff: Staff, Query(query): Query<ListQuery>) -> Result<Html<String>, WebError> {
    let now = state.now();
    let store = state.store();
    let status = match query.durum.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(STATUSES.into_iter().find(|x| *x == s).ok_or(WebError::NotFound)?),
    };
    let filter = NewsroomFilter {
        status: status.map(str::to_owned),
        category_id: id_param(&query.kategori)?,
        author_id: id_param(&query.yazar)?,
        search: query.ara.clone().filter(|s| !s.trim().is_empty()),
        visible_to: None,
    };
    let filtered = filter != NewsroomFilter::default();
    // Who may not edit others' work sees only their own and what is public.
    let visible_to = (!staff.user.role.may(Action::EditAnyArticle)).then_some(staff.user.id);
    let filter = NewsroomFilter { visible_to, ..filter };
    let number = crate::input::page_number(query.sayfa.as_deref())?;
    let (articles, total) =
        store.newsroom_list(&filter, now, PER_PAGE, u64::from(number - 1) * u64::from(PER_PAGE)).await?;
    let of_status = |s: &str| NewsroomFilter { status: Some(s.to_owned()), visible_to, ..NewsroomFilter::default() };
    let (review, _) = store.newsroom_list(&of_status("review"), now, 10, 0).await?;
    let (mut scheduled, _) = store.newsroom_list(&of_status("scheduled"), now, 100, 0).await?;
    scheduled.reverse();
    scheduled.truncate(10);

    let (statuses, categories, authors) = choices(&state, status, &filter).await?;
    let search = filter.search.clone().unwrap_or_default();
    let base = format!(
        "/yonetim?durum={}&kategori={}&yazar={}&ara={}",
        status.unwrap_or(""),
        filter.category_id.map(|i| i.to_string()).unwrap_or_default(),
        filter.author_id.map(|i| i.to_string()).unwrap_or_default(),
        manset_text::percent::encode(&search)
    );
    let info = manset_core::Page::<()> { items: vec![], number, per_page: PER_PAGE, total };
    let page = Dashboard {
        counts: store.newsroom_counts(now).await?.into(),
        review: rows(&review, &state, now),
        scheduled: rows(&scheduled, &state, now),
        can_moderate: staff.user.role.may(Action::ModerateComments),
        articles: with_editors(&state, rows(&articles, &state, now)).await?,
        total,
        statuses,
        categories,
        authors,
        filtered,
        search,
        pagination: Pagination::with_query(&info, &base),
    };
    render(&state, "admin/dashboard.html", Some(&staff), "admin_articles_title", "articles", &page)
}
