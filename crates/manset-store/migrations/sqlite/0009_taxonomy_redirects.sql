-- A renamed category or tag keeps its old address: it redirects here.
CREATE TABLE taxonomy_redirects (
    kind       TEXT    NOT NULL,   -- 'category' or 'tag'
    old_slug   TEXT    NOT NULL,
    target_id  INTEGER NOT NULL,
    PRIMARY KEY (kind, old_slug)
);
