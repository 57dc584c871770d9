//! Upgrading a site from every schema version it could have been left at.
//!
//! For each version k, a database is built as the binaries of versions
//! 1…k left it: each migration applied in turn, and after migration n the
//! rows that version's code wrote, in that version's SQL
//! (`tests/upgrades/NNNN.sql`: articles with bylines, tags and sources,
//! threaded and moderated comments, revisions, users and sessions, settings,
//! media, pages, feeds, redirects…). Then the current binary opens it
//! (`Store::open`, `Store::open_postgres`: every pending migration), and
//! every row is read back: counted table by table through the dump, and the
//! rows that matter read through `Store` and the site's pages. PostgreSQL's
//! history starts at 13, with the schema SQLite has after 13; its database
//! at 13 holds the rows of versions 1 to 13.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use jiff::Timestamp;
use manset_core::comment::HoldReason;
use manset_core::{CommentStatus, Lang, Role};
use manset_service::Clock;
use manset_store::{DB_FILE, LegacyTarget, Store, Taxonomy};
use sqlx::Connection;

use crate::TestApp;

/// The rows each schema version's code wrote, by version.
const ROWS: &[(i64, &str)] = &[
    (1, include_str!("../upgrades/0001.sql")),
    (2, include_str!("../upgrades/0002.sql")),
    (3, include_str!("../upgrades/0003.sql")),
    (4, include_str!("../upgrades/0004.sql")),
    (5, include_str!("../upgrades/0005.sql")),
    (6, include_str!("../upgrades/0006.sql")),
    (7, include_str!("../upgrades/0007.sql")),
    (8, include_str!("../upgrades/0008.sql")),
    (9, include_str!("../upgrades/0009.sql")),
    (10, include_str!("../upgrades/0010.sql")),
    (11, include_str!("../upgrades/0011.sql")),
    (12, include_str!("../upgrades/0012.sql")),
    (13, include_str!("../upgrades/0013.sql")),
    (14, include_str!("../upgrades/0014.sql")),
    (15, include_str!("../upgrades/0015.sql")),
    (16, include_str!("../upgrades/0016.sql")),
    (17, include_str!("../upgrades/0017.sql")),
    (18, include_str!("../upgrades/0018.sql")),
];

/// The session the rows of version 3 hold (its hash is in `0003.sql`).
const SESSION_TOKEN: &str = "upgrade-test-session";
/// The password whose hash the accounts of version 3 hold.
const PASSWORD: &str = "eski sürümün parolası";

/// When the upgraded site is looked at: after every row was written, within
/// the session's idle time.
fn then() -> Timestamp {
    "2024-06-29T00:00:00Z".parse().unwrap()
}

/// Every version has rows, and a new schema version needs rows of its own.
#[test]
fn every_schema_version_has_rows_written_in_its_sql() {
    let versions: Vec<i64> = ROWS.iter().map(|r| r.0).collect();
    assert_eq!(versions, (1..=manset_store::SCHEMA_VERSION).collect::<Vec<_>>());
}

/// One statement counting the rows of each of `tables`, the same SQL on
/// both engines: `(table, count)` rows in the tables' order.
fn counting(tables: &[String]) -> sqlx::AssertSqlSafe<String> {
    let parts: Vec<String> =
        tables.iter().map(|t| format!("SELECT CAST('{t}' AS TEXT), CAST(COUNT(*) AS BIGINT) FROM \"{t}\"")).collect();
    sqlx::AssertSqlSafe(parts.join(" UNION ALL "))
}

/// Row counts by table, as the old binary left them (the tables a dump
/// holds; the transient ones are checked through `Store` below).
async fn sqlite_counts(conn: &mut sqlx::SqliteConnection) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    sqlx::query_as(counting(&tables)).fetch_all(conn).await.unwrap()
}

async fn postgres_counts(conn: &mut sqlx::PgConnection) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    sqlx::query_as(counting(&tables)).fetch_all(conn).await.unwrap()
}

