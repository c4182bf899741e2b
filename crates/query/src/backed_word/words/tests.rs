//! The conjunction of words, and a word with its synonyms, against tantivy's: the same hits
//! with the same scores, and a bound never below a score.

use super::*;
use crate::backed_word::BackedWord;
use crate::backed_word::tests::seek_in_order;
use proptest::prelude::*;
use tantivy::query::{BooleanQuery, BoostQuery, Occur};
use tantivy::schema::{Field, Schema, TEXT};
use tantivy::{Index, IndexWriter, Searcher, SegmentReader, TantivyDocument};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

/// A reply of the test: how often its text holds each word's token (`w0`…`w2`) and each
/// word's synonym (`s0`…`s2`), its bigram field (`b0`…`b3`, one position each) and how often
/// its title holds each word.
#[derive(Debug, Clone)]
struct Reply {
    words: [u8; 3],
    synonyms: [u8; 3],
    bigrams: Vec<u8>,
    titles: [u8; 3],
}

fn replies() -> impl Strategy<Value = Vec<Reply>> {
    let reply = (
        [0u8..4, 0u8..3, 0u8..3],
        [0u8..3, 0u8..2, 0u8..2],
        prop::collection::vec(0u8..4, 0..24),
        [0u8..2, 0u8..2, 0u8..2],
    )
        .prop_map(|(words, synonyms, bigrams, titles)| Reply {
            words,
            synonyms,
            bigrams,
            titles,
        });
    prop::collection::vec(reply, 1..150)
}

struct Fields {
    text: Field,
    bigrams: Field,
    title: Field,
}

fn index_of(replies: &[Reply]) -> tantivy::Result<(Searcher, Fields)> {
    let mut schema = Schema::builder();
    let fields = Fields {
        text: schema.add_text_field("text", TEXT),
        bigrams: schema.add_text_field("bigrams", TEXT),
        title: schema.add_text_field("title", TEXT),
    };
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    for (i, r) in replies.iter().enumerate() {
        // Longer and shorter texts and titles, so the field lengths differ.
        let mut text = vec!["filler"; 1 + i % 7];
        let mut title = vec!["t"; 1 + i % 3];
        for (w, token) in ["w0", "w1", "w2"].into_iter().enumerate() {
            text.extend(std::iter::repeat_n(token, usize::from(r.words[w])));
            title.extend(std::iter::repeat_n(token, usize::from(r.titles[w])));
        }
        for (w, token) in ["s0", "s1", "s2"].into_iter().enumerate() {
            text.extend(std::iter::repeat_n(token, usize::from(r.synonyms[w])));
        }
        let mut chars: Vec<String> = r.bigrams.iter().map(|b| format!("b{b}")).collect();
        chars.push("bx".into());
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.text, text.join(" "));
        doc.add_text(fields.bigrams, chars.join(" "));
        doc.add_text(fields.title, title.join(" "));
        writer.add_document(doc)?;
    }
    writer.commit()?;
    Ok((index.reader()?.searcher(), fields))
}

/// `query`'s hits in the segment and their scores.
fn hits(
    query: &dyn Query,
    scoring: EnableScoring<'_>,
    reader: &SegmentReader,
) -> Result<Vec<(DocId, Score)>, TestCaseError> {
    let mut scorer = query
        .weight(scoring)
        .map_err(fail)?
        .scorer(reader, 1.0)
        .map_err(fail)?;
    let mut hits = Vec::new();
    while scorer.doc() != TERMINATED {
        hits.push((scorer.doc(), scorer.score()));
        scorer.advance();
    }
    Ok(hits)
}

/// The query the planner made of a word and its synonyms before [`WithSynonyms`]: a union of
/// the word and each synonym boosted (tantivy's buffered union).
fn tantivy_union(word: &BackedWord, synonyms: &[BackedWord]) -> Box<dyn Query> {
    if synonyms.is_empty() {
        return Box::new(word.clone());
    }
    let mut clauses = vec![(Occur::Should, Box::new(word.clone()) as Box<dyn Query>)];
    for synonym in synonyms {
        let boosted = BoostQuery::new(Box::new(synonym.clone()), SYNONYM_BOOST);
        clauses.push((Occur::Should, Box::new(boosted)));
    }
    Box::new(BooleanQuery::new(clauses))
}

