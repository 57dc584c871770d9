//! Every route of the site, in one place.
//!
//! URLs are Turkish words and stable: `/haber/{slug}` (article),
//! `/kategori/{slug}`, `/etiket/{slug}`, `?sayfa=N` for later pages,
//! `POST /haber/{slug}/yorum` for comments; syndication feeds at `…/rss` and `…/atom`;
//! `/sitemap.xml`, `/sitemap-news.xml`, `/robots.txt` for crawlers.

use axum::Router;
use axum::extract::State;
use axum::middleware;
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};

use tower_http::compression::CompressionLayer;

use crate::error::{WebError, error_pages};
use crate::limits::Limits;
use crate::pages::{article, assets, author, category, comment, home, search, sitemap, static_page, syndication, tag};
use crate::{AppState, http_cache};

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
        .route("/onizleme/{token}", get(crate::pages::preview::shared))
        .route("/haber/{slug}/yorum", post(comment::create))
        .route("/haber/{slug}/yorumlar/rss", get(syndication::comments_rss))
        .route("/rss", get(syndication::site_rss))
        .route("/atom", get(syndication::site_atom))
        .route("/kategori/{slug}/rss", get(syndication::category_rss))
        .route("/kategori/{slug}/atom", get(syndication::category_atom))
        .route("/etiket/{slug}/rss", get(syndication::tag_rss))
        .route("/etiket/{slug}/atom", get(syndication::tag_atom))
        .route("/yazar/{slug}", get(author::show))
        .route("/yazar/{slug}/rss", get(syndication::author_rss))
        .route("/yazar/{slug}/atom", get(syndication::author_atom))
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
        // On the routes, not the fallback: an unknown address stays a 404.
        .route_layer(middleware::from_fn_with_state(state.clone(), crate::origin::guard))
        .fallback(crate::pages::legacy::fallback)
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state.clone(), error_pages))
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(middleware::from_fn(http_cache::conditional))
        .with_state(state.clone());
    // Around the whole router, not per route (`Router::layer` would give each
    // route slots of its own).
    let slots = crate::limits::Slots::new(limits);
    let limited = routes.layer(middleware::from_fn_with_state((state.clone(), slots), crate::limits::admit));
    // Outside the slots: a page served from the cache costs next to nothing
    // and is never refused. Outermost: every answer carries the security
    // headers, a 503 or a page from the cache as much as a rendered one.
    Router::new()
        .fallback_service(limited)
        .layer(middleware::from_fn_with_state(state.clone(), crate::page_cache::serve))
        .layer(middleware::from_fn_with_state(state, security_headers))
}

/// Headers every response carries: the security policy of the settings
/// (the newsroom is never framed, whatever the settings allow readers'
/// pages). A cookie sent to a browser that came over HTTPS is marked
/// `Secure`, also when a trusted proxy ended TLS before a site whose
/// `--base-url` says http.
async fn security_headers(
    State(state): State<AppState>,
    mut request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    // The request's one look at the site and theme (see `snapshot`).
    let snapshot = state.snapshot();
    request.extensions_mut().insert(snapshot.clone());
    let newsroom = request.uri().path().starts_with("/yonetim");
    // Kept for the rare answer that sets a cookie; pages need none of it.
    let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let proto = request.headers().get("x-forwarded-proto").cloned();
    let mut response = next.run(request).await;
    crate::security::apply(snapshot.security(), newsroom, &mut response);
    if response.headers().contains_key(axum::http::header::SET_COOKIE)
        && crate::client_ip::over_https(&snapshot.site().base_url, peer, proto.as_ref(), state.trusted_proxies())
    {
        crate::cookies::make_secure(response.headers_mut());
    }
    response
}
