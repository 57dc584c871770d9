//! The storage interface on both engines: SQLite on a real file in a
//! temporary folder, PostgreSQL on a throwaway cluster (`manset_testkit::
//! postgres`). Every behaviour below runs on each (`on_both!`); what only
//! one engine has is tested on that one.

use jiff::Timestamp;
use manset_core::{ArticleInput, SourceCredit, Status};
use manset_store::{DB_FILE, Store, StoreError};
use sqlx::Connection;

fn now() -> Timestamp {
    "2025-01-01T00:00:00Z".parse().unwrap()
}

fn input(headline: &str) -> ArticleInput {
    ArticleInput {
        headline: headline.into(),
        standfirst: "Spot".into(),
        body: "Gövde".into(),
        slug: None,
        category: "Gündem".into(),
        tags: vec!["Bakü".into()],
        authors: vec!["Ayşe Yılmaz".into()],
        published_at: "2024-06-28T09:00:00Z".parse().unwrap(),
        updated_at: None,
        status: Status::Published,
        sources: vec![],
        seo_title: None,
        seo_description: None,
        correction: None,
        image: None,
        lang: None,
    }
}

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("nested/data")).await.unwrap();
    (dir, store)
}

/// A store on a new PostgreSQL database, or `None` where there is none.
async fn postgres_store() -> Option<Store> {
    let url = manset_testkit::postgres::fresh_database()?;
    Some(Store::open_postgres(&url).await.unwrap())
}

/// Each named test (an `async fn(Store)`) once on SQLite, once on PostgreSQL.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (_dir, store) = super::store().await;
                    super::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(store) = super::postgres_store().await else { return };
                    super::$name(store).await;
                }
            )*
        }
    };
}

on_both!(
    a_failure_midway_leaves_nothing_written,
    a_taken_slug_gets_a_suffix_never_an_overwrite,
    saving_under_the_same_import_key_updates_in_place,
    names_that_slugify_alike_are_one_category,
    invalid_input_is_refused_before_anything_is_written,
    the_body_html_is_rendered_and_sanitized_on_save,
    visibility_depends_on_status_and_publish_time,
    an_import_run_rewrites_in_place_what_changed_in_the_source,
);

#[tokio::test]
async fn opening_creates_the_folder_with_wal_and_foreign_keys() {
    let (dir, store) = store().await;
    let path = dir.path().join("nested/data").join(DB_FILE);
    assert!(path.is_file());
    store.close().await;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
    assert_eq!(mode, "wal");
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&mut conn).await.unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap().count();
    assert_eq!(applied, files as i64, "every migration file applied once");
    // Opening again is fine: migrations are not re-applied.
    Store::open(&dir.path().join("nested/data")).await.unwrap();
}

async fn a_failure_midway_leaves_nothing_written(store: Store) {
    let mut a = input("Başlık");
    a.tags = vec!["!!!".into()];
    // A tag with no letters cannot be linked; the whole save is refused.
    let err = store.save_article(a, None, now()).await.unwrap_err();
    assert!(matches!(err, StoreError::Unsluggable(ref n) if n == "!!!"), "{err}");
    assert_eq!(store.article_count().await.unwrap(), 0, "nothing half-written");
}

async fn a_taken_slug_gets_a_suffix_never_an_overwrite(store: Store) {
    let first = store.save_article(input("İstanbul’da yağmur"), Some("a"), now()).await.unwrap();
    let second = store.save_article(input("İstanbul'da yağmur"), Some("b"), now()).await.unwrap();
    let mut explicit = input("Başka başlık");
    explicit.slug = Some("istanbulda-yagmur".into());
    let third = store.save_article(explicit, Some("c"), now()).await.unwrap();
    assert_eq!(first.slug, "istanbulda-yagmur");
    assert_eq!(second.slug, "istanbulda-yagmur-2");
    assert_eq!(third.slug, "istanbulda-yagmur-3");
    assert!(first.created && second.created && third.created);
    assert_eq!(store.article_count().await.unwrap(), 3);
    let original = store.published_article("istanbulda-yagmur", now()).await.unwrap().unwrap();
    assert_eq!(original.id, first.id);
}

