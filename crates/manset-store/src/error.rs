//! What can go wrong in storage, said so an operator knows what to do.

use std::path::PathBuf;

use manset_core::InvalidArticle;

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
}
