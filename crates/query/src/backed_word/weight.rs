//! A backed word's weight: its BM25 statistics over the index, and its scorer in a segment
//! (the postings of its token, bigrams and titles), with the explanation of a score.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption, Type};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use super::scoring::Scoring;
use super::{BackedWord, BackedWordScorer, Bigram, TitleMatch, not_a_match};
use crate::term_infos::{Recording, TermInfos};

impl BackedWord {
    /// The weight, not boxed: [`Words`] holds several.
    pub(super) fn backed_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<BackedWordWeight> {
        let (word_bm25, phrase_bm25, title_bm25, infos) = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                searcher,
            } => {
                // The terms' dictionary entries, found for their frequencies, are kept for the
                // scorers.
                let statistics = Recording::new(statistics_provider, searcher);
                let phrase: Vec<Term> = self.bigrams.iter().map(|(_, t)| t.clone()).collect();
                let mut titles = Vec::with_capacity(self.titles.len());
                for (term, boost) in &self.titles {
                    titles.push(Some(
                        Bm25Weight::for_terms(&statistics, std::slice::from_ref(term))?
                            .boost_by(*boost),
                    ));
                }
                let word = match self.word.as_ref().filter(|_| self.word_scored) {
                    Some(word) => Some(Bm25Weight::for_terms(
                        &statistics,
                        std::slice::from_ref(word),
                    )?),
                    None => None,
                };
                let phrase = Some(Bm25Weight::for_terms(&statistics, &phrase)?);
                (word, phrase, titles, statistics.into_infos())
            }
            EnableScoring::Disabled { .. } => (
                None,
                None,
                vec![None; self.titles.len()],
                TermInfos::default(),
            ),
        };
        Ok(BackedWordWeight {
            query: self.clone(),
            word_bm25,
            phrase_bm25,
            title_bm25,
            infos,
        })
    }
}

pub(super) struct BackedWordWeight {
    query: BackedWord,
    word_bm25: Option<Bm25Weight>,
    phrase_bm25: Option<Bm25Weight>,
    /// One per title term (`None` without scoring), its boost applied.
    title_bm25: Vec<Option<Bm25Weight>>,
    /// The dictionary entries of the terms scored, per segment (none without scoring).
    infos: TermInfos,
}

pub(super) fn fieldnorms(reader: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(reader
        .fieldnorms_readers()
        .get_field(field)?
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)))
}

impl BackedWordWeight {
    pub(super) fn backed_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<BackedWordScorer>> {
        let mut scorer = self.unsettled_scorer(reader, boost)?;
        if let Some(scorer) = &mut scorer {
            scorer.settle(0);
        }
        Ok(scorer)
    }

