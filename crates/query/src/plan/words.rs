//! A query word as tantivy queries: in the body backed by its characters in a row, in the
//! titles, with its synonyms; and a phrase as its characters in a row.

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Token;

use crate::backed_word::{BackedWord, WithSynonyms, Words};
use crate::forward_only::ForwardOnly;
use crate::prefix_docs::PrefixDocs;
use crate::seeking_union::SeekingUnion;

use super::*;

/// The bigram terms of a word ([`Planner::bigram_terms`]).
pub(super) struct WordBigrams {
    /// Those that cover its characters, with their offsets.
    pub(super) phrase: Vec<(usize, Term)>,
    /// The others.
    pub(super) sieve: Vec<Term>,
}

impl Planner<'_> {
    /// One word in the body, backed by its characters, or (in a reply search) in the title or
    /// the proposal title.
    fn word(&self, word: &str) -> Vec<Box<dyn Query>> {
        // Jieba may cut the reply differently from the query: the characters in a row always
        // match. A word of two characters or more is one query over the titles, the token and
        // the bigrams, that reads the bigrams' positions only in replies without the token
        // ([`BackedWord`]).
        if let Some(backed) = self.backed_word(word) {
            return vec![Box::new(backed)];
        }
        let mut alternatives: Vec<Box<dyn Query>> = self
            .titles(word)
            .into_iter()
            .map(|(term, boost)| {
                boosted(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    boost,
                )
            })
            .collect();
        alternatives.push(term_query(self.text, word));
        alternatives.extend(self.substring(word).map(|q| boosted(q, CHARS_BOOST)));
        alternatives
    }

    /// The titles a word is sought in: in a reply search, the reply's and the proposal's.
    fn titles(&self, word: &str) -> Vec<(Term, f32)> {
        let s = self.schema;
        if !self.reply_fields() {
            return Vec::new();
        }
        vec![
            (Term::from_field_text(s.title, word), TITLE_BOOST),
            (
                Term::from_field_text(s.proposal_title, word),
                PROPOSAL_TITLE_BOOST,
            ),
        ]
    }

    /// A word of two characters or more as one query over the titles, its token and its
    /// characters in a row (`None` for one character).
    fn backed_word(&self, word: &str) -> Option<BackedWord> {
        let WordBigrams { phrase, sieve } = self.bigram_terms(word)?;
        Some(BackedWord::new(
            Some(Term::from_field_text(self.text, word)),
            phrase,
            sieve,
            CHARS_BOOST,
            self.titles(word),
        ))
    }

    /// A word and its synonyms as one query of [`BackedWord`]s (see [`WithSynonyms`]): when
    /// the word has two characters or more and each synonym is one such word, or several
    /// words of three characters or more in all (matched as their characters in a row, as
    /// [`Planner::synonym`] matches them). `None` otherwise (a one-character word or synonym:
    /// none in the synonyms file).
    fn with_synonyms(&self, word: &str) -> Option<WithSynonyms> {
        let typed = self.backed_word(word)?;
        let mut synonyms = Vec::new();
        for synonym in self.analysis.synonyms(word) {
            match self.analysis.words(synonym).as_slice() {
                [] => {}
                [one] => synonyms.push(self.backed_word(&one.text)?),
                _ => synonyms.push(self.chars_in_a_row(synonym)?),
            }
        }
        Some(WithSynonyms::new(typed, synonyms, SYNONYM_BOOST))
    }

    /// The words as one [`Words`] query, when every one is a word [`Planner::with_synonyms`]
    /// makes one query of: its hits can be bounded before they are scored.
    fn bare_words(&self, words: &[String]) -> Option<Words> {
        let words = words
            .iter()
            .map(|word| self.with_synonyms(word))
            .collect::<Option<Vec<_>>>()?;
        Words::new(words)
    }

    /// The bigram terms that find `text` (two characters or more) as a substring, with their
    /// offsets: one bigram for two characters; for more, those at offsets 0, 2, 4, … and the
    /// last one, overlapping, when the length is odd. And the other bigrams of `text`, which
    /// every text holding it holds too.
    pub(super) fn bigram_terms(&self, text: &str) -> Option<WordBigrams> {
        let tokens = self.analysis.bigrams(text);
        let phrase = match tokens.as_slice() {
            [bigram, _last] => vec![(0, Term::from_field_text(self.bigrams, &bigram.text))],
            _ => self.bigram_phrase(&tokens)?,
        };
        // One token per character: the bigrams, then the last character alone.
        let sieve = tokens[..tokens.len() - 1]
            .iter()
            .enumerate()
            .filter(|(i, _)| !phrase.iter().any(|(o, _)| o == i))
            .map(|(_, t)| Term::from_field_text(self.bigrams, &t.text))
            .collect();
        Some(WordBigrams { phrase, sieve })
    }

    /// The bigram terms of a text of three characters or more (`tokens`, its bigram tokens:
    /// one per character, the bigram starting there, then the last character alone) that make
    /// its exact-substring phrase, with their offsets: those at offsets 0, 2, 4, … and the last
    /// one, overlapping, when the length is odd.
    fn bigram_phrase(&self, tokens: &[Token]) -> Option<Vec<(usize, Term)>> {
        let field = self.bigrams;
        let n = tokens.len();
        if n < 3 {
            return None;
        }
        let mut offsets: Vec<usize> = (0..n - 1).step_by(2).collect();
        if n % 2 == 1 {
            offsets.push(n - 2);
        }
        Some(
            offsets
                .into_iter()
                .map(|i| (i, Term::from_field_text(field, &tokens[i].text)))
                .collect(),
        )
    }

    /// A synonym of a query word (folded text from the synonyms file): one word is matched like
    /// a query word; several must occur as written (their characters in a row).
    fn synonym(&self, text: &str) -> Option<Box<dyn Query>> {
        let words = self.analysis.words(text);
        match words.as_slice() {
            [] => None,
            [one] => Some(SeekingUnion::of(self.word(&one.text))),
            _ => self.substring(text),
        }
    }

    /// Every word, in the title, the proposal title or the body, backed by its characters, or
    /// any of its synonyms (weighted [`SYNONYM_BOOST`]).
    pub(super) fn words(&self, words: &[String], proximity: bool) -> Option<Box<dyn Query>> {
        let bonus = proximity && words.len() >= 2;
        if !bonus && let Some(bare) = self.bare_words(words) {
            return Some(Box::new(bare));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|word| {
                // The same query of the word as in a [`Words`] query, so that both score a
                // reply alike (an explanation, with the bonus in the query, gives the score
                // the page gave).
                if let Some(with_synonyms) = self.with_synonyms(word) {
                    return (Occur::Must, Box::new(with_synonyms) as Box<dyn Query>);
                }
                let mut alternatives = self.word(word);
                for synonym in self.analysis.synonyms(word) {
                    alternatives.extend(self.synonym(synonym).map(|q| boosted(q, SYNONYM_BOOST)));
                }
                (Occur::Must, SeekingUnion::of(alternatives))
            })
            .collect();
        if clauses.is_empty() {
            return None;
        }
        if proximity && let Some(bonus) = self.proximity(words) {
            clauses.push((Occur::Should, bonus));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The proximity bonus as a query (see [`Proximity`]).
    pub(super) fn proximity(&self, words: &[String]) -> Option<Box<dyn Query>> {
        self.proximity_terms(words).map(|p| p.query())
    }

    /// The proximity bonus of `words`, when there are two or more.
    pub(super) fn proximity_terms(&self, words: &[String]) -> Option<Proximity> {
        (words.len() >= 2).then(|| Proximity {
            terms: words
                .iter()
                .enumerate()
                .map(|(i, w)| (i, Term::from_field_text(self.text, w)))
                .collect(),
        })
    }

    /// `text` as an exact substring of the reply text, through its bigram field: the bigram
    /// tokens of `text` as the index makes them ([`dafu_index::analysis::BigramTokenizer`]),
    /// those at offsets 0, 2, 4, … (and the last one, overlapping, when the length is odd) in a
    /// phrase; two characters are one term; one character is the prefix of the bigrams it
    /// begins (and of the text's last character).
    pub(super) fn substring(&self, text: &str) -> Option<Box<dyn Query>> {
        let field = self.bigrams;
        // One token per character: the bigram starting there, then the last character alone.
        let tokens = self.analysis.bigrams(text);
        let term = |i: usize| Term::from_field_text(field, &tokens[i].text);
        match tokens.len() {
            0 => None,
            // Every bigram a character begins (a few thousand for the commonest ones), and
            // the text's last character alone.
            1 => Some(Box::new(PrefixDocs::new(term(0), self.prefixes.clone()))),
            2 => Some(Box::new(TermQuery::new(
                term(0),
                IndexRecordOption::WithFreqs,
            ))),
            _ => self
                .chars_in_a_row(text)
                .map(|chars| Box::new(chars) as Box<dyn Query>),
        }
    }

    /// `text` (three characters or more) as an exact substring of the text: the phrase of its
    /// covering bigrams, every other bigram sought first (see [`BackedWord`]), scored as
    /// tantivy's phrase query would score it; found by its token too when jieba cuts `text`
    /// as one word ([`BackedWord::quoted`]).
    pub(super) fn chars_in_a_row(&self, text: &str) -> Option<BackedWord> {
        let WordBigrams { phrase, sieve } = self.bigram_terms(text)?;
        // Two characters are one bigram, without positions: not a phrase.
        if phrase.len() < 2 {
            return None;
        }
        // The covering bigrams end on the text's last character (the last one starts on the
        // one before): a word as long as that is the whole text.
        let chars = phrase
            .iter()
            .map(|(offset, _)| offset + 2)
            .max()
            .unwrap_or(0);
        let token = match self.analysis.words(text).as_slice() {
            [one] if one.text.chars().count() == chars => {
                Some(Term::from_field_text(self.text, &one.text))
            }
            _ => None,
        };
        Some(BackedWord::quoted(token, phrase, sieve))
    }

    /// `text` as a run of characters in `field` (a substring match).
    pub(super) fn chars(&self, field: Field, text: &str) -> Option<Box<dyn Query>> {
        let terms: Vec<Term> = self
            .analysis
            .chars(text)
            .into_iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect();
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(ForwardOnly::wrap(Box::new(PhraseQuery::new(terms)))),
        }
    }
}
