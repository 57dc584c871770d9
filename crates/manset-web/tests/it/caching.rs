//! HTTP caching and compression through real HTTP.

use manset_core::CommentStatus;

use crate::TestApp;
use crate::app::{Served, article};

async fn site() -> Served {
    let app = TestApp::with_manual_clock().await;
    app.import("a.md", &article("Önbellek haberi", "Gündem", "2024-06-20T10:00:00+03:00")).await;
    app.store.set_setting("comments.min_seconds", "0").await.unwrap();
    app.serve().await
}

const PATH: &str = "/haber/onbellek-haberi";

#[tokio::test]
async fn pages_carry_validators_and_answer_304_when_unchanged() {
    let site = site().await;
    let first = site.get(PATH, None).await;
    assert_eq!(first.status, 200);
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "strong: {etag}");
    let last_modified = first.header("last-modified").expect("Last-Modified").to_owned();
    assert!(last_modified.ends_with(" GMT"));
    assert_eq!(first.header("cache-control"), Some("public, max-age=300, stale-while-revalidate=60"));

    let again = site.send("GET", PATH, &[("If-None-Match", &etag)], None).await;
    assert_eq!(again.status, 304);
    assert!(again.bytes.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let since = site.send("GET", PATH, &[("If-Modified-Since", &last_modified)], None).await;
    assert_eq!(since.status, 304);
    let other = site.send("GET", PATH, &[("If-None-Match", "\"eski\"")], None).await;
    assert_eq!(other.status, 200);

    // A newly approved comment changes the page: both validators see it.
    // HTTP dates count whole seconds: move on two.
    site.app.clock.advance(jiff::SignedDuration::from_secs(2));
    let body = serde_urlencoded::to_string([
        ("comment", "Yeni yorum"),
        ("author", "Okur"),
        ("email", "okur@example.com"),
        ("token", "x"),
    ])
    .unwrap();
    let page = site.get(PATH, None).await.body;
    let at = page.find("name=\"token\" value=\"").unwrap() + 20;
    let token = &page[at..at + page[at..].find('"').unwrap()];
    let body = body.replace("token=x", &format!("token={}", token.replace(':', "%3A")));
    assert_eq!(
        site.send("POST", &format!("{PATH}/yorum"), &[("Origin", &site.origin())], Some(&body)).await.status,
        303
    );
    site.app.store.set_comment_status(&[1], CommentStatus::Approved, site.app.clock.now()).await.unwrap();
    assert_eq!(site.send("GET", PATH, &[("If-None-Match", &etag)], None).await.status, 200);
    assert_eq!(site.send("GET", PATH, &[("If-Modified-Since", &last_modified)], None).await.status, 200);
}

#[tokio::test]
async fn pages_are_compressed_as_the_client_accepts() {
    let site = site().await;
    let gzip = site.send("GET", PATH, &[("Accept-Encoding", "gzip")], None).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    assert_eq!(&gzip.bytes[..2], &[0x1f, 0x8b], "gzip magic");
    let br = site.send("GET", PATH, &[("Accept-Encoding", "br")], None).await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert!(br.bytes.len() < site.get(PATH, None).await.bytes.len() / 2, "brotli makes the page much smaller");
    // Each encoding is its own representation, with its own strong ETag.
    assert_ne!(gzip.header("etag"), br.header("etag"));
    let etag = br.header("etag").unwrap().to_owned();
    let not_modified = site.send("GET", PATH, &[("Accept-Encoding", "br"), ("If-None-Match", &etag)], None).await;
    assert_eq!(not_modified.status, 304);
}

#[tokio::test]
async fn caches_get_lifetimes_by_kind_and_personal_pages_stay_private() {
    let site = site().await;
    assert_eq!(
        site.get("/", None).await.header("cache-control"),
        Some("public, max-age=30, stale-while-revalidate=60")
    );
    assert_eq!(
        site.get("/kategori/gundem", None).await.header("cache-control"),
        Some("public, max-age=60, stale-while-revalidate=60")
    );
    let personal = site.get(PATH, Some("manset_commenter=QQ")).await;
    assert_eq!(personal.header("cache-control"), Some("private, no-cache"));
    assert_eq!(site.get("/yonetim/giris", None).await.header("cache-control"), Some("no-store"));
    assert!(site.get("/yok", None).await.header("etag").is_none(), "errors are not validated");
}
