//! The newsroom's desk (counts, review and schedule), its article list with
//! filters, search and pages, and categories and tags kept by editors.

use jiff::{SignedDuration, Timestamp};
use manset_core::{ArticleInput, Role, Status};

use crate::TestApp;
use crate::app::{PASSWORD, Served};

pub(crate) fn input(
    headline: &str,
    category: &str,
    author: &str,
    status: Status,
    published_at: Timestamp,
) -> ArticleInput {
    ArticleInput {
        headline: headline.into(),
        standfirst: String::new(),
        body: "Metin.".into(),
        slug: None,
        category: category.into(),
        tags: vec!["Liman".into()],
        authors: vec![author.into()],
        published_at,
        updated_at: None,
        status,
        sources: vec![],
        seo_title: None,
        seo_description: None,
        correction: None,
        image: None,
        lang: None,
    }
}

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    let now = Timestamp::now();
    let day = SignedDuration::from_hours(24);
    let s = &app.store;
    s.save_article(input("İSTANBUL’DA TRAFİK", "Gündem", "Ayşe Yılmaz", Status::Published, now - day), None, now)
        .await
        .unwrap();
    s.save_article(input("Bakü’de liman", "Ekonomi", "Mehmet Kaya", Status::Published, now - day * 2), None, now)
        .await
        .unwrap();
    s.save_article(input("Yarınki maç", "Spor", "Ayşe Yılmaz", Status::Published, now + day), None, now).await.unwrap();
    s.save_article(input("Taslak haber", "Gündem", "Mehmet Kaya", Status::Draft, now), None, now).await.unwrap();
    s.save_article(input("Onay bekleyen haber", "Ekonomi", "Ayşe Yılmaz", Status::Review, now), None, now)
        .await
        .unwrap();
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, role) in [("yazar@example.com", Role::Author), ("editor@example.com", Role::Editor)] {
        app.store.create_user(email, "Ekip", role, &hash, now).await.unwrap().unwrap();
    }
    // As a running server does within seconds of a write from elsewhere.
    app.state.catch_up_search().await.unwrap();
    app.serve().await
}

