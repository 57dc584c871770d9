//! Passwords (argon2id) and session tokens.
//!
//! Invariants: a password is never stored or logged, only its argon2id hash;
//! a session token is handed to the browser once and stored only as its
//! SHA-256; checking an unknown e-mail costs the same as a wrong password.

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
}
