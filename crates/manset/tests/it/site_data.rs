//! Moving a site's data with the binary: export → restore → export gives
//! the same file, a restore never lands on a site, and a backup taken
//! while the site serves is a site of its own.

use std::path::Path;

use crate::{Server, manset, manset_on_sqlite, on_postgres};

fn run(cmd: &mut std::process::Command) -> (String, String) {
    let out = cmd.output().expect("manset runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{cmd:?} failed\n{stdout}\n{stderr}");
    (stdout.into_owned(), stderr.into_owned())
}

/// A site with the demo content, a reader's comment and an account.
fn demo_site(data: &Path) {
    let server = Server::start(manset(data), &["--demo"]);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("/haber/"));
    drop(server);
    crate::add_user(data, "editor@example.com", "Editör", "editor", "uzun ve gizli parola");
}

#[test]
fn an_export_restored_exports_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let (data, copy) = (dir.path().join("data"), dir.path().join("copy"));
    demo_site(&data);
    let first = dir.path().join("site.jsonl");
    let (_, said) = run(manset(&data).arg("export").arg(&first));
    assert!(said.contains("password hashes"), "the operator is warned: {said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&first).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.starts_with("{\"manset_dump\":1,\"schema\":"));
    assert!(text.contains("{\"table\":\"articles\",\"row\":{\"id\":1,"));
    assert!(!text.contains("\"table\":\"sessions\""), "sessions are not part of a site");

    let (said, _) = run(manset(&copy).args(["import", "manset"]).arg(&first));
    assert!(said.contains("restored"), "{said}");
    let second = dir.path().join("again.jsonl");
    run(manset(&copy).arg("export").arg(&second));
    assert!(std::fs::read(&second).unwrap() == text.as_bytes(), "the round trip changes nothing");

    // The restored site serves and finds what the first one did.
    let server = Server::start(manset(&copy), &[]);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    let article = home.split("href=\"/haber/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(server.get(&format!("/haber/{article}")).0, 200);
    let word = article.split('-').find(|w| w.len() > 4).unwrap().to_owned();
    let (_, results) = server.get(&format!("/ara?q={word}"));
    assert!(results.contains(&format!("/haber/{article}")), "the index was rebuilt: {word}");
}

#[test]
fn a_restore_never_lands_on_a_site_and_a_broken_dump_restores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    demo_site(&data);
    let dump = dir.path().join("site.jsonl");
    run(manset(&data).arg("export").arg(&dump));
    let out = manset(&data).args(["import", "manset"]).arg(&dump).output().unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("restore into a new, empty folder"), "{said}");

    // A dump cut off in the middle of a row: nothing of it is restored.
    let text = std::fs::read_to_string(&dump).unwrap();
    let cut = dir.path().join("cut.jsonl");
    std::fs::write(&cut, &text[..text.find("\"table\":\"categories\"").unwrap() + 30]).unwrap();
    let fresh = dir.path().join("fresh");
    let out = manset(&fresh).args(["import", "manset"]).arg(&cut).output().unwrap();
    assert!(!out.status.success(), "a broken dump fails");
    let server = Server::start(manset(&fresh), &[]);
    let (_, home) = server.get("/");
    assert!(!home.contains("href=\"/haber/"), "no article of the broken dump was kept");
}

#[test]
fn a_backup_taken_while_serving_is_a_site_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let (data, backup) = (dir.path().join("data"), dir.path().join("yedek"));
    demo_site(&data);
    let server = Server::start(manset(&data), &[]);
    let (_, home) = server.get("/");
    let (said, _) = run(manset(&data).arg("backup").arg(&backup));
    assert!(said.contains("backed up the database"), "{said}");
    assert!(backup.join("manset.db").is_file());
    // SQLite's backup copies the index of the same moment; a PostgreSQL
    // site's backup is a new database, indexed at its first start.
    assert_eq!(backup.join("search/meta.json").is_file(), !on_postgres());
    // A backup folder is never written over.
    assert!(!manset(&data).arg("backup").arg(&backup).output().unwrap().status.success());
    drop(server);

    // A backup is a SQLite data folder, whichever database the site was on.
    let restored = Server::start(manset_on_sqlite(&backup), &[]);
    let (status, copy_home) = restored.get("/");
    assert_eq!(status, 200);
    let links = |page: &str| page.matches("href=\"/haber/").count();
    assert_eq!(links(&copy_home), links(&home), "the same front page");
    let log = restored.stop();
    assert!(!log.contains("building it anew"), "the copied index opens as it is: {log}");
}

