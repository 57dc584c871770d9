-- The newsroom's editor: who created an article, its SEO fields, its
-- correction note, revisions, and redirects from old slugs.

ALTER TABLE articles ADD COLUMN created_by INTEGER REFERENCES users (id);
ALTER TABLE articles ADD COLUMN seo_title TEXT;
ALTER TABLE articles ADD COLUMN seo_description TEXT;
ALTER TABLE articles ADD COLUMN correction TEXT;
ALTER TABLE articles ADD COLUMN corrected_at INTEGER;

-- Every saved state of an article; `content` is the JSON of an ArticleInput.
CREATE TABLE article_revisions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    status      TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (article_id, number)
);

-- An old slug of a published article, answered with a permanent redirect.
CREATE TABLE redirects (
    old_slug    TEXT    PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
