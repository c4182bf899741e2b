//! A query wrapper whose scorer is only ever moved forward.
//!
//! tantivy 0.27's phrase scorer asserts (in debug builds) that it is never asked to seek a
//! document before its current one, but an exclusion (`-"phrase"`) or an intersection may do
//! exactly that after a "dangerous" seek that left it ahead (quickwit-oss/tantivy#2811). The
//! wrapper answers such a seek from where the scorer stands and otherwise seeks normally; it
//! changes neither which documents match nor their scores.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// `query`, matched and scored as it is, but never seeked backwards.
#[derive(Debug)]
pub(crate) struct ForwardOnly(Box<dyn Query>);

impl ForwardOnly {
    pub(crate) fn wrap(query: Box<dyn Query>) -> Box<dyn Query> {
        Box::new(ForwardOnly(query))
    }
}

impl Clone for ForwardOnly {
    fn clone(&self) -> Self {
        ForwardOnly(self.0.box_clone())
    }
}

impl Query for ForwardOnly {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ForwardOnlyWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct ForwardOnlyWeight(Box<dyn Weight>);

impl Weight for ForwardOnlyWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardOnlyScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Keeps the default `seek_danger` of [`DocSet`], which only ever seeks forward.
struct ForwardOnlyScorer(Box<dyn Scorer>);

impl DocSet for ForwardOnlyScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if doc >= target {
            doc
        } else {
            self.0.seek(target)
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ForwardOnlyScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
