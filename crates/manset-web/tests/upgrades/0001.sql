-- Rows a site had at schema 1 (the reading site), written as that version's
-- code wrote them. Portable SQL: ids come from the engine, references are
-- looked up by slug, times are seconds since the epoch.
INSERT INTO categories (name, slug, position, created_at) VALUES
    ('Gündem', 'gundem', 0, 1719565200),
    ('Dünya', 'dunya', 1, 1719565200);
INSERT INTO authors (name, slug, created_at) VALUES
    ('Ayşe Yılmaz', 'ayse-yilmaz', 1719565200),
    ('Mehmet Demir', 'mehmet-demir', 1719565200);
INSERT INTO tags (name, slug, created_at) VALUES
    ('Bakü', 'baku', 1719565200),
    ('Enerji', 'enerji', 1719565200);

INSERT INTO articles (slug, headline, standfirst, body, body_html, status, category_id, author_id,
    published_at, updated_at, import_key, created_at, modified_at)
VALUES
    ('bakude-enerji-zirvesi', 'Bakü''de enerji zirvesi', 'Zirvede boru hattı konuşuldu.',
     'Toplantı **iki gün** sürdü.', '<p>Toplantı <strong>iki gün</strong> sürdü.</p>', 'published',
     (SELECT id FROM categories WHERE slug = 'gundem'), (SELECT id FROM authors WHERE slug = 'ayse-yilmaz'),
     1719565200, 1719568800, 'markdown:/icerik/zirve.md', 1719565200, 1719568800),
    ('tiflis-secimleri', 'Tiflis seçimleri', 'Sandıklar kapandı.', 'Sayım sürüyor.', '<p>Sayım sürüyor.</p>',
     'published', (SELECT id FROM categories WHERE slug = 'dunya'), (SELECT id FROM authors WHERE slug = 'mehmet-demir'),
     1719478800, NULL, NULL, 1719478800, 1719478800),
    ('yarim-kalan-taslak', 'Yarım kalan taslak', '', 'Henüz bitmedi.', '<p>Henüz bitmedi.</p>', 'draft',
     (SELECT id FROM categories WHERE slug = 'gundem'), NULL, 1719565200, NULL, NULL, 1719565200, 1719565200);

INSERT INTO article_tags (article_id, tag_id, position) VALUES
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), (SELECT id FROM tags WHERE slug = 'baku'), 0),
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), (SELECT id FROM tags WHERE slug = 'enerji'), 1),
    ((SELECT id FROM articles WHERE slug = 'tiflis-secimleri'), (SELECT id FROM tags WHERE slug = 'enerji'), 0);

INSERT INTO article_sources (article_id, position, name, url, note) VALUES
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), 0, 'Turan', 'https://turan.az/', NULL),
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), 1, 'AA', NULL, 'fotoğraflar');

-- A thread: a comment, a reply to it, one waiting and one judged spam.
INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status, created_at, modified_at)
VALUES ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), NULL, 'Okur Bir', 'okur1@example.com',
        'https://okur.example/', 'Zirve ne zaman bitti?', 'approved', 1719572400, 1719572400);
INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status, created_at, modified_at)
VALUES ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'),
        (SELECT id FROM comments WHERE body = 'Zirve ne zaman bitti?'), 'Okur İki', 'okur2@example.com', NULL,
        'Dün akşam bitti.', 'approved', 1719576000, 1719576000);
INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status, created_at, modified_at)
VALUES ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), NULL, 'Okur Üç', 'okur3@example.com', NULL,
        'Onay bekleyen yorum.', 'pending', 1719579600, 1719579600),
       ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), NULL, 'Spamcı', 'spam@example.com',
        'https://spam.example/', 'Ucuz saat alın.', 'spam', 1719579600, 1719579600);
