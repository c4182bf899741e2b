//! Every document's facet values as small integer codes, read once per segment and kept, and
//! one dictionary per facet shared by all segments.
//!
//! Facets are counted over *every* matching reply: a broad word matches a third of the
//! replies. Reading each hit's facet columns from the segment (optional and multi-valued
//! column indexes, bit-packed ordinals: about ten reads a hit), counting them in hash maps keyed
//! by the values and merging segments by hashing the values again was about 40% of a search at
//! 100,000 replies (BENCHMARKS.md). Segments never change once written, so the first search
//! of a segment reads each facet column once, for every document, into a row of codes: each
//! value's *global* id in the facet's dictionary, plus one. A search counts
//! `counts[code(doc)] += 1`, every segment into the same arrays; values are looked up once,
//! for the values counted. Each search first drops the codes of segments its searcher no
//! longer has (merged away).
//!
//! Memory: about 5 bytes per document. A reply's commitments share its facets but for their
//! own two (strength, quantity: a byte each per document), and documents in a row with the same
//! codes share one row of ten `u16` codes (the topics coded by their set), found through a byte
//! per document ([`segment`]): 14 MB for an index of 100,000 replies and their 2.9 million
//! commitments (60 MB with a row per document). The dictionaries only grow (a value of a
//! merged-away segment keeps its id), bounded by the distinct values ever indexed.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;
use tantivy::SegmentReader;
use tantivy::index::SegmentId;

use dafu_extract::region::RegionTable;
use dafu_index::schema::names;

use crate::facet_values::{counted_at_least_nth, keep_best};
use crate::region_filter::RegionSelection;
use crate::segment_columns::SegmentColumns;
use crate::shaped_facets::{RegionCounts, RegionShape, RegionTreeView};

mod allowed;
mod combinations;
mod read;
mod segment;

pub(crate) use allowed::Allowed;
use read::{Read, read_regions, read_str, read_years};
use segment::CodedFacet;
pub(crate) use segment::{Counter, FacetCounts, SegmentCodes, Tally, add_counts};

/// A facet value (浙江省, 嘉兴市民政局), shared by the dictionary and every response.
pub type Value = Arc<str>;

/// A reply's place: province, city and county names (`None` where unknown).
pub type RegionPath = [Option<Value>; 3];

/// The facets coded. The region is one facet of (province, city, county) paths: the flat
/// `region` and `city` facets and the region tree are sums of its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Region,
    Year,
    Topic,
    Department,
    Assembly,
    Level,
    ReplyKind,
    ResultClass,
    Strength,
    HasQuantity,
}

/// How many facets there are.
pub const FACET_COUNT: usize = 10;

impl Facet {
    /// Every facet, in index order.
    pub const ALL: [Facet; FACET_COUNT] = [
        Facet::Region,
        Facet::Year,
        Facet::Topic,
        Facet::Department,
        Facet::Assembly,
        Facet::Level,
        Facet::ReplyKind,
        Facet::ResultClass,
        Facet::Strength,
        Facet::HasQuantity,
    ];

    /// Its place in [`Facet::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether a commitment has its own value of this facet (its strength, whether it has a
    /// quantity); it shares every other with its reply.
    pub fn per_document(self) -> bool {
        matches!(self, Facet::Strength | Facet::HasQuantity)
    }

    /// The string fast column it reads (the region and the year are read otherwise).
    fn column(self) -> Option<&'static str> {
        Some(match self {
            Facet::Region | Facet::Year => return None,
            Facet::Topic => names::TOPIC,
            Facet::Department => names::DEPARTMENT,
            Facet::Assembly => names::ASSEMBLY,
            Facet::Level => names::LEVEL,
            Facet::ReplyKind => names::REPLY_KIND,
            Facet::ResultClass => names::RESULT_CLASS,
            Facet::Strength => names::STRENGTH,
            Facet::HasQuantity => names::HAS_QUANTITY,
        })
    }
}

/// Values numbered in the order first seen.
struct Dictionary<K> {
    values: Vec<K>,
    ids: FxHashMap<K, u32>,
}

impl<K> Default for Dictionary<K> {
    fn default() -> Self {
        Dictionary {
            values: Vec::new(),
            ids: FxHashMap::default(),
        }
    }
}

