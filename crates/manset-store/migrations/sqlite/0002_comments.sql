-- Reader comments: threading depth, the poster's address for abuse handling
-- (never shown publicly), and site settings (key/value, including the
-- signing secret, so every app server of a site shares it).

ALTER TABLE comments ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN author_ip TEXT;

CREATE INDEX comments_email ON comments (author_email, status);
CREATE INDEX comments_status ON comments (status, created_at);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
