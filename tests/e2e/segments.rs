//! How ingestion lays documents out in segments: each batch's replies before their
//! commitments, so a segment holds long runs of one kind (issue 7: a reply search then skips
//! the commitment runs block by block instead of walking ~30 documents per reply); and that a
//! search answers the same whether its segments are searched in turn or in parallel.

use std::sync::Arc;

use axum::http::StatusCode;
use dafu_extract::Extractor;
use dafu_extract::region::RegionTable;
use dafu_index::ReplyIndex;
use dafu_index::analysis::Analysis;
use dafu_index::ingest::IngestOptions;
use dafu_index::schema::{KIND_COMMITMENT, KIND_REPLY};
use dafu_query::SearchEngine;
use dafu_sample::SampleOptions;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED, Term};

use crate::support::{build_with, get, write_sample};

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

/// A search whose segments run in parallel (each counting facets into arrays of its own,
/// added up when the segments' results merge) answers what a search of the segments one after
/// the other answers (each counting into the arrays the last one left).
#[tokio::test]
async fn segments_searched_in_parallel_count_the_same_facets() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_sample(dir.path(), 400);
    let options = IngestOptions {
        threads: 2,
        memory_budget: 64 << 20,
        batch_size: 40,
        ..IngestOptions::default()
    };
    let path = dir.path().join("index");
    let (in_turn, summary) = build_with(&path, &[corpus], &options);
    assert_eq!(summary.indexed, 400);
    let segments = in_turn
        .index()
        .reader()
        .unwrap()
        .searcher()
        .segment_readers()
        .len();
    assert!(
        segments >= 2,
        "{segments} segment: nothing runs in parallel"
    );
    let mut index = ReplyIndex::open(&path, Analysis::embedded().unwrap()).unwrap();
    index.search_segments_in_parallel(segments).unwrap();
    let parallel = Arc::new(SearchEngine::new(index, Extractor::embedded().unwrap()).unwrap());
    parallel.refresh().unwrap();

    let searches: [(&str, &[(&str, &str)]); 5] = [
        ("/api/search", &[("q", "养老服务"), ("limit", "5")]),
        ("/api/search", &[("q", ""), ("limit", "3")]),
        (
            "/api/search",
            &[("q", "培训"), ("year", "2021"), ("level", "city")],
        ),
        ("/api/search", &[("q", "资金"), ("region_tree", "folded")]),
        ("/api/commitments", &[("q", "资金"), ("assembly", "cppcc")]),
    ];
    for (path, params) in searches {
        let (status, mut expected) = get(&in_turn, path, params).await;
        assert_eq!(status, StatusCode::OK, "{path} {params:?}: {expected}");
        let (status, mut answered) = get(&parallel, path, params).await;
        assert_eq!(status, StatusCode::OK, "{path} {params:?}: {answered}");
        for body in [&mut expected, &mut answered] {
            if let Some(fields) = body.as_object_mut() {
                fields.remove("took_ms");
            }
        }
        let counted: u64 = expected["facets"]["assembly"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["count"].as_u64())
            .sum();
        assert!(
            counted > 0,
            "{path} {params:?}: no facet counted: {expected}"
        );
        assert_eq!(answered, expected, "{path} {params:?}");
    }
}
