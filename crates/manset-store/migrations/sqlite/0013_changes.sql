-- The change log (and the indexes pages need to stay fast at 100,000 articles): what the reading site shows changed, written by triggers so
-- that no code path (the newsroom, an import from the command line, another
-- app server) can change a page without saying so. Page caches read it to
-- drop exactly the pages that showed what changed. It is transient: rows are
-- pruned once every reader has seen them, and it is not part of a dump.
--
-- subject: 'article' (id: what the article shows), 'listing' (which articles
-- are visible changed: home, feeds, sitemaps, search), 'category', 'tag',
-- 'author' (id: that list's members or name), 'comments' (id: the article
-- whose approved comments changed), 'touched' (id: the article's modification
-- time, shown on its own page only), 'site' (everything around the content:
-- settings, menus, static pages, breaking news, media details).
-- Every page's ticker asks for the few articles with breaking news: an index
-- of those alone, not a scan of every visible article.
CREATE INDEX articles_breaking ON articles (breaking_until) WHERE breaking_until IS NOT NULL;
-- An author's page lists their bylines.
CREATE INDEX article_authors_author ON article_authors (author_id);

CREATE TABLE changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    subject  TEXT    NOT NULL,
    id       INTEGER
);

CREATE TRIGGER changes_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO changes (subject, id) VALUES
        ('article', NEW.id), ('listing', NULL), ('category', NEW.category_id), ('author', NEW.author_id);
END;

-- What cards, lists and the page show of it. (Not the bookkeeping columns:
-- moderating a comment moves `modified_at`, which only its own page shows.)
CREATE TRIGGER changes_article_update
AFTER UPDATE OF slug, headline, standfirst, body, body_html, status, category_id, author_id, published_at,
    updated_at, seo_title, seo_description, correction, corrected_at, image, lang ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('article', NEW.id);
END;

CREATE TRIGGER changes_article_touched AFTER UPDATE OF modified_at ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('touched', NEW.id);
END;

-- Which lists the article is on: its status, time, category or byline moved
-- (a save names every column; only a real move counts).
CREATE TRIGGER changes_article_listed AFTER UPDATE OF status, published_at, category_id, author_id ON articles
WHEN (OLD.status = 'published' OR NEW.status = 'published')
    AND (OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
         OR OLD.category_id IS NOT NEW.category_id OR OLD.author_id IS NOT NEW.author_id)
BEGIN
    INSERT INTO changes (subject, id) VALUES
        ('listing', NULL), ('category', OLD.category_id), ('category', NEW.category_id),
        ('author', OLD.author_id), ('author', NEW.author_id);
    INSERT INTO changes (subject, id) SELECT 'tag', tag_id FROM article_tags WHERE article_id = NEW.id;
    INSERT INTO changes (subject, id) SELECT 'author', author_id FROM article_authors WHERE article_id = NEW.id;
END;

-- The ticker is on every page.
CREATE TRIGGER changes_article_breaking AFTER UPDATE OF breaking_until ON articles
WHEN OLD.breaking_until IS NOT NEW.breaking_until
BEGIN
    INSERT INTO changes (subject, id) VALUES ('site', NULL);
END;

CREATE TRIGGER changes_article_delete AFTER DELETE ON articles
WHEN OLD.status = 'published'
BEGIN
    INSERT INTO changes (subject, id) VALUES
        ('article', OLD.id), ('listing', NULL), ('category', OLD.category_id), ('author', OLD.author_id);
END;

CREATE TRIGGER changes_tags_insert AFTER INSERT ON article_tags
BEGIN
    INSERT INTO changes (subject, id)
        SELECT 'article', NEW.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = NEW.article_id AND status = 'published')
        UNION ALL
        SELECT 'tag', NEW.tag_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = NEW.article_id AND status = 'published');
END;

CREATE TRIGGER changes_tags_delete AFTER DELETE ON article_tags
BEGIN
    INSERT INTO changes (subject, id)
        SELECT 'article', OLD.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id AND status = 'published')
        UNION ALL
        SELECT 'tag', OLD.tag_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id AND status = 'published');
