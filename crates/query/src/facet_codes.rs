//! Every document's facet values as small integer codes, read once per segment and kept, and
//! one dictionary per facet shared by all segments.
//!
//! Facets are counted over *every* matching reply: a broad word matches a third of the
//! replies. Reading each hit's facet columns from the segment (optional and multi-valued
//! column indexes, bit-packed ordinals: about ten reads a hit), counting them in hash maps keyed
//! by the values and merging segments by hashing the values again was about 40% of a search at
//! 100,000 replies (BENCHMARKS.md). Segments never change once written, so the first search
//! of a segment reads each facet column once, for every document, into a plain array of codes
//! as narrow as the segment's values allow (a byte for most), and maps each code to a *global*
//! id in the facet's dictionary. A search counts `counts[code(doc)] += 1`; segments' counts
//! are merged by adding them into one array by global id; values are looked up once, for the
//! values counted. Each search first drops the codes of segments its searcher no longer has
//! (merged away).
//!
//! Memory: about 24 bytes per document (replies and commitments: a row of nine `u16` codes,
//! and the topics' offsets and codes), about 70 MB for an index of 100,000 replies and their
//! 2.9 million commitments. The dictionaries only grow (a value of a merged-away segment keeps
//! its id), bounded by the distinct values ever indexed.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;
use tantivy::columnar::{BytesColumn, Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use dafu_index::schema::names;

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

/// Codes stored as narrow as the largest one allows.
enum Codes {
    U8(Box<[u8]>),
    U16(Box<[u16]>),
    U32(Box<[u32]>),
}

impl Codes {
    fn new(codes: Vec<u32>, max: u32) -> Codes {
        // Each code is at most `max`, so the narrowing casts below cannot truncate.
        if max <= u32::from(u8::MAX) {
            Codes::U8(codes.into_iter().map(|c| c as u8).collect())
        } else if max <= u32::from(u16::MAX) {
            Codes::U16(codes.into_iter().map(|c| c as u16).collect())
        } else {
            Codes::U32(codes.into_boxed_slice())
        }
    }

    #[inline]
    fn get(&self, i: usize) -> u32 {
        match self {
            Codes::U8(c) => c.get(i).map_or(0, |&c| u32::from(c)),
            Codes::U16(c) => c.get(i).map_or(0, |&c| u32::from(c)),
            Codes::U32(c) => c.get(i).copied().unwrap_or(0),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Codes::U8(c) => c.len(),
            Codes::U16(c) => c.len() * 2,
            Codes::U32(c) => c.len() * 4,
        }
    }
}

/// One facet of one segment: each document's codes, and each code's global id.
pub(crate) struct CodedFacet {
    /// Per document (or per value, with `offsets`): 0 for no value, `c` for the segment's
    /// `c`-th value.
    codes: Codes,
    /// For a multi-valued facet (topics): document `d`'s codes are
    /// `codes[offsets[d]..offsets[d + 1]]`.
    offsets: Option<Box<[u32]>>,
    /// The global id of each code (`globals[0]`, for no value, is unused).
    globals: Box<[u32]>,
}

impl CodedFacet {
    /// A facet the segment has no column for: every document has no value.
    fn absent() -> Self {
        CodedFacet {
            codes: Codes::U8(Box::new([])),
            offsets: None,
            globals: Box::new([0]),
        }
    }

    /// Codes per segment value, 0 included: the length of a count array for [`Self::count`].
    fn num_codes(&self) -> usize {
        self.globals.len()
    }

    /// Counts `doc`'s values into `counts` (indexed by code; `counts[0]` counts documents
    /// without a value).
    #[inline]
    fn count(&self, doc: DocId, counts: &mut [u32]) {
        let doc = doc as usize;
        match &self.offsets {
            None => {
                if let Some(n) = counts.get_mut(self.codes.get(doc) as usize) {
                    *n += 1;
                }
            }
            Some(offsets) => {
                let (Some(&start), Some(&end)) = (offsets.get(doc), offsets.get(doc + 1)) else {
                    return;
                };
                for i in start..end {
                    if let Some(n) = counts.get_mut(self.codes.get(i as usize) as usize) {
                        *n += 1;
                    }
                }
            }
        }
    }

    /// Adds a segment's `counts` (by code) into `totals` (by global id).
    fn add_to(&self, counts: &[u32], totals: &mut Vec<u64>) {
        for (code, &n) in counts.iter().enumerate().skip(1) {
            if n == 0 {
                continue;
            }
            if let Some(&id) = self.globals.get(code) {
                let id = id as usize;
                if id >= totals.len() {
                    totals.resize(id + 1, 0);
                }
                totals[id] += u64::from(n);
            }
        }
    }

    fn bytes(&self) -> usize {
        self.codes.bytes()
            + self.offsets.as_ref().map_or(0, |o| o.len() * 4)
            + self.globals.len() * 4
    }
}

/// The facets with one value per document, in the order of a [`Row`]'s slots (every facet but
/// the topics).
const SINGLE: [Facet; ROW] = [
    Facet::Region,
    Facet::Year,
    Facet::Department,
    Facet::Assembly,
    Facet::Level,
    Facet::ReplyKind,
    Facet::ResultClass,
    Facet::Strength,
    Facet::HasQuantity,
];

/// Slots of a row.
const ROW: usize = FACET_COUNT - 1;

/// A document's codes of the [`SINGLE`] facets, side by side: counting a hit reads one row
/// (one cache line) instead of one array per facet.
type Row<T> = [T; ROW];

/// Every document's row, in `u16` when every code fits.
enum Rows {
    Narrow(Box<[Row<u16>]>),
    Wide(Box<[Row<u32>]>),
}

/// Where a facet's code sits in a row (`None` for the topics, which are not in rows).
fn slot(facet: Facet) -> Option<usize> {
    SINGLE.iter().position(|&f| f == facet)
}

/// Counts of one coded facet in one segment, by code, for a search.
pub(crate) struct Counter<D> {
    pub facet: Facet,
    /// What the caller tells counters apart by (the collector's filter dimension).
    pub dim: D,
    slot: Option<usize>,
    pub counts: Vec<u32>,
}

/// The coded facets of one segment.
pub(crate) struct SegmentCodes {
    /// Each facet's global ids (and the topics' codes).
    facets: Vec<CodedFacet>,
    rows: Rows,
}

impl SegmentCodes {
    fn new(mut facets: Vec<CodedFacet>, max_doc: DocId) -> Self {
        let max_doc = max_doc as usize;
        let narrow = SINGLE
            .iter()
            .all(|&f| facets[f.index()].num_codes() <= usize::from(u16::MAX) + 1);
        let code = |facets: &[CodedFacet], slot: usize, doc: usize| {
            facets[SINGLE[slot].index()].codes.get(doc)
        };
        let rows = if narrow {
            Rows::Narrow(
                (0..max_doc)
                    // Every code is below num_codes, which fits in u16 here.
                    .map(|doc| std::array::from_fn(|slot| code(&facets, slot, doc) as u16))
                    .collect(),
            )
        } else {
            Rows::Wide(
                (0..max_doc)
                    .map(|doc| std::array::from_fn(|slot| code(&facets, slot, doc)))
                    .collect(),
            )
        };
        // The rows hold the single facets' codes now.
        for f in SINGLE {
            facets[f.index()].codes = Codes::U8(Box::new([]));
        }
        SegmentCodes { facets, rows }
    }

    /// A counter of `facet` for this segment.
    pub(crate) fn counter<D>(&self, facet: Facet, dim: D) -> Counter<D> {
        Counter {
            facet,
            dim,
            slot: slot(facet),
            counts: vec![0; self.facets[facet.index()].num_codes()],
        }
    }

    /// Counts `doc` in each of `counters` that `wanted` accepts.
    #[inline]
    pub(crate) fn count<D: Copy>(
        &self,
        doc: DocId,
        counters: &mut [Counter<D>],
        wanted: impl Fn(D) -> bool,
    ) {
        match &self.rows {
            Rows::Narrow(rows) => self.count_row(rows, doc, counters, wanted),
            Rows::Wide(rows) => self.count_row(rows, doc, counters, wanted),
        }
    }

    #[inline]
    fn count_row<T: Copy + Into<u32>, D: Copy>(
        &self,
        rows: &[Row<T>],
        doc: DocId,
        counters: &mut [Counter<D>],
        wanted: impl Fn(D) -> bool,
    ) {
        let Some(row) = rows.get(doc as usize) else {
            return;
        };
        for c in counters {
            if !wanted(c.dim) {
                continue;
            }
            match c.slot {
                Some(slot) => {
                    let code: u32 = row[slot].into();
                    if let Some(n) = c.counts.get_mut(code as usize) {
                        *n += 1;
                    }
                }
                None => self.facets[c.facet.index()].count(doc, &mut c.counts),
            }
        }
    }

    /// Adds a segment's `counts` of `facet` (by code) into `totals` (by global id).
    pub(crate) fn add_to(&self, facet: Facet, counts: &[u32], totals: &mut Vec<u64>) {
        self.facets[facet.index()].add_to(counts, totals);
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        let rows = match &self.rows {
            Rows::Narrow(r) => r.len() * std::mem::size_of::<Row<u16>>(),
            Rows::Wide(r) => r.len() * std::mem::size_of::<Row<u32>>(),
        };
        rows + self.facets.iter().map(CodedFacet::bytes).sum::<usize>()
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
    segments: HashMap<SegmentId, Arc<SegmentCodes>>,
}

/// The engine's facet dictionaries and the coded facets of the segments searched so far.
#[derive(Default)]
pub struct FacetCodes {
    inner: RwLock<Inner>,
    /// One lock per segment being coded, so that concurrent first searches of a segment (or a
    /// search and the start-up warm-up) read it once, while other segments are coded in
    /// parallel.
    building: Mutex<HashMap<SegmentId, Arc<Mutex<()>>>>,
}

impl std::fmt::Debug for FacetCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FacetCodes").finish_non_exhaustive()
    }
}

