//! `/yonetim/ayarlar`: the site's settings for admins: name, description,
//! logo, language, time zone, the comment policy, feeds and uploads, the
//! security headers and which roles must use two-factor sign-in. Saved
//! settings take effect with the next request, without a restart.

use crate::input::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use manset_core::Action;
use manset_core::settings::{SETTINGS, parse_bool, spec};
use serde::{Deserialize, Serialize};

use super::{Flash, FormFields, Staff, render, see_other};
use crate::Snapshot;
use crate::error::WebError;

/// The settings on the screen, in order; the checkboxes among them.
const FIELDS: [&str; 16] = [
    "site.name",
    "site.description",
    "site.lang",
    "site.timezone",
    "site.logo",
    "comments.hold_all",
    "comments.max_depth",
    "comments.rate_per_minute",
    "comments.min_seconds",
    "comments.held_words",
    "feeds.full_text",
    "media.max_megabytes",
    "security.frame_ancestors",
    "security.hsts",
    "security.contact",
    "security.two_factor_roles",
];
const CHECKBOXES: [&str; 3] = ["comments.hold_all", "feeds.full_text", "security.hsts"];

#[derive(Debug, Serialize)]
struct Field {
    key: &'static str,
    /// `site_name` for ids and translation keys.
    id: String,
    value: String,
    /// What applies when the field is left empty (the flag given to `serve`).
    placeholder: String,
    checkbox: bool,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct SettingsPage {
    fields: Vec<Field>,
    flash: Option<Flash>,
}

#[derive(Debug, Deserialize)]
pub struct SettingsQuery {
    kaydedildi: Option<String>,
}

fn id_of(key: &str) -> String {
    key.replace('.', "_")
}

async fn screen(
    state: &Snapshot,
    staff: &Staff,
    status: StatusCode,
    typed: Option<&[(String, String)]>,
    errors: &[(&'static str, String)],
    flash: Option<Flash>,
) -> Result<Response, WebError> {
    let stored = state.store().settings().await?;
    let fields = FIELDS
        .iter()
        .map(|key| {
            let from = |pairs: &[(String, String)]| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            let checkbox = CHECKBOXES.contains(key);
            let value = match typed {
                Some(form) if checkbox => if from(form).is_some() { "true" } else { "false" }.to_owned(),
                Some(form) => from(form).unwrap_or_default(),
                None => from(&stored).unwrap_or_else(|| {
                    if checkbox { spec(key).map_or("", |s| s.default).to_owned() } else { String::new() }
                }),
            };
            let placeholder = match *key {
                "site.name" => site_base(state).name,
                "site.lang" => site_base(state).lang.tag().to_owned(),
                "site.timezone" => site_base(state).time_zone.iana_name().unwrap_or("UTC").to_owned(),
                other => spec(other).map_or("", |s| s.default).to_owned(),
            };
            Field {
                key,
                id: id_of(key),
                value,
                placeholder,
                checkbox,
                error: errors.iter().find(|(k, _)| k == key).map(|(_, e)| e.clone()),
            }
        })
        .collect();
    let page = SettingsPage { fields, flash };
    let html = render(state, "admin/settings.html", Some(staff), "admin_settings_title", "settings", &page)?;
    Ok((status, html).into_response())
}

/// The site as `serve` started it, before the settings.
fn site_base(state: &Snapshot) -> crate::SiteConfig {
    state.inner.base.clone()
}

pub async fn show(state: Snapshot, staff: Staff, Query(query): Query<SettingsQuery>) -> Result<Response, WebError> {
    staff.require(Action::ManageSettings)?;
    let flash = query.kaydedildi.map(|_| Flash::success(&state, "admin_settings_saved"));
    screen(&state, &staff, StatusCode::OK, None, &[], flash).await
}

pub async fn update(
    state: Snapshot,
    staff: Staff,
    crate::input::Text(body): crate::input::Text,
) -> Result<Response, WebError> {
    staff.require(Action::ManageSettings)?;
    let fields = FormFields::parse(&body)?;
    let form = fields.pairs();
    // Check everything first: a bad value saves nothing.
    let changes = match checked(&state, form).await? {
        Ok(changes) => changes,
        Err(errors) => {
            let flash = Flash::error(&state, "admin_settings_fix");
            return screen(&state, &staff, StatusCode::UNPROCESSABLE_ENTITY, Some(form), &errors, Some(flash)).await;
        }
    };
    let changed = apply(&state, changes).await?;
    if changed.iter().any(|k| k.starts_with("site.") || k.starts_with("security.")) {
        state.reconfigure().await.map_err(|e| WebError::Internal(Box::new(e)))?;
    }
    if changed.contains(&"site.lang") {
        // Articles that name no language are analyzed anew, before the answer.
        state.catch_up_search().await.map_err(|e| WebError::Internal(Box::new(e)))?;
    }
    if !changed.is_empty() {
        staff.audit(&state, "settings.change", &changed.join(", "), "").await;
    }
    Ok(see_other("/yonetim/ayarlar?kaydedildi=1"))
}

/// A setting as the form sets it: a value, or back to its default.
type Change = (&'static str, Option<String>);

/// The form's settings, each checked; `Err` with a message per bad field.
async fn checked(
    state: &Snapshot,
    form: &[(String, String)],
) -> Result<Result<Vec<Change>, Vec<(&'static str, String)>>, WebError> {
    let value = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_owned());
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    for key in FIELDS {
        let new = if CHECKBOXES.contains(&key) {
            Some(if value(key).is_some_and(|v| parse_bool(&v) != Some(false)) { "true" } else { "false" }.to_owned())
        } else {
            value(key).filter(|v| !v.is_empty())
        };
        let Some(spec) = SETTINGS.iter().find(|s| s.key == key) else { continue };
        if let Some(v) = &new {
            let mut ok = spec.check(v).is_ok();
            if ok && key == "site.timezone" {
                ok = jiff::tz::TimeZone::get(v).is_ok();
            }
            if ok && key == "site.logo" {
                let found = state.store().media_by_paths(&[v.as_str()]).await?;
                ok = found.iter().any(|m| m.renditions.iter().any(|r| r.path == *v));
            }
            if !ok {
                errors.push((key, state.theme().text(&format!("settings_error_{}", id_of(key))).to_owned()));
                continue;
            }
        }
        changes.push((key, new));
    }
    Ok(if errors.is_empty() { Ok(changes) } else { Err(errors) })
}

/// Writes the settings that differ from what is in force; returns their keys.
async fn apply(state: &Snapshot, changes: Vec<Change>) -> Result<Vec<&'static str>, WebError> {
    let store = state.store();
    let before = store.settings().await?;
    let old = |key: &str| before.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let mut changed = Vec::new();
    for (key, new) in changes {
        // Compared as they take effect: writing down a default is no change.
        let default = spec(key).map(|s| s.default.to_owned()).filter(|d| !d.is_empty());
        if old(key).or_else(|| default.clone()) == new.clone().or(default) {
            continue;
        }
        match &new {
            Some(v) => store.set_setting(key, v).await?,
            None => store.clear_setting(key).await?,
        }
        changed.push(key);
    }
    Ok(changed)
}
