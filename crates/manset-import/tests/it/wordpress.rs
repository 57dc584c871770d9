//! `import wordpress` against every export in `../shared/testdata/wordpress`:
//! counts checked against the file, content spot-checked, a second run
//! changes nothing, a broken file imports nothing.

use std::path::{Path, PathBuf};

use manset_core::{CommentStatus, Status};
use manset_import::wordpress::{WordPressOptions, WordPressReport, import_wordpress};
use manset_store::{Store, Taxonomy};

use crate::{now, store};

fn export(name: &str) -> Option<PathBuf> {
    Some(manset_testkit::shared_dir()?.join("testdata/wordpress").join(name))
}

fn options() -> WordPressOptions {
    WordPressOptions { time_zone: jiff::tz::TimeZone::get("Europe/Istanbul").unwrap() }
}

async fn import(store: &Store, path: &Path) -> WordPressReport {
    import_wordpress(store, path, &options(), now(), &mut |_, _| {}).await.unwrap()
}

/// What each file holds, counted from the file with Python's ElementTree
/// (`item`s by `wp:post_type`; comments without pingbacks and trackbacks,
/// on posts only; `wp:category`/`wp:tag` and `wp:term`s of those taxonomies
/// not listed as such already; `wp:author` with an e-mail).
struct Expected {
    file: &'static str,
    posts: u64,
    pages: u64,
    comments: u64,
    categories: u64,
    tags: u64,
    authors: u64,
}

const FILES: [Expected; 10] = [
    Expected { file: "authors-multiline.xml", posts: 1, pages: 0, comments: 0, categories: 0, tags: 0, authors: 3 },
    Expected { file: "crazy-cdata.xml", posts: 1, pages: 0, comments: 0, categories: 0, tags: 0, authors: 0 },
    Expected {
        file: "e2e_fixtures_wxr-comprehensive.xml",
        posts: 1,
        pages: 1,
        comments: 1,
        categories: 2,
        tags: 2,
        authors: 2,
    },
    Expected { file: "multiple-cdata.xml", posts: 1, pages: 0, comments: 0, categories: 0, tags: 0, authors: 0 },
    Expected { file: "slashes.xml", posts: 1, pages: 0, comments: 1, categories: 1, tags: 1, authors: 1 },
    Expected { file: "small-export.xml", posts: 6, pages: 5, comments: 1, categories: 30, tags: 3, authors: 3 },
    // Its one `wp:term` is of the taxonomy `category`.
    Expected { file: "term-meta.xml", posts: 0, pages: 0, comments: 0, categories: 1, tags: 0, authors: 0 },
    Expected {
        file: "theme-unit-test-data.xml",
        posts: 58,
        pages: 21,
        comments: 24,
        categories: 68,
        tags: 110,
        authors: 2,
    },
    Expected { file: "valid-wxr-1.0.xml", posts: 3, pages: 3, comments: 1, categories: 5, tags: 4, authors: 0 },
    Expected { file: "valid-wxr-1.1.xml", posts: 1, pages: 1, comments: 1, categories: 1, tags: 1, authors: 1 },
];

fn imported(report: &WordPressReport, kind: &str) -> u64 {
    report.counts.get(kind).map_or(0, |c| c.created + c.updated + c.unchanged)
}

#[tokio::test]
async fn every_export_imports_what_it_holds_and_a_second_run_changes_nothing() {
    if export("wxr-simple.xml").is_none() {
        return;
    }
    for want in &FILES {
        let path = export(want.file).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        let report = import(&store, &path).await;
        let counts = [
            ("post", want.posts),
            ("page", want.pages),
            ("comment", want.comments),
            ("category", want.categories),
            ("tag", want.tags),
            ("author", want.authors),
        ];
        for (kind, n) in counts {
            assert_eq!(imported(&report, kind), n, "{}: {kind}s imported\n{report:#?}", want.file);
        }
        // What the store holds agrees with the report.
        let articles = store.index_sources(None, None).await.unwrap();
        assert_eq!(articles.len() as u64, want.posts, "{}", want.file);
        assert_eq!(store.static_pages().await.unwrap().len() as u64, want.pages, "{}", want.file);
        let comments: u64 = store.comment_status_counts().await.unwrap().iter().map(|(_, n)| n).sum();
        assert_eq!(comments, want.comments, "{}", want.file);

        let again = import(&store, &path).await;
        assert!(!again.wrote_anything(), "{}: the second run wrote {:#?}", want.file, again.counts);
        for (kind, n) in counts {
            assert_eq!(again.counts.get(kind).map_or(0, |c| c.unchanged), n, "{}: {kind}s unchanged", want.file);
        }
        assert_eq!(store.index_sources(None, None).await.unwrap().len() as u64, want.posts);
    }
}

