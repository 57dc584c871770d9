-- Schema 11: a WordPress import: what it brought, the old addresses, a
-- nested category and a draft page.
INSERT INTO categories (name, slug, position, created_at, parent_id) VALUES
    ('Azerbaycan', 'azerbaycan', 2, 1719565200, (SELECT id FROM categories WHERE slug = 'dunya'));
INSERT INTO imported (source, kind, key, target_id, hash) VALUES
    ('wordpress:https://eski.example', 'post', '12', (SELECT id FROM articles WHERE slug = 'tiflis-secimleri'), 'a1b2c3'),
    ('wordpress:https://eski.example', 'category', '3', (SELECT id FROM categories WHERE slug = 'azerbaycan'), 'd4e5f6');
INSERT INTO legacy_paths (path, kind, target_id) VALUES
    ('/?p=12', 'article', (SELECT id FROM articles WHERE slug = 'tiflis-secimleri')),
    ('/category/azerbaycan/', 'category', (SELECT id FROM categories WHERE slug = 'azerbaycan'));
INSERT INTO pages (slug, title, body, body_html, menu_position, created_at, modified_at, draft) VALUES
    ('reklam', 'Reklam', 'Taslak sayfa.', '<p>Taslak sayfa.</p>', NULL, 1719565200, 1719565200, 1);
