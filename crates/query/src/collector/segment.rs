//! One segment's pass: each hit filtered, counted in the facets and ranked among the best
//! kept so far (its score read only when it can be kept, for a query of words alone).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex};

use tantivy::collector::SegmentCollector;
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::AliveBitSet;
use tantivy::query::Scorer;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::backed_word::{WordScoring, WordsScorer};
use crate::facet_codes::{Counter, FacetCounts, SegmentCodes, Tally};
use crate::filter::{Dim, Filter};
use crate::proximity::ProximityBonus;
use crate::request::Sort;

/// Sort key within one segment: larger is better. Among equal sort values the smaller reply
/// id comes first — compared as ordinals of the segment's sorted id column, which order like
/// the ids — and documents without an id (commitments, ordinal [`NO_ID`]) last, by doc id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Key(
    pub(super) u64,
    pub(super) u64,
    pub(super) Reverse<u64>,
    pub(super) Reverse<DocId>,
);

/// The id ordinal of a document without an id.
pub(super) const NO_ID: u64 = u64::MAX;

/// A kept hit, ordered by its key only.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    key: Key,
    score: Score,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// Maps a score to an integer with the same order.
fn score_bits(score: Score) -> u64 {
    let bits = score.to_bits();
    u64::from(if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    })
}

/// The signing date of `doc` as the first value of `sort` (a date sort; larger is better).
fn dated(sort: Sort, dates: &Column<u64>, doc: DocId) -> u64 {
    date_value(sort, dates.first(doc).unwrap_or(0))
}

/// A signing date as the first value of `sort` (a date sort; larger is better).
fn date_value(sort: Sort, date: u64) -> u64 {
    match sort {
        Sort::DateAsc if date != 0 => u64::MAX - date,
        // Unknown dates (0) sort last either way.
        _ => date,
    }
}

/// Whether a hit whose sort values without the proximity bonus (`values`, from `score`) lie
/// after the cursor `after` may come before it with a bonus of at most `bonus`: by relevance,
/// if its score with the bonus may reach the cursor's; by date, if it has the cursor's date
/// and its score with the bonus may reach the cursor's.
fn bonus_may_cross(
    sort: Sort,
    values: (u64, u64),
    score: Score,
    bonus: Score,
    after: &After,
) -> bool {
    if bonus <= 0.0 {
        return false;
    }
    let most = score_bits(score + bonus);
    match sort {
        Sort::Relevance => most >= after.primary,
        Sort::Date | Sort::DateAsc => values.0 == after.primary && most >= after.secondary,
    }
}

/// The hits of a segment that get the proximity bonus, gathered as they come.
pub(super) struct Deferred {
    pub(super) bonus: Arc<ProximityBonus>,
    pub(super) reader: SegmentReader,
    /// Hits (with their scores without the bonus) that could make the best hits with it.
    pub(super) candidates: Vec<(DocId, Score)>,
    /// Candidates are pruned against the kept hits when there are this many.
    pub(super) prune_at: usize,
    /// The candidates (in document order) that the bonus may bring before the cursor: on the
    /// cursor's side of it without the bonus, within the bonus of it. They are neither kept
    /// nor counted in `remaining` until they have their bonus.
    pub(super) near_the_cursor: Vec<DocId>,
}

/// A search's counts of one coded facet while a segment is walked, told apart by filter
/// dimension.
pub(super) type FacetCounter = Counter<Dim>;

/// A cursor resolved against one segment: hits with these sort values are after it when
/// their id ordinal is at least `first_ord`.
pub(super) struct After {
    pub(super) primary: u64,
    pub(super) secondary: u64,
    pub(super) first_ord: u64,
}

