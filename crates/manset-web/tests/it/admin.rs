//! The newsroom's doors: login, sessions, throttling, roles, passwords.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served, article, told_to_wait};

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    app.import("a.md", &article("Yayındaki haber", "Gündem", "2024-06-20T10:00:00+03:00")).await;
    app.import("b.md", "+++\ntitle = \"Taslak haber\"\ncategory = \"Gündem\"\ndraft = true\n+++\nx\n").await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
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

/// A login as `email` from client address `from` (the site trusts the
/// loopback proxy, as `--trusted-proxy 127.0.0.1` does).
async fn login_from(site: &Served, from: &str, email: &str, password: &str) -> HttpReply {
    let body = serde_urlencoded::to_string([("email", email), ("password", password)]).unwrap();
    site.send("POST", "/yonetim/giris", &[("Origin", &site.origin()), ("X-Forwarded-For", from)], Some(&body)).await
}

async fn newsroom_behind_a_named_proxy() -> Served {
    let site = newsroom().await;
    site.app.state.set_trusted_proxies(vec!["127.0.0.1".parse().unwrap()]);
    site
}

#[tokio::test]
async fn failures_delay_that_account_from_that_address_and_lock_nobody_out() {
    let site = newsroom_behind_a_named_proxy().await;
    let attacker = "203.0.113.66";
    for n in 1..=5 {
        let reply = login_from(&site, attacker, "yonetici@example.com", "tahmin edilen parola").await;
        assert_eq!(reply.status, 401, "attempt {n} is checked");
    }
    // Then the attacker waits, doubling, and is told so in Turkish; not even the right password is checked.
    let waiting = login_from(&site, attacker, "yonetici@example.com", PASSWORD).await;
    assert_eq!(waiting.status, 429);
    let wait = told_to_wait(&waiting.body);
    assert!(matches!(wait, Some(1 | 2)), "2 s after the fifth failure: {wait:?}");
    assert_eq!(waiting.header("retry-after"), wait.map(|w| w.to_string()).as_deref());
    assert!(waiting.cookie("manset_session").is_none());
    // The admin, from their own address, logs in at once, however often the attacker keeps trying.
    for _ in 0..20 {
        login_from(&site, attacker, "yonetici@example.com", "tahmin edilen parola").await;
    }
    let admin = login_from(&site, "198.51.100.10", "yonetici@example.com", PASSWORD).await;
    assert_eq!(admin.status, 303, "the real member is never locked out");
    assert!(admin.cookie("manset_session").is_some());
    // And the attacker's address is not barred from other accounts by one account's failures.
    assert_eq!(login_from(&site, attacker, "editor@example.com", PASSWORD).await.status, 303);
}

#[tokio::test]
async fn an_unknown_address_is_throttled_exactly_like_a_known_one() {
    let site = newsroom_behind_a_named_proxy().await;
    let mut answers = Vec::new();
    for email in ["yazar@example.com", "kimse@example.com"] {
        let replies = [
            login_from(&site, "203.0.113.7", email, "yanlış parola burada").await,
            login_from(&site, "203.0.113.7", email, "yanlış parola burada").await,
            login_from(&site, "203.0.113.7", email, "yanlış parola burada").await,
            login_from(&site, "203.0.113.7", email, "yanlış parola burada").await,
            login_from(&site, "203.0.113.7", email, "yanlış parola burada").await,
            login_from(&site, "203.0.113.7", email, "yanlış parola burada").await,
        ];
        // The wait counts down with the wall clock ("2 saniye", then "1"): the
        // same words, whatever the second.
        let notice = |r: &HttpReply| {
            let text = r.body[r.body.find("notice-box").unwrap()..].split("</p>").next().unwrap();
            text.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect::<String>()
        };
        answers.push(replies.iter().map(|r| (r.status, notice(r))).collect::<Vec<_>>());
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].iter().map(|(s, _)| *s).collect::<Vec<_>>(), [401, 401, 401, 401, 401, 429]);
}

