//! A throwaway PostgreSQL for tests: installed from Debian's packages when
//! missing, one cluster in a temporary folder on a loopback port, a new
//! database for every test.
//!
//! Test runners differ: `cargo test` runs a test binary's tests as threads of
//! one process, nextest runs each in a process of its own. So the cluster is
//! shared by every process of this user through a folder in the temporary
//! directory, started once under a file lock, and stopped by a watchdog once
//! no test has asked for a database for two minutes. Settings favour speed
//! over durability (`fsync=off`): nothing in it outlives the run. Each
//! database sorts text by Turkish rules (ICU `tr-TR`), so a query that
//! depended on the database's locale would show it.
//!
//! Where PostgreSQL cannot be installed (no root, no network) the tests that
//! need it say so and skip, except with `CI=true`, where they fail.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// Seconds without a new database after which the cluster stops itself.
const IDLE_SECONDS: u32 = 120;

/// The URL of a new, empty database on the shared test cluster, or `None`
/// (after saying why) where PostgreSQL is unavailable outside CI.
pub fn fresh_database() -> Option<String> {
    let cluster = match cluster() {
        Ok(cluster) => cluster,
        Err(why) => {
            assert!(!crate::in_ci(), "CI=true but no PostgreSQL for the tests: {why}");
            eprintln!("skipped: no PostgreSQL for the tests: {why}");
            return None;
        }
    };
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!("t{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let created = run(Command::new(cluster.bin.join("psql"))
        .args(["-h", "127.0.0.1", "-p", &cluster.port.to_string(), "-U", "postgres", "-d", "postgres", "-q"])
        // Turkish collation (ICU), as a Turkish newsroom's database would
        // likely be: the schema must give the same order whatever the locale.
        .args([
            "-c",
            &format!(
                "CREATE DATABASE {name} LOCALE_PROVIDER icu ICU_LOCALE 'tr-TR' LOCALE 'C.UTF-8' TEMPLATE template0"
            ),
        ]));
    if let Err(why) = created {
        panic!("cannot create a test database on the cluster in {}: {why}", cluster.dir.display());
    }
    // The watchdog's clock.
    let _ = File::create(cluster.dir.join("used"));
    Some(format!("postgres://postgres@127.0.0.1:{}/{name}", cluster.port))
}

