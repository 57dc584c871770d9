//! Moving a site's data: WordPress imports, export and restore of the whole
//! site, and online backups.

use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, bail};
use manset_store::{DB_FILE, Store};

async fn open(data: &Path) -> anyhow::Result<Store> {
    crate::cli::open_store(data).await
}

/// `manset migrate --from sqlite:DIR --to postgres://…`: every row of one
/// database into another, empty one (either engine to either), verified
/// table by table by row counts and checksums; with `--media`, the uploads
/// of a SQLite data folder are copied into that (shared) folder too.
pub async fn migrate(
    from: &manset_store::Location,
    to: &manset_store::Location,
    media: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    anyhow::ensure!(from != to, "--from and --to name the same database");
    let source = Store::connect(from).await.with_context(|| format!("opening {}", from.display()))?;
    let target = Store::connect(to).await.with_context(|| format!("opening {}", to.display()))?;
    let (restored, tables) = copy_rows(&source, &target, &from.display(), &to.display()).await?;
    for (table, count, sum) in &tables {
        say!("{table:<20} {count:>9} rows  {}  same", &sum[..16]);
    }
    let mut files = 0;
    if let (manset_store::Location::Sqlite(dir), Some(media)) = (from, media) {
        files = copy_tree(&dir.join("media"), media)?;
    }
    say!(
        "moved {restored} rows ({} tables, counts and checksums equal) and {files} media files from {} to {} in {:.1} s",
        tables.len(),
        from.display(),
        to.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Every row of `source` into the empty `target`, then both compared table by
/// table (rows and checksums); the rows written and each table's figures.
async fn copy_rows(
    source: &Store,
    target: &Store,
    from: &str,
    to: &str,
) -> anyhow::Result<(u64, Vec<(String, u64, String)>)> {
    // Through a temporary file, so that a site of any size moves in
    // bounded memory: one read transaction out, one write transaction in.
    let spool = tempfile::tempfile().context("creating a temporary file for the rows")?;
    let mut writer = BufWriter::new(spool);
    let exported = source
        .export_rows(|row| {
            serde_json::to_writer(&mut writer, &(row.table, row.row)).map_err(std::io::Error::other)?;
            writer.write_all(b"\n")
        })
        .await
        .with_context(|| format!("reading {from}"))?;
    let mut spool = writer.into_inner().context("writing the temporary file")?;
    std::io::Seek::rewind(&mut spool).context("reading the temporary file")?;
    let rows = std::io::BufRead::lines(BufReader::new(spool)).map(|line| {
        let line = line.map_err(manset_store::StoreError::Io)?;
        let (table, row): (String, String) = serde_json::from_str(&line)
            .map_err(|e| manset_store::RestoreError::BadRow { table: String::new(), why: e.to_string() })?;
        Ok(manset_store::DumpRow { table, row })
    });
    let version = source.schema_version().await?;
    let restored =
        target.restore_rows(version, rows).await.with_context(|| format!("writing into {to} (nothing was written)"))?;
    anyhow::ensure!(restored == exported, "read {exported} rows but wrote {restored}");
    let (before, after) = (source.table_checksums().await?, target.table_checksums().await?);
    if before != after {
        for ((table, count, sum), theirs) in before.iter().zip(&after) {
            let same = (table, count, sum) == (&theirs.0, &theirs.1, &theirs.2);
            say_err!("{table:<20} {count:>9} rows  {}  {}", &sum[..16], if same { "same" } else { "DIFFERENT" });
        }
        bail!("the copy in {to} differs from the original (see above); the original is untouched");
    }
    Ok((restored, before))
}

/// `manset export FILE`: the whole site as JSON Lines (`-` for standard output).
pub async fn export(data: &Path, output: &Path) -> anyhow::Result<ExitCode> {
    let store = open(data).await?;
    let started = Instant::now();
    let counts = if output == Path::new("-") {
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        manset_import::dump::export_site(&store, &crate::cli::media_dir(data), &mut out).await?
    } else {
        let file = create_private(output)?;
        let mut out = BufWriter::new(file);
        manset_import::dump::export_site(&store, &crate::cli::media_dir(data), &mut out).await?
    };
    store.close().await;
    say_err!(
        "exported {} rows and {} media files in {:.1} s{}",
        counts.rows,
        counts.files,
        started.elapsed().as_secs_f64(),
        if output == Path::new("-") { String::new() } else { format!(" to {}", output.display()) }
    );
    say_err!("the file holds password hashes and the site's signing secret: keep it as safe as the server");
    Ok(ExitCode::SUCCESS)
}

/// A new file only its owner may read.
fn create_private(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).with_context(|| format!("creating {} (it must not exist yet)", path.display()))
}

/// `manset import manset FILE`: a dump restored into an empty data folder.
pub async fn restore(data: &Path, input: &Path) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let store = open(data).await?;
    let started = Instant::now();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let counts = manset_import::dump::restore_site(&store, &crate::cli::media_dir(data), &mut reader)
        .await
        .with_context(|| format!("restoring {} into {}", input.display(), data.display()))?;
    // The search index is derived: `serve` builds it at start; build it now
    // so the site is searchable from its first request.
    let settings = store.settings().await?;
    let lang = settings.iter().find(|(k, _)| k == "site.lang").and_then(|(_, v)| v.parse().ok()).unwrap_or_default();
    let index =
        std::sync::Arc::new(manset_service::search_sync::open_index(data, lang).context("opening the search index")?);
    let indexed = manset_service::search_sync::rebuild(&store, &index).await.context("building the search index")?;
    store.close().await;
    say!(
        "restored {} rows and {} media files, indexed {indexed} articles, in {:.1} s",
        counts.rows,
        counts.files,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `manset backup DIR`: a consistent copy of the database, the search index
/// and the media, taken while `serve` runs. DIR is then a data folder.
pub async fn backup(data: &Path, dir: &Path) -> anyhow::Result<ExitCode> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("the backup folder {} is not empty: give a new or empty folder", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let started = Instant::now();
    let store = open(data).await?;
    // The database first: every media file it refers to exists by then, and
    // media files are never changed in place, only added and removed.
    let index = if store.engine() == "postgres" {
        // A PostgreSQL site is backed up as a SQLite data folder: one read
        // transaction of every row, checked table by table. Its search index
        // is made at the folder's first start (the index follows the
        // database it was built from).
        let copy = Store::open(dir).await.with_context(|| format!("creating the database in {}", dir.display()))?;
        copy_rows(&store, &copy, "the database", &dir.display().to_string()).await?;
        copy.close().await;
        store.close().await;
        0
    } else {
        store.backup_database(&dir.join(DB_FILE)).await.context("copying the database")?;
        store.close().await;
        copy_search_index(&data.join("search"), &dir.join("search"))?
    };
    let media = copy_tree(&crate::cli::media_dir(data), &dir.join("media"))?;
    say!(
        "backed up the database, {media} media files and {index} search index files to {} in {:.1} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Copies every file under `from` to `to`; a file removed meanwhile is skipped.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e).with_context(|| format!("reading {}", from.display())),
    };
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let mut count = 0;
    for entry in entries {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            count += copy_tree(&entry.path(), &target)?;
        } else {
            match std::fs::copy(entry.path(), &target) {
                Ok(_) => count += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("copying {}", entry.path().display())),
            }
        }
    }
    Ok(count)
}

