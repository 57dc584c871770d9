//! Markdown article bodies into safe HTML.
//!
//! Invariant: whatever the input (imported WordPress markup, agency copy,
//! an author's typo), the output holds no executable content: no scripts,
//! no event handlers, no `javascript:` URLs, no styles. This is the only
//! place in Manşet that produces HTML which templates print unescaped.
//!
//! Article pages have exactly one `<h1>`, the headline, so headings in a body
//! move one level down (`#` becomes `<h2>`). An image alone in its paragraph
//! becomes a `<figure>`, its Markdown title the caption:
//! `![Alt text](photo.jpg "Caption")`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Renders Markdown (with inline HTML allowed as input) to sanitized HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options).map(demote_heading).collect();
    let events = wrap_lone_images_in_figures(events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer().clean(&html).to_string()
}

/// The words of a Markdown body without its markup, paragraphs on their
/// own lines: what the search index and snippets read. Inline HTML is dropped.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_)) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_owned()
}

fn demote_heading(event: Event<'_>) -> Event<'_> {
    fn down(level: HeadingLevel) -> HeadingLevel {
        match level {
            HeadingLevel::H1 => HeadingLevel::H2,
            HeadingLevel::H2 => HeadingLevel::H3,
            HeadingLevel::H3 => HeadingLevel::H4,
            HeadingLevel::H4 => HeadingLevel::H5,
            HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
        }
    }
    match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: down(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(down(level))),
        other => other,
    }
}

/// Replaces `<p><img title=…></p>` by `<figure><img><figcaption>…</figcaption></figure>`.
fn wrap_lone_images_in_figures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((end, caption)) = lone_image_paragraph(&events[i..]) {
            out.push(Event::Html(CowStr::Borrowed("<figure>")));
            out.extend(events[i + 1..i + end].iter().cloned());
            if !caption.is_empty() {
                out.push(Event::Html(CowStr::Borrowed("<figcaption>")));
                out.push(Event::Text(caption));
                out.push(Event::Html(CowStr::Borrowed("</figcaption>")));
            }
            out.push(Event::Html(CowStr::Borrowed("</figure>")));
            i += end + 1;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

/// If `events` starts with a paragraph holding one image and nothing else,
/// returns the index of the paragraph's end and the image title.
fn lone_image_paragraph<'a>(events: &[Event<'a>]) -> Option<(usize, CowStr<'a>)> {
    let [Event::Start(Tag::Paragraph), Event::Start(Tag::Image { title, .. }), rest @ ..] = events else {
        return None;
    };
    let image_end = rest.iter().position(|e| matches!(e, Event::End(TagEnd::Image)))?;
    let after = rest.get(image_end + 1)?;
    matches!(after, Event::End(TagEnd::Paragraph)).then(|| (image_end + 3, title.clone()))
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let tags: HashSet<&'static str> = [
            "p",
            "br",
            "hr",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
            "img",
            "figure",
            "figcaption",
            "em",
            "strong",
            "b",
            "i",
            "u",
            "s",
            "del",
            "ins",
            "sub",
            "sup",
            "code",
            "pre",
            "kbd",
            "mark",
            "small",
            "abbr",
            "cite",
            "q",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "th",
            "td",
            "caption",
            "dl",
            "dt",
            "dd",
            "section",
            "div",
            "span",
        ]
        .into_iter()
        .collect();
        let mut attrs: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
        attrs.insert("a", ["href", "title"].into_iter().collect());
        attrs.insert("img", ["src", "alt", "title", "width", "height"].into_iter().collect());
        attrs.insert("abbr", ["title"].into_iter().collect());
        attrs.insert("ol", ["start"].into_iter().collect());
        attrs.insert("th", ["colspan", "rowspan", "align"].into_iter().collect());
        attrs.insert("td", ["colspan", "rowspan", "align"].into_iter().collect());
        attrs.insert("sup", ["id"].into_iter().collect());
        attrs.insert("li", ["id"].into_iter().collect());
        attrs.insert("div", ["id"].into_iter().collect());
        let mut builder = ammonia::Builder::default();
        builder
            .tags(tags)
            .tag_attributes(attrs)
            .generic_attributes(["lang", "dir"].into_iter().collect())
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"))
            .id_prefix(Some("fn-"))
            .strip_comments(true)
            .attribute_filter(|_element, attribute, value| {
                if matches!(attribute, "href" | "src") && is_script_url(value) { None } else { Some(value.into()) }
            });
        builder
    })
}

