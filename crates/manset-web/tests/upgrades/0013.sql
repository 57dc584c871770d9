-- Schema 13: writes now leave a change log (its triggers fire here).
INSERT INTO articles (slug, headline, standfirst, body, body_html, status, category_id, author_id,
    published_at, created_at, modified_at, created_by)
VALUES ('erivan-ekonomi-forumu', 'Erivan''da ekonomi forumu', 'Forum yarın başlıyor.', 'Program açıklandı.',
        '<p>Program açıklandı.</p>', 'published', (SELECT id FROM categories WHERE slug = 'azerbaycan'),
        (SELECT id FROM authors WHERE slug = 'ayse-yilmaz'), 1719399600, 1719399600, 1719399600,
        (SELECT id FROM users WHERE email = 'editor@example.com'));
INSERT INTO article_authors (article_id, author_id, position) VALUES
    ((SELECT id FROM articles WHERE slug = 'erivan-ekonomi-forumu'), (SELECT id FROM authors WHERE slug = 'ayse-yilmaz'), 0);
INSERT INTO article_tags (article_id, tag_id, position) VALUES
    ((SELECT id FROM articles WHERE slug = 'erivan-ekonomi-forumu'), (SELECT id FROM tags WHERE slug = 'baku'), 0);
