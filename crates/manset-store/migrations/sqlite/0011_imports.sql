-- Imports from other platforms (WordPress first).
--
-- `imported` remembers every thing an import brought in, by its key in the
-- source, with a hash of what was imported: the same file imported again
-- finds every key with the same hash and changes nothing.
CREATE TABLE imported (
    source     TEXT    NOT NULL,  -- 'wordpress:<base site URL>'
    kind       TEXT    NOT NULL,  -- 'post', 'page', 'comment', 'author', 'category', 'tag'
    key        TEXT    NOT NULL,  -- the thing's id in the source
    target_id  INTEGER,           -- ours (NULL for what was skipped)
    hash       TEXT    NOT NULL,
    PRIMARY KEY (source, kind, key)
);

-- Addresses of the old site that lead to ours for good (301): `/?p=12`,
-- `/2012/03/15/a-post/`, `/category/news/`. The target is looked up when the
-- address is asked for, so a later rename still leads to the right place.
CREATE TABLE legacy_paths (
    path       TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL,  -- 'article', 'page', 'category', 'tag'
    target_id  INTEGER NOT NULL
);

-- WordPress categories nest; ours may too (a child's page lists its own articles).
ALTER TABLE categories ADD COLUMN parent_id INTEGER REFERENCES categories (id) ON DELETE SET NULL;

-- A page that is not public yet (imported drafts): readers get 404, the newsroom sees it.
ALTER TABLE pages ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
