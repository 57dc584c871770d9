//! A soak: mixed load on loopback for `MANSET_SOAK_SECONDS` (60 by default;
//! longer runs are for the closing note) against the real binary: readers
//! (home, articles, categories, searches), commenters, an editor publishing.
//! No answer is a 5xx, resident memory stays bounded, and every write that
//! was acknowledged is there at the end.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{Server, manset};

const PASSWORD: &str = "uzun ve gizli parola";

/// One request; the status and the body, or `None` when the connection failed.
fn request(addr: &str, raw: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    stream.write_all(raw.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    Some((status, text))
}

fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    request(addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"))
}

fn post(addr: &str, path: &str, cookie: &str, form: &str) -> Option<(u16, String)> {
    request(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
    )
}

fn resident_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Waits until `due`, or until `stop` is set, in steps of at most 100 ms.
fn pause_until(due: Instant, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        let left = due.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(100)));
    }
}

#[test]
fn mixed_load_gets_no_5xx_keeps_memory_bounded_and_loses_no_write() {
    if crate::sqlite_run_only("a minute of mixed load; multi_node posts a burst on PostgreSQL") {
        return;
    }
    let seconds: u64 = std::env::var("MANSET_SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (key, value) in [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0")] {
        assert!(manset(&data).args(["settings", "set", key, value]).output().unwrap().status.success());
    }
    crate::add_user(&data, "editor@example.com", "Editör", "editor", PASSWORD);
    let server = Server::start(manset(&data), &["--demo"]);
    let addr = server.addr.clone();
    let pid = server.child.id();

    let (_, home) = get(&addr, "/").unwrap();
    let articles: Vec<String> =
        home.split("href=\"/haber/").skip(1).map(|r| format!("/haber/{}", &r[..r.find(['"', '#']).unwrap()])).collect();
    let categories: Vec<String> =
        home.split("href=\"/kategori/").skip(1).map(|r| format!("/kategori/{}", &r[..r.find('"').unwrap()])).collect();
    // A comment form's token belongs to its article.
    let token_of = |article: &str| {
        let (_, page) = get(&addr, article).unwrap();
        crate::comment_token(&page)
    };
    let login = format!("email=editor%40example.com&password={}", PASSWORD.replace(' ', "+"));
    let (_, answer) = post(&addr, "/yonetim/giris", "", &login).unwrap();
    let cookie = answer
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie: manset_session="))
        .map(|l| l["set-cookie: ".len()..].split(';').next().unwrap().to_owned())
        .expect("logged in");

    let stop = Arc::new(AtomicBool::new(false));
    let statuses = Arc::new(Mutex::new(BTreeMap::<u16, u64>::new()));
    let comments = Arc::new(Mutex::new(Vec::<String>::new()));
    let published = Arc::new(Mutex::new(Vec::<String>::new()));
    let count = |statuses: &Arc<Mutex<BTreeMap<u16, u64>>>, status: u16| {
        *statuses.lock().unwrap().entry(status).or_insert(0) += 1
    };
    let mut workers = Vec::new();
    for r in 0..4 {
        let (stop, statuses, addr, articles, categories) =
            (Arc::clone(&stop), Arc::clone(&statuses), addr.clone(), articles.clone(), categories.clone());
        workers.push(std::thread::spawn(move || {
            let searches = ["bak%C3%BC", "gorustu", "%22orta+koridor%22", "enerji+liman", "T%C3%9CRK%C4%B0YE"];
            let mut i = r;
            while !stop.load(Ordering::Relaxed) {
                let path = match i % 4 {
                    0 => "/".to_owned(),
                    1 => articles[i % articles.len()].clone(),
                    2 => categories[i % categories.len().max(1)].clone(),
                    _ => format!("/ara?q={}", searches[i % searches.len()]),
                };
                if let Some((status, _)) = get(&addr, &path) {
                    count(&statuses, status);
                }
                i += 1;
            }
        }));
    }
    for w in 0..2 {
        let (stop, statuses, comments, addr, article) =
            (Arc::clone(&stop), Arc::clone(&statuses), Arc::clone(&comments), addr.clone(), articles[w * 2].clone());
        let token = token_of(&article);
        workers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let text = format!("soak-{w}-{n}");
                let form = format!("comment={text}&author=Okur&email=okur{w}%40example.com&token={token}");
                if let Some((status, _)) = post(&addr, &format!("{article}/yorum"), "", &form) {
                    count(&statuses, status);
                    if status == 303 {
                        comments.lock().unwrap().push(text);
                    }
                }
                n += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
        }));
    }
    {
        let (stop, statuses, published, addr, cookie) =
            (Arc::clone(&stop), Arc::clone(&statuses), Arc::clone(&published), addr.clone(), cookie.clone());
        workers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let headline = format!("Soak haberi {n}");
                let form = format!(
                    "headline={}&category=G%C3%BCndem&body=Metin+{n}&action=publish",
                    headline.replace(' ', "+")
                );
                if let Some((status, _)) = post(&addr, "/yonetim/haber/yeni", &cookie, &form) {
                    count(&statuses, status);
                    if status == 303 {
                        published.lock().unwrap().push(headline);
                    }
                }
                n += 1;
                pause_until(Instant::now() + Duration::from_millis(200), &stop);
            }
        }));
    }

    let started = Instant::now();
    let mut memory = Vec::new();
    let mut sample_at = started;
    while started.elapsed() < Duration::from_secs(seconds) {
        sample_at += Duration::from_secs(1);
        pause_until(sample_at, &stop);
        memory.push(resident_mb(pid));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let statuses = statuses.lock().unwrap().clone();
    let total: u64 = statuses.values().sum();
    let errors: u64 = statuses.iter().filter(|(s, _)| **s >= 500).map(|(_, n)| n).sum();
    assert_eq!(errors, 0, "answers by status: {statuses:?}");
    // After the first quarter (caches and pools warm), memory may wobble, not grow.
    let warm = memory[memory.len() / 4];
    let peak = memory.iter().copied().fold(0.0, f64::max);
    assert!(peak < 400.0, "resident memory peaked at {peak:.0} MB");
    assert!(peak - warm < 100.0, "resident memory grew from {warm:.0} to {peak:.0} MB");

    // Every acknowledged write is there.
    let comments = comments.lock().unwrap().clone();
    let published = published.lock().unwrap().clone();
    drop(server);
    let listed = manset(&data).args(["comments", "list", "--limit", "1000000"]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    let lost: Vec<&String> = comments.iter().filter(|c| !listed.contains(c.as_str())).collect();
    assert!(lost.is_empty(), "comments lost: {lost:?}");
    let again = Server::start(manset(&data), &[]);
    for headline in published.iter().rev().take(5) {
        let (_, results) = get(&again.addr, &format!("/ara?q=%22{}%22", headline.replace(' ', "+"))).unwrap();
        assert!(results.contains(headline.as_str()), "{headline} is found");
    }
    let check = manset(&data).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    eprintln!(
        "soak {seconds} s: {total} requests ({statuses:?}), {} comments and {} articles written, all present; \
         resident memory {warm:.0} MB warm, {peak:.0} MB peak",
        comments.len(),
        published.len()
    );
}
