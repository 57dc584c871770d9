//! Keeping the search index in step with the database.
//!
//! When: in the same request as the editor's save (publish, update,
//! unpublish, restore), before the answer says it succeeded; at start, for
//! whatever changed while the server was down (imports, the demo) since the
//! index's watermark; and whole with `manset reindex`.

use std::sync::Arc;
use std::time::Instant;

use manset_core::{Lang, Status};
use manset_search::{IndexDoc, SearchError, SearchIndex};
use manset_store::{IndexSource, Store, StoreError};

/// Why the index could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("the indexing task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// An article as the index takes it: the body without its markup.
pub fn to_doc(s: &IndexSource) -> IndexDoc {
    IndexDoc {
        id: s.id,
        slug: s.slug.clone(),
        headline: s.headline.clone(),
        standfirst: s.standfirst.clone(),
        body: manset_text::markdown::to_plain_text(&s.body),
        tags: s.tags.clone(),
        category_id: s.category_id,
        published_at: s.published_at,
        lang: s.lang,
    }
}

/// Puts `sources` into the index: published ones (scheduled too) in,
/// the rest out; with `watermark`, the index is then current up to that second.
async fn apply(
    index: &Arc<SearchIndex>,
    sources: Vec<IndexSource>,
    watermark: Option<i64>,
) -> Result<usize, SyncError> {
    let index = Arc::clone(index);
    let count = sources.len();
    tokio::task::spawn_blocking(move || {
        let (upsert, remove): (Vec<&IndexSource>, Vec<&IndexSource>) =
            sources.iter().partition(|s| s.status == Status::Published);
        let docs: Vec<IndexDoc> = upsert.into_iter().map(to_doc).collect();
        let removed: Vec<i64> = remove.into_iter().map(|s| s.id).collect();
        index.apply(&docs, &removed, watermark)
    })
    .await??;
    Ok(count)
}

/// Re-indexes the articles with `ids`, whatever became of them.
pub async fn articles(store: &Store, index: &Arc<SearchIndex>, ids: &[i64]) -> Result<(), SyncError> {
    let sources = store.index_sources(Some(ids), None).await?;
    let found: Vec<i64> = sources.iter().map(|s| s.id).collect();
    let gone: Vec<i64> = ids.iter().copied().filter(|id| !found.contains(id)).collect();
    apply(index, sources, None).await?;
    if !gone.is_empty() {
        let index = Arc::clone(index);
        tokio::task::spawn_blocking(move || index.apply(&[], &gone, None)).await??;
    }
    Ok(())
}

/// Indexes what changed since the index's watermark; returns how many articles.
///
/// When the site language is no longer the one the index was built for,
/// the articles that name no language are analyzed anew: the index is rebuilt.
pub async fn catch_up(store: &Store, index: &Arc<SearchIndex>, site_lang: Lang) -> Result<usize, SyncError> {
    if !index.built_for(site_lang) || index.site_lang() != site_lang {
        index.set_site_lang(site_lang);
        let started = Instant::now();
        let count = rebuild(store, index).await?;
        tracing::info!(articles = count, ms = started.elapsed().as_millis() as u64, lang = %site_lang, "search index rebuilt for the site language");
        return Ok(count as usize);
    }
    // Read from the watermark's second on (saves share seconds); afterwards
    // the index is current up to the second this read began, so a quiet site
    // reads nothing and commits nothing.
    let reading_from = jiff::Timestamp::now().as_second();
    let since = index.watermark();
    let sources = store.index_sources(None, since).await?;
    if sources.is_empty() {
        return Ok(0);
    }
    let started = Instant::now();
    let count = apply(index, sources, Some(reading_from)).await?;
    tracing::info!(articles = count, ms = started.elapsed().as_millis() as u64, "search index caught up");
    Ok(count)
}

/// Empties the index and indexes every article again; returns how many are in it.
pub async fn rebuild(store: &Store, index: &Arc<SearchIndex>) -> Result<u64, SyncError> {
    let cleared = Arc::clone(index);
    tokio::task::spawn_blocking(move || cleared.clear()).await??;
    let reading_from = jiff::Timestamp::now().as_second();
    let sources = store.index_sources(None, None).await?;
    apply(index, sources, Some(reading_from)).await?;
    Ok(index.len())
}
