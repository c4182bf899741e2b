//! One pass over the matching replies that filters, counts facets and keeps the top hits.
//!
//! Facet counts are *disjunctive*: a value's count ignores its own dimension's filter and
//! honours all the others, so a user who selected 浙江省 still sees how many replies 江苏省
//! would add. Instead of one search per dimension, the collector evaluates every filter on
//! each matching reply from fast fields: a reply that passes all filters is a hit and counts in
//! every dimension; one that fails exactly one filter counts only in that filter's dimension.
//!
//! The year dimension holds both the `year` filter and the signing-date filters (`date_from`,
//! `date_to`): the `year` facet (and the year histogram) ignores both. The region tree counts
//! like the `region` facet, ignoring the region filter.

mod rank;

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};

use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::AliveBitSet;
use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use dafu_index::schema::names;
use tantivy::columnar::TermOrdHit;

use crate::backed_word::WordsScorer;
use crate::cursor::Position;
use crate::facet_values::FACET_VALUES;
use crate::filter::{Dim, Filter, filters};
use crate::proximity::ProximityBonus;
use crate::request::{SearchRequest, Sort};
use crate::shaped_facets::RegionNode;
use rank::{SegmentTop, rank};

use crate::facet_codes::{
    Counter, FACET_COUNT, Facet, FacetCodes, FacetCounts, SegmentCodes, Value, add_counts,
};

/// The facet dimensions of a reply search, in response order; `city` shares the region
/// filter.
pub const FACETS: &[&str] = &[
    "region",
    "city",
    "year",
    "topic",
    "department",
    "assembly",
    "level",
    "reply_kind",
    "result_class",
];

/// The facet dimensions of a commitment search: the reply's, and the commitment's own.
pub const COMMITMENT_FACETS: &[&str] = &[
    "region",
    "city",
    "year",
    "topic",
    "department",
    "assembly",
    "level",
    "strength",
    "has_quantity",
];

/// The dimension whose filter a facet ignores.
fn dim_of(facet: Facet) -> Dim {
    match facet {
        Facet::Region => Dim::Region,
        Facet::Year => Dim::Year,
        Facet::Topic => Dim::Topic,
        Facet::Department => Dim::Department,
        Facet::Assembly => Dim::Assembly,
        Facet::Level => Dim::Level,
        Facet::ReplyKind => Dim::ReplyKind,
        Facet::ResultClass => Dim::ResultClass,
        Facet::Strength => Dim::Strength,
        Facet::HasQuantity => Dim::HasQuantity,
    }
}

/// The coded facet a facet name counts (`region` and `city` both sum the region paths).
fn facet_of(name: &str) -> Option<Facet> {
    Facet::ALL
        .into_iter()
        .find(|&facet| names_of(facet).contains(&name))
}

/// The facet names a coded facet answers.
fn names_of(facet: Facet) -> &'static [&'static str] {
    match facet {
        Facet::Region => &["region", "city"],
        Facet::Year => &["year"],
        Facet::Topic => &["topic"],
        Facet::Department => &["department"],
        Facet::Assembly => &["assembly"],
        Facet::Level => &["level"],
        Facet::ReplyKind => &["reply_kind"],
        Facet::ResultClass => &["result_class"],
        Facet::Strength => &["strength"],
        Facet::HasQuantity => &["has_quantity"],
    }
}

/// Sort key within one segment: larger is better. Among equal sort values the smaller reply
/// id comes first — compared as ordinals of the segment's sorted id column, which order like
/// the ids — and documents without an id (commitments, ordinal [`NO_ID`]) last, by doc id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u64, u64, Reverse<u64>, Reverse<DocId>);

/// The id ordinal of a document without an id.
const NO_ID: u64 = u64::MAX;

/// A kept hit, ordered by its key only.
#[derive(Debug, Clone, Copy)]
struct Entry {
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

/// What the collector gathers.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Exact number of replies that pass every filter.
    pub total: u64,
    /// The best `offset + limit` hits (after the cursor, if any), best first, with their
    /// scores.
    pub top: Vec<(DocAddress, Score)>,
    /// How many of the `total` replies come after the request's cursor (all of them without
    /// one).
    pub remaining: u64,
    /// Where the last hit of `top` sits in the result order (what the next cursor resumes
    /// after).
    pub last: Option<Position>,
    /// Facet -> the values counted, with their counts (in no order): every year, every
    /// province and city, and the best [`FACET_VALUES`] of the others (what the API shows).
    pub facets: HashMap<&'static str, Vec<(Value, u64)>>,
    /// The region tree, counted like `region` (disjunctive).
    pub region_tree: Vec<RegionNode>,
}

