//! Syndication: the feeds we publish (RSS 2.0 and Atom 1.0; the feeds we
//! read are `manset_import::ingest`), written by hand: the formats are
//! small, and every byte of them is decided here (dates, GUIDs, escaping).
//!
//! Invariants: only visible articles (the store's `visible!()` filter); no
//! e-mail address anywhere (RSS `<author>` requires one, so bylines go in
//! `dc:creator`); GUIDs and Atom ids are made from the article's id, so they
//! stay the same across edits and slug changes; RSS dates are RFC 822 with
//! English names, Atom dates RFC 3339 with the site's offset.
//!
//! Text in RSS is HTML-escaped, then XML-escaped ([`rss_text`]): RSS never
//! said whether `<title>`, `<description>` or `<dc:creator>` hold text or
//! HTML, and many readers show them as HTML, so a reader's name `<b>` must
//! arrive as `&amp;lt;b&amp;gt;` to show as `<b>` there. The HTML we send
//! on purpose (`content:encoded`, a comment's `description`) is our own
//! sanitized markup, escaped once. Atom says `type="text"`, so its text is
//! escaped once.

use jiff::Timestamp;
use manset_core::{Article, PublicComment, Role};
use manset_text::{dates, html, xml};

use crate::config::SiteConfig;
use crate::views::{article_path, author_path, tag_path};

/// What a feed is about.
pub struct Channel<'a> {
    /// Feed title ("Kafkas Postası – Ekonomi").
    pub title: String,
    /// The page the feed follows (`/kategori/ekonomi`).
    pub page_path: String,
    /// The feed's own path (`/kategori/ekonomi/rss`).
    pub self_path: String,
    pub description: String,
    pub site: &'a SiteConfig,
}

/// Plain text as an RSS field must hold it: escaped for HTML (`&`, `<`,
/// `>`), then for XML. A reader that takes the field as HTML decodes twice
/// and shows the literal text; quotes stay as they are, since no field is
/// an attribute value and Turkish text is full of apostrophes.
pub fn rss_text(text: &str) -> String {
    xml::escape(&html::escape_text(text))
}

/// A stable, globally unique id for an article: a tag URI (RFC 4151) on the
/// site's host and the article's id.
pub fn article_id(site: &SiteConfig, id: i64) -> String {
    format!("tag:{},2024:article:{id}", host(site))
}

fn comment_id(site: &SiteConfig, id: i64) -> String {
    format!("tag:{},2024:comment:{id}", host(site))
}

