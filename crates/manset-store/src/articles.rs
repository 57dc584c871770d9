//! Reading articles as readers may see them.
//!
//! "Visible" is defined once, in `VISIBLE`: published, and its publish time
//! has come. Every reader-facing query includes it, so drafts and embargoed
//! stories cannot leak through a list, a related block or a direct URL.

use jiff::Timestamp;
use manset_core::{Article, ArticleSummary, AuthorRef, CategoryRef, LeadImage, Page, SourceCredit, TagRef};

use crate::db::query;
use crate::read::Cols;
use crate::{Store, StoreError};

/// The columns of an [`ArticleSummary`], read by [`summary_from_row`];
/// `summary_select!("articles a NOT INDEXED")` reads the articles by id only.
macro_rules! summary_select {
    () => {
        summary_select!("articles a")
    };
    ($articles:literal) => {
        concat!(
            "SELECT a.id, a.slug, a.headline, a.standfirst, a.published_at, \
                    c.id, c.name, c.slug, au.id, au.name, au.slug, \
                    (SELECT COUNT(*) FROM comments cm WHERE cm.article_id = a.id AND cm.status = 'approved'), \
                    a.image \
             FROM ",
            $articles,
            " JOIN categories c ON c.id = a.category_id \
             LEFT JOIN authors au ON au.id = a.author_id "
        )
    };
}

/// [`summary_select!`]'s columns, starting from the categories (`c`).
macro_rules! summary_select_from_categories {
    () => {
        "SELECT a.id, a.slug, a.headline, a.standfirst, a.published_at, \
                c.id, c.name, c.slug, au.id, au.name, au.slug, \
                (SELECT COUNT(*) FROM comments cm WHERE cm.article_id = a.id AND cm.status = 'approved'), \
                a.image \
         FROM categories c "
    };
}

fn ts(seconds: i64) -> Timestamp {
    // Stored values come from `Timestamp::as_second`, so they are in range;
    // fall back to the epoch rather than fail a page on a corrupted row.
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(crate) fn summary_from_row<R: Cols>(row: &R) -> Result<ArticleSummary, StoreError> {
    Ok(ArticleSummary {
        id: row.col(0)?,
        slug: row.col(1)?,
        headline: row.col(2)?,
        standfirst: row.col(3)?,
        published_at: ts(row.col(4)?),
        category: CategoryRef { id: row.col(5)?, name: row.col(6)?, slug: row.col(7)? },
        author: author_from_row(row, 8)?,
        comment_count: count(row.col(11)?),
        image: image(row.col(12)?)?,
    })
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn author_from_row<R: Cols>(row: &R, first: usize) -> Result<Option<AuthorRef>, StoreError> {
    let id: Option<i64> = row.col(first)?;
    Ok(match id {
        Some(id) => Some(AuthorRef { id, name: row.col(first + 1)?, slug: row.col(first + 2)? }),
        None => None,
    })
}

/// The lead image column: JSON written by `save_article`.
pub(crate) fn image(json: Option<String>) -> Result<Option<LeadImage>, StoreError> {
    json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::Decode(e.to_string()))).transpose()
}

/// The language column: a tag written by `save_article`, NULL for the site's.
pub(crate) fn lang(tag: Option<String>) -> Result<Option<manset_core::Lang>, StoreError> {
    tag.map(|t| t.parse().map_err(|e: manset_core::UnknownLang| StoreError::Decode(e.to_string()))).transpose()
}