impl<K: Hash + Eq + Clone> Dictionary<K> {
    fn intern(&mut self, value: &K) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.values.push(value.clone());
        self.ids.insert(value.clone(), id);
        id
    }
}

#[derive(Default)]
struct Inner {
    /// One dictionary per facet but the region (unused slot).
    values: [Dictionary<Value>; FACET_COUNT],
    paths: Dictionary<RegionPath>,
    /// The sets of topics (value ids of `values`' topic dictionary, ascending) replies hold.
    topic_sets: Dictionary<Box<[u32]>>,
    /// The region tree of the paths numbered so far.
    shape: RegionShape,
    segments: HashMap<SegmentId, Arc<SegmentCodes>>,
}

/// The engine's facet dictionaries and the coded facets of the segments searched so far.
pub struct FacetCodes {
    /// Names the region tree's divisions with their codes.
    regions: &'static RegionTable,
    inner: RwLock<Inner>,
    /// One lock per segment being coded, so that concurrent first searches of a segment (or a
    /// search and the start-up warm-up) read it once, while other segments are coded in
    /// parallel.
    building: Mutex<HashMap<SegmentId, Arc<Mutex<()>>>>,
    /// Count arrays of finished searches, zeroed, for the next ones: with tens of thousands
    /// of departments and region paths, allocating and zeroing them for every segment of
    /// every search was 5% of a search's instructions (`memset`; BENCHMARKS.md).
    spare: Mutex<Vec<FacetCounts>>,
}

/// Most sets of count arrays kept for reuse (about as many as searches run at once).
const SPARE_COUNTS: usize = 16;

impl std::fmt::Debug for FacetCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FacetCodes").finish_non_exhaustive()
    }
}

impl FacetCodes {
    /// No segment coded yet; `regions` gives the region tree its division codes.
    pub fn new(regions: &'static RegionTable) -> Self {
        FacetCodes {
            regions,
            inner: RwLock::default(),
            building: Mutex::default(),
            spare: Mutex::default(),
        }
    }

    /// Count arrays for a search: zeroed, from a finished search when there is one.
    pub(crate) fn counts(&self) -> FacetCounts {
        self.spare
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    }

    /// Takes back a search's count arrays (see [`Self::counts`]).
    pub(crate) fn recycle(&self, mut counts: FacetCounts) {
        for c in &mut counts {
            c.fill(0);
        }
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < SPARE_COUNTS
        {
            spare.push(counts);
        }
    }

    /// The coded facets of `segment`, read on its first search (or by [`Self::warm`]).
    pub(crate) fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentCodes>> {
        let id = segment.segment_id();
        if let Some(codes) = self.coded(id) {
            return Ok(codes);
        }
        let lock = match self.building.lock() {
            Ok(mut building) => building.entry(id).or_default().clone(),
            Err(_) => return Err(poisoned()),
        };
        let _building = lock.lock().map_err(|_| poisoned())?;
        if let Some(codes) = self.coded(id) {
            return Ok(codes);
        }
        let codes = self.read(segment);
        if let Ok(mut building) = self.building.lock() {
            building.remove(&id);
        }
        codes
    }

    fn coded(&self, id: SegmentId) -> Option<Arc<SegmentCodes>> {
        self.inner.read().ok()?.segments.get(&id).cloned()
    }

