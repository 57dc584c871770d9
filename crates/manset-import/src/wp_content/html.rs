//! Just enough HTML lexing for the converter: text, tags (attribute values
//! read as a browser reads them, so a quoted `>` does not end a tag), comments,
//! and the elements whose content is kept apart (`pre`, `script`, …); and the
//! layout that makes HTML pass through CommonMark untouched.

use std::borrow::Cow;
use std::ops::Range;

/// A piece of HTML, borrowed from the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Text(&'a str),
    Tag(Tag<'a>),
    /// A whole element whose content is not paragraph text: `pre` (laid out
    /// exactly), `script`, `style`, `textarea`, `svg`, `math`. Runs to the
    /// end of the input when its end tag is missing, as in a browser.
    Raw {
        name: &'static str,
        html: &'a str,
    },
    /// `<!-- … -->`, and what is between the markers.
    Comment {
        html: &'a str,
        inner: &'a str,
    },
    /// `<!DOCTYPE …>`, `<?…>`, `<![CDATA[…]]>`: nothing a post body needs.
    Other(&'a str),
}

impl<'a> Token<'a> {
    pub(crate) fn html(&self) -> &'a str {
        match *self {
            Token::Text(html) | Token::Raw { html, .. } | Token::Comment { html, .. } | Token::Other(html) => html,
            Token::Tag(tag) => tag.html,
        }
    }
}

/// A start, end or self-closing tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub html: &'a str,
    /// Where the name is in `html`, as written (HTML names ignore case).
    name_start: usize,
    name_end: usize,
    pub closing: bool,
    pub self_closing: bool,
}

impl<'a> Tag<'a> {
    /// The name as written; compare with [`Tag::is`].
    pub(crate) fn name(&self) -> &'a str {
        &self.html[self.name_start..self.name_end]
    }

    pub(crate) fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name)
    }

    pub(crate) fn is_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.is(n))
    }
}

const RAW: &[&str] = &["pre", "script", "style", "textarea", "svg", "math"];

pub(crate) fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let at = i + offset;
        match markup_at(html, at) {
            Some((token, end)) => {
                if text_start < at {
                    tokens.push(Token::Text(&html[text_start..at]));
                }
                tokens.push(token);
                i = end;
                text_start = end;
            }
            None => i = at + 1,
        }
    }
    if text_start < html.len() {
        tokens.push(Token::Text(&html[text_start..]));
    }
    tokens
}

/// The markup starting at `at` (a `<`) and the offset after it; `None` when
/// the `<` is text (`a < b`, `<3`, a tag never closed by `>`).
pub(crate) fn markup_at(html: &str, at: usize) -> Option<(Token<'_>, usize)> {
    let rest = &html[at..];
    if let Some(after) = rest.strip_prefix("<!--") {
        let (inner_end, end) = match after.find("-->") {
            Some(e) => (at + 4 + e, at + 4 + e + 3),
            None => (html.len(), html.len()),
        };
        return Some((Token::Comment { html: &html[at..end], inner: &html[at + 4..inner_end] }, end));
    }
    if rest.starts_with("<![CDATA[") {
        let end = rest.find("]]>").map_or(html.len(), |e| at + e + 3);
        return Some((Token::Other(&html[at..end]), end));
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let end = rest.find('>').map_or(html.len(), |e| at + e + 1);
        return Some((Token::Other(&html[at..end]), end));
    }
    let (tag, end) = tag_at(html, at)?;
    if !tag.closing
        && !tag.self_closing
        && let Some(&name) = RAW.iter().find(|r| tag.is(r))
    {
        let end = raw_end(html, end, name);
        return Some((Token::Raw { name, html: &html[at..end] }, end));
    }
    Some((Token::Tag(tag), end))
}

