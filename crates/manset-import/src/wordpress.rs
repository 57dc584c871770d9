//! `manset import wordpress FILE.xml`: a WordPress export (WXR 1.0–1.2)
//! into the store, in one transaction.
//!
//! Two streaming passes over the file, neither holding it in memory: the
//! first checks it is well-formed WXR (a broken file imports nothing and
//! says at which line and column it broke) and collects what posts refer to
//! ahead of where it appears (attachments for featured images); the second
//! writes inside one [`ImportRun`]. Everything is remembered by its
//! WordPress id with a hash of what was imported, so the same file imported
//! again writes nothing, and a changed one updates in place.

use std::collections::{BTreeMap, HashMap};
use std::io::BufReader;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use manset_core::article::{MAX_HEADLINE_CHARS, MAX_STANDFIRST_CHARS};
use manset_core::{ArticleInput, CommentStatus, LeadImage, Status};
use manset_store::{ImportRun, Imported, ImportedComment, ImportedPage, LegacyTarget, Store, StoreError, Terms};
use manset_text::{html, shorten::shorten, slug};

use crate::wp_content;
use crate::wxr::{self, Item, Record, WxrError, WxrReader};

/// Why an import stopped; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum WordPressError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Wxr { path: PathBuf, source: WxrError },
    #[error("writing `{what}` failed, so nothing was imported: {source}")]
    Store { what: String, source: StoreError },
}

/// How an import runs.
#[derive(Debug, Clone)]
pub struct WordPressOptions {
    /// The zone of the dates WordPress wrote without one (`post_date`).
    pub time_zone: TimeZone,
}

/// Counts of one kind of thing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
}

impl Counts {
    fn add(&mut self, imported: Imported) {
        match imported {
            Imported::Created(_) => self.created += 1,
            Imported::Updated(_) => self.updated += 1,
            Imported::Unchanged(_) => self.unchanged += 1,
        }
    }

    /// Everything the file held of this kind.
    pub fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged + self.skipped
    }

    /// Created or updated: what this run wrote.
    pub fn written(&self) -> u64 {
        self.created + self.updated
    }
}

/// What an import did, kind by kind, and what it left out and why.
#[derive(Debug, Clone, Default)]
pub struct WordPressReport {
    /// By kind: `post`, `page`, `comment`, `category`, `tag`, `author`, `attachment`.
    pub counts: BTreeMap<&'static str, Counts>,
    /// `(what, why)` for everything skipped or changed on the way in.
    pub notes: Vec<(String, String)>,
    /// Posts imported unpublished because WordPress protected them with a password.
    pub password_protected: Vec<String>,
    /// Shortcodes dropped from bodies, by name, and Gutenberg block comments removed.
    pub shortcodes_dropped: BTreeMap<String, usize>,
    pub block_comments: usize,
    /// Old addresses that now lead here.
    pub redirects: u64,
    /// Every attachment of the file: its address, alt text and caption.
    pub attachments: Vec<(String, String, String)>,
    /// The articles of the file (new, updated or unchanged).
    pub articles: Vec<i64>,
}

impl WordPressReport {
    fn count(&mut self, kind: &'static str) -> &mut Counts {
        self.counts.entry(kind).or_default()
    }

    fn skip(&mut self, kind: &'static str, what: String, why: impl Into<String>) {
        self.count(kind).skipped += 1;
        self.notes.push((what, why.into()));
    }

    /// Whether this run wrote anything.
    pub fn wrote_anything(&self) -> bool {
        self.counts.values().any(|c| c.written() > 0)
    }
}

/// What the first pass learns: the site and the attachments posts point at.
#[derive(Debug, Default)]
struct Survey {
    source: String,
    /// WordPress attachment id → its file's address, alt text and caption.
    attachments: HashMap<String, (String, String, String)>,
    bytes: u64,
}

/// Reports progress: bytes read so far of the file's length.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

fn open(path: &Path) -> Result<WxrReader<BufReader<std::fs::File>>, WordPressError> {
    let file = std::fs::File::open(path).map_err(|source| WordPressError::Read { path: path.to_owned(), source })?;
    Ok(WxrReader::new(BufReader::with_capacity(256 * 1024, file)))
}