/// The headlines in the desk's table, in order (none without a table).
pub(crate) fn listed(body: &str) -> Vec<String> {
    let table = &body[body.find("<tbody>").unwrap_or(body.len())..];
    table
        .split("<td><a href=\"/yonetim/haber/")
        .skip(1)
        .map(|row| {
            let start = row.find('>').unwrap() + 1;
            row[start..start + row[start..].find('<').unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_desk_shows_what_waits_and_the_list_filters_and_searches() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let desk = site.get("/yonetim", Some(&editor)).await;
    assert_eq!(desk.status, 200);
    for count in [
        "<span class=\"desk__count\">1</span> Onay bekliyor",
        "<span class=\"desk__count\">1</span> Zamanlanmış",
        "<span class=\"desk__count\">2</span> Yayında",
    ] {
        assert!(desk.body.contains(count), "{count}");
    }
    assert!(desk.body.contains("Onay bekleyen haberler") && desk.body.contains("Zamanlanmış haberler"));
    assert_eq!(listed(&desk.body).len(), 5);

    assert_eq!(listed(&site.get("/yonetim?durum=scheduled", Some(&editor)).await.body), ["Yarınki maç"]);
    assert_eq!(
        listed(&site.get("/yonetim?durum=published", Some(&editor)).await.body),
        ["İSTANBUL’DA TRAFİK", "Bakü’de liman"]
    );
    let economy = site.app.store.category_by_slug("ekonomi").await.unwrap().unwrap().id;
    let by_category = site.get(&format!("/yonetim?kategori={economy}"), Some(&editor)).await;
    assert_eq!(listed(&by_category.body), ["Onay bekleyen haber", "Bakü’de liman"]);
    let authors = site.app.store.authors().await.unwrap();
    let mehmet = authors.iter().find(|a| a.name == "Mehmet Kaya").unwrap().id;
    assert_eq!(
        listed(&site.get(&format!("/yonetim?yazar={mehmet}&durum=draft"), Some(&editor)).await.body),
        ["Taslak haber"]
    );
    // Turkish capitals and dotted İ: the search folds like addresses do.
    assert_eq!(listed(&site.get("/yonetim?ara=istanbul", Some(&editor)).await.body), ["İSTANBUL’DA TRAFİK"]);
    assert_eq!(listed(&site.get("/yonetim?ara=Bak%C3%BC", Some(&editor)).await.body), ["Bakü’de liman"]);
    assert_eq!(site.get("/yonetim?durum=silinmis", Some(&editor)).await.status, 404);
}

#[tokio::test]
async fn the_list_pages_through_many_articles() {
    let site = newsroom().await;
    let now = Timestamp::now();
    for i in 0..55 {
        let at = now - SignedDuration::from_hours(48 + i);
        site.app
            .store
            .save_article(input(&format!("Arşiv {i}"), "Arşiv", "Arşivci", Status::Published, at), None, now)
            .await
            .unwrap();
    }
    let editor = site.session("editor@example.com").await;
    let first = site.get("/yonetim?durum=published", Some(&editor)).await;
    assert_eq!(listed(&first.body).len(), 50);
    assert!(first.body.contains("57 haber"));
    let second = site.get("/yonetim?durum=published&kategori=&yazar=&ara=&sayfa=2", Some(&editor)).await;
    assert_eq!(listed(&second.body).len(), 7);
}

#[tokio::test]
async fn a_renamed_category_keeps_its_old_address_and_a_used_one_is_not_deleted() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let gundem = site.app.store.category_by_slug("gundem").await.unwrap().unwrap().id;
    let list = site.get("/yonetim/kategoriler", Some(&editor)).await;
    assert!(list.body.contains("value=\"Gündem\""));
    let renamed = site
        .post_form(
            &format!("/yonetim/kategoriler/{gundem}"),
            &editor,
            &[("name", "Güncel"), ("slug", "guncel"), ("position", "1")],
        )
        .await;
    assert_eq!(renamed.status, 303);
    let old = site.get("/kategori/gundem", None).await;
    assert_eq!((old.status, old.header("location")), (308, Some("/kategori/guncel")));
    let feed = site.get("/kategori/gundem/rss", None).await;
    assert_eq!((feed.status, feed.header("location")), (308, Some("/kategori/guncel/rss")));
    assert!(site.get("/kategori/guncel", None).await.body.contains("Güncel"));

    let asked = site.post_form(&format!("/yonetim/kategoriler/{gundem}"), &editor, &[("action", "delete")]).await;
    assert!(asked.status == 200 && asked.body.contains("Bu kategori silinecek"), "deleting asks first");
    let delete = [("action", "delete"), ("confirm", "1")];
    let refused = site.post_form(&format!("/yonetim/kategoriler/{gundem}"), &editor, &delete).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("Bu kategoride haberler var"));
    let taken = site.post_form("/yonetim/kategoriler", &editor, &[("name", "Ekonomi")]).await;
    assert_eq!(taken.status, 409);
    assert_eq!(site.post_form("/yonetim/kategoriler", &editor, &[("name", "Dünya")]).await.status, 303);

    let liman = site.app.store.tag_by_slug("liman").await.unwrap().unwrap().id;
    let tags = site.get("/yonetim/etiketler", Some(editor.as_str())).await;
    assert_eq!(tags.status, 200);
    assert!(tags.body.contains("Liman"), "the tag list shows the tag");
    assert_eq!(site.post_form(&format!("/yonetim/etiketler/{liman}"), &editor, &delete).await.status, 303);
    assert_eq!(site.get("/etiket/liman", None).await.status, 404);
    assert!(!site.get("/haber/bakude-liman", None).await.body.contains("/etiket/liman"), "taken off its articles");

    let (log, _) = site.app.store.audit_entries(None, 20, 0).await.unwrap();
    let codes: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(
        codes.contains(&"category.rename") && codes.contains(&"category.create") && codes.contains(&"tag.delete"),
        "{codes:?}"
    );

    let author = site.session("yazar@example.com").await;
    assert_eq!(site.get("/yonetim/kategoriler", Some(&author)).await.status, 403);
    assert_eq!(site.post_form("/yonetim/etiketler", &author, &[("name", "Yeni")]).await.status, 403);
}

/// A contributor or author once saw every headline on the desk, embargoed
/// stories and others' drafts included.
#[tokio::test]
async fn members_who_may_not_edit_others_see_only_their_own_and_what_is_public() {
    let site = newsroom().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    site.app
        .store
        .create_user("muhabir@example.com", "Muhabir", Role::Contributor, &hash, Timestamp::now())
        .await
        .unwrap()
        .unwrap();
    let reporter = site.session("muhabir@example.com").await;
    let fields = [("headline", "Muhabirin taslağı"), ("category", "Gündem"), ("body", "Metin."), ("action", "save")];
    assert_eq!(site.post_form("/yonetim/haber/yeni", &reporter, &fields).await.status, 303);
    let secret = ["Yarınki maç", "Taslak haber", "Onay bekleyen haber"];
    for (email, cookie) in
        [("muhabir@example.com", reporter.clone()), ("yazar@example.com", site.session("yazar@example.com").await)]
    {
        for path in [
            "/yonetim",
            "/yonetim?durum=scheduled",
            "/yonetim?durum=draft",
            "/yonetim?durum=review",
            "/yonetim?ara=haber",
        ] {
            let desk = site.get(path, Some(&cookie)).await;
            assert_eq!(desk.status, 200);
            for headline in secret {
                assert!(!desk.body.contains(headline), "{email} sees “{headline}” at {path}");
            }
        }
        let desk = site.get("/yonetim", Some(&cookie)).await;
        assert!(desk.body.contains("Bakü’de liman"), "{email}: published stories are there");
    }
    let own = site.get("/yonetim", Some(&reporter)).await;
    assert!(own.body.contains("Muhabirin taslağı"), "their own draft is there");
    let editor = site.get("/yonetim", Some(&site.session("editor@example.com").await)).await;
    for headline in secret.iter().chain(&["Muhabirin taslağı"]) {
        assert!(editor.body.contains(headline), "an editor sees “{headline}”");
    }
}

#[tokio::test]
async fn thousands_of_tags_are_searched_paged_and_merged_with_their_addresses_kept() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let now = Timestamp::now();
    for i in 0..230 {
        site.app
            .store
            .save_taxonomy(manset_store::Taxonomy::Tag, None, &format!("Konu {i:03}"), None, 0, now)
            .await
            .unwrap();
    }
    let first = site.get("/yonetim/etiketler", Some(&editor)).await;
    assert!(first.body.contains("231 etiket"), "every tag counted, Liman too");
    assert_eq!(first.body.matches("name=\"action\" value=\"merge\"").count(), 100, "a hundred a page");
    let third = site.get("/yonetim/etiketler?ara=&sayfa=3", Some(&editor)).await;
    assert_eq!(third.body.matches("name=\"action\" value=\"merge\"").count(), 31);
    // Searched as addresses fold: capitals, dotted İ, no diacritics needed.
    let found = site.get("/yonetim/etiketler?ara=KONU%2012", Some(&editor)).await;
    assert!(found.body.contains(">10 etiket<"), "Konu 120 to 129");
    assert!(found.body.contains("value=\"Konu 120\"") && !found.body.contains("value=\"Konu 200\""));

    // "Bakü limanı" and "Liman" are one subject: merge the first into the second.
    let s = &site.app.store;
    s.save_article(input("Limanda grev", "Gündem", "Ayşe Yılmaz", Status::Published, now), None, now).await.unwrap();
    let mut both = input("İki etiketli", "Gündem", "Ayşe Yılmaz", Status::Published, now);
    both.tags = vec!["Liman".into(), "Limanlar".into()];
    s.save_article(both, None, now).await.unwrap();
    let mut plural = input("Limanlar haberi", "Gündem", "Ayşe Yılmaz", Status::Draft, now);
    plural.tags = vec!["Limanlar".into()];
    s.save_article(plural, None, now).await.unwrap();
    let limanlar = s.tag_by_slug("limanlar").await.unwrap().unwrap().id;
    // An old address of the merged tag must follow it too.
    s.save_taxonomy(manset_store::Taxonomy::Tag, Some(limanlar), "Limanlar", Some("liman-haberleri"), 0, now)
        .await
        .unwrap();
    let path = format!("/yonetim/etiketler/{limanlar}");
    let asked = site.post_form(&path, &editor, &[("action", "merge"), ("into", "liman")]).await;
    assert!(asked.body.contains("Bu etiket «liman» etiketine katılacak"), "{}", asked.body);
    let unknown = site.post_form(&path, &editor, &[("action", "merge"), ("into", "Yok böyle"), ("confirm", "1")]).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("Katılacak etiket bulunamadı"));
    let merged = site.post_form(&path, &editor, &[("action", "merge"), ("into", "LİMAN"), ("confirm", "1")]).await;
    assert_eq!(merged.status, 303);
    let after = site.get(merged.header("location").unwrap(), Some(&editor)).await;
    assert!(after.body.contains("Etiketler birleştirildi: 2 haber"), "{}", after.body);
    for old in ["/etiket/limanlar", "/etiket/liman-haberleri"] {
        let reply = site.get(old, None).await;
        assert_eq!((reply.status, reply.header("location")), (308, Some("/etiket/liman")), "{old}");
    }
    let tag_page = site.get("/etiket/liman", None).await;
    assert!(tag_page.body.contains("İki etiketli") && tag_page.body.contains("Limanda grev"));
    assert_eq!(tag_page.body.matches("İki etiketli").count(), 1, "an article that had both carries the tag once");
    let draft = s.newsroom_list(&manset_store::NewsroomFilter::default(), now, 50, 0).await.unwrap().0;
    let id = draft.iter().find(|a| a.headline == "Limanlar haberi").unwrap().id;
    assert_eq!(s.editable_article(id).await.unwrap().unwrap().input.tags, ["Liman"], "drafts too");
    let same = site
        .post_form(
            &format!("/yonetim/etiketler/{}", s.tag_by_slug("liman").await.unwrap().unwrap().id),
            &editor,
            &[("action", "merge"), ("into", "Liman"), ("confirm", "1")],
        )
        .await;
    assert_eq!(same.status, 422);
}
