//! The rendered-page cache: finished answers of the reading site (compressed
//! bytes, headers, ETag) kept per address and content encoding, so a flood
//! of readers on one story costs one render, not one per reader.
//!
//! Correctness before speed:
//! - A page is dropped exactly when something it shows changes. Handlers say
//!   what a page shows ([`Shows`] in the response's extensions; a page that
//!   says nothing is dropped on any change). What changed comes from the
//!   database's change log (written by triggers, so every writer is seen):
//!   read before the answer of every request that may write here, every second
//!   for writes from elsewhere (imports, other app servers), and at the second
//!   an embargo or breaking news ends.
//! - A render that began before a change is not kept (the epoch check).
//! - Only public, cookie-free answers are kept: a reader with a pending
//!   comment or a remembered name, and the newsroom, always get their own page.
//! - Misses for the same key wait for the one render in flight.
//! - Memory is bounded: the least recently used pages go first.
//! - A page is kept at most [`MAX_AGE`]: the comment form's signed token
//!   records when the page was made, and must stay well inside its validity.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use manset_store::{Change, SiteChrome, Store, StoreError};
use tokio::sync::Notify;

use crate::AppState;

/// The longest a page is served from the cache without being made again.
pub const MAX_AGE: Duration = Duration::from_secs(600);

/// How long a miss waits for the render of the same page already in flight.
const WAIT_FOR_FLIGHT: Duration = Duration::from_secs(5);

/// Largest single page kept, as a share of the capacity.
const MAX_SHARE: usize = 8;

/// Largest answer read whole (pages are far smaller; a sitemap of 50,000
/// addresses is a few MB).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Change-log rows kept for app servers that fall behind.
const LOG_KEPT: i64 = 100_000;

/// What a page shows, for dropping it when that changes. Put in the
/// response's extensions by the handler; a page without it is dropped on
/// any change at all.
#[derive(Debug, Clone, Default)]
pub struct Shows {
    pub articles: Vec<i64>,
    pub categories: Vec<i64>,
    pub tags: Vec<i64>,
    pub authors: Vec<i64>,
    /// The article this page is of: its comments and its dates are on it.
    pub page_of: Option<i64>,
    /// Which articles are visible at all (the home page, search, feeds).
    pub listing: bool,
}

impl Shows {
    fn affected_by(&self, change: &Change) -> bool {
        match *change {
            Change::Site => true,
            Change::Listing => self.listing,
            Change::Article(id) => self.articles.contains(&id),
            Change::Category(id) => self.categories.contains(&id),
            Change::Tag(id) => self.tags.contains(&id),
            Change::Author(id) => self.authors.contains(&id),
            Change::Comments(id) | Change::Touched(id) => self.page_of == Some(id),
        }
    }
}

/// The encodings a page is kept in, by what the client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Encoding {
    Brotli = 0,
    Gzip = 1,
    Identity = 2,
}

impl Encoding {
    /// The best encoding the client accepts (`q=0` refuses one).
    fn choose(headers: &HeaderMap) -> Encoding {
        let mut best = Encoding::Identity;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(text) = value.to_str() else { continue };
            for item in text.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                if name.eq_ignore_ascii_case("br") {
                    best = Encoding::Brotli;
                } else if name.eq_ignore_ascii_case("gzip") && best == Encoding::Identity {
                    best = Encoding::Gzip;
                }
            }
        }
        best
    }

    fn accept_header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
            Encoding::Identity => "identity",
        })
    }
}

/// One kept answer.
struct Entry {
    headers: HeaderMap,
    body: Bytes,
    etag: Option<String>,
    last_modified: Option<Timestamp>,
    shows: Option<Shows>,
    made: Instant,
    /// The cache's clock at the last use, for eviction.
    used: AtomicU64,
    size: usize,
}

impl Entry {
    fn fresh(&self) -> bool {
        self.made.elapsed() < MAX_AGE
    }

    fn affected_by(&self, changes: &[Change]) -> bool {
        match &self.shows {
            None => !changes.is_empty(),
            Some(shows) => changes.iter().any(|c| shows.affected_by(c)),
        }
    }
}

type Key = (Box<str>, Encoding);

/// The kept encodings of one address, by `Encoding as usize`.
type Slot = [Option<Arc<Entry>>; 3];

