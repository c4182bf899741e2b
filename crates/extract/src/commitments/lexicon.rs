//! The words that mark a unit as a promise, a report, or neither.
//!
//! One Aho-Corasick automaton (leftmost-longest, so `力争取得` reads as 力争 + 取得 and `为了`
//! blocks 了) tags every marker in a unit; the few ambiguous single characters (将, 要, 拟, 了)
//! and 计划 are decided from their neighbours.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Explicit future: 下一步, 今后, 拟, 计划(+verb), 力争, 争取, 年内, 明年, 即将, 将(+verb).
pub(super) const STRICT: u16 = 1;
/// Measure words that read as future outside a report: 进一步, 逐步, 继续, 确保, 不少于, 要.
pub(super) const SOFT: u16 = 1 << 1;
/// Completed aspect or retrospection: 了, 已, 累计, 先后, 据统计, 截至, 目前, 以来, 近年来.
pub(super) const DONE: u16 = 1 << 2;
/// Action verbs of a measure: 加强, 完善, 推进, 建立, 实施, 落实, 支持, 培育, …
pub(super) const ACTION: u16 = 1 << 3;
/// Firm regardless of anything tentative: 确保, 必须, 务必, 不少于, 不低于, 坚决, 力争.
pub(super) const FIRM: u16 = 1 << 4;
/// Tentative: 探索, 研究制定, 逐步, 争取, 拟, 适时, 积极推动, 视情, 稳妥, 试点.
pub(super) const TENTATIVE: u16 = 1 << 5;
/// Courtesy, answer formulas and the addressee's own words: 感谢, 您, 答复如下, 联系人, 抄送.
pub(super) const EXCLUDE: u16 = 1 << 6;
/// A statement of fact or of a problem (copula 是, 不足, 薄弱, 仍然, 面临): not a measure by
/// itself.
pub(super) const STATE: u16 = 1 << 8;
/// A target comparison before a number: 不少于, 不低于, 以上, 左右, 达到, 控制在.
pub(super) const TARGET: u16 = 1 << 7;

