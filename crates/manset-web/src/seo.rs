//! What a page tells machines about itself: Open Graph and Twitter card
//! tags for social previews, JSON-LD (`NewsArticle`, `BreadcrumbList`,
//! `NewsMediaOrganization`) for search engines.
//!
//! Invariants: every URL here is absolute; dates carry the site's offset; a
//! headline in structured data has at most 110 characters (Google's limit);
//! JSON-LD goes into the page only through [`script_json`], which makes
//! `</script>` and comment openers impossible inside the block.

use jiff::Timestamp;
use manset_core::{Article, LeadImage};
use manset_text::{Lang, dates, shorten::shorten};
use serde::Serialize;
use serde_json::{Value, json};

use crate::config::SiteConfig;
use crate::theme::Theme;
use crate::views::{article_path, author_path, category_path};

/// Google shows at most this many characters of an article's headline.
pub const MAX_LD_HEADLINE: usize = 110;

/// An image as social cards want it.
#[derive(Debug, Clone, Serialize)]
pub struct ShareImage {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
}

/// A `<meta property=… content=…>` pair.
#[derive(Debug, Clone, Serialize)]
pub struct Property {
    pub property: &'static str,
    pub content: String,
}

/// The Open Graph and Twitter card view of a page.
#[derive(Debug, Clone, Serialize)]
pub struct Social {
    /// `og:type`: `website`, `article` or `profile`.
    pub kind: &'static str,
    /// `og:locale`, such as `tr_TR`.
    pub locale: &'static str,
    pub title: String,
    pub image: Option<ShareImage>,
    /// `summary_large_image` with a photo of the story, `summary` with the logo.
    pub twitter_card: &'static str,
    /// `article:*` properties.
    pub article: Vec<Property>,
}

fn locale(lang: Lang) -> &'static str {
    match lang {
        Lang::Tr => "tr_TR",
        Lang::En => "en_US",
    }
}

/// The site's logo: the one chosen in the settings, else the theme's
/// `logo.png`; absolute, with its size.
pub fn logo(theme: &Theme, site: &SiteConfig) -> Option<ShareImage> {
    if let Some(logo) = &site.logo {
        return Some(ShareImage {
            url: site.absolute(&logo.url),
            width: Some(logo.width),
            height: Some(logo.height),
            alt: site.name.clone(),
        });
    }
    let url = theme.asset_url("logo.png")?;
    let size = theme.asset("logo.png").and_then(|a| a.png_size());
    Some(ShareImage {
        url: site.absolute(url),
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
        alt: site.name.clone(),
    })
}

/// An absolute address of an image given as a link or a path on this site.
pub fn absolute_url(site: &SiteConfig, url: &str) -> String {
    if url.starts_with('/') { site.absolute(url) } else { url.to_owned() }
}

fn lead_image(image: &LeadImage, site: &SiteConfig) -> ShareImage {
    ShareImage { url: absolute_url(site, &image.url), width: image.width, height: image.height, alt: image.alt.clone() }
}

impl Social {
    /// A page that is not an article: the site's logo as its picture.
    pub fn website(title: &str, theme: &Theme, site: &SiteConfig) -> Social {
        Social {
            kind: "website",
            locale: locale(site.lang),
            title: title.to_owned(),
            image: logo(theme, site),
            twitter_card: "summary",
            article: Vec::new(),
        }
    }

    /// An author's page.
    pub fn profile(title: &str, theme: &Theme, site: &SiteConfig) -> Social {
        Social { kind: "profile", ..Social::website(title, theme, site) }
    }

    /// An article: its photo, times, section, tags and authors.
    pub fn article(article: &Article, title: &str, theme: &Theme, site: &SiteConfig) -> Social {
        let image = article.image.as_ref().map(|i| lead_image(i, site));
        let tz = &site.time_zone;
        let mut props = vec![
            Property { property: "article:published_time", content: dates::rfc3339(article.published_at, tz) },
            Property { property: "article:modified_time", content: dates::rfc3339(modified(article), tz) },
            Property { property: "article:section", content: article.category.name.clone() },
        ];
        props.extend(
            article
                .authors
                .iter()
                .map(|a| Property { property: "article:author", content: site.absolute(&author_path(&a.slug)) }),
        );
        props.extend(article.tags.iter().map(|t| Property { property: "article:tag", content: t.name.clone() }));
        Social {
            kind: "article",
            locale: locale(article.lang.unwrap_or(site.lang)),
            title: title.to_owned(),
            twitter_card: if image.is_some() { "summary_large_image" } else { "summary" },
            image: image.or_else(|| logo(theme, site)),
            article: props,
        }
    }
}