#[tokio::test]
async fn the_theme_unit_test_keeps_statuses_threads_markup_and_old_addresses() {
    let Some(path) = export("theme-unit-test-data.xml") else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let report = import(&store, &path).await;
    let articles = store.index_sources(None, None).await.unwrap();
    let by_status = |s: Status| articles.iter().filter(|a| a.status == s).count();
    // 56 published (one with a password: unpublished), one scheduled, one draft.
    assert_eq!(report.password_protected.len(), 1, "{:?}", report.password_protected);
    assert_eq!(by_status(Status::Published), 56);
    assert_eq!(by_status(Status::Draft), 2);
    let scheduled = articles.iter().filter(|a| a.status == Status::Published && a.published_at > now()).count();
    assert_eq!(scheduled, 1, "the `future` post publishes at its time");
    // Pingbacks and trackbacks are not readers' comments; page comments have no place.
    assert_eq!(report.counts["comment"].skipped, 4 + 5);
    let statuses = store.comment_status_counts().await.unwrap();
    assert!(statuses.contains(&(CommentStatus::Approved, 23)), "{statuses:?}");
    assert!(statuses.contains(&(CommentStatus::Pending, 1)), "{statuses:?}");

    // Markup survives: nested lists, a caption as figure and figcaption.
    let html_of = |headline: &str| {
        let a = articles.iter().find(|a| a.headline == headline).unwrap_or_else(|| panic!("{headline}"));
        manset_text::markdown::to_safe_html(&a.body)
    };
    let markup = html_of("Markup: HTML Tags and Formatting");
    let nested = markup.find("<ul>").and_then(|at| markup[at + 4..].find("<ul>").map(|n| (at, n)));
    assert!(nested.is_some() && markup.contains("<ol>"), "nested lists survive");
    let captions = html_of("Markup: Image Alignment");
    assert!(captions.contains("<figure") && captions.contains("<figcaption>"), "{captions}");
    assert!(!captions.contains("[caption"), "no shortcode left");
    // Titles with markup characters keep them as text.
    assert!(articles.iter().any(|a| a.headline.contains("&") || a.headline.contains('<') || a.headline.contains('"')));

    // Threads: the comments post has replies below replies.
    let threaded = articles.iter().find(|a| a.headline == "Template: Comments").unwrap();
    let comments = store.approved_comments(threaded.id).await.unwrap();
    assert!(comments.iter().any(|c| c.parent_id.is_some()), "replies keep their parents");

    // The sticky post is featured on the front page.
    assert_eq!(store.front_slots().await.unwrap().len(), 1);

    // Old addresses lead to the new ones.
    let sticky = articles.iter().find(|a| a.headline == "Template: Sticky").unwrap();
    for old in ["/?p=1241", "/2012/01/07/template-sticky/", "/2012/01/07/template-sticky"] {
        let target = store.legacy_path(old).await.unwrap().unwrap_or_else(|| panic!("{old}"));
        let new = store.legacy_target_path(target).await.unwrap().unwrap();
        assert_eq!(new, format!("/haber/{}", sticky.slug), "{old}");
    }
    let category = store.taxonomy(Taxonomy::Category).await.unwrap();
    assert!(category.len() >= 60, "{}", category.len());
    assert!(store.legacy_path("/category/aciform/").await.unwrap().is_some());
}

#[tokio::test]
async fn a_broken_export_imports_nothing_and_says_where_it_broke() {
    let (Some(broken), Some(good)) = (export("malformed-simple.xml"), export("small-export.xml")) else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    import(&store, &good).await;
    let before = store.index_sources(None, None).await.unwrap();
    let error = import_wordpress(&store, &broken, &options(), now(), &mut |_, _| {}).await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("line 14") && message.contains("malformed-simple.xml"), "{message}");
    assert_eq!(store.index_sources(None, None).await.unwrap(), before, "nothing changed");
}

