//! Commitments (承诺): the sentences of a reply that promise future action.
//!
//! A journalist reading a reply (答复) wants to know what the government *promised*: the
//! measures it will take (下一步工作打算), the targets it set (不少于500人次), the deadline
//! (年内, 2020年底前, 到2025年) and who is responsible. [`find_commitments`] finds them.
//!
//! # How a reply is read
//!
//! 1. **Pieces.** The text is cut into lines; a line is a *heading* (`一、…`, `（一）…` alone on
//!    its line, or a short plain line such as `下一步工作打算` standing between paragraphs), a
//!    *reset* (the signing date line, `附件`) or text. Text is cut into sentence units at
//!    `。！？；` (never inside `“”` or `《》`), and a long unit (> 60 characters) again before
//!    inline enumeration items (`，二是…`, `：（1）…`). List markers (`（一）`, `1、`, `一、`) are
//!    not part of a unit.
//! 2. **Context.** Every unit sits in a mode set by its heading and by introducing sentences:
//!    * *measures* — headings with 下一步, 打算, 今后, 计划, 任务, 思路, 目标, 措施, 举措,
//!      政策取向, or naming a year ≥ the signing year (`三、2025年政府工作任务`); an introducing
//!      sentence with a future marker (`下一步，我们将在以下几个方面进行探索：`); a unit that
//!      opens with 下一步/今后/下阶段 (from there to the next heading);
//!    * *report* — headings with 情况, 回顾, 成效, 进展, 做法, 成绩, 已…, or naming a year before
//!      the signing year (`一、2024年工作回顾`); an introducing sentence in the completed aspect
//!      (`主要做了以下工作：`);
//!    * *neutral* — everything else (the opening, replies without headings).
//!
//!    A numbered heading with no leaning of its own (`一、加强人才培养`) keeps the mode an
//!    introducing sentence set; the date line and `附件` reset everything.
//! 3. **Markers** (see the flags in `lexicon`), looked up outside `《》` and `“”`:
//!    * explicit future: 下一步, 今后, 拟, 计划(+verb), 力争, 争取, 即将, 届时, 预计, 将 as the
//!      future auxiliary (我们将…, 将进一步…, not 将 = 把 as in 将人才纳入规划), and any deadline
//!      phrase (年内, 年底前, 明年, 2020年底前, 到2025年);
//!    * soft future: 进一步, 逐步, 继续, 确保, 必须, 不少于/不低于, 探索建立, 研究制定, 适时,
//!      modal 要 (not 需要/主要/要求 or a reported 提出要);
//!    * completed: 了 (not 为了/了解), 已, 累计, 先后, 据统计, 截至, 目前, 以来, 近年来, 去年,
//!      比如; and a year before the signing year (not in a comparison 比2019年).
//! 4. **Decision.** A unit is never a commitment when it is courtesy or quotes the addressee
//!    (感谢, 您, 欢迎, 答复如下, 收悉, 联系人, 抄送, 代表提出), starts with 建议, is an
//!    introducing sentence, or has fewer than 6 characters of content. A unit with completed
//!    markers or a past year is a report unless it has an explicit future marker. Otherwise:
//!    in *measures* mode any unit with an action verb (加强, 完善, 推进, 实施…), a future marker
//!    or a target number is a commitment; in *neutral* mode it needs a future marker (explicit
//!    or soft); in *report* mode an explicit one.
//!
//! # Fields
//!
//! * [`Strength`]: **tentative** when the unit says 探索, 研究制定, 逐步, 争取, 拟, 适时,
//!   积极推动/推进, 视情, 稳妥, 试点 and nothing firm; **firm** otherwise, and always with
//!   确保, 必须, 务必, 不少于, 不低于, 不超过, 坚决, 力争.
//! * quantities: Arabic numbers with a unit (`500人次`, `5%`, `2.5亿元`, `30余万人次`); not
//!   ordinals (第3批) nor years.
//! * deadline: the first deadline phrase; target year: the deadline's year, else the first
//!   year ≥ the signing year named in the unit, else 今年/年内 (signing year), 明年 (+1),
//!   后年 (+2).
//! * department: a body named as the subject at the start of the unit (after 一是, short
//!   adverbials like `下一步，`, time words and 由): `省人社厅建立…`,
//!   `市、县两级社会组织登记管理机关按照…`, `每年由民政部门对…`; else (and for 我局/我们) the
//!   reply's department.
//!
//! Everything is linear in the length of the text and never panics on input.

