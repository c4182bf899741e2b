//! Highlights without re-segmenting: the query's words and phrases are found in the reply text
//! by string matching over its folded, punctuation-free form, so a highlight costs a linear scan
//! of the text instead of a jieba pass (about 15× the search itself).
//!
//! Offsets are **character** offsets into the full reply text (what a citation needs): the
//! characters `start..end` of the text are exactly the marked words.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use dafu_extract::normalize::{fold_char, is_plain, is_separator};

/// Fragments per hit.
pub const FRAGMENTS: usize = 3;
/// Longest fragment, in characters.
pub const FRAGMENT_CHARS: usize = 160;

/// A marked span, in characters of the reply text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
}

/// A passage of the reply with the query's words marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Fragment {
    /// HTML: the passage, escaped, with `<mark>…</mark>` around each match.
    pub html: String,
    /// Character range of the passage in the reply text.
    pub start: usize,
    pub end: usize,
    /// Character ranges of the marked words in the reply text.
    pub marks: Vec<Mark>,
}

impl Fragment {
    /// The same fragment with its offsets moved `by` characters: a fragment of a commitment's
    /// text becomes one of its reply's text.
    pub fn shifted(mut self, by: usize) -> Fragment {
        self.start += by;
        self.end += by;
        for m in &mut self.marks {
            m.start += by;
            m.end += by;
        }
        self
    }
}

/// The strings to mark, prepared once per query.
#[derive(Debug, Clone)]
pub struct Highlighter {
    matcher: Option<AhoCorasick>,
    /// `false` ([`Highlighter::off`]): no fragments at all, not even a text's opening.
    on: bool,
}

/// A needle in the compact form the matcher sees: folded, separators removed.
fn compact(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|c| !is_separator(*c))
        .collect()
}

impl Highlighter {
    /// A highlighter for query words and phrases (any form; they are folded here).
    pub fn new<S: AsRef<str>>(needles: impl IntoIterator<Item = S>) -> Self {
        let mut needles: Vec<String> = needles
            .into_iter()
            .map(|s| compact(s.as_ref()))
            .filter(|s| !s.is_empty())
            .collect();
        needles.sort();
        needles.dedup();
        let matcher = if needles.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&needles)
                .ok()
        };
        Highlighter { matcher, on: true }
    }

    /// A highlighter that marks nothing and gives no fragments (`highlight=false`).
    pub fn off() -> Self {
        Highlighter {
            matcher: None,
            on: false,
        }
    }

    /// Every match in `text`, as character ranges of `text`, in order, not overlapping.
    pub fn marks(&self, text: &str) -> Vec<Mark> {
        self.matches(text)
            .into_iter()
            .map(|(mark, _)| mark)
            .collect()
    }

    /// Every match in `text` with the needle it is (its number among the needles): two marks
    /// are the same word exactly when their needles are.
    fn matches(&self, text: &str) -> Vec<(Mark, usize)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let compact = Compact::new(text);
        let mut locate = Locator::new(&compact);
        matcher
            .find_iter(&compact.haystack)
            .map(|m| {
                // Matches come in order and do not overlap: the locator only moves forward.
                let start = locate.char_at(m.start());
                let mut last = m.end() - 1;
                while !compact.haystack.is_char_boundary(last) {
                    last -= 1;
                }
                let mark = Mark {
                    start,
                    end: locate.char_at(last) + 1,
                };
                (mark, m.pattern().as_usize())
            })
            .collect()
    }

    /// Up to [`FRAGMENTS`] sentences with the most distinct matches, in text order. Without
    /// matches (an empty query), the opening of the text.
    pub fn fragments(&self, text: &str) -> Vec<Fragment> {
        if !self.on {
            return Vec::new();
        }
        let chars: Vec<char> = text.chars().collect();
        let found = self.matches(text);
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
        // Sentences: spans ending after 。！？；or a line break, merged where a match (a phrase
        // that wraps across a line) runs over the end of one.
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
                continue; // a match spans this boundary
            }
            sentences.push((start, i + 1));
            start = i + 1;
        }
        if start < chars.len() {
            sentences.push((start, chars.len()));
        }
        let mut scored: Vec<(usize, usize, usize, usize)> = Vec::new(); // (distinct, count, start, end)
        let mut m = 0;
        let mut words: Vec<usize> = Vec::new();
        for &(s, e) in &sentences {
            while m < marks.len() && marks[m].start < s {
                m += 1;
            }
            words.clear();
            words.extend(
                found[m..]
                    .iter()
                    .take_while(|(k, _)| k.end <= e)
                    .map(|&(_, needle)| needle),
            );
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
}

/// A stretch of the compact text: the text's own bytes (no separator, nothing folded), or one
/// folded character.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    /// Where it starts in the compact text (bytes).
    hay: usize,
    /// Where it starts in the text (bytes and characters).
    text_byte: usize,
    text_char: usize,
    /// Whether it is the text's bytes as they are (else one folded character).
    same: bool,
}

