//! `manset export` and `manset import manset`: the whole site as one
//! versioned JSON Lines file, and back into an empty data folder.
//!
//! The file, a JSON value per line:
//!
//! ```text
//! {"manset_dump":1,"schema":11}                      the format and the database schema version
//! {"table":"articles","row":{"id":1,"slug":…}}       every row of every table (ids kept)
//! {"file":"media/originals/…","base64":"…"}          every media file, originals and renditions
//! ```
//!
//! Rows come from one read transaction (a consistent moment, also while the
//! site runs) in a fixed order, files sorted by path, and nothing in the
//! file says when it was written: the same site always gives the same
//! bytes, so an export of a restored site equals the export it came from.
//! The search index is not in the file: it is derived, and rebuilt after a
//! restore. The file holds password hashes and the site's signing secret:
//! it is written readable by its owner only.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use manset_store::{DumpRow, RestoreError, Store, StoreError};

/// The dump format's version.
pub const DUMP_FORMAT: u64 = 1;

/// The folder a dump carries besides the database, as its file names begin.
const FILE_FOLDERS: [&str; 1] = ["media"];

/// Why an export or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Restore(#[from] RestoreError),
    #[error("cannot read or write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("line {line} of the dump: {why}")]
    Format { line: u64, why: String },
}

/// What an export or restore moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DumpCounts {
    pub rows: u64,
    pub files: u64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> DumpError + '_ {
    move |source| DumpError::Io { path: path.to_owned(), source }
}

/// Every file under `dir`, as paths relative to `base`, sorted.
fn files_under(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DumpError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(dir)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io(&path))?;
        if kind.is_dir() {
            files_under(base, &path, out)?;
        } else if kind.is_file()
            && let Ok(relative) = path.strip_prefix(base)
        {
            out.push(relative.to_owned());
        }
    }
    Ok(())
}

/// Writes the site (database `store`, uploads in `media_dir`) to `out`.
pub async fn export_site(store: &Store, media_dir: &Path, out: &mut dyn Write) -> Result<DumpCounts, DumpError> {
    let schema = store.schema_version().await?;
    let target = Path::new("the export");
    writeln!(out, "{}", serde_json::json!({ "manset_dump": DUMP_FORMAT, "schema": schema })).map_err(io(target))?;
    let rows = store
        .export_rows(|r| {
            let table = serde_json::Value::String(r.table).to_string();
            writeln!(out, "{{\"table\":{table},\"row\":{}}}", r.row)
        })
        .await?;
    // Files after the rows: a file added meanwhile is harmless, and every
    // file the rows refer to existed when they were read.
    let mut files = Vec::new();
    files_under(media_dir, media_dir, &mut files)?;
    files.sort();
    for relative in &files {
        let path = media_dir.join(relative);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            // Deleted since it was listed.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&path)(e)),
        };
        let name = std::iter::once(std::borrow::Cow::Borrowed(FILE_FOLDERS[0]))
            .chain(relative.components().map(|c| c.as_os_str().to_string_lossy()))
            .collect::<Vec<_>>()
            .join("/");
        let line = serde_json::json!({ "file": name, "base64": STANDARD.encode(&bytes) });
        writeln!(out, "{line}").map_err(io(target))?;
    }
    out.flush().map_err(io(target))?;
    Ok(DumpCounts { rows, files: files.len() as u64 })
}

/// A file's place in the media folder, if the dump names a safe one:
/// `media/…`, relative, without `..`.
fn safe_path(media_dir: &Path, name: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = name.split('/').collect();
    let inside = parts.first().is_some_and(|f| FILE_FOLDERS.contains(f));
    let clean = parts.iter().all(|p| !p.is_empty() && *p != "." && *p != ".." && !p.contains('\\'));
    (inside && clean && parts.len() >= 2).then(|| parts[1..].iter().fold(media_dir.to_owned(), |acc, p| acc.join(p)))
}

/// Restores a dump into the empty site `store` with uploads in `media_dir`:
/// the rows in one transaction (none if any is wrong), then the files.
pub async fn restore_site(store: &Store, media_dir: &Path, input: &mut dyn BufRead) -> Result<DumpCounts, DumpError> {
    let source = Path::new("the dump");
    let mut lines = input.lines();
    let first = lines.next().transpose().map_err(io(source))?.unwrap_or_default();
    let header: serde_json::Value =
        serde_json::from_str(&first).map_err(|_| DumpError::Format { line: 1, why: "not a Manşet dump".into() })?;
    let format = header.get("manset_dump").and_then(|v| v.as_u64());
    if format != Some(DUMP_FORMAT) {
        let why = match format {
            Some(v) => format!("dump format {v}; this program reads format {DUMP_FORMAT}"),
            None => "not a Manşet dump (no `manset_dump` header)".into(),
        };
        return Err(DumpError::Format { line: 1, why });
    }
    let schema = header.get("schema").and_then(|v| v.as_i64()).unwrap_or(0);

    // Rows stream into the restore; the first file line ends them and is kept.
    let mut line_no = 1u64;
    let mut first_file: Option<(u64, String)> = None;
    let mut failure: Option<DumpError> = None;
    let rows =
        std::iter::from_fn(|| {
            if first_file.is_some() || failure.is_some() {
                return None;
            }
            let line = match lines.next()? {
                Ok(line) => line,
                Err(e) => {
                    failure = Some(io(source)(e));
                    return None;
                }
            };
            line_no += 1;
            if line.starts_with("{\"file\"") {
                first_file = Some((line_no, line));
                return None;
            }
            Some(parse_row(&line).ok_or_else(|| RestoreError::BadRow {
                table: format!("(line {line_no})"),
                why: "not a table row".into(),
            }))
        });
    let restored = store.restore_rows(schema, rows).await?;
    if let Some(e) = failure {
        return Err(e);
    }
    let mut files = 0;
    let mut pending = first_file;
    loop {
        let (n, line) = match pending.take() {
            Some(next) => next,
            None => match lines.next() {
                Some(line) => {
                    line_no += 1;
                    (line_no, line.map_err(io(source))?)
                }
                None => break,
            },
        };
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| DumpError::Format { line: n, why: e.to_string() })?;
        let name = value.get("file").and_then(|v| v.as_str()).unwrap_or_default();
        let path = safe_path(media_dir, name)
            .ok_or_else(|| DumpError::Format { line: n, why: format!("a file outside the media folder: `{name}`") })?;
        let bytes = STANDARD
            .decode(value.get("base64").and_then(|v| v.as_str()).unwrap_or_default())
            .map_err(|e| DumpError::Format { line: n, why: e.to_string() })?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
        files += 1;
    }
    Ok(DumpCounts { rows: restored, files })
}

/// `{"table":"…","row":{…}}` as written by [`export_site`].
fn parse_row(line: &str) -> Option<DumpRow> {
    let mut value: serde_json::Value = serde_json::from_str(line).ok()?;
    let table = value.get("table")?.as_str()?.to_owned();
    let row = value.get_mut("row")?.take();
    row.is_object().then(|| DumpRow { table, row: row.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_restored_only_inside_the_media_folder() {
        let data = Path::new("/shared/media");
        assert_eq!(safe_path(data, "media/2024/06/a.jpg"), Some(PathBuf::from("/shared/media/2024/06/a.jpg")));
        for bad in ["../etc/passwd", "media/../manset.db", "/etc/passwd", "search/meta.json", "media", "media//a"] {
            assert_eq!(safe_path(data, bad), None, "{bad}");
        }
    }
}