/// A start or end tag at `at`, without looking at what follows it.
fn tag_at(html: &str, at: usize) -> Option<(Tag<'_>, usize)> {
    let rest = &html[at..];
    let closing = rest.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let bytes = rest.as_bytes();
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_len =
        rest[name_start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':')).count();
    let name_end = name_start + name_len;
    let (end, _) = scan_attributes(&rest[name_end..]);
    let end = name_end + end?;
    let inside = rest[name_end..end - 1].trim_end();
    let tag =
        Tag { html: &rest[..end], name_start, name_end, closing, self_closing: !closing && inside.ends_with('/') };
    Some((tag, at + end))
}

/// Reads the attributes of a tag (`s` starts after the name) as HTML does:
/// a quote opens a value only after `=`. Returns the offset after the closing
/// `>` (`None` if there is none) and the ranges of quoted values.
fn scan_attributes(s: &str) -> (Option<usize>, Vec<Range<usize>>) {
    let bytes = s.as_bytes();
    let mut values = Vec::new();
    let mut after_equals = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return (Some(i + 1), values),
            quote @ (b'"' | b'\'') if after_equals => {
                let start = i + 1;
                match s[start..].find(quote as char) {
                    Some(len) => {
                        values.push(start..start + len);
                        i = start + len + 1;
                    }
                    None => return (None, values),
                }
                after_equals = false;
                continue;
            }
            b'=' => after_equals = true,
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    (None, values)
}

/// Where the raw element `name` opened before `from` ends: after its end tag,
/// counting nested `pre`s, or at the end of the input.
fn raw_end(html: &str, from: usize, name: &str) -> usize {
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut depth = 1;
    let mut i = from;
    loop {
        let next_close = find_tag_ci(html, i, &close);
        let next_open = if name == "pre" { find_tag_ci(html, i, &open) } else { None };
        match (next_open, next_close) {
            (Some(o), Some(c)) if o < c => {
                depth += 1;
                i = o + open.len();
            }
            (_, Some(c)) => {
                depth -= 1;
                let end = html[c..].find('>').map_or(html.len(), |e| c + e + 1);
                if depth == 0 {
                    return end;
                }
                i = end;
            }
            (_, None) => return html.len(),
        }
    }
}

/// The next `needle` (like `</pre`) at or after `from`, ASCII case-insensitive,
/// followed by something that ends a tag name.
fn find_tag_ci(html: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = html.as_bytes();
    let needle = needle.as_bytes();
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let at = i + memchr_lt(&hay[i..])?;
        if at + needle.len() > hay.len() {
            return None;
        }
        if hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
            && hay.get(at + needle.len()).is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The end of the element `name` whose start tag ends at `from`: the offset
/// after its end tag, if there is one.
pub(crate) fn element_end(html: &str, from: usize, name: &str) -> Option<usize> {
    let at = find_tag_ci(html, from, &format!("</{name}"))?;
    Some(html[at..].find('>').map_or(html.len(), |e| at + e + 1))
}

/// How to read a newline right after `<pre>`: HTML parsers drop it, so in
/// HTML written by people it means nothing; in HTML serialized from a parsed
/// document (ammonia's output) it is content and must be written twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PreStart {
    Written,
    Serialized,
}

/// Lays HTML out so that CommonMark reads all of it as one HTML block and
/// passes it through unchanged: no blank line anywhere (blank lines inside
/// `<pre>` become `&#10;` at the end of a line, newlines inside attribute
/// values too), no indented line, comments and declarations dropped, and a
/// first line that opens an HTML block (else the whole is wrapped in a
/// `<div>`). An `<h1>` becomes `<h2>`: the page's `<h1>` is the headline.
pub(crate) fn layout(html: &str, pre_start: PreStart) -> String {
    let html: Cow<'_, str> =
        if html.contains('\r') { html.replace("\r\n", "\n").replace('\r', "\n").into() } else { html.into() };
    let mut out = String::with_capacity(html.len() + 32);
    for token in tokenize(&html) {
        match token {
            Token::Text(text) => push_text(&mut out, text),
            Token::Tag(tag) => push_tag(&mut out, &tag),
            Token::Raw { name: "pre", html } => push_pre(&mut out, html, pre_start),
            Token::Raw { html, .. } => push_text(&mut out, html),
            Token::Comment { .. } | Token::Other(_) => {}
        }
    }
    let body = out.trim();
    if body.is_empty() {
        String::new()
    } else if opens_html_block(body) {
        body.to_owned()
    } else {
        format!("<div>\n{body}\n</div>")
    }
}

