//! The change log (`changes`, written by triggers): what the reading site
//! shows changed, for caches to drop exactly the pages that showed it.
//!
//! Time changes pages too, with no row written: an embargoed article becomes
//! visible at its second and breaking news ends at its time. `timed_changes`
//! turns such moments into the same [`Change`]s.

use jiff::Timestamp;

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// Something a page may show changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// What this article shows (headline, body, image, tags, byline…).
    Article(i64),
    /// Which articles are visible: the home page, feeds, sitemaps, search.
    Listing,
    /// A category's list of articles.
    Category(i64),
    /// A tag's list of articles, or its name.
    Tag(i64),
    /// An author's list of articles, or their name.
    Author(i64),
    /// The approved comments of an article.
    Comments(i64),
    /// An article's modification time (on its own page only).
    Touched(i64),
    /// Everything around the content: settings, menus, static pages,
    /// breaking news, media details. Every page shows it.
    Site,
}

/// What changed after a position in the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangesSince {
    pub changes: Vec<Change>,
    /// The position to ask from next time.
    pub last: i64,
    /// The log no longer holds everything after the position asked for
    /// (pruned meanwhile): treat everything as changed.
    pub gap: bool,
}

/// Rows read from the log at most at once; more means "everything changed".
const MAX_READ: i64 = 10_000;

/// Wakes when another connection has committed changes to the log
/// (PostgreSQL's NOTIFY on `manset_changes`, sent by the log's trigger).
pub struct ChangeListener(sqlx::postgres::PgListener);

impl ChangeListener {
    /// Waits for the next commit that wrote to the change log. After a lost
    /// connection it reconnects and returns at once (changes may have been
    /// missed meanwhile: the caller reads the log either way).
    pub async fn next(&mut self) -> Result<(), StoreError> {
        self.0.recv().await?;
        // Several commits may have arrived together: one read of the log covers them.
        while self.0.next_buffered().is_some() {}
        Ok(())
    }
}

impl std::fmt::Debug for ChangeListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangeListener")
    }
}

impl Store {
    /// A listener for changes committed by other app servers, on PostgreSQL;
    /// `None` on SQLite (one machine: the log is read every second).
    pub async fn listen_for_changes(&self) -> Result<Option<ChangeListener>, StoreError> {
        let crate::db::Database::Postgres { listen, .. } = &self.db else { return Ok(None) };
        // A pool of its own (one connection, made when first needed), so that
        // closing the store's pool does not wait for the listener.
        let own = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect_lazy_with((**listen).clone());
        let mut listener = sqlx::postgres::PgListener::connect_with(&own).await?;
        listener.listen("manset_changes").await?;
        Ok(Some(ChangeListener(listener)))
    }

    /// The newest position in the change log (0 when empty).
    pub async fn last_change(&self) -> Result<i64, StoreError> {
        let last: Option<i64> = query("SELECT MAX(seq) FROM changes").scalar(&self.db).await?;
        Ok(last.unwrap_or(0))
    }

    /// The articles whose indexed text may have changed after position
    /// `after` (the log's `article` rows, and its `newsroom` rows: articles
    /// readers do not see, which the desk searches), reading at most `limit` rows of
    /// the log, and the position read up to; `None` when the log no longer
    /// reaches back to `after` (pruned meanwhile: everything may have changed).
    pub async fn articles_changed_since(&self, after: i64, limit: i64) -> Result<Option<(Vec<i64>, i64)>, StoreError> {
        let Some(rows) = self.read_log(after, limit).await? else { return Ok(None) };
        let mut ids: Vec<i64> =
            rows.iter().filter(|r| r.1 == "article" || r.1 == "newsroom").filter_map(|r| r.2).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(Some((ids, rows.last().map_or(after, |r| r.0))))
    }

    /// Up to `limit` rows of the log after position `after` (position,
    /// subject, id), or `None` when rows after it were pruned before we read
    /// them.
    async fn read_log(&self, after: i64, limit: i64) -> Result<Option<Vec<(i64, String, Option<i64>)>>, StoreError> {
        let rows: Vec<(i64, String, Option<i64>)> =
            query("SELECT seq, subject, id FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2")
                .bind(after)
                .bind(limit)
                .fetch_all_as(&self.db)
                .await?;
        // Positions are never reused, so a hole right after ours means rows
        // were pruned before we read them.
        match rows.first() {
            Some(first) if first.0 > after + 1 && self.oldest_change().await? > after + 1 => Ok(None),
            _ => Ok(Some(rows)),
        }
    }

