//! The small facets of a segment counted by their combination: the year, the assembly, the
//! level, the kind of reply and the result class of a hit in one increment.

use rustc_hash::FxHashMap;

use super::segment::{COMBINATION, Counter, Row};
use super::{FACET_COUNT, Facet};

/// The facets of a segment with few codes each (the year, the assembly, the level, the kind
/// of reply, the result class: a few to a few dozen values), counted together: a hit is
/// counted once, by its row's combination of their codes, and each combination's count goes
/// to each of those facets once the segment is walked ([`Combinations::spread`]). A broad
/// search counts thousands of hits, and one pass over a batch's rows for five facets costs
/// fewer instructions than five passes. Which facets are combined is decided per segment, by
/// how many codes each has there ([`SMALL_FACET`]).
pub(super) struct Combinations {
    /// The facets combined, by slot in [`Facet::ALL`].
    slots: Box<[usize]>,
    /// Each combination's codes of `slots`, `slots.len()` a combination.
    codes: Box<[u16]>,
}

/// Most codes of a facet combined with others ([`Combinations`]) in a segment.
const SMALL_FACET: usize = 64;

/// Most combinations a segment counts by: their counts stay in the processor's first cache,
/// and spreading them into the facets' counts costs little next to the hits.
const MOST_COMBINATIONS: usize = 1024;

impl Combinations {
    /// Numbers the combinations of the small facets among `shared` (slots coded in rows) in
    /// `rows` and writes each row's in its [`COMBINATION`] slot; `None` (and no combination
    /// in any row) with fewer than two small facets or too many combinations.
    pub(super) fn number(
        rows: &mut [Row],
        shared: &[usize],
        num_codes: &[usize; FACET_COUNT],
    ) -> Option<Self> {
        let slots: Box<[usize]> = shared
            .iter()
            .copied()
            .filter(|&slot| (2..=SMALL_FACET).contains(&num_codes[slot]))
            .collect();
        if slots.len() < 2 {
            return None;
        }
        let mut numbers: FxHashMap<[u16; FACET_COUNT], u16> = FxHashMap::default();
        let mut codes = Vec::new();
        let mut combination_of = Vec::with_capacity(rows.len());
        for row in rows.iter() {
            let key = std::array::from_fn(|i| slots.get(i).map_or(0, |&slot| row[slot]));
            let next = numbers.len();
            let number = *numbers.entry(key).or_insert_with(|| {
                codes.extend(slots.iter().map(|&slot| row[slot]));
                // At most `MOST_COMBINATIONS` (checked below) fit in a `u16`.
                next as u16
            });
            if numbers.len() > MOST_COMBINATIONS {
                return None;
            }
            combination_of.push(number);
        }
        for (row, number) in rows.iter_mut().zip(combination_of) {
            row[COMBINATION] = number;
        }
        Some(Combinations {
            slots,
            codes: codes.into_boxed_slice(),
        })
    }

    pub(super) fn len(&self) -> usize {
        self.codes.len() / self.slots.len().max(1)
    }

    /// The facets combined.
    pub(super) fn facets(&self) -> impl Iterator<Item = Facet> + '_ {
        self.slots
            .iter()
            .filter_map(|&slot| Facet::ALL.get(slot))
            .copied()
    }

    /// Heap bytes held.
    pub(super) fn bytes(&self) -> usize {
        self.codes.len() * 2 + self.slots.len() * std::mem::size_of::<usize>()
    }

    pub(super) fn combines(&self, facet: Facet) -> bool {
        self.slots.contains(&facet.index())
    }

    /// Adds each combination's count in `combined` (by number) to the counts of its codes
    /// in `counters` of the combined facets.
    pub(super) fn spread<D>(&self, combined: &[u32], counters: &mut [Counter<D>]) {
        // Each combined slot's counter, by place in `slots`.
        let places: Vec<Option<usize>> = self
            .slots
            .iter()
            .map(|&slot| counters.iter().position(|k| k.facet.index() == slot))
            .collect();
        for (codes, &n) in self.codes.chunks_exact(self.slots.len()).zip(combined) {
            if n == 0 {
                continue;
            }
            for (&code, place) in codes.iter().zip(&places) {
                if let Some(count) = place
                    .and_then(|p| counters.get_mut(p))
                    .and_then(|k| k.counts.get_mut(usize::from(code)))
                {
                    *count += n;
                }
            }
        }
    }
}