/// Where the cache stands in the change log.
#[derive(Debug)]
struct LogState {
    position: i64,
    /// Time-driven changes are read up to here.
    timed_until: Timestamp,
    /// The category menu last seen (`None`: not looked at yet): a category
    /// getting its first visible article (or losing its last) changes the
    /// menu of every page.
    menu: Option<Vec<i64>>,
}

/// The cache. Disabled (every request rendered) while its capacity is 0.
pub struct PageCache {
    capacity: AtomicUsize,
    used: AtomicUsize,
    /// By address (path and query), then encoding.
    entries: RwLock<HashMap<Box<str>, Slot>>,
    in_flight: Mutex<HashMap<Key, Arc<Notify>>>,
    /// Moves on every drop: a render that began before it is not kept.
    epoch: AtomicU64,
    clock: AtomicU64,
    /// The next second at which time alone changes pages (`i64::MAX`: none known).
    next_timed: AtomicI64,
    log: tokio::sync::Mutex<LogState>,
    /// What every page shows around its content, kept under the same rules
    /// as pages (with the epoch it was read at): read once, not per request.
    chrome: Mutex<Option<(u64, Arc<SiteChrome>)>>,
}

impl PageCache {
    /// An empty, disabled cache whose change log starts after `position`.
    pub fn new(position: i64, now: Timestamp) -> PageCache {
        PageCache {
            capacity: AtomicUsize::new(0),
            used: AtomicUsize::new(0),
            entries: RwLock::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            clock: AtomicU64::new(0),
            next_timed: AtomicI64::new(i64::MIN),
            log: tokio::sync::Mutex::new(LogState { position, timed_until: now, menu: None }),
            chrome: Mutex::new(None),
        }
    }

