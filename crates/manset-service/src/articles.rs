//! Moving an article through the workflow: one call makes every change an
//! article goes through, whichever door it comes from.
//!
//! [`Service::move_article`] asks `workflow::allowed`, applies the rules of
//! the move (a first publication is dated now; only a correction writes the
//! correction note; an update of a published article is stamped; a published
//! article shows no library image without alt text), saves (the store
//! records the revision and the change log in the same transaction), brings
//! the search index up to date before answering, and writes the audit log.

use std::collections::HashMap;

use jiff::Timestamp;
use manset_core::workflow::{Move, allowed};
use manset_core::{Action, ArticleInput, InvalidArticle, InvalidImage, Status, User};
use manset_store::{EditableArticle, SavedOver, StoreError, Target};

use crate::media_files::URL_PREFIX;
use crate::{Actor, Error, Service};

/// What is wrong with an article as submitted: the editor shows it next to
/// the form, with everything typed kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Headline,
    HeadlineTooLong,
    StandfirstTooLong,
    Category,
    Slug,
    /// The publish time is not a time, or an update would precede it.
    PublishAt,
    Source,
    Image,
    ImageText,
    /// The headline has no letter or digit to make an address of.
    Unsluggable,
    Lang,
    /// A correction without its note.
    Correction,
    /// A library image without alt text in an article being published.
    MediaAlt,
    /// A background save of anything but a draft.
    AutosaveDraftsOnly,
}

impl Problem {
    /// The translation key of the message that says what to do.
    pub fn key(self) -> &'static str {
        match self {
            Problem::Headline => "editor_error_headline",
            Problem::HeadlineTooLong => "editor_error_headline_long",
            Problem::StandfirstTooLong => "editor_error_standfirst_long",
            Problem::Category => "editor_error_category",
            Problem::Slug => "editor_error_slug",
            Problem::PublishAt => "editor_error_publish_at",
            Problem::Source => "editor_error_source",
            Problem::Image => "editor_error_image",
            Problem::ImageText => "editor_error_image_text",
            Problem::Unsluggable => "editor_error_unsluggable",
            Problem::Lang => "editor_error_lang",
            Problem::Correction => "editor_error_correction",
            Problem::MediaAlt => "editor_error_media_alt",
            Problem::AutosaveDraftsOnly => "admin_autosave_drafts_only",
        }
    }

    /// The rule of the store that `e` reports broken, if it is one.
    fn of(e: &StoreError) -> Option<Problem> {
        Some(match e {
            StoreError::Invalid(invalid) => match invalid {
                InvalidArticle::EmptyHeadline => Problem::Headline,
                InvalidArticle::HeadlineTooLong(_) => Problem::HeadlineTooLong,
                InvalidArticle::StandfirstTooLong(_) => Problem::StandfirstTooLong,
                InvalidArticle::EmptyCategory => Problem::Category,
                InvalidArticle::BadSlug(_) => Problem::Slug,
                InvalidArticle::UpdatedBeforePublished => Problem::PublishAt,
                InvalidArticle::Source { .. } => Problem::Source,
                InvalidArticle::Image(InvalidImage::TextTooLong(_)) => Problem::ImageText,
                InvalidArticle::Image(_) => Problem::Image,
            },
            StoreError::Unsluggable(_) => Problem::Unsluggable,
            _ => return None,
        })
    }
}

/// An article as its editor submitted it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Everything but the workflow's part: its status and its publish time
    /// are set by the move.
    pub input: ArticleInput,
    /// The publish time typed, if any; otherwise the article keeps its own
    /// (or, published for the first time, is dated now).
    pub publish_at: Option<Timestamp>,
    /// The revision the editor started from. A save over a newer one is
    /// refused (`Moved::Stale`); `None` saves unconditionally (a new
    /// article, or a door that cannot know).
    pub base_revision: Option<i64>,
}

/// Who is saving: a person pressing a button, or the editor's script saving
/// a draft in the background (no search update, no audit entry: nothing a
/// reader sees changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Editor,
    Autosave,
    /// One action of the desk on many articles: as `Editor`, but the caller
    /// brings search up to date once for all, and what it changes (filing,
    /// timing) is no update readers are told of.
    Batch,
}

