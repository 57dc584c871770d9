//! The rendered-page cache: pages are made once and served from memory, and
//! after every kind of change the next request shows it.
//!
//! These sites do not read the change log before each request (as the other
//! tests' sites do): what the server does by itself is what is tested.

use std::sync::atomic::Ordering;

use jiff::{SignedDuration, Timestamp};
use manset_core::{CommentStatus, Role};

use crate::TestApp;
use crate::app::{HttpReply, Served};

/// Three stories on different subjects: A and B in Gündem, C in Ekonomi.
async fn site() -> Served {
    let app = TestApp::new().await;
    app.sync_before_requests.store(false, Ordering::Relaxed);
    app.store.set_setting("comments.min_seconds", "0").await.unwrap();
    for (file, title, category, when, body) in [
        (
            "a.md",
            "Kars limanında yeni rıhtım",
            "Gündem",
            "2024-06-20T10:00:00+03:00",
            "Limanda rıhtım inşaatı başladı.",
        ),
        ("b.md", "Tiflis’te müze gecesi", "Gündem", "2024-06-19T10:00:00+03:00", "Müzeler gece yarısına kadar açık."),
        (
            "c.md",
            "Borsa güne düşüşle başladı",
            "Ekonomi",
            "2024-06-18T10:00:00+03:00",
            "Endeks açılışta değer kaybetti.",
        ),
    ] {
        let file_text = format!(
            "+++\ntitle = \"{title}\"\nstandfirst = \"Spot.\"\ncategory = \"{category}\"\ntags = [\"Kafkasya\"]\npublished = {when}\n+++\n\n{body}\n"
        );
        app.import(file, &file_text).await;
    }
    let site = app.serve().await;
    // Everything imported so far is old news to the cache.
    site.app.state.sync_page_cache().await.unwrap();
    site
}

const A: &str = "/haber/kars-limaninda-yeni-rihtim";
const B: &str = "/haber/tifliste-muze-gecesi";
const C: &str = "/haber/borsa-gune-dususle-basladi";

/// Asks twice: made once, then from memory.
async fn warm(site: &Served, path: &str) -> HttpReply {
    let first = site.get(path, None).await;
    assert_eq!(first.status, 200, "{path}");
    let second = site.get(path, None).await;
    assert_eq!(second.header("x-cache"), Some("HIT"), "{path} is kept");
    assert_eq!(first.body, second.body);
    second
}

fn cached(reply: &HttpReply) -> bool {
    reply.header("x-cache") == Some("HIT")
}

async fn id_of(site: &Served, slug: &str) -> i64 {
    site.app.store.published_article(slug, Timestamp::now()).await.unwrap().unwrap().id
}

#[tokio::test]
async fn a_page_is_made_once_then_served_from_memory_in_each_encoding() {
    let site = site().await;
    let first = site.get(A, None).await;
    assert_eq!(first.header("x-cache"), Some("MISS"));
    let again = site.get(A, None).await;
    assert_eq!(again.header("x-cache"), Some("HIT"));
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(again.header("content-length"), Some(first.bytes.len().to_string().as_str()));
    assert!(again.header("content-security-policy").is_some(), "the security headers are kept too");

    // Each encoding is kept on its own, with its own strong validator.
    for encoding in ["gzip", "br"] {
        let made = site.send("GET", A, &[("Accept-Encoding", encoding)], None).await;
        assert_eq!(made.header("x-cache"), Some("MISS"), "{encoding}");
        let kept = site.send("GET", A, &[("Accept-Encoding", encoding)], None).await;
        assert_eq!(kept.header("x-cache"), Some("HIT"), "{encoding}");
        assert_eq!(kept.header("content-encoding"), Some(encoding));
        assert_eq!(kept.bytes, made.bytes);
        assert_ne!(kept.header("etag"), first.header("etag"));
    }

    // Validators are answered from memory too; HEAD gets the head only.
    let etag = first.header("etag").unwrap();
    let not_modified = site.send("GET", A, &[("If-None-Match", etag)], None).await;
    assert_eq!((not_modified.status, cached(&not_modified)), (304, true));
    assert!(not_modified.bytes.is_empty());
    let head = site.send("HEAD", A, &[], None).await;
    assert_eq!((head.status, cached(&head)), (200, true));
    assert!(head.bytes.is_empty());
}

