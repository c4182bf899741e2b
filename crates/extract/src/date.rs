//! Dates as replies write them: 2020年8月18日, ２０２０年８月１８日, 二〇二〇年八月十八日.

use std::sync::LazyLock;

use regex::Regex;

use crate::normalize::{fold, fold_char};

static ARABIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
        .unwrap_or_else(|e| panic!("date pattern: {e}"))
});
static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$")
        .unwrap_or_else(|e| panic!("date pattern: {e}"))
});

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    fn checked(year: i32, month: u32, day: u32) -> Option<Date> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYYMMDD` as a number, for sorting.
    pub fn key(&self) -> u64 {
        self.year as u64 * 10_000 + self.month as u64 * 100 + self.day as u64
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        Date::checked(y, m, d)
    }
}

/// One Chinese digit (〇 … 九) as a number.
pub(crate) fn digit(c: char) -> Option<u32> {
    match c {
        '〇' | '○' | '零' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// 一 … 九十九 as a number (十八 → 18, 二十 → 20).
pub(crate) fn small_number(s: &str) -> Option<u32> {
    match s.split_once('十') {
        None => digit(s.chars().next()?).filter(|_| s.chars().count() == 1),
        Some((tens, ones)) => {
            let tens = if tens.is_empty() {
                1
            } else {
                digit(tens.chars().next()?)?
            };
            let ones = if ones.is_empty() {
                0
            } else {
                digit(ones.chars().next()?)?
            };
            Some(tens * 10 + ones)
        }
    }
}

/// Parses a line that is nothing but a date (a signature date line).
///
/// ```
/// use dafu_extract::date::parse_date_line;
/// assert_eq!(parse_date_line("　　2020年6月30日").map(|d| d.iso()).as_deref(), Some("2020-06-30"));
/// assert_eq!(parse_date_line("二〇二〇年八月十八日").map(|d| d.iso()).as_deref(), Some("2020-08-18"));
/// assert_eq!(parse_date_line("2019年省民政厅组织开展了培训"), None);
/// ```
pub fn parse_date_line(line: &str) -> Option<Date> {
    // Both forms end in 日: most lines of a reply are refused before they are folded (the
    // extractor tries every line after the title until one is the signing date).
    if !line.trim_end().ends_with(|c| fold_char(c) == '日') {
        return None;
    }
    let folded = fold(line);
    let line = folded.trim();
    if let Some(c) = ARABIC.captures(line) {
        return Date::checked(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    let c = CHINESE.captures(line)?;
    let year = c[1]
        .chars()
        .try_fold(0i32, |acc, ch| Some(acc * 10 + digit(ch)? as i32))?;
    Date::checked(year, small_number(&c[2])?, small_number(&c[3])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines_end_in_a_day_after_any_white_space() {
        // Ideographic spaces and line ends after the date; the traditional form folds first.
        assert!(parse_date_line("2020年6月30日\u{3000}\u{3000}").is_some());
        assert!(parse_date_line("2020年6月30日\r").is_some());
        assert!(parse_date_line("二〇二〇年八月十八日 ").is_some());
        assert_eq!(parse_date_line("2020年6月30日印发"), None);
        assert_eq!(parse_date_line("2020年6月"), None);
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert_eq!(parse_date_line("2020年2月30日"), None);
        assert_eq!(parse_date_line("2020年13月1日"), None);
        assert!(parse_date_line("2020年2月29日").is_some());
        assert_eq!(parse_date_line("2021年2月29日"), None);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(small_number("十"), Some(10));
        assert_eq!(small_number("十八"), Some(18));
        assert_eq!(small_number("三十一"), Some(31));
        assert_eq!(small_number("九"), Some(9));
        assert_eq!(
            parse_date_line("二〇二一年十二月三十一日").map(|d| d.key()),
            Some(20211231)
        );
    }

    #[test]
    fn iso_round_trip() {
        let d = Date::parse_iso("2020-08-18");
        assert_eq!(d.map(|d| d.iso()).as_deref(), Some("2020-08-18"));
        assert_eq!(Date::parse_iso("2020-02-31"), None);
    }
}