fn host(site: &SiteConfig) -> &str {
    let rest = site.base_url.split("://").nth(1).unwrap_or(&site.base_url);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

fn last_change(a: &Article) -> Timestamp {
    [Some(a.published_at), a.updated_at, a.corrected_at].into_iter().flatten().max().unwrap_or(a.published_at)
}

/// RSS 2.0 with `atom:link rel="self"`, `content:encoded` for full text and
/// Dublin Core for bylines and source names.
pub fn rss(channel: &Channel<'_>, articles: &[Article], full_text: bool) -> String {
    let site = channel.site;
    let tz = &site.time_zone;
    let mut out = String::with_capacity(4096 + articles.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    push_text(&mut out, "title", &channel.title);
    push_el(&mut out, "link", &site.absolute(&channel.page_path));
    push_text(&mut out, "description", &channel.description);
    push_el(&mut out, "language", site.lang.tag());
    let built = articles.iter().map(last_change).max().unwrap_or(Timestamp::UNIX_EPOCH);
    push_el(&mut out, "lastBuildDate", &dates::rfc822(built, tz));
    push_el(&mut out, "generator", "Manşet");
    out.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml::escape(&site.absolute(&channel.self_path))
    ));
    for a in articles {
        out.push_str("<item>\n");
        push_text(&mut out, "title", &a.headline);
        push_el(&mut out, "link", &site.absolute(&article_path(&a.slug)));
        out.push_str(&format!("<guid isPermaLink=\"false\">{}</guid>\n", xml::escape(&article_id(site, a.id))));
        push_el(&mut out, "pubDate", &dates::rfc822(a.published_at, tz));
        for author in &a.authors {
            push_text(&mut out, "dc:creator", &author.name);
        }
        push_text(&mut out, "category", &a.category.name);
        for tag in &a.tags {
            push_text(&mut out, "category", &tag.name);
        }
        push_text(&mut out, "description", &a.standfirst);
        if full_text {
            out.push_str("<content:encoded>");
            out.push_str(&xml::escape(&a.body_html));
            out.push_str("</content:encoded>\n");
        }
        for source in &a.sources {
            push_text(&mut out, "dc:source", &source.name);
            if let Some(url) = &source.url {
                out.push_str(&format!("<source url=\"{}\">{}</source>\n", xml::escape(url), rss_text(&source.name)));
            }
        }
        push_el(&mut out, "comments", &format!("{}#yorumlar", site.absolute(&article_path(&a.slug))));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// Atom 1.0: ids from the article's id, `updated` from its last change.
pub fn atom(channel: &Channel<'_>, articles: &[Article], full_text: bool) -> String {
    let site = channel.site;
    let tz = &site.time_zone;
    let mut out = String::with_capacity(4096 + articles.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", site.lang.tag()));
    push_el(&mut out, "title", &channel.title);
    push_el(&mut out, "subtitle", &channel.description);
    push_el(&mut out, "id", &site.absolute(&channel.self_path));
    let updated = articles.iter().map(last_change).max().unwrap_or(Timestamp::UNIX_EPOCH);
    push_el(&mut out, "updated", &dates::rfc3339(updated, tz));
    out.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml::escape(&site.absolute(&channel.self_path))
    ));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml::escape(&site.absolute(&channel.page_path))
    ));
    out.push_str("<generator>Manşet</generator>\n");
    for a in articles {
        let url = site.absolute(&article_path(&a.slug));
        out.push_str("<entry>\n");
        push_el(&mut out, "title", &a.headline);
        out.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", xml::escape(&url)));
        push_el(&mut out, "id", &article_id(site, a.id));
        push_el(&mut out, "published", &dates::rfc3339(a.published_at, tz));
        push_el(&mut out, "updated", &dates::rfc3339(last_change(a), tz));
        if a.authors.is_empty() {
            out.push_str(&format!("<author><name>{}</name></author>\n", xml::escape(&site.name)));
        }
        for author in &a.authors {
            out.push_str(&format!(
                "<author><name>{}</name><uri>{}</uri></author>\n",
                xml::escape(&author.name),
                xml::escape(&site.absolute(&author_path(&author.slug)))
            ));
        }
        out.push_str(&format!(
            "<category term=\"{}\" label=\"{}\"/>\n",
            xml::escape(&a.category.slug),
            xml::escape(&a.category.name)
        ));
        for tag in &a.tags {
            out.push_str(&format!(
                "<category term=\"{}\" label=\"{}\" scheme=\"{}\"/>\n",
                xml::escape(&tag.slug),
                xml::escape(&tag.name),
                xml::escape(&site.absolute(&tag_path("")))
            ));
        }
        out.push_str(&format!("<summary type=\"text\">{}</summary>\n", xml::escape(&a.standfirst)));
        if full_text {
            out.push_str(&format!("<content type=\"html\">{}</content>\n", xml::escape(&a.body_html)));
        }
        for source in &a.sources {
            out.push_str("<source>");
            push_inline(&mut out, "title", &source.name);
            if let Some(url) = &source.url {
                out.push_str(&format!("<link href=\"{}\"/>", xml::escape(url)));
            }
            out.push_str("</source>\n");
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// RSS 2.0 of an article's approved comments, oldest first. No e-mail. A
/// newsroom reply carries its writer's role (`badge` names it) as a
/// `<category>`, a field no reader's comment can fill.
pub fn comments_rss(
    channel: &Channel<'_>,
    article: &Article,
    comments: &[PublicComment],
    badge: impl Fn(Role) -> String,
) -> String {
    let site = channel.site;
    let tz = &site.time_zone;
    let url = site.absolute(&article_path(&article.slug));
    let mut out = String::with_capacity(2048 + comments.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    push_text(&mut out, "title", &channel.title);
    push_el(&mut out, "link", &url);
    push_text(&mut out, "description", &channel.description);
    push_el(&mut out, "language", site.lang.tag());
    out.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml::escape(&site.absolute(&channel.self_path))
    ));
    for c in comments {
        out.push_str("<item>\n");
        push_text(&mut out, "title", &c.name);
        push_el(&mut out, "link", &format!("{url}#yorum-{}", c.id));
        out.push_str(&format!("<guid isPermaLink=\"false\">{}</guid>\n", xml::escape(&comment_id(site, c.id))));
        push_el(&mut out, "pubDate", &dates::rfc822(c.created_at, tz));
        push_text(&mut out, "dc:creator", &c.name);
        if let Some(role) = c.staff_role {
            push_text(&mut out, "category", &badge(role));
        }
        // HTML on purpose: the reader's text escaped by `to_html`, which
        // adds only paragraphs, breaks and nofollow links.
        push_el(&mut out, "description", &manset_text::comment::to_html(&c.body));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// An element holding `text` escaped once: for values that are not text to
/// show (addresses, dates, codes), HTML we made, and Atom's `type="text"`.
fn push_el(out: &mut String, name: &str, text: &str) {
    push_inline(out, name, text);
    out.push('\n');
}

/// An RSS element holding plain text, escaped for HTML and then XML
/// ([`rss_text`]).
fn push_text(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&rss_text(text));
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

fn push_inline(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&xml::escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_text_shows_literally_in_a_reader_that_renders_html() {
        assert_eq!(rss_text("<b>Ayşe</b> & ABD'nin"), "&amp;lt;b&amp;gt;Ayşe&amp;lt;/b&amp;gt; &amp;amp; ABD&apos;nin");
        assert_eq!(rss_text("&lt;"), "&amp;amp;lt;", "what looks like an entity is text too");
        assert_eq!(rss_text("düz\u{1}metin"), "düzmetin");
    }
}
