//! A union of a few queries that seeks each of them: a query word's alternatives when it is not
//! one [`crate::backed_word::BackedWord`] (a word of one character: its token, the bigrams it
//! begins and, in a reply search, the titles; a word's synonyms when one of them is such a
//! word).
//!
//! tantivy's union (a `BooleanQuery` of `Should` clauses) buffers 4,096 documents at a time: a
//! seek past its window refills the window from every clause, reading every document each
//! clause has there. As the second clause of a conjunction (2025年: the word 2025 leads and 年
//! is sought at each of its documents), a clause as dense as the bigrams 年 begins was read
//! whole at every seek: 130 M of the 340 M instructions of that commitment search at 100,000
//! replies. This union seeks each clause to the target instead. It matches the same documents
//! and sums the scores of the clauses on a document from 0.0 in clause order (tantivy's union
//! sums them in its own order, which changes as clauses run out: the last bit of a sum of three
//! or more may differ).

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Any of the queries, each clause's score added where it matches.
#[derive(Debug)]
pub(crate) struct SeekingUnion(Vec<Box<dyn Query>>);

impl SeekingUnion {
    /// `clauses` as one query: the clause itself when there is only one.
    pub(crate) fn of(mut clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        match clauses.len() {
            1 => clauses.remove(0),
            _ => Box::new(SeekingUnion(clauses)),
        }
    }
}

impl Clone for SeekingUnion {
    fn clone(&self) -> Self {
        SeekingUnion(self.0.iter().map(|q| q.box_clone()).collect())
    }
}

impl Query for SeekingUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .0
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekingUnionWeight(weights)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.0 {
            q.query_terms(visitor);
        }
    }
}

struct SeekingUnionWeight(Vec<Box<dyn Weight>>);

impl Weight for SeekingUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut clauses = Vec::with_capacity(self.0.len());
        for weight in &self.0 {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                clauses.push(scorer);
            }
        }
        Ok(Box::new(SeekingUnionScorer::new(clauses)))
    }

    /// As tantivy's union explains itself: the score, and each matching clause's explanation.
    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("BooleanClause. sum of ...", scorer.score());
        for weight in &self.0 {
            if let Ok(clause) = weight.explain(reader, doc) {
                explanation.add_detail(clause);
            }
        }
        Ok(explanation)
    }
}

/// The union's scorer: the clauses not run out, and the least document they stand on.
pub(crate) struct SeekingUnionScorer {
    clauses: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SeekingUnionScorer {
    fn new(clauses: Vec<Box<dyn Scorer>>) -> Self {
        let mut union = SeekingUnionScorer {
            clauses,
            doc: TERMINATED,
        };
        union.doc = union.least();
        union
    }

    fn least(&self) -> DocId {
        self.clauses
            .iter()
            .map(|c| c.doc())
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for SeekingUnionScorer {
    fn advance(&mut self) -> DocId {
        let at = self.doc;
        for clause in &mut self.clauses {
            if clause.doc() == at {
                clause.advance();
            }
        }
        self.doc = self.least();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for clause in &mut self.clauses {
            if clause.doc() < target {
                clause.seek(target);
            }
        }
        self.doc = self.least();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.clauses
            .iter()
            .map(|c| c.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for SeekingUnionScorer {
    fn score(&mut self) -> Score {
        let at = self.doc;
        let mut score = 0.0;
        for clause in &mut self.clauses {
            if clause.doc() == at {
                score += clause.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests;
