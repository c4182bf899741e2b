//! One query word as a tantivy query: the word itself, or the word or any of its synonyms
//! (`index-data/synonyms.txt`, through [`dafu_index::analysis::Analysis::synonyms`]).

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::{CHARS_BOOST, SearchEngine, TITLE_BOOST};

/// Weight of a reply found through a synonym relative to one found through the word typed: a
/// synonym finds the same thing, but the word the user chose is the better evidence.
const SYNONYM_BOOST: f32 = 0.5;

impl SearchEngine {
    /// The query for one query word (as [`dafu_index::analysis::Analysis::words`] gives it) and
    /// the strings its highlights mark. A word without synonyms is [`Self::single_word`]; a word
    /// with synonyms is a Should over that and each synonym, every synonym weighted
    /// [`SYNONYM_BOOST`]. A synonym of one word is matched like the word; a synonym of several
    /// words must occur as written (its characters in a row), ranked by its words.
    pub(crate) fn word_or_synonyms(&self, word: &str) -> (Box<dyn Query>, Vec<String>) {
        let exact = self.single_word(word);
        let synonyms = self.index.analysis().synonyms(word);
        if synonyms.is_empty() {
            return (exact, vec![word.to_string()]);
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, exact)];
        let mut needles = vec![word.to_string()];
        for synonym in synonyms {
            if let Some(q) = self.synonym(synonym) {
                should.push((Occur::Should, Box::new(BoostQuery::new(q, SYNONYM_BOOST))));
                needles.push(synonym.clone());
            }
        }
        (Box::new(BooleanQuery::new(should)), needles)
    }

    /// One word on the title (boosted) and text words, backed up by its characters in a row
    /// (jieba may cut the reply differently from the query).
    fn single_word(&self, word: &str) -> Box<dyn Query> {
        let mut should = self.word_terms(word);
        if let Some(q) = self.phrase_on_chars(word) {
            should.push((Occur::Should, Box::new(BoostQuery::new(q, CHARS_BOOST))));
        }
        Box::new(BooleanQuery::new(should))
    }

    /// The word as a term of the title (boosted) and of the text.
    fn word_terms(&self, word: &str) -> Vec<(Occur, Box<dyn Query>)> {
        let s = self.index.schema();
        let term = |field| {
            TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            )
        };
        vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(term(s.title)), TITLE_BOOST)),
            ),
            (Occur::Should, Box::new(term(s.text))),
        ]
    }

    /// A synonym (folded text from the synonyms file) as a query; `None` when it has no words.
    fn synonym(&self, text: &str) -> Option<Box<dyn Query>> {
        let words = self.index.analysis().words(text);
        match words.as_slice() {
            [] => None,
            [one] => Some(self.single_word(&one.text)),
            several => {
                let phrase = self.phrase_on_chars(text)?;
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Must, Box::new(BoostQuery::new(phrase, CHARS_BOOST)))];
                for w in several {
                    clauses.extend(self.word_terms(&w.text));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }
}
