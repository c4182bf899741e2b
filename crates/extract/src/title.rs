//! The reply's title and what it says about the proposal: which assembly, which tier, which
//! number. Real titles: 对省政协十二届三次会议第196号委员提案的答复, 关于市八届人大五次会议第124号
//! 建议的答复函, XX市交通运输局关于…的会办意见.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::small_number;
use crate::doc_number::find_doc_number;
use crate::reply::{Assembly, Level, ReplyKind, Session};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("title pattern {pattern}: {e}"))
}

/// The tier named just before the assembly: 省政协, 市八届人大, 嘉善县人大常委会.
static TIER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(省|自治区|市|州|盟|县|区|旗)\s*(?:第?[〇一二三四五六七八九十百0-9]+\s*届\s*)?(?:人大|政协|人民代表大会|政治协商会议)",
    )
});
/// The tier named after the assembly: 政协嘉兴市七届四次会议, 人大XX县.
static TIER_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:政协|人大)(\p{Han}{0,10})(省|自治区|市|州|盟|县|区|旗)"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"第?\s*([0-9]{1,6})\s*号\s*(?:代表|委员)?\s*(?:重点)?\s*(?:建议|提案|议案)")
});
static ANY_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"第\s*([0-9]{1,6})\s*号"));
/// A session: 十二届三次会议, 八届人大五次会议, 第十三届全国人大一次会议, 13届1次会议,
/// 第八届委员会第四次会议.
static SESSION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"第?\s*([〇一二三四五六七八九十百]{1,4}|[0-9]{1,3})\s*届",
        r"((?:\s*(?:全国|[\p{Han}]{0,12}?(?:省|自治区|市|州|盟|县|区|旗))?\s*(?:人大常委会|人大|人民代表大会|政协|政治协商会议)?(?:委员会)?)?)",
        r"\s*第?\s*([〇一二三四五六七八九十]{1,3}|[0-9]{1,2})\s*次\s*(?:全体)?\s*会议",
    ))
});
/// A document number in parentheses at the end of a title: …的答复（嘉政民函〔2020〕8号）.
static TRAILING_DOC_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"[（(]([^（()）]{4,40})[）)]\s*$"));

/// Words that end a reply title.
const TITLE_ENDINGS: &[&str] = &[
    "答复",
    "答复函",
    "答复意见",
    "会办意见",
    "协办意见",
    "意见的函",
    "的函",
    "复函",
];

/// Whether a line reads like a reply title (not the body, not the addressee).
pub fn is_title_line(line: &str) -> bool {
    let refers = ["建议", "提案", "议案"].iter().any(|w| line.contains(w));
    let answers = ["答复", "意见", "函"].iter().any(|w| line.contains(w));
    let chars = line.chars().count();
    refers
        && answers
        && chars <= 120
        && !line.ends_with('：')
        && !line.ends_with(':')
        && !line.contains('。')
}

/// Whether a line reads like the first half of a wrapped title: `关于政协杭州市十二届一次会议`
/// or `杭州市财政局关于市十四届人大一次会议`, whose 第N号建议的答复 is on the next line.
pub fn is_title_head(line: &str) -> bool {
    let opens = line.starts_with("关于") || line.starts_with('对') || line.contains("关于");
    let names_session = ["会议", "人大", "政协", "届"]
        .iter()
        .any(|w| line.contains(w));
    opens
        && names_session
        && line.chars().count() <= 60
        && !line.contains(['。', '：', ':', '，'])
        && !TITLE_ENDINGS.iter().any(|e| line.ends_with(e))
}

/// Whether a (possibly partial) title line is complete.
pub fn ends_title(line: &str) -> bool {
    let line = line.trim_end_matches([')', '）', '〕']);
    TITLE_ENDINGS.iter().any(|e| line.ends_with(e)) || line.ends_with('号')
}

/// The assembly the title refers to.
pub fn assembly(title: &str) -> Option<Assembly> {
    if title.contains("政协") || title.contains("政治协商") {
        Some(Assembly::Cppcc)
    } else if title.contains("人大") || title.contains("人民代表大会") {
        Some(Assembly::Npc)
    } else if title.contains("提案") {
        Some(Assembly::Cppcc)
    } else if title.contains("建议") || title.contains("议案") {
        Some(Assembly::Npc)
    } else {
        None
    }
}

