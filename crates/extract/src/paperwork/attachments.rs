//! The attachments a reply lists or carries (附件): their titles, merged when named twice.

use std::sync::LazyLock;

use regex::Regex;

use super::common::{LIST_ENUMERATOR, char_count, clean, merge_fuller, re};

static ATTACHMENT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^附\s*件\s*(?P<num>[0-9０-９一二三四五六七八九十]{0,3})(?:\s*(?P<colon>[：:])\s*|\s+|$)(?P<rest>.*)$",
        "attachment label",
    )
});
static ITEM_ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s；;，,])(?P<enum>[0-9０-９]{1,2}\s*[.．、]|[（(][0-9０-９]{1,2}[）)])\s*(?P<next>[^0-9０-９\s])",
        "item enumerator",
    )
});
static DOC_NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[〔\[［【(（]\s*(?:19|20)[0-9]{2}\s*[〕\]］】)）]\s*第?\s*[0-9]{1,6}\s*号",
        "doc number line",
    )
});

/// Strips an enumerator, trailing punctuation and the outer 《》 of one attachment title.
fn clean_title(item: &str) -> String {
    let mut s = clean(item);
    if let Some(m) = LIST_ENUMERATOR.find(s) {
        s = clean(s.get(m.end()..).unwrap_or(""));
    }
    let s = clean(s.trim_end_matches(['。', '.', '；', ';', '，', ',', '、']));
    if let Some(inner) = s.strip_prefix('《').and_then(|r| r.strip_suffix('》'))
        && encloses_whole(inner)
    {
        return clean(inner).to_string();
    }
    s.to_string()
}

/// True when `inner` (the text between an outer 《 and 》) never closes the outer pair early.
fn encloses_whole(inner: &str) -> bool {
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '《' => depth += 1,
            '》' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The top-level 《…》 spans of `s` (byte ranges of their insides), and whether anything but
/// separators lies outside them.
fn bracketed_titles(s: &str) -> (Vec<&str>, bool) {
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut other_text = false;
    for (i, c) in s.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    start = i + c.len_utf8();
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    spans.push(s.get(start..i).unwrap_or(""));
                }
            }
            _ if depth == 0
                && !(c.is_whitespace() || "、，,；;.．。".contains(c) || c.is_ascii_digit()) =>
            {
                other_text = true;
            }
            _ => {}
        }
    }
    (spans, other_text || depth > 0)
}

/// Splits the text after `附件：` into titles ("1.甲 2.乙", "《甲》、《乙》", "甲").
fn split_titles(rest: &str) -> Vec<String> {
    let rest = clean(rest);
    if LIST_ENUMERATOR.is_match(rest) {
        // (where the enumerator starts, where the title after it starts)
        let marks: Vec<(usize, usize)> = ITEM_ENUMERATOR
            .captures_iter(rest)
            .filter_map(|c| Some((c.name("enum")?.start(), c.name("next")?.start())))
            .collect();
        if !marks.is_empty() {
            return marks
                .iter()
                .enumerate()
                .filter_map(|(k, &(_, start))| {
                    let end = marks.get(k + 1).map_or(rest.len(), |&(e, _)| e);
                    rest.get(start..end.max(start))
                })
                .map(clean_title)
                .filter(|t| !t.is_empty())
                .collect();
        }
    }
    let (spans, other_text) = bracketed_titles(rest);
    if spans.len() > 1 && !other_text {
        return spans
            .into_iter()
            .map(clean_title)
            .filter(|t| !t.is_empty())
            .collect();
    }
    let title = clean_title(rest);
    if title.is_empty() {
        Vec::new()
    } else {
        vec![title]
    }
}

/// True for a line that cannot be part of an attached document's title.
fn ends_attached_title(line: &str) -> bool {
    line.is_empty()
        || line.ends_with(['：', ':'])
        || line.contains('。')
        || char_count(line) > 50
        || DOC_NUMBER_LINE.is_match(line)
        || ATTACHMENT_LABEL.is_match(line)
}

