//! One segment's coded facets: each document's codes side by side in a row, the topics'
//! lists, each code's global id, and the counting of hits by code.

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

/// One facet of one segment: each document's codes, and each code's global id.
pub(super) struct CodedFacet {
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
    /// A facet from each document's codes (each value's, with `offsets`) and each code's
    /// global id (`globals[0]`, for no value, unused).
    pub(super) fn new(codes: Vec<u32>, offsets: Option<Vec<u32>>, globals: Vec<u32>) -> Self {
        let max = u32::try_from(globals.len().saturating_sub(1)).unwrap_or(u32::MAX);
        CodedFacet {
            codes: Codes::new(codes, max),
            offsets: offsets.map(Vec::into_boxed_slice),
            globals: globals.into_boxed_slice(),
        }
    }

    /// A facet the segment has no column for: every document has no value.
    pub(super) fn absent() -> Self {
        CodedFacet {
            codes: Codes::U8(Box::new([])),
            offsets: None,
            globals: Box::new([0]),
        }
    }

    /// Codes per segment value, 0 included: the length of a count array for [`Self::count`].
    pub(super) fn num_codes(&self) -> usize {
        self.globals.len()
    }

    /// Counts each of `docs`' values into `counts` (indexed by code; `counts[0]` counts
    /// documents without a value), the width of the codes matched once for the batch.
    pub(super) fn count_all(&self, docs: &[DocId], counts: &mut [u32]) {
        match &self.codes {
            Codes::U8(codes) => self.count_each(codes, docs, counts),
            Codes::U16(codes) => self.count_each(codes, docs, counts),
            Codes::U32(codes) => self.count_each(codes, docs, counts),
        }
    }

    fn count_each<T: Copy + Into<u32>>(&self, codes: &[T], docs: &[DocId], counts: &mut [u32]) {
        let mut add = |i: usize| {
            let code: u32 = codes.get(i).map_or(0, |&c| c.into());
            if let Some(n) = counts.get_mut(code as usize) {
                *n += 1;
            }
        };
        match &self.offsets {
            None => docs.iter().for_each(|&doc| add(doc as usize)),
            Some(offsets) => {
                for &doc in docs {
                    let doc = doc as usize;
                    if let (Some(&start), Some(&end)) = (offsets.get(doc), offsets.get(doc + 1)) {
                        (start as usize..end as usize).for_each(&mut add);
                    }
                }
            }
        }
    }

    /// Adds a segment's `counts` (by code) into `totals` (by global id).
    pub(super) fn add_to(&self, counts: &[u32], totals: &mut Vec<u64>) {
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
    /// Each facet's global ids (and the topics' codes).
    facets: Vec<CodedFacet>,
    rows: Rows,
}

impl SegmentCodes {
    pub(super) fn new(mut facets: Vec<CodedFacet>, max_doc: DocId) -> Self {
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
            match (c.slot, &self.rows) {
                (Some(slot), Rows::Narrow(rows)) => tally(rows, slot, docs, &mut c.counts),
                (Some(slot), Rows::Wide(rows)) => tally(rows, slot, docs, &mut c.counts),
                (None, _) => self.facets[c.facet.index()].count_all(docs, &mut c.counts),
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
