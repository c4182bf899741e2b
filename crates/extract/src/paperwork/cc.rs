//! The 抄送 list: the bodies a copy of the reply goes to, and the lines it occupies.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::common::{char_count, clean, re, split_list};

static CC_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^抄\s*送\s*[：:]\s*(?P<rest>.*)$", "cc label"));
static LABELLED_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[^，,。、]{1,10}[：:]", "labelled line"));
static DATE_OR_PRINTING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"印发|(?:19|20)[0-9]{2}\s*年|[〇○零一二三四五六七八九]{4}\s*年",
        "date",
    )
});

/// The indices of the lines that make up the 抄送 blocks, and the joined text of each block.
pub(super) fn cc_blocks(lines: &[&str]) -> Vec<(Vec<usize>, String)> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(caps) = CC_LABEL.captures(lines[i]) else {
            i += 1;
            continue;
        };
        let mut joined = caps
            .name("rest")
            .map_or(String::new(), |m| m.as_str().to_string());
        let mut indices = vec![i];
        i += 1;
        // A long list wraps onto the next lines, even in the middle of a name.
        while let Some(next) = lines.get(i).copied() {
            let ended = joined.ends_with(['。', '.']);
            if ended
                || next.is_empty()
                || indices.len() > 5
                || char_count(next) > 60
                || LABELLED_LINE.is_match(next)
                || DATE_OR_PRINTING.is_match(next)
                || next.starts_with(['（', '(', '附'])
            {
                break;
            }
            joined.push_str(next);
            indices.push(i);
            i += 1;
        }
        blocks.push((indices, joined));
    }
    blocks
}

/// The 抄送 list: the bodies a copy of the reply goes to, as written, in order
/// (`抄送：市委办公室、市人大常委会办公室，市政府办公室。`). Items are split on 、，,；; and
/// spaces (never inside parentheses), a trailing 。 is dropped, and a list wrapped over several
/// lines is joined. Empty when the reply has no 抄送 line.
///
/// ```
/// use dafu_extract::paperwork::cc;
/// assert_eq!(cc("抄送：市委办公室，市政府办公室。"), ["市委办公室", "市政府办公室"]);
/// assert!(cc("请抄送有关部门。").is_empty());
/// ```
pub fn cc(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(clean).collect();
    let mut seen = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for (_, joined) in cc_blocks(&lines) {
        for item in split_list(&joined) {
            if seen.insert(item.clone()) {
                out.push(item);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paperwork::common::fixtures::reply;

    #[test]
    fn cc_with_mixed_separators_and_trailing_stop() {
        let text = reply(
            "张三代表：",
            "（联系人：李四，电话：87650001）\n\n抄送：市委办公室、市政府办公室，市财政局,市人社局；县人大。\n",
        );
        assert_eq!(
            cc(&text),
            [
                "市委办公室",
                "市政府办公室",
                "市财政局",
                "市人社局",
                "县人大"
            ]
        );
        assert_eq!(cc("抄送:市委办公室. "), ["市委办公室"]);
        assert_eq!(
            cc("抄  送：各县（市、区）民政局、市财政局"),
            ["各县（市、区）民政局", "市财政局"]
        );
    }

    #[test]
    fn cc_wrapped_over_lines() {
        let text = "抄送：市委办公室、市人大常委会办公室、市政府办\n      公室、市财政局，\n      市人社局。\n某某局办公室          2021年7月2日印发\n";
        assert_eq!(
            cc(text),
            [
                "市委办公室",
                "市人大常委会办公室",
                "市政府办公室",
                "市财政局",
                "市人社局"
            ]
        );
    }

    #[test]
    fn no_cc_without_a_label() {
        assert!(cc("").is_empty());
        assert!(cc("我局已将有关意见抄送市财政局。").is_empty());
        assert!(cc(&reply("张三代表：", "")).is_empty());
    }
}
