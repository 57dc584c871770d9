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
mod desk;
mod editing;
mod front_page;
mod hostile_fields;
mod http_surface;
mod legacy;
mod lists;
mod media;
mod moderation;
mod newsroom_lists;
mod page_cache;
mod preview;
mod search;
mod settings;
mod sitemaps;
mod static_pages;
mod structured_data;
mod syndication;
mod two_factor;
mod upgrades;
mod visibility;
mod workflow;

pub use app::TestApp;

/// Every other test of this binary, run again with the site on a
/// PostgreSQL database (`app::test_store`): both engines must pass the
/// same tests.
#[test]
fn the_whole_suite_passes_on_postgresql_too() {
    manset_testkit::postgres::run_suite_again("the_whole_suite_passes_on_postgresql_too");
}
