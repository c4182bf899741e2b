//! A query wrapper whose scorer is only ever moved forward.
//!
//! tantivy 0.27's phrase scorer asserts (in debug builds) that it is never asked to seek a
//! document before its current one, but an exclusion (`-"phrase"`) or an intersection may do
//! exactly that after a "dangerous" seek that left it ahead (quickwit-oss/tantivy#2811). The
//! wrapper answers such a seek from where the scorer stands and otherwise seeks normally; it
//! changes neither which documents match nor their scores. Explaining a document is the same
//! trap (tantivy's phrase weights build a scorer and seek the document, backwards when it
//! comes before the phrase's first match): the wrapper first checks that the document matches.

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

    /// Explains `doc` only when the scorer reaches it moving forward: tantivy's phrase weight
    /// explains by building a scorer (which stands on its first match) and seeking `doc`, a
    /// backward seek (and an assertion failure in a debug build) when `doc` comes before that
    /// first match — the case of every phrase clause a hit does not match.
    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.0.scorer(reader, 1.0)?;
        let at = if scorer.doc() < doc {
            scorer.seek(doc)
        } else {
            scorer.doc()
        };
        if at != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
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

#[cfg(test)]
mod tests {
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    use super::*;

    #[test]
    fn explaining_a_document_before_the_first_phrase_match_is_an_error_not_a_panic() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for body in ["words apart here", "the phrase words", "phrase words again"] {
            let mut doc = TantivyDocument::default();
            doc.add_text(text, body);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let query = ForwardOnly::wrap(Box::new(PhraseQuery::new(vec![
            Term::from_field_text(text, "phrase"),
            Term::from_field_text(text, "words"),
        ])));
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .expect("weight");
        let segment = searcher.segment_reader(0);
        // Document 0 comes before the phrase's first match (document 1).
        assert!(weight.explain(segment, 0).is_err());
        assert!(weight.explain(segment, 1).expect("explained").value() > 0.0);
        assert!(weight.explain(segment, 2).expect("explained").value() > 0.0);
    }
}