#[tokio::test]
async fn one_address_spraying_many_accounts_is_slowed_down_too() {
    let site = newsroom_behind_a_named_proxy().await;
    let mut statuses = Vec::new();
    for n in 0..22 {
        statuses.push(login_from(&site, "192.0.2.44", &format!("kisi{n}@example.com"), "Yaz2026!parola").await.status);
    }
    assert!(statuses[..20].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(&statuses[20..], [429, 429], "twenty failures from one address, then it waits");
    assert_eq!(login_from(&site, "198.51.100.10", "yazar@example.com", PASSWORD).await.status, 303, "others are not");
}

#[tokio::test]
async fn behind_an_unnamed_proxy_one_persons_failures_do_not_stop_the_newsroom() {
    // Every request comes from the proxy's address, as without --trusted-proxy.
    let site = newsroom().await;
    for _ in 0..12 {
        login(&site, "yazar@example.com", "tahmin edilen parola").await;
    }
    assert_eq!(login(&site, "yazar@example.com", PASSWORD).await.status, 429, "that account waits here");
    assert_eq!(login(&site, "editor@example.com", PASSWORD).await.status, 303, "the editor logs in");
    assert_eq!(login(&site, "yonetici@example.com", PASSWORD).await.status, 303, "the admin logs in");
}

#[tokio::test]
async fn sixty_parallel_wrong_logins_check_only_the_free_five_passwords() {
    let site = std::sync::Arc::new(newsroom().await);
    let mut tasks = Vec::new();
    for _ in 0..60 {
        let site = site.clone();
        tasks.push(tokio::spawn(async move { login(&site, "yazar@example.com", "tahmin edilen parola").await.status }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    // A checked password answers 401; a throttled attempt 429 without a check.
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    let (entries, _) = site.app.store.audit_entries(Some("login"), 100, 0).await.unwrap();
    let audited = entries.iter().filter(|e| e.action == "login.failed").count();
    eprintln!("60 parallel wrong logins: {checked} passwords checked, {refused} refused unchecked, {audited} audited");
    assert_eq!((checked, refused, audited), (5, 55, 5));
}

#[tokio::test]
async fn the_current_password_on_the_password_screen_is_throttled_like_a_login() {
    let site = newsroom().await;
    let cookie = site.session("yazar@example.com").await;
    let change = |current: &'static str| {
        let site = &site;
        let cookie = cookie.clone();
        async move {
            let new = "yepyeni parola 2026";
            site.post_form("/yonetim/parola", &cookie, &[("current", current), ("new", new), ("repeat", new)]).await
        }
    };
    for _ in 0..5 {
        assert_eq!(change("yanlış parola 123").await.status, 422);
    }
    let waiting = change(PASSWORD).await;
    assert_eq!(waiting.status, 429, "a stolen session guesses no faster than a login");
    assert!(matches!(told_to_wait(&waiting.body), Some(1 | 2)), "{}", waiting.body);
    // The same count as the login's: that account waits here too.
    assert_eq!(login(&site, "yazar@example.com", PASSWORD).await.status, 429);
    assert_eq!(login(&site, "editor@example.com", PASSWORD).await.status, 303);
}

#[tokio::test]
async fn the_wait_is_said_in_english_on_an_english_site() {
    let app = TestApp::with(|site| site.lang = manset_text::Lang::En).await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    app.store.create_user("editor@example.com", "Editor", Role::Editor, &hash, Timestamp::now()).await.unwrap();
    let site = app.serve().await;
    for _ in 0..5 {
        login(&site, "editor@example.com", "a wrong password").await;
    }
    let waiting = login(&site, "editor@example.com", "a wrong password").await;
    assert_eq!(waiting.status, 429);
    assert!(matches!(told_to_wait(&waiting.body), Some(1 | 2)), "{}", waiting.body);
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
