//! A query word with its synonyms (同义词, `index-data/synonyms.txt`): a reply holding any of
//! them matches, and each one it holds adds its score, a synonym's weighted lower.
//!
//! As a tantivy union (a `BooleanQuery` of `Should` clauses) this was a buffered union: it
//! walked every posting of the word and of each synonym in windows of 4,096 documents, however
//! few replies the other words of the query left, and a query with a synonym could not be a
//! bounded [`super::Words`] query (医保 报销 比例, 16 hits, cost what a broad search costs). Here
//! the word and its synonyms are [`BackedWord`]s sought together, and the union's score is the
//! one the buffered union gave: the sum of the scores of those that hold the document, in the
//! query's order (the word first), each with its boost in its BM25 weights.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use super::words::WordScoring;
use super::{BackedWord, BackedWordScorer, BackedWordWeight, not_a_match};

/// A query word, as typed, and its synonyms, each weighted `synonym_boost` relative to it.
#[derive(Debug, Clone)]
pub(crate) struct WithSynonyms {
    word: BackedWord,
    synonyms: Vec<BackedWord>,
    synonym_boost: Score,
}

impl WithSynonyms {
    pub(crate) fn new(word: BackedWord, synonyms: Vec<BackedWord>, synonym_boost: Score) -> Self {
        WithSynonyms {
            word,
            synonyms,
            synonym_boost,
        }
    }

    /// The weight, not boxed: [`super::Words`] holds several.
    pub(super) fn synonyms_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<WithSynonymsWeight> {
        let mut weights = Vec::with_capacity(1 + self.synonyms.len());
        weights.push((self.word.backed_weight(enable_scoring)?, 1.0));
        for synonym in &self.synonyms {
            weights.push((synonym.backed_weight(enable_scoring)?, self.synonym_boost));
        }
        Ok(WithSynonymsWeight { weights })
    }
}

impl Query for WithSynonyms {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.synonyms_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.word.query_terms(visitor);
        for synonym in &self.synonyms {
            synonym.query_terms(visitor);
        }
    }
}

pub(super) struct WithSynonymsWeight {
    /// The word's weight first, then its synonyms', each with its boost.
    weights: Vec<(BackedWordWeight, Score)>,
}

impl WithSynonymsWeight {
    /// `None` when neither the word nor a synonym is in the segment.
    pub(super) fn word_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<WordScorer>> {
        let mut any = Vec::with_capacity(self.weights.len());
        for (weight, own) in &self.weights {
            // A boost multiplies the BM25 weights, as tantivy's `BoostQuery` passes it down.
            any.extend(weight.unsettled_scorer(reader, boost * own)?);
        }
        Ok(match any.len() {
            0 => None,
            1 => any.pop().map(|mut word| {
                word.settle(0);
                WordScorer::Alone(word)
            }),
            _ => Some(WordScorer::AnyOf(AnyOfScorer::new(any))),
        })
    }
}

impl Weight for WithSynonymsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.word_scorer(reader, boost)? {
            Some(WordScorer::Alone(scorer)) => Box::new(scorer),
            Some(WordScorer::AnyOf(scorer)) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if let [(only, _)] = self.weights.as_slice() {
            return only.explain(reader, doc);
        }
        let Some(mut scorer) = self.word_scorer(reader, 1.0)? else {
            return Err(not_a_match(doc));
        };
        if scorer.seek(doc) != doc {
            return Err(not_a_match(doc));
        }
        let mut explanation = Explanation::new(
            "the word or its synonyms: the sum of the scores of those found",
            scorer.score(),
        );
        for (i, (weight, own)) in self.weights.iter().enumerate() {
            let detail = match weight.explain(reader, doc) {
                Ok(detail) => detail,
                // Those not in the document explain nothing.
                Err(tantivy::TantivyError::InvalidArgument(_)) => continue,
                Err(e) => return Err(e),
            };
            if i == 0 {
                // The word as typed.
                explanation.add_detail(detail);
            } else {
                let mut synonym = Explanation::new("a synonym, weighted", detail.value() * own);
                synonym.add_const("weight", *own);
                synonym.add_detail(detail);
                explanation.add_detail(synonym);
            }
        }
        Ok(explanation)
    }
}

/// A query word's scorer in a segment: the word (or the one synonym in the segment) alone,
/// or any of several.
// A word alone is the common case, walked for every hit: not boxed (a `WordsScorer` holds its
// words in a vector, as large as before with either variant).
#[allow(clippy::large_enum_variant)]
pub(crate) enum WordScorer {
    Alone(BackedWordScorer),
    AnyOf(AnyOfScorer),
}

impl WordScoring for WordScorer {
    #[inline]
    fn untitled(&self) -> bool {
        match self {
            WordScorer::Alone(word) => word.untitled(),
            WordScorer::AnyOf(any) => any.untitled(),
        }
    }

    #[inline]
    fn body_max(&self) -> Score {
        match self {
            WordScorer::Alone(word) => word.body_max(),
            WordScorer::AnyOf(any) => any.body_max(),
        }
    }

    #[inline]
    fn bound(&self) -> Score {
        match self {
            WordScorer::Alone(word) => word.bound(),
            WordScorer::AnyOf(any) => any.bound(),
        }
    }
}