fn wxr_error(path: &Path) -> impl Fn(WxrError) -> WordPressError + '_ {
    move |source| WordPressError::Wxr { path: path.to_owned(), source }
}

/// The first pass: the whole file is well-formed WXR, and what posts refer to.
fn survey(path: &Path) -> Result<Survey, WordPressError> {
    let mut reader = open(path)?;
    let mut survey = Survey::default();
    let mut site_url = String::new();
    while let Some(record) = reader.next_record().map_err(wxr_error(path))? {
        match record {
            Record::Site(site) => {
                site_url = [site.base_site_url, site.base_blog_url, site.link]
                    .into_iter()
                    .map(|u| u.trim().trim_end_matches('/').to_owned())
                    .find(|u| !u.is_empty())
                    .unwrap_or_default();
            }
            Record::Item(item) if item.post_type == "attachment" => {
                let alt = meta(&item, "_wp_attachment_image_alt").unwrap_or_default().to_owned();
                let url = if item.attachment_url.is_empty() { item.guid.clone() } else { item.attachment_url.clone() };
                survey.attachments.insert(item.id.to_string(), (url, alt, html::to_text(&item.excerpt)));
            }
            _ => {}
        }
    }
    survey.bytes = reader.position();
    // Two exports of one site share their keys; a file without a site
    // address is keyed by its name, so it still re-imports in place.
    survey.source = if site_url.is_empty() {
        format!("wordpress:file:{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("export.xml"))
    } else {
        format!("wordpress:{site_url}")
    };
    Ok(survey)
}

fn meta<'a>(item: &'a Item, key: &str) -> Option<&'a str> {
    item.meta.iter().find(|m| m.key == key).map(|m| m.value.as_str())
}

/// A stable hash of what was imported, to tell an unchanged thing (FNV-1a;
/// stable across Rust versions, unlike `DefaultHasher`).
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.as_bytes().iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A WordPress date: `post_date_gmt` when set, else `post_date` in `tz`.
fn wp_time(gmt: &str, local: &str, tz: &TimeZone) -> Option<Timestamp> {
    let parse = |s: &str| -> Option<jiff::civil::DateTime> {
        let s = s.trim();
        if s.is_empty() || s.starts_with("0000") {
            return None;
        }
        s.replace(' ', "T").parse().ok()
    };
    if let Some(dt) = parse(gmt) {
        return TimeZone::UTC.to_timestamp(dt).ok();
    }
    parse(local).and_then(|dt| tz.to_timestamp(dt).ok())
}

/// An RSS date (`Thu, 05 Jan 2012 14:30:46 +0000`).
fn rfc2822(text: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::parse(text.trim()).ok().map(|z| z.timestamp())
}

/// The path (and query) of an address on the old site, if it is one.
fn old_path(link: &str) -> Option<String> {
    let link = link.trim();
    let rest = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://"))?;
    let at = rest.find('/')?;
    let path = &rest[at..];
    let path = path.split('#').next().unwrap_or(path);
    (path.len() > 1).then(|| path.to_owned())
}

