//! Agency ingest: feeds polled on a schedule; every new item becomes a
//! draft in the newsroom, credited to its source, its original link kept.
//!
//! RSS 0.9x/1.0/2.0, Atom and JSON Feed are read by `feed-rs`, after
//! `encoding::decode` made UTF-8 of them as browsers would (a byte-order
//! mark, UTF-16/32 by their shape, the HTTP charset, the XML declaration,
//! WHATWG labels; double-encoded UTF-8 repaired).
//! An item is new unless this feed gave its id before, any feed gave its
//! link, or an item sharing 80% of its words (title and summary) came in
//! during the last two weeks: the same agency story through two feeds, or
//! sent again with a comma changed, is one draft. Fetching is a
//! conditional GET (ETag, Last-Modified); a feed that fails waits twice as
//! long after each failure, up to a day.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use manset_core::article::{MAX_HEADLINE_CHARS, MAX_STANDFIRST_CHARS};
use manset_core::{ArticleInput, SourceCredit, Status};
use manset_store::{Feed, PollResult, Seen, Store, StoreError};
use manset_text::{html, shorten::shorten};

/// How often a healthy feed is read.
pub const POLL_EVERY: SignedDuration = SignedDuration::from_mins(10);
/// The longest wait after failures.
const MAX_BACKOFF: SignedDuration = SignedDuration::from_hours(24);
/// How far back near-identical texts count as the same story.
const SAME_STORY_WINDOW: SignedDuration = SignedDuration::from_hours(14 * 24);
/// The share of words two texts must have in common to be one story.
pub const SAME_STORY_SHARE: f64 = 0.8;
/// Texts shorter than this (distinct words) are one story only when equal.
const MIN_WORDS_TO_COMPARE: usize = 8;
/// How many recent items a new one is compared with.
const RECENT_ITEMS: u32 = 20_000;
/// The largest feed document read.
const MAX_FEED_BYTES: u64 = 10 * 1024 * 1024;
/// Where drafts go when the feed names no category.
pub const DEFAULT_CATEGORY: &str = "Ajans";

/// An item of a feed, as the newsroom gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The item's id in its feed (`guid`, Atom `id`; feed-rs makes one from
    /// the item's content when the feed gives none).
    pub guid: String,
    pub link: Option<String>,
    /// Plain text.
    pub title: String,
    /// Plain text.
    pub summary: String,
    /// The full text as HTML, when the feed carries it (else the summary's).
    pub body_html: String,
    pub published: Option<Timestamp>,
}

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("not a feed we can read (RSS, Atom or JSON Feed): {0}")]
    Parse(String),
    #[error("the server answered {0}")]
    Status(u16),
    #[error("cannot fetch it: {0}")]
    Fetch(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A feed document read into entries; `http_charset` is the charset of the
/// answer's `Content-Type`, if it named one.
pub fn parse(bytes: &[u8], url: Option<&str>, http_charset: Option<&str>) -> Result<Vec<FeedEntry>, FeedError> {
    let text = with_rss_version(crate::encoding::decode(bytes, http_charset));
    let feed = feed_rs::parser::Builder::new()
        .base_uri(url)
        // feed-rs's own ids for items without one, except its last resort
        // (a random UUID, new at every poll): those get ours, from the text.
        .id_generator(|links, title, uri| match (links.first(), title, uri) {
            (None, None, _) | (None, Some(_), None) => String::new(),
            _ => feed_rs::parser::generate_id(links, title, uri),
        })
        .build()
        .parse(text.as_bytes())
        .map_err(|e| FeedError::Parse(what_is_wrong(&text).unwrap_or_else(|| e.to_string())))?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let title = e.title.map(|t| html::to_text(&t.content)).unwrap_or_default();
            let summary_html = e.summary.map(|s| s.content).unwrap_or_default();
            let body_html = e.content.and_then(|c| c.body).filter(|b| !b.trim().is_empty());
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.trim().to_owned())
                .filter(|l| !l.is_empty());
            let guid = if e.id.is_empty() {
                format!(
                    "manset:{:016x}",
                    fingerprint_exact(&[&title, &summary_html, body_html.as_deref().unwrap_or("")])
                )
            } else {
                e.id
            };
            FeedEntry {
                guid,
                link,
                title: title.split_whitespace().collect::<Vec<_>>().join(" "),
                summary: html::to_text(&summary_html).split_whitespace().collect::<Vec<_>>().join(" "),
                body_html: body_html.unwrap_or(summary_html),
                published: e.published.or(e.updated).and_then(|d| Timestamp::from_second(d.timestamp()).ok()),
            }
        })
        .collect())
}

