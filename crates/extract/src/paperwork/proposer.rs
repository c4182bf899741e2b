//! The proposer a reply answers (提案人/代表): read from the addressee line near the top.

use std::sync::LazyLock;

use regex::Regex;

use super::common::{LIST_ENUMERATOR, char_count, clean, is_han, re};

/// How many non-empty lines from the top may hold the addressee line.
const ADDRESSEE_WINDOW: usize = 15;

static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:尊敬的|亲爱的)?\s*(?P<body>.+?)\s*[：:]\s*(?:您好\s*[！!，,。]?)?$",
        "addressee",
    )
});
static ADDRESSEE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<names>.*?)\s*(?:等\s*[0-9０-９一二两三四五六七八九十]*\s*(?:位|名|人)?)?\s*(?:(?:全国|省|市|州|盟|区|县|旗)?(?:人大|政协))?\s*(?:代表|委员|同志)?\s*(?:们|等)?$",
        "addressee suffix",
    )
});

/// Words that never occur in a proposer's name but do occur in lines ending with `：` near the
/// top of a reply ("现答复如下：", "一、主要工作：").
const ADDRESSEE_STOP_WORDS: &[&str] = &[
    "如下", "答复", "答覆", "收悉", "各位", "附件", "抄送", "主送", "联系", "意见", "建议", "提案",
    "议案", "情况", "说明", "办理", "现将", "具体", "主要", "工作", "问题", "内容", "您好", "的",
    "会议", "报告", "通知", "函", "决定", "签发", "印发", "首先", "其次", "目前", "近年", "关于",
];

/// Prefixes of the democratic parties, whose committees table collective proposals (集体提案).
const PARTY_PREFIXES: &[&str] = &[
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "致公党",
    "九三学社",
    "台盟",
    "工商联",
];
/// Endings of a collective proposer (a delegation, a group, a sector, a party committee).
const GROUP_SUFFIXES: &[&str] = &[
    "代表团",
    "代表组",
    "小组",
    "界别",
    "委员会",
    "委会",
    "工商联",
    "联合会",
    "支部",
];

fn has_stop_word(s: &str) -> bool {
    ADDRESSEE_STOP_WORDS.iter().any(|w| s.contains(w))
}

/// A person's name as written on an addressee line: two to six ideographs, possibly masked.
fn is_person_name(name: &str) -> bool {
    let n = char_count(name);
    (2..=6).contains(&n)
        && name.chars().any(is_han)
        && name
            .chars()
            .all(|c| is_han(c) || matches!(c, '*' | '＊' | '×' | '·' | '•'))
        && !has_stop_word(name)
}

/// A collective proposer: a party committee, a delegation, a group or a sector.
fn is_collective_proposer(body: &str) -> bool {
    let n = char_count(body);
    (2..=24).contains(&n)
        && body.chars().all(|c| is_han(c) || "（）()".contains(c))
        && !has_stop_word(body)
        && (PARTY_PREFIXES.iter().any(|p| body.starts_with(p))
            || GROUP_SUFFIXES.iter().any(|s| body.ends_with(s)))
}

/// Removes parenthesised remarks such as `（领衔）` from an addressee's name.
fn drop_remarks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Splits the names of an addressee line ("李四、王五", "张三和李四", "王  伟").
fn split_names(names: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in names.split(['、', '，', ',', '；', ';', '/']) {
        let part = clean(part);
        if part.is_empty() {
            continue;
        }
        // Space inside a name pads a two-character name ("王  伟"); space between full names
        // separates people ("李四 王五").
        let words: Vec<&str> = part.split_whitespace().collect();
        if words.len() > 1 && words.iter().all(|w| char_count(w) >= 2) {
            parts.extend(words.iter().map(|w| (*w).to_string()));
        } else {
            parts.push(words.concat());
        }
    }
    // 和/及/与 join two people only when both sides are whole names ("李和平" is one person).
    let mut out = Vec::new();
    for part in parts {
        let pieces: Vec<&str> = part.split(['和', '及', '与']).collect();
        if pieces.len() > 1 && pieces.iter().all(|p| is_person_name(p)) {
            out.extend(pieces.iter().map(|p| (*p).to_string()));
        } else {
            out.push(part);
        }
    }
    out
}

/// Reads one candidate addressee line; `None` when it is not one.
fn read_addressee(line: &str) -> Option<Vec<String>> {
    if char_count(line) > 40 || LIST_ENUMERATOR.is_match(line) {
        return None;
    }
    let body = ADDRESSEE.captures(line)?.name("body")?.as_str();
    if is_collective_proposer(body) {
        return Some(vec![body.to_string()]);
    }
    let body = drop_remarks(body);
    let names = ADDRESSEE_SUFFIX.captures(&body)?.name("names")?.as_str();
    let names = split_names(names);
    (!names.is_empty() && names.iter().all(|n| is_person_name(n))).then_some(names)
}

