//! Cutting a reply into lines, headings (标题) and sentence units (句), all as character
//! ranges into the original text.
//!
//! * A **heading** is a line of its own: `一、…` / `第一部分…` (level 1, also when the line goes
//!   on after a short first sentence), `（一）…` / `第一，…` without sentence punctuation
//!   (level 2), or a short plain line (≤ 30 characters, no sentence punctuation) standing
//!   between a finished sentence and a paragraph (`下一步工作打算`, a signature).
//! * A **reset** is a line that ends the body: a date line (`2020年6月30日`) or `附件…`.
//! * Everything else is text, cut into units at `。！？；` (not inside `“”《》`), and long units
//!   (> [`LONG_UNIT`] characters) again before an enumeration item that follows a comma or colon
//!   (`，二是…`, `：（1）…`, `，③…`).

use std::sync::LazyLock;

use regex::Regex;

/// Units longer than this (in characters) are split before inline enumeration items.
pub(super) const LONG_UNIT: usize = 60;

/// One piece of the reply, in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Piece {
    /// A heading line `[start, end)` (trailing punctuation removed) of level 1 or 2.
    Heading { start: usize, end: usize, level: u8 },
    /// A date line or attachment line: the body (and its context) ends here.
    Reset,
    /// A sentence unit `[start, end)`, trimmed, with its list marker removed.
    Unit { start: usize, end: usize },
}

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$")
        .unwrap_or_else(|e| panic!("date line pattern: {e}"))
});
static TOP_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}(?:部分|章|节))")
        .unwrap_or_else(|e| panic!("heading pattern: {e}"))
});
static SUB_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[，,、])")
        .unwrap_or_else(|e| panic!("heading pattern: {e}"))
});
/// A list marker at the start of a unit, removed from the unit.
static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．]|[①-⑳]|第[一二三四五六七八九十]{1,3}[，,、])\s*",
    )
    .unwrap_or_else(|e| panic!("list marker pattern: {e}"))
});
/// An enumeration item that may start a unit inside a long sentence (after `，` or `：`).
static INLINE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[二三四五六七八九十]是|[一二三四五六七八九十]是|[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[）)]|[①-⑳])")
        .unwrap_or_else(|e| panic!("inline item pattern: {e}"))
});

/// Whitespace, including the zero-width and BOM characters pasted from web pages.
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// Punctuation a heading line never contains.
fn is_heading_breaker(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '，' | ',' | '：' | ':')
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn collect(chars: &[char], start: usize, end: usize) -> String {
    chars.get(start..end).unwrap_or(&[]).iter().collect()
}

/// Trims whitespace off both ends of `[start, end)`.
pub(super) fn trim(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && chars.get(start).is_some_and(|&c| is_space(c)) {
        start += 1;
    }
    while end > start && chars.get(end - 1).is_some_and(|&c| is_space(c)) {
        end -= 1;
    }
    (start, end)
}

/// Trimmed, non-blank lines as `(start, end)`.
fn lines(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            let (s, e) = trim(chars, start, i);
            if s < e {
                out.push((s, e));
            }
            start = i + 1;
        }
    }
    let (s, e) = trim(chars, start, chars.len());
    if s < e {
        out.push((s, e));
    }
    out
}

