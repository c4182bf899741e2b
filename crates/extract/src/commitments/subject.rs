//! The body named as the subject at the start of a unit (省人社厅建立…, 由民政部门对…).

use std::sync::LazyLock;

use regex::Regex;

use crate::normalize::is_separator;

/// What may precede the subject: 一是, short adverbials (`下一步，`), time words, 由.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[一二三四五六七八九十]是[，,]?)?(?:(?:下一步|下步|今后|同时|此外|另外|其次|最后|首先|近期|\d{4}年(?:\d{1,2}月(?:底前|前)?)?|每年|今年|明年|年内|年底前)[，,]?)*(?:由)?",
    )
    .unwrap_or_else(|e| panic!("subject lead pattern: {e}"))
});

/// Words that end a subject: the verb or preposition right after it.
const STOPS: &[&str] = &[
    "将",
    "要",
    "建立",
    "按照",
    "加大",
    "对",
    "在",
    "把",
    "与",
    "向",
    "会同",
    "牵头",
    "负责",
    "进一步",
    "继续",
    "积极",
    "开展",
    "推动",
    "推进",
    "完善",
    "加强",
    "制定",
    "出台",
    "落实",
    "做好",
    "实施",
    "协调",
    "联合",
    "指导",
    "督促",
    "通过",
    "依托",
    "根据",
    "结合",
    "围绕",
    "针对",
    "探索",
    "逐步",
    "担好",
    "拟",
    "计划",
    "力争",
    "确保",
    "不断",
    "持续",
    "全面",
    "认真",
    "切实",
    "着力",
    "大力",
    "主动",
    "及时",
    "设立",
    "安排",
    "支持",
    "鼓励",
    "引导",
    "加快",
    "强化",
    "优化",
    "提升",
    "提高",
    "启动",
    "发挥",
    "打造",
    "构建",
    "印发",
    "发布",
    "下发",
    "编制",
    "修订",
    "部署",
    "召开",
    "举办",
    "为",
    "于",
    "已",
    "还",
    "也",
    "并",
    "都",
    "均",
    "正",
    "共同",
    "分别",
    "承担",
    "配合",
    "给予",
    "深入",
    "严格",
    "定期",
    "每年",
    "统筹",
    "用好",
    "安排",
];

/// Endings of a responsible body.
const BODIES: &[&str] = &[
    "厅",
    "局",
    "委",
    "委员会",
    "办公室",
    "部门",
    "机关",
    "单位",
    "政府",
    "部",
    "院",
    "中心",
    "署",
    "财政",
    "银行",
    "法院",
    "检察院",
    "管委会",
    "联合会",
    "协会",
    "商会",
    "工会",
    "团委",
    "妇联",
    "残联",
    "科协",
    "侨联",
    "文联",
    "街道",
    "乡镇",
];

/// Endings that look like a body but are not one.
const NOT_BODIES: &[&str] = &[
    "格局", "布局", "大局", "开局", "结局", "全局", "当局", "全部", "内部", "外部", "干部", "局部",
    "东部", "西部", "中部", "北部", "南部", "头部", "一部", "这部", "本部",
];

/// The char range `[start, end)` of the subject body in `unit` (normalized text), unless there
/// is none or it is the reply's own department (我局, 我们, 本部门).
pub(super) fn subject(unit: &str) -> Option<(usize, usize)> {
    let lead = LEAD.find(unit).map_or(0, |m| m.end());
    let rest = &unit[lead..];
    let window: Vec<(usize, char)> = rest.char_indices().take(24).collect();
    let stop = window
        .iter()
        .find(|&&(b, c)| {
            (is_separator(c) && c != '、') || STOPS.iter().any(|w| rest[b..].starts_with(w))
        })
        .map(|&(b, _)| b)?;
    let name = &rest[..stop];
    let n = name.chars().count();
    if !(2..=20).contains(&n)
        || name.starts_with(['我', '本'])
        || name.starts_with('、')
        || !BODIES.iter().any(|b| name.ends_with(b))
        || NOT_BODIES.iter().any(|b| name.ends_with(b))
    {
        return None;
    }
    let start = unit[..lead].chars().count();
    Some((start, start + n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(unit: &str) -> Option<String> {
        let chars: Vec<char> = unit.chars().collect();
        subject(unit).map(|(s, e)| chars[s..e].iter().collect())
    }

    #[test]
    fn subjects_at_the_start() {
        assert_eq!(
            name("市人社局建立人才认定机制").as_deref(),
            Some("市人社局")
        );
        assert_eq!(
            name("区、镇两级登记管理机关按照比例开展抽查").as_deref(),
            Some("区、镇两级登记管理机关")
        );
        assert_eq!(
            name("每年由卫健部门对医生开展培训").as_deref(),
            Some("卫健部门")
        );
        assert_eq!(
            name("下一步，市财政局将加大投入").as_deref(),
            Some("市财政局")
        );
        assert_eq!(name("我局将加大投入"), None);
        assert_eq!(name("推进科研院所改革"), None);
        assert_eq!(name("优化产业布局"), None);
    }
}
