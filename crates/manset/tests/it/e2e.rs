//! The browser suite in `e2e/` (playwright-core driving Debian's Chromium),
//! run against the real binary. Installs what it needs: Chromium through
//! apt-get, playwright-core through `npm ci` from the lock file. Where that
//! is impossible (no root, no network) it skips with a message, except with
//! `CI=true`, where it fails.

use std::path::PathBuf;
use std::process::Command;

use crate::node::{e2e_dir, node_modules, succeeds, unavailable};
use crate::{Server, manset};

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

#[test]
fn comments_work_with_javascript_in_a_real_browser() {
    let e2e = e2e_dir();
    let Some(chromium) = chromium() else {
        unavailable("Chromium is not installed and `apt-get install chromium` failed");
        return;
    };
    if !node_modules(&e2e) {
        unavailable("`npm ci` in e2e/ failed (is Node.js installed?)");
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (key, value) in [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0")] {
        assert!(manset(&data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }
    let server = Server::start(manset(&data), &["--demo"]);
    let (_, home) = server.get("/");
    let start = home.find("<a href=\"/haber/").unwrap() + 9;
    let article = home[start..start + home[start..].find('"').unwrap()].to_owned();
    let (_, page) = server.get(&article);
    let at = page.find("name=\"token\" value=\"").unwrap() + 20;
    let token = &page[at..at + page[at..].find('"').unwrap()];
    let form = format!("comment=%C4%B0lk%20yorum&author=Elif%20Demirci&email=elif%40example.com&token={token}");
    assert_eq!(server.post_form(&format!("{article}/yorum"), &form).0, 303);
    assert!(manset(&data).args(["comments", "approve", "1"]).output().unwrap().status.success());

    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
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
    assert!(report.contains("pass 3"), "{report}");
}
