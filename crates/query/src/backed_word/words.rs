//! Every word of a query, each a [`super::BackedWord`] or one with its synonyms
//! ([`WithSynonyms`]): the conjunction as one scorer whose hits can be bounded before they are
//! scored.
//!
//! A search of words was a tantivy `BooleanQuery` of its words as `Must` clauses, whose
//! intersection scores every hit. A broad search visits tens of thousands of
//! hits to count its facets, but only a few can make the page: once the page is full, a hit
//! whose bound falls below the worst hit kept needs no score, which reads two field lengths
//! and, for a two-character word, seeks its token's postings ([`crate::collector`] asks for
//! the bounds first). [`WordsScorer::rough_bound`] reads nothing (the most a hit without a
//! word in a title scores); [`WordsScorer::bound`] takes each word's BM25 at its own field
//! length, from the frequencies the walk has already read, and its characters' at the shortest
//! (a bound from the frequencies alone let every hit of a commitment search through). The hits,
//! and the score of each,
//! are the intersection's: the words are walked and summed in the order tantivy's
//! intersection walks and sums them (by cost, the cheapest first).

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use super::BackedWordScorer;
use super::not_a_match;
use super::synonyms::{WithSynonyms, WithSynonymsWeight, WordScorer};

/// Every one of `words`, in the reply text (see [`super::BackedWord`]), each or one of its
/// synonyms ([`WithSynonyms`]).
#[derive(Debug, Clone)]
pub(crate) struct Words {
    words: Vec<WithSynonyms>,
}

impl Words {
    /// `None` without a word.
    pub(crate) fn new(words: Vec<WithSynonyms>) -> Option<Self> {
        (!words.is_empty()).then_some(Words { words })
    }

    /// The words of both, in order.
    pub(crate) fn and(mut self, other: Words) -> Words {
        self.words.extend(other.words);
        self
    }
}

impl Query for Words {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .words
            .iter()
            .map(|word| word.synonyms_weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(WordsWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for word in &self.words {
            word.query_terms(visitor);
        }
    }
}

struct WordsWeight {
    weights: Vec<WithSynonymsWeight>,
}

impl WordsWeight {
    /// `None` when a word is in no document of the segment.
    fn words_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Option<Walk>> {
        let mut words = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            match weight.word_scorer(reader, boost)? {
                Some(scorer) => words.push(scorer),
                None => return Ok(None),
            }
        }
        if words
            .iter()
            .any(|word| matches!(word, WordScorer::AnyOf(_)))
        {
            return Ok(Some(Walk::WithSynonyms(WordsScorer::new(words))));
        }
        let alone = words
            .into_iter()
            .filter_map(|word| match word {
                WordScorer::Alone(word) => Some(word),
                WordScorer::AnyOf(_) => None,
            })
            .collect();
        Ok(Some(Walk::Alone(WordsScorer::new(alone))))
    }
}

/// A segment's [`WordsScorer`]: of words alone where no word has a synonym in the segment
/// (the common case, walked without telling a word from a union at every step).
enum Walk {
    Alone(WordsScorer<BackedWordScorer>),
    WithSynonyms(WordsScorer<WordScorer>),
}

impl Walk {
    fn scorer(&mut self) -> &mut dyn Scorer {
        match self {
            Walk::Alone(scorer) => scorer,
            Walk::WithSynonyms(scorer) => scorer,
        }
    }

    /// The scorer with its bounds (the collector takes each kind of [`WordsScorer`] as
    /// itself).
    #[cfg(test)]
    fn bounded(&mut self) -> &mut dyn BoundedScorer {
        match self {
            Walk::Alone(scorer) => scorer,
            Walk::WithSynonyms(scorer) => scorer,
        }
    }
}

/// A scorer whose hits' scores can be bounded before they are computed.
#[cfg(test)]
trait BoundedScorer: Scorer {
    fn bound(&mut self) -> Score;
    fn rough_bound(&self) -> Score;
}

#[cfg(test)]
impl<W: WordScoring> BoundedScorer for WordsScorer<W> {
    fn bound(&mut self) -> Score {
        WordsScorer::bound(self)
    }

    fn rough_bound(&self) -> Score {
        WordsScorer::rough_bound(self)
    }
}

