//! Every route of the site, in one place.
//!
//! URLs are Turkish words and stable: `/haber/{slug}` (article),
//! `/kategori/{slug}`, `/etiket/{slug}`, `?sayfa=N` for later pages,
//! `POST /haber/{slug}/yorum` for comments; feeds at `…/rss` and `…/atom`;
//! `/sitemap.xml`, `/sitemap-news.xml`, `/robots.txt` for crawlers.

use axum::Router;
use axum::extract::State;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

use tower_http::compression::CompressionLayer;

use crate::error::{WebError, error_pages};
use crate::pages::{article, assets, author, category, comment, feed, home, search, sitemap, static_page, tag};
use crate::{AppState, http_cache};

/// The site's router, ready to serve.
/// How much the server takes on at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Requests handled at the same time; one more is answered 503 at once
    /// (with `Retry-After`) rather than queued until everything is slow.
    pub concurrent_requests: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { concurrent_requests: 1024 }
    }
}

/// Every route, with the default limits.
pub fn router(state: AppState) -> Router {
    router_with(state, Limits::default())
}

/// A router that remembers the addresses it was given, so that a test can
/// walk every route without a list anyone must remember to extend.
pub(crate) struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    pub(crate) fn new() -> Routes {
        Routes { router: Router::new(), paths: Vec::new() }
    }

    pub(crate) fn route(mut self, path: &'static str, method_router: MethodRouter<AppState>) -> Routes {
        self.paths.push(path);
        self.router = self.router.route(path, method_router);
        self
    }

    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        self.paths.extend(other.paths);
        self.router = self.router.merge(other.router);
        self
    }

    /// The same routes with a layer (or anything else) around them.
    pub(crate) fn map(mut self, f: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Routes {
        self.router = f(self.router);
        self
    }
}

/// Every route of the site, the newsroom's included.
fn table() -> Routes {
    Routes::new()
        .route("/", get(home::show))
        .route("/haber/{slug}", get(article::show))
        .route("/haber/{slug}/yorum", post(comment::create))
        .route("/haber/{slug}/yorumlar/rss", get(feed::comments_rss))
        .route("/rss", get(feed::site_rss))
        .route("/atom", get(feed::site_atom))
        .route("/kategori/{slug}/rss", get(feed::category_rss))
        .route("/kategori/{slug}/atom", get(feed::category_atom))
        .route("/etiket/{slug}/rss", get(feed::tag_rss))
        .route("/etiket/{slug}/atom", get(feed::tag_atom))
        .route("/yazar/{slug}", get(author::show))
        .route("/yazar/{slug}/rss", get(feed::author_rss))
        .route("/yazar/{slug}/atom", get(feed::author_atom))
        .route("/kategori/{slug}", get(category::show))
        .route("/etiket/{slug}", get(tag::show))
        .route("/sayfa/{slug}", get(static_page::show))
        .route("/ara", get(search::show))
        .route("/static/{*name}", get(assets::show))
        .route("/medya/{*path}", get(crate::media::show))
        .route("/robots.txt", get(sitemap::robots))
        .route("/.well-known/security.txt", get(crate::security::security_txt))
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemap-news.xml", get(sitemap::news))
        .route("/sitemap-{file}", get(sitemap::child))
        .merge(crate::admin::routes())
}

/// The address pattern of every route (`/haber/{slug}`, …), in the order
/// they were added; for tests that must cover every route.
#[doc(hidden)]
pub fn route_paths() -> Vec<&'static str> {
    table().paths
}

/// Every route.
pub fn router_with(state: AppState, limits: Limits) -> Router {
    let routes = table()
        .router
        .fallback(crate::pages::legacy::fallback)
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state.clone(), error_pages))
        .layer(middleware::map_response_with_state(state.clone(), security_headers))
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(middleware::from_fn(http_cache::conditional))
        .with_state(state.clone());
    // Around the whole router, not per route (`Router::layer` would give each
    // route a limit of its own).
    let limited = tower::ServiceBuilder::new()
        .layer(axum::error_handling::HandleErrorLayer::new(overloaded))
        .load_shed()
        .concurrency_limit(limits.concurrent_requests.max(1))
        .service(routes);
    // Outside the limit: a page served from the cache costs next to nothing
    // and is never refused.
    Router::new().fallback_service(limited).layer(middleware::from_fn_with_state(state, crate::page_cache::serve))
}

/// The answer when every request slot is taken: short, cheap, and saying
/// when to come back.
async fn overloaded(_: tower::BoxError) -> Response {
    let mut response = (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "Site şu anda çok yoğun; lütfen birkaç saniye sonra yeniden deneyin.\n\
         The site is very busy; please try again in a few seconds.\n",
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
    headers.insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response
}

/// Headers every response carries: the security policy of the settings.
async fn security_headers(State(state): State<AppState>, mut response: Response) -> Response {
    crate::security::apply(&state.security(), &mut response);
    response
}
