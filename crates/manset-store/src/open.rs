//! Opening a site's database: the data folder, the SQLite file in it, its
//! settings, and the schema brought up to date.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{Store, StoreError, migrations};

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "manset.db";

impl Store {
    /// Opens (creating on first use) the database in `data_dir`, with WAL
    /// journaling and foreign keys on, and applies pending migrations.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.to_owned(), source })?;
        let path = data_dir.join(DB_FILE);
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|source| StoreError::Open { path: path.clone(), source })?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL loses no committed transaction on a crash of
            // the program, only (at worst) the last ones on a power cut.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-16000");
        let pool = SqlitePoolOptions::new()
            // Readers run in parallel under WAL; each connection is a thread.
            .max_connections(8)
            .min_connections(1)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open { path: path.clone(), source })?;
        migrations::sqlite().run(&pool).await?;
        Ok(Store { pool })
    }

    /// A consistent copy of the database at `path` (which must not exist),
    /// taken while the site keeps running: SQLite's `VACUUM INTO` reads one
    /// moment of the database and writes it compacted.
    pub async fn backup_database(&self, path: &Path) -> Result<(), StoreError> {
        let target = path.to_str().ok_or_else(|| {
            StoreError::Io(std::io::Error::other(format!("the backup path {} is not UTF-8", path.display())))
        })?;
        sqlx::query("VACUUM INTO ?1").bind(target).execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for open connections to finish and closes them, so the WAL is
    /// checkpointed and the folder can be copied.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
