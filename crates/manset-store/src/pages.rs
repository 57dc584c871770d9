//! Static pages: Hakkımızda, İletişim, Künye (the imprint Turkish press law
//! asks for), and any other page a newsroom keeps outside the news flow.

use jiff::Timestamp;
use manset_text::{markdown, slug};

use crate::db::{Row, query};
use crate::read::Cols;
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

fn page_from_row(r: &Row) -> Result<StaticPage, StoreError> {
    Ok(StaticPage {
        id: r.col(0)?,
        slug: r.col(1)?,
        title: r.col(2)?,
        body: r.col(3)?,
        body_html: r.col(4)?,
        menu_position: r.col(5)?,
        modified_at: Timestamp::from_second(r.col(6)?).unwrap_or(Timestamp::UNIX_EPOCH),
        draft: r.col(7)?,
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
        let sql = select_pages!("ORDER BY menu_position IS NULL, menu_position, lower(title)");
        let rows = query(sql).fetch_all(&self.db).await?;
        rows.iter().map(page_from_row).collect::<Result<_, _>>()
    }

    /// The public page at `slug` (drafts are not).
    pub async fn static_page_by_slug(&self, slug: &str) -> Result<Option<StaticPage>, StoreError> {
        let row = query(select_pages!("WHERE slug = ?1 AND draft = 0")).bind(slug).fetch_optional(&self.db).await?;
        row.as_ref().map(page_from_row).transpose()
    }

    pub async fn static_page(&self, id: i64) -> Result<Option<StaticPage>, StoreError> {
        let row = query(select_pages!("WHERE id = ?1")).bind(id).fetch_optional(&self.db).await?;
        row.as_ref().map(page_from_row).transpose()
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
        let mut tx = self.db.begin_write().await?;
        let taken: Option<i64> =
            query("SELECT id FROM pages WHERE slug = ?1").bind(&page_slug).scalar_optional(&mut tx).await?;
        if taken.is_some_and(|other| Some(other) != id) {
            return Ok(PageSaved::SlugTaken);
        }
        let id = match id {
            Some(id) => {
                let done = query(
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
                .execute(&mut tx)
                .await?;
                if done == 0 {
                    return Ok(PageSaved::Invalid);
                }
                id
            }
            None => {
                query(
                    "INSERT INTO pages (slug, title, body, body_html, menu_position, created_at, modified_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
                )
                .bind(&page_slug)
                .bind(&title)
                .bind(&input.body)
                .bind(&body_html)
                .bind(input.menu_position)
                .bind(now.as_second())
                .scalar(&mut tx)
                .await?
            }
        };
        tx.commit().await?;
        Ok(PageSaved::Saved { id, slug: page_slug })
    }

    /// Deletes a page; `false` if there was none.
    pub async fn delete_static_page(&self, id: i64) -> Result<bool, StoreError> {
        let done = query("DELETE FROM pages WHERE id = ?1").bind(id).execute(&self.db).await?;
        Ok(done > 0)
    }
}
