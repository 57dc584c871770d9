//! The audit log: who did what in the newsroom, and when. Entries are only
//! ever added; nothing in Manşet edits or deletes them.

use jiff::Timestamp;

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// One thing that happened, as it is written down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub user_id: Option<i64>,
    /// Who: the member's name and e-mail at the time, or what tried to log in.
    pub actor: String,
    /// A stable code (`login`, `article.publish`, `comment.spam`, …).
    pub action: String,
    /// What it was done to ("haber 12: Başlık").
    pub subject: String,
    pub detail: String,
    pub ip: Option<String>,
}

/// An entry to write.
#[derive(Debug, Clone, Default)]
pub struct NewAuditEntry<'a> {
    pub user_id: Option<i64>,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
    pub ip: Option<&'a str>,
}

impl Store {
    /// Writes an entry of the audit log.
    pub async fn audit(&self, entry: NewAuditEntry<'_>, now: Timestamp) -> Result<(), StoreError> {
        query(
            "INSERT INTO audit_log (at, user_id, actor, action, subject, detail, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(now.as_second())
        .bind(entry.user_id)
        .bind(entry.actor)
        .bind(entry.action)
        .bind(entry.subject)
        .bind(entry.detail)
        .bind(entry.ip)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Entries newest first, `limit` of them after skipping `offset`,
    /// optionally only those whose action starts with `action_prefix`.
    pub async fn audit_entries(
        &self,
        action_prefix: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<AuditEntry>, u64), StoreError> {
        let pattern = action_prefix.map(|p| format!("{}%", crate::db::like_literal(p)));
        let total: i64 = query("SELECT COUNT(*) FROM audit_log WHERE ?1 IS NULL OR action LIKE ?1")
            .bind(&pattern)
            .scalar(&self.db)
            .await?;
        let rows = query(
            "SELECT id, at, user_id, actor, action, subject, detail, ip FROM audit_log \
             WHERE ?1 IS NULL OR action LIKE ?1 ORDER BY at DESC, id DESC LIMIT ?2 OFFSET ?3",
        )
        .bind(&pattern)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.db)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.col(0)?,
                    at: Timestamp::from_second(r.col(1)?).unwrap_or(Timestamp::UNIX_EPOCH),
                    user_id: r.col(2)?,
                    actor: r.col(3)?,
                    action: r.col(4)?,
                    subject: r.col(5)?,
                    detail: r.col(6)?,
                    ip: r.col(7)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((entries, u64::try_from(total).unwrap_or(0)))
    }
}
