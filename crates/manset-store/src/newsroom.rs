//! What the newsroom's editor reads: an article in any status as it can be
//! edited, its revisions, and where old URLs and withdrawn articles lead.

use jiff::Timestamp;
use manset_core::{ArticleInput, SourceCredit, Status};

use crate::db::query;
use crate::read::Cols;
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

fn decode<T>(r: Result<T, String>) -> Result<T, StoreError> {
    r.map_err(|e| StoreError::Decode(e.to_string()))
}

impl Store {
    /// The article with `id`, in any status, as the editor shows it.
    pub async fn editable_article(&self, id: i64) -> Result<Option<EditableArticle>, StoreError> {
        let row = query(
            "SELECT a.id, a.slug, a.status, a.created_by, a.corrected_at, a.headline, a.standfirst, a.body, \
                    c.name, au.name, a.published_at, a.updated_at, a.seo_title, a.seo_description, a.correction, a.image, \
                    a.lang \
             FROM articles a JOIN categories c ON c.id = a.category_id LEFT JOIN authors au ON au.id = a.author_id \
             WHERE a.id = ?1",
        )
        .bind(id)
        .fetch_optional(&self.db)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let tags: Vec<String> = query(
            "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ?1 ORDER BY at.position",
        )
        .bind(id)
        .scalars(&self.db)
        .await?;
        let sources = query("SELECT name, url, note FROM article_sources WHERE article_id = ?1 ORDER BY position")
            .bind(id)
            .fetch_all(&self.db)
            .await?
            .iter()
            .map(|s| Ok(SourceCredit { name: s.col(0)?, url: s.col(1)?, note: s.col(2)? }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let status: String = r.col(2)?;
        let status = decode(status.parse())?;
        let slug: String = r.col(1)?;
        Ok(Some(EditableArticle {
            id: r.col(0)?,
            slug: slug.clone(),
            status,
            created_by: r.col(3)?,
            corrected_at: r.col::<Option<i64>>(4)?.map(ts),
            input: ArticleInput {
                headline: r.col(5)?,
                standfirst: r.col(6)?,
                body: r.col(7)?,
                slug: Some(slug),
                category: r.col(8)?,
                tags,
                authors: query(
                    "SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id \
                     WHERE aa.article_id = ?1 ORDER BY aa.position",
                )
                .bind(id)
                .scalars(&self.db)
                .await?,
                published_at: ts(r.col(10)?),
                updated_at: r.col::<Option<i64>>(11)?.map(ts),
                status,
                sources,
                seo_title: r.col(12)?,
                seo_description: r.col(13)?,
                correction: r.col(14)?,
                image: crate::articles::image(r.col(15)?)?,
                lang: crate::articles::lang(r.col(16)?)?,
            },
        }))
    }

    /// The revisions of an article, newest first.
    pub async fn revisions(&self, article_id: i64) -> Result<Vec<Revision>, StoreError> {
        let rows = query(
            "SELECT r.number, u.name, r.status, r.created_at, r.content FROM article_revisions r \
             LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = ?1 ORDER BY r.number DESC",
        )
        .bind(article_id)
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.col(2)?;
                let content: String = r.col(4)?;
                Ok(Revision {
                    number: r.col(0)?,
                    user_name: r.col(1)?,
                    status: decode(status.parse())?,
                    created_at: ts(r.col(3)?),
                    content: serde_json::from_str(&content).map_err(|e| StoreError::Decode(e.to_string()))?,
                })
            })
            .collect::<Result<_, StoreError>>()
    }

    /// Where an old slug now lives: the current slug of its article.
    pub async fn redirect_for(&self, old_slug: &str) -> Result<Option<String>, StoreError> {
        query("SELECT a.slug FROM redirects r JOIN articles a ON a.id = r.article_id WHERE r.old_slug = ?1")
            .bind(old_slug)
            .scalar_optional(&self.db)
            .await
    }

    /// Whether `slug` is an article that was withdrawn (readers get 410 Gone).
    pub async fn is_unpublished(&self, slug: &str) -> Result<bool, StoreError> {
        query("SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ?1 AND status = 'unpublished')")
            .bind(slug)
            .scalar(&self.db)
            .await
    }

    /// Names of all categories and tags, for the editor's suggestions.
    pub async fn taxonomy_names(&self) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let categories = query("SELECT name FROM categories ORDER BY name").scalars(&self.db).await?;
        let tags = query("SELECT name FROM tags ORDER BY name").scalars(&self.db).await?;
        Ok((categories, tags))
    }
}
