//! The conjunction of words against tantivy's: the same hits with the same scores, and a
//! bound never below a score.

use super::*;
use crate::backed_word::tests::seek_in_order;
use proptest::prelude::*;
use tantivy::query::{BooleanQuery, Occur};
use tantivy::schema::{Field, Schema, TEXT};
use tantivy::{Index, IndexWriter, Searcher, TantivyDocument};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

/// A reply of the test: how often its text holds each word's token (`w0`…`w2`), its bigram
/// field (`b0`…`b3`, one position each) and how often its title holds each word.
#[derive(Debug, Clone)]
struct Reply {
    words: [u8; 3],
    bigrams: Vec<u8>,
    titles: [u8; 3],
}

fn replies() -> impl Strategy<Value = Vec<Reply>> {
    let reply = (
        [0u8..4, 0u8..3, 0u8..3],
        prop::collection::vec(0u8..4, 0..24),
        [0u8..2, 0u8..2, 0u8..2],
    )
        .prop_map(|(words, bigrams, titles)| Reply {
            words,
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// One to three words, each its token or one or two bigrams in a row, with or without a
    /// title: the same documents as tantivy's intersection of the words, the same score to the
    /// bit, and bounds at least the score.
    #[test]
    fn it_is_the_intersection_of_its_words(
        replies in replies(),
        count in 1usize..4,
        two_bigrams in prop::collection::vec(any::<bool>(), 3),
        with_title in prop::collection::vec(any::<bool>(), 3),
        targets in prop::collection::vec(0u32..160, 0..12),
    ) {
        let (searcher, f) = index_of(&replies).map_err(fail)?;
        let words: Vec<BackedWord> = (0..count)
            .map(|w| {
                let bigram = |b: usize| Term::from_field_text(f.bigrams, &format!("b{b}"));
                let mut phrase = vec![(0, bigram(w))];
                if two_bigrams[w] {
                    phrase.push((1, bigram((w + 1) % 4)));
                }
                let titles = if with_title[w] {
                    vec![(Term::from_field_text(f.title, &format!("w{w}")), 3.0)]
                } else {
                    Vec::new()
                };
                BackedWord::new(
                    Some(Term::from_field_text(f.text, &format!("w{w}"))),
                    phrase,
                    Vec::new(),
                    0.3,
                    titles,
                )
            })
            .collect();
        let tantivy_query = BooleanQuery::new(
            words
                .iter()
                .map(|w| (Occur::Must, Box::new(w.clone()) as Box<dyn Query>))
                .collect(),
        );
        let ours = Words::new(words).ok_or_else(|| fail("no word"))?;
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let reader = searcher.segment_reader(0);

        let mut expected = Vec::new();
        let mut theirs = tantivy_query.weight(scoring).map_err(fail)?.scorer(reader, 1.0).map_err(fail)?;
        while theirs.doc() != TERMINATED {
            expected.push((theirs.doc(), theirs.score()));
            theirs.advance();
        }

        let weight = WordsWeight {
            weights: ours
                .words
                .iter()
                .map(|w| w.backed_weight(scoring))
                .collect::<tantivy::Result<Vec<_>>>()
                .map_err(fail)?,
        };
        let mut walked = Vec::new();
        if let Some(mut scorer) = weight.words_scorer(reader, 1.0).map_err(fail)? {
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
        prop_assert_eq!(&walked, &expected);

        // Sought to targets in order, through the boxed scorer the collector gets.
        let mut scorer = weight.scorer(reader, 1.0).map_err(fail)?;
        seek_in_order(&mut *scorer, targets, &expected, 0.0)?;
        // An explanation of a hit carries its score.
        if let Some(&(doc, score)) = expected.first() {
            let explained = weight.explain(reader, doc).map_err(fail)?;
            prop_assert_eq!(explained.value(), score);
        }
    }
}
