//! What sitemaps list: every visible article, and the categories, tags and
//! authors that have one, each with the time its content last changed.
//!
//! Pages of a sitemap are stable: articles are in publication order, the rest
//! in creation order, so a new article lands on the last page and the others
//! keep their place (and their page's `lastmod`).

use jiff::Timestamp;

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// One kind of sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapKind {
    Articles,
    Categories,
    Tags,
    Authors,
}

/// An address (its slug) and when what it shows last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub slug: String,
    pub lastmod: Timestamp,
}

/// An article of the Google News sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsEntry {
    pub slug: String,
    pub headline: String,
    pub published_at: Timestamp,
    /// The language of the text; `None` for the site's.
    pub lang: Option<manset_core::Lang>,
}

/// When an article's content last changed for readers (alias `a`): its
/// publication, its update or its correction; comments do not count.
macro_rules! article_lastmod {
    () => {
        " MAX(a.published_at, COALESCE(a.updated_at, 0), COALESCE(a.corrected_at, 0)) "
    };
}

/// The rows of a kind as `(o, k, slug, lastmod)`: ordered by `o, k`. Binds
/// `now` as `?1`.
macro_rules! rows_of {
    (Articles) => {
        concat!(
            "SELECT a.published_at AS o, a.id AS k, a.slug AS slug,",
            article_lastmod!(),
            "AS lastmod FROM articles a WHERE",
            visible!()
        )
    };
    (Categories) => {
        concat!(
            "SELECT c.id AS o, c.id AS k, c.slug AS slug, MAX(",
            article_lastmod!(),
            ") AS lastmod FROM categories c JOIN articles a ON a.category_id = c.id WHERE",
            visible!(),
            "GROUP BY c.id"
        )
    };
    (Tags) => {
        concat!(
            "SELECT t.id AS o, t.id AS k, t.slug AS slug, MAX(",
            article_lastmod!(),
            ") AS lastmod FROM tags t JOIN article_tags x ON x.tag_id = t.id \
             JOIN articles a ON a.id = x.article_id WHERE",
            visible!(),
            "GROUP BY t.id"
        )
    };
    (Authors) => {
        concat!(
            "SELECT au.id AS o, au.id AS k, au.slug AS slug, MAX(",
            article_lastmod!(),
            ") AS lastmod FROM authors au JOIN article_authors x ON x.author_id = au.id \
             JOIN articles a ON a.id = x.article_id WHERE",
            visible!(),
            "GROUP BY au.id"
        )
    };
}

/// `lastmod` of each page of `?2` rows, in page order.
macro_rules! pages_of {
    ($kind:tt) => {
        concat!(
            "SELECT MAX(lastmod) FROM (SELECT lastmod, (ROW_NUMBER() OVER (ORDER BY o, k) - 1) / ?2 AS page FROM (",
            rows_of!($kind),
            ") AS r) AS p GROUP BY page ORDER BY page"
        )
    };
}

/// Rows `?3..?3+?2` in order.
macro_rules! page_of {
    ($kind:tt) => {
        concat!("SELECT slug, lastmod FROM (", rows_of!($kind), ") AS r ORDER BY o, k LIMIT ?2 OFFSET ?3")
    };
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Store {
    /// For pages of `page_size` entries of `kind`: each page's newest `lastmod`.
    /// The length is the number of pages (none when nothing is visible).
    pub async fn sitemap_pages(
        &self,
        kind: SitemapKind,
        now: Timestamp,
        page_size: u32,
    ) -> Result<Vec<Timestamp>, StoreError> {
        let sql = match kind {
            SitemapKind::Articles => pages_of!(Articles),
            SitemapKind::Categories => pages_of!(Categories),
            SitemapKind::Tags => pages_of!(Tags),
            SitemapKind::Authors => pages_of!(Authors),
        };
        let times: Vec<i64> =
            query(sql).bind(now.as_second()).bind(i64::from(page_size.max(1))).scalars(&self.db).await?;
        Ok(times.into_iter().map(ts).collect())
    }

    /// Page `number` (from 1) of `kind`, `page_size` entries a page.
    pub async fn sitemap_page(
        &self,
        kind: SitemapKind,
        now: Timestamp,
        number: u32,
        page_size: u32,
    ) -> Result<Vec<SitemapEntry>, StoreError> {
        let sql = match kind {
            SitemapKind::Articles => page_of!(Articles),
            SitemapKind::Categories => page_of!(Categories),
            SitemapKind::Tags => page_of!(Tags),
            SitemapKind::Authors => page_of!(Authors),
        };
        let size = i64::from(page_size.max(1));
        let rows = query(sql)
            .bind(now.as_second())
            .bind(size)
            .bind(i64::from(number.max(1) - 1) * size)
            .fetch_all(&self.db)
            .await?;
        rows.iter()
            .map(|r| Ok(SitemapEntry { slug: r.col(0)?, lastmod: ts(r.col(1)?) }))
            .collect::<Result<_, StoreError>>()
    }

    /// Visible articles published at or after `since`, newest first, at most `limit`.
    pub async fn news_sitemap(
        &self,
        now: Timestamp,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<NewsEntry>, StoreError> {
        let rows = query(concat!(
            "SELECT a.slug, a.headline, a.published_at, a.lang FROM articles a WHERE",
            visible!(),
            "AND a.published_at >= ?2 ORDER BY a.published_at DESC, a.id DESC LIMIT ?3"
        ))
        .bind(now.as_second())
        .bind(since.as_second())
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(NewsEntry {
                    slug: r.col(0)?,
                    headline: r.col(1)?,
                    published_at: ts(r.col(2)?),
                    lang: crate::articles::lang(r.col(3)?)?,
                })
            })
            .collect::<Result<_, StoreError>>()
    }
}
