//! `dafu sample`: write the synthetic sample corpus.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use dafu_extract::region::RegionTable;
use dafu_sample::{SampleOptions, write_corpus};

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Folder to write the corpus into (JSON Lines shards).
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Number of replies.
    #[arg(long, default_value_t = SampleOptions::default().count)]
    pub count: usize,
    /// Random seed (the same seed and count give the same corpus).
    #[arg(long, default_value_t = SampleOptions::default().seed)]
    pub seed: u64,
}

pub fn run(args: SampleArgs) -> Result<()> {
    let options = SampleOptions {
        count: args.count,
        seed: args.seed,
    };
    let summary = write_corpus(&args.out, RegionTable::embedded(), &options)
        .with_context(|| format!("writing the sample corpus to {}", args.out.display()))?;
    println!(
        "wrote {} synthetic replies ({:.1} MB) in {} files to {}",
        summary.replies,
        summary.bytes as f64 / 1e6,
        summary.files.len(),
        args.out.display()
    );
    Ok(())
}
