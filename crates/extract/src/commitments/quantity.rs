//! Numbers with units (数量), deadlines (时限) and years inside one unit.

use std::sync::LazyLock;

use regex::Regex;

use super::Quantity;

/// A number, an optional 余/多, an optional magnitude (万, 亿, 万亿, 千, 百) and a unit.
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d+(?:\.\d+)?)(余|多)?((?:十|百|千)?(?:万|亿|万亿)?(?:个百分点|平方公里|平方米|千瓦时|千瓦|公里|小时|人次|户次|美元|元|斤|吨|人|户|名|家|个|项|次|所|支|场|期|批|条|座|套|台|辆|张|份|件|亩|天|倍|床|处|类|种|门|节|册|%|‰))",
    )
    .unwrap_or_else(|e| panic!("quantity pattern: {e}"))
});

/// Deadline phrases, in order of preference (leftmost wins, then the longest alternative).
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"到(\d{4})年(?:底|末|年底|年末)?(?:前|以前|之前)?|(\d{4})年(?:\d{1,2}月)?(?:底|末|年底|年末)?(?:前|以前|之前)|(\d{4})年(?:内|上半年|下半年|底|末|年底|年末)|(今年|本年|明年|年)(?:内|底前|年底前|底以前|年底以前)|(今年|明年)(?:上半年|下半年|底|年底)|\d{1,2}月(?:底|份|末)?(?:前|以前|之前)",
    )
    .unwrap_or_else(|e| panic!("deadline pattern: {e}"))
});

/// A four-digit year written with 年, in Arabic or Chinese digits (一九八二年).
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4}|[〇○零一二三四五六七八九]{4})年")
        .unwrap_or_else(|e| panic!("year pattern: {e}"))
});

/// The value of a year in Arabic or Chinese digits.
fn year_value(s: &str) -> Option<i32> {
    s.chars().try_fold(0i32, |acc, c| {
        let d = c.to_digit(10).or_else(|| crate::date::digit(c))?;
        Some(acc * 10 + d as i32)
    })
}

/// Char offset of every byte offset of `s` (only char boundaries are meaningful).
pub(super) fn char_index(s: &str) -> Vec<usize> {
    let mut map = vec![0; s.len() + 1];
    let mut n = 0;
    for (b, c) in s.char_indices() {
        for slot in map.iter_mut().skip(b).take(c.len_utf8()) {
            *slot = n;
        }
        n += 1;
    }
    if let Some(last) = map.last_mut() {
        *last = n;
    }
    map
}

/// The quantities in `norm` (normalized unit text); `orig` holds the same characters as
/// written, for [`Quantity::text`].
pub(super) fn quantities(norm: &str, orig: &[char]) -> Vec<Quantity> {
    let mut out = Vec::new();
    // A quantity starts with a digit: most units have none.
    if !norm.chars().any(may_be_a_digit) {
        return out;
    }
    let map = char_index(norm);
    for caps in QUANTITY.captures_iter(norm) {
        let (Some(all), Some(num), Some(unit)) = (caps.get(0), caps.get(1), caps.get(3)) else {
            continue;
        };
        let before = norm[..all.start()].chars().next_back();
        // 第3批 is an ordinal, 2.3 is matched from its start, 5-10% is a range part
        if before.is_some_and(|c| c == '第' || c == '.' || c.is_ascii_digit()) {
            continue;
        }
        let Ok(value) = num.as_str().parse::<f64>() else {
            continue;
        };
        let (s, e) = (map[all.start()], map[all.end()]);
        out.push(Quantity {
            text: orig.get(s..e).unwrap_or(&[]).iter().collect(),
            value,
            unit: unit.as_str().to_string(),
        });
    }
    out
}

/// False only for a character `\d` cannot match: ASCII other than 0–9, and the CJK Unified
/// Ideographs (none of them a decimal digit) are answered without Unicode's tables.
fn may_be_a_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        !('\u{4E00}'..='\u{9FFF}').contains(&c) && c.is_numeric()
    }
}

/// Time facts of one unit.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Timing {
    /// The deadline phrase as written, with its char range inside the unit.
    pub deadline: Option<String>,
    /// The year the deadline falls in (needs `reference` for relative phrases).
    pub deadline_year: Option<i32>,
    /// The first year ≥ `reference` written in the unit (not after 比/较/与/同).
    pub future_year: Option<i32>,
    /// A year < `reference` written in the unit (not after 比/较/与/同/到/至).
    pub past_year: bool,
    /// 今年/本年/年内 (0), 明年 (1), 后年 (2): a year relative to the signing.
    pub relative: Option<i32>,
}

