//! The backed word against an oracle: the token or the characters in a row, and the score of
//! the union it stands for.

use super::*;
use proptest::prelude::*;
use tantivy::schema::{Field, Schema, TEXT};
use tantivy::{Index, IndexWriter, Searcher, TantivyDocument};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

/// A reply of the test: how often its text holds the word's token (`ww`, among filler
/// words), and its bigram field as bigrams `b0`…`b3`, one position each (and a filler).
#[derive(Debug, Clone)]
struct Reply {
    word: u8,
    bigrams: Vec<u8>,
}

fn replies() -> impl Strategy<Value = Vec<Reply>> {
    let reply = (0u8..3, prop::collection::vec(0u8..4, 0..12))
        .prop_map(|(word, bigrams)| Reply { word, bigrams });
    prop::collection::vec(reply, 1..120)
}

/// One segment of `replies`, in order; returns the searcher and the two fields.
fn index_of(replies: &[Reply]) -> tantivy::Result<(Searcher, Field, Field)> {
    let mut schema = Schema::builder();
    let text = schema.add_text_field("text", TEXT);
    let bigrams = schema.add_text_field("bigrams", TEXT);
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    for r in replies {
        let mut words = vec!["filler"; 3];
        words.extend(std::iter::repeat_n("ww", usize::from(r.word)));
        // Every reply has text, so its bigram field is never empty (with no bigram in the
        // whole index, BM25's average length is 0 and every score NaN): a filler bigram last.
        let mut chars: Vec<String> = r.bigrams.iter().map(|b| format!("b{b}")).collect();
        chars.push("bx".into());
        let mut doc = TantivyDocument::default();
        doc.add_text(text, words.join(" "));
        doc.add_text(bigrams, chars.join(" "));
        writer.add_document(doc)?;
    }
    writer.commit()?;
    Ok((index.reader()?.searcher(), text, bigrams))
}

/// How often the symbols of `phrase` (each at its offset) occur in `chars`.
fn in_a_row(chars: &[u8], phrase: &[(usize, u8)]) -> u32 {
    let span = phrase.iter().map(|(o, _)| o + 1).max().unwrap_or(0);
    (0..(chars.len() + 1).saturating_sub(span))
        .filter(|s| phrase.iter().all(|&(o, b)| chars[s + o] == b))
        .count() as u32
}