/// An article row of `published_article`.
fn article_from_row<R: Cols>(row: &R) -> Result<Article, StoreError> {
    let id: i64 = row.col(0)?;
    let status: String = row.col(6)?;
    let mut article = Article {
        id,
        slug: row.col(1)?,
        headline: row.col(2)?,
        standfirst: row.col(3)?,
        body: row.col(4)?,
        body_html: row.col(5)?,
        status: status.parse().map_err(|e: String| StoreError::Decode(e.to_string()))?,
        published_at: ts(row.col(7)?),
        updated_at: row.col::<Option<i64>>(8)?.map(ts),
        category: CategoryRef { id: row.col(9)?, name: row.col(10)?, slug: row.col(11)? },
        authors: {
            let json: String = row.col(20)?;
            let list: Vec<(i64, String, String)> =
                serde_json::from_str(&json).map_err(|e| StoreError::Decode(e.to_string()))?;
            list.into_iter().map(|(id, name, slug)| AuthorRef { id, name, slug }).collect()
        },
        comment_count: count(row.col(15)?),
        correction: row.col(16)?,
        corrected_at: row.col::<Option<i64>>(17)?.map(ts),
        seo_title: row.col(18)?,
        seo_description: row.col(19)?,
        modified_at: ts(row.col(21)?),
        image: image(row.col(22)?)?,
        lang: lang(row.col(25)?)?,
        tags: Vec::new(),
        sources: Vec::new(),
    };
    // Tags and sources come in the same row, as JSON: one round trip.
    let decode = |e: serde_json::Error| StoreError::Decode(e.to_string());
    let tags: Vec<(i64, String, String)> = serde_json::from_str(&row.col::<String>(23)?).map_err(decode)?;
    let sources: Vec<(String, Option<String>, Option<String>)> =
        serde_json::from_str(&row.col::<String>(24)?).map_err(decode)?;
    article.tags = tags.into_iter().map(|(id, name, slug)| TagRef { id, name, slug }).collect();
    article.sources = sources.into_iter().map(|(name, url, note)| SourceCredit { name, url, note }).collect();
    Ok(article)
}

/// An article as its page shows it, from `articles a` (with its category,
/// bylines, tags and sources in the same row, as JSON): `article_from_row`
/// reads it.
macro_rules! article_select {
    () => {
            "SELECT a.id, a.slug, a.headline, a.standfirst, a.body, a.body_html, a.status, \
                    a.published_at, a.updated_at, c.id, c.name, c.slug, au.id, au.name, au.slug, \
                    (SELECT COUNT(*) FROM comments cm WHERE cm.article_id = a.id AND cm.status = 'approved'), \
                    a.correction, a.corrected_at, a.seo_title, a.seo_description, \
                    (SELECT json_group_array(json_array(au2.id, au2.name, au2.slug) ORDER BY aa.position) \
                       FROM article_authors aa JOIN authors au2 ON au2.id = aa.author_id WHERE aa.article_id = a.id), \
                    a.modified_at, a.image, \
                    (SELECT json_group_array(json_array(t.id, t.name, t.slug) ORDER BY at.position) \
                       FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), \
                    (SELECT json_group_array(json_array(z.name, z.url, z.note) ORDER BY z.position) \
                       FROM article_sources z WHERE z.article_id = a.id), \
                    a.lang \
             FROM articles a \
             JOIN categories c ON c.id = a.category_id \
             LEFT JOIN authors au ON au.id = a.author_id "
    };
}

fn page_bounds(number: u32, per_page: u32) -> (i64, i64) {
    let per = i64::from(per_page.max(1));
    (per, i64::from(number.max(1) - 1) * per)
}

impl Store {
    /// The article at `slug` if readers may see it at `now`, with its tags and
    /// source credits.
    pub async fn published_article(&self, slug: &str, now: Timestamp) -> Result<Option<Article>, StoreError> {
        const SQL: &str = concat!(article_select!(), "WHERE a.slug = ?2 AND ", visible!());
        let Some(reader) = self.db.reader() else {
            let row = query(SQL).bind(now.as_second()).bind(slug).fetch_optional(&self.db).await?;
            return row.as_ref().map(article_from_row).transpose();
        };
        reader.run(|db| {
            let mut statement = db.prepare_cached(SQL)?;
            let mut rows = statement.query(rusqlite::params![now.as_second(), slug])?;
            match rows.next()? {
                Some(row) => article_from_row(row).map(Some),
                None => Ok(None),
            }
        })
    }

