//! WordPress shortcodes: `[caption]` becomes a figure, `[embed]`, `[audio]`
//! and `[video]` become links, galleries go, and the tags of every other
//! shortcode go while what they enclose stays.
//!
//! What counts as a shortcode. Square brackets are ordinary punctuation in
//! news copy (`[sic]`, `[1]`, `[simple boat]`), and WordPress itself only
//! expands shortcodes some plugin registered, which an export does not say.
//! So `[name …]` is a shortcode only when `name` matches `[a-z][a-z0-9_-]*`,
//! is followed by whitespace, `]` or `/`, holds no `[`, and
//! - `name` is a core or well-known plugin shortcode ([`KNOWN`], [`KNOWN_PREFIXES`]), or
//! - it has a `key=value` attribute, or
//! - a matching `[/name]` follows.
//!
//! Anything else stays as written. Shortcodes inside `<pre>`, `<code>`,
//! `<script>` and tag attributes stay too (code samples show them). `[[name]]`
//! is WordPress's escape for a literal `[name]`.

use std::collections::BTreeMap;

use super::ContentReport;
use super::html::{Token, element_end, markup_at};

/// WordPress core's shortcodes and those of plugins common on news sites,
/// recognized even without attributes or a closing tag.
const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "playlist",
    "audio",
    "video",
    "embed",
    "contact-form",
    "contact-form-7",
    "gravityform",
    "wpforms",
    "mc4wp_form",
    "ninja_form",
    "toc",
    "ez-toc",
    "adsense",
    "adrotate",
    "the_ad",
    "jetpack_subscription_form",
    "related_posts",
    "yarpp",
    "addtoany",
    "sharethis",
    "ssba",
    "rev_slider",
    "layerslider",
    "metaslider",
    "smartslider3",
    "nggallery",
    "ngg_images",
    "envira-gallery",
    "foogallery",
    "tablepress",
];

/// Page builders' families (WPBakery, Divi, Avada, Shortcodes Ultimate, Enfold, …).
const KNOWN_PREFIXES: &[&str] =
    &["vc_", "et_pb_", "fusion_", "su_", "av_", "mk_", "ux_", "wpb_", "themify_", "td_", "tie_"];

/// Deeper nesting than this is left as written: real posts nest page-builder
/// rows and columns a few levels deep, and recursion must stay bounded.
const MAX_DEPTH: usize = 32;

pub(super) fn expand(text: &str, report: &mut ContentReport) -> String {
    expand_at(text, 0, report)
}

fn expand_at(text: &str, depth: usize, report: &mut ContentReport) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let Some(offset) = text[i..].find(['<', '[']) else {
            out.push_str(&text[i..]);
            break;
        };
        let at = i + offset;
        out.push_str(&text[i..at]);
        i = if text.as_bytes()[at] == b'<' {
            let end = match markup_at(text, at) {
                Some((Token::Tag(tag), end)) if tag.is("code") && !tag.closing && !tag.self_closing => {
                    element_end(text, end, "code").unwrap_or(text.len())
                }
                Some((_, end)) => end,
                None => at + 1,
            };
            out.push_str(&text[at..end]);
            end
        } else if depth < MAX_DEPTH {
            shortcode_at(text, at, depth, &mut out, report)
        } else {
            out.push('[');
            at + 1
        };
    }
    out
}

/// Handles the `[` at `at`; returns where to go on.
fn shortcode_at(text: &str, at: usize, depth: usize, out: &mut String, report: &mut ContentReport) -> usize {
    if text[at + 1..].starts_with('[') {
        if let Some(found) = parse(text, at + 1).filter(|f| text[f.end..].starts_with(']')) {
            out.push_str(&text[at + 1..found.end]);
            return found.end + 1;
        }
        out.push('[');
        return at + 1;
    }
    match parse(text, at) {
        Some(found) => {
            replace(&found, depth, out, report);
            found.end
        }
        None => {
            out.push('[');
            at + 1
        }
    }
}

struct Found<'a> {
    name: &'a str,
    attrs: &'a str,
    /// What an enclosing shortcode holds.
    content: Option<&'a str>,
    end: usize,
}

