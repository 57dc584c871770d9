//! Home, category and tag pages.

use crate::TestApp;
use crate::app::article;

#[tokio::test]
async fn home_page_has_a_lead_the_latest_and_a_block_per_category() {
    let app = TestApp::new().await;
    for (i, category) in ["Gündem", "Ekonomi", "Spor", "Gündem", "Ekonomi"].iter().enumerate() {
        app.import(
            &format!("{i}.md"),
            &article(&format!("Haber {i}"), category, &format!("2024-06-2{i}T10:00:00+03:00")),
        )
        .await;
    }
    let home = app.get("/").await;
    assert_eq!(home.status, 200);
    // The newest article leads.
    let lead = home.between("card--lead", "</article>");
    assert!(lead.contains("/haber/haber-4"), "{lead}");
    assert!(home.has("Son Haberler"));
    assert!(lead.contains("<a class=\"kicker\" href=\"/kategori/ekonomi\">Ekonomi</a>"), "the lead names its category");
    let spor = home.between("id=\"section-spor\"", "</section>");
    assert!(
        spor.contains("/haber/haber-2") && !spor.contains("class=\"kicker\""),
        "a category's block does not repeat its name"
    );
    for (slug, name) in [("gundem", "Gündem"), ("ekonomi", "Ekonomi"), ("spor", "Spor")] {
        assert!(home.has(&format!(
            "<h2 class=\"section-title\" id=\"section-{slug}\"><a href=\"/kategori/{slug}\">{name}</a></h2>"
        )));
        // The menu links every category.
        assert!(home.has(&format!("<li><a href=\"/kategori/{slug}\">{name}</a></li>")));
    }
}

#[tokio::test]
async fn an_empty_site_says_so_instead_of_failing() {
    let app = TestApp::new().await;
    let home = app.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.has("Burada henüz yayımlanmış haber yok."));
}

#[tokio::test]
async fn category_pages_list_newest_first_across_pages() {
    let app = TestApp::with(|site| site.per_page = 5).await;
    for day in 10..22 {
        app.import(
            &format!("{day}.md"),
            &article(&format!("Ekonomi haberi {day}"), "Ekonomi", &format!("2024-06-{day}T10:00:00+03:00")),
        )
        .await;
    }
    app.import("other.md", &article("Spor haberi", "Spor", "2024-06-25T10:00:00+03:00")).await;

    let first = app.get("/kategori/ekonomi").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.count("<h1"), 1);
    assert!(first.has("<h1 class=\"list-header__title\">Ekonomi</h1>"));
    assert!(first.has("<title>Ekonomi Haberleri – Kafkas Postası</title>"));
    assert_eq!(first.count("class=\"card\""), 5);
    assert!(!first.has("class=\"kicker\""), "nor its cards the category's name again");
    assert!(first.pos("ekonomi-haberi-21") < first.pos("ekonomi-haberi-20"));
    assert!(!first.has("spor-haberi"));
    assert!(first.has("Sayfa 1 / 3"));
    assert!(first.has("<a class=\"pagination__link\" rel=\"next\" href=\"/kategori/ekonomi?sayfa=2\">"));

    let last = app.get("/kategori/ekonomi?sayfa=3").await;
    assert_eq!(last.status, 200);
    assert_eq!(last.count("class=\"card\""), 2);
    assert!(last.has("ekonomi-haberi-10"));
    assert!(last.has("rel=\"prev\" href=\"/kategori/ekonomi?sayfa=2\""));
    assert!(!last.has("rel=\"next\""));

    for missing in
        ["/kategori/ekonomi?sayfa=4", "/kategori/ekonomi?sayfa=0", "/kategori/ekonomi?sayfa=iki", "/kategori/yok"]
    {
        assert_eq!(app.get(missing).await.status, 404, "{missing}");
    }
}

#[tokio::test]
async fn tag_pages_list_the_tagged_articles() {
    let app = TestApp::new().await;
    app.import(
        "a.md",
        &manset_testkit::filler_file("Bakü’de enerji", "Ekonomi", "2024-06-20T10:00:00+03:00", &["Bakü", "Enerji"]),
    )
    .await;
    app.import(
        "b.md",
        &manset_testkit::filler_file("Bakü’de festival", "Kültür", "2024-06-21T10:00:00+03:00", &["Bakü"]),
    )
    .await;
    app.import(
        "c.md",
        &manset_testkit::filler_file("Tiflis’te festival", "Kültür", "2024-06-22T10:00:00+03:00", &["Tiflis"]),
    )
    .await;
    let page = app.get("/etiket/baku").await;
    assert_eq!(page.status, 200);
    assert!(page.has("<h1 class=\"list-header__title\">#Bakü</h1>"));
    assert!(page.pos("bakude-festival") < page.pos("bakude-enerji"));
    assert!(!page.has("tifliste-festival"));
    assert_eq!(app.get("/etiket/yok").await.status, 404);
}
