//! Categories and tags: looking them up for their pages and the menu.

use jiff::Timestamp;
use manset_core::{CategoryRef, TagRef};
use sqlx::Row;

use crate::{Store, StoreError};

impl Store {
    /// The category at `slug`, whether or not it has articles yet.
    pub async fn category_by_slug(&self, slug: &str) -> Result<Option<CategoryRef>, StoreError> {
        let row = sqlx::query("SELECT id, name, slug FROM categories WHERE slug = ?1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(CategoryRef { id: r.try_get(0)?, name: r.try_get(1)?, slug: r.try_get(2)? }),
            None => None,
        })
    }

    /// The tag at `slug`.
    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<TagRef>, StoreError> {
        let row = sqlx::query("SELECT id, name, slug FROM tags WHERE slug = ?1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(TagRef { id: r.try_get(0)?, name: r.try_get(1)?, slug: r.try_get(2)? }),
            None => None,
        })
    }

    /// Categories with at least one visible article, in menu order (their
    /// position, then name): the site's navigation.
    pub async fn menu_categories(&self, now: Timestamp) -> Result<Vec<CategoryRef>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.name, c.slug FROM categories c \
             WHERE EXISTS (SELECT 1 FROM articles a WHERE a.category_id = c.id \
                           AND a.status = 'published' AND a.published_at <= ?1) \
             ORDER BY c.position, c.name",
        )
        .bind(now.as_second())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(CategoryRef { id: r.try_get(0)?, name: r.try_get(1)?, slug: r.try_get(2)? })).collect()
    }
}
