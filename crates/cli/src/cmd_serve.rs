//! `dafu serve`: the JSON API and the search page over an index.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;

use dafu_index::ReplyIndex;
use dafu_index::ingest::LiveWriter;
use dafu_query::SearchEngine;
use dafu_query::http::{AdminToken, Cors, ServerOptions, router_with};

use crate::resources;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The index folder built by `dafu index`.
    #[arg(long, short = 'x')]
    pub index: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// An origin whose pages may call the API (repeatable; `*` for any). Off by default.
    #[arg(long = "cors", value_name = "ORIGIN")]
    pub cors: Vec<String>,
    /// Seconds a search may take before it is answered 503.
    #[arg(long, default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Requests answered at once; more are answered 503 at once.
    #[arg(long, default_value_t = 256)]
    pub max_in_flight: usize,
    /// Largest body of a live update (POST /api/replies), in MB.
    #[arg(long, default_value_t = 32)]
    pub max_body_mb: usize,
}

/// The environment variable holding the admin token of live updates.
pub const ADMIN_TOKEN_VAR: &str = "DAFU_ADMIN_TOKEN";

/// Opens the index with the data it was built with.
pub fn open_engine(index_dir: &std::path::Path) -> Result<SearchEngine> {
    let res = resources::for_index(index_dir)?;
    let index = ReplyIndex::open(index_dir, res.analysis)
        .with_context(|| format!("opening index {}", index_dir.display()))?;
    Ok(SearchEngine::new(index, res.extractor)?)
}

/// Caps glibc's malloc arenas at two (unless `MALLOC_ARENA_MAX` says otherwise). By default
/// glibc gives threads up to eight arenas per core and keeps what is freed in each: under the
/// load test of BENCHMARKS.md (8 clients, searches, exports and live updates) the server's
/// anonymous memory grew 69 -> 270 MB in 60 s with about 80 MB in use; with two arenas it grew
/// 60 -> 118 MB, at the same throughput.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; it is called before the runtime
        // starts its threads, and a refusal (0) leaves glibc's default in place.
        if unsafe { libc::mallopt(libc::M_ARENA_MAX, 2) } == 0 {
            tracing::warn!("could not cap malloc arenas");
        }
    }
}

pub fn run(args: ServeArgs) -> Result<()> {
    cap_malloc_arenas();
    let engine = Arc::new(open_engine(&args.index)?);
    let replies = engine.num_replies();
    // The facet codes of the index's segments are read in the background while the server
    // starts; a search that comes first waits for the segments it needs.
    let warming = engine.clone();
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        match warming.warm() {
            Ok(()) => tracing::debug!(
                ms = started.elapsed().as_secs_f64() * 1000.0,
                "facet codes ready"
            ),
            Err(e) => tracing::warn!("reading facet codes at start-up: {e}"),
        }
    });
    let cors = Cors::from_origins(&args.cors).map_err(anyhow::Error::msg)?;
    let token = match std::env::var(ADMIN_TOKEN_VAR) {
        Ok(value) => match AdminToken::new(&value) {
            Some(token) => Some(token),
            None => bail!("{ADMIN_TOKEN_VAR} is set but empty; unset it to disable writes"),
        },
        Err(std::env::VarError::NotPresent) => None,
        Err(e) => bail!("{ADMIN_TOKEN_VAR}: {e}"),
    };
    let live = match token {
        Some(token) => {
            let live = LiveWriter::new(engine.index().clone())
                .context("preparing the writer of live updates")?;
            Some((token, Arc::new(live)))
        }
        None => None,
    };
    let writer = live.as_ref().map(|(_, live)| live.clone());
    let options = ServerOptions {
        writes: live,
        cors,
        request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
        max_in_flight: args.max_in_flight.max(1),
        max_body_bytes: args.max_body_mb.max(1) << 20,
        ..ServerOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        // With port 0 the system picks a free port: print the address actually bound, so that a
        // caller (the browser tests) can read it from the first line of standard output.
        let addr = listener
            .local_addr()
            .context("reading the address listened on")?;
        let writes = writer.is_some();
        tracing::info!(%addr, replies, writes, "serving");
        let url = format!("http://{addr}");
        println!("dafu: {replies} replies; search page at {url}/ , API at {url}/api/search");
        // Flushed explicitly, so that a program reading the line through a pipe never waits.
        std::io::stdout()
            .flush()
            .context("writing to standard output")?;
        // Made a service once: served as a router, axum turns its handlers into routes again
        // for every connection (some 260 allocations each).
        axum::serve(listener, router_with(engine, options).into_make_service())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving HTTP")?;
        // Every write was committed before it was answered; what remains is the writer's
        // background merges, finished here so the lock is released cleanly.
        if let Some(writer) = writer {
            tokio::task::spawn_blocking(move || writer.close())
                .await
                .context("closing the writer")?
                .context("finishing the writer's merges")?;
        }
        tracing::info!("stopped");
        Ok(())
    })
}

/// Resolves on Ctrl-C or SIGTERM: the server stops accepting connections and finishes the
/// requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: finishing requests in flight"),
        () = terminate => tracing::info!("SIGTERM: finishing requests in flight"),
    }
}
