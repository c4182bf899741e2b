//! BM25's collection statistics over the documents of the kind searched (replies, or
//! commitments), not over the whole index.
//!
//! An index holds about thirty commitment documents per reply. tantivy's own statistics count
//! every document of the index: BM25's `N` (for the inverse document frequency) and the
//! average length of a field (its tokens divided by `N`) then counted commitments in a reply
//! search, so every reply looked about thirty times longer than the average reply, and rare
//! and common words moved closer in weight. Each text field holds one kind only (replies:
//! `text`, `text_bigrams`, the title fields; commitments: `commitment_text`,
//! `commitment_bigrams`), so the documents of the kind searched are the field's collection.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// The statistics of `searcher` with the number of documents of one kind as `N`.
pub(crate) struct KindStatistics<'s> {
    searcher: &'s Searcher,
    /// Documents of the kind (deleted ones included until merged away, as in tantivy's own
    /// count and in every term's document frequency).
    docs: u64,
}

impl<'s> KindStatistics<'s> {
    /// The statistics of the documents `kind` (a term of the `kind` field) marks.
    pub(crate) fn new(searcher: &'s Searcher, kind: &Term) -> tantivy::Result<Self> {
        // At least one: the average length divides by it.
        let docs = searcher.doc_freq(kind)?.max(1);
        Ok(KindStatistics { searcher, docs })
    }
}

impl Bm25StatisticsProvider for KindStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    /// The term's document frequency, at most `N`: a field of the other kind (a reply's title
    /// in a commitment search, which matches no commitment) may hold a term in more documents
    /// than this kind has, and BM25 requires `n ≤ N`.
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.searcher.doc_freq(term)?.min(self.docs))
    }
}

/// An index of two kinds for the statistics' tests.
#[cfg(test)]
pub(crate) mod two_kinds {
    use tantivy::schema::{Field, STRING, Schema, TEXT};
    use tantivy::{Index, IndexWriter};

    /// An index in RAM and its writer, with an exact `kind` field and the text fields
    /// `text` and `title` (in this order).
    pub(crate) fn index() -> tantivy::Result<(Index, IndexWriter, [Field; 3])> {
        let mut builder = Schema::builder();
        let kind = builder.add_text_field("kind", STRING);
        let text = builder.add_text_field("text", TEXT);
        let title = builder.add_text_field("title", TEXT);
        let index = Index::create_in_ram(builder.build());
        let writer = index.writer_with_num_threads(1, 15_000_000)?;
        Ok((index, writer, [kind, text, title]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::doc;
    use tantivy::query::Bm25Weight;

    #[test]
    fn n_and_the_average_length_are_those_of_the_kind() -> tantivy::Result<()> {
        let (index, mut writer, [kind, text, title]) = two_kinds::index()?;
        // Two documents of kind `a` (4 tokens of `text` in all), three of kind `b` without
        // `text`, each with a title of one word.
        writer.add_document(doc!(kind => "a", text => "x y y"))?;
        writer.add_document(doc!(kind => "a", text => "z"))?;
        for _ in 0..3 {
            writer.add_document(doc!(kind => "b", title => "x"))?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let a = KindStatistics::new(&searcher, &Term::from_field_text(kind, "a"))?;
        assert_eq!(a.total_num_docs()?, 2);
        assert_eq!(Bm25StatisticsProvider::total_num_docs(&searcher)?, 5);
        assert_eq!(a.total_num_tokens(text)?, 4);
        // `x` is in three titles, of the other kind: n is held at N = 2.
        assert_eq!(a.doc_freq(&Term::from_field_text(title, "x"))?, 2);
        assert_eq!(a.doc_freq(&Term::from_field_text(text, "y"))?, 1);
        // BM25 over the kind: idf(n = 1, N = 2) and an average length of 2 tokens.
        let y = Term::from_field_text(text, "y");
        let ours = Bm25Weight::for_terms(&a, std::slice::from_ref(&y))?;
        let whole = Bm25Weight::for_terms(&searcher, std::slice::from_ref(&y))?;
        let idf = (1.0f32 + (2.0 - 1.0 + 0.5) / (1.0 + 0.5)).ln();
        // A document of the average length (fieldnorm id = 2) with the word once.
        let expected = idf * (1.2 + 1.0) / (1.0 + 1.2);
        assert!((ours.score(2, 1) - expected).abs() < 1e-5);
        assert!((whole.score(2, 1) - expected).abs() > 0.1);
        // No document of a kind: N is 1, not 0.
        let none = KindStatistics::new(&searcher, &Term::from_field_text(kind, "c"))?;
        assert_eq!(none.total_num_docs()?, 1);
        Ok(())
    }
}
