-- Agency and partner feeds the server polls; new items become drafts.
CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT    NOT NULL UNIQUE,
    source_name     TEXT    NOT NULL,  -- the credit on every draft ("Turan")
    category        TEXT,              -- drafts filed here; NULL: the setting's default
    etag            TEXT,              -- for conditional GET
    last_modified   TEXT,
    next_poll_at    INTEGER NOT NULL,
    last_polled_at  INTEGER,
    failures        INTEGER NOT NULL DEFAULT 0,  -- in a row; the wait doubles with each
    last_error      TEXT,
    created_at      INTEGER NOT NULL
);

-- Every item seen, so none becomes a draft twice: by its id in the feed,
-- by its link (across feeds), or by its text (`words`: its title and
-- summary lowercased, letters and digits only, compared by the importer).
CREATE TABLE feed_items (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guid         TEXT    NOT NULL,
    link         TEXT,
    words        TEXT    NOT NULL,
    article_id   INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    seen_at      INTEGER NOT NULL,
    UNIQUE (feed_id, guid)
);
CREATE INDEX feed_items_link ON feed_items (link);
CREATE INDEX feed_items_seen ON feed_items (seen_at);