const SYNONYM_BOOST: Score = 0.5;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// One to three words, each its token or one or two bigrams in a row, with or without a
    /// title, with none, one or two synonyms (a token, or characters in a row only): the same
    /// documents as tantivy's intersection of the words (each with its synonyms a union);
    /// the same scores to the bit as tantivy's intersection of the same word queries (what
    /// a query with the proximity bonus runs, whose scores a cursor compares); bounds at least
    /// the score. A word with its synonyms alone is tantivy's union to the bit.
    #[test]
    fn it_is_the_intersection_of_its_words(
        replies in replies(),
        count in 1usize..4,
        two_bigrams in prop::collection::vec(any::<bool>(), 3),
        with_title in prop::collection::vec(any::<bool>(), 3),
        synonym_count in prop::collection::vec(0usize..3, 3),
        phrase_synonym in prop::collection::vec(any::<bool>(), 3),
        targets in prop::collection::vec(0u32..160, 0..12),
    ) {
        let (searcher, f) = index_of(&replies).map_err(fail)?;
        let bigram = |b: usize| Term::from_field_text(f.bigrams, &format!("b{b}"));
        let words: Vec<(BackedWord, Vec<BackedWord>)> = (0..count)
            .map(|w| {
                let mut phrase = vec![(0, bigram(w))];
                if two_bigrams[w] {
                    phrase.push((1, bigram((w + 1) % 4)));
                }
                let titles = if with_title[w] {
                    vec![(Term::from_field_text(f.title, &format!("w{w}")), 3.0)]
                } else {
                    Vec::new()
                };
                let word = BackedWord::new(
                    Some(Term::from_field_text(f.text, &format!("w{w}"))),
                    phrase,
                    Vec::new(),
                    0.3,
                    titles,
                );
                let synonyms = (0..synonym_count[w])
                    .map(|k| {
                        let token = format!("s{}", (w + k) % 3);
                        if phrase_synonym[w] && k == 1 {
                            // Several words: their characters in a row only.
                            let phrase = vec![(0, bigram((w + 2) % 4)), (1, bigram((w + 3) % 4))];
                            BackedWord::new(None, phrase, Vec::new(), 1.0, Vec::new())
                        } else {
                            // A title term no title holds: absent from the segment.
                            let titles = vec![(Term::from_field_text(f.title, &token), 3.0)];
                            let phrase = vec![(0, bigram((w + 2) % 4))];
                            let text = Term::from_field_text(f.text, &token);
                            BackedWord::new(Some(text), phrase, Vec::new(), 0.3, titles)
                        }
                    })
                    .collect();
                (word, synonyms)
            })
            .collect();
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let reader = searcher.segment_reader(0);

        let unions = BooleanQuery::new(
            words
                .iter()
                .map(|(word, synonyms)| (Occur::Must, tantivy_union(word, synonyms)))
                .collect(),
        );
        let expected = hits(&unions, scoring, reader)?;
        let with_synonyms: Vec<WithSynonyms> = words
            .iter()
            .map(|(word, synonyms)| {
                WithSynonyms::new(word.clone(), synonyms.clone(), SYNONYM_BOOST)
            })
            .collect();
        let intersection = BooleanQuery::new(
            with_synonyms
                .iter()
                .map(|w| (Occur::Must, Box::new(w.clone()) as Box<dyn Query>))
                .collect(),
        );
        let exact = hits(&intersection, scoring, reader)?;

        // Each word with its synonyms, alone: tantivy's union to the bit.
        for ((word, synonyms), ours) in words.iter().zip(&with_synonyms) {
            let theirs = hits(&*tantivy_union(word, synonyms), scoring, reader)?;
            prop_assert_eq!(&hits(ours, scoring, reader)?, &theirs);
            let weight = ours.synonyms_weight(scoring).map_err(fail)?;
            if let Some(mut scorer) = weight.word_scorer(reader, 1.0).map_err(fail)? {
                while scorer.doc() != TERMINATED {
                    let score = scorer.score();
                    prop_assert!(scorer.bound() >= score);
                    prop_assert!(!scorer.untitled() || scorer.body_max() >= score);
                    scorer.advance();
                }
            }
            if let Some(&(doc, score)) = theirs.first() {
                let explained = weight.explain(reader, doc).map_err(fail)?;
                prop_assert_eq!(explained.value(), score);
            }
        }

        let ours = Words::new(with_synonyms).ok_or_else(|| fail("no word"))?;
        let weight = WordsWeight {
            weights: ours
                .words
                .iter()
                .map(|w| w.synonyms_weight(scoring))
                .collect::<tantivy::Result<Vec<_>>>()
                .map_err(fail)?,
        };
        let mut walked = Vec::new();
        if let Some(mut walk) = weight.words_scorer(reader, 1.0).map_err(fail)? {
            // Words alone where no word has a synonym.
            let alone = synonym_count[..count].iter().all(|&n| n == 0);
            prop_assert!(!alone || matches!(walk, Walk::Alone(_)));
            let scorer = walk.bounded();
            while scorer.doc() != TERMINATED {
                let rough = scorer.rough_bound();
                let bound = scorer.bound();
                let score = scorer.score();
                prop_assert!(bound >= score, "doc {}: bound {} below score {}", scorer.doc(), bound, score);
                prop_assert!(rough >= score, "doc {}: rough bound {} below score {}", scorer.doc(), rough, score);
                walked.push((scorer.doc(), score));
                scorer.advance();
            }
        }
        prop_assert_eq!(&walked, &exact);
        // Tantivy's unions sum in another order where its intersection walks them in
        // another order (a union's cost falls as it drains): the same documents, the same
        // scores but for rounding.
        prop_assert_eq!(walked.len(), expected.len());
        for (&(doc, score), &(their_doc, their_score)) in walked.iter().zip(&expected) {
            prop_assert_eq!(doc, their_doc);
            prop_assert!((score - their_score).abs() <= 1e-5 * their_score.abs().max(1.0));
        }

        // Sought to targets in order, through the boxed scorer the collector gets.
        let mut scorer = weight.scorer(reader, 1.0).map_err(fail)?;
        seek_in_order(&mut *scorer, targets, &exact, 0.0)?;
        // An explanation of a hit carries its score.
        if let Some(&(doc, score)) = exact.first() {
            let explained = weight.explain(reader, doc).map_err(fail)?;
            prop_assert_eq!(explained.value(), score);
        }
    }
}
