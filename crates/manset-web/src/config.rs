//! The site's settings as the web layer needs them.

use jiff::tz::TimeZone;
use manset_text::Lang;

/// A logo from the media library, with its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// Settings of one site: given at start (`serve`'s flags), then overlaid with
/// the newsroom's settings (`site.*`), and replaced whole when those change.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name, in the header and in page titles.
    pub name: String,
    /// The interface language and the language of dates.
    pub lang: Lang,
    /// The time zone dates are shown in (Türkiye: Europe/Istanbul, UTC+03:00).
    pub time_zone: TimeZone,
    /// The public address the site is reached at, without a trailing slash
    /// (`https://haber.example`), for canonical links and share links.
    pub base_url: String,
    /// Articles per page on category and tag pages.
    pub per_page: u32,
    /// Addresses per child sitemap: the protocol's maximum, smaller in tests.
    pub sitemap_urls: u32,
    /// One sentence about the site, for the home page.
    pub description: String,
    /// The logo for structured data and share cards; `None`: the theme's.
    pub logo: Option<Logo>,
}

impl SiteConfig {
    /// The sitemap protocol's limit of addresses in one file.
    pub const MAX_SITEMAP_URLS: u32 = 50_000;

    /// The absolute URL of a site path (`/haber/x` → `https://…/haber/x`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}