/// Imports `path` into `store`. Either the whole file is imported, or
/// (on any error) nothing is.
pub async fn import_wordpress(
    store: &Store,
    path: &Path,
    options: &WordPressOptions,
    now: Timestamp,
    progress: Progress<'_>,
) -> Result<WordPressReport, WordPressError> {
    let survey = survey(path)?;
    let mut report = WordPressReport::default();
    let fail = |what: &str| {
        let what = what.to_owned();
        move |source: StoreError| WordPressError::Store { what: what.clone(), source }
    };
    let mut run = store.begin_import(&survey.source, now).await.map_err(fail("the import"))?;
    let mut reader = open(path)?;
    let mut state = RunState { now, authors: HashMap::new(), categories: HashMap::new(), tags: HashMap::new() };
    while let Some(record) = reader.next_record().map_err(wxr_error(path))? {
        match record {
            Record::Site(_) => {}
            Record::Author(a) => {
                let name = [a.display_name.trim(), &format!("{} {}", a.first_name.trim(), a.last_name.trim())]
                    .into_iter()
                    .map(str::trim)
                    .find(|n| !n.is_empty())
                    .unwrap_or(a.login.trim())
                    .to_owned();
                state.authors.insert(a.login.trim().to_owned(), name.clone());
                if a.email.trim().is_empty() {
                    report.skip("author", a.login.clone(), "no e-mail address: the byline is kept, no account made");
                    continue;
                }
                let hash = fingerprint(&[&a.email, &name]);
                let imported = run.account(a.login.trim(), &a.email, &name, &hash).await.map_err(fail(&a.login))?;
                report.count("author").add(imported);
            }
            Record::Category(c) => {
                let term = Term { slug: &c.slug, name: &c.name, parent: &c.parent };
                import_category(&mut run, &mut state, &mut report, &term).await?;
            }
            Record::Tag(t) => {
                let term = Term { slug: &t.slug, name: &t.name, parent: "" };
                import_tag(&mut run, &mut state, &mut report, &term).await?;
            }
            // WXR 1.2 may list a category or tag again among its terms: once is enough.
            Record::Term(t) if t.taxonomy == "category" => {
                if !state.categories.contains_key(t.slug.trim()) {
                    let term = Term { slug: &t.slug, name: &t.name, parent: &t.parent };
                    import_category(&mut run, &mut state, &mut report, &term).await?;
                }
            }
            Record::Term(t) if t.taxonomy == "post_tag" => {
                if !state.tags.contains_key(t.slug.trim()) {
                    let term = Term { slug: &t.slug, name: &t.name, parent: "" };
                    import_tag(&mut run, &mut state, &mut report, &term).await?;
                }
            }
            Record::Term(t) => {
                let why = match t.taxonomy.as_str() {
                    "nav_menu" => "menus are not imported: arrange the menu in the newsroom".to_owned(),
                    other => format!("terms of `{other}` have no place here"),
                };
                report.skip("term", format!("{} ({})", t.name, t.taxonomy), why);
            }
            Record::Item(item) => {
                import_item(&mut run, &item, &survey, &mut state, &mut report, options).await?;
            }
        }
        progress(reader.position(), survey.bytes);
    }
    run.commit().await.map_err(fail("the import"))?;
    let mut attachments: Vec<(String, String, String)> = survey.attachments.into_values().collect();
    attachments.sort();
    report.attachments = attachments;
    Ok(report)
}

/// A category or tag as the file gives it.
struct Term<'a> {
    slug: &'a str,
    name: &'a str,
    /// The parent's slug (categories only).
    parent: &'a str,
}

async fn import_category(
    run: &mut ImportRun,
    state: &mut RunState,
    report: &mut WordPressReport,
    c: &Term<'_>,
) -> Result<(), WordPressError> {
    let fail = |source: StoreError| WordPressError::Store { what: c.name.to_owned(), source };
    let parent = match c.parent.trim() {
        "" => None,
        p => state.categories.get(p).map(|(id, _)| *id),
    };
    if !c.parent.trim().is_empty() && parent.is_none() {
        report.notes.push((c.name.to_owned(), format!("its parent `{}` is not in the file", c.parent)));
    }
    if slug::slugify(c.name).is_empty() && slug::slugify(c.slug).is_empty() {
        report.skip("category", c.name.to_owned(), "neither its name nor its slug has a letter or digit");
        return Ok(());
    }
    let hash = fingerprint(&[c.name, c.slug, c.parent]);
    let key = c.slug.trim();
    let imported = run.category(key, c.name.trim(), key, parent, &hash).await.map_err(fail)?;
    report.count("category").add(imported);
    state.categories.insert(key.to_owned(), (imported.id(), c.name.trim().to_owned()));
    run.legacy_path(&format!("/category/{key}/"), LegacyTarget::Category(imported.id())).await.map_err(fail)?;
    report.redirects += 1;
    Ok(())
}

