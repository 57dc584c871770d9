//! The listener under abuse: a client that trickles its headers is cut off,
//! and requests beyond the limit are answered 503 at once, not queued.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{Server, manset, raw_response};

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
fn writes_beyond_their_slots_get_503_with_retry_after_and_readers_go_on() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The holder's body clock outlasts the test however loaded the machine is.
    let server =
        Server::start(manset(&dir.path().join("data")), &["--demo", "--max-writes", "1", "--body-timeout", "120"]);
    let (_, home) = server.get("/");
    let article = crate::first_article(&home);
    // Two comments whose bodies never finish arriving: whichever comes first
    // holds the only writer's slot (and hangs, waiting for its body); the
    // other is turned away at once. No race to lose, however loaded the
    // machine: one of the two answers, and with a 503.
    let head = slow_comment_head(&server.addr, &article);
    let mut holders: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream.write_all(head.as_bytes()).unwrap();
            stream.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
            stream
        })
        .collect();
    let turned_away = poll(Duration::from_secs(60), || {
        holders.iter_mut().position(|stream| {
            let mut first = [0u8; 1];
            matches!(stream.read(&mut first), Ok(1))
        })
    })
    .expect("one of two writes beyond the only slot is answered while the other holds it");
    let mut rest = Vec::new();
    holders[turned_away].set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    holders[turned_away].read_to_end(&mut rest).unwrap();
    let answer = format!("H{}", String::from_utf8_lossy(&rest));
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(lower.contains("retry-after: 5"), "{answer}");
    assert!(answer.contains("çok yoğun"), "{answer}");
    for header in ["content-security-policy:", "x-content-type-options: nosniff", "x-frame-options:"] {
        assert!(lower.contains(header), "the 503 carries {header}: {answer}");
    }
    // Readers have slots of their own: a search made now is served.
    assert!(raw_get(&server.addr, "/ara?q=yeni").starts_with("HTTP/1.1 200"));
    // The slot frees when the slow request goes.
    drop(holders);
    let freed = poll(Duration::from_secs(10), || {
        let (status, _) = server.post_form(&format!("{article}/yorum"), "comment=x");
        (status != 503).then_some(status)
    });
    assert!(freed.is_some(), "the slot was given back when the slow request went");
}

/// `ready()` every 50 ms until it gives something or `deadline` passes.
fn poll<T>(deadline: Duration, mut ready: impl FnMut() -> Option<T>) -> Option<T> {
    let started = Instant::now();
    loop {
        if let Some(found) = ready() {
            return Some(found);
        }
        if started.elapsed() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The head of a comment POST announcing a 1,000-byte body, and its first bytes.
fn slow_comment_head(addr: &str, article: &str) -> String {
    format!(
        "POST {article}/yorum HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncomment=yar"
    )
}

#[test]
fn a_body_that_falls_behind_is_cut_off_with_408() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(manset(&dir.path().join("data")), &["--demo", "--body-timeout", "1"]);
    let (_, home) = server.get("/");
    let article = crate::first_article(&home);
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    slow.write_all(slow_comment_head(&server.addr, &article).as_bytes()).unwrap();
    // One byte now and then, as the flood that once held every slot did.
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    slow.set_read_timeout(Some(Duration::from_millis(400))).unwrap();
    while started.elapsed() < Duration::from_secs(8) {
        let _ = slow.write_all(b"x");
        match slow.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        if answer.windows(7).any(|w| w == b"</html>") {
            break;
        }
    }
    let waited = started.elapsed();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("İstek zamanında gelmedi"), "the themed page, in Turkish: {answer}");
    assert!(waited < Duration::from_secs(4), "cut off after about a second, not {waited:?}");
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

/// One request on a fresh connection from 127.0.0.1: its status and how long
/// it took.
async fn timed_get(addr: std::net::SocketAddr, path: &str) -> (u16, Duration) {
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("the reader connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let status = std::str::from_utf8(&answer[..answer.len().min(12)])
        .ok()
        .and_then(|head| head.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed())
}

/// A connection from `source` (any 127.x.y.z is this machine).
async fn connect_from(
    source: std::net::Ipv4Addr,
    addr: std::net::SocketAddr,
) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind((source, 0).into())?;
    socket.connect(addr).await
}

/// What a flood connection does once connected.
#[derive(Clone, Copy, Debug)]
enum Flood {
    /// A POST that announces 100,000 bytes and sends one now and then.
    SlowBody,
    /// A request head that never ends.
    SlowHeaders,
    /// One request, then silence on the kept-alive connection.
    IdleKeepAlive,
}

/// `count` connections doing `kind` from 20 addresses, each reconnecting
/// when the server closes it, until `stop`; `sent` counts the connections
/// that have sent their request's head.
fn flood(
    addr: std::net::SocketAddr,
    article: String,
    kind: Flood,
    count: usize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    sent: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> Vec<tokio::task::JoinHandle<usize>> {
    (0..count)
        .map(|i| {
            let (stop, article, sent) = (stop.clone(), article.clone(), sent.clone());
            tokio::spawn(async move {
                let source = std::net::Ipv4Addr::new(127, 0, 1, (i % 20) as u8 + 10);
                let mut connections = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let Ok(mut stream) = connect_from(source, addr).await else {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    };
                    connections += 1;
                    let head = match kind {
                        Flood::SlowBody => format!(
                            "POST {article}/yorum HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
                             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nc"
                        ),
                        Flood::SlowHeaders => format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: "),
                        Flood::IdleKeepAlive => format!("GET /robots.txt HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
                    };
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        continue;
                    }
                    sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    // Trickle a byte every second (idle: read and sit) until closed.
                    let mut buf = [0u8; 2048];
                    loop {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            return connections;
                        }
                        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await {
                            Ok(Ok(0)) | Ok(Err(_)) => break,
                            Ok(Ok(_)) => {}
                            Err(_) => {
                                if !matches!(kind, Flood::IdleKeepAlive) && stream.write_all(b"x").await.is_err() {
                                    break;
                                }
                            }
                        }
                    }
                }
                connections
            })
        })
        .collect()
}

