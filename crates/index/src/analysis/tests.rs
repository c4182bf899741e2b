//! Table tests over tokens, offsets and positions.

use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::*;

static ANALYSIS: LazyLock<Analysis> =
    LazyLock::new(|| Analysis::embedded().unwrap_or_else(|e| panic!("analysis: {e}")));

/// (text, offset_from..offset_to sliced from the original, position) of each token.
fn run<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<(String, String, usize)> {
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push((
            t.text.clone(),
            text[t.offset_from..t.offset_to].to_string(),
            t.position,
        ));
    }
    out
}

fn texts(tokens: &[Token]) -> Vec<&str> {
    tokens.iter().map(|t| t.text.as_str()).collect()
}

#[test]
fn words_drop_punctuation_and_keep_offsets_into_the_original() {
    let text = "２０２０年，嘉兴市ＡＢＣ协会　成立！";
    let tokens = run(WordTokenizer::new(ANALYSIS.jieba.clone()), text);
    for (folded, original, _) in &tokens {
        assert!(
            !folded.chars().any(dafu_extract::normalize::is_separator),
            "{tokens:?}"
        );
        assert_eq!(
            &dafu_extract::normalize::fold(original),
            folded,
            "{tokens:?}"
        );
    }
    let words: Vec<&str> = tokens.iter().map(|t| t.0.as_str()).collect();
    assert!(words.contains(&"2020"), "{words:?}");
    assert!(words.contains(&"嘉兴市"), "{words:?}");
    assert!(words.contains(&"abc"), "{words:?}");
    assert!(words.contains(&"协会"), "{words:?}");
}

#[test]
fn word_positions_count_words_and_sub_words_share_them() {
    let tokens = run(
        WordTokenizer::new(ANALYSIS.jieba.clone()),
        "加强社会组织人才队伍建设",
    );
    let positions: Vec<usize> = tokens.iter().map(|t| t.2).collect();
    // Positions never go backwards and never skip.
    for w in positions.windows(2) {
        assert!(w[1] == w[0] || w[1] == w[0] + 1, "{tokens:?}");
    }
    let pos_of = |w: &str| tokens.iter().find(|t| t.0 == w).map(|t| t.2);
    // 社会组织 and 人才队伍 are domain-dictionary words; 社会 and 组织 are their sub-words.
    assert_eq!(pos_of("社会"), pos_of("社会组织"), "{tokens:?}");
    assert_eq!(pos_of("人才"), pos_of("人才队伍"), "{tokens:?}");
    assert_eq!(
        pos_of("人才队伍").map(|p| p - 1),
        pos_of("社会组织"),
        "{tokens:?}"
    );
    assert_eq!(pos_of("加强"), Some(0));
}

#[test]
fn domain_dictionary_keeps_terms_whole() {
    for term in [
        "社会组织",
        "人才队伍",
        "突发事件",
        "复工复产",
        "双随机",
        "放管服",
        "人大代表",
        "政协委员",
        "会办单位",
    ] {
        let words = ANALYSIS.words(&format!("关于{term}的意见"));
        assert!(texts(&words).contains(&term), "{term}: {:?}", texts(&words));
    }
}

#[test]
fn document_numbers_fold_their_brackets() {
    let a = ANALYSIS.chars("吉民议字〔2020〕4号");
    let b = ANALYSIS.chars("吉民议字[２０２０]4号");
    assert_eq!(texts(&a), texts(&b));
    assert_eq!(
        texts(&a),
        ["吉", "民", "议", "字", "2", "0", "2", "0", "4", "号"]
    );
    let wa = ANALYSIS.words("吉民议字〔2020〕4号");
    let wb = ANALYSIS.words("吉民议字【2020】4号");
    assert_eq!(texts(&wa), texts(&wb));
}

#[test]
fn char_tokens_are_consecutive_across_line_breaks() {
    let text = "进一步加强协会商会等\n　　社会组织";
    let tokens = run(CharTokenizer::default(), text);
    let positions: Vec<usize> = tokens.iter().map(|t| t.2).collect();
    assert_eq!(positions, (0..tokens.len()).collect::<Vec<_>>());
    assert_eq!(
        tokens.iter().map(|t| t.1.as_str()).collect::<String>(),
        "进一步加强协会商会等社会组织"
    );
}

#[test]
fn mixed_scripts_table() {
    // (input, expected char tokens)
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        ("　 \n，。", &[]),
        ("5G基站", &["5", "g", "基", "站"]),
        ("ＧＤＰ增长5%", &["g", "d", "p", "增", "长", "5"]),
        ("第（一）条", &["第", "一", "条"]),
    ];
    for (input, expected) in cases {
        let tokens = run(CharTokenizer::default(), input);
        let got: Vec<&str> = tokens.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(&got, expected, "{input:?}");
        for (folded, original, _) in &tokens {
            assert_eq!(&dafu_extract::normalize::fold(original), folded);
        }
    }
    assert!(ANALYSIS.words("").is_empty());
    assert!(ANALYSIS.words("，。！　").is_empty());
    let words = ANALYSIS.words("5G基站建设2020年");
    assert!(texts(&words).contains(&"2020"), "{:?}", texts(&words));
}

