-- Login throttling without lock-outs, and two-factor sign-in.
--
-- login_failures now holds growing delays rather than locks: `not_before`
-- is the earliest second the key's next attempt is checked. Keys are
-- `login:<e-mail>|<address>` and `login-ip:<address>`; the old rows (other
-- keys, locks) mean nothing any more.
DELETE FROM login_failures;
ALTER TABLE login_failures RENAME COLUMN locked_until TO not_before;

-- A member's TOTP secret (base32), set once they confirmed a code from their
-- app; NULL: no second factor. The last time step accepted, so a code works
-- once.
ALTER TABLE users ADD COLUMN totp_secret TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- One-time recovery codes, only as the SHA-256 of their normalized text.
CREATE TABLE recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
    code_hash  TEXT COLLATE "C"   NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
