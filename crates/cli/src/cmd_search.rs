//! `dafu search`: run one search against an index and print its results for a person
//! (ranked hits with highlights, then facets), or with `--json` the API's JSON response.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use dafu_query::SearchParams;
use dafu_query::request::{Flag, NumberOrText, OneOrMany, Target};

use crate::cmd_serve::open_engine;
use crate::render::{self, Look};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The index folder.
    #[arg(long, short = 'x')]
    pub index: PathBuf,
    /// The query: words ANDed, OR, -exclusions, "quoted" exact text, (groups), title:,
    /// department:, proposer: and doc: scopes, or a 文号 (see README).
    #[arg(default_value = "")]
    pub q: String,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub year: Option<String>,
    /// Signed on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub date_from: Option<String>,
    /// Signed on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub date_to: Option<String>,
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
    /// Search commitments (承诺) instead of replies, as `/api/commitments` does.
    #[arg(long)]
    pub commitments: bool,
    /// Replies that make commitments (true) or none (false).
    #[arg(long)]
    pub has_commitments: Option<String>,
    /// With --commitments: firm or tentative.
    #[arg(long)]
    pub strength: Option<String>,
    /// With --commitments: commitments that state a quantity (true) or not (false).
    #[arg(long)]
    pub has_quantity: Option<String>,
    #[arg(long)]
    pub sort: Option<String>,
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
    let engine = open_engine(&args.index)?;
    let params = SearchParams {
        q: Some(args.q),
        region: args.region.map(OneOrMany::One),
        year: args.year.map(NumberOrText::Text),
        date_from: args.date_from,
        date_to: args.date_to,
        topic: args.topic.map(OneOrMany::One),
        department: args.department.map(OneOrMany::One),
        assembly: args.assembly.map(OneOrMany::One),
        level: args.level.map(OneOrMany::One),
        reply_kind: args.reply_kind.map(OneOrMany::One),
        result_class: args.result_class.map(OneOrMany::One),
        proposal_number: args.proposal_number.map(OneOrMany::One),
        session: args.session.map(OneOrMany::One),
        has_commitments: args.has_commitments.map(Flag::Text),
        strength: args.strength.map(OneOrMany::One),
        has_quantity: args.has_quantity.map(Flag::Text),
        sort: args.sort,
        limit: Some(NumberOrText::Number(args.limit)),
        offset: Some(NumberOrText::Number(args.offset)),
        explain: args.explain.then_some(Flag::Bool(true)),
        ..Default::default()
    };
    let look = Look::of_stdout();
    if args.commitments {
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
