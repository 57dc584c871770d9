-- The newsroom, part 2: the audit log, staff replies to comments, static
-- pages, the hand-arranged front page and breaking news.

-- Who did what and when. `actor` and `subject` are copied as text, so an
-- entry still reads right after the account or the article is gone.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    subject     TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT '',
    ip          TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- A reply written in the newsroom carries its author's account.
ALTER TABLE comments ADD COLUMN staff_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- Static pages: Hakkımızda, İletişim, Künye. `menu_position` NULL = not in
-- the footer menu.
CREATE TABLE pages (
    id             INTEGER PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    body_html      TEXT    NOT NULL,
    menu_position  INTEGER,
    created_at     INTEGER NOT NULL,
    modified_at    INTEGER NOT NULL
);

-- The front page as editors arrange it: slot 0 is the lead story.
CREATE TABLE front_slots (
    position    INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

-- "Son dakika": shown in the ticker on every page until this time.
ALTER TABLE articles ADD COLUMN breaking_until INTEGER;
