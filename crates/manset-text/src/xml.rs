//! Text into XML (feeds, sitemaps): the one XML escaper. XML is not HTML
//! here in two ways: `'` is `&apos;` (an XML entity every parser knows), and
//! the characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are
//! dropped, since no escape can carry them and one would make the whole
//! document unreadable to a strict parser.
//!
//! Invariant: the output is well-formed character data for element content
//! and for attribute values quoted either way.

/// `text` escaped for XML content and attribute values: `&`, `<`, `>`, `"`
/// and `'` become entities; characters XML 1.0 forbids are left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters no XML 1.0 document may hold, escaped or not.
fn is_forbidden(c: char) -> bool {
    ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_forbidden_characters() {
        assert_eq!(
            escape("<a href=\"x\">O’Brien & ABD'nin</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;O’Brien &amp; ABD&apos;nin&lt;/a&gt;"
        );
        assert_eq!(escape("satır\tbir\niki\r\n\u{FFFE}\u{FFFF}"), "satır\tbir\niki\r\n");
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }
}
