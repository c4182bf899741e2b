//! How ingestion lays documents out in segments: each batch's replies before their
//! commitments, so a segment holds long runs of one kind (issue 7: a reply search then skips
//! the commitment runs block by block instead of walking ~30 documents per reply).

use dafu_extract::region::RegionTable;
use dafu_index::ingest::IngestOptions;
use dafu_index::schema::{KIND_COMMITMENT, KIND_REPLY};
use dafu_sample::SampleOptions;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED, Term};

use crate::support::build_with;

#[test]
fn replies_and_commitments_lie_in_runs_of_one_kind() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("sample");
    let options = SampleOptions {
        count: 300,
        seed: 7,
    };
    dafu_sample::write_corpus(&corpus, RegionTable::embedded(), &options).unwrap();
    // One writer thread: documents reach the segment in the order they are added.
    let batch_size = 64;
    let ingest_options = IngestOptions {
        threads: 1,
        memory_budget: 64 << 20,
        batch_size,
        ..IngestOptions::default()
    };
    let (engine, summary) = build_with(&dir.path().join("index"), &[corpus], &ingest_options);
    assert_eq!(summary.indexed, options.count);

    let index = engine.index();
    let searcher = index.reader().unwrap().searcher();
    let kind = index.schema().kind;
    let (mut replies, mut commitments, mut reply_runs, mut segments) = (0, 0, 0, 0);
    for segment in searcher.segment_readers() {
        segments += 1;
        let inverted = segment.inverted_index(kind).unwrap();
        let term = Term::from_field_text(kind, KIND_REPLY);
        let Some(mut postings) = inverted
            .read_postings(&term, IndexRecordOption::Basic)
            .unwrap()
        else {
            continue;
        };
        let mut previous = None;
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            if previous.is_none_or(|p| p + 1 != doc) {
                reply_runs += 1;
            }
            previous = Some(doc);
            replies += 1;
            postings.advance();
        }
        let term = Term::from_field_text(kind, KIND_COMMITMENT);
        commitments += inverted.doc_freq(&term).unwrap();
    }
    assert_eq!(replies, options.count);
    assert!(
        commitments > 3 * replies as u32,
        "{commitments} commitments"
    );
    // One run per batch, plus one wherever a segment boundary cut a batch in two; interleaved
    // documents would give a run per reply.
    let batches = options.count.div_ceil(batch_size);
    assert!(
        reply_runs <= batches + segments,
        "{reply_runs} runs of replies for {batches} batches in {segments} segments"
    );
}
