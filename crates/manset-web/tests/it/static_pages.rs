//! Static pages (Künye, Hakkımızda, İletişim) through the newsroom's forms
//! and on the public site.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{PASSWORD, Served};

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, role) in [("yazar@example.com", Role::Author), ("editor@example.com", Role::Editor)] {
        app.store.create_user(email, "Ekip Üyesi", role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

#[tokio::test]
async fn an_editor_writes_the_kunye_from_its_template_and_readers_find_it() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let list = site.get("/yonetim/sayfalar", Some(&editor)).await;
    assert!(list.body.contains("href=\"/yonetim/sayfalar/yeni?sablon=kunye\""), "the missing Künye is offered");
    let form = site.get("/yonetim/sayfalar/yeni?sablon=kunye", Some(&editor)).await;
    assert!(form.body.contains("İmtiyaz sahibi") && form.body.contains("Sorumlu yazı işleri müdürü"));
    assert!(form.body.contains("value=\"kunye\""));

    let body = "**İmtiyaz sahibi:** Kafkas Yayıncılık A.Ş.\n\n**Sorumlu yazı işleri müdürü:** Elif Demirci\n\n<script>alert(1)</script>";
    let created = site
        .post_form(
            "/yonetim/sayfalar/yeni",
            &editor,
            &[("title", "Künye"), ("slug", "kunye"), ("body", body), ("in_menu", "on"), ("menu_position", "1")],
        )
        .await;
    assert_eq!(created.status, 303);
    let edit_url = created.header("location").unwrap().to_owned();
    assert!(edit_url.starts_with("/yonetim/sayfalar/") && edit_url.ends_with("?kaydedildi=1"));

    let public = site.get("/sayfa/kunye", None).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("<h1 class=\"article__headline\">Künye</h1>"));
    assert!(public.body.contains("<strong>Sorumlu yazı işleri müdürü:</strong> Elif Demirci"));
    assert!(!public.body.contains("<script>alert"), "page bodies are sanitized like articles");
    assert!(public.body.contains("<link rel=\"canonical\" href=\"https://haber.example/sayfa/kunye\">"));
    let home = site.get("/", None).await;
    assert!(home.body.contains("<li><a href=\"/sayfa/kunye\">Künye</a></li>"), "linked from the footer menu");
    let sitemap = site.get("/sitemap-pages-1.xml", None).await;
    assert!(sitemap.body.contains("<loc>https://haber.example/sayfa/kunye</loc>"));

    // Edit: the new text is public at once; the address stays.
    let id_path = edit_url.split('?').next().unwrap();
    let fields = [
        ("title", "Künye"),
        ("slug", "kunye"),
        ("body", "**İmtiyaz sahibi:** Yeni Yayıncılık"),
        ("in_menu", "on"),
        ("menu_position", "1"),
    ];
    assert_eq!(site.post_form(id_path, &editor, &fields).await.status, 303);
    assert!(site.get("/sayfa/kunye", None).await.body.contains("Yeni Yayıncılık"));
    let (log, _) = site.app.store.audit_entries(Some("page"), 10, 0).await.unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["page.save", "page.create"]);
}

#[tokio::test]
async fn a_taken_address_is_refused_and_the_text_is_kept() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    site.post_form("/yonetim/sayfalar/yeni", &editor, &[("title", "İletişim"), ("body", "Adres")]).await;
    let clash = site
        .post_form("/yonetim/sayfalar/yeni", &editor, &[("title", "İletişim"), ("body", "Benim özenli metnim")])
        .await;
    assert_eq!(clash.status, 409);
    assert!(clash.body.contains("Bu adreste başka bir sayfa var."));
    assert!(clash.body.contains("Benim özenli metnim"), "nothing typed is lost");
    let bad = site.post_form("/yonetim/sayfalar/yeni", &editor, &[("title", "  "), ("body", "x")]).await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn a_deleted_page_is_gone_and_authors_cannot_touch_pages() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let created = site.post_form("/yonetim/sayfalar/yeni", &editor, &[("title", "Hakkımızda"), ("body", "Biz.")]).await;
    let path = created.header("location").unwrap().split('?').next().unwrap().to_owned();
    assert_eq!(site.get("/sayfa/hakkimizda", None).await.status, 200);

    let author = site.session("yazar@example.com").await;
    assert_eq!(site.get("/yonetim/sayfalar", Some(&author)).await.status, 403);
    assert_eq!(site.post_form(&path, &author, &[("action", "delete")]).await.status, 403);
    assert_eq!(site.get("/sayfa/hakkimizda", None).await.status, 200);

    // Deleting asks first.
    let asked = site.post_form(&path, &editor, &[("action", "delete")]).await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains("Emin misiniz?") && asked.body.contains("geri alınamaz"), "{}", asked.body);
    assert_eq!(site.get("/sayfa/hakkimizda", None).await.status, 200, "nothing happened yet");
    let deleted = site.post_form(&path, &editor, &[("action", "delete"), ("confirm", "1")]).await;
    assert_eq!(deleted.header("location"), Some("/yonetim/sayfalar?silindi=1"));
    assert_eq!(site.get("/sayfa/hakkimizda", None).await.status, 404);
}
