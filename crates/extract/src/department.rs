//! The issuing department (办理单位): from the signature above the date, the red-header issuer
//! line (嘉兴市民政局文件), or the name written before 关于 in the title.

/// Endings of government body names.
const BODY_SUFFIXES: &[&str] = &[
    "厅",
    "局",
    "委员会",
    "委",
    "办公室",
    "办",
    "院",
    "中心",
    "政府",
    "部",
    "署",
    "总会",
    "联合会",
    "协会",
    "社",
    "馆",
    "所",
    "站",
    "队",
    "处",
    "集团",
    "公司",
    "银行",
    "大学",
    "管委会",
    "委员会办公室",
];

/// Whether `s` reads like the name of a government body.
pub fn looks_like_body(s: &str) -> bool {
    let n = s.chars().count();
    (3..=30).contains(&n)
        && !s.contains(['。', '，', '；', '：', ':', ',', '《', '“'])
        && BODY_SUFFIXES.iter().any(|suffix| s.ends_with(suffix))
}

/// The signing body in the lines just above the date line (`lines[date_idx]`).
pub fn from_signature(lines: &[&str], date_idx: usize) -> Option<String> {
    lines[..date_idx]
        .iter()
        .rev()
        .filter(|l| !l.is_empty())
        .take(2)
        // Joint replies sign on one line: 嘉兴市民政局  嘉兴市财政局.
        .filter_map(|l| l.split_whitespace().next())
        .find(|l| looks_like_body(l))
        .map(str::to_string)
}

/// The issuer of a red-header line such as `嘉兴市民政局文件`.
pub fn from_issuer_line(line: &str) -> Option<String> {
    let name = line.trim().strip_suffix("文件")?.trim();
    looks_like_body(name).then(|| name.to_string())
}

/// The body written before 关于/对 in a title: `XX市交通运输局关于…的会办意见`.
pub fn from_title(title: &str) -> Option<String> {
    let head = title.split_once("关于").map(|(h, _)| h)?;
    looks_like_body(head).then(|| head.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_above_the_date() {
        let lines = ["现答复如下。", "", "嘉兴市民政局", "", "2020年8月18日"];
        assert_eq!(from_signature(&lines, 4).as_deref(), Some("嘉兴市民政局"));
        let lines = ["感谢您的关心和支持。", "2020年8月18日"];
        assert_eq!(from_signature(&lines, 1), None);
    }

    #[test]
    fn issuer_and_title_forms() {
        assert_eq!(
            from_issuer_line("嘉兴市民政局文件").as_deref(),
            Some("嘉兴市民政局")
        );
        assert_eq!(from_issuer_line("关于做好工作的文件"), None);
        assert_eq!(
            from_title("嘉兴市交通运输局关于市八届人大五次会议第12号建议的会办意见").as_deref(),
            Some("嘉兴市交通运输局")
        );
        assert_eq!(from_title("关于市八届人大五次会议第12号建议的答复"), None);
    }
}