/// The search index as of one commit: its `meta.json` and the segment files
/// it lists (segment files never change; merges write new ones). When a
/// listed file is merged away during the copy, the copy starts again from
/// the newer commit.
fn copy_search_index(from: &Path, to: &Path) -> anyhow::Result<u64> {
    let meta_path = from.join("meta.json");
    for _attempt in 0..5 {
        let meta = match std::fs::read(&meta_path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e).context("reading the search index"),
        };
        let parsed: serde_json::Value =
            serde_json::from_slice(&meta).context("reading the search index's meta.json")?;
        let segments: Vec<String> = parsed["segments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["segment_id"].as_str())
            .map(|id| id.replace('-', ""))
            .collect();
        if to.exists() {
            std::fs::remove_dir_all(to)?;
        }
        std::fs::create_dir_all(to)?;
        let mut copied = 0;
        let mut vanished = false;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = name.split('.').next().unwrap_or_default();
            if !segments.iter().any(|s| s == stem) {
                continue;
            }
            match std::fs::copy(entry.path(), to.join(&name)) {
                Ok(_) => copied += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    vanished = true;
                    break;
                }
                Err(e) => return Err(e).with_context(|| format!("copying {}", entry.path().display())),
            }
        }
        if vanished {
            continue;
        }
        std::fs::write(to.join("meta.json"), &meta)?;
        return Ok(copied + 1);
    }
    bail!(
        "the search index kept changing during the copy; try again, or rebuild it after restoring with `manset reindex`"
    )
}

