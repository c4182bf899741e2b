//! The proximity bonus, added to the replies that can make the best hits only.
//!
//! A multi-word query rewards replies whose body has the words side by side or near each
//! other ([`crate::plan::Proximity`]). As a clause of the query, its two phrases read and
//! compare the words' positions in every reply holding all the words: about 30% of the time
//! of a multi-word search at 100,000 replies (BENCHMARKS.md), for a bonus that only reorders
//! the top of the list. A search sorted by relevance instead runs the query without it:
//!
//! 1. the collector keeps every hit whose score plus the most the bonus can add to any reply
//!    ([`ProximityBonus::bound`]) reaches the worst of the best hits kept so far (the *bar*);
//! 2. at the end of a segment, each of those gets a bound of its own: a phrase occurs in a
//!    reply at most as often as its rarest word (the sloppy phrase of three words or more: its
//!    most frequent), so the words' frequencies in that reply (read from the postings,
//!    without positions) and the reply's length bound each phrase's BM25 score. A hit whose
//!    score plus that bound stays under the bar cannot make the best hits and is dropped; a
//!    hit without every word in its body gets no bonus;
//! 3. the others get their bonus, the phrases checked at those replies alone (tantivy's
//!    "dangerous" seeks, no walk between them), the exact one only where the sloppy one
//!    matched, and the best hits are chosen again by the sum.
//!
//! The result is the same as with the bonus in the query, hit for hit and score for score: a
//! hit dropped scores, with any bonus, below `keep` hits that score at least the bar. The
//! scores are the same floating-point sums (`tests/e2e` compares both plans' hits and scores).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, EnableScoring, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SeekDangerResult, SegmentReader, TERMINATED, Term};

use crate::plan::{ADJACENT_BOOST, NEAR_BOOST, Proximity};

/// The best `keep` scores seen, when as many were.
struct Best {
    keep: usize,
    /// The scores, least first.
    heap: BinaryHeap<Reverse<Ordered>>,
}

/// A score ordered as `f32::total_cmp` orders it.
#[derive(PartialEq)]
struct Ordered(Score);

impl Eq for Ordered {}
impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Best {
    fn new(keep: usize) -> Self {
        Best {
            keep,
            heap: BinaryHeap::with_capacity(keep.min(1024) + 1),
        }
    }

    fn offer(&mut self, score: Score) {
        if self.keep == 0 || score.is_nan() {
            return;
        }
        if self.heap.len() < self.keep {
            self.heap.push(Reverse(Ordered(score)));
        } else if self.floor().is_some_and(|least| score > least) {
            self.heap.pop();
            self.heap.push(Reverse(Ordered(score)));
        }
    }

    /// The `keep`th best score, once `keep` were offered.
    fn floor(&self) -> Option<Score> {
        if self.keep == 0 || self.heap.len() < self.keep {
            return None;
        }
        self.heap.peek().map(|Reverse(Ordered(s))| *s)
    }
}

/// Margin on every bound, for the rounding of the scores it bounds.
fn with_margin(score: Score) -> Score {
    score * 1.001 + 1e-6
}

/// The proximity bonus of one search, ready to be added to hits of any segment.
pub(crate) struct ProximityBonus {
    /// The exact and the sloppy phrase, with their boosts.
    phrases: [(Box<dyn Weight>, Score); 2],
    /// The words' terms in the body.
    terms: Vec<Term>,
    /// The body field (its lengths, for the BM25 bounds).
    field: Field,
    /// BM25 of the exact and of the sloppy phrase, boosted: their score at a frequency.
    scoring: [Bm25Weight; 2],
    /// The most the bonus can add to any reply's score.
    bound: Score,
}

impl ProximityBonus {
    /// The bonus of `proximity` in `searcher`, with BM25's `statistics` (those the query is
    /// scored with).
    pub(crate) fn new(
        searcher: &Searcher,
        statistics: &dyn Bm25StatisticsProvider,
        proximity: &Proximity,
    ) -> tantivy::Result<Self> {
        let scoring = EnableScoring::enabled_from_statistics_provider(statistics, searcher);
        let adjacent = proximity.adjacent().weight(scoring)?;
        let near = proximity.near().weight(scoring)?;
        let terms: Vec<Term> = proximity.terms.iter().map(|(_, t)| t.clone()).collect();
        // Both phrases score with the BM25 weight of their terms (tantivy's phrase weight),
        // which no reply exceeds: `max_score` is its limit as the frequency grows.
        let bm25 = Bm25Weight::for_terms(statistics, &terms)?;
        let bound = with_margin((ADJACENT_BOOST + NEAR_BOOST) * bm25.max_score());
        Ok(ProximityBonus {
            phrases: [(adjacent, ADJACENT_BOOST), (near, NEAR_BOOST)],
            field: terms[0].field(),
            terms,
            scoring: [bm25.boost_by(ADJACENT_BOOST), bm25.boost_by(NEAR_BOOST)],
            bound,
        })
    }

