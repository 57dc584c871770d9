//! What can go wrong in storage, said so an operator knows what to do.

use std::path::PathBuf;

use manset_core::InvalidArticle;

impl StoreError {
    /// The disk (or the database's size limit) is full: nothing can be
    /// written until space is freed, while reading goes on.
    pub fn is_storage_full(&self) -> bool {
        let database = match self {
            StoreError::Database(e) | StoreError::Open { source: e, .. } => e,
            StoreError::Io(e) => return e.raw_os_error() == Some(28), // ENOSPC
            _ => return false,
        };
        match database {
            // SQLITE_FULL (13), also as an extended code (13 | n << 8).
            sqlx::Error::Database(db) => db.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| c & 0xff == 13),
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
    #[error("cannot bring the database schema up to date: {0}; restore a backup or report this as a bug")]
    Migrate(#[from] sqlx::migrate::MigrateError),
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
    #[error("cannot read the database: {0}")]
    Read(String),
    #[error("a stored value cannot be read: {0}; run `manset check`")]
    Decode(String),
}
