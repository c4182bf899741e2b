//! A query word's terms looked up once per segment.
//!
//! BM25's document frequency of a term is the sum of its segments' dictionary entries, and a
//! scorer then reads the term's postings from the same entry: tantivy looks the term up in the
//! segment's dictionary (an FST walk, then the entry's block) both times. [`Recording`] is the
//! statistics a word's weight is built with: it sums the document frequency from the entries
//! it finds and keeps them ([`TermInfos`]) for the scorers. (The dictionary walks were ~3.4%
//! of the CPU samples of the search list at 100,000 replies; keeping the entries took 0.5% of
//! the instructions and ~0.4% of the samples away: BENCHMARKS.md.)

use std::cell::RefCell;

use tantivy::index::SegmentId;
use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, SegmentReader, Term};

/// The dictionary entries of some terms in every segment of one searcher (`None`: the segment
/// does not hold the term).
#[derive(Debug, Default)]
pub(crate) struct TermInfos {
    terms: Vec<(Term, Entries)>,
}

/// A term's entry in each segment.
type Entries = Vec<(SegmentId, Option<TermInfo>)>;

impl TermInfos {
    /// The entry of `term` in the segment `segment`: `None` when it was not looked up there,
    /// `Some(None)` when the segment does not hold it.
    fn entry(&self, segment: SegmentId, term: &Term) -> Option<Option<&TermInfo>> {
        let (_, segments) = self.terms.iter().find(|(t, _)| t == term)?;
        segments
            .iter()
            .find(|(id, _)| *id == segment)
            .map(|(_, info)| info.as_ref())
    }

    /// The postings of `term` in `reader`'s segment, from the entry found before when there is
    /// one (else from the segment's dictionary); `None` when the segment does not hold it.
    pub(crate) fn postings(
        &self,
        reader: &SegmentReader,
        term: &Term,
        option: IndexRecordOption,
    ) -> tantivy::Result<Option<SegmentPostings>> {
        let index = reader.inverted_index(term.field())?;
        Ok(match self.entry(reader.segment_id(), term) {
            Some(Some(info)) => Some(index.read_postings_from_terminfo(info, option)?),
            Some(None) => None,
            None => index.read_postings(term, option)?,
        })
    }
}

/// BM25's statistics from `inner`, except that a term's document frequency is summed from the
/// entries of the searcher's segments, which are kept ([`Recording::into_infos`]).
pub(crate) struct Recording<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    searcher: &'a Searcher,
    infos: RefCell<TermInfos>,
}

impl<'a> Recording<'a> {
    pub(crate) fn new(inner: &'a dyn Bm25StatisticsProvider, searcher: &'a Searcher) -> Self {
        Recording {
            inner,
            searcher,
            infos: RefCell::new(TermInfos::default()),
        }
    }

    /// The entries found.
    pub(crate) fn into_infos(self) -> TermInfos {
        self.infos.into_inner()
    }
}

impl Bm25StatisticsProvider for Recording<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.inner.total_num_docs()
    }

    /// The sum over the segments, as tantivy's searcher sums it, held at `N` as BM25 requires
    /// (and as [`crate::statistics::KindStatistics`] holds it: a title of the other kind may
    /// hold a term in more documents than the kind searched has).
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut segments = Vec::with_capacity(self.searcher.segment_readers().len());
        let mut docs = 0u64;
        for reader in self.searcher.segment_readers() {
            let info = reader.inverted_index(term.field())?.get_term_info(term)?;
            docs += info.as_ref().map_or(0, |i| u64::from(i.doc_freq));
            segments.push((reader.segment_id(), info));
        }
        let mut infos = self.infos.borrow_mut();
        if !infos.terms.iter().any(|(t, _)| t == term) {
            infos.terms.push((term.clone(), segments));
        }
        Ok(docs.min(self.inner.total_num_docs()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statistics::KindStatistics;
    use crate::statistics::two_kinds;
    use tantivy::doc;
    use tantivy::postings::Postings;
    use tantivy::{DocSet, TERMINATED};

    fn docs(mut postings: SegmentPostings) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        while postings.doc() != TERMINATED {
            out.push((postings.doc(), postings.term_freq()));
            postings.advance();
        }
        out
    }

    #[test]
    fn frequencies_are_the_providers_and_postings_those_of_the_dictionary() -> tantivy::Result<()> {
        let (index, mut writer, [kind, text, title]) = two_kinds::index()?;
        // Two segments: `y` in both, `z` in the first only; `x` in four titles of kind `b`,
        // more than the three documents of kind `a`.
        writer.add_document(doc!(kind => "a", text => "x y y"))?;
        writer.add_document(doc!(kind => "a", text => "z"))?;
        writer.commit()?;
        writer.add_document(doc!(kind => "a", text => "y"))?;
        for _ in 0..4 {
            writer.add_document(doc!(kind => "b", title => "x"))?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let kind_a = KindStatistics::new(&searcher, &Term::from_field_text(kind, "a"))?;
        let terms = [
            Term::from_field_text(text, "y"),
            Term::from_field_text(text, "z"),
            Term::from_field_text(text, "absent"),
            Term::from_field_text(title, "x"),
        ];
        for provider in [&kind_a as &dyn Bm25StatisticsProvider, &searcher] {
            let recording = Recording::new(provider, &searcher);
            for term in &terms {
                assert_eq!(
                    recording.doc_freq(term)?,
                    provider.doc_freq(term)?,
                    "{term:?}"
                );
            }
            assert_eq!(recording.total_num_docs()?, provider.total_num_docs()?);
            let infos = recording.into_infos();
            let unseen = Term::from_field_text(text, "x");
            for reader in searcher.segment_readers() {
                for term in terms.iter().chain([&unseen]) {
                    let from_dictionary = reader
                        .inverted_index(term.field())?
                        .read_postings(term, IndexRecordOption::WithFreqs)?
                        .map(docs);
                    let kept = infos
                        .postings(reader, term, IndexRecordOption::WithFreqs)?
                        .map(docs);
                    assert_eq!(kept, from_dictionary, "{term:?}");
                }
            }
        }
        // `x` in four titles is held at the kind's N (3), as KindStatistics holds it.
        let recording = Recording::new(&kind_a, &searcher);
        assert_eq!(recording.doc_freq(&Term::from_field_text(title, "x"))?, 3);
        Ok(())
    }
}
