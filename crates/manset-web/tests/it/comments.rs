//! Reader comments through real HTTP requests against the server.

use jiff::Timestamp;
use manset_core::{CommentStatus, Role};

use crate::TestApp;
use crate::app::{HttpReply, Served, article};

const SLUG: &str = "karsta-kar-yagisi";

/// A served site with one article and the given settings.
async fn site(settings: &[(&str, &str)]) -> Served {
    let app = TestApp::new().await;
    let slug = app.import("a.md", &article("Kars’ta kar yağışı", "Gündem", "2024-06-20T10:00:00+03:00")).await;
    assert_eq!(slug, SLUG);
    // Tests post at once; the timing check has its own test.
    app.store.set_setting("comments.min_seconds", "0").await.unwrap();
    app.store.set_setting("comments.rate_per_minute", "0").await.unwrap();
    for (k, v) in settings {
        app.store.set_setting(k, v).await.unwrap();
    }
    app.serve().await
}

fn path() -> String {
    format!("/haber/{SLUG}")
}

/// The form token of a freshly rendered article page.
async fn token(site: &Served) -> String {
    site.form_token(&path()).await
}

/// A comment as the browser's form sends it.
struct Post<'a> {
    body: &'a str,
    name: &'a str,
    email: &'a str,
    url: &'a str,
    parent: Option<i64>,
    extra: Vec<(&'a str, &'a str)>,
}

fn post<'a>(body: &'a str) -> Post<'a> {
    Post { body, name: "Ayşe Yılmaz", email: "ayse@example.com", url: "", parent: None, extra: vec![] }
}

impl Post<'_> {
    async fn send(&self, site: &Served, token: &str, headers: &[(&str, &str)]) -> HttpReply {
        let parent = self.parent.map(|p| p.to_string()).unwrap_or_default();
        let mut fields = vec![
            ("comment", self.body),
            ("author", self.name),
            ("email", self.email),
            ("url", self.url),
            ("token", token),
            ("parent_id", parent.as_str()),
            ("homepage", ""),
        ];
        for (key, value) in &self.extra {
            match fields.iter_mut().find(|(k, _)| k == key) {
                Some(field) => field.1 = value,
                None => fields.push((key, value)),
            }
        }
        let body = serde_urlencoded::to_string(&fields).unwrap();
        let origin = site.origin();
        let mut all = vec![("Origin", origin.as_str())];
        all.extend_from_slice(headers);
        site.send("POST", &format!("{}/yorum", path()), &all, Some(&body)).await
    }
}

async fn statuses(site: &Served) -> Vec<(i64, CommentStatus, Option<i64>, String)> {
    let mut all = site.app.store.comments_for_moderation(None, 10_000).await.unwrap();
    all.sort_by_key(|c| c.id);
    all.into_iter().map(|c| (c.id, c.status, c.parent_id, c.body)).collect()
}

async fn approve(site: &Served, ids: &[i64]) {
    site.app.store.set_comment_status(ids, CommentStatus::Approved, Timestamp::now()).await.unwrap();
}

#[tokio::test]
async fn a_first_comment_is_held_and_shown_only_to_its_author() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let reply = post("İlk yorumum.\nİkinci satır.").send(&site, &t, &[]).await;
    assert_eq!(reply.status, 303);
    assert!(reply.header("location").unwrap().starts_with(&format!("{}#yorum-", path())));
    let pending_cookie = reply.cookie("manset_pending").expect("the author gets a pending cookie");
    assert_eq!(statuses(&site).await[0].1, CommentStatus::Pending, "stored before the answer");

    let other = site.get(&path(), None).await;
    assert!(!other.body.contains("İlk yorumum."));
    assert!(other.body.contains("Yorumlar <span class=\"comments__count\">(0)</span>"));
    let author = site.get(&path(), Some(&pending_cookie)).await;
    assert!(author.body.contains("<p>İlk yorumum.<br>İkinci satır.</p>"), "{}", author.body);
    assert!(author.body.contains("Yorumunuz onay bekliyor"));
    // A forged cookie shows nothing.
    let forged = site.get(&path(), Some("manset_pending=p:1.AAAA")).await;
    assert!(!forged.body.contains("İlk yorumum."));

    // Approved, it is public, counted on the page and in lists.
    approve(&site, &[statuses(&site).await[0].0]).await;
    let public = site.get(&path(), None).await;
    assert!(public.body.contains("İlk yorumum."));
    assert!(public.body.contains("(1)</span>"));
    assert!(public.body.contains("1 yorum</a>"));
    let home = site.get("/", None).await;
    assert!(home.body.contains(&format!("<a class=\"card__comments\" href=\"{}#yorumlar\">1 yorum</a>", path())));
}