/// Where in the title a tier is named, and which tier its suffix says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierMention {
    /// Whether the tier was read from 市 alone, which names a prefecture city (嘉兴市), a
    /// county-level city (诸暨市) or a municipality (上海市) alike.
    pub by_shi: bool,
    pub level: Level,
}

fn suffix_level(suffix: &str) -> Level {
    match suffix {
        "省" | "自治区" => Level::Province,
        "市" | "州" | "盟" => Level::City,
        _ => Level::County,
    }
}

/// The tier of the assembly: national for 全国人大/全国政协, else from the suffix next to it.
pub fn tier(title: &str) -> Option<TierMention> {
    if ["全国人大", "全国政协", "全国人民代表大会", "全国委员会"]
        .iter()
        .any(|w| title.contains(w))
    {
        return Some(TierMention {
            by_shi: false,
            level: Level::National,
        });
    }
    if let Some(c) = TIER_BEFORE.captures(title) {
        let m = c.get(1)?;
        return Some(TierMention {
            by_shi: m.as_str() == "市",
            level: suffix_level(m.as_str()),
        });
    }
    let c = TIER_AFTER.captures(title)?;
    let m = c.get(2)?;
    Some(TierMention {
        by_shi: m.as_str() == "市",
        level: suffix_level(m.as_str()),
    })
}

/// The proposal number as written (第0487号 -> "0487"), the one the title says it answers:
/// the number just before 号建议/号提案/号议案.
pub fn proposal_number(title: &str) -> Option<String> {
    NUMBER
        .captures(title)
        .or_else(|| ANY_NUMBER.captures(title))
        .map(|c| c[1].to_string())
}

fn numeral(s: &str) -> Option<u32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        small_number(s)
    }
}

