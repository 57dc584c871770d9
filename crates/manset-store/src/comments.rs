//! Reader comments: adding one (with its moderation decision, duplicate
//! check and threading in one transaction), reading them for pages, and
//! moderating them.
//!
//! Invariant: the e-mail address leaves this module only in
//! [`ModerationItem`], the moderators' view; reader-facing reads return
//! [`PublicComment`], which has no e-mail field.

use jiff::Timestamp;
use manset_core::comment::{Decision, HoldReason, Reserved};
use manset_core::{CommentStatus, PublicComment, Role};

use crate::db::{Row, Tx, query};
use crate::read::Cols;
use crate::{Store, StoreError};

/// A validated comment ready to store.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub article_id: i64,
    /// The comment replied to, if any.
    pub parent_id: Option<i64>,
    pub name: &'a str,
    /// Lowercased.
    pub email: &'a str,
    pub url: Option<&'a str>,
    pub body: &'a str,
    /// The poster's address, for abuse handling; never shown publicly.
    pub ip: Option<&'a str>,
    /// The deepest level of replies (1 = no replies).
    pub max_depth: u32,
    /// Comments the poster has shown they wrote (the ids in their signed
    /// authorship cookie): the proof that an earlier approved comment under
    /// the same address is theirs. Empty for a stranger.
    pub own_comment_ids: &'a [i64],
    /// The newsroom member who wrote it: set only by the newsroom's reply
    /// (`/yonetim`), and the only source of a comment's staff badge.
    pub staff: Option<StaffAuthor>,
}

/// The newsroom member who wrote a reply, and their role at that moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffAuthor {
    pub user_id: i64,
    pub role: Role,
}

/// What [`Store::add_comment`] knows, inside its transaction, for the
/// moderation policy to decide with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentFacts {
    /// One of the poster's own comments (`NewComment::own_comment_ids`) is
    /// approved, a reader's, and under the same address.
    pub author_proven: bool,
    /// Every newsroom account's address and display name.
    pub reserved: Reserved,
}

/// What [`Store::add_comment`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddedComment {
    /// Stored with this id and status.
    Stored { id: i64, status: CommentStatus },
    /// The same author already posted the same text on this article.
    Duplicate { id: i64, status: CommentStatus },
    /// The comment replied to does not exist on this article or is not public.
    NoSuchParent,
}

/// A comment as moderators see it, e-mail address included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationItem {
    pub id: i64,
    pub article_slug: String,
    pub parent_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub url: Option<String>,
    pub ip: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: Timestamp,
    pub article_headline: String,
    /// Written in the newsroom.
    pub staff: bool,
    /// Why the policy held it or judged it spam (empty when published at
    /// once, written in the newsroom, or stored before reasons were kept).
    pub held_for: Vec<HoldReason>,
}

/// How many comments one address has written, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommenterHistory {
    pub total: u64,
    pub approved: u64,
    pub spam: u64,
}

fn status_of(row: &Row, index: usize) -> Result<CommentStatus, StoreError> {
    let s: String = row.col(index)?;
    s.parse().map_err(|e: String| StoreError::Decode(e.to_string()))
}

/// A stored staff role; `None` for a reader's comment (and for a value the
/// column's CHECK would have refused).
fn role_of(stored: Option<&str>) -> Option<Role> {
    stored.and_then(|r| r.parse().ok())
}

fn public_from_row(row: &Row) -> Result<PublicComment, StoreError> {
    Ok(PublicComment {
        id: row.col(0)?,
        parent_id: row.col(1)?,
        name: row.col(2)?,
        url: row.col(3)?,
        body: row.col(4)?,
        status: status_of(row, 5)?,
        created_at: Timestamp::from_second(row.col(6)?).unwrap_or(Timestamp::UNIX_EPOCH),
        staff_role: role_of(row.col::<Option<String>>(7)?.as_deref()),
    })
}