/// The raw attachment titles in document order (before merging duplicates).
pub(super) fn raw_attachments(lines: &[&str]) -> Vec<String> {
    let mut titles = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(caps) = ATTACHMENT_LABEL.captures(lines[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        let rest = caps.name("rest").map_or("", |m| m.as_str());
        let numbered = caps.name("num").is_some_and(|m| !m.as_str().is_empty());
        let colon = caps.name("colon").is_some();
        if !rest.is_empty() {
            if !colon && !numbered {
                continue; // "附件材料显示……": a word, not a label.
            }
            titles.extend(split_titles(rest));
            // "附件：1.甲" with "2.乙" on the next lines.
            while let Some(next) = lines.get(i).copied() {
                if !LIST_ENUMERATOR.is_match(next) || ends_attached_title(next) {
                    break;
                }
                titles.extend(split_titles(next));
                i += 1;
            }
            continue;
        }
        // "附件" alone: a list follows, or the attached document itself with its title lines.
        while lines.get(i).is_some_and(|l| l.is_empty()) {
            i += 1;
        }
        let mut title = String::new();
        let mut title_lines = 0;
        while let Some(next) = lines.get(i).copied() {
            if ends_attached_title(next) {
                break;
            }
            if LIST_ENUMERATOR.is_match(next) {
                if !title.is_empty() {
                    break;
                }
                titles.extend(split_titles(next));
            } else {
                if title_lines == 4 || char_count(&title) + char_count(next) > 100 {
                    break;
                }
                title.push_str(next);
                title_lines += 1;
            }
            i += 1;
        }
        let title = clean_title(&title);
        if !title.is_empty() {
            titles.push(title);
        }
    }
    titles
}

/// A title reduced for comparison: no brackets, quotes or spaces.
fn title_key(title: &str) -> String {
    title
        .chars()
        .filter(|c| !(c.is_whitespace() || "《》〈〉<>“”\"'‘’「」".contains(*c)))
        .collect()
}

/// The titles of the reply's attachments (附件), without the outer 《》, from every form:
/// `附件：《…》`, `附件：1.甲  2.乙` (also continued on the next lines), `附件1：…`, and a line
/// `附件` on its own followed by the attached document's title lines (joined). The same
/// document named twice (listed under the signature and attached in full) is given once, in
/// its fuller wording.
///
/// ```
/// use dafu_extract::paperwork::attachments;
/// assert_eq!(attachments("附件：1.甲表 2.乙表"), ["甲表", "乙表"]);
/// assert_eq!(attachments("附件：《某某工作方案》"), ["某某工作方案"]);
/// assert!(attachments("详见附件。").is_empty());
/// ```
pub fn attachments(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(clean).collect();
    merge_fuller(raw_attachments(&lines), title_key, 8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paperwork::common::fixtures::reply;

    #[test]
    fn attachment_forms() {
        assert_eq!(
            attachments("附件：《某某市养老服务补贴办法》"),
            ["某某市养老服务补贴办法"]
        );
        assert_eq!(
            attachments("附件：某某市养老机构名录。"),
            ["某某市养老机构名录"]
        );
        assert_eq!(
            attachments("附件：1.养老机构名录  2.补贴标准表"),
            ["养老机构名录", "补贴标准表"]
        );
        assert_eq!(
            attachments("附件：1、《养老机构名录》\n      2、《补贴标准表》\n某某局"),
            ["养老机构名录", "补贴标准表"]
        );
        assert_eq!(
            attachments("附件：《甲方案》、《乙办法》"),
            ["甲方案", "乙办法"]
        );
        assert_eq!(
            attachments("附件1：养老机构名录\n附件2：补贴标准表"),
            ["养老机构名录", "补贴标准表"]
        );
        assert_eq!(
            attachments("附件：《关于〈某某办法〉的说明》"),
            ["关于〈某某办法〉的说明"]
        );
    }

    #[test]
    fn attachment_heading_followed_by_document() {
        let text = reply(
            "张三代表：",
            "附件\n\u{3000}\u{3000}市财政局关于对《加强社区养老\n\u{3000}\u{3000}服务的建议》的会办意见\n张三代表：\n\u{3000}\u{3000}经研究，意见如下。\n",
        );
        assert_eq!(
            attachments(&text),
            ["市财政局关于对《加强社区养老服务的建议》的会办意见"]
        );
        // Listed under the signature and attached in full: one document, fuller wording kept.
        let text = "附件：《财政局关于〈加强养老服务的建议〉的会办意见》\n某某局\n附件\n市财政局关于《加强养老服务的建议》的会办意见\n张三代表：";
        assert_eq!(
            attachments(text),
            ["市财政局关于《加强养老服务的建议》的会办意见"]
        );
    }

    #[test]
    fn no_attachments_without_a_label() {
        assert!(attachments("").is_empty());
        assert!(attachments("具体名单详见附件。").is_empty());
        assert!(attachments("附件材料显示情况属实。").is_empty());
        assert!(attachments(&reply("张三代表：", "抄送：市委办公室。")).is_empty());
    }
}