mod lexicon;
mod quantity;
mod segment;
mod subject;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::normalize::is_separator;
use lexicon::{ACTION, DONE, EXCLUDE, SOFT, STATE, STRICT, TARGET};
use segment::Piece;

/// How binding a commitment reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// 将, 确保, 不少于, 要, 必须, 力争, or a plain imperative measure.
    Firm,
    /// 探索, 研究制定, 逐步, 争取, 拟, 适时, 积极推动… with nothing firm.
    Tentative,
}

impl Strength {
    pub const ALL: [Strength; 2] = [Strength::Firm, Strength::Tentative];

    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Firm => "firm",
            Strength::Tentative => "tentative",
        }
    }

    pub fn parse(s: &str) -> Option<Strength> {
        Strength::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// A number with its unit, as written in a commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quantity {
    /// The quantity as written: `500人次`, `30余万人次`, `5%`.
    pub text: String,
    /// The number as written, without the magnitude of the unit: 30 for `30余万人次`.
    pub value: f64,
    /// The unit with its magnitude: `人次`, `家`, `%`, `万元`, `亿元`, `万人次`.
    pub unit: String,
}

/// One promise of future action in a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    /// The sentence or clause as written, trimmed, without its list marker.
    pub text: String,
    /// Character (not byte) offset of `text` in the reply.
    pub start: usize,
    /// Character offset just past `text`: `text == reply.chars().skip(start).take(end - start)`.
    pub end: usize,
    /// The heading of the section the commitment sits in, when there is one.
    pub section: Option<String>,
    /// Numbers with units in the commitment.
    pub quantities: Vec<Quantity>,
    /// The year the commitment is for: stated (`2020年拟…`, `到2025年`) or implied by the
    /// signing date (`年内`, `今年`, `明年`).
    pub target_year: Option<i32>,
    /// The deadline phrase as written (`年内`, `2020年底前`, `到2025年`), when stated.
    pub deadline: Option<String>,
    /// Firm or tentative.
    pub strength: Strength,
    /// The responsible body: named as the subject of the clause, else the reply's department.
    pub department: Option<String>,
}

/// The reading context of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Neutral,
    Measures,
    Report,
}

/// Normalizes a character for matching, one to one: full-width digits, `％` and `．`.
fn norm_char(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '％' => '%',
        '．' => '.',
        _ => c,
    }
}

fn collect(chars: &[char], start: usize, end: usize) -> String {
    chars.get(start..end).unwrap_or(&[]).iter().collect()
}

/// `text` with everything inside `《》` and `“”` replaced by `□` (same length in characters).
fn mask_quotes(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .map(|c| match c {
            '《' | '“' => {
                depth += 1;
                c
            }
            '》' | '”' => {
                depth = depth.saturating_sub(1);
                c
            }
            _ if depth > 0 => '□',
            _ => c,
        })
        .collect()
}

/// The mode a heading sets, `Neutral` when it has no leaning. Only numbered headings lean
/// by the year they name (a plain line with a date is a byline).
fn heading_mode(heading: &str, reference: Option<i32>, numbered: bool) -> Mode {
    let compact: String = heading.chars().filter(|c| !segment::is_space(*c)).collect();
    let has = |words: &[&str]| words.iter().any(|w| compact.contains(w));
    if has(&[
        "下一步",
        "下步",
        "打算",
        "今后",
        "计划",
        "任务",
        "思路",
        "目标",
        "努力方向",
    ]) {
        return Mode::Measures;
    }
    if has(&[
        "情况", "回顾", "成效", "进展", "做法", "成绩", "经验", "现状", "概况", "已", "过去",
    ]) {
        return Mode::Report;
    }
    if has(&[
        "措施",
        "举措",
        "政策取向",
        "总体要求",
        "重点工作",
        "工作的建议",
    ]) {
        return Mode::Measures;
    }
    if let Some(r) = reference.filter(|_| numbered) {
        let digits: Vec<char> = compact.chars().collect();
        for w in digits.windows(5) {
            if w[4] == '年' && w[..4].iter().all(char::is_ascii_digit) {
                let year: i32 = w[..4].iter().collect::<String>().parse().unwrap_or(r);
                return if year < r {
                    Mode::Report
                } else {
                    Mode::Measures
                };
            }
        }
    }
    Mode::Neutral
}

