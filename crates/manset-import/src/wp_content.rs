//! A WordPress post's content (`content:encoded`) into an article body.
//!
//! Our body is CommonMark with raw HTML, sanitized when rendered
//! (`manset_text::markdown::to_safe_html`). A WordPress post becomes an HTML
//! body laid out so that CommonMark reads it as one HTML block and passes it
//! through untouched: a `*` or a four-space indent in a post never turns into
//! emphasis or code.
//!
//! The steps, in WordPress's own order where it matters:
//! 1. Gutenberg's block delimiters (`<!-- wp:… -->`, `<!-- /wp:… -->`) and all
//!    other comments (`<!--more-->`) are removed; the delimiters are counted,
//!    and blocks saved without HTML (`<!-- wp:latest-posts /-->`, rendered by
//!    WordPress on each view) are reported by name, since nothing of them comes over.
//! 2. Shortcodes (`shortcode.rs`): `[caption]` becomes a `<figure>`, `[embed]`,
//!    `[audio]`, `[video]` a link, `[gallery]` and `[playlist]` go, other
//!    enclosing ones keep their content and self-closing ones go. Brackets are
//!    also punctuation (`[sic]`, `[1]`), so `[name …]` is a shortcode only if
//!    `name` is `[a-z][a-z0-9_-]*` followed by whitespace, `]` or `/`, and it is
//!    a known core or plugin shortcode, or has a `key=value` attribute, or a
//!    `[/name]` follows. `[[name]]` is a literal `[name]`.
//! 3. A URL alone on its line becomes a link (WordPress would embed it).
//! 4. `wpautop` (`autop.rs`), only for classic posts: WordPress does not run
//!    it on block content either.
//! 5. Layout for CommonMark, then the render's own sanitizer: the body is run
//!    through `to_safe_html`, which for one HTML block is exactly ammonia with
//!    the render's policy (the policy itself is private to `manset-text`), and
//!    laid out again. So the stored body is already what readers get, with no
//!    script, handler or style left in it; URLs that hide a script scheme
//!    behind invisible characters go too (the sanitizer drops them).
//!
//! Invariant: pure, no I/O; `to_safe_html(&convert(x).body)` shows the same
//! HTML as the body itself (tested on the theme unit test posts and the XSS
//! vectors).

mod autop;
mod html;
mod shortcode;

use std::collections::BTreeMap;

use html::{PreStart, Token, layout, tokenize};

/// The body and what the conversion had to change or leave out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// Sanitized HTML that CommonMark passes through unchanged.
    pub body: String,
    pub report: ContentReport,
}

/// What happened to the WordPress-specific parts of a post, for the import
/// report: a newsroom wants to know which posts lost a gallery or a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentReport {
    /// Gutenberg block delimiters removed. Non-zero means a block post.
    pub block_comments: usize,
    /// Blocks saved without HTML (`<!-- wp:latest-posts /-->`), by name:
    /// WordPress renders them on each view; nothing of them is imported.
    pub dynamic_blocks: BTreeMap<String, usize>,
    /// Shortcodes turned into HTML, by name: `caption` into a figure,
    /// `embed`, `audio`, `video` into a link.
    pub shortcodes_converted: BTreeMap<String, usize>,
    /// Enclosing shortcodes whose tags were removed and content kept, by name.
    pub shortcodes_unwrapped: BTreeMap<String, usize>,
    /// Shortcodes removed with nothing left of them (`gallery`, forms, …), by name.
    pub shortcodes_dropped: BTreeMap<String, usize>,
    /// URLs alone on their line, made links.
    pub urls_linked: usize,
}

impl ContentReport {
    /// Whether something of the post did not come over: a dynamic block or
    /// a dropped shortcode.
    pub fn lost_something(&self) -> bool {
        !self.dynamic_blocks.is_empty() || !self.shortcodes_dropped.is_empty()
    }
}

/// Converts a post's `content:encoded` into a body.
pub fn convert(content: &str) -> Converted {
    let mut report = ContentReport::default();
    let content = content.replace("\r\n", "\n").replace('\r', "\n");
    let html = strip_comments(&content, &mut report);
    let html = shortcode::expand(&html, &mut report);
    let html = autop::autoembed(&html, &mut report);
    let html = if report.block_comments > 0 { html } else { autop::autop(&html) };
    let sanitized = manset_text::markdown::to_safe_html(&layout(&html, PreStart::Written));
    // A stray `</p>` becomes an empty paragraph in any HTML parser. (Script
    // URLs, also behind invisible characters, the sanitizer has dropped.)
    let sanitized = sanitized.replace("<p></p>", "");
    let body = layout(&sanitized, PreStart::Serialized);
    Converted { body, report }
}

/// Lays out sanitized HTML, as `to_safe_html` returns it, so that CommonMark
/// passes it through unchanged (see [`convert`]'s step 5). `convert` already
/// does this; it is public for checking that a body is stable:
/// `commonmark_safe(&to_safe_html(&body)) == body`.
pub fn commonmark_safe(sanitized_html: &str) -> String {
    layout(sanitized_html, PreStart::Serialized)
}

