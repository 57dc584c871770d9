//! The newsroom's doors: login, sessions, throttling, roles, passwords.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served, article};

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    app.import("a.md", &article("Yayındaki haber", "Gündem", "2024-06-20T10:00:00+03:00")).await;
    app.import("b.md", "+++\ntitle = \"Taslak haber\"\ncategory = \"Gündem\"\ndraft = true\n+++\nx\n").await;
    let hash = manset_web::auth::hash_password(PASSWORD).unwrap();
    for (email, name, role) in [
        ("yonetici@example.com", "Yönetici Ayşe", Role::Admin),
        ("editor@example.com", "Editör Mehmet", Role::Editor),
        ("yazar@example.com", "Yazar Zeynep", Role::Author),
    ] {
        app.store.create_user(email, name, role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

async fn login(site: &Served, email: &str, password: &str) -> HttpReply {
    let body = serde_urlencoded::to_string([("email", email), ("password", password), ("sonra", "/yonetim")]).unwrap();
    site.send("POST", "/yonetim/giris", &[("Origin", &site.origin())], Some(&body)).await
}

#[tokio::test]
async fn the_newsroom_needs_a_login_and_is_never_indexed_or_cached() {
    let site = newsroom().await;
    let redirect = site.get("/yonetim/kullanicilar", None).await;
    assert_eq!(redirect.status, 303);
    assert_eq!(redirect.header("location"), Some("/yonetim/giris?sonra=/yonetim/kullanicilar"));
    let form = site.get("/yonetim/giris", None).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    assert_eq!(form.header("x-robots-tag"), Some("noindex, nofollow"));
    assert_eq!(form.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn a_member_logs_in_sees_every_article_and_logs_out() {
    let site = newsroom().await;
    let reply = login(&site, "Editor@Example.com", PASSWORD).await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/yonetim"));
    let set_cookie = reply.header("set-cookie").unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let cookie = reply.cookie("manset_session").unwrap();

    let dashboard = site.get("/yonetim", Some(&cookie)).await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("Editör Mehmet"));
    assert!(dashboard.body.contains("Taslak haber") && dashboard.body.contains(">Taslak</span>"));
    assert!(dashboard.body.contains("Yayındaki haber") && dashboard.body.contains(">Yayında</span>"));

    assert_eq!(site.post_form("/yonetim/cikis", &cookie, &[]).await.status, 303);
    assert_eq!(site.get("/yonetim", Some(&cookie)).await.status, 303, "the session is over");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let site = newsroom().await;
    let wrong = login(&site, "editor@example.com", "yanlış parola burada").await;
    let unknown = login(&site, "kimse@example.com", "yanlış parola burada").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    let flash = |r: &HttpReply| r.body[r.body.find("notice-box").unwrap()..].split("</p>").next().unwrap().to_owned();
    assert_eq!(flash(&wrong), flash(&unknown));
    assert!(wrong.body.contains("E-posta adresi ya da parola hatalı."));
    assert!(wrong.cookie("manset_session").is_none());
}

#[tokio::test]
async fn repeated_failures_slow_down_then_lock_the_account() {
    let site = newsroom().await;
    let started = std::time::Instant::now();
    let mut last = None;
    for _ in 0..8 {
        last = Some(login(&site, "yazar@example.com", "tahmin edilen parola").await);
    }
    let last = last.unwrap();
    assert_eq!(last.status, 429);
    assert!(last.body.contains("Çok fazla başarısız giriş denemesi yapıldı. Lütfen 15 dakika sonra yeniden deneyin."));
    assert!(started.elapsed() >= std::time::Duration::from_millis(250 * 4), "later failures wait");
    // Locked: even the right password is refused, without saying whether it was right.
    let locked = login(&site, "yazar@example.com", PASSWORD).await;
    assert_eq!(locked.status, 429);
    assert!(locked.cookie("manset_session").is_none());
    // The address is locked too, whatever account it tries.
    assert_eq!(login(&site, "editor@example.com", PASSWORD).await.status, 429);
}

#[tokio::test]
async fn only_admins_manage_accounts_and_others_get_a_clear_403() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let page = site.get("/yonetim/kullanicilar", Some(&editor)).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("Bu işlem için yetkiniz yok"));
    let refused = site
        .post_form(
            "/yonetim/kullanicilar",
            &editor,
            &[("email", "x@example.com"), ("name", "X"), ("role", "admin"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(site.app.store.credentials("x@example.com").await.unwrap().is_none(), "nothing was created");

    let admin = site.session("yonetici@example.com").await;
    let list = site.get("/yonetim/kullanicilar", Some(&admin)).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("editor@example.com"));
    let created = site
        .post_form(
            "/yonetim/kullanicilar",
            &admin,
            &[("email", "yeni@example.com"), ("name", "Yeni Muhabir"), ("role", "contributor"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(created.status, 201);
    assert!(created.body.contains("Kullanıcı oluşturuldu."));
    assert_eq!(login(&site, "yeni@example.com", PASSWORD).await.status, 303);
    let again = site
        .post_form(
            "/yonetim/kullanicilar",
            &admin,
            &[("email", "yeni@example.com"), ("name", "İkinci"), ("role", "author"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, 409);
    let short = site
        .post_form(
            "/yonetim/kullanicilar",
            &admin,
            &[("email", "kisa@example.com"), ("name", "K"), ("role", "author"), ("password", "kısa")],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(short.body.contains("Parola en az 10 karakter olmalı."));
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let site = newsroom().await;
    let here = site.session("yazar@example.com").await;
    let elsewhere = site.session("yazar@example.com").await;
    let wrong = site
        .post_form(
            "/yonetim/parola",
            &here,
            &[("current", "yanlış parola 123"), ("new", "yepyeni parola 2026"), ("repeat", "yepyeni parola 2026")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Şu anki parolanız hatalı."));
    let mismatch = site
        .post_form(
            "/yonetim/parola",
            &here,
            &[("current", PASSWORD), ("new", "yepyeni parola 2026"), ("repeat", "başka parola 2026")],
        )
        .await;
    assert!(mismatch.body.contains("Yeni parolalar birbirini tutmuyor."));
    let changed = site
        .post_form(
            "/yonetim/parola",
            &here,
            &[("current", PASSWORD), ("new", "yepyeni parola 2026"), ("repeat", "yepyeni parola 2026")],
        )
        .await;
    assert_eq!(changed.status, 200);
    assert!(changed.body.contains("Parolanız değiştirildi."));
    assert_eq!(site.get("/yonetim", Some(&here)).await.status, 200, "this session stays");
    assert_eq!(site.get("/yonetim", Some(&elsewhere)).await.status, 303, "the other one ended");
    assert_eq!(login(&site, "yazar@example.com", PASSWORD).await.status, 401);
    assert_eq!(login(&site, "yazar@example.com", "yepyeni parola 2026").await.status, 303);
}

#[tokio::test]
async fn forms_sent_from_another_site_are_refused() {
    let site = newsroom().await;
    let body = serde_urlencoded::to_string([("email", "editor@example.com"), ("password", PASSWORD)]).unwrap();
    let reply = site.send("POST", "/yonetim/giris", &[("Origin", "https://kotu.example")], Some(&body)).await;
    assert_eq!(reply.status, 403);
    let cookie = site.session("editor@example.com").await;
    let logout =
        site.send("POST", "/yonetim/cikis", &[("Origin", "https://kotu.example"), ("Cookie", &cookie)], Some("")).await;
    assert_eq!(logout.status, 403);
    assert_eq!(site.get("/yonetim", Some(&cookie)).await.status, 200, "still logged in");
}

#[tokio::test]
async fn accounts_are_listed_nowhere_in_public() {
    let site = newsroom().await;
    for path in ["/wp-json/wp/v2/users", "/?author=1", "/yazar", "/yonetim/kullanicilar", "/feed", "/"] {
        let reply = site.get(path, None).await;
        assert!(!reply.body.contains("@example.com"), "{path}");
        assert!(!reply.body.contains("Editör Mehmet"), "{path}");
    }
}
