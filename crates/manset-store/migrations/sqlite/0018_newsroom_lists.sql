-- The newsroom's lists at archive scale: the desk pages through every
-- article by publication time or by last change without sorting the table,
-- reading status and creator from the index (the trash is left out and a
-- member's own are picked there).
CREATE INDEX articles_desk_published ON articles (published_at DESC, id DESC, status, created_by);
CREATE INDEX articles_desk_changed ON articles (modified_at DESC, id DESC, status, created_by);

-- The desk searches every article through the search index, so what
-- readers never see changes the index too: 'newsroom' rows name an article
-- that is not published (nor was before the change) whose text, filing or
-- status moved. Search catch-ups on every app server read them; page caches
-- pass over them (no page shows such an article).
CREATE TRIGGER changes_newsroom_insert AFTER INSERT ON articles
WHEN NEW.status <> 'published'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('newsroom', NEW.id);
END;

CREATE TRIGGER changes_newsroom_update AFTER UPDATE ON articles
WHEN OLD.status <> 'published' AND NEW.status <> 'published'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('newsroom', NEW.id);
END;

CREATE TRIGGER changes_newsroom_delete AFTER DELETE ON articles
WHEN OLD.status <> 'published'
BEGIN
    INSERT INTO changes (subject, id) VALUES ('newsroom', OLD.id);
END;

CREATE TRIGGER changes_newsroom_tags_insert AFTER INSERT ON article_tags
WHEN EXISTS (SELECT 1 FROM articles WHERE id = NEW.article_id AND status <> 'published')
BEGIN
    INSERT INTO changes (subject, id) VALUES ('newsroom', NEW.article_id);
END;

CREATE TRIGGER changes_newsroom_tags_delete AFTER DELETE ON article_tags
WHEN EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id AND status <> 'published')
BEGIN
    INSERT INTO changes (subject, id) VALUES ('newsroom', OLD.article_id);
END;