/// Title lines, red headers (…文件), document numbers and signatures are not sections.
fn is_paperwork(heading: &str) -> bool {
    ["答复", "提案", "建议", "文件", "〔", "［", "[", "号"]
        .iter()
        .any(|w| heading.contains(w))
        || crate::department::looks_like_body(heading)
}

/// Whether a unit introduces a list (`下一步，我们将在以下几个方面进行探索：`).
fn is_intro(masked: &str) -> bool {
    let listing = masked.contains("以下")
        && [
            "方面", "工作", "措施", "几点", "举措", "内容", "几项", "重点",
        ]
        .iter()
        .any(|w| masked.contains(w));
    listing || (masked.ends_with(['：', ':']) && masked.chars().count() <= 50)
}

/// Characters that carry content (ideographs, letters, digits).
fn content_len(s: &str) -> usize {
    s.chars().filter(|&c| !is_separator(c)).count()
}

/// Where we are in the reply.
struct State {
    section: Option<String>,
    sub_section: Option<String>,
    level1_mode: Mode,
    mode: Mode,
    /// The mode an introducing sentence asked for, inherited by neutral numbered headings.
    pending: Option<Mode>,
}

impl State {
    fn new() -> State {
        State {
            section: None,
            sub_section: None,
            level1_mode: Mode::Neutral,
            mode: Mode::Neutral,
            pending: None,
        }
    }
}

