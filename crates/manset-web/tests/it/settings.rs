//! The settings screen: changes take effect with the next request, bad
//! values save nothing, only admins get there.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served, article};

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    app.import("a.md", &article("Bakü’de zirve", "Gündem", "2024-06-28T10:00:00+03:00")).await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, role) in [("editor@example.com", Role::Editor), ("admin@example.com", Role::Admin)] {
        app.store.create_user(email, "Ekip", role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

async fn save(site: &Served, cookie: &str, fields: &[(&str, &str)]) -> HttpReply {
    let body = serde_urlencoded::to_string(fields).unwrap();
    site.send("POST", "/yonetim/ayarlar", &[("Origin", &site.origin()), ("Cookie", cookie)], Some(&body)).await
}

#[tokio::test]
async fn a_new_site_name_and_description_show_at_once() {
    let site = newsroom().await;
    let admin = site.session("admin@example.com").await;
    let screen = site.get("/yonetim/ayarlar", Some(&admin)).await;
    assert_eq!(screen.status, 200);
    assert!(screen.body.contains("placeholder=\"Kafkas Postası\""), "the name serve was started with");

    let saved = save(
        &site,
        &admin,
        &[
            ("site.name", "Karadeniz Gazetesi"),
            ("site.description", "Karadeniz’in bağımsız haber sitesi."),
            ("comments.max_depth", "2"),
            ("comments.hold_all", "true"),
            ("feeds.full_text", "true"),
            ("media.max_megabytes", "20"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let home = site.get("/", None).await;
    assert!(home.body.contains("<title>Karadeniz Gazetesi</title>"), "{}", &home.body[..600]);
    assert!(home.body.contains("<meta name=\"description\" content=\"Karadeniz’in bağımsız haber sitesi.\">"));
    assert!(home.body.contains("<meta property=\"og:site_name\" content=\"Karadeniz Gazetesi\">"));
    assert!(site.get("/rss", None).await.body.contains("<title>Karadeniz Gazetesi</title>"));
    let store = &site.app.store;
    assert_eq!(store.setting("comments.hold_all").await.unwrap().as_deref(), Some("true"));
    assert_eq!(store.setting("comments.max_depth").await.unwrap().as_deref(), Some("2"));
    let (log, _) = store.audit_entries(Some("settings"), 10, 0).await.unwrap();
    assert_eq!(log[0].subject, "site.name, site.description, comments.hold_all, comments.max_depth");

    // Emptying the name goes back to the one serve was given.
    save(&site, &admin, &[("site.name", ""), ("feeds.full_text", "true")]).await;
    assert!(site.get("/", None).await.body.contains("<title>Kafkas Postası</title>"));
}

#[tokio::test]
async fn a_bad_value_saves_nothing_and_says_why_in_turkish() {
    let site = newsroom().await;
    let admin = site.session("admin@example.com").await;
    let refused = save(
        &site,
        &admin,
        &[("site.name", "Yeni Ad"), ("site.timezone", "Mars/Olympus"), ("comments.max_depth", "40")],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Bu bir saat dilimi adı değil."));
    assert!(refused.body.contains("1 ile 10 arasında bir sayı girin."));
    assert!(refused.body.contains("value=\"Yeni Ad\""), "what was typed stays");
    assert_eq!(site.app.store.setting("site.name").await.unwrap(), None);
    assert!(site.get("/", None).await.body.contains("<title>Kafkas Postası</title>"));
}

#[tokio::test]
async fn english_and_another_time_zone_apply_to_every_page() {
    let site = newsroom().await;
    let admin = site.session("admin@example.com").await;
    assert_eq!(
        save(&site, &admin, &[("site.lang", "en"), ("site.timezone", "Europe/London"), ("feeds.full_text", "true")])
            .await
            .status,
        303
    );
    let page = site.get("/haber/bakude-zirve", None).await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("<time datetime=\"2024-06-28T08:00:00+01:00\">"), "London time");
    assert!(page.body.contains("Friday"), "English dates");
}

#[tokio::test]
async fn only_admins_change_settings() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    assert_eq!(site.get("/yonetim/ayarlar", Some(&editor)).await.status, 403);
    assert_eq!(save(&site, &editor, &[("site.name", "Ele geçirildi")]).await.status, 403);
    assert_eq!(site.app.store.setting("site.name").await.unwrap(), None);
}

#[tokio::test]
async fn a_logo_from_the_media_library_is_the_publishers_logo() {
    let site = newsroom().await;
    let admin = site.session("admin@example.com").await;
    let path = "/medya/2026/11/logo-abc123-600.png";
    let renditions = [manset_store::RenditionRef { width: 600, height: 60, path: path.into() }];
    let new = manset_store::NewMedia {
        sha256: "abc123",
        original_name: "logo.png",
        original_path: "originals/abc123.png",
        mime: "image/png",
        width: 600,
        height: 60,
        bytes: 1000,
        alt: "Karadeniz Gazetesi",
        caption: None,
        credit: None,
        uploaded_by: None,
        renditions: &renditions,
    };
    site.app.store.add_media(&new, Timestamp::now()).await.unwrap();
    let unknown = save(&site, &admin, &[("site.logo", "/medya/2026/11/yok.png"), ("feeds.full_text", "true")]).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("medya kütüphanesindeki bir görselin adresi değil"));
    assert_eq!(save(&site, &admin, &[("site.logo", path), ("feeds.full_text", "true")]).await.status, 303);
    let page = site.get("/haber/bakude-zirve", None).await;
    assert!(
        page.body.contains(&format!(
            "\"logo\":{{\"@type\":\"ImageObject\",\"height\":60,\"url\":\"https://haber.example{path}\",\"width\":600}}"
        )),
        "{}",
        page.body
    );
}
