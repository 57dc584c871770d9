//! What an upgrade may and may not do to a site's database: a newer schema
//! is refused without a write, a SQLite site is copied before it is
//! migrated, and a migration that fails leaves the site as it was.

use manset_store::{DB_FILE, SCHEMA_VERSION, Store, StoreError, schema_history, upgrade_copies};
use sqlx::Connection;

async fn sqlite(data: &std::path::Path) -> sqlx::SqliteConnection {
    std::fs::create_dir_all(data).unwrap();
    let url = format!("sqlite://{}?mode=rwc", data.join(DB_FILE).display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("PRAGMA journal_mode = WAL").execute(&mut conn).await.unwrap();
    conn
}

/// One category and one article, in SQL every schema since 4 takes.
const ROWS: &str = "INSERT INTO categories (name, slug, position, created_at) VALUES ('Gündem', 'gundem', 0, 1719565200);
INSERT INTO articles (slug, headline, status, category_id, published_at, created_at, modified_at)
VALUES ('eski-haber', 'Eski haber', 'published', (SELECT id FROM categories WHERE slug = 'gundem'), 1719565200, 1719565200, 1719565200);";

async fn versions(conn: &mut sqlx::SqliteConnection) -> Vec<i64> {
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version").fetch_all(conn).await.unwrap()
}

#[tokio::test]
async fn a_database_of_a_newer_schema_is_refused_and_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    Store::open(&data).await.unwrap().close().await;
    // What a binary of the next schema leaves behind.
    let mut conn = sqlite(&data).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ({}, 'from the future', TRUE, X'00', 1)",
        SCHEMA_VERSION + 1
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    let before = std::fs::read(data.join(DB_FILE)).unwrap();

    let refused = Store::open(&data).await.expect_err("refused");
    assert!(
        matches!(refused, StoreError::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION)
    );
    let message = refused.to_string();
    assert!(message.contains(&format!("schema version {}", SCHEMA_VERSION + 1)), "{message}");
    assert!(message.contains(&format!("brings schema {SCHEMA_VERSION}")) && message.contains("Nothing was changed"));
    assert_eq!(std::fs::read(data.join(DB_FILE)).unwrap(), before, "not a byte written");
    assert!(upgrade_copies(&data).is_empty(), "no copy: there was nothing to migrate");
}

#[tokio::test]
async fn a_database_of_a_newer_schema_is_refused_on_postgresql_too() {
    let Some(url) = manset_testkit::postgres::fresh_database() else { return };
    Store::open_postgres(&url).await.unwrap().close().await;
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ({}, 'from the future', TRUE, '\\x00', 1)",
        SCHEMA_VERSION + 1
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    const BOOKKEEPING: &str = "SELECT COUNT(*), MAX(version) FROM _sqlx_migrations";
    let before: (i64, i64) = sqlx::query_as(BOOKKEEPING).fetch_one(&mut conn).await.unwrap();
    let refused = Store::open_postgres(&url).await.expect_err("refused");
    assert!(matches!(refused, StoreError::NewerSchema { .. }), "{refused}");
    let after: (i64, i64) = sqlx::query_as(BOOKKEEPING).fetch_one(&mut conn).await.unwrap();
    assert_eq!(after, before);
}

#[tokio::test]
async fn an_upgrade_keeps_a_copy_of_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut conn = sqlite(&data).await;
    schema_history::sqlite().run_to(SCHEMA_VERSION - 1, &mut conn).await.unwrap();
    sqlx::raw_sql(ROWS).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();

    let store = Store::open(&data).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), SCHEMA_VERSION);
    store.close().await;
    let copy = data.join(format!("{DB_FILE}.schema-{}.bak", SCHEMA_VERSION - 1));
    assert_eq!(upgrade_copies(&data), std::slice::from_ref(&copy));
    let mut old = sqlx::SqliteConnection::connect(&format!("sqlite://{}", copy.display())).await.unwrap();
    assert_eq!(versions(&mut old).await.last(), Some(&(SCHEMA_VERSION - 1)), "the copy is the old schema");
    let headline: String = sqlx::query_scalar("SELECT headline FROM articles").fetch_one(&mut old).await.unwrap();
    assert_eq!(headline, "Eski haber");

    // Opening the upgraded database again migrates nothing and copies nothing more.
    Store::open(&data).await.unwrap().close().await;
    assert_eq!(upgrade_copies(&data), [copy]);
}

#[tokio::test]
async fn a_failed_migration_leaves_the_database_as_it_was_and_the_copy_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let from = SCHEMA_VERSION - 2;
    let mut conn = sqlite(&data).await;
    schema_history::sqlite().run_to(from, &mut conn).await.unwrap();
    sqlx::raw_sql(ROWS).execute(&mut conn).await.unwrap();
    // A hand-made index in the way of the last migration's own: the one
    // before it applies, the last fails.
    sqlx::raw_sql("CREATE INDEX articles_desk_published ON articles (slug)").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();

    let failed = Store::open(&data).await.expect_err("the last migration fails");
    let StoreError::UpgradeFailed { from: was, to, ref copy, .. } = failed else { panic!("{failed}") };
    assert_eq!((was, to), (from, SCHEMA_VERSION));
    let message = failed.to_string();
    assert!(message.contains(&format!("put back as it was (schema {from})")), "{message}");
    assert!(message.contains(&copy.display().to_string()) && message.contains("previous Manşet binary"), "{message}");

    // The original: the schema it had (not the one migration that did
    // apply), with its rows.
    let mut original = sqlite(&data).await;
    assert_eq!(versions(&mut original).await.last(), Some(&from));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles").fetch_one(&mut original).await.unwrap();
    assert_eq!(count, 1);
    let autosaves: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'article_autosaves'")
        .fetch_one(&mut original)
        .await
        .unwrap();
    assert_eq!(autosaves, i64::from(from >= 17), "nothing of the migrations after {from} is left");
    original.close().await.unwrap();
    // And the copy, intact beside it.
    let mut kept = sqlx::SqliteConnection::connect(&format!("sqlite://{}", copy.display())).await.unwrap();
    assert_eq!(versions(&mut kept).await.last(), Some(&from));
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut kept).await.unwrap();
    assert_eq!(check, "ok");
}
