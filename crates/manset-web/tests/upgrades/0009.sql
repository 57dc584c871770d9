-- Schema 9: a renamed category keeps its old address.
INSERT INTO taxonomy_redirects (kind, old_slug, target_id) VALUES
    ('category', 'siyaset', (SELECT id FROM categories WHERE slug = 'gundem'));