/// The name of the document's first element, past the declaration,
/// comments and doctype.
fn root_element(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if rest.starts_with(['?', '!']) {
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        return Some(&rest[..end]);
    }
}

/// An `<rss>` without its `version` read as RSS 2.0, as feed readers do
/// (feed-rs refuses it).
fn with_rss_version(text: String) -> String {
    let Some(at) = text.find("<rss") else { return text };
    if root_element(&text) != Some("rss") {
        return text;
    }
    let tag_end = text[at..].find('>').map_or(text.len(), |i| at + i);
    if text[at..tag_end].contains("version") {
        return text;
    }
    format!("{} version=\"2.0\"{}", &text[..at + 4], &text[at + 4..])
}

/// What is wrong with a document the parser refused, said so the newsroom
/// can act (the parser's own "no root element" says little).
fn what_is_wrong(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Some("the document is empty".into());
    }
    if !trimmed.starts_with(['<', '{', '[']) {
        return Some("this is not a feed: it is neither XML (RSS, Atom) nor JSON Feed".into());
    }
    match root_element(text).map(str::to_ascii_lowercase).as_deref() {
        Some("rss") if !text.contains("<channel") => Some(
            "this RSS document has no <channel>: RSS keeps its title and items in one; ask the sender to fix the feed"
                .into(),
        ),
        Some("html") => {
            Some("this is a web page (HTML), not a feed: give the feed's own address (often …/rss or …/feed)".into())
        }
        Some(other) if !matches!(other, "rss" | "feed" | "rdf:rdf") => {
            Some(format!("the document's root element is <{other}>, not <rss>, <feed> (Atom) or <rdf:RDF>"))
        }
        _ => None,
    }
}

/// A text as compared for near-duplicates: lowercased words of letters and
/// digits, space-separated.
pub fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two texts (as [`words`]) tell the same story: at least
/// [`SAME_STORY_SHARE`] of their distinct words are shared (Jaccard), and
/// they are long enough to tell (shorter ones must be equal).
pub fn same_story(a: &str, b: &str) -> bool {
    if a == b {
        return !a.is_empty();
    }
    let (a, b) = (word_set(a), word_set(b));
    if a.len().min(b.len()) < MIN_WORDS_TO_COMPARE {
        return false;
    }
    let shared = a.intersection(&b).count();
    let all = a.union(&b).count();
    shared as f64 >= SAME_STORY_SHARE * all as f64
}

fn word_set(s: &str) -> std::collections::HashSet<&str> {
    s.split(' ').filter(|w| !w.is_empty()).collect()
}

/// A hash of exact texts (FNV-1a), for ids of items that have none.
fn fingerprint_exact(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.as_bytes().iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// What a fetch brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: nothing new since the last poll.
    NotModified,
    Document {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
        /// The charset the answer's `Content-Type` named.
        charset: Option<String>,
    },
}

/// GETs `url`, conditionally on what the last poll saw. Blocking: run it
/// off the async threads.
pub fn fetch(url: &str, etag: Option<&str>, last_modified: Option<&str>) -> Result<Fetched, FeedError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .user_agent(concat!("Manset/", env!("CARGO_PKG_VERSION"), " (feed reader)"))
        .build()
        .into();
    let mut request = agent.get(url);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(since) = last_modified {
        request = request.header("If-Modified-Since", since);
    }
    let mut response = request.call().map_err(|e| FeedError::Fetch(e.to_string()))?;
    let status = response.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(FeedError::Status(status));
    }
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let charset = header("content-type").as_deref().and_then(charset_of);
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_FEED_BYTES)
        .read_to_vec()
        .map_err(|e| FeedError::Fetch(e.to_string()))?;
    Ok(Fetched::Document { bytes, etag, last_modified, charset })
}

