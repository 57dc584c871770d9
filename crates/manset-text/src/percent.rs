//! Percent-encoding (RFC 3986), the workspace's only encoder: query values
//! in our own links, share links, the login's return address, the
//! `otpauth://` address of two-factor enrolment.
//!
//! Invariant: every byte but RFC 3986's unreserved characters (`A`–`Z`,
//! `a`–`z`, `0`–`9`, `-`, `.`, `_`, `~`) and what a caller names is
//! written `%XX`, hex in capitals; UTF-8 text is encoded byte by byte.

/// `text` with every byte but the unreserved characters percent-encoded:
/// safe as a query value, a path segment or a fragment.
pub fn encode(text: &str) -> String {
    encode_keeping(text, b"")
}

/// As [`encode`], but the ASCII bytes in `keep` also stay as they are
/// (`/` in a path carried as a query value, `@` in an `otpauth://` label).
/// Bytes of `keep` that are not ASCII are ignored: they would cut a
/// character in two.
pub fn encode_keeping(text: &str, keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (b.is_ascii() && keep.contains(&b)) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_but_unreserved_characters_is_encoded() {
        assert_eq!(encode("Kafkas Postası"), "Kafkas%20Postas%C4%B1");
        assert_eq!(encode("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(encode("a/b?c=d&e#f+g@h%"), "a%2Fb%3Fc%3Dd%26e%23f%2Bg%40h%25");
        assert_eq!(encode("\u{0}\n\u{7f}"), "%00%0A%7F");
        assert_eq!(encode(""), "");
    }

    #[test]
    fn named_bytes_are_kept() {
        assert_eq!(encode_keeping("/yonetim/haber/7?x=1", b"/"), "/yonetim/haber/7%3Fx%3D1");
        assert_eq!(encode_keeping("ayşe@example.com", b"@"), "ay%C5%9Fe@example.com");
        assert_eq!(encode_keeping("ş", &[0xC5, 0x9F]), "%C5%9F", "no byte of a character is kept alone");
    }
}
