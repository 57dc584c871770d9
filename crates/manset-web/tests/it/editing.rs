//! The newsroom never loses an editor's work and always says what happened:
//! autosave into a slot of one's own, no silent overwrite between two
//! people on one story, presence, messages and confirmations.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served};

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, name) in [("ayse@example.com", "Ayşe Yılmaz"), ("mehmet@example.com", "Mehmet Kaya")] {
        app.store.create_user(email, name, Role::Editor, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

fn form<'a>(headline: &'a str, body: &'a str, action: &'a str, base: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("headline", headline),
        ("standfirst", "Spot."),
        ("body", body),
        ("category", "Gündem"),
        ("action", action),
        ("base_revision", base),
    ]
}

const BODY: &str = "Birinci paragraf.\n\nİkinci paragraf.\n\nÜçüncü paragraf.";

/// A published article by Ayşe; its id.
async fn published(site: &Served, ayse: &str) -> i64 {
    let reply = site.post_form("/yonetim/haber/yeni", ayse, &form("Kars hattı", BODY, "publish", "")).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.header("location").unwrap().to_owned();
    location.trim_start_matches("/yonetim/haber/").split('?').next().unwrap().parse().unwrap()
}

async fn autosave(site: &Served, cookie: &str, path: &str, fields: &[(&str, &str)]) -> HttpReply {
    let body = serde_urlencoded::to_string(fields).unwrap();
    site.send("POST", path, &[("Origin", &site.origin()), ("Cookie", cookie), ("X-Autosave", "1")], Some(&body)).await
}

#[tokio::test]
async fn unsaved_changes_wait_in_a_slot_and_come_back_when_the_article_is_reopened() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let id = published(&site, &ayse).await;
    let path = format!("/yonetim/haber/{id}");

    let kept = autosave(&site, &ayse, &path, &form("Kars hattında yeni sefer", BODY, "save", "1")).await;
    assert_eq!(kept.status, 200, "{}", kept.body);
    assert!(site.get("/haber/kars-hatti", None).await.body.contains("Kars hattı"), "readers see what was saved");
    assert!(!site.get("/haber/kars-hatti", None).await.body.contains("yeni sefer"));

    let reopened = site.get(&path, Some(&ayse)).await;
    assert!(reopened.body.contains("Kaydedilmemiş değişiklikleriniz var ("), "{}", reopened.body);
    assert!(reopened.body.contains("value=\"Kars hattı\""), "the form shows the article until asked");
    let restored = site.get(&format!("{path}?taslak=geri"), Some(&ayse)).await;
    assert!(restored.body.contains("value=\"Kars hattında yeni sefer\""));
    assert!(restored.body.contains("name=\"base_revision\" value=\"1\""), "the start the changes were made from");

    // Mehmet has no slot of his own for it.
    let mehmet = site.session("mehmet@example.com").await;
    assert!(!site.get(&path, Some(&mehmet)).await.body.contains("Kaydedilmemiş değişiklikleriniz"));

    // Discarded, the slot is empty; a save empties it too.
    let discarded = site.post_form(&format!("{path}/otomatik/sil"), &ayse, &[]).await;
    assert_eq!(discarded.status, 303);
    assert!(!site.get(&path, Some(&ayse)).await.body.contains("Kaydedilmemiş değişiklikleriniz"));
    autosave(&site, &ayse, &path, &form("Yine yarım", BODY, "save", "1")).await;
    site.post_form(&path, &ayse, &form("Kars hattı", BODY, "save", "1")).await;
    assert!(!site.get(&path, Some(&ayse)).await.body.contains("Kaydedilmemiş değişiklikleriniz"));
}

