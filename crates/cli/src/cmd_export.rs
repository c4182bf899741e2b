//! `dafu export`: every hit of a search written as CSV or NDJSON, the same bytes as
//! `/api/export` sends.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use dafu_query::SearchParams;
use dafu_query::export::{ExportParams, write_export};
use dafu_query::request::{Flag, NumberOrText, OneOrMany};

use crate::cmd_serve::open_engine;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The index folder.
    #[arg(long, short = 'x')]
    pub index: PathBuf,
    /// The query (words ANDed, "quoted" for exact text, or a 文号); empty: every reply.
    #[arg(default_value = "")]
    pub q: String,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub year: Option<String>,
    #[arg(long)]
    pub topic: Option<String>,
    #[arg(long)]
    pub department: Option<String>,
    #[arg(long)]
    pub assembly: Option<String>,
    #[arg(long)]
    pub level: Option<String>,
    /// reply, co_handling (会办意见) or assisting (协办意见).
    #[arg(long)]
    pub reply_kind: Option<String>,
    /// Handling class A, B, C or D.
    #[arg(long)]
    pub result_class: Option<String>,
    /// Proposal number (196, 0487).
    #[arg(long)]
    pub proposal_number: Option<String>,
    /// Session as term-meeting (12-3) or in words (十二届三次).
    #[arg(long)]
    pub session: Option<String>,
    /// Replies that make commitments (true) or none (false).
    #[arg(long)]
    pub has_commitments: Option<String>,
    /// relevance (default), date (newest first) or date_asc.
    #[arg(long)]
    pub sort: Option<String>,
    /// csv (a header row, then one row per reply) or ndjson (one search hit per line).
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
    let engine = open_engine(&args.index)?;
    let params = ExportParams {
        format: Some(args.format),
        bom: Some(Flag::Bool(args.bom)),
        search: SearchParams {
            q: Some(args.q),
            region: args.region.map(OneOrMany::One),
            year: args.year.map(NumberOrText::Text),
            topic: args.topic.map(OneOrMany::One),
            department: args.department.map(OneOrMany::One),
            assembly: args.assembly.map(OneOrMany::One),
            level: args.level.map(OneOrMany::One),
            reply_kind: args.reply_kind.map(OneOrMany::One),
            result_class: args.result_class.map(OneOrMany::One),
            proposal_number: args.proposal_number.map(OneOrMany::One),
            session: args.session.map(OneOrMany::One),
            has_commitments: args.has_commitments.map(Flag::Text),
            sort: args.sort,
            ..Default::default()
        },
        ..Default::default()
    };
    let (request, options) = params.validate(&engine)?;
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
