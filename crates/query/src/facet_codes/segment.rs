//! One segment's coded facets: each document's codes side by side in a row, the topics' sets,
//! each code's global id, and the counting of hits by code.

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

    fn bytes(&self) -> usize {
        match self {
            Codes::U8(c) => c.len(),
            Codes::U16(c) => c.len() * 2,
            Codes::U32(c) => c.len() * 4,
        }
    }
}

/// One facet of one segment: each document's code, and each code's global id.
///
/// A multi-valued facet (the topics) codes each document's *set* of values: a reply has one
/// to three of the 16 topics, so a segment holds a few hundred distinct sets, and a hit is
/// counted by one increment in its row like any other facet (reading each document's list
/// from an offsets array and a values array cost two more memory reads a hit). The counts of
/// the sets are added to each of their members' totals when segments merge.
pub(super) struct CodedFacet {
    /// Per document: 0 for no value, `c` for the segment's `c`-th value (or set of values).
    codes: Codes,
    /// For a multi-valued facet: the value codes of each set (`sets[0]`, no value, is empty).
    sets: Option<Sets>,
    /// The global id of each value code (`globals[0]`, for no value, is unused).
    globals: Box<[u32]>,
}

impl CodedFacet {
    /// A facet from each document's codes (each value's, with `offsets`: document `d`'s codes
    /// are `codes[offsets[d]..offsets[d + 1]]`) and each code's global id (`globals[0]`, for no
    /// value, unused).
    pub(super) fn new(codes: Vec<u32>, offsets: Option<Vec<u32>>, globals: Vec<u32>) -> Self {
        let (codes, sets) = match offsets {
            None => (codes, None),
            Some(offsets) => {
                let (docs, sets) = value_sets(&codes, &offsets);
                (docs, Some(sets))
            }
        };
        let max = match &sets {
            Some(sets) => sets.len().saturating_sub(1),
            None => globals.len().saturating_sub(1),
        };
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        CodedFacet {
            codes: Codes::new(codes, max),
            sets,
            globals: globals.into_boxed_slice(),
        }
    }

    /// A facet the segment has no column for: every document has no value.
    pub(super) fn absent() -> Self {
        CodedFacet {
            codes: Codes::U8(Box::new([])),
            sets: None,
            globals: Box::new([0]),
        }
    }

    /// Codes per document, 0 included: the length of a count array.
    pub(super) fn num_codes(&self) -> usize {
        match &self.sets {
            Some(sets) => sets.len(),
            None => self.globals.len(),
        }
    }

    /// Adds a segment's `counts` (by code) into `totals` (by global id); a set's count to each
    /// of its values.
    pub(super) fn add_to(&self, counts: &[u32], totals: &mut Vec<u64>) {
        let mut add = |code: u32, n: u32| {
            if let Some(&id) = self.globals.get(code as usize) {
                let id = id as usize;
                if id >= totals.len() {
                    totals.resize(id + 1, 0);
                }
                totals[id] += u64::from(n);
            }
        };
        for (code, &n) in counts.iter().enumerate().skip(1) {
            if n == 0 {
                continue;
            }
            match &self.sets {
                None => add(code as u32, n),
                Some(sets) => {
                    for &value in sets.get(code).map_or(&[][..], |s| &s[..]) {
                        add(value, n);
                    }
                }
            }
        }
    }

    fn bytes(&self) -> usize {
        self.codes.bytes()
            + self
                .sets
                .as_ref()
                .map_or(0, |s| s.iter().map(|v| 16 + v.len() * 4).sum())
            + self.globals.len() * 4
    }
}

/// The value codes of each set of values, by set code.
type Sets = Box<[Box<[u32]>]>;

/// Each document's set of value codes numbered (0 for none, then in the order first seen), and
/// the sets' codes. `codes[offsets[d]..offsets[d + 1]]` are document `d`'s.
fn value_sets(codes: &[u32], offsets: &[u32]) -> (Vec<u32>, Sets) {
    let mut ids: FxHashMap<Box<[u32]>, u32> = FxHashMap::default();
    let mut sets: Vec<Box<[u32]>> = vec![Box::new([])];
    let docs = offsets
        .windows(2)
        .map(|w| {
            let values = codes.get(w[0] as usize..w[1] as usize).unwrap_or(&[]);
            if values.is_empty() {
                return 0;
            }
            if let Some(&id) = ids.get(values) {
                return id;
            }
            let id = u32::try_from(sets.len()).unwrap_or(u32::MAX);
            sets.push(values.into());
            ids.insert(values.into(), id);
            id
        })
        .collect();
    (docs, sets.into_boxed_slice())
}

/// A document's code of every facet, side by side in [`Facet::ALL`]'s order (the topics by
/// their set): counting a hit reads one row (one cache line) instead of one array per facet.
type Row<T> = [T; FACET_COUNT];

/// Every document's row, in `u16` when every code fits.
enum Rows {
    Narrow(Box<[Row<u16>]>),
    Wide(Box<[Row<u32>]>),
}

/// Counts of one coded facet in one segment, by code, for a search.
pub(crate) struct Counter<D> {
    pub facet: Facet,
    /// What the caller tells counters apart by (the collector's filter dimension).
    pub dim: D,
    pub counts: Vec<u32>,
}

/// Counts the code in `slot` of each of `docs`' rows into `counts`.
fn tally<T: Copy + Into<u32>>(rows: &[Row<T>], slot: usize, docs: &[DocId], counts: &mut [u32]) {
    for &doc in docs {
        if let Some(row) = rows.get(doc as usize) {
            let code: u32 = row[slot].into();
            if let Some(n) = counts.get_mut(code as usize) {
                *n += 1;
            }
        }
    }
}

/// The coded facets of one segment.
pub(crate) struct SegmentCodes {
    /// Each facet's global ids (and the topics' sets), in [`Facet::ALL`]'s order.
    facets: Vec<CodedFacet>,
    rows: Rows,
}

impl SegmentCodes {
    pub(super) fn new(mut facets: Vec<CodedFacet>, max_doc: DocId) -> Self {
        let max_doc = max_doc as usize;
        let narrow = facets
            .iter()
            .all(|f| f.num_codes() <= usize::from(u16::MAX) + 1);
        let code = |facets: &[CodedFacet], slot: usize, doc: usize| {
            facets.get(slot).map_or(0, |f| f.codes.get(doc))
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
        // The rows hold the codes now.
        for facet in &mut facets {
            facet.codes = Codes::U8(Box::new([]));
        }
        SegmentCodes { facets, rows }
    }

    /// A counter of `facet` for this segment.
    pub(crate) fn counter<D>(&self, facet: Facet, dim: D) -> Counter<D> {
        Counter {
            facet,
            dim,
            counts: vec![0; self.facets[facet.index()].num_codes()],
        }
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
            match &self.rows {
                Rows::Narrow(rows) => tally(rows, slot, docs, &mut c.counts),
                Rows::Wide(rows) => tally(rows, slot, docs, &mut c.counts),
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
}
