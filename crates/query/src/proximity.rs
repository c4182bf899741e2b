//! The proximity bonus, added to the replies that can make the best hits only.
//!
//! A multi-word query rewards replies whose body has the words side by side or near each
//! other ([`crate::plan::Proximity`]). As a clause of the query, its two phrases read and
//! compare the words' positions in every reply holding all the words: a quarter of the time of
//! a multi-word search at 100,000 replies (BENCHMARKS.md), for a bonus that only reorders the
//! top of the list. A search sorted by relevance instead runs the query without it, and the
//! collector keeps every hit whose score, plus the most the bonus can add
//! ([`ProximityBonus::bound`]), reaches the score of the worst of the best hits kept so far;
//! only those get their bonus (phrases checked at those replies alone), and the best hits are
//! chosen again by the sum.
//!
//! The result is the same as with the bonus in the query, hit for hit and score for score: a
//! hit left out scores, with any bonus, below hits that were kept without one. The scores are
//! the same floating-point sums (`tests/e2e` compares both plans' hits and scores).

use tantivy::query::{Bm25Weight, EnableScoring, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SeekDangerResult, SegmentReader, TERMINATED};

use crate::plan::{ADJACENT_BOOST, NEAR_BOOST, Proximity};

/// The proximity bonus of one search, ready to be added to hits of any segment.
pub(crate) struct ProximityBonus {
    /// The two phrases and their weights.
    phrases: [(Box<dyn Weight>, Score); 2],
    /// The most the bonus can add to a reply's score.
    bound: Score,
}

impl ProximityBonus {
    /// The bonus of `proximity`, with the statistics of `searcher`.
    pub(crate) fn new(searcher: &Searcher, proximity: &Proximity) -> tantivy::Result<Self> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let adjacent = proximity.adjacent().weight(scoring)?;
        let near = proximity.near().weight(scoring)?;
        // Both phrases score with the BM25 weight of their terms, which no reply exceeds
        // (`max_score` is the limit as the phrase frequency grows); a margin covers rounding.
        let terms: Vec<_> = proximity.terms.iter().map(|(_, t)| t.clone()).collect();
        let max = Bm25Weight::for_terms(searcher, &terms)?.max_score();
        let bound = (ADJACENT_BOOST + NEAR_BOOST) * max * 1.001 + 1e-6;
        Ok(ProximityBonus {
            phrases: [(adjacent, ADJACENT_BOOST), (near, NEAR_BOOST)],
            bound,
        })
    }

    /// The most the bonus can add to a reply's score: a hit scoring less than `t - bound`
    /// cannot reach a score of `t`.
    pub(crate) fn bound(&self) -> Score {
        self.bound
    }

    /// Adds the bonus to the score of each hit of `hits` (documents of `reader`, in
    /// increasing document order, each once).
    ///
    /// The words side by side are also within the slop of each other: the exact phrase is
    /// only checked where the sloppy one matched.
    pub(crate) fn add_to(
        &self,
        reader: &SegmentReader,
        hits: &mut [(DocId, Score)],
    ) -> tantivy::Result<()> {
        let [(adjacent, adjacent_boost), (near, near_boost)] = &self.phrases;
        let mut adjacent = PhraseAt::new(&**adjacent, *adjacent_boost);
        let mut near = PhraseAt::new(&**near, *near_boost);
        for (doc, score) in hits.iter_mut() {
            let Some(near_score) = near.score_at(reader, *doc)? else {
                continue;
            };
            // In the query the bonus is the union of both phrases, summed from 0: the same
            // additions give the same score.
            let bonus = match adjacent.score_at(reader, *doc)? {
                Some(adjacent_score) => adjacent_score + near_score,
                None => near_score,
            };
            *score += bonus;
        }
        Ok(())
    }
}

/// One phrase checked at given documents, in increasing order, without walking the documents
/// between them (tantivy's "dangerous" seeks: a miss may leave the scorer anywhere before the
/// next match, which it reports as a lower bound).
struct PhraseAt<'w> {
    weight: &'w dyn Weight,
    boost: Score,
    scorer: Option<Box<dyn Scorer>>,
    /// No document before this one matches.
    next_possible: DocId,
}

impl<'w> PhraseAt<'w> {
    fn new(weight: &'w dyn Weight, boost: Score) -> Self {
        PhraseAt {
            weight,
            boost,
            scorer: None,
            next_possible: 0,
        }
    }

    /// The phrase's score at `doc`, if `doc` has the phrase.
    fn score_at(&mut self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Option<Score>> {
        if doc < self.next_possible || self.next_possible == TERMINATED {
            return Ok(None);
        }
        let found = match &mut self.scorer {
            None => {
                let (found, scorer) = self.weight.scorer_danger(reader, doc, self.boost)?;
                self.scorer = Some(scorer);
                found
            }
            Some(scorer) => scorer.seek_danger(doc),
        };
        match (found, &mut self.scorer) {
            (SeekDangerResult::Found, Some(scorer)) => {
                self.next_possible = doc + 1;
                Ok(Some(scorer.score()))
            }
            (SeekDangerResult::SeekLowerBound(next), _) => {
                self.next_possible = next.max(doc + 1);
                Ok(None)
            }
            (SeekDangerResult::Found, None) => Ok(None),
        }
    }
}