    /// The changes written after position `after`.
    pub async fn changes_since(&self, after: i64) -> Result<ChangesSince, StoreError> {
        // Pruned past our position, or more than we read at once: everything.
        let rows = self.read_log(after, MAX_READ + 1).await?;
        let gap = rows.as_ref().is_none_or(|rows| rows.len() as i64 > MAX_READ);
        let rows = rows.unwrap_or_default();
        let mut changes = Vec::with_capacity(rows.len());
        let mut last = after;
        for (seq, subject, id) in rows.into_iter().take(MAX_READ as usize) {
            last = seq;
            let change = match (subject.as_str(), id) {
                ("article", Some(id)) => Change::Article(id),
                ("listing", _) => Change::Listing,
                ("category", Some(id)) => Change::Category(id),
                ("tag", Some(id)) => Change::Tag(id),
                ("author", Some(id)) => Change::Author(id),
                ("comments", Some(id)) => Change::Comments(id),
                ("touched", Some(id)) => Change::Touched(id),
                // A byline without author, or a subject a newer version
                // writes: the safe reading is that everything changed.
                ("author", None) => continue,
                // An article no page shows (a draft, the trash): the search index's.
                ("newsroom", _) => continue,
                _ => Change::Site,
            };
            if !changes.contains(&change) {
                changes.push(change);
            }
        }
        if gap {
            let last = self.last_change().await?;
            return Ok(ChangesSince { changes: vec![Change::Site], last, gap });
        }
        Ok(ChangesSince { changes, last, gap })
    }

    async fn oldest_change(&self) -> Result<i64, StoreError> {
        let first: Option<i64> = query("SELECT MIN(seq) FROM changes").scalar(&self.db).await?;
        Ok(first.unwrap_or(0))
    }

    /// Forgets all but the newest `keep` rows of the log (a reader further
    /// behind sees a gap and drops everything).
    pub async fn prune_changes(&self, keep: i64) -> Result<u64, StoreError> {
        let done = query("DELETE FROM changes WHERE seq <= (SELECT MAX(seq) FROM changes) - ?1")
            .bind(keep)
            .execute(&self.db)
            .await?;
        Ok(done)
    }

    /// The next moment after `now` at which time alone changes what readers
    /// see: an embargo ends or breaking news expires.
    pub async fn next_timed_change(&self, now: Timestamp) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<i64> = query(
            "SELECT MIN(t) FROM ( \
               SELECT MIN(published_at) AS t FROM articles WHERE status = 'published' AND published_at > ?1 \
               UNION ALL \
               SELECT MIN(breaking_until) FROM articles \
                 WHERE status = 'published' AND breaking_until > ?1) times",
        )
        .bind(now.as_second())
        .scalar(&self.db)
        .await?;
        Ok(at.and_then(|s| Timestamp::from_second(s).ok()))
    }

    /// What time alone changed in `(from, to]`: the articles that became
    /// visible (with their lists) and, when breaking news ended, the site.
    pub async fn timed_changes(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Change>, StoreError> {
        let rows = query(
            "SELECT 'article', a.id FROM articles a \
               WHERE a.status = 'published' AND a.published_at > ?1 AND a.published_at <= ?2 \
             UNION ALL SELECT 'category', a.category_id FROM articles a \
               WHERE a.status = 'published' AND a.published_at > ?1 AND a.published_at <= ?2 \
             UNION ALL SELECT 'author', a.author_id FROM articles a \
               WHERE a.status = 'published' AND a.published_at > ?1 AND a.published_at <= ?2 AND a.author_id IS NOT NULL \
             UNION ALL SELECT 'author', aa.author_id FROM article_authors aa JOIN articles a ON a.id = aa.article_id \
               WHERE a.status = 'published' AND a.published_at > ?1 AND a.published_at <= ?2 \
             UNION ALL SELECT 'tag', t.tag_id FROM article_tags t JOIN articles a ON a.id = t.article_id \
               WHERE a.status = 'published' AND a.published_at > ?1 AND a.published_at <= ?2 \
             UNION ALL SELECT 'site', NULL FROM articles a \
               WHERE a.status = 'published' AND ((a.breaking_until > ?1 AND a.breaking_until <= ?2) \
                 OR (a.published_at > ?1 AND a.published_at <= ?2 AND a.breaking_until > ?2)) \
             LIMIT 10000",
        )
        .bind(from.as_second())
        .bind(to.as_second())
        .fetch_all(&self.db)
        .await?;
        let mut changes = Vec::new();
        for row in rows {
            let subject: String = row.col(0)?;
            let id: Option<i64> = row.col(1)?;
            let change = match (subject.as_str(), id) {
                ("article", Some(id)) => Change::Article(id),
                ("category", Some(id)) => Change::Category(id),
                ("author", Some(id)) => Change::Author(id),
                ("tag", Some(id)) => Change::Tag(id),
                _ => Change::Site,
            };
            if !changes.contains(&change) {
                changes.push(change);
            }
        }
        if !changes.is_empty() && !changes.contains(&Change::Site) {
            changes.push(Change::Listing);
        }
        Ok(changes)
    }
}
