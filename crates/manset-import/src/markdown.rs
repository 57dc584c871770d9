//! `manset import markdown PATH...`: content files (or folders of them) into
//! the store, each file on its own, each in one transaction.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use manset_store::{SaveOutcome, Store, StoreError};

use crate::front_matter::{ContentError, parse_content_file};

/// Why one file did not import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error("{0}")]
    Content(#[from] ContentError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// What happened to one file.
#[derive(Debug)]
pub struct FileOutcome {
    /// The file as named on the command line or found in a folder.
    pub path: PathBuf,
    /// The saved article, or why nothing was saved.
    pub result: Result<SaveOutcome, ImportError>,
}

/// What an import run did, file by file, in the order the files were read.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub files: Vec<FileOutcome>,
}

impl ImportReport {
    /// Files that failed: nothing of them was written.
    pub fn failures(&self) -> impl Iterator<Item = (&Path, &ImportError)> {
        self.files.iter().filter_map(|f| f.result.as_ref().err().map(|e| (f.path.as_path(), e)))
    }

    /// Files that were saved, with what was saved.
    pub fn saved(&self) -> impl Iterator<Item = (&Path, &SaveOutcome)> {
        self.files.iter().filter_map(|f| f.result.as_ref().ok().map(|o| (f.path.as_path(), o)))
    }
}

/// Imports every content file named in `paths`; folders are searched
/// recursively for `.md` and `.markdown` files (hidden entries and README
/// files skipped). A file imported before, by the same absolute path, updates
/// its article instead of adding another.
pub async fn import_paths(store: &Store, paths: &[PathBuf], now: Timestamp) -> ImportReport {
    let mut report = ImportReport::default();
    for path in paths {
        let mut files = Vec::new();
        if let Err(e) = collect(path, &mut files, true) {
            report.files.push(FileOutcome { path: path.clone(), result: Err(ImportError::Read(e)) });
            continue;
        }
        for file in files {
            let result = import_file(store, &file, now).await;
            match &result {
                Ok(outcome) => {
                    tracing::debug!(path = %file.display(), slug = %outcome.slug, "imported")
                }
                Err(e) => tracing::debug!(path = %file.display(), error = %e, "not imported"),
            }
            report.files.push(FileOutcome { path: file, result });
        }
    }
    report
}

async fn import_file(store: &Store, path: &Path, now: Timestamp) -> Result<SaveOutcome, ImportError> {
    let text = std::fs::read_to_string(path)?;
    let input = parse_content_file(&text, now)?;
    let absolute = std::fs::canonicalize(path)?;
    let key = format!("markdown:{}", absolute.display());
    Ok(store.save_article(input, Some(&key), now).await?)
}

fn is_content_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "markdown"))
}

fn collect(path: &Path, out: &mut Vec<PathBuf>, named: bool) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        // A file named on the command line is imported whatever its name.
        if named || is_content_file(path) {
            out.push(path.to_owned());
        }
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('.') && !name.eq_ignore_ascii_case("readme.md")
        })
        .collect();
    entries.sort();
    for entry in entries {
        collect(&entry, out, false)?;
    }
    Ok(())
}
