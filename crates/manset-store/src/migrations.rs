//! The schema's history, embedded in the binary, for each engine.
//!
//! Migrations are append-only: a released file never changes (sqlx checks its
//! checksum), a schema change is a new numbered file. Listed by hand rather
//! than by `sqlx::migrate!` so the build needs no proc-macro copy of sqlx.
//!
//! PostgreSQL joined at version 13 with one file that makes the schema
//! SQLite has after its first 13; from 14 on every change is a file of the
//! same number in both folders, and a test compares the two schemas.

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "reading site", include_str!("../migrations/sqlite/0001_reading_site.sql")),
    (2, "comments", include_str!("../migrations/sqlite/0002_comments.sql")),
    (3, "accounts", include_str!("../migrations/sqlite/0003_accounts.sql")),
    (4, "newsroom", include_str!("../migrations/sqlite/0004_newsroom.sql")),
    (5, "bylines", include_str!("../migrations/sqlite/0005_bylines.sql")),
    (6, "lead image", include_str!("../migrations/sqlite/0006_lead_image.sql")),
    (7, "newsroom part 2", include_str!("../migrations/sqlite/0007_newsroom_part_2.sql")),
    (8, "media", include_str!("../migrations/sqlite/0008_media.sql")),
    (9, "taxonomy redirects", include_str!("../migrations/sqlite/0009_taxonomy_redirects.sql")),
    (10, "article language", include_str!("../migrations/sqlite/0010_article_language.sql")),
    (11, "imports", include_str!("../migrations/sqlite/0011_imports.sql")),
    (12, "feeds", include_str!("../migrations/sqlite/0012_feeds.sql")),
    (13, "change log", include_str!("../migrations/sqlite/0013_changes.sql")),
    (14, "rate hits", include_str!("../migrations/sqlite/0014_rate_hits.sql")),
    (15, "two factor", include_str!("../migrations/sqlite/0015_two_factor.sql")),
    (16, "comment authorship", include_str!("../migrations/sqlite/0016_comment_authorship.sql")),
    (17, "editing", include_str!("../migrations/sqlite/0017_editing.sql")),
    (18, "newsroom lists", include_str!("../migrations/sqlite/0018_newsroom_lists.sql")),
];

const POSTGRES: &[(i64, &str, &str)] = &[
    (13, "schema as of sqlite 13", include_str!("../migrations/postgres/0013_schema.sql")),
    (14, "rate hits", include_str!("../migrations/postgres/0014_rate_hits.sql")),
    (15, "two factor", include_str!("../migrations/postgres/0015_two_factor.sql")),
    (16, "comment authorship", include_str!("../migrations/postgres/0016_comment_authorship.sql")),
    (17, "editing", include_str!("../migrations/postgres/0017_editing.sql")),
    (18, "newsroom lists", include_str!("../migrations/postgres/0018_newsroom_lists.sql")),
];

/// The migrator for the SQLite backend.
pub(crate) fn sqlite() -> Migrator {
    migrator(SQLITE)
}

/// The migrator for the PostgreSQL backend.
pub(crate) fn postgres() -> Migrator {
    migrator(POSTGRES)
}

fn migrator(files: &'static [(i64, &str, &str)]) -> Migrator {
    let migrations = files
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(version, Cow::Borrowed(description), MigrationType::Simple, sql.into_sql_str(), false)
        })
        .collect();
    Migrator::with_migrations(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_strictly_increasing() {
        assert!(SQLITE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(POSTGRES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(sqlite().iter().count(), SQLITE.len());
    }

    #[test]
    fn both_engines_end_at_the_same_version() {
        assert_eq!(SQLITE.last().map(|m| m.0), POSTGRES.last().map(|m| m.0));
        let later = |files: &[(i64, &str, &str)]| files.iter().filter(|m| m.0 > 13).map(|m| m.0).collect::<Vec<_>>();
        assert_eq!(later(SQLITE), later(POSTGRES), "a schema change needs a file of the same number for each engine");
    }
}