#[tokio::test]
async fn a_save_over_someone_elses_changes_shows_both_and_merges_the_body_where_it_can() {
    let site = newsroom().await;
    let (ayse, mehmet) = (site.session("ayse@example.com").await, site.session("mehmet@example.com").await);
    let id = published(&site, &ayse).await;
    let path = format!("/yonetim/haber/{id}");
    // Both open revision 1. Ayşe changes the headline and the first paragraph.
    let hers = "Birinci paragraf, Ayşe'nin.\n\nİkinci paragraf.\n\nÜçüncü paragraf.";
    let saved = site.post_form(&path, &ayse, &form("Ayşe'nin başlığı", hers, "save", "1")).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    // Mehmet, from revision 1, changes the headline too and the last paragraph.
    let his = "Birinci paragraf.\n\nİkinci paragraf.\n\nÜçüncü paragraf, Mehmet'in.";
    let conflict = site.post_form(&path, &mehmet, &form("Mehmet'in başlığı", his, "save", "1")).await;
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    assert!(conflict.body.contains("Ayşe Yılmaz siz düzenlerken bu haberi kaydetti"));
    assert!(
        conflict.body.contains("value=\"Ayşe&#x27;nin başlığı\"")
            || conflict.body.contains("value=\"Ayşe&#39;nin başlığı\"")
    );
    assert!(conflict.body.contains("Mehmet&#x27;in başlığı") || conflict.body.contains("Mehmet&#39;in başlığı"));
    assert!(conflict.body.contains("İkisi birleştirilmiş"), "the body changed on different lines");
    assert!(conflict.body.contains("name=\"base_revision\" value=\"2\""), "the resolved form starts from hers");
    let article = site.app.store.editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.input.headline, "Ayşe'nin başlığı", "nothing was overwritten");

    // Mehmet keeps his headline and the merged body.
    let merged = "Birinci paragraf, Ayşe'nin.\n\nİkinci paragraf.\n\nÜçüncü paragraf, Mehmet'in.";
    let resolved = site.post_form(&path, &mehmet, &form("Mehmet'in başlığı", merged, "save", "2")).await;
    assert_eq!(resolved.status, 303, "{}", resolved.body);
    let article = site.app.store.editable_article(id).await.unwrap().unwrap();
    assert_eq!((article.input.headline.as_str(), article.input.body.as_str()), ("Mehmet'in başlığı", merged));
}

#[tokio::test]
async fn taking_a_story_down_asks_first_and_every_action_says_what_it_did() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let id = published(&site, &ayse).await;
    let path = format!("/yonetim/haber/{id}");
    let after = site.get(&format!("{path}?kaydedildi=publish"), Some(&ayse)).await;
    assert!(after.body.contains("Haber yayımlandı."), "{}", after.body);
    assert!(after.body.contains("href=\"/haber/kars-hatti\""), "with the way to see it");

    let asked = site.post_form(&path, &ayse, &form("Kars hattı", BODY, "unpublish", "1")).await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains("Emin misiniz?") && asked.body.contains("okurlar artık göremeyecek"));
    assert!(asked.body.contains("name=\"confirm\" value=\"1\""));
    assert_eq!(site.get("/haber/kars-hatti", None).await.status, 200, "nothing happened yet");

    let mut confirmed = form("Kars hattı", BODY, "unpublish", "1");
    confirmed.push(("confirm", "1"));
    let done = site.post_form(&path, &ayse, &confirmed).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.header("location"), Some(format!("{path}?kaydedildi=unpublish").as_str()));
    assert_eq!(site.get("/haber/kars-hatti", None).await.status, 410);
    assert!(
        site.get(&format!("{path}?kaydedildi=unpublish"), Some(&ayse))
            .await
            .body
            .contains("Haber yayından kaldırıldı.")
    );
}

