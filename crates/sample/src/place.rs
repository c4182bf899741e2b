//! Where a reply comes from: real divisions picked from the region table, the words a reply
//! uses for them (全省, 市政府, 县人大), and the terms of their assemblies.

use std::collections::HashMap;

use dafu_extract::region::{Region, RegionLevel, RegionTable};

use crate::compose::{Rng, chance, pick, pick_ref};
use crate::vocab::{Tier, vocab};
use rand::Rng as _;

/// The tier whose government answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Province,
    City,
    County,
}

impl Level {
    pub fn slug(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
        }
    }
}

const MUNICIPALITIES: [u32; 4] = [110000, 120000, 310000, 500000];

/// Names that are statistical placeholders or zones without assemblies of their own.
fn usable(r: &Region) -> bool {
    const BAD: [&str; 8] = [
        "直辖",
        "开发区",
        "园区",
        "示范区",
        "管理区",
        "管委会",
        "试验区",
        "高新区",
    ];
    r.name.chars().count() >= 2 && r.name != "市辖区" && !BAD.iter().any(|b| r.name.contains(b))
}

/// A city-level division with a people's congress of its own (地区 and 盟 have none).
fn has_assembly(r: &Region) -> bool {
    !(r.name.ends_with("地区") || r.name.ends_with('盟'))
}

pub(crate) struct Province<'t> {
    pub region: &'t Region,
    pub abbr: &'static str,
    pub municipality: bool,
    /// Cities that answer proposals (prefecture-level cities and autonomous prefectures).
    pub cities: Vec<&'t Region>,
    /// Every usable county-level division of the province.
    pub counties: Vec<&'t Region>,
}

/// The region table, pre-grouped for picking.
pub(crate) struct Places<'t> {
    pub table: &'t RegionTable,
    pub provinces: Vec<Province<'t>>,
    /// Usable counties by the code of their parent.
    children: HashMap<u32, Vec<&'t Region>>,
}

impl<'t> Places<'t> {
    pub fn new(table: &'t RegionTable) -> Places<'t> {
        let v = vocab();
        let mut provinces: Vec<Province<'t>> = table
            .provinces()
            .filter_map(|p| {
                Some(Province {
                    region: p,
                    abbr: v.province_abbr(p.code)?,
                    municipality: MUNICIPALITIES.contains(&p.code),
                    cities: Vec::new(),
                    counties: Vec::new(),
                })
            })
            .collect();
        let mut children: HashMap<u32, Vec<&'t Region>> = HashMap::new();
        for r in table.all() {
            if !usable(r) || r.level == RegionLevel::Province {
                continue;
            }
            let Some(parent) = r.parent.and_then(|p| table.get(p)) else {
                continue;
            };
            if parent.level != RegionLevel::Province && !usable(parent) {
                continue;
            }
            let Some(prov_code) = table.province_of(r.code).map(|p| p.code) else {
                continue;
            };
            let Some(prov) = provinces.iter_mut().find(|p| p.region.code == prov_code) else {
                continue;
            };
            match r.level {
                RegionLevel::City if has_assembly(r) && !prov.municipality => prov.cities.push(r),
                RegionLevel::County => {
                    prov.counties.push(r);
                    children.entry(parent.code).or_default().push(r);
                }
                _ => {}
            }
        }
        Places {
            table,
            provinces,
            children,
        }
    }

    /// Picks a province, a tier and a real division of that tier.
    pub fn pick(&self, rng: &mut Rng) -> Locale<'t> {
        let prov = pick_ref(rng, &self.provinces);
        let r: f64 = rng.random();
        let mut level = if r < 0.3 {
            Level::Province
        } else if r < 0.68 {
            Level::City
        } else {
            Level::County
        };
        if level == Level::City && prov.cities.is_empty() {
            level = if prov.municipality && !prov.counties.is_empty() {
                Level::County
            } else {
                Level::Province
            };
        }
        if level == Level::County && prov.counties.is_empty() {
            level = Level::Province;
        }
        let (city, county) = match level {
            Level::Province => (None, None),
            Level::City => (Some(pick(rng, &prov.cities)), None),
            Level::County => {
                let c = pick(rng, &prov.counties);
                (self.table.city_of(c.code), Some(c))
            }
        };
        Locale {
            level,
            province: prov.region,
            abbr: prov.abbr,
            municipality: prov.municipality,
            city,
            county,
        }
    }

