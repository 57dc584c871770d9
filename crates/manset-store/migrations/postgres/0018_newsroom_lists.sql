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
CREATE FUNCTION changes_newsroom_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO changes (subject, id) VALUES ('newsroom', OLD.id);
    ELSE
        INSERT INTO changes (subject, id) VALUES ('newsroom', NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER changes_newsroom_insert AFTER INSERT ON articles
FOR EACH ROW WHEN (NEW.status <> 'published')
EXECUTE FUNCTION changes_newsroom_row();
CREATE TRIGGER changes_newsroom_update AFTER UPDATE ON articles
FOR EACH ROW WHEN (OLD.status <> 'published' AND NEW.status <> 'published')
EXECUTE FUNCTION changes_newsroom_row();
CREATE TRIGGER changes_newsroom_delete AFTER DELETE ON articles
FOR EACH ROW WHEN (OLD.status <> 'published')
EXECUTE FUNCTION changes_newsroom_row();

CREATE FUNCTION changes_newsroom_tags() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    article BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        article := OLD.article_id;
    ELSE
        article := NEW.article_id;
    END IF;
    IF EXISTS (SELECT 1 FROM articles WHERE id = article AND status <> 'published') THEN
        INSERT INTO changes (subject, id) VALUES ('newsroom', article);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER changes_newsroom_tags_insert AFTER INSERT ON article_tags
FOR EACH ROW EXECUTE FUNCTION changes_newsroom_tags();
CREATE TRIGGER changes_newsroom_tags_delete AFTER DELETE ON article_tags
FOR EACH ROW EXECUTE FUNCTION changes_newsroom_tags();