fn parse(text: &str, at: usize) -> Option<Found<'_>> {
    let rest = &text[at + 1..];
    let bytes = rest.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    let name_len =
        bytes.iter().take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-')).count();
    let name = &rest[..name_len];
    if !bytes.get(name_len).is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b']' | b'/')) {
        return None;
    }
    let close = name_len + rest[name_len..].find(']')?;
    let mut attrs = &rest[name_len..close];
    if attrs.contains('[') {
        return None;
    }
    let self_closing = attrs.trim_end().ends_with('/');
    if self_closing {
        attrs = attrs.trim_end().trim_end_matches('/');
    }
    let after_open = at + 1 + close + 1;
    let closing_tag = format!("[/{name}]");
    let closing_at = if self_closing { None } else { text[after_open..].find(&closing_tag).map(|p| after_open + p) };
    let known = KNOWN.contains(&name) || KNOWN_PREFIXES.iter().any(|p| name.starts_with(p));
    if !known && closing_at.is_none() && !attributes(attrs).iter().any(|(key, _)| key.is_some()) {
        return None;
    }
    let (content, end) = match closing_at {
        Some(p) => (Some(&text[after_open..p]), p + closing_tag.len()),
        None => (None, after_open),
    };
    Some(Found { name, attrs: attrs.trim(), content, end })
}

fn replace(found: &Found<'_>, depth: usize, out: &mut String, report: &mut ContentReport) {
    let name = found.name;
    let attrs = attributes(found.attrs);
    let expanded = found.content.map(|content| expand_at(content, depth + 1, report));
    let kept = match name {
        "caption" | "wp_caption" => {
            let inner = expanded.unwrap_or_default();
            match figure(&inner, attr(&attrs, "caption")) {
                Some(figure) => {
                    out.push_str(&figure);
                    Kept::Converted
                }
                None if inner.trim().is_empty() => Kept::Dropped,
                None => {
                    out.push_str(&inner);
                    Kept::Unwrapped
                }
            }
        }
        "embed" => match found.content.map(str::trim).filter(|c| is_url(c)) {
            Some(url) => {
                push_link(out, url);
                Kept::Converted
            }
            None => keep_content(expanded, out),
        },
        "audio" | "video" => match media_url(name, &attrs) {
            Some(url) => {
                push_link(out, url);
                Kept::Converted
            }
            None => Kept::Dropped,
        },
        // Their ids point at attachments, which are not imported as content.
        "gallery" | "playlist" => Kept::Dropped,
        _ => keep_content(expanded, out),
    };
    let counter: &mut BTreeMap<String, usize> = match kept {
        Kept::Converted => &mut report.shortcodes_converted,
        Kept::Unwrapped => &mut report.shortcodes_unwrapped,
        Kept::Dropped => &mut report.shortcodes_dropped,
    };
    *counter.entry(name.to_owned()).or_default() += 1;
}

enum Kept {
    Converted,
    Unwrapped,
    Dropped,
}

fn keep_content(expanded: Option<String>, out: &mut String) -> Kept {
    match expanded {
        Some(content) => {
            out.push_str(&content);
            Kept::Unwrapped
        }
        None => Kept::Dropped,
    }
}

/// `[caption]<a><img></a> Text[/caption]` as a figure, the way WordPress's
/// `img_caption_shortcode` reads it: the caption is the `caption` attribute,
/// else what follows the (linked) image. `None` without an image.
fn figure(inner: &str, caption_attr: Option<&str>) -> Option<String> {
    let (media, rest) = media(inner)?;
    let (media, caption) = match caption_attr.map(str::trim).filter(|c| !c.is_empty()) {
        Some(caption) => (inner.trim(), caption),
        None => (media, rest.trim()),
    };
    let mut figure = format!("<figure>{media}");
    if !caption.is_empty() {
        figure.push_str("<figcaption>");
        figure.push_str(caption);
        figure.push_str("</figcaption>");
    }
    figure.push_str("</figure>");
    Some(figure)
}

/// The first `<img>` of `html`, with the link around it if there is one, and
/// what follows.
fn media(html: &str) -> Option<(&str, &str)> {
    let mut link_start = None;
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let at = i + offset;
        let Some((token, end)) = markup_at(html, at) else {
            i = at + 1;
            continue;
        };
        match token {
            Token::Tag(tag) if tag.is("a") && !tag.closing => link_start = Some(at),
            Token::Tag(tag) if tag.is("img") => {
                let start = link_start.filter(|&s| only_tag_between(html, s, at));
                let mut end = end;
                if start.is_some() {
                    let after = &html[end..];
                    let trimmed = after.trim_start();
                    if trimmed.as_bytes().get(..4).is_some_and(|b| b.eq_ignore_ascii_case(b"</a>")) {
                        end += after.len() - trimmed.len() + 4;
                    }
                }
                return Some((&html[start.unwrap_or(at)..end], &html[end..]));
            }
            Token::Text(text) if !text.trim().is_empty() => link_start = None,
            _ => {}
        }
        i = end;
    }
    None
}

