-- Schema 18: a story under review in the desk's indexes.
INSERT INTO articles (slug, headline, standfirst, body, body_html, status, category_id, author_id,
    published_at, created_at, modified_at, created_by)
VALUES ('incelemede-bir-haber', 'İncelemede bir haber', '', 'Editör bakacak.', '<p>Editör bakacak.</p>', 'review',
        (SELECT id FROM categories WHERE slug = 'gundem'), (SELECT id FROM authors WHERE slug = 'ayse-yilmaz'),
        1719594000, 1719594000, 1719594000, (SELECT id FROM users WHERE email = 'editor@example.com'));
