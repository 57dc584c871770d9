//! Arguments and subcommands.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;
use manset_store::Store;

/// Manşet: a news publishing platform in one binary.
#[derive(Debug, Parser)]
#[command(name = "manset", about)]
pub struct Cli {
    /// The data folder: database and derived files. Created on first use.
    #[arg(long, global = true, env = "MANSET_DATA", default_value = "./manset-data", value_name = "DIR")]
    pub data: PathBuf,

    /// The database: a `postgres://user:password@host/name` URL for several
    /// app servers on one PostgreSQL; without it, SQLite in the data folder.
    /// (Each app server still keeps its search index in its own data folder.)
    #[arg(long, global = true, env = "MANSET_DATABASE", value_name = "URL", value_parser = parse_location)]
    pub database: Option<manset_store::Location>,

    /// Where uploaded images are kept; every app server of a site must see
    /// the same folder (a shared mount). Default: `media` in the data folder.
    #[arg(long, global = true, env = "MANSET_MEDIA", value_name = "DIR")]
    pub media: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// `manset --version`: the release and the schema version it brings (the
/// README's upgrade section explains what that means).
static VERSION: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{} (schema {})", env!("CARGO_PKG_VERSION"), manset_store::SCHEMA_VERSION));

impl Cli {
    /// The command line, parsed; `--help` and `--version` answer and exit.
    pub fn from_env() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().version(VERSION.as_str()).get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the news site.
    Serve(ServeArgs),
    /// Import content into the site.
    #[command(subcommand)]
    Import(ImportCommand),
    /// List and moderate reader comments.
    #[command(subcommand)]
    Comments(CommentsCommand),
    /// Show and change site settings.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Manage newsroom accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Agency and partner feeds whose new items become drafts.
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// Write the whole site (database rows and media files) to one
    /// versioned JSON Lines file that `import manset` restores.
    Export {
        /// The file to write (must not exist; `-` for standard output).
        #[arg(value_name = "FILE")]
        output: PathBuf,
    },
    /// Copy the database, the search index and the media to a folder while
    /// `serve` keeps running; the folder is then a data folder of its own.
    Backup {
        /// A new or empty folder.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Move a site's database into another, empty one (SQLite to
    /// PostgreSQL, or back), verified by row counts and checksums per table.
    /// With `--media DIR`, a SQLite data folder's uploads are copied there.
    Migrate {
        /// The site's database now: `sqlite:DIR` (a data folder) or a URL.
        #[arg(long, value_name = "DATABASE", value_parser = parse_location)]
        from: manset_store::Location,
        /// The empty database to move it into: `postgres://…` or `sqlite:DIR`.
        #[arg(long, value_name = "DATABASE", value_parser = parse_location)]
        to: manset_store::Location,
    },
    /// Check the database (SQLite's integrity and foreign-key checks) and the
    /// search index (opened, rebuilt if damaged); exit 1 on a problem.
    Check,
    /// Rebuild the search index from the database (stop `serve` first: the
    /// index has one writer). `serve` keeps it current on its own.
    Reindex {
        /// The site language, as `serve --lang` takes it: articles that name
        /// no language are analyzed by its rules. The newsroom's `site.lang`
        /// setting, when set, decides instead.
        #[arg(long, env = "MANSET_LANG", default_value = "tr")]
        lang: manset_text::Lang,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is asked on the terminal.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// contributor, author, editor or admin.
        #[arg(long)]
        role: manset_core::Role,
        /// Read the password from the first line of standard input instead.
        #[arg(long)]
        password_stdin: bool,
    },
    /// One account a line: id, role, e-mail, name.
    List,
    /// Set a new password for an account (ends its sessions).
    Passwd {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Turn off an account's two-factor sign-in and forget its recovery
    /// codes, for a member who lost both their phone and the codes. If their
    /// role must use it, they set it up again at their next login.
    TwoFactorOff {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Follow a feed (RSS, Atom or JSON Feed): `serve` reads it every 10
    /// minutes and makes a draft of every new item, credited to the source.
    Add {
        #[arg(value_name = "URL")]
        url: String,
        /// The credit on every draft: "Turan", "APA".
        #[arg(long)]
        source: String,
        /// The category drafts are filed under (default: Ajans).
        #[arg(long)]
        category: Option<String>,
    },
    /// One feed a line: id, source, address, last poll, failures.
    List,
    /// Stop following a feed (its drafts stay).
    Remove {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Read the feeds now: those due, or all with --all.
    Poll {
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CommentsCommand {
    /// One comment a line, newest first: id, status, time, article, author, text.
    List {
        /// Only comments with this status: pending, approved, spam or trash.
        #[arg(long)]
        status: Option<manset_core::CommentStatus>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Publish comments.
    Approve {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
    /// Mark comments as spam (hidden, kept for review).
    Spam {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
    /// Move comments to the trash (hidden, kept).
    Trash {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Every known setting with its value (or default) and what it does.
    List,
    /// Set a setting: `manset settings set comments.hold_all true`.
    Set { key: String, value: String },
    /// Return a setting to its default.
    Unset { key: String },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MANSET_LISTEN", default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Load the built-in demo articles when the database has no articles.
    #[arg(long)]
    pub demo: bool,
    /// A theme folder whose `templates/` and `static/` files override the
    /// built-in theme.
    #[arg(long, env = "MANSET_THEME", value_name = "DIR")]
    pub theme: Option<PathBuf>,
    /// The site's name, shown in the header and page titles.
    #[arg(long, env = "MANSET_SITE_NAME", default_value = "Manşet Haber")]
    pub site_name: String,
    /// Interface language: `tr` or `en`.
    #[arg(long, env = "MANSET_LANG", default_value = "tr")]
    pub lang: manset_text::Lang,
    /// Time zone for dates on pages (IANA name).
    #[arg(long, env = "MANSET_TIMEZONE", default_value = "Europe/Istanbul")]
    pub timezone: String,
    /// The public address of the site, for canonical and share links
    /// (default: http://ADDR).
    #[arg(long, env = "MANSET_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// Requests handled at once; more are answered 503 with Retry-After.
    #[arg(long, env = "MANSET_MAX_REQUESTS", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_requests: u32,
    /// Memory for rendered pages, in MiB (0: render every request). Pages are
    /// dropped as soon as something they show changes.
    #[arg(long, env = "MANSET_PAGE_CACHE_MB", default_value_t = 16, value_parser = clap::value_parser!(u32).range(0..=65536))]
    pub page_cache_mb: u32,
    /// Seconds a client has to send a request's headers (also how long an
    /// idle kept-alive connection stays open).
    #[arg(long, env = "MANSET_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Requests with a body (forms, uploads) handled at once, apart from the
    /// readers' `--max-requests`; more are answered 503 with Retry-After.
    #[arg(long, env = "MANSET_MAX_WRITES", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_writes: u32,
    /// Seconds every request body gets; after them it must keep arriving at
    /// 4 KiB/s or be cut off with 408.
    #[arg(long, env = "MANSET_BODY_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout: u64,
    /// Open connections from one client address (trusted proxies are not
    /// counted); more are closed at once.
    #[arg(long, env = "MANSET_CONNECTIONS_PER_ADDRESS", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    pub connections_per_address: u32,
    /// Articles per page on category and tag pages.
    #[arg(long, env = "MANSET_PER_PAGE", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub per_page: u32,
    /// The site's own proxies (nginx, a CDN), as addresses or networks
    /// (`127.0.0.1`, `10.0.0.0/8`): from them, `X-Forwarded-For` names the
    /// reader, for comment limits, login throttling and the audit log.
    #[arg(long = "trusted-proxy", env = "MANSET_TRUSTED_PROXIES", value_delimiter = ',', value_name = "NETWORK")]
    pub trusted_proxies: Vec<manset_web::client_ip::Network>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import Markdown content files (or folders of them) with TOML (`+++`)
    /// or YAML (`---`) front matter. Importing a file again updates its article.
    Markdown {
        /// Files or folders to import.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Import a WordPress export (Tools → Export, WXR 1.0–1.2): posts, pages,
    /// categories, tags, authors, comments; old addresses redirect here.
    /// All of it or nothing; importing the file again changes nothing.
    Wordpress {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The zone WordPress dates without one are in.
        #[arg(long, env = "MANSET_TIMEZONE", default_value = "Europe/Istanbul")]
        timezone: String,
        /// A copy of the old site's `wp-content/uploads`: its images join the
        /// media library and the imported articles show them from here.
        #[arg(long, value_name = "DIR")]
        media_dir: Option<PathBuf>,
    },
    /// Restore a file written by `manset export` into an empty data folder.
    Manset {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

fn parse_location(text: &str) -> Result<manset_store::Location, String> {
    manset_store::Location::parse(text)
}

/// Where this run's database and media are (the global `--database` and
/// `--media`), set once before a command runs.
static SITE: std::sync::OnceLock<(Option<manset_store::Location>, Option<PathBuf>)> = std::sync::OnceLock::new();

/// Opens the site's store: the `--database` given, else SQLite in `data`.
pub async fn open_store(data: &std::path::Path) -> anyhow::Result<Store> {
    match SITE.get().and_then(|(database, _)| database.as_ref()) {
        Some(location) => {
            Store::connect(location).await.with_context(|| format!("opening the database {}", location.display()))
        }
        None => Store::open(data).await.with_context(|| format!("opening the data folder {}", data.display())),
    }
}

/// The media folder: `--media`, else `media` in the data folder.
pub fn media_dir(data: &std::path::Path) -> PathBuf {
    SITE.get().and_then(|(_, media)| media.clone()).unwrap_or_else(|| data.join("media"))
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let _ = SITE.set((cli.database.clone(), cli.media.clone()));
    match cli.command {
        Command::Serve(args) => crate::serve::run(&cli.data, args).await,
        Command::Import(ImportCommand::Markdown { paths }) => import_markdown(&cli.data, &paths).await,
        Command::Comments(command) => crate::moderate::comments(&cli.data, command).await,
        Command::Settings(command) => crate::moderate::settings(&cli.data, command).await,
        Command::User(command) => crate::users::run(&cli.data, command).await,
        Command::Feeds(command) => crate::site_data::feeds(&cli.data, command).await,
        Command::Import(ImportCommand::Wordpress { file, timezone, media_dir }) => {
            crate::site_data::import_wordpress(&cli.data, &file, &timezone, media_dir.as_deref()).await
        }
        Command::Import(ImportCommand::Manset { file }) => crate::site_data::restore(&cli.data, &file).await,
        Command::Export { output } => crate::site_data::export(&cli.data, &output).await,
        Command::Backup { dir } => crate::site_data::backup(&cli.data, &dir).await,
        Command::Check => check(&cli.data).await,
        Command::Migrate { from, to } => crate::site_data::migrate(&from, &to, cli.media.as_deref()).await,
        Command::Reindex { lang } => reindex(&cli.data, lang).await,
    }
}

async fn check(data: &std::path::Path) -> anyhow::Result<ExitCode> {
    let store = open_store(data).await?;
    let problems = store.integrity_problems().await.context("checking the database")?;
    let articles = store.index_sources(None, None).await?.len();
    let lang = store
        .settings()
        .await?
        .into_iter()
        .find(|(k, _)| k == "site.lang")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or_default();
    let search = match manset_service::search_sync::open_index(data, lang) {
        Ok(index) => {
            let index = std::sync::Arc::new(index);
            let indexed = manset_service::search_sync::catch_up(&store, &index, lang)
                .await
                .context("updating the search index")?;
            format!("ok ({} articles, {indexed} brought up to date)", index.len())
        }
        Err(manset_search::SearchError::Locked(_)) => "in use by a running `serve`, which keeps it current".to_owned(),
        Err(e) => return Err(e).context("opening the search index"),
    };
    store.close().await;
    if problems.is_empty() {
        say!("database: ok ({articles} articles); search index: {search}");
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &problems {
            say_err!("database: {p}");
        }
        say_err!("the database has problems: restore the latest backup (`manset backup`) or export what can be read");
        Ok(ExitCode::FAILURE)
    }
}

async fn reindex(data: &std::path::Path, lang: manset_text::Lang) -> anyhow::Result<ExitCode> {
    let store = open_store(data).await?;
    let started = std::time::Instant::now();
    let settings = store.settings().await.context("reading the settings")?;
    let lang = settings.iter().find(|(k, _)| k == "site.lang").and_then(|(_, v)| v.parse().ok()).unwrap_or(lang);
    let index =
        std::sync::Arc::new(manset_service::search_sync::open_index(data, lang).context("opening the search index")?);
    let count = manset_service::search_sync::rebuild(&store, &index).await.context("rebuilding the search index")?;
    store.close().await;
    say!("indexed {count} published articles in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

async fn import_markdown(data: &std::path::Path, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let store = open_store(data).await?;
    let report = manset_import::import_paths(&store, paths, Timestamp::now()).await;
    store.close().await;
    let mut saved = 0;
    for (path, outcome) in report.saved() {
        saved += 1;
        let what = if outcome.created { "added" } else { "updated" };
        say!("{what:<8} {} -> /haber/{}", path.display(), outcome.slug);
    }
    let mut failed = 0;
    for (path, error) in report.failures() {
        failed += 1;
        say_err!("error    {}: {error}", path.display());
    }
    say!("{saved} imported, {failed} failed");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every command's `--help` says what that command does: its own text,
    /// never empty, never a sibling's (a doc comment left above the wrong
    /// variant moves to the next one without a compiler warning).
    #[test]
    fn every_command_has_help_of_its_own() {
        fn check(command: &clap::Command, path: &str, problems: &mut Vec<String>) {
            let mut seen: Vec<(String, String)> = Vec::new();
            for sub in command.get_subcommands() {
                let name = format!("{path} {}", sub.get_name());
                let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
                if about.trim().is_empty() {
                    problems.push(format!("`{name}` has no help text"));
                } else if let Some((other, _)) = seen.iter().find(|(_, text)| *text == about) {
                    problems.push(format!("`{name}` shows the help of `{other}`"));
                }
                seen.push((name.clone(), about));
                check(sub, &name, problems);
            }
        }
        Cli::command().debug_assert();
        let mut problems = Vec::new();
        check(&Cli::command(), "manset", &mut problems);
        assert!(problems.is_empty(), "{problems:#?}");
        let export = Cli::command().find_subcommand("export").unwrap().get_about().unwrap().to_string();
        assert!(export.starts_with("Write the whole site"), "{export}");
    }
}
