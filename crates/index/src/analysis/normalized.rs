//! Text folded for analysis, with a way back to the original byte offsets.

use dafu_extract::normalize::fold_char;

/// A folded copy of a text (see [`dafu_extract::normalize`]) that remembers where each of its
/// characters came from. Folding maps one character to one character, so character indices
/// agree between the two; byte offsets differ where a fold changes a character's UTF-8 length
/// (`Ａ` is three bytes, `a` one; every reply has them: `，` is `,`), and
/// [`Normalized::original_byte`] translates them.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    folded: String,
    /// The original byte offset of each byte of the folded text (a character's bytes all give
    /// its start), plus the original length at the folded length; empty when no fold changed a
    /// byte length (offsets are then the same). A table rather than a search: every token asks
    /// twice, and a binary search per offset was ~3% of indexing.
    original_at: Vec<u32>,
}

impl Normalized {
    /// Folds `original`, reusing this value's buffers.
    pub fn fold_from(&mut self, original: &str) {
        self.folded.clear();
        self.original_at.clear();
        self.folded.reserve(original.len());
        for (at, c) in original.char_indices() {
            let f = fold_char(c);
            if f.len_utf8() != c.len_utf8() && self.original_at.is_empty() {
                // The first change of length: the bytes folded so far kept their offsets.
                self.original_at.reserve(original.len() + 1);
                for (at, before) in self.folded.char_indices() {
                    self.original_at
                        .extend(std::iter::repeat_n(offset(at), before.len_utf8()));
                }
            }
            self.folded.push(f);
            if !self.original_at.is_empty() {
                let start = offset(at);
                self.original_at
                    .extend(std::iter::repeat_n(start, f.len_utf8()));
            }
        }
        if !self.original_at.is_empty() {
            self.original_at.push(offset(original.len()));
        }
    }

    /// A folded copy of `original`.
    pub fn new(original: &str) -> Self {
        let mut n = Normalized::default();
        n.fold_from(original);
        n
    }

    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// The original byte offset of a byte offset in the folded text (a character boundary; a
    /// byte inside a character gives that character's start, one past the end the original's
    /// length).
    #[inline]
    pub fn original_byte(&self, folded_byte: usize) -> usize {
        if self.original_at.is_empty() {
            return folded_byte;
        }
        let last = self.original_at.len() - 1;
        self.original_at[folded_byte.min(last)] as usize
    }
}

/// A byte offset in the table: a text of 4 GiB or more is far beyond any reply (and beyond what
/// tantivy indexes in a field); its offsets past that point saturate.
fn offset(byte: usize) -> u32 {
    u32::try_from(byte).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_through_width_changes() {
        let original = "ＡＢ（2020）号";
        let n = Normalized::new(original);
        assert_eq!(n.folded(), "ab〔2020〕号");
        // folded "2020" starts after "ab〔" = 1 + 1 + 3 bytes; in the original after "ＡＢ（" = 9.
        assert_eq!(n.original_byte(5), 9);
        assert_eq!(&original[n.original_byte(5)..n.original_byte(9)], "2020");
        assert_eq!(n.original_byte(n.folded().len()), original.len());
    }

    #[test]
    fn unchanged_lengths_take_the_fast_path() {
        let n = Normalized::new("吉民议字〔2020〕4号");
        assert!(n.original_at.is_empty());
        assert_eq!(n.original_byte(12), 12);
    }

    #[test]
    fn offsets_before_the_first_change_of_length_are_kept() {
        // 议字, 〔 and （ (folded to 〔) keep their lengths; ２ is the first fold to change one.
        let original = "议字〔2020〕（２）Ｂ号";
        let n = Normalized::new(original);
        assert_eq!(n.folded(), "议字〔2020〕〔2〕b号");
        for (folded_at, c) in n.folded().char_indices() {
            let at = n.original_byte(folded_at);
            let next = n.original_byte(folded_at + c.len_utf8());
            let o = &original[at..next];
            assert_eq!(
                dafu_extract::normalize::fold(o),
                c.to_string(),
                "at {folded_at}"
            );
        }
        assert_eq!(n.original_byte(n.folded().len()), original.len());
        // Inside a folded character: its start.
        assert_eq!(n.original_byte(1), 0);
    }
}