/// `manset import wordpress FILE`.
pub async fn import_wordpress(
    data: &Path,
    file: &Path,
    timezone: &str,
    media_dir: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    if let Some(dir) = media_dir
        && !dir.is_dir()
    {
        bail!("--media-dir {} is not a folder: give the copy of the old site's wp-content/uploads", dir.display());
    }
    let time_zone = jiff::tz::TimeZone::get(timezone)
        .with_context(|| format!("unknown time zone `{timezone}`: give an IANA name such as Europe/Istanbul"))?;
    let store = open(data).await?;
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let mut last_shown = Instant::now();
    let mut progress = |done: u64, total: u64| {
        if terminal && (last_shown.elapsed().as_millis() >= 200 || done == total) && total > 0 {
            last_shown = Instant::now();
            let percent = done * 100 / total;
            let filled = (percent / 4) as usize;
            eprint!(
                "\r[{}{}] {percent:>3}%  {} / {} MB",
                "#".repeat(filled),
                " ".repeat(25 - filled),
                done >> 20,
                total >> 20
            );
            let _ = std::io::stderr().flush();
        }
    };
    let options = manset_import::wordpress::WordPressOptions { time_zone: time_zone.clone() };
    let result =
        manset_import::wordpress::import_wordpress(&store, file, &options, jiff::Timestamp::now(), &mut progress).await;
    if terminal {
        eprintln!();
    }
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            store.close().await;
            return Err(e.into());
        }
    };
    let media = match media_dir {
        Some(dir) => Some(copy_uploads(&store, data, dir, &report, &time_zone).await?),
        None => None,
    };
    store.close().await;
    say!("imported {} in {:.1} s:", file.display(), started.elapsed().as_secs_f64());
    for (kind, c) in &report.counts {
        say!(
            "  {kind:<11} {:>6} new  {:>6} updated  {:>6} unchanged  {:>6} skipped",
            c.created,
            c.updated,
            c.unchanged,
            c.skipped
        );
    }
    say!("  old addresses that now lead here: {}", report.redirects);
    if report.block_comments > 0 {
        say!("  block editor comments removed: {}", report.block_comments);
    }
    for (name, n) in &report.shortcodes_dropped {
        say!("  shortcode [{name}] dropped {n} times");
    }
    if !report.password_protected.is_empty() {
        say!("  password-protected, imported unpublished:");
        for what in &report.password_protected {
            say!("    {what}");
        }
    }
    if !report.notes.is_empty() {
        // One line per reason: what it concerned, the first few named.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for (what, why) in &report.notes {
            match reasons.iter_mut().find(|(w, _)| *w == why.as_str()) {
                Some((_, list)) => list.push(what),
                None => reasons.push((why, vec![what])),
            }
        }
        say!("  notes:");
        for (why, list) in reasons {
            let shown: Vec<&str> = list.iter().take(3).copied().collect();
            let more = if list.len() > 3 { format!(" and {} more", list.len() - 3) } else { String::new() };
            say!("    {why}: {}{more}", shown.join("; "));
        }
    }
    if let Some(m) = &media {
        say!(
            "  media: {} images added to the library ({} there already), {} not in {}, {} not images; \
             {} articles now show them from here",
            m.added,
            m.existing,
            m.missing,
            media_dir.map(|d| d.display().to_string()).unwrap_or_default(),
            m.refused,
            m.articles
        );
    } else if let Some(c) = report.counts.get("attachment") {
        say!(
            "  {} attachments: their files stay at their old addresses (bodies and lead images link there); \
             copy them into the media library to serve them from here",
            c.skipped
        );
    }
    if report.wrote_anything() {
        say!("a running `serve` indexes the imported articles within seconds; otherwise run `manset reindex`");
    }
    Ok(ExitCode::SUCCESS)
}

