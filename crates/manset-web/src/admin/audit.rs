//! `/yonetim/kayitlar`: the audit log, newest first, for admins.

use crate::input::Query;
use axum::response::{IntoResponse, Response};
use manset_core::Action;
use serde::{Deserialize, Serialize};

use super::{Staff, render};
use crate::Snapshot;
use crate::error::WebError;
use crate::views::{DateView, Pagination};

const PER_PAGE: u32 = 100;

/// The kinds of entries one can filter on: the first part of the action code.
const KINDS: [&str; 11] =
    ["login", "2fa", "article", "comment", "user", "settings", "page", "front", "media", "category", "tag"];

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    tur: Option<String>,
    sayfa: Option<String>,
}

#[derive(Debug, Serialize)]
struct Row {
    date: DateView,
    actor: String,
    /// The action in words ("Haberi yayınladı").
    action: String,
    code: String,
    subject: String,
    detail: String,
    ip: String,
}

#[derive(Debug, Serialize)]
struct AuditPage {
    rows: Vec<Row>,
    kinds: Vec<(&'static str, String, bool)>,
    /// No filter chosen.
    all: bool,
    pagination: Pagination,
}

pub async fn index(state: Snapshot, staff: Staff, Query(query): Query<AuditQuery>) -> Result<Response, WebError> {
    staff.require(Action::ManageUsers)?;
    let kind = match query.tur.as_deref() {
        None | Some("") => None,
        Some(k) => Some(KINDS.into_iter().find(|x| *x == k).ok_or(WebError::NotFound)?),
    };
    let number = crate::input::page_number(query.sayfa.as_deref())?;
    let (entries, total) =
        state.store().audit_entries(kind, PER_PAGE, u64::from(number - 1) * u64::from(PER_PAGE)).await?;
    let theme = state.theme();
    let rows = entries
        .into_iter()
        .map(|e| {
            let key = format!("audit_{}", e.action.replace('.', "_"));
            let action = match theme.text(&key) {
                words if words != key => words.to_owned(),
                _ => e.action.clone(),
            };
            Row {
                date: DateView::new(e.at, state.site()),
                actor: e.actor,
                action,
                code: e.action,
                subject: e.subject,
                detail: e.detail,
                ip: e.ip.unwrap_or_default(),
            }
        })
        .collect();
    let base = format!("/yonetim/kayitlar?tur={}", kind.unwrap_or(""));
    let kinds =
        KINDS.iter().map(|k| (*k, theme.text(&format!("audit_kind_{k}")).to_owned(), Some(*k) == kind)).collect();
    let page_info = manset_core::Page::<()> { items: vec![], number, per_page: PER_PAGE, total };
    let page = AuditPage { rows, kinds, all: kind.is_none(), pagination: Pagination::with_query(&page_info, &base) };
    Ok(render(&state, "admin/audit.html", Some(&staff), "admin_audit_title", "audit", &page)?.into_response())
}
