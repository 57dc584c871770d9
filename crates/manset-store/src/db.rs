//! The two engines behind one way of running a statement.
//!
//! Every statement is written once (see `dialect`) and run through
//! [`query`] on either a [`Database`] (a pool) or a [`Tx`] (a transaction);
//! rows come back as a [`Row`] that the shared decoders read through
//! [`Cols`]. Values are bound through [`Value`], typed so that a NULL is a
//! typed NULL on PostgreSQL too. Integers are 64-bit on both engines (the
//! PostgreSQL schema uses BIGINT throughout) and booleans are stored as 0/1,
//! so one decoder reads either.
//!
//! Writes are serialized on both engines: SQLite has one writer
//! (`BEGIN IMMEDIATE`), and on PostgreSQL every writing transaction first
//! takes one advisory lock, so a check-then-insert (a duplicate comment, a
//! free slug, the next revision number) means the same thing on one
//! machine and on several app servers. A newsroom writes far less than it
//! is read; the reading site never takes that lock.

use std::borrow::Cow;

use sqlx::postgres::{PgArguments, PgPool, PgRow};
use sqlx::sqlite::{SqliteArguments, SqlitePool, SqliteRow};
use sqlx::{Arguments, AssertSqlSafe, Postgres, Sqlite, Transaction};

use crate::read::{Col, Cols};
use crate::{StoreError, dialect};

/// The lock every writing transaction takes on PostgreSQL (any constant:
/// one site per database). "MANSET" in ASCII.
const WRITE_LOCK: i64 = 0x4d41_4e53_4554;

/// Trips to the database so far, shared by a store's clones: each statement
/// run on the pool, each transaction begun, each read on the calling thread.
/// Counted here rather than in the pool's acquire hook, which a connection
/// the pool has just opened skips.
pub(crate) type Trips = std::sync::Arc<std::sync::atomic::AtomicU64>;

pub(crate) fn count(trips: &Trips) {
    trips.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// A database: its pool, and for SQLite the reading site's own connections.
#[derive(Debug, Clone)]
pub(crate) enum Database {
    Sqlite {
        /// Every write the newsroom and the operator make, and every read
        /// the reading site's own connections do not: `synchronous=FULL`,
        /// so a commit is on disk before its answer is sent.
        pool: SqlitePool,
        /// Readers' writes (comments, rate-limit hits): `synchronous=NORMAL`,
        /// durable through a crash of the program, not a power cut; they
        /// skip the sync that would halve how many comments a second the
        /// site takes (see `begin_write_relaxed`).
        relaxed: SqlitePool,
        reader: std::sync::Arc<crate::read::Reader>,
        trips: Trips,
    },
    /// `listen` opens the change listener's own connection: kept out of the
    /// pool, which waits for every connection it lent when it closes.
    Postgres { pool: PgPool, listen: Box<sqlx::postgres::PgConnectOptions>, trips: Trips },
}

/// An open transaction on either engine; rolled back when dropped uncommitted.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Database {
    /// Begins a transaction that will write: it waits for (and then holds)
    /// the one writer's place, so what it read stays true until it commits.
    pub(crate) async fn begin_write(&self) -> Result<Tx, StoreError> {
        count(self.trips());
        match self {
            Database::Sqlite { pool, .. } => Ok(Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)),
            Database::Postgres { pool, .. } => Ok(Tx::Postgres(locked(pool).await?)),
        }
    }

    /// Begins a writing transaction, as [`Database::begin_write`], whose
    /// commit need not reach the disk before the answer: a reader's comment
    /// or a rate-limit hit, which a power cut may lose with the last moment
    /// before it (never a crash of the program: the WAL is written either
    /// way). The newsroom's writes never come here.
    pub(crate) async fn begin_write_relaxed(&self) -> Result<Tx, StoreError> {
        count(self.trips());
        match self {
            Database::Sqlite { relaxed, .. } => Ok(Tx::Sqlite(relaxed.begin_with("BEGIN IMMEDIATE").await?)),
            Database::Postgres { pool, .. } => {
                let mut tx = locked(pool).await?;
                // For this transaction only: the server's setting (durable by
                // default) stays for every other.
                sqlx::query("SET LOCAL synchronous_commit TO OFF").execute(&mut *tx).await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    /// Begins a transaction that reads one moment of the whole database.
    pub(crate) async fn begin_snapshot(&self) -> Result<Tx, StoreError> {
        count(self.trips());
        match self {
            // A SQLite read transaction sees one moment from its first read.
            Database::Sqlite { pool, .. } => Ok(Tx::Sqlite(pool.begin().await?)),
            Database::Postgres { pool, .. } => {
                Ok(Tx::Postgres(begin(pool, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?))
            }
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Database::Postgres { .. })
    }

    pub(crate) fn trips(&self) -> &Trips {
        match self {
            Database::Sqlite { trips, .. } | Database::Postgres { trips, .. } => trips,
        }
    }

    /// SQLite's read-only connections on the calling thread (`read`); on
    /// PostgreSQL the same statements go through the pool.
    pub(crate) fn reader(&self) -> Option<&crate::read::Reader> {
        match self {
            Database::Sqlite { reader, .. } => Some(reader),
            Database::Postgres { .. } => None,
        }
    }
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.commit().await?),
            Tx::Postgres(tx) => Ok(tx.commit().await?),
        }
    }

    pub(crate) async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.rollback().await?),
            Tx::Postgres(tx) => Ok(tx.rollback().await?),
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }
}

