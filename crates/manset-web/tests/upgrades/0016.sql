-- Schema 16: a staff badge on a reply, and a comment held with its reasons.
INSERT INTO comments (article_id, parent_id, author_name, author_email, body, status, created_at, modified_at, depth,
    staff_user_id, staff_role)
VALUES ((SELECT id FROM articles WHERE slug = 'tiflis-secimleri'), NULL, 'Elif Editör', 'editor@example.com',
        'Sonuçlar yarın açıklanacak.', 'approved', 1719586800, 1719586800, 0,
        (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
INSERT INTO comments (article_id, parent_id, author_name, author_email, author_url, body, status, created_at, modified_at,
    depth, author_ip, held_for)
VALUES ((SELECT id FROM articles WHERE slug = 'tiflis-secimleri'), NULL, 'Elif Editor', 'elif@example.net',
        'https://a.example/', 'Bağlantılı yorum.', 'pending', 1719590400, 1719590400, 0, '198.51.100.4', 'staff_name links');
