//! `dafu serve`: the JSON API and the search page over an index.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use dafu_index::ReplyIndex;
use dafu_query::SearchEngine;
use dafu_query::http::router;

use crate::resources;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The index folder built by `dafu index`.
    #[arg(long, short = 'x')]
    pub index: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

/// Opens the index with the data it was built with.
pub fn open_engine(index_dir: &std::path::Path) -> Result<SearchEngine> {
    let res = resources::for_index(index_dir)?;
    let index = ReplyIndex::open(index_dir, res.analysis)
        .with_context(|| format!("opening index {}", index_dir.display()))?;
    Ok(SearchEngine::new(index, res.extractor)?)
}

pub fn run(args: ServeArgs) -> Result<()> {
    let engine = Arc::new(open_engine(&args.index)?);
    let replies = engine.num_replies();
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
        tracing::info!(%addr, replies, "serving");
        let url = format!("http://{addr}");
        println!("dafu: {replies} replies; search page at {url}/ , API at {url}/api/search");
        // Flushed explicitly, so that a program reading the line through a pipe never waits.
        std::io::stdout()
            .flush()
            .context("writing to standard output")?;
        axum::serve(listener, router(engine))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving HTTP")
    })
}
