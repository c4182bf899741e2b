//! A one-character word's characters in the text: the documents holding any term of the
//! bigram field that begins with the character (年底, 年度, 年内, … for 年), per segment, kept
//! for the next searches.
//!
//! tantivy's prefix query (a `PhrasePrefixQuery` of one term is a range of terms) reads every
//! such term's postings into a bit set on every search: thousands of terms for a common
//! character, 29 M instructions a search for 年 in a commitment search of 2025年 at 100,000
//! replies, a fifth of it. A segment never changes, so its bit set for a character is the same
//! on every search: [`PrefixCache`] keeps the most recently used ones, within
//! [`CACHE_BYTES`], and drops those of merged segments. Matches and scores are the prefix
//! query's: every document of the set, each scoring the query's boost.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TERMINATED, Term};
use tantivy_common::TinySet;

/// The most bytes of bit sets [`PrefixCache`] keeps: 375 KB a character at 100,000 replies
/// (and their 2.9 million commitments), so about 85 of them.
pub(crate) const CACHE_BYTES: usize = 32 << 20;

type Key = (SegmentId, Field, Box<[u8]>);

#[derive(Default)]
struct Entries {
    sets: HashMap<Key, (Arc<BitSet>, u64)>,
    /// Ticks at each use: the least recently used set goes first.
    clock: u64,
    bytes: usize,
}

/// The bit sets of prefixes in segments, most recently used kept.
pub(crate) struct PrefixCache {
    budget: usize,
    entries: Mutex<Entries>,
}

impl Default for PrefixCache {
    fn default() -> Self {
        PrefixCache::with_budget(CACHE_BYTES)
    }
}

impl std::fmt::Debug for PrefixCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrefixCache").finish_non_exhaustive()
    }
}

/// The heap bytes of a bit set of `max_doc` documents.
fn bytes_of(max_doc: DocId) -> usize {
    (max_doc as usize).div_ceil(64) * 8
}

impl PrefixCache {
    /// A cache of at most `budget` bytes of bit sets (a larger set than that is not kept).
    pub(crate) fn with_budget(budget: usize) -> Self {
        PrefixCache {
            budget,
            entries: Mutex::default(),
        }
    }

    /// The documents of `segment` holding a term of `field` that begins with `prefix` (its
    /// bytes), from the cache or read now.
    fn docs(
        &self,
        segment: &SegmentReader,
        field: Field,
        prefix: &[u8],
    ) -> tantivy::Result<Arc<BitSet>> {
        let key: Key = (segment.segment_id(), field, prefix.into());
        if let Ok(mut entries) = self.entries.lock() {
            entries.clock += 1;
            let now = entries.clock;
            if let Some((set, used)) = entries.sets.get_mut(&key) {
                *used = now;
                return Ok(set.clone());
            }
        }
        // Read without the lock: other searches go on.
        let set = Arc::new(read_prefix(segment, field, prefix)?);
        self.keep(key, set.clone());
        Ok(set)
    }

