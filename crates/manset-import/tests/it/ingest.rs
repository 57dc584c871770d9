//! Agency ingest against real feeds (`../shared/testdata/feeds`) and a
//! local HTTP server: items become drafts once, credited to their source,
//! in any encoding; conditional GET and backoff.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use manset_import::ingest::{self, FeedEntry};
use manset_store::{Feed, Store};

use crate::{now, store};

fn feed_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            feed_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml" || e == "json")
            && !path.to_string_lossy().ends_with(".serde.json")
        {
            out.push(path);
        }
    }
}

async fn feed(store: &Store, url: &str, source: &str) -> Feed {
    let id = store.add_feed(url, source, None, now()).await.unwrap().unwrap();
    store.feeds().await.unwrap().into_iter().find(|f| f.id == id).unwrap()
}

/// Text as the newsroom gets it from feed-rs's expected title.
fn expected_text(html: &str) -> String {
    manset_text::html::to_text(html).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn every_shared_feed_is_read_as_expected_and_ingested_once() {
    let Some(shared) = manset_testkit::shared_dir() else { return };
    let mut files = Vec::new();
    feed_files(&shared.join("testdata/feeds"), &mut files);
    files.sort();
    assert!(files.len() >= 80, "the shared feeds: {}", files.len());
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (mut checked, mut drafts, mut not_feeds) = (0, 0, Vec::new());
    for (i, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let entries: Vec<FeedEntry> = match ingest::parse(&bytes, None, None) {
            Ok(entries) => entries,
            Err(e) => {
                not_feeds.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let expected = path.with_file_name(format!("{}.serde.json", path.file_stem().unwrap().to_string_lossy()));
        if let Ok(text) = std::fs::read_to_string(&expected) {
            let want: serde_json::Value = serde_json::from_str(&text).unwrap();
            let want = want["entries"].as_array().unwrap();
            assert_eq!(entries.len(), want.len(), "{}", path.display());
            let again = ingest::parse(&bytes, None, None).unwrap();
            for ((got, want), twice) in entries.iter().zip(want).zip(&again) {
                // An item with no id, link or title: feed-rs makes a random
                // one (new at every poll); ours comes from its text.
                if got.guid.starts_with("manset:") {
                    assert_eq!(got.guid, twice.guid, "{}: our id is stable", path.display());
                } else {
                    assert_eq!(got.guid, want["id"].as_str().unwrap(), "{}", path.display());
                }
                let title = want["title"]["content"].as_str().map(expected_text).unwrap_or_default();
                assert_eq!(got.title, title, "{}", path.display());
                let links: Vec<&str> =
                    want["links"].as_array().unwrap().iter().filter_map(|l| l["href"].as_str()).collect();
                match &got.link {
                    Some(link) => assert!(links.contains(&link.as_str()), "{}: {link} in {links:?}", path.display()),
                    None => assert!(links.is_empty(), "{}", path.display()),
                }
            }
            checked += 1;
        }
        let f = feed(&store, &format!("https://ajans.example/{i}.xml"), "Ajans").await;
        let report = ingest::ingest(&store, &f, &entries, now()).await.unwrap();
        assert_eq!(
            report.drafts.len() + report.seen_guid + report.seen_link + report.seen_text + report.empty,
            entries.len(),
            "{}: every item is a draft or accounted for",
            path.display()
        );
        drafts += report.drafts.len();
        // Polled again, the same items make nothing new.
        let again = ingest::ingest(&store, &f, &entries, now()).await.unwrap();
        assert!(again.drafts.is_empty(), "{}", path.display());
    }
    assert!(checked >= 40, "feeds checked against their expected parse: {checked}");
    assert!(drafts >= 100, "drafts made: {drafts}");
    // What is not read: documents that are broken on purpose (`*_invalid_*`),
    // fragments of feeds (a lone <item>, <entry> …) from the crates' unit
    // tests, and feed-rs's tests of its XML reader (`fixture/xml`: no feeds).
    for failure in &not_feeds {
        let expected = failure.contains("invalid")
            || failure.contains("rss-crate/")
            || failure.contains("atom-crate/")
            || failure.contains("fixture/xml/");
        assert!(expected, "a feed that should be read was not: {failure}");
    }
    println!("{checked} feeds checked field by field, {drafts} drafts; not feeds: {not_feeds:#?}");
}

#[tokio::test]
async fn a_draft_credits_its_source_and_keeps_the_original_link() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let f = store.add_feed("https://turan.example/rss", "Turan", Some("Azerbaycan"), now()).await.unwrap().unwrap();
    let f = store.feeds().await.unwrap().into_iter().find(|x| x.id == f).unwrap();
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Turan</title>
      <item><title>Bakü&apos;de enerji zirvesi</title><link>https://turan.example/haber/1</link>
      <guid>turan-1</guid><description>&lt;p&gt;Zirvede &lt;b&gt;Orta Koridor&lt;/b&gt; konuşuldu.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description></item>
    </channel></rss>"#;
    let entries = ingest::parse(rss.as_bytes(), Some("https://turan.example/rss"), None).unwrap();
    let report = ingest::ingest(&store, &f, &entries, now()).await.unwrap();
    assert_eq!(report.drafts.len(), 1);
    let draft = store.editable_article(report.drafts[0]).await.unwrap().unwrap();
    assert_eq!(draft.status, manset_core::Status::Draft, "a draft, never published by itself");
    assert_eq!(draft.input.headline, "Bakü'de enerji zirvesi");
    assert_eq!(draft.input.category, "Azerbaycan");
    assert_eq!(draft.input.standfirst, "Zirvede Orta Koridor konuşuldu.");
    assert_eq!(draft.input.sources[0].name, "Turan");
    assert_eq!(draft.input.sources[0].url.as_deref(), Some("https://turan.example/haber/1"));
    let html = manset_text::markdown::to_safe_html(&draft.input.body);
    assert!(html.contains("<strong>Orta Koridor</strong>") || html.contains("<b>Orta Koridor</b>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
}

#[tokio::test]
async fn the_same_story_from_two_feeds_is_one_draft() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (a, b) =
        (feed(&store, "https://a.example/rss", "APA").await, feed(&store, "https://b.example/rss", "Turan").await);
    let item = |guid: &str, link: &str, text: &str| FeedEntry {
        guid: guid.into(),
        link: Some(link.into()),
        title: "Aliyev Tiflis'te".into(),
        summary: text.into(),
        body_html: format!("<p>{text}</p>"),
        published: None,
    };
    let text = "Azerbaycan Cumhurbaşkanı İlham Aliyev bugün Tiflis'te Gürcistan Başbakanı ile görüştü ve enerji anlaşmaları imzalandı.";
    let first = ingest::ingest(&store, &a, &[item("a-1", "https://haber.example/1", text)], now()).await.unwrap();
    assert_eq!(first.drafts.len(), 1);
    // The same link from another feed.
    let same_link =
        ingest::ingest(&store, &b, &[item("b-9", "https://haber.example/1", "Başka metin")], now()).await.unwrap();
    assert_eq!((same_link.drafts.len(), same_link.seen_link), (0, 1));
    // Nearly the same text under another link (a comma for an "and").
    let edited = text.replace(" ve enerji", ", enerji");
    let same_text = ingest::ingest(&store, &b, &[item("b-10", "https://b.example/10", &edited)], now()).await.unwrap();
    assert_eq!((same_text.drafts.len(), same_text.seen_text), (0, 1));
    // Another story is a draft.
    let other = item(
        "b-11",
        "https://b.example/11",
        "Merkez Bankası politika faizini yüzde 45'te sabit tuttu, piyasalar kararı olumlu karşıladı.",
    );
    assert_eq!(ingest::ingest(&store, &b, &[other], now()).await.unwrap().drafts.len(), 1);
}

#[tokio::test]
async fn turkish_legacy_encodings_are_read() {
    for encoding in ["windows-1254", "ISO-8859-9"] {
        let text = format!(
            "<?xml version=\"1.0\" encoding=\"{encoding}\"?><rss version=\"2.0\"><channel><title>Ajans</title>\
             <item><title>Şişli'de ığdırlı öğrenciler çalıştay düzenledi</title><guid>1</guid></item></channel></rss>"
        );
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1254.encode(&text);
        assert!(!unmappable);
        assert_ne!(&bytes[..], text.as_bytes(), "the bytes are not UTF-8");
        let entries = ingest::parse(&bytes, None, None).unwrap();
        assert_eq!(entries[0].title, "Şişli'de ığdırlı öğrenciler çalıştay düzenledi", "{encoding}");
    }
}

/// A feed server on loopback: answers with `body` and an ETag, 304 when
/// asked with that ETag, `fail` times 500 first; records what it was asked.
struct FeedServer {
    url: String,
    asked: Arc<Mutex<Vec<String>>>,
}

fn serve_feed(body: &'static str, fail: usize) -> FeedServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/rss", listener.local_addr().unwrap());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    std::thread::spawn(move || {
        let mut failures_left = fail;
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            log.lock().unwrap().push(head.clone());
            let response = if failures_left > 0 {
                failures_left -= 1;
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
            } else if head.to_ascii_lowercase().contains("if-none-match: \"v1\"") {
                "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n".to_owned()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"v1\"\r\n\
                     Last-Modified: Sun, 29 Nov 2026 08:00:00 GMT\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    FeedServer { url, asked }
}

const RSS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>APA</title>\
    <item><title>Gence'de yeni fabrika</title><link>https://apa.example/1</link><guid>apa-1</guid>\
    <description>Fabrika 500 kişiye iş verecek.</description></item>\
    <item><title>Şuşa festivali başladı</title><link>https://apa.example/2</link><guid>apa-2</guid>\
    <description>Festival üç gün sürecek.</description></item></channel></rss>";

#[tokio::test]
async fn polls_are_conditional_and_failures_back_off() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let server = serve_feed(RSS, 1);
    let id = store.add_feed(&server.url, "APA", None, now()).await.unwrap().unwrap();
    let current = |store: Store| async move { store.feeds().await.unwrap().into_iter().find(|f| f.id == id).unwrap() };

    // The first read fails: the feed waits twice the usual time.
    let polled = ingest::poll_due(&store, now(), false).await.unwrap();
    assert_eq!(polled.len(), 1);
    assert!(polled[0].1.error.as_deref().unwrap().contains("500"), "{:?}", polled[0].1);
    let f = current(store.clone()).await;
    assert_eq!(f.failures, 1);
    assert_eq!(now().duration_until(f.next_poll_at), jiff::SignedDuration::from_mins(20));
    assert!(ingest::poll_due(&store, now(), false).await.unwrap().is_empty(), "not due yet");

    // When due, it is read: two drafts, the ETag kept, the failures forgotten.
    let later = f.next_poll_at;
    let polled = ingest::poll_due(&store, later, false).await.unwrap();
    assert_eq!(polled[0].1.drafts.len(), 2, "{:?}", polled[0].1);
    let f = current(store.clone()).await;
    assert_eq!((f.failures, f.etag.as_deref()), (0, Some("\"v1\"")));
    assert_eq!(f.last_modified.as_deref(), Some("Sun, 29 Nov 2026 08:00:00 GMT"));

    // The next read asks with the ETag and gets 304: nothing new, nothing read.
    let polled = ingest::poll_due(&store, f.next_poll_at, false).await.unwrap();
    assert!(polled[0].1.not_modified && polled[0].1.drafts.is_empty());
    let asked = server.asked.lock().unwrap();
    let last = asked.last().unwrap().to_ascii_lowercase();
    assert!(last.contains("if-none-match: \"v1\"") && last.contains("if-modified-since: sun, 29 nov 2026"), "{last}");
}
