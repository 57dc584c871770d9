//! The real `manset` binary: import content files, serve them, read the
//! pages over HTTP like a browser would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

mod durability;
mod e2e;
mod faults;
mod fuzz;
mod limits;
mod multi_node;
mod node;
mod site_data;
mod soak;
mod terminal;
mod upgrade;
mod xml_schemas;

const BIN: &str = env!("CARGO_BIN_EXE_manset");

/// `manset --data DATA`: the site in that folder; in the suite's
/// PostgreSQL run, in the database that stands for that folder.
fn manset(data: &Path) -> Command {
    let mut cmd = manset_on_sqlite(data);
    if let Some(url) = database_for(data) {
        cmd.arg("--database").arg(url);
    }
    cmd
}

/// `manset --data DATA` on the SQLite database in that folder, in either run.
fn manset_on_sqlite(data: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data")
        .arg(data)
        .env_remove("MANSET_DATA")
        .env_remove("MANSET_DATABASE")
        .env_remove("MANSET_MEDIA")
        .env("MANSET_LOG", "warn");
    cmd
}

/// Every other test, run again with each site on PostgreSQL: `manset`
/// gives each data folder a database of its own.
#[test]
fn the_whole_suite_passes_on_postgresql_too() {
    manset_testkit::postgres::run_suite_again("the_whole_suite_passes_on_postgresql_too");
}

fn on_postgres() -> bool {
    manset_testkit::postgres::second_run()
}

/// In the PostgreSQL run, a new database for each data folder, the same
/// one each time the folder is named again.
fn database_for(data: &Path) -> Option<String> {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, PoisonError};
    static DATABASES: Mutex<BTreeMap<std::path::PathBuf, String>> = Mutex::new(BTreeMap::new());
    if !on_postgres() {
        return None;
    }
    let mut databases = DATABASES.lock().unwrap_or_else(PoisonError::into_inner);
    let url = databases
        .entry(data.to_owned())
        .or_insert_with(|| manset_testkit::postgres::fresh_database().expect("PostgreSQL for the suite's second run"));
    Some(url.clone())
}

/// True in the PostgreSQL run, after saying why this test is not run
/// again there.
fn sqlite_run_only(why: &str) -> bool {
    if on_postgres() {
        eprintln!("not run again on PostgreSQL: {why}");
    }
    on_postgres()
}

/// A running `manset serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Runs `manset serve --listen 127.0.0.1:0 EXTRA...` and waits for its address.
    fn start(mut cmd: Command, extra: &[&str]) -> Server {
        let mut child = cmd
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("manset starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("manset prints its address");
        let addr = line
            .trim()
            .strip_prefix("Manşet: http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server { child, addr }
    }

    /// GET `path`; returns the status code and the body.
    fn get(&self, path: &str) -> (u16, String) {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr))
    }

    /// POST a form to `path` as a browser on this site would.
    fn post_form(&self, path: &str, form: &str) -> (u16, String) {
        self.request(&format!(
            "POST {path} HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {1}\r\n\r\n{form}",
            self.addr,
            form.len()
        ))
    }

    /// Sends a raw request; the whole answer, head and body.
    fn raw(&self, raw: &str) -> String {
        raw_response(&self.addr, raw)
    }

    fn request(&self, raw: &str) -> (u16, String) {
        let response = raw_response(&self.addr, raw);
        let (head, body) = response.split_once("\r\n\r\n").expect("headers end");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status code");
        (status, body.to_owned())
    }
}

/// Sends `raw` to `addr`; the whole answer.
fn raw_response(addr: &str, raw: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8(response).expect("UTF-8 response")
}

/// Sends `raw` to `addr`; the answer's status.
fn raw_request(addr: &str, raw: &str) -> u16 {
    raw_response(addr, raw).split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status")
}

