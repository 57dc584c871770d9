//! Passwords (argon2id), session tokens, and the random parts of two-factor
//! sign-in (TOTP secrets, recovery codes; the codes themselves are
//! `manset_core::totp`).
//!
//! Invariants: a password is never stored or logged, only its argon2id hash;
//! a session token is handed to the browser once and stored only as its
//! SHA-256, and so is a recovery code; checking an unknown e-mail costs the
//! same as a wrong password.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct HashError(String);

/// The argon2id hash of `password` in PHC format, with a random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        // An account without a password (imported, not yet invited) answers
        // as slowly as a wrong password: its existence does not show.
        Err(_) => {
            verify_against_nothing(password);
            false
        }
    }
}

/// Spends the time of one password check, so that a login for an unknown
/// address answers as slowly as one with a wrong password.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("no account has this password").unwrap_or_default());
    let _ = verify_password(password, hash);
}

/// A new session token (sent to the browser) and its hash (stored).
pub fn new_session_token() -> Result<(String, String), getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// A new TOTP secret from the operating system's random source.
pub fn new_totp_secret() -> Result<manset_core::totp::Secret, getrandom::Error> {
    let mut bytes = [0u8; manset_core::totp::SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(manset_core::totp::Secret::from_bytes(&bytes))
}

/// New recovery codes, as they are shown once.
pub fn new_recovery_codes() -> Result<Vec<String>, getrandom::Error> {
    (0..manset_core::totp::RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; manset_core::totp::RECOVERY_CODE_BYTES];
            getrandom::fill(&mut bytes)?;
            Ok(manset_core::totp::recovery_code(&bytes))
        })
        .collect()
}

/// The stored form of a recovery code: the SHA-256 of its normalized text
/// (`manset_core::totp::normalize_recovery_code`). Its 80 random bits make
/// a slow hash unnecessary.
pub fn recovery_code_hash(normalized: &str) -> String {
    token_hash(normalized)
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("doğru parola 123").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("doğru parola 123", &hash));
        assert!(!verify_password("yanlış parola 123", &hash));
        assert!(!verify_password("doğru parola 123", "not a hash"));
    }

    #[test]
    fn session_tokens_are_random_and_stored_hashed() {
        let (a, ha) = new_session_token().unwrap();
        let (b, _) = new_session_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), ha);
        assert_ne!(a, ha);
    }

    #[test]
    fn recovery_codes_are_ten_different_ones_that_read_back() {
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert!(codes.iter().all(|c| manset_core::totp::normalize_recovery_code(c).is_some()), "{codes:?}");
    }
}
