//! A document's stored values, read from the doc store as the bytes it keeps.
//!
//! tantivy hands a stored document over a value at a time, each string copied into a `String`
//! and checked for UTF-8 by `str::from_utf8`, a few instructions a byte of Chinese text: for
//! the ten hits of a page, whose texts run to ~60 KB, that check was 6% of a search's
//! instructions. Here a document is the slice of its decompressed block (shared, not copied),
//! split into its values; a value is checked for UTF-8 with SIMD (`simdutf8`) when it is read.
//!
//! Every value a dafu index stores is a string ([`dafu_index::schema`]). The layout read is
//! that of tantivy 0.27's doc store: the number of values (a VInt), then for each the field
//! (`u32`, little-endian), its type code (0 for a string), the string's length (a VInt) and its
//! bytes. A test compares this reading with tantivy's own on a real index, so an upgrade of
//! tantivy that changes the layout fails it; any other type code is an error, never a guess.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, RwLock};

use tantivy::directory::OwnedBytes;
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::store::StoreReader;
use tantivy::{DocAddress, Searcher, SegmentReader};

use crate::error::QueryError;

/// tantivy's type code of a string value.
const STRING_CODE: u8 = 0;

/// Blocks of each segment's doc store kept decompressed (tantivy's own default).
const CACHED_BLOCKS: usize = 100;

/// The stored values of one document, in the order stored.
pub(crate) struct StoredValues {
    bytes: OwnedBytes,
    /// Each value's field and where its bytes are.
    values: Vec<(Field, Range<usize>)>,
}

fn damaged(what: &str) -> QueryError {
    QueryError::Corrupt(format!("stored document: {what}"))
}

/// Reads the VInt at `at` (seven bits a byte, low bits first; the last byte has its high bit
/// set), moving `at` past it.
fn vint(data: &[u8], at: &mut usize) -> Result<u64, QueryError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *data
            .get(*at)
            .ok_or_else(|| damaged("ends inside a number"))?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte >= 0x80 {
            return Ok(value);
        }
    }
    Err(damaged("a number longer than 64 bits"))
}

impl StoredValues {
    /// The values of a document's stored bytes.
    pub(crate) fn parse(bytes: OwnedBytes) -> Result<Self, QueryError> {
        let data = bytes.as_slice();
        let mut at = 0;
        let count = vint(data, &mut at)?;
        let mut values = Vec::with_capacity(count.min(16) as usize);
        for _ in 0..count {
            let field = data
                .get(at..at + 4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map(u32::from_le_bytes)
                .ok_or_else(|| damaged("ends inside a field number"))?;
            let code = *data
                .get(at + 4)
                .ok_or_else(|| damaged("ends before a value's type"))?;
            if code != STRING_CODE {
                return Err(damaged(&format!(
                    "field {field} holds a value of type code {code}; dafu stores strings only"
                )));
            }
            at += 5;
            let len = usize::try_from(vint(data, &mut at)?)
                .map_err(|_| damaged("a string longer than memory"))?;
            let end = at
                .checked_add(len)
                .filter(|&end| end <= data.len())
                .ok_or_else(|| damaged("ends inside a string"))?;
            values.push((Field::from_field_id(field), at..end));
            at = end;
        }
        Ok(StoredValues { bytes, values })
    }

    /// The first string stored in `field`; an error if its bytes are not UTF-8.
    pub(crate) fn str(&self, field: Field) -> Result<Option<&str>, QueryError> {
        let Some((_, range)) = self.values.iter().find(|(f, _)| *f == field) else {
            return Ok(None);
        };
        simdutf8::basic::from_utf8(&self.bytes.as_slice()[range.clone()])
            .map(Some)
            .map_err(|_| damaged(&format!("field {} is not UTF-8", field.field_id())))
    }
}

/// The engine's readers of each segment's doc store, opened on a segment's first hit and
/// kept (with their cache of decompressed blocks) while the segment lives.
#[derive(Default)]
pub(crate) struct DocStore {
    readers: RwLock<HashMap<SegmentId, Arc<StoreReader>>>,
}

impl DocStore {
    /// The stored values of the document at `addr` of `searcher`.
    pub(crate) fn values(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
    ) -> Result<StoredValues, QueryError> {
        let segment = searcher
            .segment_readers()
            .get(addr.segment_ord as usize)
            .ok_or_else(|| damaged(&format!("no segment #{}", addr.segment_ord)))?;
        let bytes = self.reader(segment)?.get_document_bytes(addr.doc_id)?;
        StoredValues::parse(bytes)
    }