    /// Codes every segment of `segments` now, on up to `threads` threads: the first searches
    /// then find them ready. `dafu serve` calls it at start-up.
    pub fn warm(&self, segments: &[SegmentReader], threads: usize) -> tantivy::Result<()> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.clamp(1, segments.len().max(1)))
                .map(|_| {
                    scope.spawn(|| -> tantivy::Result<()> {
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(segment) = segments.get(i) else {
                                return Ok(());
                            };
                            self.of(segment)?;
                        }
                    })
                })
                .collect();
            workers.into_iter().try_for_each(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(tantivy::TantivyError::InternalError(
                        "facet codes warm-up panicked".into(),
                    ))
                })
            })
        })
    }

    /// Reads `segment`'s facet columns (without holding the dictionaries' lock: other
    /// segments' searches go on) and gives its values global ids.
    fn read(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentCodes>> {
        let id = segment.segment_id();
        let started = std::time::Instant::now();
        let ff = segment.fast_fields();
        let max_doc = segment.max_doc();
        let regions = read_regions(segment)?;
        let columns = SegmentColumns::open(segment)?;
        let mut reads: Vec<Option<Read<Value>>> = Vec::with_capacity(FACET_COUNT);
        for facet in Facet::ALL {
            reads.push(match facet {
                Facet::Region => None,
                Facet::Year => Some(read_years(&ff.u64(names::YEAR)?, max_doc)),
                other => match other.column() {
                    Some(name) => match ff.str(name)? {
                        Some(c) => Some(read_str(&c, max_doc, other == Facet::Topic)?),
                        None => None,
                    },
                    None => None,
                },
            });
        }
        let mut inner = self.inner.write().map_err(|_| poisoned())?;
        let Inner {
            values,
            paths,
            topic_sets,
            shape,
            ..
        } = &mut *inner;
        let mut regions = Some(regions);
        let facets = Facet::ALL
            .into_iter()
            .zip(reads)
            .map(|(facet, read)| match (facet, read) {
                (Facet::Region, _) => regions
                    .take()
                    .map_or_else(CodedFacet::absent, |r| r.coded(paths)),
                (Facet::Topic, Some(read)) => {
                    read.coded_sets(&mut values[facet.index()], topic_sets)
                }
                (_, Some(read)) => read.coded(&mut values[facet.index()]),
                (_, None) => CodedFacet::absent(),
            })
            .collect();
        shape.extend(&paths.values[shape.len()..], self.regions);
        let codes = Arc::new(SegmentCodes::new(facets, max_doc).with_columns(columns));
        inner.segments.insert(id, codes.clone());
        tracing::debug!(
            segment = %id.short_uuid_string(),
            documents = max_doc,
            bytes = codes.bytes(),
            combined = ?codes.combined_facets(),
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "coded the facets of a segment"
        );
        Ok(codes)
    }

    /// Drops the codes of segments that are not in `live` (merged away); takes the write lock
    /// only when there are some.
    pub(crate) fn retain(&self, live: &HashSet<SegmentId>) {
        let stale = match self.inner.read() {
            Ok(inner) => inner.segments.keys().any(|s| !live.contains(s)),
            Err(_) => false,
        };
        if stale && let Ok(mut inner) = self.inner.write() {
            inner.segments.retain(|s, _| live.contains(s));
        }
    }

    /// The values counted in `totals` (a search's counts of `facet` by code, merged), with
    /// their counts: all of them, or only the best `limit` by count (ties by value). Only the
    /// values returned are cloned: cloning each counted one (thousands of departments for a
    /// broad search) touched as many reference counts, each a cache miss of its own.
    pub(crate) fn values(
        &self,
        facet: Facet,
        totals: &[u32],
        limit: Option<usize>,
    ) -> Vec<(Value, u64)> {
        let Ok(inner) = self.inner.read() else {
            return Vec::new();
        };
        let values = &inner.values[facet.index()].values;
        let spread;
        let totals = if facet == Facet::Topic {
            spread = spread_sets(totals, &inner.topic_sets.values, values.len());
            &spread[..]
        } else {
            by_id(totals)
        };
        let Some(limit) = limit else {
            return counted(totals, values);
        };
        // Only values counted at least as often as the `limit`-th are gathered (with their
        // ties): gathering every counted one (tens of thousands of departments) to pick a
        // hundred was most of a narrow search's facet work.
        let mut best = counted_at_least_nth(&totals[..totals.len().min(values.len())], limit);
        let name = |&(id, _): &(usize, u64)| values.get(id).map_or("", |v| &**v);
        keep_best(&mut best, limit, |v| v.1, name);
        best.into_iter()
            .filter_map(|(id, n)| values.get(id).map(|v| (v.clone(), n)))
            .collect()
    }

    /// The region tree (as much as `view` asks for; `selected` are the region filter's places)
    /// and the flat province and city facets of `totals` (a search's counts of the region
    /// facet by code, merged).
    pub(crate) fn regions(
        &self,
        totals: &[u32],
        view: &RegionTreeView,
        selected: &[RegionSelection],
    ) -> RegionCounts {
        let Ok(inner) = self.inner.read() else {
            return RegionCounts::default();
        };
        inner.shape.count(by_id(totals), view, selected)
    }
}

