//! Highlights without re-segmenting: the query's words and phrases are found in the reply text
//! by string matching over its folded, punctuation-free form, so a highlight costs a linear scan
//! of the text instead of a jieba pass (about 15× the search itself).
//!
//! Offsets are **character** offsets into the full reply text (what a citation needs): the
//! characters `start..end` of the text are exactly the marked words.

use aho_corasick::{AhoCorasick, Match, MatchKind, packed};
use serde::Serialize;

use dafu_extract::normalize::{PlainChars, fold_char, is_separator};

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
    matcher: Option<Matcher>,
    /// `false` ([`Highlighter::off`]): no fragments at all, not even a text's opening.
    on: bool,
}

/// The needles' searcher: SIMD (Teddy, `aho_corasick::packed`) where the CPU has it, else an
/// automaton. For two or three needles the automaton's own prefilter scans for single bytes
/// of the needles, and Chinese text is full of any such byte (every character is three bytes
/// from a narrow range): it stopped every few bytes, and finding the needles was 16% of the
/// instructions of a search for 食品安全 监管 检查. Teddy matches the needles' first three
/// bytes at once (a whole character) 16 or 32 bytes at a time: that search's instructions
/// fell by 15%.
#[derive(Debug, Clone)]
enum Matcher {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Matcher {
    fn new(needles: &[String]) -> Option<Self> {
        if let Some(searcher) = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(needles)
            .build()
        {
            return Some(Matcher::Packed(searcher));
        }
        Self::automaton(needles)
    }

    fn automaton(needles: &[String]) -> Option<Self> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(needles)
            .ok()
            .map(Matcher::Automaton)
    }

    /// Every match in `haystack`, leftmost-longest, in order, not overlapping.
    fn find_iter<'a>(&'a self, haystack: &'a str) -> Box<dyn Iterator<Item = Match> + 'a> {
        match self {
            Matcher::Packed(searcher) => Box::new(searcher.find_iter(haystack)),
            Matcher::Automaton(automaton) => Box::new(automaton.find_iter(haystack)),
        }
    }
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
            Matcher::new(&needles)
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
        match &self.matcher {
            Some(matcher) => find(matcher, &Compact::new(text, |_, _, _| {})),
            None => Vec::new(),
        }
    }

    /// Up to [`FRAGMENTS`] sentences with the most distinct matches, in text order. Without
    /// matches (an empty query), the opening of the text.
    ///
    /// The text is read once, to build its compact form, which also notes where sentences may
    /// end; only the chosen sentences are decoded into characters (a vector of the whole
    /// text's characters, built for every hit, was a large part of its highlighting).
    pub fn fragments(&self, text: &str) -> Vec<Fragment> {
        if !self.on {
            return Vec::new();
        }
        // Where a sentence may end: after 。！？；or a line break (character index, and the
        // byte after it).
        let mut ends: Vec<(usize, usize)> = Vec::new();
        let (found, count) = match &self.matcher {
            Some(matcher) => {
                let compact = Compact::new(text, |i, byte, c| {
                    if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n') {
                        ends.push((i, byte + c.len_utf8()));
                    }
                });
                (find(matcher, &compact), compact.chars)
            }
            None => (Vec::new(), 0),
        };
        let marks: Vec<Mark> = found.iter().map(|&(mark, _)| mark).collect();
        if marks.is_empty() {
            let opening: Vec<char> = text.chars().take(FRAGMENT_CHARS).collect();
            let start = opening.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
            return if start < opening.len() {
                vec![render(&opening, start, opening.len(), &[])]
            } else {
                Vec::new()
            };
        }
        // Sentences, merged where a match (a phrase that wraps across a line) runs over the end
        // of one.
        let mut sentences: Vec<Sentence> = Vec::new();
        let (mut start, mut start_byte) = (0, 0);
        let mut next_mark = 0;
        for &(i, byte) in &ends {
            while next_mark < marks.len() && marks[next_mark].end <= i + 1 {
                next_mark += 1;
            }
            if next_mark < marks.len() && marks[next_mark].start <= i {
                continue; // a match spans this boundary
            }
            sentences.push(Sentence {
                start,
                end: i + 1,
                from: start_byte,
                to: byte,
            });
            (start, start_byte) = (i + 1, byte);
        }
        if start < count {
            sentences.push(Sentence {
                start,
                end: count,
                from: start_byte,
                to: text.len(),
            });
        }
        // (distinct words, matches, sentence)
        let mut scored: Vec<(usize, usize, Sentence)> = Vec::new();
        let mut m = 0;
        let mut words: Vec<usize> = Vec::new();
        for &sentence in &sentences {
            let (s, e) = (sentence.start, sentence.end);
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
            let n = words.len();
            words.sort_unstable();
            words.dedup();
            scored.push((words.len(), n, sentence));
        }
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.start.cmp(&b.2.start))
        });
        scored.truncate(FRAGMENTS);
        scored.sort_by_key(|s| s.2.start);
        scored
            .into_iter()
            .map(
                |(
                    _,
                    _,
                    Sentence {
                        start: s,
                        end: e,
                        from,
                        to,
                    },
                )| {
                    // The sentence's characters, its marks counted from its start.
                    let chars: Vec<char> = text[from..to].chars().collect();
                    let inside: Vec<Mark> = marks
                        .iter()
                        .filter(|k| k.start >= s && k.end <= e)
                        .map(|k| Mark {
                            start: k.start - s,
                            end: k.end - s,
                        })
                        .collect();
                    let (ws, we) = window(&chars, 0, e - s, &inside);
                    let shown: Vec<Mark> = inside
                        .iter()
                        .copied()
                        .filter(|k| k.start >= ws && k.end <= we)
                        .collect();
                    render(&chars, ws, we, &shown).shifted(s)
                },
            )
            .collect()
    }
}

/// A sentence of a text: its characters `start..end` and its bytes `from..to`.
#[derive(Debug, Clone, Copy)]
struct Sentence {
    start: usize,
    end: usize,
    from: usize,
    to: usize,
}

/// Every match of `matcher` in `compact` with the needle it is, as character ranges of the
/// text.
fn find(matcher: &Matcher, compact: &Compact) -> Vec<(Mark, usize)> {
    let mut locate = Locator::new(compact);
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
    /// How many characters the text has.
    chars: usize,
}

impl<'t> Compact<'t> {
    /// The compact form of `text`. `other` is shown each character that is not copied as it
    /// is (a separator or a folded character: every sentence end is one), with its character
    /// index and byte offset in the text.
    fn new(text: &'t str, mut other: impl FnMut(usize, usize, char)) -> Self {
        let mut haystack = String::with_capacity(text.len());
        let mut stretches = Vec::new();
        let mut chars = 0;
        // The text byte where the stretch being copied starts.
        let mut open: Option<usize> = None;
        let plain = PlainChars::new();
        for (i, (byte, c)) in text.char_indices().enumerate() {
            chars = i + 1;
            if plain.contains(c) {
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
            other(i, byte, c);
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
            chars,
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
mod tests;