END;

CREATE TRIGGER changes_bylines_insert AFTER INSERT ON article_authors
BEGIN
    INSERT INTO changes (subject, id)
        SELECT 'article', NEW.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = NEW.article_id AND status = 'published')
        UNION ALL
        SELECT 'author', NEW.author_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = NEW.article_id AND status = 'published');
END;

CREATE TRIGGER changes_bylines_delete AFTER DELETE ON article_authors
BEGIN
    INSERT INTO changes (subject, id)
        SELECT 'article', OLD.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id AND status = 'published')
        UNION ALL
        SELECT 'author', OLD.author_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id AND status = 'published');
END;

CREATE TRIGGER changes_sources_insert AFTER INSERT ON article_sources
BEGIN
    INSERT INTO changes (subject, id) VALUES ('article', NEW.article_id);
END;

CREATE TRIGGER changes_sources_delete AFTER DELETE ON article_sources
BEGIN
    INSERT INTO changes (subject, id) VALUES ('article', OLD.article_id);
END;

-- Readers see approved comments only: a pending one changes no public page.
CREATE TRIGGER changes_comment_insert AFTER INSERT ON comments
WHEN NEW.status = 'approved'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('comments', NEW.article_id);
END;

CREATE TRIGGER changes_comment_update AFTER UPDATE ON comments
WHEN OLD.status = 'approved' OR NEW.status = 'approved'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('comments', NEW.article_id);
END;

CREATE TRIGGER changes_comment_delete AFTER DELETE ON comments
WHEN OLD.status = 'approved'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('comments', OLD.article_id);
END;

-- A tag's or an author's name is on its page and on every article it marks.
CREATE TRIGGER changes_tag_update AFTER UPDATE ON tags
BEGIN
    INSERT INTO changes (subject, id) VALUES ('tag', NEW.id);
    INSERT INTO changes (subject, id) SELECT 'article', article_id FROM article_tags WHERE tag_id = NEW.id;
END;

CREATE TRIGGER changes_author_update AFTER UPDATE ON authors
BEGIN
    INSERT INTO changes (subject, id) VALUES ('author', NEW.id);
    INSERT INTO changes (subject, id) SELECT 'article', id FROM articles WHERE author_id = NEW.id;
    INSERT INTO changes (subject, id) SELECT 'article', article_id FROM article_authors WHERE author_id = NEW.id;
END;

-- Category names are in the menu and on every card.
CREATE TRIGGER changes_category_insert AFTER INSERT ON categories
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
CREATE TRIGGER changes_category_update AFTER UPDATE ON categories
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
CREATE TRIGGER changes_category_delete AFTER DELETE ON categories
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;

CREATE TRIGGER changes_setting_insert AFTER INSERT ON settings
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
CREATE TRIGGER changes_setting_update AFTER UPDATE ON settings
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
CREATE TRIGGER changes_setting_delete AFTER DELETE ON settings
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;

-- Static pages are in the footer menu of every page.
CREATE TRIGGER changes_page_insert AFTER INSERT ON pages
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
CREATE TRIGGER changes_page_update AFTER UPDATE ON pages
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
CREATE TRIGGER changes_page_delete AFTER DELETE ON pages
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;

-- The hand-arranged front page.
CREATE TRIGGER changes_front_insert AFTER INSERT ON front_slots
BEGIN INSERT INTO changes (subject, id) VALUES ('listing', NULL); END;
CREATE TRIGGER changes_front_update AFTER UPDATE ON front_slots
BEGIN INSERT INTO changes (subject, id) VALUES ('listing', NULL); END;
CREATE TRIGGER changes_front_delete AFTER DELETE ON front_slots
BEGIN INSERT INTO changes (subject, id) VALUES ('listing', NULL); END;

-- A library image's alt text, caption or credit shows wherever it is used.
CREATE TRIGGER changes_media_update AFTER UPDATE ON media
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
CREATE TRIGGER changes_media_delete AFTER DELETE ON media
BEGIN INSERT INTO changes (subject, id) VALUES ('site', NULL); END;