/// Readers fetch pages the cache does not hold (it is off) while 1,000
/// connections of `kind` are held open from 20 other addresses, four times
/// as many as the server has slots: none of the readers' requests is
/// refused and the slowest 1% stay fast.
async fn readers_are_served_during(kind: Flood) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        manset(&dir.path().join("data")),
        // Fewer slots than flood connections: a flood that could take
        // readers' slots would take them all.
        &[
            "--demo",
            "--page-cache-mb",
            "0",
            "--body-timeout",
            "2",
            "--header-timeout",
            "2",
            "--max-requests",
            "256",
            "--max-writes",
            "64",
        ],
    );
    let (_, home) = server.get("/");
    let article = crate::first_article(&home);
    let addr: std::net::SocketAddr = server.addr.parse().unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let attackers = flood(addr, article.clone(), kind, 1000, stop.clone(), sent.clone());
    // Readers start once the flood is in place: a thousand request heads sent.
    let flooding = Instant::now();
    while sent.load(std::sync::atomic::Ordering::Relaxed) < 1000 {
        assert!(flooding.elapsed() < Duration::from_secs(60), "the flood could not connect: {sent:?} heads sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // And taken in by the server: a request made now is accepted after them.
    let (status, _) = timed_get(addr, "/robots.txt").await;
    assert_eq!(status, 200, "the server answers as the flood begins");
    let mut times = Vec::new();
    let mut refused = 0;
    let pages = [article.clone(), "/ara?q=enerji".into(), "/ara?q=zirve".into(), "/kategori/ekonomi".into()];
    let started = Instant::now();
    for n in 0..400 {
        let path = if n % 4 == 1 { format!("/ara?q=haber{n}") } else { pages[n % pages.len()].clone() };
        let (status, took) = timed_get(addr, &path).await;
        if status != 200 && status != 404 {
            refused += 1;
            eprintln!("{path}: {status}");
        }
        times.push(took);
    }
    let elapsed = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut made = 0;
    for attacker in attackers {
        made += attacker.await.unwrap_or(0);
    }
    times.sort();
    let p50 = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    eprintln!(
        "{kind:?}: {made} attacking connections; reader: {} requests in {elapsed:?}, p50 {p50:?}, p99 {p99:?}, refused {refused}",
        times.len()
    );
    assert!(made >= 1000, "the flood held its connections ({made})");
    assert_eq!(refused, 0, "no reader request was refused during the {kind:?} flood");
    // Debug build on two cores, with the flood's own tasks beside it.
    assert!(p99 < Duration::from_millis(100), "reader p99 {p99:?} during the {kind:?} flood");
    // And the server is still there.
    assert_eq!(server.get("/").0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_slow_bodies_leave_readers_served_fast() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    readers_are_served_during(Flood::SlowBody).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_slow_heads_leave_readers_served_fast() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    readers_are_served_during(Flood::SlowHeaders).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_idle_kept_alive_connections_leave_readers_served_fast() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    readers_are_served_during(Flood::IdleKeepAlive).await;
}

#[test]
fn one_address_gets_at_most_its_share_of_connections() {
    if crate::sqlite_run_only("HTTP limits, before any database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(manset(&dir.path().join("data")), &["--connections-per-address", "8"]);
    let held: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    // The ninth is closed without an answer (asked again while the server
    // may not have taken in all eight yet).
    let mut answer = Vec::new();
    let refused = poll(Duration::from_secs(10), || {
        answer = answer_to_get(&server.addr);
        answer.is_empty().then_some(())
    });
    assert!(refused.is_some(), "{}", String::from_utf8_lossy(&answer));
    // One closed, one more may come.
    drop(held);
    let served = poll(Duration::from_secs(10), || Some(answer_to_get(&server.addr)).filter(|a| !a.is_empty()));
    let served = String::from_utf8_lossy(served.as_deref().unwrap_or_default()).into_owned();
    assert!(served.starts_with("HTTP/1.1 200"), "served again once the eight are gone: {served}");
}

/// `GET /` on a new connection: the whole answer, empty when the server
/// closed the connection without one.
fn answer_to_get(addr: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = stream.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes());
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

/// The server's peak resident memory so far, in MB (`VmHWM`).
fn peak_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() / 1024.0
}

/// A PNG of 7000×7000 pixels in a few hundred kilobytes: small to send,
/// 147 MB once decoded. `shade` makes each one different bytes.
fn decompression_bomb(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(7000, 7000, |x, _| image::Rgb([shade, (x / 1000) as u8, 90]));
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Best,
            image::codecs::png::FilterType::Sub,
        ),
        img.as_raw(),
        7000,
        7000,
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    out
}

/// Uploads `png` to the library as the member holding `cookie`; the status.
fn upload_png(addr: &str, cookie: &str, png: &[u8]) -> u16 {
    let boundary = "----manset-bomb";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nGeniş bir görsel\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bomba.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(png);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let head = format!(
        "POST /yonetim/medya HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {cookie}\r\n\
         Connection: close\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(600))).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Six parallel uploads of a 7000×7000 PNG once took the server to about
/// 930 MB; decoding now shares one budget, so 6 or 20 at once cost about as
/// much memory as one. About ten minutes in a debug build: run by
/// `benches/uploads.sh`; the budget itself is tested in every run
/// (`media_library::tests`).
#[test]
#[ignore = "about ten minutes: benches/uploads.sh runs it"]
fn parallel_huge_uploads_stay_within_the_decode_budget() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    crate::add_user(&data, "foto@example.com", "Foto", "editor", "uzun ve gizli parola");
    let server = Server::start(manset(&data), &["--page-cache-mb", "0"]);
    let form = "email=foto%40example.com&password=uzun+ve+gizli+parola";
    let login = raw_response(
        &server.addr,
        &format!(
            "POST /yonetim/giris HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {1}\r\n\r\n{form}",
            server.addr,
            form.len()
        ),
    );
    let cookie = login
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("logged in: {login}"))
        .to_owned();
    let before = peak_mb(server.child.id());
    let mut peaks = Vec::new();
    let mut shade = 0u8;
    for parallel in [6, 20] {
        let bombs: Vec<Vec<u8>> = (0..parallel)
            .map(|_| {
                shade += 1;
                decompression_bomb(shade)
            })
            .collect();
        let started = Instant::now();
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let uploads: Vec<_> =
                bombs.iter().map(|png| scope.spawn(|| upload_png(&server.addr, &cookie, png))).collect();
            uploads.into_iter().map(|u| u.join().unwrap()).collect()
        });
        let peak = peak_mb(server.child.id());
        eprintln!(
            "{parallel} parallel 7000×7000 uploads ({} KB each): {:?}, server peak {peak:.0} MB (at start {before:.0} MB)",
            bombs[0].len() / 1024,
            started.elapsed()
        );
        assert!(statuses.iter().all(|s| *s == 303), "every upload is taken: {statuses:?}");
        peaks.push(peak);
    }
    assert!(peaks[1] < 600.0, "20 parallel uploads kept the server under 600 MB, not {:.0}", peaks[1]);
    assert!(peaks[1] < peaks[0] + 150.0, "20 at once cost about what 6 did: {peaks:?}");
}
