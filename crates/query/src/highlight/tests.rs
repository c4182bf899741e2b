//! Marks against the per-character way, fragments against the whole-text way, and examples.

use proptest::prelude::*;

use super::finder::Matcher;
use super::*;
use dafu_extract::normalize::{fold_char, is_separator};

/// The marks of `needles` in `text` found the plain way: the compact text a character at a
/// time, with each character's index in the text.
fn plain_marks(needles: &[&str], text: &str) -> Vec<Mark> {
    let mut haystack = String::new();
    let mut starts = Vec::new();
    let mut chars = Vec::new();
    for (i, c) in text.chars().enumerate() {
        if !is_separator(c) {
            starts.push(haystack.len());
            chars.push(i);
            haystack.push(fold_char(c));
        }
    }
    let mut compacted: Vec<String> = needles
        .iter()
        .map(|n| compact(n))
        .filter(|n| !n.is_empty())
        .collect();
    compacted.sort();
    compacted.dedup();
    let Some(h) = Matcher::automaton(&compacted) else {
        return Vec::new();
    };
    let char_of = |byte: usize| chars[starts.iter().position(|&b| b == byte).unwrap()];
    h.find_iter(&haystack)
        .map(|m| {
            let last = starts
                .iter()
                .rev()
                .find(|&&b| b < m.end())
                .copied()
                .unwrap();
            Mark {
                start: char_of(m.start()),
                end: char_of(last) + 1,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Checking the words where they may begin finds the marks that folding the whole text a
    /// character at a time and searching it finds, whatever mix of folded characters
    /// (full-width, upper case, traditional) and separators the text has.
    #[test]
    fn the_finder_finds_the_marks_of_the_plain_way(
        text in proptest::collection::vec(
            proptest::sample::select(vec![
                '养', '老', '服', '务', '隊', '队', '伍', 'Ａ', 'a', 'B', 'b', '1', '１',
                '，', '。', '\n', ' ', '　', '〔', '[', '🙂',
            ]),
            0..60,
        ),
    ) {
        let text: String = text.into_iter().collect();
        let needles = ["养老", "养老服务", "老服务", "队伍", "a", "ab", "1", "b[1", "🙂养"];
        let h = Highlighter::new(needles);
        prop_assert_eq!(h.marks(&text), plain_marks(&needles, &text));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The SIMD searcher (where the CPU has one) finds what the automaton finds: the same
    /// needles at the same places, leftmost and longest, in order — needles that overlap,
    /// share a start or hold one another included.
    #[test]
    fn the_simd_searcher_finds_what_the_automaton_finds(
        needles in proptest::collection::vec(
            proptest::collection::vec(
                proptest::sample::select(vec!['养', '老', '服', '务', 'a', 'b', '🙂']),
                1..5,
            ),
            1..6,
        ),
        text in proptest::collection::vec(
            proptest::sample::select(vec!['养', '老', '服', '务', 'a', 'b', '🙂', '，']),
            0..200,
        ),
    ) {
        let mut needles: Vec<String> = needles.into_iter().map(|n| n.into_iter().collect()).collect();
        needles.sort();
        needles.dedup();
        let text: String = text.into_iter().collect();
        let spans = |m: &Matcher| {
            m.find_iter(&text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect::<Vec<_>>()
        };
        let automaton = Matcher::automaton(&needles).expect("an automaton of a few needles");
        if let Some(simd @ Matcher::Packed(_)) = Matcher::new(&needles) {
            prop_assert_eq!(spans(&simd), spans(&automaton));
        }
    }
}

fn slice(text: &str, m: &Mark) -> String {
    text.chars().skip(m.start).take(m.end - m.start).collect()
}

#[test]
fn marks_are_character_offsets_of_the_matched_words() {
    let text = "　　一、加强ＡＢＣ人才队伍建设。\n二、培训人次不少于500人次。";
    let h = Highlighter::new(["人才队伍", "abc", "不少于500人次"]);
    let marks = h.marks(text);
    let words: Vec<String> = marks.iter().map(|m| slice(text, m)).collect();
    assert_eq!(words, ["ＡＢＣ", "人才队伍", "不少于500人次"]);
}

#[test]
fn a_phrase_matches_across_a_line_break_and_punctuation_variants() {
    let text = "关于对《进一步加强协会商会等\n　　社会组织人才队伍建设提案》的答复";
    let h = Highlighter::new(["协会商会等社会组织"]);
    let marks = h.marks(text);
    assert_eq!(marks.len(), 1);
    assert_eq!(slice(text, &marks[0]), "协会商会等\n　　社会组织");
    let h = Highlighter::new(["吉民议字[2020]4号"]);
    let text = "文号：吉民议字〔2020〕4号";
    assert_eq!(
        h.marks(text)
            .iter()
            .map(|m| slice(text, m))
            .collect::<Vec<_>>(),
        ["吉民议字〔2020〕4号"]
    );
}

#[test]
fn fragments_prefer_sentences_with_more_distinct_words_and_escape_html() {
    let text = "第一句提到培训。第二句<b>培训</b>和人才都有！第三句无关。";
    let h = Highlighter::new(["培训", "人才"]);
    let f = h.fragments(text);
    assert_eq!(f.len(), 2);
    assert_eq!(
        f[1].html,
        "第二句&lt;b&gt;<mark>培训</mark>&lt;/b&gt;和<mark>人才</mark>都有！"
    );
    for frag in &f {
        for m in &frag.marks {
            assert!(frag.start <= m.start && m.end <= frag.end);
        }
    }
}

#[test]
fn a_match_across_a_line_break_gets_its_fragment() {
    let text =
        "附件：关于对《进一步加强协会商会等\n　　社会组织人才队伍建设提案》的答复意见\n其他内容。";
    let f = Highlighter::new(["协会商会等社会组织"]).fragments(text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].marks.len(), 1);
    assert!(
        f[0].html.contains("<mark>协会商会等\n　　社会组织</mark>"),
        "{}",
        f[0].html
    );
}

#[test]
fn long_sentences_are_windowed_around_the_first_match() {
    let text = format!("{}关键词{}", "甲".repeat(300), "乙".repeat(300));
    let f = Highlighter::new(["关键词"]).fragments(&text);
    assert_eq!(f.len(), 1);
    assert!(f[0].end - f[0].start <= FRAGMENT_CHARS);
    assert_eq!(
        f[0].marks,
        [Mark {
            start: 300,
            end: 303
        }]
    );
}

#[test]
fn no_query_gives_the_opening() {
    let f = Highlighter::new(Vec::<String>::new())
        .fragments("\n  对市八届人大五次会议第124号建议的答复");
    assert_eq!(f.len(), 1);
    assert!(f[0].html.starts_with("对市"));
    assert!(f[0].marks.is_empty());
}

/// The fragments the way they were made from a vector of the whole text's characters: every
/// sentence of the text, then the chosen ones windowed and rendered.
fn whole_text_fragments(h: &Highlighter, text: &str) -> Vec<Fragment> {
    let chars: Vec<char> = text.chars().collect();
    let found = h.matches(text);
    let marks: Vec<Mark> = found.iter().map(|&(mark, _)| mark).collect();
    if marks.is_empty() {
        let end = chars.len().min(FRAGMENT_CHARS);
        let start = chars[..end]
            .iter()
            .position(|c| !c.is_whitespace())
            .unwrap_or(0);
        return if start < end {
            vec![render(&chars, start, end, &[])]
        } else {
            Vec::new()
        };
    }
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut next_mark = 0;
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n') {
            continue;
        }
        while next_mark < marks.len() && marks[next_mark].end <= i + 1 {
            next_mark += 1;
        }
        if next_mark < marks.len() && marks[next_mark].start <= i {
            continue;
        }
        sentences.push((start, i + 1));
        start = i + 1;
    }
    if start < chars.len() {
        sentences.push((start, chars.len()));
    }
    let mut scored: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut m = 0;
    for &(s, e) in &sentences {
        while m < marks.len() && marks[m].start < s {
            m += 1;
        }
        let mut words: Vec<usize> = found[m..]
            .iter()
            .take_while(|(k, _)| k.end <= e)
            .map(|&(_, needle)| needle)
            .collect();
        if words.is_empty() {
            continue;
        }
        let count = words.len();
        words.sort_unstable();
        words.dedup();
        scored.push((words.len(), count, s, e));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.truncate(FRAGMENTS);
    scored.sort_by_key(|s| s.2);
    scored
        .into_iter()
        .map(|(_, _, s, e)| {
            let (s, e) = window(&chars, s, e, &marks);
            let inside: Vec<Mark> = marks
                .iter()
                .copied()
                .filter(|k| k.start >= s && k.end <= e)
                .collect();
            render(&chars, s, e, &inside)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Decoding only the chosen sentences gives the fragments that decoding the whole text
    /// gave: short and long sentences (longer than a fragment, so windowed), matches across a
    /// line break, every sentence end, folded characters, characters outside the BMP, and no
    /// match at all (the opening).
    #[test]
    fn fragments_are_those_of_the_whole_text(
        text in proptest::collection::vec(
            proptest::sample::select(vec![
                '养', '老', '服', '务', '资', '金', '队', '伍', '隊', 'Ａ', 'a', '1', '，', '、',
                '。', '！', '？', '；', '!', '?', ';', '\n', ' ', '　', '<', '&', '🙂',
                '的', '是', '在', '了', '和', '有', '我', '们', '将', '进', '一', '步',
            ]),
            0..700,
        ),
        needles in proptest::sample::subsequence(
            vec!["养老", "老服务", "资金", "队伍", "a1", "🙂的", "一步。我"],
            0..4,
        ),
    ) {
        let text: String = text.into_iter().collect();
        let h = Highlighter::new(needles.iter().copied());
        prop_assert_eq!(h.fragments(&text), whole_text_fragments(&h, &text));
    }
}