    /// Sets how many bytes of pages may be kept; 0 turns the cache off.
    pub fn set_capacity(&self, bytes: usize) {
        self.capacity.store(bytes, Ordering::Relaxed);
        if bytes == 0 {
            self.clear();
        } else {
            self.evict();
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity.load(Ordering::Relaxed)
    }

    /// Bytes of pages kept now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// Pages kept now (each encoding counts).
    pub fn len(&self) -> usize {
        let entries = self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.values().map(|slot| slot.iter().filter(|e| e.is_some()).count()).sum()
    }

    /// Drops every page.
    pub fn clear(&self) {
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.clear();
        self.used.store(0, Ordering::Relaxed);
    }

    /// Drops the pages that show any of `changes`.
    pub fn invalidate(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        if changes.contains(&Change::Site) {
            return self.clear();
        }
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let mut freed = 0;
        entries.retain(|_, slot| {
            for kept in slot.iter_mut() {
                if kept.as_ref().is_some_and(|entry| entry.affected_by(changes)) {
                    freed += kept.take().map_or(0, |entry| entry.size);
                }
            }
            slot.iter().any(Option::is_some)
        });
        self.used.fetch_sub(freed, Ordering::Relaxed);
    }

    /// Reads what changed since the last look (the change log, and what time
    /// alone changed) and drops the pages that showed it. True when the log
    /// said the site itself changed (settings among others): another process
    /// may have changed what this one holds in force.
    pub async fn sync(&self, store: &Store, now: Timestamp) -> Result<bool, StoreError> {
        let mut log = self.log.lock().await;
        let since = store.changes_since(log.position).await?;
        log.position = since.last;
        let site_changed = since.gap || since.changes.contains(&Change::Site);
        let mut changes = since.changes;
        let due = self.next_timed.load(Ordering::Acquire);
        if now.as_second() >= due {
            for change in store.timed_changes(log.timed_until, now).await? {
                if !changes.contains(&change) {
                    changes.push(change);
                }
            }
            log.timed_until = now;
        }
        if !changes.is_empty() || now.as_second() >= due {
            // A new embargo may have been set; the one due may have passed.
            let next = store.next_timed_change(now).await?.map_or(i64::MAX, |t| t.as_second());
            self.next_timed.store(next, Ordering::Release);
        }
        if changes.iter().any(|c| matches!(c, Change::Listing | Change::Category(_))) {
            let menu: Vec<i64> =
                store.site_chrome(now, crate::pages::BREAKING).await?.categories.iter().map(|c| c.id).collect();
            // Unknown before: pages kept so far may show another menu.
            if log.menu.as_ref() != Some(&menu) {
                changes.push(Change::Site);
                log.menu = Some(menu);
            }
        }
        if !changes.is_empty() {
            tracing::debug!(?changes, "page cache: dropping what changed");
        }
        self.invalidate(&changes);
        Ok(site_changed)
    }

    /// Keeps the cache in step with the database every `every` (writes from
    /// other processes, the clock) and prunes the change log now and then.
    pub fn keep_current(state: &AppState, every: Duration) {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut ticks: u64 = 0;
            loop {
                tick.tick().await;
                ticks += 1;
                state.follow_changes().await;
                if ticks.is_multiple_of(600) {
                    if let Err(e) = state.store().prune_changes(LOG_KEPT).await {
                        tracing::warn!("page cache: cannot prune the change log: {e}");
                    }
                    // Rate limits count the last minute; older attempts of
                    // addresses that never came back go here.
                    if let Err(e) = state.store().prune_attempts(3600, state.now()).await {
                        tracing::warn!("cannot prune old rate-limit attempts: {e}");
                    }
                }
            }
        });
    }

    /// The chrome of every page at `now`: kept until anything changes (a
    /// change in the log, or time reaching an embargo or an expiry), whether
    /// or not pages are kept.
    pub async fn site_chrome(&self, store: &Store, now: Timestamp) -> Result<Arc<SiteChrome>, StoreError> {
        let epoch = self.epoch.load(Ordering::Acquire);
        if !self.time_has_moved(now) {
            let kept = self.chrome.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some((at, chrome)) = kept.as_ref()
                && *at == epoch
            {
                return Ok(Arc::clone(chrome));
            }
        }
        let chrome = Arc::new(store.site_chrome(now, crate::pages::BREAKING).await?);
        if !self.time_has_moved(now) {
            *self.chrome.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((epoch, Arc::clone(&chrome)));
        }
        Ok(chrome)
    }

    /// True while time has changed pages and `sync` has not dropped them yet:
    /// such requests are rendered, not served from or put in the cache.
    fn time_has_moved(&self, now: Timestamp) -> bool {
        now.as_second() >= self.next_timed.load(Ordering::Acquire)
    }

    fn get(&self, path: &str, encoding: Encoding) -> Option<Arc<Entry>> {
        let entries = self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get(path)?[encoding as usize].clone()?;
        drop(entries);
        if !entry.fresh() {
            return None;
        }
        entry.used.store(self.clock.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(entry)
    }

    fn put(&self, key: Key, entry: Entry, epoch: u64) {
        let capacity = self.capacity();
        if entry.size > capacity / MAX_SHARE {
            return;
        }
        {
            let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            // Something changed while the page was made: it may show the old state.
            if self.epoch.load(Ordering::Acquire) != epoch {
                return;
            }
            let size = entry.size;
            let slot = entries.entry(key.0).or_default();
            if let Some(old) = slot[key.1 as usize].replace(Arc::new(entry)) {
                self.used.fetch_sub(old.size, Ordering::Relaxed);
            }
            self.used.fetch_add(size, Ordering::Relaxed);
        }
        if self.used() > capacity {
            self.evict();
        }
    }

    /// Drops the least recently used pages until a tenth of the capacity is free.
    fn evict(&self) {
        let capacity = self.capacity();
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.used() <= capacity {
            return;
        }
        let target = capacity - capacity / 10;
        let mut by_use: Vec<(u64, Box<str>, usize, usize)> = entries
            .iter()
            .flat_map(|(path, slot)| {
                slot.iter().enumerate().filter_map(move |(i, e)| {
                    e.as_ref().map(|e| (e.used.load(Ordering::Relaxed), path.clone(), i, e.size))
                })
            })
            .collect();
        by_use.sort_unstable_by_key(|(used, ..)| *used);
        let mut used = self.used();
        for (_, path, i, size) in by_use {
            if used <= target {
                break;
            }
            if let Some(slot) = entries.get_mut(&path) {
                slot[i] = None;
                if slot.iter().all(Option::is_none) {
                    entries.remove(&path);
                }
            }
            used -= size;
        }
        self.used.store(used, Ordering::Relaxed);
    }

    /// Either this request makes the page (and others wait for it), or one
    /// in flight already does.
    fn claim(self: &Arc<Self>, key: &Key) -> Claim {
        let mut flights = self.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(notify) = flights.get(key) {
            return Claim::Wait(Arc::clone(notify));
        }
        flights.insert(key.clone(), Arc::new(Notify::new()));
        Claim::Make(Flight { cache: Arc::clone(self), key: key.clone() })
    }

    fn in_flight(&self, key: &Key) -> bool {
        self.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).contains_key(key)
    }
}

