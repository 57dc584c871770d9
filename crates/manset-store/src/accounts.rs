//! Newsroom accounts, sessions and login throttling.
//!
//! Invariant: password hashes leave this module only inside [`Credentials`],
//! which the login check consumes; session tokens are never stored, only
//! their hashes.

use jiff::Timestamp;
use manset_core::{Role, User};

use crate::db::{Row, query};
use crate::read::Cols;
use crate::{Store, StoreError};

/// What the login check needs: the account and its password hash.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// A throttled key's state after a failed login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// Failures in a row, counting this one.
    pub count: u32,
    /// Locked until then, if locked.
    pub locked_until: Option<Timestamp>,
}

fn user_from_row(row: &Row) -> Result<User, StoreError> {
    let role: String = row.col(3)?;
    Ok(User {
        id: row.col(0)?,
        email: row.col(1)?,
        name: row.col(2)?,
        role: role.parse().map_err(|e: String| StoreError::Decode(e.to_string()))?,
    })
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Store {
    /// Creates an account; `None` when the e-mail address is taken.
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>, StoreError> {
        let email = email.trim().to_lowercase();
        let id: Option<i64> = query(
            "INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(&email)
        .bind(name.trim())
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now.as_second())
        .scalar_optional(&self.db)
        .await?;
        Ok(id.map(|id| User { id, email, name: name.trim().to_owned(), role }))
    }

    /// The enabled account with this e-mail address, with its password hash.
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let row =
            query("SELECT id, email, name, role, password_hash FROM users WHERE email = ?1 AND disabled_at IS NULL")
                .bind(email.trim().to_lowercase())
                .fetch_optional(&self.db)
                .await?;
        Ok(match row {
            Some(r) => Some(Credentials { user: user_from_row(&r)?, password_hash: r.col(4)? }),
            None => None,
        })
    }

    /// The password hash of account `user_id`.
    pub async fn password_hash(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        query("SELECT password_hash FROM users WHERE id = ?1").bind(user_id).scalar_optional(&self.db).await
    }

    /// Replaces a password and ends every session of the account but `keep`.
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let done = query("UPDATE users SET password_hash = ?1 WHERE id = ?2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        query("DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> COALESCE(?2, '')")
            .bind(user_id)
            .bind(keep)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Every account, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = query("SELECT id, email, name, role FROM users WHERE disabled_at IS NULL ORDER BY name, id")
            .fetch_all(&self.db)
            .await?;
        rows.iter().map(user_from_row).collect::<Result<_, _>>()
    }

    /// Every account, enabled or not, by name, with when it was disabled.
    pub async fn all_users(&self) -> Result<Vec<(User, Option<Timestamp>)>, StoreError> {
        let rows =
            query("SELECT id, email, name, role, disabled_at FROM users ORDER BY disabled_at IS NOT NULL, name, id")
                .fetch_all(&self.db)
                .await?;
        rows.iter()
            .map(|r| {
                let disabled: Option<i64> = r.col(4)?;
                Ok((user_from_row(r)?, disabled.and_then(|t| Timestamp::from_second(t).ok())))
            })
            .collect::<Result<_, StoreError>>()
    }

    /// Gives an account another role; `None` if there is no such account,
    /// else its role before.
    pub async fn set_user_role(&self, id: i64, role: Role) -> Result<Option<Role>, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let before: Option<String> =
            query("SELECT role FROM users WHERE id = ?1").bind(id).scalar_optional(&mut tx).await?;
        let Some(before) = before else { return Ok(None) };
        query("UPDATE users SET role = ?1 WHERE id = ?2").bind(role.as_str()).bind(id).execute(&mut tx).await?;
        tx.commit().await?;
        Ok(before.parse().ok())
    }

    /// Disables an account (`Some(now)`) and ends its sessions, or enables it
    /// again (`None`); `false` if there is no such account.
    pub async fn set_user_disabled(&self, id: i64, at: Option<Timestamp>) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let done = query("UPDATE users SET disabled_at = ?1 WHERE id = ?2")
            .bind(at.map(|t| t.as_second()))
            .bind(id)
            .execute(&mut tx)
            .await?;
        if at.is_some() {
            query("DELETE FROM sessions WHERE user_id = ?1").bind(id).execute(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(done == 1)
    }

    /// How many enabled accounts exist.
    pub async fn user_count(&self) -> Result<u64, StoreError> {
        let n: i64 = query("SELECT COUNT(*) FROM users WHERE disabled_at IS NULL").scalar(&self.db).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Starts a session for `user_id` under the hash of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?3)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now.as_second())
        .bind(expires_at.as_second())
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// The account of a live session: not expired, not idle longer than
    /// `idle_seconds`, account enabled. Marks the session as seen.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now: Timestamp,
        idle_seconds: i64,
    ) -> Result<Option<User>, StoreError> {
        let row = query(
            "SELECT u.id, u.email, u.name, u.role, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?3 AND u.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(now.as_second())
        .bind(now.as_second() - idle_seconds)
        .fetch_optional(&self.db)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last_seen: i64 = row.col(4)?;
        // Writing on every request would serialize readers behind the writer; a minute is precise enough.
        if now.as_second() - last_seen > 60 {
            query("UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2")
                .bind(now.as_second())
                .bind(token_hash)
                .execute(&self.db)
                .await?;
        }
        Ok(Some(user_from_row(&row)?))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        query("DELETE FROM sessions WHERE token_hash = ?1").bind(token_hash).execute(&self.db).await?;
        Ok(())
    }

    /// Until when `key` is locked out, if it is.
    pub async fn login_locked_until(&self, key: &str, now: Timestamp) -> Result<Option<Timestamp>, StoreError> {
        let until: Option<Option<i64>> =
            query("SELECT locked_until FROM login_failures WHERE key = ?1").bind(key).scalar_optional(&self.db).await?;
        Ok(until.flatten().filter(|u| *u > now.as_second()).map(ts))
    }

    /// Counts a failed login for `key`: failures older than `window_seconds`
    /// are forgotten; reaching `lock_after` locks the key for `lock_seconds`.
    pub async fn record_login_failure(
        &self,
        key: &str,
        now: Timestamp,
        window_seconds: i64,
        lock_after: u32,
        lock_seconds: i64,
    ) -> Result<Failures, StoreError> {
        let now_s = now.as_second();
        let mut tx = self.db.begin_write().await?;
        let previous: Option<(i64, i64)> = query("SELECT failures, last_failure FROM login_failures WHERE key = ?1")
            .bind(key)
            .fetch_optional_as(&mut tx)
            .await?;
        let count = match previous {
            Some((n, last)) if now_s - last < window_seconds => n + 1,
            _ => 1,
        };
        let locked_until = (count >= i64::from(lock_after)).then_some(now_s + lock_seconds);
        query(
            "INSERT INTO login_failures (key, failures, last_failure, locked_until) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure, \
             locked_until = excluded.locked_until",
        )
        .bind(key)
        .bind(count)
        .bind(now_s)
        .bind(locked_until)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(Failures { count: u32::try_from(count).unwrap_or(u32::MAX), locked_until: locked_until.map(ts) })
    }

    /// Forgets the failures of `key` (after a successful login).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        query("DELETE FROM login_failures WHERE key = ?1").bind(key).execute(&self.db).await?;
        Ok(())
    }

    /// Records an attempt under `key` (say `comment:203.0.113.9`) at `now`
    /// and says whether it is within `limit` attempts in the last `window`
    /// seconds (0 = no limit). Refused attempts count too, so a flood stays
    /// refused. Counted in the database: every app server sees the same.
    pub async fn allow_attempt(&self, key: &str, limit: u32, window: i64, now: Timestamp) -> Result<bool, StoreError> {
        if limit == 0 {
            return Ok(true);
        }
        let now = now.as_second();
        let mut tx = self.db.begin_write().await?;
        query("DELETE FROM rate_hits WHERE key = ?1 AND at <= ?2")
            .bind(key)
            .bind(now - window)
            .execute(&mut tx)
            .await?;
        query("INSERT INTO rate_hits (key, at) VALUES (?1, ?2)").bind(key).bind(now).execute(&mut tx).await?;
        let count: i64 = query("SELECT COUNT(*) FROM rate_hits WHERE key = ?1").bind(key).scalar(&mut tx).await?;
        tx.commit().await?;
        Ok(count <= i64::from(limit))
    }

    /// Forgets attempts older than `window` seconds before `now` under keys
    /// that were not tried again.
    pub async fn prune_attempts(&self, window: i64, now: Timestamp) -> Result<u64, StoreError> {
        query("DELETE FROM rate_hits WHERE at <= ?1").bind(now.as_second() - window).execute(&self.db).await
    }
}