/// The word's token in a case: absent, a query word's (scored), or a quoted phrase's (found,
/// not scored).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    None,
    Scored,
    Quoted,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The scorer finds exactly the replies that hold the token or the characters in a row
    /// (the phrase's bigrams at their offsets, and the sieve's anywhere),
    /// walked one by one or sought to any targets, with the score of the union it stands
    /// for: the token's BM25 plus the boosted phrase's, the phrase's frequency taken to be
    /// the token's where the token is (a single bigram's own frequency where it is there).
    /// A quoted phrase's token (`Quoted`) finds replies as a word's does but adds no BM25 of
    /// its own.
    #[test]
    fn it_matches_and_scores_the_token_or_the_characters_in_a_row(
        replies in replies(),
        word_bigrams in prop::collection::vec(0u8..4, 1..5),
        in_sieve in prop::collection::vec(any::<bool>(), 5),
        word in prop::sample::select(vec![Token::None, Token::Scored, Token::Quoted]),
        targets in prop::collection::vec(0u32..130, 0..20),
    ) {
        let (searcher, text, field) = index_of(&replies).map_err(fail)?;
        let token = word;
        let word = Term::from_field_text(text, "ww");
        let bigram = |b: u8| Term::from_field_text(field, &format!("b{b}"));
        // The first bigram is always in the phrase; any other may be in the sieve instead.
        type Placed = Vec<(usize, u8)>;
        let (sieve, phrase): (Placed, Placed) = word_bigrams
            .iter()
            .copied()
            .enumerate()
            .partition(|&(i, _)| i > 0 && in_sieve[i]);
        let terms: Vec<(usize, Term)> = phrase.iter().map(|&(i, b)| (i, bigram(b))).collect();
        let sieve_terms: Vec<Term> = sieve.iter().map(|&(_, b)| bigram(b)).collect();
        let boost = if token == Token::Quoted { 1.0 } else { 0.4 };
        let query = match token {
            Token::Quoted => BackedWord::quoted(Some(word.clone()), terms.clone(), sieve_terms),
            _ => BackedWord::new(
                (token == Token::Scored).then(|| word.clone()),
                terms.clone(),
                sieve_terms,
                boost,
                Vec::new(),
            ),
        };
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .map_err(fail)?;
        let reader = searcher.segment_reader(0);

        // The oracle.
        let word_bm25 = Bm25Weight::for_terms(&searcher, std::slice::from_ref(&word))
            .map_err(fail)?;
        let phrase_terms: Vec<Term> = terms.iter().map(|(_, t)| t.clone()).collect();
        let phrase_bm25 = Bm25Weight::for_terms(&searcher, &phrase_terms)
            .map_err(fail)?
            .boost_by(boost);
        let text_norms = fieldnorms(reader, text).map_err(fail)?;
        let bigram_norms = fieldnorms(reader, field).map_err(fail)?;
        // A segment without one of the word's bigrams has no characters in a row: the scorer
        // keeps none of them there, and a reply with the token takes the token's frequency
        // for the phrase's even where a single bigram is (in real text the token implies
        // every bigram of the word, so this happens only in generated cases).
        let every_bigram_here = word_bigrams
            .iter()
            .all(|b| replies.iter().any(|r| r.bigrams.contains(b)));
        let expected: Vec<(DocId, Score)> = replies
            .iter()
            .enumerate()
            .filter_map(|(doc, r)| {
                let doc = doc as DocId;
                // Without a word (a quoted phrase), its characters in a row only.
                let tf = if token == Token::None { 0 } else { u32::from(r.word) };
                let word_score = if token == Token::Scored {
                    word_bm25.score(text_norms.fieldnorm_id(doc), tf)
                } else {
                    0.0
                };
                let sifted = sieve.iter().all(|(_, b)| r.bigrams.contains(b));
                let row = if sifted { in_a_row(&r.bigrams, &phrase) } else { 0 };
                let bigram_norm = bigram_norms.fieldnorm_id(doc);
                if tf > 0 {
                    let own = in_a_row(&r.bigrams, &phrase);
                    let backing = if phrase.len() == 1 && own > 0 && every_bigram_here {
                        own
                    } else {
                        tf
                    };
                    Some((doc, word_score + phrase_bm25.score(bigram_norm, backing)))
                } else if row > 0 {
                    Some((doc, phrase_bm25.score(bigram_norm, row)))
                } else {
                    None
                }
            })
            .collect();

        // Walked one by one.
        let mut scorer = weight.scorer(reader, 1.0).map_err(fail)?;
        let mut walked = Vec::new();
        while scorer.doc() != TERMINATED {
            walked.push((scorer.doc(), scorer.score()));
            scorer.advance();
        }
        prop_assert_eq!(walked.len(), expected.len());
        for ((d, s), (e, t)) in walked.iter().zip(&expected) {
            prop_assert_eq!(d, e);
            prop_assert!((s - t).abs() < 1e-4, "doc {}: {} against {}", d, s, t);
        }

        // Sought to targets in order (tantivy's contract: never before the current document;
        // a scorer of a segment without the word nor its bigrams stands on TERMINATED).
        let mut scorer = weight.scorer(reader, 1.0).map_err(fail)?;
        seek_in_order(&mut *scorer, targets, &expected, 1e-4)?;
    }
}

