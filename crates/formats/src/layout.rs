//! Text layout repairs shared by the formats: spaces that markup or a PDF put between Chinese
//! characters, page numbers, and paragraphs that a page's width wrapped onto several lines.

/// Whether `c` is written without spaces around it in Chinese text: ideographs, CJK
/// punctuation and full-width forms.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}' | '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3134F}'
        | '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Collapses runs of white space (including non-breaking and ideographic spaces) to one ASCII
/// space, drops it where it sits next to a Chinese character (line breaks in the page source,
/// indentation, a PDF's spacing around digits) and trims the ends. A tab, which separates
/// table cells, is kept as one tab.
pub(crate) fn tidy_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let (mut pending_space, mut pending_tab) = (false, false);
    for c in line.chars() {
        if c == '\t' {
            pending_tab = !out.is_empty();
            continue;
        }
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{feff}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_tab {
            out.push('\t');
        } else if pending_space {
            let prev = out.chars().next_back().unwrap_or(' ');
            if !is_cjk(prev) && !is_cjk(c) {
                out.push(' ');
            }
        }
        (pending_space, pending_tab) = (false, false);
        out.push(c);
    }
    out
}

/// A line that is only a page number: `- 2 -`, `—2—`, `2`, `第2页`, `第 2 页 共 5 页`, `2/5`.
pub(crate) fn is_page_number(line: &str) -> bool {
    let core: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let core = core.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | '·'));
    if core.is_empty() {
        return false;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits(core) {
        return core.len() <= 4;
    }
    if let Some((a, b)) = core.split_once('/') {
        return digits(a) && digits(b);
    }
    if let Some(rest) = core.strip_prefix('第')
        && let Some((n, tail)) = rest.split_once('页')
    {
        return digits(n)
            && (tail.is_empty()
                || tail
                    .strip_prefix('共')
                    .and_then(|t| t.strip_suffix('页'))
                    .is_some_and(digits));
    }
    false
}

/// The width a line takes on the page, counting a Chinese character as two Latin ones.
fn width(line: &str) -> usize {
    line.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum()
}

/// Characters a paragraph ends with.
fn ends_paragraph(line: &str) -> bool {
    line.ends_with([
        '。', '！', '？', '；', '：', '!', '?', ';', ':', '）', ')', '”',
    ])
}

/// Joins the lines of pages (each a list of lines) into paragraphs: page numbers at the top or
/// bottom of a page are dropped, and a line as wide as the page's text that does not end a
/// sentence is continued by the next line, also across a page break.
pub(crate) fn join_wrapped(pages: Vec<Vec<String>>) -> String {
    let mut lines: Vec<(String, bool)> = Vec::new();
    for page in pages {
        let mut page: Vec<String> = page
            .iter()
            .map(|l| tidy_line(l))
            .filter(|l| !l.is_empty())
            .collect();
        while page.last().is_some_and(|l| is_page_number(l)) {
            page.pop();
        }
        while page.first().is_some_and(|l| is_page_number(l)) {
            page.remove(0);
        }
        let full = page.iter().map(|l| width(l)).max().unwrap_or(0);
        for line in page {
            // Within two Chinese characters of the widest line: the line ran to the margin.
            let wrapped = full >= 40 && width(&line) + 4 >= full && !ends_paragraph(&line);
            lines.push((line, wrapped));
        }
    }
    let mut out = String::new();
    let mut continues = false;
    for (line, wrapped) in lines {
        if continues {
            let (prev, next) = (out.chars().next_back(), line.chars().next());
            if let (Some(p), Some(n)) = (prev, next)
                && p.is_ascii_alphanumeric()
                && n.is_ascii_alphanumeric()
            {
                out.push(' ');
            }
        } else if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
        continues = wrapped;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_go_between_latin_words_only() {
        assert_eq!(tidy_line("  湖交建〔 2023 〕27 号 "), "湖交建〔2023〕27号");
        assert_eq!(
            tidy_line("\u{3000}\u{3000}联系电话：0572 - 2398716"),
            "联系电话：0572 - 2398716"
        );
        assert_eq!(tidy_line("PM2.5  浓度 and  more"), "PM2.5浓度and more");
        assert_eq!(tidy_line("\t名称 \t\t 数量\t"), "名称\t数量");
    }

    #[test]
    fn page_numbers_are_recognised() {
        for l in [
            "- 2 -",
            "—2—",
            "2",
            "第2页",
            "第 2 页 共 5 页",
            "2/5",
            "－ 12 －",
        ] {
            assert!(is_page_number(l), "{l}");
        }
        for l in ["2023年", "一、基本情况", "第2号建议", "12345", "-"] {
            assert!(!is_page_number(l), "{l}");
        }
    }

    #[test]
    fn wrapped_lines_are_joined_and_page_numbers_dropped() {
        let p1 = vec![
            "关于市九届人大三次会议第58号建议的答复".to_string(),
            "近年来，我局围绕建设目标，累计完成农村公路提档升级工程412公里，改造危桥36座，全"
                .into(),
            "市建制村通双车道公路比例达到百分之八十七。".into(),
            "我局将于2024年底前完成安吉、德清两县剩余危桥改造，新建错车道120处，并在全市推".into(),
            "- 1 -".into(),
        ];
        let p2 = vec![
            "广农村公路养护考核机制。".to_string(),
            "湖州市交通运输局".into(),
            "- 2 -".into(),
        ];
        assert_eq!(
            join_wrapped(vec![p1, p2]),
            "关于市九届人大三次会议第58号建议的答复\n\
             近年来，我局围绕建设目标，累计完成农村公路提档升级工程412公里，改造危桥36座，全市建制村通双车道公路比例达到百分之八十七。\n\
             我局将于2024年底前完成安吉、德清两县剩余危桥改造，新建错车道120处，并在全市推广农村公路养护考核机制。\n\
             湖州市交通运输局"
        );
    }
}
