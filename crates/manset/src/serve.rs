//! `manset serve`: open the store, load the theme, serve until told to stop.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use manset_web::{AppState, SiteConfig};

use crate::cli::ServeArgs;

pub async fn run(data: &Path, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let time_zone = TimeZone::get(&args.timezone)
        .with_context(|| format!("unknown time zone `{}`: use an IANA name such as Europe/Istanbul", args.timezone))?;
    // Copies kept by earlier upgrades: this start, once it serves, is the
    // "next successful start" they waited for. (A copy this start takes is
    // not among them: it stays until the next one.)
    let earlier_copies = manset_store::upgrade_copies(data);
    let store = crate::cli::open_store(data).await?;

    if args.demo && store.article_count().await? == 0 {
        let report = manset_import::demo::load(&store, Timestamp::now()).await;
        if let Some((name, error)) = report.failures().next() {
            anyhow::bail!("the built-in demo article {} does not load: {error}", name.display());
        }
        tracing::info!(articles = report.saved().count(), "loaded the demo content");
    }

    let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| {
        format!("cannot listen on {}: is another program using it? choose another with --listen", args.listen)
    })?;
    let addr = listener.local_addr()?;
    // Without --base-url, links point where we listen: the real port (also
    // for `:0`), and `localhost` for "every address".
    let base_url = args.base_url.unwrap_or_else(|| {
        if addr.ip().is_unspecified() { format!("http://localhost:{}", addr.port()) } else { format!("http://{addr}") }
    });
    let site = SiteConfig {
        name: args.site_name,
        lang: args.lang,
        time_zone,
        base_url: base_url.trim_end_matches('/').to_owned(),
        per_page: args.per_page,
        sitemap_urls: SiteConfig::MAX_SITEMAP_URLS,
        description: String::new(),
        logo: None,
    };
    let media = crate::cli::media_dir(data);
    let state = AppState::with_media(store.clone(), site, args.theme.as_deref(), data, &media)
        .await
        .context("preparing the site")?;
    state.set_trusted_proxies(args.trusted_proxies.clone());
    // Imports from the command line while serving reach search within seconds.
    state.keep_search_current(std::time::Duration::from_secs(5));
    // Rendered pages: dropped after this server's own writes at once, after
    // other processes' within a second, and when an embargo ends at its second.
    state.set_page_cache_bytes(args.page_cache_mb as usize * 1024 * 1024);
    state.keep_page_cache_current(std::time::Duration::from_secs(1));
    // On PostgreSQL, other app servers' writes as they commit.
    state.listen_for_changes().await.context("listening for other app servers' changes")?;
    // Agency feeds: each is read when due (every 10 minutes, longer after failures).
    let feeds = store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = manset_import::ingest::poll_due(&feeds, jiff::Timestamp::now(), false).await {
                tracing::error!("polling the agency feeds failed: {e}");
            }
        }
    });
    let limits = manset_web::Limits {
        concurrent_requests: args.max_requests as usize,
        concurrent_writes: args.max_writes as usize,
        body_grace: std::time::Duration::from_secs(args.body_timeout),
        ..manset_web::Limits::default()
    };
    let trusted = state.clone();
    let connections =
        manset_web::Connections::new(args.connections_per_address as usize, move |ip| trusted.is_trusted_proxy(ip));
    let app = manset_web::router_with(state, limits);

    tracing::info!("Manşet is serving http://{addr} from {}", data.display());
    for copy in earlier_copies {
        match std::fs::remove_file(&copy) {
            Ok(()) => tracing::info!(copy = %copy.display(), "removed the copy an earlier upgrade kept"),
            Err(e) => tracing::warn!(copy = %copy.display(), "cannot remove the copy an earlier upgrade kept: {e}"),
        }
    }
    say!("Manşet: http://{addr}");
    let header_timeout = std::time::Duration::from_secs(args.header_timeout.max(1));
    serve_connections(listener, app, header_timeout, connections).await;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Accepts connections until Ctrl-C or SIGTERM, then lets requests in
/// flight finish. A client gets `header_timeout` to send a request's head,
/// the first one or the next on a kept-alive connection: connections that
/// trickle it (slow loris) or sit idle are closed. One address gets at most
/// its share of `connections`; more are closed as they come.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    header_timeout: std::time::Duration,
    connections: manset_web::Connections,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment, keep serving.
                Err(e) => {
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Some(admitted) = connections.admit(remote.ip()) else {
            tracing::debug!(%remote, "too many connections from one address: closed");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        // Handlers read the client's address (rate limits, the audit log).
        let service = tower::ServiceExt::map_request(app.clone(), move |mut request: axum::http::Request<_>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(remote));
            request
        });
        let service = hyper_util::service::TowerToHyperService::new(service);
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%remote, "connection ended: {e}");
            }
            drop(admitted);
        });
    }
    drop(listener);
    // Requests in flight finish; a connection that does not within 30 s is dropped.
    if tokio::time::timeout(std::time::Duration::from_secs(30), graceful.shutdown()).await.is_err() {
        tracing::warn!("connections still open after 30 s: closing them");
    }
}

/// Resolves on Ctrl-C or SIGTERM, letting requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}