#[test]
fn sub_words_come_only_from_the_dictionary() {
    let tokens = ANALYSIS.index_words("中华人民共和国");
    let t = texts(&tokens);
    assert!(t.contains(&"中华人民共和国"), "{t:?}");
    assert!(t.contains(&"人民"), "{t:?}");
    assert!(t.iter().all(|w| ANALYSIS.jieba().has_word(w)), "{t:?}");
    assert!(tokens.iter().all(|t| t.position == 0));
}

#[test]
fn traditional_text_segments_like_simplified_with_offsets_into_the_original() {
    let traditional = "廣東省應急管理廳加強人才隊伍建設";
    let simplified = "广东省应急管理厅加强人才队伍建设";
    let tw = run(WordTokenizer::new(ANALYSIS.jieba.clone()), traditional);
    let sw = run(WordTokenizer::new(ANALYSIS.jieba.clone()), simplified);
    let texts_of =
        |t: &[(String, String, usize)]| t.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(texts_of(&tw), texts_of(&sw));
    assert!(texts_of(&tw).contains(&"人才队伍".to_string()), "{tw:?}");
    // Offsets slice the traditional original.
    let team = tw.iter().find(|t| t.0 == "人才队伍").map(|t| t.1.as_str());
    assert_eq!(team, Some("人才隊伍"));
    let chars = run(CharTokenizer::default(), traditional);
    assert_eq!(chars[0], ("广".to_string(), "廣".to_string(), 0));
    assert_eq!(texts(&ANALYSIS.words("人才隊伍")), ["人才队伍"]);
}

#[test]
fn every_synonym_group_can_be_reached_from_a_query_word() {
    // A group fires when a query word is one of its members; a member jieba cuts apart is only
    // reachable as an expansion. Every group needs at least one member that stays whole.
    let synonyms = Synonyms::embedded().unwrap();
    let whole = |w: &str| texts(&ANALYSIS.words(w)) == [w];
    let mut unreachable: Vec<&str> = synonyms
        .words()
        .filter(|w| !whole(w) && !synonyms.of(w).iter().any(|o| whole(o)))
        .collect();
    unreachable.sort();
    assert!(unreachable.is_empty(), "{unreachable:?}");
}

#[test]
fn analysis_exposes_synonyms_for_query_words() {
    assert!(
        ANALYSIS
            .synonyms("人社厅")
            .contains(&"人力资源和社会保障厅".to_string())
    );
    assert!(
        ANALYSIS
            .synonyms("人社廳")
            .contains(&"人力资源和社会保障厅".to_string())
    );
    let custom = ANALYSIS
        .clone()
        .with_synonyms(Synonyms::parse("t", "培训 培育").unwrap());
    assert_eq!(custom.synonyms("培训"), ["培育"]);
    assert!(custom.synonyms("人社厅").is_empty());
}

#[test]
fn synonyms_come_from_a_data_folder_or_the_compiled_in_file() {
    let dir = tempfile::tempdir().unwrap();
    let analysis = ANALYSIS.clone().with_synonyms_from(dir.path()).unwrap();
    assert!(
        !analysis.synonyms("人社厅").is_empty(),
        "no file: compiled-in"
    );
    std::fs::write(dir.path().join(SYNONYMS_FILE), "培训 培育\n").unwrap();
    let analysis = ANALYSIS.clone().with_synonyms_from(dir.path()).unwrap();
    assert_eq!(analysis.synonyms("培训"), ["培育"]);
    std::fs::write(dir.path().join(SYNONYMS_FILE), "培训 培育\n培训\n").unwrap();
    let err = ANALYSIS.clone().with_synonyms_from(dir.path()).unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[test]
fn bigrams_cover_every_character_and_skip_separators() {
    let a = &*ANALYSIS;
    let tokens = a.bigrams("人才，队伍\n建设");
    let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["人才", "才队", "队伍", "伍建", "建设", "设"]);
    let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4, 5]);
    // Offsets span the two characters in the original text, separators included.
    let text = "人才，队伍\n建设";
    assert_eq!(&text[tokens[1].offset_from..tokens[1].offset_to], "才，队");
    assert_eq!(&text[tokens[5].offset_from..tokens[5].offset_to], "设");
}

#[test]
fn bigrams_fold_like_the_other_analyzers() {
    let a = &*ANALYSIS;
    let texts: Vec<String> = a.bigrams("ＡＢ發展").into_iter().map(|t| t.text).collect();
    assert_eq!(texts, ["ab", "b发", "发展", "展"]);
    assert!(a.bigrams("，。 \n").is_empty());
    let one: Vec<String> = a.bigrams("局").into_iter().map(|t| t.text).collect();
    assert_eq!(one, ["局"]);
}

#[test]
fn dictionary_version_is_that_of_the_files_wherever_they_are_read_from() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in EMBEDDED_DICTS {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let embedded = Analysis::embedded().expect("embedded");
    let same = Analysis::from_dict_dir(dir.path()).expect("folder");
    assert_eq!(embedded.dictionary_version(), same.dictionary_version());
    assert_eq!(embedded.dictionary_version().len(), 8);
    std::fs::write(dir.path().join("extra.txt"), "人才飞地 5 n\n").expect("write");
    let changed = Analysis::from_dict_dir(dir.path()).expect("folder");
    assert_ne!(embedded.dictionary_version(), changed.dictionary_version());
}