/// The reader's proof of authorship from a post's answer, as the browser
/// keeps it.
fn own_cookie(reply: &HttpReply) -> String {
    reply.cookie("manset_own").expect("every stored comment extends the reader's authorship cookie")
}

#[tokio::test]
async fn a_reader_with_an_approved_comment_and_its_cookie_publishes_directly_unless_the_site_holds_all() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let first = post("Birinci.").send(&site, &t, &[]).await;
    let own = own_cookie(&first);
    assert_eq!(statuses(&site).await[0].1, CommentStatus::Pending, "a first comment waits");
    approve(&site, &[1]).await;
    let second = Post { email: "AYSE@Example.com", ..post("İkinci.") };
    let reply = second.send(&site, &t, &[("Cookie", &own)]).await;
    assert_eq!(reply.status, 303);
    assert_eq!(statuses(&site).await[1].1, CommentStatus::Approved, "the cookie proves the earlier comment");
    assert!(site.get(&path(), None).await.body.contains("<p>İkinci.</p>"));
    let own = own_cookie(&reply);

    // Links and held words hold even a proven author.
    let links = post("https://a.example https://b.example www.c.example");
    links.send(&site, &t, &[("Cookie", &own)]).await;
    site.app.store.set_setting("comments.held_words", "kumar, bedava bahis").await.unwrap();
    post("Burada KUMAR var.").send(&site, &t, &[("Cookie", &own)]).await;
    site.app.store.set_setting("comments.hold_all", "true").await.unwrap();
    post("Her şey bekler.").send(&site, &t, &[("Cookie", &own)]).await;
    let s = statuses(&site).await;
    assert_eq!(s[2].1, CommentStatus::Pending, "three links");
    assert_eq!(s[3].1, CommentStatus::Pending, "held word");
    assert_eq!(s[4].1, CommentStatus::Pending, "hold all");
}

#[tokio::test]
async fn the_same_email_without_the_cookie_is_held() {
    let site = site(&[]).await;
    let t = token(&site).await;
    post("Birinci.").send(&site, &t, &[]).await;
    approve(&site, &[1]).await;
    // Anyone who knows (or guesses) the address types it: that proves nothing.
    let reply = post("Adresini bildiğim biri adına.").send(&site, &t, &[]).await;
    assert_eq!(reply.status, 303);
    assert_eq!(statuses(&site).await[1].1, CommentStatus::Pending);
    assert!(!site.get(&path(), None).await.body.contains("Adresini bildiğim"));
}

#[tokio::test]
async fn a_forged_or_foreign_authorship_cookie_proves_nothing() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let ayse = own_cookie(&post("Ayşe yazdı.").send(&site, &t, &[]).await);
    let other = Post { name: "Can", email: "can@example.com", ..post("Can yazdı.") };
    let can = own_cookie(&other.send(&site, &t, &[]).await);
    approve(&site, &[1, 2]).await;

    // Ayşe's genuine cookie does not make Can's address hers, nor hers his.
    let as_can = Post { name: "Can", email: "can@example.com", ..post("Ayşe, Can adına.") };
    as_can.send(&site, &t, &[("Cookie", &ayse)]).await;
    post("Can, Ayşe adına.").send(&site, &t, &[("Cookie", &can)]).await;
    // Ids changed under a kept signature, a bare payload, and a cookie
    // another site signed with its own secret.
    let (name, value) = ayse.split_once('=').unwrap();
    let (payload, signature) = value.rsplit_once('.').unwrap();
    let tampered = format!("{name}={}.{signature}", payload.replace('1', "2"));
    assert_ne!(tampered, ayse);
    post("Değiştirilmiş çerez.").send(&site, &t, &[("Cookie", &tampered)]).await;
    post("İmzasız çerez.").send(&site, &t, &[("Cookie", &format!("{name}={payload}"))]).await;
    let elsewhere = self::site(&[]).await;
    let foreign_token = token(&elsewhere).await;
    let foreign = own_cookie(&post("Başka sitede.").send(&elsewhere, &foreign_token, &[]).await);
    approve(&elsewhere, &[1]).await;
    post("Başka sitenin çerezi.").send(&site, &t, &[("Cookie", &foreign)]).await;

    let s = statuses(&site).await;
    assert_eq!(s.len(), 7);
    for c in &s[2..] {
        assert_eq!(c.1, CommentStatus::Pending, "{} was published without proof", c.3);
    }
}

