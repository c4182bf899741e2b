//! # dafu: the command line
//!
//! One binary for everything a user does with dafu: `index` reply files, `serve` the search page
//! and JSON API, `search` from the terminal (text, or the API's JSON), `export` every hit as CSV
//! or NDJSON, `extract` fields from files, and generate the synthetic `sample` corpus. It owns
//! argument parsing, progress display, logging and the error
//! context shown to people; the work itself is done by the library crates.

mod cmd_export;
mod cmd_extract;
mod cmd_index;
mod cmd_sample;
mod cmd_search;
mod cmd_serve;
mod query_args;
mod render;
mod resources;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dafu",
    version,
    about = "答复 dafu: full-text search over Chinese government replies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Index reply files (.txt, .jsonl) into an index folder.
    Index(cmd_index::IndexArgs),
    /// Serve the search page and the JSON API over an index.
    Serve(cmd_serve::ServeArgs),
    /// Search an index from the terminal (text for people; --json for the API's JSON).
    Search(Box<cmd_search::SearchArgs>),
    /// Write every hit of a search as CSV or NDJSON (what /api/export sends).
    Export(Box<cmd_export::ExportArgs>),
    /// Print the fields extracted from reply files as JSON.
    Extract(cmd_extract::ExtractArgs),
    /// Write the deterministic synthetic sample corpus.
    Sample(cmd_sample::SampleArgs),
}

/// Logs go to standard error, filtered by `DAFU_LOG` (default `info,tantivy=warn`), as text,
/// or as one JSON object per line with `DAFU_LOG_FORMAT=json` (for a log collector).
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DAFU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("DAFU_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().with_current_span(true).init();
    } else {
        logs.init();
    }
}

fn main() -> std::process::ExitCode {
    init_logs();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Index(a) => cmd_index::run(a),
        Command::Serve(a) => cmd_serve::run(a),
        Command::Search(a) => cmd_search::run(*a),
        Command::Export(a) => cmd_export::run(*a),
        Command::Extract(a) => cmd_extract::run(a),
        Command::Sample(a) => cmd_sample::run(a),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dafu: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