impl Server {
    /// Stops the server and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            let _ = stderr.read_to_string(&mut log);
        }
        log
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first article a page links to (`/haber/…`).
fn first_article(page: &str) -> String {
    let start = page.find("<a href=\"/haber/").expect("a story on the page") + 9;
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

/// The signed token of an article page's comment form.
fn comment_token(page: &str) -> String {
    let at = page.find("name=\"token\" value=\"").expect("a comment form") + 20;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

/// Adds a newsroom account with `manset user add`, the password on stdin.
fn add_user(data: &Path, email: &str, name: &str, role: &str, password: &str) {
    let mut child = manset(data)
        .args(["user", "add", "--email", email, "--name", name, "--role", role, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "manset user add {email}");
}

/// The first `href` on the page whose link text is `text`.
fn href_of(body: &str, text: &str) -> Option<String> {
    let end = body.find(&format!("\">{text}</a>"))?;
    let start = body[..end].rfind("href=\"")? + 6;
    Some(body[start..end].to_owned())
}

#[test]
fn imported_seed_is_served_and_reachable_from_the_home_page() {
    let Some(seed) = manset_testkit::seed_article() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("seed.md"), seed.content_file("2024-06-28T12:30:00+03:00", "Aynur Əliyeva")).unwrap();
    for i in 1..=3 {
        std::fs::write(
            content.join(format!("f{i}.md")),
            manset_testkit::filler_file(
                &format!("Dolgu {i}"),
                "Gürcistan",
                &format!("2024-06-2{i}T10:00:00+03:00"),
                &[],
            ),
        )
        .unwrap();
    }
    let bad = content.join("kotu.md");
    std::fs::write(&bad, "+++\ntitle = \"Kategorisi yok\"\n+++\n").unwrap();

    let data = dir.path().join("data");
    let out = manset(&data).args(["import", "markdown"]).arg(&content).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a failed file makes the run fail\n{stdout}\n{stderr}");
    assert!(stdout.contains("/haber/aliyev-obrien-ile-gorustu-barisin-gorusuldugu-bildirildi"), "{stdout}");
    assert!(stdout.contains("4 imported, 1 failed"), "{stdout}");
    assert!(stderr.contains(&bad.display().to_string()) && stderr.contains("category"), "{stderr}");

    // Importing again updates, never duplicates.
    std::fs::remove_file(&bad).unwrap();
    let again = manset(&data).args(["import", "markdown"]).arg(&content).output().unwrap();
    assert!(again.status.success());
    let again = String::from_utf8_lossy(&again.stdout);
    assert_eq!(again.matches("updated").count(), 4, "{again}");

    let server = Server::start(manset(&data), &[]);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    let href = href_of(&home, &seed.headline).expect("the home page links the seed by its headline");
    let (status, page) = server.get(&href);
    assert_eq!(status, 200);
    assert!(page.contains(&format!("<h1 class=\"article__headline\">{}</h1>", seed.headline)));
    assert!(page.contains("28 Haziran 2024 Cuma"));
    assert!(page.contains("İlgili Makaleler"));
    assert!(page.contains("Bir yanıt yazın"));
    let (status, missing) = server.get("/haber/boyle-bir-haber-yok");
    assert_eq!(status, 404);
    assert!(missing.contains("Sayfa bulunamadı"));
}

#[test]
fn serve_demo_fills_an_empty_site_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The data folder from the environment instead of --data.
    let mut cmd = Command::new(BIN);
    cmd.env("MANSET_DATA", &data).env("MANSET_LOG", "warn").env_remove("MANSET_DATABASE");
    // And the database from the environment instead of --database.
    if let Some(url) = database_for(&data) {
        cmd.env("MANSET_DATABASE", url);
    }
    let server = Server::start(cmd, &["--demo"]);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("card--lead"));
    let links = home.matches("<a href=\"/haber/").count();
    assert!(links >= 9, "the demo fills the home page: {links} links");
    drop(server);
    assert_eq!(data.join("manset.db").is_file(), !on_postgres(), "SQLite's file is in the data folder");

    // A second start keeps what is there: the demo only fills an empty site.
    let server = Server::start(manset(&data), &["--demo"]);
    let (_, again) = server.get("/");
    assert_eq!(again.matches("<a href=\"/haber/").count(), links);
}

