-- Schema 12: an agency feed and an item it brought as a draft.
INSERT INTO feeds (url, source_name, category, etag, last_modified, next_poll_at, last_polled_at, failures, last_error, created_at)
VALUES ('https://ajans.example/rss', 'Turan', 'Dünya', '"abc"', 'Fri, 28 Jun 2024 09:00:00 GMT', 1719568800,
        1719565200, 1, 'zaman aşımı', 1719565200);
INSERT INTO feed_items (feed_id, guid, link, words, article_id, seen_at) VALUES
    ((SELECT id FROM feeds WHERE url = 'https://ajans.example/rss'), 'turan-4411', 'https://ajans.example/4411',
     'yarım kalan taslak', (SELECT id FROM articles WHERE slug = 'yarim-kalan-taslak'), 1719565200);
