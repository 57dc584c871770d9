//! Addresses of the site a newsroom moved from answer 301 with ours, even
//! after a rename; everything else stays 404.

use jiff::Timestamp;
use manset_store::{ImportedPage, LegacyTarget};

use crate::TestApp;
use crate::app::article;

#[tokio::test]
async fn old_wordpress_addresses_lead_to_the_articles_for_good() {
    let app = TestApp::new().await;
    let slug = app.import("a.md", &article("Bakü limanı genişliyor", "Ekonomi", "2024-06-28T10:00:00+03:00")).await;
    let id = app.store.index_sources(None, None).await.unwrap()[0].id;
    let now = Timestamp::now();
    let mut run = app.store.begin_import("wordpress:https://eski.example", now).await.unwrap();
    for old in ["/?p=12", "/2012/03/15/baku-limani/"] {
        run.legacy_path(old, LegacyTarget::Article(id)).await.unwrap();
    }
    let page = ImportedPage {
        title: "Künye",
        slug: "kunye",
        body: "Yayın kurulu",
        draft: false,
        created_at: now,
        modified_at: now,
    };
    let page_id = run.page("7", &page, "h").await.unwrap().id();
    run.legacy_path("/?page_id=7", LegacyTarget::Page(page_id)).await.unwrap();
    run.commit().await.unwrap();

    for (old, new) in [
        ("/?p=12", format!("/haber/{slug}")),
        ("/?p=12&utm_source=x", format!("/haber/{slug}")),
        ("/2012/03/15/baku-limani/", format!("/haber/{slug}")),
        ("/2012/03/15/baku-limani", format!("/haber/{slug}")),
        ("/?page_id=7", "/sayfa/kunye".to_owned()),
    ] {
        let reply = app.get(old).await;
        assert_eq!(reply.status, 301, "{old}");
        assert_eq!(reply.headers["location"], new.as_str(), "{old}");
    }
    assert_eq!(app.get("/2012/03/15/baska-yazi/").await.status, 404);
    assert_eq!(app.get("/?p=99").await.status, 200, "an unknown old id is the home page");

    // Renamed after the move: the old address follows the article.
    let mut edited = app.store.editable_article(id).await.unwrap().unwrap();
    edited.input.slug = Some("baku-limani-buyuyor".into());
    app.store.save_article_as(edited.input, manset_store::Target::Existing(id), None, now).await.unwrap();
    assert_eq!(app.get("/?p=12").await.headers["location"], "/haber/baku-limani-buyuyor");
}
