//! The storage interface on both engines: SQLite on a real file in a
//! temporary folder, PostgreSQL on a throwaway cluster (`manset_testkit::
//! postgres`). Every behaviour below runs on each (`on_both!`); what only
//! one engine has is tested on that one.

mod upgrade_safety;

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
    a_rewrite_of_bodies_is_a_revision_of_each_article_it_changes,
    a_nul_character_is_stored_as_a_replacement_character_on_both_engines,
    lists_sort_text_by_its_bytes_on_both_engines,
    login_delays_grow_with_failures_and_a_right_secret_is_given_back,
    a_totp_step_and_a_recovery_code_each_work_once,
    only_the_posters_own_approved_comment_proves_authorship_and_replies_keep_their_role,
    the_desk_counts_every_state_and_pages_the_same_rows_at_any_depth,
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

/// Two stores on one database, as two app servers (or a server and a
/// command) have them: on SQLite the same file, on PostgreSQL the same URL.
async fn a_rewrite_of_bodies_is_a_revision_of_each_article_it_changes(store: Store) {
    let a = store.save_article(input("Liman"), None, now()).await.unwrap().id;
    let b = store.save_article(input("Köprü"), None, now()).await.unwrap().id;
    let later = now() + jiff::SignedDuration::from_hours(1);
    let changed = store
        .rewrite_articles(&[a, b], later, |body, image| {
            body.contains("Gövde")
                .then(|| (body.replace("Gövde", "![Liman](/medya/2024/06/liman.jpg)"), image.cloned()))
        })
        .await
        .unwrap();
    assert_eq!(changed, 2);
    let revisions = store.revisions(a).await.unwrap();
    assert_eq!(revisions.len(), 2, "the import's save, then the rewrite");
    let newest = &revisions[0];
    assert_eq!(newest.content.body, "![Liman](/medya/2024/06/liman.jpg)");
    assert_eq!(newest.content.headline, "Liman", "the rest of the article as it was");
    assert_eq!(newest.created_at, later);
    assert_eq!(newest.user_name, None, "the import did it, not a member");
    assert_eq!(store.editable_article(a).await.unwrap().unwrap().input.body, newest.content.body);
    // Nothing to change: no revision.
    store.rewrite_articles(&[b], later, |_, _| None).await.unwrap();
    assert_eq!(store.revisions(b).await.unwrap().len(), 2);
}

async fn twins() -> Vec<(Option<tempfile::TempDir>, Store, Store)> {
    let (dir, first) = store().await;
    let second = Store::open(&dir.path().join("nested/data")).await.unwrap();
    let mut out = vec![(Some(dir), first, second)];
    if let Some(url) = manset_testkit::postgres::fresh_database() {
        out.push((None, Store::open_postgres(&url).await.unwrap(), Store::open_postgres(&url).await.unwrap()));
    }
    out
}

#[tokio::test]
async fn a_comment_burst_over_two_servers_loses_nothing_and_stores_no_duplicate() {
    for (_dir, a, b) in twins().await {
        let article = a.save_article(input("Çok yorumlu"), None, now()).await.unwrap();
        let post = |store: Store, n: usize| async move {
            let body = format!("Yorum {n}");
            let email = format!("okur{}@example.com", n % 7);
            let new = manset_store::NewComment {
                article_id: article.id,
                parent_id: None,
                name: "Okur",
                email: &email,
                url: None,
                body: &body,
                ip: Some("203.0.113.9"),
                max_depth: 3,
                own_comment_ids: &[],
                staff: None,
            };
            store.add_comment(&new, now(), |_| manset_core::comment::Decision::approved()).await.unwrap()
        };
        // Every comment twice, once through each server, all at the same time.
        let mut tasks = Vec::new();
        for n in 0..60 {
            tasks.push(tokio::spawn(post(a.clone(), n)));
            tasks.push(tokio::spawn(post(b.clone(), n)));
        }
        let mut stored = 0;
        for task in tasks {
            if let manset_store::AddedComment::Stored { .. } = task.await.unwrap() {
                stored += 1;
            }
        }
        assert_eq!(stored, 60, "{}: each comment stored once, its twin seen as a duplicate", a.engine());
        let shown = b.approved_comments(article.id).await.unwrap();
        assert_eq!(shown.len(), 60, "{}", a.engine());
    }
}

