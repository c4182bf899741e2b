//! The co-handling bodies a reply names (会办/协办单位): from labels, sentences and attached
//! co-handling replies, never from the 抄送 list.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::attachments::raw_attachments;
use super::cc::cc_blocks;
use super::common::{clean, looks_like_body, merge_fuller, re, split_list};

static CO_HANDLING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:会办|协办)单位(?:[：:]|为|是|有)\s*(?P<list>[^。；;\n）)]{1,200})",
        "co-handling label",
    )
});
static CO_HANDLING_BY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"由(?P<list>[^，。；,;：:\n由]{2,80}?)(?:等(?:单位|部门)?)?(?:负责)?(?:共同)?(?:会办|协办)",
        "co-handling by",
    )
});
static CO_HANDLING_AFTER_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"主办[，,、]\s*(?P<list>[^，。；,;：:\n]{2,80}?)(?:等(?:单位|部门)?)?(?:负责)?(?:共同)?(?:会办|协办)",
        "co-handling after lead",
    )
});
static ATTACHED_REPLY_ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<body>[\p{Han}（）()]{2,30}?)(?:关于|对[《〈“\u0022]|的?(?:会办|协办|答复|反馈|办理)意见$)",
        "attached reply issuer",
    )
});
static ATTACHED_REPLY_ENDING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:答复|会办|协办|办理|反馈)(?:意见|函)?[》〉”\u0022]*$",
        "attached reply ending",
    )
});

/// Splits a list of bodies: on separators (outside parentheses), and on 和/及/与 where the left
/// side is a whole body's name ("市财政局和市人社局", but "市住房和城乡建设局" stays whole).
fn split_bodies(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    for item in split_list(list) {
        if item.contains(['：', ':']) {
            break; // The next label on the same line ("联系人：…").
        }
        let mut start = 0;
        for (i, c) in item.char_indices() {
            if matches!(c, '和' | '及' | '与')
                && let Some(left) = item.get(start..i)
                && looks_like_body(left)
            {
                out.push(left.to_string());
                start = i + c.len_utf8();
            }
        }
        if let Some(last) = item.get(start..) {
            out.push(last.to_string());
        }
    }
    out.into_iter()
        .map(|b| {
            let b = b.trim_end_matches("等单位").trim_end_matches("等部门");
            let b = b.trim_end_matches("单位").trim_end_matches('等');
            clean(b).to_string()
        })
        .filter(|b| looks_like_body(b))
        .collect()
}

/// The raw names of the co-handling bodies (会办/协办单位) a reply names, as written:
/// from `会办单位：A、B`, `协办单位为A`, `由A、B会办`, `X主办，A、B会办`, and from attached
/// co-handling replies (`省人社厅关于对《…》的答复意见` names 省人社厅). The 抄送 list is never
/// read, and `综合会办单位意见` names no body. A body named twice in different fullness
/// (人社厅, 省人社厅) is given once, in the fuller form.
///
/// ```
/// use dafu_extract::paperwork::co_handling_mentions;
/// let text = "本建议由市民政局主办，市财政局、市人社局会办。\n抄送：市委办公室。";
/// assert_eq!(co_handling_mentions(text), ["市财政局", "市人社局"]);
/// assert!(co_handling_mentions("综合会办单位意见，现答复如下：").is_empty());
/// ```
pub fn co_handling_mentions(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(clean).collect();
    let cc_lines: HashSet<usize> = cc_blocks(&lines)
        .into_iter()
        .flat_map(|(indices, _)| indices)
        .collect();
    let mut bodies = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if cc_lines.contains(&i) {
            continue;
        }
        for pattern in [
            &*CO_HANDLING_LABEL,
            &*CO_HANDLING_BY,
            &*CO_HANDLING_AFTER_LEAD,
        ] {
            for caps in pattern.captures_iter(line) {
                if let Some(list) = caps.name("list") {
                    bodies.extend(split_bodies(list.as_str()));
                }
            }
        }
    }
    for title in raw_attachments(&lines) {
        if !ATTACHED_REPLY_ENDING.is_match(&title) {
            continue;
        }
        if let Some(body) = ATTACHED_REPLY_ISSUER
            .captures(&title)
            .and_then(|c| c.name("body"))
            .map(|m| m.as_str())
            .filter(|b| looks_like_body(b))
        {
            bodies.push(body.to_string());
        }
    }
    merge_fuller(bodies, str::to_string, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paperwork::common::fixtures::reply;

    #[test]
    fn co_handling_from_labels_and_sentences() {
        assert_eq!(
            co_handling_mentions("会办单位：市财政局、市人社局"),
            ["市财政局", "市人社局"]
        );
        assert_eq!(co_handling_mentions("协办单位为市卫健委。"), ["市卫健委"]);
        assert_eq!(
            co_handling_mentions("该建议由市财政局和市住房和城乡建设局会办。"),
            ["市财政局", "市住房和城乡建设局"]
        );
        assert_eq!(
            co_handling_mentions("本提案由我局主办，市教育局、市体育局等单位协办。"),
            ["市教育局", "市体育局"]
        );
    }

    #[test]
    fn co_handling_from_attached_replies() {
        let text = "附件：《人社局关于对〈某某建议〉的答复意见》\n某某局\n附件\n某某市人社局关于对《某某建议》的答复意见\n张三代表：";
        assert_eq!(co_handling_mentions(text), ["某某市人社局"]);
        assert_eq!(co_handling_mentions("附件：市财政局会办意见"), ["市财政局"]);
        // An attachment that is not a co-handling reply names no body.
        assert!(co_handling_mentions("附件：市财政局关于下达补助资金的通知").is_empty());
    }

    #[test]
    fn co_handling_never_from_cc_or_vague_wording() {
        let text = reply(
            "张三代表：",
            "（联系人：李四，电话：87650001）\n抄送：市财政局、市人社局（会办单位：市卫健委）。\n",
        );
        let text = text.replace("收悉，", "收悉，综合会办单位意见，");
        assert!(co_handling_mentions(&text).is_empty());
        assert!(co_handling_mentions("").is_empty());
        assert!(co_handling_mentions("由我局会办。").is_empty());
    }
}
