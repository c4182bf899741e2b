//! Finding the query's words in a reply's own text, as they would be found in its folded,
//! separator-free form, without making that form.
//!
//! A word matches where the text's characters, separators skipped and each folded
//! ([`fold_char`]), spell it: 人才隊伍 and 人才\n队伍 hold 人才队伍. Folding a whole text to
//! search it (a copy of every reply shown, and a look at each of its characters) was most of
//! a highlight's cost, and a page's replies are long. Instead, the places where a word can
//! begin — its first character, or any character that folds to it ([`folding_to`]) — are
//! found with a SIMD searcher over the text's bytes, and the word is checked there, a
//! character at a time. Candidates are taken in text order, the longest word that matches
//! at one is kept, and the search goes on after it: the leftmost-longest matches of the
//! folded form, the same marks.

use std::ops::Range;

use aho_corasick::{AhoCorasick, Match, MatchKind, packed};

use dafu_extract::normalize::{fold_char, folding_to, is_separator};

use super::Mark;

/// A searcher for a few strings: SIMD (Teddy, `aho_corasick::packed`) where the CPU has it,
/// else an automaton. For a few strings the automaton's own prefilter scans for single bytes,
/// and Chinese text is full of any such byte (every character is three bytes from a narrow
/// range): it stopped every few bytes. Teddy matches up to three bytes at once (a whole
/// character), 16 or 32 bytes at a time.
#[derive(Debug, Clone)]
pub(super) enum Matcher {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Matcher {
    /// Leftmost-longest matches of `needles` (none empty); `None` without any.
    pub(super) fn new(needles: &[String]) -> Option<Self> {
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

    pub(super) fn automaton(needles: &[String]) -> Option<Self> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(needles)
            .ok()
            .map(Matcher::Automaton)
    }

    /// Every match in `haystack`, leftmost-longest, in order, not overlapping.
    pub(super) fn find_iter<'a>(
        &'a self,
        haystack: &'a str,
    ) -> Box<dyn Iterator<Item = Match> + 'a> {
        match self {
            Matcher::Packed(searcher) => Box::new(searcher.find_iter(haystack)),
            Matcher::Automaton(automaton) => Box::new(automaton.find_iter(haystack)),
        }
    }
}

/// A needle in the form it is matched in: folded, separators removed.
pub(super) fn compact(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|c| !is_separator(*c))
        .collect()
}

/// The needles of a query, ready to be found in any text.
#[derive(Debug, Clone)]
pub(super) struct Finder {
    /// Every character a needle may begin with in a text.
    starts: Matcher,
    /// The needles (compact, as characters) by their first character, the longest first, each
    /// with its number among the needles.
    by_first: Vec<(char, Vec<Needle>)>,
}

/// A needle's characters and its number among the needles.
type Needle = (Vec<char>, usize);

impl Finder {
    /// A finder of `needles` (compact, sorted, distinct, none empty); `None` without any.
    pub(super) fn new(needles: &[String]) -> Option<Self> {
        let mut by_first: Vec<(char, Vec<Needle>)> = Vec::new();
        for (number, needle) in needles.iter().enumerate() {
            let chars: Vec<char> = needle.chars().collect();
            let Some(&first) = chars.first() else {
                continue;
            };
            match by_first.iter_mut().find(|(c, _)| *c == first) {
                Some((_, list)) => list.push((chars, number)),
                None => by_first.push((first, vec![(chars, number)])),
            }
        }
        for (_, list) in &mut by_first {
            list.sort_by_key(|(chars, _)| std::cmp::Reverse(chars.len()));
        }
        let mut starts: Vec<String> = Vec::new();
        for &(first, _) in &by_first {
            starts.push(first.to_string());
            starts.extend(folding_to(first).iter().map(char::to_string));
        }
        starts.sort();
        starts.dedup();
        Some(Finder {
            starts: Matcher::new(&starts)?,
            by_first,
        })
    }

    /// Every match in `text` with the needle it is (its number among the needles), as
    /// character ranges of the text, in order, not overlapping.
    pub(super) fn find(&self, text: &str) -> Vec<(Mark, usize)> {
        let mut chars = CharCounter::default();
        self.find_bytes(text)
            .into_iter()
            .map(|(bytes, number)| {
                let start = chars.at(text, bytes.start);
                let end = chars.at(text, bytes.end);
                (Mark { start, end }, number)
            })
            .collect()
    }

    /// [`Finder::find`] as byte ranges of the text.
    pub(super) fn find_bytes(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let mut found = Vec::new();
        // No match begins before this byte (the end of the last one).
        let mut resume = 0;
        for start in self.starts.find_iter(text) {
            let at = start.start();
            if at < resume {
                continue;
            }
            let Some(c) = text[at..].chars().next() else {
                continue;
            };
            let Some((_, needles)) = self.by_first.iter().find(|(f, _)| *f == fold_char(c)) else {
                continue;
            };
            // The longest first: the first that matches is the leftmost-longest match.
            let Some((end, number)) = needles
                .iter()
                .find_map(|(needle, number)| spelled_at(text, at, needle).map(|e| (e, *number)))
            else {
                continue;
            };
            found.push((at..end, number));
            resume = end;
        }
        found
    }
}

/// The byte after the last character of `needle` spelled by `text` from byte `at` (its
/// characters folded, separators skipped), if it is.
fn spelled_at(text: &str, at: usize, needle: &[char]) -> Option<usize> {
    let mut wanted = needle.iter();
    let mut next = wanted.next()?;
    for (offset, c) in text[at..].char_indices() {
        if is_separator(c) {
            continue;
        }
        if fold_char(c) != *next {
            return None;
        }
        match wanted.next() {
            Some(n) => next = n,
            None => return Some(at + offset + c.len_utf8()),
        }
    }
    None
}

/// Character indices of byte offsets asked in increasing order: the characters between one
/// offset and the next are counted (a count of the bytes that start a character, which the
/// standard library does a word at a time).
#[derive(Debug, Default)]
pub(super) struct CharCounter {
    byte: usize,
    char: usize,
}

impl CharCounter {
    /// The index of the character at byte `at` of `text` (`at` at least the last one asked,
    /// on a character boundary).
    pub(super) fn at(&mut self, text: &str, at: usize) -> usize {
        self.char += text.get(self.byte..at).map_or(0, |s| s.chars().count());
        self.byte = at;
        self.char
    }
}
