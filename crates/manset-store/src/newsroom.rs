//! What the newsroom's editor reads: an article in any status as it can be
//! edited, its revisions, and where old URLs and withdrawn articles lead.

use jiff::Timestamp;
use manset_core::{ArticleInput, SourceCredit, Status};
use sqlx::Row;

use crate::{Store, StoreError};

/// An article as the editor loads it.
#[derive(Debug, Clone, PartialEq)]
pub struct EditableArticle {
    pub id: i64,
    pub slug: String,
    pub status: Status,
    /// The member who created it, if created in the newsroom.
    pub created_by: Option<i64>,
    pub corrected_at: Option<Timestamp>,
    /// Everything the editor's form shows, slug included.
    pub input: ArticleInput,
}

/// One saved state of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub number: i64,
    pub user_name: Option<String>,
    pub status: Status,
    pub created_at: Timestamp,
    pub content: ArticleInput,
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn decode<T>(r: Result<T, String>) -> Result<T, sqlx::Error> {
    r.map_err(|e| sqlx::Error::Decode(e.into()))
}

impl Store {
    /// The article with `id`, in any status, as the editor shows it.
    pub async fn editable_article(&self, id: i64) -> Result<Option<EditableArticle>, StoreError> {
        let row = sqlx::query(
            "SELECT a.id, a.slug, a.status, a.created_by, a.corrected_at, a.headline, a.standfirst, a.body, \
                    c.name, au.name, a.published_at, a.updated_at, a.seo_title, a.seo_description, a.correction, a.image, \
                    a.lang \
             FROM articles a JOIN categories c ON c.id = a.category_id LEFT JOIN authors au ON au.id = a.author_id \
             WHERE a.id = ?1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let tags: Vec<String> = sqlx::query_scalar(
            "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ?1 ORDER BY at.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let sources =
            sqlx::query("SELECT name, url, note FROM article_sources WHERE article_id = ?1 ORDER BY position")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|s| Ok(SourceCredit { name: s.try_get(0)?, url: s.try_get(1)?, note: s.try_get(2)? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let status: String = r.try_get(2)?;
        let status = decode(status.parse())?;
        let slug: String = r.try_get(1)?;
        Ok(Some(EditableArticle {
            id: r.try_get(0)?,
            slug: slug.clone(),
            status,
            created_by: r.try_get(3)?,
            corrected_at: r.try_get::<Option<i64>, _>(4)?.map(ts),
            input: ArticleInput {
                headline: r.try_get(5)?,
                standfirst: r.try_get(6)?,
                body: r.try_get(7)?,
                slug: Some(slug),
                category: r.try_get(8)?,
                tags,
                authors: sqlx::query_scalar(
                    "SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id \
                     WHERE aa.article_id = ?1 ORDER BY aa.position",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?,
                published_at: ts(r.try_get(10)?),
                updated_at: r.try_get::<Option<i64>, _>(11)?.map(ts),
                status,
                sources,
                seo_title: r.try_get(12)?,
                seo_description: r.try_get(13)?,
                correction: r.try_get(14)?,
                image: crate::articles::image(r.try_get(15)?)?,
                lang: crate::articles::lang(r.try_get(16)?)?,
            },
        }))
    }

    /// The revisions of an article, newest first.
    pub async fn revisions(&self, article_id: i64) -> Result<Vec<Revision>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.number, u.name, r.status, r.created_at, r.content FROM article_revisions r \
             LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = ?1 ORDER BY r.number DESC",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get(2)?;
                let content: String = r.try_get(4)?;
                Ok(Revision {
                    number: r.try_get(0)?,
                    user_name: r.try_get(1)?,
                    status: decode(status.parse())?,
                    created_at: ts(r.try_get(3)?),
                    content: serde_json::from_str(&content).map_err(|e| sqlx::Error::Decode(e.into()))?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Where an old slug now lives: the current slug of its article.
    pub async fn redirect_for(&self, old_slug: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT a.slug FROM redirects r JOIN articles a ON a.id = r.article_id WHERE r.old_slug = ?1",
        )
        .bind(old_slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Whether `slug` is an article that was withdrawn (readers get 410 Gone).
    pub async fn is_unpublished(&self, slug: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ?1 AND status = 'unpublished')")
            .bind(slug)
            .fetch_one(&self.pool)
            .await?)
    }

    /// Names of all categories and tags, for the editor's suggestions.
    pub async fn taxonomy_names(&self) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let categories = sqlx::query_scalar("SELECT name FROM categories ORDER BY name").fetch_all(&self.pool).await?;
        let tags = sqlx::query_scalar("SELECT name FROM tags ORDER BY name").fetch_all(&self.pool).await?;
        Ok((categories, tags))
    }
}
