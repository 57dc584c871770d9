//! What can go wrong in storage, said so an operator knows what to do.

use std::path::PathBuf;

use crate::open::DB_FILE;

use manset_core::InvalidArticle;

impl StoreError {
    /// The disk (or the database's size limit) is full: nothing can be
    /// written until space is freed, while reading goes on.
    pub fn is_storage_full(&self) -> bool {
        let database = match self {
            StoreError::Database(e) | StoreError::Open { source: e, .. } | StoreError::Connect { source: e, .. } => e,
            StoreError::Io(e) => return e.raw_os_error() == Some(28), // ENOSPC
            _ => return false,
        };
        match database {
            // PostgreSQL's disk_full (53100) and program_limit_exceeded class;
            // SQLITE_FULL (13), also as an extended code (13 | n << 8).
            sqlx::Error::Database(db) => match db.code() {
                Some(code) if code.starts_with("53") => code == "53100",
                Some(code) => code.parse::<i64>().is_ok_and(|c| c & 0xff == 13),
                None => false,
            },
            sqlx::Error::Io(e) => e.raw_os_error() == Some(28),
            _ => false,
        }
    }
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot create the data folder {path}: {source}; check that the parent folder exists and is writable, or choose another with --data"
    )]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("cannot open the database {path}: {source}")]
    Open { path: PathBuf, source: sqlx::Error },
    #[error(
        "cannot connect to the database {url}: {source}; check that PostgreSQL runs there and that the URL's user, password and database name are right"
    )]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot bring the database schema up to date: {0}; restore a backup or report this as a bug")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database was migrated by a newer binary: this one does not know
    /// its schema, and changes nothing.
    #[error(
        "this database has schema version {found}, written by a newer Manşet; this binary brings schema {supported} \
         and cannot run it. Nothing was changed. Run the newer binary, or, to go back to this one, restore the copy \
         taken before the upgrade (a SQLite data folder keeps it as {DB_FILE}.schema-{supported}.bak until `serve` \
         next starts) or a backup"
    )]
    NewerSchema { found: i64, supported: i64 },
    /// A migration of a SQLite site failed; the site was put back as it was
    /// from the copy taken just before (`message` says whether that worked
    /// and how to go back).
    #[error("{message}")]
    UpgradeFailed { from: i64, to: i64, copy: PathBuf, message: String },
    #[error("{0}")]
    Invalid(#[from] InvalidArticle),
    #[error("the name `{0}` has no letters or digits to make a URL from; give it at least one")]
    Unsluggable(String),
    #[error("there is no article with id {0}")]
    NoSuchArticle(i64),
    #[error("cannot write: {0}")]
    Io(std::io::Error),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("cannot read the database: {0}")]
    Read(String),
    #[error("a stored value cannot be read: {0}; run `manset check`")]
    Decode(String),
}
