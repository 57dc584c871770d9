-- Schema 7: the audit log, a staff reply, a static page, the front page
-- and breaking news.
INSERT INTO audit_log (at, user_id, actor, action, subject, detail, ip) VALUES
    (1719572400, (SELECT id FROM users WHERE email = 'editor@example.com'), 'Elif Editör', 'article.publish',
     'Bakü''de enerji zirvesi', '', '192.0.2.1');
INSERT INTO comments (article_id, parent_id, author_name, author_email, body, status, created_at, modified_at, depth, staff_user_id)
VALUES ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'),
        (SELECT id FROM comments WHERE body = 'Zirve ne zaman bitti?'), 'Elif Editör', 'editor@example.com',
        'Haberi güncelledik.', 'approved', 1719583200, 1719583200, 1,
        (SELECT id FROM users WHERE email = 'editor@example.com'));
INSERT INTO pages (slug, title, body, body_html, menu_position, created_at, modified_at) VALUES
    ('kunye', 'Künye', 'Yayın kurulu.', '<p>Yayın kurulu.</p>', 0, 1719565200, 1719565200);
INSERT INTO front_slots (position, article_id) VALUES
    (0, (SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'));
UPDATE articles SET breaking_until = 4102444800 WHERE slug = 'tiflis-secimleri';
