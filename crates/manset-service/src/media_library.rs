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

/// An image as a member uploaded it, with its texts as typed.
#[derive(Debug, Clone)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: Vec<u8>,
    pub alt: &'a str,
    pub caption: &'a str,
    pub credit: &'a str,
}

/// What came of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uploaded {
    /// New in the library, with its renditions.
    Added(Added),
    /// The same bytes were there already: nothing was added.
    Existing {
        id: i64,
    },
    Refused(UploadProblem),
}

/// Why an upload was not added; the screen says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadProblem {
    /// No file, or an empty one.
    NoFile,
    /// Over the site's limit (`media.max_megabytes`).
    TooLarge {
        max_megabytes: u32,
    },
    NotAnImage,
    TooManyPixels {
        width: u32,
        height: u32,
    },
    Corrupt,
    /// The alt text, caption or credit is longer than allowed.
    TextTooLong(manset_core::image::TextTooLong),
}

/// The largest upload when the newsroom has set none.
const DEFAULT_MAX_MEGABYTES: u32 = 20;

impl crate::Service {
    /// The largest image the newsroom takes, in megabytes.
    pub async fn max_upload_megabytes(&self) -> Result<u32, crate::Error> {
        let value = self.store().setting("media.max_megabytes").await?;
        Ok(value.and_then(|v| v.trim().parse().ok()).unwrap_or(DEFAULT_MAX_MEGABYTES))
    }

    /// The limits an upload is checked against.
    pub async fn upload_limits(&self) -> Result<Limits, crate::Error> {
        let megabytes = self.max_upload_megabytes().await?;
        Ok(Limits { max_bytes: megabytes as usize * 1024 * 1024, ..Limits::default() })
    }

    /// Adds `upload` to the library for `actor`, file names dated in `zone`;
    /// writes the audit log.
    pub async fn upload_image(
        &self,
        actor: &crate::Actor,
        zone: &TimeZone,
        upload: Upload<'_>,
    ) -> Result<Uploaded, crate::Error> {
        let started = std::time::Instant::now();
        let limits = self.upload_limits().await?;
        if let Err(e) = manset_core::image::check_text(upload.alt, upload.caption, upload.credit) {
            return Ok(Uploaded::Refused(UploadProblem::TextTooLong(e)));
        }
        if upload.bytes.is_empty() {
            return Ok(Uploaded::Refused(UploadProblem::NoFile));
        }
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let (caption, credit) = (opt(upload.caption), opt(upload.credit));
        let text = ImageText {
            file_name: upload.file_name,
            alt: upload.alt,
            caption: caption.as_deref(),
            credit: credit.as_deref(),
            uploaded_by: Some(actor.user.id),
        };
        let files = self.media_files();
        let added = match add_image(self.store(), files, zone, upload.bytes, &text, limits, self.now()).await {
            Ok(added) => added,
            Err(AddError::Media(e)) => return Ok(Uploaded::Refused(problem_of(e, limits))),
            Err(e) => return Err(e.into()),
        };
        if added.existing {
            return Ok(Uploaded::Existing { id: added.id });
        }
        let id = added.id;
        let ms = started.elapsed().as_millis() as u64;
        tracing::info!(media = id, renditions = added.renditions.len(), ms, "image uploaded");
        let name = upload.file_name.rsplit(['/', '\\']).next().unwrap_or("");
        let size = added.renditions.first().map(|r| format!("{}×{}", r.width, r.height)).unwrap_or_default();
        self.audit(actor, "media.upload", &format!("#{id} {name}"), &size).await;
        Ok(Uploaded::Added(added))
    }
}

fn problem_of(e: MediaError, limits: Limits) -> UploadProblem {
    match e {
        MediaError::TooLarge { .. } => {
            UploadProblem::TooLarge { max_megabytes: (limits.max_bytes / (1024 * 1024)) as u32 }
        }
        MediaError::NotAnImage => UploadProblem::NotAnImage,
        MediaError::TooManyPixels { width, height, .. } => UploadProblem::TooManyPixels { width, height },
        MediaError::Corrupt(_) => UploadProblem::Corrupt,
    }
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
