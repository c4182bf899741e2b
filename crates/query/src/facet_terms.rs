//! The values of every segment's facet columns, read once per segment and kept.
//!
//! A facet count is a count per column ordinal; turning ordinals back into values (浙江省,
//! 嘉兴市民政局) means reading the column's dictionary, whose blocks are zstd-compressed, and
//! tantivy creates a new decompression context for each block it reads. At 100,000 replies
//! that was a fifth of every search (BENCHMARKS.md). Segments never change once written, so
//! the engine reads each facet column's dictionary once, into a table by ordinal, and every
//! later search of that segment looks values up in it. Each search first drops the tables of
//! segments its searcher no longer has (merged away).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use tantivy::SegmentReader;
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;

/// A facet value (浙江省, 嘉兴市民政局), shared: every search of a segment counts the same
/// values, and merging segments' counts clones a pointer, not the text.
pub type Value = Arc<str>;

/// One column's values, by ordinal.
pub type Terms = Arc<Vec<Value>>;

/// The facet-column value tables of the segments searched so far.
#[derive(Debug, Default)]
pub struct FacetTerms {
    tables: RwLock<HashMap<(SegmentId, &'static str), Terms>>,
}

impl FacetTerms {
    /// The values of `column` (the fast column named `name`) of `segment`, by ordinal.
    pub(crate) fn of(
        &self,
        segment: &SegmentReader,
        name: &'static str,
        column: &StrColumn,
    ) -> std::io::Result<Terms> {
        let key = (segment.segment_id(), name);
        if let Ok(tables) = self.tables.read()
            && let Some(terms) = tables.get(&key)
        {
            return Ok(terms.clone());
        }
        let dictionary = column.dictionary();
        let mut terms = Vec::with_capacity(dictionary.num_terms());
        let mut stream = dictionary.stream()?;
        while stream.advance() {
            terms.push(Value::from(String::from_utf8_lossy(stream.key())));
        }
        let terms = Arc::new(terms);
        if let Ok(mut tables) = self.tables.write() {
            tables.insert(key, terms.clone());
        }
        Ok(terms)
    }

    /// Drops the tables of segments that are not in `live` (merged away); takes the write
    /// lock only when there are some.
    pub(crate) fn retain(&self, live: &HashSet<SegmentId>) {
        let stale = match self.tables.read() {
            Ok(tables) => tables.keys().any(|(segment, _)| !live.contains(segment)),
            Err(_) => false,
        };
        if stale && let Ok(mut tables) = self.tables.write() {
            tables.retain(|(segment, _), _| live.contains(segment));
        }
    }
}
