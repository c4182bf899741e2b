//! Character folding shared by extraction, indexing and querying.
//!
//! Government replies mix full-width and half-width forms (`２０２０`, `ＡＢＣ`) and write the
//! brackets of a document number (文号) in half a dozen ways: the official `〔2020〕`, and `[]`,
//! `［］`, `【】`, `()`, `（）` as typed by people and OCR. Every fold here maps **one character
//! to one character**, so character offsets computed on folded text are character offsets into
//! the original text as well. Traditional characters fold to simplified ones the same way, one
//! for one ([`crate::traditional`]), so 人才隊伍 and 人才队伍 are the same text to search.

/// The canonical opening bracket of a document number (GB/T 9704 writes 〔〕).
pub const OPEN_BRACKET: char = '〔';
/// The canonical closing bracket of a document number.
pub const CLOSE_BRACKET: char = '〕';

/// Folds one character: full-width ASCII to half-width, ASCII to lower case, the ideographic
/// space to a space, every bracket variant used around a 文号's year to `〔` / `〕`, and
/// traditional Chinese characters to simplified ones ([`crate::traditional`]).
///
/// ```
/// use dafu_extract::normalize::fold_char;
/// assert_eq!(fold_char('Ａ'), 'a');
/// assert_eq!(fold_char('２'), '2');
/// assert_eq!(fold_char('['), '〔');
/// assert_eq!(fold_char('】'), '〕');
/// assert_eq!(fold_char('民'), '民');
/// assert_eq!(fold_char('隊'), '队');
/// ```
#[inline]
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return fold_ascii(c);
    }
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).map_or(c, fold_ascii),
        // （ ） ［ ］ are full-width ASCII, folded above.
        '【' | '〔' => OPEN_BRACKET,
        '】' | '〕' => CLOSE_BRACKET,
        _ => crate::traditional::to_simplified(c),
    }
}

#[inline]
fn fold_ascii(c: char) -> char {
    match c {
        '[' | '(' => OPEN_BRACKET,
        ']' | ')' => CLOSE_BRACKET,
        _ => c.to_ascii_lowercase(),
    }
}

/// Folds a whole string with [`fold_char`]; the result has as many characters as the input.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// True for characters that carry no searchable content: whitespace, punctuation and symbols
/// (both ASCII and CJK). Letters, digits and ideographs are content.
#[inline]
pub fn is_separator(c: char) -> bool {
    // Fast paths for what a reply is made of (`char::is_alphanumeric` looks every non-ASCII
    // character up in Unicode tables, a few percent of a search's highlighting): ASCII, the
    // CJK Unified Ideographs block, every code point of which is a letter, and a bit per code
    // point for the rest of the Basic Multilingual Plane, where the full-width punctuation of
    // Chinese text lies (，。、“”《》：, about a tenth of a reply's characters).
    if c.is_ascii() {
        !c.is_ascii_alphanumeric()
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        false
    } else if let Some(word) = BMP_ALPHANUMERIC.get(c as usize / 64) {
        word & (1 << (c as u32 % 64)) == 0
    } else {
        !c.is_alphanumeric()
    }
}

/// True for content that folding leaves as it is: not a [separator](is_separator), and
/// [`fold_char`] gives it back unchanged. Most characters of a reply are; a text can be copied
/// a run of them at a time where only the rest needs a character's attention (highlighting).
#[inline]
pub fn is_plain(c: char) -> bool {
    PlainChars::new().contains(c)
}

/// [`is_plain`] with its table fetched once, for a loop over every character of a text: each
/// call of `is_plain` checks that the table is filled (a highlight's pass over a reply made a
/// million such calls per pass of the benchmark's searches, ~5% of a search).
#[derive(Debug, Clone, Copy)]
pub struct PlainChars(&'static [u64]);

impl PlainChars {
    pub fn new() -> Self {
        PlainChars(&BMP_PLAIN)
    }

    /// Whether `c` is plain ([`is_plain`]).
    #[inline(always)]
    pub fn contains(self, c: char) -> bool {
        match self.0.get(c as usize / 64) {
            Some(word) => word & (1 << (c as u32 % 64)) != 0,
            None => !is_separator(c) && fold_char(c) == c,
        }
    }
}

impl Default for PlainChars {
    fn default() -> Self {
        Self::new()
    }
}

/// Every character that is not a [separator](is_separator) and folds to `c` other than `c`
/// itself (全角 Ａ and upper-case A for a; 隊 for 队): where a folded word may stand in a text
/// that was not folded. Empty for most characters.
pub fn folding_to(c: char) -> &'static [char] {
    UNFOLD
        .binary_search_by_key(&c, |(folded, _)| *folded)
        .map_or(&[], |i| UNFOLD[i].1.as_slice())
}

