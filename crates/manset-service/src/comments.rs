//! Taking a reader's comment: the one place that decides whether a comment
//! is stored, and how.
//!
//! Order of checks: the address must be within its rate (counted in the
//! database, so every app server counts the same); the fields must be valid;
//! the form must be genuine (the door verifies its signature and passes the
//! time it was shown) and not older than two days. Then the spam signals
//! are gathered and the moderation policy (`manset_core::comment::decide`)
//! decides inside the store's transaction, where it can see whether the
//! author is proven and whether the name or address resembles the
//! newsroom's. The comment is committed before anything is answered.

use std::net::IpAddr;

use jiff::Timestamp;
use manset_core::comment::{self, CommentForm, Field, Signals, ValidComment};
use manset_core::settings::CommentSettings;
use manset_core::{Article, CommentStatus, Lang};
use manset_store::{AddedComment, NewComment};

use crate::{Error, Service};

/// A form older than this is refused as expired (the reader's text is kept).
pub const MAX_FORM_AGE_SECONDS: i64 = 2 * 24 * 3600;

/// A comment as a reader sent it.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub article: &'a Article,
    pub form: CommentForm,
    pub parent_id: Option<i64>,
    /// When the form was shown, from its signed token; `None` when the token
    /// was missing, forged, or for another article.
    pub form_shown_at: Option<i64>,
    /// The hidden field people never see, filled in.
    pub honeypot_filled: bool,
    pub ip: IpAddr,
    /// The comments the reader's browser proves it wrote (its signed cookie).
    pub own_comment_ids: &'a [i64],
    /// The site's own name, which nobody but the newsroom may sign with.
    pub site_name: &'a str,
    pub lang: Lang,
}

/// What came of a comment.
#[derive(Debug, Clone)]
pub enum Taken {
    /// Committed, with the status the policy gave it.
    Stored {
        id: i64,
        status: CommentStatus,
        comment: ValidComment,
        at: Timestamp,
    },
    Refused(Refusal),
}

/// Why a comment was not stored; the reader's text is to be shown again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Too many comments from this address in the last minute.
    RateLimited,
    /// Some fields are wrong; each with what is wrong with it.
    Invalid(Vec<(Field, comment::Problem)>),
    /// The form is not ours, or too old: reload the page.
    FormExpired,
    /// The same text by the same author is already there.
    Duplicate,
    /// The comment replied to is not (or no longer) on this article.
    NoSuchParent,
}

impl Service {
    /// The comment rules as the newsroom set them.
    pub async fn comment_settings(&self) -> Result<CommentSettings, Error> {
        let pairs = self.store().settings().await?;
        Ok(CommentSettings::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
    }

    /// Takes `submission`: stored, or refused with the reasons.
    pub async fn take_comment(&self, submission: Submission<'_>) -> Result<Taken, Error> {
        let now = self.now();
        let settings = self.comment_settings().await?;
        let key = format!("comment:{}", submission.ip);
        if !self.store().allow_attempt(&key, settings.rate_per_minute, 60, now).await? {
            return Ok(Taken::Refused(Refusal::RateLimited));
        }
        let valid = match submission.form.validate() {
            Ok(valid) => valid,
            Err(problems) => return Ok(Taken::Refused(Refusal::Invalid(problems))),
        };
        let Some(shown) = submission.form_shown_at else { return Ok(Taken::Refused(Refusal::FormExpired)) };
        let age = now.as_second() - shown;
        if age > MAX_FORM_AGE_SECONDS {
            return Ok(Taken::Refused(Refusal::FormExpired));
        }
        let lang = submission.lang;
        let signals = Signals {
            honeypot_filled: submission.honeypot_filled,
            too_fast: age < i64::from(settings.min_seconds),
            links: comment::count_links(&valid.body),
            held_word: comment::contains_held_word(&valid.body, &settings.held_words, |s| {
                manset_text::case::lower(s, lang)
            }),
            hold_all: settings.hold_all,
            // Known only inside the store's transaction, below.
            author_proven: false,
            staff_email: false,
            staff_name: false,
        };
        let ip = submission.ip.to_string();
        let new = NewComment {
            article_id: submission.article.id,
            parent_id: submission.parent_id,
            name: &valid.name,
            email: &valid.email,
            url: valid.url.as_deref(),
            body: &valid.body,
            ip: Some(&ip),
            max_depth: settings.max_depth,
            own_comment_ids: submission.own_comment_ids,
            staff: None,
        };
        let site_name = submission.site_name.to_owned();
        let added = self
            .store()
            .add_comment(&new, now, |mut facts| {
                // The site's own name is the newsroom's too.
                facts.reserved.names.push(site_name);
                let lookalike = facts.reserved.resembled_by(&valid.name, &valid.email, manset_text::case::name_key);
                comment::decide(Signals {
                    author_proven: facts.author_proven,
                    staff_email: lookalike.email,
                    staff_name: lookalike.name,
                    ..signals
                })
            })
            .await?;
        Ok(match added {
            AddedComment::Stored { id, status } => {
                tracing::info!(article = %submission.article.slug, comment = id, status = %status, "comment received");
                Taken::Stored { id, status, comment: valid, at: now }
            }
            AddedComment::Duplicate { .. } => Taken::Refused(Refusal::Duplicate),
            AddedComment::NoSuchParent => Taken::Refused(Refusal::NoSuchParent),
        })
    }
}
