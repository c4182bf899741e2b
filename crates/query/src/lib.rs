//! # dafu-query: searching replies, and the HTTP API over it
//!
//! This crate reads a dafu index (built by `dafu-index`, with its analyzers) and answers
//! searches the way the people who use dafu need:
//!
//! * the query language ([`query_text`]): words ANDed, `OR`, `-exclusions`, `"quoted"` exact
//!   substrings on the character field, `(groups)`, field scopes (`title:`, `department:`,
//!   `proposer:`, `doc:`), document numbers (文号) matched as one — parsed by us, not by
//!   tantivy's QueryParser, which would turn unquoted Chinese into phrase queries;
//! * matching and ranking (`plan`): BM25 over jieba words with title, proposal-title and 文号
//!   boosts, backed by character matches so a word jieba cut differently in the reply is still
//!   found (one scorer per word, `backed_word`, that reads character positions only where
//!   the word's token is missing), and a bonus for query words that sit close together
//!   (`proximity`: sorted by relevance, added only to the hits that can make the page, with
//!   the same result as in the query); `explain=true` shows why;
//! * cursor paging, stable under ties, to any depth ([`cursor`]), and the export of every hit
//!   as CSV or NDJSON with constant memory ([`export`]);
//! * filters and *disjunctive* facet counts in one pass ([`collector`]) over per-segment facet
//!   codes with global ids ([`facet_codes`]), with the region tree and year histogram
//!   ([`shaped_facets`]);
//! * analytics: count matrices over one or two dimensions ([`stats`]);
//! * highlights with character offsets into the full text, without re-segmenting ([`highlight`]);
//! * the JSON API and the search page ([`http`]).
//!
//! It does not build indexes or read raw documents (`dafu-index`, `dafu-extract`).

mod backed_word;
pub mod collector;
pub mod cursor;
pub mod date_filter;
mod engine;
mod error;
pub mod export;
pub mod facet_codes;
mod facet_values;
mod filter;
mod forward_only;
pub mod highlight;
mod hit_record;
pub mod http;
mod plan;
mod prefix_docs;
mod proximity;
pub mod query_text;
pub mod region_filter;
pub mod request;
pub mod response;
pub mod response_json;
mod seeking_union;
mod segment_columns;
pub mod shaped_facets;
mod statistics;
pub mod stats;
mod stored_values;
mod term_infos;
pub mod year_filter;

pub use engine::SearchEngine;
pub use error::QueryError;
pub use request::{SearchParams, SearchRequest};
