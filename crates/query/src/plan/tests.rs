//! The planner's fields: which documents each kind's leaves can reach.

use std::collections::BTreeSet;

use dafu_extract::Extractor;
use dafu_index::{ReplyDocument, ReplySource};
use tantivy::query::{AllQuery, Query};
use tantivy::schema::document::Document;

use super::*;
use crate::query_text::parse;

/// The fields the reply document of a reply has a value in, and those some commitment
/// document of it has.
fn fields_of_each_kind(schema: &ReplySchema) -> (BTreeSet<Field>, BTreeSet<Field>) {
    let text = "关于加强养老服务的建议的答复\n浙民建〔2020〕12号\n张三代表：\n\
                您提出的《关于加强养老服务的建议》收悉。\
                我厅将于2021年底前新建养老服务中心20个。下一步，我们将加大资金投入。\n\
                浙江省民政厅\n2020年6月1日";
    let extractor = Extractor::embedded().unwrap();
    let mut fields = extractor.extract(text);
    assert!(!fields.commitments.is_empty(), "{fields:?}");
    fields.proposer = Some("张三".into());
    fields.proposal_title = Some("关于加强养老服务的建议".into());
    let reply = ReplyDocument {
        id: "r1".into(),
        text: text.into(),
        fields,
        origin: ReplySource::default(),
        fingerprint: "f".into(),
        sources: Vec::new(),
    };
    let docs = reply.to_tantivy(schema);
    assert!(docs.len() > 1);
    let fields = |docs: &[tantivy::TantivyDocument]| -> BTreeSet<Field> {
        docs.iter()
            .flat_map(|doc| doc.iter_fields_and_values().map(|(field, _)| field))
            .collect()
    };
    (fields(&docs[..1]), fields(&docs[1..]))
}

/// The fields the terms of `q`'s plans (with and without the deferred proximity bonus)
/// look in.
fn plan_fields(planner: &Planner, q: &str) -> BTreeSet<Field> {
    let root = parse(q).unwrap().root;
    let mut fields = BTreeSet::new();
    for plan in [planner.plan(&root), planner.plan_deferring_proximity(&root)] {
        plan.query.query_terms(&mut |term, _| {
            fields.insert(term.field());
        });
    }
    assert!(!fields.is_empty(), "{q}");
    fields
}

const UNSCOPED: &[&str] = &[
    "养老服务 资金",
    "资",
    "\"养老服务中心\"",
    "浙民建〔2020〕12号",
    "养老 OR 医保 -资金",
    "(养老 OR -医保) 服务",
];
const SCOPED: &[&str] = &[
    "title:养老服务",
    "title:\"养老\"",
    "department:民政厅",
    "proposer:张三",
    "doc:浙民建〔2020〕12号",
    "doc:2020",
    "养老 OR department:民政厅",
];

/// A search is not intersected with the `kind` postings (each hit's seek there was ~5% of a
/// search), which is right only while every field its leaves look in is one that
/// documents of the other kind never have: a reply leaf over a shared field (a facet, a
/// commitment's text) would match commitments as replies, and a commitment leaf over a
/// reply's field replies as commitments.
#[test]
fn leaves_look_only_in_fields_of_their_kind() {
    let schema = ReplySchema::build();
    let analysis = Analysis::embedded().unwrap();
    let (on_replies, on_commitments) = fields_of_each_kind(&schema);
    assert!(on_commitments.contains(&schema.commitment_text));
    assert!(on_commitments.contains(&schema.province) && on_replies.contains(&schema.title));
    let replies = Planner::new(&schema, &analysis, Target::Replies, Box::new(AllQuery));
    for q in UNSCOPED.iter().chain(SCOPED) {
        let fields = plan_fields(&replies, q);
        let wrong: Vec<_> = fields.intersection(&on_commitments).collect();
        assert!(wrong.is_empty(), "{q} looks in {wrong:?}");
    }
    let kind = Term::from_field_text(schema.kind, "commitment");
    let commitments = Planner::new(
        &schema,
        &analysis,
        Target::Commitments,
        Box::new(TermQuery::new(kind, IndexRecordOption::Basic)),
    );
    for q in UNSCOPED {
        let fields = plan_fields(&commitments, q);
        // An exclusion on its own starts from every commitment (the kind's term).
        let wrong: Vec<_> = fields
            .intersection(&on_replies)
            .filter(|&&f| f != schema.kind)
            .collect();
        assert!(wrong.is_empty(), "{q} looks in {wrong:?}");
        if !q.contains('-') {
            assert!(
                !fields.contains(&schema.kind),
                "{q} is intersected with the kind"
            );
        }
    }
    // A scoped leaf looks in the reply's fields: the kind keeps replies out.
    for q in SCOPED {
        assert!(plan_fields(&commitments, q).contains(&schema.kind), "{q}");
    }
}

