//! Sitemaps and robots.txt by the rules of sitemaps.org and Google News:
//! paging, `lastmod`, the 48-hour and 1,000-article limits, and nothing a
//! reader may not see. (The XML schemas are checked in the binary's tests.)

use jiff::{SignedDuration, Timestamp};
use manset_core::{ArticleInput, Status};
use quick_xml::events::Event;

use crate::TestApp;
use crate::app::article;

/// Every `<loc>` of a sitemap, as paths on the test site.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|rest| rest[..rest.find("</loc>").unwrap()].strip_prefix("https://haber.example").unwrap().to_owned())
        .collect()
}

/// The text of every `<tag>` element, in order.
fn texts(xml: &str, tag: &str) -> Vec<String> {
    xml.split(&format!("<{tag}>"))
        .skip(1)
        .map(|rest| rest[..rest.find(&format!("</{tag}>")).unwrap()].to_owned())
        .collect()
}

/// Fails unless `xml` is well-formed.
fn well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML at {}: {e}\n{xml}", reader.buffer_position()),
        }
    }
}

fn hours_ago(hours: i64) -> String {
    (Timestamp::now() - SignedDuration::from_hours(hours)).to_string()
}

#[tokio::test]
async fn the_index_pages_articles_in_publication_order() {
    let app = TestApp::with(|site| site.sitemap_urls = 2).await;
    for (i, day) in [5, 1, 3, 2, 4].iter().enumerate() {
        app.import(
            &format!("{i}.md"),
            &article(&format!("Haber {day}"), "Gündem", &format!("2024-06-0{day}T10:00:00+03:00")),
        )
        .await;
    }
    app.import("draft.md", "+++\ntitle = \"Taslak\"\ncategory = \"Gündem\"\ndraft = true\n+++\n").await;
    app.import("later.md", &article("Ambargolu", "Gündem", "2999-01-01T10:00:00+03:00")).await;

    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, 200);
    assert_eq!(index.headers["content-type"], "application/xml; charset=utf-8");
    well_formed(&index.body);
    let children = locs(&index.body);
    assert_eq!(
        children,
        [
            "/sitemap-articles-1.xml",
            "/sitemap-articles-2.xml",
            "/sitemap-articles-3.xml",
            "/sitemap-categories-1.xml",
            "/sitemap-pages-1.xml"
        ],
        "no tags or bylines here, so no tag or author sitemaps"
    );
    // Each page's lastmod is its newest article's; W3C date-times in the site's offset.
    assert_eq!(
        texts(&index.body, "lastmod")[..3],
        ["2024-06-02T10:00:00+03:00", "2024-06-04T10:00:00+03:00", "2024-06-05T10:00:00+03:00"]
    );

    let mut all = Vec::new();
    for child in &children[..3] {
        let page = app.get(child).await;
        assert_eq!(page.status, 200, "{child}");
        well_formed(&page.body);
        assert!(page.body.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        ));
        assert!(locs(&page.body).len() <= 2);
        all.extend(locs(&page.body));
    }
    assert_eq!(all, ["/haber/haber-1", "/haber/haber-2", "/haber/haber-3", "/haber/haber-4", "/haber/haber-5"]);
    assert_eq!(locs(&app.get("/sitemap-categories-1.xml").await.body), ["/kategori/gundem"]);
    assert_eq!(locs(&app.get("/sitemap-pages-1.xml").await.body), ["/"]);

    for missing in [
        "/sitemap-articles-4.xml",
        "/sitemap-articles-0.xml",
        "/sitemap-articles-01.xml",
        "/sitemap-tags-1.xml",
        "/sitemap-foo-1.xml",
    ] {
        assert_eq!(app.get(missing).await.status, 404, "{missing}");
    }
}

#[tokio::test]
async fn tags_and_authors_are_listed_only_with_a_visible_article() {
    let app = TestApp::new().await;
    app.import(
        "a.md",
        "+++\ntitle = \"Görünen\"\ncategory = \"Ekonomi\"\nauthor = \"Elif Demirci\"\ntags = [\"Liman\"]\npublished = 2024-06-28T10:00:00+03:00\nupdated = 2024-06-29T09:00:00+03:00\n+++\n",
    )
    .await;
    app.import(
        "b.md",
        "+++\ntitle = \"Gizli\"\ncategory = \"Gizli Kategori\"\nauthor = \"Gizli Yazar\"\ntags = [\"Gizli Etiket\"]\ndraft = true\n+++\n",
    )
    .await;
    let tags = app.get("/sitemap-tags-1.xml").await;
    assert_eq!(locs(&tags.body), ["/etiket/liman"]);
    // An update moves lastmod; the page says so to crawlers.
    assert_eq!(texts(&tags.body, "lastmod"), ["2024-06-29T09:00:00+03:00"]);
    assert_eq!(locs(&app.get("/sitemap-authors-1.xml").await.body), ["/yazar/elif-demirci"]);
    assert_eq!(locs(&app.get("/sitemap-categories-1.xml").await.body), ["/kategori/ekonomi"]);
    let articles = app.get("/sitemap-articles-1.xml").await;
    assert_eq!(texts(&articles.body, "lastmod"), ["2024-06-29T09:00:00+03:00"]);
}

