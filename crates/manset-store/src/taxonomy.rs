//! Categories and tags: looking them up for their pages and the menu, and
//! keeping them in the newsroom (a rename keeps the old address working).

use jiff::Timestamp;
use manset_core::{CategoryRef, TagRef};

use manset_text::slug;

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// Categories or tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    Category,
    Tag,
}

impl Taxonomy {
    fn code(self) -> &'static str {
        match self {
            Taxonomy::Category => "category",
            Taxonomy::Tag => "tag",
        }
    }
}

/// A category or tag in the newsroom's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyItem {
    pub id: i64,
    pub name: String,
    pub slug: String,
    /// Menu position (categories; 0 for tags).
    pub position: i64,
    /// Articles in any status.
    pub articles: u64,
}

/// What a rename or creation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxonomySaved {
    Saved {
        id: i64,
        slug: String,
    },
    /// Another category (or tag) has this address.
    SlugTaken,
    /// An empty name, or one with nothing to make an address from.
    Invalid,
    NotFound,
}

/// What a merge of two tags did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsMerged {
    /// The articles that carried the merged tag now carry the kept one
    /// (once), its addresses redirect there, and it is gone.
    Merged {
        articles: u64,
    },
    /// A tag cannot be merged into itself.
    Same,
    NotFound,
}

/// Why a delete did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyDeleted {
    Deleted,
    /// A category still has articles; move them first.
    InUse(u64),
    NotFound,
}

/// A row of `id, name, slug, position, article count`.
fn taxonomy_item<R: Cols>(r: &R) -> Result<TaxonomyItem, StoreError> {
    Ok(TaxonomyItem {
        id: r.col(0)?,
        name: r.col(1)?,
        slug: r.col(2)?,
        position: r.col(3)?,
        articles: u64::try_from(r.col::<i64>(4)?).unwrap_or(0),
    })
}

/// A category as pages link to it, from `id, name, slug`.
fn category_ref<R: Cols>(r: &R) -> Result<CategoryRef, StoreError> {
    Ok(CategoryRef { id: r.col(0)?, name: r.col(1)?, slug: r.col(2)? })
}

impl Store {
    /// The category at `slug`, whether or not it has articles yet.
    pub async fn category_by_slug(&self, slug: &str) -> Result<Option<CategoryRef>, StoreError> {
        let row =
            query("SELECT id, name, slug FROM categories WHERE slug = ?1").bind(slug).fetch_optional(&self.db).await?;
        row.as_ref().map(category_ref).transpose()
    }

    /// The slug of the parent of the category at `slug`, if it has one.
    pub async fn category_parent(&self, slug: &str) -> Result<Option<String>, StoreError> {
        query("SELECT p.slug FROM categories c JOIN categories p ON p.id = c.parent_id WHERE c.slug = ?1")
            .bind(slug)
            .scalar_optional(&self.db)
            .await
    }

    /// The tag at `slug`.
    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<TagRef>, StoreError> {
        let row = query("SELECT id, name, slug FROM tags WHERE slug = ?1").bind(slug).fetch_optional(&self.db).await?;
        Ok(match row {
            Some(r) => Some(TagRef { id: r.col(0)?, name: r.col(1)?, slug: r.col(2)? }),
            None => None,
        })
    }

    /// Categories with at least one visible article, in menu order (their
    /// position, then name): the site's navigation.
    pub async fn menu_categories(&self, now: Timestamp) -> Result<Vec<CategoryRef>, StoreError> {
        Ok(self.site_chrome(now, 0).await?.categories)
    }

    /// Every category in menu order (position, then name), without
    /// counting articles: what a filter or a form offers to choose from.
    pub async fn categories(&self) -> Result<Vec<CategoryRef>, StoreError> {
        let rows = query("SELECT id, name, slug FROM categories ORDER BY position, name").fetch_all(&self.db).await?;
        rows.iter().map(category_ref).collect()
    }

    /// Every category or tag with its number of articles, categories in menu order.
    pub async fn taxonomy(&self, kind: Taxonomy) -> Result<Vec<TaxonomyItem>, StoreError> {
        let sql = match kind {
            Taxonomy::Category => {
                "SELECT c.id, c.name, c.slug, c.position, (SELECT COUNT(*) FROM articles a WHERE a.category_id = c.id) \
                 FROM categories c ORDER BY c.position, c.name"
            }
            Taxonomy::Tag => {
                "SELECT t.id, t.name, t.slug, CAST(0 AS INTEGER), (SELECT COUNT(*) FROM article_tags x WHERE x.tag_id = t.id) \
                 FROM tags t ORDER BY t.name"
            }
        };
        let rows = query(sql).fetch_all(&self.db).await?;
        rows.iter().map(taxonomy_item).collect::<Result<_, StoreError>>()
    }