/// The editor's form for A with a new headline.
fn edit_form(action: &str) -> Vec<(&str, &str)> {
    vec![
        ("headline", "Kars limanında ikinci rıhtım"),
        ("slug", "kars-limaninda-yeni-rihtim"),
        ("standfirst", "Spot."),
        ("body", "Limanda rıhtım inşaatı başladı."),
        ("category", "Gündem"),
        ("tags", "Kafkasya"),
        ("action", action),
        // Taking a story down asks first; the tests answer yes.
        ("confirm", "1"),
    ]
}

#[tokio::test]
async fn every_change_in_the_newsroom_shows_on_the_next_request() {
    let site = site().await;
    let editor = site.member("editor@example.com", Role::Editor).await;
    let admin = site.member("admin@example.com", Role::Admin).await;
    let a = id_of(&site, "kars-limaninda-yeni-rihtim").await;

    // The article itself, and every page that shows its headline.
    for path in [A, "/", "/kategori/gundem", "/etiket/kafkasya", B, "/kategori/ekonomi"] {
        warm(&site, path).await;
    }
    assert!(site.get(B, None).await.body.contains("Kars limanında yeni rıhtım"), "A is related to B");
    let edited = site.post_form(&format!("/yonetim/haber/{a}"), &editor, &edit_form("save")).await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    for path in [A, "/", "/kategori/gundem", "/etiket/kafkasya", B] {
        let page = site.get(path, None).await;
        assert!(!cached(&page), "{path} was dropped");
        assert!(page.body.contains("Kars limanında ikinci rıhtım"), "{path} shows the new headline");
    }
    // A list that never showed A stays: a save moves A to no other list.
    assert!(cached(&site.get("/kategori/ekonomi", None).await));
    warm(&site, C).await;

    // A reader's comment waits for approval: no public page changes.
    warm(&site, A).await;
    let token = &site.form_token(A).await;
    let comment = serde_urlencoded::to_string([
        ("comment", "Rıhtım ne zaman bitecek?"),
        ("author", "Okur"),
        ("email", "okur@example.com"),
        ("token", token),
    ])
    .unwrap();
    let posted = site.send("POST", &format!("{A}/yorum"), &[("Origin", &site.origin())], Some(&comment)).await;
    assert_eq!(posted.status, 303);
    assert!(cached(&site.get(A, None).await), "a pending comment is on no public page");
    // Approved in the newsroom: on the page at once; other articles' pages stay.
    warm(&site, B).await;
    let id = site.app.store.moderation_queue(None, None, 10, 0).await.unwrap().0[0].id;
    let approved = site
        .post_form("/yonetim/yorumlar", &editor, &[("one", &format!("approved:{id}")), ("back", "/yonetim/yorumlar")])
        .await;
    assert_eq!(approved.status, 303);
    let page = site.get(A, None).await;
    assert!(!cached(&page) && page.body.contains("Rıhtım ne zaman bitecek?"));
    assert!(cached(&site.get(B, None).await), "B shows no comment of A");

    // A renamed tag, on the article that carries it.
    warm(&site, A).await;
    let tag = site.app.store.tag_by_slug("kafkasya").await.unwrap().unwrap().id;
    let renamed = site
        .post_form(
            &format!("/yonetim/etiketler/{tag}"),
            &editor,
            &[("name", "Güney Kafkasya"), ("slug", "guney-kafkasya")],
        )
        .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert!(site.get(A, None).await.body.contains("Güney Kafkasya"));

    // Breaking news: on every page.
    for path in [A, C, "/"] {
        warm(&site, path).await;
    }
    let until = jiff::tz::TimeZone::get("Europe/Istanbul")
        .unwrap()
        .to_datetime(Timestamp::now() + SignedDuration::from_hours(1));
    let until = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        until.year(),
        until.month(),
        until.day(),
        until.hour(),
        until.minute()
    );
    let b = id_of(&site, "tifliste-muze-gecesi").await.to_string();
    let breaking = site
        .post_form("/yonetim/anasayfa", &editor, &[("action", "breaking"), ("article", &b), ("until", &until)])
        .await;
    assert_eq!(breaking.status, 303, "{}", breaking.body);
    for path in [A, C, "/"] {
        assert!(site.get(path, None).await.body.contains("breaking__label"), "{path} has the ticker");
    }

    // The site's settings.
    for path in [A, C, "/"] {
        warm(&site, path).await;
    }
    let saved = site.post_form("/yonetim/ayarlar", &admin, &[("site.name", "Karadeniz Gazetesi")]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    for path in [A, C, "/"] {
        assert!(site.get(path, None).await.body.contains("Karadeniz Gazetesi"), "{path} has the new name");
    }

    // Unpublished: gone at once, from its page and the lists.
    warm(&site, A).await;
    warm(&site, "/").await;
    let unpublished = site.post_form(&format!("/yonetim/haber/{a}"), &editor, &edit_form("unpublish")).await;
    assert_eq!(unpublished.status, 303, "{}", unpublished.body);
    assert_eq!(site.get(A, None).await.status, 410);
    assert!(!site.get("/", None).await.body.contains("ikinci rıhtım"));
}

