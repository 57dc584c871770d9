//! Every newsroom route, tried as an anonymous reader and as each role:
//! the 403/redirect matrix of SECURITY.md, forms from another site refused
//! on every state-changing route, and no member editing another's draft.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{PASSWORD, Served, article};

/// Who may open each page, lowest role first (`None`: every member).
const PAGES: &[(&str, Option<Role>)] = &[
    ("/yonetim", None),
    ("/yonetim/parola", None),
    ("/yonetim/iki-adim", None),
    ("/yonetim/haber/yeni", None),
    ("/yonetim/medya", None),
    ("/yonetim/yorumlar", Some(Role::Editor)),
    ("/yonetim/anasayfa", Some(Role::Editor)),
    ("/yonetim/kategoriler", Some(Role::Editor)),
    ("/yonetim/etiketler", Some(Role::Editor)),
    ("/yonetim/sayfalar", Some(Role::Editor)),
    ("/yonetim/sayfalar/yeni", Some(Role::Editor)),
    ("/yonetim/kullanicilar", Some(Role::Admin)),
    ("/yonetim/kayitlar", Some(Role::Admin)),
    ("/yonetim/ayarlar", Some(Role::Admin)),
];

/// State-changing routes and who may use them.
const FORMS: &[(&str, Option<Role>)] = &[
    ("/yonetim/parola", None),
    ("/yonetim/iki-adim", None),
    ("/yonetim/iki-adim/kapat", None),
    ("/yonetim/haber/yeni", None),
    ("/yonetim/onizleme", None),
    ("/yonetim/yorumlar", Some(Role::Editor)),
    ("/yonetim/anasayfa", Some(Role::Editor)),
    ("/yonetim/kategoriler", Some(Role::Editor)),
    ("/yonetim/etiketler", Some(Role::Editor)),
    ("/yonetim/sayfalar/yeni", Some(Role::Editor)),
    ("/yonetim/kullanicilar", Some(Role::Admin)),
    ("/yonetim/ayarlar", Some(Role::Admin)),
];