/// One segment's share of a search: its filters, facet counters and best hits.
pub struct SegmentSearchCollector {
    pub(super) segment: SegmentOrdinal,
    pub(super) ids: Option<StrColumn>,
    pub(super) after: Option<After>,
    pub(super) remaining: u64,
    pub(super) sort: Sort,
    pub(super) keep: usize,
    pub(super) filters: Vec<(Dim, Filter)>,
    /// The segment's coded facets, when facets, the region tree and the year histogram are
    /// counted.
    pub(super) codes: Option<Arc<SegmentCodes>>,
    pub(super) tally: Tally<Dim>,
    /// The search's count arrays of the facets not counted, and where they all go back.
    pub(super) counts: Option<(FacetCounts, Arc<Mutex<Option<FacetCounts>>>)>,
    /// Hits that pass every filter, not counted yet: they are counted [`BATCH`] at a time.
    pub(super) uncounted: Vec<DocId>,
    /// Hits that failed one filter only, by the filter's place in `filters`, not counted yet
    /// in its dimension's facets: counted [`BATCH`] at a time too.
    pub(super) failed_one: Vec<Vec<DocId>>,
    pub(super) dates: Column<u64>,
    pub(super) heap: BinaryHeap<Reverse<Entry>>,
    pub(super) total: u64,
    /// With a deferred proximity bonus, the heap keeps the best hits without it (the bar a
    /// candidate must reach), and these are the hits that get it.
    pub(super) deferred: Option<Deferred>,
}

/// What one segment gathered.
pub struct SegmentFruit {
    pub(super) total: u64,
    pub(super) remaining: u64,
    pub(super) top: Vec<(Key, DocAddress, Score)>,
    pub(super) ids: Option<StrColumn>,
    /// Whether the segment counted facets.
    pub(super) counting: bool,
    /// The search's facet counts, when the arrays the segments share were taken (by a
    /// segment run in parallel).
    pub(super) counts: Option<FacetCounts>,
    /// Adding the proximity bonus failed (reading the segment's postings).
    pub(super) error: Option<tantivy::TantivyError>,
}

/// Fewest candidates for the proximity bonus a segment gathers before pruning them.
pub(super) const PRUNE_AT: usize = 1024;

/// Hits that pass every filter counted at once: their rows stay in the processor's first cache
/// while each facet goes over them.
pub(super) const BATCH: usize = 256;

impl SegmentSearchCollector {
    /// Whether a hit passes every filter (it is then counted in every facet); a hit that
    /// fails one filter only is counted in that filter's dimension.
    // Inlined into the walks (every hit passes here; the call's saved registers were ~17
    // instructions a hit, 5% of a search of 资金); the batches' counting stays out of line.
    #[inline(always)]
    pub(super) fn admit(&mut self, doc: DocId) -> bool {
        let mut failed = None;
        for (i, (_, filter)) in self.filters.iter().enumerate() {
            if !filter.passes(doc) {
                if failed.is_some() {
                    return false;
                }
                failed = Some(i);
            }
        }
        if let Some(i) = failed {
            self.count_failed(doc, i);
            return false;
        }
        self.total += 1;
        self.count(doc);
        true
    }

    /// Keeps a hit that passed the filters if it can make the best hits (or lies after the
    /// cursor), or gathers it for the proximity bonus.
    pub(super) fn rank(&mut self, doc: DocId, score: Score) {
        if self.below_the_bar(score) {
            // Most hits of a broad search: not kept (and after the cursor, if any), so their
            // date (the sort's second value) is never read.
            self.remaining += 1;
            if self.deferred.is_some() {
                self.consider(doc, score);
            }
            return;
        }
        let values = self.sort_values(doc, score);
        if let Some(after) = &self.after {
            // Hits up to the cursor were on earlier pages (a deferred bonus only raises a
            // score: the hit stays there).
            match values.cmp(&(after.primary, after.secondary)) {
                Ordering::Greater => return,
                Ordering::Equal if self.id_ord(doc) < after.first_ord => return,
                _ => {}
            }
            if let Some(d) = &mut self.deferred
                && bonus_may_cross(self.sort, values, score, d.bonus.bound(), after)
            {
                d.candidates.push((doc, score));
                d.near_the_cursor.push(doc);
                return;
            }
        }
        self.remaining += 1;
        if self.keep == 0 {
            return;
        }
        if self.deferred.is_some() {
            self.consider(doc, score);
        }
        self.offer(doc, score, values);
    }