/// Whether a URL, read as the most lenient browser would (every space,
/// control and invisible formatting character removed, case ignored), runs
/// a script: `\u{2028}javascript:` is a relative URL to the URL standard,
/// and so to ammonia, but not to every browser that ever was.
pub fn is_script_url(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !(c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "livescript:"].iter().any(|s| squeezed.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_hidden_behind_invisible_characters_are_dropped() {
        for href in
            ["\u{2028}javascript:alert(1)", " JaVaScRiPt:alert(1)", "\u{FEFF}vbscript:x", "java\tscript:alert(1)"]
        {
            let html = to_safe_html(&format!("<a href=\"{href}\">x</a> <img src=\"{href}\" alt=\"\">"));
            assert!(!html.to_ascii_lowercase().contains("script:"), "{href:?}: {html}");
        }
        // A Markdown link percent-encodes what it does not allow: a relative path, no script.
        assert!(to_safe_html("[y](\u{2028}javascript:alert(1))").contains("href=\"%E2%80%A8javascript"));
        assert!(!to_safe_html("[y](javascript:alert(1))").contains("javascript"));
        assert!(to_safe_html("[ok](https://haber.example/a)").contains("href=\"https://haber.example/a\""));
        assert!(to_safe_html("[göreli](/haber/a)").contains("href=\"/haber/a\""));
    }

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let text = to_plain_text(
            "# Başlık\n\nBirinci **kalın** [bağlantı](https://x.example).\n\n<script>x()</script>\n\n- madde",
        );
        assert_eq!(text, "Başlık\nBirinci kalın bağlantı.\nmadde");
    }

    #[test]
    fn paragraphs_quotes_and_lists_stay_semantic() {
        let html = to_safe_html("İlk paragraf.\n\n> Bir alıntı\n\n- bir\n- iki\n");
        assert!(html.contains("<p>İlk paragraf.</p>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<li>bir</li>"), "{html}");
    }

    #[test]
    fn body_headings_never_compete_with_the_headline() {
        let html = to_safe_html("# Ara başlık\n\n## Alt başlık\n\n###### En alt");
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<h2>Ara başlık</h2>"), "{html}");
        assert!(html.contains("<h3>Alt başlık</h3>"), "{html}");
        assert!(html.contains("<h6>En alt</h6>"), "{html}");
    }

    #[test]
    fn a_lone_image_with_a_title_becomes_a_captioned_figure() {
        let html = to_safe_html("![Bakü silueti](https://ornek.org/baku.jpg \"Bakü, 2024\")");
        assert!(html.starts_with("<figure><img"), "{html}");
        assert!(html.contains("alt=\"Bakü silueti\""), "{html}");
        assert!(html.contains("<figcaption>Bakü, 2024</figcaption></figure>"), "{html}");
        // An image inside running text stays inline.
        let inline = to_safe_html("Metin ![x](https://ornek.org/x.png) metin");
        assert!(!inline.contains("<figure>"), "{inline}");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let html = to_safe_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[tıkla](javascript:alert(1))\n\n<p style=\"background:url(javascript:alert(1))\">x</p><iframe src=\"https://kotu.example\"></iframe>",
        );
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("onerror"), "{html}");
        assert!(!lower.contains("javascript:"), "{html}");
        assert!(!lower.contains("style="), "{html}");
        assert!(!lower.contains("<iframe"), "{html}");
    }

    #[test]
    fn links_open_safely() {
        let html = to_safe_html("[Kaynak](https://meydan.tv/)");
        assert!(html.contains("href=\"https://meydan.tv/\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn typographic_quotes_and_apostrophes_survive() {
        let html = to_safe_html("“Turan”. bilgi O’Brien’ın");
        assert!(html.contains("“Turan”. bilgi O’Brien’ın"), "{html}");
    }
}
