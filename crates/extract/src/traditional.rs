//! Traditional Chinese characters folded to their simplified forms, one character at a time.
//!
//! Replies from Hong Kong, Macao and Taiwan liaison offices quote traditional text, and people
//! type 人才隊伍 or 廣東省 into the search box. Folding every traditional character to its
//! simplified form on both sides (index and query) lets each find the other.
//!
//! The table is OpenCC's character table (`TSCharacters`, shipped by the `hanconv` crate), used
//! **character by character**, never through OpenCC's phrase rules: a phrase rule can turn two
//! characters into one or three, and folding must keep one character for one character so that
//! offsets computed on folded text stay offsets into the original. Where OpenCC lists several
//! simplified candidates (於 → 于 於, 乾 → 干 乾) its first, default one is taken, as OpenCC
//! itself does without phrase context; a character whose default is itself (瞭, 藉) is kept.
//! Variants that are only Taiwan or Hong Kong spellings of a traditional character (著 for 着)
//! are left alone: 著 is also a simplified character (显著), and folding it would merge words.

use std::sync::LazyLock;

/// First and last code point of the dense part of the table: CJK Extension A and the unified
/// ideographs, where 95% of the traditional characters are.
const DENSE_FIRST: u32 = 0x3400;
const DENSE_LAST: u32 = 0x9FFF;

struct Table {
    /// `dense[c - DENSE_FIRST]` is the simplified form of `c` (or `c` itself).
    dense: Box<[char]>,
    /// The traditional characters outside the dense range (Extension B and later), sorted.
    rare: Vec<(char, char)>,
}

impl Table {
    fn build() -> Table {
        let pairs: Vec<(char, char)> = hanconv::Dictionary::TSCharacters
            .iter()
            .filter_map(|(t, s)| Some((single_char(t)?, single_char(s)?)))
            .filter(|(t, s)| t != s)
            .collect();
        let mut dense: Box<[char]> = (DENSE_FIRST..=DENSE_LAST)
            .map(|u| char::from_u32(u).unwrap_or('\u{FFFD}'))
            .collect();
        let mut rare = Vec::new();
        for &(t, s) in &pairs {
            match dense_slot(t) {
                Some(i) => dense[i] = s,
                None => rare.push((t, s)),
            }
        }
        rare.sort_unstable();
        rare.dedup_by_key(|(t, _)| *t);
        let mut table = Table { dense, rare };
        // Resolve chains (a simplified form that is itself listed as traditional) so that
        // folding is idempotent: fold(fold(c)) == fold(c).
        for _ in 0..3 {
            let changes: Vec<(char, char)> = pairs
                .iter()
                .map(|&(t, _)| (t, table.lookup(table.lookup(t))))
                .filter(|&(t, s)| table.lookup(t) != s)
                .collect();
            if changes.is_empty() {
                break;
            }
            for (t, s) in changes {
                table.set(t, s);
            }
        }
        table
    }

    fn lookup(&self, c: char) -> char {
        match dense_slot(c) {
            Some(i) => self.dense[i],
            None => self
                .rare
                .binary_search_by_key(&c, |&(t, _)| t)
                .map_or(c, |i| self.rare[i].1),
        }
    }

    fn set(&mut self, t: char, s: char) {
        match dense_slot(t) {
            Some(i) => self.dense[i] = s,
            None => {
                if let Ok(i) = self.rare.binary_search_by_key(&t, |&(k, _)| k) {
                    self.rare[i].1 = s;
                }
            }
        }
    }
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

fn dense_slot(c: char) -> Option<usize> {
    let u = c as u32;
    (DENSE_FIRST..=DENSE_LAST)
        .contains(&u)
        .then(|| (u - DENSE_FIRST) as usize)
}

static TABLE: LazyLock<Table> = LazyLock::new(Table::build);

/// The simplified form of a traditional character; any other character unchanged.
///
/// ```
/// use dafu_extract::traditional::to_simplified;
/// assert_eq!(to_simplified('隊'), '队');
/// assert_eq!(to_simplified('廣'), '广');
/// assert_eq!(to_simplified('於'), '于');
/// assert_eq!(to_simplified('队'), '队');
/// assert_eq!(to_simplified('a'), 'a');
/// ```
#[inline]
pub fn to_simplified(c: char) -> char {
    if (c as u32) < DENSE_FIRST {
        return c;
    }
    TABLE.lookup(c)
}

/// The traditional characters the table folds outside the BMP (Extension B and later), each
/// with its simplified form.
pub fn beyond_bmp() -> impl Iterator<Item = (char, char)> {
    TABLE
        .rare
        .iter()
        .map(|&(t, _)| (t, TABLE.lookup(t)))
        .filter(|&(t, _)| (t as u32) >= 0x10000)
}

/// How many traditional characters the table folds.
pub fn table_len() -> usize {
    let t = &*TABLE;
    let dense = t
        .dense
        .iter()
        .enumerate()
        .filter(|&(i, &s)| s as u32 != DENSE_FIRST + i as u32)
        .count();
    dense + t.rare.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn government_words_fold_to_their_simplified_forms() {
        let cases = [
            ("人才隊伍", "人才队伍"),
            ("應急管理廳", "应急管理厅"),
            ("廣東省", "广东省"),
            ("關於加強社會組織建設的建議", "关于加强社会组织建设的建议"),
            ("臺灣", "台湾"),
            ("人力資源和社會保障局", "人力资源和社会保障局"),
        ];
        for (traditional, simplified) in cases {
            let folded: String = traditional.chars().map(to_simplified).collect();
            assert_eq!(folded, simplified);
        }
    }

    #[test]
    fn simplified_text_is_a_fixed_point() {
        let text = "关于加强社会组织人才队伍建设的建议，显著提升乾隆年间的著作";
        let folded: String = text.chars().map(to_simplified).collect();
        // 乾 folds to 干 (OpenCC's default); everything else here is already simplified.
        assert_eq!(
            folded,
            "关于加强社会组织人才队伍建设的建议，显著提升干隆年间的著作"
        );
    }

    #[test]
    fn folding_is_idempotent_over_the_whole_table() {
        let t = &*TABLE;
        for (i, &s) in t.dense.iter().enumerate() {
            let c = char::from_u32(DENSE_FIRST + i as u32).unwrap_or(s);
            assert_eq!(to_simplified(s), s, "{c} -> {s} -> {}", to_simplified(s));
        }
        for &(t, s) in &t.rare {
            assert_eq!(to_simplified(s), s, "{t} -> {s}");
        }
        assert!(table_len() > 3_000, "{}", table_len());
    }
}
