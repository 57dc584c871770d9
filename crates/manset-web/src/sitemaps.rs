//! Sitemaps by the sitemaps.org protocol 0.9 and Google's News sitemap
//! extension, and `robots.txt`, written by hand like the feeds.
//!
//! Invariants: every `loc` is absolute and XML-escaped; `lastmod` and
//! `news:publication_date` are W3C date-times with the site's offset; a file
//! holds at most `SiteConfig::sitemap_urls` addresses (50,000 by default).

use std::fmt::Write;

use jiff::Timestamp;
use manset_store::{NewsEntry, SitemapKind};
use manset_text::{dates, xml};

use crate::config::SiteConfig;
use crate::views::{article_path, author_path, category_path, tag_path};

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// Google News lists articles of the last two days only…
pub const NEWS_WINDOW_HOURS: i64 = 48;
/// …and at most this many per sitemap.
pub const NEWS_MAX: u32 = 1_000;

/// A child sitemap: what it lists. `Pages` are the site's own pages (the
/// home page now; static pages when they come).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Listed(SitemapKind),
    Pages,
}

impl Child {
    /// Every child sitemap, in the order the index lists them.
    pub const ALL: [Child; 5] = [
        Child::Listed(SitemapKind::Articles),
        Child::Listed(SitemapKind::Categories),
        Child::Listed(SitemapKind::Tags),
        Child::Listed(SitemapKind::Authors),
        Child::Pages,
    ];

    /// The name in `/sitemap-<name>-<n>.xml`.
    pub fn name(self) -> &'static str {
        match self {
            Child::Listed(SitemapKind::Articles) => "articles",
            Child::Listed(SitemapKind::Categories) => "categories",
            Child::Listed(SitemapKind::Tags) => "tags",
            Child::Listed(SitemapKind::Authors) => "authors",
            Child::Pages => "pages",
        }
    }

    /// The path of page `n`.
    pub fn path(self, n: usize) -> String {
        format!("/sitemap-{}-{n}.xml", self.name())
    }

    /// Reads `articles-3.xml` (the part after `/sitemap-`).
    pub fn parse(file: &str) -> Option<(Child, u32)> {
        let stem = file.strip_suffix(".xml")?;
        let (name, n) = stem.rsplit_once('-')?;
        // `01` or `+1` would be a second address for the same page.
        if n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = n.parse().ok()?;
        let child = Child::ALL.into_iter().find(|c| c.name() == name)?;
        Some((child, n))
    }

    /// The site path of an entry's slug.
    pub fn entry_path(self, slug: &str) -> String {
        match self {
            Child::Listed(SitemapKind::Articles) => article_path(slug),
            Child::Listed(SitemapKind::Categories) => category_path(slug),
            Child::Listed(SitemapKind::Tags) => tag_path(slug),
            Child::Listed(SitemapKind::Authors) => author_path(slug),
            Child::Pages => slug.to_owned(),
        }
    }
}

/// `/sitemap.xml`: the index of child sitemaps, `(path, lastmod)`.
pub fn index(site: &SiteConfig, children: &[(String, Option<Timestamp>)]) -> String {
    let mut out = format!("{HEAD}<sitemapindex xmlns=\"{SITEMAP_NS}\">\n");
    for (path, lastmod) in children {
        let _ = write!(out, "  <sitemap>\n    <loc>{}</loc>\n", xml::escape(&site.absolute(path)));
        if let Some(at) = lastmod {
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", dates::rfc3339(*at, &site.time_zone));
        }
        out.push_str("  </sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// A child sitemap: `(path, lastmod)` of each address.
pub fn urlset(site: &SiteConfig, urls: &[(String, Option<Timestamp>)]) -> String {
    let mut out = format!("{HEAD}<urlset xmlns=\"{SITEMAP_NS}\">\n");
    for (path, lastmod) in urls {
        let _ = write!(out, "  <url>\n    <loc>{}</loc>\n", xml::escape(&site.absolute(path)));
        if let Some(at) = lastmod {
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", dates::rfc3339(*at, &site.time_zone));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `/sitemap-news.xml` by Google's News sitemap rules: the publication's
/// name and language, the publication date and the title of each article.
pub fn news(site: &SiteConfig, entries: &[NewsEntry]) -> String {
    let mut out = format!("{HEAD}<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">\n");
    let name = xml::escape(&site.name);
    for e in entries {
        let _ = write!(
            out,
            "  <url>\n    <loc>{}</loc>\n    <news:news>\n      <news:publication>\n        \
             <news:name>{name}</news:name>\n        <news:language>{}</news:language>\n      \
             </news:publication>\n      <news:publication_date>{}</news:publication_date>\n      \
             <news:title>{}</news:title>\n    </news:news>\n  </url>\n",
            xml::escape(&site.absolute(&article_path(&e.slug))),
            e.lang.unwrap_or(site.lang).tag(),
            dates::rfc3339(e.published_at, &site.time_zone),
            xml::escape(&e.headline),
        );
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be crawled except the newsroom; the sitemaps.
pub fn robots(site: &SiteConfig) -> String {
    format!(
        "User-agent: *\nDisallow: /yonetim\n\nSitemap: {}\nSitemap: {}\n",
        site.absolute("/sitemap.xml"),
        site.absolute("/sitemap-news.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_sitemap_names_parse_back_and_nothing_else_does() {
        for child in Child::ALL {
            let path = child.path(3);
            let file = path.strip_prefix("/sitemap-").unwrap();
            assert_eq!(Child::parse(file), Some((child, 3)));
        }
        for bad in ["articles-0x.xml", "articles-01.xml", "articles.xml", "articles-1.txt", "users-1.xml", "-1.xml"] {
            assert_eq!(Child::parse(bad), None, "{bad}");
        }
    }
}