const LIST: &[(&str, u16)] = &[
    // explicit future
    ("下一步", STRICT),
    ("下步", STRICT),
    ("下阶段", STRICT),
    ("下一阶段", STRICT),
    ("接下来", STRICT),
    ("今后", STRICT),
    ("力争", STRICT | FIRM | ACTION),
    ("争取", STRICT | TENTATIVE | ACTION),
    ("年内", STRICT),
    ("今年内", STRICT),
    ("年底前", STRICT),
    ("明年", STRICT),
    ("即将", STRICT),
    ("届时", STRICT),
    ("将于", STRICT),
    ("拟于", STRICT | TENTATIVE),
    ("计划于", STRICT),
    ("预计", STRICT),
    ("着手", STRICT | ACTION),
    // soft future / measure markers
    ("进一步", SOFT | ACTION),
    ("逐步", SOFT | TENTATIVE | ACTION),
    ("继续", SOFT | ACTION),
    ("确保", SOFT | FIRM | ACTION),
    ("必须", SOFT | FIRM),
    ("务必", SOFT | FIRM),
    ("坚决", FIRM | ACTION),
    ("严禁", FIRM | ACTION),
    ("一律", FIRM),
    ("不少于", SOFT | FIRM | TARGET),
    ("不低于", SOFT | FIRM | TARGET),
    ("不超过", FIRM | TARGET),
    ("不高于", FIRM | TARGET),
    ("控制在", FIRM | TARGET),
    ("以上", TARGET),
    ("以内", TARGET),
    ("左右", TARGET),
    ("达到", TARGET | ACTION),
    ("探索建立", SOFT | TENTATIVE | ACTION),
    ("探索", TENTATIVE | ACTION),
    ("研究制定", SOFT | TENTATIVE | ACTION),
    ("研究出台", SOFT | TENTATIVE | ACTION),
    ("研究解决", SOFT | TENTATIVE | ACTION),
    ("研究建立", SOFT | TENTATIVE | ACTION),
    ("研究推动", SOFT | TENTATIVE | ACTION),
    ("研究论证", SOFT | TENTATIVE | ACTION),
    ("适时", SOFT | TENTATIVE),
    ("积极推动", TENTATIVE | ACTION),
    ("积极推进", TENTATIVE | ACTION),
    ("积极争取", STRICT | TENTATIVE | ACTION),
    ("积极探索", TENTATIVE | ACTION),
    ("视情", TENTATIVE),
    ("酌情", TENTATIVE),
    ("稳妥", TENTATIVE),
    ("稳步", TENTATIVE),
    ("审慎", TENTATIVE),
    ("择机", TENTATIVE),
    ("试点", TENTATIVE | ACTION),
    ("试行", TENTATIVE | ACTION),
    ("条件成熟", TENTATIVE),
    ("尝试", TENTATIVE | ACTION),
    // completed / retrospective
    ("了", DONE),
    ("已", DONE),
    ("已经", DONE),
    ("业已", DONE),
    ("累计", DONE),
    ("先后", DONE),
    ("据统计", DONE),
    ("据不完全统计", DONE),
    ("截至", DONE),
    ("截止", DONE),
    ("目前", DONE),
    ("以来", DONE),
    ("近年来", DONE),
    ("近几年", DONE),
    ("近年", DONE),
    ("过去", DONE),
    ("曾经", DONE),
    ("去年", DONE),
    ("上年", DONE),
    ("前期", DONE),
    ("此前", DONE),
    ("共有", DONE),
    ("为例", DONE),
    ("比如", DONE),
    ("例如", DONE),
    // courtesy, answer formulas, the addressee's words
    ("您", EXCLUDE),
    ("感谢", EXCLUDE),
    ("谢谢", EXCLUDE),
    ("欢迎", EXCLUDE),
    ("敬请", EXCLUDE),
    ("恳请", EXCLUDE),
    ("答复如下", EXCLUDE),
    ("现答复", EXCLUDE),
    ("的答复", EXCLUDE),
    ("答复意见", EXCLUDE),
    ("此复", EXCLUDE),
    ("特此", EXCLUDE),
    ("联系人", EXCLUDE),
    ("联系电话", EXCLUDE),
    ("抄送", EXCLUDE),
    ("收悉", EXCLUDE),
    ("代表提出", EXCLUDE),
    ("委员提出", EXCLUDE),
    ("建议中提出", EXCLUDE),
    ("提案中提出", EXCLUDE),
    ("建议提出", EXCLUDE),
    ("提案提出", EXCLUDE),
    ("所提建议", EXCLUDE),
    ("请予审议", EXCLUDE),
    ("提出意见", EXCLUDE),
    // statements
    ("是", STATE),
    ("不稳固", STATE),
    ("薄弱", STATE),
    ("不足", STATE),
    ("滞后", STATE),
    ("仍然", STATE),
    ("依然", STATE),
    ("尚未", STATE),
    ("尚不", STATE),
    ("还不", STATE),
    ("不够", STATE),
    ("偏低", STATE),
    ("偏高", STATE),
    ("严峻", STATE),
    ("繁重", STATE),
    ("不容易", STATE),
    ("面临", STATE),
    ("存在", STATE),
    ("在于", STATE),
    ("意味着", STATE),
    ("表明", STATE),
    // blockers: words that contain a marker character but are not markers
    ("一是", 0),
    ("二是", 0),
    ("三是", 0),
    ("四是", 0),
    ("五是", 0),
    ("六是", 0),
    ("七是", 0),
    ("八是", 0),
    ("九是", 0),
    ("十是", 0),
    ("但是", 0),
    ("而是", 0),
    ("特别是", 0),
    ("尤其是", 0),
    ("或是", 0),
    ("是否", 0),
    ("凡是", 0),
    ("于是", 0),
    ("还是", 0),
    ("就是", 0),
    ("实事求是", 0),
    ("是非", 0),
    ("方面是", 0),
    ("为了", 0),
    ("除了", 0),
    ("了解", 0),
    ("明了", 0),
    ("了结", 0),
    ("罢了", 0),
    ("不了", 0),
    ("了不起", 0),
    ("而已", 0),
    ("不已", 0),
    ("草拟", 0),
    ("模拟", 0),
    ("虚拟", 0),
    ("比拟", 0),
    ("将近", 0),
    ("必将", 0),
    ("终将", 0),
    ("将来", 0),
    ("需要", 0),
    ("主要", 0),
    ("重要", 0),
    ("要求", 0),
    ("只要", 0),
    ("必要", 0),
    ("要素", 0),
    ("要点", 0),
    ("纪要", 0),
    ("摘要", 0),
    ("首要", 0),
    ("提要", 0),
    ("纲要", 0),
    ("要害", 0),
    ("要件", 0),
    ("要是", 0),
    ("不要", 0),
    ("想要", 0),
    ("要务", 0),
    ("行动计划", ACTION),
    ("发展计划", 0),
    ("工作计划", 0),
    ("计划生育", 0),
    ("计划经济", 0),
    ("计划单列", 0),
    ("年度计划", 0),
    ("研究院", 0),
    ("基础研究", 0),
    ("研究所", 0),
    // ambiguous characters decided by their neighbours
    ("将", 0),
    ("要", 0),
    ("拟", STRICT | TENTATIVE),
    ("计划", 0),
];

