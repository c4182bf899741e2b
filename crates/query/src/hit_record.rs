//! What a search hit shows of a reply's stored record, read without the rest of it.
//!
//! The stored record ([`dafu_index::StoredFields`]) holds every extracted field and the
//! reply's copies (records of earlier versions also its commitments, about thirty, each with its
//! text, quantities and deadlines). Read whole for each of a page's hits, its
//! `#[serde(flatten)]` buffered the entire record before decoding it: about 5% of a search at
//! 100,000 replies (BENCHMARKS.md). A hit reads only its fields; an earlier record's
//! commitments are counted without being decoded, and every other field is skipped.

use serde::Deserialize;
use serde::de::IgnoredAny;

use dafu_extract::{Assembly, Level, RegionFields, ReplyKind};
use dafu_index::ReplySource;

use crate::highlight::Fragment;
use crate::response::{Hit, HitRegion};

/// The fields of a reply's stored record that a hit shows.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct HitRecord {
    title: Option<String>,
    doc_number: Option<String>,
    assembly: Option<Assembly>,
    level: Option<Level>,
    proposal_number: Option<String>,
    proposal_title: Option<String>,
    proposer: Option<String>,
    department: Option<String>,
    region: RegionFields,
    date: Option<String>,
    year: Option<i32>,
    topics: Vec<String>,
    /// How many commitments the reply makes (records of earlier versions: none, and
    /// `commitments` holds them).
    commitment_count: Option<usize>,
    /// Counted, not decoded (records of earlier versions only).
    commitments: Vec<IgnoredAny>,
    reply_kind: Option<ReplyKind>,
    result_class: Option<String>,
    /// The copy that was indexed.
    origin: ReplySource,
}

impl HitRecord {
    /// The page the reply was published at, when its input said.
    pub(crate) fn source_url(&self) -> Option<String> {
        self.origin.source_url.clone()
    }

    /// The hit of the reply `id`.
    pub(crate) fn into_hit(self, id: String, score: f32, highlights: Vec<Fragment>) -> Hit {
        Hit {
            id,
            highlights,
            title: self.title,
            doc_number: self.doc_number,
            department: self.department,
            region: HitRegion {
                province: self.region.province,
                city: self.region.city,
                county: self.region.county,
            },
            year: self.year,
            date: self.date,
            assembly: self.assembly.map(|a| a.as_str().to_string()),
            level: self.level.map(|l| l.as_str().to_string()),
            topics: self.topics,
            proposal_title: self.proposal_title,
            proposal_number: self.proposal_number,
            proposer: self.proposer,
            reply_kind: self.reply_kind.map(|k| k.as_str().to_string()),
            result_class: self.result_class,
            commitment_count: self.commitment_count.unwrap_or(self.commitments.len()),
            score,
            explanation: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(record: &str) -> usize {
        let record: HitRecord = serde_json::from_str(record).expect("a record");
        record
            .into_hit("r".into(), 1.0, Vec::new())
            .commitment_count
    }

    #[test]
    fn a_hit_counts_the_commitments_of_records_old_and_new() {
        // Now: the count, the commitments on their own documents.
        assert_eq!(
            count(r#"{"title": "答复", "commitments": [], "commitment_count": 3}"#),
            3
        );
        // Earlier versions: the commitments themselves, no count.
        let old = r#"{"title": "答复", "commitments": [{"text": "将于2025年完成"}, {"text": "力争覆盖"}]}"#;
        assert_eq!(count(old), 2);
        assert_eq!(count(r#"{"title": "答复"}"#), 0);
    }
}