#[tokio::test]
async fn an_editor_sees_who_else_has_the_story_open() {
    let site = newsroom().await;
    let (ayse, mehmet) = (site.session("ayse@example.com").await, site.session("mehmet@example.com").await);
    let id = published(&site, &ayse).await;
    let path = format!("/yonetim/haber/{id}");
    let alone = site.post_form(&format!("{path}/burada"), &ayse, &[]).await;
    assert_eq!(alone.status, 200);
    assert!(alone.body.contains("\"message\":\"\""), "{}", alone.body);
    let beat = site.post_form(&format!("{path}/burada"), &mehmet, &[]).await;
    assert!(beat.body.contains("Ayşe Yılmaz bu haberi şu anda düzenliyor."), "{}", beat.body);
    assert!(site.get(&path, Some(&mehmet)).await.body.contains("Ayşe Yılmaz bu haberi şu anda düzenliyor."));
    assert!(site.get("/yonetim", Some(&mehmet)).await.body.contains("✎ Ayşe Yılmaz, Mehmet Kaya"), "the desk says so");
    assert_eq!(site.post_form(&format!("{path}/ayrildi"), &ayse, &[]).await.status, 204);
    assert!(!site.get(&path, Some(&mehmet)).await.body.contains("bu haberi şu anda düzenliyor"));
}

#[tokio::test]
async fn a_member_reading_the_site_is_offered_the_editor_and_readers_get_no_cookie() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let id = published(&site, &ayse).await;
    let body = serde_urlencoded::to_string([("email", "ayse@example.com"), ("password", PASSWORD)]).unwrap();
    let login = site.send("POST", "/yonetim/giris", &[("Origin", &site.origin())], Some(&body)).await;
    let markers: Vec<&str> = login
        .headers
        .iter()
        .filter(|(name, value)| name == "set-cookie" && value.starts_with("manset_staff=1"))
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(markers.len(), 1, "{:?}", login.headers);
    assert!(!markers[0].contains("HttpOnly"), "the page's script reads it");
    let page = site.get("/haber/kars-hatti", None).await;
    assert!(page.body.contains(&format!("data-edit=\"/yonetim/haber/{id}\"")));
    assert!(page.header("set-cookie").is_none(), "a reader gets no cookie");
    // The marker does not keep a member's pages out of the cache.
    let again = site.send("GET", "/haber/kars-hatti", &[("Cookie", "manset_staff=1")], None).await;
    assert_eq!(again.header("x-cache"), Some("HIT"));
}

#[tokio::test]
async fn someone_elses_story_cannot_be_autosaved_watched_or_discarded_by_a_contributor() {
    let site = newsroom().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    site.app
        .store
        .create_user("muhabir@example.com", "Muhabir", Role::Contributor, &hash, Timestamp::now())
        .await
        .unwrap();
    let (ayse, muhabir) = (site.session("ayse@example.com").await, site.session("muhabir@example.com").await);
    let id = published(&site, &ayse).await;
    let path = format!("/yonetim/haber/{id}");
    let autosaved = autosave(&site, &muhabir, &path, &form("Başkasının haberi", BODY, "save", "1")).await;
    assert_eq!(autosaved.status, 403);
    assert_eq!(site.app.store.autosave(id, 3).await.unwrap(), None, "nothing was kept");
    for action in ["burada", "otomatik/sil"] {
        assert_eq!(site.post_form(&format!("{path}/{action}"), &muhabir, &[]).await.status, 403, "{action}");
    }
    assert!(site.post_form(&format!("{path}/burada"), &ayse, &[]).await.body.contains("\"message\":\"\""));
    // Numbers no article has, and no number at all.
    for bad in ["/yonetim/haber/99999999999/burada", "/yonetim/haber/-1/burada"] {
        assert_eq!(site.post_form(bad, &ayse, &[]).await.status, 404, "{bad}");
    }
    let huge = site.post_form("/yonetim/haber/999999999999999999999999/burada", &ayse, &[]).await;
    assert!(matches!(huge.status, 404 | 422), "{}", huge.status);
    // A made-up start revision is no way past the conflict rule.
    let forged = site.post_form(&path, &ayse, &form("Kars hattı", BODY, "save", "99999999999999")).await;
    assert_eq!(forged.status, 409, "{}", forged.body);
}
