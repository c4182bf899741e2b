//! A query word in the reply text, backed by its characters in a row: one query, one scorer.
//!
//! Jieba may cut a reply differently from the query (养老服务 inside 居家养老服务 can come out as
//! 居家养老 + 服务), so each word of three characters or more matches either its jieba token in the
//! `text` field or its characters in a row: a phrase of its bigrams in `text_bigrams`. As two
//! tantivy queries in a union, the phrase checked the positions of its bigrams on every reply
//! holding them all, although nearly every such reply also holds the token, which implies the
//! characters in a row (both fields are cut from the same folded text). Those position checks
//! were about a quarter of a broad search at 100,000 replies (BENCHMARKS.md).
//!
//! This scorer walks the token's postings and the bigrams' intersection together and reads
//! positions only for a reply that has the bigrams but not the token. The score is the sum the
//! union gave: the token's BM25 plus `backing_boost` × the phrase's BM25 — except that in a reply
//! holding the token, the phrase's frequency is taken to be the token's (the characters in a
//! row occur at least that often; more only where jieba also cut them apart in that reply).
//!
//! The word's matches in the reply's title and the proposal's title (boosted terms) are part of
//! the same scorer, so a word is one scorer instead of a union of four (tantivy's buffered
//! union refilled and cleared a window of scores for every block of documents: ~12% of a
//! search). A two-character word is its one bigram, whose frequency needs no positions; since
//! every reply holding the token holds that bigram, the bigram's postings alone find the
//! word's matches, and the token's postings are sought only for a document that is scored
//! (`bigram_led`): walking both lists decoded every block of each, for words that are in a
//! third of the replies (资金, 培训), 6% of the end-to-end benchmark's search list.
//!
//! The phrase is made of the bigrams that cover the word (offsets 0, 2, 4, …), but every bigram
//! of the word is sought, the rarest first, before positions are read: a reply holding the
//! characters in a row holds them all, and a rare middle one (疗保 in 医疗保障, 村振 in
//! 乡村振兴) leaves a third as many replies to read positions in as the covering ones (医疗 and
//! 保障, both everywhere) would. The middle ones are never scored.
//!
//! A quoted phrase of three characters or more is the same query without a scored word: its
//! characters in a row only, scored as tantivy's phrase query over the covering bigrams scores
//! them (BM25 of the phrase's frequency), with the sieve in front (a phrase query intersects
//! only the bigrams it scores: "专项资金" read positions in every reply holding 专项 and 资金).
//! When jieba cuts the whole phrase as one word ("下一步"), that token finds the replies holding
//! it without reading positions, as a word's token does, and its frequency is taken for the
//! phrase's there; it adds no score of its own ([`BackedWord::quoted`]). A quoted 下一步 read
//! the positions of 下一 and 一步 in 65,000 of 100,000 replies (BENCHMARKS.md).

mod scoring;
mod synonyms;
mod weight;
mod words;

use scoring::Scoring;
use weight::BackedWordWeight;
#[cfg(test)]
use weight::fieldnorms;

pub(crate) use synonyms::{WithSynonyms, WordScorer};
pub(crate) use words::{WordScoring, Words, WordsScorer};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, TERMINATED, Term};

/// `word` in the text, or its characters in a row (`bigrams`, each with its offset in the
/// phrase: one bigram for a two-character word, two or more for a longer one; and `sieve`,
/// the word's other bigrams, which any reply with the characters in a row holds too), or one
/// of `titles` (the word in a title field, with its boost).
#[derive(Debug, Clone)]
pub(crate) struct BackedWord {
    /// `None` for a quoted phrase that is not one jieba word: its characters in a row only.
    word: Option<Term>,
    /// Whether the word's own BM25 is part of the score: not for a quoted phrase's token,
    /// which only finds the replies that hold the phrase as jieba cut it.
    word_scored: bool,
    bigrams: Vec<(usize, Term)>,
    sieve: Vec<Term>,
    backing_boost: Score,
    titles: Vec<(Term, Score)>,
}

