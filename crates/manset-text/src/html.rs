//! HTML both ways. Text into HTML: [`escape`], [`escape_text`] and
//! [`write_escaped`], the only HTML escaper of the workspace (templates,
//! comments, search snippets and feeds all call it). HTML into text:
//! [`to_text`], for what arrives as HTML but is kept as text here (imported
//! comments and excerpts): tags go, blocks and `<br>` become line breaks,
//! entities are decoded, scripts and styles vanish with their content.
//!
//! Invariant: escaped text holds no `<` or `&` of its own, so it can never
//! open a tag or an entity; with quotes escaped too ([`escape`],
//! [`write_escaped`]) it cannot end an attribute value, quoted either way.

use std::fmt;

/// `text` escaped for anywhere in an HTML page, attribute values included:
/// `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and
/// `&#39;`; everything else (`/` too) stays as it is.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // A `String` takes every write; the only error `write_entities` passes on is the writer's.
    let _ = write_entities(&mut out, text, true);
    out
}

/// `text` escaped for an element's content, not an attribute: `&`, `<` and
/// `>` only, quotes kept (RSS fields readers show as HTML, where Turkish
/// text full of apostrophes should stay readable).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // As in `escape`: a `String` takes every write.
    let _ = write_entities(&mut out, text, false);
    out
}

/// Writes `text` escaped as [`escape`] does, without a `String` of its own:
/// for the template engine's output and other streams.
pub fn write_escaped<W: fmt::Write + ?Sized>(out: &mut W, text: &str) -> fmt::Result {
    write_entities(out, text, true)
}

/// Copies `text` to `out` in runs between the characters to escape, which
/// are all ASCII, so every cut is at a character boundary.
fn write_entities<W: fmt::Write + ?Sized>(out: &mut W, text: &str, quotes: bool) -> fmt::Result {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            b'\'' if quotes => "&#39;",
            _ => continue,
        };
        out.write_str(&text[last..i])?;
        out.write_str(entity)?;
        last = i + 1;
    }
    out.write_str(&text[last..])
}

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
    // The longest named reference (`&CounterClockwiseContourIntegral;`) is 33.
    let Some(end) = s[1..].find(';').map(|i| i + 1).filter(|&i| i <= 40) else { return ("&".into(), 1) };
    let name = &s[1..end];
    let decoded: Option<String> = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        // As HTML reads numeric references: 0x80–0x9F are windows-1252's
        // characters (`&#146;` is ’), NUL and what is no character are
        // U+FFFD, other controls are dropped.
        code.map(|code| match code {
            0x80..=0x9F => {
                markup5ever::data::C1_REPLACEMENTS[(code - 0x80) as usize].map_or_else(String::new, String::from)
            }
            _ => match char::from_u32(code).filter(|&c| c != '\0') {
                Some(c) if c.is_control() && !c.is_whitespace() => String::new(),
                Some(c) => plain(c).to_string(),
                None => char::REPLACEMENT_CHARACTER.to_string(),
            },
        })
    } else {
        // Every HTML named reference (`&eacute;`, `&hellip;`, `&nbsp;`),
        // keyed with its semicolon.
        markup5ever::data::NAMED_ENTITIES.get(&s[1..=end]).map(|&(first, second)| {
            [first, second].into_iter().filter(|&c| c != 0).filter_map(char::from_u32).map(plain).collect()
        })
    };
    match decoded {
        Some(text) => (text, end + 1),
        None => ("&".into(), 1),
    }
}

/// A decoded character as plain text has it: a no-break space is a space.
fn plain(c: char) -> char {
    if c == '\u{a0}' { ' ' } else { c }
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
    use super::*;

    #[test]
    fn markup_and_quotes_become_entities() {
        assert_eq!(escape("<b>\"İstanbul'da\" & </b>"), "&lt;b&gt;&quot;İstanbul&#39;da&quot; &amp; &lt;/b&gt;");
        assert_eq!(escape("/haber/ağ?x=1"), "/haber/ağ?x=1", "slashes and letters stay");
        assert_eq!(escape("&amp;"), "&amp;amp;", "what looks like an entity is text too");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn text_escaping_keeps_quotes() {
        assert_eq!(escape_text("<b>Ayşe</b> & ABD'nin \"x\""), "&lt;b&gt;Ayşe&lt;/b&gt; &amp; ABD'nin \"x\"");
    }

    #[test]
    fn writing_escapes_as_escape_does() {
        let text = "a<b>c&d\"e'f ğü";
        let mut out = String::from("önce:");
        write_escaped(&mut out, text).unwrap();
        assert_eq!(out, format!("önce:{}", escape(text)));
    }

    #[test]
    fn escaped_text_reads_back_as_itself() {
        for text in ["a & b < c > d", "\"alıntı\" ve 'tırnak'", "&lt; düz"] {
            assert_eq!(to_text(&escape(text)), text);
        }
    }

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
    fn every_html_reference_is_decoded_as_browsers_do() {
        assert_eq!(to_text("caf&eacute; &Ccedil;ay &scedil; &hellip; &nbsp;x"), "café Çay ş … x");
        assert_eq!(to_text("don&#146;t &#147;x&#148; &#128;5"), "don’t “x” €5");
        assert_eq!(to_text("a&#1;b &#0; &#xD800;"), "ab \u{FFFD} \u{FFFD}");
        assert_eq!(to_text("&notanentity; &amp"), "&notanentity; &amp");
    }

    #[test]
    fn scripts_styles_and_comments_vanish() {
        assert_eq!(to_text("a<script>alert(1)</script>b<style>p{}</style>c<!-- x -->d"), "abcd");
        assert_eq!(to_text("<img src=x onerror=\"alert('>')\">metin"), "metin");
    }
}
