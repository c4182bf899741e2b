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
mod segment;

use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::TermOrdHit;
use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::backed_word::{WordScorer, WordsScorer};
use crate::facet_codes::{FACET_COUNT, Facet, FacetCodes, FacetCounts, Tally, Value, add_counts};
use crate::facet_values::FACET_VALUES;
use crate::filter::{Dim, filters};
use crate::proximity::ProximityBonus;
use crate::request::SearchRequest;
use crate::segment_columns::SegmentColumns;
use crate::shaped_facets::RegionNode;
pub use rank::LastHit;
use rank::{SegmentTop, rank};
use segment::{After, BATCH, Deferred, FacetCounter, Key, NO_ID, PRUNE_AT};
pub use segment::{SegmentFruit, SegmentSearchCollector};

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
    /// after, with the hit's id).
    pub last: Option<LastHit>,
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
    /// query runs without it; see [`crate::proximity`]): by relevance, those that can score
    /// high enough with it; by date, those dated at least as late as the worst kept. With a
    /// cursor, the hits the bonus may bring before it wait for their bonus to be told apart.
    pub(crate) fn with_proximity(mut self, bonus: ProximityBonus) -> Self {
        self.proximity = Some(Arc::new(bonus));
        self
    }
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
        // The segment's facet codes (read once, at start-up or on its first search) count the
        // facets and test the filters of coded facets.
        let codes = self.codes.of(reader)?;
        // Opened with the codes (only a test's codes have none).
        let columns = match codes.columns() {
            Some(columns) => columns.clone(),
            None => SegmentColumns::open(reader)?,
        };
        let filters = filters(r, ff, Some((self.codes, &codes)))?;
        // `facets=false` (and an export, which asks for no facets): nothing is counted, and a
        // hit that fails a filter is simply skipped.
        let counting = r.facets && !self.facets.is_empty();
        let mut tally = Tally::default();
        let mut counts = None;
        let codes = if counting {
            let mut counters: Vec<FacetCounter> = Vec::new();
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
            tally = codes.tally(counters);
            Some(codes)
        } else {
            None
        };
        let ids = columns.ids;
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
            uncounted: Vec::with_capacity(if codes.is_some() { BATCH } else { 0 }),
            failed_one: if codes.is_some() {
                vec![Vec::new(); filters.len()]
            } else {
                Vec::new()
            },
            filters,
            codes,
            tally,
            counts,
            dates: columns.dates,
            // A heap grows as hits come; an export may keep every hit of a segment.
            heap: BinaryHeap::with_capacity((self.keep + 1).min(1024)),
            total: 0,
            deferred: self.proximity.as_ref().map(|bonus| Deferred {
                bonus: bonus.clone(),
                reader: reader.clone(),
                candidates: Vec::new(),
                prune_at: PRUNE_AT.max(4 * self.keep),
                near_the_cursor: Vec::new(),
            }),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    /// A query of words alone (`WordsScorer`) is walked here, its hits scored only when
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
        } else if let Some(words) = scorer.downcast_mut::<WordsScorer<WordScorer>>() {
            collector.collect_words(words, alive);
        } else {
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) && collector.admit(doc) {
                    if collector.before_the_dates_kept(doc) {
                        collector.remaining += 1;
                    } else {
                        collector.rank(doc, scorer.score());
                    }
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