impl BackedWord {
    pub(crate) fn new(
        word: Option<Term>,
        bigrams: Vec<(usize, Term)>,
        sieve: Vec<Term>,
        backing_boost: Score,
        titles: Vec<(Term, Score)>,
    ) -> Self {
        BackedWord {
            word,
            word_scored: true,
            bigrams,
            sieve,
            backing_boost,
            titles,
        }
    }

    /// A quoted phrase (three characters or more): its characters in a row in the text, found
    /// by `token` too where jieba cut the whole phrase as one word (which implies them), scored
    /// as the phrase alone.
    pub(crate) fn quoted(
        token: Option<Term>,
        bigrams: Vec<(usize, Term)>,
        sieve: Vec<Term>,
    ) -> Self {
        BackedWord {
            word: token,
            word_scored: false,
            bigrams,
            sieve,
            backing_boost: 1.0,
            titles: Vec::new(),
        }
    }

    /// The word, or the phrase its bigrams spell (for an explanation).
    fn label(&self) -> String {
        if let Some(word) = self.word.as_ref().filter(|_| self.word_scored) {
            return word.value().as_str().unwrap_or("").to_string();
        }
        let mut chars: Vec<char> = Vec::new();
        for (offset, term) in &self.bigrams {
            for (i, c) in term.value().as_str().unwrap_or("").chars().enumerate() {
                if chars.len() <= offset + i {
                    chars.resize(offset + i + 1, ' ');
                }
                chars[offset + i] = c;
            }
        }
        chars.into_iter().collect()
    }

    /// Whether the bigrams' positions are needed: only to find several in a row.
    fn phrase(&self) -> bool {
        self.bigrams.len() > 1
    }
}

impl Query for BackedWord {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.backed_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        if let Some(word) = &self.word {
            visitor(word, false);
        }
        let phrase = self.phrase();
        for (_, term) in &self.bigrams {
            visitor(term, phrase);
        }
        for term in &self.sieve {
            visitor(term, false);
        }
        for (term, _) in &self.titles {
            visitor(term, false);
        }
    }
}

/// The error of an explanation asked of a document the query does not match.
fn not_a_match(doc: DocId) -> tantivy::TantivyError {
    tantivy::TantivyError::InvalidArgument(format!("document #({doc}) does not match"))
}

/// The word in one title field of a segment.
struct TitleMatch {
    postings: SegmentPostings,
    bm25: Option<Bm25Weight>,
    norms: FieldNormReader,
}

/// One bigram of the word in a segment.
struct Bigram {
    /// The shift that aligns its positions on the phrase's last bigram, for a bigram of the
    /// phrase; `None` for one of the sieve, whose positions are not read.
    shift: Option<u32>,
    postings: SegmentPostings,
}

pub(crate) struct BackedWordScorer {
    word: Option<SegmentPostings>,
    /// Every bigram of the word, the rarest first (empty: one is not in the segment).
    bigrams: Vec<Bigram>,
    /// Whether there are several bigrams to find in a row (else the one bigram's frequency is
    /// the phrase's).
    phrase: bool,
    titles: Vec<TitleMatch>,
    /// The current document: the first of `body_doc` and the titles' documents.
    doc: DocId,
    /// The next document (at or after the last target) that matches in the text.
    body_doc: DocId,
    /// Whether `body_doc` is only where to go on looking: a walk bounded by a limit
    /// ([`BackedWordScorer::settle_before`]) stopped at a document holding every bigram, at or
    /// past the limit, without reading their positions. No document before it matches.
    body_pending: bool,
    /// Whether `body_doc` holds the word's token (once [`BackedWordScorer::settle_word`] has
    /// looked, when `bigram_led`).
    in_word: bool,
    /// A two-character word whose one bigram spells it: every reply holding the token holds
    /// the bigram (both fields are cut from the same folded text), so the bigram's postings
    /// alone find the matches, and the token's are sought only for a document that is scored
    /// (few are: [`Words`] scores only hits whose bound can make the page). Walking both lists
    /// decoded every block of each.
    bigram_led: bool,
    /// Whether `in_word` and `phrase_freq` have been found for `body_doc` (always, unless
    /// `bigram_led`).
    word_settled: bool,
    /// The phrase's frequency in `body_doc` when it does not hold the token.
    phrase_freq: u32,
    scoring: Option<Scoring>,
    word_norms: FieldNormReader,
    bigram_norms: FieldNormReader,
    positions: Vec<u32>,
    other: Vec<u32>,
}

