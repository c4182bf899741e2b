//! The administrative-division table (行政区划) and how place names in a reply map onto it.
//!
//! The table is `index-data/regions.tsv`, derived from the National Bureau of Statistics code
//! list by `index-data/scripts/gen-regions.py` (see `index-data/README.md` for its source and
//! date). It is compiled into the binary, so a reply's region can be resolved with no files at
//! run time; [`RegionTable::parse`] reads any other copy.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::error::ExtractError;

static EMBEDDED_TSV: &str = include_str!("../../../index-data/regions.tsv");

static EMBEDDED: LazyLock<RegionTable> = LazyLock::new(|| {
    // The table is compiled in and checked by `embedded_table_parses`; a failure here is a
    // build defect, not an input error.
    RegionTable::parse(EMBEDDED_TSV).unwrap_or_else(|e| panic!("embedded regions.tsv: {e}"))
});

/// The tier of a division: 省级 (province, autonomous region, municipality), 地级 (city,
/// prefecture, league, autonomous prefecture) or 县级 (county, district, county-level city).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

/// One division of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Six-digit division code (区划代码), e.g. 330400.
    pub code: u32,
    /// Official full name, e.g. 嘉兴市.
    pub name: String,
    /// The name without its administrative suffix (嘉兴, 浙江, 延边), used to recognise the
    /// short forms people write; empty where stripping would leave fewer than two characters.
    pub short: String,
    pub level: RegionLevel,
    /// Code of the enclosing division; `None` for provinces. Districts of the four
    /// municipalities and counties directly under a province point at the province.
    pub parent: Option<u32>,
}

/// A place name found in a text, with every division it can denote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionMention {
    /// Byte range of the name in the searched text.
    pub start: usize,
    pub end: usize,
    /// Whether the text wrote the full official name (嘉兴市) rather than a short form (嘉兴).
    pub full_name: bool,
    /// Candidate division codes (more than one for names like 鼓楼区 or 吉林).
    pub candidates: Vec<u32>,
}

/// The whole administrative-division table with name look-ups.
#[derive(Debug, Clone)]
pub struct RegionTable {
    regions: Vec<Region>,
    by_code: HashMap<u32, usize>,
    /// Full name -> indices into `regions` (several divisions share a name: 鼓楼区).
    by_name: HashMap<String, Vec<usize>>,
    /// Pattern index -> (full name?, indices into `regions`).
    patterns: Vec<(bool, Vec<usize>)>,
    matcher: AhoCorasick,
}

const PROVINCE_SUFFIXES: &[&str] = &[
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
];
const CITY_SUFFIXES: &[&str] = &["自治州", "地区", "盟", "市"];

fn short_name(name: &str, level: RegionLevel) -> String {
    let suffixes = match level {
        RegionLevel::Province => PROVINCE_SUFFIXES,
        RegionLevel::City => CITY_SUFFIXES,
        // County short forms (鼓楼, 东区 …) collide with ordinary words far too often.
        RegionLevel::County => return String::new(),
    };
    let mut short = suffixes
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name)
        .to_string();
    // Autonomous prefectures carry their nationalities: 延边朝鲜族自治州 -> 延边.
    if level == RegionLevel::City
        && let Some(i) = short.find("族")
    {
        let head: String = short[..i].chars().collect();
        let n = head.chars().count();
        if n > 2 {
            short = head.chars().take(2).collect();
        }
    }
    if short.chars().count() < 2 || short == name {
        String::new()
    } else {
        short
    }
}

