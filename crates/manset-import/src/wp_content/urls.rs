//! Script URLs that survive ammonia.
//!
//! ammonia reads URLs as the URL standard does, so `href="\u{2028}javascript:…"`
//! is to it a harmless relative URL. Browsers have not always agreed, and
//! DOMPurify, whose vectors we test against, refuses it. For imported bodies
//! we refuse it too: a URL attribute whose value, with every whitespace,
//! control and invisible formatting character removed and references
//! decoded, starts with `javascript:`, `vbscript:` or `data:` is dropped.

use std::ops::Range;

use super::html::{Tag, Token, tokenize};

const URL_ATTRIBUTES: &[&str] =
    &["href", "src", "action", "formaction", "xlink:href", "data", "poster", "cite", "background", "srcset"];

pub(super) fn drop_script_urls(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for token in tokenize(html) {
        match token {
            Token::Tag(tag) if !tag.closing => push_tag(&mut out, &tag),
            other => out.push_str(other.html()),
        }
    }
    out
}

fn push_tag(out: &mut String, tag: &Tag<'_>) {
    let html = tag.html;
    let name_end = html.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(html.len()).max(1);
    let attributes = attributes(&html[name_end..]);
    let unsafe_url = |a: &Attribute| {
        let name = &html[name_end..][a.name.clone()];
        URL_ATTRIBUTES.iter().any(|u| u.eq_ignore_ascii_case(name))
            && a.value.clone().is_some_and(|v| is_script_url(&html[name_end..][v]))
    };
    if !attributes.iter().any(unsafe_url) {
        out.push_str(html);
        return;
    }
    out.push_str(&html[..name_end]);
    for attribute in attributes.iter().filter(|a| !unsafe_url(a)) {
        out.push(' ');
        out.push_str(&html[name_end..][attribute.all.clone()]);
    }
    let end = attributes.last().map_or(0, |a| a.all.end);
    out.push_str(html[name_end..][end..].trim_start());
}

struct Attribute {
    /// The name and its value, quotes included.
    all: Range<usize>,
    name: Range<usize>,
    /// Inside the quotes, if any.
    value: Option<Range<usize>>,
}

/// The attributes of a tag, read as HTML reads them (`s` starts after the name).
fn attributes(s: &str) -> Vec<Attribute> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return out;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>') {
            i += 1;
        }
        let name = start..i;
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = None;
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = s[j + 1..].find(quote as char).map_or(s.len(), |e| j + 1 + e);
                    value = Some(j + 1..end);
                    i = (end + 1).min(s.len());
                }
                _ => {
                    let end = s[j..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(s.len(), |e| j + e);
                    value = Some(j..end);
                    i = end;
                }
            }
        }
        out.push(Attribute { all: start..i, name, value });
    }
}

fn is_script_url(value: &str) -> bool {
    let visible: String = decode(value)
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
        })
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript:", "vbscript:", "data:"].iter().any(|scheme| visible.starts_with(scheme))
}

/// Character references and the named ones that matter in a URL.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| match &after[..e] {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "colon" => Some(':'),
            "nbsp" | "tab" | "newline" => Some(' '),
            entity => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_hidden_behind_invisible_characters_go() {
        assert_eq!(
            drop_script_urls("<p>1<a href=\"\u{2028}javascript:alert(1)\" rel=\"noopener\">x</a></p>"),
            "<p>1<a rel=\"noopener\">x</a></p>"
        );
        assert_eq!(drop_script_urls("<img src=\"&#x20;JaVa&#10;script&colon;x\" alt=\"a\">"), "<img alt=\"a\">");
        assert_eq!(drop_script_urls("<a href=data:text/html,x>y</a>"), "<a>y</a>");
    }

    #[test]
    fn other_tags_and_urls_stay_exactly() {
        let html =
            "<p class=x>a <a href=\"https://x.example/?a=1&amp;b=2\" title=\"javascript: a guide\">b</a><br/></p>";
        assert_eq!(drop_script_urls(html), html);
    }
}
