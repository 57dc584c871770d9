//! `/yonetim/sayfalar`: static pages and the footer menu that links them.
//! The standard pages of a Turkish news site (Künye, Hakkımızda, İletişim)
//! start from templates in the translation files.

use crate::input::{Form, Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use manset_core::Action;
use manset_store::{PageInput, PageSaved, StaticPage};
use serde::{Deserialize, Serialize};

use super::{Flash, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{DateView, static_page_path};

/// The pages every news site should have: their slugs, which also name
/// their templates (`page_template_<slug>_title`, `…_body`).
const STANDARD: [&str; 3] = ["kunye", "hakkimizda", "iletisim"];

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    title: String,
    url: String,
    menu_position: Option<i64>,
    updated: DateView,
    /// Not public yet (an imported draft).
    draft: bool,
}

#[derive(Debug, Serialize)]
struct ListPage {
    rows: Vec<Row>,
    /// Standard pages not made yet: (template, title).
    missing: Vec<(&'static str, String)>,
    flash: Option<Flash>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    silindi: Option<String>,
}

pub async fn index(state: Snapshot, staff: Staff, Query(query): Query<ListQuery>) -> Result<Response, WebError> {
    staff.require(Action::ManagePages)?;
    let pages = state.store().static_pages().await?;
    let missing = STANDARD
        .into_iter()
        .filter(|slug| !pages.iter().any(|p| p.slug == *slug))
        .map(|slug| (slug, state.theme().text(&format!("page_template_{slug}_title")).to_owned()))
        .collect();
    let rows = pages
        .iter()
        .map(|p| Row {
            id: p.id,
            title: p.title.clone(),
            url: static_page_path(&p.slug),
            menu_position: p.menu_position,
            updated: DateView::new(p.modified_at, state.site()),
            draft: p.draft,
        })
        .collect();
    let flash = query.silindi.map(|_| Flash::success(&state, "admin_pages_deleted"));
    let page = ListPage { rows, missing, flash };
    Ok(render(&state, "admin/pages.html", Some(&staff), "admin_pages_title", "pages", &page)?.into_response())
}

/// The page form's values.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct PageForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    body: String,
    /// The checkbox: `on` when the page is in the footer menu.
    #[serde(default)]
    in_menu: Option<String>,
    #[serde(default)]
    menu_position: String,
    /// `save` or `delete`.
    #[serde(default, skip_serializing)]
    action: Option<String>,
    /// Present once a deletion was confirmed.
    #[serde(default)]
    confirm: Option<String>,
}

#[derive(Debug, Serialize)]
struct EditorPage {
    id: Option<i64>,
    action: String,
    public_url: Option<String>,
    values: PageForm,
    flash: Option<Flash>,
}

fn form_of(page: &StaticPage) -> PageForm {
    PageForm {
        title: page.title.clone(),
        slug: page.slug.clone(),
        body: page.body.clone(),
        in_menu: page.menu_position.map(|_| "on".to_owned()),
        menu_position: page.menu_position.map(|p| p.to_string()).unwrap_or_default(),
        action: None,
        confirm: None,
    }
}

fn show(
    state: &Snapshot,
    staff: &Staff,
    status: StatusCode,
    page: Option<&StaticPage>,
    values: PageForm,
    flash: Option<Flash>,
) -> Result<Response, WebError> {
    let view = EditorPage {
        id: page.map(|p| p.id),
        action: page.map_or("/yonetim/sayfalar/yeni".to_owned(), |p| format!("/yonetim/sayfalar/{}", p.id)),
        public_url: page.map(|p| static_page_path(&p.slug)),
        values,
        flash,
    };
    let html = render(state, "admin/page_editor.html", Some(staff), "admin_pages_title", "pages", &view)?;
    Ok((status, html).into_response())
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    /// A standard page's template: `kunye`, `hakkimizda`, `iletisim`.
    sablon: Option<String>,
}

pub async fn new(state: Snapshot, staff: Staff, Query(query): Query<NewQuery>) -> Result<Response, WebError> {
    staff.require(Action::ManagePages)?;
    let values = match query.sablon.as_deref().and_then(|t| STANDARD.iter().position(|x| *x == t)) {
        Some(i) => PageForm {
            title: state.theme().text(&format!("page_template_{}_title", STANDARD[i])).to_owned(),
            slug: STANDARD[i].to_owned(),
            body: state.theme().text(&format!("page_template_{}_body", STANDARD[i])).to_owned(),
            in_menu: Some("on".to_owned()),
            menu_position: (i + 1).to_string(),
            action: None,
            confirm: None,
        },
        None => PageForm::default(),
    };
    show(&state, &staff, StatusCode::OK, None, values, None)
}

#[derive(Debug, Deserialize)]
pub struct EditQuery {
    kaydedildi: Option<String>,
}

pub async fn edit(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<EditQuery>,
) -> Result<Response, WebError> {
    staff.require(Action::ManagePages)?;
    let page = state.store().static_page(id).await?.ok_or(WebError::NotFound)?;
    let flash = query.kaydedildi.map(|_| Flash::success(&state, "admin_pages_saved"));
    show(&state, &staff, StatusCode::OK, Some(&page), form_of(&page), flash)
}

pub async fn create(state: Snapshot, staff: Staff, Form(form): Form<PageForm>) -> Result<Response, WebError> {
    save(state, staff, None, form).await
}

pub async fn update(
    state: Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<PageForm>,
) -> Result<Response, WebError> {
    save(state, staff, Some(id), form).await
}

/// The page's place in the menu: none, the end (99), or the typed 0–999.
fn menu_position(form: &PageForm) -> Result<Option<i64>, ()> {
    if form.in_menu.is_none() {
        return Ok(None);
    }
    match form.menu_position.trim() {
        "" => Ok(Some(99)),
        n => n.parse::<i64>().ok().filter(|n| (0..=999).contains(n)).map(Some).ok_or(()),
    }
}

async fn save(state: Snapshot, staff: Staff, id: Option<i64>, form: PageForm) -> Result<Response, WebError> {
    staff.require(Action::ManagePages)?;
    let store = state.store();
    let existing = match id {
        Some(id) => Some(store.static_page(id).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    if let (Some(page), Some("delete"), None) = (&existing, form.action.as_deref(), &form.confirm) {
        let address = format!("/yonetim/sayfalar/{}", page.id);
        let confirm = super::editing::Confirm {
            action: &address,
            back: &address,
            act: "delete",
            button: state.theme().text("admin_pages_delete").to_owned(),
            question_key: "admin_confirm_page_delete",
            n: None,
            name: None,
        };
        return Ok(super::editing::confirm_fields(&state, &staff, confirm, Vec::new())?.into_response());
    }
    if let (Some(page), Some("delete")) = (&existing, form.action.as_deref()) {
        store.delete_static_page(page.id).await?;
        staff.audit(&state, "page.delete", &page.title, &static_page_path(&page.slug)).await;
        return Ok(see_other("/yonetim/sayfalar?silindi=1"));
    }
    let Ok(menu_position) = menu_position(&form) else {
        let flash = Flash::error(&state, "admin_pages_bad_position");
        return show(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, existing.as_ref(), form, Some(flash));
    };
    let input = PageInput {
        title: form.title.clone(),
        slug: Some(form.slug.clone()),
        body: form.body.replace("\r\n", "\n"),
        menu_position,
    };
    match store.save_static_page(id, &input, state.now()).await? {
        PageSaved::Saved { id: saved, slug } => {
            let code = if id.is_none() { "page.create" } else { "page.save" };
            staff.audit(&state, code, input.title.trim(), &static_page_path(&slug)).await;
            Ok(see_other(&format!("/yonetim/sayfalar/{saved}?kaydedildi=1")))
        }
        PageSaved::SlugTaken => {
            let flash = Flash::error(&state, "admin_pages_slug_taken");
            show(&state, &staff, StatusCode::CONFLICT, existing.as_ref(), form, Some(flash))
        }
        PageSaved::Invalid => {
            let flash = Flash::error(&state, "admin_pages_invalid");
            show(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, existing.as_ref(), form, Some(flash))
        }
    }
}