/// The collector for one request.
pub struct SearchCollector<'r> {
    request: &'r SearchRequest,
    codes: &'r FacetCodes,
    keep: usize,
    scoring: bool,
    facets: &'static [&'static str],
    proximity: Option<Arc<ProximityBonus>>,
    /// The search's facet counts between one segment and the next: segments run one after
    /// the other, and each counts into the arrays the last one left (codes are global). One
    /// run in parallel with another finds it empty and brings its own arrays.
    counts: Arc<Mutex<Option<FacetCounts>>>,
}

impl<'r> SearchCollector<'r> {
    /// A collector for `request` that counts `facets` (names from [`FACETS`] or
    /// [`COMMITMENT_FACETS`]).
    /// Facets are counted with `codes`, the engine's coded facets of its segments.
    pub fn new(
        request: &'r SearchRequest,
        codes: &'r FacetCodes,
        scoring: bool,
        facets: &'static [&'static str],
    ) -> Self {
        SearchCollector {
            request,
            codes,
            keep: request.offset + request.limit,
            scoring,
            facets,
            proximity: None,
            counts: Arc::default(),
        }
    }

    /// Adds `bonus` to the scores of the hits that can make the best `offset + limit` (the
    /// query runs without it; see [`crate::proximity`]). Only for a request sorted by
    /// relevance without a cursor: the scores of the other hits are not final.
    pub(crate) fn with_proximity(mut self, bonus: ProximityBonus) -> Self {
        debug_assert!(self.request.sort == Sort::Relevance && self.request.cursor.is_none());
        self.proximity = Some(Arc::new(bonus));
        self
    }
}

/// The hits of a segment that get the proximity bonus, gathered as they come.
struct Deferred {
    bonus: Arc<ProximityBonus>,
    reader: SegmentReader,
    /// Hits (with their scores without the bonus) that could make the best hits with it.
    candidates: Vec<(DocId, Score)>,
    /// Candidates are pruned against the kept hits when there are this many.
    prune_at: usize,
}

/// A search's counts of one coded facet while a segment is walked, told apart by filter
/// dimension.
type FacetCounter = Counter<Dim>;

/// A cursor resolved against one segment: hits with these sort values are after it when
/// their id ordinal is at least `first_ord`.
struct After {
    primary: u64,
    secondary: u64,
    first_ord: u64,
}

pub struct SegmentSearchCollector {
    segment: SegmentOrdinal,
    ids: Option<StrColumn>,
    after: Option<After>,
    remaining: u64,
    sort: Sort,
    keep: usize,
    filters: Vec<(Dim, Filter)>,
    /// The segment's coded facets, when facets, the region tree and the year histogram are
    /// counted.
    codes: Option<Arc<SegmentCodes>>,
    counters: Vec<FacetCounter>,
    /// The search's count arrays of the facets not counted, and where they all go back.
    counts: Option<(FacetCounts, Arc<Mutex<Option<FacetCounts>>>)>,
    /// Hits that pass every filter, not counted yet: they are counted [`BATCH`] at a time.
    uncounted: Vec<DocId>,
    dates: Column<u64>,
    heap: BinaryHeap<Reverse<Entry>>,
    total: u64,
    /// With a deferred proximity bonus, the heap keeps the best hits without it (the bar a
    /// candidate must reach), and these are the hits that get it.
    deferred: Option<Deferred>,
}