/// A newsroom member, without a password anyone could use.
async fn staff(site: &Served, email: &str, name: &str, role: Role) {
    site.app.store.create_user(email, name, role, "yok", Timestamp::now()).await.unwrap().unwrap();
}

/// A reader whose approved comment this browser wrote: their cookie.
async fn proven_reader(site: &Served, t: &str) -> String {
    let reply = Post { name: "Okur", email: "okur@example.com", ..post("İlk onaylı yorum.") }.send(site, t, &[]).await;
    let id = statuses(site).await.last().unwrap().0;
    approve(site, &[id]).await;
    own_cookie(&reply)
}

#[tokio::test]
async fn typing_an_editors_email_gets_held_whatever_the_cookie_says() {
    let site = site(&[]).await;
    staff(&site, "nermin@example.com", "Nermin Aksoy", Role::Editor).await;
    let t = token(&site).await;
    let impostor =
        Post { name: "Okur", email: " Nermin@Example.COM ", ..post("Resmî açıklama: https://kotu.example") };
    let reply = impostor.send(&site, &t, &[]).await;
    assert_eq!(reply.status, 303, "the impostor is told nothing more than any reader");
    assert_eq!(statuses(&site).await[0].1, CommentStatus::Pending);

    // Even an approved comment under that address, and its cookie, prove
    // nothing: a moderator's slip must not make the address the impostor's.
    let own = own_cookie(&reply);
    approve(&site, &[1]).await;
    let again = Post { name: "Okur", email: "nermin@example.com", ..post("Yine resmî açıklama.") };
    again.send(&site, &t, &[("Cookie", &own)]).await;
    assert_eq!(statuses(&site).await[1].1, CommentStatus::Pending);
}

#[tokio::test]
async fn typing_a_staff_name_gets_held_whatever_the_cookie_says() {
    let site = site(&[]).await;
    staff(&site, "nermin@example.com", "Nermin Aksoy", Role::Editor).await;
    staff(&site, "ilker@example.com", "İlker Işık", Role::Admin).await;
    let t = token(&site).await;
    let own = proven_reader(&site, &t).await;
    let names = [
        "Nermin Aksoy",
        "NERMİN  AKSOY",
        "nermin aksoy",
        " Nermin\u{200b} Aksoy ",
        "Nermın Aksoy",
        "Nermin-Aksoy",
        "Nermin Aksoy (Editör)",
        "Editör Nermin Aksoy",
        "ilker isik",
        "İLKER IŞIK",
        "Kafkas Postası",
    ];
    for (i, name) in names.iter().enumerate() {
        let body = format!("Yayın ekibi adına {i}.");
        let reply = Post { name, email: "okur@example.com", ..post(&body) }.send(&site, &t, &[("Cookie", &own)]).await;
        assert_eq!(reply.status, 303, "{name}");
    }
    // The same proven reader under their own name, or a name that only
    // shares a word with a member's, publishes directly.
    for name in ["Okur", "Nermin", "Nermin Aksoyoğlu"] {
        let body = format!("Kendi adımla: {name}.");
        Post { name, email: "okur@example.com", ..post(&body) }.send(&site, &t, &[("Cookie", &own)]).await;
    }
    let s = statuses(&site).await;
    for (c, name) in s[1..=names.len()].iter().zip(names) {
        assert_eq!(c.1, CommentStatus::Pending, "{name:?} passed for a member of the newsroom");
    }
    for c in &s[names.len() + 1..] {
        assert_eq!(c.1, CommentStatus::Approved, "{}", c.3);
    }
}

