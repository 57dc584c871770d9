//! The reading site's hot reads, run on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every
//! command and every row across threads. For the few short, indexed queries
//! behind an article page that hand-off cost far more than the queries
//! (`benches/http/run.sh`: the article page rendered on every request went
//! from about 4,400 to over 9,000 requests/s when they moved here). These
//! queries therefore run on read-only connections of their own, on the
//! caller's thread: under WAL a reader never waits for the writer, and the
//! pages they read are in memory.
//!
//! Writes and everything else stay on the sqlx pool. Row decoding is shared
//! between both through [`Cols`].

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use sqlx::Row as _;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::StoreError;

/// Idle connections kept; more are opened when needed and closed after use.
const IDLE_KEPT: usize = 8;

pub(crate) struct Reader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    round_trips: crate::db::Trips,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Reader {
    pub(crate) fn new(path: PathBuf, round_trips: crate::db::Trips) -> Reader {
        Reader { path, idle: Mutex::new(Vec::new()), round_trips }
    }

    /// Runs `read` on an idle read-only connection (opening one if none is idle).
    pub(crate) fn run<T>(&self, read: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        crate::db::count(&self.round_trips);
        let idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        let connection = match idle {
            Some(connection) => connection,
            None => self.open()?,
        };
        let result = read(&connection);
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < IDLE_KEPT {
            idle.push(connection);
        }
        result
    }

    fn open(&self) -> Result<Connection, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&self.path, flags)?;
        // A reader waits only while another process recovers the WAL.
        connection.busy_timeout(Duration::from_secs(2))?;
        // Small, as the pool's: the operating system caches the file.
        connection.pragma_update(None, "cache_size", -2000)?;
        connection.set_prepared_statement_cache_capacity(32);
        Ok(connection)
    }

    /// Closes the idle connections (before the folder is copied or removed).
    pub(crate) fn close(&self) {
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Read(e.to_string())
    }
}

/// A value read from a column by any of the drivers.
pub(crate) trait Col: Sized {
    fn from_sqlx(row: &SqliteRow, i: usize) -> Result<Self, StoreError>;
    fn from_postgres(row: &PgRow, i: usize) -> Result<Self, StoreError>;
    fn from_rusqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self, StoreError>;
}

/// The same decoding on every driver for the types stored as they are.
macro_rules! col_as_stored {
    ($($t:ty),*) => {$(
        impl Col for $t {
            fn from_sqlx(row: &SqliteRow, i: usize) -> Result<$t, StoreError> {
                Ok(row.try_get(i)?)
            }
            fn from_postgres(row: &PgRow, i: usize) -> Result<$t, StoreError> {
                Ok(row.try_get(i)?)
            }
            fn from_rusqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<$t, StoreError> {
                Ok(row.get(i)?)
            }
        }
        impl Col for Option<$t> {
            fn from_sqlx(row: &SqliteRow, i: usize) -> Result<Option<$t>, StoreError> {
                Ok(row.try_get(i)?)
            }
            fn from_postgres(row: &PgRow, i: usize) -> Result<Option<$t>, StoreError> {
                Ok(row.try_get(i)?)
            }
            fn from_rusqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<Option<$t>, StoreError> {
                Ok(row.get(i)?)
            }
        }
    )*};
}
col_as_stored!(i64, f64, String, Vec<u8>);

/// Flags are stored as 0/1 on both engines (BIGINT on PostgreSQL), while a
/// PostgreSQL expression such as `EXISTS (…)` gives a real boolean.
impl Col for bool {
    fn from_sqlx(row: &SqliteRow, i: usize) -> Result<bool, StoreError> {
        Ok(row.try_get(i)?)
    }
    fn from_postgres(row: &PgRow, i: usize) -> Result<bool, StoreError> {
        match row.try_get::<i64, _>(i) {
            Ok(n) => Ok(n != 0),
            Err(_) => Ok(row.try_get(i)?),
        }
    }
    fn from_rusqlite(row: &rusqlite::Row<'_>, i: usize) -> Result<bool, StoreError> {
        Ok(row.get(i)?)
    }
}

/// A result row of any driver, for decoders written once.
pub(crate) trait Cols {
    fn col<T: Col>(&self, i: usize) -> Result<T, StoreError>;
}

impl Cols for SqliteRow {
    fn col<T: Col>(&self, i: usize) -> Result<T, StoreError> {
        T::from_sqlx(self, i)
    }
}

impl Cols for PgRow {
    fn col<T: Col>(&self, i: usize) -> Result<T, StoreError> {
        T::from_postgres(self, i)
    }
}

impl Cols for rusqlite::Row<'_> {
    fn col<T: Col>(&self, i: usize) -> Result<T, StoreError> {
        T::from_rusqlite(self, i)
    }
}
