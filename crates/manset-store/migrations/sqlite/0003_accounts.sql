-- Newsroom accounts, their sessions, and login throttling.
--
-- Sessions are stored by the SHA-256 of their token, so a copy of the
-- database does not let anyone log in. E-mail addresses are stored lowercased.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    disabled_at    INTEGER
);

CREATE TABLE sessions (
    token_hash     TEXT    PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

-- One row per throttled key (`email:<address>` or `ip:<address>`).
CREATE TABLE login_failures (
    key            TEXT    PRIMARY KEY,
    failures       INTEGER NOT NULL,
    last_failure   INTEGER NOT NULL,
    locked_until   INTEGER
);
