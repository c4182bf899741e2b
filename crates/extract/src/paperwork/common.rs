//! Helpers shared by several of the paperwork readers: regex construction, line cleaning,
//! character classes, list splitting and the merging of items named in different fullness.

use std::sync::LazyLock;

use regex::Regex;

/// At most this many attachments or bodies are kept; real replies stay far below, and the
/// bound keeps merging linear on pathological input.
const MAX_ITEMS: usize = 64;

pub(super) fn re(pattern: &str, what: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("{what} pattern: {e}"))
}

/// Trims whitespace (ASCII, U+3000, no-break space) and a byte-order mark.
pub(super) fn clean(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

pub(super) fn char_count(s: &str) -> usize {
    s.chars().count()
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// An enumerator opening a line: `1.`, `一、`, `（2）`.
pub(super) static LIST_ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:[0-9０-９]{1,2}\s*[.．、]|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][0-9０-９一二三四五六七八九十]{1,3}[）)])",
        "list enumerator",
    )
});

/// Endings of a department's name (as opposed to a person's).
const BODY_ENDINGS: &str = "厅局委办院部会署心司团处所站队行府室社联关协台组科";

/// True when `name` reads as the name of a body (省人社厅, 市发展改革委, 国网某某供电公司).
pub(super) fn looks_like_body(name: &str) -> bool {
    let n = char_count(name);
    (2..=30).contains(&n)
        && name.chars().all(|c| is_han(c) || "（）()·".contains(c))
        && name
            .chars()
            .last()
            .is_some_and(|c| BODY_ENDINGS.contains(c))
        && !name.starts_with(['我', '本', '贵', '该', '各', '由'])
}

/// Splits a list on 、，,；;/ and whitespace, but never inside parentheses
/// ("各县（市、区）人民政府" stays whole). Items are trimmed of a trailing 。.
pub(super) fn split_list(list: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut depth = 0usize;
    let mut flush = |item: &mut String| {
        let trimmed = clean(item.trim_end_matches(['。', '.', '；', ';']));
        if !trimmed.is_empty() {
            items.push(trimmed.to_string());
        }
        item.clear();
    };
    for c in list.chars() {
        match c {
            '（' | '(' => {
                depth += 1;
                item.push(c);
            }
            '）' | ')' => {
                depth = depth.saturating_sub(1);
                item.push(c);
            }
            '、' | '，' | ',' | '；' | ';' | '/' if depth == 0 => flush(&mut item),
            c if c.is_whitespace() && depth == 0 => flush(&mut item),
            c => item.push(c),
        }
    }
    flush(&mut item);
    items
}

/// How many characters a fuller form may add in front of a shorter one (省, 吉林省, 市级).
const FULLER_PREFIX_MAX: usize = 4;

/// True when `a` and `b` are the same, or one is the other with a short prefix (a region)
/// added in front, and the shorter one has at least `min_chars` characters.
fn same_or_fuller(a: &str, b: &str, min_chars: usize) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (short_n, long_n) = (char_count(short), char_count(long));
    long.ends_with(short)
        && (short == long || (short_n >= min_chars && long_n - short_n <= FULLER_PREFIX_MAX))
}

/// Merges items naming the same thing, where one is a fuller form of the other
/// ("人社厅…" and "省人社厅…"): the fuller one is kept, in the place of the first.
pub(super) fn merge_fuller<F: Fn(&str) -> String>(
    items: Vec<String>,
    key: F,
    min_chars: usize,
) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in items.into_iter().take(MAX_ITEMS) {
        let k = key(&item);
        if k.is_empty() {
            continue;
        }
        match out
            .iter_mut()
            .find(|(ok, _)| same_or_fuller(ok, &k, min_chars))
        {
            Some(existing) => {
                if k.len() > existing.0.len() {
                    *existing = (k, item);
                }
            }
            None => out.push((k, item)),
        }
    }
    out.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
pub(super) mod fixtures {
    //! Builders shared by the tests of the paperwork readers.

    use crate::paperwork::Contact;

    pub(in crate::paperwork) fn contact(name: &str, phones: &[&str]) -> Contact {
        Contact {
            name: name.to_string(),
            phones: phones.iter().map(|p| (*p).to_string()).collect(),
        }
    }

    /// A reply laid out like the real ones: title, 文号, addressee, body, signature.
    pub(in crate::paperwork) fn reply(addressee: &str, tail: &str) -> String {
        format!(
            "对市九届人大二次会议第57号建议的答复\n某政函〔2021〕3号\n{addressee}\n\n\
             \u{3000}\u{3000}您提出的《关于加强社区养老服务的建议》收悉，现答复如下：\n\
             \u{3000}\u{3000}一、基本情况\n\u{3000}\u{3000}近年来我局做了大量工作。\n\
             \u{3000}\u{3000}某某市民政局\n\u{3000}\u{3000}2021年7月1日\n{tail}"
        )
    }
}
