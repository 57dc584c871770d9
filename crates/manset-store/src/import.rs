//! Imports from other platforms, in one transaction per run.
//!
//! An [`ImportRun`] holds a write transaction from [`Store::begin_import`]
//! to [`ImportRun::commit`]: a run that fails, or a process killed midway,
//! leaves the database as it was before the run (SQLite rolls back what was
//! never committed). Every thing brought in is remembered by its key in the
//! source with a hash of what was imported (table `imported`), so importing
//! the same file again finds the same hashes and writes nothing.

use jiff::Timestamp;
use manset_core::{ArticleInput, CommentStatus, Role};
use manset_text::{markdown, slug};

use crate::db::{Tx, query};
use crate::read::Cols;
use crate::save::{SaveOutcome, Target, Terms, write_article};
use crate::{Store, StoreError};

/// What happened to one imported thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Created(i64),
    Updated(i64),
    /// Imported before with the same content: nothing written.
    Unchanged(i64),
}

impl Imported {
    /// Our id of the thing.
    pub fn id(self) -> i64 {
        match self {
            Imported::Created(id) | Imported::Updated(id) | Imported::Unchanged(id) => id,
        }
    }
}

/// Kinds of things an import remembers, as stored in `imported.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Post,
    Page,
    Comment,
    Author,
    Category,
    Tag,
}

impl ImportKind {
    fn as_str(self) -> &'static str {
        match self {
            ImportKind::Post => "post",
            ImportKind::Page => "page",
            ImportKind::Comment => "comment",
            ImportKind::Author => "author",
            ImportKind::Category => "category",
            ImportKind::Tag => "tag",
        }
    }
}

/// Where an old address leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyTarget {
    Article(i64),
    Page(i64),
    Category(i64),
    Tag(i64),
}

/// A comment as an importer hands it in: its status and time are the
/// source's, its parent is one of ours (imported before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedComment<'a> {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub name: &'a str,
    /// Kept private, like every commenter's address.
    pub email: &'a str,
    pub url: Option<&'a str>,
    pub ip: Option<&'a str>,
    /// Plain text.
    pub body: &'a str,
    pub status: CommentStatus,
    pub created_at: Timestamp,
}

/// A static page as an importer hands it in (Markdown body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPage<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub body: &'a str,
    /// Not public yet.
    pub draft: bool,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
}

/// What an earlier run left of one thing.
struct Lookup {
    /// Our thing, if it was imported and still exists.
    existing: Option<i64>,
    /// It exists and was imported with the same hash.
    same: bool,
    /// An article's current slug.
    slug: Option<String>,
}

/// One import run: everything inside one transaction.
pub struct ImportRun {
    tx: Tx,
    source: String,
    now: Timestamp,
}

impl std::fmt::Debug for ImportRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportRun").field("source", &self.source).finish()
    }
}

impl Store {
    /// Starts an import from `source` (`wordpress:https://old.example`).
    /// Other writers wait until it commits or rolls back.
    pub async fn begin_import(&self, source: &str, now: Timestamp) -> Result<ImportRun, StoreError> {
        let tx = self.db.begin_write().await?;
        Ok(ImportRun { tx, source: source.to_owned(), now })
    }

    /// The target of an old address (`/?p=12`, `/2012/03/15/a-post/`), if an
    /// import recorded one; with or without its trailing slash.
    pub async fn legacy_path(&self, path: &str) -> Result<Option<LegacyTarget>, StoreError> {
        let bare = path.trim_end_matches('/');
        let slashed = format!("{bare}/");
        let row = query("SELECT kind, target_id FROM legacy_paths WHERE path IN (?1, ?2) LIMIT 1")
            .bind(bare)
            .bind(&slashed)
            .fetch_optional(&self.db)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let kind: String = row.col(0)?;
        let id: i64 = row.col(1)?;
        Ok(match kind.as_str() {
            "article" => Some(LegacyTarget::Article(id)),
            "page" => Some(LegacyTarget::Page(id)),
            "category" => Some(LegacyTarget::Category(id)),
            "tag" => Some(LegacyTarget::Tag(id)),
            _ => None,
        })
    }