/// A text folded with [`fold_char`] and without separators, the form the needles are matched
/// in, and where its stretches come from. Most characters of a reply are neither folded nor
/// separators: they are copied a stretch at a time, and a match's characters are counted only
/// where it falls (a map entry per character was most of a highlight's cost).
struct Compact<'t> {
    text: &'t str,
    haystack: String,
    stretches: Vec<Stretch>,
}

impl<'t> Compact<'t> {
    fn new(text: &'t str) -> Self {
        let mut haystack = String::with_capacity(text.len());
        let mut stretches = Vec::new();
        // The text byte where the stretch being copied starts.
        let mut open: Option<usize> = None;
        for (i, (byte, c)) in text.char_indices().enumerate() {
            if is_plain(c) {
                if open.is_none() {
                    stretches.push(Stretch {
                        hay: haystack.len(),
                        text_byte: byte,
                        text_char: i,
                        same: true,
                    });
                    open = Some(byte);
                }
                continue;
            }
            if let Some(from) = open.take() {
                haystack.push_str(&text[from..byte]);
            }
            if is_separator(c) {
                continue;
            }
            let folded = fold_char(c);
            stretches.push(Stretch {
                hay: haystack.len(),
                text_byte: byte,
                text_char: i,
                same: false,
            });
            haystack.push(folded);
        }
        if let Some(from) = open {
            haystack.push_str(&text[from..]);
        }
        Compact {
            text,
            haystack,
            stretches,
        }
    }
}

/// Finds the text character of compact-text offsets asked in increasing order.
struct Locator<'c> {
    compact: &'c Compact<'c>,
    /// The stretch of the last offset asked, that offset and its character.
    stretch: usize,
    hay: usize,
    char: usize,
}

impl<'c> Locator<'c> {
    fn new(compact: &'c Compact<'c>) -> Self {
        let (hay, char) = compact
            .stretches
            .first()
            .map_or((0, 0), |s| (s.hay, s.text_char));
        Locator {
            compact,
            stretch: 0,
            hay,
            char,
        }
    }

    /// The character of the text that the compact text's character at byte `hay` comes from
    /// (`hay` at least the last one asked).
    fn char_at(&mut self, hay: usize) -> usize {
        let stretches = &self.compact.stretches;
        while let Some(next) = stretches.get(self.stretch + 1)
            && next.hay <= hay
        {
            self.stretch += 1;
            self.hay = next.hay;
            self.char = next.text_char;
        }
        let Some(s) = stretches.get(self.stretch) else {
            return 0;
        };
        if !s.same {
            return s.text_char;
        }
        let from = s.text_byte + (self.hay - s.hay);
        let to = s.text_byte + (hay - s.hay);
        self.char += self.compact.text[from..to].chars().count();
        self.hay = hay;
        self.char
    }
}

/// Trims a sentence to at most [`FRAGMENT_CHARS`] around its first mark, and drops leading
/// whitespace.
fn window(chars: &[char], start: usize, end: usize, marks: &[Mark]) -> (usize, usize) {
    let mut s = start;
    while s < end && chars[s].is_whitespace() {
        s += 1;
    }
    let mut e = end;
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if e - s <= FRAGMENT_CHARS {
        return (s, e);
    }
    let first = marks
        .iter()
        .find(|m| m.start >= s)
        .map(|m| m.start)
        .unwrap_or(s);
    let from = first.saturating_sub(FRAGMENT_CHARS / 3).max(s);
    let to = (from + FRAGMENT_CHARS).min(e);
    // Never cut through a mark.
    let to = marks
        .iter()
        .filter(|m| m.start < to && m.end > to)
        .map(|m| m.end)
        .max()
        .unwrap_or(to);
    (from, to)
}

fn escape_into(out: &mut String, chars: &[char]) {
    for &c in chars {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn render(chars: &[char], start: usize, end: usize, marks: &[Mark]) -> Fragment {
    let mut html = String::new();
    let mut at = start;
    for m in marks {
        escape_into(&mut html, &chars[at..m.start]);
        html.push_str("<mark>");
        escape_into(&mut html, &chars[m.start..m.end]);
        html.push_str("</mark>");
        at = m.end;
    }
    escape_into(&mut html, &chars[at..end]);
    Fragment {
        html,
        start,
        end,
        marks: marks.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

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
        let Some(h) = Highlighter::new(needles.iter().copied()).matcher else {
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

        /// Copying the text a stretch at a time finds the marks a character at a time finds,
        /// whatever mix of folded characters (full-width, upper case, traditional) and
        /// separators the text has.
        #[test]
        fn stretches_find_the_marks_of_the_plain_way(
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    '养', '老', '服', '务', '隊', '队', '伍', 'Ａ', 'a', 'B', 'b', '1', '１',
                    '，', '。', '\n', ' ', '　', '〔', '[', '🙂',
                ]),
                0..60,
            ),
        ) {
            let text: String = text.into_iter().collect();
            let needles = ["养老", "老服务", "队伍", "ab", "1", "b[1", "🙂养"];
            let h = Highlighter::new(needles);
            prop_assert_eq!(h.marks(&text), plain_marks(&needles, &text));
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
        let text = "附件：关于对《进一步加强协会商会等\n　　社会组织人才队伍建设提案》的答复意见\n其他内容。";
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
}
