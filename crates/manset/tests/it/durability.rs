//! What the site acknowledges is on disk first. A newsroom save's commit is
//! synced (SQLite's WAL, `synchronous=FULL`) before its answer is written to
//! the socket, so "Haber yayımlandı" survives a power cut; a reader's
//! comment is written to the WAL before its answer (it survives a crash of
//! the program) but not synced (a power cut may lose the last moment's).
//! Shown on the running binary's system calls, traced by `strace`.

use std::path::Path;
use std::process::Command;

use crate::multi_node::{PASSWORD, log_in, publish};
use crate::{BIN, Server, add_user, comment_token, first_article, manset_on_sqlite, sqlite_run_only};

/// One traced system call: the thread that made it and the line.
struct Call<'a> {
    tid: &'a str,
    line: &'a str,
}

/// A stretch of the trace as calls (an `<unfinished ...>` call counts
/// where it resumed, when it returned).
fn calls(trace: &str) -> Vec<Call<'_>> {
    trace
        .lines()
        .filter(|line| !line.contains("<unfinished ...>"))
        .filter_map(|line| line.split_once(' ').map(|(tid, rest)| Call { tid, line: rest }))
        .collect()
}

/// What one request did before its answer: whether the WAL was appended
/// to, and whether the thread that appended last synced the WAL before the
/// answer was written to the socket.
struct Commit {
    wal_written: bool,
    synced_before_answer: bool,
}

fn commit_before_answer(trace: &str) -> Commit {
    let calls = calls(trace);
    let answer = calls
        .iter()
        .position(|c| c.line.contains("\"HTTP/1.1 303") || c.line.contains("\"HTTP/1.1 201"))
        .expect("the answer is in the trace");
    let before = &calls[..answer];
    let is_wal = |c: &Call<'_>| c.line.contains("manset.db-wal>");
    let Some(write) = before.iter().rposition(|c| is_wal(c) && c.line.contains("pwrite64")) else {
        return Commit { wal_written: false, synced_before_answer: false };
    };
    let writer = before[write].tid;
    let synced = before[write..].iter().any(|c| {
        c.tid == writer && is_wal(c) && (c.line.contains("fdatasync") || c.line.contains("fsync"))
            || c.tid == writer
                && (c.line.starts_with("<... fdatasync resumed>") || c.line.starts_with("<... fsync resumed>"))
    });
    Commit { wal_written: true, synced_before_answer: synced }
}

fn settings(data: &Path) {
    for (key, value) in [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0")] {
        assert!(manset_on_sqlite(data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }
}

#[test]
fn a_newsroom_save_is_synced_before_its_answer_and_a_readers_comment_is_written_first() {
    if sqlite_run_only("the order of syncs traced is SQLite's; PostgreSQL syncs in its own server") {
        return;
    }
    let Some(strace) = manset_testkit::tools::debian_program("strace", "strace") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    settings(&data);
    add_user(&data, "editor@example.com", "Elif Editör", "editor", PASSWORD);
    let trace_file = dir.path().join("trace");
    let mut traced = Command::new(strace);
    traced
        .args(["-f", "-y", "-s", "40", "-e", "trace=pwrite64,write,writev,sendto,sendmsg,fsync,fdatasync", "-o"])
        .arg(&trace_file)
        .arg(BIN)
        .arg("--data")
        .arg(&data)
        .env_remove("MANSET_DATA")
        .env_remove("MANSET_DATABASE")
        .env_remove("MANSET_MEDIA")
        .env_remove("MANSET_SQLITE_SYNCHRONOUS")
        .env("MANSET_LOG", "warn");
    let server = Server::start(traced, &["--demo"]);
    let cookie = log_in(&server, "editor@example.com");
    let since = |from: usize| std::fs::read_to_string(&trace_file).unwrap()[from..].to_owned();
    let offset = || std::fs::metadata(&trace_file).unwrap().len() as usize;

    let from = offset();
    assert_eq!(publish(&server, &cookie, "Kesinti öncesi yayımlanan haber", None), 303);
    let save = commit_before_answer(&since(from));
    assert!(save.wal_written, "the save appended to the WAL before its answer");
    assert!(save.synced_before_answer, "the save's commit was synced before its answer:\n{}", since(from));

    let (_, home) = server.get("/");
    let article = first_article(&home);
    let (_, page) = server.get(&article);
    let form = format!("comment=Kesinti+yorumu&author=Okur&email=okur%40example.com&token={}", comment_token(&page));
    let from = offset();
    assert_eq!(server.post_form(&format!("{article}/yorum"), &form).0, 303);
    let comment = commit_before_answer(&since(from));
    assert!(comment.wal_written, "the comment is in the WAL before its answer (it survives a crash)");
    assert!(!comment.synced_before_answer, "a reader's comment is not synced before its answer:\n{}", since(from));
}
