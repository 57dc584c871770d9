//! The HTTP side of Manşet: the axum router, the public pages, the theme
//! (templates and static files) and the interface translations.
//!
//! Request flow: `router` picks a handler in `pages`; the handler asks the
//! [`Store`] for data, turns it into one view struct per page (`views`), and
//! `theme` renders that struct with its template. Errors become themed pages
//! in `error`.
//!
//! Invariants: no SQL here (only `Store` methods); templates autoescape, and
//! the only unescaped HTML they print is what `manset_text::markdown` produced;
//! every user-visible string comes from `locales/`.

mod admin;
pub mod client_ip;
mod config;
mod cookies;
mod error;
mod http_cache;
mod i18n;
mod input;
mod limits;
mod media;
mod origin;
mod page_cache;
mod pages;
mod router;
mod security;
mod seo;
mod signing;
mod sitemaps;
mod snapshot;
mod syndication;
mod theme;
mod views;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use manset_service::{Clock, MediaFiles, Service, search_sync};
use manset_store::Store;

pub use config::{Logo, SiteConfig};
pub use error::WebError;
pub use limits::{Connection, Connections, Limits};
pub use router::{route_paths, router, router_with};
pub use snapshot::Snapshot;
pub use theme::{Theme, ThemeError};

/// For the function benchmarks in `benches/functions`; not an API.
#[doc(hidden)]
pub mod bench_support {
    use std::sync::Arc;

    use crate::{AppState, Theme, WebError};

    /// The article page's template context for `slug`, as the server builds
    /// it for a reader without cookies, and the theme that renders it.
    pub async fn article_context(state: &AppState, slug: &str) -> Result<(Arc<Theme>, serde_json::Value), WebError> {
        let state = state.snapshot();
        let now = state.now();
        let article = state.store().published_article(slug, now).await?.ok_or(WebError::NotFound)?;
        let headers = axum::http::HeaderMap::new();
        let (document, ..) =
            crate::pages::article::document(&state, &article, now, Default::default(), &headers).await?;
        let context = serde_json::to_value(&document).map_err(|e| WebError::Internal(Box::new(e)))?;
        Ok((state.theme().clone(), context))
    }
}

/// What every handler shares: the service (store, search, media, clock),
/// the site's settings and its theme. Handlers read the site and theme
/// through a [`Snapshot`], one per request.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    service: Service,
    /// The site as `serve` was started, before the newsroom's settings.
    base: SiteConfig,
    theme_dir: Option<PathBuf>,
    /// The site and theme in force; replaced whole when settings change.
    live: RwLock<Live>,
    signer: signing::Signer,
    related: std::sync::Mutex<RelatedCache>,
    pages: Arc<page_cache::PageCache>,
    /// The site's own proxies, whose `X-Forwarded-For` names the client.
    trusted_proxies: std::sync::OnceLock<Vec<client_ip::Network>>,
}

/// "İlgili Makaleler" by article id: (index generation, when, related ids).
type RelatedCache = std::collections::HashMap<i64, (u64, jiff::Timestamp, Vec<i64>)>;

/// The site and theme in force, taken whole (see [`Snapshot`]).
#[derive(Clone)]
pub(crate) struct Live {
    site: Arc<SiteConfig>,
    theme: Arc<Theme>,
    security: Arc<security::Policy>,
}

