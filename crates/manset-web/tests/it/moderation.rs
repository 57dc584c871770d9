//! The comment queue and the audit log through the newsroom's real HTTP
//! interface, role by role.

use jiff::Timestamp;
use manset_core::{CommentStatus, Role};
use manset_store::NewComment;

use crate::TestApp;
use crate::app::{PASSWORD, Served, article};

async fn newsroom() -> (Served, i64) {
    let app = TestApp::new().await;
    app.import("a.md", &article("Bakü’de liman açıldı", "Ekonomi", "2024-06-28T10:00:00+03:00")).await;
    let article_id = app.store.published_article("bakude-liman-acildi", Timestamp::now()).await.unwrap().unwrap().id;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, name, role) in [
        ("yazar@example.com", "Yazar Yılmaz", Role::Author),
        ("editor@example.com", "Editör Kaya", Role::Editor),
        ("admin@example.com", "Yönetici Demir", Role::Admin),
    ] {
        app.store.create_user(email, name, role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    (app.serve().await, article_id)
}

/// A reader's comment, waiting for moderation; returns its id.
async fn pending(site: &Served, article_id: i64, name: &str, email: &str, body: &str) -> i64 {
    let new = NewComment {
        article_id,
        parent_id: None,
        name,
        email,
        url: None,
        body,
        ip: Some("203.0.113.7"),
        max_depth: 3,
        own_comment_ids: &[],
        staff: None,
    };
    let held = |_| manset_core::comment::decide(manset_core::comment::Signals::default());
    match site.app.store.add_comment(&new, Timestamp::now(), held).await.unwrap() {
        manset_store::AddedComment::Stored { id, .. } => id,
        other => panic!("not stored: {other:?}"),
    }
}

async fn status_of(site: &Served, id: i64) -> CommentStatus {
    site.app.store.comment_article(id).await.unwrap().unwrap().1
}

#[tokio::test]
async fn an_editor_moderates_one_comment_and_many_at_once() {
    let (site, article_id) = newsroom().await;
    let first = pending(&site, article_id, "Ayşe", "ayse@example.com", "Çok iyi bir haber.").await;
    let second = pending(&site, article_id, "Spamcı", "spam@example.com", "Ucuz <b>bahis</b> burada").await;
    let third = pending(&site, article_id, "Spamcı", "spam@example.com", "Yine ucuz bahis").await;
    let editor = site.session("editor@example.com").await;

    let queue = site.get("/yonetim/yorumlar", Some(&editor)).await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.header("cache-control"), Some("no-store"));
    assert!(queue.body.contains("Onay bekleyen <span class=\"admin-tabs__count\">3</span>"), "{}", queue.body);
    assert!(
        queue.body.contains("ayse@example.com") && queue.body.contains("203.0.113.7"),
        "moderators see the address"
    );
    assert!(queue.body.contains("Ucuz &lt;b&gt;bahis&lt;/b&gt; burada"), "comment text stays text");
    assert!(queue.body.contains("Bu adresten 1 başka yorum"), "the history of spam@example.com");

    let one = site
        .post_form(
            "/yonetim/yorumlar",
            &editor,
            &[("one", &format!("approved:{first}")), ("back", "/yonetim/yorumlar?durum=pending")],
        )
        .await;
    assert_eq!(one.status, 303);
    assert_eq!(one.header("location"), Some("/yonetim/yorumlar?durum=pending&tamam=1"));
    assert_eq!(status_of(&site, first).await, CommentStatus::Approved);
    let page = site.get("/haber/bakude-liman-acildi", None).await;
    assert!(page.body.contains("Çok iyi bir haber."), "approved comments are public at once");

    let (a, b) = (second.to_string(), third.to_string());
    let bulk = site.post_form("/yonetim/yorumlar", &editor, &[("action", "spam"), ("ids", &a), ("ids", &b)]).await;
    assert_eq!(bulk.status, 303);
    assert_eq!(status_of(&site, second).await, CommentStatus::Spam);
    assert_eq!(status_of(&site, third).await, CommentStatus::Spam);
    let after = site.get("/yonetim/yorumlar?tamam=2", Some(&editor)).await;
    assert!(after.body.contains("2 yorum güncellendi."));
    assert!(after.body.contains("Bu listede yorum yok."), "the queue is empty");
    let spam = site.get("/yonetim/yorumlar?durum=spam", Some(&editor)).await;
    assert_eq!(spam.body.matches("moderation__item moderation__item--spam").count(), 2);

    // The commenter's history: everything from one address, whatever its status.
    let history = site.get("/yonetim/yorumlar?eposta=SPAM%40example.com", Some(&editor)).await;
    assert_eq!(history.status, 200);
    assert_eq!(history.body.matches("class=\"moderation__item ").count(), 2);
    assert!(!history.body.contains("ayse@example.com"));
}

