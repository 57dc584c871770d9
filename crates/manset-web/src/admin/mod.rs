//! The newsroom under `/yonetim`: login, the article list, password change,
//! accounts. Server-rendered, no JavaScript needed.
//!
//! Invariants: every handler takes a [`Staff`] (a live session) except the
//! login form; every permission is asked of `Role::may` on the server; every
//! POST has passed `origin::guard`, the router's layer; every answer is
//! `noindex` and `no-store`.

mod audit;
mod comments;
mod dashboard;
mod editing;
mod editor;
mod front;
mod guard;
mod login;
mod media;
mod password;
mod preview;
mod settings;
mod static_pages;
mod taxonomy;
mod two_factor;
mod users;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use manset_core::{Action, User};
use serde::Serialize;

use crate::cookies;
use crate::error::WebError;
use crate::{AppState, Snapshot};
use manset_service::accounts;

/// Session cookie name.
pub const SESSION_COOKIE: &str = "manset_session";
/// A session ends this long after login, whatever happens.
pub const SESSION_SECONDS: i64 = 14 * 24 * 3600;
/// A session ends after this long without a request.
pub const IDLE_SECONDS: i64 = 2 * 24 * 3600;

/// The newsroom's routes, mounted under `/yonetim`.
pub(crate) fn routes() -> crate::router::Routes {
    crate::router::Routes::new()
        .route("/yonetim", get(dashboard::show))
        .route("/yonetim/toplu", post(dashboard::batch))
        .route("/yonetim/giris", get(login::show).post(login::create))
        .route("/yonetim/cikis", post(login::delete))
        .route("/yonetim/giris/kod", post(login::code))
        .route("/yonetim/parola", get(password::show).post(password::update))
        .route("/yonetim/iki-adim", get(two_factor::show).post(two_factor::enable))
        .route("/yonetim/iki-adim/kapat", post(two_factor::disable))
        .route("/yonetim/kullanicilar", get(users::index).post(users::create))
        .route("/yonetim/kullanicilar/{id}", post(users::change))
        .route("/yonetim/haber/yeni", get(editor::new).post(editor::create))
        .route("/yonetim/haber/{id}", get(editor::edit).post(editor::update))
        .route("/yonetim/haber/{id}/surumler", get(editor::revisions))
        .route("/yonetim/haber/{id}/onizleme", get(preview::show))
        .route("/yonetim/haber/{id}/onizleme/sayfa", get(preview::page))
        .route("/yonetim/haber/{id}/paylas", post(preview::share))
        .route("/yonetim/haber/{id}/burada", post(editing::here))
        .route("/yonetim/haber/{id}/ayrildi", post(editing::gone))
        .route("/yonetim/haber/{id}/otomatik/sil", post(editing::discard))
        .route("/yonetim/haber/{id}/surumler/{number}", post(editor::restore))
        .route("/yonetim/onizleme", post(editor::preview))
        .route("/yonetim/yorumlar", get(comments::index).post(comments::moderate))
        .route("/yonetim/yorumlar/{id}/yanit", post(comments::reply))
        .route("/yonetim/kayitlar", get(audit::index))
        .route("/yonetim/ayarlar", get(settings::show).post(settings::update))
        .route("/yonetim/anasayfa", get(front::show).post(front::update))
        .route(
            "/yonetim/medya",
            get(media::index).post(media::upload).layer(axum::extract::DefaultBodyLimit::max(media::BODY_LIMIT)),
        )
        .route("/yonetim/medya/{id}", get(media::show).post(media::update))
        .route("/yonetim/kategoriler", get(taxonomy::categories).post(taxonomy::create_category))
        .route("/yonetim/kategoriler/{id}", post(taxonomy::update_category))
        .route("/yonetim/etiketler", get(taxonomy::tags).post(taxonomy::create_tag))
        .route("/yonetim/etiketler/{id}", post(taxonomy::update_tag))
        .route("/yonetim/sayfalar", get(static_pages::index))
        .route("/yonetim/sayfalar/yeni", get(static_pages::new).post(static_pages::create))
        .route("/yonetim/sayfalar/{id}", get(static_pages::edit).post(static_pages::update))
        .map(|router| router.layer(middleware::map_response(private)))
}

/// Admin answers are for one person: never indexed, never cached.
async fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    response
}

/// Where a member whose role must use two-factor sign-in goes until they
/// have set it up; these and logging out are all they may open meanwhile.
pub const TWO_FACTOR_PAGE: &str = "/yonetim/iki-adim";
const OPEN_BEFORE_TWO_FACTOR: [&str; 3] = [TWO_FACTOR_PAGE, "/yonetim/iki-adim/kapat", "/yonetim/cikis"];