/// Finds the commitments in a reply's text.
///
/// `signed` is the reply's signing date: it dates 年内/今年/明年 and tells past years (reports)
/// from future ones. `department` is the replying body, the default responsible department.
///
/// ```
/// use dafu_extract::commitments::{find_commitments, Strength};
/// use dafu_extract::date::Date;
/// let reply = "一、工作开展情况\n2020年我局举办了3期培训班。\n二、下一步工作打算\n\
///     一是年内组织培训不少于200人次。二是探索建立人才评价机制。\n";
/// let signed = Date { year: 2021, month: 6, day: 30 };
/// let found = find_commitments(reply, Some(signed), Some("某市民政局"));
/// assert_eq!(found.len(), 2);
/// assert_eq!(found[0].text, "一是年内组织培训不少于200人次");
/// assert_eq!(found[0].deadline.as_deref(), Some("年内"));
/// assert_eq!(found[0].target_year, Some(2021));
/// assert_eq!(found[0].quantities[0].text, "200人次");
/// assert_eq!(found[1].strength, Strength::Tentative);
/// assert_eq!(found[1].section.as_deref(), Some("二、下一步工作打算"));
/// ```
pub fn find_commitments(
    text: &str,
    signed: Option<Date>,
    department: Option<&str>,
) -> Vec<Commitment> {
    let orig: Vec<char> = text.chars().collect();
    let norm: Vec<char> = orig.iter().map(|&c| norm_char(c)).collect();
    let reference = signed.map(|d| d.year);
    let mut state = State::new();
    let mut out = Vec::new();
    for piece in segment::pieces(&norm) {
        match piece {
            Piece::Reset => state = State::new(),
            Piece::Heading { start, end, level } => {
                let heading = collect(&norm, start, end);
                let numbered = level == 2
                    || heading.starts_with(|c: char| "一二三四五六七八九十第".contains(c));
                let own = heading_mode(&heading, reference, numbered);
                if !numbered {
                    if is_paperwork(&heading) {
                        // the title, the red header, the 文号 or the signature: no section
                        state = State::new();
                        continue;
                    }
                    if own == Mode::Neutral {
                        // a plain short line without leaning may be a wrapped fragment
                        continue;
                    }
                }
                if level == 1 {
                    state.section = Some(collect(&orig, start, end));
                    state.sub_section = None;
                    state.level1_mode = match (own, state.pending) {
                        (Mode::Neutral, Some(p)) if numbered => p,
                        (Mode::Neutral, _) => {
                            state.pending = None;
                            Mode::Neutral
                        }
                        (m, _) => {
                            state.pending = None;
                            m
                        }
                    };
                    state.mode = state.level1_mode;
                } else {
                    state.sub_section = Some(collect(&orig, start, end));
                    state.mode = if own == Mode::Neutral {
                        state.level1_mode
                    } else {
                        own
                    };
                }
            }
            Piece::Unit { start, end } => {
                if let Some(c) = unit(&orig, &norm, start, end, reference, department, &mut state) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Reads one unit, updating the mode; returns it when it is a commitment.
fn unit(
    orig: &[char],
    norm: &[char],
    start: usize,
    end: usize,
    reference: Option<i32>,
    department: Option<&str>,
    state: &mut State,
) -> Option<Commitment> {
    let unit_norm = collect(norm, start, end);
    let unit_orig = orig.get(start..end)?;
    let masked = mask_quotes(&unit_norm);
    let marks = lexicon::marks(&masked);
    let timing = quantity::timing(&masked, unit_orig, reference);
    let deadline_ahead = timing.deadline.is_some()
        && match (timing.deadline_year, reference) {
            (Some(y), Some(r)) => y >= r,
            _ => true,
        };
    let strict = marks.has(STRICT) || deadline_ahead;
    let done = marks.has(DONE) || timing.past_year;

    if is_intro(&masked) {
        let lean = if done && !strict
            || ["做法", "情况", "成效", "开展"]
                .iter()
                .any(|w| masked.contains(w))
        {
            Some(Mode::Report)
        } else if strict || marks.has(SOFT) || masked.contains("重点") {
            Some(Mode::Measures)
        } else {
            None
        };
        if let Some(m) = lean {
            state.mode = m;
            state.pending = Some(m);
        }
        return None;
    }
    let opener = ["下一步", "下步", "今后", "下阶段", "下一阶段", "接下来"];
    if opener.iter().any(|w| masked.starts_with(w)) {
        state.mode = Mode::Measures;
    }

    if marks.has(EXCLUDE) || masked.starts_with("建议") || content_len(&masked) < 6 {
        return None;
    }
    if done && !strict {
        return None;
    }
    let quantities = quantity::quantities(&unit_norm, unit_orig);
    let keep = match state.mode {
        Mode::Measures => {
            strict
                || marks.has(SOFT)
                || (marks.has(ACTION) && !marks.has(STATE))
                || (marks.has(TARGET) && !quantities.is_empty())
        }
        Mode::Neutral => strict || marks.has(SOFT),
        Mode::Report => strict,
    };
    if !keep || crate::department::looks_like_body(&unit_norm) {
        return None;
    }
    let strength = if marks.firm() {
        Strength::Firm
    } else {
        Strength::Tentative
    };
    let target_year = timing
        .deadline_year
        .or(timing.future_year)
        .or_else(|| Some(reference? + timing.relative?));
    let department = subject::subject(&unit_norm)
        .map(|(s, e)| collect(unit_orig, s, e))
        .or_else(|| department.map(str::to_string));
    Some(Commitment {
        text: unit_orig.iter().collect(),
        start,
        end,
        section: state.section.clone().or_else(|| state.sub_section.clone()),
        quantities,
        target_year,
        deadline: timing.deadline,
        strength,
        department,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNED: Date = Date {
        year: 2021,
        month: 7,
        day: 15,
    };

    fn texts(reply: &str) -> Vec<String> {
        find_commitments(reply, Some(SIGNED), Some("某县民政局"))
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    #[test]
    fn reports_are_not_promises_and_measures_are() {
        let reply = "对县十届人大一次会议第8号建议的答复\n王代表：\n\
            您提出的关于加强养老服务的建议收悉，现答复如下：\n\
            一、工作开展情况\n\
            2020年县民政局组织开展了3期护理员培训，累计培训300余人次。\
            近年来，我局积极推动居家养老服务。\n\
            二、下一步工作措施\n\
            （一）完善养老服务网络。一是年内新建日间照料中心不少于5家。\
            二是探索建立家庭养老床位制度。\n\
            感谢您对民政工作的关心和支持！\n\
            某县民政局\n2021年7月15日\n";
        let found = find_commitments(reply, Some(SIGNED), Some("某县民政局"));
        let t: Vec<&str> = found.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            t,
            [
                "完善养老服务网络",
                "一是年内新建日间照料中心不少于5家",
                "二是探索建立家庭养老床位制度"
            ]
        );
        let centres = &found[1];
        assert_eq!(centres.section.as_deref(), Some("二、下一步工作措施"));
        assert_eq!(centres.deadline.as_deref(), Some("年内"));
        assert_eq!(centres.target_year, Some(2021));
        assert_eq!(centres.quantities[0].unit, "家");
        assert_eq!(centres.strength, Strength::Firm);
        assert_eq!(found[2].strength, Strength::Tentative);
        assert_eq!(centres.department.as_deref(), Some("某县民政局"));
        for c in &found {
            let slice: String = reply.chars().skip(c.start).take(c.end - c.start).collect();
            assert_eq!(slice, c.text);
        }
    }

    #[test]
    fn an_introducing_sentence_opens_the_measures() {
        let reply = "目前全县共有养老机构12家。\
            下一步，我们将重点做好以下几项工作：\n\
            1、加强人才培养，县人社局建立护理员职业技能等级认定机制。\n\
            2、明年底前实现乡镇养老服务中心全覆盖。\n";
        let found = find_commitments(reply, Some(SIGNED), Some("某县民政局"));
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].department.as_deref(), Some("某县民政局"));
        assert_eq!(found[1].deadline.as_deref(), Some("明年底前"));
        assert_eq!(found[1].target_year, Some(2022));
        let unit = "县人社局建立护理员职业技能等级认定机制";
        assert_eq!(
            find_commitments(&format!("下一步工作打算\n{unit}。"), None, None)[0]
                .department
                .as_deref(),
            Some("县人社局")
        );
    }

    #[test]
    fn future_markers_outside_sections() {
        assert_eq!(
            texts("我局将进一步加大督导力度。2019年我局已完成改造。"),
            ["我局将进一步加大督导力度"]
        );
        // 将 = 把 in a report is not a promise
        assert!(texts("2019年，我局将养老机构纳入了监管范围。").is_empty());
        // courtesy and the addressee's words
        assert!(texts("欢迎您继续关心支持民政工作，我们将认真研究您的建议。").is_empty());
        // a past year with a completed verb stays a report even in a measures section
        assert!(texts("二、下一步工作计划\n2020年已建成示范点3个。").is_empty());
        // titles are masked: 进一步 inside 《》 is not a marker
        assert!(texts("《关于进一步加强养老服务的意见》明确了职责分工。").is_empty());
    }

    #[test]
    fn targets_deadlines_and_years() {
        let found = texts("二、具体措施\n到2025年，全县护理型床位占比不低于55%。");
        assert_eq!(found, ["到2025年，全县护理型床位占比不低于55%"]);
        let c = &find_commitments(
            "二、具体措施\n到2025年，全县护理型床位占比不低于55%。",
            Some(SIGNED),
            None,
        )[0];
        assert_eq!(c.deadline.as_deref(), Some("到2025年"));
        assert_eq!(c.target_year, Some(2025));
        assert_eq!(c.quantities[0].text, "55%");
        assert_eq!(c.department, None);
    }

    #[test]
    fn offsets_are_characters_and_full_width_digits_count() {
        let reply = "　　下一步工作打算\n　　一是２０２１年拟新增护理员５０名。\r\n";
        let found = find_commitments(reply, Some(SIGNED), None);
        assert_eq!(found.len(), 1);
        let c = &found[0];
        assert_eq!(c.text, "一是２０２１年拟新增护理员５０名");
        let slice: String = reply.chars().skip(c.start).take(c.end - c.start).collect();
        assert_eq!(slice, c.text);
        assert_eq!(c.target_year, Some(2021));
        assert_eq!(c.quantities[0].text, "５０名");
        assert_eq!(c.quantities[0].value, 50.0);
        assert_eq!(c.strength, Strength::Tentative);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "\n\n\n",
            "一、",
            "（一）",
            "“《《《将",
            "1.",
            "将",
            "到9999年底前",
            "第",
            "\u{feff}\u{200b}下一步",
            "一是，二是，三是，四是，五是，六是，七是，八是，九是，十是，十一是，十二是，十三是将加强",
        ] {
            let _ = find_commitments(text, Some(SIGNED), Some("某局"));
            let _ = find_commitments(text, None, None);
        }
        let long = "下一步，我们将加强。".repeat(2000) + &"字".repeat(20_000);
        assert_eq!(
            find_commitments(&long, Some(SIGNED), None).len(),
            2000,
            "every repeated promise is found"
        );
    }
}