/// Where a statement runs.
pub(crate) enum On<'a> {
    SqlitePool(&'a SqlitePool),
    PgPool(&'a PgPool),
    SqliteTx(&'a mut Transaction<'static, Sqlite>),
    PgTx(&'a mut Transaction<'static, Postgres>),
}

impl<'a> From<&'a Database> for On<'a> {
    /// Counts the trip: a statement is turned into where it runs just
    /// before it runs, once.
    fn from(db: &'a Database) -> On<'a> {
        count(db.trips());
        match db {
            Database::Sqlite { pool, .. } => On::SqlitePool(pool),
            Database::Postgres { pool, .. } => On::PgPool(pool),
        }
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(tx: &'a mut Tx) -> On<'a> {
        match tx {
            Tx::Sqlite(tx) => On::SqliteTx(tx),
            Tx::Postgres(tx) => On::PgTx(tx),
        }
    }
}

/// `text` to put inside a `LIKE` pattern, matched as written: without
/// `%` and `_` (wildcards on both engines) and `\\` (an escape character on
/// PostgreSQL, a plain one on SQLite).
pub(crate) fn like_literal(text: &str) -> String {
    text.replace(['%', '_', '\\'], "")
}

/// Text as both engines store it: PostgreSQL refuses the NUL character,
/// so it becomes U+FFFD (the replacement character) on both.
fn storable(text: String) -> String {
    if text.contains('\0') { text.replace('\0', "\u{FFFD}") } else { text }
}

/// A bound value, typed even when NULL.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

/// What can be bound to a statement.
pub(crate) trait Bind {
    /// This type's NULL (for `Option::None`).
    const NULL: Value;
    fn value(self) -> Value;
}

macro_rules! bind_int {
    ($($t:ty),*) => {$(
        impl Bind for $t {
            const NULL: Value = Value::Int(None);
            fn value(self) -> Value {
                Value::Int(Some(i64::from(self)))
            }
        }
    )*};
}
bind_int!(i64, i32, u32, u16, u8, bool);

impl Bind for &i64 {
    const NULL: Value = Value::Int(None);
    fn value(self) -> Value {
        Value::Int(Some(*self))
    }
}

impl Bind for f64 {
    const NULL: Value = Value::Real(None);
    fn value(self) -> Value {
        Value::Real(Some(self))
    }
}

impl Bind for String {
    const NULL: Value = Value::Text(None);
    fn value(self) -> Value {
        Value::Text(Some(storable(self)))
    }
}

impl Bind for &String {
    const NULL: Value = Value::Text(None);
    fn value(self) -> Value {
        Value::Text(Some(storable(self.clone())))
    }
}

impl Bind for &str {
    const NULL: Value = Value::Text(None);
    fn value(self) -> Value {
        Value::Text(Some(storable(self.to_owned())))
    }
}

impl Bind for Vec<u8> {
    const NULL: Value = Value::Bytes(None);
    fn value(self) -> Value {
        Value::Bytes(Some(self))
    }
}

impl Bind for &[u8] {
    const NULL: Value = Value::Bytes(None);
    fn value(self) -> Value {
        Value::Bytes(Some(self.to_vec()))
    }
}

impl<T: Bind> Bind for Option<T> {
    const NULL: Value = T::NULL;
    fn value(self) -> Value {
        match self {
            Some(v) => v.value(),
            None => T::NULL,
        }
    }
}

impl<T: Bind + Clone> Bind for &Option<T> {
    const NULL: Value = T::NULL;
    fn value(self) -> Value {
        self.clone().value()
    }
}

/// A transaction on PostgreSQL that holds the writers' lock.
async fn locked(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    // The lock is part of the retry: a connection the server ends just
    // after its `BEGIN` has still written nothing when the lock fails.
    on_a_live_connection(pool, || async {
        let mut tx = pool.begin_with("BEGIN").await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
        Ok(tx)
    })
    .await
}

/// Whether the server had closed the connection before the statement ran
/// (a restart, a failover, an administrator ending sessions). The pool does
/// not ping a connection before lending it (a round trip more for every
/// statement: the rendered article page serves 16% more without it), so the
/// first statement on each such connection meets this instead. Whatever
/// wrote nothing (a read, a `BEGIN`) runs again on another connection until
/// one is live: at most once per connection the pool holds, each dead one
/// being dropped.
fn connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        // admin_shutdown, crash_shutdown, cannot_connect_now; connection_exception.
        sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("57P01" | "57P02" | "57P03" | "08000" | "08003" | "08006"))
        }
        _ => false,
    }
}

