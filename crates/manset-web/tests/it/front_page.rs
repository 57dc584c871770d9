//! The front page as editors arrange it, and the breaking-news ticker.

use jiff::{SignedDuration, Timestamp};
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served, article};

/// Four stories, newest last in the list: "Dört" is the newest.
async fn newsroom() -> (Served, Vec<i64>) {
    let app = TestApp::with_manual_clock().await;
    let mut ids = Vec::new();
    for (i, title) in ["Bir", "İki", "Üç", "Dört"].iter().enumerate() {
        let slug =
            app.import(&format!("{i}.md"), &article(title, "Gündem", &format!("2024-06-2{i}T10:00:00+03:00"))).await;
        ids.push(app.store.published_article(&slug, Timestamp::now()).await.unwrap().unwrap().id);
    }
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, role) in [("yazar@example.com", Role::Author), ("editor@example.com", Role::Editor)] {
        app.store.create_user(email, "Ekip", role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    (app.serve().await, ids)
}

/// A form of the front-page screen.
async fn arrange(site: &Served, cookie: &str, fields: &[(&str, &str)]) -> HttpReply {
    site.post_form("/yonetim/anasayfa", cookie, fields).await
}

/// The headline of the lead story on the home page.
fn lead(home: &str) -> String {
    let section = &home[home.find("class=\"front__lead\"").unwrap()..];
    let start = section.find("<h2").unwrap();
    let text_start = start + section[start..].find("\">").unwrap();
    let rest = &section[text_start..];
    let after_link = &rest[rest.find("<a ").unwrap()..];
    let open = after_link.find('>').unwrap() + 1;
    after_link[open..open + after_link[open..].find("</a>").unwrap()].to_owned()
}

fn local(at: Timestamp) -> String {
    let dt = jiff::tz::TimeZone::get("Europe/Istanbul").unwrap().to_datetime(at);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", dt.year(), dt.month(), dt.day(), dt.hour(), dt.minute())
}

#[tokio::test]
async fn an_editor_sets_the_lead_story_and_the_home_page_changes() {
    let (site, ids) = newsroom().await;
    assert_eq!(lead(&site.get("/", None).await.body), "Dört", "by default the newest story leads");
    let editor = site.session("editor@example.com").await;
    let screen = site.get("/yonetim/anasayfa", Some(&editor)).await;
    assert_eq!(screen.status, 200);
    assert!(screen.body.contains("Otomatik (en yeni haber)"));

    let (first, second) = (ids[0].to_string(), ids[1].to_string());
    let saved =
        arrange(&site, &editor, &[("action", "slots"), ("slot_0", &first), ("slot_1", &second), ("slot_2", "")]).await;
    assert_eq!(saved.status, 303);
    let home = site.get("/", None).await;
    assert_eq!(lead(&home.body), "Bir", "the chosen lead");
    let grid = &home.body[home.body.find("grid--secondary").unwrap()..home.body.find("front__latest").unwrap()];
    let (iki, dort) = (grid.find(">İki<").expect("featured first"), grid.find(">Dört<").expect("then the newest"));
    assert!(iki < dort);
    let front = &home.body[home.body.find("class=\"front\"").unwrap()..home.body.find("class=\"section\"").unwrap()];
    assert_eq!(front.matches(">Bir</a>").count(), 1, "no story twice in the front block");

    // A slot whose story is withdrawn falls back to the newest story.
    site.app.store.set_front_slots(&[ids[3] + 100], Timestamp::now()).await.ok();
    let twice = arrange(&site, &editor, &[("action", "slots"), ("slot_0", &first), ("slot_1", &first)]).await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("Aynı haber iki yere konamaz."));
    let (log, _) = site.app.store.audit_entries(Some("front"), 10, 0).await.unwrap();
    assert_eq!(log[0].action, "front.arrange");
}

#[tokio::test]
async fn breaking_news_shows_on_every_page_until_it_expires() {
    let (site, ids) = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let before = site.get("/haber/bir", None).await;
    assert!(!before.body.contains("class=\"breaking\""));
    let last_before = before.header("last-modified").unwrap().to_owned();
    // HTTP dates count whole seconds: let one pass.
    let clock = site.app.clock.clone();
    clock.advance(SignedDuration::from_secs(2));

    let until = local(clock.now() + SignedDuration::from_hours(1));
    let id = ids[2].to_string();
    assert_eq!(
        arrange(&site, &editor, &[("action", "breaking"), ("article", &id), ("until", &until)]).await.status,
        303
    );
    for path in ["/", "/haber/bir", "/kategori/gundem"] {
        let page = site.get(path, None).await;
        assert!(
            page.body.contains("<strong class=\"breaking__label\">Son dakika</strong>")
                && page.body.contains("<li><a href=\"/haber/uc\">Üç</a></li>"),
            "{path}"
        );
    }
    // A client that revalidates by date alone gets the new page, not a 304.
    let by_date = site.send("GET", "/haber/bir", &[("if-modified-since", &last_before)], None).await;
    assert_eq!(by_date.status, 200);

    let past = local(clock.now() - SignedDuration::from_hours(1));
    let refused = arrange(&site, &editor, &[("action", "breaking"), ("article", &id), ("until", &past)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Bitiş zamanı gelecekte olmalı."));

    assert_eq!(arrange(&site, &editor, &[("unbreak", &id)]).await.status, 303);
    assert!(!site.get("/", None).await.body.contains("class=\"breaking\""));

    // Expiry needs no one: the ticker ends at its time.
    site.app.store.set_breaking(ids[1], Some(clock.now() + SignedDuration::from_secs(3)), clock.now()).await.unwrap();
    assert!(site.get("/", None).await.body.contains("<li><a href=\"/haber/iki\">İki</a></li>"));
    clock.advance(SignedDuration::from_millis(3500));
    assert!(!site.get("/", None).await.body.contains("class=\"breaking\""));
    let (log, _) = site.app.store.audit_entries(Some("front"), 10, 0).await.unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["front.unbreak", "front.breaking"]);
}

#[tokio::test]
async fn authors_cannot_arrange_the_front_page() {
    let (site, ids) = newsroom().await;
    let author = site.session("yazar@example.com").await;
    assert_eq!(site.get("/yonetim/anasayfa", Some(&author)).await.status, 403);
    let id = ids[0].to_string();
    assert_eq!(arrange(&site, &author, &[("action", "slots"), ("slot_0", &id)]).await.status, 403);
    assert_eq!(lead(&site.get("/", None).await.body), "Dört");
}
