//! The whole database as rows, and back: for `manset export` and
//! `manset import manset`.
//!
//! Every table except the transient ones (sessions, login throttling, the change log, rate limits,
//! who has an article open) is
//! read inside one read transaction, so the rows are one consistent moment
//! even while the site is being written to. A row is a JSON object of its
//! typed values, its columns in table order, written the same way for both
//! engines, so the same data always gives the same text. Restoring takes an
//! empty database at the same schema version and writes every row, ids
//! kept, in one transaction with foreign keys checked at its end; a dump of
//! one engine restores into the other (`manset migrate`).

use sha2::Digest as _;

use crate::db::{Query, Tx, query, query_made};
use crate::{Store, StoreError};

/// Tables a dump leaves out: what only matters while the site runs.
const TRANSIENT: [&str; 5] = ["sessions", "login_failures", "changes", "rate_hits", "article_presence"];

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

/// What a column holds, as both engines declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
    Bytes,
}

impl Kind {
    fn of(declared: &str) -> Kind {
        let declared = declared.to_ascii_uppercase();
        if declared.contains("INT") {
            Kind::Int
        } else if declared.contains("BLOB") || declared.contains("BYTEA") {
            Kind::Bytes
        } else if declared.contains("REAL") || declared.contains("DOUBLE") || declared.contains("FLOAT") {
            Kind::Real
        } else {
            Kind::Text
        }
    }
}

/// A table of the dump: its name, its columns and what each holds, and
/// whether its `id` is generated (PostgreSQL's identity must then move on
/// past the restored ids).
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
    identity: bool,
}

impl Store {
    /// The schema version: the newest migration applied.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success").scalar(&self.db).await
    }

    /// The tables a dump holds, with their columns, in a fixed order.
    async fn dump_tables(tx: &mut Tx) -> Result<Vec<Table>, StoreError> {
        let postgres = tx.is_postgres();
        let mut names: Vec<String> = if postgres {
            query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
            )
            .scalars(&mut *tx)
            .await?
        } else {
            query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' \
                 AND name <> '_sqlx_migrations'",
            )
            .scalars(&mut *tx)
            .await?
        };
        // Byte order, the same on both engines whatever their collation.
        names.sort();
        let mut out = Vec::new();
        for name in names.into_iter().filter(|n| !TRANSIENT.contains(&n.as_str())) {
            let rows: Vec<(String, String, i64)> = if postgres {
                query(
                    "SELECT column_name::text, data_type::text, CAST(CASE WHEN is_identity = 'YES' THEN 1 ELSE 0 END AS INTEGER) \
                     FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?1 \
                     ORDER BY ordinal_position",
                )
                .bind(&name)
                .fetch_all_as(&mut *tx)
                .await?
            } else {
                query("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")
                    .bind(&name)
                    .fetch_all_as(&mut *tx)
                    .await?
            };
            // SQLite's `INTEGER PRIMARY KEY` is its identity.
            let identity = rows
                .iter()
                .any(|(column, kind, flag)| column == "id" && *flag == 1 && (postgres || Kind::of(kind) == Kind::Int))
                && (postgres || rows.iter().filter(|r| r.2 > 0).count() == 1);
            let columns = rows.into_iter().map(|(column, kind, _)| (column, Kind::of(&kind))).collect();
            out.push(Table { name, columns, identity });
        }
        Ok(out)
    }

    /// Every row of every table, one consistent moment, handed to `sink` in
    /// a fixed order (tables by name, rows by their columns in order). A
    /// row's JSON is written here from the typed values, so both engines
    /// give the same text for the same data.
    pub async fn export_rows(&self, mut sink: impl FnMut(DumpRow) -> std::io::Result<()>) -> Result<u64, StoreError> {
        let mut tx = self.db.begin_snapshot().await?;
        let tables = Store::dump_tables(&mut tx).await?;
        let mut count = 0;
        for table in tables {
            let names: Vec<String> = table.columns.iter().map(|(c, _)| quote(c)).collect();
            // Every column in turn, text by its bytes on both engines.
            let order: Vec<String> = table
                .columns
                .iter()
                .map(|(column, kind)| {
                    let name = quote(column);
                    if *kind == Kind::Text && tx.is_postgres() { format!("{name} COLLATE \"C\"") } else { name }
                })
                .collect();
            let sql = format!("SELECT {} FROM {} ORDER BY {}", names.join(", "), quote(&table.name), order.join(", "));
            for row in query_made(sql).fetch_all(&mut tx).await? {
                let mut json = String::from("{");
                for (i, (column, _)) in table.columns.iter().enumerate() {
                    if i > 0 {
                        json.push(',');
                    }
                    json.push_str(&serde_json::Value::from(column.as_str()).to_string());
                    json.push(':');
                    json.push_str(&row.json(i)?.to_string());
                }
                json.push('}');
                sink(DumpRow { table: table.name.clone(), row: json }).map_err(StoreError::Io)?;
                count += 1;
            }
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Restores rows written by [`Store::export_rows`] (by either engine)
    /// into this (empty) database, in one transaction: all of them, or none.
    pub async fn restore_rows(
        &self,
        dump_schema: i64,
        rows: impl Iterator<Item = Result<DumpRow, RestoreError>>,
    ) -> Result<u64, RestoreError> {
        let ours = self.schema_version().await?;
        if dump_schema != ours {
            return Err(RestoreError::SchemaVersion { dump: dump_schema, ours });
        }
        let mut tx = self.db.begin_write().await?;
        // Foreign keys are checked at the commit: tables come in name order,
        // children before their parents.
        let defer = if tx.is_postgres() { "SET CONSTRAINTS ALL DEFERRED" } else { "PRAGMA defer_foreign_keys = ON" };
        query(defer).execute(&mut tx).await?;
        let tables = Store::dump_tables(&mut tx).await?;
        for table in &tables {
            let any: i64 = query_made(format!("SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) t", quote(&table.name)))
                .scalar(&mut tx)
                .await?;
            if any > 0 {
                return Err(RestoreError::NotEmpty(table.name.clone()));
            }
        }
        let mut count = 0;
        for row in rows {
            let DumpRow { table, row } = row?;
            let Some(known) = tables.iter().find(|t| t.name == table) else {
                return Err(RestoreError::UnknownTable(table));
            };
            let bad = |why: String| RestoreError::BadRow { table: table.clone(), why };
            let value: serde_json::Value = serde_json::from_str(&row).map_err(|e| bad(e.to_string()))?;
            let serde_json::Value::Object(fields) = value else { return Err(bad("not an object".into())) };
            let mut names = Vec::with_capacity(fields.len());
            let mut kinds = Vec::with_capacity(fields.len());
            for name in fields.keys() {
                let Some((_, kind)) = known.columns.iter().find(|(c, _)| c == name) else {
                    return Err(RestoreError::UnknownColumn { table, column: name.clone() });
                };
                names.push(quote(name));
                kinds.push(*kind);
            }
            let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
            let sql = format!("INSERT INTO {} ({}) VALUES ({})", quote(&table), names.join(", "), marks.join(", "));
            let mut insert = query_made(sql);
            for (value, kind) in fields.values().zip(kinds) {
                insert = bind_json(insert, value, kind).map_err(|why| bad(why.into()))?;
            }
            insert.execute(&mut tx).await?;
            count += 1;
        }
        if tx.is_postgres() {
            // Rows came with their ids: new rows must get ids after them.
            for table in tables.iter().filter(|t| t.identity) {
                let name = quote(&table.name);
                query_made(format!(
                    "SELECT setval(pg_get_serial_sequence('{}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)",
                    table.name.replace('\'', "''")
                ))
                .execute(&mut tx)
                .await?;
            }
        }
        tx.commit().await?;
        // The planner's statistics for the tables just filled (autovacuum
        // would get there, after the first pages were planned blind).
        if self.db.is_postgres() {
            query("ANALYZE").execute(&self.db).await?;
        }
        Ok(count)
    }

    /// Per table, its number of rows and a checksum of them that does not
    /// depend on their order: the same data gives the same sums on either
    /// engine (`manset migrate` compares them).
    pub async fn table_checksums(&self) -> Result<Vec<(String, u64, String)>, StoreError> {
        let mut sums: Vec<(String, u64, [u8; 32])> = Vec::new();
        self.export_rows(|row| {
            let digest: [u8; 32] = sha2::Sha256::digest(row.row.as_bytes()).into();
            match sums.last_mut() {
                Some((table, count, sum)) if *table == row.table => {
                    *count += 1;
                    add_into(sum, &digest);
                }
                _ => sums.push((row.table, 1, digest)),
            }
            Ok(())
        })
        .await?;
        Ok(sums.into_iter().map(|(t, n, s)| (t, n, s.iter().map(|b| format!("{b:02x}")).collect())).collect())
    }
}

/// `sum += digest`, as 256-bit numbers modulo 2^256: adding is
/// order-independent, and unlike XOR two equal rows do not cancel out.
fn add_into(sum: &mut [u8; 32], digest: &[u8; 32]) {
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let total = u16::from(sum[i]) + u16::from(digest[i]) + carry;
        sum[i] = (total & 0xff) as u8;
        carry = total >> 8;
    }
}