/// Whether only the `<a>` at `start` and whitespace stand before `img_at`.
fn only_tag_between(html: &str, start: usize, img_at: usize) -> bool {
    markup_at(html, start).is_some_and(|(_, end)| end <= img_at && html[end..img_at].trim().is_empty())
}

/// WordPress's `shortcode_parse_atts`: `key="v"`, `key='v'`, `key=v`, and
/// positional `"v"`, `'v'`, `v`. Keys are lowercase.
fn attributes(attrs: &str) -> Vec<(Option<String>, String)> {
    let attrs = attrs.replace(['\u{a0}', '\u{200b}'], " ");
    let mut out = Vec::new();
    let mut rest = attrs.trim_start();
    while !rest.is_empty() {
        let key_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')).count();
        let after_key = rest[key_len..].trim_start();
        if key_len > 0 && after_key.starts_with('=') {
            let key = rest[..key_len].to_ascii_lowercase();
            let (value, remaining) = take_value(after_key[1..].trim_start());
            out.push((Some(key), value.to_owned()));
            rest = remaining.trim_start();
        } else {
            let (value, remaining) = take_value(rest);
            out.push((None, value.to_owned()));
            rest = remaining.trim_start();
        }
    }
    out
}

fn take_value(s: &str) -> (&str, &str) {
    match s.chars().next() {
        Some(quote @ ('"' | '\'')) => match s[1..].find(quote) {
            Some(end) => (&s[1..1 + end], &s[2 + end..]),
            None => (&s[1..], ""),
        },
        _ => {
            let end = s.find(char::is_whitespace).unwrap_or(s.len());
            (&s[..end], &s[end..])
        }
    }
}

fn attr<'a>(attrs: &'a [(Option<String>, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(key, _)| key.as_deref() == Some(name)).map(|(_, value)| value.as_str())
}

/// The file of `[audio]`/`[video]`: `src`, else the first of the formats
/// WordPress's shortcode takes, else a URL given without a key.
fn media_url<'a>(name: &str, attrs: &'a [(Option<String>, String)]) -> Option<&'a str> {
    let keys: &[&str] = if name == "audio" {
        &["src", "mp3", "ogg", "flac", "m4a", "wav", "wma"]
    } else {
        &["src", "mp4", "m4v", "webm", "ogv", "flv", "wmv"]
    };
    keys.iter()
        .filter_map(|key| attr(attrs, key))
        .chain(attrs.iter().filter(|(key, _)| key.is_none()).map(|(_, value)| value.as_str()))
        .map(str::trim)
        .find(|url| is_url(url))
}

/// An absolute http(s) URL, as WordPress's auto-embed finds them.
pub(super) fn is_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')))
}