#[tokio::test]
async fn invalid_fields_come_back_in_turkish_with_the_text_kept() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let bad = Post { name: "", email: "ayse@", url: "javascript:alert(1)", ..post("Söylemek <istediğim> şu") };
    let reply = bad.send(&site, &t, &[]).await;
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("Yorumunuz gönderilemedi. Lütfen işaretli alanları düzeltin"));
    assert!(reply.body.contains("Lütfen adınızı yazın."));
    assert!(reply.body.contains("Lütfen geçerli bir e-posta adresi yazın"));
    assert!(reply.body.contains("İnternet sitesi adresi http:// ya da https:// ile başlamalı."));
    assert!(reply.body.contains(">Söylemek &lt;istediğim&gt; şu</textarea>"), "the text is kept, escaped");
    assert!(reply.body.contains("value=\"ayse@\""));
    assert!(statuses(&site).await.is_empty(), "nothing stored");

    let too_long = "ç".repeat(5_001);
    let reply = post(&too_long).send(&site, &t, &[]).await;
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("Yorumunuz en fazla 5.000 karakter olabilir."));
    let long_name = "a".repeat(101);
    let reply = Post { name: &long_name, ..post("x") }.send(&site, &t, &[]).await;
    assert!(reply.body.contains("Adınız en fazla 100 karakter olabilir."));
    let exactly = "ç".repeat(5_000);
    assert_eq!(post(&exactly).send(&site, &t, &[]).await.status, 303, "5,000 characters are fine");
}

#[tokio::test]
async fn the_honeypot_and_the_timing_check_catch_bots_silently() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let bot = Post { extra: vec![("homepage", "http://spam.example")], ..post("Harika site!") };
    let reply = bot.send(&site, &t, &[]).await;
    assert_eq!(reply.status, 303, "a bot is told nothing");
    let cookie = reply.cookie("manset_pending").unwrap();
    assert_eq!(statuses(&site).await[0].1, CommentStatus::Spam, "kept, as spam");
    assert!(!site.get(&path(), Some(&cookie)).await.body.contains("Harika site!"));

    // With the default minimum of three seconds, an instant post is spam.
    site.app.store.clear_setting("comments.min_seconds").await.unwrap();
    let t = token(&site).await;
    post("Çok hızlı yazdım.").send(&site, &t, &[]).await;
    assert_eq!(statuses(&site).await[1].1, CommentStatus::Spam);
}

#[tokio::test]
async fn a_forged_or_foreign_form_is_refused_and_nothing_is_stored() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let forged = post("Sahte jeton.").send(&site, "f:1:1.AAAA", &[]).await;
    assert_eq!(forged.status, 422);
    assert!(forged.body.contains("Formun süresi dolmuş ya da form geçersiz."));
    assert!(forged.body.contains("Sahte jeton.</textarea>"));

    // The form token of another article does not fit this one.
    let body =
        serde_urlencoded::to_string([("comment", "x"), ("author", "a"), ("email", "a@b.co"), ("token", t.as_str())])
            .unwrap();
    let foreign =
        site.send("POST", &format!("{}/yorum", path()), &[("Origin", "https://kotu.example")], Some(&body)).await;
    assert_eq!(foreign.status, 403);
    assert!(foreign.body.contains("Bu istek kabul edilmedi"));
    let headerless = site.send("POST", &format!("{}/yorum", path()), &[], Some(&body)).await;
    assert_eq!(headerless.status, 403);
    let referer = format!("{}{}", site.origin(), path());
    let from_page = site.send("POST", &format!("{}/yorum", path()), &[("Referer", &referer)], Some(&body)).await;
    assert_eq!(from_page.status, 303, "a Referer from this site is enough");
    assert_eq!(statuses(&site).await.len(), 1);
    assert_eq!(site.send("POST", "/haber/yok/yorum", &[("Origin", &site.origin())], Some(&body)).await.status, 404);
}