/// A logged-in newsroom member, from the session cookie. A member whose
/// role must use two-factor sign-in (`security.two_factor_roles`) and has
/// not set it up is no `Staff` but on the two-factor page: every newsroom
/// page sends them there.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    /// Whether the member signs in with a TOTP code too.
    pub two_factor: bool,
    pub token_hash: String,
    /// The address the request came from, for the audit log.
    pub ip: std::net::IpAddr,
}

impl Staff {
    /// `Ok` when the role may do `action`, else a 403 page.
    pub fn require(&self, action: Action) -> Result<(), WebError> {
        if self.user.role.may(action) { Ok(()) } else { Err(WebError::NotAllowed) }
    }

    /// This member as the service knows them: who acts, from where.
    pub fn actor(&self) -> manset_service::Actor {
        manset_service::Actor { user: self.user.clone(), ip: Some(self.ip) }
    }

    /// Writes what this member just did into the audit log (see
    /// `Service::audit`).
    pub async fn audit(&self, state: &Snapshot, action: &str, subject: &str, detail: &str) {
        state.service().audit(&self.actor(), action, subject, detail).await;
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let snapshot = Snapshot::of(&parts.extensions, state);
        let back = parts.uri.path_and_query().map_or("/yonetim".to_owned(), |p| p.as_str().to_owned());
        let Some(token) = cookies::get(&parts.headers, SESSION_COOKIE) else {
            return Err(WebError::LoginRequired(back));
        };
        let token_hash = accounts::token_hash(token);
        let crate::client_ip::ClientIp(ip) =
            crate::client_ip::ClientIp::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        let Some(session) = state.store().session_user(&token_hash, snapshot.now(), IDLE_SECONDS).await? else {
            return Err(WebError::LoginRequired(back));
        };
        if !session.two_factor
            && snapshot.security().requires_two_factor(session.user.role)
            && !OPEN_BEFORE_TWO_FACTOR.contains(&parts.uri.path())
        {
            return Err(WebError::TwoFactorFirst);
        }
        Ok(Staff { user: session.user, two_factor: session.two_factor, token_hash, ip })
    }
}

/// What every admin page has around its content.
#[derive(Debug, Serialize)]
pub struct AdminChrome {
    pub title: String,
    /// The logged-in member, if any (not on the login page).
    pub user: Option<User>,
    /// Whether to show the accounts and audit log links.
    pub can_manage_users: bool,
    /// Whether to show the comment queue link.
    pub can_moderate: bool,
    /// Whether to show the pages and front page links.
    pub can_edit_site: bool,
    /// Whether to show the categories and tags links.
    pub can_edit_any: bool,
    /// The current section, to mark in the menu.
    pub section: &'static str,
}

#[derive(Serialize)]
struct AdminDocument<'a, P: Serialize> {
    chrome: AdminChrome,
    page: &'a P,
}

/// Renders an admin template with its chrome.
pub fn render<P: Serialize>(
    state: &Snapshot,
    template: &str,
    staff: Option<&Staff>,
    title_key: &str,
    section: &'static str,
    page: &P,
) -> Result<Html<String>, WebError> {
    let chrome = AdminChrome {
        title: state.theme().text(title_key).to_owned(),
        user: staff.map(|s| s.user.clone()),
        can_manage_users: staff.is_some_and(|s| s.user.role.may(Action::ManageUsers)),
        can_moderate: staff.is_some_and(|s| s.user.role.may(Action::ModerateComments)),
        can_edit_site: staff.is_some_and(|s| s.user.role.may(Action::ManagePages)),
        can_edit_any: staff.is_some_and(|s| s.user.role.may(Action::EditAnyArticle)),
        section,
    };
    Ok(Html(state.theme().render(template, &AdminDocument { chrome, page })?))
}

/// A posted form read as name/value pairs, for forms whose fields repeat
/// (`ids=1&ids=2`) or have dotted names.
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    /// Reads a form body; a body that is not a form is 422.
    pub fn parse(body: &str) -> Result<FormFields, WebError> {
        serde_urlencoded::from_str(body).map(FormFields).map_err(|_| WebError::BadInput)
    }

    /// The first value of `name`, trimmed, if not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The pairs, as posted.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// `303 See Other` to `to`: where a form's POST sends the browser next.
pub fn see_other(to: &str) -> Response {
    let mut response = axum::response::Redirect::to(to).into_response();
    *response.status_mut() = axum::http::StatusCode::SEE_OTHER;
    response
}

/// A message at the top of an admin page.
#[derive(Debug, Clone, Serialize)]
pub struct Flash {
    /// `error` or `success`.
    pub kind: &'static str,
    pub text: String,
}

impl Flash {
    pub fn error(state: &Snapshot, key: &str) -> Flash {
        Flash { kind: "error", text: state.theme().text(key).to_owned() }
    }

    pub fn success(state: &Snapshot, key: &str) -> Flash {
        Flash { kind: "success", text: state.theme().text(key).to_owned() }
    }
}