/// `pool.begin_with(statement)` on a live connection (see `connection_lost`).
async fn begin(pool: &PgPool, statement: &'static str) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    on_a_live_connection(pool, || pool.begin_with(statement)).await
}

/// Runs `attempt` until it does not fail for a connection the server had
/// closed, at most once more per connection in the pool.
async fn on_a_live_connection<T, F>(pool: &PgPool, attempt: impl Fn() -> F) -> Result<T, sqlx::Error>
where
    F: Future<Output = Result<T, sqlx::Error>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(e) if connection_lost(&e) && tries <= pool.size() => tries += 1,
            done => return done,
        }
    }
}

/// `values` as the engine's arguments. Adding these types cannot fail on
/// either engine (they are copied or encoded into a buffer).
fn arguments<DB: sqlx::Database>(values: Vec<Value>) -> DB::Arguments
where
    for<'t> Option<i64>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> Option<f64>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> Option<String>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> Option<Vec<u8>>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    let mut args = DB::Arguments::default();
    for value in values {
        let _ = match value {
            Value::Int(v) => args.add(v),
            Value::Real(v) => args.add(v),
            Value::Text(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
        };
    }
    args
}

/// A statement and its values, not yet run.
#[must_use = "a query does nothing until it is run"]
#[derive(Clone)]
pub(crate) struct Query {
    sql: Cow<'static, str>,
    values: Vec<Value>,
}

/// A statement written once for both engines (see `dialect`).
pub(crate) fn query(sql: &'static str) -> Query {
    Query { sql: Cow::Borrowed(sql), values: Vec::new() }
}

/// A statement made at run time (names of tables, lists of placeholders);
/// never with a value of the user's in its text.
pub(crate) fn query_made(sql: String) -> Query {
    Query { sql: Cow::Owned(sql), values: Vec::new() }
}

