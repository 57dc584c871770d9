//! E-mail addresses: the one form the site keeps and compares them in
//! (surrounding spaces gone, lowercased: `Ayse@Example.com ` and
//! `ayse@example.com` are one member, one commenter), and the practical
//! check of what can be one.
//!
//! Invariant: every address written to the database or compared with one
//! went through [`normalize`] (directly, or through [`Email::parse`]); no
//! other code trims or lowercases an address.

use std::fmt;
use std::str::FromStr;

/// Longest address accepted, in bytes (RFC 5321's path limit less its `<>`).
pub const MAX_LEN: usize = 254;

/// An address in its one form (trimmed, lowercased) that passed
/// [`is_valid`]. Made only by [`Email::parse`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

/// Why a text is not an [`Email`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEmail {
    /// Nothing but spaces was given.
    #[error("no e-mail address was given")]
    Missing,
    /// Something was given, but it cannot be an address: a local part, an
    /// `@`, and a domain of at least two labels are needed.
    #[error("not an e-mail address (name@example.com)")]
    Malformed,
}

impl Email {
    /// `text` trimmed and lowercased, if that is an address.
    pub fn parse(text: &str) -> Result<Email, InvalidEmail> {
        let address = normalize(text);
        if address.is_empty() {
            Err(InvalidEmail::Missing)
        } else if is_valid(&address) {
            Ok(Email(address))
        } else {
            Err(InvalidEmail::Malformed)
        }
    }

    /// The address, in its one form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address as an owned `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = InvalidEmail;

    fn from_str(text: &str) -> Result<Email, InvalidEmail> {
        Email::parse(text)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

/// The one form of a typed address, checked or not: surrounding spaces
/// dropped, lowercased (all of it: nobody's mail server tells `Ayse` from
/// `ayse`, and two accounts that differ only so would be a trap). For
/// looking up and comparing what may not be an address at all (a login
/// form, a filter); to accept an address, [`Email::parse`].
pub fn normalize(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Whether `address` can be an e-mail address, checked practically: no
/// spaces or control characters, at most [`MAX_LEN`] bytes, a local part of
/// at most 64 bytes without leading, trailing or doubled dots, and a domain
/// of at least two labels, the last not all digits. International letters
/// are allowed on both sides.
pub fn is_valid(address: &str) -> bool {
    if address.len() > MAX_LEN || address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_practically() {
        for ok in ["a@b.co", "ayşe.yılmaz@örnek.com.tr", "first+tag@sub.example.org"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in
            ["", "a@b", "@b.co", "a@.co", "a b@c.co", "a@b..co", ".a@b.co", "a@-b.co", "a@b.c", "a@1.2", "a@b.co\n"]
        {
            assert!(!is_valid(bad), "{bad:?}");
        }
        let long = format!("{}@{}.com", "a".repeat(64), "b".repeat(63));
        assert!(is_valid(&long));
        assert!(!is_valid(&format!("{}@b.com", "a".repeat(65))), "a local part over 64 bytes");
        let labels = vec!["c".repeat(60); 5].join(".");
        assert!(!is_valid(&format!("a@{labels}")), "over {MAX_LEN} bytes");
    }

    #[test]
    fn parsing_trims_and_lowercases() {
        let email = Email::parse("  Ayse.YILMAZ@Example.COM \n").unwrap();
        assert_eq!(email.as_str(), "ayse.yilmaz@example.com");
        assert_eq!(email.to_string(), "ayse.yilmaz@example.com");
        assert_eq!(Email::parse("ŞULE@ÖRNEK.COM.TR").unwrap().as_str(), "şule@örnek.com.tr");
        assert_eq!("a@b.co".parse::<Email>(), Email::parse(" A@B.CO"));
        assert_eq!(String::from(Email::parse("a@b.co").unwrap()), "a@b.co");
    }

    #[test]
    fn what_is_not_an_address_is_refused_with_its_reason() {
        assert_eq!(Email::parse(""), Err(InvalidEmail::Missing));
        assert_eq!(Email::parse(" \t\n"), Err(InvalidEmail::Missing));
        assert_eq!(Email::parse("ayse"), Err(InvalidEmail::Malformed));
        assert_eq!(Email::parse("ayse @example.com"), Err(InvalidEmail::Malformed));
    }

    #[test]
    fn normalizing_keeps_what_is_not_an_address() {
        assert_eq!(normalize("  Ayse@Example.com "), "ayse@example.com");
        assert_eq!(normalize(" Not An Address "), "not an address");
        assert_eq!(normalize(""), "");
    }
}