/// A reply of the bigram-led test: how often its text holds the two-character word's token,
/// how often its bigram field holds the word's bigram where jieba cut it otherwise (besides
/// once for each token), and the fillers of each field (their lengths).
#[derive(Debug, Clone)]
struct SpelledReply {
    tokens: u8,
    elsewhere: u8,
    text_fillers: u8,
    bigram_fillers: u8,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A two-character word whose one bigram spells it walks the bigram's postings alone and
    /// seeks the token's only to score: the same matches (every reply holding the bigram) and
    /// scores as the union of token and bigram, walked or sought; its bound (before the token
    /// is sought) is at least its score, and an explanation gives the score.
    #[test]
    fn a_word_led_by_its_bigram_matches_and_scores_as_the_union(
        replies in prop::collection::vec(
            (0u8..4, 0u8..3, 0u8..6, 0u8..6).prop_map(|(t, e, f, g)| SpelledReply {
                tokens: t,
                elsewhere: e,
                text_fillers: f,
                bigram_fillers: g,
            }),
            1..150,
        ),
        targets in prop::collection::vec(0u32..160, 0..20),
    ) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let field = schema.add_text_field("bigrams", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).map_err(fail)?;
        for r in &replies {
            let mut words = vec!["filler"; usize::from(r.text_fillers) + 1];
            words.extend(std::iter::repeat_n("ab", usize::from(r.tokens)));
            let mut grams = vec!["bx"; usize::from(r.bigram_fillers) + 1];
            grams.extend(std::iter::repeat_n("ab", usize::from(r.tokens + r.elsewhere)));
            let mut doc = TantivyDocument::default();
            doc.add_text(text, words.join(" "));
            doc.add_text(field, grams.join(" "));
            writer.add_document(doc).map_err(fail)?;
        }
        writer.commit().map_err(fail)?;
        let searcher = index.reader().map_err(fail)?.searcher();
        let reader = searcher.segment_reader(0);
        let word = Term::from_field_text(text, "ab");
        let bigram = Term::from_field_text(field, "ab");
        let boost = 0.4;
        let query = BackedWord::new(Some(word.clone()), vec![(0, bigram.clone())], Vec::new(), boost, Vec::new());
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let weight = query.backed_weight(scoring).map_err(fail)?;

        let word_bm25 = Bm25Weight::for_terms(&searcher, std::slice::from_ref(&word)).map_err(fail)?;
        let phrase_bm25 = Bm25Weight::for_terms(&searcher, std::slice::from_ref(&bigram))
            .map_err(fail)?
            .boost_by(boost);
        let text_norms = fieldnorms(reader, text).map_err(fail)?;
        let bigram_norms = fieldnorms(reader, field).map_err(fail)?;
        let expected: Vec<(DocId, Score)> = replies
            .iter()
            .enumerate()
            .filter(|(_, r)| r.tokens + r.elsewhere > 0)
            .map(|(doc, r)| {
                let doc = doc as DocId;
                let grams = u32::from(r.tokens + r.elsewhere);
                let phrase = phrase_bm25.score(bigram_norms.fieldnorm_id(doc), grams);
                let score = if r.tokens > 0 {
                    word_bm25.score(text_norms.fieldnorm_id(doc), u32::from(r.tokens)) + phrase
                } else {
                    phrase
                };
                (doc, score)
            })
            .collect();

