-- Schema 10: an article in another language than the site's.
INSERT INTO articles (slug, headline, standfirst, body, body_html, status, category_id, author_id,
    published_at, created_at, modified_at, lang)
VALUES ('pipeline-talks-in-baku', 'Pipeline talks in Baku', 'Ministers met.', 'The talks went on.',
        '<p>The talks went on.</p>', 'published', (SELECT id FROM categories WHERE slug = 'dunya'),
        (SELECT id FROM authors WHERE slug = 'mehmet-demir'), 1719486000, 1719486000, 1719486000, 'en');
INSERT INTO article_authors (article_id, author_id, position) VALUES
    ((SELECT id FROM articles WHERE slug = 'pipeline-talks-in-baku'), (SELECT id FROM authors WHERE slug = 'mehmet-demir'), 0);