/// [`folding_to`] of every character with any, sorted (filled on first use: a pass over the
/// BMP, and the traditional characters beyond it).
static UNFOLD: std::sync::LazyLock<Vec<(char, Vec<char>)>> = std::sync::LazyLock::new(|| {
    let bmp = (0..0x10000u32)
        .filter_map(char::from_u32)
        .map(|c| (c, fold_char(c)));
    let mut pairs: Vec<(char, char)> = bmp
        .chain(crate::traditional::beyond_bmp())
        .filter(|&(c, folded)| folded != c && !is_separator(c))
        .map(|(c, folded)| (folded, c))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut unfold: Vec<(char, Vec<char>)> = Vec::new();
    for (folded, c) in pairs {
        match unfold.last_mut() {
            Some((last, from)) if *last == folded => from.push(c),
            _ => unfold.push((folded, vec![c])),
        }
    }
    unfold
});

/// One bit per code point of the Basic Multilingual Plane: set where [`is_plain`] holds (8 KB,
/// filled on first use).
static BMP_PLAIN: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut bits = vec![0u64; 0x10000 / 64];
    for c in (0..0x10000u32).filter_map(char::from_u32) {
        if !is_separator(c) && fold_char(c) == c {
            bits[c as usize / 64] |= 1 << (c as u32 % 64);
        }
    }
    bits
});

/// One bit per code point of the Basic Multilingual Plane: set where `char::is_alphanumeric`
/// holds (8 KB, filled on first use).
static BMP_ALPHANUMERIC: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut bits = vec![0u64; 0x10000 / 64];
    for c in (0..0x10000u32).filter_map(char::from_u32) {
        if c.is_alphanumeric() {
            bits[c as usize / 64] |= 1 << (c as u32 % 64);
        }
    }
    bits
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_to_lists_every_character_that_folds_to_one() {
        let mut a = folding_to('a').to_vec();
        a.sort_unstable();
        assert_eq!(a, vec!['A', 'Ａ', 'ａ']);
        assert_eq!(folding_to('队'), &['隊']);
        assert!(folding_to('民').is_empty());
        // A separator folds to nothing a text could hold where a word is.
        assert!(!folding_to(OPEN_BRACKET).contains(&'['));
        // Every listed character folds back and is no separator; the traditional characters
        // beyond the BMP are listed too.
        for c in ['a', '队', '发', '于', '里'] {
            for &from in folding_to(c) {
                assert_eq!(fold_char(from), c);
                assert!(!is_separator(from));
            }
        }
        let beyond: Vec<(char, char)> = crate::traditional::beyond_bmp().collect();
        assert!(
            !beyond.is_empty(),
            "no traditional character beyond the BMP"
        );
        assert!(beyond.iter().all(|&(t, s)| folding_to(s).contains(&t)));
    }

    #[test]
    fn separators_agree_with_unicode_everywhere() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_separator(c),
                !c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn plain_is_content_that_folding_leaves_alone_everywhere() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_plain(c),
                !is_separator(c) && fold_char(c) == c,
                "{c:?} U+{:04X}",
                c as u32
            );
        }
        assert!(is_plain('养') && is_plain('a') && is_plain('1') && is_plain('é'));
        assert!(!is_plain('隊') && !is_plain('Ａ') && !is_plain('B') && !is_plain('，'));
    }

    #[test]
    fn folding_keeps_the_character_count() {
        let text = "吉民议字［２０２０］４号 ＡＢＣ（一）";
        assert_eq!(fold(text).chars().count(), text.chars().count());
        assert_eq!(fold(text), "吉民议字〔2020〕4号 abc〔一〕");
    }

    #[test]
    fn traditional_folds_one_character_for_one() {
        let text = "廣東省應急管理廳（2019）：人才隊伍，關於ＡＢＣ";
        let folded = fold(text);
        assert_eq!(folded, "广东省应急管理厅〔2019〕:人才队伍,关于abc");
        // Character offsets agree: the n-th character of the fold is the fold of the n-th.
        assert_eq!(folded.chars().count(), text.chars().count());
        for (o, f) in text.chars().zip(folded.chars()) {
            assert_eq!(fold_char(o), f);
            assert_eq!(fold_char(f), f, "folding is idempotent");
        }
        let start = folded.chars().position(|c| c == '人').unwrap();
        let span: String = text.chars().skip(start).take(4).collect();
        assert_eq!(span, "人才隊伍");
    }

    #[test]
    fn ascii_is_untouched_except_case_and_brackets() {
        for b in 0u8..128 {
            let c = b as char;
            let expected = match c {
                '[' | '(' => OPEN_BRACKET,
                ']' | ')' => CLOSE_BRACKET,
                _ => c.to_ascii_lowercase(),
            };
            assert_eq!(fold_char(c), expected, "{c:?}");
        }
        assert_eq!(fold("Hello, World 2020!"), "hello, world 2020!");
    }

    #[test]
    fn separators_are_punctuation_and_space() {
        for c in [
            '，', '。', ' ', '\u{3000}', '\n', '〔', '“', '、', '-', '《',
        ] {
            assert!(is_separator(c), "{c:?}");
        }
        for c in ['人', '2', 'a', '〇'] {
            assert!(!is_separator(c), "{c:?}");
        }
    }
}
