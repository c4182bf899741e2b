//! Tokens computed up front for one text, their strings kept for the next.

use tantivy::tokenizer::Token;

use super::words::BufferedTokenStream;

/// The tokens of the last text a tokenizer cut. Clearing keeps every token and its string, so
/// the next text writes into strings it already has: an indexing run cuts about as many tokens
/// as its text has characters, and one allocation and free each was ~6% of its CPU.
#[derive(Clone, Default)]
pub(super) struct TokenBuffer {
    tokens: Vec<Token>,
    /// How many of `tokens` belong to the current text.
    len: usize,
}

impl TokenBuffer {
    pub(super) fn clear(&mut self) {
        self.len = 0;
    }

    /// A new token at the end, with these offsets and position and an empty text to fill.
    pub(super) fn push(
        &mut self,
        offset_from: usize,
        offset_to: usize,
        position: usize,
    ) -> &mut String {
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let token = &mut self.tokens[self.len];
        self.len += 1;
        token.offset_from = offset_from;
        token.offset_to = offset_to;
        token.position = position;
        token.position_length = 1;
        token.text.clear();
        &mut token.text
    }

    /// A new token holding `text`.
    pub(super) fn push_str(
        &mut self,
        text: &str,
        offset_from: usize,
        offset_to: usize,
        position: usize,
    ) {
        self.push(offset_from, offset_to, position).push_str(text);
    }

    /// The current text's tokens.
    pub(super) fn as_slice(&self) -> &[Token] {
        &self.tokens[..self.len]
    }

    pub(super) fn stream(&mut self) -> BufferedTokenStream<'_> {
        BufferedTokenStream::new(&mut self.tokens[..self.len])
    }

    pub(super) fn into_vec(mut self) -> Vec<Token> {
        self.tokens.truncate(self.len);
        self.tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cleared_buffer_reuses_its_tokens_and_shows_only_the_new_ones() {
        let mut buffer = TokenBuffer::default();
        buffer.push_str("养老服务", 0, 12, 0);
        buffer.push_str("资金", 12, 18, 1);
        let first = buffer.as_slice()[0].text.as_ptr();
        buffer.clear();
        buffer.push_str("人才", 3, 9, 4);
        assert_eq!(buffer.as_slice().len(), 1);
        let token = &buffer.as_slice()[0];
        assert_eq!(
            (
                token.text.as_str(),
                token.offset_from,
                token.offset_to,
                token.position
            ),
            ("人才", 3, 9, 4)
        );
        assert_eq!(token.text.as_ptr(), first, "the string was reused");
        assert_eq!(buffer.into_vec().len(), 1);
    }
}
