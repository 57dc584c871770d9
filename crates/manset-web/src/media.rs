//! Media for readers: files at `/medya/…`, and the `srcset` of images from
//! the library, wherever an article shows them (its lead image, its body).

use std::collections::HashMap;

use crate::input::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use manset_store::MediaItem;

use crate::Snapshot;
use crate::error::WebError;
use manset_service::media_files::{self, URL_PREFIX};

/// How wide an image in the article column is shown, for `sizes`.
pub const ARTICLE_SIZES: &str = "(min-width: 52rem) 48rem, 100vw";

/// `GET /medya/{*path}`: a rendition. Names carry a content hash, so a file
/// never changes: cached for a year.
pub async fn show(state: Snapshot, Path(path): Path<String>) -> Result<Response, WebError> {
    let url_path = format!("{URL_PREFIX}{path}");
    let kind = media_files::content_type(&url_path).ok_or(WebError::NotFound)?;
    let bytes = state.media().read_public(&url_path).await.ok_or(WebError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(response)
}

/// `path 2048w, path 1600w, …`
pub fn srcset(item: &MediaItem) -> String {
    item.renditions.iter().map(|r| format!("{} {}w", r.path, r.width)).collect::<Vec<_>>().join(", ")
}

/// The library's images by every path they can be reached at.
pub fn by_path(items: &[MediaItem]) -> HashMap<&str, &MediaItem> {
    items.iter().flat_map(|m| m.renditions.iter().map(move |r| (r.path.as_str(), m))).collect()
}

/// The `/medya/` paths of the `<img>` elements in sanitized HTML.
pub fn image_paths(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<img src=\"") {
        let after = &rest[at + 10..];
        let end = after.find('"').unwrap_or(after.len());
        let src = &after[..end];
        if src.starts_with(URL_PREFIX) {
            out.push(src);
        }
        rest = &after[end..];
    }
    out
}

/// Adds `srcset`, `sizes`, `width` and `height` to the library's images in
/// sanitized HTML (the body of an article). The HTML stays as ammonia made
/// it otherwise; what is added comes from the database, not from the body.
pub fn responsive_body(html: &str, library: &HashMap<&str, &MediaItem>) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find("<img src=\"") {
        let value_start = at + 10;
        let Some(len) = rest[value_start..].find('"') else { break };
        let src = &rest[value_start..value_start + len];
        // Everything up to and with the closing quote of `src`.
        out.push_str(&rest[..value_start + len + 1]);
        if let Some(item) = library.get(src) {
            out.push_str(&format!(" srcset=\"{}\" sizes=\"{ARTICLE_SIZES}\"", srcset(item)));
            if let Some(r) = item.renditions.iter().find(|r| r.path == src) {
                out.push_str(&format!(" width=\"{}\" height=\"{}\"", r.width, r.height));
            }
            out.push_str(" loading=\"lazy\" decoding=\"async\"");
        }
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use manset_store::RenditionRef;

    fn item() -> MediaItem {
        MediaItem {
            id: 1,
            original_name: "liman.jpg".into(),
            mime: "image/jpeg".into(),
            width: 1600,
            height: 900,
            bytes: 1,
            alt: "Liman".into(),
            caption: None,
            credit: None,
            uploaded_by: None,
            uploader_id: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            renditions: vec![
                RenditionRef { width: 1600, height: 900, path: "/medya/2026/11/liman-ab12-1600.jpg".into() },
                RenditionRef { width: 640, height: 360, path: "/medya/2026/11/liman-ab12-640.jpg".into() },
            ],
        }
    }

    #[test]
    fn library_images_in_a_body_get_their_renditions() {
        let items = [item()];
        let library = by_path(&items);
        let html = "<p>a</p>\n<figure><img src=\"/medya/2026/11/liman-ab12-1600.jpg\" alt=\"Liman\"></figure>\n<img src=\"https://elsewhere.example/x.jpg\" alt=\"x\">";
        assert_eq!(image_paths(html), ["/medya/2026/11/liman-ab12-1600.jpg"]);
        let out = responsive_body(html, &library);
        assert!(out.contains(
            "<img src=\"/medya/2026/11/liman-ab12-1600.jpg\" srcset=\"/medya/2026/11/liman-ab12-1600.jpg 1600w, /medya/2026/11/liman-ab12-640.jpg 640w\""
        ), "{out}");
        assert!(
            out.contains("width=\"1600\" height=\"900\" loading=\"lazy\" decoding=\"async\" alt=\"Liman\">"),
            "{out}"
        );
        assert!(out.ends_with("<img src=\"https://elsewhere.example/x.jpg\" alt=\"x\">"), "others untouched: {out}");
    }
}
