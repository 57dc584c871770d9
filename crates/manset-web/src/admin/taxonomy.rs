//! `/yonetim/kategoriler` and `/yonetim/etiketler`: categories (with their
//! menu order) and tags (searched and paged: an import brings thousands). A
//! rename that changes the address keeps the old one redirecting (308),
//! pages and feeds alike; so does a tag merged into another. Deleting and
//! merging ask first.

use crate::input::{Form, Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use manset_core::Action;
use manset_store::{TagsMerged, Taxonomy, TaxonomyDeleted, TaxonomyItem, TaxonomySaved};
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{Pagination, category_path, tag_path};

/// Tags per page of the list.
const TAGS_PER_PAGE: u32 = 100;

fn base(kind: Taxonomy) -> &'static str {
    match kind {
        Taxonomy::Category => "/yonetim/kategoriler",
        Taxonomy::Tag => "/yonetim/etiketler",
    }
}

fn code(kind: Taxonomy) -> &'static str {
    match kind {
        Taxonomy::Category => "category",
        Taxonomy::Tag => "tag",
    }
}

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    name: String,
    slug: String,
    url: String,
    position: i64,
    articles: u64,
}

#[derive(Debug, Serialize)]
struct TaxonomyPage {
    /// `category` or `tag`.
    kind: &'static str,
    action: &'static str,
    rows: Vec<Row>,
    flash: Option<Flash>,
    /// Tags: the words searched for, how many match, the pages.
    search: String,
    total: u64,
    pagination: Option<Pagination>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    tamam: Option<String>,
    /// After a merge: how many articles moved to the kept tag.
    birlesti: Option<String>,
    ara: Option<String>,
    sayfa: Option<String>,
}

async fn screen(
    state: &Snapshot,
    staff: &Staff,
    kind: Taxonomy,
    status: StatusCode,
    flash: Option<Flash>,
    query: &DoneQuery,
) -> Result<Response, WebError> {
    let search = query.ara.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let (items, total, pagination) = match kind {
        Taxonomy::Category => {
            let items: Vec<TaxonomyItem> = state.store().taxonomy(kind).await?;
            let total = items.len() as u64;
            (items, total, None)
        }
        Taxonomy::Tag => {
            let number = crate::input::page_number(query.sayfa.as_deref())?;
            let offset = u64::from(number - 1) * u64::from(TAGS_PER_PAGE);
            let found = Some(search.as_str()).filter(|s| !s.is_empty());
            let (items, total) = state.store().tags_page(found, TAGS_PER_PAGE, offset).await?;
            let info = manset_core::Page::<()> { items: vec![], number, per_page: TAGS_PER_PAGE, total };
            let base = format!("{}?ara={}", base(kind), manset_text::percent::encode(&search));
            (items, total, Some(Pagination::with_query(&info, &base)))
        }
    };
    let rows = items
        .into_iter()
        .map(|i| Row {
            url: if kind == Taxonomy::Category { category_path(&i.slug) } else { tag_path(&i.slug) },
            id: i.id,
            name: i.name,
            slug: i.slug,
            position: i.position,
            articles: i.articles,
        })
        .collect();
    let (title, section) = match kind {
        Taxonomy::Category => ("admin_categories_title", "categories"),
        Taxonomy::Tag => ("admin_tags_title", "tags"),
    };
    let page = TaxonomyPage { kind: code(kind), action: base(kind), rows, flash, search, total, pagination };
    let html = render(state, "admin/taxonomy.html", Some(staff), title, section, &page)?;
    Ok((status, html).into_response())
}

async fn index(state: Snapshot, staff: Staff, kind: Taxonomy, query: DoneQuery) -> Result<Response, WebError> {
    staff.require(Action::EditAnyArticle)?;
    let flash = match (&query.tamam, query.birlesti.as_deref().and_then(|n| n.parse::<u64>().ok())) {
        (_, Some(n)) => Some(Flash {
            kind: "success",
            text: state.theme().text("admin_tags_merged").replace("{n}", &n.to_string()),
        }),
        (Some(_), None) => Some(Flash::success(&state, "admin_taxonomy_saved")),
        _ => None,
    };
    screen(&state, &staff, kind, StatusCode::OK, flash, &query).await
}

pub async fn categories(state: Snapshot, staff: Staff, Query(q): Query<DoneQuery>) -> Result<Response, WebError> {
    index(state, staff, Taxonomy::Category, q).await
}

pub async fn tags(state: Snapshot, staff: Staff, Query(q): Query<DoneQuery>) -> Result<Response, WebError> {
    index(state, staff, Taxonomy::Tag, q).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    position: String,
    /// Tags: the name (or address) of the tag to merge this one into.
    #[serde(default)]
    into: String,
    /// `save` (default), `delete` or `merge`.
    action: Option<String>,
    /// Present once a delete or merge was confirmed.
    confirm: Option<String>,
}