/// Cuts `chars` (the normalized text, one char per original char) into pieces.
pub(super) fn pieces(chars: &[char]) -> Vec<Piece> {
    let lines = lines(chars);
    let mut out = Vec::new();
    let mut prev_finished = true; // the previous line ended a sentence (or there is none)
    for (idx, &(s, e)) in lines.iter().enumerate() {
        let line = collect(chars, s, e);
        let last = chars.get(e - 1).copied().unwrap_or(' ');
        let next_first = lines
            .get(idx + 1)
            .and_then(|&(ns, _)| chars.get(ns).copied());
        let finished_here = is_sentence_end(last) || matches!(last, '：' | ':' | '”' | '…');
        if DATE_LINE.is_match(&line) || (line.starts_with("附件") && e - s <= 40) {
            out.push(Piece::Reset);
            prev_finished = true;
            continue;
        }
        let len = e - s;
        if let Some(m) = TOP_MARKER.find(&line) {
            let body_start = s + line[..m.end()].chars().count();
            let first_end =
                (body_start..e).find(|&i| chars.get(i).is_some_and(|&c| is_sentence_end(c)));
            match first_end {
                None if len <= 40 && !line.contains(['，', ',']) || len <= 25 => {
                    let (hs, he) = strip_trailing(chars, s, e);
                    out.push(Piece::Heading {
                        start: hs,
                        end: he,
                        level: 1,
                    });
                    prev_finished = true;
                    continue;
                }
                Some(p) if p - s <= 40 && chars.get(p) == Some(&'。') => {
                    out.push(Piece::Heading {
                        start: s,
                        end: p,
                        level: 1,
                    });
                    units(chars, p + 1, e, &mut out);
                    prev_finished = finished_here;
                    continue;
                }
                _ => {}
            }
        }
        let breaker = line.chars().any(is_heading_breaker);
        if let Some(m) = SUB_MARKER.find(&line) {
            // `（一）加强培训` and `第一，加强农业` alone on a line are headings; with more
            // clauses or a full stop they are text.
            let rest = &line[m.end()..];
            if len <= 40 && !rest.chars().any(is_heading_breaker) {
                let (hs, he) = strip_trailing(chars, s, e);
                out.push(Piece::Heading {
                    start: hs,
                    end: he,
                    level: 2,
                });
                prev_finished = true;
                continue;
            }
        }
        let plain_heading = len <= 30
            && !breaker
            && prev_finished
            && line.chars().any(is_cjk)
            && line.matches('《').count() == line.matches('》').count()
            && !LIST_MARKER.is_match(&line)
            && !next_first.is_some_and(|c| "，。、；：,;:）)》”".contains(c));
        if plain_heading {
            out.push(Piece::Heading {
                start: s,
                end: e,
                level: 1,
            });
            prev_finished = true;
            continue;
        }
        units(chars, s, e, &mut out);
        prev_finished = finished_here;
    }
    out
}

/// Removes trailing `：。` from a heading range.
fn strip_trailing(chars: &[char], s: usize, mut e: usize) -> (usize, usize) {
    while e > s
        && chars
            .get(e - 1)
            .is_some_and(|&c| is_heading_breaker(c) || is_space(c))
    {
        e -= 1;
    }
    (s, e)
}

/// Cuts the text `[s, e)` of one line into sentence units.
fn units(chars: &[char], s: usize, e: usize, out: &mut Vec<Piece>) {
    let mut depth = 0usize; // inside “” or 《》
    let mut start = s;
    for i in s..e {
        let Some(&c) = chars.get(i) else { break };
        match c {
            '“' | '《' | '「' => depth += 1,
            '”' | '》' | '」' => depth = depth.saturating_sub(1),
            _ if is_sentence_end(c) && depth == 0 => {
                unit(chars, start, i, out);
                start = i + 1;
            }
            _ => {}
        }
    }
    unit(chars, start, e, out);
}

/// Trims one sentence, splits it before inline enumeration items when long, strips list
/// markers, and pushes the non-empty results.
fn unit(chars: &[char], s: usize, e: usize, out: &mut Vec<Piece>) {
    let (s, e) = trim(chars, s, e);
    if s >= e {
        return;
    }
    let mut cuts = vec![s];
    if e - s > LONG_UNIT {
        for i in s + 1..e {
            if chars
                .get(i - 1)
                .is_some_and(|&c| matches!(c, '，' | ',' | '：' | ':'))
            {
                let probe = collect(chars, i, (i + 4).min(e));
                if INLINE_ITEM.is_match(&probe) {
                    cuts.push(i);
                }
            }
        }
    }
    cuts.push(e);
    for w in cuts.windows(2) {
        let (mut us, mut ue) = (w[0], w[1]);
        // drop the comma or colon that introduced the next item
        while ue > us
            && chars
                .get(ue - 1)
                .is_some_and(|&c| matches!(c, '，' | ',' | '：' | ':') || is_space(c))
        {
            ue -= 1;
        }
        let head = collect(chars, us, (us + 8).min(ue));
        if let Some(m) = LIST_MARKER.find(&head) {
            let marker = m.as_str().trim_end();
            let after = head[m.end()..].chars().next();
            // `1.4万亿斤` starts with a number, not with the item marker `1.`
            let decimal =
                marker.ends_with(['.', '．']) && after.is_some_and(|c| c.is_ascii_digit());
            if !decimal {
                us += head[..m.end()].chars().count();
            }
        }
        let (us, ue) = trim(chars, us, ue);
        if us < ue {
            out.push(Piece::Unit { start: us, end: ue });
        }
    }
}
