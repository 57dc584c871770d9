//! Syndication, the feeds we publish (the ones we read are
//! `manset_import::ingest`): `/rss`, `/atom`, and the same under `/kategori/{slug}`,
//! `/etiket/{slug}`, `/yazar/{slug}`; `/haber/{slug}/yorumlar/rss` for an
//! article's comments.

use crate::input::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_store::{Listing, Taxonomy};

use crate::Snapshot;
use crate::error::WebError;
use crate::http_cache;
use crate::syndication::{self, Channel};
use crate::views::{article_path, author_path, category_path, tag_path};

/// Items per feed.
const ITEMS: u32 = 30;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
}

async fn full_text(state: &Snapshot) -> Result<bool, WebError> {
    let value = state.store().setting("feeds.full_text").await?;
    Ok(value.as_deref().and_then(manset_core::settings::parse_bool).unwrap_or(true))
}

fn respond(body: String, format: Format, last: Option<Timestamp>) -> Response {
    let kind = match format {
        Format::Rss => "application/rss+xml; charset=utf-8",
        Format::Atom => "application/atom+xml; charset=utf-8",
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, http_cache::public(http_cache::max_age::FEED));
    if let Some(value) = last.and_then(|t| HeaderValue::from_str(&manset_text::dates::http_date(t)).ok()) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    response
}

async fn listing_feed(
    state: &Snapshot,
    listing: Listing,
    format: Format,
    title: String,
    page_path: String,
) -> Result<Response, WebError> {
    let now = state.now();
    let articles = state.store().feed_articles(listing, now, ITEMS).await?;
    let suffix = if format == Format::Rss { "rss" } else { "atom" };
    let base = if page_path == "/" { String::new() } else { page_path.clone() };
    let channel = Channel {
        title,
        self_path: format!("{base}/{suffix}"),
        page_path,
        description: state.theme().text("feed_description").replace("{site}", &state.site().name),
        site: state.site(),
    };
    let full = full_text(state).await?;
    let body = match format {
        Format::Rss => syndication::rss(&channel, &articles, full),
        Format::Atom => syndication::atom(&channel, &articles, full),
    };
    let last = articles.iter().map(|a| a.modified_at.max(a.published_at)).max();
    Ok(respond(body, format, last))
}

/// The feed of a renamed category or tag: at its new address, for good.
async fn moved(state: &Snapshot, kind: Taxonomy, slug: &str, format: Format) -> Result<Response, WebError> {
    let current = state.store().taxonomy_redirect(kind, slug).await?.ok_or(WebError::NotFound)?;
    let page = if kind == Taxonomy::Category { category_path(&current) } else { tag_path(&current) };
    let suffix = if format == Format::Rss { "rss" } else { "atom" };
    Ok(axum::response::Redirect::permanent(&format!("{page}/{suffix}")).into_response())
}

pub async fn site_rss(state: Snapshot) -> Result<Response, WebError> {
    let title = state.site().name.clone();
    listing_feed(&state, Listing::All, Format::Rss, title, "/".into()).await
}

pub async fn site_atom(state: Snapshot) -> Result<Response, WebError> {
    let title = state.site().name.clone();
    listing_feed(&state, Listing::All, Format::Atom, title, "/".into()).await
}

async fn category(state: Snapshot, slug: String, format: Format) -> Result<Response, WebError> {
    let Some(c) = state.store().category_by_slug(&slug).await? else {
        return moved(&state, Taxonomy::Category, &slug, format).await;
    };
    let title = format!("{} – {}", state.site().name, c.name);
    listing_feed(&state, Listing::Category(c.id), format, title, category_path(&c.slug)).await
}

pub async fn category_rss(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    category(state, slug, Format::Rss).await
}

pub async fn category_atom(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    category(state, slug, Format::Atom).await
}

async fn tag(state: Snapshot, slug: String, format: Format) -> Result<Response, WebError> {
    let Some(t) = state.store().tag_by_slug(&slug).await? else {
        return moved(&state, Taxonomy::Tag, &slug, format).await;
    };
    let title = format!("{} – {}", state.site().name, t.name);
    listing_feed(&state, Listing::Tag(t.id), format, title, tag_path(&t.slug)).await
}

pub async fn tag_rss(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    tag(state, slug, Format::Rss).await
}

pub async fn tag_atom(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    tag(state, slug, Format::Atom).await
}

async fn author(state: Snapshot, slug: String, format: Format) -> Result<Response, WebError> {
    let a = state.store().author_by_slug(&slug, state.now()).await?.ok_or(WebError::NotFound)?;
    let title = format!("{} – {}", state.site().name, a.name);
    listing_feed(&state, Listing::Author(a.id), format, title, author_path(&a.slug)).await
}

pub async fn author_rss(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    author(state, slug, Format::Rss).await
}

pub async fn author_atom(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    author(state, slug, Format::Atom).await
}

pub async fn comments_rss(state: Snapshot, Path(slug): Path<String>) -> Result<Response, WebError> {
    let now = state.now();
    let article = state.store().published_article(&slug, now).await?.ok_or(WebError::NotFound)?;
    let comments = state.store().approved_comments(article.id).await?;
    let channel = Channel {
        title: state.theme().text("feed_comments_title").replace("{headline}", &article.headline),
        self_path: format!("{}/yorumlar/rss", article_path(&article.slug)),
        page_path: article_path(&article.slug),
        description: article.standfirst.clone(),
        site: state.site(),
    };
    let theme = state.theme();
    let body = syndication::comments_rss(&channel, &article, &comments, |role| {
        theme.text(&format!("comment_badge_{}", role.as_str())).to_owned()
    });
    Ok(respond(body, Format::Rss, Some(article.modified_at.max(article.published_at))))
}