    /// The scorer before it looks for its first match: on no document yet (not
    /// [`BackedWordScorer::exact`]), for a union to settle as far as it needs.
    pub(super) fn unsettled_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<BackedWordScorer>> {
        let q = &self.query;
        let word = match &q.word {
            Some(word) => self
                .infos
                .postings(reader, word, IndexRecordOption::WithFreqs)?,
            None => None,
        };
        // The bigrams, aligned on the phrase's last one (a match at character `s` reads as
        // position `s + last` in every list); none when one bigram is absent from the segment.
        let last = q.bigrams.iter().map(|(o, _)| *o).max().unwrap_or(0);
        let phrase_option = if q.phrase() {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let covering = q.bigrams.iter().map(|(o, t)| (Some((last - o) as u32), t));
        let sieve = q.sieve.iter().map(|t| (None, t));
        let mut bigrams = Vec::with_capacity(q.bigrams.len() + q.sieve.len());
        for (shift, term) in covering.chain(sieve) {
            let option = if shift.is_some() {
                phrase_option
            } else {
                IndexRecordOption::Basic
            };
            match self.infos.postings(reader, term, option)? {
                Some(postings) => bigrams.push(Bigram { shift, postings }),
                None => {
                    bigrams.clear();
                    break;
                }
            }
        }
        bigrams.sort_by_key(|b| b.postings.size_hint());
        let mut titles = Vec::with_capacity(q.titles.len());
        for ((term, _), bm25) in q.titles.iter().zip(&self.title_bm25) {
            if let Some(postings) =
                self.infos
                    .postings(reader, term, IndexRecordOption::WithFreqs)?
            {
                titles.push(TitleMatch {
                    postings,
                    bm25: bm25.as_ref().map(|w| w.boost_by(boost)),
                    norms: fieldnorms(reader, term.field())?,
                });
            }
        }
        if word.is_none() && bigrams.is_empty() && titles.is_empty() {
            return Ok(None);
        }
        let bigram_field = q.bigrams.first().map(|(_, t)| t.field());
        // A two-character word spelled by its one bigram (the same text in the two fields).
        let spelled = match (&q.word, q.bigrams.as_slice()) {
            (Some(word), [(_, bigram)]) => {
                word.typ() == Type::Str
                    && bigram.typ() == Type::Str
                    && word.serialized_value_bytes() == bigram.serialized_value_bytes()
            }
            _ => false,
        };
        let bigram_led = spelled && q.word_scored && word.is_some() && bigrams.len() == 1;
        let scorer = BackedWordScorer {
            word,
            bigrams,
            phrase: q.phrase(),
            titles,
            doc: 0,
            body_doc: 0,
            body_pending: true,
            in_word: false,
            bigram_led,
            word_settled: !bigram_led,
            phrase_freq: 0,
            scoring: self.phrase_bm25.as_ref().map(|phrase_bm25| {
                Scoring::new(
                    self.word_bm25.as_ref().map(|w| w.boost_by(boost)),
                    phrase_bm25.boost_by(boost * q.backing_boost),
                )
            }),
            word_norms: match &q.word {
                Some(word) => fieldnorms(reader, word.field())?,
                None => FieldNormReader::constant(reader.max_doc(), 1),
            },
            bigram_norms: match bigram_field {
                Some(field) => fieldnorms(reader, field)?,
                None => FieldNormReader::constant(reader.max_doc(), 1),
            },
            positions: Vec::new(),
            other: Vec::new(),
        };
        Ok(Some(scorer))
    }
}

impl Weight for BackedWordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.backed_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let Some(mut scorer) = self.backed_scorer(reader, 1.0)? else {
            return Err(not_a_match(doc));
        };
        if scorer.seek(doc) != doc {
            return Err(not_a_match(doc));
        }
        if scorer.body_doc == doc {
            scorer.settle_word();
        }
        let word = self.query.label();
        let mut explanation = Explanation::new_with_string(
            if scorer.body_doc != doc {
                format!("{word}: in a title only")
            } else if scorer.in_word && self.query.word_scored {
                format!("{word}: its token in the text, and its characters in a row as often")
            } else if scorer.in_word {
                format!(
                    "\"{word}\": as one jieba word in the text, its characters in a row as often"
                )
            } else if !self.query.word_scored || self.query.word.is_none() {
                format!("\"{word}\": its characters in a row in the text")
            } else {
                format!("{word}: its characters in a row in the text (jieba cut them otherwise)")
            },
            scorer.score(),
        );
        for title in &scorer.titles {
            if title.postings.doc() == doc
                && let Some(bm25) = &title.bm25
            {
                let tf = title.postings.term_freq();
                explanation.add_detail(bm25.explain(title.norms.fieldnorm_id(doc), tf));
            }
        }
        // The phrase at the frequency the score took (a single bigram's own where the token is).
        let tf = match &scorer.word {
            Some(postings) if scorer.in_word && scorer.body_doc == doc => {
                Some(postings.term_freq())
            }
            _ => None,
        };
        let backing_tf = tf.map(|tf| scorer.backing_freq(tf));
        if let Some(scoring) = &scorer.scoring
            && scorer.body_doc == doc
        {
            let bigram_norm = scorer.bigram_norms.fieldnorm_id(doc);
            match (tf, backing_tf, &scoring.word_bm25) {
                (Some(tf), Some(backing_tf), Some(word_bm25)) => {
                    let norm = scorer.word_norms.fieldnorm_id(doc);
                    explanation.add_detail(word_bm25.explain(norm, tf));
                    explanation.add_detail(scoring.phrase_bm25.explain(bigram_norm, backing_tf));
                }
                (Some(_), Some(backing_tf), None) => {
                    explanation.add_detail(scoring.phrase_bm25.explain(bigram_norm, backing_tf));
                }
                _ => explanation
                    .add_detail(scoring.phrase_bm25.explain(bigram_norm, scorer.phrase_freq)),
            }
        }
        Ok(explanation)
    }
}
