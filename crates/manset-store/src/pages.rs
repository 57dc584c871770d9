//! Static pages: Hakkımızda, İletişim, Künye (the imprint Turkish press law
//! asks for), and any other page a newsroom keeps outside the news flow.

use jiff::Timestamp;
use manset_text::{markdown, slug};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::{Store, StoreError};

/// A static page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticPage {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// Markdown, the source of truth.
    pub body: String,
    /// Sanitized HTML made from `body` when it was saved.
    pub body_html: String,
    /// Place in the footer menu; `None` = not in the menu.
    pub menu_position: Option<i64>,
    pub modified_at: Timestamp,
    /// Not public yet (an imported draft): readers get 404.
    pub draft: bool,
}

/// A page as the newsroom hands it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInput {
    pub title: String,
    /// `None` or empty: made from the title.
    pub slug: Option<String>,
    pub body: String,
    pub menu_position: Option<i64>,
}

/// What a page save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageSaved {
    Saved {
        id: i64,
        slug: String,
    },
    /// Another page has this address.
    SlugTaken,
    /// The title is empty, or the slug is not a slug.
    Invalid,
}

fn page_from_row(r: &SqliteRow) -> Result<StaticPage, sqlx::Error> {
    Ok(StaticPage {
        id: r.try_get(0)?,
        slug: r.try_get(1)?,
        title: r.try_get(2)?,
        body: r.try_get(3)?,
        body_html: r.try_get(4)?,
        menu_position: r.try_get(5)?,
        modified_at: Timestamp::from_second(r.try_get(6)?).unwrap_or(Timestamp::UNIX_EPOCH),
        draft: r.try_get(7)?,
    })
}

macro_rules! select_pages {
    ($rest:literal) => {
        concat!("SELECT id, slug, title, body, body_html, menu_position, modified_at, draft FROM pages ", $rest)
    };
}

impl Store {
    /// Every static page, menu pages first in menu order, then by title.
    pub async fn static_pages(&self) -> Result<Vec<StaticPage>, StoreError> {
        let sql = select_pages!("ORDER BY menu_position IS NULL, menu_position, title COLLATE NOCASE");
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(page_from_row).collect::<Result<_, _>>()?)
    }

    /// The public page at `slug` (drafts are not).
    pub async fn static_page_by_slug(&self, slug: &str) -> Result<Option<StaticPage>, StoreError> {
        let row =
            sqlx::query(select_pages!("WHERE slug = ?1 AND draft = 0")).bind(slug).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(page_from_row).transpose()?)
    }

    pub async fn static_page(&self, id: i64) -> Result<Option<StaticPage>, StoreError> {
        let row = sqlx::query(select_pages!("WHERE id = ?1")).bind(id).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(page_from_row).transpose()?)
    }

    /// Creates (`id` = `None`) or updates a page. The body's HTML is made
    /// here, like an article's, so it is always the sanitized body.
    pub async fn save_static_page(
        &self,
        id: Option<i64>,
        input: &PageInput,
        now: Timestamp,
    ) -> Result<PageSaved, StoreError> {
        let title = input.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Ok(PageSaved::Invalid);
        }
        let wanted = input.slug.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let page_slug = match wanted {
            Some(s) if slug::is_valid(s) => s.to_owned(),
            Some(_) => return Ok(PageSaved::Invalid),
            None => slug::slugify(&title),
        };
        if page_slug.is_empty() {
            return Ok(PageSaved::Invalid);
        }
        let body_html = markdown::to_safe_html(&input.body);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM pages WHERE slug = ?1")
            .bind(&page_slug)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some_and(|other| Some(other) != id) {
            return Ok(PageSaved::SlugTaken);
        }
        let id = match id {
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE pages SET slug = ?1, title = ?2, body = ?3, body_html = ?4, menu_position = ?5, \
                     modified_at = ?6 WHERE id = ?7",
                )
                .bind(&page_slug)
                .bind(&title)
                .bind(&input.body)
                .bind(&body_html)
                .bind(input.menu_position)
                .bind(now.as_second())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(PageSaved::Invalid);
                }
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO pages (slug, title, body, body_html, menu_position, created_at, modified_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
                )
                .bind(&page_slug)
                .bind(&title)
                .bind(&input.body)
                .bind(&body_html)
                .bind(input.menu_position)
                .bind(now.as_second())
                .fetch_one(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
        Ok(PageSaved::Saved { id, slug: page_slug })
    }

    /// Deletes a page; `false` if there was none.
    pub async fn delete_static_page(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM pages WHERE id = ?1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }
}
