//! Place abbreviations in document numbers (文号的机关代字): 吉 in 吉民议字〔2020〕4号 is 吉林省,
//! 嘉 in 嘉政民函〔2020〕8号 is 嘉兴市.
//!
//! The table is `index-data/doc-abbreviations.tsv`, compiled in. An abbreviation may stand for
//! several places (苏 is 江苏省 and 苏州市); [`DocAbbreviations::candidates`] returns them all
//! and the extractor chooses with the reply's tier and the other places it names.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::error::ExtractError;
use crate::region::RegionTable;

static EMBEDDED_TSV: &str = include_str!("../../../index-data/doc-abbreviations.tsv");

static EMBEDDED: LazyLock<DocAbbreviations> = LazyLock::new(|| {
    // Compiled in and checked by `embedded_table_parses`: a failure is a build defect.
    DocAbbreviations::parse(EMBEDDED_TSV, RegionTable::embedded())
        .unwrap_or_else(|e| panic!("embedded doc-abbreviations.tsv: {e}"))
});

/// Abbreviation -> division codes.
#[derive(Debug, Clone, Default)]
pub struct DocAbbreviations {
    by_abbreviation: HashMap<String, Vec<u32>>,
    /// Longest abbreviation, in characters.
    longest: usize,
}

impl DocAbbreviations {
    /// The table compiled into this build.
    pub fn embedded() -> &'static DocAbbreviations {
        &EMBEDDED
    }

    /// Parses the TSV format of `index-data/doc-abbreviations.tsv`, resolving each place
    /// against `regions`.
    pub fn parse(tsv: &str, regions: &RegionTable) -> Result<Self, ExtractError> {
        let mut table = DocAbbreviations::default();
        for (i, line) in tsv.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') || line.starts_with("abbreviation\t") {
                continue;
            }
            let bad = |message: String| ExtractError::Table {
                table: "doc-abbreviations.tsv",
                line: i + 1,
                message,
            };
            let (abbreviation, place) = line
                .split_once('\t')
                .ok_or_else(|| bad("expected 2 tab-separated columns".into()))?;
            let found = regions.lookup(place);
            let [region] = found.as_slice() else {
                return Err(bad(format!(
                    "{place:?} names {} divisions, not one",
                    found.len()
                )));
            };
            if region.name != place {
                return Err(bad(format!("{place:?} is not an official full name")));
            }
            table.longest = table.longest.max(abbreviation.chars().count());
            table
                .by_abbreviation
                .entry(abbreviation.to_string())
                .or_default()
                .push(region.code);
        }
        Ok(table)
    }

    /// Every place the head of an issuer code can stand for, longest abbreviation first
    /// (内蒙 before 内).
    ///
    /// ```
    /// use dafu_extract::abbreviations::DocAbbreviations;
    /// let t = DocAbbreviations::embedded();
    /// assert_eq!(t.candidates("吉民议字〔2020〕4号").len(), 2); // 吉林省, 吉林市
    /// assert_eq!(t.candidates("浙民函〔2021〕3号"), vec![330000]);
    /// assert!(t.candidates("〔2021〕3号").is_empty());
    /// ```
    pub fn candidates(&self, doc_number: &str) -> Vec<u32> {
        // Byte ends of the first `longest` characters.
        let ends: Vec<usize> = doc_number
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(self.longest)
            .collect();
        ends.iter()
            .rev()
            .find_map(|&end| self.by_abbreviation.get(&doc_number[..end]))
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let t = DocAbbreviations::embedded();
        assert!(t.by_abbreviation.len() > 60);
        assert_eq!(t.candidates("嘉政民函〔2020〕8号"), vec![330400]);
        let su = t.candidates("苏民函〔2020〕8号");
        assert!(su.contains(&320000) && su.contains(&320500), "{su:?}");
        assert_eq!(t.candidates("内蒙民发〔2020〕1号"), vec![150000]);
    }

    #[test]
    fn a_place_that_is_not_unique_is_an_error() {
        let err = DocAbbreviations::parse("鼓\t鼓楼区\n", RegionTable::embedded())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("line 1"), "{err}");
    }
}
