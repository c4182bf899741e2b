//! A backed word's BM25 weights in a segment, and the bounds of its score that need no field
//! length ([`super::BackedWordScorer::bound`]).

use tantivy::Score;
use tantivy::query::Bm25Weight;

/// Frequencies whose score bounds are computed once per segment.
const BOUNDED_FREQS: usize = 16;

/// The weights of a backed word's parts, boosted.
pub(super) struct Scoring {
    /// `None` without a word (a quoted phrase).
    pub(super) word_bm25: Option<Bm25Weight>,
    pub(super) phrase_bm25: Bm25Weight,
    /// The most the word's BM25 gives a frequency of fewer than [`BOUNDED_FREQS`] (at the
    /// shortest field length).
    word_bounds: [Score; BOUNDED_FREQS],
    /// The same for the phrase.
    phrase_bounds: [Score; BOUNDED_FREQS],
    /// The most the phrase's BM25 gives any frequency.
    pub(super) phrase_max: Score,
}

/// The most `bm25` gives `tf` in any document: its score at the shortest field length (a
/// longer field scores less, in floating point too: the length's term only grows).
fn bm25_bound(bm25: &Bm25Weight, tf: u32) -> Score {
    bm25.score(0, tf)
}

fn bound_of(bounds: &[Score; BOUNDED_FREQS], bm25: &Bm25Weight, tf: u32) -> Score {
    match bounds.get(tf as usize) {
        Some(&bound) => bound,
        None => bm25_bound(bm25, tf),
    }
}

impl Scoring {
    pub(super) fn new(word_bm25: Option<Bm25Weight>, phrase_bm25: Bm25Weight) -> Self {
        let bounds = |bm25: &Bm25Weight| std::array::from_fn(|tf| bm25_bound(bm25, tf as u32));
        Scoring {
            word_bounds: word_bm25.as_ref().map_or([0.0; BOUNDED_FREQS], bounds),
            phrase_bounds: bounds(&phrase_bm25),
            // tf / (tf + norm) rounds to 1 at this frequency, the most it reaches.
            phrase_max: bm25_bound(&phrase_bm25, u32::MAX),
            word_bm25,
            phrase_bm25,
        }
    }

    /// The most the word's BM25 gives `tf` (0 without a word).
    pub(super) fn word_bound(&self, tf: u32) -> Score {
        match &self.word_bm25 {
            Some(bm25) => bound_of(&self.word_bounds, bm25, tf),
            None => 0.0,
        }
    }

    /// The most the phrase's BM25 gives `tf`.
    pub(super) fn phrase_bound(&self, tf: u32) -> Score {
        bound_of(&self.phrase_bounds, &self.phrase_bm25, tf)
    }
}
