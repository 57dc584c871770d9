//! The reading site through the real router on a real SQLite file in a
//! temporary folder, and then the whole suite once more on PostgreSQL
//! (`the_whole_suite_passes_on_postgresql_too`). One test binary for the
//! crate (faster to link).

mod admin;
mod app;
mod article_page;
mod authorization;
mod caching;
mod comments;
mod feeds;
mod front_page;
mod hostile_fields;
mod legacy;
mod lists;
mod media;
mod moderation;
mod newsroom_lists;
mod page_cache;
mod search;
mod settings;
mod sitemaps;
mod static_pages;
mod structured_data;
mod visibility;
mod workflow;

pub use app::TestApp;

/// Every other test of this binary, run again with the site on a
/// PostgreSQL database (`app::test_store`): both engines must pass the
/// same tests.
#[test]
fn the_whole_suite_passes_on_postgresql_too() {
    if std::env::var_os("MANSET_TEST_DATABASE").is_some() {
        return; // this is the second run itself
    }
    if manset_testkit::postgres::fresh_database().is_none() {
        return; // said why; fails instead under CI=true
    }
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .env("MANSET_TEST_DATABASE", "postgres")
        .args(["--skip", "the_whole_suite_passes_on_postgresql_too", "--test-threads", "4"])
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout.lines().filter(|l| l.starts_with("test result") || l.contains("FAILED")).collect::<Vec<_>>();
    assert!(
        output.status.success(),
        "on PostgreSQL:\n{}\n{}\n{}",
        summary.join("\n"),
        stdout.chars().rev().take(6000).collect::<String>().chars().rev().collect::<String>(),
        String::from_utf8_lossy(&output.stderr).chars().take(4000).collect::<String>()
    );
    eprintln!("on PostgreSQL: {}", summary.join("; "));
}
