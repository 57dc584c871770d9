//! Two-factor sign-in: enrolment on the member's own page, the login's code
//! step, recovery codes, turning it off, and roles that must use it. Codes
//! come from `oathtool` (Debian's, an independent implementation of RFC
//! 6238) where the test is about agreeing with the outside world.

use jiff::Timestamp;
use manset_core::Role;
use manset_core::totp::Secret;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served};

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, role) in [
        ("yonetici@example.com", Role::Admin),
        ("editor@example.com", Role::Editor),
        ("yazar@example.com", Role::Author),
    ] {
        app.store.create_user(email, email, role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("`{start}` not in:\n{text}")) + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

/// `oathtool`'s way of naming a moment.
fn oath_time(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The password step of a login: its reply (the code page, or a session).
async fn password_step(site: &Served, email: &str) -> HttpReply {
    let body =
        serde_urlencoded::to_string([("email", email), ("password", PASSWORD), ("sonra", "/yonetim/medya")]).unwrap();
    site.send("POST", "/yonetim/giris", &[("Origin", &site.origin())], Some(&body)).await
}

/// The code step, with the signed step of `page` (the code page).
async fn code_step(site: &Served, page: &HttpReply, code: &str) -> HttpReply {
    let step = between(&page.body, "name=\"adim\" value=\"", "\"");
    let next = between(&page.body, "name=\"sonra\" value=\"", "\"");
    let body = serde_urlencoded::to_string([("adim", step), ("kod", code), ("sonra", next)]).unwrap();
    site.send("POST", "/yonetim/giris/kod", &[("Origin", &site.origin())], Some(&body)).await
}

/// Turns on two-factor sign-in for the member holding `cookie` with a code
/// `code_for` makes from the page's secret; the secret and recovery codes.
async fn enrol(site: &Served, cookie: &str, code_for: impl Fn(&str) -> String) -> (String, Vec<String>) {
    let page = site.get("/yonetim/iki-adim", Some(cookie)).await;
    assert_eq!(page.status, 200);
    let secret = between(&page.body, "secret=", "&").to_owned();
    assert!(page.body.contains("otpauth://totp/"), "the otpauth address is shown");
    assert!(page.body.contains("<svg") && page.body.contains("role=\"img\""), "the QR code is inline SVG");
    let token = between(&page.body, "name=\"anahtar\" value=\"", "\"").to_owned();
    let done = site.post_form("/yonetim/iki-adim", cookie, &[("anahtar", &token), ("kod", &code_for(&secret))]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("İki adımlı giriş açıldı."));
    let list = between(&done.body, "two-factor__codes\">", "</ul>");
    let codes: Vec<String> =
        list.split("<code>").skip(1).map(|c| c.split("</code>").next().unwrap().to_owned()).collect();
    (secret, codes)
}

#[test]
fn our_codes_match_oathtools_at_fixed_times() {
    let Some(oathtool) = manset_testkit::tools::debian_program("oathtool", "oathtool") else { return };
    let secret = manset_service::accounts::new_totp_secret().unwrap();
    for when in [
        "2026-12-04 12:00:00 UTC",
        "2026-12-04 12:00:29 UTC",
        "2026-12-04 12:00:30 UTC",
        "1970-01-01 00:00:59 UTC",
        "2033-05-18 03:33:20 UTC",
    ] {
        let at: Timestamp = when.replace(" UTC", "Z").replace(' ', "T").parse().unwrap();
        let theirs = manset_testkit::tools::oathtool_totp(&oathtool, &secret.to_base32(), Some(when));
        assert_eq!(secret.code_at(at.as_second()), theirs, "at {when}");
    }
}

#[tokio::test]
async fn a_member_enrols_and_logs_in_with_a_code_oathtool_made_once() {
    let Some(oathtool) = manset_testkit::tools::debian_program("oathtool", "oathtool") else { return };
    let site = newsroom().await;
    let cookie = site.session("yazar@example.com").await;
    let t0 = Timestamp::now();
    let (secret, codes) =
        enrol(&site, &cookie, |s| manset_testkit::tools::oathtool_totp(&oathtool, s, Some(&oath_time(t0)))).await;
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    assert!(!site.get("/yonetim/iki-adim", Some(&cookie)).await.body.contains(&codes[0]), "never shown again");

    // The password alone makes no session: a page asks for the code.
    let asked = password_step(&site, "yazar@example.com").await;
    assert_eq!(asked.status, 200);
    assert!(asked.cookie("manset_session").is_none());
    assert!(asked.body.contains("Doğrulama kodu"));
    // The next step's code (within the window whatever the second now): oathtool's.
    let code = manset_testkit::tools::oathtool_totp(
        &oathtool,
        &secret,
        Some(&oath_time(t0 + jiff::SignedDuration::from_secs(30))),
    );
    let done = code_step(&site, &asked, &code).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some("/yonetim/medya"));
    let session = done.cookie("manset_session").unwrap();
    assert_eq!(site.get("/yonetim", Some(&session)).await.status, 200);

    // The same code again is refused, even with the password right.
    let again = password_step(&site, "yazar@example.com").await;
    let replayed = code_step(&site, &again, &code).await;
    assert_eq!(replayed.status, 401);
    assert!(replayed.body.contains("Kod hatalı ya da daha önce kullanılmış."));
    assert!(replayed.cookie("manset_session").is_none());
    // And the step of a login that is done serves no second one, whatever the code.
    let later = Secret::from_base32(&secret).unwrap().code_at((t0 + jiff::SignedDuration::from_secs(60)).as_second());
    let reused = code_step(&site, &asked, &later).await;
    assert_eq!(reused.status, 401);
    assert!(reused.body.contains("Giriş adımının süresi doldu."));
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_the_log_says_so() {
    let site = newsroom().await;
    let cookie = site.session("editor@example.com").await;
    let now = Timestamp::now().as_second();
    let (_, codes) = enrol(&site, &cookie, |s| Secret::from_base32(s).unwrap().code_at(now)).await;

    let asked = password_step(&site, "editor@example.com").await;
    let done = code_step(&site, &asked, &codes[3].to_uppercase()).await;
    assert_eq!(done.status, 303, "a recovery code, in any case");
    let again = password_step(&site, "editor@example.com").await;
    assert_eq!(code_step(&site, &again, &codes[3]).await.status, 401, "used once");
    assert_eq!(code_step(&site, &again, "1234-5678-abcd-efgh").await.status, 401);

    let (entries, _) = site.app.store.audit_entries(None, 100, 0).await.unwrap();
    let actions: Vec<(&str, &str)> = entries.iter().map(|e| (e.action.as_str(), e.detail.as_str())).collect();
    assert!(actions.contains(&("2fa.enable", "")), "{actions:?}");
    assert!(actions.contains(&("2fa.recovery_used", "9")), "{actions:?}");
    assert_eq!(actions.iter().filter(|(a, _)| *a == "2fa.code_failed").count(), 2);
    // No secret or code in the log.
    let text = format!("{entries:?}");
    assert!(codes.iter().all(|c| !text.contains(c.as_str())));
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_passwords_and_a_stale_step_is_refused() {
    let site = newsroom().await;
    let cookie = site.session("yazar@example.com").await;
    let now = Timestamp::now().as_second();
    let (secret, _) = enrol(&site, &cookie, |s| Secret::from_base32(s).unwrap().code_at(now)).await;
    let asked = password_step(&site, "yazar@example.com").await;
    for _ in 0..5 {
        assert_eq!(code_step(&site, &asked, "000000").await.status, 401);
    }
    let right = Secret::from_base32(&secret).unwrap().code_at(now + 30);
    let waiting = code_step(&site, &asked, &right).await;
    assert_eq!(waiting.status, 429, "not checked, right or not");
    assert!(matches!(crate::app::told_to_wait(&waiting.body), Some(1 | 2)), "{}", waiting.body);
    // A right password does not reset the count of wrong codes.
    let again = password_step(&site, "yazar@example.com").await;
    assert_eq!(again.status, 429);

    // A step not signed by this site, or tampered with, leads back to the password.
    let forged = serde_urlencoded::to_string([("adim", "2fa:3:9999999999.abc"), ("kod", right.as_str())]).unwrap();
    let reply = site.send("POST", "/yonetim/giris/kod", &[("Origin", &site.origin())], Some(&forged)).await;
    assert_eq!(reply.status, 401);
    assert!(reply.body.contains("Giriş adımının süresi doldu."));
}

#[tokio::test]
async fn two_factor_turns_off_only_with_the_password_and_a_code() {
    let site = newsroom().await;
    let cookie = site.session("yazar@example.com").await;
    let now = Timestamp::now().as_second();
    let (_, codes) = enrol(&site, &cookie, |s| Secret::from_base32(s).unwrap().code_at(now)).await;
    let off = |password: &'static str, code: String| {
        let (site, cookie) = (&site, cookie.clone());
        async move { site.post_form("/yonetim/iki-adim/kapat", &cookie, &[("password", password), ("kod", &code)]).await }
    };
    let wrong_password = off("yanlış parola 123", codes[0].clone()).await;
    assert_eq!(wrong_password.status, 422);
    assert!(wrong_password.body.contains("Parola ya da kod hatalı."));
    assert_eq!(off(PASSWORD, "000000".to_owned()).await.status, 422);
    let done = off(PASSWORD, codes[0].clone()).await;
    assert_eq!(done.status, 303);
    assert_eq!(site.get("/yonetim/iki-adim?kapatildi=1", Some(&cookie)).await.status, 200);
    // The password alone signs in again.
    let reply = password_step(&site, "yazar@example.com").await;
    assert_eq!(reply.status, 303);
    let (entries, _) = site.app.store.audit_entries(Some("2fa"), 100, 0).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "2fa.disable"));
}