async fn import_tag(
    run: &mut ImportRun,
    state: &mut RunState,
    report: &mut WordPressReport,
    t: &Term<'_>,
) -> Result<(), WordPressError> {
    let fail = |source: StoreError| WordPressError::Store { what: t.name.to_owned(), source };
    if slug::slugify(t.name).is_empty() && slug::slugify(t.slug).is_empty() {
        report.skip("tag", t.name.to_owned(), "neither its name nor its slug has a letter or digit");
        return Ok(());
    }
    let hash = fingerprint(&[t.name, t.slug]);
    let key = t.slug.trim();
    let imported = run.tag(key, t.name.trim(), key, &hash).await.map_err(fail)?;
    report.count("tag").add(imported);
    state.tags.insert(key.to_owned(), (imported.id(), t.name.trim().to_owned()));
    run.legacy_path(&format!("/tag/{key}/"), LegacyTarget::Tag(imported.id())).await.map_err(fail)?;
    report.redirects += 1;
    Ok(())
}

/// What the second pass keeps: names by WordPress slug and login.
#[derive(Debug)]
struct RunState {
    /// When the import runs: the date of what has none.
    now: Timestamp,
    /// login → byline name
    authors: HashMap<String, String>,
    /// nicename → (our id, name)
    categories: HashMap<String, (i64, String)>,
    /// slug → name
    /// slug → (our id, name)
    tags: HashMap<String, (i64, String)>,
}

impl RunState {
    /// The category at WordPress slug `key`, imported now if the file's
    /// category list did not name it.
    async fn category(
        &mut self,
        run: &mut ImportRun,
        key: &str,
        name: &str,
    ) -> Result<Option<(i64, String)>, StoreError> {
        if let Some(found) = self.categories.get(key) {
            return Ok(Some(found.clone()));
        }
        if slug::slugify(key).is_empty() && slug::slugify(name).is_empty() {
            return Ok(None);
        }
        let name = if name.is_empty() { key } else { name };
        let id = run.category(key, name, key, None, &fingerprint(&[name, key])).await?.id();
        self.categories.insert(key.to_owned(), (id, name.to_owned()));
        Ok(Some((id, name.to_owned())))
    }

    /// The tag at WordPress slug `key`, imported now if the file's tag list did not name it.
    async fn tag(&mut self, run: &mut ImportRun, key: &str, name: &str) -> Result<Option<(i64, String)>, StoreError> {
        if let Some(found) = self.tags.get(key) {
            return Ok(Some(found.clone()));
        }
        if slug::slugify(key).is_empty() && slug::slugify(name).is_empty() {
            return Ok(None);
        }
        let name = if name.is_empty() { key } else { name };
        let id = run.tag(key, name, key, &fingerprint(&[name, key])).await?.id();
        self.tags.insert(key.to_owned(), (id, name.to_owned()));
        Ok(Some((id, name.to_owned())))
    }
}

