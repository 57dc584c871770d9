//! The publishing workflow: which move a member may make on which article.
//!
//! Invariant: the newsroom's handlers ask `allowed` before every change and
//! answer 403 when it says no; nothing else decides.

use serde::Serialize;

use crate::article::Status;
use crate::user::{Action, Role};

/// A change to an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// Save the text without changing the status.
    Save,
    /// Draft → review.
    Submit,
    /// → published, now or at a later time (scheduled, embargoed).
    Publish,
    /// Published → unpublished (410 for readers).
    Unpublish,
    /// Add or change the correction note of a published article.
    Correct,
    /// Bring back an earlier revision's text.
    Restore,
    /// → the trash, from any status (readers lose a published one).
    Trash,
    /// The trash → draft.
    Recover,
}

/// Whether `role` may make `mv` on an article in `status`; `own` says
/// whether the member created it.
pub fn allowed(role: Role, own: bool, status: Status, mv: Move) -> bool {
    let edit = role.may(Action::EditAnyArticle) || (own && role.may(Action::EditOwnArticles));
    let publish = role.may(Action::PublishAnyArticle) || (own && role.may(Action::PublishOwnArticles));
    // A contributor works on their own drafts only, until they submit them.
    let contributor_edit = own && role.may(Action::WriteDrafts) && status == Status::Draft;
    let trashed = status == Status::Trash;
    match mv {
        Move::Save | Move::Restore => (edit || contributor_edit) && !trashed,
        Move::Submit => (edit || contributor_edit) && status == Status::Draft,
        Move::Publish => publish && status != Status::Published && !trashed,
        Move::Unpublish => publish && status == Status::Published,
        Move::Correct => edit && status == Status::Published,
        // Taking a story from readers takes the right to publish it.
        Move::Trash if status == Status::Published => publish,
        Move::Trash => (edit || contributor_edit) && !trashed,
        Move::Recover => trashed && (edit || (own && role.may(Action::WriteDrafts))),
    }
}

/// Whether `role` may change the alt text, caption or credit of a library
/// image: these show on every article that uses the image, so the right
/// follows the articles. Editors change any image; others only their own
/// uploads, and only while every article showing it is one they may save
/// (a contributor's own drafts; an author's own articles). `uses` gives, for
/// each article showing the image, whether the member created it and its
/// status.
pub fn may_edit_media(role: Role, own_upload: bool, uses: impl IntoIterator<Item = (bool, Status)>) -> bool {
    if role.may(Action::EditAnyArticle) {
        return true;
    }
    own_upload && uses.into_iter().all(|(own, status)| allowed(role, own, status, Move::Save))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_images_text_is_changed_by_whoever_may_change_every_article_showing_it() {
        use Status::{Draft, Published, Review};
        for role in [Role::Editor, Role::Admin] {
            assert!(may_edit_media(role, false, [(false, Published)]), "{role:?}: anything");
        }
        let c = Role::Contributor;
        assert!(may_edit_media(c, true, []), "their own upload, shown nowhere");
        assert!(may_edit_media(c, true, [(true, Draft)]), "in their own draft");
        assert!(!may_edit_media(c, false, []), "someone else's upload");
        assert!(!may_edit_media(c, true, [(true, Published)]), "on a published article");
        assert!(!may_edit_media(c, true, [(true, Review)]), "submitted: the editor's now");
        assert!(!may_edit_media(c, true, [(false, Draft)]), "in someone else's draft");
        let a = Role::Author;
        assert!(may_edit_media(a, true, [(true, Published)]), "an author's own published article");
        assert!(!may_edit_media(a, true, [(false, Published)]), "someone else's story");
        assert!(!may_edit_media(a, false, [(true, Draft)]), "someone else's upload");
    }

    #[test]
    fn contributors_write_and_submit_their_own_drafts_only() {
        let c = Role::Contributor;
        assert!(allowed(c, true, Status::Draft, Move::Save));
        assert!(allowed(c, true, Status::Draft, Move::Submit));
        assert!(!allowed(c, true, Status::Review, Move::Save), "submitted: the editor's now");
        assert!(!allowed(c, true, Status::Draft, Move::Publish));
        assert!(!allowed(c, false, Status::Draft, Move::Save));
    }

    #[test]
    fn authors_publish_their_own_and_editors_anything() {
        assert!(allowed(Role::Author, true, Status::Draft, Move::Publish));
        assert!(!allowed(Role::Author, false, Status::Review, Move::Publish));
        assert!(!allowed(Role::Author, false, Status::Published, Move::Save));
        assert!(allowed(Role::Author, true, Status::Published, Move::Correct));
        assert!(allowed(Role::Editor, false, Status::Review, Move::Publish));
        assert!(allowed(Role::Editor, false, Status::Published, Move::Unpublish));
        assert!(allowed(Role::Editor, false, Status::Published, Move::Correct));
        assert!(!allowed(Role::Editor, false, Status::Draft, Move::Correct), "only published articles are corrected");
        assert!(allowed(Role::Admin, false, Status::Unpublished, Move::Publish));
    }

    #[test]
    fn the_trash_takes_what_one_may_take_from_readers_and_gives_back_drafts() {
        use Status::{Draft, Published, Trash};
        assert!(allowed(Role::Contributor, true, Draft, Move::Trash), "their own draft");
        assert!(!allowed(Role::Contributor, false, Draft, Move::Trash), "someone else's");
        assert!(!allowed(Role::Contributor, true, Published, Move::Trash), "published by an editor");
        assert!(allowed(Role::Author, true, Published, Move::Trash));
        assert!(allowed(Role::Editor, false, Published, Move::Trash));
        assert!(!allowed(Role::Editor, false, Trash, Move::Trash));
        for mv in [Move::Save, Move::Submit, Move::Publish, Move::Correct, Move::Restore] {
            assert!(!allowed(Role::Admin, false, Trash, mv), "{mv:?} on the trash: recover it first");
        }
        assert!(allowed(Role::Contributor, true, Trash, Move::Recover));
        assert!(!allowed(Role::Contributor, false, Trash, Move::Recover));
        assert!(allowed(Role::Editor, false, Trash, Move::Recover));
        assert!(!allowed(Role::Editor, false, Draft, Move::Recover));
    }
}
