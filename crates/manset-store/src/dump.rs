//! The whole database as rows, and back: for `manset export` and
//! `manset import manset`.
//!
//! Every table except the transient ones (sessions, login throttling, the change log) is
//! read inside one read transaction, so the rows are one consistent moment
//! even while the site is being written to. A row is a JSON object made by
//! SQLite itself (`json_object`), its columns in table order, so the same
//! database always gives the same text. Restoring takes an empty database
//! at the same schema version and writes every row, ids kept, in one
//! transaction with foreign keys checked at its end.

use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Row};

use crate::{Store, StoreError};

/// Tables a dump leaves out: what only matters while the site runs.
const TRANSIENT: [&str; 3] = ["sessions", "login_failures", "changes"];

/// One table row of a dump.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpRow {
    pub table: String,
    /// The row as a JSON object (column → value; a BLOB as `{"hex": "…"}`).
    pub row: String,
}

/// Why a dump cannot be restored here.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("the data folder already holds a site ({0} has rows): restore into a new, empty folder")]
    NotEmpty(String),
    #[error(
        "the dump is of schema version {dump}, this program's is {ours}: restore it with the Manşet version that \
         wrote it, then upgrade"
    )]
    SchemaVersion { dump: i64, ours: i64 },
    #[error("the dump names a table this database does not have: `{0}`")]
    UnknownTable(String),
    #[error("the dump gives column `{column}` for table `{table}`, which does not have it")]
    UnknownColumn { table: String, column: String },
    #[error("a row of `{table}` is not a JSON object of column values: {why}")]
    BadRow { table: String, why: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for RestoreError {
    fn from(e: sqlx::Error) -> RestoreError {
        RestoreError::Store(StoreError::from(e))
    }
}

fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

impl Store {
    /// The schema version: the newest migration applied.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?)
    }

    /// The tables a dump holds, with their columns, in a fixed order.
    async fn dump_tables(conn: &mut sqlx::SqliteConnection) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for name in names.into_iter().filter(|n| !TRANSIENT.contains(&n.as_str())) {
            let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                .bind(&name)
                .fetch_all(&mut *conn)
                .await?;
            out.push((name, columns));
        }
        Ok(out)
    }

    /// Every row of every table, one consistent moment, handed to `sink` in
    /// a fixed order (tables by name, rows by id).
    pub async fn export_rows(&self, mut sink: impl FnMut(DumpRow) -> std::io::Result<()>) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let tables = Store::dump_tables(&mut tx).await?;
        let mut count = 0;
        for (table, columns) in tables {
            let fields: Vec<String> = columns
                .iter()
                .map(|c| {
                    let q = quote(c);
                    format!(
                        "'{}', CASE typeof({q}) WHEN 'blob' THEN json_object('hex', hex({q})) ELSE {q} END",
                        c.replace('\'', "''")
                    )
                })
                .collect();
            let sql = format!("SELECT json_object({}) FROM {} ORDER BY rowid", fields.join(", "), quote(&table));
            let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *tx);
            while let Some(row) = rows.try_next().await? {
                let json: String = row.try_get(0)?;
                sink(DumpRow { table: table.clone(), row: json }).map_err(StoreError::Io)?;
                count += 1;
            }
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Restores rows written by [`Store::export_rows`] into this (empty)
    /// database, in one transaction: all of them, or none.
    pub async fn restore_rows(
        &self,
        dump_schema: i64,
        rows: impl Iterator<Item = Result<DumpRow, RestoreError>>,
    ) -> Result<u64, RestoreError> {
        let ours = self.schema_version().await?;
        if dump_schema != ours {
            return Err(RestoreError::SchemaVersion { dump: dump_schema, ours });
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await?;
        let tables = Store::dump_tables(&mut tx).await?;
        for (table, _) in &tables {
            let any: bool =
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT EXISTS (SELECT 1 FROM {})", quote(table))))
                    .fetch_one(&mut *tx)
                    .await?;
            if any {
                return Err(RestoreError::NotEmpty(table.clone()));
            }
        }
        let mut count = 0;
        for row in rows {
            let DumpRow { table, row } = row?;
            let Some((_, columns)) = tables.iter().find(|(t, _)| *t == table) else {
                return Err(RestoreError::UnknownTable(table));
            };
            let bad = |why: String| RestoreError::BadRow { table: table.clone(), why };
            let value: serde_json::Value = serde_json::from_str(&row).map_err(|e| bad(e.to_string()))?;
            let serde_json::Value::Object(fields) = value else { return Err(bad("not an object".into())) };
            let mut names = Vec::with_capacity(fields.len());
            for name in fields.keys() {
                if !columns.contains(name) {
                    return Err(RestoreError::UnknownColumn { table, column: name.clone() });
                }
                names.push(quote(name));
            }
            let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
            let sql = format!("INSERT INTO {} ({}) VALUES ({})", quote(&table), names.join(", "), marks.join(", "));
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for value in fields.values() {
                query = match value {
                    serde_json::Value::Null => query.bind(None::<i64>),
                    serde_json::Value::Bool(b) => query.bind(*b),
                    serde_json::Value::Number(n) => match n.as_i64() {
                        Some(i) => query.bind(i),
                        None => query.bind(n.as_f64().unwrap_or(0.0)),
                    },
                    serde_json::Value::String(s) => query.bind(s.clone()),
                    serde_json::Value::Object(o) => {
                        let hex = o.get("hex").and_then(|h| h.as_str()).ok_or_else(|| bad("an object value".into()))?;
                        query.bind(decode_hex(hex).ok_or_else(|| bad("a BLOB that is not hex".into()))?)
                    }
                    serde_json::Value::Array(_) => return Err(bad("an array value".into())),
                };
            }
            query.execute(&mut *tx).await?;
            count += 1;
        }
        tx.commit().await?;
        Ok(count)
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}