#[tokio::test]
async fn each_due_feed_goes_to_one_poller_only() {
    for (_dir, a, b) in twins().await {
        for n in 0..20 {
            a.add_feed(&format!("https://ajans.example/{n}.xml"), "Ajans", None, now()).await.unwrap();
        }
        let lease = now() + jiff::SignedDuration::from_mins(5);
        let (first, second) = tokio::join!(a.claim_due_feeds(now(), lease), b.claim_due_feeds(now(), lease));
        let mut ids: Vec<i64> = first.unwrap().iter().chain(second.unwrap().iter()).map(|f| f.id).collect();
        ids.sort();
        let before = ids.len();
        ids.dedup();
        assert_eq!((before, ids.len()), (20, 20), "{}: every feed polled, none twice", a.engine());
        assert!(a.claim_due_feeds(now(), lease).await.unwrap().is_empty(), "taken until the lease ends");
        let later = lease + jiff::SignedDuration::from_secs(1);
        assert_eq!(b.claim_due_feeds(later, later + jiff::SignedDuration::from_mins(5)).await.unwrap().len(), 20);
    }
}

#[tokio::test]
async fn a_rate_limit_counts_the_attempts_made_through_every_server() {
    for (_dir, a, b) in twins().await {
        let key = "comment:203.0.113.9";
        let mut allowed = 0;
        for n in 0..8 {
            let through = if n % 2 == 0 { &a } else { &b };
            if through.allow_attempt(key, 5, 60, now()).await.unwrap() {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 5, "{}: five a minute in all, not five per server", a.engine());
        assert!(a.allow_attempt("comment:198.51.100.1", 5, 60, now()).await.unwrap(), "another address");
        let later = now() + jiff::SignedDuration::from_secs(61);
        assert!(b.allow_attempt(key, 5, 60, later).await.unwrap(), "the window slides");
        // The address that came back forgot its old attempts then; the other one's go now.
        assert_eq!(a.prune_attempts(60, later).await.unwrap(), 1, "older attempts are forgotten");
    }
}

#[tokio::test]
async fn another_servers_write_wakes_a_listener_on_postgresql() {
    let Some(url) = manset_testkit::postgres::fresh_database() else { return };
    let (a, b) = (Store::open_postgres(&url).await.unwrap(), Store::open_postgres(&url).await.unwrap());
    let mut listener = a.listen_for_changes().await.unwrap().expect("PostgreSQL notifies");
    let before = a.last_change().await.unwrap();
    b.save_article(input("Başka sunucudan"), None, now()).await.unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), listener.next()).await.expect("woken").unwrap();
    assert!(a.changes_since(before).await.unwrap().changes.contains(&manset_store::Change::Listing));
    let (_dir, sqlite) = store().await;
    assert!(sqlite.listen_for_changes().await.unwrap().is_none(), "one machine: the log is read every second");
}

