//! WordPress's display filters for classic (pre-block) posts: `wpautop`,
//! which makes paragraphs of blank-line separated text, and the auto-embed
//! that turns a URL alone on its line into an embed (here: a link).
//!
//! This is not a line-by-line port of `wpautop()`'s regular expressions but
//! the same rules over tokens, which also keeps it from producing the stray
//! `</p>` the original leaves in some nestings:
//! - a blank line (or `<br><br>`) ends a paragraph; a single newline becomes
//!   `<br />` unless a `<br>` is already there;
//! - the block-level elements of `wpautop` end paragraphs and are never
//!   wrapped in `<p>`; `<pre>` content and `<script>`, `<style>`, `<svg>`,
//!   `<math>`, `<textarea>` are left alone;
//! - top-level text and text in a `<blockquote>` becomes `<p>` paragraphs;
//!   text directly in another block element (`<li>`, `<td>`, `<div>`, …) is
//!   left unwrapped when it is one paragraph, as `wpautop` does, and made
//!   `<p>`s when it is several; a blank line inside a `<p>` splits it; where
//!   `<p>` may not go (headings, `<dt>`, `<figcaption>`, …) it becomes two `<br />`.

use super::ContentReport;
use super::html::{Tag, Token, tokenize};
use super::shortcode::{is_url, push_link};

/// `wpautop`'s block elements (`$allblocks`).
const BLOCKS: &[&str] = &[
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "details",
    "menu",
    "summary",
];

const VOID_BLOCKS: &[&str] = &["col", "area", "hr"];

/// Block elements whose content may not hold a `<p>`.
const NO_PARAGRAPHS: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "caption",
    "figcaption",
    "summary",
    "legend",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "colgroup",
    "ul",
    "ol",
    "dl",
    "menu",
    "map",
    "hgroup",
];

pub(super) fn autop(html: &str) -> String {
    let mut autop = Autop { out: String::with_capacity(html.len() * 11 / 10), run: Vec::new(), open: Vec::new() };
    for token in tokenize(html) {
        match token {
            Token::Tag(tag) if tag.is("br") => autop.run.push(Piece::Br(tag.html)),
            Token::Tag(tag) if tag.is_any(BLOCKS) => autop.block_tag(&tag),
            Token::Raw { name: "pre" | "style", html } => {
                autop.flush();
                newline(&mut autop.out);
                autop.out.push_str(html);
                autop.out.push('\n');
            }
            Token::Text(text) => autop.run.push(Piece::Text(text)),
            other => autop.run.push(Piece::Inline(other.html())),
        }
    }
    autop.flush();
    autop.out
}

struct Autop<'a> {
    out: String,
    /// Inline content since the last block tag.
    run: Vec<Piece<'a>>,
    /// Open block elements, lowercase.
    open: Vec<String>,
}

