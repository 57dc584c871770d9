//! The browser suite in `e2e/` (playwright-core driving Debian's Chromium),
//! run against the real binary. Installs what it needs: Chromium through
//! apt-get, playwright-core through `npm ci` from the lock file. Where that
//! is impossible (no root, no network) it skips with a message, except with
//! `CI=true`, where it fails.

use std::path::PathBuf;
use std::process::Command;

use crate::node::{e2e_dir, java, node_modules, succeeds, unavailable};
use crate::{Server, comment_token, first_article, manset};

fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if path.exists() {
        return Some(path);
    }
    let quiet = |args: &[&str]| succeeds(Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive"));
    let installed = quiet(&["install", "-y", "-q", "chromium"])
        || (quiet(&["update", "-q"]) && quiet(&["install", "-y", "-q", "chromium"]));
    (installed && path.exists()).then_some(path)
}

/// node's test report says every one of the `expected` browser tests ran
/// and passed: none skipped, none lost when a file stops loading.
fn assert_all_ran(report: &str, expected: usize) {
    for line in [format!("ℹ tests {expected}\n"), format!("ℹ pass {expected}\n"), "ℹ fail 0\n".to_owned()] {
        assert!(report.contains(&line), "expected {line:?} in the report:\n{report}");
    }
}

/// The e2e folder with its node modules, and Chromium, installed if need
/// be; `None` (said, or under `CI=true` failed) where they cannot be.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let e2e = e2e_dir();
    let Some(chromium) = chromium() else {
        unavailable("Chromium is not installed and `apt-get install chromium` failed");
        return None;
    };
    if !node_modules(&e2e) {
        unavailable("`npm ci` in e2e/ failed (is Node.js installed?)");
        return None;
    }
    Some((e2e, chromium))
}

#[test]
fn comments_work_with_javascript_in_a_real_browser() {
    if crate::sqlite_run_only("the browser sees the same pages; its install and run take a minute") {
        return;
    }
    let Some((e2e, chromium)) = browser() else { return };

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (key, value) in [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0")] {
        assert!(manset(&data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }
    let server = Server::start(manset(&data), &["--demo"]);
    let (_, home) = server.get("/");
    let article = first_article(&home);
    let (_, page) = server.get(&article);
    let token = &comment_token(&page);
    let form = format!("comment=%C4%B0lk%20yorum&author=Elif%20Demirci&email=elif%40example.com&token={token}");
    assert_eq!(server.post_form(&format!("{article}/yorum"), &form).0, 303);
    assert!(manset(&data).args(["comments", "approve", "1"]).output().unwrap().status.success());

    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", "comments.test.mjs"])
        .current_dir(&e2e)
        .env("MANSET_URL", format!("http://{}", server.addr))
        .env("MANSET_ARTICLE", &article)
        .env("MANSET_COMMENT", "1")
        .env("MANSET_COMMENT_NAME", "Elif Demirci")
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let report = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser tests failed:\n{report}");
    assert_all_ran(&report, 3);
}

/// Two editors on one story in two browsers (`e2e/editing.test.mjs`):
/// autosave after a closed tab and a dropped connection, presence, the
/// conflict screen, messages and the confirmation before unpublishing.
#[test]
fn two_editors_on_one_story_in_real_browsers() {
    if crate::sqlite_run_only("the browser sees the same pages; its install and run take a minute") {
        return;
    }
    let Some((e2e, chromium)) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let password = "iki editör bir haber 2026";
    let editors = [("ayse@example.com", "Ayşe Yılmaz"), ("mehmet@example.com", "Mehmet Kaya")];
    for (email, name) in editors {
        let mut add = manset(&data)
            .args(["user", "add", "--email", email, "--name", name, "--role", "editor", "--password-stdin"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        add.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
        assert!(add.wait().unwrap().success());
    }
    let server = Server::start(manset(&data), &["--demo"]);
    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1", "editing.test.mjs"])
        .current_dir(&e2e)
        .env("MANSET_URL", format!("http://{}", server.addr))
        .env("MANSET_EDIT", "/yonetim/haber/1")
        .env("MANSET_EDITORS", editors.map(|(e, n)| format!("{e}:{n}")).join(","))
        .env("MANSET_PASSWORD", password)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let report = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser tests failed:\n{report}");
    assert_all_ran(&report, 5);
}

/// The reading site and the newsroom as a reader and an editor meet them
/// (`e2e/reader.test.mjs`: phone and desktop, axe-core on every page,
/// screenshots, page weight) and every page type through the Nu HTML
/// Checker (`e2e/html.test.mjs`), on a site holding the seed article and
/// filler content. The screenshots stay in `target/e2e-screenshots`.
#[test]
fn the_site_passes_a_reader_s_browser_its_accessibility_and_html_checks() {
    if crate::sqlite_run_only("the browser sees the same pages; its install and run take a minute") {
        return;
    }
    let Some(seed) = manset_testkit::seed_article() else { return };
    let Some((e2e, chromium)) = browser() else { return };
    if !java() {
        unavailable(
            "Java (for the Nu HTML Checker) is not installed and `apt-get install default-jre-headless` failed",
        );
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let (data, content) = (dir.path().join("data"), dir.path().join("content"));
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("seed.md"), seed.content_file("2026-11-28T12:30:00+03:00", "Aynur Əliyeva")).unwrap();
    // Enough of the seed's category for a second page, and neighbours for "related".
    for i in 1..=24 {
        let file = manset_testkit::filler_file(
            &format!("Bölgeden haber {i}: görüşmeler sürüyor"),
            &seed.category,
            &format!("2026-11-{:02}T10:00:00+03:00", (i % 27) + 1),
            &["Diplomasi"],
        );
        std::fs::write(content.join(format!("f{i}.md")), file).unwrap();
    }
    assert!(manset(&data).args(["import", "markdown"]).arg(&content).output().unwrap().status.success());
    for (key, value) in [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0")] {
        assert!(manset(&data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }
    let password = "uzun ve gizli parola";
    crate::add_user(&data, "admin@example.com", "Yazı İşleri", "admin", password);

    let server = Server::start(manset(&data), &[]);
    let (_, home) = server.get("/");
    let lead = first_article(&home);
    let category = format!("/kategori/{}", manset_text::slug::slugify(&seed.category));
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../e2e-screenshots");

    let out = Command::new("node")
        .args([
            "--test",
            "--test-reporter=spec",
            "--test-concurrency=1",
            "--test-timeout=300000",
            "reader.test.mjs",
            "html.test.mjs",
        ])
        .current_dir(&e2e)
        .env("MANSET_URL", format!("http://{}", server.addr))
        .env("MANSET_SEED", &lead)
        .env("MANSET_CATEGORY", &category)
        .env("MANSET_EDITOR", format!("admin@example.com:{password}"))
        .env("MANSET_SHOTS", &shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let report = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser checks failed:\n{report}");
    assert_all_ran(&report, 21);
    eprintln!("screenshots: {}", shots.display());
}
