-- The newsroom's lists at archive scale: the desk pages through every
-- article by publication time or by last change without sorting the table,
-- reading status and creator from the index (the trash is left out and a
-- member's own are picked there), and the tags screen pages by name.
CREATE INDEX articles_desk_published ON articles (published_at DESC, id DESC, status, created_by);
CREATE INDEX articles_desk_changed ON articles (modified_at DESC, id DESC, status, created_by);
CREATE INDEX tags_name ON tags (name, id);