    /// Whether a hit that passed the filters, scoring at most `bound`, can be neither kept
    /// nor a candidate for the proximity bonus: [`Self::rank`] would only count it in
    /// `remaining`.
    fn out_of_reach(&self, bound: Score) -> bool {
        if bound.is_nan() || !self.below_the_bar(bound) {
            return false;
        }
        match &self.deferred {
            None => true,
            Some(d) => self.bar().is_some_and(|bar| bound + d.bonus.bound() < bar),
        }
    }

    /// Every hit of `words` in the segment, each scored only when its bound can make the
    /// best hits ([`WordsScorer::bound`]) or, sorted by date, when its date can.
    pub(super) fn collect_words<W: WordScoring>(
        &mut self,
        words: &mut WordsScorer<W>,
        alive: Option<&AliveBitSet>,
    ) {
        let by_date = self.sort != Sort::Relevance;
        let mut doc = words.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) && self.admit(doc) {
                if (by_date && self.before_the_dates_kept(doc))
                    || self.out_of_reach(words.rough_bound())
                    || self.out_of_reach(words.bound())
                {
                    self.remaining += 1;
                } else {
                    let score = words.score();
                    self.rank(doc, score);
                }
            }
            doc = words.advance();
        }
    }

    /// Counts a hit that failed the `i`th filter (only) in that filter's dimension's facets
    /// (soon: see [`BATCH`]; most hits of a search filtered by year fail that filter only).
    fn count_failed(&mut self, doc: DocId, i: usize) {
        if self.codes.is_none() {
            return;
        }
        let Some(docs) = self.failed_one.get_mut(i) else {
            return;
        };
        docs.push(doc);
        if docs.len() >= BATCH {
            self.count_failed_batch(i);
        }
    }

    /// Counts the hits gathered that failed the `i`th filter only.
    #[inline(never)]
    fn count_failed_batch(&mut self, i: usize) {
        let (Some(codes), Some(docs), Some(&(dim, _))) =
            (&self.codes, self.failed_one.get_mut(i), self.filters.get(i))
        else {
            return;
        };
        codes.count_where(docs, &mut self.tally, |d| d == dim);
        docs.clear();
    }

    /// Counts a hit that passed every filter in every facet (soon: see [`BATCH`]).
    fn count(&mut self, doc: DocId) {
        if self.codes.is_none() {
            return;
        }
        self.uncounted.push(doc);
        if self.uncounted.len() >= BATCH {
            self.count_uncounted();
        }
    }

    #[inline(never)]
    fn count_uncounted(&mut self) {
        if let Some(codes) = &self.codes {
            codes.count_all(&self.uncounted, &mut self.tally);
        }
        self.uncounted.clear();
    }

    /// Counts every hit not counted yet (when the segment's walk is over).
    fn count_the_rest(&mut self) {
        self.count_uncounted();
        for i in 0..self.failed_one.len() {
            self.count_failed_batch(i);
        }
    }

    /// The two sort values of a hit (larger is better); its id breaks ties ([`Key`]).
    fn sort_values(&self, doc: DocId, score: Score) -> (u64, u64) {
        let date = self.dates.first(doc).unwrap_or(0);
        match self.sort {
            Sort::Relevance => (score_bits(score), date),
            Sort::Date | Sort::DateAsc => (date_value(self.sort, date), score_bits(score)),
        }
    }

    /// The first sort value of the worst of the `keep` hits kept, when as many are kept.
    fn worst_kept(&self) -> Option<u64> {
        if self.keep == 0 || self.heap.len() < self.keep {
            return None;
        }
        self.heap.peek().map(|Reverse(worst)| worst.key.0)
    }

    /// Whether a hit that passed the filters of a date sort is dated before the worst of
    /// the `keep` hits kept (after them, in ascending order): it cannot be kept whatever it
    /// scores, and it comes after the cursor if there is one (a kept hit does). [`Self::rank`]
    /// would only count it in `remaining`, which the caller does without scoring it: a broad
    /// search sorted by date scored every hit (and, with several words, read the positions
    /// of their proximity bonus), four times the time of the same search by relevance.
    pub(super) fn before_the_dates_kept(&self, doc: DocId) -> bool {
        if self.sort == Sort::Relevance {
            return false;
        }
        self.worst_kept()
            .is_some_and(|worst| dated(self.sort, &self.dates, doc) < worst)
    }

    /// The ordinal of a document's id in this segment ([`NO_ID`] without one).
    fn id_ord(&self, doc: DocId) -> u64 {
        self.ids
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(NO_ID)
    }

    fn key(&self, doc: DocId, values: (u64, u64)) -> Key {
        Key(values.0, values.1, Reverse(self.id_ord(doc)), Reverse(doc))
    }

    /// Keeps the hit if it is among the best `keep` so far.
    fn offer(&mut self, doc: DocId, score: Score, values: (u64, u64)) {
        if self.heap.len() < self.keep {
            let key = self.key(doc, values);
            self.heap.push(Reverse(Entry { key, score }));
            return;
        }
        // The id is read only when the sort values tie with the worst kept hit.
        let worst = match self.heap.peek() {
            Some(Reverse(worst)) => worst.key,
            None => return,
        };
        let key = match values.cmp(&(worst.0, worst.1)) {
            Ordering::Less => return,
            Ordering::Greater => self.key(doc, values),
            Ordering::Equal => {
                let key = self.key(doc, values);
                if key <= worst {
                    return;
                }
                key
            }
        };
        self.heap.pop();
        self.heap.push(Reverse(Entry { key, score }));
    }

    /// Whether a hit of a relevance sort scores below the worst of the `keep` hits kept: it
    /// cannot be kept ([`Self::offer`] would drop it on its first sort value), and it comes
    /// after the cursor if there is one (a kept hit does), to be counted in `remaining`.
    fn below_the_bar(&self, score: Score) -> bool {
        self.sort == Sort::Relevance
            && self.keep > 0
            && self.heap.len() >= self.keep
            && self
                .heap
                .peek()
                .is_some_and(|Reverse(worst)| score_bits(score) < worst.key.0)
    }

    /// The score a hit must reach, with its bonus, to be among the best of a relevance sort:
    /// the worst kept hit's (`None` while fewer than `keep` are kept, and sorted by date).
    fn bar(&self) -> Option<Score> {
        if self.sort != Sort::Relevance || self.heap.len() < self.keep {
            return None;
        }
        self.heap.peek().map(|Reverse(worst)| worst.score)
    }

    /// Notes a hit that may make the best hits once it has its proximity bonus.
    fn consider(&mut self, doc: DocId, score: Score) {
        if self.sort != Sort::Relevance {
            self.consider_dated(doc, score);
            return;
        }
        let bar = self.bar();
        let Some(d) = &mut self.deferred else {
            return;
        };
        let bound = d.bonus.bound();
        if bar.is_some_and(|bar| score + bound < bar) {
            return;
        }
        d.candidates.push((doc, score));
        if d.candidates.len() >= d.prune_at
            && let Some(bar) = bar
        {
            d.candidates.retain(|&(_, s)| s + bound >= bar);
            d.prune_at = d.prune_at.max(2 * d.candidates.len());
        }
    }

    /// Notes a hit of a date sort that may make the best hits once it has its proximity bonus:
    /// one dated at least as late as the worst kept (in the sort's order). The bonus adds to
    /// the score, the second sort value: it decides between hits of one date only. Pruned of
    /// the hits dated before the worst kept as those rise.
    fn consider_dated(&mut self, doc: DocId, score: Score) {
        let worst = self.worst_kept();
        let (sort, dates) = (self.sort, &self.dates);
        let Some(d) = &mut self.deferred else {
            return;
        };
        if worst.is_some_and(|worst| dated(sort, dates, doc) < worst) {
            return;
        }
        d.candidates.push((doc, score));
        if d.candidates.len() >= d.prune_at
            && let Some(worst) = worst
        {
            d.candidates
                .retain(|&(doc, _)| dated(sort, dates, doc) >= worst);
            d.prune_at = d.prune_at.max(2 * d.candidates.len());
        }
    }

    /// The best hits with their proximity bonus: the candidates that can still make it get
    /// their bonus ([`ProximityBonus::settle`]), and the best `keep` of them replace the hits
    /// kept without it.
    fn settle_deferred(&mut self) -> tantivy::Result<()> {
        let Some(mut d) = self.deferred.take() else {
            return Ok(());
        };
        if self.sort != Sort::Relevance
            && let Some(worst) = self.worst_kept()
        {
            let (sort, dates) = (self.sort, &self.dates);
            d.candidates
                .retain(|&(doc, _)| dated(sort, dates, doc) >= worst);
        }
        // By relevance without a cursor, every candidate may make the page: the `keep` best
        // with their bonus raise the bar for the others. (After a cursor, a candidate near
        // it may come before it and off the page.)
        let keep = (self.sort == Sort::Relevance && self.after.is_none()).then_some(self.keep);
        d.bonus
            .settle(&d.reader, &mut d.candidates, self.bar(), keep)?;
        self.heap.clear();
        let mut near = d.near_the_cursor.iter().peekable();
        for (doc, score) in d.candidates {
            let values = self.sort_values(doc, score);
            while near.next_if(|&&n| n < doc).is_some() {
                // Dropped for scoring below the bar with its bonus: after the cursor.
                self.remaining += 1;
            }
            if near.next_if_eq(&&doc).is_some() {
                if let Some(after) = &self.after {
                    match values.cmp(&(after.primary, after.secondary)) {
                        Ordering::Greater => continue,
                        Ordering::Equal if self.id_ord(doc) < after.first_ord => continue,
                        _ => {}
                    }
                }
                self.remaining += 1;
            }
            self.offer(doc, score, values);
        }
        self.remaining += near.count() as u64;
        Ok(())
    }
}

