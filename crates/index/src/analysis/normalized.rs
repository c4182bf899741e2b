//! Text folded for analysis, with a way back to the original byte offsets.

use dafu_extract::normalize::fold_char;

/// A folded copy of a text (see [`dafu_extract::normalize`]) that remembers where each of its
/// characters came from. Folding maps one character to one character, so character indices
/// agree between the two; byte offsets differ where a fold changes a character's UTF-8 length
/// (`Ａ` is three bytes, `a` one), and [`Normalized::original_byte`] translates them.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    folded: String,
    /// Original byte offset of every folded character, plus the original length at the end;
    /// empty when no fold changed a byte length (offsets are then the same).
    char_starts: Vec<usize>,
    /// Folded byte offset of every folded character (same shape as `char_starts`).
    folded_starts: Vec<usize>,
}

impl Normalized {
    /// Folds `original`, reusing this value's buffers.
    pub fn fold_from(&mut self, original: &str) {
        self.folded.clear();
        self.char_starts.clear();
        self.folded_starts.clear();
        self.folded.reserve(original.len());
        let mut same_lengths = true;
        for c in original.chars() {
            let f = fold_char(c);
            same_lengths &= f.len_utf8() == c.len_utf8();
            self.folded.push(f);
        }
        if !same_lengths {
            for ((ob, _), (fb, _)) in original.char_indices().zip(self.folded.char_indices()) {
                self.char_starts.push(ob);
                self.folded_starts.push(fb);
            }
            self.char_starts.push(original.len());
            self.folded_starts.push(self.folded.len());
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

    /// The original byte offset of a byte offset in the folded text (a character boundary).
    pub fn original_byte(&self, folded_byte: usize) -> usize {
        if self.char_starts.is_empty() {
            return folded_byte;
        }
        match self.folded_starts.binary_search(&folded_byte) {
            Ok(i) => self.char_starts[i],
            // Not a boundary: cannot happen for offsets from the folded text's own tokens.
            Err(i) => self.char_starts[i.min(self.char_starts.len() - 1)],
        }
    }
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
        assert!(n.char_starts.is_empty());
        assert_eq!(n.original_byte(12), 12);
    }
}
