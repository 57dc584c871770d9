//! Site settings: a small key/value table, and the site's signing secret.

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// Key of the secret used to sign cookies and form tokens.
const SECRET_KEY: &str = "secret.signing";

impl Store {
    /// The value of setting `key`, if set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = query("SELECT value FROM settings WHERE key = ?1").bind(key).fetch_optional(&self.db).await?;
        Ok(match row {
            Some(r) => Some(r.col(0)?),
            None => None,
        })
    }

    /// Sets `key` to `value`, replacing any earlier value.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        query(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Removes setting `key`, returning to its default.
    pub async fn clear_setting(&self, key: &str) -> Result<(), StoreError> {
        query("DELETE FROM settings WHERE key = ?1").bind(key).execute(&self.db).await?;
        Ok(())
    }

    /// All settings but the secret, sorted by key.
    pub async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = query("SELECT key, value FROM settings WHERE key <> ?1 ORDER BY key")
            .bind(SECRET_KEY)
            .fetch_all(&self.db)
            .await?;
        rows.iter().map(|r| Ok((r.col(0)?, r.col(1)?))).collect()
    }

    /// The site's signing secret, created from `fresh` on first use. Every
    /// process of the site reads the same one, so a cookie signed by one app
    /// server is accepted by the others.
    pub async fn signing_secret(&self, fresh: &str) -> Result<String, StoreError> {
        query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING")
            .bind(SECRET_KEY)
            .bind(fresh)
            .execute(&self.db)
            .await?;
        query("SELECT value FROM settings WHERE key = ?1").bind(SECRET_KEY).scalar(&self.db).await
    }
}
