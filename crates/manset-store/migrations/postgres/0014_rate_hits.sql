-- Attempts counted per key (what was tried, from which address) in a sliding
-- window, in the database so that every app server of a site counts the
-- same attempts. Transient: old rows are deleted as they leave the window,
-- and the table is not part of a dump.
CREATE TABLE rate_hits (
    key  TEXT COLLATE "C"   NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX rate_hits_key ON rate_hits (key, at);
