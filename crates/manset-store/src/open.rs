//! Opening a site's database: the SQLite file in the data folder, or a
//! PostgreSQL database by URL; either way the schema brought up to date.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use sqlx::migrate::MigrateError;

use crate::db::{Database, query};
use crate::migrations::SCHEMA_VERSION;
use crate::read::Cols;
use crate::{Store, StoreError, migrations};

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "manset.db";

/// Where a site's database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `manset.db` in this data folder (`sqlite:DIR`).
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL database (`postgres://user:password@host:port/name`).
    Postgres(String),
}

impl Location {
    /// Reads `sqlite:DIR`, a bare folder, or a `postgres://` (`postgresql://`) URL.
    pub fn parse(text: &str) -> Result<Location, String> {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            PgConnectOptions::from_str(text).map_err(|e| format!("{}: {e}", redacted(text)))?;
            return Ok(Location::Postgres(text.to_owned()));
        }
        let folder = text.strip_prefix("sqlite:").unwrap_or(text);
        if folder.is_empty() || folder.contains("://") {
            return Err(format!(
                "`{}` is not a database: give a data folder (sqlite:DIR) or a postgres://user:password@host/name URL",
                redacted(text)
            ));
        }
        Ok(Location::Sqlite(folder.into()))
    }

    /// How to name it in messages and logs: a URL without its password.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(dir) => format!("sqlite:{}", dir.display()),
            Location::Postgres(url) => redacted(url),
        }
    }
}

/// `url` with the password (if any) replaced by `***`: URLs reach logs and
/// error messages, passwords must not.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    // A password can also come as a query parameter.
    let mut tail = tail.to_owned();
    if let Some(start) = tail.find("password=") {
        let end = tail[start..].find('&').map_or(tail.len(), |n| start + n);
        tail.replace_range(start..end, "password=***");
    }
    format!("{scheme}://{authority}{tail}")
}

