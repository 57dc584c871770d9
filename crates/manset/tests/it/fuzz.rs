//! Every parser that takes outside input, fuzzed with libFuzzer (`cargo fuzz`,
//! targets in `fuzz/`) for `MANSET_FUZZ_SECONDS` each (10 by default; longer
//! runs are documented in SECURITY.md), seeded with the shared test material
//! (WordPress exports, real feeds, the XSS vectors). A crash fails the test
//! and leaves its input in `fuzz/artifacts/`, to become a regression test.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::node::{succeeds, unavailable};

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Nightly Rust and cargo-fuzz, installed from crates.io when missing.
fn tools() -> bool {
    let quiet =
        |cmd: &mut Command| succeeds(cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()));
    if !quiet(Command::new("cargo").args(["+nightly", "--version"])) {
        return unavailable("the nightly toolchain (rustup toolchain install nightly) is missing");
    }
    quiet(Command::new("cargo").args(["fuzz", "--version"]))
        || quiet(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))
        || unavailable("`cargo install cargo-fuzz` failed")
}

fn seed(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The seed corpus of each target: shared material where it fits, and a
/// few inputs of our own.
fn corpus(target: &str, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let shared = manset_testkit::shared_dir();
    let payloads = manset_testkit::xss_payloads().unwrap_or_default();
    let copy_from = |sub: &str, keep: &dyn Fn(&Path) -> bool| {
        let Some(shared) = &shared else { return };
        let mut files = Vec::new();
        files_under(&shared.join(sub), &mut files);
        for (i, f) in files.iter().filter(|f| keep(f)).enumerate() {
            std::fs::copy(f, dir.join(format!("shared-{i}"))).unwrap();
        }
    };
    match target {
        "wxr" => copy_from("testdata/wordpress", &|f| f.extension().is_some_and(|e| e == "xml")),
        "feed" => {
            copy_from("testdata/feeds", &|f| {
                f.extension().is_some_and(|e| e == "xml" || e == "json")
                    && !f.to_string_lossy().ends_with(".serde.json")
            });
            // Every encoding the reader sniffs: UTF-16 and UTF-32, each byte
            // order, with and without a mark.
            let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>Şişli’de…</title></item></channel></rss>";
            for big_endian in [false, true] {
                for mark in [false, true] {
                    let text = if mark { format!("\u{feff}{rss}") } else { rss.to_owned() };
                    let utf16: Vec<u8> = text
                        .encode_utf16()
                        .flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() })
                        .collect();
                    let utf32: Vec<u8> = text
                        .chars()
                        .flat_map(|c| if big_endian { u32::from(c).to_be_bytes() } else { u32::from(c).to_le_bytes() })
                        .collect();
                    seed(dir, &format!("utf16-{big_endian}-{mark}"), &utf16);
                    seed(dir, &format!("utf32-{big_endian}-{mark}"), &utf32);
                }
            }
        }
        "wp_content" | "front_matter" => {
            for (i, p) in payloads.iter().enumerate() {
                seed(dir, &format!("xss-{i}"), p.as_bytes());
            }
            seed(
                dir,
                "caption",
                b"[caption id=\"a\" caption=\"Alt\"]<img src=\"/a.jpg\"> Metin[/caption]\n\nParagraf.",
            );
            seed(
                dir,
                "toml",
                "+++\ntitle = \"Başlık\"\ncategory = \"Gündem\"\ntags = [\"Bakü\"]\n+++\n\n**Gövde**".as_bytes(),
            );
            seed(dir, "yaml", "---\ntitle: Başlık\ncategory: Gündem\nlang: en\n---\n# Ara başlık\n".as_bytes());
        }
        "comment_form" => {
            for (i, p) in payloads.iter().enumerate() {
                let form =
                    serde_urlencoded::to_string([("comment", p.as_str()), ("author", p.as_str()), ("url", p.as_str())]);
                seed(dir, &format!("xss-{i}"), form.unwrap().as_bytes());
            }
            seed(
                dir,
                "plain",
                b"comment=%C4%B0lk+yorum&author=Elif&email=elif%40example.com&url=https%3A%2F%2Fx.example",
            );
        }
        "search_query" => {
            for (i, q) in ["Aliyev'in", "\"Orta Koridor\" enerji", "title:x^3 AND -y", "İSTANBUL", "\"", "((((*"]
                .iter()
                .enumerate()
            {
                seed(dir, &format!("q-{i}"), q.as_bytes());
            }
        }
        "cookies" => {
            seed(dir, "plain", b"a=b; manset_session=abc; manset_pending=x.y");
            seed(dir, "signed", b"p:1-2-3.c2lnbmF0dXJl");
            seed(dir, "commenter", b"manset_commenter=RWxpZh9lbGlmQGV4YW1wbGUuY29tHw");
        }
        other => panic!("no corpus for {other}"),
    }
}

#[test]
fn every_outside_input_parser_survives_the_fuzzer() {
    if crate::sqlite_run_only("the parsers read no database") {
        return;
    }
    if !tools() {
        return;
    }
    let seconds = std::env::var("MANSET_FUZZ_SECONDS").unwrap_or_else(|_| "10".into());
    let work = tempfile::tempdir().unwrap();
    let mut report = Vec::new();
    for target in ["wxr", "wp_content", "front_matter", "feed", "comment_form", "search_query", "cookies"] {
        let dir = work.path().join(target);
        corpus(target, &dir);
        let out = Command::new("cargo")
            .args(["+nightly", "fuzz", "run", "-O", target])
            .arg(&dir)
            .args(["--", &format!("-max_total_time={seconds}"), "-print_final_stats=1", "-rss_limit_mb=2048"])
            .current_dir(fuzz_dir())
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .expect("cargo fuzz runs");
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{target} crashed or failed to build:\n{}",
            &log[log.len().saturating_sub(6000)..]
        );
        let runs = log
            .lines()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
            .map(str::trim)
            .unwrap_or("?")
            .to_owned();
        report.push(format!("{target}: {runs} inputs"));
    }
    eprintln!("fuzzed {seconds} s each: {}", report.join(", "));
}