async fn import_item(
    run: &mut ImportRun,
    item: &Item,
    survey: &Survey,
    state: &mut RunState,
    report: &mut WordPressReport,
    options: &WordPressOptions,
) -> Result<(), WordPressError> {
    let what = format!("#{} {}", item.id, item.title.trim());
    let fail = |source: StoreError| WordPressError::Store { what: what.clone(), source };
    match item.post_type.as_str() {
        "post" => {}
        "page" => return import_page(run, item, report, options, state.now).await,
        "attachment" => {
            report.count("attachment").skipped += 1;
            return Ok(());
        }
        "nav_menu_item" => {
            report.skip("other", what, "menu items are not imported: arrange the menu in the newsroom");
            return Ok(());
        }
        "revision" | "auto-draft" | "customize_changeset" | "oembed_cache" | "wp_global_styles" | "custom_css" => {
            report.skip("other", what, "WordPress's own bookkeeping");
            return Ok(());
        }
        other => {
            report.skip("other", what, format!("items of type `{other}` have no place here"));
            return Ok(());
        }
    }
    let status = match item.status.as_str() {
        "publish" | "future" => Status::Published,
        "draft" | "pending" | "private" => Status::Draft,
        other => {
            report.skip("post", what, format!("status `{other}` is not imported"));
            return Ok(());
        }
    };
    let status = if item.status == "pending" { Status::Review } else { status };
    let protected = !item.password.is_empty();
    let status = if protected {
        report.password_protected.push(what.clone());
        Status::Draft
    } else {
        status
    };
    if item.status == "private" {
        report.notes.push((what.clone(), "private in WordPress: imported as a draft".into()));
    }
    let dated = wp_time(&item.date_gmt, &item.date, &options.time_zone).or_else(|| rfc2822(&item.pub_date));
    if dated.is_none() {
        report.notes.push((what.clone(), "no date: dated at the import".into()));
    }
    let published_at = dated.unwrap_or(state.now);
    let updated_at = wp_time(&item.modified_gmt, &item.modified, &options.time_zone)
        .filter(|u| *u > published_at + jiff::SignedDuration::from_mins(1));

    let converted = wp_content::convert(&item.content);
    for (name, n) in &converted.report.shortcodes_dropped {
        *report.shortcodes_dropped.entry(name.clone()).or_default() += n;
    }
    report.block_comments += converted.report.block_comments;

    let mut headline = item.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if headline.is_empty() {
        headline = format!("WordPress #{}", item.id);
        report.notes.push((what.clone(), "no title: given its WordPress number".into()));
    } else if headline.chars().count() > MAX_HEADLINE_CHARS {
        headline = shorten(&headline, MAX_HEADLINE_CHARS);
        report.notes.push((what.clone(), format!("title longer than {MAX_HEADLINE_CHARS} characters: shortened")));
    }
    let standfirst = shorten(&html::to_text(&item.excerpt).replace('\n', " "), MAX_STANDFIRST_CHARS);

    // Terms by their WordPress slugs, as ids: a name need not make its slug.
    let mut categories: Vec<(String, (i64, String))> = Vec::new();
    let mut tags: Vec<(i64, String)> = Vec::new();
    for term in &item.terms {
        let (key, name) = (term.slug.trim(), term.name.trim());
        let found = match term.domain.as_str() {
            "category" => {
                state.category(run, key, name).await.map_err(fail)?.map(|c| categories.push((key.to_owned(), c)))
            }
            "post_tag" => state.tag(run, key, name).await.map_err(fail)?.map(|t| tags.push(t)),
            _ => continue,
        };
        if found.is_none() {
            report.notes.push((what.clone(), format!("the term `{name}` has no letter or digit: left out")));
        }
    }
    let category = if categories.is_empty() {
        report.notes.push((what.clone(), "no category: filed under “Genel”".into()));
        state.category(run, "manset:genel", "Genel").await.map_err(fail)?.expect("Genel makes a slug")
    } else {
        categories.remove(0).1
    };
    // We file an article under one category; the others stay with it as tags.
    for (key, (_, name)) in categories {
        if let Some(tag) = state.tag(run, &key, &name).await.map_err(fail)? {
            tags.push(tag);
        }
    }
    // One tag per id and per name (the article rules drop a repeated name,
    // and the ids must stay in step with the names).
    let mut seen_names: Vec<String> = Vec::new();
    tags.retain(|(_, name)| {
        let key = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let fresh = !seen_names.contains(&key);
        seen_names.push(key);
        fresh
    });
    let mut seen_ids: Vec<i64> = Vec::new();
    tags.retain(|(id, _)| {
        let fresh = !seen_ids.contains(id);
        seen_ids.push(*id);
        fresh
    });
    let terms = Terms { category_id: category.0, tag_ids: tags.iter().map(|t| t.0).collect() };
    let (category, tags): (String, Vec<String>) = (category.1, tags.into_iter().map(|t| t.1).collect());
    let author = state.authors.get(item.creator.trim()).cloned().unwrap_or_else(|| item.creator.trim().to_owned());
    let image =
        meta(item, "_thumbnail_id").and_then(|id| survey.attachments.get(id.trim())).map(|(url, alt, caption)| {
            LeadImage {
                url: url.clone(),
                alt: alt.clone(),
                caption: (!caption.is_empty()).then(|| caption.clone()),
                credit: None,
                width: None,
                height: None,
            }
        });
    let post_name = item.slug.trim();
    let input = ArticleInput {
        headline,
        standfirst,
        body: converted.body,
        slug: (!post_name.is_empty() && slug::is_valid(post_name)).then(|| post_name.to_owned()),
        category,
        tags,
        authors: if slug::slugify(&author).is_empty() { vec![] } else { vec![author] },
        published_at,
        updated_at,
        status,
        sources: vec![],
        seo_title: None,
        seo_description: None,
        correction: None,
        image,
        lang: None,
    };
    // Hashed without a date the import made up, so that the next run of
    // the same file finds it unchanged.
    let mut hashed = input.clone();
    if dated.is_none() {
        hashed.published_at = Timestamp::UNIX_EPOCH;
    }
    let json = serde_json::to_string(&hashed).unwrap_or_default();
    let hash = fingerprint(&[&json]);
    let (imported, saved) = match run.article(&item.id.to_string(), input, Some(&terms), &hash).await {
        Ok(done) => done,
        Err(StoreError::Invalid(why)) => {
            report.skip("post", what, why.to_string());
            return Ok(());
        }
        Err(e) => return Err(fail(e)),
    };
    report.count("post").add(imported);
    report.articles.push(saved.id);
    let target = LegacyTarget::Article(saved.id);
    let old = legacy_addresses(item, "p", &options.time_zone);
    run.legacy_paths(&old, target).await.map_err(fail)?;
    report.redirects += old.len() as u64;
    if item.is_sticky && status == Status::Published {
        run.feature(saved.id).await.map_err(fail)?;
    }
    import_comments(run, item, saved.id, report, options, state.now).await
}