pub(super) fn push_link(out: &mut String, url: &str) {
    let url = url.replace('"', "&quot;");
    out.push_str("<a href=\"");
    out.push_str(&url);
    out.push_str("\">");
    out.push_str(&url);
    out.push_str("</a>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, ContentReport) {
        let mut report = ContentReport::default();
        (expand(text, &mut report), report)
    }

    fn expanded(text: &str) -> String {
        run(text).0
    }

    #[test]
    fn a_caption_becomes_a_figure_with_its_image_and_text() {
        let (html, report) = run(
            "[caption id=\"attachment_9\" align=\"alignleft\" width=\"150\"]<a href=\"/b.jpg\"><img src=\"/s.jpg\" alt=\"Bakü\" width=\"150\" /></a> Bakü, 2024[/caption]",
        );
        assert_eq!(
            html,
            "<figure><a href=\"/b.jpg\"><img src=\"/s.jpg\" alt=\"Bakü\" width=\"150\" /></a><figcaption>Bakü, 2024</figcaption></figure>"
        );
        assert_eq!(report.shortcodes_converted.get("caption"), Some(&1));
    }

    #[test]
    fn a_caption_attribute_is_the_caption() {
        assert_eq!(
            expanded("[caption caption=\"Kıyı &amp; liman\"]<img src=\"x.jpg\">[/caption]"),
            "<figure><img src=\"x.jpg\"><figcaption>Kıyı &amp; liman</figcaption></figure>"
        );
        assert_eq!(expanded("[caption]<img src=\"x.jpg\">[/caption]"), "<figure><img src=\"x.jpg\"></figure>");
    }

    #[test]
    fn embeds_audio_and_video_become_links() {
        assert_eq!(
            expanded("[embed width=\"500\"]https://youtu.be/abc[/embed]"),
            "<a href=\"https://youtu.be/abc\">https://youtu.be/abc</a>"
        );
        assert_eq!(
            expanded("[audio mp3=\"https://x.example/a.mp3\"]"),
            "<a href=\"https://x.example/a.mp3\">https://x.example/a.mp3</a>"
        );
        assert_eq!(
            expanded("[audio https://x.example/b.mp3]"),
            "<a href=\"https://x.example/b.mp3\">https://x.example/b.mp3</a>"
        );
        assert_eq!(
            expanded("[video src=\"https://x.example/v.mp4\" /]"),
            "<a href=\"https://x.example/v.mp4\">https://x.example/v.mp4</a>"
        );
        assert_eq!(expanded("[video src=\"javascript:alert(1)\"]"), "");
    }

    #[test]
    fn galleries_go_and_are_counted() {
        let (html, report) = run("Önce [gallery ids=\"1,2\"] sonra [gallery]");
        assert_eq!(html, "Önce  sonra ");
        assert_eq!(report.shortcodes_dropped.get("gallery"), Some(&2));
    }

    #[test]
    fn other_shortcodes_keep_what_they_enclose() {
        let (html, report) =
            run("[vc_row][vc_column width=\"1/2\"]<p>Metin</p>[/vc_column][/vc_row][contact-form-7 id=\"5\"]");
        assert_eq!(html, "<p>Metin</p>");
        assert_eq!(report.shortcodes_unwrapped.get("vc_row"), Some(&1));
        assert_eq!(report.shortcodes_unwrapped.get("vc_column"), Some(&1));
        assert_eq!(report.shortcodes_dropped.get("contact-form-7"), Some(&1));
        assert_eq!(expanded("[note]Dikkat[/note]"), "Dikkat");
        assert_eq!(expanded("[button link=\"x\"]"), "");
    }

    #[test]
    fn ordinary_brackets_stay() {
        for text in [
            "Dedi ki [sic] öyle",
            "Kaynak [1] ve [a]",
            "coracles [simple boat].",
            "[Not: geçici]",
            "[see: x]",
            "[a [b] c]",
        ] {
            let (html, report) = run(text);
            assert_eq!(html, text);
            assert_eq!(report, ContentReport::default());
        }
    }

    #[test]
    fn escaped_shortcodes_become_literal() {
        assert_eq!(
            expanded("Yazın: [[gallery]] ya da [[caption]x[/caption]]"),
            "Yazın: [gallery] ya da [caption]x[/caption]"
        );
        assert_eq!(expanded("[[sic]]"), "[[sic]]");
    }

    #[test]
    fn shortcodes_in_code_and_attributes_stay() {
        let text = "<code>[gallery]</code><pre>[embed]https://x.example[/embed]</pre><a title=\"[gallery]\">x</a>";
        assert_eq!(expanded(text), text);
    }

    #[test]
    fn nesting_is_bounded_and_odd_text_never_panics() {
        let deep: String =
            (0..100).map(|n| format!("[s{n}]")).chain((0..100).rev().map(|n| format!("[/s{n}]"))).collect();
        let html = expanded(&format!("{deep}x"));
        assert!(html.ends_with("x") && html.contains("[s32]"), "{html}");
        for text in [
            "[caption]<a>€</a><img src=x>€[/caption]",
            "[caption]<a href=x><img src=x>ş",
            "[[",
            "[ş]",
            "[a=",
            "[embed]€",
        ] {
            expanded(text);
        }
    }

    #[test]
    fn attributes_are_read_like_wordpress() {
        assert_eq!(
            attributes("a=\"1 2\" B='3' c=4 \"five\" six"),
            [
                (Some("a".into()), "1 2".into()),
                (Some("b".into()), "3".into()),
                (Some("c".into()), "4".into()),
                (None, "five".into()),
                (None, "six".into()),
            ]
        );
    }
}
