-- The reading site: articles with their categories, tags, authors and source
-- credits, and the comments table the comment feature fills.
--
-- Times are INTEGER seconds since the Unix epoch, UTC. Statuses are text
-- checked by manset-core, not by CHECK constraints, so new statuses never need
-- a table rebuild. Migrations are append-only: change the schema in a new file.

CREATE TABLE authors (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    slug        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    slug        TEXT    NOT NULL UNIQUE,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    slug        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    headline      TEXT    NOT NULL,
    standfirst    TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL DEFAULT '',
    body_html     TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL,
    category_id   INTEGER NOT NULL REFERENCES categories (id),
    author_id     INTEGER REFERENCES authors (id),
    published_at  INTEGER NOT NULL,
    updated_at    INTEGER,
    -- Where the article was imported from (`markdown:/abs/path.md`), so that
    -- importing the same file again updates it instead of adding a copy.
    import_key    TEXT    UNIQUE,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER NOT NULL
);

CREATE INDEX articles_visible ON articles (status, published_at DESC);
CREATE INDEX articles_category ON articles (category_id, status, published_at DESC);

CREATE TABLE article_tags (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);

CREATE INDEX article_tags_tag ON article_tags (tag_id);

CREATE TABLE article_sources (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    url         TEXT,
    note        TEXT,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    author_name   TEXT    NOT NULL,
    -- Never shown publicly: not on pages, not in feeds, not in APIs.
    author_email  TEXT    NOT NULL,
    author_url    TEXT,
    body          TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER NOT NULL
);

CREATE INDEX comments_article ON comments (article_id, status, created_at);