/// What came of a move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moved {
    Saved {
        id: i64,
        /// A new article (its first save).
        created: bool,
        /// The revision the save made: where the next edit starts from.
        revision: i64,
    },
    Refused(Problem),
    /// Someone saved the article after the editor opened it: nothing was
    /// written; `current` is their revision, `base` the editor's.
    Stale {
        base: i64,
        current: i64,
    },
}

/// Whether `user` created `article`.
pub fn is_own(article: &EditableArticle, user: &User) -> bool {
    article.created_by == Some(user.id)
}

/// The moves `user` may make on `article` (`None`: a new one, theirs).
pub fn moves(user: &User, article: Option<&EditableArticle>) -> Vec<Move> {
    let (own, status) = article.map_or((true, Status::Draft), |a| (is_own(a, user), a.status));
    [Move::Save, Move::Submit, Move::Publish, Move::Unpublish, Move::Correct, Move::Restore, Move::Trash, Move::Recover]
        .into_iter()
        .filter(|mv| allowed(user.role, own, status, *mv))
        .collect()
}

impl Service {
    /// The article `id` as its editor opens it, if `user` may open it
    /// (their own, or a role that edits any).
    pub async fn editable_article(&self, user: &User, id: i64) -> Result<EditableArticle, Error> {
        let article = self.store().editable_article(id).await?.ok_or(Error::NotFound)?;
        if !is_own(&article, user) && !user.role.may(Action::EditAnyArticle) {
            return Err(Error::NotAllowed);
        }
        Ok(article)
    }

    /// Makes `mv` on `article` (`None`: creates a new one) with the text of
    /// `draft`, by `actor`: the whole of a save, or the rule it breaks. A
    /// draft the door could not read (`Err`: a publish time that is no
    /// time) is refused once the move itself is known to be allowed.
    pub async fn move_article(
        &self,
        actor: &Actor,
        article: Option<&EditableArticle>,
        mv: Move,
        draft: Result<Draft, Problem>,
        mode: Mode,
    ) -> Result<Moved, Error> {
        let now = self.now();
        let (status, own) = article.map_or((Status::Draft, true), |a| (a.status, is_own(a, &actor.user)));
        if mode == Mode::Autosave && (mv != Move::Save || status != Status::Draft) {
            return Ok(Moved::Refused(Problem::AutosaveDraftsOnly));
        }
        if !allowed(actor.user.role, own, status, mv) {
            return Err(Error::NotAllowed);
        }
        let draft = match draft {
            Ok(draft) => draft,
            Err(problem) => return Ok(Moved::Refused(problem)),
        };
        let mut input = draft.input;
        input.status = match mv {
            Move::Save | Move::Correct | Move::Restore => status,
            Move::Submit => Status::Review,
            Move::Publish => Status::Published,
            Move::Unpublish => Status::Unpublished,
            Move::Trash => Status::Trash,
            Move::Recover => Status::Draft,
        };
        let first_publication = mv == Move::Publish && status != Status::Published;
        input.published_at = draft.publish_at.unwrap_or(match article {
            Some(a) if !first_publication => a.input.published_at,
            _ => now,
        });
        // Only a correction writes the correction note; other saves keep it as it was.
        if mv == Move::Correct {
            if input.correction.is_none() {
                return Ok(Moved::Refused(Problem::Correction));
            }
        } else {
            input.correction = article.and_then(|a| a.input.correction.clone());
        }
        if status == Status::Published && matches!(mv, Move::Save | Move::Correct) && mode != Mode::Batch {
            input.updated_at = Some(now.max(input.published_at));
        }
        if input.status == Status::Published && !self.alt_texts_complete(&input).await? {
            return Ok(Moved::Refused(Problem::MediaAlt));
        }
        let target = match article {
            Some(a) => Target::Existing(a.id),
            None => Target::New { created_by: Some(actor.user.id) },
        };
        let headline = input.headline.clone();
        let saved = match (article, draft.base_revision) {
            (Some(a), Some(base)) => self.store().save_article_over(input, a.id, base, Some(actor.user.id), now).await,
            _ => self.store().save_article_as(input, target, Some(actor.user.id), now).await.map(SavedOver::Saved),
        };
        let outcome = match saved {
            Ok(SavedOver::Saved(outcome)) => outcome,
            Ok(SavedOver::Stale { current }) => {
                return Ok(Moved::Stale { base: draft.base_revision.unwrap_or_default(), current });
            }
            Err(e) => return Problem::of(&e).map(Moved::Refused).ok_or(Error::Store(e)),
        };
        let revision = self.store().latest_revision(outcome.id).await?;
        if mode != Mode::Autosave {
            // When the editor is told it is published (or withdrawn), search says so too.
            if mode == Mode::Editor {
                crate::search_sync::articles(self.store(), self.search(), &[outcome.id]).await?;
            }
            let code = if outcome.created { "article.create".to_owned() } else { format!("article.{}", name(mv)) };
            self.audit(actor, &code, &format!("#{} {headline}", outcome.id), "").await;
            tracing::info!(user = actor.user.id, article = outcome.id, action = name(mv), "article saved");
            // What was typed is saved: the member's autosave slot has nothing
            // more. (A desk action saved nothing they typed: their slot stays.)
            if mode == Mode::Editor {
                self.store().delete_autosave(outcome.id, actor.user.id).await?;
            }
        }
        Ok(Moved::Saved { id: outcome.id, created: outcome.created, revision })
    }