/// True for a line of the body: a sentence, the opening "您提出的…收悉，现答复如下：" or a
/// numbered heading ("一、基本情况").
fn starts_body(line: &str) -> bool {
    ["。", "收悉", "如下", "您", "你"]
        .iter()
        .any(|w| line.contains(w))
        || LIST_ENUMERATOR.is_match(line)
}

/// Everyone named on the addressee line (the line after the title and 文号, ending with `：`),
/// the lead proposer (领衔) first, without the 代表/委员/同志 suffix; masked names such as
/// `魏**` are kept as written.
///
/// `张三等5位代表：` names only 张三. A collective proposer (`民盟市委会：`, `农工党界别：`) is
/// returned as written. Empty when the reply has no addressee line.
///
/// ```
/// use dafu_extract::paperwork::proposers;
/// let text = "对市八届人大五次会议第12号建议的答复\n李四、王五代表：\n    您提出的建议收悉。";
/// assert_eq!(proposers(text), ["李四", "王五"]);
/// assert!(proposers("现答复如下：").is_empty());
/// ```
pub fn proposers(text: &str) -> Vec<String> {
    for line in text
        .lines()
        .map(clean)
        .filter(|l| !l.is_empty())
        .take(ADDRESSEE_WINDOW)
    {
        if let Some(names) = read_addressee(line) {
            return names;
        }
        if starts_body(line) {
            // The addressee line always comes before the body.
            break;
        }
    }
    Vec::new()
}

/// The proposer the reply is addressed to: the first person on the addressee line (`魏**：`,
/// `仇宇斐代表：`, `尊敬的张三委员：`), without the 代表/委员/同志 suffix. `None` when there is
/// no addressee line. See [`proposers`] for all of them.
///
/// ```
/// use dafu_extract::paperwork::proposer;
/// assert_eq!(proposer("关于某事的答复\n尊敬的张三委员：\n您好！").as_deref(), Some("张三"));
/// assert_eq!(proposer("关于某事的答复\n现答复如下：\n"), None);
/// ```
pub fn proposer(text: &str) -> Option<String> {
    proposers(text).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paperwork::common::fixtures::reply;

    #[test]
    fn proposer_forms() {
        let cases: &[(&str, &[&str])] = &[
            ("张三代表：", &["张三"]),
            ("李小红委员：", &["李小红"]),
            ("尊敬的王五代表：", &["王五"]),
            ("尊敬的赵六委员:", &["赵六"]),
            ("尊敬的钱七代表：您好！", &["钱七"]),
            ("张三，李四代表：", &["张三", "李四"]),
            ("孙七同志：", &["孙七"]),
            ("周八等代表：", &["周八"]),
            ("周八等5位代表：", &["周八"]),
            ("吴九、郑十代表：", &["吴九", "郑十"]),
            ("冯一（领衔）、陈二、褚三委员：", &["冯一", "陈二", "褚三"]),
            ("张*：", &["张*"]),
            ("魏**：", &["魏**"]),
            ("欧阳小明代表：", &["欧阳小明"]),
            ("王  伟代表：", &["王伟"]),
            ("李和平代表：", &["李和平"]),
            ("民盟市委会：", &["民盟市委会"]),
        ];
        for (line, expected) in cases {
            let text = reply(line, "");
            assert_eq!(proposers(&text), *expected, "{line}");
            assert_eq!(
                proposer(&text).as_deref(),
                expected.first().copied(),
                "{line}"
            );
        }
    }

    #[test]
    fn proposer_is_never_a_guess() {
        // No addressee line: the first line ending with ： is "现答复如下：" or a heading.
        let text = "关于某某问题的答复\n某政函〔2021〕3号\n\n您提出的建议收悉，现答复如下：\n\
                    一、主要工作：\n张三代表：";
        assert_eq!(proposer(text), None);
        assert!(proposers("现答复如下：").is_empty());
        assert!(proposers("各位代表：").is_empty());
        assert!(proposers("关于加强养老服务工作的答复：").is_empty());
        assert_eq!(proposer(""), None);
    }

    #[test]
    fn proposer_window_ignores_later_addressees() {
        // The attached co-handling reply repeats the addressee; the first one counts.
        let text = reply(
            "钱二代表：",
            "附件\n市财政局关于某某的会办意见\n孙三代表：\n",
        );
        assert_eq!(proposers(&text), ["钱二"]);
    }
}
