//! The schema's history, embedded in the binary, for each engine.
//!
//! Migrations are append-only: a released file never changes (sqlx checks its
//! checksum, and `migrations/history.lock` locks every released file's
//! checksum for the tests), a schema change is a new numbered file. Listed by hand rather
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

/// The schema version this binary brings: its newest migration, the same
/// on both engines.
pub const SCHEMA_VERSION: i64 = SQLITE[SQLITE.len() - 1].0;

/// The migrator for the SQLite backend. (Public for the upgrade tests,
/// which build databases of every older schema with `run_to`.)
pub fn sqlite() -> Migrator {
    migrator(SQLITE)
}

/// The migrator for the PostgreSQL backend.
pub fn postgres() -> Migrator {
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

    const LOCK: &str = include_str!("../migrations/history.lock");

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What differs between an engine's migrations and the lock, one
    /// message each, saying what to do instead.
    fn lock_problems(lock: &str, engine: &str, files: &'static [(i64, &'static str, &'static str)]) -> Vec<String> {
        let locked: Vec<(i64, &str)> = lock
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let mut fields = line.split_whitespace();
                if fields.next() != Some(engine) {
                    return None;
                }
                Some((fields.next()?.parse().ok()?, fields.next()?))
            })
            .collect();
        let next = files.last().map_or(1, |m| m.0 + 1);
        let mut problems = Vec::new();
        for migration in migrator(files).iter() {
            let checksum = hex(&migration.checksum);
            match locked.iter().find(|(version, _)| *version == migration.version) {
                Some((_, sum)) if *sum == checksum => {}
                Some(_) => problems.push(format!(
                    "migrations/{engine}/{:04}_*.sql changed after it was released: a site that applied it would \
                     refuse to start (or miss the change). Put the file back as it was and make the change in a \
                     new migration, {next:04}",
                    migration.version
                )),
                None => problems.push(format!(
                    "migration {engine} {} is not in migrations/history.lock: once it is final, add the line \
                     `{engine} {} {checksum}`",
                    migration.version, migration.version
                )),
            }
        }
        for (version, _) in &locked {
            if !files.iter().any(|m| m.0 == *version) {
                problems.push(format!(
                    "history.lock names {engine} {version}, which has no file: a released migration stays for good"
                ));
            }
        }
        problems
    }

    #[test]
    fn every_released_migration_is_as_the_history_lock_has_it() {
        let mut problems = lock_problems(LOCK, "sqlite", SQLITE);
        problems.extend(lock_problems(LOCK, "postgres", POSTGRES));
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_history_lock_catches_an_edited_a_new_and_a_removed_migration() {
        // A test's own versions of the history (leaked: the migrator takes `'static` text).
        let edited = String::leak(format!("{} -- one more index", SQLITE[12].2));
        let mut files: Vec<(i64, &str, &str)> = SQLITE.to_vec();
        files[12].2 = edited;
        let problems = lock_problems(LOCK, "sqlite", files.clone().leak());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("sqlite/0013_*.sql changed") && problems[0].contains("new migration, 0019"));

        files[12].2 = SQLITE[12].2;
        files.push((19, "next", "CREATE TABLE x (id INTEGER);"));
        let problems = lock_problems(LOCK, "sqlite", files.leak());
        assert!(problems.len() == 1 && problems[0].contains("add the line `sqlite 19 "), "{problems:?}");

        let problems = lock_problems(LOCK, "postgres", &POSTGRES[1..]);
        assert!(problems.len() == 1 && problems[0].contains("postgres 13, which has no file"), "{problems:?}");
    }

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
