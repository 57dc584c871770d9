//! A story as readers will see it before they can: the newsroom's preview
//! at phone and desktop width, with unsaved typing, and a signed share link
//! that expires, is never cached or indexed, and leaks no token.

use jiff::{SignedDuration, Timestamp};
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served};

async fn newsroom() -> Served {
    let app = TestApp::with_manual_clock().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, name, role) in
        [("ayse@example.com", "Ayşe Yılmaz", Role::Editor), ("muhabir@example.com", "Muhabir Can", Role::Contributor)]
    {
        app.store.create_user(email, name, role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

/// A draft by Ayşe; its id.
async fn draft(site: &Served, cookie: &str) -> i64 {
    let fields = [
        ("headline", "Kars hattı yeniden açılıyor"),
        ("standfirst", "Sefer sayısı artıyor."),
        ("body", "Bakanlık [açıklama](https://example.org/aciklama) yaptı."),
        ("category", "Gündem"),
        ("tags", "Demiryolu"),
        ("action", "save"),
    ];
    let reply = site.post_form("/yonetim/haber/yeni", cookie, &fields).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.header("location").unwrap();
    location.trim_start_matches("/yonetim/haber/").split('?').next().unwrap().parse().unwrap()
}

fn assert_private(reply: &HttpReply) {
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("x-robots-tag"), Some("noindex, nofollow"));
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "the token never leaves with a click");
    assert!(reply.body.contains("<meta name=\"robots\" content=\"noindex"));
    assert!(!reply.body.contains("rel=\"canonical\""));
    assert!(!reply.body.contains("id=\"yorum-yaz\""), "no comment form on a preview");
}

#[tokio::test]
async fn the_newsroom_sees_its_story_in_the_sites_theme_with_what_it_typed() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let id = draft(&site, &ayse).await;
    assert_eq!(site.get("/haber/kars-hatti-yeniden-aciliyor", None).await.status, 404, "a draft");

    let screen = site.get(&format!("/yonetim/haber/{id}/onizleme"), Some(&ayse)).await;
    assert_eq!(screen.status, 200);
    let frame = format!("src=\"/yonetim/haber/{id}/onizleme/sayfa\"");
    assert_eq!(screen.body.matches(&frame).count(), 2, "phone and desktop");
    assert!(screen.body.contains("Telefon (390 px)") && screen.body.contains("Masaüstü (1366 px"));
    assert!(screen.header("content-security-policy").unwrap().contains("frame-ancestors 'none'"));

    let page = site.get(&format!("/yonetim/haber/{id}/onizleme/sayfa"), Some(&ayse)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1") && page.body.contains("Kars hattı yeniden açılıyor"));
    assert!(page.body.contains("Önizleme: haberin kaydedilmiş son hâli"));
    assert!(page.body.contains("class=\"masthead\""), "the reader's page, menu and all");
    assert!(page.header("content-security-policy").unwrap().contains("frame-ancestors 'self'"));
    assert_eq!(page.header("x-frame-options"), Some("SAMEORIGIN"));
    assert_private(&page);

    // Typed and not saved: the autosave slot shows in the preview, not on the story.
    let typed = [
        ("headline", "Kars hattı pazartesi açılıyor"),
        ("body", "Yeni metin."),
        ("category", "Gündem"),
        ("action", "save"),
        ("base_revision", "1"),
    ];
    let body = serde_urlencoded::to_string(typed).unwrap();
    let headers = [("Origin", site.origin()), ("Cookie", ayse.clone()), ("X-Autosave", "1".to_owned())];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let kept = site.send("POST", &format!("/yonetim/haber/{id}"), &headers, Some(&body)).await;
    assert_eq!(kept.status, 200, "{}", kept.body);
    let page = site.get(&format!("/yonetim/haber/{id}/onizleme/sayfa"), Some(&ayse)).await;
    assert!(page.body.contains("Kars hattı pazartesi açılıyor"), "{}", page.body);
    assert!(page.body.contains("kaydetmediğiniz değişiklikleriniz dahil"));

    // Someone who may not open the story may not see it either.
    let muhabir = site.session("muhabir@example.com").await;
    assert_eq!(site.get(&format!("/yonetim/haber/{id}/onizleme/sayfa"), Some(&muhabir)).await.status, 403);
    assert_eq!(site.get(&format!("/yonetim/haber/{id}/onizleme"), None).await.status, 303, "to the login");
    assert_eq!(site.get("/yonetim/haber/999999/onizleme/sayfa", Some(&ayse)).await.status, 404);
}

#[tokio::test]
async fn a_share_link_shows_the_saved_story_to_anyone_until_it_expires() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let id = draft(&site, &ayse).await;
    let made = site.post_form(&format!("/yonetim/haber/{id}/paylas"), &ayse, &[("saat", "24")]).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let at = made.body.find("/onizleme/preview").expect("the link is shown");
    let path = &made.body[at..at + made.body[at..].find('"').unwrap()];

    let shared = site.get(path, None).await;
    assert_eq!(shared.status, 200);
    assert!(shared.body.contains("Kars hattı yeniden açılıyor"));
    assert!(shared.body.contains("Önizleme: bu haber henüz yayımlanmadı"));
    assert_private(&shared);
    assert!(shared.header("set-cookie").is_none(), "a reader of the link gets no cookie");

    let forged = format!("{}x", path);
    assert_eq!(site.get(&forged, None).await.status, 404);
    let other = path.replacen(&format!("preview:{id}:"), &format!("preview:{}:", id + 1), 1);
    assert_eq!(site.get(&other, None).await.status, 404, "the signature covers the story");
    assert_eq!(
        site.post_form(&format!("/yonetim/haber/{id}/paylas"), &ayse, &[("saat", "100000")]).await.status,
        422,
        "only the lifetimes offered"
    );

    site.app.clock.advance(SignedDuration::from_hours(25));
    let expired = site.get(path, None).await;
    assert_eq!(expired.status, 410);
    assert!(expired.body.contains("Önizleme bağlantısının süresi doldu"));

    let (log, _) = site.app.store.audit_entries(None, 20, 0).await.unwrap();
    assert!(log.iter().any(|e| e.action == "article.share"));
}
