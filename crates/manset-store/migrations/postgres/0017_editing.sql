-- The newsroom's editing: what a member typed and has not saved, and who
-- has an article open.

-- One autosave slot per article and member: the editor's form as it was at
-- `saved_at`, started from revision `base_revision`. Never read by the
-- reading site and never a revision: a save by the member empties it, and
-- reopening the article offers it back ("Kaydedilmemiş değişiklikleriniz var").
CREATE TABLE article_autosaves (
    article_id     BIGINT  NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    user_id        BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    base_revision  BIGINT  NOT NULL,
    content        TEXT COLLATE "C" NOT NULL,
    saved_at       BIGINT  NOT NULL,
    PRIMARY KEY (article_id, user_id)
);

-- Who has an article open in the editor: the last heartbeat of each member.
-- A row older than a minute means they left (a closed tab sends no goodbye).
CREATE TABLE article_presence (
    article_id  BIGINT  NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    seen_at     BIGINT  NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX article_presence_seen ON article_presence (seen_at);
