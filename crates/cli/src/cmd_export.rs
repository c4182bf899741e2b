//! `dafu export`: every hit of a search written as CSV or NDJSON, the same bytes as
//! `/api/export` sends (with `--commitments`, as `/api/export/commitments` sends).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use dafu_query::export::{ExportParams, write_export};
use dafu_query::request::Flag;

use crate::cmd_serve::open_engine;
use crate::query_args::{QueryArgs, TargetArgs};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    #[command(flatten)]
    pub target: TargetArgs,
    /// csv (a header row, then one row per reply or commitment) or ndjson (one search hit per
    /// line).
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Start the CSV with a UTF-8 byte order mark, so that Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Write here instead of to standard output.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> Result<()> {
    let engine = open_engine(&args.query.index)?;
    let params = ExportParams {
        format: Some(args.format),
        bom: Some(Flag::Bool(args.bom)),
        search: args.target.apply(args.query.params()),
        ..Default::default()
    };
    let (request, options) = params.validate_for(args.target.target(), &engine)?;
    let rows = match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let mut out = BufWriter::new(file);
            let rows = write_export(&engine, &request, options, &mut out)
                .with_context(|| format!("writing {}", path.display()))?;
            out.flush()
                .with_context(|| format!("writing {}", path.display()))?;
            rows
        }
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            let rows = write_export(&engine, &request, options, &mut out)?;
            out.flush()?;
            rows
        }
    };
    tracing::info!(rows, "exported");
    Ok(())
}