/// The addresses a post or page had: `/?p=ID`, its permalink, and the
/// date-based permalink WordPress sites most often use.
fn legacy_addresses(item: &Item, key: &str, tz: &TimeZone) -> Vec<String> {
    let mut out = vec![format!("/?{key}={}", item.id)];
    if let Some(path) = old_path(&item.link) {
        out.push(path);
    }
    let name = item.slug.trim();
    if key == "p"
        && !name.is_empty()
        && let Some(at) = wp_time("", &item.date, tz)
    {
        let d = tz.to_datetime(at).date();
        out.push(format!("/{:04}/{:02}/{:02}/{name}/", d.year(), d.month(), d.day()));
    }
    out.dedup();
    out
}

async fn import_page(
    run: &mut ImportRun,
    item: &Item,
    report: &mut WordPressReport,
    options: &WordPressOptions,
    now: Timestamp,
) -> Result<(), WordPressError> {
    let what = format!("#{} {}", item.id, item.title.trim());
    let fail = |source: StoreError| WordPressError::Store { what: what.clone(), source };
    let draft = match item.status.as_str() {
        "publish" => !item.password.is_empty(),
        "draft" | "pending" | "private" | "future" => true,
        other => {
            report.skip("page", what, format!("status `{other}` is not imported"));
            return Ok(());
        }
    };
    if !item.password.is_empty() {
        report.password_protected.push(what.clone());
    }
    let converted = wp_content::convert(&item.content);
    for (name, n) in &converted.report.shortcodes_dropped {
        *report.shortcodes_dropped.entry(name.clone()).or_default() += n;
    }
    report.block_comments += converted.report.block_comments;
    let created = wp_time(&item.date_gmt, &item.date, &options.time_zone).unwrap_or(now);
    let modified = wp_time(&item.modified_gmt, &item.modified, &options.time_zone).unwrap_or(created);
    let page = ImportedPage {
        title: item.title.trim(),
        slug: item.slug.trim(),
        body: &converted.body,
        draft,
        created_at: created,
        modified_at: modified.max(created),
    };
    let hash = fingerprint(&[page.title, page.slug, page.body, if draft { "d" } else { "p" }]);
    let imported = run.page(&item.id.to_string(), &page, &hash).await.map_err(fail)?;
    report.count("page").add(imported);
    let old = legacy_addresses(item, "page_id", &options.time_zone);
    run.legacy_paths(&old, LegacyTarget::Page(imported.id())).await.map_err(fail)?;
    report.redirects += old.len() as u64;
    import_comments(run, item, 0, report, options, now).await
}

