//! The front page as editors arrange it (the lead story and featured slots)
//! and breaking news ("Son dakika") with its expiry.
//!
//! Both are read through the `visible!()` filter: a slot holding a draft, an
//! embargoed or a withdrawn article is simply skipped, and breaking news ends
//! at its time without any job running.

use jiff::Timestamp;
use manset_core::ArticleSummary;

use crate::articles::summary_from_row;
use crate::db::{Tx, query};
use crate::read::Cols;
use crate::{Store, StoreError};

/// An article in the breaking-news ticker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakingItem {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub until: Timestamp,
}

/// Notes that something shown on every page changed at `now`.
async fn mark_site_changed(tx: &mut Tx, now: Timestamp) -> Result<(), StoreError> {
    query(
        "INSERT INTO settings (key, value) VALUES ('site.changed_at', ?1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(now.as_second().to_string())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// What every page shows around its content, read in one query: the
/// category menu, the footer's pages, the breaking-news ticker, and when any
/// of that (or the newest article) last changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteChrome {
    pub categories: Vec<manset_core::CategoryRef>,
    /// Footer menu pages: (title, slug).
    pub pages: Vec<(String, String)>,
    pub breaking: Vec<BreakingItem>,
    pub changed_at: Option<Timestamp>,
}

impl Store {
    /// The chrome of every page at `now`, in one query: every page needs it.
    pub async fn site_chrome(&self, now: Timestamp, breaking_limit: u32) -> Result<SiteChrome, StoreError> {
        const SQL: &str = concat!(
            "SELECT \
               (SELECT json_group_array(json_array(c.id, c.name, c.slug) ORDER BY c.position, c.name) \
                  FROM categories c WHERE EXISTS (SELECT 1 FROM articles a WHERE a.category_id = c.id AND",
            visible!(),
            ")), \
               (SELECT json_group_array(json_array(title, slug) ORDER BY menu_position, lower(title)) \
                  FROM pages WHERE menu_position IS NOT NULL AND draft = 0), \
               (SELECT json_group_array(json_array(a.id, a.slug, a.headline, a.breaking_until) \
                  ORDER BY a.published_at DESC, a.id DESC) FROM articles a INDEXED BY articles_breaking WHERE",
            visible!(),
            "AND a.breaking_until > ?1), \
               MAX(COALESCE((SELECT MAX(a.published_at) FROM articles a WHERE",
            visible!(),
            "), 0), COALESCE((SELECT MAX(modified_at) FROM pages), 0), \
                   COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'site.changed_at'), 0), \
                   COALESCE((SELECT MAX(breaking_until) FROM articles WHERE breaking_until <= ?1), 0))"
        );
        // No bound LIMIT: SQLite prepares a statement again whenever a LIMIT
        // parameter is bound, which cost more than the query. The ticker is
        // cut here instead; breaking items are few.
        let (categories, pages, breaking, changed): (String, String, String, i64) = match self.db.reader() {
            None => query(SQL).bind(now.as_second()).fetch_one_as(&self.db).await?,
            Some(reader) => reader.run(|db| {
                Ok(db
                    .prepare_cached(SQL)?
                    .query_row([now.as_second()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?)
            })?,
        };
        let decode = |e: serde_json::Error| StoreError::Decode(e.to_string());
        let categories: Vec<(i64, String, String)> = serde_json::from_str(&categories).map_err(decode)?;
        let pages: Vec<(String, String)> = serde_json::from_str(&pages).map_err(decode)?;
        let mut breaking: Vec<(i64, String, String, i64)> = serde_json::from_str(&breaking).map_err(decode)?;
        breaking.truncate(breaking_limit as usize);
        Ok(SiteChrome {
            categories: categories
                .into_iter()
                .map(|(id, name, slug)| manset_core::CategoryRef { id, name, slug })
                .collect(),
            pages,
            breaking: breaking
                .into_iter()
                .map(|(id, slug, headline, until)| BreakingItem {
                    id,
                    slug,
                    headline,
                    until: Timestamp::from_second(until).unwrap_or(Timestamp::UNIX_EPOCH),
                })
                .collect(),
            changed_at: (changed > 0).then(|| Timestamp::from_second(changed).ok()).flatten(),
        })
    }

    /// The article ids of the front page's slots, in order (slot 0: the lead).
    pub async fn front_slots(&self) -> Result<Vec<i64>, StoreError> {
        query("SELECT article_id FROM front_slots ORDER BY position").scalars(&self.db).await
    }

    /// Replaces the slots with `ids`, in order; `false` (and nothing changed)
    /// if one of them is not an article.
    pub async fn set_front_slots(&self, ids: &[i64], now: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        mark_site_changed(&mut tx, now).await?;
        query("DELETE FROM front_slots").execute(&mut tx).await?;
        for (position, id) in ids.iter().enumerate() {
            let exists: bool =
                query("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?1)").bind(id).scalar(&mut tx).await?;
            if !exists {
                return Ok(false);
            }
            query("INSERT INTO front_slots (position, article_id) VALUES (?1, ?2)")
                .bind(position as i64)
                .bind(id)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The visible articles of the slots, in slot order, with their slot.
    pub async fn front_page(&self, now: Timestamp) -> Result<Vec<(i64, ArticleSummary)>, StoreError> {
        let slots: Vec<(i64, i64)> =
            query("SELECT position, article_id FROM front_slots ORDER BY position").fetch_all_as(&self.db).await?;
        let rows = query(concat!(
            summary_select!(),
            "JOIN front_slots f ON f.article_id = a.id WHERE",
            visible!(),
            "ORDER BY f.position"
        ))
        .bind(now.as_second())
        .fetch_all(&self.db)
        .await?;
        let summaries: Vec<ArticleSummary> = rows.iter().map(summary_from_row).collect::<Result<_, _>>()?;
        Ok(summaries
            .into_iter()
            .filter_map(|a| slots.iter().find(|(_, id)| *id == a.id).map(|(position, _)| (*position, a)))
            .collect())
    }

    /// Puts an article in the ticker until `until`, or takes it out (`None`).
    /// `false` if there is no such article.
    pub async fn set_breaking(
        &self,
        article_id: i64,
        until: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let done = query("UPDATE articles SET breaking_until = ?1 WHERE id = ?2")
            .bind(until.map(|t| t.as_second()))
            .bind(article_id)
            .execute(&mut tx)
            .await?;
        if done == 0 {
            return Ok(false);
        }
        mark_site_changed(&mut tx, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The ticker at `now`: visible articles whose breaking time has not
    /// passed, newest first.
    pub async fn breaking_news(&self, now: Timestamp, limit: u32) -> Result<Vec<BreakingItem>, StoreError> {
        let rows = query(concat!(
            // The few articles with breaking news, not every visible one.
            "SELECT a.id, a.slug, a.headline, a.breaking_until FROM articles a INDEXED BY articles_breaking WHERE",
            visible!(),
            "AND a.breaking_until > ?1 ORDER BY a.published_at DESC, a.id DESC LIMIT ?2"
        ))
        .bind(now.as_second())
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BreakingItem {
                    id: r.col(0)?,
                    slug: r.col(1)?,
                    headline: r.col(2)?,
                    until: Timestamp::from_second(r.col(3)?).unwrap_or(Timestamp::UNIX_EPOCH),
                })
            })
            .collect::<Result<_, StoreError>>()
    }
}
