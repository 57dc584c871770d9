//! What pages tell machines: canonical links, descriptions, Open Graph and
//! Twitter cards, and JSON-LD checked against JSON Schemas we wrote from
//! Google's structured-data documentation (`schemas/`).

use serde_json::Value;

use crate::TestApp;
use crate::app::{Page, article};

const NEWS_ARTICLE_SCHEMA: &str = include_str!("schemas/news-article.schema.json");
const BREADCRUMB_SCHEMA: &str = include_str!("schemas/breadcrumb-list.schema.json");

/// Every JSON-LD block of a page, parsed.
fn json_ld(page: &Page) -> Vec<Value> {
    page.body
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let text = &rest[..rest.find("</script>").unwrap()];
            serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{text}"))
        })
        .collect()
}

fn of_type<'a>(blocks: &'a [Value], kind: &str) -> &'a Value {
    blocks.iter().find(|b| b["@type"] == kind).unwrap_or_else(|| panic!("no {kind} in {blocks:#?}"))
}

/// Problems `value` has by `schema`; empty when valid.
fn problems(schema: &str, value: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(schema).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles");
    validator.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

fn assert_valid(schema: &str, value: &Value) {
    let found = problems(schema, value);
    assert!(found.is_empty(), "{found:#?}\n{value:#}");
}

/// The `content` of every `<meta property|name="key">`, unescaped.
fn meta(page: &Page, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["property", "name"] {
        let open = format!("<meta {attr}=\"{key}\" content=\"");
        for rest in page.body.split(&open).skip(1) {
            let value = &rest[..rest.find('"').unwrap()];
            out.push(
                value
                    .replace("&#39;", "'")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            );
        }
    }
    out
}

fn one_meta(page: &Page, key: &str) -> String {
    let all = meta(page, key);
    assert_eq!(all.len(), 1, "{key}: {all:?}");
    all[0].clone()
}

#[tokio::test]
async fn the_seed_article_is_a_news_article_by_googles_rules() {
    let Some(seed) = manset_testkit::seed_article() else { return };
    let app = TestApp::new().await;
    let slug = app.import("seed.md", &seed.content_file("2024-06-28T12:30:00+03:00", "Aynur Əliyeva")).await;
    let page = app.get(&format!("/haber/{slug}")).await;
    let blocks = json_ld(&page);
    assert_eq!(blocks.len(), 2);
    let ld = of_type(&blocks, "NewsArticle");
    assert_valid(NEWS_ARTICLE_SCHEMA, ld);

    let url = format!("https://haber.example/haber/{slug}");
    assert_eq!(ld["url"], url);
    assert_eq!(ld["mainEntityOfPage"]["@id"], url);
    let headline = ld["headline"].as_str().unwrap();
    if seed.headline.chars().count() <= 110 {
        assert_eq!(headline, seed.headline);
    } else {
        assert!(headline.ends_with('…') && seed.headline.starts_with(headline.trim_end_matches('…')));
    }
    assert_eq!(ld["description"], seed.standfirst);
    assert_eq!(ld["datePublished"], "2024-06-28T12:30:00+03:00");
    assert_eq!(ld["dateModified"], "2024-06-28T12:30:00+03:00");
    assert_eq!(ld["articleSection"], seed.category);
    assert_eq!(ld["inLanguage"], "tr");
    assert_eq!(ld["keywords"], serde_json::json!(["ABD", "Diplomasi", "COP29"]));
    assert_eq!(
        ld["author"],
        serde_json::json!([{ "@type": "Person", "name": "Aynur Əliyeva", "url": "https://haber.example/yazar/aynur-aliyeva" }])
    );
    assert_eq!(ld["isBasedOn"][0]["publisher"]["name"], "Meydan.tv");
    assert_eq!(ld["isBasedOn"][0]["url"], "https://www.meydan.tv/");
    assert_eq!(ld["isBasedOn"][0]["description"], seed.source_note);

    // What the JSON-LD points at exists: the author's page and the logo.
    assert_eq!(app.get("/yazar/aynur-aliyeva").await.status, 200);
    let logo = &ld["publisher"]["logo"];
    let logo_path = logo["url"].as_str().unwrap().strip_prefix("https://haber.example").unwrap().to_owned();
    let png = app.get(&logo_path).await;
    assert_eq!(png.status, 200);
    assert_eq!(png.headers["content-type"], "image/png");
    assert_eq!(&png.bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!((logo["width"].as_u64(), logo["height"].as_u64()), (Some(512), Some(512)));

    let crumbs = of_type(&blocks, "BreadcrumbList");
    assert_valid(BREADCRUMB_SCHEMA, crumbs);
    let names: Vec<&str> =
        crumbs["itemListElement"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ana Sayfa", seed.category.as_str(), seed.headline.as_str()]);
    assert_eq!(crumbs["itemListElement"][1]["item"], "https://haber.example/kategori/azerbaycan");
}

#[tokio::test]
async fn the_schema_rejects_what_google_would_not_show() {
    let app = TestApp::new().await;
    let slug = app.import("a.md", &article("Geçerli haber", "Gündem", "2024-06-28T12:30:00+03:00")).await;
    let page = app.get(&format!("/haber/{slug}")).await;
    let valid = of_type(&json_ld(&page), "NewsArticle").clone();
    assert_valid(NEWS_ARTICLE_SCHEMA, &valid);
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut v = valid.clone();
        change(&mut v);
        problems(NEWS_ARTICLE_SCHEMA, &v)
    };
    assert!(!broken(&|v| v["headline"] = "x".repeat(111).into()).is_empty(), "headline over 110");
    assert!(!broken(&|v| v["datePublished"] = "2024-06-28T12:30:00".into()).is_empty(), "no offset");
    assert!(!broken(&|v| v["author"][0]["url"] = "/yazar/x".into()).is_empty(), "relative author URL");
    assert!(!broken(&|v| drop(v["publisher"].as_object_mut().unwrap().remove("logo"))).is_empty(), "no logo");
    assert!(!broken(&|v| v["@type"] = "Article".into()).is_empty(), "Article is not NewsArticle");
}

#[tokio::test]
async fn a_long_headline_is_shortened_for_search_engines_only() {
    let app = TestApp::new().await;
    let long = "Bakü ile Tiflis arasında yeni demiryolu hattı için imzalar atıldı, ilk seferin önümüzdeki yıl yapılması ve yolcu taşımacılığının da başlaması bekleniyor";
    assert!(long.chars().count() > 110);
    let slug = app.import("a.md", &article(long, "Gündem", "2024-06-28T12:30:00+03:00")).await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert_eq!(page.between("<h1 class=\"article__headline\">", "</h1>"), long);
    let ld = of_type(&json_ld(&page), "NewsArticle").clone();
    let headline = ld["headline"].as_str().unwrap();
    assert!(headline.chars().count() <= 110 && headline.ends_with('…'), "{headline}");
    assert!(long.starts_with(headline.trim_end_matches('…')));
    assert_valid(NEWS_ARTICLE_SCHEMA, &ld);
}

#[tokio::test]
async fn a_lead_image_is_shown_and_shared_with_its_size() {
    let app = TestApp::new().await;
    let slug = app
        .import(
            "a.md",
            "+++\ntitle = \"Bakü limanında yeni rıhtım\"\ncategory = \"Ekonomi\"\npublished = 2024-06-28T12:30:00+03:00\n\
             [image]\nurl = \"/medya/liman.jpg\"\nalt = \"Limanda yük gemisi\"\ncaption = \"Yeni rıhtım açıldı\"\n\
             credit = \"Fotoğraf: AA\"\nwidth = 1600\nheight = 900\n+++\nGövde.\n",
        )
        .await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert!(page.has(
        "<img src=\"/medya/liman.jpg\" alt=\"Limanda yük gemisi\" width=\"1600\" height=\"900\" fetchpriority=\"high\""
    ));
    assert!(
        page.has("<figcaption>Yeni rıhtım açıldı <span class=\"lead-image__credit\">Fotoğraf: AA</span></figcaption>")
    );
    // The picture comes before the body.
    assert!(page.pos("class=\"lead-image\"") < page.pos("<div class=\"article__body\">"));
    assert_eq!(one_meta(&page, "og:image"), "https://haber.example/medya/liman.jpg");
    assert_eq!(one_meta(&page, "og:image:width"), "1600");
    assert_eq!(one_meta(&page, "og:image:height"), "900");
    assert_eq!(one_meta(&page, "og:image:alt"), "Limanda yük gemisi");
    assert_eq!(one_meta(&page, "twitter:card"), "summary_large_image");
    let ld = of_type(&json_ld(&page), "NewsArticle").clone();
    assert_valid(NEWS_ARTICLE_SCHEMA, &ld);
    assert_eq!(
        ld["image"],
        serde_json::json!([{
            "@type": "ImageObject", "url": "https://haber.example/medya/liman.jpg", "width": 1600, "height": 900,
            "caption": "Yeni rıhtım açıldı", "creditText": "Fotoğraf: AA"
        }])
    );
}

#[tokio::test]
async fn without_a_photo_the_card_shows_the_logo_and_the_newsroom_is_the_author() {
    let app = TestApp::new().await;
    let slug = app.import("a.md", &article("İmzasız haber", "Gündem", "2024-06-28T12:30:00+03:00")).await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert!(one_meta(&page, "og:image").starts_with("https://haber.example/static/logo.png?v="));
    assert_eq!(one_meta(&page, "og:image:width"), "512");
    assert_eq!(one_meta(&page, "twitter:card"), "summary");
    let ld = of_type(&json_ld(&page), "NewsArticle").clone();
    assert!(ld.get("image").is_none(), "a logo is not a picture of the story");
    assert_eq!(
        ld["author"],
        serde_json::json!([{ "@type": "Organization", "name": "Kafkas Postası", "url": "https://haber.example/" }])
    );
    assert_valid(NEWS_ARTICLE_SCHEMA, &ld);
}

#[tokio::test]
async fn article_open_graph_names_times_section_tags_and_authors() {
    let app = TestApp::new().await;
    let slug = app
        .import(
            "a.md",
            "+++\ntitle = \"Enerji zirvesi\"\nstandfirst = \"Bakü’de \\\"yeşil\\\" enerji konuşuldu.\"\ncategory = \"Ekonomi\"\n\
             authors = [\"Ayşe Yılmaz\", \"Mehmet Kaya\"]\ntags = [\"Enerji\", \"Bakü\"]\npublished = 2024-06-28T12:30:00+03:00\n\
             updated = 2024-06-29T09:15:00+03:00\n+++\nGövde.\n",
        )
        .await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert_eq!(one_meta(&page, "og:type"), "article");
    assert_eq!(one_meta(&page, "og:title"), "Enerji zirvesi");
    assert_eq!(one_meta(&page, "og:description"), "Bakü’de \"yeşil\" enerji konuşuldu.");
    assert_eq!(one_meta(&page, "article:published_time"), "2024-06-28T12:30:00+03:00");
    assert_eq!(one_meta(&page, "article:modified_time"), "2024-06-29T09:15:00+03:00");
    assert_eq!(one_meta(&page, "article:section"), "Ekonomi");
    assert_eq!(meta(&page, "article:tag"), ["Enerji", "Bakü"]);
    assert_eq!(
        meta(&page, "article:author"),
        ["https://haber.example/yazar/ayse-yilmaz", "https://haber.example/yazar/mehmet-kaya"]
    );
    let ld = of_type(&json_ld(&page), "NewsArticle").clone();
    assert_eq!(ld["dateModified"], "2024-06-29T09:15:00+03:00");
    assert_eq!(ld["author"].as_array().unwrap().len(), 2);
    assert_valid(NEWS_ARTICLE_SCHEMA, &ld);
}

#[tokio::test]
async fn every_page_has_a_canonical_address_a_description_and_a_card() {
    let app = TestApp::with(|site| site.per_page = 1).await;
    app.import(
        "a.md",
        "+++\ntitle = \"Birinci\"\nstandfirst = \"Spot.\"\ncategory = \"Gündem\"\nauthor = \"Elif Demirci\"\ntags = [\"Liman\"]\npublished = 2024-06-28T12:30:00+03:00\n+++\n",
    )
    .await;
    app.import("b.md", &article("İkinci", "Gündem", "2024-06-27T12:30:00+03:00")).await;
    for (path, canonical, kind) in [
        ("/", "https://haber.example/", "website"),
        ("/kategori/gundem", "https://haber.example/kategori/gundem", "website"),
        ("/kategori/gundem?sayfa=2", "https://haber.example/kategori/gundem?sayfa=2", "website"),
        ("/etiket/liman", "https://haber.example/etiket/liman", "website"),
        ("/yazar/elif-demirci", "https://haber.example/yazar/elif-demirci", "profile"),
        ("/haber/birinci", "https://haber.example/haber/birinci", "article"),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.has(&format!("<link rel=\"canonical\" href=\"{canonical}\">")), "{path}");
        assert_eq!(one_meta(&page, "og:url"), canonical, "{path}");
        assert_eq!(one_meta(&page, "og:type"), kind, "{path}");
        assert_eq!(one_meta(&page, "og:site_name"), "Kafkas Postası", "{path}");
        assert_eq!(one_meta(&page, "og:locale"), "tr_TR", "{path}");
        assert!(!one_meta(&page, "description").is_empty(), "{path}");
        assert!(!one_meta(&page, "og:title").is_empty(), "{path}");
        assert!(!one_meta(&page, "og:image").is_empty(), "{path}");
        assert!(!one_meta(&page, "twitter:card").is_empty(), "{path}");
    }
    let home = app.get("/").await;
    let website = of_type(&json_ld(&home), "WebSite").clone();
    assert_eq!(website["url"], "https://haber.example/");
    assert_eq!(website["publisher"]["name"], "Kafkas Postası");
    let category = app.get("/kategori/gundem").await;
    assert_valid(BREADCRUMB_SCHEMA, of_type(&json_ld(&category), "BreadcrumbList"));
    assert_eq!(
        one_meta(&category, "description"),
        "Kafkas Postası – Gündem kategorisindeki en son haberler, en yenisi önce."
    );
}