#[tokio::test]
async fn connections_the_server_closed_cost_no_failed_request() {
    let Some(url) = manset_testkit::postgres::fresh_database() else { return };
    let store = Store::open_postgres(&url).await.unwrap();
    let saved = store.save_article(input("Yeniden bağlanan haber"), None, now()).await.unwrap();
    // Several connections in the pool, all idle.
    let read = || store.published_article(&saved.slug, now());
    let (a, b, c, d) = tokio::join!(read(), read(), read(), read());
    assert!([a, b, c, d].iter().all(|r| matches!(r, Ok(Some(_)))));
    // The server ends every one (a restart, a failover, an administrator).
    let end_every_connection = || {
        let ended = manset_testkit::postgres::psql(
            &url,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .unwrap();
        assert_ne!(ended, "0", "the pool's connections were ended");
        // Ending is a signal; wait until the server has closed them all, so
        // what follows meets closed connections, not ones still closing
        // (a transaction caught mid-way by the end fails, rightly).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while manset_testkit::postgres::psql(
            &url,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .unwrap()
            != "0"
        {
            assert!(std::time::Instant::now() < deadline, "the ended connections never closed");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    end_every_connection();
    // Readers get fresh connections, not errors.
    for _ in 0..8 {
        assert!(read().await.unwrap().is_some());
    }
    // Writers too: their transaction begins on a live connection.
    let (a, b, c, d) = tokio::join!(read(), read(), read(), read());
    assert!([a, b, c, d].iter().all(|r| matches!(r, Ok(Some(_)))));
    end_every_connection();
    store.save_article(input("Bağlantı koptuktan sonra"), None, now()).await.unwrap();
    store.set_setting("site.name", "Yeniden").await.unwrap();
    assert!(read().await.unwrap().is_some());
}

#[tokio::test]
async fn a_site_moves_from_sqlite_to_postgresql_with_every_row() {
    let Some(url) = manset_testkit::postgres::fresh_database() else { return };
    let (_dir, from) = store().await;
    let first = from.save_article(input("Taşınan haber"), None, now()).await.unwrap();
    let mut second = input("İkinci haber");
    second.tags = vec!["Enerji".into(), "Bakü".into()];
    second.sources = vec![SourceCredit { name: "Turan".into(), url: Some("https://turan.example".into()), note: None }];
    from.save_article(second, None, now()).await.unwrap();
    from.set_setting("site.name", "Taşınan Site").await.unwrap();
    let to = Store::open_postgres(&url).await.unwrap();
    let mut rows = Vec::new();
    from.export_rows(|row| {
        rows.push(row);
        Ok(())
    })
    .await
    .unwrap();
    let version = from.schema_version().await.unwrap();
    to.restore_rows(version, rows.into_iter().map(Ok)).await.unwrap();
    let (sums_from, sums_to) = (from.table_checksums().await.unwrap(), to.table_checksums().await.unwrap());
    assert!(sums_from.iter().any(|(t, n, _)| t == "articles" && *n == 2));
    assert_eq!(sums_from, sums_to, "every table, row for row");
    let moved = to.published_article(&first.slug, now()).await.unwrap().expect("the article on PostgreSQL");
    assert_eq!(moved.id, first.id, "ids kept");
    // New rows get new ids after the restored ones.
    let third = to.save_article(input("Yeni haber"), None, now()).await.unwrap();
    assert!(third.id > first.id + 1);
}

async fn a_nul_character_is_stored_as_a_replacement_character_on_both_engines(store: Store) {
    assert!(store.published_article("a\0b", now()).await.unwrap().is_none(), "an address with NUL is not found");
    let mut a = input("Başlık\0 ile");
    a.body = "Gövde\0".into();
    let saved = store.save_article(a, None, now()).await.unwrap();
    let article = store.published_article(&saved.slug, now()).await.unwrap().unwrap();
    // An article's text loses its control characters at the door
    // (`ArticleInput::normalized`); a NUL that reaches a statement another
    // way is stored as U+FFFD (the address looked up above).
    assert_eq!(article.headline, "Başlık ile");
    assert_eq!(article.body, "Gövde");
}

async fn lists_sort_text_by_its_bytes_on_both_engines(store: Store) {
    for name in ["Zeytin", "Çay", "armut", "Elma"] {
        let mut a = input(&format!("{name} haberi"));
        a.tags = vec![name.into()];
        store.save_article(a, None, now()).await.unwrap();
    }
    let tags = store.taxonomy(manset_store::Taxonomy::Tag).await.unwrap();
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Elma", "Zeytin", "armut", "Çay"], "{}: the same order on either engine", store.engine());
}

const MEMBER_HERE: &str = "login:yazar@example.com|203.0.113.9";
const ADDRESS_HERE: &str = "login-ip:203.0.113.9";

fn login_keys(pair: &'static str, address: &'static str) -> [(&'static str, manset_core::throttle::Policy); 2] {
    use manset_core::throttle::{PER_ACCOUNT_AND_ADDRESS, PER_ADDRESS};
    [(pair, PER_ACCOUNT_AND_ADDRESS), (address, PER_ADDRESS)]
}

fn at(seconds: i64) -> Timestamp {
    now() + jiff::SignedDuration::from_secs(seconds)
}

async fn login_delays_grow_with_failures_and_a_right_secret_is_given_back(store: Store) {
    use manset_store::Attempt;
    let keys = login_keys(MEMBER_HERE, ADDRESS_HERE);
    for _ in 0..5 {
        assert_eq!(store.reserve_attempt(&keys, now()).await.unwrap(), Attempt::Granted, "five free attempts");
    }
    assert_eq!(store.reserve_attempt(&keys, now()).await.unwrap(), Attempt::Wait { until: at(2) });
    assert_eq!(
        store.reserve_attempt(&keys, at(1)).await.unwrap(),
        Attempt::Wait { until: at(2) },
        "waiting is not reset"
    );
    assert_eq!(store.reserve_attempt(&keys, at(2)).await.unwrap(), Attempt::Granted);
    assert_eq!(store.reserve_attempt(&keys, at(2)).await.unwrap(), Attempt::Wait { until: at(6) }, "then 4 s");

    // A stranger failing from elsewhere never delays the member here.
    let elsewhere = login_keys("login:yazar@example.com|198.51.100.7", "login-ip:198.51.100.7");
    assert_eq!(store.reserve_attempt(&elsewhere, at(2)).await.unwrap(), Attempt::Granted);

    // The right password: the attempt is given back, the delay is the one of the failures before it.
    assert_eq!(store.reserve_attempt(&keys, at(6)).await.unwrap(), Attempt::Granted);
    store.refund_attempt(&keys).await.unwrap();
    assert_eq!(store.reserve_attempt(&keys, at(6)).await.unwrap(), Attempt::Wait { until: at(10) });
    // A whole sign-in forgets the member's failures from here, not the address's.
    store.clear_login_failures(MEMBER_HERE).await.unwrap();
    assert_eq!(store.reserve_attempt(&keys, at(6)).await.unwrap(), Attempt::Granted);

    // One address spraying many accounts: twenty free failures in all, then it waits.
    let mut granted = 0;
    for n in 0..40 {
        let pair: &'static str = Box::leak(format!("login:kisi{n}@example.com|192.0.2.1").into_boxed_str());
        if store.reserve_attempt(&login_keys(pair, "login-ip:192.0.2.1"), now()).await.unwrap() == Attempt::Granted {
            granted += 1;
        }
    }
    assert_eq!(granted, 20, "{}", store.engine());

    // An hour without failures and everything is forgotten.
    assert_eq!(store.reserve_attempt(&keys, at(6 + 3600)).await.unwrap(), Attempt::Granted);
}

async fn a_totp_step_and_a_recovery_code_each_work_once(store: Store) {
    let user =
        store.create_user("yazar@example.com", "Yazar", manset_core::Role::Author, "x", now()).await.unwrap().unwrap();
    assert!(store.two_factor(user.id).await.unwrap().is_none());
    assert!(!store.use_totp_step(user.id, 100).await.unwrap(), "no second factor, no step");
    let hashes = vec!["h1".to_owned(), "h2".to_owned()];
    assert!(store.enable_two_factor(user.id, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 100, &hashes).await.unwrap());
    assert!(!store.enable_two_factor(user.id, "OTHER", 101, &hashes).await.unwrap(), "enabled once");
    let factor = store.two_factor(user.id).await.unwrap().unwrap();
    assert_eq!((factor.secret.as_str(), factor.last_step), ("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Some(100)));
    assert!(!store.use_totp_step(user.id, 100).await.unwrap(), "the confirming code is used");
    assert!(store.use_totp_step(user.id, 101).await.unwrap());
    assert!(!store.use_totp_step(user.id, 101).await.unwrap(), "replay");
    assert_eq!(store.use_recovery_code(user.id, "h1", now()).await.unwrap(), Some(1));
    assert_eq!(store.use_recovery_code(user.id, "h1", now()).await.unwrap(), None, "used once");
    assert_eq!(store.use_recovery_code(user.id, "nope", now()).await.unwrap(), None);
    assert_eq!(store.recovery_codes_left(user.id).await.unwrap(), 1);
    assert!(store.credentials("yazar@example.com").await.unwrap().unwrap().two_factor);
    assert!(store.disable_two_factor(user.id).await.unwrap());
    assert!(store.two_factor(user.id).await.unwrap().is_none());
    assert_eq!(store.recovery_codes_left(user.id).await.unwrap(), 0);
}

#[tokio::test]
async fn sixty_parallel_attempts_through_two_servers_check_five_secrets() {
    use manset_store::Attempt;
    for (_dir, a, b) in twins().await {
        let keys = login_keys(MEMBER_HERE, ADDRESS_HERE);
        let mut tasks = Vec::new();
        for n in 0..60 {
            let store = if n % 2 == 0 { a.clone() } else { b.clone() };
            tasks.push(tokio::spawn(async move { store.reserve_attempt(&keys, now()).await.unwrap() }));
        }
        let mut granted = 0;
        for task in tasks {
            if task.await.unwrap() == Attempt::Granted {
                granted += 1;
            }
        }
        eprintln!("{}: 60 parallel attempts, {granted} granted", a.engine());
        assert_eq!(granted, 5, "{}: the free attempts, however many arrive at once", a.engine());
    }
}

/// A comment stored the way the reader's form stores one, deciding with
/// `decide`; its id.
async fn comment(
    store: &Store,
    article_id: i64,
    email: &str,
    body: &str,
    own: &[i64],
    staff: Option<manset_store::StaffAuthor>,
    decide: impl FnOnce(manset_store::CommentFacts) -> manset_core::comment::Decision,
) -> i64 {
    let new = manset_store::NewComment {
        article_id,
        parent_id: None,
        name: "Okur",
        email,
        url: None,
        body,
        ip: None,
        max_depth: 3,
        own_comment_ids: own,
        staff,
    };
    match store.add_comment(&new, now(), decide).await.unwrap() {
        manset_store::AddedComment::Stored { id, .. } => id,
        other => panic!("not stored: {other:?}"),
    }
}

async fn only_the_posters_own_approved_comment_proves_authorship_and_replies_keep_their_role(store: Store) {
    use manset_core::comment::{Decision, HoldReason};
    use manset_core::{CommentStatus, Role};
    let article = store.save_article(input("Yorumlu haber"), None, now()).await.unwrap().id;
    let editor =
        store.create_user("Nermin@Example.com", "Nermin Aksoy", Role::Editor, "-", now()).await.unwrap().unwrap();
    let held = |facts: manset_store::CommentFacts| {
        manset_core::comment::decide(manset_core::comment::Signals {
            author_proven: facts.author_proven,
            ..Default::default()
        })
    };
    let first = comment(&store, article, "okur@example.com", "Bir", &[], None, held).await;
    store.set_comment_status(&[first], CommentStatus::Approved, now()).await.unwrap();
    let reply = comment(
        &store,
        article,
        "nermin@example.com",
        "Yanıt",
        &[],
        Some(manset_store::StaffAuthor { user_id: editor.id, role: Role::Editor }),
        |_| Decision::approved(),
    )
    .await;
    let mut seen = manset_store::CommentFacts::default();
    let proven = comment(&store, article, "okur@example.com", "İki", &[999, first], None, |facts| {
        seen = facts.clone();
        held(facts)
    })
    .await;
    assert!(seen.author_proven, "{}: the poster's own approved comment", store.engine());
    assert_eq!(seen.reserved.emails, ["nermin@example.com"]);
    assert_eq!(seen.reserved.names, ["Nermin Aksoy"]);
    // The same address without the poster's ids, another address with
    // them, and a newsroom reply's id: nothing is proven.
    for (email, own) in
        [("okur@example.com", vec![]), ("baska@example.com", vec![first]), ("nermin@example.com", vec![reply])]
    {
        let body = format!("{email} {own:?}");
        comment(&store, article, email, &body, &own, None, |facts| {
            assert!(!facts.author_proven, "{}: {email} with {own:?}", store.engine());
            held(facts)
        })
        .await;
    }

    let comments = store.approved_comments(article).await.unwrap();
    let role = |id: i64| comments.iter().find(|c| c.id == id).unwrap().staff_role;
    assert_eq!((role(first), role(reply), role(proven)), (None, Some(Role::Editor), None), "{}", store.engine());
    let queue = store.comments_for_moderation(None, 100).await.unwrap();
    let item = |id: i64| queue.iter().find(|c| c.id == id).unwrap();
    assert_eq!(item(first).held_for, [HoldReason::Unproven]);
    assert!(item(reply).staff && item(reply).held_for.is_empty());

    // The change log hears of comments as before: pages showing them go.
    let before = store.last_change().await.unwrap();
    comment(&store, article, "okur@example.com", "Üç", &[first], None, held).await;
    let changes = store.changes_since(before).await.unwrap().changes;
    assert!(changes.contains(&manset_store::Change::Comments(article)), "{}: {changes:?}", store.engine());
    let before = store.last_change().await.unwrap();
    store.set_comment_status(&[first], CommentStatus::Trash, now()).await.unwrap();
    let changes = store.changes_since(before).await.unwrap().changes;
    assert!(changes.contains(&manset_store::Change::Comments(article)), "{}: {changes:?}", store.engine());
}

async fn the_desk_counts_every_state_and_pages_the_same_rows_at_any_depth(store: Store) {
    use manset_core::CommentStatus;
    use manset_store::{NewsroomCounts, NewsroomFilter, NewsroomSort};
    let states = [
        ("Taslak bir", Status::Draft, -3),
        ("Taslak iki", Status::Draft, -2),
        ("Onayda", Status::Review, -1),
        ("Yayında bir", Status::Published, -5),
        ("Yayında iki", Status::Published, -4),
        ("Yarın çıkacak", Status::Published, 1),
        ("Kaldırılan", Status::Unpublished, -6),
        ("Çöpteki", Status::Trash, -7),
    ];
    let mut ids = Vec::new();
    for (headline, status, days) in states {
        let mut article = input(headline);
        article.status = status;
        article.published_at = now().checked_add(jiff::SignedDuration::from_hours(24 * days)).unwrap();
        ids.push(store.save_article(article, None, now()).await.unwrap().id);
    }
    let held = |_| manset_core::comment::Decision { status: CommentStatus::Pending, reasons: Vec::new() };
    comment(&store, ids[3], "okur@example.com", "Bekleyen yorum", &[], None, held).await;

    let counts = store.newsroom_counts(now()).await.unwrap();
    let expected = NewsroomCounts {
        draft: 2,
        review: 1,
        scheduled: 1,
        published: 2,
        unpublished: 1,
        trash: 1,
        pending_comments: 1,
    };
    assert_eq!(counts, expected);

    // Page by page, two at a time, the desk shows the rows of the whole
    // list in the same order and the same total, the trash left out.
    for sort in [NewsroomSort::Published, NewsroomSort::Oldest, NewsroomSort::Changed] {
        let filter = NewsroomFilter { sort, ..NewsroomFilter::default() };
        let (all, total) = store.newsroom_list(&filter, now(), 100, 0).await.unwrap();
        assert_eq!((all.len(), total), (7, 7), "{sort:?}");
        assert!(all.iter().all(|a| a.status != Status::Trash));
        let mut paged = Vec::new();
        for page in 0..4 {
            let (rows, total) = store.newsroom_list(&filter, now(), 2, page * 2).await.unwrap();
            assert_eq!(total, 7);
            paged.extend(rows.into_iter().map(|a| a.id));
        }
        assert_eq!(paged, all.iter().map(|a| a.id).collect::<Vec<_>>(), "{sort:?}");
        assert_eq!(all[0].category, "Gündem", "{sort:?}: the page's rows are read whole");
        assert_eq!(all[0].authors, ["Ayşe Yılmaz"]);
    }
    let newest: Vec<String> = store
        .newsroom_list(&NewsroomFilter::default(), now(), 3, 0)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|a| a.headline)
        .collect();
    assert_eq!(newest, ["Yarın çıkacak", "Onayda", "Taslak iki"]);
    for (status, n) in [("scheduled", 1), ("published", 2), ("draft", 2), ("trash", 1)] {
        let filter = NewsroomFilter { status: Some(status.into()), ..NewsroomFilter::default() };
        let (rows, total) = store.newsroom_list(&filter, now(), 100, 0).await.unwrap();
        assert_eq!((rows.len(), total), (n, n as u64), "{status}");
    }
}
