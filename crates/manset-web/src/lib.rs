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
pub mod auth;
mod config;
mod cookies;
mod error;
mod feeds;
mod http_cache;
mod i18n;
mod media;
mod media_files;
mod origin;
mod pages;
mod rate_limit;
mod router;
mod seo;
mod signing;
mod sitemaps;
mod theme;
mod views;

use std::sync::Arc;

use manset_store::Store;

pub use config::SiteConfig;
pub use error::WebError;
pub use router::router;
pub use theme::{Theme, ThemeError};

/// What every handler shares: the store, the site's settings and its theme.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    site: SiteConfig,
    theme: Theme,
    signer: signing::Signer,
    limiter: rate_limit::RateLimiter,
    media: media_files::MediaFiles,
}

/// Why the web state could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot read or create the site's signing secret: {0}")]
    Secret(#[from] manset_store::StoreError),
    #[error("the operating system gave no random bytes for the site's secret: {0}")]
    Random(String),
}

impl AppState {
    /// Builds the state from an open store, the site's settings, a loaded
    /// theme and the data folder (for media files); reads the site's signing
    /// secret (creating it on first start).
    pub async fn new(
        store: Store,
        site: SiteConfig,
        theme: Theme,
        data_dir: &std::path::Path,
    ) -> Result<AppState, StartError> {
        let fresh = signing::fresh_secret().map_err(|e| StartError::Random(e.to_string()))?;
        let secret = store.signing_secret(&fresh).await?;
        let signer = signing::Signer::new(secret.as_bytes());
        let limiter = rate_limit::RateLimiter::default();
        let media = media_files::MediaFiles::new(data_dir);
        Ok(AppState { inner: Arc::new(Inner { store, site, theme, signer, limiter, media }) })
    }

    fn store(&self) -> &Store {
        &self.inner.store
    }

    fn site(&self) -> &SiteConfig {
        &self.inner.site
    }

    fn theme(&self) -> &Theme {
        &self.inner.theme
    }

    fn signer(&self) -> &signing::Signer {
        &self.inner.signer
    }

    fn limiter(&self) -> &rate_limit::RateLimiter {
        &self.inner.limiter
    }

    fn media(&self) -> &media_files::MediaFiles {
        &self.inner.media
    }
}