impl DocSet for WordScorer {
    #[inline]
    fn advance(&mut self) -> DocId {
        match self {
            WordScorer::Alone(word) => word.advance(),
            WordScorer::AnyOf(any) => any.advance(),
        }
    }

    #[inline]
    fn seek(&mut self, target: DocId) -> DocId {
        match self {
            WordScorer::Alone(word) => word.seek(target),
            WordScorer::AnyOf(any) => any.seek(target),
        }
    }

    #[inline]
    fn doc(&self) -> DocId {
        match self {
            WordScorer::Alone(word) => word.doc(),
            WordScorer::AnyOf(any) => any.doc(),
        }
    }

    #[inline]
    fn size_hint(&self) -> u32 {
        match self {
            WordScorer::Alone(word) => word.size_hint(),
            WordScorer::AnyOf(any) => any.size_hint(),
        }
    }

    #[inline]
    fn cost(&self) -> u64 {
        match self {
            WordScorer::Alone(word) => word.cost(),
            WordScorer::AnyOf(any) => any.cost(),
        }
    }
}

impl Scorer for WordScorer {
    #[inline]
    fn score(&mut self) -> Score {
        match self {
            WordScorer::Alone(word) => word.score(),
            WordScorer::AnyOf(any) => any.score(),
        }
    }
}

/// Moves `word` to its first match at or after `target`, or (not exact) past `first`, the
/// first match another word of the union has; its match, or [`TERMINATED`].
fn settle_within(word: &mut BackedWordScorer, target: DocId, first: DocId) -> DocId {
    let doc = word.doc();
    if doc >= target && word.exact() {
        return doc;
    }
    if doc >= target && doc > first {
        // Left short of a match, past the first one: nothing to look for yet.
        return TERMINATED;
    }
    let doc = word.settle_before(target, first.saturating_add(1));
    if word.exact() { doc } else { TERMINATED }
}

/// The documents any of several words is in (two or more, in the query's order).
///
/// A word is sought no further than the first match another has: one whose characters in a
/// row are rare, among bigrams found everywhere (医疗保险, a synonym of 医保, in a corpus that
/// writes 医疗保障 and 保险), would otherwise read their positions in every document up to its
/// next match, at the start of every segment and at every seek. A word left short of its
/// match ([`BackedWordScorer::exact`]) stands past the union's document, and is sought again
/// when the union moves past it.
pub(crate) struct AnyOfScorer {
    any: Vec<BackedWordScorer>,
    /// The first document of any of them.
    doc: DocId,
}

impl AnyOfScorer {
    /// The union of words not yet settled ([`super::BackedWordWeight::unsettled_scorer`]).
    fn new(any: Vec<BackedWordScorer>) -> Self {
        let mut scorer = AnyOfScorer { any, doc: 0 };
        scorer.settle(0);
        scorer
    }

    /// Moves to the first document at or after `target` that any word matches: every word
    /// stands on its first match at or after `target`, or (not exact) past that document.
    /// The words whose token is in the segment are sought first: their matches need no
    /// positions, and bound the walks of the others.
    fn settle(&mut self, target: DocId) -> DocId {
        let mut first = TERMINATED;
        for tokens in [true, false] {
            for word in &mut self.any {
                if word.word.is_some() == tokens {
                    first = first.min(settle_within(word, target, first));
                }
            }
        }
        self.doc = first;
        first
    }

    /// The sum of `part` of the words in the current document, in the query's order: the
    /// sum tantivy's buffered union makes of their scores.
    fn summed(&mut self, mut part: impl FnMut(&mut BackedWordScorer) -> Score) -> Score {
        let doc = self.doc;
        let mut sum = 0.0;
        for word in &mut self.any {
            if word.doc() == doc {
                sum += part(word);
            }
        }
        sum
    }

    fn untitled(&self) -> bool {
        self.any
            .iter()
            .filter(|word| word.doc() == self.doc)
            .all(BackedWordScorer::untitled)
    }

    /// The sum of every word's: at least the sum of those in any document (adding a term
    /// that is not negative never lowers a floating-point sum).
    fn body_max(&self) -> Score {
        let mut sum = 0.0;
        for word in &self.any {
            sum += word.body_max();
        }
        sum
    }

    /// The same sum as the score's, of each word's bound.
    fn bound(&self) -> Score {
        let mut sum = 0.0;
        for word in &self.any {
            if word.doc() == self.doc {
                sum += word.bound();
            }
        }
        sum
    }
}

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.settle(self.doc + 1)
    }

    /// Only ever moves forward: a target at or before the current document answers it.
    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        self.settle(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.any
            .iter()
            .map(DocSet::size_hint)
            .fold(0, u32::saturating_add)
    }

    /// The sum of the words' costs, as tantivy's union counts it: an intersection walks the
    /// cheapest first, and sums the scores in that order.
    fn cost(&self) -> u64 {
        self.any.iter().map(DocSet::cost).sum()
    }
}

impl Scorer for AnyOfScorer {
    fn score(&mut self) -> Score {
        self.summed(|word| word.score())
    }
}
