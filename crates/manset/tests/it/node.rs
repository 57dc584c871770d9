//! Tools from outside Rust that some tests drive: Node.js and the packages of
//! `e2e/` (installed with `npm ci` from its lock file). Where they cannot be
//! had, a test skips with a message, except with `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips (returns false) outside CI, fails in CI.
pub fn unavailable(what: &str) -> bool {
    assert!(!in_ci(), "CI=true but {what}");
    eprintln!("skipped: {what}");
    false
}

pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.status().is_ok_and(|s| s.success())
}

/// The `e2e/` folder: the Node.js side of the tests.
pub fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

/// Whether every package `e2e/package.json` names is installed, running
/// `npm ci` once if one is missing.
pub fn node_modules(e2e: &Path) -> bool {
    let installed = || {
        ["playwright-core", "sitemap", "xmllint-wasm", "axe-core", "vnu-jar"]
            .iter()
            .all(|p| e2e.join("node_modules").join(p).is_dir())
    };
    // Tests run as separate processes: one installs while the others wait
    // (two `npm ci` at once delete each other's files, and a half-installed
    // package looks installed).
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join("manset-e2e-npm-ci.lock"))
        .and_then(|f| f.lock().map(|()| f));
    if installed() {
        return true;
    }
    // No install scripts: vnu-jar's would download a Java runtime; we use the machine's.
    let done =
        succeeds(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]).current_dir(e2e))
            && installed();
    drop(lock);
    done
}

/// The machine's Java (for the Nu HTML Checker), installed with apt-get if missing.
pub fn java() -> bool {
    let works = || succeeds(Command::new("java").arg("-version").stderr(std::process::Stdio::null()));
    works() || {
        let quiet =
            |args: &[&str]| succeeds(Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive"));
        (quiet(&["install", "-y", "-q", "default-jre-headless"])
            || (quiet(&["update", "-q"]) && quiet(&["install", "-y", "-q", "default-jre-headless"])))
            && works()
    }
}
