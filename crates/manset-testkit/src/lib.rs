//! Helpers for Manşet's tests, never linked into the binary.
//!
//! Test material from outside the project (the seed article, WordPress
//! exports, feeds) lives in `../shared` beside the repository, never in it.
//! [`shared_dir`] is the one place that finds it: env `MANSET_TESTDATA`, or
//! `../shared` relative to the workspace. In a user's clone it is absent and
//! tests that need it skip with a message; with `CI=true` its absence fails.

use std::path::PathBuf;

pub mod postgres;
pub mod tools;

/// Whether this is a CI run (`CI=true`), where what tests need must be there:
/// a missing tool or fixture fails instead of skipping.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The folder holding `seed/` and `testdata/`, or `None` (after saying so)
/// when it is absent outside CI. Panics in CI when absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("MANSET_TESTDATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    if dir.join("seed").is_dir() {
        return Some(dir);
    }
    assert!(
        !in_ci(),
        "CI=true but the shared test data is missing at {}: set MANSET_TESTDATA to the folder holding seed/ and testdata/",
        dir.display()
    );
    eprintln!("skipped: shared test data not found at {} (set MANSET_TESTDATA)", dir.display());
    None
}

/// The text of the seed article page (`seed/000_c669be6180575091.txt`).
pub fn seed_text() -> Option<String> {
    let path = shared_dir()?.join("seed/000_c669be6180575091.txt");
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())))
}

/// The 223 XSS payloads of DOMPurify's test suite
/// (`testdata/xss/dompurify/expect.mjs`), each as the raw string to post.
pub fn xss_payloads() -> Option<Vec<String>> {
    let path = shared_dir()?.join("testdata/xss/dompurify/expect.mjs");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let payloads: Vec<String> = text
        .match_indices("\"payload\":")
        .map(|(i, m)| {
            let rest = text[i + m.len()..].trim_start();
            serde_json::Deserializer::from_str(rest)
                .into_iter::<String>()
                .next()
                .and_then(Result::ok)
                .unwrap_or_else(|| panic!("a payload that is not a JSON string at byte {i} of {}", path.display()))
        })
        .collect();
    assert!(payloads.len() >= 200, "expected the DOMPurify vectors, found {}", payloads.len());
    Some(payloads)
}

/// Executable content in `html`: elements that run or embed code
/// (`script`, `iframe`, `object`, `svg`, `style`, form controls, …), event
/// handler attributes (`on…`), and URL attributes whose value (entities
/// decoded) starts with `javascript:`, `vbscript:` or `data:text/html`.
/// Attribute values are parsed as HTML does, so escaped text inside a quoted
/// value is not mistaken for markup. Returns what was found; empty = inert.
pub fn executable_content(html: &str) -> Vec<String> {
    const ACTIVE: &[&str] = &[
        "script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset", "applet", "meta",
        "link", "img", "video", "audio", "source", "input", "textarea", "button", "select", "details", "marquee",
        "template", "form", "noscript",
    ];
    const URL_ATTRS: &[&str] = &["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"];
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let tag_start = i;
        i += 1;
        let closing = i < bytes.len() && bytes[i] == b'/';
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        let name = &lower[name_start..i];
        if !closing && ACTIVE.contains(&name) {
            found.push(format!("element <{name}> at byte {tag_start}"));
        }
        // Attributes until `>`.
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let attr_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let attr = &lower[attr_start..i];
            let mut value = "";
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let quote = bytes[i];
                    let v_start = i + 1;
                    let v_end = lower[v_start..].find(quote as char).map_or(bytes.len(), |e| v_start + e);
                    value = &lower[v_start..v_end];
                    i = (v_end + 1).min(bytes.len());
                } else {
                    let v_start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &lower[v_start..i];
                }
            }
            if attr.starts_with("on") {
                found.push(format!("handler `{attr}` at byte {tag_start}"));
            }
            if URL_ATTRS.contains(&attr) || attr == "style" {
                let decoded: String =
                    decode_entities(value).chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                if ["javascript:", "vbscript:", "data:text/html"].iter().any(|s| decoded.starts_with(s))
                    || (attr == "style" && (decoded.contains("expression(") || decoded.contains("url(")))
                {
                    found.push(format!("`{attr}={value}` at byte {tag_start}"));
                }
            }
        }
    }
    found
}

/// Decodes the numeric and the few named entities that matter for URLs.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &after[..e];
            match entity {
                "colon" => Some(':'),
                "tab" | "newline" => Some(' '),
                "amp" => Some('&'),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_runs_and_ignores_escaped_text() {
        assert!(executable_content("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>").is_empty());
        assert!(executable_content("<a data-x=\"&lt;img onerror=alert(1)&gt;\" href=\"/x\">x</a>").is_empty());
        assert_eq!(executable_content("<script>alert(1)</script>").len(), 1);
        assert_eq!(executable_content("<a href=\"&#106;avascript:alert(1)\">x</a>").len(), 1);
        assert_eq!(executable_content("<b onmouseover=alert(1)>x</b>").len(), 1);
        assert_eq!(executable_content("<a href=' javascript:x'>x</a>").len(), 1);
    }
}

/// The seed page taken apart the way a newsroom would type it in.
#[derive(Debug, Clone)]
pub struct SeedArticle {
    pub category: String,
    pub headline: String,
    pub standfirst: String,
    /// Body paragraphs, in order.
    pub paragraphs: Vec<String>,
    /// The attribution line at the end of the body.
    pub source_note: String,
}

/// Parses the seed page: kicker, headline, standfirst, body paragraphs up to
/// the attribution line, which comes right before "İlgili Makaleler".
pub fn seed_article() -> Option<SeedArticle> {
    let text = seed_text()?;
    let blocks: Vec<&str> = text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()).collect();
    let end =
        blocks.iter().position(|b| *b == "İlgili Makaleler").expect("the seed page has an 'İlgili Makaleler' block");
    assert!(end >= 5, "the seed page is shorter than expected");
    Some(SeedArticle {
        category: blocks[0].to_owned(),
        headline: blocks[1].to_owned(),
        standfirst: blocks[2].to_owned(),
        paragraphs: blocks[3..end - 1].iter().map(|s| (*s).to_owned()).collect(),
        source_note: blocks[end - 1].to_owned(),
    })
}

impl SeedArticle {
    /// The seed as a content file (TOML front matter), credited to Meydan.tv
    /// with its attribution line as the note, published at `published`
    /// (RFC 3339), written by `author`.
    pub fn content_file(&self, published: &str, author: &str) -> String {
        format!(
            "+++\ntitle = {}\nstandfirst = {}\ncategory = {}\ntags = [\"ABD\", \"Diplomasi\", \"COP29\"]\n\
             author = {}\npublished = {published}\n\n[source]\nname = \"Meydan.tv\"\nurl = \"https://www.meydan.tv/\"\nnote = {}\n+++\n\n{}\n",
            toml_string(&self.headline),
            toml_string(&self.standfirst),
            toml_string(&self.category),
            toml_string(author),
            toml_string(&self.source_note),
            self.paragraphs.join("\n\n"),
        )
    }
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A short filler article as a content file.
pub fn filler_file(title: &str, category: &str, published: &str, tags: &[&str]) -> String {
    let tags: Vec<String> = tags.iter().map(|t| toml_string(t)).collect();
    format!(
        "+++\ntitle = {}\nstandfirst = \"Kısa bir spot.\"\ncategory = {}\ntags = [{}]\npublished = {published}\n+++\n\nBirinci paragraf.\n\nİkinci paragraf.\n",
        toml_string(title),
        toml_string(category),
        tags.join(", ")
    )
}
