//! Writing articles: create or update, with their category, tags, author and
//! source credits, in one transaction.

use jiff::Timestamp;
use manset_core::{ArticleInput, Status};
use manset_text::{markdown, slug};

use crate::db::{Tx, query};
use crate::{Store, StoreError};

/// What [`Store::save_article`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveOutcome {
    /// The article's id.
    pub id: i64,
    /// The slug it is reachable at; differs from the one asked for when that
    /// one was taken by another article.
    pub slug: String,
    /// `true` for a new article, `false` for an update in place.
    pub created: bool,
}

/// Slug for an article whose headline has no letters or digits at all.
const FALLBACK_ARTICLE_SLUG: &str = "article";

/// An article's category and tags as ids, for an importer whose terms'
/// slugs are not made from their names (WordPress's `nicename`): the names
/// in the input are then only shown, never looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub category_id: i64,
    /// In the order of the input's tags.
    pub tag_ids: Vec<i64>,
}

/// Which article a save writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The article imported from this key (`markdown:/path`), created if new.
    Import(&'a str),
    /// A new article, created by this newsroom member (if any).
    New { created_by: Option<i64> },
    /// This existing article.
    Existing(i64),
}

impl Store {
    /// Creates or updates an article from an importer. With an `import_key`
    /// (the file it came from), an article already imported under that key
    /// is updated in place and keeps its URL; otherwise a new one is created.
    pub async fn save_article(
        &self,
        input: ArticleInput,
        import_key: Option<&str>,
        now: Timestamp,
    ) -> Result<SaveOutcome, StoreError> {
        let target = match import_key {
            Some(key) => Target::Import(key),
            None => Target::New { created_by: None },
        };
        self.save_article_as(input, target, None, now).await
    }