/// Action verbs: a unit in a measures section must do something.
const ACTIONS: &[&str] = &[
    "加强",
    "加大",
    "加快",
    "完善",
    "健全",
    "建立",
    "推进",
    "推动",
    "推行",
    "实施",
    "开展",
    "落实",
    "提升",
    "提高",
    "强化",
    "优化",
    "深化",
    "扩大",
    "增加",
    "减少",
    "降低",
    "保持",
    "支持",
    "鼓励",
    "引导",
    "促进",
    "培育",
    "培养",
    "打造",
    "构建",
    "制定",
    "出台",
    "修订",
    "编制",
    "规范",
    "整治",
    "治理",
    "防范",
    "化解",
    "维护",
    "保护",
    "组织",
    "举办",
    "指导",
    "督促",
    "监督",
    "检查",
    "排查",
    "推广",
    "宣传",
    "发挥",
    "做好",
    "抓好",
    "办好",
    "用好",
    "管好",
    "坚持",
    "严格",
    "设立",
    "安排",
    "投入",
    "下达",
    "拨付",
    "发行",
    "召开",
    "启动",
    "完成",
    "实现",
    "解决",
    "改善",
    "提供",
    "给予",
    "纳入",
    "协调",
    "配合",
    "对接",
    "承接",
    "开辟",
    "放宽",
    "简化",
    "取消",
    "下放",
    "减免",
    "补贴",
    "增设",
    "新增",
    "新建",
    "改造",
    "更新",
    "扩容",
    "普及",
    "关爱",
    "弘扬",
    "巩固",
    "拓展",
    "拓宽",
    "稳住",
    "筑牢",
    "夯实",
    "统筹",
    "整合",
    "畅通",
    "激发",
    "释放",
    "提振",
    "营造",
    "聚焦",
    "围绕",
    "突出",
    "注重",
    "着力",
    "全面",
    "持续",
    "不断",
    "深入",
    "切实",
    "积极",
    "努力",
    "大力",
    "充实",
    "充分",
    "吸纳",
    "拓宽",
    "增强",
    "办理",
    "研究",
    "调研",
    "开发",
    "加紧",
    "实行",
    "执行",
    "推出",
    "扶持",
    "帮助",
    "改进",
    "清理",
    "简并",
    "压减",
    "取消",
    "深挖",
    "挖掘",
    "动员",
    "招募",
    "培训",
    "考核",
    "评估",
    "部署",
    "印发",
    "下发",
    "发布",
    "遴选",
    "认定",
    "评审",
    "征集",
    "梳理",
    "督导",
    "谋划",
    "研判",
    "建成",
    "打通",
    "破除",
    "消除",
    "防止",
    "杜绝",
    "惩治",
    "打击",
    "严惩",
    "严厉",
    "整顿",
    "调整",
    "优先",
    "倾斜",
    "兜牢",
    "兜底",
    "守住",
    "筑起",
    "推进",
    "办实事",
    "接受",
    "履行",
    "担好",
    "承担",
    "落细",
    "落地",
    "扩围",
    "增设",
    "保证",
    "实现",
];

/// Verbs and adverbs that make a following 将 the future auxiliary rather than 把.
const AFTER_JIANG: &[&str] = &[
    "进一步",
    "继续",
    "在",
    "于",
    "会",
    "按照",
    "积极",
    "全面",
    "着力",
    "重点",
    "持续",
    "不断",
    "以",
    "坚持",
    "认真",
    "努力",
    "深入",
    "切实",
    "结合",
    "逐步",
    "尽快",
    "加大",
    "加强",
    "加快",
    "推动",
    "推进",
    "建立",
    "完善",
    "出台",
    "制定",
    "研究",
    "实施",
    "开展",
    "组织",
    "争取",
    "根据",
    "会同",
    "协调",
    "围绕",
    "针对",
    "通过",
    "依托",
    "大力",
    "主动",
    "及时",
    "适时",
    "密切",
    "进行",
    "做好",
    "抓好",
    "强化",
    "优化",
    "提升",
    "提高",
    "配合",
    "联合",
    "督促",
    "指导",
    "落实",
    "启动",
    "完成",
    "召开",
    "举办",
    "投入",
    "安排",
    "新增",
    "加紧",
    "始终",
    "一如既往",
    "更加",
    "更好",
    "充分",
    "严格",
    "全力",
    "统筹",
    "有序",
    "分步",
    "鼓励",
    "支持",
    "引导",
    "把",
    "对",
    "与",
    "同",
    "从",
    "再",
    "另",
    "陆续",
    "适当",
    "择优",
    "重新",
    "深化",
    "扩大",
    "探索",
    "健全",
    "力争",
    "确保",
    "着手",
    "进",
    "于",
];