    /// Brings back the text of revision `number` of article `id`, keeping its
    /// workflow state and publish time.
    pub async fn restore_revision(&self, actor: &Actor, id: i64, number: i64) -> Result<(), Error> {
        let article = self.store().editable_article(id).await?.ok_or(Error::NotFound)?;
        if !allowed(actor.user.role, is_own(&article, &actor.user), article.status, Move::Restore) {
            return Err(Error::NotAllowed);
        }
        let revision =
            self.store().revisions(id).await?.into_iter().find(|r| r.number == number).ok_or(Error::NotFound)?;
        let mut input = revision.content;
        input.status = article.status;
        input.published_at = article.input.published_at;
        let subject = format!("#{id} {}", input.headline);
        self.store().save_article_as(input, Target::Existing(id), Some(actor.user.id), self.now()).await?;
        tracing::info!(user = actor.user.id, article = id, revision = number, "revision restored");
        crate::search_sync::articles(self.store(), self.search(), &[id]).await?;
        self.audit(actor, "article.restore", &subject, &number.to_string()).await;
        Ok(())
    }

    /// Whether every library image `input` shows has alt text, from the
    /// article (the Markdown `![alt](…)`, the lead image's alt) or from the
    /// library.
    pub async fn alt_texts_complete(&self, input: &ArticleInput) -> Result<bool, StoreError> {
        let mut uses = images_with_alt(&manset_text::markdown::to_safe_html(&input.body));
        if let Some(image) = &input.image {
            uses.push((image.url.clone(), image.alt.clone()));
        }
        uses.retain(|(src, _)| src.starts_with(URL_PREFIX));
        if uses.is_empty() {
            return Ok(true);
        }
        let paths: Vec<&str> = uses.iter().map(|(src, _)| src.as_str()).collect();
        let items = self.store().media_by_paths(&paths).await?;
        let library: HashMap<&str, &str> =
            items.iter().flat_map(|m| m.renditions.iter().map(move |r| (r.path.as_str(), m.alt.as_str()))).collect();
        Ok(uses.iter().all(|(src, alt)| {
            !alt.trim().is_empty() || library.get(src.as_str()).is_none_or(|alt| !alt.trim().is_empty())
        }))
    }
}

/// A move's name in the audit log (`article.publish`) and the log lines.
pub fn name(mv: Move) -> &'static str {
    match mv {
        Move::Save => "save",
        Move::Submit => "submit",
        Move::Publish => "publish",
        Move::Unpublish => "unpublish",
        Move::Correct => "correct",
        Move::Restore => "restore",
        Move::Trash => "trash",
        Move::Recover => "recover",
    }
}

/// `(src, alt)` of every `<img>` in sanitized HTML.
fn images_with_alt(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| -> String {
        let key = format!(" {name}=\"");
        tag.find(&key).map_or(String::new(), |at| {
            let value = &tag[at + key.len()..];
            value[..value.find('"').unwrap_or(value.len())].to_owned()
        })
    };
    html.split("<img")
        .skip(1)
        .map(|rest| {
            let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
            (attr(tag, "src"), attr(tag, "alt"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_read_with_their_alt_text() {
        let html = r#"<p><img src="/medya/2026/11/a-1600.jpg" alt="Liman"> ve <img src="/x.png" alt=""></p>"#;
        assert_eq!(
            images_with_alt(html),
            [("/medya/2026/11/a-1600.jpg".to_owned(), "Liman".to_owned()), ("/x.png".to_owned(), String::new())]
        );
    }
}
