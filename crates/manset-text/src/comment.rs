//! Reader comments into HTML: plain text only. Every character the reader
//! typed is escaped; blank lines make paragraphs, single line breaks `<br>`,
//! and web addresses become links marked `rel="nofollow ugc noopener"`.
//!
//! Invariant: the output contains no markup but `<p>`, `<br>` and the `<a>`
//! made here, whose `href` is always an escaped `http(s)` URL.

/// Renders comment text as safe HTML.
pub fn to_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + 32);
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p>");
        for (i, line) in paragraph.lines().map(str::trim).enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            push_line(&mut out, line);
        }
        out.push_str("</p>");
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    while let Some(start) = find_link_start(rest) {
        escape_into(out, &rest[..start]);
        let candidate = &rest[start..];
        let end = candidate.find(char::is_whitespace).unwrap_or(candidate.len());
        let link = candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'', '’', '”', '»']);
        let href =
            if link.to_ascii_lowercase().starts_with("www.") { format!("https://{link}") } else { link.to_owned() };
        if link.len() > 8 && has_host(&href) {
            out.push_str("<a href=\"");
            escape_into(out, &href);
            out.push_str("\" rel=\"nofollow ugc noopener\">");
            escape_into(out, link);
            out.push_str("</a>");
            rest = &candidate[link.len()..];
        } else {
            // Not a usable address: print the scheme as text and go on.
            let skip = candidate.char_indices().nth(1).map_or(candidate.len(), |(i, _)| i);
            escape_into(out, &candidate[..skip]);
            rest = &candidate[skip..];
        }
    }
    escape_into(out, rest);
}

/// Byte offset of the next `http://`, `https://` or `www.` that starts a word.
fn find_link_start(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    ["https://", "http://", "www."]
        .iter()
        .filter_map(|p| {
            lower
                .match_indices(p)
                .map(|(i, _)| i)
                .find(|&i| i == 0 || !lower[..i].ends_with(|c: char| c.is_alphanumeric() || c == '/'))
        })
        .min()
}

fn has_host(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.contains('.')
        && !host.starts_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || "-.:@".contains(c) || !c.is_ascii())
}

fn escape_into(out: &mut String, text: &str) {
    out.push_str(&crate::html::escape(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_text() {
        assert_eq!(
            to_html("<script>alert('x')</script> & <b>kalın</b>"),
            "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;kalın&lt;/b&gt;</p>"
        );
    }

    #[test]
    fn line_breaks_and_paragraphs_are_kept() {
        assert_eq!(to_html("bir\niki\r\n\r\n\n üç "), "<p>bir<br>iki</p><p>üç</p>");
    }

    #[test]
    fn addresses_become_nofollow_links() {
        assert_eq!(
            to_html("Bkz. https://örnek.com/a?b=1&c=2."),
            "<p>Bkz. <a href=\"https://örnek.com/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">https://örnek.com/a?b=1&amp;c=2</a>.</p>"
        );
        assert_eq!(
            to_html("(www.example.org)"),
            "<p>(<a href=\"https://www.example.org\" rel=\"nofollow ugc noopener\">www.example.org</a>)</p>"
        );
    }

    #[test]
    fn links_cannot_break_out_of_their_attribute() {
        let html = to_html("https://a.com/\"onmouseover=alert(1)//");
        assert!(html.contains("href=\"https://a.com/&quot;onmouseover=alert(1)//\""), "{html}");
        assert!(!to_html("javascript:alert(1)").contains("<a"));
        assert!(!to_html("http://").contains("<a"));
        assert!(!to_html("https://\"><script>").contains("<a"), "{}", to_html("https://\"><script>"));
    }
}