#[tokio::test]
async fn too_many_comments_from_one_address_get_a_429_in_turkish() {
    let site = site(&[("comments.rate_per_minute", "3")]).await;
    let t = token(&site).await;
    for i in 0..3 {
        assert_eq!(post(&format!("Yorum {i}")).send(&site, &t, &[]).await.status, 303);
    }
    let reply = post("Dördüncü yorum").send(&site, &t, &[]).await;
    assert_eq!(reply.status, 429);
    assert!(reply.body.contains("Çok kısa sürede çok fazla yorum gönderildi."));
    assert!(reply.body.contains("Dördüncü yorum</textarea>"));
    assert_eq!(statuses(&site).await.len(), 3);
}

#[tokio::test]
async fn the_same_comment_twice_is_stored_once() {
    let site = site(&[]).await;
    let t = token(&site).await;
    assert_eq!(post("Aynı yorum").send(&site, &t, &[]).await.status, 303);
    let again = post("  Aynı yorum ").send(&site, &t, &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("Bu yorumu zaten gönderdiniz."));
    assert_eq!(statuses(&site).await.len(), 1);
}

#[tokio::test]
async fn replies_thread_up_to_the_configured_depth() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let mut own = own_cookie(&post("Kök").send(&site, &t, &[]).await);
    approve(&site, &[1]).await;
    // A proven author: each reply is public at once, so it can be replied to.
    for (i, body) in ["Bir", "İki", "Üç"].iter().enumerate() {
        let reply = Post { parent: Some(i as i64 + 1), ..post(body) }.send(&site, &t, &[("Cookie", &own)]).await;
        assert_eq!(reply.status, 303, "{}", reply.body);
        own = own_cookie(&reply);
    }
    let s = statuses(&site).await;
    assert_eq!(s[1].2, Some(1), "depth 2");
    assert_eq!(s[2].2, Some(2), "depth 3");
    assert_eq!(s[3].2, Some(2), "a fourth level answers beside its parent");

    let page = site.get(&path(), None).await;
    let root = page.body.find("id=\"yorum-1\"").unwrap();
    let nested = page.body.find("id=\"yorum-3\"").unwrap();
    assert!(page.body[root..nested].matches("comment-list--replies").count() == 2, "yorum-3 is two levels down");
    // Replying without JavaScript: the reply link fills the form.
    let reply_form = site.get(&format!("{}?yanit=1", path()), None).await;
    assert!(reply_form.body.contains("Ayşe Yılmaz adlı okura yanıt veriyorsunuz."));
    assert!(reply_form.body.contains("name=\"parent_id\" value=\"1\""));
    // A parent that is not public cannot be replied to.
    let reply = Post { parent: Some(999), ..post("Boşluğa") }.send(&site, &t, &[]).await;
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("Yanıtladığınız yorum bulunamadı."));
}

#[tokio::test]
async fn remember_me_keeps_name_email_and_website_only_when_ticked() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let plain = post("Hatırlama.").send(&site, &t, &[]).await;
    assert!(plain.cookie("manset_commenter").is_none());
    let ticked = Post { url: "https://ayse.example", extra: vec![("remember", "1")], ..post("Hatırla.") };
    let reply = ticked.send(&site, &t, &[]).await;
    let cookie = reply.cookie("manset_commenter").expect("remember-me cookie");
    let page = site.get(&path(), Some(&cookie)).await;
    assert!(page.body.contains("value=\"Ayşe Yılmaz\""));
    assert!(page.body.contains("value=\"ayse@example.com\""));
    assert!(page.body.contains("value=\"https://ayse.example\""));
    assert!(page.body.contains("name=\"remember\" type=\"checkbox\" value=\"1\" checked"));
}

#[tokio::test]
async fn the_script_posts_without_a_reload_and_gets_the_comment_html() {
    let site = site(&[]).await;
    let t = token(&site).await;
    let reply = post("Sayfa yenilenmeden.").send(&site, &t, &[("Accept", "application/json")]).await;
    assert_eq!(reply.status, 201);
    assert!(reply.header("content-type").unwrap().starts_with("application/json"));
    assert!(reply.body.contains("\"status\":\"pending\""));
    assert!(reply.body.contains("Sayfa yenilenmeden."));
    assert!(reply.body.contains("Yorumunuz onay bekliyor"));
    assert!(!reply.body.contains("ayse@example.com"));
    let invalid = Post { email: "", ..post("x") }.send(&site, &t, &[("Accept", "application/json")]).await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.body.contains("\"email\":\"Lütfen e-posta adresinizi yazın.\""), "{}", invalid.body);
}

