//! `/haber/{slug}`: the article page, with its comments and comment form.

use crate::input::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::Timestamp;
use manset_core::Article;
use serde::Deserialize;

use crate::Snapshot;
use crate::cookies;
use crate::error::WebError;
use crate::http_cache;
use crate::page_cache::{self, Shows};
use crate::pages::{chrome, with_cache};
use crate::seo::{self, Social};
use crate::views::{ArticlePage, CommentFormView, CommentView, Document, FormValues, Notice, article_path};

/// Related articles under the body.
const RELATED: u32 = 6;

#[derive(Debug, Deserialize)]
pub struct ArticleQuery {
    /// `?yanit=ID`: the form replies to comment ID (the no-JavaScript reply link).
    yanit: Option<String>,
}

pub async fn show(
    state: Snapshot,
    Path(slug): Path<String>,
    Query(query): Query<ArticleQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let now = state.now();
    let Some(article) = state.store().published_article(&slug, now).await? else {
        // A renamed article: its old URL leads to the new one, for good.
        if let Some(current) = state.store().redirect_for(&slug).await? {
            return Ok(Redirect::permanent(&article_path(&current)).into_response());
        }
        if state.store().is_unpublished(&slug).await? {
            return Err(WebError::Gone);
        }
        return Err(WebError::NotFound);
    };
    let values = cookies::commenter(&headers)
        .map(|c| FormValues { name: c.name, email: c.email, url: c.url, remember: true, body: String::new() })
        .unwrap_or_default();
    let form = FormState {
        values,
        errors: Default::default(),
        notice: None,
        parent_id: query.yanit.and_then(|id| id.parse().ok()),
    };
    // A reader with a pending comment or a remembered name sees their own page.
    let personal =
        cookies::get(&headers, cookies::PENDING).is_some() || cookies::get(&headers, cookies::COMMENTER).is_some();
    let cache = if personal { http_cache::private() } else { http_cache::public(http_cache::max_age::ARTICLE) };
    let (html, last_modified, related) = render_page(&state, &article, now, form, &headers).await?;
    let mut response = with_cache(html, cache, Some(last_modified));
    let mut articles = vec![article.id];
    articles.extend(related.iter().map(|r| r.id));
    page_cache::mark(
        &mut response,
        Shows {
            articles,
            // The related block is topped up with the category's newest.
            categories: vec![article.category.id],
            tags: article.tags.iter().map(|t| t.id).collect(),
            authors: article.authors.iter().map(|a| a.id).collect(),
            page_of: Some(article.id),
            // "İlgili Makaleler" may take in any newly published article that
            // is alike, in any category.
            listing: true,
        },
    );
    Ok(response)
}

/// "İlgili Makaleler": articles like this one by their words (the search
/// index's more-like-this, the same category weighing more), topped up with
/// the newest of the category when too few are alike.
async fn related(
    state: &Snapshot,
    article: &Article,
    now: Timestamp,
) -> Result<Vec<manset_core::ArticleSummary>, WebError> {
    // The same list serves every reader until the index changes (or a minute passes).
    if let Some(ids) = state.cached_related(article.id) {
        return Ok(state.store().summaries_by_ids(&ids, now).await?);
    }
    let generation = state.search().generation();
    let doc = manset_search::IndexDoc {
        id: article.id,
        slug: article.slug.clone(),
        headline: article.headline.clone(),
        standfirst: article.standfirst.clone(),
        body: manset_text::markdown::to_plain_text(&article.body),
        tags: article.tags.iter().map(|t| t.name.clone()).collect(),
        category_id: article.category.id,
        published_at: article.published_at,
        lang: article.lang,
        // Only what `related` compares: the words, tags and category.
        status: manset_core::Status::Published,
        author_ids: Vec::new(),
        created_by: None,
    };
    let index = std::sync::Arc::clone(state.search());
    let alike = tokio::task::spawn_blocking(move || index.related(&doc, now, RELATED as usize))
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))??;
    let ids: Vec<i64> = alike.iter().map(|(id, _)| *id).filter(|id| *id != article.id).collect();
    let mut found = state.store().summaries_by_ids(&ids, now).await?;
    if found.len() < RELATED as usize {
        for more in state.store().related(article, now, RELATED).await? {
            if found.len() < RELATED as usize && !found.iter().any(|f| f.id == more.id) {
                found.push(more);
            }
        }
    }
    state.cache_related(article.id, generation, found.iter().map(|a| a.id).collect());
    Ok(found)
}

/// The state of the comment form on a rendered article page.
#[derive(Debug, Default)]
pub struct FormState {
    pub values: FormValues,
    pub errors: std::collections::BTreeMap<&'static str, String>,
    pub notice: Option<Notice>,
    pub parent_id: Option<i64>,
}

/// Renders an article page with the comment form in `form`: used for a
/// normal view and to send a form back with what the reader must fix.
pub async fn render_article(
    state: &Snapshot,
    article: &Article,
    now: Timestamp,
    form: FormState,
    headers: &HeaderMap,
) -> Result<Html<String>, WebError> {
    Ok(render_page(state, article, now, form, headers).await?.0)
}