/// A row of either engine.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// Column `i` as a JSON value: integers and reals as numbers, text as a
    /// string, bytes as `{"hex": "…"}`, NULL as null; the same for the same
    /// data on either engine.
    pub(crate) fn json(&self, i: usize) -> Result<serde_json::Value, StoreError> {
        use sqlx::{Row as _, TypeInfo as _, ValueRef as _};
        let kind = match self {
            Row::Sqlite(row) => {
                let raw = row.try_get_raw(i)?;
                if raw.is_null() { "NULL".to_owned() } else { raw.type_info().name().to_owned() }
            }
            Row::Postgres(row) => {
                let raw = row.try_get_raw(i)?;
                if raw.is_null() { "NULL".to_owned() } else { raw.type_info().name().to_owned() }
            }
        };
        Ok(match kind.as_str() {
            "NULL" => serde_json::Value::Null,
            "INTEGER" | "INT8" => self.col::<i64>(i)?.into(),
            "INT4" | "INT2" | "BOOL" => match self {
                Row::Postgres(row) => {
                    use sqlx::Row as _;
                    match kind.as_str() {
                        "INT4" => row.try_get::<i32, _>(i)?.into(),
                        "INT2" => row.try_get::<i16, _>(i)?.into(),
                        _ => i64::from(row.try_get::<bool, _>(i)?).into(),
                    }
                }
                Row::Sqlite(_) => self.col::<i64>(i)?.into(),
            },
            "BOOLEAN" => self.col::<i64>(i)?.into(),
            "REAL" | "FLOAT8" | "FLOAT4" => self.col::<f64>(i)?.into(),
            "BLOB" | "BYTEA" => {
                let bytes: Vec<u8> = self.col(i)?;
                serde_json::json!({ "hex": bytes.iter().map(|b| format!("{b:02X}")).collect::<String>() })
            }
            _ => self.col::<String>(i)?.into(),
        })
    }
}

impl Cols for Row {
    fn col<T: Col>(&self, i: usize) -> Result<T, StoreError> {
        match self {
            Row::Sqlite(row) => row.col(i),
            Row::Postgres(row) => row.col(i),
        }
    }
}

/// A row read as a tuple of columns.
pub(crate) trait Tuple: Sized {
    fn from_row(row: &Row) -> Result<Self, StoreError>;
}

macro_rules! tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Col),+> Tuple for ($($t,)+) {
            fn from_row(row: &Row) -> Result<Self, StoreError> {
                Ok(($(row.col::<$t>($i)?,)+))
            }
        }
    };
}
tuple!(A 0, B 1);
tuple!(A 0, B 1, C 2);
tuple!(A 0, B 1, C 2, D 3);
tuple!(A 0, B 1, C 2, D 3, E 4);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

impl Query {
    pub(crate) fn bind(mut self, value: impl Bind) -> Query {
        self.values.push(value.value());
        self
    }