#[tokio::test]
async fn a_newsroom_reply_is_published_under_the_members_name() {
    let (site, article_id) = newsroom().await;
    let question = pending(&site, article_id, "Okur", "okur@example.com", "Liman ne zaman açılacak?").await;
    let editor = site.session("editor@example.com").await;
    let reply = site
        .post_form(
            &format!("/yonetim/yorumlar/{question}/yanit"),
            &editor,
            &[("body", "Eylülde açılıyor."), ("back", "/yonetim/yorumlar")],
        )
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/yonetim/yorumlar?yanit=1"));
    assert_eq!(status_of(&site, question).await, CommentStatus::Approved, "replying approves the question");
    let page = site.get("/haber/bakude-liman-acildi", None).await;
    let asked = page.body.find("Liman ne zaman açılacak?").unwrap();
    let answered = page.body.find("Eylülde açılıyor.").expect("the reply is public");
    assert!(asked < answered);
    assert!(page.body.contains("Editör Kaya"));
    assert!(!page.body.contains("editor@example.com"), "the member's address stays private");

    let empty = site.post_form(&format!("/yonetim/yorumlar/{question}/yanit"), &editor, &[("body", "   ")]).await;
    assert_eq!(empty.header("location"), Some("/yonetim/yorumlar?hata=yanit"));
    let shown = site.get("/yonetim/yorumlar?hata=yanit", Some(&editor)).await;
    assert!(shown.body.contains("Yanıt boş olamaz"));
}

