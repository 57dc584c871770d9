//! What Manşet does, whichever door a request comes through: the newsroom's
//! web pages, the reading site's comment form, the command line, and (later)
//! the API. Handlers and commands parse their input, make one call here, and
//! present the outcome; the rules live here once.
//!
//! - [`comments`]: take a reader's comment (rate, validity, the form's age,
//!   the spam signals, the moderation policy), stored or refused with reasons.
//! - [`articles`]: move an article through the workflow; one call saves it,
//!   records its revision and change, brings search up to date and writes
//!   the audit log.
//! - [`media_library`] and [`media_files`]: images, recognized, bounded and
//!   re-encoded; where their files live.
//! - [`search_sync`]: keeping the search index in step with the database.
//! - [`accounts`]: passwords, session tokens, two-factor secrets.
//! - [`desk`]: the newsroom's list of articles, searched, and actions on many at once.
//! - [`editing`]: autosave slots, who has an article open.
//! - [`audit`]: who did what, for the audit log.
//! - [`Clock`]: the time every rule reads, injected (tests move it).
//!
//! Invariants: no SQL here (the store's methods only); no HTTP types (no
//! status codes, headers or pages: outcomes are enums the door translates);
//! every permission is asked here (`manset_core::workflow`, `Role::may`),
//! so each door enforces the same rules.

pub mod accounts;
pub mod articles;
pub mod audit;
mod clock;
pub mod comments;
pub mod desk;
pub mod editing;
pub mod media_files;
pub mod media_library;
pub mod search_sync;

use std::sync::Arc;

use jiff::Timestamp;
use manset_search::SearchIndex;
use manset_store::{Store, StoreError};

pub use audit::Actor;
pub use clock::Clock;
pub use media_files::MediaFiles;

/// The site's data and the time, shared by every door.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    search: Arc<SearchIndex>,
    media: MediaFiles,
    clock: Clock,
}

/// Why something could not be done, beyond the rules' own refusals (which
/// are outcomes, not errors).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The member's role or relation to the thing forbids it.
    #[error("not allowed")]
    NotAllowed,
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] search_sync::SyncError),
    #[error(transparent)]
    Media(#[from] media_library::AddError),
}

impl Service {
    pub fn new(store: Store, search: Arc<SearchIndex>, media: MediaFiles, clock: Clock) -> Service {
        Service { inner: Arc::new(Inner { store, search, media, clock }) }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn search(&self) -> &Arc<SearchIndex> {
        &self.inner.search
    }

    pub fn media_files(&self) -> &MediaFiles {
        &self.inner.media
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The time now, by the site's clock.
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }
}
