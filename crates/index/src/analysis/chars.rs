//! The character tokenizer: every letter, digit or ideograph is a token, for exact substrings.

use tantivy::tokenizer::Tokenizer;

use super::normalized::Normalized;
use super::token_buffer::TokenBuffer;
use super::words::BufferedTokenStream;
use dafu_extract::normalize::is_separator;

/// One token per non-separator character of the folded text, with consecutive positions.
/// Punctuation and whitespace take no position, so a quoted phrase matches across a line break
/// or a different punctuation mark; whatever jieba does with a string, its characters are here.
#[derive(Clone, Default)]
pub struct CharTokenizer {
    normalized: Normalized,
    tokens: TokenBuffer,
}

/// Appends the character tokens of the folded text to `out`.
pub(super) fn char_tokens(normalized: &Normalized, out: &mut TokenBuffer) {
    let mut position = 0;
    for (i, c) in normalized.folded().char_indices() {
        if is_separator(c) {
            continue;
        }
        out.push(
            normalized.original_byte(i),
            normalized.original_byte(i + c.len_utf8()),
            position,
        )
        .push(c);
        position += 1;
    }
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = BufferedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.tokens.clear();
        self.normalized.fold_from(text);
        char_tokens(&self.normalized, &mut self.tokens);
        self.tokens.stream()
    }
}