#[test]
fn a_wrong_time_zone_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let out = manset(&dir.path().join("data")).args(["serve", "--timezone", "Mars/Olympus"]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Mars/Olympus") && stderr.contains("Europe/Istanbul"), "{stderr}");
}

#[test]
fn comments_are_moderated_from_the_command_line_and_addresses_stay_out_of_logs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let set = manset(&data).args(["settings", "set", "comments.min_seconds", "0"]).output().unwrap();
    assert!(set.status.success());
    let bad = manset(&data).args(["settings", "set", "comments.max_depth", "99"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("from 1 to 10"));

    let mut cmd = manset(&data);
    cmd.env("MANSET_LOG", "info");
    let server = Server::start(cmd, &["--demo"]);
    let (_, home) = server.get("/");
    let article = first_article(&home);
    let (_, page) = server.get(&article);
    let token = &comment_token(&page);
    let form =
        format!("comment=Komut%20sat%C4%B1r%C4%B1ndan%20onay&author=Okur&email=gizli.okur%40example.com&token={token}");
    let (status, _) = server.post_form(&format!("{article}/yorum"), &form);
    assert_eq!(status, 303);

    let list = manset(&data).args(["comments", "list", "--status", "pending"]).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    let line = list.lines().next().expect("one pending comment");
    let id = line.split('\t').next().unwrap();
    assert!(id.parse::<i64>().is_ok(), "each line starts with the id: {line}");
    assert!(line.contains("Komut satırından onay"));
    let approve = manset(&data).args(["comments", "approve", id]).output().unwrap();
    assert!(approve.status.success());
    // Another process's change reaches the server's page cache within a second.
    let approved = std::time::Instant::now();
    let page = loop {
        let (_, page) = server.get(&article);
        if page.contains("Komut satırından onay") || approved.elapsed() > std::time::Duration::from_millis(1500) {
            break page;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(page.contains("Komut satırından onay"), "shown within a second of the approval");
    assert!(!page.contains("gizli.okur"));
    let missing = manset(&data).args(["comments", "trash", "999999"]).output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such comment: 999999"));

    let log = server.stop();
    assert!(log.contains("comment received"), "the comment is logged: {log}");
    assert!(!log.contains("gizli.okur"), "the address is not: {log}");
}

#[test]
fn the_first_admin_is_created_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let add = |email: &str, password: &str| {
        let mut child = manset(&data)
            .args(["user", "add", "--email", email, "--name", "Ayşe Yılmaz", "--role", "admin", "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let created = add("Ayse@Example.com", "çok gizli bir parola");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(String::from_utf8_lossy(&created.stdout).contains("created ayse@example.com (Ayşe Yılmaz) as admin"));
    let again = add("ayse@example.com", "çok gizli bir parola");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short = add("kisa@example.com", "kısa");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let list = manset(&data).args(["user", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("admin\tayse@example.com\tAyşe Yılmaz"));
}

#[test]
fn a_scheduled_article_is_public_after_its_time_even_if_the_server_was_down_then() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // Time enough for an import and a start on a busy machine.
    let at = jiff::Timestamp::now().as_second() + 5;
    let published = jiff::Timestamp::from_second(at).unwrap().to_string();
    let file = dir.path().join("zamanli.md");
    std::fs::write(
        &file,
        format!("+++\ntitle = \"Zamanlı haber\"\ncategory = \"Gündem\"\npublished = \"{published}\"\n+++\nMetin.\n"),
    )
    .unwrap();
    assert!(manset(&data).args(["import", "markdown"]).arg(&file).output().unwrap().status.success());
    let server = Server::start(manset(&data), &[]);
    assert_eq!(server.get("/haber/zamanli-haber").0, 404);
    drop(server);
    assert!(jiff::Timestamp::now().as_second() < at, "too slow: the server was still up at the article's time");
    // Down when the time comes.
    while jiff::Timestamp::now().as_second() < at {
        std::thread::sleep(Duration::from_millis(100));
    }
    let server = Server::start(manset(&data), &[]);
    assert_eq!(server.get("/haber/zamanli-haber").0, 200, "public at once after the restart");
}