/// A segment's facet read from its columns, before its values get global ids.
struct Read<K> {
    codes: Vec<u32>,
    offsets: Option<Vec<u32>>,
    /// The value of each code from 1 (code `c` is `values[c - 1]`).
    values: Vec<K>,
}

/// Documents read per batch of column lookups.
const BATCH: usize = 1024;

/// Calls `f` with each batch of documents (`start`, up to [`BATCH`] documents) and the first
/// value of each in every one of `columns` (`None` for no value, or no column).
fn first_values<const N: usize>(
    columns: [Option<&Column<u64>>; N],
    max_doc: DocId,
    mut f: impl FnMut(&[[Option<u64>; N]]),
) {
    let mut out: [Vec<Option<u64>>; N] = std::array::from_fn(|_| vec![None; BATCH]);
    let mut rows = Vec::with_capacity(BATCH);
    let mut docs = Vec::with_capacity(BATCH);
    let mut start = 0;
    while start < max_doc {
        let end = max_doc.min(start.saturating_add(BATCH as DocId));
        docs.clear();
        docs.extend(start..end);
        for (column, out) in columns.iter().zip(out.iter_mut()) {
            out[..docs.len()].fill(None);
            if let Some(column) = column {
                column.first_vals(&docs, &mut out[..docs.len()]);
            }
        }
        rows.clear();
        rows.extend((0..docs.len()).map(|i| std::array::from_fn(|c| out[c][i])));
        f(&rows);
        start = end;
    }
}