#[derive(Clone, Copy)]
enum Piece<'a> {
    Text(&'a str),
    Br(&'a str),
    Inline(&'a str),
}

impl Autop<'_> {
    fn block_tag(&mut self, tag: &Tag<'_>) {
        self.flush();
        let name = tag.name().to_ascii_lowercase();
        // `wpautop` keeps a caption on the line of its image.
        let own_line = name != "figcaption";
        if tag.closing {
            self.out.push_str(tag.html);
            if own_line {
                self.out.push('\n');
            }
            if let Some(at) = self.open.iter().rposition(|open| *open == name) {
                self.open.truncate(at);
            }
            return;
        }
        self.close_implied(&name);
        if own_line {
            newline(&mut self.out);
        }
        self.out.push_str(tag.html);
        if tag.self_closing || VOID_BLOCKS.contains(&name.as_str()) {
            self.out.push('\n');
        } else {
            self.open.push(name);
        }
    }

    /// A block start tag closes an open `<p>`, a `<li>` the previous `<li>`, …
    fn close_implied(&mut self, name: &str) {
        let closes: &[&str] = match name {
            "li" => &["p", "li"],
            "dt" | "dd" => &["p", "dt", "dd"],
            "td" | "th" => &["p", "td", "th"],
            "tr" => &["p", "td", "th", "tr"],
            _ => &["p"],
        };
        while self.open.last().is_some_and(|open| closes.contains(&open.as_str())) {
            self.open.pop();
        }
    }

    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        let paragraphs: Vec<String> = paragraphs(&run).iter().filter_map(|p| render(p)).collect();
        if paragraphs.is_empty() {
            return;
        }
        match self.open.last().map(String::as_str) {
            None | Some("blockquote") => self.wrap(&paragraphs),
            Some("p") => self.out.push_str(&paragraphs.join("</p>\n<p>")),
            Some(name) if NO_PARAGRAPHS.contains(&name) => self.out.push_str(&paragraphs.join("<br />\n<br />\n")),
            Some(_) if paragraphs.len() == 1 => self.out.push_str(&paragraphs[0]),
            Some(_) => self.wrap(&paragraphs),
        }
    }

    fn wrap(&mut self, paragraphs: &[String]) {
        for paragraph in paragraphs {
            newline(&mut self.out);
            self.out.push_str("<p>");
            self.out.push_str(paragraph);
            self.out.push_str("</p>\n");
        }
    }
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Splits a run at blank lines and at `<br>` pairs.
fn paragraphs<'a>(run: &[Piece<'a>]) -> Vec<Vec<Piece<'a>>> {
    let mut paragraphs = vec![Vec::new()];
    let mut i = 0;
    while i < run.len() {
        match run[i] {
            Piece::Text(text) => {
                let mut parts = split_blank_lines(text).into_iter();
                if let (Some(first), Some(last)) = (parts.next(), paragraphs.last_mut()) {
                    last.push(Piece::Text(first));
                }
                paragraphs.extend(parts.map(|part| vec![Piece::Text(part)]));
            }
            Piece::Br(br) => {
                let next = run[i + 1..]
                    .iter()
                    .position(
                        |p| !matches!(p, Piece::Text(t) if t.trim().is_empty() && split_blank_lines(t).len() == 1),
                    )
                    .map(|p| i + 1 + p);
                if let Some(j) = next.filter(|&j| matches!(run[j], Piece::Br(_))) {
                    paragraphs.push(Vec::new());
                    i = j + 1;
                    continue;
                }
                if let Some(last) = paragraphs.last_mut() {
                    last.push(Piece::Br(br));
                }
            }
            Piece::Inline(html) => {
                if let Some(last) = paragraphs.last_mut() {
                    last.push(Piece::Inline(html));
                }
            }
        }
        i += 1;
    }
    paragraphs
}

/// Splits at whitespace holding two or more newlines.
fn split_blank_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let space_start = i;
        let mut newlines = 0;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            newlines += usize::from(bytes[i] == b'\n');
            i += 1;
        }
        if newlines >= 2 {
            parts.push(&text[start..space_start]);
            start = i;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// One paragraph's HTML, single newlines as `<br />`; `None` when empty.
fn render(pieces: &[Piece<'_>]) -> Option<String> {
    let blank = |p: &Piece<'_>| match p {
        Piece::Text(t) => t.trim().is_empty(),
        Piece::Br(_) => true,
        Piece::Inline(_) => false,
    };
    let start = pieces.iter().position(|p| !blank(p))?;
    let end = pieces.iter().rposition(|p| !blank(p))? + 1;
    let pieces = &pieces[start..end];
    let mut out = String::new();
    let mut after_br = false;
    for (k, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Text(text) => {
                let text = if k == 0 { text.trim_start() } else { text };
                let text = if k + 1 == pieces.len() { text.trim_end() } else { text };
                for (n, line) in text.split('\n').enumerate() {
                    let line = if n > 0 {
                        let kept = out.trim_end_matches([' ', '\t']).len();
                        out.truncate(kept);
                        if !after_br {
                            out.push_str("<br />");
                        }
                        out.push('\n');
                        line.trim_start_matches([' ', '\t'])
                    } else {
                        line
                    };
                    out.push_str(line);
                    if !line.trim().is_empty() {
                        after_br = false;
                    }
                }
            }
            Piece::Br(html) => {
                out.push_str(html);
                after_br = true;
            }
            Piece::Inline(html) => {
                out.push_str(html);
                after_br = false;
            }
        }
    }
    Some(out)
}

