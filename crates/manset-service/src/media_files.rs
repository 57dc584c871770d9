//! Where media files live: `<data>/media/`, or the folder `--media` names
//! (shared by every app server of a site). Originals under `originals/`
//! (never served: they may carry camera metadata), renditions under
//! `public/YYYY/MM/` (served at `/medya/YYYY/MM/…`).
//!
//! Invariants: names are made here from a content hash and a slug, never
//! taken from the upload; a path read for a request is checked to be plain
//! `[a-z0-9-.]` components under `public/`, so no request reaches another file.

use std::path::{Path, PathBuf};

/// The media folder of a site.
#[derive(Debug, Clone)]
pub struct MediaFiles {
    root: PathBuf,
}

/// The URL prefix of public media.
pub const URL_PREFIX: &str = "/medya/";

impl MediaFiles {
    /// The media folder at `root` (the data folder's `media`, or a folder
    /// every app server shares).
    pub fn new(root: &Path) -> MediaFiles {
        MediaFiles { root: root.to_owned() }
    }

    /// Writes a file atomically (a temporary file, then a rename), creating
    /// folders as needed. `relative` is one of our own names.
    async fn write(&self, relative: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let temporary = path.with_extension("part");
        tokio::fs::write(&temporary, bytes).await?;
        tokio::fs::rename(&temporary, &path).await
    }

    /// Keeps the original upload privately; returns its path under the media folder.
    pub async fn save_original(&self, sha256: &str, extension: &str, bytes: &[u8]) -> std::io::Result<String> {
        let relative = format!("originals/{sha256}.{extension}");
        self.write(&relative, bytes).await?;
        Ok(relative)
    }

    /// Writes a rendition; `url_path` is its public path (`/medya/2026/11/x.jpg`).
    pub async fn save_public(&self, url_path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let relative = public_relative(url_path).ok_or_else(|| std::io::Error::other("not a media path"))?;
        self.write(&format!("public/{relative}"), bytes).await
    }

    /// The bytes of a public file, if `url_path` names one.
    pub async fn read_public(&self, url_path: &str) -> Option<Vec<u8>> {
        let relative = public_relative(url_path)?;
        tokio::fs::read(self.root.join("public").join(relative)).await.ok()
    }
}

/// `2026/11/liman-3fa2c1-640.jpg` for `/medya/2026/11/liman-3fa2c1-640.jpg`,
/// if every part is a plain name.
pub fn public_relative(url_path: &str) -> Option<&str> {
    let relative = url_path.strip_prefix(URL_PREFIX)?;
    let plain = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
    };
    (relative.split('/').count() <= 4 && relative.split('/').all(plain)).then_some(relative)
}

/// The content type of a public media file, by the extension we gave it.
pub fn content_type(path: &str) -> Option<&'static str> {
    match path.rsplit_once('.')?.1 {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_under_medya_are_files() {
        assert_eq!(public_relative("/medya/2026/11/liman-3fa2c1-640.jpg"), Some("2026/11/liman-3fa2c1-640.jpg"));
        for bad in [
            "/medya/../manset.db",
            "/medya/2026/../../x",
            "/medya/.hidden",
            "/medya/a//b",
            "/static/x.jpg",
            "/medya/A.JPG",
        ] {
            assert_eq!(public_relative(bad), None, "{bad}");
        }
    }
}