/// The values of a string column by ordinal.
fn column_values(column: &StrColumn) -> std::io::Result<Vec<Value>> {
    let dictionary = column.dictionary();
    let mut values = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary.stream()?;
    while stream.advance() {
        values.push(Value::from(String::from_utf8_lossy(stream.key())));
    }
    Ok(values)
}

/// A string column: each document's ordinals plus one (0 for none).
fn read_str(column: &StrColumn, max_doc: DocId, multi: bool) -> std::io::Result<Read<Value>> {
    let values = column_values(column)?;
    if !multi {
        let mut codes = Vec::with_capacity(max_doc as usize);
        first_values([Some(column.ords())], max_doc, |rows| {
            codes.extend(rows.iter().map(|[ord]| ord.map_or(0, |o| o as u32 + 1)));
        });
        return Ok(Read {
            codes,
            offsets: None,
            values,
        });
    }
    let mut codes = Vec::new();
    let mut offsets = Vec::with_capacity(max_doc as usize + 1);
    offsets.push(0);
    for doc in 0..max_doc {
        codes.extend(column.term_ords(doc).map(|o| o as u32 + 1));
        offsets.push(u32::try_from(codes.len()).unwrap_or(u32::MAX));
    }
    Ok(Read {
        codes,
        offsets: Some(offsets),
        values,
    })
}

