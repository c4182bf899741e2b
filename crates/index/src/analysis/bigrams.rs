//! The bigram tokenizer of the reply text: every two characters in a row are a token, for exact
//! substrings that are cheap to find.
//!
//! One token per character (the [`super::CharTokenizer`] of the short fields) makes a substring
//! search of the body intersect the posting lists of its characters, and 人, 的 or 发 are in
//! nearly every reply; with positions to compare on each candidate, that phrase was most of a
//! search's time at 100,000 replies (BENCHMARKS.md). Bigrams are much rarer than characters, so
//! the same substring is a phrase of half as many, far shorter, lists.
//!
//! * Punctuation and whitespace are skipped and take no position, as in the character
//!   tokenizer: 人才\n队伍 gives 人才, 才队, 队伍, and a quoted phrase still matches across a
//!   line break.
//! * The bigram starting at character `i` has position `i`. A substring of `n ≥ 2` characters
//!   is the phrase of the bigrams at offsets 0, 2, 4, … (plus the one at `n - 2` when `n` is
//!   odd): see `dafu_query`'s planner.
//! * The last character of the text also stands alone, at its own position, so that every
//!   character begins a token: a one-character query is the prefix query of its character.
//! * Offsets are byte offsets into the original text, from the first character's start to the
//!   second's end.

use tantivy::tokenizer::Tokenizer;

use super::normalized::Normalized;
use super::token_buffer::TokenBuffer;
use super::words::BufferedTokenStream;
use dafu_extract::normalize::is_separator;

/// Overlapping character bigrams of the folded text (see the module documentation).
#[derive(Clone, Default)]
pub struct BigramTokenizer {
    normalized: Normalized,
    tokens: TokenBuffer,
}

/// Appends the bigram tokens of the folded text to `out`.
pub(super) fn bigram_tokens(normalized: &Normalized, out: &mut TokenBuffer) {
    let folded = normalized.folded();
    // The previous character: its byte range in the folded text.
    let mut previous: Option<(usize, usize)> = None;
    let mut position = 0;
    for (i, c) in folded.char_indices() {
        if is_separator(c) {
            continue;
        }
        let end = i + c.len_utf8();
        if let Some((start, prev_end)) = previous {
            let text = out.push(
                normalized.original_byte(start),
                normalized.original_byte(end),
                position,
            );
            text.push_str(&folded[start..prev_end]);
            text.push(c);
            position += 1;
        }
        previous = Some((i, end));
    }
    if let Some((start, end)) = previous {
        out.push_str(
            &folded[start..end],
            normalized.original_byte(start),
            normalized.original_byte(end),
            position,
        );
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BufferedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.tokens.clear();
        self.normalized.fold_from(text);
        bigram_tokens(&self.normalized, &mut self.tokens);
        self.tokens.stream()
    }
}