    /// The article with `id` in any status, as its page would show it: for
    /// previews, never for readers' pages.
    pub async fn article_by_id(&self, id: i64) -> Result<Option<Article>, StoreError> {
        const SQL: &str = concat!(article_select!(), " WHERE a.id = ?1");
        let row = query(SQL).bind(id).fetch_optional(&self.db).await?;
        row.as_ref().map(article_from_row).transpose()
    }

    /// The newest visible articles, newest first, skipping `offset`.
    pub async fn latest_published(
        &self,
        now: Timestamp,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let rows = query(concat!(
            summary_select!(),
            "WHERE",
            visible!(),
            "ORDER BY a.published_at DESC, a.id DESC LIMIT ?2 OFFSET ?3"
        ))
        .bind(now.as_second())
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&self.db)
        .await?;
        rows.iter().map(summary_from_row).collect::<Result<_, _>>()
    }

    /// Up to `per_category` newest visible articles of every category,
    /// grouped by category in menu order, in one query.
    pub async fn latest_per_category(
        &self,
        now: Timestamp,
        per_category: u32,
    ) -> Result<Vec<(CategoryRef, Vec<ArticleSummary>)>, StoreError> {
        // Each category's newest through its index (a few rows each), not a
        // ranking of every visible article: the inner `a` is the category's
        // article list, the outer `a` the rows shown.
        const SQLITE: &str = concat!(
            summary_select_from_categories!(),
            "JOIN articles a ON a.id IN (SELECT a.id FROM articles a WHERE a.category_id = c.id AND",
            visible!(),
            "ORDER BY a.published_at DESC, a.id DESC LIMIT ?2) \
             LEFT JOIN authors au ON au.id = a.author_id \
             ORDER BY c.position, c.name, c.id, a.published_at DESC, a.id DESC"
        );
        // PostgreSQL cannot drive the `IN` above by category (it ranked every
        // article for every category: 300 ms at 2,000 articles); a lateral
        // join is its way to say "for each category, its newest few".
        const POSTGRES: &str = concat!(
            summary_select_from_categories!(),
            "CROSS JOIN LATERAL (SELECT * FROM articles a WHERE a.category_id = c.id AND",
            visible!(),
            "ORDER BY a.published_at DESC, a.id DESC LIMIT ?2) a \
             LEFT JOIN authors au ON au.id = a.author_id \
             ORDER BY c.position, c.name, c.id, a.published_at DESC, a.id DESC"
        );
        let rows = query(if self.db.is_postgres() { POSTGRES } else { SQLITE })
            .bind(now.as_second())
            .bind(i64::from(per_category))
            .fetch_all(&self.db)
            .await?;
        let mut blocks: Vec<(CategoryRef, Vec<ArticleSummary>)> = Vec::new();
        for row in &rows {
            let summary = summary_from_row(row)?;
            match blocks.last_mut() {
                Some((category, items)) if category.id == summary.category.id => items.push(summary),
                _ => blocks.push((summary.category.clone(), vec![summary])),
            }
        }
        Ok(blocks)
    }

    /// Other visible articles to read after `article`: the same category
    /// first, then the rest, newest first within each.
    pub async fn related(
        &self,
        article: &Article,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let rows = query(concat!(
            summary_select!(),
            "WHERE a.id <> ?2 AND",
            visible!(),
            "ORDER BY CASE WHEN a.category_id = ?3 THEN 0 ELSE 1 END, \
                      a.published_at DESC, a.id DESC LIMIT ?4"
        ))
        .bind(now.as_second())
        .bind(article.id)
        .bind(article.category.id)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await?;
        rows.iter().map(summary_from_row).collect::<Result<_, _>>()
    }

    /// How many articles the site holds, in any status.
    pub async fn article_count(&self) -> Result<u64, StoreError> {
        let n: i64 = query("SELECT COUNT(*) FROM articles").scalar(&self.db).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// An article as the newsroom's list shows it, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsroomArticle {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub status: manset_core::Status,
    pub published_at: Timestamp,
    pub category: String,
    /// The byline, in order.
    pub authors: Vec<String>,
    /// When it was last saved, and by whom (the newest revision's member).
    pub modified_at: Timestamp,
    pub modified_by: Option<String>,
    pub pending_comments: u64,
}

