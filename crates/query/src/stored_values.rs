//! A document's stored values as the doc store hands them over.
//!
//! Reading a hit as a `TantivyDocument` copied each stored value into the document's own
//! buffer, and the reply text (up to ~60 KB of UTF-8) was then copied out again as a `String`:
//! here each value is kept as it is read and moved out where it is needed.

use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, OwnedValue};

/// The stored values of one document, in the order stored.
pub(crate) struct StoredValues(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for StoredValues {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(entry) = deserializer.next_field::<OwnedValue>()? {
            values.push(entry);
        }
        Ok(StoredValues(values))
    }
}

impl StoredValues {
    /// The first string stored in `field`.
    pub(crate) fn str(&self, field: Field) -> Option<&str> {
        self.0.iter().find_map(|(f, value)| match value {
            OwnedValue::Str(s) if *f == field => Some(s.as_str()),
            _ => None,
        })
    }

    /// The first string stored in `field`, moved out (later calls give the next one).
    pub(crate) fn take_str(&mut self, field: Field) -> Option<String> {
        let at = self
            .0
            .iter()
            .position(|(f, value)| *f == field && matches!(value, OwnedValue::Str(_)))?;
        match self.0.remove(at).1 {
            OwnedValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STORED, STRING, Schema, TEXT};
    use tantivy::{DocAddress, Index, IndexWriter, TantivyDocument};

    #[test]
    fn values_are_read_as_stored_and_moved_out_in_turn() {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING | STORED);
        let text = schema.add_text_field("text", TEXT | STORED);
        let unstored = schema.add_text_field("unstored", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut doc = TantivyDocument::default();
        doc.add_text(id, "r1");
        doc.add_text(text, "关于加强养老服务的建议的答复");
        doc.add_text(text, "第二段");
        doc.add_text(unstored, "不存");
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let mut values: StoredValues = searcher.doc(DocAddress::new(0, 0)).unwrap();
        assert_eq!(values.str(id), Some("r1"));
        assert_eq!(values.str(unstored), None);
        assert_eq!(
            values.take_str(text).as_deref(),
            Some("关于加强养老服务的建议的答复")
        );
        assert_eq!(values.take_str(text).as_deref(), Some("第二段"));
        assert_eq!(values.take_str(text), None);
        assert_eq!(values.take_str(id).as_deref(), Some("r1"));
    }
}
