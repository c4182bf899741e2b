//! How an indexing run merges its segments: into segments of a bounded number of documents.
//!
//! tantivy's default (log) policy merges segments of a similar size whenever eight of them
//! exist, without an upper bound on what the merge produces, and a merge maps every segment
//! it reads. At 100,000 replies (three million documents with their commitments) the last
//! merges read about 2 GB of segments, and the run's resident memory grew by as much
//! (BENCHMARKS.md); at a million replies it would have been the whole index. This policy only
//! merges segments below half of [`BoundedMergePolicy::max_docs`], smallest first, in groups of
//! at least [`BoundedMergePolicy::min_segments`] whose documents add up to at most `max_docs`:
//! what one merge reads, and so the run's peak memory, stays bounded whatever the corpus size,
//! at the price of more segments in a large index.
//!
//! Segments are merged with others of their own size tier (a factor of [`TIER_FACTOR`] apart,
//! everything under [`TIER_FLOOR`] documents one tier), as in a log merge. Live updates commit
//! a tiny segment per request: merged with each other they cost little, while a merge that also
//! took the index's 100,000-document segments ran for 15 s and was mostly thrown away when a
//! delete emptied one of its tiny inputs meanwhile (the load test of BENCHMARKS.md). Segments
//! whose documents are all deleted are never merged: the next commit drops them.

use tantivy::index::SegmentMeta;
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// Merges small segments into segments of at most `max_docs` documents (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundedMergePolicy {
    /// Most documents a merge may produce (replies and commitments alike).
    pub max_docs: u32,
    /// Fewest segments worth merging at once (fewer would rewrite the same documents often).
    pub min_segments: usize,
}

impl Default for BoundedMergePolicy {
    /// About 30,000 replies with their commitments per segment, under 1 GB on disk.
    fn default() -> Self {
        BoundedMergePolicy {
            max_docs: 1_000_000,
            min_segments: 4,
        }
    }
}

/// Segments under this many documents are all of the lowest tier.
pub const TIER_FLOOR: u64 = 8_192;
/// Size ratio between one tier and the next.
pub const TIER_FACTOR: u64 = 8;

/// The size tier of a segment of `docs` documents: 0 under [`TIER_FLOOR`], then one more for
/// each factor of [`TIER_FACTOR`].
fn tier(docs: u64) -> u32 {
    let mut tier = 0;
    let mut bound = TIER_FLOOR;
    while docs >= bound {
        tier += 1;
        bound = bound.saturating_mul(TIER_FACTOR);
    }
    tier
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let cap = u64::from(self.max_docs);
        let mut small: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|s| s.num_docs() > 0 && u64::from(s.num_docs()) * 2 < cap)
            .collect();
        small.sort_by_key(|s| (s.num_docs(), s.id()));
        let mut candidates = Vec::new();
        let mut group = Vec::new();
        let mut docs = 0u64;
        let mut group_tier = None;
        for segment in small {
            let n = u64::from(segment.num_docs());
            let segment_tier = tier(n);
            if docs + n > cap || group_tier.is_some_and(|t| t != segment_tier) {
                if group.len() >= self.min_segments {
                    candidates.push(MergeCandidate(std::mem::take(&mut group)));
                }
                group.clear();
                docs = 0;
            }
            group.push(segment.id());
            group_tier = Some(segment_tier);
            docs += n;
        }
        if group.len() >= self.min_segments {
            candidates.push(MergeCandidate(group));
        }
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;

    fn segments(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn merged_sizes(policy: &BoundedMergePolicy, metas: &[SegmentMeta]) -> Vec<u64> {
        policy
            .compute_merge_candidates(metas)
            .iter()
            .map(|c| {
                c.0.iter()
                    .map(|id| {
                        metas
                            .iter()
                            .find(|m| m.id() == *id)
                            .map(|m| u64::from(m.num_docs()))
                            .unwrap_or(0)
                    })
                    .sum()
            })
            .collect()
    }

    #[test]
    fn merges_never_exceed_the_bound() {
        let policy = BoundedMergePolicy {
            max_docs: 1000,
            min_segments: 2,
        };
        let metas = segments(&[100, 200, 300, 400, 450, 480, 600, 900]);
        let sizes = merged_sizes(&policy, &metas);
        assert!(!sizes.is_empty());
        assert!(sizes.iter().all(|&n| n <= 1000), "{sizes:?}");
        // 600 and 900 are at least half the bound: never merged again.
        let merged: Vec<SegmentId> = policy
            .compute_merge_candidates(&metas)
            .into_iter()
            .flat_map(|c| c.0)
            .collect();
        assert!(!merged.contains(&metas[6].id()));
        assert!(!merged.contains(&metas[7].id()));
    }

    #[test]
    fn tiny_segments_merge_with_each_other_and_empty_ones_not_at_all() {
        let policy = BoundedMergePolicy {
            max_docs: 1_000_000,
            min_segments: 4,
        };
        // An indexing run's segments, live updates' one-request segments, and emptied ones.
        let metas = segments(&[100_000, 103_000, 98_000, 30, 25, 0, 40, 35, 0, 31]);
        let candidates = policy.compute_merge_candidates(&metas);
        assert_eq!(candidates.len(), 1);
        let merged = &candidates[0].0;
        let expected: Vec<SegmentId> = [3, 4, 6, 7, 9].iter().map(|&i| metas[i].id()).collect();
        assert_eq!(merged.len(), expected.len());
        assert!(expected.iter().all(|id| merged.contains(id)), "{merged:?}");
        assert_eq!(tier(0), 0);
        assert_eq!(tier(8_191), 0);
        assert_eq!(tier(8_192), 1);
        assert_eq!(tier(100_000), 2);
    }

    #[test]
    fn too_few_small_segments_wait() {
        let policy = BoundedMergePolicy {
            max_docs: 1000,
            min_segments: 4,
        };
        assert!(
            policy
                .compute_merge_candidates(&segments(&[10, 20, 30]))
                .is_empty()
        );
        assert_eq!(merged_sizes(&policy, &segments(&[10, 20, 30, 40])), [100]);
    }
}