#[tokio::test]
async fn email_addresses_never_appear_in_public_pages() {
    let site = site(&[]).await;
    let t = token(&site).await;
    for i in 0..3 {
        let email = format!("gizli{i}@example.com");
        let body = format!("Yorum {i}");
        let p = Post { email: &email, url: "https://site.example", ..post(&body) };
        p.send(&site, &t, &[]).await;
    }
    approve(&site, &[1, 2, 3]).await;
    for page in [path(), "/".into(), "/kategori/gundem".into(), "/yok".into(), format!("{}?yanit=1", path())] {
        let reply = site.get(&page, None).await;
        assert!(reply.status == 200 || page == "/yok", "{page}");
        let body = reply.body;
        assert!(!body.contains("gizli"), "an e-mail address leaks on {page}");
        assert!(!body.contains("@example.com"), "an e-mail address leaks on {page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_comments_are_all_stored_once_and_threaded() {
    let site = std::sync::Arc::new(site(&[]).await);
    let t = token(&site).await;
    post("Tartışmanın kökü").send(&site, &t, &[]).await;
    approve(&site, &[1]).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let site = site.clone();
        let t = t.clone();
        tasks.spawn(async move {
            let body = format!("Eşzamanlı yorum {i}");
            let email = format!("okur{i}@example.com");
            let p = Post { email: &email, parent: (i % 2 == 0).then_some(1), ..post(&body) };
            p.send(&site, &t, &[]).await.status
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), 303);
    }
    let s = statuses(&site).await;
    assert_eq!(s.len(), 201);
    for i in 0..200 {
        let body = format!("Eşzamanlı yorum {i}");
        let found: Vec<_> = s.iter().filter(|c| c.3 == body).collect();
        assert_eq!(found.len(), 1, "{body} stored exactly once");
        assert_eq!(found[0].2, (i % 2 == 0).then_some(1), "{body} threaded under its parent");
    }
}

#[tokio::test]
async fn xss_vectors_as_comment_name_or_website_never_become_executable() {
    let Some(payloads) = manset_testkit::xss_payloads() else { return };
    let site = site(&[]).await;
    let t = token(&site).await;
    for (i, payload) in payloads.iter().enumerate() {
        let as_body = Post { email: "xss@example.com", ..post(payload) };
        let reply = as_body.send(&site, &t, &[]).await;
        assert!(matches!(reply.status, 303 | 409 | 422), "{i}: {}", reply.status);
        let name_body = format!("isim {i}");
        let as_name = Post { name: payload, email: "xss@example.com", ..post(&name_body) };
        let site_body = format!("site {i}");
        let as_url = Post { url: payload, email: "xss@example.com", ..post(&site_body) };
        for reply in [as_name.send(&site, &t, &[]).await, as_url.send(&site, &t, &[]).await] {
            assert!(matches!(reply.status, 303 | 422), "{i}: {}", reply.status);
            if reply.status == 422 && payload.contains(['<', '"']) {
                // Sent back in the form: escaped, never verbatim.
                assert!(!reply.body.contains(payload.as_str()), "{i}: payload echoed raw: {payload}");
            }
        }
    }
    let ids: Vec<i64> = statuses(&site).await.iter().map(|c| c.0).collect();
    assert!(ids.len() > payloads.len(), "most vectors were stored");
    approve(&site, &ids).await;
    let page = site.get(&path(), None).await;
    assert_eq!(page.status, 200);
    let start = page.body.find("<section class=\"comments\"").unwrap();
    let end = start + page.body[start..].find("<section class=\"respond\"").unwrap();
    let comments = &page.body[start..end];
    assert!(comments.matches("class=\"comment\"").count() >= ids.len());
    let found = manset_testkit::executable_content(comments);
    assert!(found.is_empty(), "executable content in comments: {found:#?}");
}