/// The year column, each year a code (unknown years, stored as 0, have none).
fn read_years(column: &Column<u64>, max_doc: DocId) -> Read<Value> {
    let mut local: FxHashMap<u64, u32> = FxHashMap::default();
    let mut values = Vec::new();
    let mut codes = Vec::with_capacity(max_doc as usize);
    first_values([Some(column)], max_doc, |rows| {
        codes.extend(rows.iter().map(|[year]| match year {
            None | Some(0) => 0,
            Some(y) => *local.entry(*y).or_insert_with(|| {
                values.push(Value::from(y.to_string()));
                values.len() as u32
            }),
        }));
    });
    Read {
        codes,
        offsets: None,
        values,
    }
}

/// The (province, city, county) path of every document, each distinct path a code.
fn read_regions(segment: &SegmentReader) -> tantivy::Result<Read<RegionPath>> {
    let ff = segment.fast_fields();
    let max_doc = segment.max_doc();
    let mut columns: Vec<Option<StrColumn>> = Vec::with_capacity(3);
    let mut names_by_ord: Vec<Vec<Value>> = Vec::with_capacity(3);
    for name in [names::PROVINCE, names::CITY, names::COUNTY] {
        let column = ff.str(name)?;
        names_by_ord.push(match &column {
            Some(c) => column_values(c)?,
            None => Vec::new(),
        });
        columns.push(column);
    }
    let ords = |l: usize| columns[l].as_deref().map(BytesColumn::ords);
    let mut local: FxHashMap<[Option<u64>; 3], u32> = FxHashMap::default();
    let mut values: Vec<RegionPath> = Vec::new();
    let mut codes = Vec::with_capacity(max_doc as usize);
    first_values([ords(0), ords(1), ords(2)], max_doc, |rows| {
        codes.extend(rows.iter().map(|key| {
            if *key == [None, None, None] {
                return 0;
            }
            *local.entry(*key).or_insert_with(|| {
                values.push(std::array::from_fn(|l| {
                    key[l].and_then(|o| names_by_ord[l].get(o as usize).cloned())
                }));
                values.len() as u32
            })
        }));
    });
    Ok(Read {
        codes,
        offsets: None,
        values,
    })
}

impl<K: Hash + Eq + Clone> Read<K> {
    /// The coded facet, its values given ids in `dictionary`.
    fn coded(self, dictionary: &mut Dictionary<K>) -> CodedFacet {
        let mut globals = Vec::with_capacity(self.values.len() + 1);
        globals.push(0);
        globals.extend(self.values.iter().map(|v| dictionary.intern(v)));
        let max = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        CodedFacet {
            codes: Codes::new(self.codes, max),
            offsets: self.offsets.map(Vec::into_boxed_slice),
            globals: globals.into_boxed_slice(),
        }
    }
}

