//! `/yonetim/kategoriler` and `/yonetim/etiketler`: categories (with their
//! menu order) and tags. A rename that changes the address keeps the old
//! one redirecting (308), pages and feeds alike.

use crate::input::{Form, Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use manset_core::Action;
use manset_store::{Taxonomy, TaxonomyDeleted, TaxonomyItem, TaxonomySaved};
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{category_path, tag_path};

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
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    tamam: Option<String>,
}

async fn screen(
    state: &Snapshot,
    staff: &Staff,
    kind: Taxonomy,
    status: StatusCode,
    flash: Option<Flash>,
) -> Result<Response, WebError> {
    let items: Vec<TaxonomyItem> = state.store().taxonomy(kind).await?;
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
    let page = TaxonomyPage { kind: code(kind), action: base(kind), rows, flash };
    let html = render(state, "admin/taxonomy.html", Some(staff), title, section, &page)?;
    Ok((status, html).into_response())
}

async fn index(state: Snapshot, staff: Staff, kind: Taxonomy, query: DoneQuery) -> Result<Response, WebError> {
    staff.require(Action::EditAnyArticle)?;
    let flash = query.tamam.map(|_| Flash::success(&state, "admin_taxonomy_saved"));
    screen(&state, &staff, kind, StatusCode::OK, flash).await
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
    /// `save` (default) or `delete`.
    action: Option<String>,
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
    let refuse = |status, key: &str| screen(&state, &staff, kind, status, Some(Flash::error(&state, key)));
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
