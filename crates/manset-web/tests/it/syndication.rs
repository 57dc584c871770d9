//! Syndication: the feeds we publish, parsed back with feed-rs and checked
//! field by field.

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
    // Text arrives escaped for HTML too: a reader that renders it shows it literally.
    assert_eq!(e.title.as_ref().unwrap().content, "Bakü’de enerji &amp; ticaret");
    assert_eq!(html_decode(&e.title.as_ref().unwrap().content), "Bakü’de enerji & ticaret");
    assert_eq!(e.links[0].href, "https://haber.example/haber/bakude-enerji-ticaret");
    assert_eq!(e.id, "tag:haber.example,2024:article:1");
    assert_eq!(e.published.unwrap().to_rfc3339(), "2024-06-28T09:30:00+00:00");
    assert_eq!(html_decode(&e.summary.as_ref().unwrap().content), "Spot <önemli>.");
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

/// One decoding pass of HTML character references, as a feed reader that
/// shows a field as HTML would apply after the XML parser's own.
fn html_decode(text: &str) -> String {
    quick_xml::escape::unescape(text)
        .unwrap_or_else(|e| panic!("not decodable as HTML text ({e}): {text:?}"))
        .into_owned()
}

/// `text` as an XML document can carry it: the characters XML 1.0 forbids
/// are dropped on the way.
fn xml_visible(text: &str) -> String {
    text.chars().filter(|c| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r')).collect()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A field a feed reader may show as HTML: after the XML parser's decoding
/// it must hold no `<` at all (no tag can start), and one more decoding
/// must give exactly the text we hold.
fn plain(field: &str, expected: &str, what: &str) {
    assert!(!field.contains('<'), "{what}: markup one decode away: {field:?}");
    assert_eq!(
        squash(&html_decode(field)),
        squash(&xml_visible(expected)),
        "{what}: the literal text after a second decode"
    );
}

/// Every element of an RSS document, read with quick-xml: the ones that
/// carry HTML (`content:encoded`, a comment's `description`) must be inert
/// HTML, every other text no markup at all once decoded.
fn every_text_is_inert(xml: &str, html_descriptions: bool) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not XML: {e}\n{xml}")) {
            Event::Start(e) => {
                path.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                match r.resolve_char_ref().unwrap() {
                    Some(c) => text.push(c),
                    None => text.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap()),
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap();
                let in_item = path.last().is_some_and(|p| p == "item");
                if name == "content:encoded" || (html_descriptions && in_item && name == "description") {
                    // A body may show pictures; what one could run (`onerror`,
                    // a script URL) is reported as a handler or a URL.
                    let found: Vec<String> = manset_testkit::executable_content(&text)
                        .into_iter()
                        .filter(|f| !f.starts_with("element <img>"))
                        .collect();
                    assert!(found.is_empty(), "<{name}> runs: {found:?}\n{text}");
                } else {
                    assert!(!text.contains('<'), "<{name}> holds markup one decode away: {text:?}");
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
}

#[tokio::test]
async fn reader_and_newsroom_text_in_every_rss_feed_stays_text_where_readers_render_html() {
    use manset_core::comment::Decision;
    use manset_core::{ArticleInput, SourceCredit, Status};
    let Some(payloads) = manset_testkit::xss_payloads() else { return };
    let app = TestApp::new().await;
    let app = &app;
    let store = &app.store;
    let published_at: Timestamp = "2024-06-28T09:00:00Z".parse().unwrap();
    let rss = |path: String| async move {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 200, "{path}");
        reply.body
    };
    // A feed of articles: every text inert, the channel's title the literal
    // `title` (the site's name and the list's).
    let check_articles = |xml: &str, path: &str, title: &str| {
        every_text_is_inert(xml, false);
        let feed = parse(xml);
        plain(&feed.title.as_ref().unwrap().content, title, &format!("{path}: channel title"));
        feed
    };

    let (mut articles, mut feeds) = (0, 0);
    for (n, v) in payloads.iter().enumerate() {
        let mut input = ArticleInput {
            headline: v.clone(),
            standfirst: v.clone(),
            body: v.clone(),
            slug: Some(format!("vektor-{n}")),
            category: v.clone(),
            tags: vec![v.clone(), "Ortak".into()],
            authors: vec![v.clone(), "Ortak Yazar".into()],
            published_at,
            updated_at: None,
            status: Status::Published,
            sources: vec![SourceCredit { name: v.clone(), url: None, note: None }],
            seo_title: None,
            seo_description: None,
            correction: None,
            image: None,
            lang: None,
        };
        let saved = match store.save_article(input.clone(), None, Timestamp::now()).await {
            Ok(saved) => saved,
            // A name no slug can be made of: the vector stays in the headline,
            // standfirst, body and source.
            Err(_) => {
                input.category = "Gündem".into();
                input.tags = vec!["Ortak".into()];
                input.authors = vec!["Ortak Yazar".into()];
                match store.save_article(input, None, Timestamp::now()).await {
                    Ok(saved) => saved,
                    Err(_) => continue,
                }
            }
        };
        articles += 1;
        let article = store.published_article(&saved.slug, Timestamp::now()).await.unwrap().unwrap();
        let new = manset_store::NewComment {
            article_id: article.id,
            parent_id: None,
            name: v,
            email: "okur@example.com",
            url: None,
            body: v,
            ip: None,
            max_depth: 3,
            own_comment_ids: &[],
            staff: None,
        };
        store.add_comment(&new, Timestamp::now(), |_| Decision::approved()).await.unwrap();

        // The article's own feeds: its comments, its category, its tags and
        // bylines (lists titled by the vector); every 20 articles, the site's.
        let site = "Kafkas Postası";
        let mut paths = vec![(format!("/haber/{}/yorumlar/rss", article.slug), String::new())];
        let list = |kind: &str, slug: &str, name: &str| (format!("/{kind}/{slug}/rss"), format!("{site} – {name}"));
        paths.push(list("kategori", &article.category.slug, &article.category.name));
        paths.extend(article.tags.iter().map(|t| list("etiket", &t.slug, &t.name)));
        paths.extend(article.authors.iter().map(|a| list("yazar", &a.slug, &a.name)));
        if n % 20 == 0 {
            paths.push(("/rss".into(), site.into()));
        }
        for (path, title) in paths {
            let xml = rss(path.clone()).await;
            feeds += 1;
            if path.contains("/yorumlar/") {
                every_text_is_inert(&xml, true);
                let feed = parse(&xml);
                let comments = store.approved_comments(article.id).await.unwrap();
                plain(
                    &feed.title.as_ref().unwrap().content,
                    &format!("“{}” haberine yapılan yorumlar", article.headline),
                    &path,
                );
                assert_eq!(feed.entries.len(), comments.len());
                for (entry, comment) in feed.entries.iter().zip(&comments) {
                    plain(&entry.title.as_ref().unwrap().content, &comment.name, &format!("{path}: title"));
                    plain(&entry.authors[0].name, &comment.name, &format!("{path}: dc:creator"));
                    let html = entry.summary.as_ref().unwrap().content.clone();
                    assert!(manset_testkit::executable_content(&html).is_empty(), "{path}: {html}");
                    assert_eq!(
                        squash(&manset_text::html::to_text(&html)),
                        squash(&xml_visible(&comment.body)),
                        "{path}: the comment's text, shown once"
                    );
                }
                continue;
            }
            let feed = check_articles(&xml, &path, &title);
            for entry in &feed.entries {
                let id: i64 = entry.id.rsplit(':').next().unwrap().parse().unwrap();
                let shown = store.summaries_by_ids(&[id], Timestamp::now()).await.unwrap();
                let Some(summary) = shown.first() else { continue };
                let held = store.published_article(&summary.slug, Timestamp::now()).await.unwrap().unwrap();
                plain(&entry.title.as_ref().unwrap().content, &held.headline, &format!("{path}: title"));
                plain(&entry.summary.as_ref().unwrap().content, &held.standfirst, &format!("{path}: standfirst"));
                let mut names: Vec<String> = vec![held.category.name.clone()];
                names.extend(held.tags.iter().map(|t| t.name.clone()));
                names.extend(held.authors.iter().map(|a| a.name.clone()));
                for term in entry.categories.iter().map(|c| &c.term).chain(entry.authors.iter().map(|a| &a.name)) {
                    assert!(!term.contains('<'), "{path}: markup one decode away: {term:?}");
                    let literal = html_decode(term);
                    assert!(
                        names.iter().any(|name| xml_visible(name) == literal),
                        "{path}: {literal:?} is none of {names:?}"
                    );
                }
            }
        }
    }
    for (path, title) in [
        ("/rss", "Kafkas Postası"),
        ("/etiket/ortak/rss", "Kafkas Postası – Ortak"),
        ("/yazar/ortak-yazar/rss", "Kafkas Postası – Ortak Yazar"),
    ] {
        check_articles(&rss(path.into()).await, path, title);
        feeds += 1;
    }
    assert!(articles > 100, "most vectors were saved as articles: {articles}");
    eprintln!("{} vectors: {articles} articles, {feeds} feeds checked", payloads.len());
}