/// The `charset` parameter of a `Content-Type` value (`text/xml;
/// charset="ISO-8859-9"`).
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// What a poll of one feed did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollReport {
    /// Drafts made.
    pub drafts: Vec<i64>,
    /// Items known already, by how.
    pub seen_guid: usize,
    pub seen_link: usize,
    pub seen_text: usize,
    /// Items without a title or text to make a draft of.
    pub empty: usize,
    /// The server said nothing changed.
    pub not_modified: bool,
    /// Why the poll failed, if it did.
    pub error: Option<String>,
}

/// Makes drafts of the new entries of `feed`.
pub async fn ingest(
    store: &Store,
    feed: &Feed,
    entries: &[FeedEntry],
    now: Timestamp,
) -> Result<PollReport, FeedError> {
    let mut report = PollReport::default();
    let mut recent = store.recent_feed_words(now - SAME_STORY_WINDOW, RECENT_ITEMS).await?;
    for entry in entries {
        let text = if entry.summary.is_empty() { html::to_text(&entry.body_html) } else { entry.summary.clone() };
        let said = words(&format!("{} {text}", entry.title));
        let link = entry.link.as_deref();
        let seen = match store.feed_item_seen(feed.id, &entry.guid, link).await? {
            Some(seen) => Some(seen),
            None => recent.iter().any(|r| same_story(r, &said)).then_some(Seen::Text),
        };
        match seen {
            Some(Seen::Guid) => {
                report.seen_guid += 1;
                continue;
            }
            Some(seen) => {
                if seen == Seen::Link {
                    report.seen_link += 1;
                } else {
                    report.seen_text += 1;
                }
                // Remembered for this feed too, so it is not compared again.
                store.add_feed_item(feed.id, &entry.guid, link, &said, None, now).await?;
                continue;
            }
            None => {}
        }
        let input = draft(feed, entry, now);
        if input.is_none() {
            report.empty += 1;
        }
        match store.add_feed_item(feed.id, &entry.guid, link, &said, input, now).await {
            Ok(Some(id)) => report.drafts.push(id),
            Ok(None) => {}
            // An item no article can be made of is remembered without a draft.
            Err(StoreError::Invalid(why)) => {
                tracing::warn!(feed = %feed.url, guid = %entry.guid, %why, "feed item left out");
                report.empty += 1;
                store.add_feed_item(feed.id, &entry.guid, link, &said, None, now).await?;
            }
            Err(e) => return Err(e.into()),
        }
        recent.push(said);
    }
    Ok(report)
}

/// The draft of an entry: its title (or the start of its text), its summary
/// as the standfirst, its text as the body, the source credited with the
/// original link.
fn draft(feed: &Feed, entry: &FeedEntry, now: Timestamp) -> Option<ArticleInput> {
    let text = html::to_text(&entry.body_html);
    let headline = if entry.title.is_empty() { shorten(&text.replace('\n', " "), 120) } else { entry.title.clone() };
    if headline.trim().is_empty() {
        return None;
    }
    let converted = crate::wp_content::convert(&entry.body_html);
    Some(ArticleInput {
        headline: shorten(&headline, MAX_HEADLINE_CHARS),
        standfirst: shorten(&entry.summary, MAX_STANDFIRST_CHARS),
        body: converted.body,
        slug: None,
        category: feed.category.clone().unwrap_or_else(|| DEFAULT_CATEGORY.to_owned()),
        tags: vec![],
        authors: vec![],
        published_at: entry.published.filter(|p| *p <= now).unwrap_or(now),
        updated_at: None,
        status: Status::Draft,
        // The original link, when it is one a reader can follow.
        sources: vec![SourceCredit {
            name: feed.source_name.clone(),
            url: entry.link.clone().filter(|l| l.starts_with("https://") || l.starts_with("http://")),
            note: None,
        }],
        seo_title: None,
        seo_description: None,
        correction: None,
        image: None,
        lang: None,
    })
}