impl FacetCodes {
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
        let mut regions = Some(regions);
        let facets = Facet::ALL
            .into_iter()
            .zip(reads)
            .map(|(facet, read)| match (facet, read) {
                (Facet::Region, _) => regions
                    .take()
                    .map_or_else(CodedFacet::absent, |r| r.coded(&mut inner.paths)),
                (_, Some(read)) => read.coded(&mut inner.values[facet.index()]),
                (_, None) => CodedFacet::absent(),
            })
            .collect();
        let codes = Arc::new(SegmentCodes::new(facets, max_doc));
        inner.segments.insert(id, codes.clone());
        tracing::debug!(
            segment = %id.short_uuid_string(),
            documents = max_doc,
            bytes = codes.bytes(),
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

    /// The values counted in `totals` (by global id of `facet`), with their counts.
    pub(crate) fn values(&self, facet: Facet, totals: &[u64]) -> Vec<(Value, u64)> {
        let Ok(inner) = self.inner.read() else {
            return Vec::new();
        };
        let dictionary = &inner.values[facet.index()];
        counted(totals, &dictionary.values)
    }

    /// The region paths counted in `totals` (by global path id), with their counts.
    pub(crate) fn paths(&self, totals: &[u64]) -> Vec<(RegionPath, u64)> {
        let Ok(inner) = self.inner.read() else {
            return Vec::new();
        };
        counted(totals, &inner.paths.values)
    }
}

fn poisoned() -> tantivy::TantivyError {
    tantivy::TantivyError::InternalError("a facet codes lock was poisoned".into())
}

/// `(value, count)` for every non-zero count.
fn counted<K: Clone>(totals: &[u64], values: &[K]) -> Vec<(K, u64)> {
    totals
        .iter()
        .zip(values)
        .filter(|&(&n, _)| n > 0)
        .map(|(&n, v)| (v.clone(), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_as_narrow_as_their_largest() {
        assert!(matches!(Codes::new(vec![0, 255], 255), Codes::U8(_)));
        assert!(matches!(Codes::new(vec![0, 256], 256), Codes::U16(_)));
        let wide = Codes::new(vec![0, 70_000, 3], 70_000);
        assert!(matches!(wide, Codes::U32(_)));
        assert_eq!((wide.get(1), wide.get(2), wide.get(9)), (70_000, 3, 0));
    }

    #[test]
    fn counts_move_to_global_ids() {
        let mut dictionary = Dictionary::default();
        dictionary.intern(&Value::from("甲"));
        // The segment's values 乙 and 甲 (codes 1 and 2) are global ids 1 and 0.
        let facet = Read {
            codes: vec![1, 2, 0, 1],
            offsets: None,
            values: vec![Value::from("乙"), Value::from("甲")],
        }
        .coded(&mut dictionary);
        let mut counts = vec![0; facet.num_codes()];
        for doc in 0..4 {
            facet.count(doc, &mut counts);
        }
        assert_eq!(counts, vec![1, 2, 1]);
        let mut totals = Vec::new();
        facet.add_to(&counts, &mut totals);
        assert_eq!(totals, vec![1, 2]);
        assert_eq!(
            counted(&totals, &dictionary.values),
            vec![(Value::from("甲"), 1), (Value::from("乙"), 2)]
        );
    }

    #[test]
    fn a_multi_valued_facet_counts_each_value() {
        let mut dictionary = Dictionary::default();
        let facet = Read {
            codes: vec![1, 2, 2],
            offsets: Some(vec![0, 2, 2, 3]),
            values: vec![Value::from("教育"), Value::from("医疗")],
        }
        .coded(&mut dictionary);
        let mut counts = vec![0; facet.num_codes()];
        for doc in 0..3 {
            facet.count(doc, &mut counts);
        }
        assert_eq!(counts, vec![0, 1, 2]);
    }
}