/// The page, when what it shows last changed (the article: published,
/// updated, corrected, or its newest comment), and the related articles on it.
async fn render_page(
    state: &Snapshot,
    article: &Article,
    now: Timestamp,
    form: FormState,
    headers: &HeaderMap,
) -> Result<(Html<String>, Timestamp, Vec<manset_core::ArticleSummary>), WebError> {
    let (document, last_modified, related) = document(state, article, now, form, headers).await?;
    let html = Html(state.theme().render("article.html", &document)?);
    Ok((html, last_modified, related))
}

/// `article` with what the media library knows of its images (renditions
/// in the body; the lead image's size, alt text, caption and credit where
/// the article gives none); `None` when it shows no library image.
fn with_library_images(
    article: &Article,
    library: &std::collections::HashMap<&str, &manset_store::MediaItem>,
) -> Option<Article> {
    if library.is_empty() {
        return None;
    }
    let mut copy = article.clone();
    copy.body_html = crate::media::responsive_body(&article.body_html, library);
    if let Some(image) = copy.image.as_mut()
        && let Some(item) = library.get(image.url.as_str())
    {
        let rendition = item.renditions.iter().find(|r| r.path == image.url);
        image.width = rendition.map(|r| r.width).or(image.width);
        image.height = rendition.map(|r| r.height).or(image.height);
        if image.alt.is_empty() {
            image.alt.clone_from(&item.alt);
        }
        image.caption = image.caption.take().or_else(|| item.caption.clone());
        image.credit = image.credit.take().or_else(|| item.credit.clone());
    }
    Some(copy)
}

/// What the article template is given, with `render_page`'s other results.
pub(crate) async fn document(
    state: &Snapshot,
    article: &Article,
    now: Timestamp,
    form: FormState,
    headers: &HeaderMap,
) -> Result<(Document<ArticlePage>, Timestamp, Vec<manset_core::ArticleSummary>), WebError> {
    let store = state.store();
    let related = related(state, article, now).await?;
    let mut comments = store.approved_comments(article.id).await?;
    let own = cookies::pending_ids(headers, state.signer());
    if !own.is_empty() {
        comments.extend(store.pending_comments_among(article.id, &own).await?);
    }
    let url = article_path(&article.slug);
    let replying_to = form
        .parent_id
        .and_then(|id| comments.iter().find(|c| c.id == id && c.status == manset_core::CommentStatus::Approved))
        .map(|c| c.name.clone());
    let form_view = CommentFormView {
        action: format!("{url}/yorum"),
        token: state.signer().sign(&format!("f:{}:{}", article.id, now.as_second())),
        parent_id: replying_to.as_ref().and(form.parent_id),
        replying_to,
        cancel_url: format!("{url}#yorum-yaz"),
        values: form.values,
        errors: form.errors,
        notice: form.notice,
    };
    // Saves and comment moderation both move `modified_at`; a scheduled
    // article's page is new at its publication.
    let last_modified = article.modified_at.max(article.published_at);
    let threads = CommentView::threads(&comments, &url, state.site());
    // Images from the media library: their renditions for `srcset`, and their
    // size, alt text, caption and credit where the article does not give them.
    let mut paths = crate::media::image_paths(&article.body_html);
    if let Some(image) = article.image.as_ref().filter(|i| i.url.starts_with(manset_service::media_files::URL_PREFIX)) {
        paths.push(&image.url);
    }
    let items = if paths.is_empty() { Vec::new() } else { store.media_by_paths(&paths).await? };
    let library = crate::media::by_path(&items);
    let enriched = with_library_images(article, &library);
    let article = enriched.as_ref().unwrap_or(article);
    let mut page = ArticlePage::new(article, &related, threads, form_view, state.site());
    if let (Some(view), Some(image)) = (page.image.as_mut(), article.image.as_ref())
        && let Some(item) = library.get(image.url.as_str())
    {
        view.srcset = Some(crate::media::srcset(item));
        view.sizes = Some(crate::media::ARTICLE_SIZES);
    }
    let title = article.seo_title.clone().unwrap_or_else(|| article.headline.clone());
    let description = article.seo_description.clone().unwrap_or_else(|| article.standfirst.clone());
    let mut chrome = chrome(state, now, title, description, Some(&page.url), Some(&article.category.slug)).await?;
    let (theme, site) = (&state.theme(), &state.site());
    chrome.social = Some(Social::article(article, &chrome.title, theme, site));
    chrome.json_ld = vec![
        seo::script_json(&seo::news_article(article, theme, site)),
        seo::script_json(&seo::article_breadcrumbs(article, theme.text("home"), site)),
    ];
    let last_modified = chrome.changed_at.map_or(last_modified, |site| last_modified.max(site));
    Ok((Document { chrome, page }, last_modified, related))
}
