//! One segment's coded facets: each document's codes side by side in a row, and the counting
//! of hits by code.
//!
//! A code is a value's *global* id plus one (0: no value), so every segment counts into
//! arrays indexed alike and a search's segments merge by adding arrays (see [`add_counts`]).
//! Mapping each segment's own codes to global ids when its counts were merged cost a scattered
//! addition per value of every facet per segment (thousands of departments and region paths
//! in each of a large index's segments): 6% of the server's CPU under load (BENCHMARKS.md).

use rustc_hash::FxHashMap;
use tantivy::DocId;

use super::combinations::Combinations;
use super::{FACET_COUNT, Facet};
use crate::segment_columns::SegmentColumns;

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

    /// Heap bytes held.
    fn bytes(&self) -> usize {
        match self {
            Codes::U8(c) => c.len(),
            Codes::U16(c) => c.len() * 2,
            Codes::U32(c) => c.len() * 4,
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
}

/// One facet of one segment: each document's code (its value's global id plus one, 0 for
/// none) while the segment's rows are built.
///
/// A multi-valued facet (the topics) codes each document's *set* of values: a reply has one
/// to three of the 16 topics, so an index holds a few hundred distinct sets, and a hit is
/// counted by one increment in its row like any other facet (reading each document's list
/// from an offsets array and a values array cost two more memory reads a hit). A set's count
/// goes to each of its values once the segments' counts are merged
/// ([`super::FacetCodes::values`]).
pub(super) struct CodedFacet {
    codes: Codes,
    /// The largest code plus one: the length of a count array for this segment.
    num_codes: usize,
}

impl CodedFacet {
    /// A facet from each document's code (a global id plus one, 0 for no value).
    pub(super) fn new(codes: Vec<u32>) -> Self {
        let max = codes.iter().copied().max().unwrap_or(0);
        CodedFacet {
            codes: Codes::new(codes, max),
            num_codes: max as usize + 1,
        }
    }

    /// A facet the segment has no column for: every document has no value.
    pub(super) fn absent() -> Self {
        CodedFacet::new(Vec::new())
    }
}

/// A search's counts of every facet by code (`[facet.index()]`; empty for a facet not
/// counted). Codes are global, so every segment of a search counts into the same arrays.
pub(crate) type FacetCounts = [Vec<u32>; FACET_COUNT];

/// Adds `counts` into `totals` (both by code; `totals` grows to fit).
pub(crate) fn add_counts(totals: &mut Vec<u32>, counts: &[u32]) {
    if totals.len() < counts.len() {
        totals.resize(counts.len(), 0);
    }
    for (total, &n) in totals.iter_mut().zip(counts) {
        *total = total.saturating_add(n);
    }
}

/// The codes of a run of documents, side by side in [`Facet::ALL`]'s order (the topics by
/// their set; 0 in the slots of [`Facet::per_document`] facets), then their combination of
/// the segment's small facets (slot [`COMBINATION`]; see [`Combinations`]): counting a hit
/// reads one row (one cache line) instead of one array per facet.
pub(super) type Row = [u16; FACET_COUNT + 1];

/// In a row: the slot of the row's combination of small facets ([`Combinations`]).
pub(super) const COMBINATION: usize = FACET_COUNT;

/// In a row: the code is too large for a `u16` and is in the segment's overflow.
const OVERFLOW: u16 = u16::MAX;

/// A row number no document has (past the segment's documents).
const NO_ROW: u32 = u32::MAX;

/// A search's counts of one coded facet by code, counting one segment's hits (the array
/// holds the earlier segments' counts too: codes are global).
pub(crate) struct Counter<D> {
    pub facet: Facet,
    /// What the caller tells counters apart by (the collector's filter dimension).
    pub dim: D,
    pub counts: Vec<u32>,
}

/// Counts the code in `slot` of each of the rows numbered `rows_of` into `counts`
/// (`overflow`: the slot's codes too large for a row, by row number; without any, the loop has
/// no test for them).
fn tally(
    rows: &[Row],
    slot: usize,
    overflow: &FxHashMap<u32, u32>,
    rows_of: &[u32],
    counts: &mut [u32],
) {
    if overflow.is_empty() {
        for &r in rows_of {
            if let Some(row) = rows.get(r as usize)
                && let Some(n) = counts.get_mut(usize::from(row[slot]))
            {
                *n += 1;
            }
        }
        return;
    }
    for &r in rows_of {
        if let Some(row) = rows.get(r as usize) {
            let code = match row[slot] {
                OVERFLOW => overflow.get(&r).copied().unwrap_or(0),
                code => u32::from(code),
            };
            if let Some(n) = counts.get_mut(code as usize) {
                *n += 1;
            }
        }
    }
}

/// One segment's counters of a search ([`SegmentCodes::tally`]), and the hits counted by
/// their combination of small facets that are not in those facets' counts yet
/// ([`SegmentCodes::counted`] puts them there).
pub(crate) struct Tally<D> {
    counters: Vec<Counter<D>>,
    /// Hits by combination ([`Combinations`]); empty when fewer than two counters' facets
    /// are combined.
    combined: Vec<u32>,
}

impl<D> Default for Tally<D> {
    fn default() -> Self {
        Tally {
            counters: Vec::new(),
            combined: Vec::new(),
        }
    }
}

/// Counts the code of each of `docs` in a facet coded per document.
fn tally_own(codes: &Codes, docs: &[DocId], counts: &mut [u32]) {
    fn each<C: Copy + Into<u32>>(codes: &[C], docs: &[DocId], counts: &mut [u32]) {
        for &doc in docs {
            if let Some(&code) = codes.get(doc as usize)
                && let Some(n) = counts.get_mut(code.into() as usize)
            {
                *n += 1;
            }
        }
    }
    match codes {
        Codes::U8(c) => each(c, docs, counts),
        Codes::U16(c) => each(c, docs, counts),
        Codes::U32(c) => each(c, docs, counts),
    }
}

/// Which row each document of a segment reads. A reply's commitments share its facets (but for
/// their own, [`Facet::per_document`]) and mostly follow it in the segment, so documents in a
/// row with the same codes share one row, numbered in document order: a document's row is the
/// row of the first document of its block of [`BLOCK`] plus its own offset from it (at most
/// `BLOCK - 1`: a byte). A bitset of run starts would be smaller, but its rank needs a
/// population count, which the portable x86-64 target does in software: ~20 instructions a
/// hit, against ~3.
struct Runs {
    /// The row of each block's first document.
    base: Box<[u32]>,
    /// Each document's row less its block's base.
    offset: Box<[u8]>,
}

/// Documents per block of [`Runs`].
const BLOCK: usize = 256;

impl Runs {
    /// The row of `doc` ([`NO_ROW`] past the segment's documents).
    #[inline]
    fn row(&self, doc: DocId) -> u32 {
        match (
            self.offset.get(doc as usize),
            self.base.get(doc as usize / BLOCK),
        ) {
            (Some(&offset), Some(&base)) => base + u32::from(offset),
            _ => NO_ROW,
        }
    }
}

/// The coded facets of one segment.
pub(crate) struct SegmentCodes {
    /// Each facet's largest code in the segment plus one, in [`Facet::ALL`]'s order.
    num_codes: [usize; FACET_COUNT],
    runs: Runs,
    rows: Box<[Row]>,
    /// The small facets counted by their combination, if the segment has two or more.
    combinations: Option<Combinations>,
    /// The segment's id and date columns, opened with its codes (none in a test's segment).
    columns: Option<SegmentColumns>,
    /// The codes of the facets coded per document ([`Facet::per_document`]), by document.
    own: [Option<Codes>; FACET_COUNT],
    /// Per facet, the rows whose code does not fit in a row ([`OVERFLOW`] there), by row
    /// number. Codes are global: a value first seen after 65,534 others of its facet
    /// (departments, in an index of several hundred thousand replies) has a large one, and
    /// few documents do.
    overflow: [FxHashMap<u32, u32>; FACET_COUNT],
}

impl SegmentCodes {
    pub(super) fn new(facets: Vec<CodedFacet>, max_doc: DocId) -> Self {
        let num_codes = std::array::from_fn(|slot| facets.get(slot).map_or(1, |f| f.num_codes));
        let mut own: [Option<Codes>; FACET_COUNT] = Default::default();
        let mut shared = Vec::with_capacity(FACET_COUNT);
        for (slot, facet) in facets.into_iter().enumerate() {
            match Facet::ALL.get(slot) {
                Some(f) if f.per_document() => own[slot] = Some(facet.codes),
                _ => shared.push((slot, facet.codes)),
            }
        }
        let mut base = Vec::with_capacity((max_doc as usize).div_ceil(BLOCK));
        let mut offset = Vec::with_capacity(max_doc as usize);
        let mut overflow: [FxHashMap<u32, u32>; FACET_COUNT] = Default::default();
        let mut rows: Vec<Row> = Vec::new();
        // The codes of the document before, then of this one (a document in the same run
        // changes none of them).
        let mut wide = [0u32; FACET_COUNT];
        for doc in 0..max_doc as usize {
            let mut changed = rows.is_empty();
            for (slot, codes) in &shared {
                let code = codes.get(doc);
                changed |= wide[*slot] != code;
                wide[*slot] = code;
            }
            if changed {
                // Row numbers stay below `max_doc`, a `u32`.
                let number = rows.len() as u32;
                let mut row = [0; FACET_COUNT + 1];
                for (slot, (code, &wide)) in row.iter_mut().zip(&wide).enumerate() {
                    *code = match u16::try_from(wide) {
                        Ok(narrow) if narrow != OVERFLOW => narrow,
                        _ => {
                            overflow[slot].insert(number, wide);
                            OVERFLOW
                        }
                    };
                }
                rows.push(row);
            }
            let row = rows.len() as u32 - 1;
            if doc % BLOCK == 0 {
                base.push(row);
            }
            // A block's documents are at most `BLOCK - 1` rows past its first one's.
            offset.push(row.saturating_sub(base.last().copied().unwrap_or(0)) as u8);
        }
        let shared: Vec<usize> = shared.iter().map(|(slot, _)| *slot).collect();
        let combinations = Combinations::number(&mut rows, &shared, &num_codes);
        SegmentCodes {
            num_codes,
            combinations,
            runs: Runs {
                base: base.into_boxed_slice(),
                offset: offset.into_boxed_slice(),
            },
            rows: rows.into_boxed_slice(),
            own,
            overflow,
            columns: None,
        }
    }

    /// The codes with the segment's id and date columns, opened.
    pub(super) fn with_columns(mut self, columns: SegmentColumns) -> Self {
        self.columns = Some(columns);
        self
    }

    /// The segment's id and date columns, when opened with its codes.
    pub(crate) fn columns(&self) -> Option<&SegmentColumns> {
        self.columns.as_ref()
    }

    /// A counter of `facet` for this segment, counting into `counts` (the search's counts so
    /// far, made long enough for this segment's codes).
    pub(crate) fn counter<D>(&self, facet: Facet, dim: D, mut counts: Vec<u32>) -> Counter<D> {
        let len = self.num_codes[facet.index()];
        if counts.len() < len {
            counts.resize(len, 0);
        }
        Counter { facet, dim, counts }
    }

    /// The segment's counters of a search: each hit that passes every filter is counted in
    /// all of them ([`Self::count_all`]), one that fails one filter in some
    /// ([`Self::count_where`]); [`Self::counted`] gives them back, every count in.
    pub(crate) fn tally<D>(&self, counters: Vec<Counter<D>>) -> Tally<D> {
        let combined = match &self.combinations {
            Some(c) if counters.iter().filter(|k| c.combines(k.facet)).count() >= 2 => {
                vec![0; c.len()]
            }
            _ => Vec::new(),
        };
        Tally { counters, combined }
    }

    /// Counts each of `docs` in every counter of `tally` (the combined facets by their
    /// combination).
    pub(crate) fn count_all<D: Copy>(&self, docs: &[DocId], tally: &mut Tally<D>) {
        let combined = match &self.combinations {
            Some(c) if !tally.combined.is_empty() => Some((c, tally.combined.as_mut_slice())),
            _ => None,
        };
        self.count(docs, &mut tally.counters, combined, |_| true);
    }

    /// Counts each of `docs` in the counters of `tally` that `wanted` accepts.
    pub(crate) fn count_where<D: Copy>(
        &self,
        docs: &[DocId],
        tally: &mut Tally<D>,
        wanted: impl Fn(D) -> bool,
    ) {
        self.count(docs, &mut tally.counters, None, wanted);
    }

    /// The counters of `tally` with the counts by combination spread into their facets.
    pub(crate) fn counted<D>(&self, tally: Tally<D>) -> Vec<Counter<D>> {
        let Tally {
            mut counters,
            combined,
        } = tally;
        if let Some(c) = self.combinations.as_ref().filter(|_| !combined.is_empty()) {
            c.spread(&combined, &mut counters);
        }
        counters
    }

    /// Counts each of `docs` in every one of `counters` that `wanted` accepts, those of
    /// facets in `combined` by their combination instead: the documents' rows found once,
    /// then a facet at a time over the whole batch (a tight loop over the rows instead of
    /// every counter for each document; ~200 instructions a hit before).
    fn count<D: Copy>(
        &self,
        docs: &[DocId],
        counters: &mut [Counter<D>],
        combined: Option<(&Combinations, &mut [u32])>,
        wanted: impl Fn(D) -> bool,
    ) {
        const CHUNK: usize = 256;
        let no_overflow = FxHashMap::default();
        let mut rows_of = [NO_ROW; CHUNK];
        let (combinations, mut combined) = combined.unzip();
        let by_combination = |c: &Counter<D>| combinations.is_some_and(|k| k.combines(c.facet));
        let shared = combined.is_some()
            || counters
                .iter()
                .any(|c| wanted(c.dim) && self.own[c.facet.index()].is_none());
        for docs in docs.chunks(CHUNK) {
            if shared {
                for (row, &doc) in rows_of.iter_mut().zip(docs) {
                    *row = self.runs.row(doc);
                }
            }
            let rows_of = &rows_of[..docs.len()];
            if let Some(counts) = &mut combined {
                tally(&self.rows, COMBINATION, &no_overflow, rows_of, counts);
            }
            for c in counters
                .iter_mut()
                .filter(|c| wanted(c.dim) && !by_combination(c))
            {
                let slot = c.facet.index();
                match &self.own[slot] {
                    Some(codes) => tally_own(codes, docs, &mut c.counts),
                    None => tally(
                        &self.rows,
                        slot,
                        &self.overflow[slot],
                        rows_of,
                        &mut c.counts,
                    ),
                }
            }
        }
    }

    /// The code of `doc`'s value of `facet` (0: none).
    #[inline]
    pub(crate) fn code(&self, doc: DocId, facet: Facet) -> u32 {
        let slot = facet.index();
        if let Some(Some(own)) = self.own.get(slot) {
            return own.get(doc as usize);
        }
        let row = self.runs.row(doc);
        match self.rows.get(row as usize).and_then(|r| r.get(slot)) {
            Some(&OVERFLOW) => self
                .overflow
                .get(slot)
                .and_then(|o| o.get(&row))
                .copied()
                .unwrap_or(0),
            Some(&code) => u32::from(code),
            None => 0,
        }
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        let overflow: usize = self.overflow.iter().map(|o| o.capacity() * 16).sum();
        let own: usize = self.own.iter().flatten().map(Codes::bytes).sum();
        let runs = self.runs.base.len() * 4 + self.runs.offset.len();
        let combinations = self.combinations.as_ref().map_or(0, Combinations::bytes);
        self.rows.len() * std::mem::size_of::<Row>() + overflow + own + runs + combinations
    }

    /// The facets counted by their combination, and how many combinations the segment has.
    pub(crate) fn combined_facets(&self) -> Option<(Vec<Facet>, usize)> {
        let c = self.combinations.as_ref()?;
        Some((c.facets().collect(), c.len()))
    }

    /// How many rows the segment's documents share.
    #[cfg(test)]
    fn row_count(&self) -> usize {
        self.rows.len()
    }
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
    fn codes_too_large_for_a_row_are_counted_from_the_overflow() {
        let mut facets: Vec<CodedFacet> = (0..FACET_COUNT).map(|_| CodedFacet::absent()).collect();
        // 65,535 is the row's overflow mark itself: it overflows too.
        facets[Facet::Department.index()] = CodedFacet::new(vec![3, 70_000, 65_535, 0, 70_000]);
        let segment = SegmentCodes::new(facets, 5);
        let [counts] = counted(&segment, [Facet::Department], &[&[0, 1, 2], &[3, 4]]);
        assert_eq!(counts.len(), 70_001);
        let at = |code: usize| counts[code];
        assert_eq!((at(0), at(3), at(65_535), at(70_000)), (1, 1, 1, 2));
        assert_eq!(counts.iter().sum::<u32>(), 5);
    }

    /// The counts of `facets` in `segment` over `batches` of hits (each passing every filter).
    fn counted<const N: usize>(
        segment: &SegmentCodes,
        facets: [Facet; N],
        batches: &[&[DocId]],
    ) -> [Vec<u32>; N] {
        let mut tally = segment.tally(facets.map(|f| segment.counter(f, (), Vec::new())).into());
        for batch in batches {
            segment.count_all(batch, &mut tally);
        }
        let mut counters = segment.counted(tally).into_iter();
        facets.map(|_| counters.next().map(|c| c.counts).unwrap_or_default())
    }

    /// A segment of `docs` documents with each document's codes of these facets (every other
    /// facet absent).
    fn segment_of(columns: &[(Facet, Vec<u32>)], docs: DocId) -> SegmentCodes {
        let facets = Facet::ALL
            .iter()
            .map(|f| match columns.iter().find(|(c, _)| c == f) {
                Some((_, codes)) => CodedFacet::new(codes.clone()),
                None => CodedFacet::absent(),
            })
            .collect();
        SegmentCodes::new(facets, docs)
    }

    #[test]
    fn a_reply_and_its_commitments_share_a_row_but_count_their_own_strength() {
        // Two replies, each followed by its commitments: departments 1 and 2; strengths only
        // on commitments (codes 1 and 2), a per-document facet.
        let department = vec![1, 1, 1, 1, 2, 2, 2];
        let strength = vec![0, 1, 2, 1, 0, 2, 2];
        let segment = segment_of(
            &[(Facet::Department, department), (Facet::Strength, strength)],
            7,
        );
        assert_eq!(segment.row_count(), 2);
        let [department, strength] = counted(
            &segment,
            [Facet::Department, Facet::Strength],
            &[&[0, 2, 3, 5, 6]],
        );
        assert_eq!(department, vec![0, 3, 2]);
        assert_eq!(strength, vec![1, 1, 3]);
    }

    #[test]
    fn small_facets_are_counted_by_their_combination_unless_there_are_too_many() {
        // Two facets of 40 codes each: 1,600 combinations, more than a segment counts by.
        let docs = 1_600;
        let year: Vec<u32> = (0..docs).map(|d| d % 40).collect();
        let level: Vec<u32> = (0..docs).map(|d| d / 40).collect();
        let many = segment_of(&[(Facet::Year, year), (Facet::Level, level)], docs);
        assert!(many.combinations.is_none());
        // Fewer combinations: counted by them, with the same counts as each facet's own.
        let year: Vec<u32> = (0..docs).map(|d| d % 4).collect();
        let level: Vec<u32> = (0..docs).map(|d| d % 3 + 1).collect();
        let few = segment_of(&[(Facet::Year, year), (Facet::Level, level)], docs);
        assert_eq!(few.combinations.as_ref().map(Combinations::len), Some(12));
        let hits: Vec<DocId> = (0..docs).step_by(5).collect();
        let tally = few.tally(vec![
            few.counter(Facet::Year, (), Vec::new()),
            few.counter(Facet::Level, (), Vec::new()),
        ]);
        assert_eq!(tally.combined.len(), 12);
        let [year, level] = counted(&few, [Facet::Year, Facet::Level], &[&hits]);
        assert_eq!(year, vec![80, 80, 80, 80]);
        assert_eq!(level, vec![0, 107, 106, 107]);
        // One combined facet counted alone is counted directly.
        let tally = few.tally(vec![few.counter(Facet::Year, (), Vec::new())]);
        assert!(tally.combined.is_empty());
        let [year] = counted(&few, [Facet::Year], &[&hits]);
        assert_eq!(year, vec![80, 80, 80, 80]);
    }

    proptest::proptest! {
        /// However documents fall into runs (across blocks, with overflowing codes, small
        /// facets counted by their combination), counting hits by rows gives each document's
        /// own codes' counts; a hit that fails one filter counts in that filter's facets only;
        /// each document's code, read for a filter, is its own.
        #[test]
        fn counts_by_row_are_counts_by_document(
            runs in proptest::collection::vec(
                (0u32..4, 0u32..3, 1usize..150, 0u32..3, 0u32..3, 0u32..6),
                1..20,
            ),
            hit_every in 1usize..5,
            fail_every in 2usize..9,
        ) {
            let mut region = Vec::new();
            let mut department = Vec::new();
            let mut strength = Vec::new();
            let mut level = Vec::new();
            let mut year = Vec::new();
            for (r, d, len, s, l, y) in &runs {
                for i in 0..*len {
                    region.push(*r);
                    // A department code past a row's `u16`: kept in the overflow.
                    department.push(if *d == 2 { 70_000 } else { *d });
                    strength.push((*s + i as u32) % 3);
                    level.push(*l);
                    year.push(*y);
                }
            }
            let docs = region.len() as DocId;
            let columns = [
                (Facet::Region, region),
                (Facet::Department, department),
                (Facet::Strength, strength),
                (Facet::Level, level),
                (Facet::Year, year),
            ];
            let segment = segment_of(&columns, docs);
            proptest::prop_assert!(segment.row_count() <= runs.len());
            // A document's code, as a filter reads it, is its own (0 past the segment).
            for (facet, column) in &columns {
                for doc in 0..docs + 64 {
                    let own = column.get(doc as usize).copied().unwrap_or(0);
                    proptest::prop_assert_eq!(segment.code(doc, *facet), own, "{:?}", facet);
                }
            }
            // Documents past the segment's count nothing.
            let mut hits: Vec<DocId> = (0..docs).step_by(hit_every).collect();
            hits.extend([docs, docs + 5, docs + 64]);
            // Each facet's filter dimension: the level's hits every `fail_every`th fail
            // another filter (dimension 1), so they count in the region's facet only.
            let dim = |f: Facet| u8::from(f == Facet::Region);
            let fails = |i: usize| i.is_multiple_of(fail_every);
            let counters = columns.iter().map(|(f, _)| segment.counter(*f, dim(*f), Vec::new()));
            let mut tally = segment.tally(counters.collect());
            // In batches of uneven sizes, like the collector's.
            let passed: Vec<DocId> = (0..hits.len())
                .filter(|&i| !fails(i))
                .map(|i| hits[i])
                .collect();
            for batch in passed.chunks(97) {
                segment.count_all(batch, &mut tally);
            }
            let failed: Vec<DocId> = (0..hits.len())
                .filter(|&i| fails(i))
                .map(|i| hits[i])
                .collect();
            for batch in failed.chunks(41) {
                segment.count_where(batch, &mut tally, |d| d == 1);
            }
            for (counter, (facet, column)) in segment.counted(tally).iter().zip(&columns) {
                let mut expected = vec![0u32; counter.counts.len()];
                for (i, &doc) in hits.iter().enumerate() {
                    if let Some(&code) = column.get(doc as usize)
                        && (!fails(i) || dim(*facet) == 1)
                    {
                        expected[code as usize] += 1;
                    }
                }
                proptest::prop_assert_eq!(&counter.counts, &expected, "{:?}", facet);
            }
        }
    }
}
