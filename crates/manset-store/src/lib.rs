//! The storage interface of Manşet and its two backends, SQLite (embedded,
//! the default) and PostgreSQL (several app servers on one database).
//!
//! Handlers and importers call plain async methods on one concrete [`Store`]
//! (`store.published_article("slug", now)`); no sqlx type crosses this
//! crate's boundary, and the backend is chosen at run time ([`Location`]).
//! Each statement is written once for both engines (`db`, `dialect`).
//!
//! Invariants:
//! - no SQL anywhere else in the workspace;
//! - every write a caller is told succeeded has been committed;
//! - a write either happens whole or not at all (one transaction each);
//! - times are stored as UTC seconds and converted only at the edges.

/// The one condition under which readers see an article (alias `a`): it is
/// published and its publish time (`?1`, now) has come. Every reader-facing
/// query uses it.
macro_rules! visible {
    () => {
        " a.status = 'published' AND a.published_at <= ?1 "
    };
}

mod accounts;
#[macro_use]
mod articles;
mod audit;
mod changes;
mod comments;
mod db;
mod dialect;
mod dump;
mod editing;
mod error;
mod front;
mod import;
mod ingest;
mod media;
mod migrations;
mod newsroom;
mod open;
mod pages;
mod read;
mod save;
mod settings;
mod sitemap;
mod taxonomy;

pub use accounts::{Attempt, Credentials, SessionUser, TwoFactor};
pub use articles::{IndexSource, Listing, NewsroomArticle, NewsroomCounts, NewsroomFilter, NewsroomSort};
pub use audit::{AuditEntry, NewAuditEntry};
pub use changes::{Change, ChangeListener, ChangesSince};
pub use comments::{AddedComment, CommentFacts, CommenterHistory, ModerationItem, NewComment, StaffAuthor};
pub use dump::{DumpRow, RestoreError};
pub use editing::{Autosave, Present};
pub use error::StoreError;
pub use front::{BreakingItem, SiteChrome};
pub use import::{ImportKind, ImportRun, Imported, ImportedComment, ImportedPage, LegacyTarget};
pub use ingest::{Feed, PollResult, Seen};
pub use media::{MediaItem, NewMedia, RenditionRef};
pub use migrations::SCHEMA_VERSION;
pub use newsroom::{EditableArticle, Revision};
pub use open::{DB_FILE, Location, upgrade_copies};

/// Every migration of each engine, for tests that build a database as an
/// older binary left it (`Migrator::run_to`). Not for the application: it
/// opens a store with [`Store::open`] or [`Store::open_postgres`].
#[doc(hidden)]
pub mod schema_history {
    pub use crate::migrations::{postgres, sqlite};
}
pub use pages::{PageInput, PageSaved, StaticPage};
pub use save::{SaveOutcome, SavedOver, Target, Terms};
pub use sitemap::{NewsEntry, SitemapEntry, SitemapKind};
pub use taxonomy::{TagsMerged, Taxonomy, TaxonomyDeleted, TaxonomyItem, TaxonomySaved};

/// The database of one Manşet site. Cheap to clone: clones share one pool.
#[derive(Clone, Debug)]
pub struct Store {
    db: db::Database,
}

impl Store {
    /// How many times this store has gone to the database, for tests that
    /// count a page's: each statement run on the pool, each transaction
    /// begun, each read on the calling thread.
    pub fn round_trips(&self) -> u64 {
        self.db.trips().load(std::sync::atomic::Ordering::Relaxed)
    }
}
