//! The issuing department (办理单位): from the signature above the date, the red-header issuer
//! line (嘉兴市民政局文件), or the name written before 关于 in the title; and its canonical full
//! form (省人社厅 -> 吉林省人力资源和社会保障厅) from the alias table
//! `index-data/departments.toml`.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::error::ExtractError;
use crate::region::{RegionLevel, RegionTable};

static EMBEDDED_ALIASES: &str = include_str!("../../../index-data/departments.toml");

static EMBEDDED: LazyLock<DepartmentAliases> = LazyLock::new(|| {
    // Compiled in and checked by `embedded_aliases_parse`: a failure is a build defect.
    DepartmentAliases::parse(EMBEDDED_ALIASES)
        .unwrap_or_else(|e| panic!("embedded departments.toml: {e}"))
});

/// The tier a generic place word stands for at the head of a department name (省人社厅,
/// 市民政局, 县教育局).
const GENERIC_PLACES: &[(&str, RegionLevel)] = &[
    ("自治区", RegionLevel::Province),
    ("省", RegionLevel::Province),
    ("市", RegionLevel::City),
    ("州", RegionLevel::City),
    ("盟", RegionLevel::City),
    ("县", RegionLevel::County),
    ("区", RegionLevel::County),
    ("旗", RegionLevel::County),
];

#[derive(Debug, Deserialize)]
struct AliasFile {
    aliases: HashMap<String, String>,
}

/// Short department names and their official full forms.
#[derive(Debug, Clone, Default)]
pub struct DepartmentAliases {
    aliases: HashMap<String, String>,
}

impl DepartmentAliases {
    /// The table compiled into this build.
    pub fn embedded() -> &'static DepartmentAliases {
        &EMBEDDED
    }

    /// Parses the TOML format of `index-data/departments.toml`.
    pub fn parse(toml_text: &str) -> Result<Self, ExtractError> {
        let file: AliasFile = toml::from_str(toml_text)
            .map_err(|e| ExtractError::DepartmentAliases(e.to_string()))?;
        Ok(DepartmentAliases {
            aliases: file.aliases,
        })
    }

    /// The official body name for a short one (人社厅 -> 人力资源和社会保障厅).
    pub fn expand<'a>(&'a self, body: &'a str) -> &'a str {
        self.aliases.get(body).map_or(body, String::as_str)
    }

    /// The canonical full form of a department name written in a reply from the division
    /// `place`: the generic place word replaced by the place's name (省 -> 吉林省, 市 -> 嘉兴市,
    /// 市 of a municipality -> 上海市), the body name expanded, and a provincial department
    /// (…厅) written without any place given its province. A place the reply does not make
    /// certain is left as written.
    ///
    /// ```
    /// use dafu_extract::department::DepartmentAliases;
    /// use dafu_extract::region::RegionTable;
    /// let (a, t) = (DepartmentAliases::embedded(), RegionTable::embedded());
    /// assert_eq!(a.canonical("省人社厅", t, Some(220000)), "吉林省人力资源和社会保障厅");
    /// assert_eq!(a.canonical("市住建局", t, Some(330400)), "嘉兴市住房和城乡建设局");
    /// assert_eq!(a.canonical("嘉兴市民政局", t, Some(330400)), "嘉兴市民政局");
    /// assert_eq!(a.canonical("市民政局", t, None), "市民政局");
    /// assert_eq!(a.canonical("教育部", t, None), "教育部");
    /// ```
    pub fn canonical(&self, name: &str, regions: &RegionTable, place: Option<u32>) -> String {
        let name = name.trim();
        // A place written in full at the head: 吉林省人社厅, 重庆市九龙坡区科技局.
        let mut written_end = 0;
        for m in regions.find_in(name) {
            if m.start != written_end || !m.full_name {
                break;
            }
            written_end = m.end;
        }
        if written_end > 0 {
            let (place_name, body) = name.split_at(written_end);
            return format!("{place_name}{}", self.expand(body));
        }
        if !self.aliases.contains_key(name) {
            for (word, level) in GENERIC_PLACES {
                if let Some(body) = name.strip_prefix(word)
                    && body.chars().count() >= 2
                {
                    let body = self.expand(body);
                    return match place.and_then(|p| place_name_at(regions, p, *level)) {
                        Some(place_name) => format!("{place_name}{body}"),
                        None => format!("{word}{body}"),
                    };
                }
            }
        }
        let body = self.expand(name);
        // 厅 is a provincial department's name: 人社厅 in a Jilin reply is Jilin's.
        if body.ends_with('厅')
            && let Some(province) = place.and_then(|p| regions.province_of(p))
            && !province.name.ends_with('市')
        {
            return format!("{}{body}", province.name);
        }
        body.to_string()
    }
}

/// The name of the division of tier `level` that contains `place`; a municipality (上海市)
/// stands for its own city tier.
fn place_name_at(regions: &RegionTable, place: u32, level: RegionLevel) -> Option<&str> {
    let province = regions.province_of(place)?;
    let municipality = province.name.ends_with('市');
    let region = match level {
        RegionLevel::Province => Some(province).filter(|_| !municipality),
        RegionLevel::City => regions
            .city_of(place)
            .or_else(|| municipality.then_some(province)),
        RegionLevel::County => regions
            .get(place)
            .filter(|r| r.level == RegionLevel::County),
    }?;
    Some(region.name.as_str())
}

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
    fn embedded_aliases_parse() {
        let a = DepartmentAliases::embedded();
        assert_eq!(a.expand("人社厅"), "人力资源和社会保障厅");
        assert_eq!(a.expand("嘉兴市民政局"), "嘉兴市民政局");
    }

    #[test]
    fn canonical_forms() {
        let (a, t) = (DepartmentAliases::embedded(), RegionTable::embedded());
        let cases = [
            ("吉林省人社厅", Some(220000), "吉林省人力资源和社会保障厅"),
            ("人社厅", Some(220000), "吉林省人力资源和社会保障厅"),
            ("市市场监管局", Some(330400), "嘉兴市市场监督管理局"),
            ("市场监管局", Some(330400), "市场监督管理局"),
            ("市教委", Some(310000), "上海市教委"),
            ("市卫健委", Some(310000), "上海市卫生健康委员会"),
            ("县教育局", Some(330421), "嘉善县教育局"),
            ("县教育局", Some(330400), "县教育局"),
            ("省民政厅", Some(310000), "省民政厅"),
            ("市政府", Some(330400), "嘉兴市人民政府"),
        ];
        for (name, place, want) in cases {
            assert_eq!(a.canonical(name, t, place), want, "{name}");
        }
    }

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