/// The order of the newsroom's list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NewsroomSort {
    /// Newest publication time first (a draft's is when it was started).
    #[default]
    Published,
    /// Oldest publication time first.
    Oldest,
    /// Last saved first.
    Changed,
}

/// Which articles the newsroom's list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsroomFilter {
    /// `draft`, `review`, `scheduled`, `published` (and visible),
    /// `unpublished` or `trash`; `None`: all but the trash.
    pub status: Option<String>,
    pub category_id: Option<i64>,
    pub author_id: Option<i64>,
    /// Only what this member created, and what readers can already see:
    /// the desk of a member who may not edit others' work shows them no
    /// one else's drafts or embargoed stories.
    pub visible_to: Option<i64>,
    pub sort: NewsroomSort,
}

/// A count per workflow state, for the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NewsroomCounts {
    pub draft: u64,
    pub review: u64,
    pub scheduled: u64,
    pub published: u64,
    pub unpublished: u64,
    pub trash: u64,
    pub pending_comments: u64,
}

/// The columns of a row of the newsroom's list, from `articles a`.
macro_rules! newsroom_columns {
    () => {
        "SELECT a.id, a.slug, a.headline, a.status, a.published_at, c.name, \
                (SELECT json_group_array(au.name ORDER BY aa.position) FROM article_authors aa \
                 JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), \
                a.modified_at, \
                (SELECT u.name FROM article_revisions r JOIN users u ON u.id = r.user_id \
                 WHERE r.article_id = a.id ORDER BY r.number DESC LIMIT 1), \
                (SELECT COUNT(*) FROM comments cm WHERE cm.article_id = a.id AND cm.status = 'pending') "
    };
}

fn newsroom_row<R: Cols>(r: &R) -> Result<NewsroomArticle, StoreError> {
    let status: String = r.col(3)?;
    let authors: Option<String> = r.col(6)?;
    Ok(NewsroomArticle {
        id: r.col(0)?,
        slug: r.col(1)?,
        headline: r.col(2)?,
        status: status.parse().map_err(|e: String| StoreError::Decode(e.to_string()))?,
        published_at: ts(r.col(4)?),
        category: r.col(5)?,
        authors: match authors {
            Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::Decode(e.to_string()))?,
            None => Vec::new(),
        },
        modified_at: ts(r.col(7)?),
        modified_by: r.col(8)?,
        pending_comments: count(r.col(9)?),
    })
}

impl Store {
    /// The newest articles in any status but the trash, for the newsroom.
    pub async fn newsroom_articles(&self, limit: u32) -> Result<Vec<NewsroomArticle>, StoreError> {
        Ok(self.newsroom_list(&NewsroomFilter::default(), Timestamp::now(), limit, 0).await?.0)
    }