async fn site() -> Served {
    let app = TestApp::new().await;
    app.import("a.md", &article("Yayındaki haber", "Gündem", "2024-06-20T10:00:00+03:00")).await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for role in Role::ALL {
        let email = format!("{role}@example.com");
        app.store.create_user(&email, role.as_str(), role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.store.create_user("ikinci@example.com", "İkinci", Role::Contributor, &hash, Timestamp::now()).await.unwrap();
    app.serve().await
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_matrix_says() {
    let site = site().await;
    let mut sessions = Vec::new();
    for role in Role::ALL {
        sessions.push((role, site.session(&format!("{role}@example.com")).await));
    }
    let mut tried = 0;
    for &(path, lowest) in PAGES {
        let anonymous = site.get(path, None).await;
        assert_eq!(anonymous.status, 303, "GET {path} without a session");
        assert!(anonymous.header("location").unwrap().starts_with("/yonetim/giris"), "GET {path}");
        for (role, cookie) in &sessions {
            let allowed = lowest.is_none_or(|low| *role >= low);
            let reply = site.get(path, Some(cookie)).await;
            assert_eq!(reply.status, if allowed { 200 } else { 403 }, "GET {path} as {role}");
            tried += 2;
        }
    }
    for &(path, lowest) in FORMS {
        let anonymous = site.send("POST", path, &[("Origin", &site.origin())], Some("")).await;
        assert!(matches!(anonymous.status, 303 | 401 | 403), "POST {path} without a session: {}", anonymous.status);
        for (role, cookie) in &sessions {
            let allowed = lowest.is_none_or(|low| *role >= low);
            let headers = [("Origin", site.origin()), ("Cookie", cookie.clone())];
            let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = site.send("POST", path, &headers, Some("")).await;
            if allowed {
                assert!(!matches!(reply.status, 401 | 403), "POST {path} as {role}: {}", reply.status);
            } else {
                assert_eq!(reply.status, 403, "POST {path} as {role}");
            }
            // The same form from another site is refused, whoever is logged in.
            let foreign = [("Origin", "https://saldirgan.example"), ("Cookie", cookie.as_str())];
            assert_eq!(site.send("POST", path, &foreign, Some("")).await.status, 403, "POST {path} from elsewhere");
            let unsigned = [("Cookie", cookie.as_str())];
            assert_eq!(site.send("POST", path, &unsigned, Some("")).await.status, 403, "POST {path} without Origin");
            tried += 3;
        }
    }
    eprintln!("{tried} requests tried against the matrix");
}

#[tokio::test]
async fn a_member_cannot_open_or_change_another_members_draft() {
    let site = site().await;
    let owner = site.session("contributor@example.com").await;
    let body =
        serde_urlencoded::to_string([("headline", "Benim taslağım"), ("category", "Gündem"), ("action", "save")])
            .unwrap();
    let saved =
        site.send("POST", "/yonetim/haber/yeni", &[("Origin", &site.origin()), ("Cookie", &owner)], Some(&body)).await;
    assert_eq!(saved.status, 303);
    let path = saved.header("location").unwrap().split('?').next().unwrap().to_owned();
    assert_eq!(site.get(&path, Some(&owner)).await.status, 200);

    for intruder in ["ikinci@example.com", "author@example.com"] {
        let cookie = site.session(intruder).await;
        assert_eq!(site.get(&path, Some(&cookie)).await.status, 403, "{intruder} opens it");
        let change =
            serde_urlencoded::to_string([("headline", "Ele geçirildi"), ("category", "Gündem"), ("action", "save")])
                .unwrap();
        let reply = site.send("POST", &path, &[("Origin", &site.origin()), ("Cookie", &cookie)], Some(&change)).await;
        assert_eq!(reply.status, 403, "{intruder} changes it");
    }
    let editor = site.session("editor@example.com").await;
    let page = site.get(&path, Some(&editor)).await;
    assert!(page.body.contains("Benim taslağım") && !page.body.contains("Ele geçirildi"));
}

#[tokio::test]
async fn no_open_redirect_no_path_traversal_no_session_fixation() {
    let site = site().await;
    // After login, only a newsroom address of this site is followed.
    for next in ["https://saldirgan.example/", "//saldirgan.example/yonetim", "/yonetim//saldirgan.example", "/haber/x"]
    {
        let body =
            serde_urlencoded::to_string([("email", "admin@example.com"), ("password", PASSWORD), ("sonra", next)])
                .unwrap();
        let reply = site.send("POST", "/yonetim/giris", &[("Origin", &site.origin())], Some(&body)).await;
        let location = reply.header("location").unwrap();
        // Same site: a path of ours (`/yonetim//x` is one), never `//host` or a scheme.
        assert!(
            location.starts_with("/yonetim") && !location.starts_with("//") && !location.contains("://"),
            "{next} → {location}"
        );
    }
    // Files are served from their folders only.
    for path in [
        "/medya/../manset.db",
        "/medya/%2e%2e/%2e%2e/etc/passwd",
        "/medya/2024/../../data/manset.db",
        "/static/../Cargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "/static/..%5c..%5cCargo.toml",
    ] {
        let reply = site.get(path, None).await;
        assert!(matches!(reply.status, 400 | 404), "{path}: {}", reply.status);
        assert!(!reply.body.contains("[workspace]") && !reply.body.contains("SQLite format"), "{path}");
    }
    // A session cookie planted before the login is not the session after it.
    let planted = "manset_session=saldirganin-bildigi-deger";
    let body = serde_urlencoded::to_string([("email", "admin@example.com"), ("password", PASSWORD)]).unwrap();
    let reply =
        site.send("POST", "/yonetim/giris", &[("Origin", &site.origin()), ("Cookie", planted)], Some(&body)).await;
    let issued = reply.cookie("manset_session").unwrap();
    assert_ne!(issued, planted);
    assert_eq!(site.get("/yonetim", Some(planted)).await.status, 303, "the planted value opens nothing");
}

/// Every other state-changing route (those with an id in the address, the
/// logout, the upload, replies, restores, the reader's comment form).
const MORE_FORMS: &[&str] = &[
    "/yonetim/giris/kod",
    "/yonetim/cikis",
    "/yonetim/kullanicilar/1",
    "/yonetim/haber/1",
    "/yonetim/haber/1/surumler/1",
    "/yonetim/yorumlar/1/yanit",
    "/yonetim/medya",
    "/yonetim/medya/1",
    "/yonetim/kategoriler/1",
    "/yonetim/etiketler/1",
    "/yonetim/sayfalar/1",
    "/haber/yayindaki-haber/yorum",
];

#[tokio::test]
async fn every_state_changing_route_refuses_a_form_from_another_site() {
    let site = site().await;
    let admin = site.session("admin@example.com").await;
    for path in MORE_FORMS.iter().chain(FORMS.iter().map(|(p, _)| p)) {
        for origin in [Some("https://saldirgan.example"), None] {
            let mut headers = vec![("Cookie", admin.as_str())];
            if let Some(o) = origin {
                headers.push(("Origin", o));
            }
            // The upload reads a multipart body: a well-formed (empty) one, so
            // that only the origin is wrong.
            let body: (&str, &[u8]) = if *path == "/yonetim/medya" {
                ("multipart/form-data; boundary=b", b"--b--\r\n")
            } else {
                ("application/x-www-form-urlencoded", b"comment=x&author=y&email=z%40example.com")
            };
            let reply = site.send_bytes("POST", path, &headers, Some(body)).await;
            assert_eq!(reply.status, 403, "POST {path} from {origin:?}");
        }
    }
    // The admin's session still works: nothing above logged it out.
    assert_eq!(site.get("/yonetim", Some(&admin)).await.status, 200);
}

#[tokio::test]
async fn a_members_display_name_is_text_wherever_it_shows() {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    let name = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    app.store.create_user("admin@example.com", name, Role::Admin, &hash, Timestamp::now()).await.unwrap();
    let site = app.serve().await;
    let admin = site.session("admin@example.com").await;
    for path in ["/yonetim", "/yonetim/kullanicilar", "/yonetim/kayitlar", "/yonetim/haber/yeni"] {
        let page = site.get(path, Some(&admin)).await;
        assert_eq!(page.status, 200, "{path}");
        // Escaped, the name is text: `&lt;script&gt;…`, never a tag.
        assert!(!page.body.contains("<script>alert") && !page.body.contains("<img src=x"), "{path}");
        assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{path} shows the name as text");
    }
}
