//! `TestApp`: a site in a temporary folder, content imported through the
//! Markdown importer, requests sent through the router.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use manset_service::Clock;
use manset_store::Store;
use manset_text::Lang;
use manset_web::{AppState, SiteConfig};
use tower::ServiceExt;

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub state: AppState,
    /// The site's clock: the system's, or one the test moves
    /// ([`TestApp::with_manual_clock`]).
    pub clock: Clock,
    router: axum::Router,
    /// Before each request, read the change log as the server's one-second
    /// tick does, so changes written straight to the store (as another
    /// process would) are seen. Off for tests of the cache's own timing.
    pub sync_before_requests: std::sync::atomic::AtomicBool,
}

/// The page cache every test site runs with: every page test is also a test
/// that the cache drops what a change touches.
pub const TEST_PAGE_CACHE: usize = 8 * 1024 * 1024;

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

/// The suite's database: SQLite in the test's folder, or, when
/// `MANSET_TEST_DATABASE=postgres` (the suite's second run, see
/// `main.rs`), a new database on the throwaway PostgreSQL cluster.
pub async fn test_store(data: &std::path::Path) -> Store {
    if manset_testkit::postgres::second_run() {
        let url = manset_testkit::postgres::fresh_database().expect("PostgreSQL for the suite's second run");
        return Store::open_postgres(&url).await.expect("store opens");
    }
    Store::open(data).await.expect("store opens")
}

impl TestApp {
    /// A Turkish site in Europe/Istanbul, 10 articles a page.
    pub async fn new() -> TestApp {
        TestApp::with(|_| {}).await
    }

    /// A site with adjusted settings.
    pub async fn with(adjust: impl FnOnce(&mut SiteConfig)) -> TestApp {
        TestApp::build(adjust, None).await
    }

    /// A site whose time stands still at the start until the test moves it
    /// (`app.clock.advance(…)`): time-dependent behaviour without sleeping.
    pub async fn with_manual_clock() -> TestApp {
        TestApp::build_with_clock(|_| {}, None, Clock::manual(Timestamp::now())).await
    }

    pub async fn build(adjust: impl FnOnce(&mut SiteConfig), theme_dir: Option<&std::path::Path>) -> TestApp {
        TestApp::build_with_clock(adjust, theme_dir, Clock::system()).await
    }

    pub async fn build_with_clock(
        adjust: impl FnOnce(&mut SiteConfig),
        theme_dir: Option<&std::path::Path>,
        clock: Clock,
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = test_store(&dir.path().join("data")).await;
        TestApp::around(dir, store, adjust, theme_dir, clock).await
    }

    /// A site on a store the test opened itself (an upgraded database),
    /// its files in `dir`.
    pub async fn on_store(dir: tempfile::TempDir, store: Store, clock: Clock) -> TestApp {
        TestApp::around(dir, store, |_| {}, None, clock).await
    }

    async fn around(
        dir: tempfile::TempDir,
        store: Store,
        adjust: impl FnOnce(&mut SiteConfig),
        theme_dir: Option<&std::path::Path>,
        clock: Clock,
    ) -> TestApp {
        let mut site = SiteConfig {
            name: "Kafkas Postası".into(),
            lang: Lang::Tr,
            time_zone: TimeZone::get("Europe/Istanbul").expect("bundled tz"),
            base_url: "https://haber.example".into(),
            per_page: 10,
            sitemap_urls: SiteConfig::MAX_SITEMAP_URLS,
            description: String::new(),
            logo: None,
        };
        adjust(&mut site);
        let data = dir.path().join("data");
        let state = AppState::with_clock(store.clone(), site, theme_dir, &data, &data.join("media"), clock.clone())
            .await
            .expect("state");
        state.set_page_cache_bytes(TEST_PAGE_CACHE);
        let router = manset_web::router(state.clone());
        TestApp { dir, store, state, clock, router, sync_before_requests: std::sync::atomic::AtomicBool::new(true) }
    }

    /// Writes a content file and imports it; returns the article's slug.
    pub async fn import(&self, file_name: &str, content: &str) -> String {
        let path = self.write(file_name, content);
        let report = manset_import::import_paths(&self.store, &[path], Timestamp::now()).await;
        if let Some((path, e)) = report.failures().next() {
            panic!("{} did not import: {e}", path.display());
        }
        // As a running server does within seconds of an import.
        self.state.catch_up_search().await.expect("search index catches up");
        report.saved().next().expect("one file saved").1.slug.clone()
    }

    /// Writes a content file into the app's content folder.
    pub fn write(&self, file_name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join("content").join(file_name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.request(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Reads the change log if this app does so before requests.
    pub async fn tick(&self) {
        if self.sync_before_requests.load(std::sync::atomic::Ordering::Relaxed) {
            self.state.sync_page_cache().await.expect("the change log is readable");
        }
    }

    pub async fn request(&self, request: Request<Body>) -> Page {
        self.tick().await;
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        // Pages must be UTF-8; images and other files are kept as bytes only.
        let is_text = headers.get("content-type").and_then(|v| v.to_str().ok()).is_none_or(|t| {
            t.starts_with("text/") || t.contains("xml") || t.contains("json") || t.contains("javascript")
        });
        let body = if is_text {
            String::from_utf8(bytes.to_vec()).expect("UTF-8 body")
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Page { status, headers, body, bytes: bytes.to_vec() }
    }
}

impl Page {
    /// How many times `needle` occurs in the body.
    pub fn count(&self, needle: &str) -> usize {
        self.body.matches(needle).count()
    }

    pub fn has(&self, needle: &str) -> bool {
        self.body.contains(needle)
    }

    /// Byte offset of `needle`, for checking the order of elements.
    pub fn pos(&self, needle: &str) -> usize {
        self.body.find(needle).unwrap_or_else(|| panic!("`{needle}` not in page:\n{}", self.body))
    }

    /// The text between the first `start` and the next `end` after it.
    pub fn between(&self, start: &str, end: &str) -> &str {
        let from = self.pos(start) + start.len();
        let len = self.body[from..].find(end).unwrap_or_else(|| panic!("`{end}` not after `{start}`"));
        &self.body[from..from + len]
    }
}

/// HTML-escapes text the way the theme does, to look for it in pages.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A short content file.
pub fn article(title: &str, category: &str, published: &str) -> String {
    manset_testkit::filler_file(title, category, published, &[])
}

/// A site served over real HTTP on a loopback port, for behaviour that
/// depends on connections (client addresses, cookies, concurrency).
pub struct Served {
    pub app: TestApp,
    pub addr: std::net::SocketAddr,
    _server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// Serves this app on 127.0.0.1 with client addresses, like `manset serve`.
    pub async fn serve(self) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let service = self.router.clone().into_make_service_with_connect_info::<std::net::SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, service).await.unwrap();
        });
        Served { app: self, addr, _server: server }
    }
}