/// Why the web state could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot read or create the site's signing secret: {0}")]
    Secret(#[from] manset_store::StoreError),
    #[error("the operating system gave no random bytes for the site's secret: {0}")]
    Random(String),
    #[error("cannot read the change log: {0}")]
    ChangeLog(manset_store::StoreError),
    #[error("{0}")]
    Theme(#[from] ThemeError),
    #[error("{0}")]
    Search(#[from] manset_search::SearchError),
    #[error("cannot bring the search index up to date: {0}")]
    SearchSync(#[from] search_sync::SyncError),
}

impl AppState {
    /// Builds the state from an open store, the site as started, a theme
    /// folder (or the built-in theme) and the data folder (the search index,
    /// and the media files in its `media`): applies the newsroom's `site.*`
    /// settings, loads the theme, reads the site's signing secret (creating
    /// it on first start).
    pub async fn new(
        store: Store,
        site: SiteConfig,
        theme_dir: Option<&Path>,
        data_dir: &Path,
    ) -> Result<AppState, StartError> {
        AppState::with_media(store, site, theme_dir, data_dir, &data_dir.join("media")).await
    }

    /// As [`AppState::new`], with the media files in `media_dir`: a folder
    /// every app server of the site shares.
    pub async fn with_media(
        store: Store,
        site: SiteConfig,
        theme_dir: Option<&Path>,
        data_dir: &Path,
        media_dir: &Path,
    ) -> Result<AppState, StartError> {
        AppState::with_clock(store, site, theme_dir, data_dir, media_dir, Clock::system()).await
    }

    /// As [`AppState::with_media`], reading the time from `clock` (tests
    /// move a manual one).
    pub async fn with_clock(
        store: Store,
        site: SiteConfig,
        theme_dir: Option<&Path>,
        data_dir: &Path,
        media_dir: &Path,
        clock: Clock,
    ) -> Result<AppState, StartError> {
        let fresh = signing::fresh_secret().map_err(|e| StartError::Random(e.to_string()))?;
        let secret = store.signing_secret(&fresh).await?;
        let signer = signing::Signer::new(secret.as_bytes());
        let media = MediaFiles::new(media_dir);
        let live = build_live(&store, &site, theme_dir).await?;
        let search = Arc::new(search_sync::open_index(data_dir, live.site.lang)?);
        search_sync::catch_up(&store, &search, live.site.lang).await?;
        let pages = Arc::new(page_cache::PageCache::new(
            store.last_change().await.map_err(StartError::ChangeLog)?,
            clock.now(),
        ));
        // Learns when time alone next changes a page (an embargo, breaking news).
        pages.sync(&store, clock.now()).await.map_err(StartError::ChangeLog)?;
        let inner = Inner {
            service: Service::new(store, search, media, clock),
            base: site,
            theme_dir: theme_dir.map(Path::to_owned),
            live: RwLock::new(live),
            signer,
            related: std::sync::Mutex::new(std::collections::HashMap::new()),
            pages,
            trusted_proxies: std::sync::OnceLock::new(),
        };
        Ok(AppState { inner: Arc::new(inner) })
    }

    /// Reads the settings again and puts the resulting site and theme in force
    /// for the requests that follow.
    pub async fn reconfigure(&self) -> Result<(), StartError> {
        let live = build_live(self.store(), &self.inner.base, self.inner.theme_dir.as_deref()).await?;
        *self.inner.live.write().unwrap_or_else(std::sync::PoisonError::into_inner) = live;
        // The theme or the site's name may be on every page.
        self.inner.pages.clear();
        Ok(())
    }

    /// Takes `X-Forwarded-For` from connections out of these networks: the
    /// site's own proxies (nginx, a CDN). Set once, before serving.
    pub fn set_trusted_proxies(&self, networks: Vec<client_ip::Network>) {
        let _ = self.inner.trusted_proxies.set(networks);
    }

    /// Whether `ip` is one of the proxies named by `--trusted-proxy`.
    pub fn is_trusted_proxy(&self, ip: std::net::IpAddr) -> bool {
        self.trusted_proxies().iter().any(|n| n.contains(ip))
    }

    pub(crate) fn trusted_proxies(&self) -> &[client_ip::Network] {
        self.inner.trusted_proxies.get().map_or(&[], Vec::as_slice)
    }

    /// Keeps up to `bytes` of rendered pages (0: none, every request is
    /// rendered). Off until set.
    pub fn set_page_cache_bytes(&self, bytes: usize) {
        self.inner.pages.set_capacity(bytes);
    }

    /// The rendered-page cache, for its figures.
    pub fn page_cache_stats(&self) -> (usize, usize) {
        (self.inner.pages.len(), self.inner.pages.used())
    }

    /// Drops the cached pages that showed what changed in the database since
    /// the last look (the server does this itself after its own writes and
    /// every second; for writes made beside it, e.g. in tests).
    pub async fn sync_page_cache(&self) -> Result<(), manset_store::StoreError> {
        if self.inner.pages.sync(self.store(), self.now()).await? {
            // The settings may have been changed by another app server.
            self.reconfigure().await.map_err(|e| manset_store::StoreError::Read(e.to_string()))?;
        }
        Ok(())
    }

    /// [`AppState::sync_page_cache`], and when the log cannot be read, no
    /// page from the cache until it can (they may be stale).
    async fn follow_changes(&self) {
        if let Err(e) = self.sync_page_cache().await {
            tracing::error!("page cache: cannot follow the change log ({e}); dropping every page");
            self.inner.pages.clear();
        }
    }

    /// Follows other app servers' writes as they commit (PostgreSQL's
    /// LISTEN/NOTIFY), on top of the regular look at the log; nothing to do
    /// on SQLite, where every writer is on this machine and the log is read
    /// every second.
    pub async fn listen_for_changes(&self) -> Result<(), manset_store::StoreError> {
        let Some(mut listener) = self.store().listen_for_changes().await? else { return Ok(()) };
        let state = self.clone();
        tokio::spawn(async move {
            loop {
                match listener.next().await {
                    Ok(()) => state.follow_changes().await,
                    Err(e) => {
                        // The regular look at the log still runs meanwhile.
                        tracing::warn!("listening for other app servers' changes: {e}");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }

    /// Follows the change log every `every` for as long as the server runs.
    pub fn keep_page_cache_current(&self, every: std::time::Duration) {
        page_cache::PageCache::keep_current(self, every);
    }

    fn page_cache(&self) -> &page_cache::PageCache {
        &self.inner.pages
    }

    fn page_cache_arc(&self) -> Arc<page_cache::PageCache> {
        Arc::clone(&self.inner.pages)
    }

    /// Indexes what changed in the database since the search index last
    /// looked (imports from the command line, other app servers).
    pub async fn catch_up_search(&self) -> Result<usize, search_sync::SyncError> {
        search_sync::catch_up(self.store(), self.search(), self.live().site.lang).await
    }

    /// Catches the search index up every `every`, for as long as the server runs.
    pub fn keep_search_current(&self, every: std::time::Duration) {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(e) = state.catch_up_search().await {
                    tracing::error!("search index catch-up failed: {e}");
                }
            }
        });
    }

    /// The site and theme in force now. Handlers take theirs once, through
    /// [`Snapshot`]; this is for the server's own tasks.
    fn live(&self) -> Live {
        self.inner.live.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// The site, theme and time for one request.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::new(self.clone(), self.live(), self.now())
    }

    /// What the site does, for every door.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// The time now, by the site's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.inner.service.now()
    }

    fn store(&self) -> &Store {
        self.inner.service.store()
    }

    fn signer(&self) -> &signing::Signer {
        &self.inner.signer
    }

    fn media(&self) -> &MediaFiles {
        self.inner.service.media_files()
    }

    fn search(&self) -> &Arc<manset_search::SearchIndex> {
        self.inner.service.search()
    }

    /// Related article ids computed for `article` while the index has not
    /// changed, and not longer ago than a minute (scheduled articles become
    /// visible with time alone).
    fn cached_related(&self, article: i64) -> Option<Vec<i64>> {
        let cache = self.inner.related.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (generation, at, ids) = cache.get(&article)?;
        let fresh = self.now().duration_since(*at) < jiff::SignedDuration::from_secs(60);
        (*generation == self.search().generation() && fresh).then(|| ids.clone())
    }

    fn cache_related(&self, article: i64, generation: u64, ids: Vec<i64>) {
        let mut cache = self.inner.related.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Bounded: a big archive's long tail is recomputed rather than kept.
        if cache.len() >= 20_000 {
            cache.clear();
        }
        cache.insert(article, (generation, self.now(), ids));
    }
}

/// The site as started, overlaid with the `site.*` settings, and its theme.
async fn build_live(store: &Store, base: &SiteConfig, theme_dir: Option<&Path>) -> Result<Live, StartError> {
    let settings = store.settings().await?;
    let value = |key: &str| settings.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    let mut site = base.clone();
    if let Some(name) = value("site.name") {
        site.name = name.to_owned();
    }
    if let Some(description) = value("site.description") {
        site.description = description.to_owned();
    }
    if let Some(lang) = value("site.lang").and_then(|l| l.parse().ok()) {
        site.lang = lang;
    }
    if let Some(zone) = value("site.timezone").and_then(|z| jiff::tz::TimeZone::get(z).ok()) {
        site.time_zone = zone;
    }
    if let Some(path) = value("site.logo") {
        let found = store.media_by_paths(&[path]).await?;
        site.logo = found.iter().flat_map(|m| m.renditions.iter()).find(|r| r.path == path).map(|r| Logo {
            url: r.path.clone(),
            width: r.width,
            height: r.height,
        });
    }
    let theme = Theme::load(theme_dir, &site)?;
    let security = security::Policy::from_settings(&settings);
    Ok(Live { site: Arc::new(site), theme: Arc::new(theme), security: Arc::new(security) })
}
