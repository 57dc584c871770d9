//! Source credits: where an article's material comes from (an agency, another
//! outlet), shown at the end of the article.

use serde::{Deserialize, Serialize};

/// The credit of one source: `name`, an optional `url`, an optional free
/// `note` ("Meydan.tv sitesinin makalesinin bir kısmı kullanılmıştır.").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCredit {
    /// The source's name as readers know it ("Turan", "Meydan.tv").
    pub name: String,
    /// A link to the source; only `http` and `https` are accepted.
    pub url: Option<String>,
    /// A sentence that replaces the default "Kaynak: name" line.
    pub note: Option<String>,
}

/// Why a source credit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidSource {
    #[error("source credit has no name: give `name`")]
    MissingName,
    #[error("source URL `{0}` is not an http(s) address: give a full link such as https://example.org/")]
    BadUrl(String),
}

impl SourceCredit {
    /// Trims the fields, drops empty optional ones and checks the URL.
    pub fn normalized(self) -> Result<SourceCredit, InvalidSource> {
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            return Err(InvalidSource::MissingName);
        }
        let url = non_empty(self.url);
        if let Some(url) = url.as_ref().filter(|u| !is_http_url(u)) {
            return Err(InvalidSource::BadUrl(url.clone()));
        }
        Ok(SourceCredit { name, url, note: non_empty(self.note) })
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A link readers may follow: `http://` or `https://`, a host, no spaces
/// or control characters.
pub fn is_http_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).or_else(|| {
        // Scheme names are case-insensitive.
        let lower = url.get(..8)?.to_ascii_lowercase();
        if lower == "https://" {
            url.get(8..)
        } else if lower.starts_with("http://") {
            url.get(7..)
        } else {
            None
        }
    });
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credit_needs_a_name_and_a_web_url() {
        let ok = SourceCredit {
            name: " Meydan.tv ".into(),
            url: Some("https://www.meydan.tv/".into()),
            note: Some("  ".into()),
        };
        assert_eq!(
            ok.normalized().unwrap(),
            SourceCredit { name: "Meydan.tv".into(), url: Some("https://www.meydan.tv/".into()), note: None }
        );
        let nameless = SourceCredit { name: " ".into(), url: None, note: None };
        assert_eq!(nameless.normalized(), Err(InvalidSource::MissingName));
        let script = SourceCredit { name: "x".into(), url: Some("javascript:alert(1)".into()), note: None };
        assert!(matches!(script.normalized(), Err(InvalidSource::BadUrl(_))));
    }

    #[test]
    fn only_http_and_https_urls_with_a_host_pass() {
        assert!(is_http_url("http://turan.az/"));
        assert!(is_http_url("HTTPS://Turan.az/haber?id=1"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("ftp://turan.az"));
        assert!(!is_http_url("https://turan.az/bir boşluk"));
        assert!(!is_http_url("data:text/html,x"));
    }
}
