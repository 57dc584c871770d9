-- Schema 2: threads know their depth, comments their poster's address,
-- and the site has settings.
INSERT INTO comments (article_id, parent_id, author_name, author_email, body, status, created_at, modified_at, depth, author_ip)
VALUES ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'),
        (SELECT id FROM comments WHERE body = 'Dün akşam bitti.'), 'Okur Bir', 'okur1@example.com',
        'Teşekkürler.', 'approved', 1719579600, 1719579600, 2, '192.0.2.7');
INSERT INTO settings (key, value) VALUES
    ('site.name', 'Kafkas Postası'),
    ('site.description', 'Kafkasya''dan haberler');