impl Collector for SearchCollector<'_> {
    type Fruit = Gathered;
    type Child = SegmentSearchCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let ff = reader.fast_fields();
        let r = self.request;
        let filters = filters(r, ff)?;
        // `facets=false` (and an export, which asks for no facets): nothing is counted, and a
        // hit that fails a filter is simply skipped.
        let counting = r.facets && !self.facets.is_empty();
        let mut counters: Vec<FacetCounter> = Vec::new();
        let mut counts = None;
        let codes = if counting {
            let codes = self.codes.of(reader)?;
            let left = self.counts.lock().ok().and_then(|mut left| left.take());
            let mut arrays = left.unwrap_or_else(|| self.codes.counts());
            for &name in self.facets {
                let Some(facet) = facet_of(name) else {
                    continue;
                };
                if counters.iter().all(|c| c.facet != facet) {
                    let array = std::mem::take(&mut arrays[facet.index()]);
                    counters.push(codes.counter(facet, dim_of(facet), array));
                }
            }
            counts = Some((arrays, self.counts.clone()));
            Some(codes)
        } else {
            None
        };
        let ids = ff.str(names::ID)?;
        let after = match &r.cursor {
            None => None,
            Some(p) => Some(After {
                primary: p.primary,
                secondary: p.secondary,
                first_ord: match &ids {
                    None => 0,
                    Some(c) => match c.dictionary().term_ord_or_next(p.id.as_bytes())? {
                        TermOrdHit::Exact(ord) => ord + 1,
                        TermOrdHit::Next(ord) => ord,
                    },
                },
            }),
        };
        Ok(SegmentSearchCollector {
            segment,
            ids,
            after,
            remaining: 0,
            sort: r.sort,
            keep: self.keep,
            filters,
            uncounted: Vec::with_capacity(if codes.is_some() { BATCH } else { 0 }),
            codes,
            counters,
            counts,
            dates: ff.u64(names::DATE)?,
            // A heap grows as hits come; an export may keep every hit of a segment.
            heap: BinaryHeap::with_capacity((self.keep + 1).min(1024)),
            total: 0,
            deferred: self.proximity.as_ref().map(|bonus| Deferred {
                bonus: bonus.clone(),
                reader: reader.clone(),
                candidates: Vec::new(),
                prune_at: PRUNE_AT.max(4 * self.keep),
            }),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    /// A query of words alone ([`WordsScorer`]) is walked here, its hits scored only when
    /// they can make the best hits; any other query as tantivy walks it, every hit scored.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFruit> {
        let mut collector = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        if !self.scoring {
            weight.for_each_no_score(reader, &mut |docs| {
                for &doc in docs {
                    if alive.is_none_or(|alive| alive.is_alive(doc)) {
                        collector.collect(doc, 0.0);
                    }
                }
            })?;
            return Ok(collector.harvest());
        }
        let mut scorer = weight.scorer(reader, 1.0)?;
        if let Some(words) = scorer.downcast_mut::<WordsScorer>() {
            collector.collect_words(words, alive);
        } else {
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    collector.collect(doc, scorer.score());
                }
                doc = scorer.advance();
            }
        }
        Ok(collector.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Gathered> {
        let mut out = Gathered::default();
        let mut parts: Vec<SegmentTop> = Vec::new();
        // Counts by code (every segment's codes alike), per coded facet: the arrays the
        // segments counted into one after the other, plus any that ran in parallel.
        let mut totals: Option<FacetCounts> = self.counts.lock().ok().and_then(|mut c| c.take());
        let mut counting = false;
        for f in fruits {
            if let Some(e) = f.error {
                return Err(e);
            }
            out.total += f.total;
            out.remaining += f.remaining;
            if !f.top.is_empty() {
                parts.push((f.ids, f.top));
            }
            counting |= f.counting;
            if let Some(counts) = f.counts {
                match &mut totals {
                    None => totals = Some(counts),
                    Some(totals) => {
                        for (total, c) in totals.iter_mut().zip(&counts) {
                            add_counts(total, c);
                        }
                        self.codes.recycle(counts);
                    }
                }
            }
        }
        let totals = totals.unwrap_or_default();
        let mut counted = [false; FACET_COUNT];
        if counting {
            for facet in self.facets.iter().filter_map(|&name| facet_of(name)) {
                counted[facet.index()] = true;
            }
        }
        for facet in Facet::ALL {
            if !counted[facet.index()] {
                continue;
            }
            let totals = &totals[facet.index()];
            if facet == Facet::Region {
                // The flat province and city facets are sums of the paths (both belong to the
                // region dimension), like the tree.
                let regions =
                    self.codes
                        .regions(totals, &self.request.region_tree, &self.request.region);
                out.region_tree = regions.tree;
                out.facets.insert("region", regions.provinces);
                out.facets.insert("city", regions.cities);
            } else {
                for &name in names_of(facet) {
                    // Years all (the histogram), the others' best only (what the API shows).
                    let limit = (facet != Facet::Year).then_some(FACET_VALUES);
                    out.facets
                        .insert(name, self.codes.values(facet, totals, limit));
                }
            }
        }
        self.codes.recycle(totals);
        let (top, last) = rank(parts, self.keep)?;
        out.top = top;
        out.last = last;
        Ok(out)
    }
}

/// What one segment gathered.
pub struct SegmentFruit {
    total: u64,
    remaining: u64,
    top: Vec<(Key, DocAddress, Score)>,
    ids: Option<StrColumn>,
    /// Whether the segment counted facets.
    counting: bool,
    /// The search's facet counts, when the arrays the segments share were taken (by a
    /// segment run in parallel).
    counts: Option<FacetCounts>,
    /// Adding the proximity bonus failed (reading the segment's postings).
    error: Option<tantivy::TantivyError>,
}

/// Fewest candidates for the proximity bonus a segment gathers before pruning them.
const PRUNE_AT: usize = 1024;

