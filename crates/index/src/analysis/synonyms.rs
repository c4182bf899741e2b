//! Synonym groups (`index-data/synonyms.txt`): other names of a query word, for query time.
//!
//! One group per line, members separated by whitespace or commas (`,` `，`), `#` comments. Every
//! member is folded like all analysed text ([`dafu_extract::normalize::fold`]), so a traditional
//! or full-width member is the same as its simplified, half-width form. A word may belong to
//! several groups; its synonyms are then the union of their other members.
//!
//! Synonyms change nothing in the index: the query engine looks a query word up here and also
//! searches for the other members.

use std::collections::HashMap;

use dafu_extract::normalize::{fold, is_separator};

use crate::error::IndexError;

/// The synonyms file compiled into this build.
pub const EMBEDDED_SYNONYMS: &str = include_str!("../../../../index-data/synonyms.txt");

/// Name of the synonyms file in a data folder and in `<index>/dafu-data/`.
pub const SYNONYMS_FILE: &str = "synonyms.txt";

/// Each folded word of a group, with the other members of its groups (folded, in file order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    by_word: HashMap<String, Vec<String>>,
    groups: usize,
}

impl Synonyms {
    /// The compiled-in groups.
    pub fn embedded() -> Result<Self, IndexError> {
        Synonyms::parse(SYNONYMS_FILE, EMBEDDED_SYNONYMS)
    }

    /// Parses a synonyms file; `name` only labels errors. A line whose group has fewer than two
    /// different words, or a member with no letter, digit or ideograph, is an error naming the
    /// line.
    ///
    /// ```
    /// use dafu_index::analysis::Synonyms;
    /// let s = Synonyms::parse("synonyms.txt", "# departments\n人社厅 人力资源和社会保障厅\n").unwrap();
    /// assert_eq!(s.of("人社厅"), ["人力资源和社会保障厅"]);
    /// assert_eq!(s.of("人社廳"), ["人力资源和社会保障厅"]);
    /// assert!(s.of("民政厅").is_empty());
    /// ```
    pub fn parse(name: &str, text: &str) -> Result<Self, IndexError> {
        let mut synonyms = Synonyms::default();
        for (i, line) in text.lines().enumerate() {
            let error = |message: String| IndexError::Synonyms {
                file: name.to_string(),
                line: i + 1,
                message,
            };
            let content = line.split('#').next().unwrap_or_default();
            let mut group: Vec<String> = Vec::new();
            for member in content
                .split(|c: char| c.is_whitespace() || c == ',' || c == '，')
                .filter(|m| !m.is_empty())
            {
                if member.chars().all(is_separator) {
                    return Err(error(format!(
                        "{member:?} has no letter, digit or ideograph"
                    )));
                }
                let folded = fold(member);
                if !group.contains(&folded) {
                    group.push(folded);
                }
            }
            match group.len() {
                0 => continue,
                1 => {
                    return Err(error(format!(
                        "the group has only one word ({:?}); a synonym group needs two or more",
                        group[0]
                    )));
                }
                _ => {}
            }
            synonyms.groups += 1;
            for word in &group {
                let others = synonyms.by_word.entry(word.clone()).or_default();
                for other in &group {
                    if other != word && !others.contains(other) {
                        others.push(other.clone());
                    }
                }
            }
        }
        Ok(synonyms)
    }

    /// The other members of the groups of `word` (folded); empty when it has none.
    pub fn of(&self, word: &str) -> &[String] {
        let found = match self.by_word.get(word) {
            Some(others) => Some(others),
            None => self.by_word.get(&fold(word)),
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// Number of groups read.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// Every word that has synonyms, in no particular order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.by_word.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(err: IndexError) -> usize {
        match err {
            IndexError::Synonyms { line, .. } => line,
            other => panic!("not a synonyms error: {other}"),
        }
    }

    #[test]
    fn members_split_on_spaces_and_commas_and_fold() {
        let s = Synonyms::parse(
            "t",
            "社保,社会保险  # short and full\n\n人社廳，人力資源和社會保障廳　人社厅\n",
        )
        .unwrap();
        assert_eq!(s.groups(), 2);
        assert_eq!(s.of("社保"), ["社会保险"]);
        assert_eq!(s.of("社会保险"), ["社保"]);
        // 人社廳 and 人社厅 fold to one member; the full-width space separates.
        assert_eq!(s.of("人社厅"), ["人力资源和社会保障厅"]);
        assert_eq!(s.of("人力资源和社会保障厅"), ["人社厅"]);
        assert!(s.of("short").is_empty());
    }

    #[test]
    fn a_word_in_two_groups_gets_both() {
        let s = Synonyms::parse("t", "医保 医疗保险\n医保 医疗保障\n").unwrap();
        assert_eq!(s.of("医保"), ["医疗保险", "医疗保障"]);
        assert_eq!(s.of("医疗保障"), ["医保"]);
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_number() {
        let one_word = Synonyms::parse("t", "# fine\n社保 社会保险\n低保\n").unwrap_err();
        assert_eq!(line_of(one_word), 3);
        let same_word = Synonyms::parse("t", "人社廳 人社厅\n").unwrap_err();
        assert_eq!(line_of(same_word), 1);
        let punctuation = Synonyms::parse("t", "\n\n社保 。 社会保险\n").unwrap_err();
        assert_eq!(line_of(punctuation), 3);
        let message = Synonyms::parse("synonyms.txt", "a\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("synonyms.txt, line 1"), "{message}");
    }

    #[test]
    fn the_compiled_in_file_parses() {
        let s = Synonyms::embedded().unwrap();
        assert!(s.groups() >= 40, "{}", s.groups());
        assert!(s.of("人社厅").contains(&"人力资源和社会保障厅".to_string()));
        assert!(s.of("放管服").contains(&"放管服改革".to_string()));
        // 疫情 alone is deliberately not a synonym of 新冠肺炎疫情.
        assert!(s.of("疫情").is_empty());
    }
}