#[tokio::test]
async fn a_new_story_in_the_category_reaches_the_lists_and_related_blocks() {
    let site = site().await;
    for path in [B, "/", "/kategori/gundem", C] {
        warm(&site, path).await;
    }
    // Written by another process (an import from the command line): the
    // server reads the change log every second.
    site.app.state.keep_page_cache_current(std::time::Duration::from_millis(200));
    site.app
        .import(
            "d.md",
            "+++\ntitle = \"Gürcistan’da seçim günü\"\ncategory = \"Gündem\"\npublished = 2024-06-21T10:00:00+03:00\n+++\n\nSandıklar açıldı.\n",
        )
        .await;
    let started = std::time::Instant::now();
    for path in [B, "/", "/kategori/gundem"] {
        loop {
            if site.get(path, None).await.body.contains("Gürcistan’da seçim günü") {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_millis(1500),
                "{path} shows the new story within a second"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test]
async fn an_embargoed_story_appears_on_cached_pages_at_its_second() {
    let site = site().await;
    let at = Timestamp::from_second(Timestamp::now().as_second() + 3).unwrap();
    let when = at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    site.app
        .import(
            "e.md",
            &format!("+++\ntitle = \"Ambargolu rapor\"\ncategory = \"Gündem\"\npublished = {when}\n+++\n\nRapor yayımlandı.\n"),
        )
        .await;
    // The import is read from the log as a write of this server would be.
    site.app.state.sync_page_cache().await.unwrap();
    let home = warm(&site, "/").await;
    assert!(!home.body.contains("Ambargolu rapor"));
    // The server reads its clock somewhere within each request.
    loop {
        let began = Timestamp::now();
        let home = site.get("/", None).await;
        let ended = Timestamp::now();
        if ended < at {
            assert!(!home.body.contains("Ambargolu rapor"), "not before its time");
        } else if began >= at {
            assert!(home.body.contains("Ambargolu rapor"), "on the cached home page from its second on");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_crowd_on_a_cold_page_makes_it_once() {
    let site = std::sync::Arc::new(site().await);
    let mut crowd = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let site = std::sync::Arc::clone(&site);
        crowd.spawn(async move { site.get(A, None).await });
    }
    let replies = crowd.join_all().await;
    assert!(replies.iter().all(|r| r.status == 200));
    let made = replies.iter().filter(|r| r.header("x-cache") == Some("MISS")).count();
    assert_eq!(made, 1, "one render for 40 readers arriving together");
    assert!(replies.iter().all(|r| r.body == replies[0].body));
}

#[tokio::test]
async fn the_cache_stays_within_its_memory_setting() {
    let site = site().await;
    let capacity = 256 * 1024;
    site.app.state.set_page_cache_bytes(capacity);
    for n in 0..80 {
        assert_eq!(site.get(&format!("{A}?n={n}"), None).await.status, 200);
        let (_, used) = site.app.state.page_cache_stats();
        assert!(used <= capacity, "{used} bytes kept with room for {capacity}");
    }
    let (pages, _) = site.app.state.page_cache_stats();
    assert!(pages > 5 && pages < 80, "older pages made room: {pages} kept");
    assert!(cached(&site.get(&format!("{A}?n=79"), None).await), "the newest is kept");
    assert!(!cached(&site.get(&format!("{A}?n=0"), None).await), "the oldest went first");

    site.app.state.set_page_cache_bytes(0);
    assert_eq!(site.app.state.page_cache_stats(), (0, 0));
    assert_eq!(site.get(A, None).await.header("x-cache"), None, "off: every request is rendered");
}

#[tokio::test]
async fn a_reader_with_a_pending_comment_gets_their_own_page_and_nobody_else_does() {
    let site = site().await;
    warm(&site, A).await;
    let token = &site.form_token(A).await;
    let comment = serde_urlencoded::to_string([
        ("comment", "Benim bekleyen yorumum"),
        ("author", "Okur"),
        ("email", "okur@example.com"),
        ("remember", "1"),
        ("token", token),
    ])
    .unwrap();
    let posted = site.send("POST", &format!("{A}/yorum"), &[("Origin", &site.origin())], Some(&comment)).await;
    let cookies: Vec<String> =
        ["manset_pending", "manset_commenter"].iter().filter_map(|name| posted.cookie(name)).collect();
    assert!(!cookies.is_empty());
    let own = site.get(A, Some(&cookies.join("; "))).await;
    assert_eq!(own.header("x-cache"), None, "rendered for this reader");
    assert!(own.body.contains("Benim bekleyen yorumum"));
    assert!(own.header("cache-control").unwrap().starts_with("private"));
    let anyone = site.get(A, None).await;
    assert!(cached(&anyone) && !anyone.body.contains("Benim bekleyen yorumum"));
    // Approval is a change like any other, wherever it is made.
    site.app.store.set_comment_status(&[1], CommentStatus::Approved, Timestamp::now()).await.unwrap();
    site.app.state.sync_page_cache().await.unwrap();
    assert!(site.get(A, None).await.body.contains("Benim bekleyen yorumum"));
    // The proof of authorship goes along with every article request, but
    // only the comment form reads it: the reader still gets the shared page.
    let authorship = posted.cookie("manset_own").expect("the authorship cookie");
    assert!(cached(&site.get(A, Some(&authorship)).await), "a proof of authorship makes no page personal");
}

#[tokio::test]
async fn an_article_page_costs_the_same_few_queries_however_much_it_shows() {
    let site = site().await;
    site.app.store.set_setting("comments.rate_per_minute", "0").await.unwrap();
    // B gets twenty approved comments; A has none.
    let token = site.form_token(B).await;
    for n in 0..20 {
        let comment = serde_urlencoded::to_string([
            ("comment", format!("Yorum {n}: müze gecesi güzeldi.")),
            ("author", format!("Okur {n}")),
            ("email", format!("okur{n}@example.com")),
            ("token", token.clone()),
        ])
        .unwrap();
        let posted = site.send("POST", &format!("{B}/yorum"), &[("Origin", &site.origin())], Some(&comment)).await;
        assert_eq!(posted.status, 303);
    }
    let ids: Vec<i64> = (1..=20).collect();
    site.app.store.set_comment_status(&ids, CommentStatus::Approved, Timestamp::now()).await.unwrap();
    site.app.state.sync_page_cache().await.unwrap();

    // Every request rendered; the first of each computes what is kept (related ids, the chrome).
    site.app.state.set_page_cache_bytes(0);
    let trips = |path: &'static str| {
        let site = &site;
        async move {
            let before = site.app.store.round_trips();
            let page = site.get(path, None).await;
            assert_eq!(page.status, 200);
            (site.app.store.round_trips() - before, page)
        }
    };
    trips(A).await;
    trips(B).await;
    let (plain, _) = trips(A).await;
    let (full, page) = trips(B).await;
    assert_eq!(page.body.matches("class=\"comment\"").count(), 20, "B shows its twenty comments");
    assert!(page.body.contains("Kars limanında yeni rıhtım"), "and its related articles");
    assert_eq!(plain, full, "twenty comments and related articles cost no extra query");
    assert!(full <= 3, "the article, its related articles' summaries, its comments: {full} trips");
}
