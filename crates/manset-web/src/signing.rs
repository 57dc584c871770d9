//! Signed values: form tokens and cookies the server must be able to trust
//! when they come back (HMAC-SHA256 with the site's secret).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Signs and checks values with the site's secret.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(…)")
    }
}

impl Signer {
    pub fn new(key: &[u8]) -> Signer {
        Signer { key: key.to_vec() }
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes keys of any length, so this cannot fail.
        HmacSha256::new_from_slice(&self.key).expect("HMAC accepts any key length")
    }

    /// `payload.signature`; `payload` must be cookie-safe text without `.`.
    pub fn sign(&self, payload: &str) -> String {
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        format!("{payload}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    /// The payload of a value this signer signed, or `None` for anything else.
    pub fn verify<'a>(&self, signed: &'a str) -> Option<&'a str> {
        let (payload, signature) = signed.rsplit_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        // Constant-time comparison.
        mac.verify_slice(&signature).ok()?;
        Some(payload)
    }
}

/// 32 random bytes from the operating system, hex-encoded: a new site secret.
pub fn fresh_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_values_verify_and_tampered_ones_do_not() {
        let signer = Signer::new(b"secret");
        let token = signer.sign("f:12:1700000000");
        assert_eq!(signer.verify(&token), Some("f:12:1700000000"));
        assert_eq!(signer.verify(&token.replace("f:12", "f:13")), None);
        assert_eq!(Signer::new(b"other").verify(&token), None);
        assert_eq!(signer.verify("f:12:1700000000"), None);
        assert_eq!(signer.verify(""), None);
    }

    #[test]
    fn fresh_secrets_differ() {
        let (a, b) = (fresh_secret().unwrap(), fresh_secret().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