/// Runs `sql` on the test database at `url` (one of [`fresh_database`]'s);
/// its rows, one a line, columns separated by `|`.
pub fn psql(url: &str, sql: &str) -> Result<String, String> {
    let cluster = cluster()?;
    let output = Command::new(cluster.bin.join("psql"))
        .args(["-X", "-q", "-t", "-A", "-d", url, "-c", sql])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if !output.status.success() {
        return Err(format!("psql failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Whether this is a suite's second run, on PostgreSQL
/// (`MANSET_TEST_DATABASE=postgres`): its stores then open a
/// [`fresh_database`] instead of a SQLite file.
pub fn second_run() -> bool {
    std::env::var("MANSET_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// Runs every test of the calling test binary again, but `this_test`, with
/// [`second_run`] true, and fails with their report if any fails. Returns at
/// once inside the second run, and where PostgreSQL is unavailable (after
/// saying so; under `CI=true` it fails instead).
pub fn run_suite_again(this_test: &str) {
    if std::env::var_os("MANSET_TEST_DATABASE").is_some() || fresh_database().is_none() {
        return;
    }
    let output = Command::new(std::env::current_exe().expect("the test binary"))
        .env("MANSET_TEST_DATABASE", "postgres")
        // The failures' own messages are what the report must carry.
        .env("RUST_BACKTRACE", "0")
        .args(["--skip", this_test, "--test-threads", "4"])
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary: Vec<&str> = stdout.lines().filter(|l| l.starts_with("test result") || l.contains("FAILED")).collect();
    assert!(
        output.status.success(),
        "on PostgreSQL:\n{}\n\n{}\n{}",
        summary.join("\n"),
        failures(&stdout),
        String::from_utf8_lossy(&output.stderr).chars().take(4000).collect::<String>()
    );
    eprintln!("on PostgreSQL: {}", summary.join("; "));
}

/// The libtest report's "failures:" part (each failed test's output), at
/// most 20,000 characters of it; without one (the run crashed), the last
/// 20,000 characters of what it printed.
fn failures(stdout: &str) -> String {
    match stdout.find("\nfailures:\n") {
        Some(start) => stdout[start..].chars().take(20_000).collect(),
        None => {
            let tail: Vec<char> = stdout.chars().rev().take(20_000).collect();
            tail.into_iter().rev().collect()
        }
    }
}

struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
}

/// The running shared cluster, started (and PostgreSQL installed) if needed.
fn cluster() -> Result<Cluster, String> {
    static STARTED: std::sync::OnceLock<Result<(PathBuf, PathBuf, u16), String>> = std::sync::OnceLock::new();
    let (dir, bin, port) = STARTED.get_or_init(start).clone()?;
    Ok(Cluster { dir, bin, port })
}

fn start() -> Result<(PathBuf, PathBuf, u16), String> {
    let bin = binaries().or_else(|| install().then(binaries).flatten()).ok_or_else(|| {
        "PostgreSQL is not installed and `apt-get install postgresql` failed (it needs root and Debian's mirrors)"
            .to_owned()
    })?;
    let root = running_as_root();
    let dir = std::env::temp_dir().join(format!("manset-test-postgres-{}", user_id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let lock = File::create(dir.join("lock")).map_err(|e| format!("cannot create the lock file: {e}"))?;
    lock.lock().map_err(|e| format!("cannot lock {}: {e}", dir.display()))?;
    let data = dir.join("data");
    let port_file = dir.join("port");
    if let Some(port) = std::fs::read_to_string(&port_file).ok().and_then(|p| p.trim().parse::<u16>().ok())
        && as_owner(root, Command::new(bin.join("pg_ctl")).arg("status").arg("-D").arg(&data)).is_ok()
    {
        let _ = File::create(dir.join("used"));
        return Ok((dir, bin, port));
    }
    // Nothing usable there: begin again.
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_file(&port_file);
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    if root {
        // PostgreSQL refuses to run as root: its files belong to `postgres`.
        run(Command::new("chown").arg("-R").arg("postgres:postgres").arg(&dir))?;
    }
    as_owner(
        root,
        Command::new(bin.join("initdb")).arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]),
    )?;
    let port = free_port()?;
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
        dir.display()
    );
    as_owner(
        root,
        Command::new(bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(dir.join("log"))
            .args(["-w", "start"]),
    )?;
    std::fs::write(&port_file, port.to_string()).map_err(|e| format!("cannot write {}: {e}", port_file.display()))?;
    let _ = File::create(dir.join("used"));
    watchdog(&dir, &bin, root);
    Ok((dir, bin, port))
}

/// Stops the cluster and removes its folder once it has been idle.
fn watchdog(dir: &Path, bin: &Path, root: bool) {
    let stop = format!(
        "{} {} -D {} -m immediate stop",
        if root { "runuser -u postgres --" } else { "" },
        bin.join("pg_ctl").display(),
        dir.join("data").display()
    );
    let script = format!(
        "while [ $(( $(date +%s) - $(stat -c %Y {used}) )) -lt {IDLE_SECONDS} ]; do sleep 5; done; \
         {stop} >/dev/null 2>&1; rm -rf {data} {port}",
        used = dir.join("used").display(),
        data = dir.join("data").display(),
        port = dir.join("port").display(),
    );
    let _ = Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

/// The folder of `initdb`, `pg_ctl` and `psql`: Debian keeps each major
/// version apart; the newest wins.
fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").exists() && bin.join("psql").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn install() -> bool {
    crate::tools::apt_install("postgresql")
}

fn running_as_root() -> bool {
    user_id() == "0"
}

fn user_id() -> String {
    Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "unknown".to_owned(), |s| s.trim().to_owned())
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("no free port: {e}"))
}

/// Runs a PostgreSQL program as the owner of the cluster's files.
fn as_owner(root: bool, command: &mut Command) -> Result<(), String> {
    if !root {
        return run(command);
    }
    let mut wrapped = Command::new("runuser");
    wrapped.args(["-u", "postgres", "--"]).arg(command.get_program()).args(command.get_args());
    run(&mut wrapped)
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command.stdin(Stdio::null()).output().map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {}", String::from_utf8_lossy(&output.stderr).trim()))
    }
}
