//! The reply's title and what it says about the proposal: which assembly, which tier, which
//! number. Real titles: 对省政协十二届三次会议第196号委员提案的答复, 关于市八届人大五次会议第124号
//! 建议的答复函, XX市交通运输局关于…的会办意见.

use std::sync::LazyLock;

use regex::Regex;

use crate::reply::{Assembly, Level};

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
static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"第\s*([0-9]{1,6})\s*号"));

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
    if title.contains("全国人大")
        || title.contains("全国政协")
        || title.contains("全国人民代表大会")
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

/// The proposal number as written (第0487号 -> "0487").
pub fn proposal_number(title: &str) -> Option<String> {
    NUMBER.captures(title).map(|c| c[1].to_string())
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
    fn body_lines_are_not_titles() {
        assert!(!is_title_line("魏**："));
        assert!(!is_title_line("您提出的建议收悉，现答复如下。"));
        assert!(!ends_title("省人社厅关于对《进一步加强协会商会等"));
    }
}