/// An HTTP response as a client sees it.
#[derive(Debug)]
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for compressed bodies; see `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The text between the first `start` and the next `end` after it.
    pub fn between(&self, start: &str, end: &str) -> &str {
        let from = self.body.find(start).unwrap_or_else(|| panic!("`{start}` not in:\n{}", self.body)) + start.len();
        let len = self.body[from..].find(end).unwrap_or_else(|| panic!("`{end}` not after `{start}`"));
        &self.body[from..from + len]
    }

    /// `name=value` of the `Set-Cookie` for `name`, ready for a `Cookie` header.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.split(';').next().unwrap_or("").to_owned())
            .find(|c| c.starts_with(&format!("{name}=")))
    }
}

impl Served {
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends one request over a new connection and reads the whole reply.
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> HttpReply {
        let body = body.map(|b| ("application/x-www-form-urlencoded", b.as_bytes()));
        self.send_bytes(method, path, headers, body).await
    }

    /// `send` with a body of any type: (content type, bytes).
    pub async fn send_bytes(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> HttpReply {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        self.app.tick().await;
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (k, v) in headers {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some((kind, bytes)) = body {
            request.push_str(&format!("Content-Type: {kind}\r\nContent-Length: {}\r\n", bytes.len()));
        }
        request.push_str("\r\n");
        let mut raw_request = request.into_bytes();
        if let Some((_, bytes)) = body {
            raw_request.extend_from_slice(bytes);
        }
        // The server may answer (413) and close before reading everything.
        let _ = stream.write_all(&raw_request).await;
        let mut raw = Vec::new();
        // A reset after the answer (the server stopped reading early) keeps what was read.
        let _ = stream.read_to_end(&mut raw).await;
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let head = String::from_utf8(raw[..split].to_vec()).expect("UTF-8 head");
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status");
        let headers: Vec<(String, String)> =
            lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
        let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        let body_bytes = &raw[split + 4..];
        let bytes = if chunked { dechunk(body_bytes) } else { body_bytes.to_vec() };
        let body = String::from_utf8_lossy(&bytes).into_owned();
        HttpReply { status, headers, body, bytes }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> HttpReply {
        match cookie {
            Some(c) => self.send("GET", path, &[("Cookie", c)], None).await,
            None => self.send("GET", path, &[], None).await,
        }
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&body[..line_end]).unwrap_or("0");
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        let rest = &body[line_end + 2..];
        out.extend_from_slice(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("x", value)]).unwrap().trim_start_matches("x=").to_owned()
}

/// The password of the newsroom members tests create.
pub const PASSWORD: &str = "uzun ve gizli parola";

impl Served {
    /// Creates a newsroom member and logs them in; returns the session cookie.
    pub async fn member(&self, email: &str, role: manset_core::Role) -> String {
        let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
        self.app.store.create_user(email, email, role, &hash, Timestamp::now()).await.unwrap().unwrap();
        self.session(email).await
    }

    /// Logs `email` in with [`PASSWORD`]; returns the session cookie.
    pub async fn session(&self, email: &str) -> String {
        let body = serde_urlencoded::to_string([("email", email), ("password", PASSWORD)]).unwrap();
        let reply = self.send("POST", "/yonetim/giris", &[("Origin", &self.origin())], Some(&body)).await;
        reply
            .cookie("manset_session")
            .unwrap_or_else(|| panic!("{email} not logged in: {} {}", reply.status, reply.body))
    }

    /// The comment form's token on the page at `path`.
    pub async fn form_token(&self, path: &str) -> String {
        let page = self.get(path, None).await.body;
        let at = page.find("name=\"token\" value=\"").expect("the page has a comment form") + 20;
        page[at..at + page[at..].find('"').unwrap()].to_owned()
    }

    /// Posts a newsroom form as the member holding `cookie`.
    pub async fn post_form(&self, path: &str, cookie: &str, fields: &[(&str, &str)]) -> HttpReply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send("POST", path, &[("Origin", &self.origin()), ("Cookie", cookie)], Some(&body)).await
    }
}

/// The seconds a throttled answer tells the reader to wait ("Lütfen 2
/// saniye sonra…", "try again in 2 seconds"). The number counts down with
/// the wall clock, so a test accepts the second it may have moved by.
pub fn told_to_wait(body: &str) -> Option<i64> {
    let number = |after: &str, before: &str| {
        let from = body.find(after)? + after.len();
        body[from..].split(before).next()?.trim().parse().ok()
    };
    number("Çok fazla hatalı deneme yapıldı. Lütfen ", " saniye sonra yeniden deneyin.")
        .or_else(|| number("Too many failed attempts. Please try again in ", " second"))
}