fn strip_comments(html: &str, report: &mut ContentReport) -> String {
    let mut out = String::with_capacity(html.len());
    for token in tokenize(html) {
        match token {
            Token::Comment { inner, .. } => {
                let inner = inner.trim();
                if let Some(block) = inner.strip_prefix("wp:") {
                    report.block_comments += 1;
                    if let Some(block) = block.strip_suffix('/') {
                        let name = block.split_whitespace().next().unwrap_or_default();
                        *report.dynamic_blocks.entry(name.to_owned()).or_default() += 1;
                    }
                } else if inner.starts_with("/wp:") {
                    report.block_comments += 1;
                }
            }
            other => out.push_str(other.html()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use manset_text::markdown::to_safe_html;

    use super::*;

    fn body(content: &str) -> String {
        convert(content).body
    }

    #[test]
    fn script_urls_hidden_behind_invisible_characters_go() {
        assert_eq!(
            body("1<a href=\"\u{2028}javascript:alert(1)\">x</a>"),
            "<p>1<a rel=\"noopener noreferrer\">x</a></p>"
        );
        assert!(!body("<img src=\"&#x20;JaVa&#10;script&colon;x\" alt=\"a\">").contains("script"));
        assert!(!body("<a href=data:text/html,x>y</a>").contains("data:"));
    }

    #[test]
    fn other_urls_stay_exactly() {
        let kept = body("a <a href=\"https://x.example/?a=1&amp;b=2\" title=\"javascript: a guide\">b</a>");
        assert!(kept.contains("href=\"https://x.example/?a=1&amp;b=2\" title=\"javascript: a guide\""), "{kept}");
    }

    /// The body renders to itself: CommonMark took it as HTML, whole.
    fn assert_stable(body: &str) {
        assert_eq!(commonmark_safe(&to_safe_html(body)), body);
    }

    #[test]
    fn a_classic_post_gets_paragraphs() {
        let body = body("Bakü’de *toplantı* yapıldı.\nİkinci satır.\n\n    Girintili paragraf.");
        assert_eq!(body, "<p>Bakü’de *toplantı* yapıldı.<br>\nİkinci satır.</p>\n<p>Girintili paragraf.</p>");
        assert_stable(&body);
    }

    #[test]
    fn block_delimiters_go_and_are_counted_and_autop_is_skipped() {
        let converted = convert(
            "<!-- wp:paragraph -->\n<p>Bir\niki</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:latest-posts {\"postsToShow\":3} /-->\n\n<!-- wp:paragraph -->\n<p>Üç</p>\n<!-- /wp:paragraph -->",
        );
        assert_eq!(converted.body, "<p>Bir\niki</p>\n<p>Üç</p>");
        assert_eq!(converted.report.block_comments, 5);
        assert_eq!(converted.report.dynamic_blocks, BTreeMap::from([("latest-posts".to_owned(), 1)]));
        assert!(converted.report.lost_something());
    }

    #[test]
    fn more_and_nextpage_markers_go() {
        assert_eq!(body("Giriş\n\n<!--more-->\n\nDevamı<!--nextpage-->Son"), "<p>Giriş</p>\n<p>DevamıSon</p>");
    }

    #[test]
    fn a_caption_is_a_figure_in_the_body() {
        let body = body(
            "Önce\n\n[caption id=\"a\" width=\"300\"]<img src=\"https://x.example/a.jpg\" alt=\"A\" class=\"size-full\"> Açıklama[/caption]\n\nSonra",
        );
        assert_eq!(
            body,
            "<p>Önce</p>\n<figure><img src=\"https://x.example/a.jpg\" alt=\"A\"><figcaption>Açıklama</figcaption></figure>\n<p>Sonra</p>"
        );
        assert_stable(&body);
    }

    #[test]
    fn preformatted_text_keeps_its_blank_lines_and_indentation() {
        let body = body("Kod:\n<pre>fn main() {\n\n    println!(\"*\");\n}</pre>\nSon");
        assert_eq!(body, "<p>Kod:</p>\n<pre>fn main() {\n&#10;    println!(\"*\");\n}</pre>\n<p>Son</p>");
        let rendered = to_safe_html(&body);
        assert!(rendered.contains("<pre>fn main() {\n\n    println!(\"*\");\n}</pre>"), "{rendered}");
        assert_stable(&body);
        // A newline right after `<pre>` that is content survives the round trip.
        let leading = self::body("<pre>\n\nx</pre>");
        assert_stable(&leading);
        assert!(to_safe_html(&leading).contains("<pre>\nx</pre>"), "{leading}");
    }

    #[test]
    fn headings_move_below_the_headline_and_markdown_stays_text() {
        let body = body("<h1>Ara</h1>\n# not a heading\n\n1. not a list\n\n---\n\n<h2>Alt</h2>");
        assert_eq!(body, "<h2>Ara</h2>\n<p># not a heading</p>\n<p>1. not a list</p>\n<p>---</p>\n<h2>Alt</h2>");
        assert_stable(&body);
    }

    #[test]
    fn scripts_and_handlers_never_reach_the_body() {
        let body =
            body("<p onclick=\"x()\">a</p><script>alert(1)</script>\n\n<iframe src=\"https://x.example\"></iframe>b");
        assert_eq!(body, "<p>a</p>\n<p>b</p>");
    }

    #[test]
    fn text_that_would_not_open_an_html_block_is_wrapped() {
        // Block content without a block element around its text.
        let body = body("<!-- wp:freeform -->Serbest *metin*<!-- /wp:freeform -->");
        assert_eq!(body, "<div>\nSerbest *metin*\n</div>");
        assert_stable(&body);
    }

    #[test]
    fn empty_content_is_an_empty_body() {
        assert_eq!(convert("").body, "");
        assert_eq!(convert(" \n<!-- wp:spacer /-->\n ").body, "");
    }
}