    fn reader(&self, segment: &SegmentReader) -> Result<Arc<StoreReader>, QueryError> {
        let id = segment.segment_id();
        if let Some(reader) = self.readers.read().ok().and_then(|r| r.get(&id).cloned()) {
            return Ok(reader);
        }
        let reader = Arc::new(
            segment
                .get_store_reader(CACHED_BLOCKS)
                .map_err(|e| damaged(&format!("doc store of segment {id}: {e}")))?,
        );
        Ok(match self.readers.write() {
            Ok(mut readers) => readers.entry(id).or_insert(reader).clone(),
            // A reader that cannot be kept still reads.
            Err(_) => reader,
        })
    }

    /// Drops the readers of segments that are not in `live` (merged away); takes the write
    /// lock only when there are some.
    pub(crate) fn retain(&self, live: &HashSet<SegmentId>) {
        let stale = match self.readers.read() {
            Ok(readers) => readers.keys().any(|s| !live.contains(s)),
            Err(_) => false,
        };
        if stale && let Ok(mut readers) = self.readers.write() {
            readers.retain(|s, _| live.contains(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{OwnedValue, STORED, STRING, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    fn index(docs: Vec<TantivyDocument>, schema: Schema) -> Searcher {
        let index = Index::create_in_ram(schema);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for doc in docs {
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        index.reader().unwrap().searcher()
    }

    /// Strings of every length class of the VInt (one, two and three bytes), empty ones,
    /// several values in one field and fields not stored read as tantivy reads them.
    #[test]
    fn values_are_those_tantivy_reads() {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING | STORED);
        let text = schema.add_text_field("text", TEXT | STORED);
        let unstored = schema.add_text_field("unstored", TEXT);
        let fields = schema.add_text_field("fields", STORED);
        let schema = schema.build();
        let long: String = "关于加强养老服务体系建设的建议的答复。".repeat(1_000);
        let texts = [
            String::new(),
            "答复".to_string(),
            "养".repeat(50),
            "养老".repeat(2_000),
            long.clone(),
        ];
        let docs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut doc = TantivyDocument::default();
                doc.add_text(id, format!("r{i}"));
                doc.add_text(text, t);
                doc.add_text(unstored, "不存");
                doc.add_text(fields, format!("{{\"n\":{i}}}"));
                doc.add_text(text, "第二段");
                doc
            })
            .collect();
        let searcher = index(docs, schema);
        let store = DocStore::default();
        for doc in 0..texts.len() as u32 {
            let addr = DocAddress::new(0, doc);
            let theirs: TantivyDocument = searcher.doc(addr).unwrap();
            let ours = store.values(&searcher, addr).unwrap();
            let theirs: Vec<(Field, String)> = theirs
                .field_values()
                .map(|(f, v)| match OwnedValue::from(v) {
                    OwnedValue::Str(s) => (f, s),
                    other => panic!("not a string: {other:?}"),
                })
                .collect();
            let ours_all: Vec<(Field, String)> = ours
                .values
                .iter()
                .map(|(f, r)| {
                    let s = std::str::from_utf8(&ours.bytes.as_slice()[r.clone()]).unwrap();
                    (*f, s.to_string())
                })
                .collect();
            assert_eq!(ours_all, theirs);
            assert_eq!(ours.str(text).unwrap(), Some(texts[doc as usize].as_str()));
            assert_eq!(ours.str(id).unwrap(), Some(format!("r{doc}").as_str()));
            assert_eq!(ours.str(unstored).unwrap(), None);
        }
    }

    #[test]
    fn a_value_not_a_string_is_an_error() {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING | STORED);
        let number = schema.add_u64_field("number", STORED);
        let schema = schema.build();
        let mut doc = TantivyDocument::default();
        doc.add_text(id, "r1");
        doc.add_u64(number, 7);
        let searcher = index(vec![doc], schema);
        let error = DocStore::default()
            .values(&searcher, DocAddress::new(0, 0))
            .err()
            .unwrap();
        assert!(error.to_string().contains("type code 1"), "{error}");
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics() {
        // One value: field 2, a string of 4 bytes.
        let whole = vec![0x81, 2, 0, 0, 0, 0, 0x84, b'a', b'b', b'c', b'd'];
        let values = StoredValues::parse(OwnedBytes::new(whole.clone())).unwrap();
        assert_eq!(values.str(Field::from_field_id(2)).unwrap(), Some("abcd"));
        for cut in 0..whole.len() {
            assert!(StoredValues::parse(OwnedBytes::new(whole[..cut].to_vec())).is_err());
        }
        let not_utf8 = vec![0x81, 2, 0, 0, 0, 0, 0x82, 0xe5, 0xbb];
        let values = StoredValues::parse(OwnedBytes::new(not_utf8)).unwrap();
        assert!(values.str(Field::from_field_id(2)).is_err());
        assert!(StoredValues::parse(OwnedBytes::new(vec![0; 12])).is_err());
    }
}
