//! Feeds, parsed back with feed-rs and checked field by field.

use feed_rs::model::FeedType;
use jiff::Timestamp;

use crate::TestApp;
use crate::app::{Served, article};

async fn site() -> Served {
    let app = TestApp::new().await;
    app.import(
        "a.md",
        "+++\ntitle = \"Bakü’de enerji & ticaret\"\nstandfirst = \"Spot <önemli>.\"\ncategory = \"Ekonomi\"\n\
         tags = [\"Bakü\", \"Enerji\"]\nauthors = [\"Ayşe Yılmaz\", \"Mehmet Kaya\"]\npublished = 2024-06-28T12:30:00+03:00\n\
         [source]\nname = \"Kafkas Ajansı\"\nurl = \"https://example.org/ajans\"\n+++\nGövde **kalın** metin.\n",
    )
    .await;
    app.import("b.md", &article("Tiflis’te festival", "Kültür", "2024-06-27T10:00:00+03:00")).await;
    app.import("draft.md", "+++\ntitle = \"Taslak\"\ncategory = \"Ekonomi\"\ndraft = true\n+++\nx\n").await;
    app.import("future.md", &article("Ambargolu", "Ekonomi", "2999-01-01T10:00:00+03:00")).await;
    app.serve().await
}

fn parse(body: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|e| panic!("feed does not parse: {e}\n{body}"))
}

#[tokio::test]
async fn the_site_rss_feed_carries_every_field() {
    let site = site().await;
    let reply = site.get("/rss", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/rss+xml; charset=utf-8"));
    assert!(reply.header("etag").is_some() && reply.header("last-modified").is_some());
    assert!(reply.body.contains("<pubDate>Fri, 28 Jun 2024 12:30:00 +0300</pubDate>"), "English RFC 822 dates");
    assert!(
        reply
            .body
            .contains("<atom:link href=\"https://haber.example/rss\" rel=\"self\" type=\"application/rss+xml\"/>")
    );
    assert!(!reply.body.contains('@'), "no e-mail address, not even an author one");
    let feed = parse(&reply.body);
    assert_eq!(feed.feed_type, FeedType::RSS2);
    assert_eq!(feed.title.unwrap().content, "Kafkas Postası");
    assert_eq!(feed.language.as_deref(), Some("tr"));
    assert_eq!(feed.entries.len(), 2, "drafts and embargoed articles never appear");
    let e = &feed.entries[0];
    assert_eq!(e.title.as_ref().unwrap().content, "Bakü’de enerji & ticaret");
    assert_eq!(e.links[0].href, "https://haber.example/haber/bakude-enerji-ticaret");
    assert_eq!(e.id, "tag:haber.example,2024:article:1");
    assert_eq!(e.published.unwrap().to_rfc3339(), "2024-06-28T09:30:00+00:00");
    assert_eq!(e.summary.as_ref().unwrap().content, "Spot <önemli>.");
    assert!(e.content.as_ref().unwrap().body.as_ref().unwrap().contains("<strong>kalın</strong>"), "full text");
    let categories: Vec<&str> = e.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(categories, ["Ekonomi", "Bakü", "Enerji"]);
    assert!(reply.body.contains("<dc:creator>Ayşe Yılmaz</dc:creator>\n<dc:creator>Mehmet Kaya</dc:creator>"));
    assert!(reply.body.contains("<source url=\"https://example.org/ajans\">Kafkas Ajansı</source>"));
}

#[tokio::test]
async fn the_atom_feed_has_stable_ids_and_rfc3339_dates() {
    let site = site().await;
    let reply = site.get("/atom", None).await;
    assert_eq!(reply.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    let feed = parse(&reply.body);
    assert_eq!(feed.feed_type, FeedType::Atom);
    assert!(feed.links.iter().any(|l| l.rel.as_deref() == Some("self") && l.href == "https://haber.example/atom"));
    let e = &feed.entries[0];
    assert_eq!(e.id, "tag:haber.example,2024:article:1");
    assert!(reply.body.contains("<published>2024-06-28T12:30:00+03:00</published>"));
    let authors: Vec<&str> = e.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(authors, ["Ayşe Yılmaz", "Mehmet Kaya"]);
    assert_eq!(e.authors[0].uri.as_deref(), Some("https://haber.example/yazar/ayse-yilmaz"));
    assert!(e.content.is_some());

    // The id survives an edit that changes the slug.
    let mut input = site.app.store.editable_article(1).await.unwrap().unwrap().input;
    input.slug = Some("yeni-adres".into());
    site.app.store.save_article_as(input, manset_store::Target::Existing(1), None, Timestamp::now()).await.unwrap();
    let after = parse(&site.get("/atom", None).await.body);
    assert_eq!(after.entries[0].id, "tag:haber.example,2024:article:1");
    assert_eq!(after.entries[0].links[0].href, "https://haber.example/haber/yeni-adres");
}

#[tokio::test]
async fn category_tag_and_author_feeds_hold_their_own_articles() {
    let site = site().await;
    for (path, count) in [
        ("/kategori/ekonomi/rss", 1),
        ("/kategori/kultur/atom", 1),
        ("/etiket/baku/rss", 1),
        ("/yazar/mehmet-kaya/atom", 1),
    ] {
        let reply = site.get(path, None).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(parse(&reply.body).entries.len(), count, "{path}");
    }
    assert_eq!(site.get("/kategori/yok/rss", None).await.status, 404);
    // Pages point at their feeds.
    let page = site.get("/kategori/ekonomi", None).await;
    assert!(page.body.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Kafkas Postası – Ekonomi (RSS)\" href=\"/kategori/ekonomi/rss\">"));
    let author = site.get("/yazar/ayse-yilmaz", None).await;
    assert_eq!(author.status, 200);
    assert!(author.body.contains("bakude-enerji-ticaret"));
}

#[tokio::test]
async fn summaries_only_when_the_site_says_so() {
    let site = site().await;
    site.app.store.set_setting("feeds.full_text", "false").await.unwrap();
    let feed = parse(&site.get("/rss", None).await.body);
    assert!(feed.entries[0].content.is_none());
    assert!(feed.entries[0].summary.is_some());
}

#[tokio::test]
async fn an_articles_comment_feed_names_commenters_but_never_their_addresses() {
    let site = site().await;
    site.app.store.set_setting("comments.min_seconds", "0").await.unwrap();
    let page = site.get("/haber/bakude-enerji-ticaret", None).await.body;
    let at = page.find("name=\"token\" value=\"").unwrap() + 20;
    let token = &page[at..at + page[at..].find('"').unwrap()];
    let body = serde_urlencoded::to_string([
        ("comment", "Feed yorumu"),
        ("author", "Okur"),
        ("email", "gizli@example.com"),
        ("token", token),
    ])
    .unwrap();
    site.send("POST", "/haber/bakude-enerji-ticaret/yorum", &[("Origin", &site.origin())], Some(&body)).await;
    site.app.store.set_comment_status(&[1], manset_core::CommentStatus::Approved, Timestamp::now()).await.unwrap();
    let reply = site.get("/haber/bakude-enerji-ticaret/yorumlar/rss", None).await;
    assert!(!reply.body.contains("gizli"), "{}", reply.body);
    let feed = parse(&reply.body);
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(feed.entries[0].title.as_ref().unwrap().content, "Okur");
}
