//! The editor's safety net: nothing typed is lost, nobody overwrites
//! another's work unawares, and everyone sees who else has a story open.
//!
//! - Autosave: one slot per article and member holds the editor's form as it
//!   was typed (the door's own encoding, opaque here). A slot never changes
//!   the article, its revisions or anything a reader sees; a save by its
//!   member empties it; reopening the article offers it back.
//! - Presence: a heartbeat per member and article; a member whose last beat
//!   is older than [`PRESENCE_SECONDS`] has left (a closed tab says nothing).
//! - Conflicts: every save names the revision it started from; a save over a
//!   newer one is refused (`Moved::Conflict` in `articles`), never merged
//!   silently.

use jiff::Timestamp;
use manset_store::{Autosave, Present};

use crate::{Actor, Error, Service};

/// A member counts as editing for this long after their last heartbeat.
pub const PRESENCE_SECONDS: i64 = 60;

/// The most an autosave slot holds: far beyond any article the form takes,
/// so a request cannot fill the database through it.
pub const MAX_AUTOSAVE_BYTES: usize = 2 * 1024 * 1024;

/// What came of an autosave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Autosaved {
    /// Kept in the member's slot, at this time.
    Kept { at: Timestamp },
    /// Larger than a slot holds.
    TooLarge,
}

impl Service {
    /// Keeps `content` (the form as typed, started from revision
    /// `base_revision`) in `actor`'s slot for article `id`, if they may edit it.
    pub async fn autosave(
        &self,
        actor: &Actor,
        id: i64,
        base_revision: i64,
        content: &str,
    ) -> Result<Autosaved, Error> {
        self.editable_article(&actor.user, id).await?;
        if content.len() > MAX_AUTOSAVE_BYTES {
            return Ok(Autosaved::TooLarge);
        }
        let now = self.now();
        self.store().put_autosave(id, actor.user.id, base_revision, content, now).await?;
        Ok(Autosaved::Kept { at: now })
    }

    /// `user`'s unsaved changes to article `id`, if any.
    pub async fn autosaved(&self, user_id: i64, id: i64) -> Result<Option<Autosave>, Error> {
        Ok(self.store().autosave(id, user_id).await?)
    }

    /// Throws `user`'s unsaved changes to article `id` away.
    pub async fn discard_autosave(&self, user_id: i64, id: i64) -> Result<(), Error> {
        Ok(self.store().delete_autosave(id, user_id).await?)
    }

    /// Records that `actor` has article `id` open; returns the others who
    /// have it open too.
    pub async fn heartbeat(&self, actor: &Actor, id: i64) -> Result<Vec<Present>, Error> {
        self.editable_article(&actor.user, id).await?;
        let now = self.now();
        self.store().touch_presence(id, actor.user.id, now).await?;
        self.others_editing(actor.user.id, id).await
    }

    /// `actor` closed article `id`.
    pub async fn leave(&self, actor: &Actor, id: i64) -> Result<(), Error> {
        Ok(self.store().leave_presence(id, actor.user.id).await?)
    }

    /// Who but `user_id` has article `id` open now.
    pub async fn others_editing(&self, user_id: i64, id: i64) -> Result<Vec<Present>, Error> {
        let since = self.now() - jiff::SignedDuration::from_secs(PRESENCE_SECONDS);
        let present = self.store().present(&[id], since).await?;
        Ok(present.into_iter().filter(|p| p.user_id != user_id).collect())
    }

    /// Who has any of `ids` open now (the desk's column).
    pub async fn editing(&self, ids: &[i64]) -> Result<Vec<Present>, Error> {
        let since = self.now() - jiff::SignedDuration::from_secs(PRESENCE_SECONDS);
        Ok(self.store().present(ids, since).await?)
    }
}
