//! # dafu-extract: what a government reply says about itself
//!
//! This crate turns the raw bytes of one government reply (答复) — the answer a department gives
//! to an NPC deputy's suggestion (人大代表建议) or a CPPCC member's proposal (政协委员提案) — into
//! structured fields: title, document number (文号), signing date, issuing department,
//! assembly (人大/政协), tier, region (resolved against the official administrative-division
//! table) and topics (from the weighted rules in `index-data/topics.toml`).
//!
//! It owns the *domain reading* of a reply and the tables that reading needs, so that the
//! indexer, the query engine and the command line all agree on what a 文号 or a province is.
//!
//! It does **not** know about search: no tantivy, no segmentation, no HTTP. Text analysis lives
//! in `dafu-index`, search in `dafu-query`.
//!
//! ```
//! use dafu_extract::Extractor;
//! let extractor = Extractor::embedded().unwrap();
//! let fields = extractor.extract("嘉政民函〔2020〕8号\n对市八届人大五次会议第124号建议的答复\n\
//!     嘉兴市民政局\n2020年8月18日\n");
//! assert_eq!(fields.region.province.as_deref(), Some("浙江省"));
//! assert_eq!(fields.doc_number.as_deref(), Some("嘉政民函〔2020〕8号"));
//! ```

pub mod abbreviations;
pub mod commitments;
pub mod date;
pub mod decode;
pub mod department;
pub mod doc_number;
mod error;
mod extractor;
pub mod fingerprint;
pub mod normalize;
pub mod paperwork;
pub mod region;
pub mod reply;
pub mod title;
pub mod topics;
pub mod traditional;

pub use error::ExtractError;
pub use extractor::Extractor;
pub use reply::{Assembly, Level, RegionFields, ReplyFields, ReplyKind, Session};