#[tokio::test]
async fn the_news_sitemap_holds_the_last_48_hours() {
    let app = TestApp::new().await;
    app.import(
        "fresh.md",
        &format!(
            "+++\ntitle = \"Bakü & Tiflis <anlaştı>\"\ncategory = \"Gündem\"\npublished = {}\n+++\n",
            hours_ago(1)
        ),
    )
    .await;
    app.import("edge.md", &article("Kırk yedi saat", "Gündem", &hours_ago(47))).await;
    app.import("old.md", &article("Elli saat", "Gündem", &hours_ago(50))).await;
    app.import("later.md", &article("Ambargolu", "Gündem", "2999-01-01T10:00:00+03:00")).await;
    app.import(
        "draft.md",
        &format!("+++\ntitle = \"Taslak\"\ncategory = \"Gündem\"\ndraft = true\npublished = {}\n+++\n", hours_ago(1)),
    )
    .await;

    let news = app.get("/sitemap-news.xml").await;
    assert_eq!(news.status, 200);
    well_formed(&news.body);
    assert!(news.body.contains(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
    ));
    assert_eq!(locs(&news.body), ["/haber/baku-tiflis-anlasti", "/haber/kirk-yedi-saat"], "newest first");
    assert_eq!(texts(&news.body, "news:name"), ["Kafkas Postası", "Kafkas Postası"]);
    assert_eq!(texts(&news.body, "news:language"), ["tr", "tr"]);
    assert_eq!(texts(&news.body, "news:title")[0], "Bakü &amp; Tiflis &lt;anlaştı&gt;");
    let date = &texts(&news.body, "news:publication_date")[0];
    assert!(date.ends_with("+03:00") && date.len() == 25, "W3C date-time with the offset: {date}");
}

#[tokio::test]
async fn the_news_sitemap_stops_at_1000_articles() {
    let app = TestApp::new().await;
    let now = Timestamp::now();
    for i in 0..1_005 {
        let input = ArticleInput {
            headline: format!("Haber {i}"),
            standfirst: String::new(),
            body: String::new(),
            slug: None,
            category: "Gündem".into(),
            tags: vec![],
            authors: vec![],
            published_at: now - SignedDuration::from_mins(i + 1),
            updated_at: None,
            status: Status::Published,
            sources: vec![],
            seo_title: None,
            seo_description: None,
            correction: None,
            image: None,
            lang: None,
        };
        app.store.save_article(input, None, now).await.unwrap();
    }
    let news = app.get("/sitemap-news.xml").await;
    let urls = locs(&news.body);
    assert_eq!(urls.len(), 1_000);
    assert_eq!(urls[0], "/haber/haber-0");
    assert_eq!(urls[999], "/haber/haber-999");
}

#[tokio::test]
async fn robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_the_newsroom() {
    let app = TestApp::new().await;
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert_eq!(robots.headers["content-type"], "text/plain; charset=utf-8");
    let lines: Vec<&str> = robots.body.lines().collect();
    assert_eq!(lines[0], "User-agent: *");
    assert!(lines.contains(&"Disallow: /yonetim"));
    assert!(lines.contains(&"Sitemap: https://haber.example/sitemap.xml"));
    assert!(lines.contains(&"Sitemap: https://haber.example/sitemap-news.xml"));
    assert!(!robots.body.contains("Disallow: /\n"), "the site itself is open");
}

#[tokio::test]
async fn sitemaps_answer_conditional_requests() {
    let app = TestApp::new().await;
    app.import("a.md", &article("Haber", "Gündem", "2024-06-28T10:00:00+03:00")).await;
    let site = app.serve().await;
    let first = site.get("/sitemap-articles-1.xml", None).await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert_eq!(first.header("last-modified"), Some("Fri, 28 Jun 2024 07:00:00 GMT"));
    let again = site.send("GET", "/sitemap-articles-1.xml", &[("if-none-match", &etag)], None).await;
    assert_eq!(again.status, 304);
}