async fn save(
    state: Snapshot,
    staff: Staff,
    kind: Taxonomy,
    id: Option<i64>,
    form: ItemForm,
) -> Result<Response, WebError> {
    staff.require(Action::EditAnyArticle)?;
    let store = state.store();
    let first_page = DoneQuery::default();
    let refuse = |status, key: &str| screen(&state, &staff, kind, status, Some(Flash::error(&state, key)), &first_page);
    if let (Some(id), Some(act @ ("delete" | "merge")), None) = (id, form.action.as_deref(), &form.confirm) {
        return ask(&state, &staff, kind, id, act, &form).await;
    }
    if let (Taxonomy::Tag, Some(from), Some("merge")) = (kind, id, form.action.as_deref()) {
        let Some(into) = store.tag_named(&form.into).await? else {
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, "admin_tags_merge_unknown").await;
        };
        return match store.merge_tags(from, into.id).await? {
            TagsMerged::Merged { articles } => {
                search_follows(&state).await;
                staff.audit(&state, "tag.merge", &format!("#{from}"), &format!("#{} {}", into.id, into.name)).await;
                Ok(see_other(&format!("{}?birlesti={articles}", base(kind))))
            }
            TagsMerged::Same => refuse(StatusCode::UNPROCESSABLE_ENTITY, "admin_tags_merge_same").await,
            TagsMerged::NotFound => Err(WebError::NotFound),
        };
    }
    if let (Some(id), Some("delete")) = (id, form.action.as_deref()) {
        return match store.delete_taxonomy(kind, id).await? {
            TaxonomyDeleted::Deleted => {
                search_follows(&state).await;
                staff.audit(&state, &format!("{}.delete", code(kind)), &format!("#{id}"), "").await;
                Ok(done(kind))
            }
            TaxonomyDeleted::InUse(_) => refuse(StatusCode::CONFLICT, "admin_taxonomy_in_use").await,
            TaxonomyDeleted::NotFound => Err(WebError::NotFound),
        };
    }
    let position = match form.position.trim() {
        "" => 0,
        n => match n.parse::<i64>() {
            Ok(n) if (0..=999).contains(&n) => n,
            _ => return refuse(StatusCode::UNPROCESSABLE_ENTITY, "admin_taxonomy_bad_position").await,
        },
    };
    let slug = Some(form.slug.as_str()).filter(|s| !s.trim().is_empty());
    match store.save_taxonomy(kind, id, &form.name, slug, position, state.now()).await? {
        TaxonomySaved::Saved { slug, .. } => {
            search_follows(&state).await;
            let action = if id.is_some() { "rename" } else { "create" };
            staff.audit(&state, &format!("{}.{action}", code(kind)), form.name.trim(), &slug).await;
            Ok(done(kind))
        }
        TaxonomySaved::SlugTaken => refuse(StatusCode::CONFLICT, "admin_taxonomy_slug_taken").await,
        TaxonomySaved::Invalid => refuse(StatusCode::UNPROCESSABLE_ENTITY, "admin_taxonomy_invalid").await,
        TaxonomySaved::NotFound => Err(WebError::NotFound),
    }
}

/// "Are you sure?" before deleting a category or tag, or merging a tag.
async fn ask(
    state: &Snapshot,
    staff: &Staff,
    kind: Taxonomy,
    id: i64,
    act: &str,
    form: &ItemForm,
) -> Result<Response, WebError> {
    let address = format!("{}/{id}", base(kind));
    let key = match (kind, act) {
        (Taxonomy::Tag, "merge") => "admin_confirm_tag_merge",
        (Taxonomy::Tag, _) => "admin_confirm_tag_delete",
        (Taxonomy::Category, _) => "admin_confirm_category_delete",
    };
    let confirm = super::editing::Confirm {
        action: &address,
        back: base(kind),
        act,
        button: state.theme().text(&format!("admin_taxonomy_{act}")).to_owned(),
        question_key: key,
        n: None,
        name: Some(form.into.trim()),
    };
    let fields = vec![("into".to_owned(), form.into.trim().to_owned())];
    let page = super::editing::confirm_fields(state, staff, confirm, fields)?;
    Ok((StatusCode::OK, page).into_response())
}

/// Search finds articles by their tags' names: the index takes a rename or
/// a deletion (its articles are in the change log) before the editor's next
/// request, as it does an article's save. Should it fail, the change is
/// stored and the server's regular catch-up brings it within seconds.
async fn search_follows(state: &Snapshot) {
    if let Err(e) = state.catch_up_search().await {
        tracing::warn!("search index: cannot take in a category or tag change yet: {e}");
    }
}

fn done(kind: Taxonomy) -> Response {
    see_other(&format!("{}?tamam=1", base(kind)))
}

pub async fn create_category(state: Snapshot, staff: Staff, Form(form): Form<ItemForm>) -> Result<Response, WebError> {
    save(state, staff, Taxonomy::Category, None, form).await
}

pub async fn update_category(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<ItemForm>,
) -> Result<Response, WebError> {
    save(state, staff, Taxonomy::Category, Some(id), form).await
}

pub async fn create_tag(state: Snapshot, staff: Staff, Form(form): Form<ItemForm>) -> Result<Response, WebError> {
    save(state, staff, Taxonomy::Tag, None, form).await
}

pub async fn update_tag(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<ItemForm>,
) -> Result<Response, WebError> {
    save(state, staff, Taxonomy::Tag, Some(id), form).await
}
