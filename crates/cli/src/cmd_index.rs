//! `dafu index`: build or update an index from reply files.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use dafu_index::ingest::{IngestOptions, Progress};
use dafu_index::{ReplyIndex, ingest};

use crate::resources;

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files or folders to read, recursively (.txt: one reply per file, UTF-8 or GBK;
    /// .jsonl: one reply per line with "text" and optional "id", "source_url" and metadata).
    #[arg(long = "input", short = 'i', required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// The index folder (created if missing; replies with the same id are replaced).
    #[arg(long, short = 'x')]
    pub index: PathBuf,
    /// A folder laid out like index-data/ (topics.toml, dict/*.txt) to use instead of the
    /// compiled-in dictionaries and topic rules.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Exit with an error if any file or line was skipped.
    #[arg(long)]
    pub strict: bool,
    /// Indexing threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Writer memory budget in MB.
    #[arg(long, default_value_t = 512)]
    pub memory_mb: usize,
    /// The largest reply read, in MB: a larger .txt file or .jsonl line (an .html, .docx or .pdf
    /// file four times larger) is reported and skipped.
    #[arg(long, default_value_t = 8.0)]
    pub max_reply_mb: f64,
    /// Write the summary (including every skipped file and why) as JSON to this file.
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

struct Bar {
    bar: ProgressBar,
    replies: AtomicUsize,
}

impl Progress for Bar {
    fn start(&self, total_bytes: u64) {
        self.bar.set_length(total_bytes);
    }
    fn advance(&self, bytes: u64, replies: usize) {
        self.bar.inc(bytes);
        if replies > 0 {
            let n = self.replies.fetch_add(replies, Ordering::Relaxed) + replies;
            self.bar.set_message(format!("{n} replies"));
        }
    }
}

/// `--max-reply-mb` in bytes (MiB, like `--memory-mb`).
fn reply_limit(mb: f64) -> Result<u64> {
    if !(mb.is_finite() && mb > 0.0) {
        bail!("--max-reply-mb must be a positive number of MB, not {mb}");
    }
    Ok((mb * (1u64 << 20) as f64) as u64)
}

pub fn run(args: IndexArgs) -> Result<()> {
    let res = resources::for_indexing(args.data_dir.as_deref())?;
    let index = ReplyIndex::open_or_create(&args.index, res.analysis.clone())
        .with_context(|| format!("opening index {}", args.index.display()))?;
    let mut options = IngestOptions {
        memory_budget: args.memory_mb << 20,
        max_reply_bytes: reply_limit(args.max_reply_mb)?,
        ..IngestOptions::default()
    };
    if let Some(t) = args.threads {
        options.threads = t;
    }
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let bar = Bar {
        bar,
        replies: AtomicUsize::new(0),
    };
    let summary = ingest(&index, &res.extractor, &args.inputs, &options, &bar)?;
    bar.bar.finish_and_clear();
    if summary.indexed > 0 {
        resources::save_into_index(&args.index, args.data_dir.as_deref())?;
    }

    for skip in &summary.skipped {
        match skip.line {
            Some(line) => eprintln!("skipped {}:{line}: {}", skip.path.display(), skip.reason),
            None => eprintln!("skipped {}: {}", skip.path.display(), skip.reason),
        }
    }
    println!(
        "indexed {} replies from {} files ({:.1} MB in {:.1} s, {:.1} MB/s); skipped {}{}{}",
        summary.indexed,
        summary.files,
        summary.bytes as f64 / 1e6,
        summary.elapsed.as_secs_f64(),
        summary.mb_per_sec(),
        summary.skipped.len(),
        if summary.duplicates > 0 {
            format!(
                "; {} copies of replies read before (same text) listed as their sources",
                summary.duplicates
            )
        } else {
            String::new()
        },
        if summary.ignored_files > 0 {
            format!(
                "; ignored {} other files (not .txt, .jsonl, .html, .docx, .pdf or .doc)",
                summary.ignored_files
            )
        } else {
            String::new()
        },
    );
    if let Some(path) = &args.summary {
        let json = serde_json::to_string_pretty(&summary)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    if summary.indexed == 0 && summary.duplicates == 0 {
        bail!(
            "nothing was indexed ({} skipped); the index is unchanged",
            summary.skipped.len()
        );
    }
    if args.strict && !summary.skipped.is_empty() {
        bail!(
            "{} skipped (--strict); the other replies were committed",
            summary.skipped.len()
        );
    }
    Ok(())
}