/// Text outside `<pre>`: whitespace with a newline in it becomes one newline,
/// and lines start without indentation. Both mean the same to a browser.
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let word = rest.find(is_html_space).unwrap_or(rest.len());
        if word > 0 {
            out.push_str(&rest[..word]);
            rest = &rest[word..];
            continue;
        }
        let space = rest.find(|c| !is_html_space(c)).unwrap_or(rest.len());
        let at_line_start = out.is_empty() || out.ends_with('\n');
        if rest[..space].contains('\n') {
            if !at_line_start {
                out.push('\n');
            }
        } else if !at_line_start {
            out.push_str(&rest[..space]);
        }
        rest = &rest[space..];
    }
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// A tag on one line: newlines between attributes become spaces; inside
/// quoted values `\n`, `<` and `>` become references (the same value to a
/// browser, and no line of it can look like Markdown or end a block).
fn push_tag(out: &mut String, tag: &Tag<'_>) {
    let html = tag.html;
    let name_end = tag.name_end;
    out.push_str(&html[..tag.name_start]);
    out.push_str(if tag.is("h1") { "h2" } else { tag.name() });
    let attributes = &html[name_end..];
    let (_, values) = scan_attributes(attributes);
    let mut at = 0;
    for value in values.iter().chain(std::iter::once(&(attributes.len()..attributes.len()))) {
        // Between values: whitespace runs with a newline become one space.
        let between = &attributes[at..value.start];
        let mut rest = between;
        while let Some(space) = rest.find(is_html_space) {
            out.push_str(&rest[..space]);
            let after = rest[space..].find(|c| !is_html_space(c)).map_or(rest.len(), |e| space + e);
            out.push_str(if rest[space..after].contains('\n') { " " } else { &rest[space..after] });
            rest = &rest[after..];
        }
        out.push_str(rest);
        for c in attributes[value.clone()].chars() {
            match c {
                '\n' => out.push_str("&#10;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
        at = value.end;
    }
}

/// A `<pre>` element: its text exactly, except that a line holding only
/// whitespace ends in `&#10;` instead of a newline, so CommonMark never sees
/// a blank line.
fn push_pre(out: &mut String, html: &str, pre_start: PreStart) {
    let Some((start, start_end)) = tag_at(html, 0) else {
        push_pre_text(out, html);
        return;
    };
    let (inner, end_tag) = match rfind_end_tag(html, start_end) {
        Some(at) => (&html[start_end..at], &html[at..]),
        None => (&html[start_end..], ""),
    };
    push_tag(out, &start);
    if pre_start == PreStart::Serialized && inner.starts_with('\n') {
        out.push('\n');
    }
    for token in tokenize(inner) {
        match token {
            Token::Tag(tag) => push_tag(out, &tag),
            Token::Raw { name: "pre", html } => push_pre(out, html, pre_start),
            Token::Text(text) | Token::Raw { html: text, .. } => push_pre_text(out, text),
            Token::Comment { .. } | Token::Other(_) => {}
        }
    }
    out.push_str(end_tag);
}

/// Where the end tag closing a raw `pre` element starts: its last `</`,
/// if that is a `</pre`.
fn rfind_end_tag(html: &str, from: usize) -> Option<usize> {
    let at = html.rfind("</")?;
    let name = html.as_bytes().get(at + 2..at + 5)?;
    let after = html.as_bytes().get(at + 5);
    (at >= from && name.eq_ignore_ascii_case(b"pre") && after.is_none_or(|b| b.is_ascii_whitespace() || *b == b'>'))
        .then_some(at)
}

fn push_pre_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            let line = &out[out.rfind('\n').map_or(0, |i| i + 1)..];
            if line.trim_matches([' ', '\t']).is_empty() {
                out.push_str("&#10;");
                continue;
            }
        }
        out.push(c);
    }
}

