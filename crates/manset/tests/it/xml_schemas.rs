//! Sitemaps checked by libxml2 against their XML schemas: child sitemaps
//! against sitemaps.org's `sitemap.xsd` (from the `sitemap` npm package), the
//! index and Google News sitemap against schemas we wrote from the protocol
//! and Google's documentation (`e2e/schemas/`).

use std::process::Command;

use jiff::{SignedDuration, Timestamp};

use crate::node::{e2e_dir, node_modules, unavailable};
use crate::{Server, manset};

/// Every `<loc>` of a sitemap, as a path on the server.
fn locs(xml: &str, addr: &str) -> Vec<String> {
    let prefix = format!("http://{addr}");
    xml.split("<loc>")
        .skip(1)
        .map(|rest| rest[..rest.find("</loc>").unwrap()].strip_prefix(&prefix).unwrap().to_owned())
        .collect()
}

fn validate(schema: &str, preload: &[&str], files: &[std::path::PathBuf]) {
    let e2e = e2e_dir();
    let mut cmd = Command::new("node");
    cmd.current_dir(&e2e).arg("validate-xml.mjs").arg(schema);
    for p in preload {
        cmd.args(["--preload", p]);
    }
    let out = cmd.args(files).output().expect("node runs");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{schema}:\n{report}");
}

#[test]
fn sitemaps_are_valid_by_their_xml_schemas() {
    if !node_modules(&e2e_dir()) {
        unavailable("`npm ci` in e2e/ failed (is Node.js installed?)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let at = |hours: i64| (Timestamp::now() + SignedDuration::from_hours(hours)).to_string();
    let files = [
        (
            "new.md",
            format!(
                "+++\ntitle = 'Son dakika: <Bakü> & \"Tiflis\"'\ncategory = \"Gündem\"\nauthor = \"Elif Demirci\"\n\
                 tags = [\"Enerji\"]\npublished = {}\n+++\n\nGövde.\n",
                at(-1)
            ),
        ),
        ("old.md", manset_testkit::filler_file("Geçen haftanın haberi", "Ekonomi", &at(-24 * 7), &["Enerji", "Liman"])),
        ("embargo.md", manset_testkit::filler_file("Ambargolu haber", "Gündem", &at(24), &["Gizli Etiket"])),
    ];
    for (name, text) in &files {
        std::fs::write(content.join(name), text).unwrap();
    }
    let data = dir.path().join("data");
    assert!(manset(&data).args(["import", "markdown"]).arg(&content).output().unwrap().status.success());
    let server = Server::start(manset(&data), &[]);

    let out = dir.path().join("xml");
    std::fs::create_dir_all(&out).unwrap();
    let save = |path: &str| {
        let (status, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("ambargolu-haber") && !body.contains("gizli-etiket"), "{path} leaks:\n{body}");
        let file = out.join(path.trim_start_matches('/'));
        std::fs::write(&file, &body).unwrap();
        (file, body)
    };
    let (index_file, index) = save("/sitemap.xml");
    let children: Vec<_> = locs(&index, &server.addr).iter().map(|p| save(p)).collect();
    assert_eq!(children.len(), 5, "articles, categories, tags, authors, pages:\n{index}");
    let urls: Vec<String> = children.iter().flat_map(|(_, body)| locs(body, &server.addr)).collect();
    assert!(urls.contains(&"/haber/gecen-haftanin-haberi".to_owned()), "{urls:?}");
    assert!(urls.contains(&"/etiket/liman".to_owned()), "{urls:?}");
    let (news_file, news) = save("/sitemap-news.xml");
    assert_eq!(locs(&news, &server.addr), ["/haber/son-dakika-baku-tiflis"], "only the last 48 hours");

    let sitemap_xsd = "node_modules/sitemap/schema/sitemap.xsd";
    let child_files: Vec<_> = children.iter().map(|(f, _)| f.clone()).collect();
    validate(sitemap_xsd, &[], &child_files);
    validate("schemas/siteindex.xsd", &[], &[index_file]);
    validate("schemas/news-sitemap.xsd", &[sitemap_xsd, "schemas/sitemap-news.xsd"], std::slice::from_ref(&news_file));

    // The schemas do reject: a News sitemap with a language name instead of a code.
    let bad = out.join("bad-news.xml");
    std::fs::write(&bad, news.replace("<news:language>tr<", "<news:language>Türkçe<")).unwrap();
    let rejected = Command::new("node")
        .current_dir(e2e_dir())
        .args(["validate-xml.mjs", "schemas/news-sitemap.xsd", "--preload", sitemap_xsd, "--preload"])
        .arg("schemas/sitemap-news.xsd")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!rejected.status.success());
}