/// The assembly session (届次) the title names: 十二届三次会议 is term 12, meeting 3. `text` is
/// the span as written from the term number to 会议 (八届人大五次会议).
///
/// ```
/// use dafu_extract::title::session;
/// let s = session("对省政协十二届三次会议第196号委员提案的答复").unwrap();
/// assert_eq!((s.term, s.meeting, s.text.as_str()), (Some(12), Some(3), "十二届三次会议"));
/// let s = session("关于政协嘉兴市第八届委员会第四次会议第12号提案的答复").unwrap();
/// assert_eq!((s.term, s.meeting), (Some(8), Some(4)));
/// ```
pub fn session(title: &str) -> Option<Session> {
    let c = SESSION.captures(title)?;
    let whole = c.get(0)?;
    let term = c.get(1)?;
    // The text starts at the term number itself (no 第), ends at 会议.
    let text: String = title[term.start()..whole.end()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(Session {
        term: numeral(term.as_str()),
        meeting: c.get(3).and_then(|m| numeral(m.as_str())),
        text,
    })
}

/// The `term-meeting` key of a session as a person types it: `12-3`, `12届3次`, `十二届三次`,
/// `十二届三次会议`.
///
/// ```
/// use dafu_extract::title::session_key;
/// assert_eq!(session_key("十二届三次").as_deref(), Some("12-3"));
/// assert_eq!(session_key("12-3").as_deref(), Some("12-3"));
/// assert_eq!(session_key("八届人大五次会议").as_deref(), Some("8-5"));
/// assert_eq!(session_key("三次"), None);
/// ```
pub fn session_key(input: &str) -> Option<String> {
    let input = input.trim();
    if let Some((term, meeting)) = input.split_once('-') {
        let (term, meeting): (u32, u32) = (term.trim().parse().ok()?, meeting.trim().parse().ok()?);
        return Some(format!("{term}-{meeting}"));
    }
    let written = if input.ends_with("会议") {
        input.to_string()
    } else {
        format!("{input}会议")
    };
    session(&written)?.key()
}

/// What kind of document the title says it is: a reply (答复, 答复函), a lead department's
/// co-handling opinion (会办意见) or an assisting department's opinion (协办意见).
pub fn reply_kind(title: &str) -> Option<ReplyKind> {
    if title.contains("会办意见") || title.contains("会办答复") {
        Some(ReplyKind::CoHandling)
    } else if title.contains("协办意见") || title.contains("协办答复") {
        Some(ReplyKind::Assisting)
    } else if title.contains("答复") || title.contains("复函") || title.contains("的函") {
        Some(ReplyKind::Reply)
    } else {
        None
    }
}

/// Splits a document number written in parentheses off the end of a title:
/// `…的答复（嘉政民函〔2020〕8号）` -> (`…的答复`, `嘉政民函〔2020〕8号`).
pub fn split_doc_number(title: &str) -> (&str, Option<String>) {
    if let Some(c) = TRAILING_DOC_NUMBER.captures(title)
        && let (Some(whole), Some(inner)) = (c.get(0), c.get(1))
        && let Some(n) = find_doc_number(inner.as_str())
    {
        return (title[..whole.start()].trim_end(), Some(n));
    }
    (title, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_their_forms() {
        let cases = [
            (
                "对省政协十二届三次会议第196号委员提案的答复",
                Some(Assembly::Cppcc),
                Some(Level::Province),
                Some("196"),
            ),
            (
                "对市八届人大五次会议第124号建议的答复",
                Some(Assembly::Npc),
                Some(Level::City),
                Some("124"),
            ),
            (
                "关于政协嘉兴市七届四次会议第12号提案的答复函",
                Some(Assembly::Cppcc),
                Some(Level::City),
                Some("12"),
            ),
            (
                "对嘉善县十七届人大四次会议第0487号建议的答复",
                Some(Assembly::Npc),
                Some(Level::County),
                Some("0487"),
            ),
            (
                "关于十三届全国人大一次会议第 1234 号建议的答复",
                Some(Assembly::Npc),
                Some(Level::National),
                Some("1234"),
            ),
        ];
        for (title, asm, level, number) in cases {
            assert!(is_title_line(title), "{title}");
            assert!(ends_title(title), "{title}");
            assert_eq!(assembly(title), asm, "{title}");
            assert_eq!(tier(title).map(|t| t.level), level, "{title}");
            assert_eq!(proposal_number(title).as_deref(), number, "{title}");
        }
    }

    #[test]
    fn sessions_kinds_and_numbers() {
        let s = session("对市八届人大五次会议第124号建议的答复");
        assert_eq!(
            s.map(|s| (s.term, s.meeting, s.text)),
            Some((Some(8), Some(5), "八届人大五次会议".to_string()))
        );
        let s = session("关于十三届全国人大一次会议第 1234 号建议的答复");
        assert_eq!(
            s.map(|s| (s.term, s.meeting, s.text)),
            Some((Some(13), Some(1), "十三届全国人大一次会议".to_string()))
        );
        let s = session("对县13届人大1次会议第5号建议的答复");
        assert_eq!(s.map(|s| (s.term, s.meeting)), Some((Some(13), Some(1))));
        assert_eq!(session("关于加强社区养老服务的建议的答复"), None);
        assert_eq!(
            reply_kind("嘉兴市交通运输局关于市八届人大五次会议第12号建议的会办意见"),
            Some(ReplyKind::CoHandling)
        );
        assert_eq!(
            reply_kind("关于省政协十二届三次会议第5号提案协办意见的函"),
            Some(ReplyKind::Assisting)
        );
        assert_eq!(
            reply_kind("关于市八届人大五次会议第124号建议的答复函"),
            Some(ReplyKind::Reply)
        );
        assert_eq!(
            proposal_number("对政协七届四次会议第 0056 号提案的答复").as_deref(),
            Some("0056")
        );
        assert_eq!(
            proposal_number("关于市人大十五届二次会议代表第12号建议的答复").as_deref(),
            Some("12")
        );
        assert_eq!(
            split_doc_number("对市八届人大五次会议第124号建议的答复（嘉政民函〔2020〕8号）"),
            (
                "对市八届人大五次会议第124号建议的答复",
                Some("嘉政民函〔2020〕8号".to_string())
            )
        );
        assert_eq!(
            split_doc_number("关于《加强养老（托育）服务》建议的答复"),
            ("关于《加强养老（托育）服务》建议的答复", None)
        );
    }

    #[test]
    fn body_lines_are_not_titles() {
        assert!(!is_title_line("魏**："));
        assert!(!is_title_line("您提出的建议收悉，现答复如下。"));
        assert!(!ends_title("省人社厅关于对《进一步加强协会商会等"));
    }
}
