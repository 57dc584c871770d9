//! Keeping the search index in step with the database.
//!
//! When: in the same request as the editor's save (publish, update,
//! unpublish, restore), before the answer says it succeeded; every few
//! seconds and at start, for whatever the database's change log says
//! changed since the index's watermark (imports from the command line, the
//! demo, other app servers: each keeps its own index by tailing the log);
//! whole at start when the log no longer reaches back that far, and with
//! `manset reindex`.

use std::sync::Arc;
use std::time::Instant;

use manset_core::Lang;
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

/// The search index of a data folder: `<data>/search`.
pub fn open_index(data_dir: &std::path::Path, lang: Lang) -> Result<SearchIndex, SearchError> {
    SearchIndex::open(&data_dir.join("search"), lang)
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
        status: s.status,
        author_ids: s.author_ids.clone(),
        created_by: s.created_by,
    }
}

/// Puts `sources` into the index (every status: the desk searches them
/// all; readers' searches see published ones only) and takes `gone` (deleted
/// articles) out; with `watermark`, the index is then current up to that
/// position of the change log.
async fn apply(
    index: &Arc<SearchIndex>,
    sources: Vec<IndexSource>,
    gone: Vec<i64>,
    watermark: Option<i64>,
) -> Result<usize, SyncError> {
    let index = Arc::clone(index);
    let count = sources.len();
    tokio::task::spawn_blocking(move || {
        let docs: Vec<IndexDoc> = sources.iter().map(to_doc).collect();
        index.apply(&docs, &gone, watermark)
    })
    .await??;
    Ok(count)
}

/// Re-indexes the articles with `ids`, whatever became of them.
pub async fn articles(store: &Store, index: &Arc<SearchIndex>, ids: &[i64]) -> Result<(), SyncError> {
    reindex(store, index, ids, None).await.map(|_| ())
}

/// [`articles`], then the index is current up to `watermark` if given.
async fn reindex(
    store: &Store,
    index: &Arc<SearchIndex>,
    ids: &[i64],
    watermark: Option<i64>,
) -> Result<usize, SyncError> {
    let sources = store.index_sources(Some(ids), None).await?;
    let gone: Vec<i64> = ids.iter().copied().filter(|id| !sources.iter().any(|s| s.id == *id)).collect();
    apply(index, sources, gone, watermark).await
}

/// Indexes what the change log says changed since the index's watermark;
/// returns how many articles.
///
/// The index is rebuilt instead when it was built for another site language
/// (articles that name none are analyzed anew), when it has no watermark
/// (new, or made before it followed the log), and when the log cannot take
/// it from there (pruned past it, or another database's positions).
pub async fn catch_up(store: &Store, index: &Arc<SearchIndex>, site_lang: Lang) -> Result<usize, SyncError> {
    let started = Instant::now();
    let rebuilt = |why: &str, count: u64| {
        tracing::info!(articles = count, ms = started.elapsed().as_millis() as u64, lang = %site_lang, "search index rebuilt: {why}");
        count as usize
    };
    if !index.built_for(site_lang) || index.site_lang() != site_lang {
        index.set_site_lang(site_lang);
        return Ok(rebuilt("for the site language", rebuild(store, index).await?));
    }
    let Some(mut position) = index.watermark() else {
        return Ok(rebuilt("it followed no change log", rebuild(store, index).await?));
    };
    if position > store.last_change().await? {
        return Ok(rebuilt("it was built from another database", rebuild(store, index).await?));
    }
    let mut count = 0;
    loop {
        let Some((ids, last)) = store.articles_changed_since(position, LOG_PAGE).await? else {
            return Ok(rebuilt("the change log was pruned past it", rebuild(store, index).await?));
        };
        if last == position {
            break;
        }
        if ids.is_empty() {
            index.read_past(last);
        } else {
            count += reindex(store, index, &ids, Some(last)).await?;
        }
        position = last;
    }
    if count > 0 {
        tracing::info!(articles = count, ms = started.elapsed().as_millis() as u64, "search index caught up");
    }
    Ok(count)
}

/// Rows of the change log read at once.
const LOG_PAGE: i64 = 5_000;

/// Empties the index and indexes every article again; returns how many are in it.
pub async fn rebuild(store: &Store, index: &Arc<SearchIndex>) -> Result<u64, SyncError> {
    let cleared = Arc::clone(index);
    tokio::task::spawn_blocking(move || cleared.clear()).await??;
    // The log's position before the articles are read: whatever changes
    // meanwhile is read again at the next catch-up.
    let position = store.last_change().await?;
    let sources = store.index_sources(None, None).await?;
    apply(index, sources, Vec::new(), Some(position)).await?;
    Ok(index.len())
}
