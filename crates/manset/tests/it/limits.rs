//! The listener under abuse: a client that trickles its headers is cut off,
//! and requests beyond the limit are answered 503 at once, not queued.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::{Server, manset};

#[test]
fn a_slow_loris_is_cut_off_after_the_header_timeout() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(manset(&dir.path().join("data")), &["--header-timeout", "1"]);
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(5), "closed after about a second, not {waited:?}");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
    // Everyone else is served meanwhile.
    assert_eq!(server.get("/").0, 200);
}

/// A GET on a connection of its own, the whole answer as text.
fn raw_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn requests_beyond_the_limit_get_503_with_retry_after() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(manset(&dir.path().join("data")), &["--demo", "--max-requests", "1"]);
    let (_, home) = server.get("/");
    let article = crate::first_article(&home);
    // A comment whose body never finishes arriving holds the only slot.
    let mut holder = TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST {article}/yorum HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncomment=yar",
        server.addr
    );
    holder.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // (A page from the page cache is served even now; a search for new words is made.)
    let answer = raw_get(&server.addr, "/ara?q=yeni");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("retry-after: 5"), "{answer}");
    assert!(answer.contains("çok yoğun"), "{answer}");
    // A page already made is served from the cache, slot or none.
    assert!(raw_get(&server.addr, "/").starts_with("HTTP/1.1 200"), "the home page, made before, is kept");
    // The slot frees when the slow request goes.
    drop(holder);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get("/ara?q=yeni").0, 200);
}

#[test]
fn an_oversized_request_head_is_refused() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(manset(&dir.path().join("data")), &[]);
    let mut big = TcpStream::connect(&server.addr).unwrap();
    big.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let header = "x".repeat(1024 * 1024);
    let _ = big.write_all(format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {header}\r\n\r\n").as_bytes());
    let mut answer = Vec::new();
    let _ = big.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 431"), "{}", &answer[..answer.len().min(200)]);
    assert_eq!(server.get("/").0, 200);
}