/// Binds a dumped value as the column's kind wants it (SQLite may have
/// kept a number in a text column; PostgreSQL will not take it as one).
fn bind_json(insert: Query, value: &serde_json::Value, kind: Kind) -> Result<Query, &'static str> {
    use serde_json::Value as J;
    Ok(match (value, kind) {
        (J::Null, Kind::Int) => insert.bind(None::<i64>),
        (J::Null, Kind::Real) => insert.bind(None::<f64>),
        (J::Null, Kind::Text) => insert.bind(None::<String>),
        (J::Null, Kind::Bytes) => insert.bind(None::<Vec<u8>>),
        (J::Bool(b), Kind::Text) => insert.bind(b.to_string()),
        (J::Bool(b), _) => insert.bind(*b),
        (J::Number(n), Kind::Text) => insert.bind(n.to_string()),
        (J::Number(n), Kind::Real) => insert.bind(n.as_f64().unwrap_or(0.0)),
        (J::Number(n), _) => match n.as_i64() {
            Some(i) => insert.bind(i),
            None => insert.bind(n.as_f64().unwrap_or(0.0)),
        },
        (J::String(s), Kind::Int) => insert.bind(s.parse::<i64>().map_err(|_| "text in a number column")?),
        (J::String(s), _) => insert.bind(s.clone()),
        (J::Object(o), _) => {
            let hex = o.get("hex").and_then(|h| h.as_str()).ok_or("an object value")?;
            insert.bind(decode_hex(hex).ok_or("a BLOB that is not hex")?)
        }
        (J::Array(_), _) => return Err("an array value"),
    })
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}