    /// One page of the newsroom's article list, in the filter's order, with how many match.
    pub async fn newsroom_list(
        &self,
        filter: &NewsroomFilter,
        now: Timestamp,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<NewsroomArticle>, u64), StoreError> {
        // ?1 now, ?2 status, ?3 category, ?4 author, ?5 member. Only the
        // conditions that apply are written (an unused parameter is only
        // named, `?N IS NULL`): a chain of `?N IS NULL OR …` kept SQLite from
        // using any index and scanned the whole archive for every page.
        let status = match filter.status.as_deref() {
            None => "?2 IS NULL AND a.status <> 'trash'",
            Some("scheduled") => "?2 IS NOT NULL AND a.status = 'published' AND a.published_at > ?1",
            Some("published") => "?2 IS NOT NULL AND a.status = 'published' AND a.published_at <= ?1",
            Some(_) => "a.status = ?2",
        };
        let category = if filter.category_id.is_some() { "a.category_id = ?3" } else { "?3 IS NULL" };
        let author = if filter.author_id.is_some() {
            "EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id AND x.author_id = ?4)"
        } else {
            "?4 IS NULL"
        };
        let member = if filter.visible_to.is_some() {
            "(a.created_by = ?5 OR (a.status = 'published' AND a.published_at <= ?1))"
        } else {
            "?5 IS NULL"
        };
        let conditions = format!("WHERE {status} AND {category} AND {author} AND {member} AND ?1 IS NOT NULL ");
        // Counted without the category join (every article has one): the
        // count then reads the index alone, never the articles' rows.
        let total: i64 = crate::db::query_made(format!("SELECT COUNT(*) FROM articles a {conditions}"))
            .bind(now.as_second())
            .bind(&filter.status)
            .bind(filter.category_id)
            .bind(filter.author_id)
            .bind(filter.visible_to)
            .scalar(&self.db)
            .await?;
        let order = match filter.sort {
            NewsroomSort::Published => "a.published_at DESC, a.id DESC",
            NewsroomSort::Oldest => "a.published_at, a.id",
            NewsroomSort::Changed => "a.modified_at DESC, a.id DESC",
        };
        // The page's ids are picked first, from the index alone; only those
        // rows are then read and joined. Joined in one step, every row an
        // OFFSET passes over was read from the table too (page 2,000: 0.4 s).
        let sql = format!(
            "{}FROM (SELECT a.id FROM articles a {conditions}ORDER BY {order} LIMIT ?6 OFFSET ?7) chosen \
             JOIN articles a ON a.id = chosen.id JOIN categories c ON c.id = a.category_id ORDER BY {order}",
            newsroom_columns!()
        );
        let rows = crate::db::query_made(sql)
            .bind(now.as_second())
            .bind(&filter.status)
            .bind(filter.category_id)
            .bind(filter.author_id)
            .bind(filter.visible_to)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.db)
            .await?;
        let items = rows.iter().map(newsroom_row).collect::<Result<_, StoreError>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// The articles with `ids` as the newsroom's list shows them, in the
    /// order given (a search's, by relevance).
    pub async fn newsroom_by_ids(&self, ids: &[i64]) -> Result<Vec<NewsroomArticle>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids).map_err(|e| StoreError::Decode(e.to_string()))?;
        let rows = query(concat!(
            newsroom_columns!(),
            "FROM articles a JOIN categories c ON c.id = a.category_id \
             WHERE a.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))"
        ))
        .bind(list)
        .fetch_all(&self.db)
        .await?;
        let mut items: Vec<NewsroomArticle> = rows.iter().map(newsroom_row).collect::<Result<_, StoreError>>()?;
        items.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
        Ok(items)
    }

    /// How many articles are in each workflow state, and comments wait.
    pub async fn newsroom_counts(&self, now: Timestamp) -> Result<NewsroomCounts, StoreError> {
        // Grouped on the status index, and the scheduled (published, still
        // ahead) counted on its range: a `CASE` per state read every row of
        // the archive for every desk page.
        let rows = query(
            "SELECT status, COUNT(*) FROM articles GROUP BY status \
             UNION ALL SELECT 'scheduled', COUNT(*) FROM articles WHERE status = 'published' AND published_at > ?1 \
             UNION ALL SELECT 'pending_comments', COUNT(*) FROM comments WHERE status = 'pending'",
        )
        .bind(now.as_second())
        .fetch_all(&self.db)
        .await?;
        let mut counts = NewsroomCounts::default();
        let mut published = 0;
        for row in &rows {
            let (name, n): (String, i64) = (row.col(0)?, row.col(1)?);
            let n = count(n);
            match name.as_str() {
                "draft" => counts.draft = n,
                "review" => counts.review = n,
                "published" => published = n,
                "scheduled" => counts.scheduled = n,
                "unpublished" => counts.unpublished = n,
                "trash" => counts.trash = n,
                "pending_comments" => counts.pending_comments = n,
                _ => {}
            }
        }
        counts.published = published.saturating_sub(counts.scheduled);
        Ok(counts)
    }
}

