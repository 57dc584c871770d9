//! Search through the reading site: what the newsroom publishes is found at
//! once, readers' odd queries never fail, results are marked and filtered,
//! and related articles are alike by their words.

use jiff::{SignedDuration, Timestamp};
use manset_core::Role;

use crate::TestApp;
use crate::app::{PASSWORD, article};

/// The article addresses on a results page, in order.
fn results(body: &str) -> Vec<String> {
    let list = match body.find("<ol class=\"search-results\">") {
        Some(at) => &body[at..body[at..].find("</ol>").map_or(body.len(), |e| at + e)],
        None => return Vec::new(),
    };
    list.split("<h2 class=\"card__headline\"><a href=\"/haber/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

fn story(title: &str, category: &str, published: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ncategory = \"{category}\"\npublished = {published}\n+++\n\n{body}\n")
}

#[tokio::test]
async fn what_the_newsroom_publishes_is_found_at_once_and_what_it_withdraws_is_not() {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    app.store.create_user("editor@example.com", "Editör", Role::Editor, &hash, Timestamp::now()).await.unwrap();
    let site = app.serve().await;
    let editor = site.session("editor@example.com").await;
    let fields = [
        ("headline", "Aliyev, O’Brien ile görüştü"),
        ("category", "Diplomasi"),
        ("body", "Görüşmede Orta Koridor ve bölgesel barış ele alındı."),
        ("action", "publish"),
    ];
    let saved = site.post_form("/yonetim/haber/yeni", &editor, &fields).await;
    assert_eq!(saved.status, 303);
    let id =
        saved.header("location").unwrap().trim_start_matches("/yonetim/haber/").split('?').next().unwrap().to_owned();
    for query in ["gorustu", "GÖRÜŞTÜ", "obrien", "O'Brien'ın", "Aliyev'in", "orta koridor"] {
        let page = site.get(&format!("/ara?q={}", crate::app::encode(query)), None).await;
        assert_eq!(results(&page.body), ["aliyev-obrien-ile-gorustu"], "{query}");
    }
    let withdrawn = site
        .post_form(
            &format!("/yonetim/haber/{id}"),
            &editor,
            &[
                ("headline", "Aliyev, O’Brien ile görüştü"),
                ("category", "Diplomasi"),
                ("action", "unpublish"),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(withdrawn.status, 303);
    assert!(results(&site.get("/ara?q=gorustu", None).await.body).is_empty());

    // A scheduled article is found from its second on, not before.
    let later = jiff::tz::TimeZone::get("Europe/Istanbul")
        .unwrap()
        .to_datetime(Timestamp::now() + SignedDuration::from_hours(2));
    let at = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        later.year(),
        later.month(),
        later.day(),
        later.hour(),
        later.minute()
    );
    let fields = [
        ("headline", "Ambargolu seçim anketi"),
        ("category", "Gündem"),
        ("body", "Anket sonuçları."),
        ("publish_at", at.as_str()),
        ("action", "publish"),
    ];
    assert_eq!(site.post_form("/yonetim/haber/yeni", &editor, &fields).await.status, 303);
    assert!(results(&site.get("/ara?q=anket", None).await.body).is_empty());
}

#[tokio::test]
async fn results_are_marked_filtered_ordered_and_paged() {
    let app = TestApp::with(|_| {}).await;
    app.import(
        "a.md",
        &story(
            "Bakü’de liman genişliyor",
            "Ekonomi",
            "2024-06-20T10:00:00+03:00",
            "Limanın kapasitesi Orta Koridor için artıyor.",
        ),
    )
    .await;
    app.import(
        "b.md",
        &story("Tiflis’te liman tartışması", "Gündem", "2024-06-25T10:00:00+03:00", "Liman ihalesi meclise taşındı."),
    )
    .await;
    for i in 0..11 {
        app.import(
            &format!("c{i}.md"),
            &story(
                &format!("Liman haberi {i}"),
                "Ekonomi",
                &format!("2024-05-{:02}T10:00:00+03:00", i + 1),
                "Limanda yoğunluk.",
            ),
        )
        .await;
    }
    let site = app.serve().await;
    let page = site.get("/ara?q=liman", None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<meta name=\"robots\" content=\"noindex, follow\">"));
    assert!(page.body.contains("13 sonuç"), "{}", page.body);
    assert_eq!(results(&page.body).len(), 10);
    assert!(page.body.contains("<mark>"), "snippets mark the words");
    let second = site.get("/ara?q=liman&kategori=&baslangic=&bitis=&sira=&sayfa=2", None).await;
    assert_eq!(results(&second.body).len(), 3);

    let economy = site.get("/ara?q=liman&kategori=gundem", None).await;
    assert_eq!(results(&economy.body), ["tifliste-liman-tartismasi"]);
    let june = site.get("/ara?q=liman&baslangic=2024-06-01&bitis=2024-06-21", None).await;
    assert_eq!(results(&june.body), ["bakude-liman-genisliyor"]);
    let newest = site.get("/ara?q=liman&sira=yeni", None).await;
    assert_eq!(results(&newest.body)[..2], ["tifliste-liman-tartismasi", "bakude-liman-genisliyor"]);
    let phrase = site.get("/ara?q=%22Orta+Koridor%22", None).await;
    assert_eq!(results(&phrase.body), ["bakude-liman-genisliyor"]);
}

#[tokio::test]
async fn odd_queries_are_read_plainly_and_never_fail() {
    let app = TestApp::new().await;
    app.import("a.md", &article("Bakü’de zirve", "Gündem", "2024-06-28T10:00:00+03:00")).await;
    let site = app.serve().await;
    for q in
        ["", "%20%20", "%22", "%22%22%22", "AND+OR+NOT", "((((", "title%3Ax%5E3", "*", "-+%2B+~", "%00%01", "%E2%80%9C"]
    {
        let page = site.get(&format!("/ara?q={q}"), None).await;
        assert_eq!(page.status, 200, "{q}");
    }
    let long = "ş".repeat(500);
    let page = site.get(&format!("/ara?q={}", crate::app::encode(&long)), None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("ilk 200 karakteri kullanıldı"));
    let none = site.get("/ara?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", None).await;
    assert_eq!(none.status, 200);
    assert!(!none.body.contains("<script>alert"), "the query is shown as text");
    assert!(none.body.contains("Aradığınız sözcüklerle bir haber bulunamadı."));
    assert!(none.body.contains("Bakü’de zirve"), "something to read instead");
    let bad_date = site.get("/ara?q=zirve&baslangic=dün", None).await;
    assert!(bad_date.body.contains("Tarihlerden biri okunamadı"));
    assert_eq!(results(&bad_date.body), ["bakude-zirve"]);
}

/// `/ara?q=zzzqqqxx&sayfa=100000000000` once asked the index for room for
/// 2×10^13 hits and the allocation aborted the server.
#[tokio::test]
async fn pages_past_the_last_result_do_not_exist_and_cost_nothing() {
    let app = TestApp::new().await;
    app.import("a.md", &story("Enerji zirvesi", "Ekonomi", "2026-01-05T09:00:00+03:00", "Bakü’de enerji.")).await;
    assert_eq!(app.get("/ara?q=enerji").await.status, 200);
    assert_eq!(app.get("/ara?q=zzzqqqxx").await.status, 200, "a search that finds nothing is a page saying so");
    for page in ["2", "1000", "100000000000", "18446744073709551615", "1000000000000000000000000000000", "0", "-1"] {
        for q in ["enerji", "zzzqqqxx"] {
            let reply = app.get(&format!("/ara?q={q}&sayfa={page}")).await;
            assert_eq!(reply.status, 404, "page {page} of {q}");
            assert!(reply.body.contains("<!doctype html>"), "the themed page");
        }
    }
}

#[tokio::test]
async fn related_articles_are_alike_by_their_words() {
    let app = TestApp::new().await;
    app.import(
        "a.md",
        &story(
            "Orta Koridor’da demiryolu yükü arttı",
            "Ekonomi",
            "2024-06-28T10:00:00+03:00",
            "Bakü Tiflis Kars demiryolu hattında yük taşımacılığı rekor kırdı.",
        ),
    )
    .await;
    app.import(
        "b.md",
        &story(
            "Kars demiryolu hattına yeni vagonlar",
            "Gündem",
            "2024-06-20T10:00:00+03:00",
            "Bakü Tiflis Kars demiryolu hattı için yeni yük vagonları geldi.",
        ),
    )
    .await;
    app.import(
        "c.md",
        &story(
            "Borsa güne yükselişle başladı",
            "Ekonomi",
            "2024-06-27T10:00:00+03:00",
            "Endeks açılışta yüzde bir değer kazandı.",
        ),
    )
    .await;
    app.import(
        "d.md",
        &story("Futbolda transfer dönemi", "Spor", "2024-06-26T10:00:00+03:00", "Kulüpler yeni oyuncular arıyor."),
    )
    .await;
    let site = app.serve().await;
    let page = site.get("/haber/orta-koridorda-demiryolu-yuku-artti", None).await;
    let related = &page.body[page.body.find("class=\"related\"").unwrap()..];
    let (alike, same_category) = (
        related.find("Kars demiryolu hattına yeni vagonlar").unwrap(),
        related.find("Borsa güne yükselişle başladı").unwrap(),
    );
    assert!(alike < same_category, "the article about the same thing comes first, though in another category");
    assert!(!related.contains("Orta Koridor’da demiryolu yükü arttı"), "never itself");

    // Computed once, then kept until the index changes: a new article like it shows up.
    site.app
        .import(
            "e.md",
            &story(
                "Kars demiryolu hattında sefer sayısı arttı",
                "Spor",
                "2024-06-21T10:00:00+03:00",
                "Bakü Tiflis Kars demiryolu hattında yük seferleri arttı.",
            ),
        )
        .await;
    let page = site.get("/haber/orta-koridorda-demiryolu-yuku-artti", None).await;
    assert!(
        page.body[page.body.find("class=\"related\"").unwrap()..]
            .contains("Kars demiryolu hattında sefer sayısı arttı")
    );
}

#[tokio::test]
async fn a_quiet_site_does_not_rewrite_its_index() {
    let app = TestApp::new().await;
    app.import("a.md", &article("Sessiz gün", "Gündem", "2024-06-28T10:00:00+03:00")).await;
    // The catch-up that runs every few seconds reads the second of its last
    // read once more (saves share seconds), then nothing: no commit, no churn.
    // The log's seconds are the database's own, so this waits for one to
    // pass, looking every 100 ms.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let indexed = app.state.catch_up_search().await.unwrap();
        assert!(indexed <= 1, "only the one new article, read again: {indexed}");
        if indexed == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the catch-up never settled");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.state.catch_up_search().await.unwrap(), 0);
    app.import("b.md", &article("Yeni haber", "Gündem", "2024-06-28T11:00:00+03:00")).await;
    let site = app.serve().await;
    assert_eq!(results(&site.get("/ara?q=yeni", None).await.body), ["yeni-haber"]);
}

#[tokio::test]
async fn an_article_in_another_language_is_searched_and_declared_in_it() {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    app.store.create_user("admin@example.com", "Yönetici", Role::Admin, &hash, Timestamp::now()).await.unwrap();
    app.import(
        "tr.md",
        &story("Bakanlarla görüştü", "Diplomasi", "2024-06-28T10:00:00+03:00", "Aliyev bakanlarla Bakü’de görüştü."),
    )
    .await;
    let site = app.serve().await;
    let admin = site.session("admin@example.com").await;
    let fields = [
        ("headline", "Ministers meeting in Baku"),
        ("category", "Diplomasi"),
        ("body", "Studies of the corridor were discussed by the ministers."),
        ("lang", "en"),
        ("action", "publish"),
    ];
    let saved = site.post_form("/yonetim/haber/yeni", &admin, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let editor = site.get(saved.header("location").unwrap(), Some(&admin)).await;
    assert!(editor.body.contains("<option value=\"en\" selected>English</option>"), "the editor shows the choice");

    // English stemming for the English article (`meets`, `study`), Turkish for the other (`bakanın`).
    assert_eq!(results(&site.get("/ara?q=meets", None).await.body), ["ministers-meeting-in-baku"]);
    assert_eq!(results(&site.get("/ara?q=study", None).await.body), ["ministers-meeting-in-baku"]);
    assert_eq!(results(&site.get("/ara?q=bakan%C4%B1n", None).await.body), ["bakanlarla-gorustu"]);

    // The page speaks Turkish around an English text, and says so.
    let page = site.get("/haber/ministers-meeting-in-baku", None).await;
    assert!(page.body.contains("<html lang=\"tr\">"));
    assert!(page.body.contains("<div class=\"article__body\" lang=\"en\">"), "the text's own language");
    assert!(page.body.contains("<h1 class=\"article__headline\" lang=\"en\">"));
    assert!(page.body.contains("\"inLanguage\":\"en\""));
    assert!(page.body.contains("content=\"en_US\""), "og:locale");
    let turkish = site.get("/haber/bakanlarla-gorustu", None).await;
    assert!(turkish.body.contains("<div class=\"article__body\">"), "no lang where it is the site's");
    let news = site.get("/sitemap-news.xml", None).await;
    assert!(news.body.contains("<news:language>en</news:language>"), "{}", news.body);

    // A language we cannot analyze is refused, in Turkish, and nothing is saved.
    let refused = site
        .post_form(
            "/yonetim/haber/yeni",
            &admin,
            &[("headline", "Ein Artikel"), ("category", "Diplomasi"), ("lang", "de"), ("action", "publish")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Makalenin dili"), "{}", refused.body);
    assert!(results(&site.get("/ara?q=artikel", None).await.body).is_empty());

    // The site becomes English: the article that named no language is analyzed anew, before the answer.
    let body = serde_urlencoded::to_string([("site.lang", "en")]).unwrap();
    let changed =
        site.send("POST", "/yonetim/ayarlar", &[("Origin", &site.origin()), ("Cookie", &admin)], Some(&body)).await;
    assert_eq!(changed.status, 303);
    assert!(results(&site.get("/ara?q=bakan%C4%B1n", None).await.body).is_empty(), "no Turkish stemming now");
    assert_eq!(results(&site.get("/ara?q=bakanlarla", None).await.body), ["bakanlarla-gorustu"]);
    assert_eq!(results(&site.get("/ara?q=meets", None).await.body), ["ministers-meeting-in-baku"]);
}

#[tokio::test]
async fn a_renamed_tag_finds_its_articles_by_the_new_name_at_once_and_a_deleted_one_no_more() {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    app.store.create_user("editor@example.com", "Editör", Role::Editor, &hash, Timestamp::now()).await.unwrap();
    app.import(
        "liman.md",
        "+++\ntitle = \"Bakü’de yeni dönem\"\ncategory = \"Ekonomi\"\ntags = [\"Liman\"]\n\
         published = 2024-06-20T10:00:00+03:00\n+++\n\nGemiler yanaştı.\n",
    )
    .await;
    let site = app.serve().await;
    let editor = site.session("editor@example.com").await;
    let found = |q: &'static str| {
        let site = &site;
        async move { results(&site.get(&format!("/ara?q={}", crate::app::encode(q)), None).await.body) }
    };
    assert_eq!(found("liman").await, ["bakude-yeni-donem"], "found by its tag");
    assert!(found("rıhtım").await.is_empty(), "no article says rıhtım yet");

    let tag = site.app.store.tag_by_slug("liman").await.unwrap().unwrap().id;
    let renamed = site.post_form(&format!("/yonetim/etiketler/{tag}"), &editor, &[("name", "Rıhtım")]).await;
    assert_eq!(renamed.status, 303);
    assert_eq!(found("rıhtım").await, ["bakude-yeni-donem"], "by the tag's new name, in the next request");
    assert!(found("liman").await.is_empty(), "and no more by the old one");

    let delete = [("action", "delete"), ("confirm", "1")];
    let deleted = site.post_form(&format!("/yonetim/etiketler/{tag}"), &editor, &delete).await;
    assert_eq!(deleted.status, 303);
    assert!(found("rıhtım").await.is_empty(), "a deleted tag finds nothing");
}