enum Claim {
    Make(Flight),
    Wait(Arc<Notify>),
}

/// The render in flight for a key; when it ends (done, failed or the client
/// gone), the requests waiting for it are woken.
struct Flight {
    cache: Arc<PageCache>,
    key: Key,
}

impl Drop for Flight {
    fn drop(&mut self) {
        let notify = self.cache.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&self.key);
        if let Some(notify) = notify {
            notify.notify_waiters();
        }
    }
}

/// Says what a page shows, for the page cache.
pub fn mark(response: &mut Response, shows: Shows) {
    response.extensions_mut().insert(shows);
}

/// Whether this request may be answered from the cache: a public page of the
/// reading site, asked without anything that makes it this reader's own.
fn cacheable(request: &Request) -> bool {
    let path = request.uri().path();
    if path.starts_with("/yonetim") || path.starts_with("/static/") || path.starts_with("/medya/") {
        return false;
    }
    if request.headers().contains_key(header::AUTHORIZATION) {
        return false;
    }
    !request.headers().get_all(header::COOKIE).iter().any(|value| {
        value.to_str().map_or(true, |text| {
            text.split(';').any(|pair| {
                let name = pair.split('=').next().unwrap_or("").trim();
                name == crate::cookies::PENDING || name == crate::cookies::COMMENTER
            })
        })
    })
}

/// The middleware: answers from the cache, makes and keeps a missing page
/// once, and after any request that may have written, reads the change log
/// before answering, so the next request shows the change.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = state.page_cache_arc();
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let response = next.run(request).await;
        state.follow_changes().await;
        return response;
    }
    if cache.capacity() == 0 || !cacheable(&request) || cache.time_has_moved(state.now()) {
        return next.run(request).await;
    }
    let encoding = Encoding::choose(request.headers());
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    if let Some(entry) = cache.get(path, encoding) {
        return respond(&entry, request.headers(), method == Method::HEAD, "HIT");
    }
    if method == Method::HEAD {
        return next.run(request).await;
    }
    let key: Key = (path.into(), encoding);
    match cache.claim(&key) {
        Claim::Make(flight) => make(&cache, flight, request, next, encoding).await,
        Claim::Wait(notify) => {
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if cache.in_flight(&key) {
                let _ = tokio::time::timeout(WAIT_FOR_FLIGHT, notified).await;
            }
            match cache.get(&key.0, encoding) {
                Some(entry) => respond(&entry, request.headers(), false, "HIT"),
                // The page could not be kept (not public, an error, changed meanwhile).
                None => next.run(request).await,
            }
        }
    }
}

/// Renders a missing page, keeps it if it may be kept, and answers.
async fn make(cache: &Arc<PageCache>, flight: Flight, request: Request, next: Next, encoding: Encoding) -> Response {
    let epoch = cache.epoch.load(Ordering::Acquire);
    let client_headers = request.headers().clone();
    let (mut parts, body) = request.into_parts();
    // The full page, in exactly the encoding kept under this key.
    parts.headers.remove(header::IF_NONE_MATCH);
    parts.headers.remove(header::IF_MODIFIED_SINCE);
    parts.headers.insert(header::ACCEPT_ENCODING, encoding.accept_header());
    let response = next.run(Request::from_parts(parts, body)).await;
    if !keepable(&response) {
        drop(flight);
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        drop(flight);
        return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
    };
    // Kept in an allocation of exactly its size: a rendered page's buffer
    // grew by doubling, and kept as it is, it cost up to twice the bytes counted.
    let bytes = Bytes::from(bytes.to_vec());
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let shows = parts.extensions.get::<Shows>().cloned();
    let etag = parts.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let last_modified = parts
        .headers
        .get(header::LAST_MODIFIED)
        .and_then(|v| v.to_str().ok())
        .and_then(manset_text::dates::parse_http_date);
    let size = bytes.len()
        + flight.key.0.len()
        + parts.headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum::<usize>()
        + 256;
    let entry = Entry {
        headers: parts.headers,
        body: bytes,
        etag,
        last_modified,
        shows,
        made: Instant::now(),
        used: AtomicU64::new(cache.clock.fetch_add(1, Ordering::Relaxed)),
        size,
    };
    let answer = respond(&entry, &client_headers, false, "MISS");
    cache.put(flight.key.clone(), entry, epoch);
    drop(flight);
    answer
}