/// `manset feeds …`.
pub async fn feeds(data: &Path, command: crate::cli::FeedsCommand) -> anyhow::Result<ExitCode> {
    use crate::cli::FeedsCommand;
    let store = open(data).await?;
    let now = jiff::Timestamp::now();
    let code = match command {
        FeedsCommand::Add { url, source, category } => {
            let parsed = url.trim();
            if !(parsed.starts_with("http://") || parsed.starts_with("https://"))
                || parsed.contains(char::is_whitespace)
            {
                bail!("`{url}` is not a web address: give the feed's full address, starting with https://");
            }
            if source.trim().is_empty() {
                bail!("give the source's name with --source, as drafts should credit it (\"Turan\")");
            }
            match store.add_feed(parsed, &source, category.as_deref(), now).await? {
                Some(id) => {
                    say!("feed {id} added: {parsed}; `serve` reads it within a minute, or run `manset feeds poll`")
                }
                None => say!("already following {parsed}"),
            }
            ExitCode::SUCCESS
        }
        FeedsCommand::List => {
            for f in store.feeds().await? {
                let polled = f.last_polled_at.map_or_else(|| "never".to_owned(), |t| t.to_string());
                let error = f.last_error.map(|e| format!("  last error: {e}")).unwrap_or_default();
                say!("{}\t{}\t{}\tpolled {polled}\tfailures {}{error}", f.id, f.source_name, f.url, f.failures);
            }
            ExitCode::SUCCESS
        }
        FeedsCommand::Remove { id } => {
            if store.remove_feed(id).await? {
                say!("feed {id} removed; its drafts stay in the newsroom");
                ExitCode::SUCCESS
            } else {
                say_err!("there is no feed {id}: see `manset feeds list`");
                ExitCode::FAILURE
            }
        }
        FeedsCommand::Poll { all } => {
            let mut failed = false;
            for (feed, report) in manset_import::ingest::poll_due(&store, now, all).await? {
                match report.error {
                    Some(error) => {
                        failed = true;
                        say_err!("{} ({}): {error}", feed.source_name, feed.url);
                    }
                    None if report.not_modified => say!("{}: unchanged since the last poll", feed.source_name),
                    None => say!(
                        "{}: {} new drafts, {} seen before, {} already in from another feed",
                        feed.source_name,
                        report.drafts.len(),
                        report.seen_guid,
                        report.seen_link + report.seen_text
                    ),
                }
            }
            if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
    };
    store.close().await;
    Ok(code)
}

/// What `--media-dir` did.
#[derive(Debug, Default)]
struct MediaCopy {
    added: u64,
    existing: u64,
    missing: u64,
    refused: u64,
    articles: u64,
}

/// The attachments of an import, from a copy of `wp-content/uploads`, into
/// the media library; then the imported articles point at them.
async fn copy_uploads(
    store: &Store,
    data: &Path,
    dir: &Path,
    report: &manset_import::wordpress::WordPressReport,
    zone: &jiff::tz::TimeZone,
) -> anyhow::Result<MediaCopy> {
    use manset_import::wordpress::{rewrite_upload_urls, uploads_relative};
    let files = manset_service::media_files::MediaFiles::new(&crate::cli::media_dir(data));
    let now = jiff::Timestamp::now();
    let mut copy = MediaCopy::default();
    let mut moved = std::collections::HashMap::new();
    for (url, alt, caption) in &report.attachments {
        let Some(relative) = uploads_relative(url) else { continue };
        let path = relative.split('/').fold(dir.to_owned(), |p, part| p.join(part));
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                copy.missing += 1;
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let text = manset_service::media_library::ImageText {
            file_name: &relative,
            alt,
            caption: Some(caption.as_str()).filter(|c| !c.is_empty()),
            credit: None,
            uploaded_by: None,
        };
        let limits = manset_media_limits();
        match manset_service::media_library::add_image(store, &files, zone, bytes, &text, limits, now).await {
            Ok(added) => {
                if added.existing {
                    copy.existing += 1;
                } else {
                    copy.added += 1;
                }
                // The article column's size: the widest rendition up to 1600 px.
                let best = added
                    .renditions
                    .iter()
                    .filter(|r| r.width <= 1600)
                    .max_by_key(|r| r.width)
                    .or_else(|| added.renditions.iter().min_by_key(|r| r.width));
                if let Some(r) = best {
                    moved.insert(relative, r.path.clone());
                }
            }
            Err(manset_service::media_library::AddError::Media(why)) => {
                tracing::warn!(file = %path.display(), %why, "not added to the media library");
                copy.refused += 1;
            }
            Err(e) => return Err(e).with_context(|| format!("adding {} to the media library", path.display())),
        }
    }
    if moved.is_empty() {
        return Ok(copy);
    }
    copy.articles = store
        .rewrite_articles(&report.articles, now, |body, image| {
            let (body, n) = rewrite_upload_urls(body, &moved);
            let mut image = image.cloned();
            let mut changed = n > 0;
            if let Some(img) = image.as_mut()
                && let Some(new) = uploads_relative(&img.url).and_then(|r| moved.get(&r))
            {
                img.url.clone_from(new);
                // The library knows its size.
                img.width = None;
                img.height = None;
                changed = true;
            }
            changed.then_some((body, image))
        })
        .await?;
    Ok(copy)
}

/// The limits of an upload, without the newsroom's size setting: a file the
/// old site served is taken whatever its size in bytes.
fn manset_media_limits() -> manset_media::Limits {
    manset_media::Limits { max_bytes: 200 * 1024 * 1024, ..manset_media::Limits::default() }
}