#[tokio::test]
async fn an_import_cut_off_midway_leaves_the_database_as_it_was() {
    let Some(path) = export("small-export.xml") else { return };
    let dir = tempfile::tempdir().unwrap();
    // The file ends after its third item: well-formed up to there, then not.
    let text = std::fs::read_to_string(&path).unwrap();
    let third = text.match_indices("</item>").nth(2).unwrap().0 + "</item>".len();
    let cut = dir.path().join("cut.xml");
    std::fs::write(&cut, &text[..third]).unwrap();
    let store = store(dir.path()).await;
    assert!(import_wordpress(&store, &cut, &options(), now(), &mut |_, _| {}).await.is_err());
    assert!(store.index_sources(None, None).await.unwrap().is_empty());
    assert!(store.taxonomy(Taxonomy::Category).await.unwrap().is_empty(), "no category of the cut file is left");
}

#[tokio::test]
async fn categories_keep_their_parents_and_drafts_stay_unpublished() {
    let Some(path) = export("small-export.xml") else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let report = import(&store, &path).await;
    let pages = store.static_pages().await.unwrap();
    let draft = pages.iter().find(|p| p.title == "Draft Page").unwrap();
    assert!(draft.draft, "a draft page is not public");
    assert!(store.static_page_by_slug(&draft.slug).await.unwrap().is_none());
    let articles = store.index_sources(None, None).await.unwrap();
    let private = articles.iter().find(|a| a.headline == "Private Post").unwrap();
    assert_eq!(private.status, Status::Draft);
    assert!(report.notes.iter().any(|(what, why)| what.contains("Private Post") && why.contains("private")));
    // Two categories named "Foo": the top-level one and the child of "Bar".
    assert_eq!(store.category_parent("foo-bar").await.unwrap().as_deref(), Some("bar"), "the hierarchy is kept");
    assert_eq!(store.category_parent("foo").await.unwrap(), None);
}

/// A small export of our own: one post, its comments with every approval
/// value WordPress writes, and one without the field.
#[tokio::test]
async fn a_comment_without_an_approval_field_is_held_for_moderation_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir.path().join("data")).await;
    let comment = |id: u32, approved: &str| {
        format!(
            "<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Okur {id}</wp:comment_author>\
             <wp:comment_author_email>okur{id}@example.com</wp:comment_author_email>\
             <wp:comment_date_gmt>2024-06-28 09:00:00</wp:comment_date_gmt>\
             <wp:comment_content>Yorum {id}</wp:comment_content>{approved}<wp:comment_parent>0</wp:comment_parent></wp:comment>"
        )
    };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>Eski site</title>\
         <link>https://eski.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://eski.example</wp:base_site_url>\
         <item><title>Yorumlu yazı</title><dc:creator>admin</dc:creator><content:encoded>Metin</content:encoded>\
         <wp:post_id>7</wp:post_id><wp:post_date_gmt>2024-06-28 08:00:00</wp:post_date_gmt><wp:post_name>yorumlu-yazi</wp:post_name>\
         <wp:status>publish</wp:status><wp:post_type>post</wp:post_type>{}{}{}{}</item></channel></rss>",
        comment(1, "<wp:comment_approved>1</wp:comment_approved>"),
        comment(2, ""),
        comment(3, "<wp:comment_approved>trash</wp:comment_approved>"),
        comment(4, "<wp:comment_approved>0</wp:comment_approved>"),
    );
    let path = dir.path().join("export.xml");
    std::fs::write(&path, xml).unwrap();
    let report = import(&store, &path).await;
    let status_of =
        |queue: &[manset_store::ModerationItem], body: &str| queue.iter().find(|c| c.body == body).map(|c| c.status);
    let all = store.moderation_queue(None, None, 50, 0).await.unwrap().0;
    assert_eq!(status_of(&all, "Yorum 1"), Some(CommentStatus::Approved));
    assert_eq!(status_of(&all, "Yorum 2"), Some(CommentStatus::Pending), "held, not trashed");
    assert_eq!(status_of(&all, "Yorum 3"), Some(CommentStatus::Trash));
    assert_eq!(status_of(&all, "Yorum 4"), Some(CommentStatus::Pending));
    assert!(
        report.notes.iter().any(|(what, note)| what == "comment 2" && note.contains("no approval field")),
        "{:?}",
        report.notes
    );
}