/// When a feed that failed `failures` times in a row is read next.
pub fn backoff(failures: u32, now: Timestamp) -> Timestamp {
    let wait = POLL_EVERY.checked_mul(1 << failures.min(16)).unwrap_or(MAX_BACKOFF).min(MAX_BACKOFF);
    now + wait
}

/// Fetches and ingests one feed, and remembers how it went.
pub async fn poll(store: &Store, feed: &Feed, now: Timestamp) -> Result<PollReport, StoreError> {
    let (url, etag, since) = (feed.url.clone(), feed.etag.clone(), feed.last_modified.clone());
    let fetched = tokio::task::spawn_blocking(move || fetch(&url, etag.as_deref(), since.as_deref()))
        .await
        .unwrap_or_else(|e| Err(FeedError::Fetch(e.to_string())));
    let outcome = match fetched {
        Ok(Fetched::NotModified) => Ok((PollReport { not_modified: true, ..PollReport::default() }, None, None)),
        Ok(Fetched::Document { bytes, etag, last_modified, charset }) => {
            match parse(&bytes, Some(&feed.url), charset.as_deref()) {
                Ok(entries) => match ingest(store, feed, &entries, now).await {
                    Ok(report) => Ok((report, etag, last_modified)),
                    Err(FeedError::Store(e)) => return Err(e),
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    let (report, result) = match outcome {
        Ok((report, etag, last_modified)) => {
            let (etag, last_modified) = if report.not_modified {
                (feed.etag.clone(), feed.last_modified.clone())
            } else {
                (etag, last_modified)
            };
            let result = PollResult { etag, last_modified, next_poll_at: now + POLL_EVERY, failures: 0, error: None };
            (report, result)
        }
        Err(e) => {
            let failures = feed.failures.saturating_add(1);
            let error = e.to_string();
            tracing::warn!(feed = %feed.url, failures, %error, "feed poll failed");
            let result = PollResult {
                etag: feed.etag.clone(),
                last_modified: feed.last_modified.clone(),
                next_poll_at: backoff(failures, now),
                failures,
                error: Some(error.clone()),
            };
            (PollReport { error: Some(error), ..PollReport::default() }, result)
        }
    };
    store.record_poll(feed.id, &result, now).await?;
    Ok(report)
}

/// Polls every feed that is due (all of them with `all`).
pub async fn poll_due(store: &Store, now: Timestamp, all: bool) -> Result<Vec<(Feed, PollReport)>, StoreError> {
    // A poll takes seconds at most (timeouts); another app server takes the
    // feed over only if this one has not recorded its poll after 5 minutes.
    let lease = now + jiff::SignedDuration::from_mins(5);
    let feeds = if all { store.feeds().await? } else { store.claim_due_feeds(now, lease).await? };
    let mut out = Vec::with_capacity(feeds.len());
    for feed in feeds {
        let report = poll(store, &feed, now).await?;
        if !report.drafts.is_empty() {
            tracing::info!(feed = %feed.url, drafts = report.drafts.len(), "new agency items");
        }
        out.push((feed, report));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_rss_document_without_version_is_read_and_one_without_channel_says_so() {
        let no_version =
            "<rss><channel><title>A</title><item><guid>1</guid><title>Haber</title></item></channel></rss>";
        assert_eq!(parse(no_version.as_bytes(), None, None).unwrap()[0].title, "Haber");
        let error = |doc: &str| parse(doc.as_bytes(), None, None).unwrap_err().to_string();
        assert!(error("<rss version=\"2.0\"><item><title>x</title></item></rss>").contains("has no <channel>"));
        assert!(error("<?xml version=\"1.0\"?><!-- x --><html><body>hi</body></html>").contains("web page (HTML)"));
        assert!(error("Service Unavailable").contains("neither XML (RSS, Atom) nor JSON Feed"));
        assert!(error("<root/>").contains("root element is <root>"));
        assert!(error("  ").contains("empty"));
    }

    #[test]
    fn a_headline_from_an_escaped_description_is_decoded_once_fully() {
        let rss = "<rss version=\"2.0\"><channel><title>A</title><item><guid>1</guid>\
            <description>caf&amp;eacute; don&amp;#146;t &amp;hellip; a&amp;#1;b</description></item></channel></rss>";
        let entries = parse(rss.as_bytes(), None, None).unwrap();
        assert_eq!(entries[0].summary, "café don’t … ab");
        let now = Timestamp::now();
        let feed = Feed {
            id: 1,
            url: "https://ajans.example/rss".into(),
            source_name: "Ajans".into(),
            category: None,
            etag: None,
            last_modified: None,
            next_poll_at: now,
            last_polled_at: None,
            failures: 0,
            last_error: None,
        };
        let draft = draft(&feed, &entries[0], now).expect("a draft");
        assert_eq!(draft.headline, "café don’t … ab", "the headline taken from the description");
    }

    #[test]
    fn the_charset_is_read_from_the_content_type() {
        assert_eq!(charset_of("text/xml; charset=ISO-8859-9").as_deref(), Some("ISO-8859-9"));
        assert_eq!(charset_of("application/rss+xml;Charset=\"windows-1254\"").as_deref(), Some("windows-1254"));
        assert_eq!(charset_of("application/xml"), None);
    }

    #[test]
    fn a_feed_in_utf16_or_named_only_by_http_becomes_entries() {
        let rss = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>Ajans</title>\
            <item><guid>1</guid><title>Şişli’de yeni kafe…</title><description>caf&amp;eacute; açıldı</description></item>\
            </channel></rss>";
        let utf16: Vec<u8> = rss.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let entries = parse(&utf16, None, None).expect("UTF-16 without a mark is read");
        assert_eq!(entries[0].title, "Şişli’de yeni kafe…");
        let plain = rss.replace(" encoding=\"UTF-16\"", "").replace("’", "'").replace('…', "...");
        let (latin5, _, unmappable) = encoding_rs::WINDOWS_1254.encode(&plain);
        assert!(!unmappable);
        let entries = parse(&latin5, None, Some("ISO-8859-9")).expect("the HTTP charset is heard");
        assert_eq!(entries[0].title, "Şişli'de yeni kafe...");
    }

    #[test]
    fn nearly_the_same_words_are_the_same_story() {
        let a = "Azerbaycan Cumhurbaşkanı İlham Aliyev bugün Bakü'de Gürcistan Başbakanı ile görüştü ve Orta Koridor üzerine anlaşmalar imzalandı.";
        let b = "Azerbaycan Cumhurbaşkanı İlham Aliyev bugün Bakü'de Gürcistan Başbakanı ile görüştü; Orta Koridor üzerine anlaşmalar imzalandı.";
        let c = "Türkiye Merkez Bankası faiz kararını açıkladı, politika faizi yüzde 45 seviyesinde sabit bırakıldı.";
        let d = "Azerbaycan Cumhurbaşkanı İlham Aliyev bugün Bakü'de Ermenistan Başbakanı ile görüştü ve barış anlaşması imzalandı.";
        assert!(same_story(&words(a), &words(b)), "a comma for an `and`");
        assert!(!same_story(&words(a), &words(c)), "another story");
        assert!(!same_story(&words(a), &words(d)), "the same template, another meeting");
        assert!(same_story(&words("Son dakika"), &words("son dakika!")) && !same_story("", ""));
        assert!(!same_story(&words("Son dakika: deprem"), &words("Son dakika: sel")), "short texts only when equal");
    }

    #[test]
    fn failures_double_the_wait_up_to_a_day() {
        let now = Timestamp::from_second(0).unwrap();
        assert_eq!(now.duration_until(backoff(1, now)), SignedDuration::from_mins(20));
        assert_eq!(now.duration_until(backoff(3, now)), SignedDuration::from_mins(80));
        assert_eq!(now.duration_until(backoff(40, now)), SignedDuration::from_hours(24));
    }
}
