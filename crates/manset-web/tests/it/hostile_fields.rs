//! DOMPurify's XSS vectors (`../shared/testdata/xss`) typed by a newsroom
//! member into every field that reaches a page (headline, standfirst, body,
//! tags, byline, category, image alt text, source credit) and by a reader
//! into the search box: every page that shows them, the feeds too, holds
//! exactly the active elements of a harmless article's page: our own script
//! and structured data, and nothing more.

use std::collections::BTreeMap;

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{PASSWORD, Served};

/// What on a page can run, by kind (`element <script>`, `handler `onclick``,
/// `javascript:` URLs), counted.
fn active(html: &str) -> BTreeMap<String, usize> {
    // One `article:tag` (`article:author`) meta per tag (author): as many as
    // the vector had commas.
    let mut html = html.to_owned();
    while let Some(at) = html.find("<meta property=\"article:") {
        let end = at + html[at..].find("\">").expect("the meta ends") + 2;
        html.replace_range(at..end, "");
    }
    let mut kinds = BTreeMap::new();
    for finding in manset_testkit::executable_content(&html) {
        let kind = finding.split(" at byte").next().unwrap_or(&finding);
        // Our cards and lead images are pictures; what a picture could run
        // (`onerror`, a script URL) is counted as a handler or URL below.
        if kind == "element <img>" {
            continue;
        }
        // Attribute values differ between articles; their kind does not.
        let kind = match kind.split_once('=') {
            Some((attr, _)) => format!("{attr}=…"),
            None => kind.to_owned(),
        };
        *kinds.entry(kind).or_insert(0) += 1;
    }
    kinds
}

async fn publish(site: &Served, cookie: &str, text: &str, n: usize) -> Option<String> {
    let category = format!("Bölüm {n}");
    let fields = [
        ("headline", text),
        ("standfirst", text),
        ("body", text),
        ("category", category.as_str()),
        ("tags", text),
        ("author", text),
        ("image_url", "https://foto.example/a.jpg"),
        ("image_alt", text),
        ("image_caption", text),
        ("source_name_1", text),
        ("source_note_1", text),
        ("action", "publish"),
    ];
    let body = serde_urlencoded::to_string(fields).unwrap();
    let reply =
        site.send("POST", "/yonetim/haber/yeni", &[("Origin", &site.origin()), ("Cookie", cookie)], Some(&body)).await;
    // A vector that breaks an article rule (an unsluggable name, an overlong
    // headline) is refused: the refusal page must be inert too.
    if reply.status != 303 {
        assert_eq!(reply.status, 422, "{text:?}");
        return None;
    }
    let editor = site.get(reply.header("location").unwrap(), Some(cookie)).await;
    let at =
        editor.body.find("target=\"_blank\" rel=\"noopener\">").and_then(|_| editor.body.find("href=\"/haber/"))?;
    let rest = &editor.body[at + 6..];
    Some(rest[..rest.find('"').unwrap()].to_owned())
}

#[tokio::test]
async fn vectors_in_every_field_never_become_active() {
    let Some(payloads) = manset_testkit::xss_payloads() else { return };
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    app.store.create_user("editor@example.com", "Editör", Role::Editor, &hash, Timestamp::now()).await.unwrap();
    let site = app.serve().await;
    let body = serde_urlencoded::to_string([("email", "editor@example.com"), ("password", PASSWORD)]).unwrap();
    let cookie = site
        .send("POST", "/yonetim/giris", &[("Origin", &site.origin())], Some(&body))
        .await
        .cookie("manset_session")
        .unwrap();

    // The harmless article every page is compared with.
    let plain = publish(&site, &cookie, "Sade metin", 0).await.unwrap();
    let baseline_article = active(&site.get(&plain, None).await.body);
    let baseline_search = active(&site.get("/ara?q=sade", None).await.body);
    let baseline_home = active(&site.get("/", None).await.body);

    let (mut published, mut refused, mut pages) = (0, 0, 0);
    for (n, payload) in payloads.iter().enumerate() {
        let search = site.get(&format!("/ara?q={}", crate::app::encode(payload)), None).await;
        assert_eq!(active(&search.body), baseline_search, "search for {payload:?}");
        pages += 1;
        match publish(&site, &cookie, payload, n + 1).await {
            Some(path) => {
                published += 1;
                let page = site.get(&path, None).await;
                assert_eq!(page.status, 200);
                assert_eq!(active(&page.body), baseline_article, "article of {payload:?}");
                pages += 1;
            }
            None => refused += 1,
        }
    }
    // Lists and feeds show them all at once.
    let home = site.get("/", None).await;
    let home_kinds = active(&home.body);
    assert_eq!(
        home_kinds.keys().collect::<Vec<_>>(),
        baseline_home.keys().collect::<Vec<_>>(),
        "the home page holds no other kind of active content"
    );
    for feed in ["/rss", "/atom"] {
        let text = site.get(feed, None).await.body;
        // Markup in a feed is escaped text (or sanitized HTML inside CDATA-free escaping).
        assert!(!text.contains("<script") && !text.contains("<iframe"), "{feed}");
    }
    assert!(published > 100, "most vectors were saved as articles: {published}");
    eprintln!(
        "{} vectors: {published} published in every field, {refused} refused; {pages} pages checked",
        payloads.len()
    );
}
