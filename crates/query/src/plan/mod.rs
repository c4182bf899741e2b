//! From a parsed query ([`Node`]) to the tantivy query that matches and ranks replies, and the
//! strings their highlights mark.
//!
//! * **Matching.** AND is `Must`, OR is `Should` (at least one), an exclusion is `MustNot`; a
//!   conjunction of exclusions only gets an "every document of the kind" positive part, since
//!   tantivy matches nothing with `MustNot` alone. Words are jieba words, each backed by its
//!   characters in a row (jieba may cut the reply differently); phrases are exact substrings,
//!   phrases of bigrams in the text's bigram field ([`BackedWord`] without a word, for three
//!   characters or more); a 文号 is the exact `doc_number` term or its
//!   characters in the text.
//! * **Scopes.** `title:` searches the title's words and characters, `department:` and
//!   `proposer:` any part of the name (characters), `doc:` the 文号 (exact, or any part of it).
//! * **Ranking.** BM25 over words with field boosts: a 文号 above the title, above the proposal
//!   title, above the body. A **proximity bonus** rewards replies where the words typed
//!   side by side sit adjacent (exact phrase) or near each other (sloppy phrase) in the body.

use std::sync::Arc;

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use dafu_extract::doc_number::canonical_doc_number;
use dafu_index::ReplySchema;
use dafu_index::analysis::Analysis;

use crate::backed_word::Words;
use crate::forward_only::ForwardOnly;
use crate::prefix_docs::PrefixCache;
use crate::query_text::{Leaf, Node, Scope, Term as QueryTerm};
use crate::request::Target;

mod words;

#[cfg(test)]
use words::WordBigrams;

/// Weight of an exact 文号 match.
const DOC_NUMBER_BOOST: f32 = 10.0;
/// Weight of a word found in the title relative to the body.
const TITLE_BOOST: f32 = 3.0;
/// Weight of a word found in the title of the proposal answered: what the reply is about.
/// Higher than the reply's own title, which is mostly 对…第N号建议的答复; tuned on the relevance
/// set (`tests/e2e/relevance.rs`), where 2.0 left replies about a word among those that only
/// mention it.
const PROPOSAL_TITLE_BOOST: f32 = 10.0;
/// Weight of the exact-substring (character) match that backs up each word.
const CHARS_BOOST: f32 = 0.3;
/// Weight of the query's words found side by side, in the order typed.
pub(crate) const ADJACENT_BOOST: f32 = 1.0;
/// Weight of the query's words found near each other, in the order typed.
pub(crate) const NEAR_BOOST: f32 = 0.5;
/// How many positions apart words may sit and still count as near.
const NEAR_SLOP: u32 = 4;
/// Weight of a reply found through a synonym (`index-data/synonyms.txt`) relative to one found
/// through the word typed: a synonym finds the same thing, but the word the user chose is the
/// better evidence.
const SYNONYM_BOOST: f32 = 0.5;

/// A tantivy query and the strings to highlight.
pub(crate) struct Plan {
    pub query: Box<dyn Query>,
    /// The words, phrases and 文号 the query looks for (never excluded ones).
    pub needles: Vec<String>,
    /// The proximity bonus of the query's top-level words, when it was left out of `query`
    /// to be added to the best hits only ([`Planner::plan_deferring_proximity`]).
    pub proximity: Option<Proximity>,
}

/// The proximity bonus of a query's words, as phrases over the body's word tokens: the
/// words side by side (weighted [`ADJACENT_BOOST`]), or within [`NEAR_SLOP`] positions of each
/// other (weighted [`NEAR_BOOST`]), in the order typed.
#[derive(Debug, Clone)]
pub(crate) struct Proximity {
    /// The words' `text` terms and their offsets in the phrase.
    pub terms: Vec<(usize, Term)>,
}

impl Proximity {
    /// The exact phrase of the words.
    pub(crate) fn adjacent(&self) -> PhraseQuery {
        PhraseQuery::new_with_offset(self.terms.clone())
    }

    /// The sloppy phrase of the words.
    pub(crate) fn near(&self) -> PhraseQuery {
        PhraseQuery::new_with_offset_and_slop(self.terms.clone(), NEAR_SLOP)
    }