async fn saving_under_the_same_import_key_updates_in_place(store: Store) {
    let created = store.save_article(input("İlk başlık"), Some("markdown:/x.md"), now()).await.unwrap();
    let mut changed = input("Düzeltilmiş başlık");
    changed.tags = vec!["Tiflis".into(), "Enerji".into()];
    changed.sources = vec![SourceCredit { name: "Turan".into(), url: None, note: None }];
    let updated = store.save_article(changed, Some("markdown:/x.md"), now()).await.unwrap();
    assert_eq!(updated.id, created.id);
    assert!(!updated.created);
    // The URL stays stable although the headline changed.
    assert_eq!(updated.slug, "ilk-baslik");
    assert_eq!(store.article_count().await.unwrap(), 1);
    let article = store.published_article("ilk-baslik", now()).await.unwrap().unwrap();
    assert_eq!(article.headline, "Düzeltilmiş başlık");
    assert_eq!(article.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Tiflis", "Enerji"]);
    assert_eq!(article.sources[0].name, "Turan");
}

async fn names_that_slugify_alike_are_one_category(store: Store) {
    let mut a = input("Bir");
    a.category = "Dünya".into();
    let mut b = input("İki");
    b.category = "DÜNYA".into();
    store.save_article(a, None, now()).await.unwrap();
    store.save_article(b, None, now()).await.unwrap();
    let menu = store.menu_categories(now()).await.unwrap();
    assert_eq!(menu.len(), 1);
    assert_eq!(menu[0].slug, "dunya");
    assert_eq!(menu[0].name, "Dünya", "the first spelling is kept");
}

async fn invalid_input_is_refused_before_anything_is_written(store: Store) {
    let mut bad = input("Başlık");
    bad.sources = vec![SourceCredit { name: "X".into(), url: Some("javascript:alert(1)".into()), note: None }];
    let err = store.save_article(bad, None, now()).await.unwrap_err();
    assert!(err.to_string().contains("source credit 1"), "{err}");
    assert_eq!(store.article_count().await.unwrap(), 0);
    assert!(store.menu_categories(now()).await.unwrap().is_empty());
}

async fn the_body_html_is_rendered_and_sanitized_on_save(store: Store) {
    let mut a = input("Başlık");
    a.body = "**Kalın** <script>x()</script>".into();
    let saved = store.save_article(a, None, now()).await.unwrap();
    let article = store.published_article(&saved.slug, now()).await.unwrap().unwrap();
    assert!(article.body_html.contains("<strong>Kalın</strong>"));
    assert!(!article.body_html.contains("script"));
}

async fn visibility_depends_on_status_and_publish_time(store: Store) {
    let mut draft = input("Taslak");
    draft.status = Status::Draft;
    let mut embargoed = input("Ambargo");
    embargoed.published_at = "2025-06-01T00:00:00Z".parse().unwrap();
    let d = store.save_article(draft, None, now()).await.unwrap();
    let e = store.save_article(embargoed, None, now()).await.unwrap();
    assert!(store.published_article(&d.slug, now()).await.unwrap().is_none());
    assert!(store.published_article(&e.slug, now()).await.unwrap().is_none());
    let later: Timestamp = "2025-06-01T00:00:00Z".parse().unwrap();
    assert!(store.published_article(&e.slug, later).await.unwrap().is_some(), "visible once its time comes");
    assert!(store.latest_published(now(), 10, 0).await.unwrap().is_empty());
}

async fn an_import_run_rewrites_in_place_what_changed_in_the_source(store: Store) {
    use manset_store::{Imported, ImportedComment, ImportedPage};
    let saved = store.save_article(input("Yorumlu haber"), None, now()).await.unwrap();
    let page = |title: &'static str| ImportedPage {
        title,
        slug: "kunye",
        body: "Yayın kurulu",
        draft: false,
        created_at: now(),
        modified_at: now(),
    };
    let comment = |body: &'static str| ImportedComment {
        article_id: saved.id,
        parent_id: None,
        name: "Okur",
        email: "okur@example.com",
        url: None,
        ip: None,
        body,
        status: manset_core::CommentStatus::Approved,
        created_at: now(),
    };
    let mut run = store.begin_import("wordpress:https://eski.example", now()).await.unwrap();
    let Imported::Created(page_id) = run.page("7", &page("Künye"), "h1").await.unwrap() else { panic!("created") };
    let Imported::Created(comment_id) = run.comment("9", &comment("İlk"), "h1").await.unwrap() else { panic!() };
    assert_eq!(run.page("7", &page("Künye"), "h1").await.unwrap(), Imported::Unchanged(page_id));
    assert_eq!(run.page("7", &page("Künye ve iletişim"), "h2").await.unwrap(), Imported::Updated(page_id));
    assert_eq!(run.comment("9", &comment("Düzeltilmiş"), "h2").await.unwrap(), Imported::Updated(comment_id));
    run.commit().await.unwrap();
    assert_eq!(store.static_page(page_id).await.unwrap().unwrap().title, "Künye ve iletişim");
    let shown = store.approved_comments(saved.id).await.unwrap();
    assert_eq!(shown.len(), 1, "rewritten, not added");
    assert_eq!(shown[0].body, "Düzeltilmiş");
}