/// Hits that pass every filter counted at once: their rows stay in the processor's first cache
/// while each facet goes over them.
const BATCH: usize = 256;

impl SegmentSearchCollector {
    /// Whether a hit passes every filter (it is then counted in every facet); a hit that
    /// fails one filter only is counted in that filter's dimension.
    fn admit(&mut self, doc: DocId) -> bool {
        let mut failed = None;
        let mut failures = 0;
        for (dim, filter) in &self.filters {
            if !filter.passes(doc) {
                failures += 1;
                failed = Some(*dim);
                if failures > 1 {
                    return false;
                }
            }
        }
        if failures == 1 {
            if let Some(dim) = failed {
                self.count_failed(doc, dim);
            }
            return false;
        }
        self.total += 1;
        self.count(doc);
        true
    }

    /// Keeps a hit that passed the filters if it can make the best hits (or lies after the
    /// cursor), or gathers it for the proximity bonus.
    fn rank(&mut self, doc: DocId, score: Score) {
        if self.below_the_bar(score) {
            // Most hits of a broad search: neither kept nor after a cursor, so their date
            // (the sort's second value) is never read.
            self.remaining += 1;
            if self.deferred.is_some() {
                self.consider(doc, score);
            }
            return;
        }
        let values = self.sort_values(doc, score);
        if let Some(after) = &self.after {
            // Hits up to the cursor were on earlier pages.
            match values.cmp(&(after.primary, after.secondary)) {
                Ordering::Greater => return,
                Ordering::Equal if self.id_ord(doc) < after.first_ord => return,
                _ => {}
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
    /// best hits ([`WordsScorer::bound`]).
    fn collect_words(&mut self, words: &mut WordsScorer, alive: Option<&AliveBitSet>) {
        let mut doc = words.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) && self.admit(doc) {
                if self.out_of_reach(words.bound()) {
                    self.remaining += 1;
                } else {
                    let score = words.score();
                    self.rank(doc, score);
                }
            }
            doc = words.advance();
        }
    }

    /// Counts a hit that failed the filter of `dim` (only) in that dimension's facets.
    fn count_failed(&mut self, doc: DocId, dim: Dim) {
        let Some(codes) = &self.codes else {
            return;
        };
        codes.count_all(&[doc], &mut self.counters, |d| d == dim);
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

    fn count_uncounted(&mut self) {
        if let Some(codes) = &self.codes {
            codes.count_all(&self.uncounted, &mut self.counters, |_| true);
        }
        self.uncounted.clear();
    }

    /// The two sort values of a hit (larger is better); its id breaks ties ([`Key`]).
    fn sort_values(&self, doc: DocId, score: Score) -> (u64, u64) {
        let date = self.dates.first(doc).unwrap_or(0);
        match self.sort {
            Sort::Relevance => (score_bits(score), date),
            Sort::Date => (date, score_bits(score)),
            // Unknown dates (0) sort last either way.
            Sort::DateAsc => (
                if date == 0 { 0 } else { u64::MAX - date },
                score_bits(score),
            ),
        }
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

    /// Whether a hit of a relevance sort without a cursor scores below the worst of the `keep`
    /// hits kept: it cannot be kept ([`Self::offer`] would drop it on its first sort value).
    fn below_the_bar(&self, score: Score) -> bool {
        self.sort == Sort::Relevance
            && self.after.is_none()
            && self.keep > 0
            && self.heap.len() >= self.keep
            && self
                .heap
                .peek()
                .is_some_and(|Reverse(worst)| score_bits(score) < worst.key.0)
    }

    /// The score a hit must reach, with its bonus, to be among the best: the worst kept hit's
    /// (`None` while fewer than `keep` are kept).
    fn bar(&self) -> Option<Score> {
        if self.heap.len() < self.keep {
            return None;
        }
        self.heap.peek().map(|Reverse(worst)| worst.score)
    }

    /// Notes a hit that may make the best hits once it has its proximity bonus.
    fn consider(&mut self, doc: DocId, score: Score) {
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

    /// The best hits with their proximity bonus: the candidates that can still make it get
    /// their bonus ([`ProximityBonus::settle`]), and the best `keep` of them replace the hits
    /// kept without it.
    fn settle_deferred(&mut self) -> tantivy::Result<()> {
        let Some(mut d) = self.deferred.take() else {
            return Ok(());
        };
        d.bonus.settle(&d.reader, &mut d.candidates, self.bar())?;
        self.heap.clear();
        for (doc, score) in d.candidates {
            let values = self.sort_values(doc, score);
            self.offer(doc, score, values);
        }
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
        self.count_uncounted();
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
        let counts = self.counts.and_then(|(mut arrays, shared)| {
            for counter in self.counters {
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
