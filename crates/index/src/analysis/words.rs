//! The word tokenizer: jieba over folded text, for ranking.

use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalized::Normalized;
use super::token_buffer::TokenBuffer;
use dafu_extract::normalize::is_separator;

/// Segments folded text with one shared [`Jieba`] (cloning this tokenizer clones an `Arc`, never
/// the dictionary).
///
/// * Each precise-mode word is a token at its own position; punctuation and whitespace are
///   dropped and do not take a position, so phrase queries over words work.
/// * Words longer than two characters also emit their 2- and 3-character sub-words that are in
///   the dictionary (search mode), **at the same position** as the whole word, so that 人才 finds
///   人才队伍 without breaking positions.
/// * Offsets are byte offsets into the original, unfolded text.
#[derive(Clone)]
pub struct WordTokenizer {
    jieba: Arc<Jieba>,
    normalized: Normalized,
    tokens: TokenBuffer,
}

impl WordTokenizer {
    pub fn new(jieba: Arc<Jieba>) -> Self {
        WordTokenizer {
            jieba,
            normalized: Normalized::default(),
            tokens: TokenBuffer::default(),
        }
    }
}

/// Streams the tokens a [`WordTokenizer`] or [`super::CharTokenizer`] (or any tokenizer) computed
/// up front.
pub struct BufferedTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl<'a> BufferedTokenStream<'a> {
    pub fn new(tokens: &'a mut [Token]) -> Self {
        BufferedTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for BufferedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Appends the word tokens of `text` (already folded in `normalized`) to `out`.
pub(super) fn word_tokens(
    jieba: &Jieba,
    normalized: &Normalized,
    out: &mut TokenBuffer,
    grams: bool,
) {
    let folded = normalized.folded();
    let mut position = 0usize;
    for w in jieba.cut(folded, true) {
        if w.word.chars().all(is_separator) {
            continue;
        }
        let push = |out: &mut TokenBuffer, text: &str, from: usize, to: usize| {
            out.push_str(
                text,
                normalized.original_byte(from),
                normalized.original_byte(to),
                position,
            );
        };
        push(out, w.word, w.byte_start, w.byte_end);
        let n = w.end - w.start;
        if grams && n > 2 {
            let first_gram = out.as_slice().len();
            let starts: Vec<usize> = w
                .word
                .char_indices()
                .map(|(i, _)| i)
                .chain([w.word.len()])
                .collect();
            for len in [2, 3] {
                if n <= len {
                    continue;
                }
                for i in 0..=n - len {
                    let gram = &w.word[starts[i]..starts[i + len]];
                    if jieba.has_word(gram)
                        && !out.as_slice()[first_gram..].iter().any(|t| t.text == gram)
                    {
                        push(
                            out,
                            gram,
                            w.byte_start + starts[i],
                            w.byte_start + starts[i + len],
                        );
                    }
                }
            }
        }
        position += 1;
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = BufferedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.tokens.clear();
        self.normalized.fold_from(text);
        word_tokens(&self.jieba, &self.normalized, &mut self.tokens, true);
        self.tokens.stream()
    }
}