    /// Keeps `set` as `key`'s, the least recently used sets dropped to make room (two
    /// searches that read the same set at once both keep theirs: the second replaces the
    /// first).
    fn keep(&self, key: Key, set: Arc<BitSet>) {
        let bytes = bytes_of(set.max_value());
        if bytes > self.budget {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if let Some((old, _)) = entries.sets.remove(&key) {
            entries.bytes -= bytes_of(old.max_value());
        }
        while entries.bytes + bytes > self.budget {
            let Some(oldest) = entries
                .sets
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((old, _)) = entries.sets.remove(&oldest) {
                entries.bytes -= bytes_of(old.max_value());
            }
        }
        let now = entries.clock;
        entries.bytes += bytes;
        entries.sets.insert(key, (set, now));
    }

    /// Drops the sets of segments that are not in `live` (merged away).
    pub(crate) fn retain(&self, live: &HashSet<SegmentId>) {
        if let Ok(mut entries) = self.entries.lock()
            && entries.sets.keys().any(|(s, _, _)| !live.contains(s))
        {
            let Entries { sets, bytes, .. } = &mut *entries;
            sets.retain(|(s, _, _), (set, _)| {
                let keep = live.contains(s);
                if !keep {
                    *bytes -= bytes_of(set.max_value());
                }
                keep
            });
        }
    }

    /// How many sets are kept, and their bytes.
    #[cfg(test)]
    fn held(&self) -> (usize, usize) {
        self.entries
            .lock()
            .map_or((0, 0), |e| (e.sets.len(), e.bytes))
    }
}

/// Reads the documents of `segment` holding a term of `field` beginning with `prefix`: every
/// such term's postings, as tantivy's range query reads them.
fn read_prefix(segment: &SegmentReader, field: Field, prefix: &[u8]) -> tantivy::Result<BitSet> {
    let mut docs = BitSet::with_max_value(segment.max_doc());
    let index = segment.inverted_index(field)?;
    let mut range = index.terms().range().ge(prefix);
    if let Some(end) = prefix_end(prefix) {
        range = range.lt(end);
    }
    let mut terms = range.into_stream()?;
    while terms.advance() {
        let mut postings =
            index.read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
        loop {
            let block = postings.docs();
            if block.is_empty() {
                break;
            }
            for &doc in block {
                docs.insert(doc);
            }
            postings.advance();
        }
    }
    Ok(docs)
}

/// The first byte string after every one that begins with `prefix` (`None`: there is none,
/// every byte of `prefix` is 0xFF).
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// The documents holding a term of `prefix`'s field that begins with its text, each scoring
/// the query's boost (tantivy's prefix query of one term).
#[derive(Debug, Clone)]
pub(crate) struct PrefixDocs {
    prefix: Term,
    cache: Option<Arc<PrefixCache>>,
}

impl PrefixDocs {
    /// Kept in `cache` when there is one (else read on every search).
    pub(crate) fn new(prefix: Term, cache: Option<Arc<PrefixCache>>) -> Self {
        PrefixDocs { prefix, cache }
    }
}

impl Query for PrefixDocs {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PrefixDocsWeight(self.clone())))
    }
}

struct PrefixDocsWeight(PrefixDocs);

impl PrefixDocsWeight {
    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let PrefixDocs { prefix, cache } = &self.0;
        let bytes = prefix.serialized_value_bytes();
        match cache {
            Some(cache) => cache.docs(reader, prefix.field(), bytes),
            None => Ok(Arc::new(read_prefix(reader, prefix.field(), bytes)?)),
        }
    }
}

impl Weight for PrefixDocsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ConstScorer::new(
            SharedBits::new(self.docs(reader)?),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if !self.docs(reader)?.contains(doc) {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        let prefix = String::from_utf8_lossy(self.0.prefix.serialized_value_bytes());
        Ok(Explanation::new_with_string(
            format!("a term beginning with {prefix}"),
            1.0,
        ))
    }
}

/// A shared bit set walked as a [`DocSet`] (tantivy's `BitSetDocSet` owns its set).
struct SharedBits {
    docs: Arc<BitSet>,
    bucket: u32,
    /// What is left of the current bucket past the current document.
    rest: TinySet,
    doc: DocId,
}

impl SharedBits {
    fn new(docs: Arc<BitSet>) -> Self {
        let rest = if docs.max_value() == 0 {
            TinySet::empty()
        } else {
            docs.tinyset(0)
        };
        let mut bits = SharedBits {
            docs,
            bucket: 0,
            rest,
            doc: 0,
        };
        bits.advance();
        bits
    }
}

impl DocSet for SharedBits {
    fn advance(&mut self) -> DocId {
        if let Some(lower) = self.rest.pop_lowest() {
            self.doc = (self.bucket * 64) | lower;
            return self.doc;
        }
        // `first_non_empty_bucket` slices from its bucket: past the last one it panics.
        let buckets = self.docs.max_value().div_ceil(64);
        let next = (self.bucket + 1 < buckets)
            .then(|| self.docs.first_non_empty_bucket(self.bucket + 1))
            .flatten();
        let Some(bucket) = next else {
            self.doc = TERMINATED;
            return TERMINATED;
        };
        self.bucket = bucket;
        self.rest = self.docs.tinyset(bucket);
        match self.rest.pop_lowest() {
            Some(lower) => {
                self.doc = (bucket * 64) | lower;
                self.doc
            }
            None => {
                self.doc = TERMINATED;
                TERMINATED
            }
        }
    }

    /// Never moves back: a target at or before the current document answers it.
    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        if target >= self.docs.max_value() {
            self.doc = TERMINATED;
            return TERMINATED;
        }
        let bucket = target / 64;
        if bucket > self.bucket {
            self.bucket = bucket;
            self.rest = self
                .docs
                .tinyset(bucket)
                .intersect(TinySet::range_greater_or_equal(target % 64));
            return self.advance();
        }
        self.rest = self
            .rest
            .intersect(TinySet::range_greater_or_equal(target % 64));
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.docs.len() as u32
    }
}

#[cfg(test)]
mod tests;
