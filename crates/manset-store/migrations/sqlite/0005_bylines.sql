-- Bylines with more than one name. `articles.author_id` stays the first
-- name (lists and summaries show it); this table holds the whole byline.

CREATE TABLE article_authors (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES authors (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);

INSERT INTO article_authors (article_id, author_id, position)
SELECT id, author_id, 0 FROM articles WHERE author_id IS NOT NULL;