/// A word's characters in a row: the covering bigrams at their offsets (0, 2, 4, … and the
/// last one when the length is odd), and the others as the sieve.
#[test]
fn a_words_bigrams_are_its_phrase_and_its_sieve() {
    let schema = ReplySchema::build();
    let analysis = Analysis::embedded().unwrap();
    let planner = Planner::new(&schema, &analysis, Target::Replies, Box::new(AllQuery));
    let texts = |terms: &[Term]| -> Vec<String> {
        terms
            .iter()
            .map(|t| t.value().as_str().unwrap().to_string())
            .collect()
    };
    type Case<'a> = (&'a str, &'a [(usize, &'a str)], &'a [&'a str]);
    let cases: &[Case] = &[
        ("养老", &[(0, "养老")], &[]),
        ("医疗保障", &[(0, "医疗"), (2, "保障")], &["疗保"]),
        (
            "医疗保障局",
            &[(0, "医疗"), (2, "保障"), (3, "障局")],
            &["疗保"],
        ),
        (
            "乡村振兴战略",
            &[(0, "乡村"), (2, "振兴"), (4, "战略")],
            &["村振", "兴战"],
        ),
    ];
    for (word, phrase, sieve) in cases {
        let WordBigrams {
            phrase: got_phrase,
            sieve: got_sieve,
        } = planner.bigram_terms(word).unwrap();
        let offsets: Vec<usize> = got_phrase.iter().map(|(o, _)| *o).collect();
        let terms: Vec<Term> = got_phrase.into_iter().map(|(_, t)| t).collect();
        let want: Vec<(usize, String)> = phrase.iter().map(|(o, t)| (*o, t.to_string())).collect();
        let got: Vec<(usize, String)> = offsets.into_iter().zip(texts(&terms)).collect();
        assert_eq!(got, want, "{word}");
        assert_eq!(texts(&got_sieve), *sieve, "{word}");
        assert!(got_sieve.iter().all(|t| t.field() == schema.text_bigrams));
    }
    assert!(planner.bigram_terms("养").is_none());
}

/// A quoted phrase that jieba cuts as one word is found by that word's token in the text too
/// (no positions read where it is); one of several words, or with a character jieba leaves
/// apart, by its characters in a row only.
#[test]
fn a_quoted_phrase_is_found_by_its_token_only_when_it_is_one_word() {
    let schema = ReplySchema::build();
    let analysis = Analysis::embedded().unwrap();
    let words =
        |text: &str| -> Vec<String> { analysis.words(text).into_iter().map(|t| t.text).collect() };
    for (target, text) in [
        (Target::Replies, schema.text),
        (Target::Commitments, schema.commitment_text),
    ] {
        let planner = Planner::new(&schema, &analysis, target, Box::new(AllQuery));
        let tokens = |phrase: &str| -> Vec<String> {
            let mut found = Vec::new();
            let quoted = planner.chars_in_a_row(phrase).unwrap();
            quoted.query_terms(&mut |term, _| {
                if term.field() == text {
                    found.push(term.value().as_str().unwrap().to_string());
                }
            });
            found
        };
        for one_word in ["下一步", "养老服务"] {
            assert_eq!(
                words(one_word),
                [one_word],
                "jieba cuts {one_word} as one word"
            );
            assert_eq!(tokens(one_word), [one_word], "{target:?}");
        }
        for phrase in ["取得了明显成效", "养老服务中心建设"] {
            assert!(
                words(phrase).len() > 1,
                "jieba cuts {phrase} as several words"
            );
            assert!(tokens(phrase).is_empty(), "{phrase}");
        }
    }
}