        let Some(mut scorer) = weight.backed_scorer(reader, 1.0).map_err(fail)? else {
            prop_assert!(expected.is_empty());
            return Ok(());
        };
        // Led by the bigram when the token is in the segment (else the bigram alone).
        prop_assert_eq!(scorer.bigram_led, replies.iter().any(|r| r.tokens > 0));
        let mut walked = Vec::new();
        while scorer.doc() != TERMINATED {
            let bound = scorer.bound();
            let score = scorer.score();
            prop_assert!(bound >= score, "doc {}: bound {} under score {}", scorer.doc(), bound, score);
            walked.push((scorer.doc(), score));
            scorer.advance();
        }
        prop_assert_eq!(walked.len(), expected.len());
        for ((d, s), (e, t)) in walked.iter().zip(&expected) {
            prop_assert_eq!(d, e);
            prop_assert!((s - t).abs() < 1e-4, "doc {}: {} against {}", d, s, t);
        }
        for &(doc, score) in &expected {
            let explanation = weight.explain(reader, doc).map_err(fail)?;
            let explained = explanation.value();
            prop_assert!((explained - score).abs() < 1e-4, "doc {}: explained {} against {}", doc, explained, score);
            let tokens = replies[doc as usize].tokens > 0;
            let json: serde_json::Value = serde_json::from_str(&explanation.to_pretty_json()).map_err(fail)?;
            prop_assert_eq!(json["description"].as_str().is_some_and(|d| d.contains("its token in the text")), tokens);
            // The details add up to the score: the phrase at the bigram's own frequency.
            let details: f64 = json["details"].as_array().map_or(0.0, |d| d.iter().filter_map(|e| e["value"].as_f64()).sum());
            prop_assert!((details - f64::from(score)).abs() < 1e-3, "doc {}: details {} against {}", doc, details, score);
        }
        let mut scorer = weight.scorer(reader, 1.0).map_err(fail)?;
        seek_in_order(&mut *scorer, targets, &expected, 1e-4)?;
    }
}

/// The bigram-led bound takes the word's BM25 at the bigram's frequency, at least the token's:
/// BM25 must not fall as the frequency rises up to [`MONOTONE_FREQ`], in `f32`, at any field
/// length and any average length of the field.
#[test]
fn bm25_grows_with_the_frequency_up_to_the_bound_s_limit() {
    for average in [0.5f32, 1.0, 3.0, 40.0, 700.0, 12_000.0] {
        for doc_freq in [1, 1_000, 99_999] {
            let bm25 = Bm25Weight::for_one_term(doc_freq, 100_000, average);
            for norm in 0..=255u8 {
                let mut last = bm25.score(norm, 0);
                for tf in 1..=MONOTONE_FREQ {
                    let score = bm25.score(norm, tf);
                    assert!(score >= last, "norm {norm}, tf {tf}: {score} < {last}");
                    last = score;
                }
            }
        }
    }
}

/// Seeks `scorer` to `targets` in increasing order (tantivy's contract: never before the
/// current document; a scorer with no match stands on TERMINATED) and checks each landing and
/// its score against `expected`, within `tolerance`.
pub(crate) fn seek_in_order(
    scorer: &mut dyn Scorer,
    mut targets: Vec<DocId>,
    expected: &[(DocId, Score)],
    tolerance: Score,
) -> Result<(), TestCaseError> {
    targets.sort_unstable();
    let mut at = scorer.doc();
    for target in targets {
        if target < at {
            continue;
        }
        let got = scorer.seek(target);
        let want = expected.iter().find(|&&(d, _)| d >= target);
        prop_assert_eq!(got, want.map_or(TERMINATED, |&(d, _)| d), "seek {}", target);
        if let Some(&(_, score)) = want {
            let got_score = scorer.score();
            prop_assert!(
                (got_score - score).abs() <= tolerance,
                "doc {}: {} against {}",
                got,
                got_score,
                score
            );
        }
        at = got;
    }
    Ok(())
}

/// A phrase without a word is named, in explanations, by the characters its bigrams spell
/// (overlapping where the length is odd).
#[test]
fn a_phrase_is_named_by_its_bigrams() {
    let mut schema = tantivy::schema::Schema::builder();
    let field = schema.add_text_field("bigrams", TEXT);
    let phrase = |bigrams: &[(usize, &str)]| {
        let bigrams = bigrams
            .iter()
            .map(|&(o, b)| (o, Term::from_field_text(field, b)))
            .collect();
        BackedWord::new(None, bigrams, Vec::new(), 1.0, Vec::new()).label()
    };
    assert_eq!(
        phrase(&[(0, "乡村"), (2, "振兴"), (4, "战略")]),
        "乡村振兴战略"
    );
    assert_eq!(
        phrase(&[(0, "医疗"), (2, "保障"), (3, "障局")]),
        "医疗保障局"
    );
}
