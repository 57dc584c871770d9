//! Adding an image to the media library: recognized by its content, checked
//! against the limits, kept private as uploaded, served as re-encoded
//! renditions named after it. The upload screen and the WordPress import
//! (`--media-dir`) both add images this one way.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use manset_media::{Inspected, Limits, MediaError};
use manset_store::{NewMedia, RenditionRef, Store, StoreError};
use sha2::{Digest, Sha256};

use crate::media_files::MediaFiles;

/// What to say about an image besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct ImageText<'a> {
    pub file_name: &'a str,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub uploaded_by: Option<i64>,
}

/// An image in the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub id: i64,
    /// It was there already (the same bytes): nothing was added.
    pub existing: bool,
    /// Its renditions, narrowest first; empty for an existing one.
    pub renditions: Vec<RenditionRef>,
}

/// Why an image was not added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{0}")]
    Media(#[from] MediaError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the media files: {0}")]
    Io(#[from] std::io::Error),
    #[error("the image task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// `file_name` without its folder and extension, as a slug for file names.
pub fn name_stem(file_name: &str) -> String {
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let mut slug = manset_text::slug::slugify(stem);
    slug.truncate(40);
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() { "gorsel".to_owned() } else { slug }
}

/// Pixels that may be decoded at the same time, across every upload and
/// import of this process: each decoded pixel costs up to 4 bytes, and the
/// renditions about a third more, so decoding stays under about 350 MB
/// however many uploads arrive at once. One image larger than the budget
/// (the limits allow 50 megapixels) waits until it has the budget to itself.
pub const DECODE_BUDGET_PIXELS: u64 = 64 * 1024 * 1024;
/// The budget's unit: a kilopixel (the semaphore counts in `u32`).
const UNIT: u64 = 1024;
static DECODE_BUDGET: tokio::sync::Semaphore =
    tokio::sync::Semaphore::const_new((DECODE_BUDGET_PIXELS / UNIT) as usize);

/// Adds `bytes` to the library (or finds the same image there).
pub async fn add_image(
    store: &Store,
    files: &MediaFiles,
    zone: &TimeZone,
    bytes: Vec<u8>,
    text: &ImageText<'_>,
    limits: Limits,
    now: Timestamp,
) -> Result<Added, AddError> {
    let inspected: Inspected = manset_media::inspect(&bytes, limits)?;
    let sha = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>();
    if let Some(existing) = store.media_by_hash(&sha).await? {
        return Ok(Added { id: existing.id, existing: true, renditions: existing.renditions });
    }
    let (data, kind) = (bytes, inspected);
    let pixels = u64::from(inspected.width) * u64::from(inspected.height);
    let units = (pixels.div_ceil(UNIT)).clamp(1, DECODE_BUDGET_PIXELS / UNIT) as u32;
    // Never closed, so acquiring cannot fail.
    let _budget = DECODE_BUDGET.acquire_many(units).await.map_err(|e| AddError::Io(std::io::Error::other(e)))?;
    let (bytes, renditions) = tokio::task::spawn_blocking(move || {
        let renditions = manset_media::renditions(&data, kind);
        (data, renditions)
    })
    .await?;
    let renditions = renditions?;
    let local = zone.to_datetime(now);
    let stem = name_stem(text.file_name);
    let original_path = files.save_original(&sha, inspected.kind.extension(), &bytes).await?;
    let mut refs = Vec::with_capacity(renditions.len());
    for r in &renditions {
        let path = format!(
            "/medya/{:04}/{:02}/{stem}-{}-{}.{}",
            local.year(),
            local.month(),
            &sha[..10],
            r.width,
            r.kind.extension()
        );
        files.save_public(&path, &r.bytes).await?;
        refs.push(RenditionRef { width: r.width, height: r.height, path });
    }
    let new = NewMedia {
        sha256: &sha,
        original_name: text.file_name.rsplit(['/', '\\']).next().unwrap_or(""),
        original_path: &original_path,
        mime: inspected.kind.mime(),
        width: inspected.width,
        height: inspected.height,
        bytes: bytes.len() as u64,
        alt: text.alt,
        caption: text.caption,
        credit: text.credit,
        uploaded_by: text.uploaded_by,
        renditions: &refs,
    };
    let id = store.add_media(&new, now).await?;
    Ok(Added { id, existing: false, renditions: refs })
}