/// When the article's content last changed for readers: its update time, or
/// its correction, or its publication.
pub fn modified(article: &Article) -> Timestamp {
    let mut at = article.updated_at.unwrap_or(article.published_at).max(article.published_at);
    if let Some(corrected) = article.corrected_at {
        at = at.max(corrected);
    }
    at
}

/// The publisher, as every `NewsArticle` names it.
fn publisher(theme: &Theme, site: &SiteConfig) -> Value {
    let mut org = json!({
        "@type": "NewsMediaOrganization",
        "name": site.name,
        "url": site.absolute("/"),
    });
    if let Some(logo) = logo(theme, site) {
        org["logo"] = image_object(&logo);
    }
    org
}

fn image_object(image: &ShareImage) -> Value {
    let mut object = json!({ "@type": "ImageObject", "url": image.url });
    if let (Some(w), Some(h)) = (image.width, image.height) {
        object["width"] = json!(w);
        object["height"] = json!(h);
    }
    object
}

/// `NewsArticle` for an article page, by schema.org and Google's `Article`
/// structured-data documentation.
pub fn news_article(article: &Article, theme: &Theme, site: &SiteConfig) -> Value {
    let tz = &site.time_zone;
    let url = site.absolute(&article_path(&article.slug));
    let authors: Vec<Value> = if article.authors.is_empty() {
        // No byline: the newsroom itself is the author.
        vec![json!({ "@type": "Organization", "name": site.name, "url": site.absolute("/") })]
    } else {
        article
            .authors
            .iter()
            .map(|a| json!({ "@type": "Person", "name": a.name, "url": site.absolute(&author_path(&a.slug)) }))
            .collect()
    };
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "url": url,
        "headline": shorten(&article.headline, MAX_LD_HEADLINE),
        "datePublished": dates::rfc3339(article.published_at, tz),
        "dateModified": dates::rfc3339(modified(article), tz),
        "author": authors,
        "publisher": publisher(theme, site),
        "articleSection": article.category.name,
        "inLanguage": article.lang.unwrap_or(site.lang).tag(),
        "isAccessibleForFree": true,
    });
    if !article.standfirst.is_empty() {
        ld["description"] = json!(article.standfirst);
    }
    if let Some(image) = &article.image {
        let mut object = image_object(&lead_image(image, site));
        if let Some(caption) = image.caption.as_ref().or((!image.alt.is_empty()).then_some(&image.alt)) {
            object["caption"] = json!(caption);
        }
        if let Some(credit) = &image.credit {
            object["creditText"] = json!(credit);
        }
        ld["image"] = json!([object]);
    }
    if !article.tags.is_empty() {
        ld["keywords"] = json!(article.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>());
    }
    if !article.sources.is_empty() {
        let based_on: Vec<Value> = article
            .sources
            .iter()
            .map(|s| {
                let mut work = json!({
                    "@type": "CreativeWork",
                    "publisher": { "@type": "Organization", "name": s.name },
                });
                if let Some(u) = &s.url {
                    work["url"] = json!(u);
                }
                if let Some(note) = &s.note {
                    work["description"] = json!(note);
                }
                work
            })
            .collect();
        ld["isBasedOn"] = json!(based_on);
    }
    if let (Some(note), Some(at)) = (&article.correction, article.corrected_at) {
        ld["correction"] =
            json!({ "@type": "CorrectionComment", "text": note, "datePublished": dates::rfc3339(at, tz) });
    }
    ld
}

/// `BreadcrumbList`: home, then each named step (name, path).
pub fn breadcrumbs(home: &str, steps: &[(&str, String)], site: &SiteConfig) -> Value {
    let items: Vec<Value> = std::iter::once((home, "/".to_owned()))
        .chain(steps.iter().map(|(name, path)| (*name, path.clone())))
        .enumerate()
        .map(|(i, (name, path))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": site.absolute(&path) })
        })
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

/// The breadcrumbs of an article: home → category → article.
pub fn article_breadcrumbs(article: &Article, home: &str, site: &SiteConfig) -> Value {
    breadcrumbs(
        home,
        &[
            (&article.category.name, category_path(&article.category.slug)),
            (&article.headline, article_path(&article.slug)),
        ],
        site,
    )
}

/// The home page's description of the site: a `WebSite` published by the newsroom.
pub fn website(theme: &Theme, site: &SiteConfig) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.name,
        "url": site.absolute("/"),
        "inLanguage": site.lang.tag(),
        "publisher": publisher(theme, site),
    })
}

/// JSON for a `<script type="application/ld+json">` block. JSON escapes
/// only quotes and backslashes, so a string holding `</script>` or `<!--`
/// would end or confuse the block; `<`, `>` and `&` become `\u` escapes
/// (the same characters to a JSON reader), as do the line separators that
/// old JavaScript parsers reject.
pub fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_script_block() {
        let value = json!({ "headline": "</script><script>alert(1)</script> <!-- & \u{2028}" });
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
