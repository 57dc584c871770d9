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

mod config;
mod error;
mod i18n;
mod pages;
mod router;
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
}

impl AppState {
    /// Builds the state from an open store, the site's settings and a loaded theme.
    pub fn new(store: Store, site: SiteConfig, theme: Theme) -> AppState {
        AppState {
            inner: Arc::new(Inner { store, site, theme }),
        }
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
}