impl Store {
    /// Opens the database at `location`: SQLite in a data folder ([`Store::open`])
    /// or PostgreSQL ([`Store::open_postgres`]).
    pub async fn connect(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(dir) => Store::open(dir).await,
            Location::Postgres(url) => Store::open_postgres(url).await,
        }
    }

    /// Opens a PostgreSQL database and applies pending migrations. Several
    /// app servers may do this at once: sqlx's migrator holds an advisory
    /// lock while it works.
    pub async fn open_postgres(url: &str) -> Result<Store, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|source| StoreError::Connect { url: redacted(url), source })?
            .application_name("manset")
            // As SQLite's busy timeout: a write waiting this long for the
            // writers' lock (or any lock) fails with an error instead of
            // holding a connection for ever.
            .options([("lock_timeout", "10s")]);
        let listen = options.clone();
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            // No ping before lending a connection: it cost a round trip per
            // statement. A connection the server closed is met by the
            // statement instead, and replaced (`db::connection_lost`).
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Connect { url: redacted(url), source })?;
        let applied = match applied_postgres(&pool).await {
            Ok(applied) => applied,
            Err(source) => {
                pool.close().await;
                return Err(StoreError::Connect { url: redacted(url), source });
            }
        };
        if let Err(newer) = refuse_newer(&applied) {
            pool.close().await;
            return Err(newer);
        }
        // Each migration is one transaction: a failed one leaves nothing of
        // itself (docs/upgrading in the README: take a pg_dump first).
        migrations::postgres().run(&pool).await?;
        Ok(Store { db: Database::Postgres { pool, listen: Box::new(listen), trips: crate::db::Trips::default() } })
    }

    /// Which engine this store runs on: `"sqlite"` or `"postgres"`.
    pub fn engine(&self) -> &'static str {
        if self.db.is_postgres() { "postgres" } else { "sqlite" }
    }

    /// Opens (creating on first use) the database in `data_dir`, with WAL
    /// journaling and foreign keys on, and applies pending migrations.
    ///
    /// Before migrating a database that has rows of an older schema, it
    /// copies it to `manset.db.schema-N.bak` (N: that schema); a migration
    /// that fails puts the database back from the copy. A database of a
    /// newer schema than this binary's is refused before anything is written.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.to_owned(), source })?;
        let path = data_dir.join(DB_FILE);
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|source| StoreError::Open { path: path.clone(), source })?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: each commit syncs the WAL before it returns, so what the
            // site acknowledged survives a power cut. (NORMAL, for readers'
            // writes only, below, survives a crash of the program but may
            // lose the last moment's commits to a power cut.)
            .synchronous(newsroom_synchronous())
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            // SQLite's own page cache, per connection: small, since the
            // operating system caches the file for every connection at once
            // (and eight copies of a large cache made most of the server's
            // memory under load).
            .pragma("cache_size", "-2000");
        let relaxed_options = options.clone().synchronous(SqliteSynchronous::Normal);
        let pool = SqlitePoolOptions::new()
            // Each connection is a thread and a page cache; the reading
            // site's hot reads do not use this pool (see `read`).
            .max_connections(4)
            .min_connections(1)
            // A transaction whose COMMIT failed (a full disk: SQLite rolls it
            // back itself) leaves the driver counting it as open, and every
            // later BEGIN on that connection fails: such a connection is
            // closed and replaced instead of being handed out again.
            .before_acquire(|conn, _meta| Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) }))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open { path: path.clone(), source })?;
        let applied = match applied_sqlite(&pool).await {
            Ok(applied) => applied,
            Err(source) => {
                pool.close().await;
                return Err(StoreError::Open { path, source });
            }
        };
        if let Err(newer) = refuse_newer(&applied) {
            pool.close().await;
            return Err(newer);
        }
        let migrator = migrations::sqlite();
        let pending = migrator.iter().any(|m| !applied.contains(&m.version));
        let copy = match applied.last() {
            Some(&from) if pending => {
                let copy = data_dir.join(format!("{DB_FILE}.schema-{from}.bak"));
                if let Err(e) = copy_before_upgrade(&pool, &copy).await {
                    pool.close().await;
                    return Err(e);
                }
                tracing::warn!(
                    copy = %copy.display(),
                    "upgrading the database from schema {from} to {SCHEMA_VERSION}; a copy of it as it was stays \
                     until `serve` next starts"
                );
                Some((from, copy))
            }
            _ => None,
        };
        if let Err(error) = migrator.run(&pool).await {
            pool.close().await;
            return Err(match copy {
                Some((from, copy)) => put_back(&path, from, copy, &error),
                None => error.into(),
            });
        }
        // Readers' writes (`Database::begin_write_relaxed`): one writer at a
        // time anyway, so two connections; opened when first needed.
        let relaxed = SqlitePoolOptions::new()
            .max_connections(2)
            .min_connections(0)
            .before_acquire(|conn, _meta| Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) }))
            .connect_lazy_with(relaxed_options);
        let trips = crate::db::Trips::default();
        let reader = std::sync::Arc::new(crate::read::Reader::new(path, std::sync::Arc::clone(&trips)));
        Ok(Store { db: Database::Sqlite { pool, relaxed, reader, trips } })
    }

    /// What the database finds wrong with itself; empty when it is sound.
    /// SQLite checks its file (`PRAGMA integrity_check`, `foreign_key_check`);
    /// PostgreSQL enforces every constraint on each write and checksums its
    /// pages itself, so there it is always empty.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let Database::Sqlite { .. } = &self.db else { return Ok(Vec::new()) };
        let mut problems: Vec<String> = query("PRAGMA integrity_check")
            .scalars::<String>(&self.db)
            .await?
            .into_iter()
            .filter(|line| line != "ok")
            .collect();
        for row in query("PRAGMA foreign_key_check").fetch_all(&self.db).await? {
            let table: String = row.col(0)?;
            let id: Option<i64> = row.col(1)?;
            let parent: String = row.col(2)?;
            problems.push(format!("{table} row {} refers to a missing {parent} row", id.unwrap_or(0)));
        }
        Ok(problems)
    }

    /// A consistent copy of the SQLite database at `path` (which must not
    /// exist), taken while the site keeps running: SQLite's `VACUUM INTO`
    /// reads one moment of the database and writes it compacted. (A
    /// PostgreSQL site is copied row by row: `manset backup` does that.)
    pub async fn backup_database(&self, path: &Path) -> Result<(), StoreError> {
        if self.db.is_postgres() {
            return Err(StoreError::Unsupported(
                "VACUUM INTO copies a SQLite database; copy PostgreSQL's rows instead",
            ));
        }
        let target = path.to_str().ok_or_else(|| {
            StoreError::Io(std::io::Error::other(format!("the backup path {} is not UTF-8", path.display())))
        })?;
        query("VACUUM INTO ?1").bind(target).execute(&self.db).await?;
        Ok(())
    }

    /// Waits for open connections to finish and closes them (for SQLite, so
    /// the WAL is checkpointed and the folder can be copied).
    pub async fn close(&self) {
        match &self.db {
            Database::Sqlite { pool, relaxed, reader, .. } => {
                reader.close();
                relaxed.close().await;
                pool.close().await;
            }
            Database::Postgres { pool, .. } => pool.close().await,
        }
    }
}

/// How the newsroom's commits reach the disk: FULL (synced before the
/// answer), unless `MANSET_SQLITE_SYNCHRONOUS=normal` says the storage
/// itself survives a power cut (a battery-backed write cache), or a
/// benchmark measures what the sync costs (docs/deploy.md).
fn newsroom_synchronous() -> SqliteSynchronous {
    match std::env::var("MANSET_SQLITE_SYNCHRONOUS").as_deref().map(str::trim) {
        Ok(value) if value.eq_ignore_ascii_case("normal") => {
            tracing::warn!(
                "MANSET_SQLITE_SYNCHRONOUS=normal: newsroom writes are not synced before their answer; a power cut \
                 may lose the last moment's"
            );
            SqliteSynchronous::Normal
        }
        _ => SqliteSynchronous::Full,
    }
}

