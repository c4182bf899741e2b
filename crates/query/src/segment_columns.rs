//! The columns of a segment that every search's collector reads (the replies' ids, which break
//! ties and place a cursor, and the signing dates, a sort's value), opened once per segment
//! with its facet codes ([`crate::facet_codes::FacetCodes`]) instead of by every search:
//! opening a column reads the segment's column directory (~30,000 instructions a segment:
//! with five segments, a seventh of a search that finds nothing at 100,000 replies).

use tantivy::SegmentReader;
use tantivy::columnar::{Column, StrColumn};

use dafu_index::schema::names;

/// A segment's id and date columns, opened.
#[derive(Clone)]
pub(crate) struct SegmentColumns {
    /// The replies' ids (`None` in a segment without any).
    pub(crate) ids: Option<StrColumn>,
    /// The signing dates (0: unknown).
    pub(crate) dates: Column<u64>,
}

impl SegmentColumns {
    pub(crate) fn open(segment: &SegmentReader) -> tantivy::Result<Self> {
        let ff = segment.fast_fields();
        Ok(SegmentColumns {
            ids: ff.str(names::ID)?,
            dates: ff.u64(names::DATE)?,
        })
    }
}
