//! The publishing workflow through the newsroom's forms, role by role.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served};

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, role) in [
        ("muhabir@example.com", Role::Contributor),
        ("yazar@example.com", Role::Author),
        ("editor@example.com", Role::Editor),
    ] {
        app.store.create_user(email, email, role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

fn form<'a>(headline: &'a str, action: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("headline", headline),
        ("standfirst", "Kısa spot."),
        ("body", "Birinci paragraf **kalın**.\n\nİkinci paragraf."),
        ("category", "Gündem"),
        ("tags", "Bakü, Enerji"),
        ("author", "Muhabir"),
        ("source_name_1", "Kafkas Ajansı"),
        ("source_url_1", "https://example.org/ajans"),
        ("action", action),
    ];
    for (k, v) in extra {
        match fields.iter_mut().find(|(key, _)| key == k) {
            Some(f) => f.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// The article id from the editor's redirect after a save.
fn saved_id(reply: &HttpReply) -> i64 {
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.header("location").unwrap();
    location.trim_start_matches("/yonetim/haber/").split('?').next().unwrap().parse().unwrap()
}

async fn status_of(site: &Served, id: i64) -> manset_core::Status {
    site.app.store.editable_article(id).await.unwrap().unwrap().status
}

#[tokio::test]
async fn a_contributor_writes_and_submits_and_an_editor_publishes() {
    let site = newsroom().await;
    let contributor = site.session("muhabir@example.com").await;
    let id = saved_id(
        &site.post_form("/yonetim/haber/yeni", &contributor, &form("Bakü’de enerji zirvesi", "save", &[])).await,
    );
    assert_eq!(status_of(&site, id).await, manset_core::Status::Draft);
    assert_eq!(site.get("/haber/bakude-enerji-zirvesi", None).await.status, 404, "drafts are not public");

    // Contributors may not publish; the refusal is a clear 403 page, not a silent no-op.
    let refused = site
        .post_form(&format!("/yonetim/haber/{id}"), &contributor, &form("Bakü’de enerji zirvesi", "publish", &[]))
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("Bu işlem için yetkiniz yok"));
    assert_eq!(status_of(&site, id).await, manset_core::Status::Draft);

    saved_id(
        &site
            .post_form(&format!("/yonetim/haber/{id}"), &contributor, &form("Bakü’de enerji zirvesi", "submit", &[]))
            .await,
    );
    assert_eq!(status_of(&site, id).await, manset_core::Status::Review);
    let locked = site.post_form(&format!("/yonetim/haber/{id}"), &contributor, &form("Değiştirdim", "save", &[])).await;
    assert_eq!(locked.status, 403, "submitted work belongs to the editors");

    let editor = site.session("editor@example.com").await;
    let page = site.get(&format!("/yonetim/haber/{id}"), Some(&editor)).await;
    assert!(page.body.contains("Onay bekliyor") && page.body.contains("value=\"publish\""));
    saved_id(
        &site
            .post_form(&format!("/yonetim/haber/{id}"), &editor, &form("Bakü’de enerji zirvesi", "publish", &[]))
            .await,
    );
    let public = site.get("/haber/bakude-enerji-zirvesi", None).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("<strong>kalın</strong>"));
    assert!(public.body.contains("Kaynak: <a href=\"https://example.org/ajans\""));
}

#[tokio::test]
async fn a_correction_is_dated_on_the_page_and_unpublishing_answers_410() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let id = saved_id(&site.post_form("/yonetim/haber/yeni", &editor, &form("Tiflis’te seçim", "publish", &[])).await);
    let empty =
        site.post_form(&format!("/yonetim/haber/{id}"), &editor, &form("Tiflis’te seçim", "correct", &[])).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Düzeltme eklemek için düzeltme notunu yazın."));
    let note = "Haberin ilk hâlinde seçim tarihi yanlış yazılmıştı.";
    saved_id(
        &site
            .post_form(
                &format!("/yonetim/haber/{id}"),
                &editor,
                &form("Tiflis’te seçim", "correct", &[("correction", note)]),
            )
            .await,
    );
    let page = site.get("/haber/tifliste-secim", None).await;
    assert!(page.body.contains("<p class=\"correction__title\">Düzeltme · <time datetime="), "{}", page.body);
    assert!(page.body.contains(note));

    saved_id(
        &site
            .post_form(
                &format!("/yonetim/haber/{id}"),
                &editor,
                &form("Tiflis’te seçim", "unpublish", &[("confirm", "1")]),
            )
            .await,
    );
    let gone = site.get("/haber/tifliste-secim", None).await;
    assert_eq!(gone.status, 410);
    assert!(gone.body.contains("Bu haber yayından kaldırıldı"));
    assert!(!site.get("/", None).await.body.contains("tifliste-secim"));
}

