//! Several app servers on one PostgreSQL database, as `docs/deploy.md`
//! describes: two `manset serve` processes, each with its own data folder
//! (its search index), one shared media folder, one database. And a SQLite
//! site moved there with `manset migrate`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{Server, manset};

pub(crate) const PASSWORD: &str = "uzun ve gizli parola";

/// `manset` on the shared database and media folder.
fn on(data: &Path, url: &str, media: &Path) -> Command {
    let mut cmd = manset(data);
    cmd.arg("--database").arg(url).arg("--media").arg(media).env_remove("MANSET_DATABASE");
    cmd
}

fn succeeds(cmd: &mut Command) -> String {
    let output = cmd.output().expect("manset runs");
    assert!(output.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Logs in to `server`'s newsroom; the session cookie.
pub(crate) fn log_in(server: &Server, email: &str) -> String {
    let form = format!("email={}&password={}", email.replace('@', "%40"), PASSWORD.replace(' ', "+"));
    let raw = server.raw(&format!(
        "POST /yonetim/giris HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {1}\r\n\r\n{form}",
        server.addr,
        form.len()
    ));
    raw.lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie: manset_session="))
        .map(|l| l["set-cookie: ".len()..].split(';').next().unwrap().to_owned())
        .expect("logged in")
}

/// Publishes a story through `server`'s newsroom (at `publish_at`, site
/// time, if given); the answer's status.
pub(crate) fn publish(server: &Server, cookie: &str, headline: &str, publish_at: Option<&str>) -> u16 {
    let form = format!(
        "headline={}&category=G%C3%BCndem&body=Metin&publish_at={}&action=publish",
        headline.replace(' ', "+"),
        publish_at.unwrap_or("").replace(':', "%3A")
    );
    let raw = server.raw(&format!(
        "POST /yonetim/haber/yeni HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nCookie: {cookie}\r\n\
         Connection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {1}\r\n\r\n{form}",
        server.addr,
        form.len()
    ));
    raw.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status")
}

/// Polls `check` until it holds or `within` passes; how long it took.
fn within(within: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < within {
        if check() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[test]
fn two_app_servers_on_one_postgresql_act_as_one_site() {
    if crate::sqlite_run_only("on PostgreSQL in both runs") {
        return;
    }
    let Some(url) = manset_testkit::postgres::fresh_database() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (a_data, b_data, media) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("media"));
    for (key, value) in [("comments.min_seconds", "0"), ("comments.rate_per_minute", "0")] {
        succeeds(on(&a_data, &url, &media).args(["settings", "set", key, value]));
    }
    let mut add = on(&a_data, &url, &media);
    add.args(["user", "add", "--email", "editor@example.com", "--name", "Editör", "--role", "editor"]);
    let mut child = add.arg("--password-stdin").stdin(std::process::Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), format!("{PASSWORD}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    // Both behind "our proxy" on loopback: it names each reader.
    let a = Server::start(on(&a_data, &url, &media), &["--demo", "--trusted-proxy", "127.0.0.1"]);
    let b = Server::start(on(&b_data, &url, &media), &["--trusted-proxy", "127.0.0.1"]);

    // An edit through one server is on the other's (cached) pages at once.
    let (status, home) = b.get("/");
    assert_eq!(status, 200);
    b.get("/");
    assert!(!home.contains("Iki sunucu haberi"));
    let cookie = log_in(&a, "editor@example.com");
    assert_eq!(publish(&a, &cookie, "Iki sunucu haberi", None), 303);
    let took = within(Duration::from_secs(2), || b.get("/").1.contains("Iki sunucu haberi"))
        .expect("the story published on A is on B's home page");
    assert!(
        took < Duration::from_millis(900),
        "B heard of it as it committed (NOTIFY), not at its next look: {took:?}"
    );
    assert_eq!(b.get("/haber/iki-sunucu-haberi").0, 200);
    // B's own search index follows the change log within its five seconds.
    within(Duration::from_secs(8), || b.get("/ara?q=sunucu").1.contains("/haber/iki-sunucu-haberi"))
        .expect("found by B's search");

    // A setting changed from the command line is in force on both.
    succeeds(on(&a_data, &url, &media).args(["settings", "set", "site.name", "Ortak Gazete"]));
    for server in [&a, &b] {
        within(Duration::from_secs(2), || server.get("/").1.contains("Ortak Gazete")).expect("the new name");
    }

    // A story scheduled through B appears on both at its second, once.
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(4);
    let local = jiff::tz::TimeZone::get("Europe/Istanbul").unwrap().to_datetime(at);
    let publish_at = local.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let cookie_b = log_in(&b, "editor@example.com");
    assert_eq!(publish(&b, &cookie_b, "Zamanli haber", Some(&publish_at)), 303);
    for server in [&a, &b] {
        assert_eq!(server.get("/haber/zamanli-haber").0, 404, "not before its time");
        server.get("/rss");
    }
    let visible_at = jiff::Timestamp::from_second(at.as_second()).unwrap();
    for server in [&a, &b] {
        within(Duration::from_secs(8), || server.get("/haber/zamanli-haber").0 == 200).expect("published");
        assert!(jiff::Timestamp::now() >= visible_at, "not a second early");
        let rss = server.get("/rss").1;
        assert_eq!(rss.matches("<title>Zamanli haber</title>").count(), 1, "in the feed once");
        let home = server.get("/").1;
        assert!(home.contains("/haber/zamanli-haber"), "on the home page");
    }

    // A burst of comments spread over both servers: every one stored, once.
    let article = "/haber/iki-sunucu-haberi";
    let token = crate::comment_token(&a.get(article).1);
    let servers = [a.addr.clone(), b.addr.clone()];
    let mut workers = Vec::new();
    for w in 0..4 {
        let (servers, token) = (servers.clone(), token.clone());
        workers.push(std::thread::spawn(move || {
            let mut statuses = Vec::new();
            for n in 0..25 {
                let addr = &servers[(w + n) % 2];
                let form = format!("comment=patlama-{w}-{n}&author=Okur&email=okur{w}%40example.com&token={token}");
                let raw = format!(
                    "POST {article}/yorum HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nConnection: close\r\n\
                     Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
                    form.len()
                );
                statuses.push(crate::raw_request(addr, &raw));
            }
            statuses
        }));
    }
    let statuses: Vec<u16> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 303), "every comment acknowledged: {statuses:?}");
    let listed = succeeds(on(&a_data, &url, &media).args(["comments", "list", "--limit", "1000"]));
    for w in 0..4 {
        for n in 0..25 {
            let text = format!("patlama-{w}-{n}");
            assert_eq!(listed.matches(&format!("\t{text}\n")).count(), 1, "{text} stored once");
        }
    }

    // A reader's comment limit counts their posts on every server, and one
    // reader's limit is not another's.
    succeeds(on(&a_data, &url, &media).args(["settings", "set", "comments.rate_per_minute", "3"]));
    let post_as = |server: &Server, reader: &str, n: usize| {
        let form = format!("comment=sinir-{reader}-{n}&author=Okur&email=sinir%40example.com&token={token}");
        crate::raw_request(
            &server.addr,
            &format!(
                "POST {article}/yorum HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nX-Forwarded-For: {reader}\r\n\
                 Connection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {1}\r\n\r\n{form}",
                server.addr,
                form.len()
            ),
        )
    };
    let flood: Vec<u16> = (0..4).map(|n| post_as(if n % 2 == 0 { &a } else { &b }, "203.0.113.7", n)).collect();
    assert_eq!(flood, [303, 303, 303, 429], "three a minute in all, through either server");
    assert_eq!(post_as(&b, "203.0.113.8", 0), 303, "another reader behind the same proxy");

    // A server told to stop (SIGTERM) stops, its listener and all.
    let mut a = a;
    assert!(Command::new("kill").arg("-TERM").arg(a.child.id().to_string()).status().unwrap().success());
    let stopped = within(Duration::from_secs(10), || a.child.try_wait().unwrap().is_some());
    assert!(stopped.is_some(), "A still runs 10 s after SIGTERM");
    assert_eq!(b.get("/").0, 200, "B serves on");
}

#[test]
fn a_sqlite_site_moves_to_postgresql_and_is_served_from_there() {
    if crate::sqlite_run_only("on PostgreSQL in both runs") {
        return;
    }
    let Some(url) = manset_testkit::postgres::fresh_database() else { return };
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    let file = dir.path().join("haber.md");
    let story = manset_testkit::filler_file("Taşınan haber", "Gündem", "2026-11-01T10:00:00+03:00", &["Bakü"]);
    std::fs::write(&file, story).unwrap();
    succeeds(manset(&old).args(["import", "markdown"]).arg(&file));
    succeeds(manset(&old).args(["settings", "set", "site.name", "Taşınan Gazete"]));
    std::fs::create_dir_all(old.join("media/public/2026/11")).unwrap();
    std::fs::write(old.join("media/public/2026/11/foto-640.webp"), b"not really an image").unwrap();

    let media = dir.path().join("shared-media");
    let report = succeeds(
        manset(&old)
            .args(["migrate", "--from"])
            .arg(format!("sqlite:{}", old.display()))
            .args(["--to", &url, "--media"])
            .arg(&media),
    );
    assert!(report.contains("counts and checksums equal") && report.contains("1 media files"), "{report}");
    assert!(report.contains("articles") && !report.contains("DIFFERENT"), "{report}");
    assert!(media.join("public/2026/11/foto-640.webp").is_file());

    let new = dir.path().join("new");
    let server = Server::start(on(&new, &url, &media), &[]);
    let (status, page) = server.get("/haber/tasinan-haber");
    assert_eq!(status, 200);
    assert!(page.contains("Taşınan Gazete"), "the settings came along");
    assert_eq!(server.get("/medya/2026/11/foto-640.webp").0, 200, "the media folder is the shared one");
    drop(server);

    // And back: a backup of the PostgreSQL site is a SQLite data folder.
    let back = dir.path().join("back");
    let said = succeeds(on(&new, &url, &media).arg("backup").arg(&back));
    assert!(said.contains("1 media files"), "{said}");
    let alone = Server::start(manset(&back), &[]);
    assert_eq!(alone.get("/haber/tasinan-haber").0, 200);
    assert!(alone.get("/ara?q=ta%C5%9F%C4%B1nan").1.contains("/haber/tasinan-haber"), "its search index made at start");
    assert_eq!(alone.get("/medya/2026/11/foto-640.webp").0, 200);
    drop(alone);

    // Into a database that already holds a site: refused, nothing written.
    let again = manset(&old)
        .args(["migrate", "--from"])
        .arg(format!("sqlite:{}", old.display()))
        .args(["--to", &url])
        .output()
        .unwrap();
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already holds a site"), "{said}");
    assert!(!said.contains("password"), "{said}");
}
