//! What readers must not see, and the 404 page they get instead.

use crate::TestApp;
use crate::app::article;

#[tokio::test]
async fn drafts_and_future_articles_are_invisible_everywhere() {
    let app = TestApp::new().await;
    let public = app.import("pub.md", &article("Yayında", "Gündem", "2024-06-20T10:00:00+03:00")).await;
    let draft = app
        .import("draft.md", "+++\ntitle = \"Taslak haber\"\ncategory = \"Gündem\"\ndraft = true\npublished = 2024-06-21T10:00:00+03:00\n+++\nGizli.\n")
        .await;
    let future = app.import("future.md", &article("Ambargolu haber", "Gündem", "2999-01-01T10:00:00+03:00")).await;
    let hidden_category =
        app.import("hidden.md", "+++\ntitle = \"Gizli kategori\"\ncategory = \"Gizli\"\ndraft = true\n+++\nx\n").await;

    assert_eq!(app.get(&format!("/haber/{public}")).await.status, 200);
    for slug in [&draft, &future, &hidden_category] {
        let page = app.get(&format!("/haber/{slug}")).await;
        assert_eq!(page.status, 404, "{slug}");
    }
    for path in ["/", "/kategori/gundem", &format!("/haber/{public}"), "/haber/yok"] {
        let page = app.get(path).await;
        for slug in [&draft, &future] {
            assert!(!page.has(slug.as_str()), "{slug} leaks on {path}");
        }
        assert!(!page.has("/kategori/gizli"), "an empty category is in the menu on {path}");
    }
    // A category with nothing visible exists but lists nothing.
    let empty = app.get("/kategori/gizli").await;
    assert_eq!(empty.status, 200);
    assert!(empty.has("Burada henüz yayımlanmış haber yok."));
}

#[tokio::test]
async fn unknown_addresses_get_a_turkish_404_page() {
    let app = TestApp::new().await;
    let slug = app.import("a.md", &article("Okunacak haber", "Gündem", "2024-06-20T10:00:00+03:00")).await;
    for path in ["/yok", "/haber/olmayan-haber", "/haber/", "/kategori/a/b"] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
        assert!(page.body.contains("<html lang=\"tr\">"));
        assert!(page.has("<h1 class=\"notice__title\">Sayfa bulunamadı</h1>"), "{path}");
        assert!(page.has("<title>Sayfa bulunamadı – Kafkas Postası</title>"));
        // What to read instead.
        assert!(page.has(&format!("/haber/{slug}")));
    }
}

#[tokio::test]
async fn a_wrong_method_gets_a_clear_page() {
    let app = TestApp::new().await;
    let page = app.request(axum::http::Request::post("/").body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(page.status, 405);
    assert!(page.has("Bu işlem burada yapılamaz"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    for path in ["/", "/yok"] {
        let page = app.get(path).await;
        assert_eq!(page.headers["x-content-type-options"], "nosniff");
        assert!(page.headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    }
}

#[tokio::test]
async fn the_security_settings_shape_the_headers_and_security_txt() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "no inline scripts or styles: {csp}");
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert!(page.headers["permissions-policy"].to_str().unwrap().contains("geolocation=()"));
    assert!(!page.headers.contains_key("strict-transport-security"), "no HSTS unless asked");
    assert_eq!(app.get("/.well-known/security.txt").await.status, 404, "no contact named yet");

    for (key, value) in [
        ("security.frame_ancestors", "https://ortak.example"),
        ("security.hsts", "true"),
        ("security.contact", "mailto:guvenlik@haber.example"),
    ] {
        app.store.set_setting(key, value).await.unwrap();
    }
    app.state.reconfigure().await.unwrap();
    let page = app.get("/haber/yok").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors https://ortak.example"), "{csp}");
    assert!(!page.headers.contains_key("x-frame-options"), "no X-Frame-Options can say “that one site”");
    assert_eq!(page.headers["strict-transport-security"], "max-age=31536000; includeSubDomains");
    // Readers' pages may be framed by the partner; the newsroom never is.
    for path in ["/yonetim", "/yonetim/giris", "/yonetim/yok"] {
        let newsroom = app.get(path).await;
        let csp = newsroom.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.ends_with("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(newsroom.headers["x-frame-options"], "DENY", "{path}");
    }
    let txt = app.get("/.well-known/security.txt").await;
    assert_eq!(txt.status, 200);
    assert!(txt.body.starts_with("Contact: mailto:guvenlik@haber.example\nExpires: "), "{}", txt.body);
    assert!(txt.body.contains("Canonical: https://haber.example/.well-known/security.txt"));

    // A value the settings screen would refuse never reaches a header.
    app.store.set_setting("security.frame_ancestors", "'unsafe-inline' *").await.unwrap();
    app.state.reconfigure().await.unwrap();
    let csp = app.get("/").await.headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
}

/// Behind a proxy that ends TLS, a site whose `--base-url` says http still
/// marks its session cookie `Secure` when the trusted proxy says the
/// browser spoke HTTPS; nobody else can say so.
#[tokio::test]
async fn cookies_are_secure_when_a_trusted_proxy_says_the_browser_spoke_https() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    let app = TestApp::with(|site| site.base_url = "http://haber.example".into()).await;
    app.state.set_trusted_proxies(vec!["10.0.0.0/8".parse().unwrap()]);
    let hash = manset_service::accounts::hash_password(crate::app::PASSWORD).unwrap();
    app.store
        .create_user("ayse@example.com", "Ayşe", manset_core::Role::Editor, &hash, jiff::Timestamp::now())
        .await
        .unwrap()
        .unwrap();
    let body =
        serde_urlencoded::to_string([("email", "ayse@example.com"), ("password", crate::app::PASSWORD)]).unwrap();
    let login = |peer: [u8; 4], proto: &str| {
        let mut request = Request::post("/yonetim/giris")
            .header("origin", "http://haber.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-proto", proto)
            .body(Body::from(body.clone()))
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from((peer, 40000))));
        app.request(request)
    };
    let behind_proxy = login([10, 0, 0, 5], "https").await;
    let cookie = behind_proxy.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("manset_session=") && cookie.ends_with("; Secure"), "{cookie}");
    for (peer, proto) in [([203, 0, 113, 9], "https"), ([10, 0, 0, 5], "http")] {
        let direct = login(peer, proto).await;
        let cookie = direct.headers["set-cookie"].to_str().unwrap();
        assert!(!cookie.contains("Secure"), "{peer:?} {proto}: {cookie}");
    }
}
