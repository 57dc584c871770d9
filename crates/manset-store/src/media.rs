//! The media library's records: uploads, their text (alt, caption, credit)
//! and the renditions readers get. The files themselves live outside the
//! database; see `manset_service::media_files`.

use jiff::Timestamp;

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// One resized copy, by its public path under `/medya/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RenditionRef {
    pub width: u32,
    pub height: u32,
    pub path: String,
}

/// An image in the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaItem {
    pub id: i64,
    pub original_name: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub uploaded_by: Option<String>,
    /// The account that uploaded it (none for imports, or a deleted account).
    pub uploader_id: Option<i64>,
    pub created_at: Timestamp,
    /// Widest first.
    pub renditions: Vec<RenditionRef>,
}

impl MediaItem {
    /// The widest rendition: the image's address in articles.
    pub fn main_path(&self) -> &str {
        self.renditions.first().map_or("", |r| r.path.as_str())
    }
}

/// An article that shows a library image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaUse {
    pub article_id: i64,
    pub status: manset_core::Status,
    pub created_by: Option<i64>,
}

/// An upload to record.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    pub sha256: &'a str,
    pub original_name: &'a str,
    pub original_path: &'a str,
    pub mime: &'a str,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub uploaded_by: Option<i64>,
    pub renditions: &'a [RenditionRef],
}

macro_rules! select_media {
    ($rest:literal) => {
        concat!(
            "SELECT m.id, m.original_name, m.mime, m.width, m.height, m.bytes, m.alt, m.caption, m.credit, \
                    u.name, m.created_at, \
                    (SELECT json_group_array(json_object('width', r.width, 'height', r.height, 'path', r.path) \
                     ORDER BY r.width DESC) FROM media_renditions r WHERE r.media_id = m.id), \
                    m.uploaded_by \
             FROM media m LEFT JOIN users u ON u.id = m.uploaded_by ",
            $rest
        )
    };
}

fn media_from_row<R: Cols>(r: &R) -> Result<MediaItem, StoreError> {
    let renditions: String = r.col(11)?;
    Ok(MediaItem {
        id: r.col(0)?,
        original_name: r.col(1)?,
        mime: r.col(2)?,
        width: u32::try_from(r.col::<i64>(3)?).unwrap_or(0),
        height: u32::try_from(r.col::<i64>(4)?).unwrap_or(0),
        bytes: u64::try_from(r.col::<i64>(5)?).unwrap_or(0),
        alt: r.col(6)?,
        caption: r.col(7)?,
        credit: r.col(8)?,
        uploaded_by: r.col(9)?,
        uploader_id: r.col(12)?,
        created_at: Timestamp::from_second(r.col(10)?).unwrap_or(Timestamp::UNIX_EPOCH),
        renditions: serde_json::from_str(&renditions).map_err(|e| StoreError::Decode(e.to_string()))?,
    })
}

fn text(s: Option<&str>) -> Option<String> {
    s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty())
}

impl Store {
    /// The upload with this content hash, if the library has it already.
    pub async fn media_by_hash(&self, sha256: &str) -> Result<Option<MediaItem>, StoreError> {
        let row = query(select_media!("WHERE m.sha256 = ?1")).bind(sha256).fetch_optional(&self.db).await?;
        row.as_ref().map(media_from_row).transpose()
    }

    pub async fn media(&self, id: i64) -> Result<Option<MediaItem>, StoreError> {
        let row = query(select_media!("WHERE m.id = ?1")).bind(id).fetch_optional(&self.db).await?;
        row.as_ref().map(media_from_row).transpose()
    }