/// A post's comments, threads kept: a reply waits until its parent is in.
async fn import_comments(
    run: &mut ImportRun,
    item: &Item,
    article_id: i64,
    report: &mut WordPressReport,
    options: &WordPressOptions,
    now: Timestamp,
) -> Result<(), WordPressError> {
    let mut waiting: Vec<&wxr::Comment> = Vec::new();
    for c in &item.comments {
        let what = format!("comment #{} on #{}", c.id, item.id);
        if article_id == 0 {
            report.skip("comment", what, "comments on pages are not kept");
        } else if matches!(c.comment_type.as_str(), "pingback" | "trackback") {
            report.skip("comment", what, format!("a {}, not a reader's comment", c.comment_type));
        } else {
            waiting.push(c);
        }
    }
    // WordPress comment id → ours; a reply's parent is always on the same post.
    let mut ours: HashMap<u64, i64> = HashMap::new();
    loop {
        let before = waiting.len();
        let mut still = Vec::new();
        for c in waiting {
            let parent = match c.parent {
                0 => None,
                p => match ours.get(&p) {
                    Some(id) => Some(*id),
                    None if waiting_for(item, p) => {
                        still.push(c);
                        continue;
                    }
                    None => None,
                },
            };
            let id = import_comment(run, c, article_id, parent, report, options, now).await?;
            ours.insert(c.id, id);
        }
        if still.is_empty() {
            break;
        }
        if still.len() == before {
            // Replies to replies in a loop: the rest become top-level comments.
            for c in still {
                report.notes.push((format!("comment #{}", c.id), "its parent never came: kept at the top".into()));
                let id = import_comment(run, c, article_id, None, report, options, now).await?;
                ours.insert(c.id, id);
            }
            break;
        }
        waiting = still;
    }
    Ok(())
}

/// Whether comment `id` is among the item's readers' comments (so a reply to it waits for it).
fn waiting_for(item: &Item, id: u64) -> bool {
    item.comments.iter().any(|o| o.id == id && !matches!(o.comment_type.as_str(), "pingback" | "trackback"))
}

async fn import_comment(
    run: &mut ImportRun,
    c: &wxr::Comment,
    article_id: i64,
    parent_id: Option<i64>,
    report: &mut WordPressReport,
    options: &WordPressOptions,
    now: Timestamp,
) -> Result<i64, WordPressError> {
    let status = match c.approved.trim() {
        "1" | "approve" | "approved" => CommentStatus::Approved,
        "0" | "hold" => CommentStatus::Pending,
        "spam" => CommentStatus::Spam,
        "trash" | "post-trashed" => CommentStatus::Trash,
        // No approval field (or one WordPress never writes): held for a
        // moderator, neither published unasked nor thrown away unseen.
        other => {
            let what = if other.is_empty() { "no approval field".to_owned() } else { format!("approval `{other}`") };
            report.notes.push((format!("comment {}", c.id), format!("{what}: held for moderation")));
            CommentStatus::Pending
        }
    };
    let body = html::to_text(&c.content);
    let name = c.author.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = if name.is_empty() { "Anonim".to_owned() } else { html::to_text(&name) };
    let url = c.author_url.trim();
    let comment = ImportedComment {
        article_id,
        parent_id,
        name: &name,
        email: c.author_email.trim(),
        url: (url.starts_with("http://") || url.starts_with("https://")).then_some(url),
        ip: Some(c.author_ip.trim()).filter(|ip| !ip.is_empty()),
        body: &body,
        status,
        created_at: wp_time(&c.date_gmt, &c.date, &options.time_zone).unwrap_or(now),
    };
    let parent = parent_id.map(|p| p.to_string()).unwrap_or_default();
    let hash = fingerprint(&[&name, comment.email, url, &body, status.as_str(), &parent, &c.date_gmt, &c.date]);
    let imported = run
        .comment(&c.id.to_string(), &comment, &hash)
        .await
        .map_err(|source| WordPressError::Store { what: format!("comment #{}", c.id), source })?;
    report.count("comment").add(imported);
    Ok(imported.id())
}

/// Where an address of the old site's uploads folder points inside a copy
/// of it: `https://old.example/wp-content/uploads/2012/03/a.jpg` →
/// `2012/03/a.jpg`; the sizes WordPress made (`a-300x200.jpg`) lead to the
/// original (`a.jpg`).
pub fn uploads_relative(url: &str) -> Option<String> {
    const MARK: &str = "/wp-content/uploads/";
    let rest = &url[url.find(MARK)? + MARK.len()..];
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    if rest.is_empty() || rest.split('/').any(|p| p.is_empty() || p == "." || p == "..") || rest.contains('\\') {
        return None;
    }
    let (stem, ext) = rest.rsplit_once('.')?;
    // `name-300x200` → `name`
    let original = match stem.rsplit_once('-') {
        Some((head, size))
            if size.split_once('x').is_some_and(|(w, h)| {
                !w.is_empty() && !h.is_empty() && w.chars().chain(h.chars()).all(|c| c.is_ascii_digit())
            }) =>
        {
            head
        }
        _ => stem,
    };
    Some(format!("{original}.{ext}"))
}