#[tokio::test]
async fn authors_publish_their_own_work_only() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let theirs = saved_id(&site.post_form("/yonetim/haber/yeni", &editor, &form("Editörün haberi", "save", &[])).await);
    let author = site.session("yazar@example.com").await;
    let own = saved_id(&site.post_form("/yonetim/haber/yeni", &author, &form("Yazarın haberi", "publish", &[])).await);
    assert_eq!(status_of(&site, own).await, manset_core::Status::Published);
    assert_eq!(site.get(&format!("/yonetim/haber/{theirs}"), Some(&author)).await.status, 403);
    let refused =
        site.post_form(&format!("/yonetim/haber/{theirs}"), &author, &form("Ele geçirildi", "publish", &[])).await;
    assert_eq!(refused.status, 403);
    assert_eq!(site.app.store.editable_article(theirs).await.unwrap().unwrap().input.headline, "Editörün haberi");
}

#[tokio::test]
async fn every_save_is_a_revision_that_can_be_compared_and_restored() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let id = saved_id(&site.post_form("/yonetim/haber/yeni", &editor, &form("İlk başlık", "save", &[])).await);
    let changed = form("İkinci başlık", "save", &[("body", "Birinci paragraf **kalın**.\n\nYeni ikinci paragraf.")]);
    saved_id(&site.post_form(&format!("/yonetim/haber/{id}"), &editor, &changed).await);
    let revisions = site.get(&format!("/yonetim/haber/{id}/surumler"), Some(&editor)).await;
    assert_eq!(revisions.status, 200);
    assert!(revisions.body.contains("<del>- İkinci paragraf.</del>"), "{}", revisions.body);
    assert!(revisions.body.contains("<ins>+ Yeni ikinci paragraf.</ins>"));
    let restored = site.post_form(&format!("/yonetim/haber/{id}/surumler/1"), &editor, &[]).await;
    assert_eq!(restored.status, 303);
    let article = site.app.store.editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.input.headline, "İlk başlık");
    assert_eq!(site.app.store.revisions(id).await.unwrap().len(), 3, "restoring is a revision too");
}

#[tokio::test]
async fn a_renamed_published_article_keeps_its_old_address_as_a_redirect() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let id = saved_id(&site.post_form("/yonetim/haber/yeni", &editor, &form("Eski başlık", "publish", &[])).await);
    saved_id(
        &site
            .post_form(
                &format!("/yonetim/haber/{id}"),
                &editor,
                &form("Eski başlık", "save", &[("slug", "yeni-adres")]),
            )
            .await,
    );
    let old = site.get("/haber/eski-baslik", None).await;
    assert_eq!(old.status, 308);
    assert_eq!(old.header("location"), Some("/haber/yeni-adres"));
    assert_eq!(site.get("/haber/yeni-adres", None).await.status, 200);
}

#[tokio::test]
async fn preview_renders_without_saving_and_errors_keep_the_text() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let preview = site.post_form("/yonetim/haber/yeni", &editor, &form("Önizleme", "preview", &[])).await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<p>Birinci paragraf <strong>kalın</strong>.</p>"));
    assert!(site.app.store.newsroom_articles(10).await.unwrap().is_empty(), "nothing saved");
    let live = site
        .send(
            "POST",
            "/yonetim/onizleme",
            &[("Origin", &site.origin()), ("Cookie", &editor)],
            Some("# Başlık\n\n<script>x</script>"),
        )
        .await;
    assert_eq!(live.body, "<h2>Başlık</h2>\n");

    let invalid = site.post_form("/yonetim/haber/yeni", &editor, &form("", "save", &[])).await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.body.contains("Lütfen bir başlık yazın."));
    assert!(invalid.body.contains("Birinci paragraf **kalın**."), "the text is kept");
}

