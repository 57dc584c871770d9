//! `manset`: the command line. It parses arguments, opens the data folder
//! and hands over to the library crates; nothing else lives here.
//!
//! Invariant: every line printed for the operator goes through `say!` or
//! `say_err!`, so text from outside (comments, names, settings, feed
//! errors, file names, import notes) reaches the terminal with its control
//! characters escaped (`manset_text::terminal::printable`), never raw.

/// `println!` for the operator: control characters and bidirectional
/// overrides in the line are shown escaped (`\u{1b}`), never sent to the
/// terminal.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", manset_text::terminal::printable(&format!($($arg)*)))
    };
}

/// `eprintln!` for the operator, escaped like [`say!`].
macro_rules! say_err {
    ($($arg:tt)*) => {
        eprintln!("{}", manset_text::terminal::printable(&format!($($arg)*)))
    };
}

mod cli;
mod moderate;
mod serve;
mod site_data;
mod users;

use std::process::ExitCode;

/// mimalloc instead of the system allocator: page rendering allocates many
/// small strings from several threads, where glibc's malloc showed up as a
/// sixth of the profile (see ARCHITECTURE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: its place in mimalloc's `mi_option_e` (the same
/// in v2 and v3; libmimalloc-sys gives it no name).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed under load goes back to the system at once instead of after
/// mimalloc's delay, which a busy server never reaches: 218 → 171 MB peak
/// with 100,000 articles under mixed load, for the same requests/s.
fn return_freed_memory_at_once() {
    // SAFETY: reading and setting an option are plain calls into the
    // allocator, allowed at any time from any thread.
    unsafe {
        // Only if the option is the one we mean (its documented default is 10).
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 10 {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::from_env();
    init_logging();
    return_freed_memory_at_once();
    // Blocking work (search, related articles, password hashing, image
    // resizing) on a small pool: each thread keeps memory of its own.
    let runtime = match tokio::runtime::Builder::new_multi_thread().max_blocking_threads(4).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            say_err!("manset: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            // Errors quote what they failed on: a file's name, a feed's answer.
            say_err!("manset: {e:#}");
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