    fn sqlite(self) -> sqlx::query::Query<'static, Sqlite, SqliteArguments> {
        let args = arguments::<Sqlite>(self.values);
        match self.sql {
            Cow::Borrowed(sql) => sqlx::query_with(sql, args),
            Cow::Owned(sql) => sqlx::query_with(AssertSqlSafe(sql), args),
        }
    }

    /// Whether the statement writes (and so, on PostgreSQL, must hold the
    /// write lock like every writing transaction).
    fn writes(&self) -> bool {
        let first = self.sql.trim_start().split_ascii_whitespace().next().unwrap_or("");
        ["INSERT", "UPDATE", "DELETE"].iter().any(|w| first.eq_ignore_ascii_case(w))
    }

    /// A write run alone on PostgreSQL: in a transaction of its own that
    /// holds the write lock (see the module's comment).
    async fn locked_write(self, pool: &PgPool) -> Result<Vec<Row>, StoreError> {
        let mut tx = locked(pool).await?;
        let rows = self.postgres().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(Row::Postgres).collect())
    }

    async fn locked_execute(self, pool: &PgPool) -> Result<u64, StoreError> {
        let mut tx = locked(pool).await?;
        let done = self.postgres().execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(done)
    }

    /// Runs a statement that writes nothing on PostgreSQL's pool, on a live
    /// connection (see `connection_lost`).
    async fn read_on_pool<T, F>(
        self,
        pool: &PgPool,
        run: impl Fn(sqlx::query::Query<'static, Postgres, PgArguments>) -> F,
    ) -> Result<T, sqlx::Error>
    where
        F: Future<Output = Result<T, sqlx::Error>>,
    {
        on_a_live_connection(pool, || run(self.clone().postgres())).await
    }

    fn postgres(self) -> sqlx::query::Query<'static, Postgres, PgArguments> {
        let args = arguments::<Postgres>(self.values);
        match self.sql {
            Cow::Borrowed(sql) => sqlx::query_with(dialect::postgres_static(sql), args),
            Cow::Owned(sql) => sqlx::query_with(AssertSqlSafe(dialect::postgres(&sql)), args),
        }
    }

    /// Runs it; how many rows it changed.
    pub(crate) async fn execute<'a>(self, on: impl Into<On<'a>>) -> Result<u64, StoreError> {
        Ok(match on.into() {
            On::SqlitePool(p) => self.sqlite().execute(p).await?.rows_affected(),
            On::SqliteTx(tx) => self.sqlite().execute(&mut **tx).await?.rows_affected(),
            On::PgPool(p) if self.writes() => self.locked_execute(p).await?,
            On::PgPool(p) => self.read_on_pool(p, |q| q.execute(p)).await?.rows_affected(),
            On::PgTx(tx) => self.postgres().execute(&mut **tx).await?.rows_affected(),
        })
    }

    pub(crate) async fn fetch_all<'a>(self, on: impl Into<On<'a>>) -> Result<Vec<Row>, StoreError> {
        Ok(match on.into() {
            On::SqlitePool(p) => self.sqlite().fetch_all(p).await?.into_iter().map(Row::Sqlite).collect(),
            On::SqliteTx(tx) => self.sqlite().fetch_all(&mut **tx).await?.into_iter().map(Row::Sqlite).collect(),
            On::PgPool(p) if self.writes() => self.locked_write(p).await?,
            On::PgPool(p) => self.read_on_pool(p, |q| q.fetch_all(p)).await?.into_iter().map(Row::Postgres).collect(),
            On::PgTx(tx) => self.postgres().fetch_all(&mut **tx).await?.into_iter().map(Row::Postgres).collect(),
        })
    }

    pub(crate) async fn fetch_optional<'a>(self, on: impl Into<On<'a>>) -> Result<Option<Row>, StoreError> {
        Ok(match on.into() {
            On::SqlitePool(p) => self.sqlite().fetch_optional(p).await?.map(Row::Sqlite),
            On::SqliteTx(tx) => self.sqlite().fetch_optional(&mut **tx).await?.map(Row::Sqlite),
            On::PgPool(p) if self.writes() => self.locked_write(p).await?.into_iter().next(),
            On::PgPool(p) => self.read_on_pool(p, |q| q.fetch_optional(p)).await?.map(Row::Postgres),
            On::PgTx(tx) => self.postgres().fetch_optional(&mut **tx).await?.map(Row::Postgres),
        })
    }

    pub(crate) async fn fetch_one<'a>(self, on: impl Into<On<'a>>) -> Result<Row, StoreError> {
        self.fetch_optional(on).await?.ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// The first column of the one row it returns.
    pub(crate) async fn scalar<'a, T: Col>(self, on: impl Into<On<'a>>) -> Result<T, StoreError> {
        self.fetch_one(on).await?.col(0)
    }

    /// The first column of the row it returns, if it returns one.
    pub(crate) async fn scalar_optional<'a, T: Col>(self, on: impl Into<On<'a>>) -> Result<Option<T>, StoreError> {
        match self.fetch_optional(on).await? {
            Some(row) => Ok(Some(row.col(0)?)),
            None => Ok(None),
        }
    }

    pub(crate) async fn fetch_one_as<'a, T: Tuple>(self, on: impl Into<On<'a>>) -> Result<T, StoreError> {
        T::from_row(&self.fetch_one(on).await?)
    }

    pub(crate) async fn fetch_optional_as<'a, T: Tuple>(self, on: impl Into<On<'a>>) -> Result<Option<T>, StoreError> {
        self.fetch_optional(on).await?.as_ref().map(T::from_row).transpose()
    }

    pub(crate) async fn fetch_all_as<'a, T: Tuple>(self, on: impl Into<On<'a>>) -> Result<Vec<T>, StoreError> {
        self.fetch_all(on).await?.iter().map(T::from_row).collect()
    }

    /// The first column of every row.
    pub(crate) async fn scalars<'a, T: Col>(self, on: impl Into<On<'a>>) -> Result<Vec<T>, StoreError> {
        self.fetch_all(on).await?.iter().map(|row| row.col(0)).collect()
    }
}
