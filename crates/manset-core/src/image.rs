//! An article's lead image: the photo above the body, on social cards and in
//! structured data.

use serde::{Deserialize, Serialize};

use crate::source::is_http_url;

/// Largest width or height we accept, in pixels.
pub const MAX_SIDE: u32 = 20_000;
/// The longest alt text, in characters: a description, not a story (screen
/// readers read it whole).
pub const MAX_ALT_CHARS: usize = 500;
/// The longest caption, in characters.
pub const MAX_CAPTION_CHARS: usize = 1_000;
/// The longest credit, in characters.
pub const MAX_CREDIT_CHARS: usize = 200;

/// An image's text that is too long: which field, and its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the image's {field} is longer than {max} characters; shorten it")]
pub struct TextTooLong {
    /// `alt`, `caption` or `credit`.
    pub field: &'static str,
    pub max: usize,
}

/// Checks an image's alt text, caption and credit against their limits
/// (the library's and a lead image's alike).
pub fn check_text(alt: &str, caption: &str, credit: &str) -> Result<(), TextTooLong> {
    for (field, value, max) in
        [("alt", alt, MAX_ALT_CHARS), ("caption", caption, MAX_CAPTION_CHARS), ("credit", credit, MAX_CREDIT_CHARS)]
    {
        // Counting stops at the limit: a 30 MB field costs no more than a short one.
        if value.trim().chars().nth(max).is_some() {
            return Err(TextTooLong { field, max });
        }
    }
    Ok(())
}

/// The lead image: where it is, what it shows, and (when known) its size,
/// which social cards and search engines use to lay it out before loading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadImage {
    /// An `http(s)` address or a path on this site (`/medya/…`).
    pub url: String,
    /// What the image shows, for readers who cannot see it.
    #[serde(default)]
    pub alt: String,
    /// The caption under the image.
    #[serde(default)]
    pub caption: Option<String>,
    /// Who took or owns it ("Fotoğraf: AA").
    #[serde(default)]
    pub credit: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
}

/// Why a lead image was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidImage {
    #[error("image address `{0}` is neither an http(s) link nor a path on this site starting with `/`")]
    BadUrl(String),
    #[error("give the image's width and height together, each between 1 and {MAX_SIDE} pixels")]
    BadSize,
    #[error(transparent)]
    TextTooLong(#[from] TextTooLong),
}

impl LeadImage {
    /// Trims the fields, drops empty optional ones, checks the address and size.
    /// An image without an address is no image (`Ok(None)`).
    pub fn normalized(self) -> Result<Option<LeadImage>, InvalidImage> {
        let url = self.url.trim().to_owned();
        if url.is_empty() {
            return Ok(None);
        }
        if !(is_http_url(&url) || is_site_path(&url)) {
            return Err(InvalidImage::BadUrl(url));
        }
        let size_ok = |side: Option<u32>| side.is_some_and(|s| (1..=MAX_SIDE).contains(&s));
        let (width, height) = match (self.width, self.height) {
            (None, None) => (None, None),
            (w, h) if size_ok(w) && size_ok(h) => (w, h),
            _ => return Err(InvalidImage::BadSize),
        };
        check_text(&self.alt, self.caption.as_deref().unwrap_or(""), self.credit.as_deref().unwrap_or(""))?;
        let text = |s: Option<String>| s.map(|s| collapse(&s)).filter(|s| !s.is_empty());
        Ok(Some(LeadImage {
            url,
            alt: collapse(&self.alt),
            caption: text(self.caption),
            credit: text(self.credit),
            width,
            height,
        }))
    }
}

/// `/medya/a.jpg`, but not `//other.site/a.jpg` (a link to another host).
fn is_site_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//") && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_images_text_has_limits_that_name_the_field() {
        assert_eq!(check_text(&"ş".repeat(MAX_ALT_CHARS), "", ""), Ok(()));
        assert_eq!(check_text(&"ş".repeat(MAX_ALT_CHARS + 1), "", ""), Err(TextTooLong { field: "alt", max: 500 }));
        assert_eq!(check_text("", &"x".repeat(30_000_000), "").unwrap_err().field, "caption");
        assert_eq!(check_text("", "", &"x".repeat(201)).unwrap_err().max, MAX_CREDIT_CHARS);
    }

    fn image(url: &str, width: Option<u32>, height: Option<u32>) -> LeadImage {
        LeadImage {
            url: url.into(),
            alt: "  Bakü  limanı ".into(),
            caption: Some(" ".into()),
            credit: None,
            width,
            height,
        }
    }

    #[test]
    fn web_links_and_site_paths_are_images() {
        let ok = image(" https://foto.example/a.jpg ", Some(1200), Some(630)).normalized().unwrap().unwrap();
        assert_eq!(ok.url, "https://foto.example/a.jpg");
        assert_eq!(ok.alt, "Bakü limanı");
        assert_eq!(ok.caption, None);
        assert!(image("/medya/a.jpg", None, None).normalized().unwrap().is_some());
        assert_eq!(image("  ", None, None).normalized(), Ok(None));
    }

    #[test]
    fn scripts_other_hosts_by_relative_scheme_and_half_sizes_are_refused() {
        for url in ["javascript:alert(1)", "//evil.example/a.jpg", "data:image/png;base64,AA", "a.jpg"] {
            assert!(matches!(image(url, None, None).normalized(), Err(InvalidImage::BadUrl(_))), "{url}");
        }
        assert_eq!(image("/a.jpg", Some(10), None).normalized(), Err(InvalidImage::BadSize));
        assert_eq!(image("/a.jpg", Some(0), Some(10)).normalized(), Err(InvalidImage::BadSize));
        assert_eq!(image("/a.jpg", Some(10), Some(MAX_SIDE + 1)).normalized(), Err(InvalidImage::BadSize));
    }
}
