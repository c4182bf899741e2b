//! What a search returns: the JSON shapes of the API, with stable field names.

use serde::Serialize;

use dafu_index::ReplySource;

use crate::highlight::Fragment;

/// Where a reply's body sits (names only; codes are in the full reply).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HitRegion {
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub department: Option<String>,
    pub region: HitRegion,
    pub year: Option<i32>,
    /// Signing date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `npc` or `cppcc`.
    pub assembly: Option<String>,
    pub level: Option<String>,
    pub topics: Vec<String>,
    pub proposal_title: Option<String>,
    /// The proposal number as written (0487).
    pub proposal_number: Option<String>,
    /// The proposer answered (魏**, 仇宇斐).
    pub proposer: Option<String>,
    /// `reply`, `co_handling` or `assisting`.
    pub reply_kind: Option<String>,
    /// Handling class A–D, when the reply prints one.
    pub result_class: Option<String>,
    /// Relevance score (0 when the query is empty).
    pub score: f32,
    pub highlights: Vec<Fragment>,
}

/// One value of a facet and how many replies have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// A search response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResponse {
    /// Exact number of matching replies.
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    /// Dimension -> values with counts (disjunctive: each ignores its own filter).
    pub facets: std::collections::BTreeMap<String, Vec<FacetValue>>,
    /// Server time spent, in milliseconds.
    pub took_ms: f64,
}

/// A whole reply: its text and every extracted field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyRecord {
    pub id: String,
    pub text: String,
    #[serde(flatten)]
    pub fields: dafu_extract::ReplyFields,
    pub origin: ReplySource,
}
