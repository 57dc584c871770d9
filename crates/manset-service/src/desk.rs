//! The newsroom's desk: the list of every article (filtered, sorted, paged;
//! searched through the search index with the Turkish analysis readers get),
//! and actions on many articles at once, each article moved by the same
//! rules as from its editor.

use std::sync::Arc;

use jiff::Timestamp;
use manset_core::workflow::Move;
use manset_core::{Action, Status, User};
use manset_search::DeskRequest;
use manset_store::{NewsroomArticle, NewsroomFilter};

use crate::articles::{Draft, Mode, Moved, Problem};
use crate::{Actor, Error, Service};

/// The most articles one desk action takes: two pages of the list.
pub const MAX_BATCH: usize = 100;

/// What the desk asks for.
#[derive(Debug, Clone, Default)]
pub struct DeskQuery {
    /// The filter; `visible_to` is set here from the member's role.
    pub filter: NewsroomFilter,
    /// Words to search for (through the search index).
    pub text: Option<String>,
    /// With words: by relevance instead of newest first.
    pub relevance: bool,
    pub limit: u32,
    pub offset: u64,
}

/// One action on many articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// Drafts → review.
    Submit,
    /// Published at a later time (a scheduled one moves to it).
    Schedule(Timestamp),
    Unpublish,
    Trash,
    /// The trash → drafts.
    Recover,
    /// Filed under the category with this name (made if new).
    Category(String),
}

/// Why one article of a batch was left as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// Gone meanwhile, or never there.
    NotFound,
    /// The member's role, or the article's status, does not allow it.
    NotAllowed,
    /// A rule of the move (`Problem::MediaAlt` publishing without alt text…).
    Refused(Problem),
}

/// What came of a batch: the articles moved, and those left with why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub done: Vec<i64>,
    pub skipped: Vec<(i64, Skipped)>,
}

impl Service {
    /// One page of the desk as `user` may see it, and how many articles match.
    pub async fn desk(&self, user: &User, query: DeskQuery) -> Result<(Vec<NewsroomArticle>, u64), Error> {
        let now = self.now();
        // Who may not edit others' work sees only their own and what is public.
        let visible_to = (!user.role.may(Action::EditAnyArticle)).then_some(user.id);
        let filter = NewsroomFilter { visible_to, ..query.filter };
        let Some(text) = query.text.filter(|t| !t.trim().is_empty()) else {
            return Ok(self.store().newsroom_list(&filter, now, query.limit, query.offset).await?);
        };
        let index = Arc::clone(self.search());
        let results = tokio::task::spawn_blocking(move || {
            index.desk(&DeskRequest {
                text: &text,
                status: filter.status.as_deref(),
                category_id: filter.category_id,
                author_id: filter.author_id,
                visible_to: filter.visible_to,
                newest_first: !query.relevance,
                now,
                limit: query.limit as usize,
                offset: usize::try_from(query.offset).unwrap_or(usize::MAX),
            })
        })
        .await
        .map_err(crate::search_sync::SyncError::from)?
        .map_err(crate::search_sync::SyncError::from)?;
        let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
        Ok((self.store().newsroom_by_ids(&ids).await?, results.total as u64))
    }

    /// Applies `batch` to the articles `ids` (at most [`MAX_BATCH`]), each
    /// by the rules of its move as if from its editor: what one may not do
    /// to an article, or what breaks a rule, leaves it as it was and says
    /// so. Search is brought up to date once, before the answer.
    pub async fn batch(&self, actor: &Actor, ids: &[i64], batch: &Batch) -> Result<BatchOutcome, Error> {
        let mut outcome = BatchOutcome::default();
        let now = self.now();
        for &id in ids.iter().take(MAX_BATCH) {
            let Some(article) = self.store().editable_article(id).await? else {
                outcome.skipped.push((id, Skipped::NotFound));
                continue;
            };
            let scheduled = article.status == Status::Published && article.input.published_at > now;
            let mut input = article.input.clone();
            let (mv, publish_at) = match batch {
                Batch::Submit => (Move::Submit, None),
                Batch::Schedule(at) if *at <= now => {
                    outcome.skipped.push((id, Skipped::Refused(Problem::PublishAt)));
                    continue;
                }
                // A scheduled story moves to the new time; anything else is published then.
                Batch::Schedule(at) => (if scheduled { Move::Save } else { Move::Publish }, Some(*at)),
                Batch::Unpublish => (Move::Unpublish, None),
                Batch::Trash => (Move::Trash, None),
                Batch::Recover => (Move::Recover, None),
                Batch::Category(name) => {
                    input.category = name.clone();
                    (Move::Save, None)
                }
            };
            let draft = Draft { input, publish_at, base_revision: None };
            match self.move_article(actor, Some(&article), mv, Ok(draft), Mode::Batch).await {
                Ok(Moved::Saved { id, .. }) => outcome.done.push(id),
                Ok(Moved::Refused(problem)) => outcome.skipped.push((id, Skipped::Refused(problem))),
                Ok(Moved::Stale { .. }) => outcome.skipped.push((id, Skipped::NotAllowed)),
                Err(Error::NotAllowed) => outcome.skipped.push((id, Skipped::NotAllowed)),
                Err(e) => return Err(e),
            }
        }
        if !outcome.done.is_empty() {
            crate::search_sync::articles(self.store(), self.search(), &outcome.done).await?;
        }
        Ok(outcome)
    }
}
