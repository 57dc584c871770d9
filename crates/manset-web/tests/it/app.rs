//! `TestApp`: a site in a temporary folder, content imported through the
//! Markdown importer, requests sent through the router.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use manset_store::Store;
use manset_text::Lang;
use manset_web::{AppState, SiteConfig, Theme};
use tower::ServiceExt;

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub store: Store,
    router: axum::Router,
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
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

    pub async fn build(adjust: impl FnOnce(&mut SiteConfig), theme_dir: Option<&std::path::Path>) -> TestApp {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = Store::open(&dir.path().join("data")).await.expect("store opens");
        let mut site = SiteConfig {
            name: "Kafkas Postası".into(),
            lang: Lang::Tr,
            time_zone: TimeZone::get("Europe/Istanbul").expect("bundled tz"),
            base_url: "https://haber.example".into(),
            per_page: 10,
        };
        adjust(&mut site);
        let theme = Theme::load(theme_dir, &site).expect("theme loads");
        let state = AppState::new(store.clone(), site, theme).await.expect("state");
        let router = manset_web::router(state);
        TestApp { dir, store, router }
    }

    /// Writes a content file and imports it; returns the article's slug.
    pub async fn import(&self, file_name: &str, content: &str) -> String {
        let path = self.write(file_name, content);
        let report = manset_import::import_paths(&self.store, &[path], Timestamp::now()).await;
        if let Some((path, e)) = report.failures().next() {
            panic!("{} did not import: {e}", path.display());
        }
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

    pub async fn request(&self, request: Request<Body>) -> Page {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        Page { status, headers, body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body") }
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
