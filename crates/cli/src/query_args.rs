//! The index, query and reply filters that `dafu search` and `dafu export` share, as the
//! parameters of `/api/search` take them.

use std::path::PathBuf;

use clap::Args;

use dafu_query::SearchParams;
use dafu_query::request::{Flag, NumberOrText, OneOrMany};

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The index folder.
    #[arg(long, short = 'x')]
    pub index: PathBuf,
    /// The query: words ANDed, OR, -exclusions, "quoted" exact text, (groups), title:,
    /// department:, proposer: and doc: scopes, or a 文号 (see README); empty: every reply.
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
    /// Replies that make commitments (true) or none (false).
    #[arg(long)]
    pub has_commitments: Option<String>,
    /// relevance (default), date (newest first) or date_asc.
    #[arg(long)]
    pub sort: Option<String>,
}

impl QueryArgs {
    /// The search parameters these arguments state (paging and the rest left unset).
    pub fn params(&self) -> SearchParams {
        let list = |v: &Option<String>| v.clone().map(OneOrMany::One);
        SearchParams {
            q: Some(self.q.clone()),
            region: list(&self.region),
            year: self.year.clone().map(NumberOrText::Text),
            date_from: self.date_from.clone(),
            date_to: self.date_to.clone(),
            topic: list(&self.topic),
            department: list(&self.department),
            assembly: list(&self.assembly),
            level: list(&self.level),
            reply_kind: list(&self.reply_kind),
            result_class: list(&self.result_class),
            proposal_number: list(&self.proposal_number),
            session: list(&self.session),
            has_commitments: self.has_commitments.clone().map(Flag::Text),
            sort: self.sort.clone(),
            ..Default::default()
        }
    }
}