impl SegmentCollector for SegmentSearchCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.admit(doc) {
            self.rank(doc, score);
        }
    }

    fn harvest(mut self) -> SegmentFruit {
        self.count_the_rest();
        let error = self.settle_deferred().err();
        let segment = self.segment;
        let top = self
            .heap
            .into_iter()
            .map(|Reverse(e)| (e.key, DocAddress::new(segment, (e.key.3).0), e.score))
            .collect();
        // The count arrays go back for the next segment (or, if another segment's are there,
        // in the fruit, added up when the segments merge).
        let counting = self.codes.is_some();
        let counters = match &self.codes {
            Some(codes) => codes.counted(self.tally),
            None => Vec::new(),
        };
        let counts = self.counts.and_then(|(mut arrays, shared)| {
            for counter in counters {
                arrays[counter.facet.index()] = counter.counts;
            }
            match shared.lock() {
                Ok(mut left) if left.is_none() => {
                    *left = Some(arrays);
                    None
                }
                _ => Some(arrays),
            }
        });
        SegmentFruit {
            total: self.total,
            remaining: self.remaining,
            top,
            ids: self.ids,
            counting,
            counts,
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bits_keep_the_order() {
        let scores = [-3.5f32, -0.0, 0.0, 0.1, 1.0, 2.5, 100.0];
        for w in scores.windows(2) {
            assert!(score_bits(w[0]) <= score_bits(w[1]), "{w:?}");
        }
    }
}
