//! Adding an image to the media library: recognized by its content, checked
//! against the limits, kept private as uploaded, served as re-encoded
//! renditions named after it. The upload screen and the WordPress import
//! (`--media-dir`) both add images this one way.

use std::sync::atomic::{AtomicU64, Ordering};

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
/// import of this process: each decoded pixel costs 3 or 4 bytes, and the
/// renditions about a third more, so decoding stays under about 350 MB
/// however many uploads arrive at once. One image larger than the budget
/// (the limits allow 50 megapixels) waits until it has the budget to itself.
pub const DECODE_BUDGET_PIXELS: u64 = 64 * 1024 * 1024;

/// The process's decoding budget.
static DECODES: DecodeBudget = DecodeBudget::new(DECODE_BUDGET_PIXELS);

/// A budget of pixels being decoded at once, and the most it ever had out.
pub struct DecodeBudget {
    semaphore: tokio::sync::Semaphore,
    pixels: u64,
    out: AtomicU64,
    peak: AtomicU64,
}

/// Pixels taken from a [`DecodeBudget`], given back when dropped.
pub struct Decoding<'a> {
    out: &'a AtomicU64,
    pixels: u64,
    _permit: tokio::sync::SemaphorePermit<'a>,
}

impl DecodeBudget {
    /// The semaphore counts kilopixels (it counts in `u32`).
    const UNIT: u64 = 1024;

    pub const fn new(pixels: u64) -> DecodeBudget {
        DecodeBudget {
            semaphore: tokio::sync::Semaphore::const_new((pixels / Self::UNIT) as usize),
            pixels,
            out: AtomicU64::new(0),
            peak: AtomicU64::new(0),
        }
    }

    /// Waits until `pixels` may be decoded (all of the budget, for an image
    /// larger than it).
    pub async fn take(&self, pixels: u64) -> Decoding<'_> {
        let units = pixels.div_ceil(Self::UNIT).clamp(1, self.pixels / Self::UNIT) as u32;
        let Ok(permit) = self.semaphore.acquire_many(units).await else {
            unreachable!("the decode budget's semaphore is never closed")
        };
        let pixels = u64::from(units) * Self::UNIT;
        let out = self.out.fetch_add(pixels, Ordering::SeqCst) + pixels;
        self.peak.fetch_max(out, Ordering::SeqCst);
        Decoding { out: &self.out, pixels, _permit: permit }
    }

    /// The most pixels ever out at once.
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::SeqCst)
    }
}

impl Drop for Decoding<'_> {
    fn drop(&mut self) {
        self.out.fetch_sub(self.pixels, Ordering::SeqCst);
    }
}

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
    let _decoding = DECODES.take(u64::from(inspected.width) * u64::from(inspected.height)).await;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Twenty uploads of 7000×7000 at once decode one at a time; small ones
    /// share what is left.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn parallel_decodes_never_take_more_than_the_budget() {
        let budget = std::sync::Arc::new(DecodeBudget::new(DECODE_BUDGET_PIXELS));
        let mut decodes = Vec::new();
        for n in 0..40u64 {
            let budget = std::sync::Arc::clone(&budget);
            let pixels = if n % 2 == 0 { 7000 * 7000 } else { 1000 * 800 };
            decodes.push(tokio::spawn(async move {
                let _decoding = budget.take(pixels).await;
                tokio::task::yield_now().await;
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }));
        }
        for d in decodes {
            d.await.unwrap();
        }
        assert!(budget.peak() <= DECODE_BUDGET_PIXELS, "{} pixels out at once", budget.peak());
        assert!(budget.peak() >= 7000 * 7000, "a big one had its turn");
        assert_eq!(
            budget.semaphore.available_permits() as u64,
            DECODE_BUDGET_PIXELS / DecodeBudget::UNIT,
            "all given back"
        );
        // Larger than the whole budget: it waits for all of it, then goes.
        let _alone = budget.take(DECODE_BUDGET_PIXELS * 3).await;
        assert_eq!(budget.semaphore.available_permits(), 0);
    }
}
