//! Faults injected into the real binary: `kill -9` in the middle of a burst
//! of comments. Every comment whose POST was answered with success is there
//! after the restart, and the database passes SQLite's integrity check.

use std::sync::{Arc, Mutex};

use crate::{Server, comment_token, first_article, manset};

#[test]
fn comments_answered_before_a_kill_9_are_all_there_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (key, value) in
        [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0"), ("comments.hold_all", "false")]
    {
        assert!(manset(&data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }
    let server = Server::start(manset(&data), &["--demo"]);
    let (_, home) = server.get("/");
    let article = first_article(&home);
    let (_, page) = server.get(&article);
    let token = comment_token(&page);

    // Eight writers post as fast as they can; each notes what was answered 303.
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let addr = server.addr.clone();
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (accepted, addr, article, token) = (Arc::clone(&accepted), addr.clone(), article.clone(), token.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    let text = format!("yazar{w}-yorum{n}");
                    let form = format!("comment={text}&author=Okur{w}&email=okur{w}%40example.com&token={token}");
                    let request = format!(
                        "POST {article}/yorum HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nConnection: close\r\n\
                         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
                        form.len()
                    );
                    match send(&addr, &request) {
                        Some(303) => accepted.lock().unwrap().push(text),
                        Some(_) => {}
                        None => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Kill once the burst is well under way: a hundred comments answered.
    let started = std::time::Instant::now();
    while accepted.lock().unwrap().len() < 100 {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the burst did not get under way");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(server); // SIGKILL: no shutdown, no checkpoint
    for w in writers {
        w.join().unwrap();
    }
    let accepted = accepted.lock().unwrap().clone();
    assert!(accepted.len() >= 20, "the burst was under way: {} accepted", accepted.len());

    let check = manset(&data).arg("check").output().unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && said.contains("database: ok"),
        "{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let listed = manset(&data).args(["comments", "list", "--limit", "100000"]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    let missing: Vec<&String> = accepted.iter().filter(|t| !listed.contains(t.as_str())).collect();
    assert!(missing.is_empty(), "{} of {} acknowledged comments lost: {missing:?}", missing.len(), accepted.len());
    // And the site serves again, with the search index opened or rebuilt.
    let again = Server::start(manset(&data), &[]);
    assert_eq!(again.get(&article).0, 200);
    eprintln!("{} comments acknowledged before the kill, all present after it", accepted.len());
}

/// Sends a raw request; the status code, or `None` when the server is gone.
fn send(addr: &str, raw: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).ok()?;
    stream.write_all(raw.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let head = String::from_utf8_lossy(&response[..response.len().min(64)]).into_owned();
    head.split(' ').nth(1)?.parse().ok()
}

/// A tmpfs of `megabytes` at `dir`, unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &std::path::Path, megabytes: u32) -> Option<SmallDisk> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallDisk(dir.to_owned()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_refuses_writes_clearly_and_keeps_serving_reads() {
    if crate::sqlite_run_only("a full disk under SQLite's file; PostgreSQL's disk is its own") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&dir.path().join("disk"), 24) else {
        crate::node::unavailable("cannot mount a small tmpfs (root is needed) for the full-disk test");
        return;
    };
    let data = disk.0.join("data");
    for (key, value) in [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0")] {
        assert!(manset(&data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }
    let server = Server::start(manset(&data), &["--demo"]);
    let (_, home) = server.get("/");
    let article = first_article(&home);
    let (_, page) = server.get(&article);
    let token = comment_token(&page);
    let comment = |n: usize, text: &str| {
        let form = format!("comment={text}-{n}&author=Okur&email=okur%40example.com&token={token}");
        server.post_form(&format!("{article}/yorum"), &form)
    };

    // Fill the disk to the last byte, then write until the database cannot.
    let filler = disk.0.join("dolgu");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
    }
    let mut refused = None;
    let mut stored = Vec::new();
    for n in 0..20_000 {
        let (status, body) = comment(n, "dolu-disk");
        match status {
            303 => stored.push(n),
            503 => {
                refused = Some(body);
                break;
            }
            other => panic!("a write on a full disk answered {other}:\n{body}"),
        }
    }
    let refused = refused.expect("a write failed once the disk was full");
    assert!(refused.contains("Şu anda kaydedilemiyor"), "a clear answer, in Turkish: {refused}");
    // Reading goes on.
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.get(&article).0, 200);
    assert_eq!(server.get("/ara?q=bak%C3%BC").0, 200);

    // Space again: writing resumes, and nothing written before is lost.
    std::fs::remove_file(&filler).unwrap();
    let (status, _) = comment(99_999, "yer-acildi");
    if status != 303 {
        panic!("writes did not resume once there was space ({status}):\n{}", server.stop());
    }
    drop(server);
    let listed = manset(&data).args(["comments", "list", "--limit", "100000"]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    for n in &stored {
        assert!(listed.contains(&format!("dolu-disk-{n}")), "comment {n} was acknowledged and is gone");
    }
    let check = manset(&data).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    eprintln!("{} comments stored on the nearly full disk, then a clear 503; reads went on", stored.len());
}
