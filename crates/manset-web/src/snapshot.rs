//! One request's view of the site: the settings and theme in force when it
//! arrived, and the time it arrived, taken once.
//!
//! The site and theme are replaced whole when the newsroom saves its
//! settings; a request that read them more than once could render half a
//! page with the old name and half with the new. The outermost layer takes
//! one [`Snapshot`] per request and leaves it in the request's extensions;
//! handlers, the error pages and the security headers all read that one.
//! `AppState` has no `site()` or `theme()` of its own, so a handler cannot
//! take a second look by accident (the type enforces it).

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jiff::Timestamp;

use crate::security::Policy;
use crate::{AppState, Live, SiteConfig, Theme};

/// The state, with the site, theme and time of one request.
#[derive(Clone)]
pub struct Snapshot {
    state: AppState,
    live: Live,
    now: Timestamp,
}

impl Snapshot {
    pub(crate) fn new(state: AppState, live: Live, now: Timestamp) -> Snapshot {
        Snapshot { state, live, now }
    }

    /// The site's settings as this request found them.
    pub fn site(&self) -> &Arc<SiteConfig> {
        &self.live.site
    }

    /// The theme as this request found it.
    pub fn theme(&self) -> &Arc<Theme> {
        &self.live.theme
    }

    /// The security settings as this request found them.
    pub(crate) fn security(&self) -> &Arc<Policy> {
        &self.live.security
    }

    /// When the request arrived, by the site's clock: every rule of one
    /// request (embargoes, deadlines, "updated at") reads this one time.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The snapshot the outer layer took for `extensions`' request, or a new
    /// one when there is none (a handler called outside the router).
    pub(crate) fn of(extensions: &axum::http::Extensions, state: &AppState) -> Snapshot {
        extensions.get::<Snapshot>().cloned().unwrap_or_else(|| state.snapshot())
    }
}

impl Deref for Snapshot {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

impl FromRequestParts<AppState> for Snapshot {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Snapshot::of(&parts.extensions, state))
    }
}
