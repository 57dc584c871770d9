//! Programs from Debian that tests compare our code against (`oathtool` for
//! TOTP codes): installed with `apt-get` when missing, like PostgreSQL in
//! [`crate::postgres`]. Where that cannot be done a test says so and skips,
//! except with `CI=true`, where it fails.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The path of `program` (from Debian package `package`), installing the
/// package when the program is missing; `None` (after saying why) where it
/// cannot be had outside CI.
pub fn debian_program(program: &str, package: &str) -> Option<PathBuf> {
    if let Some(path) = find(program) {
        return Some(path);
    }
    apt_install(package);
    if let Some(path) = find(program) {
        return Some(path);
    }
    let why = format!(
        "`{program}` is not installed and `apt-get install {package}` failed (it needs root and Debian's mirrors)"
    );
    assert!(!crate::in_ci(), "CI=true but {why}");
    eprintln!("skipped: {why}");
    None
}

/// Installs Debian package `package` with `apt-get` (updating the package
/// lists once if the first try fails); whether it worked.
pub fn apt_install(package: &str) -> bool {
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let install = ["install", "-y", "-q", "--no-install-recommends", package];
    apt(&install) || (apt(&["update", "-q"]) && apt(&install))
}

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .chain(["/usr/bin", "/usr/local/bin"])
        .map(|dir| PathBuf::from(dir).join(program))
        .find(|path| path.is_file())
}

/// The TOTP code `oathtool` makes for the base32 `secret` at `when` (text
/// it reads, e.g. `2026-12-04 12:00:00 UTC`), or at the present moment.
pub fn oathtool_totp(oathtool: &std::path::Path, secret: &str, when: Option<&str>) -> String {
    let mut command = Command::new(oathtool);
    command.args(["--totp", "-b", secret]);
    if let Some(when) = when {
        command.args(["--now", when]);
    }
    let output = command.output().unwrap_or_else(|e| panic!("cannot run {}: {e}", oathtool.display()));
    assert!(output.status.success(), "oathtool failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
