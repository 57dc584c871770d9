//! The article page of the seed, element by element.

use crate::TestApp;
use crate::app::{article, escaped};

const SEED_SLUG: &str = "aliyev-obrien-ile-gorustu-barisin-gorusuldugu-bildirildi";

/// The seed article plus filler: 4 more in its category, 4 elsewhere.
async fn seed_site() -> Option<(TestApp, manset_testkit::SeedArticle)> {
    let seed = manset_testkit::seed_article()?;
    let app = TestApp::new().await;
    for i in 1..=4 {
        app.import(
            &format!("az{i}.md"),
            &article(&format!("Bakü’de gelişme {i}"), "Azerbaycan", &format!("2024-06-2{i}T10:00:00+03:00")),
        )
        .await;
        app.import(
            &format!("ge{i}.md"),
            &article(&format!("Tiflis’te gelişme {i}"), "Gürcistan", &format!("2024-06-2{}T10:00:00+03:00", i + 4)),
        )
        .await;
    }
    let slug = app.import("seed.md", &seed.content_file("2024-06-28T12:30:00+03:00", "Aynur Əliyeva")).await;
    assert_eq!(slug, SEED_SLUG);
    Some((app, seed))
}

#[tokio::test]
async fn seed_article_page_has_every_element_of_the_anatomy() {
    let Some((app, seed)) = seed_site().await else {
        return;
    };
    let page = app.get(&format!("/haber/{SEED_SLUG}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.starts_with("<!doctype html>\n<html lang=\"tr\">"), "{}", &page.body[..80]);

    // Kicker above the only <h1>, the headline.
    assert_eq!(page.count("<h1"), 1);
    let kicker = page.pos("<a class=\"kicker\" href=\"/kategori/azerbaycan\">Azerbaycan</a>");
    let h1 = page.pos("<h1");
    assert!(kicker < h1);
    assert_eq!(page.between("<h1 class=\"article__headline\">", "</h1>"), escaped(&seed.headline));
    // Standfirst under it, then byline and a Turkish long date in the site's zone.
    let standfirst = page.pos(&format!("<p class=\"standfirst\">{}</p>", escaped(&seed.standfirst)));
    assert!(h1 < standfirst);
    assert!(
        page.has("Yazan <a class=\"byline__name\" href=\"/yazar/aynur-aliyeva\">Aynur Əliyeva</a>"),
        "{}",
        page.body
    );
    assert!(page.has("<time datetime=\"2024-06-28T12:30:00+03:00\">28 Haziran 2024 Cuma 12:30</time>"));
    assert!(page.has("dk okuma"));

    // Every paragraph of the body, in order, as a paragraph.
    let mut last = standfirst;
    for paragraph in &seed.paragraphs {
        let at = page.pos(&format!("<p>{}</p>", escaped(paragraph)));
        assert!(at > last, "paragraph out of order: {paragraph}");
        last = at;
    }
    // The credit: the note replaces the "Kaynak:" line.
    let credit = page.pos(&format!("<p class=\"credit\">{}</p>", escaped(&seed.source_note)));
    assert!(credit > last);
    assert!(!page.has("Kaynak:"));

    // Tags link to their pages.
    for (slug, name) in [("abd", "ABD"), ("diplomasi", "Diplomasi"), ("cop29", "COP29")] {
        assert!(page.has(&format!("<a class=\"tag\" href=\"/etiket/{slug}\" rel=\"tag\">{name}</a>")), "tag {name}");
    }

    // Related: six others, same category first (newest first), never itself.
    let related = page.between("İlgili Makaleler</h2>", "</section>");
    let links: Vec<&str> = related.match_indices("<a href=\"/haber/").map(|(i, _)| &related[i + 16..]).collect();
    let slugs: Vec<&str> = links.iter().map(|l| &l[..l.find('"').unwrap()]).collect();
    assert_eq!(
        slugs,
        [
            "bakude-gelisme-4",
            "bakude-gelisme-3",
            "bakude-gelisme-2",
            "bakude-gelisme-1",
            "tiflište-gelisme-4",
            "tiflište-gelisme-3"
        ]
        .map(|s| s.replace("tiflište", "tifliste"))
    );

    // The comment form, as on the seed page.
    let form = page.between("<section class=\"respond\"", "</section>");
    assert!(form.contains(">Bir yanıt yazın</h2>"));
    assert!(form.contains("E-posta adresiniz yayınlanmayacak. Gerekli alanlar * ile işaretlenmişlerdir"));
    for (name, required) in [("comment", true), ("author", true), ("email", true), ("url", false)] {
        let field_at = form.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("field {name}"));
        let tag_end = field_at + form[field_at..].find('>').unwrap();
        assert_eq!(form[field_at..tag_end].contains("required"), required, "field {name}");
        let label = form.find(&format!("<label for=\"{name}\">")).unwrap();
        let label_end = label + form[label..].find("</label>").unwrap();
        assert_eq!(form[label..label_end].contains('*'), required, "label of {name}");
    }
    assert!(page.has("<body id=\"top\">"));
    assert!(page.has("<a class=\"to-top\" href=\"#top\">Başa dön</a>"));
    // Reading needs no JavaScript: the only script is the comment helper,
    // deferred; the rest are JSON-LD data blocks.
    assert_eq!(page.count("<script src"), 1);
    assert_eq!(page.count("<script"), 1 + page.count("<script type=\"application/ld+json\">"));
    assert!(page.has("<script src=\"/static/comments.js?v="));
}

