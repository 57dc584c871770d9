//! Two-factor sign-in codes: TOTP (RFC 6238 over RFC 4226's HOTP) as every
//! authenticator app makes them, SHA-1, six digits, 30-second steps, and the
//! one-time recovery codes given beside them.
//!
//! Invariants: no I/O and no clock (the time is always a parameter, so tests
//! move it); a secret never shows in `Debug` output or an error; a code is
//! accepted for one step at most once (`verify` takes the last step used).

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds a code is current.
pub const STEP_SECONDS: i64 = 30;
/// Steps accepted either side of the current one: a phone's clock may be
/// half a minute off, and a code typed at a step's end arrives in the next.
pub const WINDOW: i64 = 1;
/// Bytes of a new secret: 160 bits, the HMAC-SHA-1 block's own size (RFC 4226 §4).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Random bytes of a recovery code: 80 bits, sixteen base32 characters, far
/// beyond guessing even from a leaked table of their SHA-256 hashes.
pub const RECOVERY_CODE_BYTES: usize = 10;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A shared TOTP secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Text that is not a base32 secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a base32 secret of at least 16 bytes (RFC 4648 letters A–Z and digits 2–7)")]
pub struct InvalidSecret;

impl Secret {
    /// A secret of these bytes (from the operating system's random source).
    pub fn from_bytes(bytes: &[u8]) -> Secret {
        Secret(bytes.to_vec())
    }

    /// Reads the base32 form (any case, spaces and `=` padding ignored).
    pub fn from_base32(text: &str) -> Result<Secret, InvalidSecret> {
        let bytes = base32_decode(text).ok_or(InvalidSecret)?;
        // RFC 4226 §4: at least 128 bits.
        if bytes.len() < 16 {
            return Err(InvalidSecret);
        }
        Ok(Secret(bytes))
    }

    /// The base32 form, without padding: what an app takes typed in, and
    /// what the store keeps.
    pub fn to_base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// The code of time step `step` (RFC 4226's counter).
    fn hotp(&self, step: i64) -> u32 {
        // HMAC takes keys of any length, so this cannot fail.
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&self.0) else { return 0 };
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        // Dynamic truncation (RFC 4226 §5.3).
        let offset = usize::from(digest[19] & 0x0f);
        let binary = u32::from_be_bytes([digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]])
            & 0x7fff_ffff;
        binary % 1_000_000
    }

    /// The six-digit code current at `unix_seconds`.
    pub fn code_at(&self, unix_seconds: i64) -> String {
        format!("{:06}", self.hotp(step_at(unix_seconds)))
    }

    /// The time step a typed `code` belongs to, if it is the code of a step
    /// within [`WINDOW`] of `unix_seconds` and later than `last_used` (the
    /// step of the code accepted before: a code, or an older one, is refused
    /// the second time). Spaces in the code are ignored.
    pub fn verify(&self, code: &str, unix_seconds: i64, last_used: Option<i64>) -> Option<i64> {
        let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if typed.len() != DIGITS || !typed.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now = step_at(unix_seconds);
        let mut found = None;
        // Every step in the window is computed and compared in constant
        // time, whether or not one matched already.
        for step in now - WINDOW..=now + WINDOW {
            let expected = format!("{:06}", self.hotp(step));
            if same(expected.as_bytes(), typed.as_bytes()) && last_used.is_none_or(|last| step > last) {
                found = found.or(Some(step));
            }
        }
        found
    }
}

/// The time step of `unix_seconds` (RFC 6238: T0 = 0, X = 30).
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// Whether `a` and `b` are equal, in time that depends only on their length.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A recovery code as it is shown: sixteen lowercase base32 characters of
/// `bytes`, in groups of four (`abcd-efgh-ijkl-mnop`).
pub fn recovery_code(bytes: &[u8; RECOVERY_CODE_BYTES]) -> String {
    let plain = base32_encode(bytes).to_ascii_lowercase();
    let groups: Vec<&str> = plain.as_bytes().chunks(4).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    groups.join("-")
}

/// A typed recovery code in the one form that is hashed and compared
/// (lowercase, without dashes or spaces), or `None` if it cannot be one.
pub fn normalize_recovery_code(typed: &str) -> Option<String> {
    let plain: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
    let valid = plain.len() == 16 && plain.bytes().all(|b| ALPHABET.contains(&b.to_ascii_uppercase()));
    valid.then_some(plain)
}

/// RFC 4648 base32, uppercase, without padding.
fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// RFC 4648 base32 in any case; spaces and padding ignored.
fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|b| !b.is_ascii_whitespace() && *b != b'=') {
        let value = ALPHABET.iter().position(|&a| a == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret.
    fn rfc_secret() -> Secret {
        Secret::from_bytes(b"12345678901234567890")
    }

    #[test]
    fn codes_match_rfc_6238s_test_vectors() {
        // Appendix B gives eight digits; six are their last six.
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(rfc_secret().code_at(time), eight[2..], "at {time}");
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("mzxw6ytboi======"), Some(b"foobar".to_vec()));
        assert_eq!(base32_decode("MZXW 6YTB OI"), Some(b"foobar".to_vec()));
        assert_eq!(base32_decode("MZXW1"), None, "1 is not base32");
        let secret = rfc_secret();
        assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(Secret::from_base32(&secret.to_base32()), Ok(secret));
        assert_eq!(Secret::from_base32("MZXW6YTBOI"), Err(InvalidSecret), "too short");
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_only_once() {
        let secret = rfc_secret();
        let now = 1_234_567_890;
        let step = step_at(now);
        assert_eq!(secret.verify(&secret.code_at(now), now, None), Some(step));
        assert_eq!(secret.verify(&secret.code_at(now - 30), now, None), Some(step - 1), "a phone a little late");
        assert_eq!(secret.verify(&secret.code_at(now + 30), now, None), Some(step + 1), "a phone a little early");
        assert_eq!(secret.verify(&secret.code_at(now - 60), now, None), None, "two steps old");
        assert_eq!(secret.verify(&secret.code_at(now + 60), now, None), None, "two steps ahead");
        // Replay: the same step again, or an older one, is refused.
        assert_eq!(secret.verify(&secret.code_at(now), now, Some(step)), None);
        assert_eq!(secret.verify(&secret.code_at(now - 30), now, Some(step)), None);
        assert_eq!(secret.verify(&secret.code_at(now + 30), now, Some(step)), Some(step + 1));
        let spaced = format!("{} {}", &secret.code_at(now)[..3], &secret.code_at(now)[3..]);
        assert_eq!(secret.verify(&spaced, now, None), Some(step), "spaces are ignored");
        for bad in ["", "12345", "1234567", "abcdef", "12345x"] {
            assert_eq!(secret.verify(bad, now, None), None, "{bad:?}");
        }
    }

    #[test]
    fn recovery_codes_are_grouped_and_read_back_in_any_case() {
        let code = recovery_code(&[0xff; RECOVERY_CODE_BYTES]);
        assert_eq!(code, "7777-7777-7777-7777");
        assert_eq!(normalize_recovery_code(" 7777-7777-7777-7777 ").as_deref(), Some("7777777777777777"));
        let mixed = recovery_code(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(normalize_recovery_code(&mixed.to_uppercase()), normalize_recovery_code(&mixed));
        assert_eq!(normalize_recovery_code("123456"), None, "a TOTP code is not a recovery code");
        assert_eq!(normalize_recovery_code("0000-0000-0000-0000"), None, "0 is not base32");
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        assert_eq!(format!("{:?}", rfc_secret()), "Secret(…)");
    }
}
