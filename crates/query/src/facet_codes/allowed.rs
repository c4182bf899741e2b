//! Filters answered from the facet codes: the codes of a facet whose values pass a filter.
//!
//! A filter read from a segment's string column (the document's ordinals through the column's
//! optional index, then compared with the filter's) cost about 120 instructions a hit, and a
//! filtered search tests every hit of its words: a third of a broad commitment search's
//! instructions (BENCHMARKS.md). The codes hold each document's value already; a filter is the
//! set of codes it lets through, and a hit is tested by one read of its row
//! ([`super::SegmentCodes::code`]).

use super::{Facet, FacetCodes, RegionPath};

/// Whether each code of one facet passes a filter, by code (code 0, no value, never does; a
/// code past the end, of a value numbered later, does not either).
pub(crate) type Allowed = Box<[bool]>;

impl FacetCodes {
    /// The codes of `facet` whose value is one of `values`; of the topics (coded by their
    /// set), the codes of the sets that hold one of them. `None` if the dictionaries'
    /// lock is poisoned.
    pub(crate) fn allowed_values(&self, facet: Facet, values: &[String]) -> Option<Allowed> {
        let inner = self.inner.read().ok()?;
        let dictionary = inner.values.get(facet.index())?;
        let ids: Vec<u32> = values
            .iter()
            .filter_map(|v| dictionary.ids.get(v.as_str()).copied())
            .collect();
        if facet == Facet::Topic {
            let sets = inner.topic_sets.values.iter();
            return Some(
                std::iter::once(false)
                    .chain(sets.map(|set| set.iter().any(|t| ids.contains(t))))
                    .collect(),
            );
        }
        let mut allowed = vec![false; dictionary.values.len() + 1];
        for id in ids {
            if let Some(a) = allowed.get_mut(id as usize + 1) {
                *a = true;
            }
        }
        Some(allowed.into_boxed_slice())
    }

    /// The codes of `facet` whose value `passes` accepts (for facets of few values: each is
    /// tested).
    pub(crate) fn allowed_where(
        &self,
        facet: Facet,
        passes: impl Fn(&str) -> bool,
    ) -> Option<Allowed> {
        let inner = self.inner.read().ok()?;
        let dictionary = inner.values.get(facet.index())?;
        Some(
            std::iter::once(false)
                .chain(dictionary.values.iter().map(|v| passes(v)))
                .collect(),
        )
    }

    /// The codes of the region paths that `passes` accepts.
    pub(crate) fn allowed_paths(&self, passes: impl Fn(&RegionPath) -> bool) -> Option<Allowed> {
        let inner = self.inner.read().ok()?;
        Some(
            std::iter::once(false)
                .chain(inner.paths.values.iter().map(passes))
                .collect(),
        )
    }
}
