//! A backed word's BM25 weights in a segment, and the most they give at any field length
//! (for [`super::BackedWordScorer::bound`] and `body_max`).

use tantivy::Score;
use tantivy::query::Bm25Weight;

/// Frequencies whose score bounds are computed once per segment.
const BOUNDED_FREQS: usize = 16;

/// The weights of a backed word's parts, boosted.
pub(super) struct Scoring {
    /// `None` without a scored word (a quoted phrase).
    pub(super) word_bm25: Option<Bm25Weight>,
    pub(super) phrase_bm25: Bm25Weight,
    /// The most the phrase's BM25 gives a frequency of fewer than [`BOUNDED_FREQS`] (at the
    /// shortest field length).
    phrase_bounds: [Score; BOUNDED_FREQS],
    /// The most the word's BM25 gives any frequency (0 without a word).
    pub(super) word_max: Score,
    /// The most the phrase's BM25 gives any frequency.
    pub(super) phrase_max: Score,
}

/// The most `bm25` gives `tf` in any document: its score at the shortest field length (a
/// longer field scores less, in floating point too: the length's term only grows).
fn bm25_bound(bm25: &Bm25Weight, tf: u32) -> Score {
    bm25.score(0, tf)
}

impl Scoring {
    pub(super) fn new(word_bm25: Option<Bm25Weight>, phrase_bm25: Bm25Weight) -> Self {
        Scoring {
            phrase_bounds: std::array::from_fn(|tf| bm25_bound(&phrase_bm25, tf as u32)),
            // tf / (tf + norm) rounds to 1 at this frequency, the most it reaches.
            word_max: word_bm25
                .as_ref()
                .map_or(0.0, |bm25| bm25_bound(bm25, u32::MAX)),
            phrase_max: bm25_bound(&phrase_bm25, u32::MAX),
            word_bm25,
            phrase_bm25,
        }
    }

    /// The most the phrase's BM25 gives `tf`.
    pub(super) fn phrase_bound(&self, tf: u32) -> Score {
        match self.phrase_bounds.get(tf as usize) {
            Some(&bound) => bound,
            None => bm25_bound(&self.phrase_bm25, tf),
        }
    }
}
