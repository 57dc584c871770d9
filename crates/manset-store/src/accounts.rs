//! Newsroom accounts, sessions, their second factor, and the counting of
//! attempts at their secrets.
//!
//! Invariants: password hashes leave this module only inside [`Credentials`],
//! which the login check consumes; session tokens and recovery codes are never
//! stored, only their hashes; an attempt at a secret is counted (reserved)
//! before the secret is checked, under the writers' lock.

use jiff::Timestamp;
use manset_core::throttle::Policy;
use manset_core::{Role, User};

use crate::db::{Row, query};
use crate::read::Cols;
use crate::{Store, StoreError};

/// What the login check needs: the account and its password hash.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// Whether a right password still needs a TOTP code.
    pub two_factor: bool,
}

/// Whether an attempt at a secret may be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted as a failure until refunded: check the secret now.
    Granted,
    /// Too many failures in a row under one of the keys: not before then.
    Wait { until: Timestamp },
}

/// A live session's member.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    /// Whether the member signs in with a TOTP code too.
    pub two_factor: bool,
}

/// A member's second factor, as the code check needs it.
#[derive(Debug, Clone)]
pub struct TwoFactor {
    /// The TOTP secret, base32.
    pub secret: String,
    /// The time step of the last code accepted: a code works once.
    pub last_step: Option<i64>,
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
        let email = manset_core::email::normalize(email);
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
        let row = query(
            "SELECT id, email, name, role, password_hash, totp_secret IS NOT NULL FROM users \
                 WHERE email = ?1 AND disabled_at IS NULL",
        )
        .bind(manset_core::email::normalize(email))
        .fetch_optional(&self.db)
        .await?;
        Ok(match row {
            Some(r) => {
                Some(Credentials { user: user_from_row(&r)?, password_hash: r.col(4)?, two_factor: r.col::<bool>(5)? })
            }
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
    ) -> Result<Option<SessionUser>, StoreError> {
        let row = query(
            "SELECT u.id, u.email, u.name, u.role, s.last_seen_at, u.totp_secret IS NOT NULL \
             FROM sessions s JOIN users u ON u.id = s.user_id \
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
        Ok(Some(SessionUser { user: user_from_row(&row)?, two_factor: row.col::<bool>(5)? }))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        query("DELETE FROM sessions WHERE token_hash = ?1").bind(token_hash).execute(&self.db).await?;
        Ok(())
    }

    /// Reserves one attempt at a secret under every key of `keys`, before
    /// the secret is checked: the attempt counts as a failure now, and
    /// [`Store::refund_attempt`] takes it back if the secret was right. One
    /// transaction under the writers' lock, so however many attempts arrive
    /// at once, through however many app servers, no more secrets are
    /// checked than the policies allow. A refused attempt changes nothing:
    /// waiting out the delay is never made longer by trying meanwhile.
    pub async fn reserve_attempt(&self, keys: &[(&str, Policy)], now: Timestamp) -> Result<Attempt, StoreError> {
        let now_s = now.as_second();
        let mut tx = self.db.begin_write().await?;
        let mut counts = Vec::with_capacity(keys.len());
        let mut wait_until = None;
        for (key, policy) in keys {
            let row: Option<(i64, i64, Option<i64>)> =
                query("SELECT failures, last_failure, not_before FROM login_failures WHERE key = ?1")
                    .bind(*key)
                    .fetch_optional_as(&mut tx)
                    .await?;
            let (failures, not_before) = match row {
                Some((n, last, not_before)) => {
                    (policy.remembered(u32::try_from(n).unwrap_or(u32::MAX), last, now_s), not_before.unwrap_or(0))
                }
                None => (0, 0),
            };
            if failures > 0 && not_before > now_s {
                wait_until = wait_until.max(Some(not_before));
            }
            counts.push(failures);
        }
        if let Some(until) = wait_until {
            // Nothing written: the transaction ends unused.
            return Ok(Attempt::Wait { until: ts(until) });
        }
        for ((key, policy), failures) in keys.iter().zip(counts) {
            let failures = failures.saturating_add(1);
            query(
                "INSERT INTO login_failures (key, failures, last_failure, not_before) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure, \
                 not_before = excluded.not_before",
            )
            .bind(*key)
            .bind(i64::from(failures))
            .bind(now_s)
            .bind(now_s + policy.wait_after(failures))
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Attempt::Granted)
    }

    /// Takes back an attempt [`Store::reserve_attempt`] counted, because the
    /// secret was right: the keys' failures are one fewer, and their delay
    /// is the one that many failures earn, from the last failure.
    pub async fn refund_attempt(&self, keys: &[(&str, Policy)]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        for (key, policy) in keys {
            let row: Option<(i64, i64)> = query("SELECT failures, last_failure FROM login_failures WHERE key = ?1")
                .bind(*key)
                .fetch_optional_as(&mut tx)
                .await?;
            let Some((failures, last)) = row else { continue };
            let failures = u32::try_from(failures - 1).unwrap_or(0);
            query("UPDATE login_failures SET failures = ?1, not_before = ?2 WHERE key = ?3")
                .bind(i64::from(failures))
                .bind(last + policy.wait_after(failures))
                .bind(*key)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failures of `key` (after a successful login).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        query("DELETE FROM login_failures WHERE key = ?1").bind(key).execute(&self.db).await?;
        Ok(())
    }

    /// The enabled account `user_id`.
    pub async fn user(&self, user_id: i64) -> Result<Option<User>, StoreError> {
        let row = query("SELECT id, email, name, role FROM users WHERE id = ?1 AND disabled_at IS NULL")
            .bind(user_id)
            .fetch_optional(&self.db)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// The second factor of account `user_id`, if it has one.
    pub async fn two_factor(&self, user_id: i64) -> Result<Option<TwoFactor>, StoreError> {
        let row: Option<(Option<String>, Option<i64>)> =
            query("SELECT totp_secret, totp_last_step FROM users WHERE id = ?1 AND disabled_at IS NULL")
                .bind(user_id)
                .fetch_optional_as(&self.db)
                .await?;
        Ok(row.and_then(|(secret, last_step)| secret.map(|secret| TwoFactor { secret, last_step })))
    }

    /// Marks time step `step` as used by account `user_id`, if no code of
    /// this step or a later one was used before: `false` is a replay. The
    /// check and the write are one statement, so two requests carrying the
    /// same code cannot both pass.
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        let done = query(
            "UPDATE users SET totp_last_step = ?1 WHERE id = ?2 AND totp_secret IS NOT NULL \
             AND (totp_last_step IS NULL OR totp_last_step < ?1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(&self.db)
        .await?;
        Ok(done == 1)
    }

    /// Turns on the second factor of account `user_id` with `secret`
    /// (base32), confirmed by the code of time step `step`, and replaces its
    /// recovery codes by `code_hashes`. `false` (and nothing written) if the
    /// account has one already.
    pub async fn enable_two_factor(
        &self,
        user_id: i64,
        secret: &str,
        step: i64,
        code_hashes: &[String],
    ) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let done = query(
            "UPDATE users SET totp_secret = ?1, totp_last_step = ?2 WHERE id = ?3 AND totp_secret IS NULL \
             AND disabled_at IS NULL",
        )
        .bind(secret)
        .bind(step)
        .bind(user_id)
        .execute(&mut tx)
        .await?;
        if done != 1 {
            return Ok(false);
        }
        query("DELETE FROM recovery_codes WHERE user_id = ?1").bind(user_id).execute(&mut tx).await?;
        for hash in code_hashes {
            query("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)")
                .bind(user_id)
                .bind(hash.as_str())
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Turns off the second factor of account `user_id` and forgets its
    /// recovery codes.
    pub async fn disable_two_factor(&self, user_id: i64) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let done = query("UPDATE users SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?1")
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        query("DELETE FROM recovery_codes WHERE user_id = ?1").bind(user_id).execute(&mut tx).await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Uses up the unused recovery code of account `user_id` whose hash is
    /// `code_hash`: the codes left afterwards, or `None` if there is no such
    /// unused code. One statement marks it, so a code works once.
    pub async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        now: Timestamp,
    ) -> Result<Option<u32>, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let done =
            query("UPDATE recovery_codes SET used_at = ?1 WHERE user_id = ?2 AND code_hash = ?3 AND used_at IS NULL")
                .bind(now.as_second())
                .bind(user_id)
                .bind(code_hash)
                .execute(&mut tx)
                .await?;
        if done != 1 {
            return Ok(None);
        }
        let left: i64 = query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL")
            .bind(user_id)
            .scalar(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(Some(u32::try_from(left).unwrap_or(0)))
    }

    /// How many unused recovery codes account `user_id` has.
    pub async fn recovery_codes_left(&self, user_id: i64) -> Result<u32, StoreError> {
        let left: i64 = query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL")
            .bind(user_id)
            .scalar(&self.db)
            .await?;
        Ok(u32::try_from(left).unwrap_or(0))
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
        // Transient counts: a power cut may forget the last moment's hits.
        let mut tx = self.db.begin_write_relaxed().await?;
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