impl RegionTable {
    /// The table compiled into this build.
    pub fn embedded() -> &'static RegionTable {
        &EMBEDDED
    }

    /// Parses the TSV format of `index-data/regions.tsv`: `#` comment lines, a header
    /// `code name level parent`, then one division per line.
    pub fn parse(tsv: &str) -> Result<Self, ExtractError> {
        let mut regions = Vec::new();
        for (i, line) in tsv.lines().enumerate() {
            let line_no = i + 1;
            if line.is_empty() || line.starts_with('#') || line.starts_with("code\t") {
                continue;
            }
            let bad = |what: &str| ExtractError::RegionTable {
                line: line_no,
                message: what.to_string(),
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 4 {
                return Err(bad("expected 4 tab-separated columns"));
            }
            let code: u32 = cols[0].parse().map_err(|_| bad("code is not a number"))?;
            let level = match cols[2] {
                "province" => RegionLevel::Province,
                "city" => RegionLevel::City,
                "county" => RegionLevel::County,
                other => return Err(bad(&format!("unknown level {other:?}"))),
            };
            let parent = if cols[3].is_empty() {
                None
            } else {
                Some(cols[3].parse().map_err(|_| bad("parent is not a number"))?)
            };
            let name = cols[1].to_string();
            regions.push(Region {
                code,
                short: short_name(&name, level),
                name,
                level,
                parent,
            });
        }
        let by_code: HashMap<u32, usize> = regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code, i))
            .collect();
        for r in &regions {
            if let Some(p) = r.parent
                && !by_code.contains_key(&p)
            {
                return Err(ExtractError::RegionTable {
                    line: 0,
                    message: format!("{} {} has unknown parent {p}", r.code, r.name),
                });
            }
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut names: HashMap<(&str, bool), Vec<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            by_name.entry(r.name.clone()).or_default().push(i);
            names.entry((r.name.as_str(), true)).or_default().push(i);
            if !r.short.is_empty() {
                names.entry((r.short.as_str(), false)).or_default().push(i);
            }
        }
        let mut entries: Vec<((&str, bool), Vec<usize>)> = names.into_iter().collect();
        entries.sort();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(entries.iter().map(|((name, _), _)| *name))
            .map_err(|e| ExtractError::RegionTable {
                line: 0,
                message: e.to_string(),
            })?;
        let patterns = entries
            .into_iter()
            .map(|((_, full), idx)| (full, idx))
            .collect();
        Ok(RegionTable {
            regions,
            by_code,
            by_name,
            patterns,
            matcher,
        })
    }

    /// Every division, sorted by code.
    pub fn all(&self) -> &[Region] {
        &self.regions
    }

    pub fn get(&self, code: u32) -> Option<&Region> {
        self.by_code.get(&code).map(|&i| &self.regions[i])
    }

    /// The divisions whose full name is exactly `name` (a hash lookup, unlike [`Self::lookup`],
    /// which also knows short names and scans with the place-name matcher).
    pub fn named(&self, name: &str) -> impl Iterator<Item = &Region> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.regions[i])
    }

    pub fn provinces(&self) -> impl Iterator<Item = &Region> {
        self.regions
            .iter()
            .filter(|r| r.level == RegionLevel::Province)
    }

    /// Direct children of a division (cities of a province, counties of a city, districts of
    /// a municipality).
    pub fn children(&self, code: u32) -> impl Iterator<Item = &Region> {
        self.regions.iter().filter(move |r| r.parent == Some(code))
    }

    /// The province a division belongs to (itself for a province).
    pub fn province_of(&self, code: u32) -> Option<&Region> {
        let mut r = self.get(code)?;
        while let Some(p) = r.parent {
            r = self.get(p)?;
        }
        Some(r)
    }

    /// The prefecture-level city a county belongs to (itself for a city; `None` for provinces
    /// and for counties directly under a province or municipality).
    pub fn city_of(&self, code: u32) -> Option<&Region> {
        let r = self.get(code)?;
        match r.level {
            RegionLevel::Province => None,
            RegionLevel::City => Some(r),
            RegionLevel::County => self.get(r.parent?).filter(|p| p.level == RegionLevel::City),
        }
    }

    /// Whether `inner` lies inside `outer` (or is it).
    pub fn contains(&self, outer: u32, inner: u32) -> bool {
        let mut cur = self.get(inner);
        while let Some(r) = cur {
            if r.code == outer {
                return true;
            }
            cur = r.parent.and_then(|p| self.get(p));
        }
        false
    }

    /// Divisions whose full or short name is exactly `name` (浙江省, 浙江, 嘉兴 …).
    pub fn lookup(&self, name: &str) -> Vec<&Region> {
        let name = name.trim();
        self.find_in(name)
            .into_iter()
            .filter(|m| m.start == 0 && m.end == name.len())
            .flat_map(|m| m.candidates)
            .filter_map(|c| self.get(c))
            .collect()
    }

    /// Every place name in `text`, leftmost-longest (so 吉林省 is one mention, not 吉林).
    pub fn find_in(&self, text: &str) -> Vec<RegionMention> {
        self.matcher
            .find_iter(text)
            .map(|m| {
                let (full_name, idx) = &self.patterns[m.pattern().as_usize()];
                RegionMention {
                    start: m.start(),
                    end: m.end(),
                    full_name: *full_name,
                    candidates: idx.iter().map(|&i| self.regions[i].code).collect(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let t = RegionTable::embedded();
        assert!(t.provinces().count() >= 31);
        assert!(t.all().len() > 3000);
    }

    #[test]
    fn jilin_is_a_province_and_a_city() {
        let t = RegionTable::embedded();
        assert_eq!(t.lookup("吉林省")[0].code, 220000);
        assert_eq!(t.lookup("吉林市")[0].code, 220200);
        let both: Vec<u32> = t.lookup("吉林").iter().map(|r| r.code).collect();
        assert!(both.contains(&220000) && both.contains(&220200), "{both:?}");
        let m = t.find_in("吉林省民政厅");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].candidates, vec![220000]);
    }

    #[test]
    fn city_resolves_to_its_province() {
        let t = RegionTable::embedded();
        let jiaxing = t.lookup("嘉兴市")[0];
        assert_eq!(jiaxing.code, 330400);
        assert_eq!(
            t.province_of(jiaxing.code).map(|r| r.name.as_str()),
            Some("浙江省")
        );
        assert_eq!(t.city_of(330421).map(|r| r.code), Some(330400));
        assert!(t.contains(330000, 330421));
        assert!(!t.contains(220000, 330421));
    }

    #[test]
    fn county_names_repeat_across_provinces() {
        let t = RegionTable::embedded();
        assert!(t.lookup("鼓楼区").len() >= 3);
        assert!(t.lookup("市中区").len() >= 2);
    }

    #[test]
    fn municipality_districts_hang_under_the_province() {
        let t = RegionTable::embedded();
        let d = t.lookup("东城区");
        assert!(d.iter().any(|r| r.parent == Some(110000)));
        assert!(t.city_of(110101).is_none());
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("广西壮族自治区", RegionLevel::Province), "广西");
        assert_eq!(short_name("延边朝鲜族自治州", RegionLevel::City), "延边");
        assert_eq!(short_name("嘉兴市", RegionLevel::City), "嘉兴");
        assert_eq!(short_name("南湖区", RegionLevel::County), "");
    }

    #[test]
    fn parse_reports_the_bad_line() {
        let err = RegionTable::parse("code\tname\tlevel\tparent\n110000\t北京市\tplanet\t\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("line 2"), "{err}");
    }
}
