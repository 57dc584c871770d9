//! `manset comments …` and `manset settings …`: moderation and settings from
//! the command line, always available even without the newsroom admin.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use jiff::Timestamp;
use manset_core::CommentStatus;
use manset_core::settings::{SETTINGS, spec};
use manset_store::Store;

use crate::cli::{CommentsCommand, SettingsCommand};

async fn open(data: &Path) -> anyhow::Result<Store> {
    crate::cli::open_store(data).await
}

pub async fn comments(data: &Path, command: CommentsCommand) -> anyhow::Result<ExitCode> {
    let store = open(data).await?;
    let (ids, status) = match command {
        CommentsCommand::List { status, limit } => {
            for c in store.comments_for_moderation(status, limit).await? {
                let text: String = c.body.split_whitespace().collect::<Vec<_>>().join(" ");
                let text: String = text.chars().take(80).collect();
                say!(
                    "{}\t{}\t{}\t/haber/{}\t{} <{}>\t{}",
                    c.id,
                    c.status,
                    c.created_at,
                    c.article_slug,
                    c.name,
                    c.email,
                    text
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        CommentsCommand::Approve { ids } => (ids, CommentStatus::Approved),
        CommentsCommand::Spam { ids } => (ids, CommentStatus::Spam),
        CommentsCommand::Trash { ids } => (ids, CommentStatus::Trash),
    };
    let missing = store.set_comment_status(&ids, status, Timestamp::now()).await?;
    store.close().await;
    let done = ids.len() - missing.len();
    say!("{done} comment(s) marked {status}");
    if missing.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        let list: Vec<String> = missing.iter().map(i64::to_string).collect();
        say_err!("no such comment: {}; `manset comments list` shows the ids", list.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

pub async fn settings(data: &Path, command: SettingsCommand) -> anyhow::Result<ExitCode> {
    let store = open(data).await?;
    match command {
        SettingsCommand::List => {
            let stored = store.settings().await?;
            for s in SETTINGS {
                let value = stored.iter().find(|(k, _)| k == s.key).map(|(_, v)| v.as_str());
                let shown = value.map_or_else(|| format!("{} (default)", s.default), str::to_owned);
                say!("{} = {}\t# {}", s.key, shown, s.help);
            }
        }
        SettingsCommand::Set { key, value } => {
            let Some(spec) = spec(&key) else {
                let known: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
                anyhow::bail!("unknown setting `{key}`; known settings: {}", known.join(", "));
            };
            spec.check(&value).map_err(|e| anyhow::anyhow!("{key}: {e}"))?;
            store.set_setting(&key, value.trim()).await?;
            say!("{key} = {}", value.trim());
        }
        SettingsCommand::Unset { key } => {
            let spec = spec(&key).with_context(|| format!("unknown setting `{key}`"))?;
            store.clear_setting(&key).await?;
            say!("{key} = {} (default)", spec.default);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
