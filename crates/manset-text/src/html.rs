//! HTML to plain text, for what arrives as HTML but is kept as text here:
//! imported comments and excerpts. Tags go, blocks and `<br>` become line
//! breaks, entities are decoded, scripts and styles vanish with their content.

/// The text of an HTML fragment: paragraphs separated by a blank line, line
/// breaks kept, runs of spaces collapsed, no markup left.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        push_text(&mut out, &rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            let (decoded, used) = entity(rest);
            push_text(&mut out, &decoded);
            rest = &rest[used..];
            continue;
        }
        let Some(end) = tag_end(rest) else {
            // A `<` that opens no tag is text.
            push_text(&mut out, "<");
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !tag.starts_with('/') && matches!(name.as_str(), "script" | "style") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&close) {
                Some(i) => rest[i..].find('>').map_or("", |j| &rest[i + j + 1..]),
                None => "",
            };
            continue;
        }
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "blockquote" | "ul" | "ol" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre"
            | "table" | "tr" | "figure" | "figcaption" | "hr" => out.push_str("\n\n"),
            "td" | "th" => out.push(' '),
            _ => {}
        }
    }
    push_text(&mut out, rest);
    tidy(&out)
}

fn push_text(out: &mut String, text: &str) {
    out.push_str(text);
}

/// Where the tag starting at `s[0] == '<'` ends (its `>`), quotes respected;
/// `None` when `<` does not start a tag (`a < b`) or a comment runs on.
fn tag_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if s.starts_with("<!--") {
        return s.find("-->").map(|i| i + 2);
    }
    let next = *bytes.get(1)?;
    if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
        return None;
    }
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i),
            None => {}
        }
    }
    None
}

/// The character an entity at the start of `s` stands for, and its length;
/// an unknown one is kept as written.
fn entity(s: &str) -> (String, usize) {
    let Some(end) = s[1..].find(';').map(|i| i + 1).filter(|&i| i <= 12) else { return ("&".into(), 1) };
    let name = &s[1..end];
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        code.and_then(char::from_u32).filter(|c| !c.is_control() || c.is_whitespace())
    } else {
        match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "hellip" => Some('…'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "lsquo" => Some('‘'),
            "rsquo" => Some('’'),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            "laquo" => Some('«'),
            "raquo" => Some('»'),
            "copy" => Some('©'),
            "reg" => Some('®'),
            "deg" => Some('°'),
            "euro" => Some('€'),
            _ => None,
        }
    };
    match decoded {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

/// Spaces collapsed within lines, lines trimmed, at most one blank line.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn tags_go_and_blocks_become_lines() {
        assert_eq!(to_text("<p>Bir <em>iki</em></p><p>üç<br/>dört</p>"), "Bir iki\n\nüç\ndört");
        assert_eq!(to_text("Yorum\n\nİkinci paragraf"), "Yorum\n\nİkinci paragraf");
    }

    #[test]
    fn entities_are_decoded_once() {
        assert_eq!(to_text("AT&amp;T &lt;b&gt; &#8220;alıntı&#8221; &#x15F; &amp;lt;"), "AT&T <b> “alıntı” ş &lt;");
        assert_eq!(to_text("a & b < c"), "a & b < c");
    }

    #[test]
    fn scripts_styles_and_comments_vanish() {
        assert_eq!(to_text("a<script>alert(1)</script>b<style>p{}</style>c<!-- x -->d"), "abcd");
        assert_eq!(to_text("<img src=x onerror=\"alert('>')\">metin"), "metin");
    }
}