/// Tags that open a CommonMark HTML block of type 6 (which only a blank line
/// ends), per the CommonMark spec 0.31.
const BLOCK_START: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

fn opens_html_block(body: &str) -> bool {
    let Some(rest) = body.strip_prefix('<') else { return false };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &rest[..name_len];
    BLOCK_START.iter().any(|b| b.eq_ignore_ascii_case(name))
        && matches!(&rest.as_bytes()[name_len..], [] | [b' ' | b'\t' | b'\n' | b'>', ..] | [b'/', b'>', ..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<String> {
        tokenize(html)
            .into_iter()
            .map(|t| match t {
                Token::Text(t) => format!("text:{t}"),
                Token::Tag(tag) => format!(
                    "{}{}{}",
                    if tag.closing { "/" } else { "" },
                    tag.name(),
                    if tag.self_closing { "/" } else { "" }
                ),
                Token::Raw { name, html } => format!("raw-{name}:{html}"),
                Token::Comment { inner, .. } => format!("comment:{inner}"),
                Token::Other(html) => format!("other:{html}"),
            })
            .collect()
    }

    #[test]
    fn tags_text_and_comments_are_told_apart() {
        assert_eq!(
            kinds("a < b <P class=\"x>y\" title='q'>c<br/><!-- wp:x -->d</p>"),
            ["text:a < b ", "P", "text:c", "br/", "comment: wp:x ", "text:d", "/p"]
        );
        assert_eq!(kinds("<a href=x'y>z"), ["a", "text:z"]);
        assert_eq!(kinds("<b unclosed"), ["text:<b unclosed"]);
    }

    #[test]
    fn pre_and_script_are_kept_whole() {
        assert_eq!(
            kinds("<pre><pre>a</pre>\n\nb</PRE>x<script>if (a<b) {}</script>"),
            ["raw-pre:<pre><pre>a</pre>\n\nb</PRE>", "text:x", "raw-script:<script>if (a<b) {}</script>"]
        );
        assert_eq!(kinds("<pre>never closed"), ["raw-pre:<pre>never closed"]);
    }

    #[test]
    fn layout_leaves_no_blank_or_indented_line() {
        let html = layout("<p>a</p>\n\n\n    <p>b\n\t c</p>\n<pre>x\n\n  \ny</pre>", PreStart::Written);
        assert_eq!(html, "<p>a</p>\n<p>b\nc</p>\n<pre>x\n&#10;  \ny</pre>");
    }

    #[test]
    fn layout_keeps_attribute_values_on_one_line() {
        let html = layout("<p>x<img\n  alt=\"one\n\ntwo <b>\" src=x></p>", PreStart::Written);
        assert_eq!(html, "<p>x<img alt=\"one&#10;&#10;two &lt;b&gt;\" src=x></p>");
    }

    #[test]
    fn layout_wraps_what_would_not_open_an_html_block() {
        assert_eq!(layout("plain *text*", PreStart::Written), "<div>\nplain *text*\n</div>");
        assert_eq!(layout("<pre>a</pre>\n<p>b</p>", PreStart::Written), "<div>\n<pre>a</pre>\n<p>b</p>\n</div>");
        assert_eq!(layout("<hr/>", PreStart::Written), "<hr/>");
        assert_eq!(layout("<h1>T</h1>", PreStart::Written), "<h2>T</h2>");
        assert_eq!(layout(" \n ", PreStart::Written), "");
    }

    #[test]
    fn a_newline_after_pre_is_doubled_only_when_it_is_content() {
        assert_eq!(layout("<pre>\nx</pre>", PreStart::Written), "<div>\n<pre>\nx</pre>\n</div>");
        assert_eq!(layout("<div><pre>\nx</pre></div>", PreStart::Serialized), "<div><pre>\n&#10;x</pre></div>");
    }
}