    /// Creates (`id` = `None`) or renames a category or tag. A new address
    /// leaves the old one redirecting here; `position` orders the menu.
    pub async fn save_taxonomy(
        &self,
        kind: Taxonomy,
        id: Option<i64>,
        name: &str,
        wanted_slug: Option<&str>,
        position: i64,
        now: Timestamp,
    ) -> Result<TaxonomySaved, StoreError> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let new_slug = match wanted_slug.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if slug::is_valid(s) => s.to_owned(),
            Some(_) => return Ok(TaxonomySaved::Invalid),
            None => slug::slugify(&name),
        };
        if name.is_empty() || new_slug.is_empty() {
            return Ok(TaxonomySaved::Invalid);
        }
        let mut tx = self.db.begin_write().await?;
        let holder: Option<i64> = query(match kind {
            Taxonomy::Category => "SELECT id FROM categories WHERE slug = ?1",
            Taxonomy::Tag => "SELECT id FROM tags WHERE slug = ?1",
        })
        .bind(&new_slug)
        .scalar_optional(&mut tx)
        .await?;
        if holder.is_some_and(|h| Some(h) != id) {
            return Ok(TaxonomySaved::SlugTaken);
        }
        let id =
            match id {
                Some(id) => {
                    let old: Option<String> = query(match kind {
                        Taxonomy::Category => "SELECT slug FROM categories WHERE id = ?1",
                        Taxonomy::Tag => "SELECT slug FROM tags WHERE id = ?1",
                    })
                    .bind(id)
                    .scalar_optional(&mut tx)
                    .await?;
                    let Some(old) = old else { return Ok(TaxonomySaved::NotFound) };
                    query(match kind {
                        Taxonomy::Category => "UPDATE categories SET name = ?1, slug = ?2, position = ?3 WHERE id = ?4",
                        Taxonomy::Tag => "UPDATE tags SET name = ?1, slug = ?2 WHERE id = ?4",
                    })
                    .bind(&name)
                    .bind(&new_slug)
                    .bind(position)
                    .bind(id)
                    .execute(&mut tx)
                    .await?;
                    if old != new_slug {
                        query(
                            "INSERT INTO taxonomy_redirects (kind, old_slug, target_id) VALUES (?1, ?2, ?3) \
                         ON CONFLICT (kind, old_slug) DO UPDATE SET target_id = excluded.target_id",
                        )
                        .bind(kind.code())
                        .bind(&old)
                        .bind(id)
                        .execute(&mut tx)
                        .await?;
                    }
                    id
                }
                None => query(match kind {
                    Taxonomy::Category => {
                        "INSERT INTO categories (name, slug, position, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id"
                    }
                    Taxonomy::Tag => "INSERT INTO tags (name, slug, created_at) VALUES (?1, ?2, ?4) RETURNING id",
                })
                .bind(&name)
                .bind(&new_slug)
                .bind(position)
                .bind(now.as_second())
                .scalar(&mut tx)
                .await?,
            };
        // The new address is nobody's old one any more.
        query("DELETE FROM taxonomy_redirects WHERE kind = ?1 AND old_slug = ?2")
            .bind(kind.code())
            .bind(&new_slug)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(TaxonomySaved::Saved { id, slug: new_slug })
    }

    /// Deletes a tag (taking it off its articles) or an empty category.
    pub async fn delete_taxonomy(&self, kind: Taxonomy, id: i64) -> Result<TaxonomyDeleted, StoreError> {
        let mut tx = self.db.begin_write().await?;
        if kind == Taxonomy::Category {
            let used: i64 =
                query("SELECT COUNT(*) FROM articles WHERE category_id = ?1").bind(id).scalar(&mut tx).await?;
            if used > 0 {
                return Ok(TaxonomyDeleted::InUse(u64::try_from(used).unwrap_or(0)));
            }
        } else {
            query("DELETE FROM article_tags WHERE tag_id = ?1").bind(id).execute(&mut tx).await?;
        }
        let done = query(match kind {
            Taxonomy::Category => "DELETE FROM categories WHERE id = ?1",
            Taxonomy::Tag => "DELETE FROM tags WHERE id = ?1",
        })
        .bind(id)
        .execute(&mut tx)
        .await?;
        if done == 0 {
            return Ok(TaxonomyDeleted::NotFound);
        }
        query("DELETE FROM taxonomy_redirects WHERE kind = ?1 AND target_id = ?2")
            .bind(kind.code())
            .bind(id)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(TaxonomyDeleted::Deleted)
    }

    /// One page of the tags, in the order of their addresses (which sorts
    /// `Çevre` with `Cevre`, not after `Z`), with how many match: those whose
    /// name holds `search`, or whose address holds it folded as addresses are.
    pub async fn tags_page(
        &self,
        search: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<TaxonomyItem>, u64), StoreError> {
        let words = search.map(str::trim).filter(|s| !s.is_empty());
        let like = words.map(|w| format!("%{}%", crate::db::like_literal(w)));
        let slug_like = words.map(slug::slugify).filter(|s| !s.is_empty()).map(|s| format!("%{s}%"));
        macro_rules! filter {
            () => {
                "(?1 IS NULL OR t.name LIKE ?1 OR (?2 IS NOT NULL AND t.slug LIKE ?2))"
            };
        }
        let total: i64 = query(concat!("SELECT COUNT(*) FROM tags t WHERE ", filter!()))
            .bind(&like)
            .bind(&slug_like)
            .scalar(&self.db)
            .await?;
        let rows = query(concat!(
            "SELECT t.id, t.name, t.slug, CAST(0 AS INTEGER), (SELECT COUNT(*) FROM article_tags x WHERE x.tag_id = t.id) \
             FROM tags t WHERE ",
            filter!(),
            " ORDER BY t.slug LIMIT ?3 OFFSET ?4"
        ))
        .bind(&like)
        .bind(&slug_like)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.db)
        .await?;
        let items = rows.iter().map(taxonomy_item).collect::<Result<_, StoreError>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// The tag named `name` (as typed, any case) or with that address.
    pub async fn tag_named(&self, name: &str) -> Result<Option<TagRef>, StoreError> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let slug = slug::slugify(&name);
        let row = query("SELECT id, name, slug FROM tags WHERE name = ?1 OR slug = ?2 ORDER BY name = ?1 DESC LIMIT 1")
            .bind(&name)
            .bind(&slug)
            .fetch_optional(&self.db)
            .await?;
        row.map(|r| Ok(TagRef { id: r.col(0)?, name: r.col(1)?, slug: r.col(2)? })).transpose()
    }

    /// Merges tag `from` into tag `into`: every article with `from` gets
    /// `into` in its place (once, where `from` stood), `from`'s address and
    /// the old addresses that led to it redirect to `into`, and `from` is
    /// deleted. One transaction: a failure leaves both tags as they were.
    pub async fn merge_tags(&self, from: i64, into: i64) -> Result<TagsMerged, StoreError> {
        if from == into {
            return Ok(TagsMerged::Same);
        }
        let mut tx = self.db.begin_write().await?;
        let from_slug: Option<String> =
            query("SELECT slug FROM tags WHERE id = ?1").bind(from).scalar_optional(&mut tx).await?;
        let into_exists: Option<i64> =
            query("SELECT id FROM tags WHERE id = ?1").bind(into).scalar_optional(&mut tx).await?;
        let (Some(from_slug), Some(_)) = (from_slug, into_exists) else { return Ok(TagsMerged::NotFound) };
        let articles: i64 =
            query("SELECT COUNT(*) FROM article_tags WHERE tag_id = ?1").bind(from).scalar(&mut tx).await?;
        query(
            "INSERT INTO article_tags (article_id, tag_id, position) \
             SELECT x.article_id, ?2, x.position FROM article_tags x WHERE x.tag_id = ?1 \
               AND NOT EXISTS (SELECT 1 FROM article_tags y WHERE y.article_id = x.article_id AND y.tag_id = ?2)",
        )
        .bind(from)
        .bind(into)
        .execute(&mut tx)
        .await?;
        query("DELETE FROM article_tags WHERE tag_id = ?1").bind(from).execute(&mut tx).await?;
        query("UPDATE taxonomy_redirects SET target_id = ?2 WHERE kind = 'tag' AND target_id = ?1")
            .bind(from)
            .bind(into)
            .execute(&mut tx)
            .await?;
        query(
            "INSERT INTO taxonomy_redirects (kind, old_slug, target_id) VALUES ('tag', ?1, ?2) \
             ON CONFLICT (kind, old_slug) DO UPDATE SET target_id = excluded.target_id",
        )
        .bind(&from_slug)
        .bind(into)
        .execute(&mut tx)
        .await?;
        query("DELETE FROM tags WHERE id = ?1").bind(from).execute(&mut tx).await?;
        tx.commit().await?;
        Ok(TagsMerged::Merged { articles: u64::try_from(articles).unwrap_or(0) })
    }

    /// The current address of a renamed category or tag, from an old one.
    pub async fn taxonomy_redirect(&self, kind: Taxonomy, old_slug: &str) -> Result<Option<String>, StoreError> {
        query(match kind {
            Taxonomy::Category => {
                "SELECT c.slug FROM taxonomy_redirects r JOIN categories c ON c.id = r.target_id \
                 WHERE r.kind = 'category' AND r.old_slug = ?1"
            }
            Taxonomy::Tag => {
                "SELECT t.slug FROM taxonomy_redirects r JOIN tags t ON t.id = r.target_id \
                 WHERE r.kind = 'tag' AND r.old_slug = ?1"
            }
        })
        .bind(old_slug)
        .scalar_optional(&self.db)
        .await
    }

    /// Every byline name, for the newsroom's filters.
    pub async fn authors(&self) -> Result<Vec<manset_core::AuthorRef>, StoreError> {
        let rows = query("SELECT id, name, slug FROM authors ORDER BY name").fetch_all(&self.db).await?;
        rows.iter()
            .map(|r| Ok(manset_core::AuthorRef { id: r.col(0)?, name: r.col(1)?, slug: r.col(2)? }))
            .collect::<Result<_, StoreError>>()
    }
}
