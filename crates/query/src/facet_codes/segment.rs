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

use super::{FACET_COUNT, Facet};

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

/// A document's code of every facet, side by side in [`Facet::ALL`]'s order (the topics by
/// their set): counting a hit reads one row (one cache line) instead of one array per facet.
type Row = [u16; FACET_COUNT];

/// In a row: the code is too large for a `u16` and is in the segment's overflow.
const OVERFLOW: u16 = u16::MAX;

/// A search's counts of one coded facet by code, counting one segment's hits (the array
/// holds the earlier segments' counts too: codes are global).
pub(crate) struct Counter<D> {
    pub facet: Facet,
    /// What the caller tells counters apart by (the collector's filter dimension).
    pub dim: D,
    pub counts: Vec<u32>,
}

/// Counts the code in `slot` of each of `docs`' rows into `counts` (`overflow`: the slot's
/// codes too large for a row; without any, the loop has no test for them).
fn tally(
    rows: &[Row],
    slot: usize,
    overflow: &FxHashMap<DocId, u32>,
    docs: &[DocId],
    counts: &mut [u32],
) {
    if overflow.is_empty() {
        for &doc in docs {
            if let Some(row) = rows.get(doc as usize)
                && let Some(n) = counts.get_mut(usize::from(row[slot]))
            {
                *n += 1;
            }
        }
        return;
    }
    for &doc in docs {
        if let Some(row) = rows.get(doc as usize) {
            let code = match row[slot] {
                OVERFLOW => overflow.get(&doc).copied().unwrap_or(0),
                code => u32::from(code),
            };
            if let Some(n) = counts.get_mut(code as usize) {
                *n += 1;
            }
        }
    }
}

/// The coded facets of one segment.
pub(crate) struct SegmentCodes {
    /// Each facet's largest code in the segment plus one, in [`Facet::ALL`]'s order.
    num_codes: [usize; FACET_COUNT],
    rows: Box<[Row]>,
    /// Per facet, the documents whose code does not fit in a row ([`OVERFLOW`] there). Codes
    /// are global: a value first seen after 65,534 others of its facet (departments, in an
    /// index of several hundred thousand replies) has a large one, and few documents do.
    overflow: [FxHashMap<DocId, u32>; FACET_COUNT],
}

impl SegmentCodes {
    pub(super) fn new(facets: Vec<CodedFacet>, max_doc: DocId) -> Self {
        let num_codes = std::array::from_fn(|slot| facets.get(slot).map_or(1, |f| f.num_codes));
        let mut overflow: [FxHashMap<DocId, u32>; FACET_COUNT] = Default::default();
        let mut rows = Vec::with_capacity(max_doc as usize);
        for doc in 0..max_doc {
            let mut row = [0; FACET_COUNT];
            for (slot, (cell, facet)) in row.iter_mut().zip(&facets).enumerate() {
                let code = facet.codes.get(doc as usize);
                *cell = match u16::try_from(code) {
                    Ok(narrow) if narrow != OVERFLOW => narrow,
                    _ => {
                        overflow[slot].insert(doc, code);
                        OVERFLOW
                    }
                };
            }
            rows.push(row);
        }
        SegmentCodes {
            num_codes,
            rows: rows.into_boxed_slice(),
            overflow,
        }
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
    /// Counts each of `docs` in every one of `counters` that `wanted` accepts: a facet at a
    /// time over the whole batch (a tight loop over the documents' rows instead of every
    /// counter for each document; ~200 instructions a hit before).
    pub(crate) fn count_all<D: Copy>(
        &self,
        docs: &[DocId],
        counters: &mut [Counter<D>],
        wanted: impl Fn(D) -> bool,
    ) {
        for c in counters.iter_mut().filter(|c| wanted(c.dim)) {
            let slot = c.facet.index();
            tally(&self.rows, slot, &self.overflow[slot], docs, &mut c.counts);
        }
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        let overflow: usize = self.overflow.iter().map(|o| o.capacity() * 16).sum();
        self.rows.len() * std::mem::size_of::<Row>() + overflow
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
        let mut counters = [segment.counter(Facet::Department, (), Vec::new())];
        segment.count_all(&[0, 1, 2], &mut counters, |_| true);
        segment.count_all(&[3, 4], &mut counters, |_| true);
        let counts = &counters[0].counts;
        assert_eq!(counts.len(), 70_001);
        let at = |code: usize| counts[code];
        assert_eq!((at(0), at(3), at(65_535), at(70_000)), (1, 1, 1, 2));
        assert_eq!(counts.iter().sum::<u32>(), 5);
    }
}
