//! Document numbers (文号): 吉民议字〔2020〕4号, 嘉政民函〔2020〕8号.
//!
//! Segmenters cut them into junk (吉民议字|〔|2020|〕|4|号) and people type their brackets in
//! many ways, so extraction and search both use the canonical form produced here.

use std::sync::LazyLock;

use regex::Regex;

use crate::normalize::fold;

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}a-z]{1,12})\s*〔\s*((?:19|20)\d{2})\s*〕\s*第?\s*(\d{1,6})\s*号")
        .unwrap_or_else(|e| panic!("doc number pattern: {e}"))
});

/// Finds the first document number in `text` and returns it in canonical form.
///
/// ```
/// use dafu_extract::doc_number::find_doc_number;
/// assert_eq!(find_doc_number("嘉政民函[2020]8号").as_deref(), Some("嘉政民函〔2020〕8号"));
/// assert_eq!(find_doc_number("吉民议字【２０２０】 4 号").as_deref(), Some("吉民议字〔2020〕4号"));
/// assert_eq!(find_doc_number("2020年工作要点"), None);
/// ```
pub fn find_doc_number(text: &str) -> Option<String> {
    let folded = fold(text);
    let caps = DOC_NUMBER.captures(&folded)?;
    Some(format!("{}〔{}〕{}号", &caps[1], &caps[2], &caps[3]))
}

/// The canonical form of `text` if the whole of it (trimmed) is one document number, as when a
/// user types a 文号 into the search box.
///
/// ```
/// use dafu_extract::doc_number::canonical_doc_number;
/// assert_eq!(canonical_doc_number(" 吉民议字(2020)4号 ").as_deref(), Some("吉民议字〔2020〕4号"));
/// assert_eq!(canonical_doc_number("吉民议字〔2020〕4号 培训"), None);
/// ```
pub fn canonical_doc_number(text: &str) -> Option<String> {
    let folded = fold(text.trim());
    let caps = DOC_NUMBER.captures(&folded)?;
    let whole = caps.get(0)?;
    (whole.start() == 0 && whole.end() == folded.len())
        .then(|| format!("{}〔{}〕{}号", &caps[1], &caps[2], &caps[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bracket_variant_gives_one_form() {
        for written in [
            "吉民议字〔2020〕4号",
            "吉民议字[2020]4号",
            "吉民议字【2020】4号",
            "吉民议字（2020）4号",
            "吉民议字(2020)4号",
            "吉民议字［2020］4号",
            "吉民议字〔２０２０〕４号",
            "吉民议字 〔2020〕 第4号",
        ] {
            assert_eq!(
                canonical_doc_number(written).as_deref(),
                Some("吉民议字〔2020〕4号"),
                "{written}"
            );
        }
    }

    #[test]
    fn a_number_inside_a_title_is_found() {
        let title = "关于市八届人大五次会议第124号建议的答复（嘉政民函〔2020〕8号）";
        assert_eq!(
            find_doc_number(title).as_deref(),
            Some("嘉政民函〔2020〕8号")
        );
    }

    #[test]
    fn years_outside_range_are_not_document_numbers() {
        assert_eq!(find_doc_number("某某〔1234〕5号"), None);
        assert_eq!(canonical_doc_number("〔2020〕4号"), None);
    }
}
