//! Ingest: the agency feeds the newsroom follows (not the ones we publish,
//! which are `manset-web`'s syndication), their addresses and polling
//! state, and the items already seen.

use jiff::Timestamp;
use manset_core::ArticleInput;
use manset_text::slug;

use crate::db::{Row, query};
use crate::read::Cols;
use crate::save::{Target, write_article};
use crate::{Store, StoreError};

/// A feed as the poller sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub id: i64,
    pub url: String,
    pub source_name: String,
    pub category: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: Timestamp,
    pub last_polled_at: Option<Timestamp>,
    pub failures: u32,
    pub last_error: Option<String>,
}

/// What one poll found out, to be remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollResult {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: Timestamp,
    pub failures: u32,
    pub error: Option<String>,
}

/// How an item was known already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// This feed gave the same id before.
    Guid,
    /// Some feed gave the same link.
    Link,
    /// An item with nearly the same words came in (checked by the importer).
    Text,
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn feed_from_row(r: &Row) -> Result<Feed, StoreError> {
    Ok(Feed {
        id: r.col(0)?,
        url: r.col(1)?,
        source_name: r.col(2)?,
        category: r.col(3)?,
        etag: r.col(4)?,
        last_modified: r.col(5)?,
        next_poll_at: ts(r.col(6)?),
        last_polled_at: r.col::<Option<i64>>(7)?.map(ts),
        failures: u32::try_from(r.col::<i64>(8)?).unwrap_or(0),
        last_error: r.col(9)?,
    })
}

macro_rules! select_feeds {
    ($rest:literal) => {
        concat!(
            "SELECT id, url, source_name, category, etag, last_modified, next_poll_at, last_polled_at, failures, \
             last_error FROM feeds ",
            $rest
        )
    };
}

impl Store {
    /// Adds a feed, polled from now on; `None` if the address is there already.
    pub async fn add_feed(
        &self,
        url: &str,
        source_name: &str,
        category: Option<&str>,
        now: Timestamp,
    ) -> Result<Option<i64>, StoreError> {
        query(
            "INSERT INTO feeds (url, source_name, category, next_poll_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4) \
             ON CONFLICT (url) DO NOTHING RETURNING id",
        )
        .bind(url)
        .bind(source_name.trim())
        .bind(category.map(str::trim).filter(|c| !c.is_empty()))
        .bind(now.as_second())
        .scalar_optional(&self.db)
        .await
    }

    /// Removes a feed (the drafts it brought stay); `false` if there was none.
    pub async fn remove_feed(&self, id: i64) -> Result<bool, StoreError> {
        let done = query("DELETE FROM feeds WHERE id = ?1").bind(id).execute(&self.db).await?;
        Ok(done > 0)
    }

    /// Every feed, in the order added.
    pub async fn feeds(&self) -> Result<Vec<Feed>, StoreError> {
        let rows = query(select_feeds!("ORDER BY id")).fetch_all(&self.db).await?;
        rows.iter().map(feed_from_row).collect::<Result<_, _>>()
    }

    /// Takes the feeds due at `now` for this poller: each is handed to one
    /// caller only, even with several app servers polling, because taking it
    /// moves its next poll to `lease_until` in the same statement. The poll's
    /// result then sets the real next time ([`Store::record_poll`]); a
    /// poller that dies mid-poll leaves the feed to whoever comes after the
    /// lease.
    pub async fn claim_due_feeds(&self, now: Timestamp, lease_until: Timestamp) -> Result<Vec<Feed>, StoreError> {
        let rows = query(
            "UPDATE feeds SET next_poll_at = ?2 WHERE next_poll_at <= ?1 \
             RETURNING id, url, source_name, category, etag, last_modified, next_poll_at, last_polled_at, failures, \
             last_error",
        )
        .bind(now.as_second())
        .bind(lease_until.as_second())
        .fetch_all(&self.db)
        .await?;
        let mut feeds: Vec<Feed> = rows.iter().map(feed_from_row).collect::<Result<_, _>>()?;
        feeds.sort_by_key(|f| f.id);
        Ok(feeds)
    }

    /// Remembers how a poll went.
    pub async fn record_poll(&self, id: i64, result: &PollResult, now: Timestamp) -> Result<(), StoreError> {
        query(
            "UPDATE feeds SET etag = ?1, last_modified = ?2, next_poll_at = ?3, failures = ?4, last_error = ?5, \
             last_polled_at = ?6 WHERE id = ?7",
        )
        .bind(&result.etag)
        .bind(&result.last_modified)
        .bind(result.next_poll_at.as_second())
        .bind(i64::from(result.failures))
        .bind(&result.error)
        .bind(now.as_second())
        .bind(id)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Whether an item was seen before: by `guid` in this feed, or by `link` in any.
    pub async fn feed_item_seen(
        &self,
        feed_id: i64,
        guid: &str,
        link: Option<&str>,
    ) -> Result<Option<Seen>, StoreError> {
        let by_guid: bool = query("SELECT EXISTS (SELECT 1 FROM feed_items WHERE feed_id = ?1 AND guid = ?2)")
            .bind(feed_id)
            .bind(guid)
            .scalar(&self.db)
            .await?;
        if by_guid {
            return Ok(Some(Seen::Guid));
        }
        if let Some(link) = link {
            let by_link: bool =
                query("SELECT EXISTS (SELECT 1 FROM feed_items WHERE link = ?1)").bind(link).scalar(&self.db).await?;
            if by_link {
                return Ok(Some(Seen::Link));
            }
        }
        Ok(None)
    }

    /// The words of the items seen since `since`, newest first, at most `limit`.
    pub async fn recent_feed_words(&self, since: Timestamp, limit: u32) -> Result<Vec<String>, StoreError> {
        query("SELECT words FROM feed_items WHERE seen_at >= ?1 ORDER BY id DESC LIMIT ?2")
            .bind(since.as_second())
            .bind(i64::from(limit))
            .scalars(&self.db)
            .await
    }

    /// Saves a new item: a draft from `input` (when given) and the item's
    /// record, in one transaction; returns the draft's id.
    pub async fn add_feed_item(
        &self,
        feed_id: i64,
        guid: &str,
        link: Option<&str>,
        words: &str,
        input: Option<ArticleInput>,
        now: Timestamp,
    ) -> Result<Option<i64>, StoreError> {
        let input = input.map(|i| i.normalized(slug::is_valid)).transpose()?;
        let mut tx = self.db.begin_write().await?;
        let article_id = match input {
            Some(input) => {
                Some(write_article(&mut tx, input, None, Target::New { created_by: None }, None, now).await?.id)
            }
            None => None,
        };
        query(
            "INSERT INTO feed_items (feed_id, guid, link, words, article_id, seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (feed_id, guid) DO NOTHING",
        )
        .bind(feed_id)
        .bind(guid)
        .bind(link)
        .bind(words)
        .bind(article_id)
        .bind(now.as_second())
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(article_id)
    }
}