/// `text` with every address of the old uploads folder that `moved` knows
/// (by [`uploads_relative`]) replaced by its new address; and how many.
pub fn rewrite_upload_urls(text: &str, moved: &HashMap<String, String>) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = text;
    while let Some(at) = rest.find("/wp-content/uploads/") {
        // The address runs from after the last quote, bracket or space before it.
        let start = rest[..at].rfind(['"', '\'', '(', ' ', '\n', '=', '>']).map_or(0, |i| i + 1);
        let end = rest[at..].find(['"', '\'', ')', ' ', '\n', '<', ']']).map_or(rest.len(), |i| at + i);
        let url = &rest[start..end];
        match uploads_relative(url).and_then(|r| moved.get(&r)) {
            Some(new) => {
                out.push_str(&rest[..start]);
                out.push_str(new);
                count += 1;
            }
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_addresses_lead_to_the_original_file() {
        let u = "https://eski.example/wp-content/uploads/2012/03/liman-300x200.jpg?v=2";
        assert_eq!(uploads_relative(u).as_deref(), Some("2012/03/liman.jpg"));
        assert_eq!(uploads_relative("/wp-content/uploads/2012/03/a-b.png").as_deref(), Some("2012/03/a-b.png"));
        assert_eq!(uploads_relative("/wp-content/uploads/../../etc/passwd.x"), None);
        assert_eq!(uploads_relative("https://eski.example/2012/03/a.jpg"), None);
    }

    #[test]
    fn bodies_point_at_the_moved_files() {
        let moved = HashMap::from([("2012/03/liman.jpg".to_owned(), "/medya/2026/11/liman-ab-1024.jpg".to_owned())]);
        let body = "<img src=\"https://eski.example/wp-content/uploads/2012/03/liman-300x200.jpg\" alt=\"x\"> \
                    [büyük](https://eski.example/wp-content/uploads/2012/03/liman.jpg) \
                    <img src=\"https://eski.example/wp-content/uploads/2012/03/yok.jpg\">";
        let (out, n) = rewrite_upload_urls(body, &moved);
        assert_eq!(n, 2);
        assert!(out.contains("<img src=\"/medya/2026/11/liman-ab-1024.jpg\" alt=\"x\">"), "{out}");
        assert!(out.contains("[büyük](/medya/2026/11/liman-ab-1024.jpg)"), "{out}");
        assert!(out.contains("uploads/2012/03/yok.jpg"), "what was not copied stays");
    }

    #[test]
    fn dates_prefer_gmt_and_fall_back_to_the_site_zone() {
        let tz = TimeZone::get("Europe/Istanbul").unwrap();
        let gmt = wp_time("2012-03-15 09:00:00", "2012-03-15 11:00:00", &tz).unwrap();
        assert_eq!(gmt.to_string(), "2012-03-15T09:00:00Z");
        let local = wp_time("0000-00-00 00:00:00", "2012-03-15 11:00:00", &tz).unwrap();
        assert_eq!(local.to_string(), "2012-03-15T09:00:00Z");
        assert!(wp_time("", "", &tz).is_none());
    }

    #[test]
    fn old_addresses_are_paths_of_the_old_site() {
        assert_eq!(old_path("http://eski.example/2012/03/15/bir-yazi/").as_deref(), Some("/2012/03/15/bir-yazi/"));
        assert_eq!(old_path("https://eski.example/?p=12").as_deref(), Some("/?p=12"));
        assert_eq!(old_path("https://eski.example/"), None);
        assert_eq!(old_path("yazi"), None);
    }

    #[test]
    fn fingerprints_tell_parts_apart() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["x"]), fingerprint(&["x"]));
    }
}