    /// Creates or updates an article and records a revision by `user_id`.
    /// A slug taken by another article gets a numeric suffix (`-2`, `-3`, …),
    /// never an overwrite; a published article whose slug changes keeps its
    /// old URL as a redirect. The body's HTML is rendered here so it always
    /// matches the body. Nothing is written unless everything is.
    pub async fn save_article_as(
        &self,
        input: ArticleInput,
        target: Target<'_>,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<SaveOutcome, StoreError> {
        let input = input.normalized(slug::is_valid)?;
        let mut tx = self.db.begin_write().await?;
        let outcome = write_article(&mut tx, input, None, target, user_id, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

/// What a save that names the revision it started from did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedOver {
    Saved(SaveOutcome),
    /// Someone saved the article since: its newest revision is `current`.
    /// Nothing was written.
    Stale {
        current: i64,
    },
}

impl Store {
    /// Saves `input` over article `id` only if its newest revision is still
    /// `base_revision` (the one the editor started from), checked in the
    /// write transaction, so two saves from the same revision cannot both
    /// land: the second gets `Stale`.
    pub async fn save_article_over(
        &self,
        input: ArticleInput,
        id: i64,
        base_revision: i64,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<SavedOver, StoreError> {
        let input = input.normalized(slug::is_valid)?;
        let mut tx = self.db.begin_write().await?;
        let current: i64 = query("SELECT COALESCE(MAX(number), 0) FROM article_revisions WHERE article_id = ?1")
            .bind(id)
            .scalar(&mut tx)
            .await?;
        if current != base_revision {
            tx.rollback().await?;
            return Ok(SavedOver::Stale { current });
        }
        let outcome = write_article(&mut tx, input, None, Target::Existing(id), user_id, now).await?;
        tx.commit().await?;
        Ok(SavedOver::Saved(outcome))
    }
}

/// Writes a normalized article inside `tx` (see [`Store::save_article_as`]);
/// importers call it to write many articles in one transaction.
pub(crate) async fn write_article(
    tx: &mut Tx,
    input: ArticleInput,
    terms: Option<&Terms>,
    target: Target<'_>,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<SaveOutcome, StoreError> {
    let body_html = markdown::to_safe_html(&input.body);
    let now_s = now.as_second();

    let category_id = match terms {
        Some(terms) => terms.category_id,
        None => upsert_named(tx, Named::Category, &input.category, now_s).await?,
    };
    let mut author_ids = Vec::with_capacity(input.authors.len());
    for name in &input.authors {
        let id = upsert_named(tx, Named::Author, name, now_s).await?;
        if !author_ids.contains(&id) {
            author_ids.push(id);
        }
    }
    let author_id = author_ids.first().copied();

    let existing: Option<(i64, String, String, Option<String>)> = match target {
        Target::Import(key) => {
            query("SELECT id, slug, status, correction FROM articles WHERE import_key = ?1")
                .bind(key)
                .fetch_optional_as(&mut *tx)
                .await?
        }
        Target::Existing(id) => Some(
            query("SELECT id, slug, status, correction FROM articles WHERE id = ?1")
                .bind(id)
                .fetch_optional_as(&mut *tx)
                .await?
                .ok_or(StoreError::NoSuchArticle(id))?,
        ),
        Target::New { .. } => None,
    };
    let wanted = match (&input.slug, &existing) {
        (Some(slug), _) => slug.clone(),
        // An update keeps its URL even when the headline changed.
        (None, Some((_, current, _, _))) => current.clone(),
        (None, None) => {
            let s = slug::slugify(&input.headline);
            if s.is_empty() { FALLBACK_ARTICLE_SLUG.to_owned() } else { s }
        }
    };
    let own_id = existing.as_ref().map(|(id, ..)| *id);
    let slug = free_slug(tx, &wanted, own_id).await?;

    let published = input.published_at.as_second();
    let updated = input.updated_at.map(|t| t.as_second());
    let import_key = match target {
        Target::Import(key) => Some(key),
        _ => None,
    };
    let id = match &existing {
        Some((id, old_slug, old_status, old_correction)) => {
            let id = *id;
            // A correction is dated when its text changes.
            let corrected_at = match (&input.correction, old_correction) {
                (Some(new), Some(old)) if new == old => None,
                (Some(_), _) => Some(now_s),
                (None, _) => None,
            };
            query(
                "UPDATE articles SET slug = ?1, headline = ?2, standfirst = ?3, body = ?4, \
                     body_html = ?5, status = ?6, category_id = ?7, author_id = ?8, \
                     published_at = ?9, updated_at = ?10, modified_at = ?11, seo_title = ?12, \
                     seo_description = ?13, correction = ?14, \
                     corrected_at = CASE WHEN ?14 IS NULL THEN NULL ELSE COALESCE(?15, corrected_at) END \
                     WHERE id = ?16",
            )
            .bind(&slug)
            .bind(&input.headline)
            .bind(&input.standfirst)
            .bind(&input.body)
            .bind(&body_html)
            .bind(input.status.as_str())
            .bind(category_id)
            .bind(author_id)
            .bind(published)
            .bind(updated)
            .bind(now_s)
            .bind(&input.seo_title)
            .bind(&input.seo_description)
            .bind(&input.correction)
            .bind(corrected_at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if *old_slug != slug && old_status == Status::Published.as_str() {
                query(
                    "INSERT INTO redirects (old_slug, article_id) VALUES (?1, ?2) \
                         ON CONFLICT (old_slug) DO UPDATE SET article_id = excluded.article_id",
                )
                .bind(old_slug)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            query("DELETE FROM article_tags WHERE article_id = ?1").bind(id).execute(&mut *tx).await?;
            query("DELETE FROM article_sources WHERE article_id = ?1").bind(id).execute(&mut *tx).await?;
            query("DELETE FROM article_authors WHERE article_id = ?1").bind(id).execute(&mut *tx).await?;
            id
        }
        None => {
            let created_by = match target {
                Target::New { created_by } => created_by,
                _ => None,
            };
            query(
                "INSERT INTO articles (slug, headline, standfirst, body, body_html, status, \
                     category_id, author_id, published_at, updated_at, import_key, created_at, modified_at, \
                     created_by, seo_title, seo_description, correction, corrected_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?16, \
                     CASE WHEN ?16 IS NULL THEN NULL ELSE ?12 END) RETURNING id",
            )
            .bind(&slug)
            .bind(&input.headline)
            .bind(&input.standfirst)
            .bind(&input.body)
            .bind(&body_html)
            .bind(input.status.as_str())
            .bind(category_id)
            .bind(author_id)
            .bind(published)
            .bind(updated)
            .bind(import_key)
            .bind(now_s)
            .bind(created_by)
            .bind(&input.seo_title)
            .bind(&input.seo_description)
            .bind(&input.correction)
            .scalar(&mut *tx)
            .await?
        }
    };
    let image =
        input.image.as_ref().map(serde_json::to_string).transpose().map_err(|e| StoreError::Decode(e.to_string()))?;
    query("UPDATE articles SET image = ?1, lang = ?3 WHERE id = ?2")
        .bind(image)
        .bind(id)
        .bind(input.lang.map(|l| l.tag()))
        .execute(&mut *tx)
        .await?;
    // The new slug is no longer an old one.
    query("DELETE FROM redirects WHERE old_slug = ?1").bind(&slug).execute(&mut *tx).await?;

    for (position, tag) in input.tags.iter().enumerate() {
        let tag_id = match terms.and_then(|t| t.tag_ids.get(position)) {
            Some(id) => *id,
            None => upsert_named(tx, Named::Tag, tag, now_s).await?,
        };
        // Two tag names with the same slug ("Bakü", "Baku") are one tag.
        query(
            "INSERT INTO article_tags (article_id, tag_id, position) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (article_id, tag_id) DO NOTHING",
        )
        .bind(id)
        .bind(tag_id)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (position, author) in author_ids.iter().enumerate() {
        query("INSERT INTO article_authors (article_id, author_id, position) VALUES (?1, ?2, ?3)")
            .bind(id)
            .bind(author)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    for (position, source) in input.sources.iter().enumerate() {
        query(
            "INSERT INTO article_sources (article_id, position, name, url, note) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(&source.name)
        .bind(&source.url)
        .bind(&source.note)
        .execute(&mut *tx)
        .await?;
    }

    let mut revision = input;
    revision.slug = Some(slug.clone());
    insert_revision(tx, id, user_id, &revision, now).await?;

    Ok(SaveOutcome { id, slug, created: own_id.is_none() })
}

/// Records `content` (with its slug) as the next revision of article `id`.
pub(crate) async fn insert_revision(
    tx: &mut Tx,
    id: i64,
    user_id: Option<i64>,
    content: &ArticleInput,
    now: Timestamp,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(content).map_err(|e| StoreError::Decode(e.to_string()))?;
    query(
        "INSERT INTO article_revisions (article_id, number, user_id, status, content, created_at) \
             VALUES (?1, (SELECT COALESCE(MAX(number), 0) + 1 FROM article_revisions WHERE article_id = ?1), \
             ?2, ?3, ?4, ?5)",
    )
    .bind(id)
    .bind(user_id)
    .bind(content.status.as_str())
    .bind(json)
    .bind(now.as_second())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The named things an article refers to; each table has `name` and a unique `slug`.
#[derive(Clone, Copy)]
enum Named {
    Category,
    Tag,
    Author,
}

/// The id of the category, tag or author whose slug `name` makes, created if
/// missing. Names that slugify alike ("Dünya", "Dunya") are the same thing.
async fn upsert_named(tx: &mut Tx, kind: Named, name: &str, now: i64) -> Result<i64, StoreError> {
    let slug = slug::slugify(name);
    if slug.is_empty() {
        return Err(StoreError::Unsluggable(name.to_owned()));
    }
    let (insert, select) = match kind {
        Named::Category => (
            "INSERT INTO categories (name, slug, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (slug) DO NOTHING",
            "SELECT id FROM categories WHERE slug = ?1",
        ),
        Named::Tag => (
            "INSERT INTO tags (name, slug, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (slug) DO NOTHING",
            "SELECT id FROM tags WHERE slug = ?1",
        ),
        Named::Author => (
            "INSERT INTO authors (name, slug, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (slug) DO NOTHING",
            "SELECT id FROM authors WHERE slug = ?1",
        ),
    };
    query(insert).bind(name).bind(&slug).bind(now).execute(&mut *tx).await?;
    query(select).bind(&slug).scalar(&mut *tx).await
}

/// `wanted`, or the first of `wanted-2`, `wanted-3`, … not used by another
/// article than `own_id`.
async fn free_slug(tx: &mut Tx, wanted: &str, own_id: Option<i64>) -> Result<String, StoreError> {
    for n in 1.. {
        let candidate = slug::with_suffix(wanted, n);
        let holder: Option<i64> =
            query("SELECT id FROM articles WHERE slug = ?1").bind(&candidate).scalar_optional(&mut *tx).await?;
        match holder {
            None => return Ok(candidate),
            Some(id) if Some(id) == own_id => return Ok(candidate),
            Some(_) => continue,
        }
    }
    unreachable!("the loop over suffixes only ends by returning")
}
