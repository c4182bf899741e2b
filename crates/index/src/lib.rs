//! # dafu-index: from replies to a searchable index
//!
//! This crate owns three things that must agree between writing and reading an index:
//!
//! * **analysis** ([`analysis`]): the Chinese text pipeline — folding (full-width, 文号
//!   brackets), jieba segmentation over one shared dictionary (with the domain dictionary of
//!   `index-data/dict/` and every place name), and character and bigram analyzers for exact
//!   substrings;
//! * **the schema** ([`schema`]): which fields a reply has in tantivy and how each is indexed;
//! * **ingestion** ([`ingest`]): reading `.txt` and `.jsonl` inputs, running `dafu-extract` on
//!   all cores, and writing them with stable ids and one atomic commit, merging segments
//!   within a bound ([`merge_policy`]) so memory stays flat however large the corpus.
//!
//! It does not parse queries, rank, facet or serve HTTP (that is `dafu-query`), and it does
//! not read a reply's meaning (that is `dafu-extract`).

pub mod analysis;
pub mod commit;
pub mod document;
mod error;
pub mod ingest;
pub mod merge_policy;
mod reply_index;
pub mod schema;

pub use commit::{CommitStamp, commit_stamped};
pub use document::{ReplyDocument, ReplySource, ReplySummary, StoredCommitment, StoredFields};
pub use error::IndexError;
pub use ingest::{IngestOptions, IngestSummary, ingest};
pub use reply_index::ReplyIndex;
pub use schema::ReplySchema;