    /// Rewrites the bodies and lead images of articles `ids` through
    /// `change` (which returns `None` for no change), in one transaction:
    /// the HTML is made again, the article counts as modified, and each
    /// change is a revision (by nobody: the import did it). Returns how
    /// many articles changed.
    pub async fn rewrite_articles(
        &self,
        ids: &[i64],
        now: Timestamp,
        mut change: impl FnMut(&str, Option<&manset_core::LeadImage>) -> Option<(String, Option<manset_core::LeadImage>)>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let mut changed = 0;
        for id in ids {
            let row = query("SELECT body, image FROM articles WHERE id = ?1").bind(id).fetch_optional(&mut tx).await?;
            let Some(row) = row else { continue };
            let body: String = row.col(0)?;
            let image = crate::articles::image(row.col(1)?)?;
            let Some((body, image)) = change(&body, image.as_ref()) else { continue };
            let html = markdown::to_safe_html(&body);
            let image_value = image.clone();
            let image =
                image.as_ref().map(serde_json::to_string).transpose().map_err(|e| StoreError::Decode(e.to_string()))?;
            query(
                "UPDATE articles SET body = ?1, body_html = ?2, image = ?3, modified_at = MAX(modified_at, ?4) \
                 WHERE id = ?5",
            )
            .bind(&body)
            .bind(&html)
            .bind(image)
            .bind(now.as_second())
            .bind(id)
            .execute(&mut tx)
            .await?;
            // Every change of an article's text is a revision: the editor's
            // history shows what the copy did, and can undo it.
            let last: Option<String> =
                query("SELECT content FROM article_revisions WHERE article_id = ?1 ORDER BY number DESC LIMIT 1")
                    .bind(id)
                    .scalar_optional(&mut tx)
                    .await?;
            if let Some(last) = last {
                let mut content: manset_core::ArticleInput =
                    serde_json::from_str(&last).map_err(|e| StoreError::Decode(e.to_string()))?;
                content.body = body;
                content.image = image_value;
                crate::save::insert_revision(&mut tx, *id, None, &content, now).await?;
            }
            changed += 1;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// The current address of a legacy target, if it still exists (articles
    /// by their current slug, whatever their status: the article page
    /// answers for drafts and withdrawn ones itself).
    pub async fn legacy_target_path(&self, target: LegacyTarget) -> Result<Option<String>, StoreError> {
        let (sql, id) = match target {
            LegacyTarget::Article(id) => ("SELECT '/haber/' || slug FROM articles WHERE id = ?1", id),
            LegacyTarget::Page(id) => ("SELECT '/sayfa/' || slug FROM pages WHERE id = ?1", id),
            LegacyTarget::Category(id) => ("SELECT '/kategori/' || slug FROM categories WHERE id = ?1", id),
            LegacyTarget::Tag(id) => ("SELECT '/etiket/' || slug FROM tags WHERE id = ?1", id),
        };
        query(sql).bind(id).scalar_optional(&self.db).await
    }
}

impl ImportRun {
    /// Makes everything of the run permanent.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Undoes everything of the run (also what dropping it does).
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// What an earlier run recorded for `key`, in one query: the hash, and
    /// our thing if it still exists (with its slug, for articles).
    async fn lookup(&mut self, kind: ImportKind, key: &str, hash: &str) -> Result<Lookup, StoreError> {
        // The thing's table, joined; only articles have a slug to give back.
        macro_rules! lookup {
            ($table:literal, $slug:literal) => {
                concat!(
                    "SELECT i.hash, t.id, ",
                    $slug,
                    " FROM imported i LEFT JOIN ",
                    $table,
                    " t ON t.id = i.target_id WHERE i.source = ?1 AND i.kind = ?2 AND i.key = ?3"
                )
            };
        }
        let sql = match kind {
            ImportKind::Post => lookup!("articles", "t.slug"),
            ImportKind::Page => lookup!("pages", "NULL"),
            ImportKind::Comment => lookup!("comments", "NULL"),
            ImportKind::Author => lookup!("users", "NULL"),
            ImportKind::Category => lookup!("categories", "NULL"),
            ImportKind::Tag => lookup!("tags", "NULL"),
        };
        let row = query(sql).bind(&self.source).bind(kind.as_str()).bind(key).fetch_optional(&mut self.tx).await?;
        let Some(row) = row else { return Ok(Lookup { existing: None, same: false, slug: None }) };
        let old: String = row.col(0)?;
        let existing: Option<i64> = row.col(1)?;
        Ok(Lookup { existing, same: existing.is_some() && old == hash, slug: row.col(2)? })
    }

    async fn remember(
        &mut self,
        kind: ImportKind,
        key: &str,
        target: Option<i64>,
        hash: &str,
    ) -> Result<(), StoreError> {
        query(
            "INSERT INTO imported (source, kind, key, target_id, hash) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (source, kind, key) DO UPDATE SET target_id = excluded.target_id, hash = excluded.hash",
        )
        .bind(&self.source)
        .bind(kind.as_str())
        .bind(key)
        .bind(target)
        .bind(hash)
        .execute(&mut self.tx)
        .await?;
        Ok(())
    }

    /// Whether `key` was imported with `hash` and its target still exists:
    /// then there is nothing to do.
    async fn unchanged(&mut self, kind: ImportKind, key: &str, hash: &str) -> Result<Option<i64>, StoreError> {
        let found = self.lookup(kind, key, hash).await?;
        Ok(found.existing.filter(|_| found.same))
    }

    /// An article, created or updated in place (by its import key, so it
    /// keeps its URL); unchanged when imported before with the same `hash`.
    pub async fn article(
        &mut self,
        key: &str,
        input: ArticleInput,
        terms: Option<&Terms>,
        hash: &str,
    ) -> Result<(Imported, SaveOutcome), StoreError> {
        let import_key = format!("{}#post:{key}", self.source);
        let found = self.lookup(ImportKind::Post, key, hash).await?;
        if let (true, Some(id), Some(slug)) = (found.same, found.existing, found.slug) {
            return Ok((Imported::Unchanged(id), SaveOutcome { id, slug, created: false }));
        }
        let input = input.normalized(slug::is_valid)?;
        let outcome = write_article(&mut self.tx, input, terms, Target::Import(&import_key), None, self.now).await?;
        self.remember(ImportKind::Post, key, Some(outcome.id), hash).await?;
        let imported = if outcome.created { Imported::Created(outcome.id) } else { Imported::Updated(outcome.id) };
        Ok((imported, outcome))
    }

    /// A category with its parent (already imported) and description.
    pub async fn category(
        &mut self,
        key: &str,
        name: &str,
        wanted_slug: &str,
        parent_id: Option<i64>,
        hash: &str,
    ) -> Result<Imported, StoreError> {
        if let Some(id) = self.unchanged(ImportKind::Category, key, hash).await? {
            return Ok(Imported::Unchanged(id));
        }
        let id = self.named(ImportKind::Category, name, wanted_slug).await?;
        let parent_id = parent_id.filter(|p| *p != id.id());
        query("UPDATE categories SET parent_id = ?1 WHERE id = ?2")
            .bind(parent_id)
            .bind(id.id())
            .execute(&mut self.tx)
            .await?;
        self.remember(ImportKind::Category, key, Some(id.id()), hash).await?;
        Ok(id)
    }

    /// A tag.
    pub async fn tag(&mut self, key: &str, name: &str, wanted_slug: &str, hash: &str) -> Result<Imported, StoreError> {
        if let Some(id) = self.unchanged(ImportKind::Tag, key, hash).await? {
            return Ok(Imported::Unchanged(id));
        }
        let id = self.named(ImportKind::Tag, name, wanted_slug).await?;
        self.remember(ImportKind::Tag, key, Some(id.id()), hash).await?;
        Ok(id)
    }

    /// The category or tag with the slug of `wanted_slug` (or of `name`),
    /// created when missing; one that exists already is used as it is.
    async fn named(&mut self, kind: ImportKind, name: &str, wanted_slug: &str) -> Result<Imported, StoreError> {
        let (select, insert) = match kind {
            ImportKind::Category => (
                "SELECT id FROM categories WHERE slug = ?1",
                "INSERT INTO categories (name, slug, created_at) VALUES (?1, ?2, ?3) RETURNING id",
            ),
            _ => (
                "SELECT id FROM tags WHERE slug = ?1",
                "INSERT INTO tags (name, slug, created_at) VALUES (?1, ?2, ?3) RETURNING id",
            ),
        };
        let mut s = slug::slugify(wanted_slug);
        if s.is_empty() {
            s = slug::slugify(name);
        }
        if s.is_empty() {
            return Err(StoreError::Unsluggable(name.to_owned()));
        }
        let found: Option<i64> = query(select).bind(&s).scalar_optional(&mut self.tx).await?;
        if let Some(id) = found {
            return Ok(Imported::Unchanged(id));
        }
        let id: i64 = query(insert).bind(name.trim()).bind(&s).bind(self.now.as_second()).scalar(&mut self.tx).await?;
        Ok(Imported::Created(id))
    }

    /// A newsroom account (as a contributor: the least a newsroom member may
    /// do; admins raise it) without a password (it cannot log in until an
    /// admin sets one with `manset user passwd`); an existing account with
    /// the same address is kept as it is.
    pub async fn account(&mut self, key: &str, email: &str, name: &str, hash: &str) -> Result<Imported, StoreError> {
        if let Some(id) = self.unchanged(ImportKind::Author, key, hash).await? {
            return Ok(Imported::Unchanged(id));
        }
        let email = manset_core::email::normalize(email);
        let existing: Option<i64> =
            query("SELECT id FROM users WHERE email = ?1").bind(&email).scalar_optional(&mut self.tx).await?;
        let imported = match existing {
            Some(id) => Imported::Unchanged(id),
            None => {
                // `!` is no argon2 hash: no password verifies against it.
                let id: i64 = query(
                    "INSERT INTO users (email, name, role, password_hash, created_at) \
                     VALUES (?1, ?2, ?3, '!', ?4) RETURNING id",
                )
                .bind(&email)
                .bind(name.trim())
                .bind(Role::Contributor.as_str())
                .bind(self.now.as_second())
                .scalar(&mut self.tx)
                .await?;
                Imported::Created(id)
            }
        };
        self.remember(ImportKind::Author, key, Some(imported.id()), hash).await?;
        Ok(imported)
    }

    /// A comment with the source's status and time. Its thread depth
    /// follows its parent's.
    pub async fn comment(&mut self, key: &str, c: &ImportedComment<'_>, hash: &str) -> Result<Imported, StoreError> {
        let found = self.lookup(ImportKind::Comment, key, hash).await?;
        if let (true, Some(id)) = (found.same, found.existing) {
            return Ok(Imported::Unchanged(id));
        }
        // One statement creates the comment, or rewrites the one imported
        // before (under its id, even if it was deleted since).
        let write = match found.existing {
            None => query(
                "INSERT INTO comments (article_id, parent_id, depth, author_name, author_email, author_url, \
                 author_ip, body, status, created_at, modified_at) \
                 VALUES (?1, ?2, COALESCE((SELECT p.depth + 1 FROM comments p WHERE p.id = ?2), 0), \
                 ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
            ),
            Some(_) => query(
                "INSERT INTO comments (id, article_id, parent_id, depth, author_name, author_email, author_url, \
                 author_ip, body, status, created_at, modified_at) \
                 VALUES (?11, ?1, ?2, COALESCE((SELECT p.depth + 1 FROM comments p WHERE p.id = ?2), 0), \
                 ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) \
                 ON CONFLICT (id) DO UPDATE SET article_id = excluded.article_id, parent_id = excluded.parent_id, \
                 depth = excluded.depth, author_name = excluded.author_name, author_email = excluded.author_email, \
                 author_url = excluded.author_url, author_ip = excluded.author_ip, body = excluded.body, \
                 status = excluded.status, created_at = excluded.created_at, modified_at = ?10 \
                 RETURNING id",
            ),
        };
        let mut write = write
            .bind(c.article_id)
            .bind(c.parent_id)
            .bind(c.name)
            .bind(c.email)
            .bind(c.url)
            .bind(c.ip)
            .bind(c.body)
            .bind(c.status.as_str())
            .bind(c.created_at.as_second());
        if let Some(id) = found.existing {
            write = write.bind(self.now.as_second()).bind(id);
        }
        let id: i64 = write.scalar(&mut self.tx).await?;
        let imported = if found.existing.is_some() { Imported::Updated(id) } else { Imported::Created(id) };
        if c.status == CommentStatus::Approved {
            query("UPDATE articles SET modified_at = MAX(modified_at, ?1) WHERE id = ?2")
                .bind(self.now.as_second())
                .bind(c.article_id)
                .execute(&mut self.tx)
                .await?;
        }
        self.remember(ImportKind::Comment, key, Some(imported.id()), hash).await?;
        Ok(imported)
    }

    /// A static page; a slug taken by another page gets a numeric suffix.
    pub async fn page(&mut self, key: &str, p: &ImportedPage<'_>, hash: &str) -> Result<Imported, StoreError> {
        if let Some(id) = self.unchanged(ImportKind::Page, key, hash).await? {
            return Ok(Imported::Unchanged(id));
        }
        let previous = self.lookup(ImportKind::Page, key, hash).await?.existing;
        let mut wanted = slug::slugify(p.slug);
        if wanted.is_empty() {
            wanted = slug::slugify(p.title);
        }
        if wanted.is_empty() {
            wanted = format!("sayfa-{key}");
        }
        let mut free = wanted.clone();
        for n in 2.. {
            let holder: Option<i64> =
                query("SELECT id FROM pages WHERE slug = ?1").bind(&free).scalar_optional(&mut self.tx).await?;
            if holder.is_none() || holder == previous {
                break;
            }
            free = slug::with_suffix(&wanted, n);
        }
        let body_html = markdown::to_safe_html(p.body);
        let title = if p.title.trim().is_empty() { free.as_str() } else { p.title.trim() };
        // One statement creates the page or rewrites the one imported before
        // (its place in the menu, set in the newsroom, stays).
        let write = match previous {
            None => query(
                "INSERT INTO pages (slug, title, body, body_html, menu_position, created_at, modified_at, draft) \
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7) RETURNING id",
            ),
            Some(_) => query(
                "INSERT INTO pages (id, slug, title, body, body_html, menu_position, created_at, modified_at, draft) \
                 VALUES (?8, ?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7) \
                 ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, title = excluded.title, body = excluded.body, \
                 body_html = excluded.body_html, draft = excluded.draft, modified_at = excluded.modified_at \
                 RETURNING id",
            ),
        };
        let mut write = write
            .bind(&free)
            .bind(title)
            .bind(p.body)
            .bind(&body_html)
            .bind(p.created_at.as_second())
            .bind(p.modified_at.as_second())
            .bind(p.draft);
        if let Some(id) = previous {
            write = write.bind(id);
        }
        let id: i64 = write.scalar(&mut self.tx).await?;
        let imported = if previous.is_some() { Imported::Updated(id) } else { Imported::Created(id) };
        self.remember(ImportKind::Page, key, Some(imported.id()), hash).await?;
        Ok(imported)
    }

    /// Records addresses of the old site that lead to `target`; the first
    /// target recorded for an address keeps it (two old posts cannot share one).
    pub async fn legacy_paths(&mut self, paths: &[String], target: LegacyTarget) -> Result<(), StoreError> {
        let (kind, id) = match target {
            LegacyTarget::Article(id) => ("article", id),
            LegacyTarget::Page(id) => ("page", id),
            LegacyTarget::Category(id) => ("category", id),
            LegacyTarget::Tag(id) => ("tag", id),
        };
        let list = serde_json::to_string(paths).map_err(|e| StoreError::Decode(e.to_string()))?;
        query(
            "INSERT INTO legacy_paths (path, kind, target_id) SELECT value, ?2, ?3 FROM json_each(?1) WHERE true \
             ON CONFLICT (path) DO NOTHING",
        )
        .bind(list)
        .bind(kind)
        .bind(id)
        .execute(&mut self.tx)
        .await?;
        Ok(())
    }

    /// Records one address of the old site (see [`ImportRun::legacy_paths`]).
    pub async fn legacy_path(&mut self, path: &str, target: LegacyTarget) -> Result<(), StoreError> {
        self.legacy_paths(&[path.to_owned()], target).await
    }

    /// Puts an article among the front page's featured slots (WordPress's
    /// sticky posts), after those already there; no-op if it is there.
    pub async fn feature(&mut self, article_id: i64) -> Result<(), StoreError> {
        query(
            "INSERT INTO front_slots (position, article_id) \
             SELECT (SELECT COALESCE(MAX(position), 0) + 1 FROM front_slots), ?1 \
             WHERE NOT EXISTS (SELECT 1 FROM front_slots WHERE article_id = ?1)",
        )
        .bind(article_id)
        .execute(&mut self.tx)
        .await?;
        Ok(())
    }
}
