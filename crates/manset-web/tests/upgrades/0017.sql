-- Schema 17: an autosave not yet saved, and who has an article open.
INSERT INTO article_autosaves (article_id, user_id, base_revision, content, saved_at) VALUES
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), (SELECT id FROM users WHERE email = 'editor@example.com'), 2,
     '{"headline":"Bakü''de enerji zirvesi sona erdi","standfirst":"Zirvede boru hattı konuşuldu.","body":"Toplantı **iki gün** sürdü.","slug":null,"category":"Gündem","tags":["Bakü","Enerji"],"authors":["Ayşe Yılmaz","Mehmet Demir"],"published_at":"2024-06-28T09:00:00Z","updated_at":"2024-06-28T10:00:00Z","status":"published","sources":[],"seo_title":null,"seo_description":null,"correction":null,"image":null,"lang":null}',
     1719590400);
INSERT INTO article_presence (article_id, user_id, seen_at) VALUES
    ((SELECT id FROM articles WHERE slug = 'bakude-enerji-zirvesi'), (SELECT id FROM users WHERE email = 'editor@example.com'), 1719590400);