/// A WordPress export of one post whose featured image and body image are
/// in the old site's uploads folder.
const WXR_WITH_IMAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Eski</title><link>https://eski.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://eski.example</wp:base_site_url>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>ekonomi</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Ekonomi]]></wp:cat_name></wp:category>
<item><title>Logo</title><link>https://eski.example/logo/</link><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://eski.example/wp-content/uploads/2012/03/logo.png</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[Sitenin logosu]]></wp:meta_value></wp:postmeta></item>
<item><title>Liman büyüyor</title><link>https://eski.example/2012/03/15/liman-buyuyor/</link>
<dc:creator>editor</dc:creator><content:encoded><![CDATA[Liman genişliyor.

<img src="https://eski.example/wp-content/uploads/2012/03/logo-150x150.png" alt="Logo küçük">]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>12</wp:post_id><wp:post_date>2012-03-15 10:00:00</wp:post_date>
<wp:post_date_gmt>2012-03-15 08:00:00</wp:post_date_gmt><wp:post_name>liman-buyuyor</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="ekonomi"><![CDATA[Ekonomi]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[9]]></wp:meta_value></wp:postmeta></item>
</channel></rss>"#;

#[test]
fn a_wordpress_site_moves_in_with_its_images_and_its_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let (data, uploads) = (dir.path().join("data"), dir.path().join("uploads"));
    std::fs::create_dir_all(uploads.join("2012/03")).unwrap();
    let logo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/default/static/logo.png");
    std::fs::copy(&logo, uploads.join("2012/03/logo.png")).unwrap();
    let export = dir.path().join("export.xml");
    std::fs::write(&export, WXR_WITH_IMAGE).unwrap();

    let (said, _) = run(manset(&data).args(["import", "wordpress"]).arg(&export).arg("--media-dir").arg(&uploads));
    assert!(said.contains("1 images added to the library") && said.contains("1 articles now show them"), "{said}");
    let (again, _) = run(manset(&data).args(["import", "wordpress"]).arg(&export).arg("--media-dir").arg(&uploads));
    assert!(again.contains("(1 there already)"), "the same image is not added twice: {again}");

    let server = Server::start(manset(&data), &[]);
    let (status, page) = server.get("/haber/liman-buyuyor");
    assert_eq!(status, 200);
    assert!(!page.contains("eski.example/wp-content"), "no image is loaded from the old site");
    let src = page.split("src=\"/medya/").nth(1).expect("images come from our media library");
    let src = format!("/medya/{}", &src[..src.find('"').unwrap()]);
    let head = server.request(&format!("HEAD {src} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", server.addr));
    assert_eq!(head.0, 200, "{src}");
    assert!(page.contains("alt=\"Sitenin logosu\""), "the attachment's alt text");
    // The old addresses lead here.
    let moved = server.request(&format!(
        "GET /2012/03/15/liman-buyuyor/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    ));
    assert_eq!(moved.0, 301);
}

/// An export of `n` posts, made here.
fn big_export(n: usize) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Büyük</title><wp:base_site_url>https://buyuk.example</wp:base_site_url>"#,
    );
    for i in 1..=n {
        xml.push_str(&format!(
            "<item><title>Haber {i}</title><link>https://buyuk.example/?p={i}</link><content:encoded><![CDATA[Paragraf {i}.\n\nİkinci paragraf.]]></content:encoded>\
             <wp:post_id>{i}</wp:post_id><wp:post_date>2020-01-01 10:00:00</wp:post_date><wp:post_name>haber-{i}</wp:post_name>\
             <wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain=\"category\" nicename=\"gundem\"><![CDATA[Gündem]]></category>\
             <wp:comment><wp:comment_id>{i}</wp:comment_id><wp:comment_author>Okur</wp:comment_author><wp:comment_author_email>okur@example.com</wp:comment_author_email>\
             <wp:comment_date_gmt>2020-01-01 11:00:00</wp:comment_date_gmt><wp:comment_content>Yorum {i}</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

/// Bytes process `pid` has read so far (files and sockets alike), from
/// `/proc/PID/io`.
fn bytes_read(pid: u32) -> Option<u64> {
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    io.lines().find_map(|l| l.strip_prefix("rchar:")).and_then(|n| n.trim().parse().ok())
}

#[test]
fn an_import_killed_midway_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let export = dir.path().join("big.xml");
    std::fs::write(&export, big_export(3000)).unwrap();
    let mut child = manset(&data)
        .args(["import", "wordpress"])
        .arg(&export)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it is writing (SQLite's log exists; on PostgreSQL, it
    // holds the writers' advisory lock, 0x4d41_4e53_4554 as two 32-bit
    // halves) and is well into it, then kill it hard. The import reads the
    // file twice, a check and then the writing pass inside one transaction,
    // so having read one and a half files' worth means about half the posts
    // are written and nothing is committed.
    let file_len = std::fs::metadata(&export).unwrap().len();
    let pid = child.id();
    let halfway = || bytes_read(pid).is_some_and(|read| read > file_len + file_len / 2);
    let writing = || match crate::database_for(&data) {
        Some(url) => manset_testkit::postgres::psql(
            &url,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND classid = 19777 AND objid = 1314080084 AND database = \
             (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .is_ok_and(|n| n != "0"),
        None => data.join("manset.db-wal").exists(),
    };
    let started = std::time::Instant::now();
    let mut caught = false;
    while !caught && started.elapsed() < std::time::Duration::from_secs(20) {
        caught = halfway() && writing();
        if !caught {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import ended before it could be interrupted: make the file bigger"
    );
    assert!(caught, "the import was not seen halfway through its writing pass within 20 s");
    child.kill().unwrap();
    child.wait().unwrap();

    let check = manset(&data).arg("check").output().unwrap();
    assert!(check.status.success(), "the database is sound: {}", String::from_utf8_lossy(&check.stderr));

    // The next run finds nothing of the killed one: everything is new.
    let (said, _) = run(manset(&data).args(["import", "wordpress"]).arg(&export));
    let posts = said.lines().find(|l| l.trim_start().starts_with("post ")).unwrap();
    assert!(posts.contains(" 3000 new") && posts.contains(" 0 unchanged"), "{posts}");
}