/// The versions a database's migrations reached, ascending; empty for a
/// new database.
async fn applied_sqlite(pool: &sqlx::SqlitePool) -> Result<Vec<i64>, sqlx::Error> {
    let tables: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_one(pool)
            .await?;
    if tables == 0 {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version").fetch_all(pool).await
}

async fn applied_postgres(pool: &sqlx::PgPool) -> Result<Vec<i64>, sqlx::Error> {
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_name = '_sqlx_migrations'",
    )
    .fetch_one(pool)
    .await?;
    if tables == 0 {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version").fetch_all(pool).await
}

/// A database a newer binary migrated is not this binary's to run: its
/// code would read tables it does not know (and sqlx would refuse it only
/// after writing its bookkeeping).
fn refuse_newer(applied: &[i64]) -> Result<(), StoreError> {
    match applied.last() {
        Some(&found) if found > SCHEMA_VERSION => Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION }),
        _ => Ok(()),
    }
}

/// `db` with `suffix` added to its file name (`manset.db-wal`).
fn sibling(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Copies the database to `copy` (replacing an older copy of the same
/// schema): written beside it first, so a half-written copy never has the name.
async fn copy_before_upgrade(pool: &sqlx::SqlitePool, copy: &Path) -> Result<(), StoreError> {
    let partial = sibling(copy, ".partial");
    match std::fs::remove_file(&partial) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(StoreError::Io(e)),
        _ => {}
    }
    let target = partial.to_str().ok_or_else(|| {
        StoreError::Io(std::io::Error::other(format!("the data folder's path {} is not UTF-8", partial.display())))
    })?;
    sqlx::query("VACUUM INTO ?1").bind(target).execute(pool).await?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(StoreError::Io)?;
    std::fs::rename(&partial, copy).map_err(StoreError::Io)
}

/// After a failed migration (the pool closed): the database as it was,
/// from the copy, and a message that says what happened and how to go back.
fn put_back(db: &Path, from: i64, copy: std::path::PathBuf, error: &MigrateError) -> StoreError {
    let restored = (|| {
        let staging = sibling(db, ".restoring");
        std::fs::copy(&copy, &staging)?;
        std::fs::File::open(&staging)?.sync_all()?;
        // The failed run's log must not be replayed onto the copy.
        for suffix in ["-wal", "-shm"] {
            match std::fs::remove_file(sibling(db, suffix)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        std::fs::rename(&staging, db)
    })();
    let (db_shown, copy_shown) = (db.display(), copy.display());
    let message = match restored {
        Ok(()) => format!(
            "cannot upgrade the database from schema {from} to {SCHEMA_VERSION}: {error}. The database was put back \
             as it was (schema {from}) from the copy taken just before, which stays at {copy_shown}. To go back, run \
             the previous Manşet binary (schema {from}) on this data folder, and report this error"
        ),
        Err(e) => format!(
            "cannot upgrade the database from schema {from} to {SCHEMA_VERSION}: {error}. Putting it back failed too \
             ({e}): stop every manset process, replace {db_shown} with the copy taken just before, {copy_shown}, \
             delete {db_shown}-wal and {db_shown}-shm, and run the previous Manşet binary (schema {from})"
        ),
    };
    tracing::error!("{message}");
    StoreError::UpgradeFailed { from, to: SCHEMA_VERSION, copy, message }
}

/// The copies taken before earlier upgrades (`manset.db.schema-N.bak`) in a
/// data folder. `serve` removes them once it has started on the upgraded
/// database: until then they are the way back.
pub fn upgrade_copies(data_dir: &Path) -> Vec<std::path::PathBuf> {
    let prefix = format!("{DB_FILE}.schema-");
    let mut copies: Vec<std::path::PathBuf> = std::fs::read_dir(data_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".bak")
        })
        .map(|entry| entry.path())
        .collect();
    copies.sort();
    copies
}

#[cfg(test)]
mod tests {
    use super::{Location, redacted};

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redacted("postgres://news:s3cret@db.example:5432/site"), "postgres://news:***@db.example:5432/site");
        assert_eq!(
            redacted("postgres://db/site?user=a&password=s3cret&x=1"),
            "postgres://db/site?user=a&password=***&x=1"
        );
        assert_eq!(redacted("postgres://news@db/site"), "postgres://news@db/site");
        assert_eq!(Location::parse("postgresql://a:b@h/d").unwrap().display(), "postgresql://a:***@h/d");
    }

    #[test]
    fn a_folder_or_sqlite_prefix_is_sqlite_and_other_schemes_are_refused() {
        assert_eq!(Location::parse("sqlite:/srv/site").unwrap(), Location::Sqlite("/srv/site".into()));
        assert_eq!(Location::parse("./manset-data").unwrap(), Location::Sqlite("./manset-data".into()));
        let refused = Location::parse("mysql://root:pw@h/d").unwrap_err();
        assert!(refused.contains("postgres://") && !refused.contains("pw"), "{refused}");
    }
}