#[tokio::test]
async fn a_scheduled_article_appears_on_time() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let at = Timestamp::now().as_second() + 3;
    let local = jiff::tz::TimeZone::get("Europe/Istanbul").unwrap().to_datetime(Timestamp::from_second(at).unwrap());
    let when = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    );
    saved_id(
        &site
            .post_form("/yonetim/haber/yeni", &editor, &form("Ambargolu haber", "publish", &[("publish_at", &when)]))
            .await,
    );
    // The server reads its clock somewhere within each request: a page is
    // hidden only if the request began before the second, and shown only
    // if it ended at or after it.
    let mut home_checked = false;
    loop {
        let began = Timestamp::now().as_second();
        let status = site.get("/haber/ambargolu-haber", None).await.status;
        let ended = Timestamp::now().as_second();
        if status == 404 {
            assert!(began < at, "still embargoed {} s after its time", began - at);
            if !home_checked {
                let home = site.get("/", None).await;
                if Timestamp::now().as_second() < at {
                    assert!(!home.body.contains("ambargolu-haber"), "nor on the home page");
                    home_checked = true;
                }
            }
        } else {
            assert_eq!(status, 200);
            assert!(ended >= at, "visible {} s before its time", at - ended);
            assert!(home_checked, "the home page was seen before the article's time");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_byline_can_name_several_people() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let fields = form("Ortak haber", "publish", &[("author", "Ayşe Yılmaz, Mehmet Kaya,  Elif Demir ")]);
    saved_id(&site.post_form("/yonetim/haber/yeni", &editor, &fields).await);
    let page = site.get("/haber/ortak-haber", None).await;
    assert!(
        page.body.contains(
            "Yazan <a class=\"byline__name\" href=\"/yazar/ayse-yilmaz\">Ayşe Yılmaz</a>, \
             <a class=\"byline__name\" href=\"/yazar/mehmet-kaya\">Mehmet Kaya</a> ve \
             <a class=\"byline__name\" href=\"/yazar/elif-demir\">Elif Demir</a>"
        ),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_new_draft_is_made_by_its_first_autosave_and_later_ones_never_touch_the_article() {
    let site = newsroom().await;
    let author = site.session("yazar@example.com").await;
    let auto = |path: &str, fields: Vec<(&str, &str)>| {
        let body = serde_urlencoded::to_string(&fields).unwrap();
        let (site, cookie, path) = (&site, author.clone(), path.to_owned());
        async move {
            site.send(
                "POST",
                &path,
                &[("Origin", &site.origin()), ("Cookie", &cookie), ("X-Autosave", "1")],
                Some(&body),
            )
            .await
        }
    };
    let first = auto("/yonetim/haber/yeni", form("Yarım kalan haber", "save", &[])).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("Taslak otomatik kaydedildi"));
    let id: i64 = first.body.split("\"id\":").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    let second = auto(&format!("/yonetim/haber/{id}"), form("Yarım kalan haber, devamı", "save", &[])).await;
    assert_eq!(second.status, 200);
    assert!(second.body.contains("yayındaki haber değişmedi"), "{}", second.body);
    let article = site.app.store.editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.input.headline, "Yarım kalan haber", "the article waits for a save");
    assert_eq!(article.status, manset_core::Status::Draft);
    assert_eq!(site.app.store.revisions(id).await.unwrap().len(), 1, "an autosave is no revision");
    assert_eq!(site.app.store.newsroom_articles(10).await.unwrap().len(), 1, "one article, not two");

    saved_id(&site.post_form(&format!("/yonetim/haber/{id}"), &author, &form("Yayında", "publish", &[])).await);
    let kept = auto(&format!("/yonetim/haber/{id}"), form("Gizlice değişti", "save", &[])).await;
    assert_eq!(kept.status, 200);
    assert_eq!(site.app.store.editable_article(id).await.unwrap().unwrap().input.headline, "Yayında");
    let page = site.get("/haber/yarim-kalan-haber", None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Yayında") && !page.body.contains("Gizlice değişti"), "readers never see an autosave");
}

#[tokio::test]
async fn the_editor_sets_a_lead_image_and_refuses_a_bad_one_in_turkish() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let image = [
        ("image_url", "https://foto.example/liman.jpg"),
        ("image_alt", "Limanda yük gemisi"),
        ("image_caption", "Yeni rıhtım"),
        ("image_credit", "Fotoğraf: AA"),
        ("image_width", "1600"),
        ("image_height", "900"),
    ];
    let id = saved_id(&site.post_form("/yonetim/haber/yeni", &editor, &form("Liman haberi", "publish", &image)).await);
    let page = site.get("/haber/liman-haberi", None).await;
    assert!(page.body.contains(
        "<img src=\"https://foto.example/liman.jpg\" alt=\"Limanda yük gemisi\" width=\"1600\" height=\"900\""
    ));
    let edit = site.get(&format!("/yonetim/haber/{id}"), Some(&editor)).await;
    assert!(
        edit.body.contains("name=\"image_width\" type=\"number\" min=\"1\" max=\"20000\" value=\"1600\""),
        "the form shows it back"
    );

    for bad in [
        [("image_url", "javascript:alert(1)"), ("image_width", "")],
        [("image_url", "/medya/a.jpg"), ("image_width", "1600")],
        [("image_url", "/medya/a.jpg"), ("image_width", "geniş")],
    ] {
        let refused =
            site.post_form(&format!("/yonetim/haber/{id}"), &editor, &form("Liman haberi", "save", &bad)).await;
        assert_eq!(refused.status, 422, "{bad:?}");
        assert!(refused.body.contains("Görsel adresi http:// ya da https:// ile"), "{}", refused.body);
    }
    let page = site.get("/haber/liman-haberi", None).await;
    assert!(page.body.contains("https://foto.example/liman.jpg"), "the stored image is kept");
}
