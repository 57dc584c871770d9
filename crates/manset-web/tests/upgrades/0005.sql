-- Schema 5: bylines with more than one name. Every article's first name
-- is in article_authors: on SQLite migration 5 copied them (this adds
-- nothing there); a PostgreSQL site, which begins at 13, had them from its
-- move. Then a second name, as the newsroom added it.
INSERT INTO article_authors (article_id, author_id, position)
SELECT id, author_id, 0 FROM articles a WHERE author_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM article_authors b WHERE b.article_id = a.id);
INSERT INTO article_authors (article_id, author_id, position) VALUES
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), (SELECT id FROM authors WHERE slug = 'mehmet-demir'), 1);