/// Marks an article's page as changed (for `Last-Modified`).
async fn touch_article(tx: &mut Tx, article_id: i64, now: Timestamp) -> Result<(), StoreError> {
    query("UPDATE articles SET modified_at = MAX(modified_at, ?1) WHERE id = ?2")
        .bind(now.as_second())
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

impl Store {
    /// Stores a comment. Inside one transaction: a duplicate (same article,
    /// same address, same text, not trashed) is reported instead of stored;
    /// the parent must be an approved comment of the same article, and a
    /// reply below `max_depth` is attached to the deepest allowed ancestor;
    /// `decide` gets the [`CommentFacts`] (is an earlier approved comment
    /// under this address proven to be the poster's; the newsroom's
    /// addresses and names) and returns the policy's decision, whose
    /// reasons are stored with the comment. Committed before this returns.
    pub async fn add_comment(
        &self,
        new: &NewComment<'_>,
        now: Timestamp,
        decide: impl FnOnce(CommentFacts) -> Decision,
    ) -> Result<AddedComment, StoreError> {
        // A newsroom member's reply is the newsroom's work: on disk before
        // the answer. A reader's comment may lose the last moment to a power
        // cut (see `Database::begin_write_relaxed`).
        let mut tx =
            if new.staff.is_some() { self.db.begin_write().await? } else { self.db.begin_write_relaxed().await? };
        let duplicate = query(
            "SELECT id, status FROM comments WHERE article_id = ?1 AND author_email = ?2 AND body = ?3 \
             AND status <> 'trash' ORDER BY id LIMIT 1",
        )
        .bind(new.article_id)
        .bind(new.email)
        .bind(new.body)
        .fetch_optional(&mut tx)
        .await?;
        if let Some(row) = duplicate {
            return Ok(AddedComment::Duplicate { id: row.col(0)?, status: status_of(&row, 1)? });
        }

        let (mut parent_id, mut depth) = (None, 0i64);
        if let Some(asked) = new.parent_id {
            let parent = query(
                "SELECT id, parent_id, depth FROM comments WHERE id = ?1 AND article_id = ?2 AND status = 'approved'",
            )
            .bind(asked)
            .bind(new.article_id)
            .fetch_optional(&mut tx)
            .await?;
            let Some(parent) = parent else { return Ok(AddedComment::NoSuchParent) };
            let parent_depth: i64 = parent.col(2)?;
            let max = i64::from(new.max_depth.max(1)) - 1;
            if parent_depth < max {
                parent_id = Some(asked);
                depth = parent_depth + 1;
            } else {
                // Too deep: answer beside the parent, under its own parent.
                parent_id = parent.col(1)?;
                depth = max.min(parent_depth);
                if depth == 0 {
                    parent_id = None;
                }
            }
        }

        // Only the poster's own comments count, never the address alone:
        // anyone can type an address, and the newsroom's replies are
        // approved comments under its members' addresses.
        let author_proven = !new.own_comment_ids.is_empty() && {
            let ids = serde_json::to_string(new.own_comment_ids).map_err(|e| StoreError::Decode(e.to_string()))?;
            query(
                "SELECT EXISTS (SELECT 1 FROM comments WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1)) \
                 AND author_email = ?2 AND status = 'approved' AND staff_user_id IS NULL AND staff_role IS NULL)",
            )
            .bind(ids)
            .bind(new.email)
            .scalar(&mut tx)
            .await?
        };
        let accounts: Vec<(String, String)> =
            query("SELECT email, name FROM users ORDER BY id").fetch_all_as(&mut tx).await?;
        let (emails, names) = accounts.into_iter().unzip();
        let decision = decide(CommentFacts { author_proven, reserved: Reserved { emails, names } });
        let status = decision.status;
        let id: i64 = query(
            "INSERT INTO comments (article_id, parent_id, depth, author_name, author_email, author_url, \
             author_ip, body, status, created_at, modified_at, staff_user_id, staff_role, held_for) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13) RETURNING id",
        )
        .bind(new.article_id)
        .bind(parent_id)
        .bind(depth)
        .bind(new.name)
        .bind(new.email)
        .bind(new.url)
        .bind(new.ip)
        .bind(new.body)
        .bind(status.as_str())
        .bind(now.as_second())
        .bind(new.staff.map(|s| s.user_id))
        .bind(new.staff.map(|s| s.role.as_str()))
        .bind(decision.reason_codes())
        .scalar(&mut tx)
        .await?;
        if status == CommentStatus::Approved {
            touch_article(&mut tx, new.article_id, now).await?;
        }
        tx.commit().await?;
        Ok(AddedComment::Stored { id, status })
    }

    /// The approved comments of an article, oldest first.
    ///
    /// Read as one JSON array built by SQLite (`json_group_array`) rather
    /// than row by row: the SQLite driver hands every row across threads,
    /// which for a page with hundreds of comments cost more than the query.
    pub async fn approved_comments(&self, article_id: i64) -> Result<Vec<PublicComment>, StoreError> {
        const SQL: &str = "SELECT json_group_array(json_array(id, parent_id, author_name, author_url, body, created_at, \
             staff_role) ORDER BY created_at, id) FROM comments WHERE article_id = ?1 AND status = 'approved'";
        let json: String = match self.db.reader() {
            Some(reader) => {
                reader.run(|db| Ok(db.prepare_cached(SQL)?.query_row([article_id], |row| row.get(0))?))?
            }
            None => query(SQL).bind(article_id).scalar(&self.db).await?,
        };
        type Row = (i64, Option<i64>, String, Option<String>, String, i64, Option<String>);
        let rows: Vec<Row> = serde_json::from_str(&json).map_err(|e| StoreError::Decode(e.to_string()))?;
        Ok(rows
            .into_iter()
            .map(|(id, parent_id, name, url, body, created, role)| PublicComment {
                id,
                parent_id,
                name,
                url,
                body,
                status: CommentStatus::Approved,
                created_at: Timestamp::from_second(created).unwrap_or(Timestamp::UNIX_EPOCH),
                staff_role: role_of(role.as_deref()),
            })
            .collect())
    }

    /// Those of `ids` that are pending comments of the article: what a
    /// reader who posted them sees in place, marked as waiting.
    pub async fn pending_comments_among(&self, article_id: i64, ids: &[i64]) -> Result<Vec<PublicComment>, StoreError> {
        let mut found = Vec::new();
        for id in ids.iter().take(20) {
            let row = query(
                "SELECT id, parent_id, author_name, author_url, body, status, created_at, staff_role FROM comments \
                 WHERE id = ?1 AND article_id = ?2 AND status = 'pending'",
            )
            .bind(id)
            .bind(article_id)
            .fetch_optional(&self.db)
            .await?;
            if let Some(row) = row {
                found.push(public_from_row(&row)?);
            }
        }
        Ok(found)
    }

    /// Comments for moderators, newest first, optionally of one status.
    pub async fn comments_for_moderation(
        &self,
        status: Option<CommentStatus>,
        limit: u32,
    ) -> Result<Vec<ModerationItem>, StoreError> {
        Ok(self.moderation_queue(status, None, limit, 0).await?.0)
    }

    /// One page of comments for moderators, newest first, optionally of one
    /// status and of one address; with how many match in all.
    pub async fn moderation_queue(
        &self,
        status: Option<CommentStatus>,
        email: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<ModerationItem>, u64), StoreError> {
        let status = status.map(CommentStatus::as_str);
        let total: i64 = query(
            "SELECT COUNT(*) FROM comments c WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.author_email = ?2)",
        )
        .bind(status)
        .bind(email)
        .scalar(&self.db)
        .await?;
        let rows = query(
            "SELECT c.id, a.slug, c.parent_id, c.author_name, c.author_email, c.author_url, c.author_ip, \
                    c.body, c.status, c.created_at, a.headline, c.staff_user_id IS NOT NULL OR c.staff_role IS NOT NULL, \
                    c.held_for \
             FROM comments c JOIN articles a ON a.id = c.article_id \
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.author_email = ?2) \
             ORDER BY c.created_at DESC, c.id DESC LIMIT ?3 OFFSET ?4",
        )
        .bind(status)
        .bind(email)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.db)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(ModerationItem {
                    id: r.col(0)?,
                    article_slug: r.col(1)?,
                    parent_id: r.col(2)?,
                    name: r.col(3)?,
                    email: r.col(4)?,
                    url: r.col(5)?,
                    ip: r.col(6)?,
                    body: r.col(7)?,
                    status: status_of(r, 8)?,
                    created_at: Timestamp::from_second(r.col(9)?).unwrap_or(Timestamp::UNIX_EPOCH),
                    article_headline: r.col(10)?,
                    staff: r.col(11)?,
                    held_for: HoldReason::parse_list(&r.col::<Option<String>>(12)?.unwrap_or_default()),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// The article a comment belongs to and the comment's status.
    pub async fn comment_article(&self, id: i64) -> Result<Option<(i64, CommentStatus)>, StoreError> {
        let row =
            query("SELECT article_id, status FROM comments WHERE id = ?1").bind(id).fetch_optional(&self.db).await?;
        Ok(match row {
            Some(r) => Some((r.col(0)?, status_of(&r, 1)?)),
            None => None,
        })
    }

    /// What each address in `emails` has written before.
    pub async fn commenter_history(
        &self,
        emails: &[&str],
    ) -> Result<std::collections::HashMap<String, CommenterHistory>, StoreError> {
        let mut out = std::collections::HashMap::new();
        if emails.is_empty() {
            return Ok(out);
        }
        // One query: the addresses as a JSON array, unpacked by SQLite.
        let list = serde_json::to_string(emails).map_err(|e| StoreError::Decode(e.to_string()))?;
        let rows = query(
            "SELECT author_email, COUNT(*), COUNT(CASE WHEN status = 'approved' THEN 1 END), \
                    COUNT(CASE WHEN status = 'spam' THEN 1 END) FROM comments \
             WHERE author_email IN (SELECT value FROM json_each(?1)) GROUP BY author_email",
        )
        .bind(list)
        .fetch_all(&self.db)
        .await?;
        for r in rows {
            let n = |i: usize| -> Result<u64, StoreError> { Ok(u64::try_from(r.col::<i64>(i)?).unwrap_or(0)) };
            out.insert(r.col(0)?, CommenterHistory { total: n(1)?, approved: n(2)?, spam: n(3)? });
        }
        Ok(out)
    }

    /// Sets the status of each comment in `ids`; returns the ids that do not exist.
    pub async fn set_comment_status(
        &self,
        ids: &[i64],
        status: CommentStatus,
        now: Timestamp,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let mut missing = Vec::new();
        for id in ids {
            let done = query("UPDATE comments SET status = ?1, modified_at = ?2 WHERE id = ?3")
                .bind(status.as_str())
                .bind(now.as_second())
                .bind(id)
                .execute(&mut tx)
                .await?;
            if done == 0 {
                missing.push(*id);
                continue;
            }
            // Approving or removing a comment changes its article's page.
            query(
                "UPDATE articles SET modified_at = MAX(modified_at, ?1) \
                 WHERE id = (SELECT article_id FROM comments WHERE id = ?2)",
            )
            .bind(now.as_second())
            .bind(id)
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        Ok(missing)
    }

    /// How many comments of each status the site has.
    pub async fn comment_status_counts(&self) -> Result<Vec<(CommentStatus, u64)>, StoreError> {
        let rows = query("SELECT status, COUNT(*) FROM comments GROUP BY status").fetch_all(&self.db).await?;
        rows.iter().map(|r| Ok((status_of(r, 0)?, u64::try_from(r.col::<i64>(1)?).unwrap_or(0)))).collect()
    }
}