    /// Names of the divisions one tier below the locale (cities of a province, counties of a
    /// city); for a county, invented township names.
    pub fn below(&self, loc: &Locale<'t>, rng: &mut Rng, n: usize) -> Vec<String> {
        let subs: Vec<&Region> = match loc.level {
            Level::Province if loc.municipality => self
                .children
                .get(&loc.province.code)
                .cloned()
                .unwrap_or_default(),
            Level::Province => self
                .provinces
                .iter()
                .find(|p| p.region.code == loc.province.code)
                .map(|p| p.cities.clone())
                .unwrap_or_default(),
            Level::City => self
                .children
                .get(&loc.unit().code)
                .cloned()
                .unwrap_or_default(),
            Level::County => Vec::new(),
        };
        let mut out: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n * 3 {
            if out.len() == n {
                break;
            }
            let name = if subs.is_empty() {
                township(rng)
            } else {
                pick(rng, &subs).name.clone()
            };
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// An invented township name (新塘镇, 石桥街道 …).
fn township(rng: &mut Rng) -> String {
    const A: [&str; 32] = [
        "新", "长", "安", "永", "青", "石", "桥", "东", "西", "南", "北", "平", "和", "兴", "龙",
        "凤", "金", "马", "白", "清", "大", "高", "林", "华", "宝", "福", "双", "三", "古", "梅",
        "桃", "云",
    ];
    const B: [&str; 24] = [
        "塘", "桥", "港", "山", "河", "湖", "溪", "浦", "庄", "店", "集", "口", "湾", "坝", "岭",
        "田", "亭", "城", "泉", "坪", "镇", "陵", "洲", "阳",
    ];
    const C: [&str; 4] = ["镇", "镇", "乡", "街道"];
    let mut s = String::with_capacity(12);
    s.push_str(pick(rng, &A));
    s.push_str(pick(rng, &B));
    s.push_str(pick(rng, &C));
    s
}

/// The division that answers a reply, with its enclosing divisions.
#[derive(Debug, Clone)]
pub(crate) struct Locale<'t> {
    pub level: Level,
    pub province: &'t Region,
    pub abbr: &'static str,
    pub municipality: bool,
    pub city: Option<&'t Region>,
    pub county: Option<&'t Region>,
}

impl<'t> Locale<'t> {
    /// The division at the locale's own tier.
    pub fn unit(&self) -> &'t Region {
        match self.level {
            Level::Province => self.province,
            Level::City => self.city.unwrap_or(self.province),
            Level::County => self.county.or(self.city).unwrap_or(self.province),
        }
    }

    /// The prefix of the local organs: 省(人大), 自治区(政府), 市, 州, 县, 区, 旗.
    pub fn org(&self) -> &'static str {
        let name = self.unit().name.as_str();
        match self.level {
            Level::Province if name.ends_with("自治区") => "自治区",
            Level::Province if name.ends_with('市') => "市",
            Level::Province => "省",
            Level::City if name.ends_with("自治州") => "州",
            Level::City => "市",
            Level::County if name.ends_with('县') => "县",
            Level::County if name.ends_with('旗') => "旗",
            Level::County if name.ends_with('市') => "市",
            Level::County => "区",
        }
    }

    /// The area word of 全省 / 我省 (an autonomous region says 全区).
    pub fn area(&self) -> &'static str {
        match self.org() {
            "自治区" => "区",
            o => o,
        }
    }

    /// Which naming column of the department table applies.
    pub fn tier(&self) -> Tier {
        match self.level {
            Level::Province if self.municipality => Tier::Municipality,
            Level::Province => Tier::Province,
            Level::City => Tier::City,
            Level::County => Tier::County,
        }
    }

    /// The short name people write (浙江, 嘉兴, 嘉善).
    pub fn short(&self) -> String {
        let r = self.unit();
        if !r.short.is_empty() {
            return r.short.clone();
        }
        let chars: Vec<char> = r.name.chars().collect();
        if r.name.contains("自治") || chars.len() > 4 {
            chars[..2].iter().collect()
        } else if chars.len() >= 3 {
            chars[..chars.len() - 1].iter().collect()
        } else {
            r.name.clone()
        }
    }

    /// A department's full name as signed (浙江省教育厅, 上海市浦东新区教育局).
    pub fn dept_full(&self, dept: &str) -> String {
        let mut s = String::with_capacity(48);
        if self.level == Level::County && self.municipality {
            s.push_str(&self.province.name);
        }
        s.push_str(&self.unit().name);
        s.push_str(dept);
        s
    }

    /// The first character(s) of a document number (浙, 嘉, 善 …).
    pub fn doc_prefix(&self, rng: &mut Rng) -> String {
        match self.level {
            Level::Province => self.abbr.to_string(),
            _ => {
                let first: String = self.unit().name.chars().take(1).collect();
                if chance(rng, 0.2) {
                    first + "政"
                } else {
                    first
                }
            }
        }
    }

    /// (term, session) of the assembly in `year`: five-year terms, one session a year.
    pub fn term_session(&self, cppcc: bool, year: i32) -> (i32, i32) {
        let (start, npc, pol) = match self.level {
            Level::Province => {
                let (n, c) = match self.province.code {
                    110000 | 310000 => (15, 13),
                    120000 => (17, 14),
                    500000 => (5, 5),
                    460000 => (6, 7),
                    _ => (13, 12),
                };
                (2018, n, c)
            }
            Level::City => {
                let h = (self.unit().code / 100) as i32;
                let npc = 7 + h % 4;
                (2016 + h % 2, npc, npc - 1 + (h / 2) % 2)
            }
            Level::County => {
                let c = self.unit().code as i32;
                let h = c % 100 + (c / 100) % 100;
                (2016 + c % 2, 14 + h % 5, 9 + h % 4)
            }
        };
        let base = if cppcc { pol } else { npc };
        let off = year - start;
        (base + off.div_euclid(5), off.rem_euclid(5) + 1)
    }

    /// Multiplier applied to counts so that a county reports smaller numbers than a province.
    pub fn scale(&self) -> f64 {
        match self.level {
            Level::Province => 1.0,
            Level::City => 0.22,
            Level::County => 0.06,
        }
    }

    /// A telephone area code (0573, 010 …), invented but stable per division.
    pub fn area_code(&self) -> String {
        match self.province.code {
            110000 => "010".into(),
            120000 => "022".into(),
            310000 => "021".into(),
            500000 => "023".into(),
            _ => {
                let c = self.city.map_or(self.province.code, |c| c.code);
                format!("0{}", 310 + (c / 100 * 7 + c % 97) % 690)
            }
        }
    }
}
