//! What the command line prints: text from outside (a reader's comment, a
//! member's name, a setting typed in the newsroom, a feed's credit, a file's
//! name) reaches the operator's terminal with its control characters shown
//! escaped, never raw.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::{Server, comment_token, manset};

/// An escape sequence of every kind that does harm on a terminal: a new
/// window title, colours, the 8-bit CSI clearing the screen, a carriage
/// return, a backspace, DEL, and a right-to-left override.
const HOSTILE: &str = "\u{1b}]0;ele geçirildi\u{7}\u{1b}[31mKIRMIZI\u{1b}[0m\u{9b}2J\u{8}\u{7f}\u{202e}ters";

/// Characters a terminal would act on: controls but line feed and tab
/// (which the output's own layout uses), and bidirectional overrides and
/// isolates.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t'))
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// Runs `manset ARGS` on `data`; stdout and stderr must hold no raw control
/// character, and must show the escapes (the operator sees what was there).
fn shows_escaped(data: &std::path::Path, args: &[&str]) -> String {
    let out: Output = manset(data).args(args).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        let raw = raw_controls(text);
        assert!(raw.is_empty(), "`manset {}` sent {raw:?} raw to {stream}:\n{text:?}", args.join(" "));
    }
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("\\u{1b}]0;ele geçirildi\\u{7}"), "`manset {}` shows the escapes:\n{all}", args.join(" "));
    all
}

#[test]
fn outside_text_reaches_the_terminal_escaped_never_raw() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("haber.md"),
        manset_testkit::filler_file("Terminal haberi", "Gündem", "2024-06-28T10:00:00+03:00", &[]),
    )
    .unwrap();
    // A file whose name carries the sequence, and that fails to import.
    std::fs::write(content.join(format!("{HOSTILE}.md")), "+++\ntitle = \"Kategorisi yok\"\n+++\n").unwrap();
    let import = shows_escaped(&data, &["import", "markdown", content.to_str().unwrap()]);
    assert!(import.contains("1 imported, 1 failed"), "{import}");
    for (key, value) in [("comments.min_seconds", "0"), ("comments.held_words", HOSTILE)] {
        assert!(manset(&data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }

    // A reader's comment with the sequence in its name and its text.
    let server = Server::start(manset(&data), &[]);
    let article = "/haber/terminal-haberi";
    let token = comment_token(&server.get(article).1);
    let form = serde_urlencoded::to_string([
        ("comment", format!("Yorum {HOSTILE} sonu").as_str()),
        ("author", HOSTILE),
        ("email", "okur@example.com"),
        ("token", &token),
    ])
    .unwrap();
    assert_eq!(server.post_form(&format!("{article}/yorum"), &form).0, 303);
    drop(server);

    let mut add = manset(&data)
        .args([
            "user",
            "add",
            "--email",
            "editor@example.com",
            "--name",
            HOSTILE,
            "--role",
            "editor",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"uzun ve gizli parola\n").unwrap();
    assert!(add.wait().unwrap().success());
    let added =
        manset(&data).args(["feeds", "add", "https://ajans.example/rss", "--source", HOSTILE]).output().unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));

    let list = shows_escaped(&data, &["comments", "list"]);
    assert_eq!(list.lines().count(), 1, "one comment, one line: {list}");
    assert!(list.contains("Yorum \\u{1b}]0;ele"), "{list}");
    shows_escaped(&data, &["user", "list"]);
    shows_escaped(&data, &["settings", "list"]);
    shows_escaped(&data, &["feeds", "list"]);
}

/// Every line the binary prints goes through `say!` or `say_err!`: one bare
/// `println!` of a name or an address would reach the terminal raw (as
/// `user two-factor-off` once did). The progress bar, which prints only
/// numbers of its own, is the one other printer.
#[test]
fn the_binary_prints_only_through_its_escaping_macros() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut bare = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let prints = ["println!(", "print!(", "eprintln!(", "eprint!("].iter().any(|m| line.contains(m));
            let escaped = line.contains("terminal::printable(");
            let progress =
                line.trim() == "eprintln!();" || text.lines().nth(n + 1).is_some_and(|l| l.contains("\"\\r["));
            let doc = line.trim_start().starts_with("//");
            if prints && !escaped && !progress && !doc {
                bare.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(bare.is_empty(), "printed without `say!`:\n{}", bare.join("\n"));
}
