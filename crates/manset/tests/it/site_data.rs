//! Moving a site's data with the binary: export → restore → export gives
//! the same file, a restore never lands on a site, and a backup taken
//! while the site serves is a site of its own.

use std::path::Path;

use crate::{Server, manset};

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
    let mut add = manset(data);
    add.args([
        "user",
        "add",
        "--email",
        "editor@example.com",
        "--name",
        "Editör",
        "--role",
        "editor",
        "--password-stdin",
    ]);
    add.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
    let mut child = add.spawn().unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"uzun ve gizli parola\n").unwrap();
    assert!(child.wait().unwrap().success());
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
    assert!(backup.join("manset.db").is_file() && backup.join("search/meta.json").is_file());
    // A backup folder is never written over.
    assert!(!manset(&data).arg("backup").arg(&backup).output().unwrap().status.success());
    drop(server);

    let restored = Server::start(manset(&backup), &[]);
    let (status, copy_home) = restored.get("/");
    assert_eq!(status, 200);
    let links = |page: &str| page.matches("href=\"/haber/").count();
    assert_eq!(links(&copy_home), links(&home), "the same front page");
    let log = restored.stop();
    assert!(!log.contains("building it anew"), "the copied index opens as it is: {log}");
}
