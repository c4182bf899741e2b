//! `dafu search`: run one search against an index and print its results for a person
//! (ranked hits with highlights, then facets), or with `--json` the API's JSON response.

use anyhow::Result;
use clap::Args;

use dafu_query::SearchParams;
use dafu_query::request::{Flag, NumberOrText, Target};

use crate::cmd_serve::open_engine;
use crate::query_args::{QueryArgs, TargetArgs};
use crate::render::{self, Look};

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    #[command(flatten)]
    pub target: TargetArgs,
    #[arg(long, default_value_t = 10)]
    pub limit: i64,
    #[arg(long, default_value_t = 0)]
    pub offset: i64,
    /// Add each hit's score explanation.
    #[arg(long)]
    pub explain: bool,
    /// Print the API's JSON response instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SearchArgs) -> Result<()> {
    let engine = open_engine(&args.query.index)?;
    let params = args.target.apply(SearchParams {
        limit: Some(NumberOrText::Number(args.limit)),
        offset: Some(NumberOrText::Number(args.offset)),
        explain: args.explain.then_some(Flag::Bool(true)),
        ..args.query.params()
    });
    let look = Look::of_stdout();
    if args.target.target() == Target::Commitments {
        let request = engine.validate_for(Target::Commitments, &params)?;
        let response = engine.search_commitments(&request)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&response)?);
        } else {
            print!("{}", render::commitments(&response, look));
        }
    } else {
        let request = engine.validate(&params)?;
        let response = engine.search(&request)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&response)?);
        } else {
            print!("{}", render::replies(&response, look));
        }
    }
    Ok(())
}