/// Only a complete, public, cookie-free 200 is kept.
fn keepable(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|d| d.trim() == "public"))
}

fn respond(entry: &Entry, request: &HeaderMap, head: bool, outcome: &'static str) -> Response {
    let not_modified = crate::http_cache::not_modified(request, entry.etag.as_deref(), entry.last_modified);
    let body = if not_modified || head { Body::empty() } else { Body::from(entry.body.clone()) };
    let mut response = Response::new(body);
    *response.headers_mut() = entry.headers.clone();
    if not_modified {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
    response.headers_mut().insert("x-cache", HeaderValue::from_static(outcome));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_best_encoding_the_client_takes_is_chosen() {
        assert_eq!(Encoding::choose(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(Encoding::choose(&accept("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(Encoding::choose(&accept("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::choose(&accept("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(Encoding::choose(&accept("deflate")), Encoding::Identity);
    }

    fn entry(shows: Option<Shows>) -> Entry {
        Entry {
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"<p>sayfa</p>"),
            etag: None,
            last_modified: None,
            shows,
            made: Instant::now(),
            used: AtomicU64::new(0),
            size: 300,
        }
    }

    #[test]
    fn a_page_made_while_something_changed_is_not_kept() {
        let cache = PageCache::new(0, Timestamp::now());
        cache.set_capacity(1 << 20);
        let before = cache.epoch.load(Ordering::Acquire);
        cache.invalidate(&[Change::Article(9)]);
        cache.put(("/a".into(), Encoding::Identity), entry(None), before);
        assert_eq!(cache.len(), 0, "it may show what was there before the change");
        let now = cache.epoch.load(Ordering::Acquire);
        cache.put(("/a".into(), Encoding::Identity), entry(None), now);
        assert_eq!((cache.len(), cache.used()), (1, 300));
    }

    #[test]
    fn a_page_that_says_nothing_of_what_it_shows_goes_with_any_change() {
        let cache = PageCache::new(0, Timestamp::now());
        cache.set_capacity(1 << 20);
        let epoch = cache.epoch.load(Ordering::Acquire);
        cache.put(("/rss".into(), Encoding::Gzip), entry(None), epoch);
        cache.put(("/sayfa/kunye".into(), Encoding::Gzip), entry(Some(Shows::default())), epoch);
        cache.invalidate(&[Change::Comments(4)]);
        assert!(cache.get("/rss", Encoding::Gzip).is_none());
        assert!(cache.get("/sayfa/kunye", Encoding::Gzip).is_some());
        assert!(cache.get("/sayfa/kunye", Encoding::Brotli).is_none(), "each encoding is its own page");
        cache.invalidate(&[Change::Site]);
        assert_eq!((cache.len(), cache.used()), (0, 0));
    }

    #[test]
    fn a_page_is_dropped_only_by_what_it_shows() {
        let shows = Shows { articles: vec![1, 2], categories: vec![7], page_of: Some(1), ..Shows::default() };
        assert!(shows.affected_by(&Change::Article(2)));
        assert!(shows.affected_by(&Change::Comments(1)));
        assert!(shows.affected_by(&Change::Category(7)));
        assert!(shows.affected_by(&Change::Site));
        assert!(!shows.affected_by(&Change::Article(3)));
        assert!(!shows.affected_by(&Change::Comments(2)));
        assert!(!shows.affected_by(&Change::Listing));
        assert!(!shows.affected_by(&Change::Tag(7)));
    }
}
