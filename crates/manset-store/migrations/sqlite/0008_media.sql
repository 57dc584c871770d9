-- The media library. The original upload is kept privately (it may carry
-- camera metadata); readers get re-encoded renditions, one row each.

CREATE TABLE media (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT    NOT NULL UNIQUE,
    original_name  TEXT    NOT NULL,
    original_path  TEXT    NOT NULL,
    mime           TEXT    NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    alt            TEXT    NOT NULL DEFAULT '',
    caption        TEXT,
    credit         TEXT,
    uploaded_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE media_renditions (
    media_id  INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    -- The public path under /medya/, unique across the library.
    path      TEXT    NOT NULL UNIQUE,
    PRIMARY KEY (media_id, width)
);
