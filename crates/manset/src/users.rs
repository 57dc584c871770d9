//! `manset user …`: newsroom accounts from the command line, so the first
//! admin can be created before anyone can log in.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use jiff::Timestamp;
use manset_core::user::check_password;
use manset_service::accounts::hash_password;

use crate::cli::UserCommand;

/// Reads a new password from stdin's first line, or twice from the terminal.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    } else {
        let first =
            rpassword::prompt_password("Parola / Password: ").context("reading the password from the terminal")?;
        let second =
            rpassword::prompt_password("Tekrar / Again: ").context("reading the password from the terminal")?;
        anyhow::ensure!(first == second, "the two passwords differ; nothing was changed");
        first
    };
    check_password(&password).map_err(|p| anyhow::anyhow!("{p}; nothing was changed"))?;
    Ok(password)
}

pub async fn run(data: &Path, command: UserCommand) -> anyhow::Result<ExitCode> {
    let store = crate::cli::open_store(data).await?;
    match command {
        UserCommand::Add { email, name, role, password_stdin } => {
            anyhow::ensure!(manset_core::Email::parse(&email).is_ok(), "`{email}` is not a valid e-mail address");
            anyhow::ensure!(!name.trim().is_empty(), "give the account a --name");
            let password = read_password(password_stdin)?;
            let hash = hash_password(&password)?;
            match store.create_user(&email, &name, role, &hash, Timestamp::now()).await? {
                Some(user) => say!("created {} ({}) as {}", user.email, user.name, user.role),
                None => {
                    anyhow::bail!("an account with {email} already exists; `manset user passwd` changes its password")
                }
            }
        }
        UserCommand::List => {
            for user in store.users().await? {
                say!("{}\t{}\t{}\t{}", user.id, user.role, user.email, user.name);
            }
        }
        UserCommand::Passwd { email, password_stdin } => {
            let account = store.credentials(&email).await?.with_context(|| format!("no account has {email}"))?;
            let password = read_password(password_stdin)?;
            let hash = hash_password(&password)?;
            store.set_password(account.user.id, &hash, None).await?;
            say!("password changed for {}; its sessions were ended", account.user.email);
        }
        UserCommand::TwoFactorOff { email } => {
            let account = store.credentials(&email).await?.with_context(|| format!("no account has {email}"))?;
            anyhow::ensure!(account.two_factor, "{email} does not use two-factor sign-in; nothing was changed");
            store.disable_two_factor(account.user.id).await?;
            let entry = manset_store::NewAuditEntry {
                user_id: Some(account.user.id),
                actor: "manset user two-factor-off",
                action: "2fa.disable",
                subject: &account.user.email,
                ..Default::default()
            };
            store.audit(entry, Timestamp::now()).await?;
            say!("two-factor sign-in turned off for {}; its recovery codes were forgotten", account.user.email);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