    /// The most the bonus can add to any reply's score: a hit scoring less than `t - bound`
    /// cannot reach a score of `t`.
    pub(crate) fn bound(&self) -> Score {
        self.bound
    }

    /// Adds the bonus to the hits of `hits` (documents of `reader`, in increasing document
    /// order, each once) that can reach `bar` with it, and drops those that cannot (all are
    /// kept without a bar). With `keep` (the best hits wanted, every hit a candidate for
    /// them), the bar also rises to the `keep`th best score settled so far: a hit that cannot
    /// reach it is beaten by `keep` hits, and its phrases are not read.
    pub(crate) fn settle(
        &self,
        reader: &SegmentReader,
        hits: &mut Vec<(DocId, Score)>,
        bar: Option<Score>,
        keep: Option<usize>,
    ) -> tantivy::Result<()> {
        let [(adjacent, adjacent_boost), (near, near_boost)] = &self.phrases;
        let mut adjacent = PhraseAt::new(&**adjacent, *adjacent_boost);
        let mut near = PhraseAt::new(&**near, *near_boost);
        let mut words = WordFrequencies::new(reader, self.field, &self.terms)?;
        let mut settled = Vec::with_capacity(hits.len());
        let mut best = keep.map(Best::new);
        for &(doc, score) in hits.iter() {
            let bound = match &mut words {
                Some(words) => self.bound_at(words, doc),
                // A word absent from the segment's bodies: no reply here has the phrases.
                None => 0.0,
            };
            let risen = best.as_ref().and_then(Best::floor);
            if bar.is_some_and(|bar| score + bound < bar)
                || risen.is_some_and(|r| score + bound < r)
            {
                continue;
            }
            let mut total = score;
            if bound > 0.0
                && let Some(near_score) = near.score_at(reader, doc)?
            {
                // Side by side is within the slop: the exact phrase only where the sloppy one
                // is. In the query the bonus is the sum of both phrases' scores, added to the
                // rest.
                total += match adjacent.score_at(reader, doc)? {
                    Some(adjacent_score) => adjacent_score + near_score,
                    None => near_score,
                };
            }
            if let Some(best) = &mut best {
                best.offer(total);
            }
            settled.push((doc, total));
        }
        *hits = settled;
        Ok(())
    }

    /// The most the bonus can add to the score of `doc` (0 without every word in its body).
    fn bound_at(&self, words: &mut WordFrequencies, doc: DocId) -> Score {
        let Some(frequencies) = words.at(doc) else {
            return 0.0;
        };
        // tantivy counts a phrase match by consuming a position of each word in turn: the
        // exact phrase occurs at most as often as its rarest word. The sloppy one with three
        // words or more carries intermediate matches that may outnumber both words they
        // join; only its last step (over whichever word tantivy's intersection put last)
        // bounds it: at most as often as the most frequent word. With two words, the rarer.
        let rarest = frequencies.iter().copied().min().unwrap_or(0);
        let commonest = frequencies.iter().copied().max().unwrap_or(0);
        let near_max = if frequencies.len() == 2 {
            rarest
        } else {
            commonest
        };
        let norm = words.norms.fieldnorm_id(doc);
        let [adjacent, near] = &self.scoring;
        with_margin(adjacent.score(norm, rarest) + near.score(norm, near_max))
    }
}

/// The frequencies of the phrase's words in the replies of one segment, read in increasing
/// document order.
struct WordFrequencies {
    postings: Vec<SegmentPostings>,
    norms: FieldNormReader,
    frequencies: Vec<u32>,
}

impl WordFrequencies {
    /// `None` when a word is in no body of the segment.
    fn new(reader: &SegmentReader, field: Field, terms: &[Term]) -> tantivy::Result<Option<Self>> {
        let index = reader.inverted_index(field)?;
        let mut postings = Vec::with_capacity(terms.len());
        for term in terms {
            match index.read_postings(term, IndexRecordOption::WithFreqs)? {
                Some(p) => postings.push(p),
                None => return Ok(None),
            }
        }
        Ok(Some(WordFrequencies {
            postings,
            norms: reader.get_fieldnorms_reader(field)?,
            frequencies: Vec::with_capacity(terms.len()),
        }))
    }

