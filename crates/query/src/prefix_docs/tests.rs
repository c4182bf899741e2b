//! The prefix's documents against tantivy's prefix query, with and without the cache.

use super::*;
use crate::backed_word::tests::seek_in_order;
use proptest::prelude::*;
use tantivy::query::PhrasePrefixQuery;
use tantivy::schema::{Schema, TEXT};
use tantivy::{Index, IndexWriter, Searcher, TantivyDocument};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

/// The characters the test's terms are made of: terms are pairs of them (bigrams).
const CHARS: [char; 4] = ['年', '月', '底', '度'];

/// One segment per group of `segments`, each document its bigrams (indexes into [`CHARS`]).
fn index_of(segments: &[Vec<Vec<(usize, usize)>>]) -> tantivy::Result<(Searcher, Field)> {
    let mut schema = Schema::builder();
    let field = schema.add_text_field("bigrams", TEXT);
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    for docs in segments {
        for bigrams in docs {
            let text: Vec<String> = bigrams
                .iter()
                .map(|&(a, b)| format!("{}{}", CHARS[a], CHARS[b]))
                .collect();
            let mut doc = TantivyDocument::default();
            doc.add_text(field, text.join(" "));
            writer.add_document(doc)?;
        }
        writer.commit()?;
    }
    Ok((index.reader()?.searcher(), field))
}

/// Every (document, score) of `query` in the segment, walked.
fn walked(
    query: &dyn Query,
    searcher: &Searcher,
    segment: usize,
) -> tantivy::Result<Vec<(DocId, Score)>> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut scorer = weight.scorer(searcher.segment_reader(segment as u32), 0.3)?;
    let mut hits = Vec::new();
    while scorer.doc() != TERMINATED {
        hits.push((scorer.doc(), scorer.score()));
        scorer.advance();
    }
    Ok(hits)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same documents and scores as tantivy's prefix query, walked or sought, read anew,
    /// from the cache, or with a cache of room for one set of 64 documents at most; a merged
    /// segment's sets go.
    #[test]
    fn it_is_the_prefix_query(
        segments in prop::collection::vec(
            prop::collection::vec(
                prop::collection::vec((0usize..4, 0usize..4), 0..4),
                1..150,
            ),
            1..3,
        ),
        first in 0usize..4,
        targets in prop::collection::vec(0u32..160, 0..20),
    ) {
        let (searcher, field) = index_of(&segments).map_err(fail)?;
        let prefix = Term::from_field_text(field, &CHARS[first].to_string());
        let mut theirs = PhrasePrefixQuery::new(vec![prefix.clone()]);
        theirs.set_max_expansions(u32::MAX);
        let cache = Arc::new(PrefixCache::default());
        let tiny = Arc::new(PrefixCache::with_budget(8));
        let ours = [
            PrefixDocs::new(prefix.clone(), None),
            PrefixDocs::new(prefix.clone(), Some(cache.clone())),
            PrefixDocs::new(prefix.clone(), Some(cache.clone())),
            PrefixDocs::new(prefix.clone(), Some(tiny.clone())),
        ];
        for segment in 0..searcher.segment_readers().len() {
            let expected = walked(&theirs, &searcher, segment).map_err(fail)?;
            for query in &ours {
                prop_assert_eq!(&walked(query, &searcher, segment).map_err(fail)?, &expected);
                let weight = query
                    .weight(EnableScoring::enabled_from_searcher(&searcher))
                    .map_err(fail)?;
                let reader = searcher.segment_reader(segment as u32);
                let mut scorer = weight.scorer(reader, 0.3).map_err(fail)?;
                seek_in_order(&mut *scorer, targets.clone(), &expected, 0.0)?;
                for &(doc, _) in &expected {
                    prop_assert_eq!(weight.explain(reader, doc).map_err(fail)?.value(), 1.0);
                }
            }
        }
        let segments = searcher.segment_readers().len();
        prop_assert_eq!(cache.held().0, segments);
        prop_assert!(tiny.held().1 <= 8, "{:?}", tiny.held());
        // Only the first segment is left: the other's set goes, and its bytes.
        let live: HashSet<SegmentId> = [searcher.segment_reader(0).segment_id()].into();
        cache.retain(&live);
        let max_doc = searcher.segment_reader(0).max_doc();
        prop_assert_eq!(cache.held(), (1, bytes_of(max_doc)));
    }
}

/// With room for two sets, the least recently used goes first.
#[test]
fn the_least_recently_used_set_goes_first() -> tantivy::Result<()> {
    let docs: Vec<Vec<(usize, usize)>> = (0..200).map(|i| vec![(i % 4, (i / 4) % 4)]).collect();
    let (searcher, field) = index_of(&[docs])?;
    let reader = searcher.segment_reader(0);
    let one = bytes_of(reader.max_doc());
    let cache = PrefixCache::with_budget(one * 2);
    let bytes = |c: char| c.to_string().into_bytes();
    for c in ['年', '月', '年', '底'] {
        cache.docs(reader, field, &bytes(c))?;
    }
    // 月 was used least recently when 底 came.
    let kept: HashSet<Vec<u8>> = cache
        .entries
        .lock()
        .map(|e| e.sets.keys().map(|(_, _, p)| p.to_vec()).collect())
        .unwrap_or_default();
    assert_eq!(kept, [bytes('年'), bytes('底')].into());
    assert_eq!(cache.held(), (2, one * 2));
    // A set read twice at once (two searches) is kept once, its bytes counted once.
    let key: Key = (reader.segment_id(), field, bytes('底').into());
    let set = Arc::new(read_prefix(reader, field, &bytes('底'))?);
    cache.keep(key.clone(), set.clone());
    cache.keep(key, set);
    assert_eq!(cache.held(), (2, one * 2));
    Ok(())
}

#[test]
fn the_end_of_a_prefix_is_the_next_byte_string() {
    assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
    assert_eq!(prefix_end(&[0x61, 0xFF]), Some(vec![0x62]));
    assert_eq!(prefix_end(&[0xFF, 0xFF]), None);
}
