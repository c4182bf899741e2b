//! The index, query and filters that `dafu search` and `dafu export` share, as the parameters
//! of `/api/search` take them, and the choice of replies or commitments with the commitments'
//! own filters.

use std::path::PathBuf;

use clap::Args;

use dafu_query::SearchParams;
use dafu_query::request::{Flag, NumberOrText, OneOrMany, Target};

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The index folder.
    #[arg(long, short = 'x')]
    pub index: PathBuf,
    /// The query: words ANDed, OR, -exclusions, "quoted" exact text, (groups), title:,
    /// department:, proposer: and doc: scopes, or a 文号 (see README); empty: every reply.
    #[arg(default_value = "")]
    pub q: String,
    /// Provinces, cities or counties, by name or six-digit division code, comma-separated
    /// (浙江省,330421).
    #[arg(long)]
    pub region: Option<String>,
    /// Years, spans of years or a list of both: 2020, 2018..2020, 2018.., 2016,2019..2020.
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

/// Replies (the default) or commitments, with the filters of commitments.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Commitments (承诺) instead of replies, as `/api/commitments` does.
    #[arg(long)]
    pub commitments: bool,
    /// With --commitments: firm or tentative.
    #[arg(long)]
    pub strength: Option<String>,
    /// With --commitments: commitments that state a quantity (true) or not (false).
    #[arg(long)]
    pub has_quantity: Option<String>,
}

impl TargetArgs {
    /// What the hits are.
    pub fn target(&self) -> Target {
        if self.commitments {
            Target::Commitments
        } else {
            Target::Replies
        }
    }

    /// `params` with the commitment filters these arguments state (refused for replies by
    /// validation, with a message naming the parameter).
    pub fn apply(&self, params: SearchParams) -> SearchParams {
        SearchParams {
            strength: self.strength.clone().map(OneOrMany::One),
            has_quantity: self.has_quantity.clone().map(Flag::Text),
            ..params
        }
    }
}