/// A URL alone on its line (or alone between block tags) becomes a link to
/// itself, where WordPress would embed it. Not inside a link.
pub(super) fn autoembed(html: &str, report: &mut ContentReport) -> String {
    let tokens = tokenize(html);
    let mut out = String::with_capacity(html.len());
    let mut links = 0usize;
    for (k, token) in tokens.iter().enumerate() {
        match token {
            Token::Tag(tag) if tag.is("a") => {
                if tag.closing {
                    links = links.saturating_sub(1);
                } else if !tag.self_closing {
                    links += 1;
                }
                out.push_str(tag.html);
            }
            Token::Text(text) if links == 0 => {
                let open_before = k == 0 || ends_a_line(&tokens[k - 1]);
                let open_after = k + 1 == tokens.len() || ends_a_line(&tokens[k + 1]);
                let lines: Vec<&str> = text.split('\n').collect();
                for (n, line) in lines.iter().enumerate() {
                    if n > 0 {
                        out.push('\n');
                    }
                    let url = line.trim();
                    let alone = (n > 0 || open_before) && (n + 1 < lines.len() || open_after);
                    if alone && is_url(url) {
                        let lead = line.len() - line.trim_start().len();
                        out.push_str(&line[..lead]);
                        push_link(&mut out, url);
                        out.push_str(&line[lead + url.len()..]);
                        report.urls_linked += 1;
                    } else {
                        out.push_str(line);
                    }
                }
            }
            other => out.push_str(other.html()),
        }
    }
    out
}

fn ends_a_line(token: &Token<'_>) -> bool {
    match token {
        Token::Tag(tag) => tag.is("br") || tag.is_any(BLOCKS),
        Token::Raw { name, .. } => matches!(*name, "pre" | "style"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_make_paragraphs_and_newlines_breaks() {
        assert_eq!(autop("Bir\niki\n\n\nÜç  \n  dört\n"), "<p>Bir<br />\niki</p>\n<p>Üç<br />\ndört</p>\n");
    }

    #[test]
    fn existing_breaks_are_not_doubled_and_two_make_a_paragraph() {
        assert_eq!(autop("a<br>\nb<br /> <br/>c"), "<p>a<br>\nb</p>\n<p>c</p>\n");
    }

    #[test]
    fn block_elements_are_not_wrapped() {
        assert_eq!(
            autop("Giriş\n<h2>Başlık</h2>\nMetin <em>vurgu</em>\n<hr>\nSon"),
            "<p>Giriş</p>\n<h2>Başlık</h2>\n<p>Metin <em>vurgu</em></p>\n<hr>\n<p>Son</p>\n"
        );
    }

    #[test]
    fn list_items_stay_unwrapped_and_nest() {
        let html = autop("<ul>\n\t<li>bir</li>\n\t<li>iki\n<ol>\n\t<li>a</li>\n</ol>\n</li>\n</ul>");
        assert_eq!(html, "<ul>\n<li>bir</li>\n<li>iki\n<ol>\n<li>a</li>\n</ol>\n</li>\n</ul>\n");
    }

    #[test]
    fn blockquote_text_is_a_paragraph_and_several_paragraphs_in_a_div_are_wrapped() {
        assert_eq!(autop("<blockquote>Söz.</blockquote>"), "<blockquote>\n<p>Söz.</p>\n</blockquote>\n");
        assert_eq!(autop("<div>tek</div>"), "<div>tek</div>\n");
        assert_eq!(autop("<div>bir\n\niki</div>"), "<div>\n<p>bir</p>\n<p>iki</p>\n</div>\n");
    }

    #[test]
    fn a_blank_line_in_a_paragraph_splits_it_and_in_a_heading_breaks_it() {
        assert_eq!(autop("<p>bir\n\niki</p>"), "<p>bir</p>\n<p>iki</p>\n");
        assert_eq!(autop("<h3>bir\n\niki</h3>"), "<h3>bir<br />\n<br />\niki</h3>\n");
    }

    #[test]
    fn pre_script_and_tags_keep_their_newlines() {
        assert_eq!(autop("<pre>a\n\nb</pre>\nx"), "<pre>a\n\nb</pre>\n<p>x</p>\n");
        assert_eq!(autop("<img\nsrc=\"x\">\ny"), "<p><img\nsrc=\"x\"><br />\ny</p>\n");
        assert_eq!(autop("<script>\na\n\nb</script>"), "<p><script>\na\n\nb</script></p>\n");
    }

    #[test]
    fn a_url_alone_on_its_line_becomes_a_link() {
        let mut report = ContentReport::default();
        let html = autoembed(
            "https://wordpress.tv/x/\n\nSee https://a.example here.\n<p>https://b.example</p><a href=\"y\">\nhttps://c.example\n</a>",
            &mut report,
        );
        assert_eq!(
            html,
            "<a href=\"https://wordpress.tv/x/\">https://wordpress.tv/x/</a>\n\nSee https://a.example here.\n<p><a href=\"https://b.example\">https://b.example</a></p><a href=\"y\">\nhttps://c.example\n</a>"
        );
        assert_eq!(report.urls_linked, 2);
    }
}