/// A SQLite site as the binary of schema `k` left it; its row counts.
async fn sqlite_site_at(data: &std::path::Path, k: i64) -> Vec<(String, i64)> {
    std::fs::create_dir_all(data).unwrap();
    let url = format!("sqlite://{}?mode=rwc", data.join(DB_FILE).display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL").execute(&mut conn).await.unwrap();
    let history = manset_store::schema_history::sqlite();
    for &(version, rows) in ROWS.iter().take_while(|r| r.0 <= k) {
        history.run_to(version, &mut conn).await.unwrap_or_else(|e| panic!("migration {version}: {e}"));
        sqlx::raw_sql(rows).execute(&mut conn).await.unwrap_or_else(|e| panic!("rows of version {version}: {e}"));
    }
    let counts = sqlite_counts(&mut conn).await;
    conn.close().await.unwrap();
    counts
}

/// A PostgreSQL site as the binary of schema `k` (13 or later) left it.
async fn postgres_site_at(url: &str, k: i64) -> Vec<(String, i64)> {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let history = manset_store::schema_history::postgres();
    for &(version, rows) in ROWS.iter().take_while(|r| r.0 <= k) {
        // Versions before 13 are SQLite's alone: their rows go into the
        // schema of 13, as a site moved to PostgreSQL at 13 held them.
        history.run_to(version.max(13), &mut conn).await.unwrap_or_else(|e| panic!("migration {version}: {e}"));
        sqlx::raw_sql(rows).execute(&mut conn).await.unwrap_or_else(|e| panic!("rows of version {version}: {e}"));
    }
    let counts = postgres_counts(&mut conn).await;
    conn.close().await.unwrap();
    counts
}

/// The upgraded store holds every row it held before: the dump reads every
/// row of every lasting table through the store's typed columns.
async fn every_row_is_still_there(store: &Store, before: &[(String, i64)], k: i64) {
    let mut after: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    store
        .export_rows(|row| {
            *after.entry(row.table).or_default() += 1;
            Ok(())
        })
        .await
        .expect("every row reads back");
    assert!(before.iter().any(|(t, n)| t == "articles" && *n >= 3), "the old database was counted: {before:?}");
    for (table, count) in before {
        if ["sessions", "login_failures", "changes", "rate_hits", "article_presence", "_sqlx_migrations"]
            .contains(&table.as_str())
        {
            continue;
        }
        assert_eq!(after.get(table).copied().unwrap_or(0), *count, "rows of `{table}` after the upgrade from {k}");
    }
}

/// What the rows of versions 1…k say, read through `Store`.
async fn rows_read_back_through_the_store(store: &Store, k: i64) {
    let now = then();
    let article = store.published_article("bakude-enerji-zirvesi", now).await.unwrap().expect("the article");
    assert_eq!(article.headline, "Bakü'de enerji zirvesi");
    assert_eq!(article.category.slug, "gundem");
    assert_eq!(article.tags.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(), ["baku", "enerji"]);
    assert_eq!(article.sources.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Turan", "AA"]);
    let byline: Vec<&str> = article.authors.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(byline, if k >= 5 { vec!["ayse-yilmaz", "mehmet-demir"] } else { vec!["ayse-yilmaz"] });
    assert!(store.published_article("yarim-kalan-taslak", now).await.unwrap().is_none(), "a draft stays unseen");

    let comments = store.approved_comments(article.id).await.unwrap();
    let bodies: Vec<&str> = comments.iter().map(|c| c.body.as_str()).collect();
    assert!(bodies.contains(&"Zirve ne zaman bitti?") && bodies.contains(&"Dün akşam bitti."), "{bodies:?}");
    let first = comments.iter().find(|c| c.body == "Zirve ne zaman bitti?").unwrap();
    let reply = comments.iter().find(|c| c.body == "Dün akşam bitti.").unwrap();
    assert_eq!(reply.parent_id, Some(first.id), "the thread holds");
    assert!(!bodies.contains(&"Onay bekleyen yorum.") && !bodies.contains(&"Ucuz saat alın."));
    let waiting = store.moderation_queue(Some(CommentStatus::Pending), None, 50, 0).await.unwrap().0;
    assert!(waiting.iter().any(|c| c.body == "Onay bekleyen yorum."));
    let spam = store.moderation_queue(Some(CommentStatus::Spam), None, 50, 0).await.unwrap().0;
    assert_eq!(spam.iter().map(|c| c.email.as_str()).collect::<Vec<_>>(), ["spam@example.com"]);

    if k >= 2 {
        assert_eq!(store.setting("site.name").await.unwrap().as_deref(), Some("Kafkas Postası"));
        assert!(bodies.contains(&"Teşekkürler."));
    }
    if k >= 3 {
        let editor = store.credentials("editor@example.com").await.unwrap().expect("the editor's account");
        assert_eq!(editor.user.role, Role::Editor);
        assert!(manset_service::accounts::verify_password(PASSWORD, &editor.password_hash), "the password still works");
        let session = manset_service::accounts::token_hash(SESSION_TOKEN);
        let user = store.session_user(&session, now, 2 * 24 * 3600).await.unwrap().expect("the session lives on");
        assert_eq!(user.user.email, "editor@example.com");
        let everyone = store.all_users().await.unwrap();
        assert!(everyone.iter().any(|(u, disabled)| u.email == "eski@example.com" && disabled.is_some()));
    }
    if k >= 4 {
        assert_eq!(article.correction.as_deref(), Some("Toplantının süresi düzeltildi."));
        assert_eq!(article.seo_title.as_deref(), Some("Enerji zirvesi Bakü'de"));
        let revisions = store.revisions(article.id).await.unwrap();
        assert_eq!(revisions.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(revisions[1].content.authors, ["Ayşe Yılmaz"], "an old revision's one `author` reads as a byline");
        assert_eq!(revisions[0].user_name.as_deref(), Some("Elif Editör"));
        assert_eq!(store.redirect_for("baku-zirvesi").await.unwrap().as_deref(), Some("bakude-enerji-zirvesi"));
    }
    if k >= 6 {
        let image = article.image.as_ref().expect("the lead image");
        assert_eq!((image.alt.as_str(), image.width), ("Zirve salonu", Some(1200)));
    }
    if k >= 7 {
        let reply = comments.iter().find(|c| c.body == "Haberi güncelledik.").expect("the staff reply");
        assert_eq!(reply.staff_role, Some(Role::Editor), "a reply from before 16 gets its member's role");
        let page = store.static_page_by_slug("kunye").await.unwrap().expect("Künye");
        assert_eq!(page.body_html, "<p>Yayın kurulu.</p>");
        assert_eq!(store.front_slots().await.unwrap(), [article.id]);
        let breaking = store.breaking_news(now, 5).await.unwrap();
        assert_eq!(breaking.iter().map(|b| b.slug.as_str()).collect::<Vec<_>>(), ["tiflis-secimleri"]);
        assert_eq!(store.audit_entries(None, 10, 0).await.unwrap().1, 1);
    }
    if k >= 8 {
        let hash = "9f2c5e1a7b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6";
        let media = store.media_by_hash(hash).await.unwrap().expect("the library image");
        assert_eq!(
            (media.alt.as_str(), media.width, media.uploaded_by.as_deref()),
            ("Bakü limanı", 1600, Some("Elif Editör"))
        );
    }
    if k >= 9 {
        assert_eq!(store.taxonomy_redirect(Taxonomy::Category, "siyaset").await.unwrap().as_deref(), Some("gundem"));
    }
    if k >= 10 {
        let english = store.published_article("pipeline-talks-in-baku", now).await.unwrap().expect("in English");
        assert_eq!(english.lang, Some(Lang::En));
    }
    if k >= 11 {
        let tiflis = store.published_article("tiflis-secimleri", now).await.unwrap().unwrap();
        assert_eq!(store.legacy_path("/?p=12").await.unwrap(), Some(LegacyTarget::Article(tiflis.id)));
        assert_eq!(store.category_parent("azerbaycan").await.unwrap().as_deref(), Some("dunya"));
        assert!(store.static_page_by_slug("reklam").await.unwrap().is_none(), "a draft page stays unseen");
        let pages = store.static_pages().await.unwrap();
        assert!(pages.iter().any(|p| p.slug == "reklam" && p.draft), "the newsroom still has the draft page");
    }
    if k >= 12 {
        let feeds = store.feeds().await.unwrap();
        assert_eq!(feeds.iter().map(|f| (f.source_name.as_str(), f.failures)).collect::<Vec<_>>(), [("Turan", 1)]);
    }
    if k >= 13 {
        assert!(store.published_article("erivan-ekonomi-forumu", now).await.unwrap().is_some());
    }
    if k >= 15 {
        let editor = store.credentials("editor@example.com").await.unwrap().unwrap();
        let two_factor = store.two_factor(editor.user.id).await.unwrap().expect("the second factor");
        assert_eq!(two_factor.secret, "JBSWY3DPEHPK3PXP");
        assert_eq!(store.recovery_codes_left(editor.user.id).await.unwrap(), 1);
    }
    if k >= 16 {
        let held = waiting.iter().find(|c| c.body == "Bağlantılı yorum.").expect("the held comment");
        assert_eq!(held.held_for, [HoldReason::StaffName, HoldReason::Links]);
    }
    if k >= 17 {
        let editor = store.credentials("editor@example.com").await.unwrap().unwrap();
        let autosave = store.autosave(article.id, editor.user.id).await.unwrap().expect("the unsaved edit");
        assert_eq!(autosave.base_revision, 2);
        assert!(autosave.content.contains("sona erdi"));
    }
    if k >= 18 {
        let review = store.newsroom_articles(50).await.unwrap();
        assert!(review.iter().any(|a| a.headline == "İncelemede bir haber"));
    }
}

/// The upgraded site, served: its pages, feeds, old addresses and newsroom.
async fn the_site_is_served(app: &TestApp, k: i64) {
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Bakü&#39;de enerji zirvesi") || home.body.contains("Bakü'de enerji zirvesi"));
    let page = app.get("/haber/bakude-enerji-zirvesi").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Dün akşam bitti.") && page.body.contains("Turan"));
    for path in
        ["/kategori/gundem", "/etiket/baku", "/yazar/ayse-yilmaz", "/rss", "/atom", "/sitemap.xml", "/sitemap-news.xml"]
    {
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path} after the upgrade from {k}");
    }
    app.state.catch_up_search().await.expect("the search index is built from the upgraded rows");
    assert!(app.get("/ara?q=zirve").await.body.contains("bakude-enerji-zirvesi"));
    if k >= 4 {
        let moved = app.get("/haber/baku-zirvesi").await;
        assert_eq!(moved.status, StatusCode::PERMANENT_REDIRECT);
        assert_eq!(moved.headers["location"], "/haber/bakude-enerji-zirvesi");
    }
    if k >= 7 {
        assert!(app.get("/sayfa/kunye").await.body.contains("Yayın kurulu."));
    }
    if k >= 11 {
        let old = app.get("/?p=12").await;
        assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
        assert_eq!(old.headers["location"], "/haber/tiflis-secimleri");
    }
    if k >= 3 {
        let desk = app
            .request(
                Request::get("/yonetim")
                    .header("cookie", format!("manset_session={SESSION_TOKEN}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(desk.status, StatusCode::OK, "the newsroom opens in the old session");
        assert!(desk.body.contains("Yarım kalan taslak"));
    }
}

async fn upgrade_sqlite_from(k: i64) {
    if manset_testkit::postgres::second_run() {
        return; // these tests choose their engine themselves
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let before = sqlite_site_at(&data, k).await;
    let store = Store::open(&data).await.unwrap_or_else(|e| panic!("the site of schema {k} opens: {e}"));
    assert_eq!(store.schema_version().await.unwrap(), manset_store::SCHEMA_VERSION);
    every_row_is_still_there(&store, &before, k).await;
    rows_read_back_through_the_store(&store, k).await;
    let app = TestApp::on_store(dir, store, Clock::manual(then())).await;
    the_site_is_served(&app, k).await;
}

async fn upgrade_postgres_from(k: i64) {
    if manset_testkit::postgres::second_run() {
        return;
    }
    let Some(url) = manset_testkit::postgres::fresh_database() else { return };
    let before = postgres_site_at(&url, k).await;
    let store = Store::open_postgres(&url).await.unwrap_or_else(|e| panic!("the site of schema {k} opens: {e}"));
    assert_eq!(store.schema_version().await.unwrap(), manset_store::SCHEMA_VERSION);
    every_row_is_still_there(&store, &before, k).await;
    rows_read_back_through_the_store(&store, k).await;
    let app = TestApp::on_store(tempfile::tempdir().unwrap(), store, Clock::manual(then())).await;
    the_site_is_served(&app, k).await;
}

/// One test per engine and version, so a failure names where it started.
macro_rules! from_versions {
    ($engine:ident: $($name:ident = $k:literal),* $(,)?) => {
        mod $engine {
            $(
                #[tokio::test]
                async fn $name() {
                    paste_engine!($engine, $k);
                }
            )*
        }
    };
}

macro_rules! paste_engine {
    (sqlite, $k:literal) => {
        super::upgrade_sqlite_from($k).await
    };
    (postgres, $k:literal) => {
        super::upgrade_postgres_from($k).await
    };
}

from_versions!(sqlite:
    from_1 = 1, from_2 = 2, from_3 = 3, from_4 = 4, from_5 = 5, from_6 = 6, from_7 = 7, from_8 = 8, from_9 = 9,
    from_10 = 10, from_11 = 11, from_12 = 12, from_13 = 13, from_14 = 14, from_15 = 15, from_16 = 16, from_17 = 17,
    from_18 = 18,
);
from_versions!(postgres:
    from_13 = 13, from_14 = 14, from_15 = 15, from_16 = 16, from_17 = 17, from_18 = 18,
);
