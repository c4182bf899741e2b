//! What a search returns: the JSON shapes of the API, with stable field names.

use serde::Serialize;

use dafu_extract::commitments::Commitment;
use dafu_index::{ReplySource, ReplySummary};

use crate::highlight::Fragment;

/// Where a reply's body sits (names only; codes are in the full reply).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HitRegion {
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
    /// How many commitments the reply makes (see `/api/commitments`).
    pub commitment_count: usize,
    /// Relevance score (0 when the query is empty).
    pub score: f32,
    pub highlights: Vec<Fragment>,
    /// With `explain=true`: how the score was computed, a tree of `value`, `description`
    /// and `details`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
}

/// One commitment found by `/api/commitments`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CommitmentHit {
    /// `<reply id>#<number>`: stable while the reply is not re-indexed with other text.
    pub id: String,
    /// The reply that makes the commitment, and where to read it whole.
    pub reply_id: String,
    pub reply_url: String,
    /// Position of the commitment in its reply (0-based).
    pub number: usize,
    #[serde(flatten)]
    pub commitment: Commitment,
    pub reply: ReplySummary,
    /// Relevance score (0 when the query is empty).
    pub score: f32,
    /// Fragments of the commitment, with character offsets into the reply's text.
    pub highlights: Vec<Fragment>,
    /// With `explain=true`: how the score was computed (see [`Hit::explanation`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
}

/// A commitment search response.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CommitmentResponse {
    /// Exact number of matching commitments.
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<CommitmentHit>,
    /// Dimension -> values with counts (disjunctive), including `strength` and `has_quantity`.
    pub facets: std::collections::BTreeMap<String, Vec<FacetValue>>,
    /// Every year from the oldest to the newest counted, zeros filled (counts as `year`).
    pub year_histogram: Vec<crate::shaped_facets::YearCount>,
    /// Server time spent, in milliseconds.
    pub took_ms: f64,
    /// Provinces -> cities -> counties with codes and commitment counts (disjunctive like
    /// `region`). The last field: the API writes it without serde
    /// ([`crate::response_json`]).
    pub region_tree: Vec<crate::shaped_facets::RegionNode>,
}

/// One value of a facet and how many replies have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// A search response.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// Exact number of matching replies.
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    /// Pass as `cursor` for the page after this one; `null` on the last page.
    pub next_cursor: Option<String>,
    pub hits: Vec<Hit>,
    /// Dimension -> values with counts (disjunctive: each ignores its own filter).
    pub facets: std::collections::BTreeMap<String, Vec<FacetValue>>,
    /// Every year from the oldest to the newest counted, zeros filled (counts as `year`).
    pub year_histogram: Vec<crate::shaped_facets::YearCount>,
    /// Server time spent, in milliseconds.
    pub took_ms: f64,
    /// Provinces -> cities -> counties with codes and counts (disjunctive like `region`). The
    /// last field: the API writes it without serde ([`crate::response_json`]).
    pub region_tree: Vec<crate::shaped_facets::RegionNode>,
}

/// A whole reply: its text and every extracted field.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReplyRecord {
    pub id: String,
    pub text: String,
    #[serde(flatten)]
    pub fields: dafu_extract::ReplyFields,
    /// The copy whose text this is.
    pub origin: ReplySource,
    /// Every copy of the reply that was read — the same text as a page, a Word file, a PDF,
    /// or under another name — in the order read.
    pub sources: Vec<ReplySource>,
    /// The fingerprint of the text copies are recognised by (absent on replies indexed by
    /// earlier versions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// With `q`: every match of the query's words and phrases in `text`, as character
    /// ranges, in order (absent without `q`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<Vec<crate::highlight::Mark>>,
}
