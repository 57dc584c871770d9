//! `manset`: the command line. It parses arguments, opens the data folder
//! and hands over to the library crates; nothing else lives here.

mod cli;
mod moderate;
mod serve;
mod site_data;
mod users;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: page rendering allocates many
/// small strings from several threads, where glibc's malloc showed up as a
/// sixth of the profile (see ARCHITECTURE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("manset: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("manset: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr; `MANSET_LOG` filters them (`info` by default,
/// `manset=debug,sqlx=warn` for more).
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("MANSET_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).init();
}