/// Finds deadlines and years in `norm`, with `reference` the signing year if known.
pub(super) fn timing(norm: &str, orig: &[char], reference: Option<i32>) -> Timing {
    let mut t = Timing::default();
    // Every deadline, year and relative year is written with 年 or 月: most units have neither.
    if !norm.contains(['年', '月']) {
        return t;
    }
    if let Some(caps) = DEADLINE.captures(norm)
        && let Some(all) = caps.get(0)
    {
        let map = char_index(norm);
        let text: String = orig
            .get(map[all.start()]..map[all.end()])
            .unwrap_or(&[])
            .iter()
            .collect();
        let explicit = [1, 2, 3]
            .iter()
            .find_map(|&i| caps.get(i))
            .and_then(|m| m.as_str().parse::<i32>().ok());
        let rel = if text.starts_with("明年") { 1 } else { 0 };
        t.deadline_year = explicit.or(reference.map(|r| r + rel));
        t.deadline = Some(text);
    }
    for caps in YEAR.captures_iter(norm) {
        let (Some(all), Some(y)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let Some(year) = year_value(y.as_str()) else {
            continue;
        };
        let head = &norm[..all.start()];
        let before = head.chars().next_back();
        if before.is_some_and(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九十".contains(c))
            || !(1900..=2100).contains(&year)
        {
            continue;
        }
        let comparison = before.is_some_and(|c| "比较与同和及至、".contains(c))
            || head.ends_with("相比")
            || norm[all.end()..].starts_with(['比', '同', '相', '的', '水', '基']);
        let Some(r) = reference else { continue };
        if year >= r {
            if t.future_year.is_none() && !comparison && year <= r + 50 {
                t.future_year = Some(year);
            }
        } else if !comparison && before.is_none_or(|c| c != '到') {
            t.past_year = true;
        }
    }
    if norm.contains("后年") {
        t.relative = Some(2);
    } else if norm.contains("明年") || norm.contains("下一年") {
        t.relative = Some(1);
    } else if ["今年", "本年", "年内", "当年", "年底前"]
        .iter()
        .any(|w| norm.contains(w))
    {
        t.relative = Some(0);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<(String, f64, String)> {
        let chars: Vec<char> = s.chars().collect();
        quantities(s, &chars)
            .into_iter()
            .map(|q| (q.text, q.value, q.unit))
            .collect()
    }

    #[test]
    fn quantities_keep_the_written_text() {
        assert_eq!(
            q("培训人次不少于100人次，引导8家商会"),
            vec![
                ("100人次".into(), 100.0, "人次".into()),
                ("8家".into(), 8.0, "家".into())
            ]
        );
        assert_eq!(q("比例提高到3.5%"), vec![("3.5%".into(), 3.5, "%".into())]);
        assert_eq!(
            q("安排资金2.5亿元"),
            vec![("2.5亿元".into(), 2.5, "亿元".into())]
        );
        assert_eq!(
            q("服务30余万人次"),
            vec![("30余万人次".into(), 30.0, "万人次".into())]
        );
        assert!(q("2021年第3批").is_empty());
        assert!(q("加强人才队伍建设").is_empty());
    }

    #[test]
    fn only_digits_may_be_digits() {
        let digit = Regex::new(r"^\d$").unwrap();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if digit.is_match(c.encode_utf8(&mut [0; 4])) {
                assert!(may_be_a_digit(c), "{c:?} U+{:04X}", c as u32);
            }
        }
        assert!(!may_be_a_digit('年') && !may_be_a_digit('a') && may_be_a_digit('7'));
    }

    #[test]
    fn deadlines_and_years() {
        let t = |s: &str| timing(s, &s.chars().collect::<Vec<_>>(), Some(2021));
        let a = t("2022年底前完成改造");
        assert_eq!(a.deadline.as_deref(), Some("2022年底前"));
        assert_eq!(a.deadline_year, Some(2022));
        let b = t("年内建成示范点");
        assert_eq!(b.deadline.as_deref(), Some("年内"));
        assert_eq!(b.deadline_year, Some(2021));
        let c = t("到2030年覆盖全部乡镇");
        assert_eq!(c.deadline.as_deref(), Some("到2030年"));
        assert_eq!(c.deadline_year, Some(2030));
        assert!(t("2019年开展了调研").past_year);
        assert!(!t("比2019年增长一倍").past_year);
        assert_eq!(t("明年推广").relative, Some(1));
        assert_eq!(t("2021年拟新建").future_year, Some(2021));
        assert_eq!(t("6月底前完成").deadline.as_deref(), Some("6月底前"));
        let none = t("加强人才队伍建设，完善培训体系");
        assert_eq!(
            (
                none.deadline,
                none.future_year,
                none.past_year,
                none.relative
            ),
            (None, None, false, None)
        );
    }
}