/// The largest frequency up to which a BM25 weight's score is taken to grow with the frequency
/// in floating point. `tf / (tf + k)` is computed in `f32`, and one more occurrence gains less
/// than its rounding only at a few thousand for BM25's smallest length term `k` (0.3); every
/// field length is checked up to this frequency (a unit test).
const MONOTONE_FREQ: u32 = 1024;

/// The postings of the phrase's one bigram, when it has one (not `phrase`: a two-character
/// word).
fn single_bigram(bigrams: &mut [Bigram], phrase: bool) -> Option<&mut SegmentPostings> {
    if phrase {
        return None;
    }
    bigrams
        .iter_mut()
        .find(|b| b.shift.is_some())
        .map(|b| &mut b.postings)
}

impl BackedWordScorer {
    fn word_doc(&self) -> DocId {
        self.word.as_ref().map_or(TERMINATED, DocSet::doc)
    }

    /// The first document at or after `target` and before `limit` where every bigram is;
    /// else a document at or after `limit` (not necessarily one they are all on), or
    /// [`TERMINATED`] when they are all on none. The bigrams are not moved past `limit`: a
    /// document the word's token stands on needs no bigram, so they are sought only across the
    /// gaps between the token's documents.
    fn bigrams_before(&mut self, mut target: DocId, limit: DocId) -> DocId {
        if self.bigrams.is_empty() {
            return TERMINATED;
        }
        'candidates: loop {
            if target >= limit {
                return limit;
            }
            for Bigram { postings, .. } in &mut self.bigrams {
                let doc = if postings.doc() < target {
                    postings.seek(target)
                } else {
                    postings.doc()
                };
                if doc == TERMINATED {
                    return TERMINATED;
                }
                if doc > target {
                    target = doc;
                    continue 'candidates;
                }
            }
            return target;
        }
    }

    /// How often the phrase's bigrams sit in a row in the document they are all on.
    fn phrase_matches(&mut self) -> u32 {
        if !self.phrase {
            return single_bigram(&mut self.bigrams, self.phrase).map_or(0, |p| p.term_freq());
        }
        let mut phrase = self
            .bigrams
            .iter_mut()
            .filter_map(|b| b.shift.map(|shift| (shift, &mut b.postings)));
        let Some((first_shift, first)) = phrase.next() else {
            return 0;
        };
        first.positions_with_offset(first_shift, &mut self.positions);
        for (shift, postings) in phrase {
            if self.positions.is_empty() {
                break;
            }
            postings.positions_with_offset(shift, &mut self.other);
            let other = &self.other;
            let mut j = 0;
            self.positions.retain(|&p| {
                while j < other.len() && other[j] < p {
                    j += 1;
                }
                j < other.len() && other[j] == p
            });
        }
        self.positions.len() as u32
    }

    /// The first document at or after `target` that matches in the text (setting `in_word`
    /// and `phrase_freq`), or [`TERMINATED`]; but a document at or past `limit` whose bigrams'
    /// positions would have to be read is returned unread, `body_pending`.
    // Inlined into `settle` (its one hot caller): the call's spills and returns were ~3% of
    // the instructions of a pass of the search list; inlined, the pass takes 2% fewer.
    #[inline(always)]
    fn body_match(&mut self, mut target: DocId, limit: DocId) -> DocId {
        self.body_pending = false;
        if self.bigram_led {
            self.word_settled = false;
            return match self.bigrams.first_mut() {
                Some(Bigram { postings, .. }) if postings.doc() < target => postings.seek(target),
                Some(Bigram { postings, .. }) => postings.doc(),
                None => TERMINATED,
            };
        }
        loop {
            if self.word_doc() < target
                && let Some(word) = &mut self.word
            {
                word.seek(target);
            }
            let word_doc = self.word_doc();
            let bigram_doc = self.bigrams_before(target, word_doc);
            if word_doc <= bigram_doc {
                // Holding the token implies the characters in a row: no positions read.
                self.in_word = word_doc != TERMINATED;
                return word_doc;
            }
            if bigram_doc >= limit {
                self.body_pending = true;
                return bigram_doc;
            }
            let freq = self.phrase_matches();
            if freq > 0 {
                self.in_word = false;
                self.phrase_freq = freq;
                return bigram_doc;
            }
            target = bigram_doc + 1;
        }
    }

    /// Finds whether the body's document holds the token (and the bigram's frequency when it
    /// does not), for a `bigram_led` word; the token's postings are sought to it.
    fn settle_word(&mut self) {
        if self.word_settled {
            return;
        }
        self.word_settled = true;
        let doc = self.body_doc;
        self.in_word = match &mut self.word {
            Some(word) => {
                (if word.doc() < doc {
                    word.seek(doc)
                } else {
                    word.doc()
                }) == doc
            }
            None => false,
        };
        if !self.in_word {
            self.phrase_freq = self.bigrams.first().map_or(0, |b| b.postings.term_freq());
        }
    }

    /// The first document the titles' postings stand on.
    fn title_doc(&self) -> DocId {
        self.titles
            .iter()
            .map(|t| t.postings.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first matching document at or after `target`.
    fn settle(&mut self, target: DocId) -> DocId {
        self.settle_before(target, TERMINATED)
    }

    /// Moves to the first matching document at or after `target` when it is before `limit`;
    /// else maybe only to a document at or past `limit` that may not match, where to go on
    /// looking ([`BackedWordScorer::exact`] tells): a union needs no match past the first one
    /// another of its words has, and a rare phrase whose bigrams are everywhere would read
    /// positions in every document up to its next match.
    #[inline(always)]
    fn settle_before(&mut self, target: DocId, limit: DocId) -> DocId {
        if self.body_doc < target || self.body_pending {
            self.body_doc = self.body_match(target.max(self.body_doc), limit);
        }
        for title in &mut self.titles {
            if title.postings.doc() < target {
                title.postings.seek(target);
            }
        }
        self.doc = self.body_doc.min(self.title_doc());
        self.doc
    }
}

impl BackedWordScorer {
    /// Whether the current document matches: not when it is where a bounded walk stopped
    /// ([`BackedWordScorer::settle_before`]).
    fn exact(&self) -> bool {
        !(self.body_pending && self.body_doc == self.doc)
    }
}

// A scorer left short of a match (not `exact`) is only ever inside an `AnyOfScorer`, which
// moves it with `settle_before`: every scorer handed out stands on a match.
impl DocSet for BackedWordScorer {
    fn advance(&mut self) -> DocId {
        debug_assert!(self.exact());
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.settle(self.doc + 1)
    }

    /// Only ever moves forward: a target at or before the current document answers it.
    fn seek(&mut self, target: DocId) -> DocId {
        debug_assert!(self.exact());
        if target <= self.doc {
            return self.doc;
        }
        self.settle(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        let word = self
            .titles
            .iter()
            .map(|t| t.postings.size_hint())
            .chain(self.word.as_ref().map(|w| w.size_hint()))
            .max()
            .unwrap_or(0);
        let bigrams = self.bigrams.first().map_or(0, |b| b.postings.size_hint());
        word.max(bigrams)
    }
}

impl BackedWordScorer {
    /// The score of the titles that hold the word in the current document.
    fn title_score(&self) -> Score {
        let doc = self.doc;
        let mut score = 0.0;
        for title in &self.titles {
            if title.postings.doc() == doc
                && let Some(bm25) = &title.bm25
            {
                score += bm25.score(title.norms.fieldnorm_id(doc), title.postings.term_freq());
            }
        }
        score
    }

    /// Whether no title holds the word in the current document.
    fn untitled(&self) -> bool {
        self.titles.iter().all(|t| t.postings.doc() != self.doc)
    }

    /// The most [`Scorer::score`] gives a document without the word in a title: the word's
    /// and the phrase's BM25 at any frequency, summed as the score sums them.
    fn body_max(&self) -> Score {
        match &self.scoring {
            Some(scoring) => 0.0 + scoring.word_max + scoring.phrase_max,
            None => 0.0,
        }
    }

    /// At least [`Scorer::score`] of the current document, reading one field length: the
    /// titles' score exactly (few hits have them), the word's BM25 at the document's own
    /// length, and its characters' at the shortest length; for a `bigram_led` word, whose
    /// token the score seeks, both at the bigram's frequency. The same sum as the score's, in
    /// the same order, of terms each at least as large. A hit whose bound cannot make the best
    /// hits needs no score ([`Words`]). At the shortest length for the word too, the bound let
    /// every hit of a commitment search through (no title lifts the best commitments): a
    /// search of 资金 scored all 216,316 commitments.
    pub(crate) fn bound(&self) -> Score {
        let score = self.title_score();
        let Some(scoring) = &self.scoring else {
            return score;
        };
        if self.body_doc != self.doc {
            return score;
        }
        if !self.word_settled {
            // A `bigram_led` word, its token not sought: the token's frequency is at most the
            // bigram's (each token is a bigram at the same place), and BM25 grows with the
            // frequency (in floating point too, up to `MONOTONE_FREQ`: beyond, the word's
            // most).
            let tf = self.bigrams.first().map_or(0, |b| b.postings.term_freq());
            let word = match &scoring.word_bm25 {
                Some(bm25) if tf <= MONOTONE_FREQ => {
                    bm25.score(self.word_norms.fieldnorm_id(self.doc), tf)
                }
                Some(_) => scoring.word_max,
                None => 0.0,
            };
            return score + word + scoring.phrase_bound(tf);
        }
        if self.in_word
            && let Some(word) = &self.word
        {
            let tf = word.term_freq();
            let backing = if self.phrase {
                scoring.phrase_bound(tf)
            } else {
                scoring.phrase_max
            };
            let word = match &scoring.word_bm25 {
                Some(bm25) => bm25.score(self.word_norms.fieldnorm_id(self.doc), tf),
                // A quoted phrase's token: the phrase alone.
                None => 0.0,
            };
            score + word + backing
        } else {
            score + scoring.phrase_bound(self.phrase_freq)
        }
    }
}

impl WordScoring for BackedWordScorer {
    fn untitled(&self) -> bool {
        BackedWordScorer::untitled(self)
    }

    fn body_max(&self) -> Score {
        BackedWordScorer::body_max(self)
    }

    fn bound(&self) -> Score {
        BackedWordScorer::bound(self)
    }
}

impl BackedWordScorer {
    /// The phrase's frequency in the current document, which holds the token `tf` times: one
    /// bigram's (a two-character word's) own frequency, exact and one seek away (the token
    /// implies the bigram; the walk may have left it behind); else the token's.
    fn backing_freq(&mut self, tf: u32) -> u32 {
        let doc = self.doc;
        match single_bigram(&mut self.bigrams, self.phrase) {
            Some(bigram) => {
                if bigram.doc() < doc {
                    bigram.seek(doc);
                }
                if bigram.doc() == doc {
                    bigram.term_freq()
                } else {
                    tf
                }
            }
            None => tf,
        }
    }
}

impl Scorer for BackedWordScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let score = self.title_score();
        if self.scoring.is_none() || self.body_doc != doc {
            return score;
        }
        self.settle_word();
        let bigram_norm = self.bigram_norms.fieldnorm_id(doc);
        let tf = match &self.word {
            Some(word) if self.in_word => Some(word.term_freq()),
            _ => None,
        };
        let backing_tf = tf.map(|tf| self.backing_freq(tf));
        let Some(scoring) = &self.scoring else {
            return score;
        };
        match (tf, backing_tf) {
            (Some(tf), Some(backing_tf)) => {
                let phrase = scoring.phrase_bm25.score(bigram_norm, backing_tf);
                match &scoring.word_bm25 {
                    Some(word_bm25) => {
                        score + word_bm25.score(self.word_norms.fieldnorm_id(doc), tf) + phrase
                    }
                    // A quoted phrase's token: the phrase alone.
                    None => score + phrase,
                }
            }
            _ => score + scoring.phrase_bm25.score(bigram_norm, self.phrase_freq),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