    /// The bonus as one query: a reply's score grows by the sum of both phrases' scores.
    pub(crate) fn query(&self) -> Box<dyn Query> {
        should(vec![
            boosted(ForwardOnly::wrap(Box::new(self.adjacent())), ADJACENT_BOOST),
            boosted(ForwardOnly::wrap(Box::new(self.near())), NEAR_BOOST),
        ])
    }
}

/// The clauses of a boolean query.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// What one node of the query turns into.
enum Built {
    /// Documents that match.
    Match(Box<dyn Query>),
    /// Documents to leave out (an exclusion; needs a positive part to mean anything).
    Exclude(Box<dyn Query>),
    /// No constraint (punctuation only, empty quotes).
    Nothing,
}

/// Builds tantivy queries over one index's schema and analysis.
pub(crate) struct Planner<'a> {
    schema: &'a ReplySchema,
    analysis: &'a Analysis,
    /// The text searched: the reply's, or the commitment's.
    text: Field,
    /// That text as character bigrams.
    bigrams: Field,
    /// Every document of the kind searched, scoring nothing.
    all: Box<dyn Query>,
    /// The kind searched.
    target: Target,
    /// Where a one-character word's bigrams are kept between searches (none: read anew).
    prefixes: Option<Arc<PrefixCache>>,
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn should(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn must(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// The clauses as one query: their [`Words`] that must match are one [`Words`] of them all
/// (a conjunction of them alone is that query), in the place of the first. The same words
/// thus score alike with the proximity bonus in the query (a clause beside them) as without
/// it, the bonus added afterwards ([`Planner::plan_deferring_proximity`]): one sum over the
/// words, not a sum of sums, whose rounding differed, so that a cursor's next page (bonus in
/// the query) compared its hits against a score the first page had rounded otherwise.
fn conjoined(clauses: Clauses) -> Box<dyn Query> {
    let mut merged: Option<(usize, Words)> = None;
    let mut others: Clauses = Vec::with_capacity(clauses.len());
    for (occur, query) in clauses {
        let words = match occur {
            Occur::Must => query.downcast::<Words>(),
            _ => Err(query),
        };
        match words {
            Ok(words) => {
                merged = Some(match merged {
                    Some((at, all)) => (at, all.and(*words)),
                    None => (others.len(), *words),
                });
            }
            Err(query) => others.push((occur, query)),
        }
    }
    let Some((at, words)) = merged else {
        return Box::new(BooleanQuery::new(others));
    };
    if others.is_empty() {
        return Box::new(words);
    }
    others.insert(at, (Occur::Must, Box::new(words)));
    Box::new(BooleanQuery::new(others))
}

impl<'a> Planner<'a> {
    /// A planner for the documents of `target`, all of which `all` (the kind filter) matches.
    pub(crate) fn new(
        schema: &'a ReplySchema,
        analysis: &'a Analysis,
        target: Target,
        all: Box<dyn Query>,
    ) -> Self {
        let (text, bigrams) = match target {
            Target::Replies => (schema.text, schema.text_bigrams),
            Target::Commitments => (schema.commitment_text, schema.commitment_bigrams),
        };
        Planner {
            schema,
            analysis,
            text,
            bigrams,
            all,
            target,
            prefixes: None,
        }
    }

    /// The planner, its one-character words' bigrams kept in `prefixes` between searches.
    pub(crate) fn with_prefixes(mut self, prefixes: Arc<PrefixCache>) -> Self {
        self.prefixes = Some(prefixes);
        self
    }

    /// The query for `root`, restricted to the documents of `all`.
    pub(crate) fn plan(&self, root: &Node) -> Plan {
        let mut needles = Vec::new();
        let built = self.node(root, &mut Some(&mut needles));
        self.restricted(built, self.leaves_of_kind(root), needles, None)
    }

    /// Like [`Planner::plan`], but the proximity bonus of the query's top-level words (a
    /// conjunction at the root, or the words of a lone leaf) is left out of the query and
    /// returned in [`Plan::proximity`]: the score of a reply is then the query's score plus
    /// the bonus, added by [`crate::proximity`] to the replies that can make the best hits.
    /// A bonus nested under OR or NOT stays in the query.
    pub(crate) fn plan_deferring_proximity(&self, root: &Node) -> Plan {
        let mut needles = Vec::new();
        let mut outer = Some(&mut needles);
        let (built, words) = match root {
            Node::Leaf(leaf) => self.leaf(leaf, false, &mut outer),
            Node::And(items) => match self.conjunction(items, &mut outer) {
                Some((clauses, words)) => (Built::Match(conjoined(clauses)), words),
                None => (Built::Nothing, Vec::new()),
            },
            other => (self.node(other, &mut outer), Vec::new()),
        };
        let proximity = matches!(built, Built::Match(_))
            .then(|| self.proximity_terms(&words))
            .flatten();
        self.restricted(built, self.leaves_of_kind(root), needles, proximity)
    }

    /// Whether every field the leaves of `root` look in holds documents of the kind searched
    /// only, so that a query that matches needs no `all` beside it. Always for replies: the
    /// text, titles, 文号 and name fields are the reply's own (commitments have text fields of
    /// their own). For commitments, unless a leaf is scoped: `title:`, `department:`,
    /// `proposer:` and `doc:` look in their reply's fields, on reply documents (a commitment
    /// search with one is refused when validated; this stays right if it ever is not).
    fn leaves_of_kind(&self, root: &Node) -> bool {
        fn scoped(node: &Node) -> bool {
            match node {
                Node::Leaf(leaf) => leaf.scope.is_some(),
                Node::And(items) | Node::Or(items) => items.iter().any(scoped),
                Node::Not(inner) => scoped(inner),
            }
        }
        self.target == Target::Replies || !scoped(root)
    }

    /// Whether a word also looks in the reply's titles and a 文号 in its exact field: in a reply
    /// search. Those fields are on reply documents, which a commitment search never returns.
    fn reply_fields(&self) -> bool {
        self.target == Target::Replies
    }

    /// `built` restricted to the documents of `all`. A match over fields of the kind's own
    /// documents (`own`, [`Planner::leaves_of_kind`]) is left as it is: intersecting it with
    /// `all` (100,000 replies among 3 million documents at 100,000 replies) cost a seek in the
    /// `kind` postings for every hit.
    fn restricted(
        &self,
        built: Built,
        own: bool,
        needles: Vec<String>,
        proximity: Option<Proximity>,
    ) -> Plan {
        let built = match built {
            Built::Match(query) if own => {
                return Plan {
                    query,
                    needles,
                    proximity,
                };
            }
            other => other,
        };
        let mut clauses = vec![(Occur::Must, self.all.box_clone())];
        match built {
            Built::Match(q) => clauses.push((Occur::Must, q)),
            Built::Exclude(q) => clauses.push((Occur::MustNot, q)),
            Built::Nothing => {}
        }
        Plan {
            query: Box::new(BooleanQuery::new(clauses)),
            needles,
            proximity,
        }
    }

    /// `needles` is `None` under an exclusion: excluded terms are not highlighted.
    fn node(&self, node: &Node, needles: &mut Option<&mut Vec<String>>) -> Built {
        match node {
            Node::Leaf(leaf) => self.leaf(leaf, true, needles).0,
            Node::Not(inner) => match self.node(inner, &mut None) {
                Built::Match(q) => Built::Exclude(q),
                Built::Exclude(q) => Built::Match(q),
                Built::Nothing => Built::Nothing,
            },
            Node::Or(items) => {
                let alternatives: Vec<Box<dyn Query>> = items
                    .iter()
                    .filter_map(|n| self.standalone(self.node(n, needles)))
                    .collect();
                match alternatives.len() {
                    0 => Built::Nothing,
                    _ => Built::Match(should(alternatives)),
                }
            }
            Node::And(items) => self.and(items, needles),
        }
    }

    /// A conjunction, with the proximity bonus over the words of its word leaves.
    fn and(&self, items: &[Node], needles: &mut Option<&mut Vec<String>>) -> Built {
        let Some((mut clauses, words)) = self.conjunction(items, needles) else {
            return Built::Nothing;
        };
        if let Some(bonus) = self.proximity(&words) {
            clauses.push((Occur::Should, bonus));
        }
        Built::Match(conjoined(clauses))
    }

    /// The clauses of a conjunction (none when nothing constrains), and the words of its word
    /// leaves, for the proximity bonus.
    fn conjunction(
        &self,
        items: &[Node],
        needles: &mut Option<&mut Vec<String>>,
    ) -> Option<(Clauses, Vec<String>)> {
        let mut clauses: Clauses = Vec::new();
        let mut words = Vec::new();
        let mut positive = false;
        for item in items {
            let built = match item {
                Node::Leaf(leaf) => {
                    let (built, leaf_words) = self.leaf(leaf, false, needles);
                    words.extend(leaf_words);
                    built
                }
                other => self.node(other, needles),
            };
            match built {
                Built::Match(q) => {
                    positive = true;
                    clauses.push((Occur::Must, q));
                }
                Built::Exclude(q) => clauses.push((Occur::MustNot, q)),
                Built::Nothing => {}
            }
        }
        if clauses.is_empty() {
            return None;
        }
        if !positive {
            clauses.push((Occur::Must, self.all.box_clone()));
        }
        Some((clauses, words))
    }

    /// A query that stands on its own (an alternative of an OR): an exclusion becomes "every
    /// document but these".
    fn standalone(&self, built: Built) -> Option<Box<dyn Query>> {
        match built {
            Built::Match(q) => Some(q),
            Built::Exclude(q) => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.all.box_clone()),
                (Occur::MustNot, q),
            ]))),
            Built::Nothing => None,
        }
    }

    /// A leaf, and the unscoped words it contributes to its conjunction's proximity bonus (or,
    /// with `own_proximity`, scores itself).
    fn leaf(
        &self,
        leaf: &Leaf,
        own_proximity: bool,
        needles: &mut Option<&mut Vec<String>>,
    ) -> (Built, Vec<String>) {
        let s = self.schema;
        let text = leaf.term.text();
        let mut words = Vec::new();
        let query = match (leaf.scope, &leaf.term) {
            (None, QueryTerm::Words(text)) => {
                words = self
                    .analysis
                    .words(text)
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                self.words(&words, own_proximity)
            }
            (None, QueryTerm::Phrase(text)) => self.substring(text).map(|body| {
                let mut clauses = vec![(Occur::Must, body)];
                if let Some(title) = self
                    .reply_fields()
                    .then(|| self.chars(s.title_chars, text))
                    .flatten()
                {
                    clauses.push((Occur::Should, boosted(title, TITLE_BOOST)));
                }
                Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
            }),
            (None, QueryTerm::DocNumber(number)) => {
                let mut alternatives = Vec::new();
                if self.reply_fields() {
                    alternatives.push(boosted(term_query(s.doc_number, number), DOC_NUMBER_BOOST));
                }
                alternatives.extend(self.substring(number));
                // A 文号 with nothing to find matches nothing (not everything).
                Some(if alternatives.is_empty() {
                    Box::new(EmptyQuery) as Box<dyn Query>
                } else {
                    should(alternatives)
                })
            }
            (Some(Scope::Title), QueryTerm::Words(text)) => {
                let per_word: Vec<Box<dyn Query>> = self
                    .analysis
                    .words(text)
                    .into_iter()
                    .map(|w| {
                        let mut alternatives = vec![term_query(s.title, &w.text)];
                        alternatives.extend(
                            self.chars(s.title_chars, &w.text)
                                .map(|q| boosted(q, CHARS_BOOST)),
                        );
                        should(alternatives)
                    })
                    .collect();
                (!per_word.is_empty()).then(|| must(per_word))
            }
            (Some(Scope::Title), _) => self.chars(s.title_chars, text),
            (Some(Scope::Department), _) => self.chars(s.department_chars, text),
            (Some(Scope::Proposer), _) => self.chars(s.proposer_chars, text),
            (Some(Scope::DocNumber), _) => match canonical_doc_number(text) {
                Some(number) => {
                    let mut alternatives =
                        vec![boosted(term_query(s.doc_number, &number), DOC_NUMBER_BOOST)];
                    alternatives.extend(self.chars(s.doc_number_chars, &number));
                    Some(should(alternatives))
                }
                None => self.chars(s.doc_number_chars, text),
            },
        };
        match query {
            Some(q) => {
                if let Some(needles) = needles {
                    match &leaf.term {
                        QueryTerm::Words(_) if !words.is_empty() => {
                            for w in &words {
                                needles.push(w.clone());
                                needles.extend(self.analysis.synonyms(w).iter().cloned());
                            }
                        }
                        _ => needles.push(text.to_string()),
                    }
                }
                (Built::Match(q), words)
            }
            None => (Built::Nothing, Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests;
