//! `import_paths` and the demo content against a real store (SQLite, then
//! the whole suite again on PostgreSQL); the WordPress export reader and
//! content converter against the shared test data.

mod ingest;
mod wordpress;
mod wp_content;
mod wxr;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use manset_import::{ImportError, import_paths};
use manset_store::Store;

fn now() -> Timestamp {
    "2026-11-28T12:00:00Z".parse().unwrap()
}

/// A store in `dir`, or on PostgreSQL in the suite's second run.
async fn store(dir: &Path) -> Store {
    if manset_testkit::postgres::second_run() {
        let url = manset_testkit::postgres::fresh_database().expect("PostgreSQL for the second run");
        return Store::open_postgres(&url).await.unwrap();
    }
    Store::open(&dir.join("data")).await.unwrap()
}

/// Every other test here, again with the store on PostgreSQL.
#[test]
fn every_import_passes_on_postgresql_too() {
    manset_testkit::postgres::run_suite_again("every_import_passes_on_postgresql_too");
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn file(title: &str) -> String {
    manset_testkit::filler_file(title, "Gündem", "2026-11-01T10:00:00+03:00", &["Bakü"])
}

#[tokio::test]
async fn folders_are_searched_recursively_for_markdown_files() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write(&content, "a.md", &file("Birinci"));
    write(&content, "2026/11/b.markdown", &file("İkinci"));
    write(&content, "README.md", "Bu klasörde haberler var.");
    write(&content, "notes.txt", "not a content file");
    write(&content, ".hidden/c.md", &file("Gizli"));
    let store = store(dir.path()).await;
    let report = import_paths(&store, &[content], now()).await;
    let slugs: Vec<&str> = report.saved().map(|(_, o)| o.slug.as_str()).collect();
    assert_eq!(slugs, ["ikinci", "birinci"]);
    assert_eq!(report.failures().count(), 0);
}

#[tokio::test]
async fn a_bad_file_is_reported_with_its_reason_and_the_others_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.md", &file("Sağlam haber"));
    let no_front = write(dir.path(), "no-front.md", "Sadece metin.");
    let bad_toml = write(dir.path(), "bad-toml.md", "+++\ntitle = \n+++\n");
    let no_category = write(dir.path(), "no-category.md", "+++\ntitle = \"Kategorisiz\"\n+++\nMetin\n");
    let bad_date =
        write(dir.path(), "bad-date.md", "+++\ntitle = \"T\"\ncategory = \"C\"\npublished = \"yarın\"\n+++\n");
    let bad_source = write(
        dir.path(),
        "bad-source.md",
        "+++\ntitle = \"Kaynaklı\"\ncategory = \"C\"\n[source]\nname = \"X\"\nurl = \"ftp://x\"\n+++\n",
    );
    let missing = dir.path().join("missing.md");
    let store = store(dir.path()).await;
    let paths = vec![
        no_front.clone(),
        bad_toml.clone(),
        good,
        no_category.clone(),
        bad_date.clone(),
        bad_source.clone(),
        missing.clone(),
    ];
    let report = import_paths(&store, &paths, now()).await;

    assert_eq!(report.saved().count(), 1);
    let failures: Vec<(PathBuf, String)> = report.failures().map(|(p, e)| (p.to_owned(), e.to_string())).collect();
    let reason = |path: &Path| failures.iter().find(|(p, _)| p == path).map(|(_, r)| r.clone()).unwrap();
    assert!(reason(&no_front).contains("no front matter"));
    assert!(reason(&bad_toml).contains("not valid TOML"));
    assert!(reason(&no_category).contains("category"));
    assert!(reason(&bad_date).contains("RFC 3339"));
    assert!(reason(&bad_source).contains("http(s)"));
    assert!(matches!(report.failures().find(|(p, _)| *p == missing).unwrap().1, ImportError::Read(_)));
    // Nothing of the failed files was written: one article, one category.
    assert_eq!(store.article_count().await.unwrap(), 1);
    assert_eq!(store.menu_categories(now()).await.unwrap().len(), 1);
}

#[tokio::test]
async fn importing_the_same_file_again_updates_its_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.md", &file("Bakü’de toplantı"));
    let store = store(dir.path()).await;
    let first = import_paths(&store, std::slice::from_ref(&path), now()).await;
    assert!(first.saved().next().unwrap().1.created);
    write(dir.path(), "a.md", &file("Bakü’de toplantı sona erdi"));
    // Through another spelling of the same path.
    let again = import_paths(&store, &[dir.path().join(".").join("a.md")], now()).await;
    let (_, outcome) = again.saved().next().unwrap();
    assert!(!outcome.created);
    assert_eq!(outcome.slug, "bakude-toplanti");
    assert_eq!(store.article_count().await.unwrap(), 1);
    let article = store.published_article("bakude-toplanti", now()).await.unwrap().unwrap();
    assert_eq!(article.headline, "Bakü’de toplantı sona erdi");
}

#[tokio::test]
async fn the_demo_content_loads_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let report = manset_import::demo::load(&store, now()).await;
    let failures: Vec<String> = report.failures().map(|(p, e)| format!("{}: {e}", p.display())).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(report.saved().count() >= 12, "a dozen demo articles");
    let categories = store.menu_categories(now()).await.unwrap();
    assert!((3..=4).contains(&categories.len()), "{categories:?}");
    // Loading again changes nothing.
    manset_import::demo::load(&store, now()).await;
    assert_eq!(store.article_count().await.unwrap(), report.saved().count() as u64);
}