/// Characters right before 将 that make it the future auxiliary (我们将, 下一步将, 还将).
const BEFORE_JIANG: &[char] = &[
    '们', '局', '厅', '委', '府', '步', '后', '还', '也', '并', '均', '都', '仍', '亦', '今', '时',
    '院',
];

/// What follows 计划 when it is the verb "plan to".
const AFTER_JIHUA: &[&str] = &[
    "于", "在", "到", "年内", "今年", "明年", "将", "投入", "新增", "安排", "完成", "启动", "开展",
    "建设", "举办", "组织", "实施", "用", "再", "新建", "改造", "招募", "培训",
];

struct Lexicon {
    ac: AhoCorasick,
    flags: Vec<u16>,
    words: Vec<&'static str>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut merged: HashMap<&'static str, u16> = HashMap::new();
    let mut order: Vec<&'static str> = Vec::new();
    for &(w, f) in LIST {
        if !merged.contains_key(w) {
            order.push(w);
        }
        *merged.entry(w).or_insert(0) |= f;
    }
    for &w in ACTIONS {
        if !merged.contains_key(w) {
            order.push(w);
        }
        *merged.entry(w).or_insert(0) |= ACTION;
    }
    let flags = order
        .iter()
        .map(|w| merged.get(w).copied().unwrap_or(0))
        .collect();
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        // A DFA (0.9 MB): every unit of every reply is searched; the NFA took 6% more of
        // extraction's instructions (with the topic rules' DFA, BENCHMARKS.md).
        .kind(Some(AhoCorasickKind::DFA))
        .build(&order)
        .unwrap_or_else(|e| panic!("commitment lexicon: {e}"));
    Lexicon {
        ac,
        flags,
        words: order,
    }
});

/// The markers found in one unit: the set of the flags above, and where the first future
/// auxiliary (将, 要) and the first tentative marker are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Marks {
    pub flags: u16,
    pub first_auxiliary: Option<usize>,
    pub first_tentative: Option<usize>,
}

impl Marks {
    /// Whether any of `flag` was found.
    pub(super) fn has(self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// Firm when a hard firm marker is present or a future auxiliary comes before the first
    /// tentative marker (我们将…研究制定… is firm; 拟引导… is tentative).
    pub(super) fn firm(self) -> bool {
        match (self.first_auxiliary, self.first_tentative) {
            _ if self.has(FIRM) => true,
            (_, None) => true,
            (Some(a), Some(t)) => a < t,
            (None, Some(_)) => false,
        }
    }
}

/// Tags `text` (normalized, with quoted titles masked).
pub(super) fn marks(text: &str) -> Marks {
    let lex = &*LEXICON;
    let mut m = Marks::default();
    for hit in lex.ac.find_iter(text) {
        let id = hit.pattern().as_usize();
        let mut f = lex.flags.get(id).copied().unwrap_or(0);
        let word = lex.words.get(id).copied().unwrap_or("");
        let before = text[..hit.start()].chars().next_back();
        let after = &text[hit.end()..];
        match word {
            "将" => {
                let verb_after = AFTER_JIANG.iter().any(|v| after.starts_with(v));
                let subject_before = before.is_some_and(|c| BEFORE_JIANG.contains(&c));
                // 我局将于…/将进一步… is the future; 我局将 + noun may be 把 (我局将X纳入了…),
                // so a subject alone only counts as a soft marker that 了/已 outweigh.
                if verb_after {
                    f |= STRICT;
                } else if subject_before {
                    f |= SOFT;
                }
                if verb_after || subject_before {
                    m.first_auxiliary.get_or_insert(hit.start());
                }
            }
            "要" => {
                let head = &text[..hit.start()];
                let reported = ["提出", "强调", "指出", "明确", "要求", "规定"]
                    .iter()
                    .any(|w| head.ends_with(w));
                if !reported && !after.starts_with(['的', '，', ',', '。']) {
                    f |= SOFT;
                    m.first_auxiliary.get_or_insert(hit.start());
                }
            }
            "计划" if AFTER_JIHUA.iter().any(|v| after.starts_with(v)) => f |= STRICT,
            // 了 closing a quotation or a title is not an aspect marker of this unit.
            "了" if after.starts_with(['”', '》']) => f = 0,
            _ => {}
        }
        if f & TENTATIVE != 0 {
            m.first_tentative.get_or_insert(hit.start());
        }
        m.flags |= f;
    }
    m
}