    /// Records an upload and its renditions in one transaction.
    pub async fn add_media(&self, new: &NewMedia<'_>, now: Timestamp) -> Result<i64, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let id: i64 = query(
            "INSERT INTO media (sha256, original_name, original_path, mime, width, height, bytes, alt, caption, \
             credit, uploaded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
        )
        .bind(new.sha256)
        .bind(new.original_name)
        .bind(new.original_path)
        .bind(new.mime)
        .bind(i64::from(new.width))
        .bind(i64::from(new.height))
        .bind(i64::try_from(new.bytes).unwrap_or(i64::MAX))
        .bind(text(Some(new.alt)).unwrap_or_default())
        .bind(text(new.caption))
        .bind(text(new.credit))
        .bind(new.uploaded_by)
        .bind(now.as_second())
        .scalar(&mut tx)
        .await?;
        for r in new.renditions {
            query("INSERT INTO media_renditions (media_id, width, height, path) VALUES (?1, ?2, ?3, ?4)")
                .bind(id)
                .bind(i64::from(r.width))
                .bind(i64::from(r.height))
                .bind(&r.path)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Sets an image's alt text, caption and credit; `false` if there is no such image.
    pub async fn update_media_text(
        &self,
        id: i64,
        alt: &str,
        caption: Option<&str>,
        credit: Option<&str>,
    ) -> Result<bool, StoreError> {
        let done = query("UPDATE media SET alt = ?1, caption = ?2, credit = ?3 WHERE id = ?4")
            .bind(text(Some(alt)).unwrap_or_default())
            .bind(text(caption))
            .bind(text(credit))
            .bind(id)
            .execute(&self.db)
            .await?;
        Ok(done > 0)
    }

    /// The articles that show this image (as their lead image or in their
    /// body), with what decides who may change its text: their status and
    /// who created them. A lead image is found by its rendition's address
    /// in the image's JSON, a body by the address in its Markdown.
    pub async fn media_uses(&self, id: i64) -> Result<Vec<MediaUse>, StoreError> {
        let rows = query(
            "SELECT a.id, a.status, a.created_by FROM articles a \
             WHERE EXISTS (SELECT 1 FROM media_renditions r WHERE r.media_id = ?1 \
                           AND (a.image LIKE '%' || r.path || '%' OR a.body LIKE '%' || r.path || '%')) \
             ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.col(1)?;
                Ok(MediaUse {
                    article_id: r.col(0)?,
                    status: status.parse().map_err(|_| StoreError::Decode(format!("article status `{status}`")))?,
                    created_by: r.col(2)?,
                })
            })
            .collect()
    }

    /// One page of the library, newest first, optionally only names, alt
    /// texts, captions or credits containing `search`.
    pub async fn media_list(
        &self,
        search: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<MediaItem>, u64), StoreError> {
        let pattern = search.map(|s| format!("%{}%", crate::db::like_literal(s)));
        let total: i64 = query(
            "SELECT COUNT(*) FROM media m WHERE ?1 IS NULL OR m.original_name LIKE ?1 OR m.alt LIKE ?1 \
             OR m.caption LIKE ?1 OR m.credit LIKE ?1",
        )
        .bind(&pattern)
        .scalar(&self.db)
        .await?;
        let rows = query(select_media!(
            "WHERE ?1 IS NULL OR m.original_name LIKE ?1 OR m.alt LIKE ?1 OR m.caption LIKE ?1 OR m.credit LIKE ?1 \
             ORDER BY m.created_at DESC, m.id DESC LIMIT ?2 OFFSET ?3"
        ))
        .bind(&pattern)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.db)
        .await?;
        Ok((rows.iter().map(media_from_row).collect::<Result<_, _>>()?, u64::try_from(total).unwrap_or(0)))
    }

    /// The images that have a rendition at any of `paths`, for `srcset` and
    /// alt-text checks; one query for a whole article.
    pub async fn media_by_paths(&self, paths: &[&str]) -> Result<Vec<MediaItem>, StoreError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(paths).map_err(|e| StoreError::Decode(e.to_string()))?;
        const SQL: &str = select_media!(
            "WHERE m.id IN (SELECT media_id FROM media_renditions WHERE path IN (SELECT value FROM json_each(?1)))"
        );
        let Some(reader) = self.db.reader() else {
            return query(SQL).bind(list).fetch_all(&self.db).await?.iter().map(media_from_row).collect();
        };
        reader.run(|db| {
            let mut statement = db.prepare_cached(SQL)?;
            let mut rows = statement.query([list])?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                found.push(media_from_row(row)?);
            }
            Ok(found)
        })
    }
}
