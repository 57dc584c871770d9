//! The newsroom's editing state: autosave slots and who has an article open
//! (see `manset_service::editing`). Neither reaches readers; no change-log
//! trigger watches these tables.

use jiff::Timestamp;

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// A member's unsaved changes to an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autosave {
    /// The revision the changes started from.
    pub base_revision: i64,
    /// The form as typed, in the door's own encoding.
    pub content: String,
    pub saved_at: Timestamp,
}

/// A member with an article open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Present {
    pub article_id: i64,
    pub user_id: i64,
    pub name: String,
    pub seen_at: Timestamp,
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Store {
    /// Puts `content` in the slot of `user_id` for article `article_id`.
    pub async fn put_autosave(
        &self,
        article_id: i64,
        user_id: i64,
        base_revision: i64,
        content: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        query(
            "INSERT INTO article_autosaves (article_id, user_id, base_revision, content, saved_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (article_id, user_id) DO UPDATE SET base_revision = excluded.base_revision, \
             content = excluded.content, saved_at = excluded.saved_at",
        )
        .bind(article_id)
        .bind(user_id)
        .bind(base_revision)
        .bind(content)
        .bind(now.as_second())
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// The slot of `user_id` for article `article_id`, if it holds anything.
    pub async fn autosave(&self, article_id: i64, user_id: i64) -> Result<Option<Autosave>, StoreError> {
        let row = query(
            "SELECT base_revision, content, saved_at FROM article_autosaves WHERE article_id = ?1 AND user_id = ?2",
        )
        .bind(article_id)
        .bind(user_id)
        .fetch_optional(&self.db)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Autosave { base_revision: r.col(0)?, content: r.col(1)?, saved_at: ts(r.col(2)?) }))
    }

    /// Empties the slot of `user_id` for article `article_id`.
    pub async fn delete_autosave(&self, article_id: i64, user_id: i64) -> Result<(), StoreError> {
        query("DELETE FROM article_autosaves WHERE article_id = ?1 AND user_id = ?2")
            .bind(article_id)
            .bind(user_id)
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// The number of article `id`'s newest revision (0 for none).
    pub async fn latest_revision(&self, id: i64) -> Result<i64, StoreError> {
        query("SELECT COALESCE(MAX(number), 0) FROM article_revisions WHERE article_id = ?1")
            .bind(id)
            .scalar(&self.db)
            .await
    }

    /// `user_id` has article `article_id` open, as of `now`.
    pub async fn touch_presence(&self, article_id: i64, user_id: i64, now: Timestamp) -> Result<(), StoreError> {
        query(
            "INSERT INTO article_presence (article_id, user_id, seen_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (article_id, user_id) DO UPDATE SET seen_at = excluded.seen_at",
        )
        .bind(article_id)
        .bind(user_id)
        .bind(now.as_second())
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// `user_id` closed article `article_id`.
    pub async fn leave_presence(&self, article_id: i64, user_id: i64) -> Result<(), StoreError> {
        query("DELETE FROM article_presence WHERE article_id = ?1 AND user_id = ?2")
            .bind(article_id)
            .bind(user_id)
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// Who has any of `ids` open, seen at or after `since`, by article then name.
    pub async fn present(&self, ids: &[i64], since: Timestamp) -> Result<Vec<Present>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids).map_err(|e| StoreError::Decode(e.to_string()))?;
        let rows = query(
            "SELECT p.article_id, p.user_id, u.name, p.seen_at FROM article_presence p \
             JOIN users u ON u.id = p.user_id \
             WHERE p.article_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1)) AND p.seen_at >= ?2 \
             ORDER BY p.article_id, u.name",
        )
        .bind(list)
        .bind(since.as_second())
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| Ok(Present { article_id: r.col(0)?, user_id: r.col(1)?, name: r.col(2)?, seen_at: ts(r.col(3)?) }))
            .collect()
    }
}