/// Which articles a feed or an author page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    All,
    Category(i64),
    Tag(i64),
    Author(i64),
}

impl Listing {
    /// The `(?2, ?3)` binds of [`per_listing!`]'s texts.
    fn kind_and_id(self) -> (i64, i64) {
        match self {
            Listing::All => (0, 0),
            Listing::Category(id) => (1, id),
            Listing::Tag(id) => (2, id),
            Listing::Author(id) => (3, id),
        }
    }
}

/// One SQL text per kind of listing, made by the macro `$make` from the
/// condition that an article (alias `a`) is in the listing (`?3`: its
/// category, tag or author; `?2`, the kind, is bound but unused). One text
/// with an OR per kind would keep SQLite from using the category index.
macro_rules! per_listing {
    ($listing:expr, $make:ident) => {
        match $listing {
            Listing::All => $make!(" "),
            Listing::Category(_) => $make!(" AND a.category_id = ?3 "),
            Listing::Tag(_) => $make!(" AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = ?3) "),
            Listing::Author(_) => {
                $make!(" AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = ?3) ")
            }
        }
    };
}

impl Store {
    /// One page of a listing's visible articles, newest first.
    pub async fn listing_page(
        &self,
        listing: Listing,
        now: Timestamp,
        number: u32,
        per_page: u32,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        let (kind, id) = listing.kind_and_id();
        macro_rules! count {
            ($filter:literal) => {
                concat!("SELECT COUNT(*) FROM articles a WHERE", visible!(), $filter)
            };
        }
        macro_rules! page {
            ($filter:literal) => {
                concat!(
                    summary_select!(),
                    "WHERE",
                    visible!(),
                    $filter,
                    "ORDER BY a.published_at DESC, a.id DESC LIMIT ?4 OFFSET ?5"
                )
            };
        }
        let total: i64 =
            query(per_listing!(listing, count)).bind(now.as_second()).bind(kind).bind(id).scalar(&self.db).await?;
        let (limit, offset) = page_bounds(number, per_page);
        let rows = query(per_listing!(listing, page))
            .bind(now.as_second())
            .bind(kind)
            .bind(id)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.db)
            .await?;
        Ok(Page {
            items: rows.iter().map(summary_from_row).collect::<Result<_, _>>()?,
            number: number.max(1),
            per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// One page of the visible articles of a category, newest first.
    pub async fn published_in_category(
        &self,
        category_id: i64,
        now: Timestamp,
        number: u32,
        per_page: u32,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        self.listing_page(Listing::Category(category_id), now, number, per_page).await
    }

    /// One page of the visible articles with a tag, newest first.
    pub async fn published_with_tag(
        &self,
        tag_id: i64,
        now: Timestamp,
        number: u32,
        per_page: u32,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        self.listing_page(Listing::Tag(tag_id), now, number, per_page).await
    }

    /// One page of an author's visible articles, newest first.
    pub async fn published_by_author(
        &self,
        author_id: i64,
        now: Timestamp,
        number: u32,
        per_page: u32,
    ) -> Result<Page<ArticleSummary>, StoreError> {
        self.listing_page(Listing::Author(author_id), now, number, per_page).await
    }
}

impl Store {
    /// The newest visible articles of a listing, whole (body, tags, sources,
    /// byline), in one query: what feeds need.
    pub async fn feed_articles(
        &self,
        listing: Listing,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<Article>, StoreError> {
        let (kind, id) = listing.kind_and_id();
        macro_rules! feed {
            ($filter:literal) => {
                concat!(
                    "SELECT a.id, a.slug, a.headline, a.standfirst, a.body, a.body_html, a.status, \
                            a.published_at, a.updated_at, c.id, c.name, c.slug, a.modified_at, \
                            a.correction, a.corrected_at, a.seo_title, a.seo_description, \
                            (SELECT json_group_array(json_array(au2.id, au2.name, au2.slug) ORDER BY aa.position) \
                               FROM article_authors aa JOIN authors au2 ON au2.id = aa.author_id \
                               WHERE aa.article_id = a.id), \
                            (SELECT json_group_array(json_array(t.id, t.name, t.slug) ORDER BY at.position) \
                               FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), \
                            (SELECT json_group_array(json_array(z.name, z.url, z.note) ORDER BY z.position) \
                               FROM article_sources z WHERE z.article_id = a.id), \
                            a.image, a.lang \
                     FROM articles a JOIN categories c ON c.id = a.category_id \
                     WHERE",
                    visible!(),
                    $filter,
                    "ORDER BY a.published_at DESC, a.id DESC LIMIT ?4"
                )
            };
        }
        let rows = query(per_listing!(listing, feed))
            .bind(now.as_second())
            .bind(kind)
            .bind(id)
            .bind(i64::from(limit))
            .fetch_all(&self.db)
            .await?;
        let json = |text: String| -> Result<serde_json::Value, StoreError> {
            serde_json::from_str(&text).map_err(|e| StoreError::Decode(e.to_string()))
        };
        rows.iter()
            .map(|r| {
                let status: String = r.col(6)?;
                let authors: Vec<(i64, String, String)> =
                    serde_json::from_value(json(r.col(17)?)?).map_err(|e| StoreError::Decode(e.to_string()))?;
                let tags: Vec<(i64, String, String)> =
                    serde_json::from_value(json(r.col(18)?)?).map_err(|e| StoreError::Decode(e.to_string()))?;
                let sources: Vec<(String, Option<String>, Option<String>)> =
                    serde_json::from_value(json(r.col(19)?)?).map_err(|e| StoreError::Decode(e.to_string()))?;
                Ok(Article {
                    id: r.col(0)?,
                    slug: r.col(1)?,
                    headline: r.col(2)?,
                    standfirst: r.col(3)?,
                    body: r.col(4)?,
                    body_html: r.col(5)?,
                    status: status.parse().map_err(|e: String| StoreError::Decode(e.to_string()))?,
                    published_at: ts(r.col(7)?),
                    updated_at: r.col::<Option<i64>>(8)?.map(ts),
                    category: CategoryRef { id: r.col(9)?, name: r.col(10)?, slug: r.col(11)? },
                    modified_at: ts(r.col(12)?),
                    correction: r.col(13)?,
                    corrected_at: r.col::<Option<i64>>(14)?.map(ts),
                    seo_title: r.col(15)?,
                    seo_description: r.col(16)?,
                    authors: authors.into_iter().map(|(id, name, slug)| AuthorRef { id, name, slug }).collect(),
                    tags: tags.into_iter().map(|(id, name, slug)| TagRef { id, name, slug }).collect(),
                    sources: sources.into_iter().map(|(name, url, note)| SourceCredit { name, url, note }).collect(),
                    comment_count: 0,
                    image: image(r.col(20)?)?,
                    lang: lang(r.col(21)?)?,
                })
            })
            .collect::<Result<_, StoreError>>()
    }

    /// The author at `slug`, if they have a visible article (no empty author pages).
    pub async fn author_by_slug(&self, slug: &str, now: Timestamp) -> Result<Option<AuthorRef>, StoreError> {
        let row = query(concat!(
            "SELECT au.id, au.name, au.slug FROM authors au WHERE au.slug = ?2 AND EXISTS \
             (SELECT 1 FROM article_authors aa JOIN articles a ON a.id = aa.article_id \
              WHERE aa.author_id = au.id AND",
            visible!(),
            ")"
        ))
        .bind(now.as_second())
        .bind(slug)
        .fetch_optional(&self.db)
        .await?;
        Ok(match row {
            Some(r) => Some(AuthorRef { id: r.col(0)?, name: r.col(1)?, slug: r.col(2)? }),
            None => None,
        })
    }
}

/// An article as the search index needs it, in any status: the index keeps
/// published ones (scheduled too) and drops the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSource {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    /// Markdown.
    pub body: String,
    pub tags: Vec<String>,
    pub category_id: i64,
    pub published_at: Timestamp,
    pub status: manset_core::Status,
    /// Seconds; the index's watermark is the largest it has seen.
    pub modified_at: i64,
    /// The text's language; `None` for the site's.
    pub lang: Option<manset_core::Lang>,
    /// The byline's author ids.
    pub author_ids: Vec<i64>,
    pub created_by: Option<i64>,
}

impl Store {
    /// Articles for the search index: those with `ids` (any status), or all
    /// modified in or after second `modified_after` (the same second again:
    /// two saves can share one), or all.
    pub async fn index_sources(
        &self,
        ids: Option<&[i64]>,
        modified_after: Option<i64>,
    ) -> Result<Vec<IndexSource>, StoreError> {
        let ids = ids.map(serde_json::to_string).transpose().map_err(|e| StoreError::Decode(e.to_string()))?;
        let rows = query(
            "SELECT a.id, a.slug, a.headline, a.standfirst, a.body, \
                    (SELECT json_group_array(t.name ORDER BY x.position) FROM article_tags x JOIN tags t ON t.id = x.tag_id \
                     WHERE x.article_id = a.id), \
                    a.category_id, a.published_at, a.status, a.modified_at, a.lang, \
                    (SELECT json_group_array(x.author_id ORDER BY x.position) FROM article_authors x WHERE x.article_id = a.id), \
                    a.created_by \
             FROM articles a \
             WHERE (?1 IS NULL OR a.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))) AND (?2 IS NULL OR a.modified_at >= ?2) \
             ORDER BY a.id",
        )
        .bind(ids)
        .bind(modified_after)
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.col(8)?;
                let tags: String = r.col(5)?;
                Ok(IndexSource {
                    id: r.col(0)?,
                    slug: r.col(1)?,
                    headline: r.col(2)?,
                    standfirst: r.col(3)?,
                    body: r.col(4)?,
                    tags: serde_json::from_str(&tags).map_err(|e| StoreError::Decode(e.to_string()))?,
                    category_id: r.col(6)?,
                    published_at: ts(r.col(7)?),
                    status: status.parse().map_err(|e: String| StoreError::Decode(e.to_string()))?,
                    modified_at: r.col(9)?,
                    lang: lang(r.col(10)?)?,
                    author_ids: match r.col::<Option<String>>(11)? {
                        Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::Decode(e.to_string()))?,
                        None => Vec::new(),
                    },
                    created_by: r.col(12)?,
                })
            })
            .collect::<Result<_, StoreError>>()
    }

    /// The visible articles among `ids`, in the order given.
    pub async fn summaries_by_ids(&self, ids: &[i64], now: Timestamp) -> Result<Vec<ArticleSummary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids).map_err(|e| StoreError::Decode(e.to_string()))?;
        // By id, never by scanning the visible ones: SQLite cannot tell that
        // the list holds a handful of ids.
        const SQL: &str = concat!(
            summary_select!("articles a NOT INDEXED"),
            "WHERE a.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?2)) AND",
            visible!()
        );
        let mut found: Vec<ArticleSummary> = match self.db.reader() {
            None => {
                let rows = query(SQL).bind(now.as_second()).bind(list).fetch_all(&self.db).await?;
                rows.iter().map(summary_from_row).collect::<Result<_, _>>()?
            }
            Some(reader) => reader.run(|db| {
                let mut statement = db.prepare_cached(SQL)?;
                let mut rows = statement.query(rusqlite::params![now.as_second(), list])?;
                let mut found = Vec::with_capacity(ids.len());
                while let Some(row) = rows.next()? {
                    found.push(summary_from_row(row)?);
                }
                Ok(found)
            })?,
        };
        found.sort_by_key(|a| ids.iter().position(|id| *id == a.id).unwrap_or(usize::MAX));
        Ok(found)
    }
}