#[tokio::test]
async fn only_editors_and_admins_moderate_and_only_from_this_site() {
    let (site, article_id) = newsroom().await;
    let id = pending(&site, article_id, "Okur", "okur@example.com", "Merhaba").await;
    let author = site.session("yazar@example.com").await;
    assert_eq!(site.get("/yonetim/yorumlar", Some(&author)).await.status, 403);
    let refused = site.post_form("/yonetim/yorumlar", &author, &[("one", &format!("approved:{id}"))]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(status_of(&site, id).await, CommentStatus::Pending);
    assert_eq!(site.get("/yonetim/yorumlar", None).await.status, 303, "no session: to the login form");

    let editor = site.session("editor@example.com").await;
    let body = format!("one=approved%3A{id}");
    let forged = site
        .send("POST", "/yonetim/yorumlar", &[("Origin", "https://kotu.example"), ("Cookie", &editor)], Some(&body))
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(status_of(&site, id).await, CommentStatus::Pending);
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_and_only_admins_read_it() {
    let (site, article_id) = newsroom().await;
    let id = pending(&site, article_id, "Okur", "okur@example.com", "Merhaba").await;
    let wrong =
        serde_urlencoded::to_string([("email", "editor@example.com"), ("password", "yanlış parola 123")]).unwrap();
    assert_eq!(site.send("POST", "/yonetim/giris", &[("Origin", &site.origin())], Some(&wrong)).await.status, 401);
    let editor = site.session("editor@example.com").await;
    let asked = site.post_form("/yonetim/yorumlar", &editor, &[("one", &format!("trash:{id}"))]).await;
    assert!(asked.body.contains("1 yorum çöpe atılacak"), "trashing asks first");
    assert_eq!(status_of(&site, id).await, CommentStatus::Pending);
    site.post_form("/yonetim/yorumlar", &editor, &[("one", &format!("trash:{id}")), ("confirm", "1")]).await;
    assert_eq!(status_of(&site, id).await, CommentStatus::Trash);
    let fields = [("headline", "Denetim haberi"), ("category", "Gündem"), ("body", "Metin."), ("action", "publish")];
    assert_eq!(site.post_form("/yonetim/haber/yeni", &editor, &fields).await.status, 303);

    assert_eq!(site.get("/yonetim/kayitlar", Some(&editor)).await.status, 403, "editors do not read the log");
    let admin = site.session("admin@example.com").await;
    let log = site.get("/yonetim/kayitlar", Some(&admin)).await;
    assert_eq!(log.status, 200);
    for expected in [
        "Başarısız giriş denemesi",
        "Giriş yaptı",
        "Yorumu çöpe attı",
        "Haber oluşturdu",
        "Editör Kaya &lt;editor@example.com&gt;",
        "Denetim haberi",
    ] {
        assert!(log.body.contains(expected), "{expected} missing:\n{}", log.body);
    }
    let (entries, _) = site.app.store.audit_entries(None, 100, 0).await.unwrap();
    let codes: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(codes[..4], ["login", "article.create", "comment.trash", "login"], "newest first: {codes:?}");
    assert_eq!(codes[4], "login.failed");
    assert_eq!(entries[4].actor, "editor@example.com");
    assert!(entries[4].ip.is_some());
    let logins = site.get("/yonetim/kayitlar?tur=login", Some(&admin)).await;
    assert!(!logins.body.contains("Yorumu çöpe attı"));
    assert_eq!(site.get("/yonetim/kayitlar?tur=bilinmeyen", Some(&admin)).await.status, 404);
}

#[tokio::test]
async fn an_admin_changes_roles_and_access_and_the_log_says_so() {
    let (site, _) = newsroom().await;
    let admin = site.session("admin@example.com").await;
    let author = site.session("yazar@example.com").await;
    let users = site.app.store.all_users().await.unwrap();
    let id_of = |email: &str| users.iter().find(|(u, _)| u.email == email).unwrap().0.id;
    let (author_id, admin_id) = (id_of("yazar@example.com"), id_of("admin@example.com"));

    assert_eq!(site.get("/yonetim/yorumlar", Some(&author)).await.status, 403);
    let promoted = site
        .post_form(&format!("/yonetim/kullanicilar/{author_id}"), &admin, &[("action", "role"), ("role", "editor")])
        .await;
    assert_eq!(promoted.status, 200);
    assert!(promoted.body.contains("Kullanıcı güncellendi."));
    assert_eq!(site.get("/yonetim/yorumlar", Some(&author)).await.status, 200, "the new role applies at once");

    let asked = site.post_form(&format!("/yonetim/kullanicilar/{author_id}"), &admin, &[("action", "disable")]).await;
    assert!(asked.body.contains("devre dışı bırakılacak"), "disabling asks first: {}", asked.body);
    assert_eq!(site.get("/yonetim", Some(&author)).await.status, 200, "nothing happened yet");
    let disabled = site
        .post_form(&format!("/yonetim/kullanicilar/{author_id}"), &admin, &[("action", "disable"), ("confirm", "1")])
        .await;
    assert_eq!(disabled.status, 200);
    assert_eq!(site.get("/yonetim", Some(&author)).await.status, 303, "the session ended");
    let again = serde_urlencoded::to_string([("email", "yazar@example.com"), ("password", PASSWORD)]).unwrap();
    assert_eq!(site.send("POST", "/yonetim/giris", &[("Origin", &site.origin())], Some(&again)).await.status, 401);

    let own = site
        .post_form(&format!("/yonetim/kullanicilar/{admin_id}"), &admin, &[("action", "role"), ("role", "author")])
        .await;
    assert_eq!(own.status, 409, "no one demotes themselves");
    let editor = site.session("editor@example.com").await;
    assert_eq!(
        site.post_form(&format!("/yonetim/kullanicilar/{author_id}"), &editor, &[("action", "enable")]).await.status,
        403
    );

    let log = site.get("/yonetim/kayitlar?tur=user", Some(&admin)).await;
    assert!(log.body.contains("Kullanıcının rolünü değiştirdi"));
    assert!(log.body.contains("author → editor"));
    assert!(log.body.contains("Kullanıcıyı devre dışı bıraktı"));
}

const ARTICLE: &str = "/haber/bakude-liman-acildi";

/// A reader's comment sent through the article's form, as a browser does.
async fn post_as_reader(site: &Served, name: &str, email: &str, body: &str) {
    site.app.store.set_setting("comments.min_seconds", "0").await.unwrap();
    let token = site.form_token(ARTICLE).await;
    let form = serde_urlencoded::to_string([("comment", body), ("author", name), ("email", email), ("token", &token)])
        .unwrap();
    let reply = site.send("POST", &format!("{ARTICLE}/yorum"), &[("Origin", &site.origin())], Some(&form)).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
}

#[tokio::test]
async fn the_queue_says_why_a_comment_waits_and_marks_a_staff_lookalike() {
    let (site, article_id) = newsroom().await;
    // The editor has answered once: an approved comment under their address.
    let question = pending(&site, article_id, "Okur", "okur@example.com", "Liman ne zaman açılacak?").await;
    let editor = site.session("editor@example.com").await;
    site.post_form(&format!("/yonetim/yorumlar/{question}/yanit"), &editor, &[("body", "Eylülde.")]).await;
    post_as_reader(&site, "Okur", "EDITOR@example.com", "Resmî açıklamamızdır.").await;
    post_as_reader(&site, "editör  kaya", "baska@example.com", "Ben de editörüm.").await;
    post_as_reader(&site, "Yeni Okur", "yeni@example.com", "İlk yorumum.").await;
    let (by_address, by_name, first) = (question + 2, question + 3, question + 4);
    assert_eq!(status_of(&site, by_address).await, CommentStatus::Pending, "the editor's address proves nothing");
    assert_eq!(status_of(&site, by_name).await, CommentStatus::Pending);
    let queue = site.get("/yonetim/yorumlar", Some(&editor)).await;
    let item = |id: i64| queue.between(&format!("id=\"yorum-{id}\""), "moderation__actions").to_owned();
    assert!(item(by_address).contains("Yayın ekibinden birinin e-posta adresi"), "{}", item(by_address));
    assert!(item(by_name).contains("Yayın ekibinden birinin adı"), "{}", item(by_name));
    assert!(item(first).contains("Yeni ya da kanıtlanmamış yorumcu"), "{}", item(first));
    assert!(!item(first).contains("Yayın ekibinden"), "{}", item(first));
    assert!(item(by_address).contains("moderation__reason--staff"), "a lookalike stands out: {}", item(by_address));
}

#[tokio::test]
async fn a_staff_reply_shows_its_role_badge_and_a_reader_named_editor_shows_none() {
    let (site, article_id) = newsroom().await;
    let question = pending(&site, article_id, "Okur", "okur@example.com", "Liman ne zaman açılacak?").await;
    post_as_reader(&site, "Editör", "sahte@example.com", "Ben de bir editörüm, inanın.").await;
    let pretender = question + 1;
    let editor = site.session("editor@example.com").await;
    let admin = site.session("admin@example.com").await;
    let answer = site.post_form(&format!("/yonetim/yorumlar/{question}/yanit"), &editor, &[("body", "Eylülde.")]).await;
    assert_eq!(answer.status, 303);
    site.post_form("/yonetim/yorumlar", &editor, &[("one", &format!("approved:{pretender}"))]).await;
    let second =
        site.post_form(&format!("/yonetim/yorumlar/{pretender}/yanit"), &admin, &[("body", "Değilsiniz.")]).await;
    assert_eq!(second.status, 303);
    let (editors_reply, admins_reply) = (pretender + 1, pretender + 2);

    let page = site.get(ARTICLE, None).await;
    let header = |id: i64| page.between(&format!("id=\"yorum-{id}\""), "</header>").to_owned();
    assert!(header(editors_reply).contains("Editör Kaya"), "{}", header(editors_reply));
    assert!(
        header(editors_reply).contains("<span class=\"comment__badge\">Editör</span>"),
        "{}",
        header(editors_reply)
    );
    assert!(header(admins_reply).contains("<span class=\"comment__badge\">Yönetici</span>"));
    assert!(header(pretender).contains("Editör"), "the reader's chosen name is shown");
    assert!(!header(pretender).contains("comment__badge"), "but no badge: {}", header(pretender));
    assert!(!header(question).contains("comment__badge"));
    assert_eq!(page.body.matches("class=\"comment__badge\"").count(), 2);

    // The comments feed says so where no reader can write: a category.
    let feed = site.get(&format!("{ARTICLE}/yorumlar/rss"), None).await;
    let feed = feed_rs::parser::parse(feed.body.as_bytes()).unwrap();
    let badges: Vec<(String, Vec<String>)> =
        feed.entries.iter().map(|e| (e.id.clone(), e.categories.iter().map(|c| c.term.clone()).collect())).collect();
    let of = |id: i64| &badges.iter().find(|(e, _)| e.ends_with(&format!(":comment:{id}"))).unwrap().1;
    assert_eq!(of(editors_reply), &["Editör".to_owned()]);
    assert_eq!(of(admins_reply), &["Yönetici".to_owned()]);
    assert!(of(pretender).is_empty() && of(question).is_empty());
}
