-- Schema 4: who created an article, SEO fields, a correction, revisions
-- (the JSON of that version's ArticleInput: one `author`) and an old slug.
UPDATE articles SET created_by = (SELECT id FROM users WHERE email = 'editor@example.com'),
    seo_title = 'Enerji zirvesi Bakü''de', seo_description = 'Boru hattı gündemde.',
    correction = 'Toplantının süresi düzeltildi.', corrected_at = 1719572400
WHERE slug = 'bakude-enerji-zirvesi';
INSERT INTO article_revisions (article_id, number, user_id, status, content, created_at) VALUES
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), 1, (SELECT id FROM users WHERE email = 'editor@example.com'),
     'published',
     '{"headline":"Bakü''de enerji zirvesi","standfirst":"Zirvede boru hattı konuşuldu.","body":"Toplantı bir gün sürdü.","slug":null,"category":"Gündem","tags":["Bakü","Enerji"],"author":"Ayşe Yılmaz","published_at":"2024-06-28T09:00:00Z","updated_at":null,"status":"published","sources":[{"name":"Turan","url":"https://turan.az/","note":null}],"seo_title":null,"seo_description":null,"correction":null}',
     1719565200),
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), 2, (SELECT id FROM users WHERE email = 'editor@example.com'),
     'published',
     '{"headline":"Bakü''de enerji zirvesi","standfirst":"Zirvede boru hattı konuşuldu.","body":"Toplantı **iki gün** sürdü.","slug":null,"category":"Gündem","tags":["Bakü","Enerji"],"author":"Ayşe Yılmaz","published_at":"2024-06-28T09:00:00Z","updated_at":"2024-06-28T10:00:00Z","status":"published","sources":[{"name":"Turan","url":"https://turan.az/","note":null},{"name":"AA","url":null,"note":"fotoğraflar"}],"seo_title":"Enerji zirvesi Bakü''de","seo_description":"Boru hattı gündemde.","correction":"Toplantının süresi düzeltildi."}',
     1719572400);
INSERT INTO redirects (old_slug, article_id) VALUES
    ('baku-zirvesi', (SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'));
