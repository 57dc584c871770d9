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
            // SQLite's own page cache, per connection: small, since the
            // operating system caches the file for every connection at once
            // (and eight copies of a large cache made most of the server's
            // memory under load).
            .pragma("cache_size", "-2000");
        let round_trips = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = std::sync::Arc::clone(&round_trips);
        let pool = SqlitePoolOptions::new()
            // Each connection is a thread and a page cache; the reading
            // site's hot reads do not use this pool (see `read`).
            .max_connections(4)
            .min_connections(1)
            // A transaction whose COMMIT failed (a full disk: SQLite rolls it
            // back itself) leaves the driver counting it as open, and every
            // later BEGIN on that connection fails: such a connection is
            // closed and replaced instead of being handed out again.
            .before_acquire(move |conn, _meta| {
                counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
            })
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open { path: path.clone(), source })?;
        migrations::sqlite().run(&pool).await?;
        let reader = std::sync::Arc::new(crate::read::Reader::new(path, std::sync::Arc::clone(&round_trips)));
        Ok(Store { pool, reader, round_trips })
    }

    /// What SQLite finds wrong with the database (`PRAGMA integrity_check`
    /// and `foreign_key_check`); empty when it is sound.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .filter(|line: &String| line != "ok")
            .collect();
        let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&self.pool).await?;
        for row in broken {
            use sqlx::Row;
            let table: String = row.try_get(0)?;
            let id: Option<i64> = row.try_get(1)?;
            let parent: String = row.try_get(2)?;
            problems.push(format!("{table} row {} refers to a missing {parent} row", id.unwrap_or(0)));
        }
        Ok(problems)
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
        self.reader.close();
        self.pool.close().await;
    }
}