#[tokio::test]
async fn a_role_that_must_use_two_factor_is_sent_to_enrol_by_every_newsroom_page() {
    let site = newsroom().await;
    let admin = site.session("yonetici@example.com").await;
    let editor = site.session("editor@example.com").await;
    let author = site.session("yazar@example.com").await;
    let screen = site.get("/yonetim/ayarlar", Some(&admin)).await;
    assert!(screen.body.contains("name=\"security.two_factor_roles\""), "the setting is on the settings screen");
    let bad = site.post_form("/yonetim/ayarlar", &admin, &[("security.two_factor_roles", "admin,şef")]).await;
    assert_eq!(bad.status, 422, "only role names");
    let saved = site.post_form("/yonetim/ayarlar", &admin, &[("security.two_factor_roles", "admin,editor")]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(site.app.store.setting("security.two_factor_roles").await.unwrap().as_deref(), Some("admin,editor"));
    let next = site.get("/yonetim/ayarlar", Some(&admin)).await;
    assert_eq!(next.header("location"), Some("/yonetim/iki-adim"), "the admin who set it is sent too");

    for path in ["/yonetim", "/yonetim/parola", "/yonetim/haber/yeni", "/yonetim/yorumlar", "/yonetim/medya"] {
        let reply = site.get(path, Some(&editor)).await;
        assert_eq!((reply.status, reply.header("location")), (303, Some("/yonetim/iki-adim")), "GET {path} as editor");
    }
    for path in ["/yonetim", "/yonetim/parola", "/yonetim/haber/yeni", "/yonetim/medya"] {
        assert_eq!(site.get(path, Some(&author)).await.status, 200, "GET {path} as an author, whose role need not");
    }
    let form = site.post_form("/yonetim/haber/yeni", &editor, &[("headline", "x")]).await;
    assert_eq!(form.header("location"), Some("/yonetim/iki-adim"), "forms too");
    let page = site.get("/yonetim/iki-adim", Some(&editor)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Rolünüz için iki adımlı giriş zorunlu."));

    let now = Timestamp::now().as_second();
    enrol(&site, &editor, |s| Secret::from_base32(s).unwrap().code_at(now)).await;
    assert_eq!(site.get("/yonetim", Some(&editor)).await.status, 200, "enrolled: the newsroom opens");
}
