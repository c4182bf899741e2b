//! The seeking union against tantivy's: the same documents, the same scores, alone and as a
//! conjunction's second clause, however it is advanced and sought.

use super::*;
use proptest::prelude::*;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
use tantivy::{Index, IndexWriter, Searcher, TantivyDocument};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

/// One segment of documents, each the terms `t0`…`t4` as often as given (and a filler).
fn index_of(docs: &[[u8; 5]]) -> tantivy::Result<(Searcher, Field)> {
    let mut schema = Schema::builder();
    let text = schema.add_text_field("text", TEXT);
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    for counts in docs {
        let mut words = vec!["filler".to_string()];
        for (t, &n) in counts.iter().enumerate() {
            words.extend(std::iter::repeat_n(format!("t{t}"), usize::from(n)));
        }
        let mut doc = TantivyDocument::default();
        doc.add_text(text, words.join(" "));
        writer.add_document(doc)?;
    }
    writer.commit()?;
    Ok((index.reader()?.searcher(), text))
}

/// The clauses: term `t` boosted by `boost` tenths (1 to 10).
fn clauses(field: Field, terms: &[(u8, u8)]) -> Vec<Box<dyn Query>> {
    terms
        .iter()
        .map(|&(t, boost)| {
            let term = Term::from_field_text(field, &format!("t{t}"));
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            Box::new(BoostQuery::new(Box::new(query), f32::from(boost) / 10.0)) as Box<dyn Query>
        })
        .collect()
}

/// Every document of `scorer` with its score, advancing.
fn walked(scorer: &mut dyn Scorer) -> Vec<(DocId, Score)> {
    let mut hits = Vec::new();
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        hits.push((doc, scorer.score()));
        doc = scorer.advance();
    }
    hits
}

fn scorer_of(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<Box<dyn Scorer>> {
    query
        .weight(EnableScoring::enabled_from_searcher(searcher))?
        .scorer(searcher.segment_reader(0), 1.0)
}

/// Same documents, scores equal within `tolerance`.
fn same(
    got: &[(DocId, Score)],
    want: &[(DocId, Score)],
    tolerance: Score,
) -> Result<(), TestCaseError> {
    let docs = |h: &[(DocId, Score)]| h.iter().map(|&(d, _)| d).collect::<Vec<_>>();
    prop_assert_eq!(docs(got), docs(want));
    for (&(doc, g), &(_, w)) in got.iter().zip(want) {
        prop_assert!(
            (g - w).abs() <= tolerance,
            "doc {}: {} against {}",
            doc,
            g,
            w
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn it_matches_and_scores_like_tantivys_union(
        docs in prop::collection::vec(prop::array::uniform5(0u8..3), 1..300),
        terms in prop::collection::vec((0u8..5, 1u8..=10), 1..5),
        targets in prop::collection::vec(0u32..320, 0..40),
        lead in 0u8..5,
    ) {
        let (searcher, field) = index_of(&docs).map_err(fail)?;
        let ours = SeekingUnion::of(clauses(field, &terms));
        let theirs: Box<dyn Query> = Box::new(BooleanQuery::new(
            clauses(field, &terms).into_iter().map(|q| (Occur::Should, q)).collect(),
        ));
        // Two clauses add up alike in either order; more may round apart in the last bit.
        let tolerance = if terms.len() <= 2 { 0.0 } else { 1e-5 };
        let want = walked(&mut *scorer_of(&searcher, &*theirs).map_err(fail)?);
        let got = walked(&mut *scorer_of(&searcher, &*ours).map_err(fail)?);
        same(&got, &want, tolerance)?;
        // Sought in order: each landing is the first match at or after the target.
        let mut scorer = scorer_of(&searcher, &*ours).map_err(fail)?;
        crate::backed_word::tests::seek_in_order(&mut *scorer, targets, &want, tolerance)?;
        // As a conjunction's second clause (sought at each document of the first).
        let lead = || -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &format!("t{lead}")),
                IndexRecordOption::WithFreqs,
            ))
        };
        let and = |union: Box<dyn Query>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![(Occur::Must, lead()), (Occur::Must, union)]))
        };
        let want = walked(&mut *scorer_of(&searcher, &*and(theirs)).map_err(fail)?);
        let got = walked(&mut *scorer_of(&searcher, &*and(ours.box_clone())).map_err(fail)?);
        same(&got, &want, tolerance.max(1e-5))?;
        // An explanation gives the score; a document without a match is an error.
        let weight = ours
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .map_err(fail)?;
        let reader = searcher.segment_reader(0);
        let all = walked(&mut *scorer_of(&searcher, &*ours).map_err(fail)?);
        for doc in 0..docs.len() as DocId {
            match (all.iter().find(|&&(d, _)| d == doc), weight.explain(reader, doc)) {
                // tantivy's boost explains a score as the boost times the boosted query's,
                // which its scorer computes in another order: alike within rounding.
                (Some(&(_, score)), Ok(e)) => {
                    prop_assert!((e.value() - score).abs() <= 1e-5, "{}", doc)
                }
                (None, Err(_)) => {}
                (hit, e) => prop_assert!(false, "doc {}: {:?} {:?}", doc, hit, e.is_ok()),
            }
        }
    }
}