#[tokio::test]
async fn the_seed_article_is_reachable_from_the_home_page_by_its_headline() {
    let Some((app, seed)) = seed_site().await else {
        return;
    };
    let home = app.get("/").await;
    assert_eq!(home.status, 200);
    let link = format!("<a href=\"/haber/{SEED_SLUG}\">{}</a>", escaped(&seed.headline));
    assert!(home.has(&link), "{}", home.body);
    // It is the newest, so it leads the page.
    assert!(home.pos("card--lead") < home.pos(&link));
}

#[tokio::test]
async fn source_credit_without_note_links_its_name() {
    let app = TestApp::new().await;
    let slug = app
        .import(
            "a.md",
            "+++\ntitle = \"Ajans haberi\"\ncategory = \"Gündem\"\npublished = 2024-06-28T10:00:00+03:00\n\
             [[source]]\nname = \"Turan\"\nurl = \"https://turan.example/\"\n[[source]]\nname = \"APA\"\n+++\nMetin.\n",
        )
        .await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert!(
        page.has(
            "<p class=\"credit\">Kaynak: <a href=\"https://turan.example/\" rel=\"noopener noreferrer\">Turan</a></p>"
        ),
        "{}",
        page.body
    );
    assert!(page.has("<p class=\"credit\">Kaynak: APA</p>"));
}

#[tokio::test]
async fn markup_in_content_cannot_run_in_the_page() {
    let app = TestApp::new().await;
    let slug = app
        .import(
            "x.md",
            "+++\ntitle = \"<script>alert('başlık')</script>\"\nstandfirst = \"<img src=x onerror=alert(1)>\"\n\
             category = \"<b>Kat</b>\"\ntags = [\"<i>etiket</i>\"]\npublished = 2024-06-28T10:00:00+03:00\n+++\n\
             <script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\">tıkla</a> <img src=x onerror=\"alert(1)\">\n",
        )
        .await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert_eq!(page.status, 200);
    // Text fields are printed as text: their markup shows, escaped, and never
    // becomes a tag.
    // The only scripts are ours: the comments script and the JSON-LD data
    // blocks, in which the headline's markup is JSON-escaped.
    let ld = page.count("<script type=\"application/ld+json\">");
    assert_eq!(ld, 2, "NewsArticle and BreadcrumbList");
    assert_eq!(page.count("<script"), page.count("<script src=\"/static/comments.js") + ld, "{}", page.body);
    assert!(page.has("\\u003cscript\\u003ealert('başlık')\\u003c/script\\u003e"), "{}", page.body);
    assert_eq!(page.count("</script>"), page.count("<script"), "no block is closed early");
    assert!(!page.has("<img src=x"), "{}", page.body);
    assert!(page.has("<p class=\"standfirst\">&lt;img src=x onerror=alert(1)&gt;</p>"));
    // The body is HTML, sanitized: the harmless parts stay, the rest is gone.
    let body = page.between("<div class=\"article__body\">", "</div>");
    assert!(body.contains("tıkla"), "{body}");
    assert!(!body.contains("onerror"), "{body}");
    assert!(!page.has("javascript:"), "{}", page.body);
    assert!(!page.has("<b>Kat</b>"));
    assert!(page.has("&lt;script&gt;alert(&#39;başlık&#39;)&lt;/script&gt;"));
}

#[tokio::test]
async fn markdown_headings_never_add_a_second_h1() {
    let app = TestApp::new().await;
    let slug =
        app.import("h.md", "+++\ntitle = \"Başlık\"\ncategory = \"Gündem\"\n+++\n# Ara başlık\n\nMetin.\n").await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert_eq!(page.count("<h1"), 1);
    assert!(page.has("<h2>Ara başlık</h2>"));
}

#[tokio::test]
async fn an_english_site_speaks_english() {
    let app = TestApp::with(|site| site.lang = manset_text::Lang::En).await;
    let slug = app.import("a.md", &article("Başlık", "Gündem", "2024-06-28T10:00:00+03:00")).await;
    app.import("b.md", &article("Diğer", "Gündem", "2024-06-27T10:00:00+03:00")).await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.has("Friday, 28 June 2024 10:00"));
    assert!(page.has("Related articles"));
    assert!(page.has("Leave a reply"));
    assert!(!page.has("İlgili Makaleler"));
}

#[tokio::test]
async fn a_theme_folder_overrides_the_built_in_templates() {
    let theme = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(theme.path().join("templates/partials")).unwrap();
    std::fs::write(theme.path().join("templates/partials/share.html"), "<p class=\"custom-share\">{{ t.share }}</p>")
        .unwrap();
    std::fs::create_dir_all(theme.path().join("static")).unwrap();
    std::fs::write(theme.path().join("static/style.css"), "body{color:red}").unwrap();
    let app = TestApp::build(|_| {}, Some(theme.path())).await;
    let slug = app.import("a.md", &article("Başlık", "Gündem", "2024-06-28T10:00:00+03:00")).await;
    let page = app.get(&format!("/haber/{slug}")).await;
    assert!(page.has("<p class=\"custom-share\">Paylaş</p>"));
    let css_url = page.between("<link rel=\"stylesheet\" href=\"", "\"").to_owned();
    let css = app.get(&css_url).await;
    assert_eq!(css.body, "body{color:red}");
}

#[tokio::test]
async fn static_files_are_cached_for_a_year_under_their_versioned_url() {
    let app = TestApp::new().await;
    let home = app.get("/").await;
    let css_url = home.between("<link rel=\"stylesheet\" href=\"", "\"").to_owned();
    assert!(css_url.starts_with("/static/style.css?v="));
    let css = app.get(&css_url).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    assert_eq!(css.headers["cache-control"], "public, max-age=31536000, immutable");
    let unversioned = app.get("/static/style.css").await;
    assert_eq!(unversioned.headers["cache-control"], "public, max-age=300");
    assert_eq!(app.get("/static/yok.css").await.status, 404);
}