impl Weight for WordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.words_scorer(reader, boost)? {
            Some(Walk::Alone(scorer)) if scorer.doc != TERMINATED => Box::new(scorer),
            Some(Walk::WithSynonyms(scorer)) if scorer.doc != TERMINATED => Box::new(scorer),
            _ => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if let [only] = self.weights.as_slice() {
            return only.explain(reader, doc);
        }
        let mut details = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            details.push(weight.explain(reader, doc)?);
        }
        let Some(mut walk) = self.words_scorer(reader, 1.0)? else {
            return Err(not_a_match(doc));
        };
        let scorer = walk.scorer();
        if scorer.seek(doc) != doc {
            return Err(not_a_match(doc));
        }
        let score = scorer.score();
        let mut explanation = Explanation::new("every word: the sum of their scores", score);
        for detail in details {
            explanation.add_detail(detail);
        }
        Ok(explanation)
    }
}

/// A word's scorer in a segment as a [`WordsScorer`] walks it: beside its documents and
/// scores, the bounds of its score.
pub(crate) trait WordScoring: Scorer {
    /// Whether no title holds the word in the current document.
    fn untitled(&self) -> bool;
    /// The most [`Scorer::score`] gives a document without the word in a title.
    fn body_max(&self) -> Score;
    /// At least [`Scorer::score`] of the current document.
    fn bound(&self) -> Score;
}

/// The documents every word is in: words alone ([`BackedWordScorer`]), or some with their
/// synonyms ([`WordScorer`]).
pub(crate) struct WordsScorer<W = BackedWordScorer> {
    /// The rarest first.
    words: Vec<W>,
    doc: DocId,
    /// The most any document without a word in a title can score
    /// ([`super::BackedWordScorer::body_max`], summed like the scores).
    untitled_max: Score,
}

/// `part` of every word, summed in the order tantivy's intersection sums their scores: the
/// first two words', then the others'. The same order for the scores and their bounds, so
/// that a bound made of larger parts is at least the score in floating point too.
fn summed<W>(words: &mut [W], mut part: impl FnMut(&mut W) -> Score) -> Score {
    match words {
        [] => 0.0,
        [one] => part(one),
        [left, right, others @ ..] => {
            part(left) + part(right) + others.iter_mut().map(&mut part).sum::<Score>()
        }
    }
}

impl<W: WordScoring> WordsScorer<W> {
    /// The words, walked from their first document every one is in.
    fn new(mut words: Vec<W>) -> Self {
        // The order tantivy's intersection takes (a stable sort by cost): the rarest word
        // leads, and the scores are summed in this order.
        words.sort_by_key(|word| word.cost());
        let mut scorer = WordsScorer {
            words,
            doc: 0,
            untitled_max: 0.0,
        };
        scorer.untitled_max = summed(&mut scorer.words, |word| word.body_max());
        let first = scorer
            .words
            .iter()
            .map(DocSet::doc)
            .max()
            .unwrap_or(TERMINATED);
        scorer.doc = scorer.align(first);
        scorer
    }

    /// The first document at or after `candidate` that every word is in.
    fn align(&mut self, mut candidate: DocId) -> DocId {
        'candidates: loop {
            if candidate == TERMINATED {
                return TERMINATED;
            }
            for word in &mut self.words {
                let doc = word.seek(candidate);
                if doc > candidate {
                    candidate = doc;
                    continue 'candidates;
                }
            }
            return candidate;
        }
    }

    /// At least [`Scorer::score`] of the current document, from the frequencies the walk has
    /// read and each word's field length (see [`super::BackedWordScorer::bound`]).
    pub(crate) fn bound(&mut self) -> Score {
        summed(&mut self.words, |word| word.bound())
    }

    /// A first, looser bound that reads nothing: the most a document without a word in a
    /// title scores, or infinity where a word is in a title (a broad search's best hits have
    /// the words in their titles, so most hits fall below them on this alone).
    pub(crate) fn rough_bound(&self) -> Score {
        if self.words.iter().all(W::untitled) {
            self.untitled_max
        } else {
            Score::INFINITY
        }
    }
}

impl<W: WordScoring> DocSet for WordsScorer<W> {
    fn advance(&mut self) -> DocId {
        let Some(lead) = self.words.first_mut() else {
            return TERMINATED;
        };
        let next = lead.advance();
        self.doc = self.align(next);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        self.doc = self.align(target);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.words.first().map_or(0, DocSet::size_hint)
    }
}

impl<W: WordScoring> Scorer for WordsScorer<W> {
    /// The sum tantivy's intersection gives.
    fn score(&mut self) -> Score {
        summed(&mut self.words, |word| word.score())
    }
}

#[cfg(test)]
mod tests;