    /// Each word's frequency in `doc`; `None` if a word is not in it.
    fn at(&mut self, doc: DocId) -> Option<&[u32]> {
        self.frequencies.clear();
        for p in &mut self.postings {
            let at = if p.doc() < doc { p.seek(doc) } else { p.doc() };
            if at != doc {
                return None;
            }
            self.frequencies.push(p.term_freq());
        }
        Some(&self.frequencies)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    fn fail(e: impl std::fmt::Display) -> TestCaseError {
        TestCaseError::fail(e.to_string())
    }

    /// One segment of bodies made of the words `w0`…`w4` (tantivy's default tokenizer: one
    /// position per word).
    fn index_of(bodies: &[Vec<u8>]) -> tantivy::Result<(Index, Field)> {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for words in bodies {
            let text: Vec<String> = words.iter().map(|w| format!("w{w}")).collect();
            let mut doc = TantivyDocument::default();
            doc.add_text(body, text.join(" "));
            writer.add_document(doc)?;
        }
        writer.commit()?;
        Ok((index, body))
    }

    /// The bonus of `words` over one segment of `bodies`.
    fn bonus_of(
        bodies: &[Vec<u8>],
        words: &[u8],
    ) -> Result<(Searcher, Field, Proximity, ProximityBonus), TestCaseError> {
        let (index, field) = index_of(bodies).map_err(fail)?;
        let searcher = index.reader().map_err(fail)?.searcher();
        let proximity = Proximity {
            terms: words
                .iter()
                .enumerate()
                .map(|(i, w)| (i, Term::from_field_text(field, &format!("w{w}"))))
                .collect(),
        };
        let bonus = ProximityBonus::new(&searcher, &searcher, &proximity).map_err(fail)?;
        Ok((searcher, field, proximity, bonus))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// The bonus `settle` adds is the score the bonus query gives (side by side only
        /// checked where near), and no reply's bonus exceeds its own bound, nor the bound of
        /// every reply; a reply bounded by 0 has no bonus.
        #[test]
        fn the_bonus_is_the_query_s_score_and_never_exceeds_its_bounds(
            bodies in prop::collection::vec(prop::collection::vec(0u8..5, 0..40), 1..25),
            words in prop::collection::vec(0u8..5, 2..5),
        ) {
            let (searcher, field, proximity, bonus) = bonus_of(&bodies, &words)?;
            let expected: HashMap<DocId, Score> = searcher
                .search(&*proximity.query(), &TopDocs::with_limit(100).order_by_score())
                .map_err(fail)?
                .into_iter()
                .map(|(score, addr)| (addr.doc_id, score))
                .collect();
            let reader = searcher.segment_reader(0);
            let mut hits: Vec<(DocId, Score)> = (0..reader.max_doc()).map(|d| (d, 0.0)).collect();
            bonus.settle(reader, &mut hits, None, None).map_err(fail)?;
            prop_assert_eq!(hits.len(), reader.max_doc() as usize);
            let mut words_at = WordFrequencies::new(reader, field, &bonus.terms)
                .map_err(fail)?;
            for (doc, got) in hits {
                prop_assert_eq!(got, expected.get(&doc).copied().unwrap_or(0.0), "doc {}", doc);
                let own = words_at.as_mut().map_or(0.0, |w| bonus.bound_at(w, doc));
                prop_assert!(got <= own, "doc {}: bonus {} over its bound {}", doc, got, own);
                prop_assert!(got <= bonus.bound(), "doc {}: bonus {} over {}", doc, got, bonus.bound());
            }
        }

        /// With `keep`, the hits `settle` drops as the bar rises are beaten by `keep` others:
        /// every hit scoring at least the `keep`th best with its bonus stays, with the score
        /// it gets without the rising bar (ties included: the bar drops only what scores
        /// below it).
        #[test]
        fn a_bar_risen_with_the_best_settled_keeps_the_best(
            bodies in prop::collection::vec(prop::collection::vec(0u8..5, 0..40), 1..25),
            words in prop::collection::vec(0u8..5, 2..4),
            base in prop::collection::vec(0u8..12, 25),
            keep in 1usize..6,
        ) {
            let (searcher, _, _, bonus) = bonus_of(&bodies, &words)?;
            let reader = searcher.segment_reader(0);
            // Scores in quarters: many tie.
            let hits: Vec<(DocId, Score)> = (0..reader.max_doc())
                .map(|d| (d, f32::from(base[d as usize]) / 4.0))
                .collect();
            let mut all = hits.clone();
            bonus.settle(reader, &mut all, None, None).map_err(fail)?;
            let mut risen = hits;
            bonus.settle(reader, &mut risen, None, Some(keep)).map_err(fail)?;
            for hit in &risen {
                prop_assert!(all.contains(hit), "{:?} not settled alike", hit);
            }
            let mut scores: Vec<Score> = all.iter().map(|&(_, s)| s).collect();
            scores.sort_by(|a, b| b.total_cmp(a));
            let least = scores.get(keep - 1).copied().unwrap_or(Score::MIN);
            for hit in all.iter().filter(|&&(_, s)| s >= least) {
                prop_assert!(risen.contains(hit), "{:?} dropped; the {}th best is {}", hit, keep, least);
            }
        }
    }
}