/// Counts by code as counts by global id (code 0, no value, dropped).
fn by_id(totals: &[u32]) -> &[u32] {
    totals.get(1..).unwrap_or(&[])
}

/// Counts of sets of values by code as counts of the values by id (`values` of them): a
/// set's count goes to each of its values.
fn spread_sets(totals: &[u32], sets: &[Box<[u32]>], values: usize) -> Vec<u32> {
    let mut spread = vec![0u32; values];
    for (set, &n) in sets.iter().zip(by_id(totals)) {
        if n == 0 {
            continue;
        }
        for &value in set.iter() {
            if let Some(total) = spread.get_mut(value as usize) {
                *total = total.saturating_add(n);
            }
        }
    }
    spread
}

fn poisoned() -> tantivy::TantivyError {
    tantivy::TantivyError::InternalError("a facet codes lock was poisoned".into())
}

/// `(value, count)` for every non-zero count.
fn counted<K: Clone>(totals: &[u32], values: &[K]) -> Vec<(K, u64)> {
    totals
        .iter()
        .zip(values)
        .filter(|&(&n, _)| n > 0)
        .map(|(&n, v)| (v.clone(), u64::from(n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::DocId;

    proptest! {
        /// A facet's best values (by count, ties by value) are those a sort of every counted
        /// value gives, whatever the counts, their ties at the last place and the limit.
        #[test]
        fn the_best_values_are_those_a_full_sort_gives(
            counts in prop::collection::vec(prop_oneof![Just(0u32), 1u32..4, 0u32..50], 0..400),
            limit in 0usize..120,
        ) {
            let codes = FacetCodes::new(RegionTable::embedded());
            let names: Vec<Value> = (0..counts.len())
                .map(|i| Value::from(format!("部门{:03}", (i * 7919) % 1000)))
                .collect();
            if let Ok(mut inner) = codes.inner.write() {
                let dictionary = &mut inner.values[Facet::Department.index()];
                for name in &names {
                    dictionary.intern(name);
                }
            }
            // Code 0 is no value; code i + 1 the value of id i.
            let totals: Vec<u32> = std::iter::once(0).chain(counts.iter().copied()).collect();
            let mut expected: Vec<(Value, u64)> = names
                .iter()
                .zip(&counts)
                .filter(|&(_, &n)| n > 0)
                .map(|(v, &n)| (v.clone(), u64::from(n)))
                .collect();
            expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            expected.truncate(limit);
            prop_assert_eq!(codes.values(Facet::Department, &totals, Some(limit)), expected);
        }
    }

    /// A segment of `docs` documents whose only facet is `coded` (as `facet`): its counts by
    /// code over `batches` of hits.
    fn counted_in_segment(
        facet: Facet,
        coded: CodedFacet,
        docs: DocId,
        batches: &[&[DocId]],
    ) -> Vec<u32> {
        let mut coded = Some(coded);
        let facets = Facet::ALL
            .iter()
            .map(|&f| match f == facet {
                true => coded.take().unwrap_or_else(CodedFacet::absent),
                false => CodedFacet::absent(),
            })
            .collect();
        let segment = SegmentCodes::new(facets, docs);
        let mut tally = segment.tally(vec![segment.counter(facet, (), Vec::new())]);
        for batch in batches {
            segment.count_all(batch, &mut tally);
        }
        let counters = segment.counted(tally);
        counters
            .into_iter()
            .next()
            .map(|c| c.counts)
            .unwrap_or_default()
    }

    #[test]
    fn segments_count_by_global_id_and_merge_by_adding() {
        let codes = FacetCodes::new(RegionTable::embedded());
        let mut dictionary = Dictionary::default();
        dictionary.intern(&Value::from("甲"));
        // The first segment's values 乙 and 甲 are global ids 1 and 0 (codes 2 and 1).
        let first = Read {
            codes: vec![1, 2, 0, 1],
            offsets: None,
            values: vec![Value::from("乙"), Value::from("甲")],
        }
        .coded(&mut dictionary);
        let first = counted_in_segment(Facet::Department, first, 4, &[&[0], &[1], &[2], &[3]]);
        assert_eq!(first, vec![1, 1, 2]);
        // The second segment's only value, 丙, is new: global id 2, code 3.
        let second = Read {
            codes: vec![1, 1, 0],
            offsets: None,
            values: vec![Value::from("丙")],
        }
        .coded(&mut dictionary);
        let second = counted_in_segment(Facet::Department, second, 3, &[&[0, 1, 2]]);
        assert_eq!(second, vec![1, 0, 0, 2]);
        let mut totals = Vec::new();
        add_counts(&mut totals, &first);
        add_counts(&mut totals, &second);
        assert_eq!(totals, vec![2, 1, 2, 2]);
        if let Ok(mut inner) = codes.inner.write() {
            inner.values[Facet::Department.index()] = dictionary;
        }
        let mut all = codes.values(Facet::Department, &totals, None);
        all.sort();
        let expected = [("丙", 2), ("乙", 2), ("甲", 1)].map(|(v, n)| (Value::from(v), n));
        assert_eq!(all, expected);
    }

    #[test]
    fn the_best_values_by_count_then_by_value_or_all() {
        let codes = FacetCodes::new(RegionTable::embedded());
        if let Ok(mut inner) = codes.inner.write() {
            for name in ["乙", "甲", "丙", "丁", "戊"] {
                inner.values[Facet::Department.index()].intern(&Value::from(name));
            }
        }
        // No value 9, 乙 2, 甲 5, 丙 2, 丁 0, 戊 1 (and a code past the dictionary, ignored).
        let totals = [9, 2, 5, 2, 0, 1, 7];
        let best = codes.values(Facet::Department, &totals, Some(2));
        assert_eq!(best, vec![(Value::from("甲"), 5), (Value::from("丙"), 2)]);
        let mut all = codes.values(Facet::Department, &totals, None);
        all.sort();
        assert_eq!(all.len(), 4, "{all:?}");
        assert!(codes.values(Facet::Department, &totals, Some(0)).is_empty());
    }

    #[test]
    fn a_multi_valued_facet_counts_each_value_of_each_set() {
        let codes = FacetCodes::new(RegionTable::embedded());
        let mut dictionary = Dictionary::default();
        let mut sets = Dictionary::default();
        dictionary.intern(&Value::from("环境"));
        // Documents: {教育, 医疗}, none, {医疗}, {医疗, 教育}, {医疗, 环境}; the segment's codes
        // 1 教育, 2 医疗, 3 环境 are global ids 1, 2 and 0.
        let read = || Read {
            codes: vec![1, 2, 2, 2, 1, 2, 3],
            offsets: Some(vec![0, 2, 2, 3, 5, 7]),
            values: vec![
                Value::from("教育"),
                Value::from("医疗"),
                Value::from("环境"),
            ],
        };
        let facet = read().coded_sets(&mut dictionary, &mut sets);
        // Three distinct sets, numbered as first seen (the same set in another order is the
        // same): {教育, 医疗} code 1, {医疗} 2, {环境, 医疗} 3.
        assert_eq!(sets.values.len(), 3);
        let counts = counted_in_segment(Facet::Topic, facet, 5, &[&[0], &[1], &[2], &[3], &[4]]);
        assert_eq!(counts, vec![1, 2, 1, 1]);
        // The same in other batches (a document past the last counts nothing), and a second
        // segment with the same sets adds no set.
        let facet = read().coded_sets(&mut dictionary, &mut sets);
        let batched = counted_in_segment(Facet::Topic, facet, 5, &[&[0, 2, 7], &[1, 3, 4]]);
        assert_eq!(batched, counts);
        assert_eq!(sets.values.len(), 3);
        if let Ok(mut inner) = codes.inner.write() {
            inner.values[Facet::Topic.index()] = dictionary;
            inner.topic_sets = sets;
        }
        let mut totals = Vec::new();
        add_counts(&mut totals, &counts);
        add_counts(&mut totals, &batched);
        let mut all = codes.values(Facet::Topic, &totals, None);
        all.sort();
        // 环境 1, 教育 2, 医疗 4 in each segment.
        let expected = [("医疗", 8), ("教育", 4), ("环境", 2)].map(|(v, n)| (Value::from(v), n));
        assert_eq!(all, expected);
    }
}
