//! Highlights without re-segmenting: the query's words and phrases are found in the reply text
//! as string matching over its folded, punctuation-free form would find them (`finder`, which
//! checks the words where they may begin instead of folding the text), so a highlight costs a
//! SIMD scan of the text's bytes instead of a jieba pass (about 15× the search itself). Only
//! the sentences around the matches are looked at further (`sentences`).
//!
//! Offsets are **character** offsets into the full reply text (what a citation needs): the
//! characters `start..end` of the text are exactly the marked words.

mod finder;
mod sentences;

use serde::Serialize;

use std::ops::Range;

use finder::{CharCounter, Finder, compact};
use sentences::sentences_with_matches;

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
    finder: Option<Finder>,
    /// `false` ([`Highlighter::off`]): no fragments at all, not even a text's opening.
    on: bool,
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
        Highlighter {
            finder: Finder::new(&needles),
            on: true,
        }
    }

    /// A highlighter that marks nothing and gives no fragments (`highlight=false`).
    pub fn off() -> Self {
        Highlighter {
            finder: None,
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
        match &self.finder {
            Some(finder) => finder.find(text),
            None => Vec::new(),
        }
    }

    /// Up to [`FRAGMENTS`] sentences with the most distinct matches, in text order. Without
    /// matches (an empty query), the opening of the text.
    ///
    /// Only the chosen sentences are decoded into characters (a vector of the whole text's
    /// characters, built for every hit, was a large part of its highlighting); the rest of the
    /// text is searched as bytes (`finder`).
    pub fn fragments(&self, text: &str) -> Vec<Fragment> {
        if !self.on {
            return Vec::new();
        }
        let found = match &self.finder {
            Some(finder) => finder.find_bytes(text),
            None => Vec::new(),
        };
        if found.is_empty() {
            let opening: Vec<char> = text.chars().take(FRAGMENT_CHARS).collect();
            let start = opening.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
            return if start < opening.len() {
                vec![render(&opening, start, opening.len(), &[])]
            } else {
                Vec::new()
            };
        }
        // The sentences with a match (bytes, and which matches), scored by their distinct
        // words, then their matches. Characters are counted only for the sentences chosen.
        let mut scored: Vec<(usize, usize, Range<usize>, Range<usize>)> = Vec::new();
        let mut words: Vec<usize> = Vec::new();
        for (sentence, held) in sentences_with_matches(text, &found) {
            words.clear();
            words.extend(found[held.clone()].iter().map(|&(_, needle)| needle));
            let n = words.len();
            words.sort_unstable();
            words.dedup();
            scored.push((words.len(), n, sentence, held));
        }
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.start.cmp(&b.2.start))
        });
        scored.truncate(FRAGMENTS);
        scored.sort_by_key(|s| s.2.start);
        let mut chars_before = CharCounter::default();
        scored
            .into_iter()
            .map(|(_, _, sentence, held)| {
                let s = chars_before.at(text, sentence.start);
                // The sentence's characters, its marks counted from its start.
                let own = &text[sentence.clone()];
                let chars: Vec<char> = own.chars().collect();
                let mut within = CharCounter::default();
                let inside: Vec<Mark> = found[held]
                    .iter()
                    .map(|(k, _)| Mark {
                        start: within.at(own, k.start - sentence.start),
                        end: within.at(own, k.end - sentence.start),
                    })
                    .collect();
                let (ws, we) = window(&chars, 0, chars.len(), &inside);
                let shown: Vec<Mark> = inside
                    .iter()
                    .copied()
                    .filter(|k| k.start >= ws && k.end <= we)
                    .collect();
                render(&chars, ws, we, &shown).shifted(s)
            })
            .collect()
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
