//! Upgrading a site by replacing the binary: what `manset` says about the
//! schema it brings, and the copy it keeps as the way back.

use std::io::Read;
use std::process::Command;

use manset_store::{DB_FILE, SCHEMA_VERSION, schema_history};
use sqlx::Connection;

use crate::{BIN, Server, manset_on_sqlite, sqlite_run_only};

#[test]
fn the_version_names_the_schema_it_brings() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.trim(), format!("manset {} (schema {SCHEMA_VERSION})", env!("CARGO_PKG_VERSION")));
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    assert!(readme.contains(&format!("(schema {SCHEMA_VERSION})")), "the README's upgrade section names the schema");
}

#[test]
fn export_and_reindex_each_explain_themselves() {
    let help = |command: &str| {
        let out = Command::new(BIN).args([command, "--help"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let export = help("export");
    assert!(export.starts_with("Write the whole site") && !export.contains("Rebuild the search index"), "{export}");
    assert!(help("reindex").starts_with("Rebuild the search index"));
}

/// A data folder as the binary of the schema before this one left it.
fn site_of_the_previous_schema(data: &std::path::Path) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        std::fs::create_dir_all(data).unwrap();
        let url = format!("sqlite://{}?mode=rwc", data.join(DB_FILE).display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql("PRAGMA journal_mode = WAL").execute(&mut conn).await.unwrap();
        schema_history::sqlite().run_to(SCHEMA_VERSION - 1, &mut conn).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO categories (name, slug, position, created_at) VALUES ('Gündem', 'gundem', 0, 1719565200);
             INSERT INTO articles (slug, headline, body_html, status, category_id, published_at, created_at, modified_at)
             VALUES ('eski-haber', 'Eski haber', '<p>Eski gövde.</p>', 'published',
                     (SELECT id FROM categories WHERE slug = 'gundem'), 1719565200, 1719565200, 1719565200);",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    });
}

#[test]
fn serve_keeps_a_copy_from_before_the_upgrade_until_it_next_starts() {
    if sqlite_run_only("the copy before an upgrade is the SQLite data folder's") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    site_of_the_previous_schema(&data);
    let copy = data.join(format!("{DB_FILE}.schema-{}.bak", SCHEMA_VERSION - 1));

    let mut upgraded = Server::start(manset_on_sqlite(&data), &[]);
    let (status, body) = upgraded.get("/haber/eski-haber");
    assert_eq!(status, 200);
    assert!(body.contains("Eski gövde."));
    assert!(copy.is_file(), "the database as it was, beside it");
    upgraded.child.kill().unwrap();
    let mut log = String::new();
    upgraded.child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(
        log.contains(&format!("from schema {} to {SCHEMA_VERSION}", SCHEMA_VERSION - 1))
            && log.contains(&copy.display().to_string()),
        "the log names the copy:\n{log}"
    );
    drop(upgraded);

    // Other commands leave it: only a started site has shown the upgrade works.
    let listed = manset_on_sqlite(&data).args(["settings", "list"]).output().unwrap();
    assert!(listed.status.success());
    assert!(copy.is_file());

    let again = Server::start(manset_on_sqlite(&data), &[]);
    assert_eq!(again.get("/haber/eski-haber").0, 200);
    assert!(!copy.exists(), "the next start removes it");
}
