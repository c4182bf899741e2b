//! The extractor: one reply's text in, its [`ReplyFields`] out.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::parse_date_line;
use crate::department;
use crate::doc_number::find_doc_number;
use crate::error::ExtractError;
use crate::region::{RegionLevel, RegionTable};
use crate::reply::{Level, RegionFields, ReplyFields};
use crate::title;
use crate::topics::TopicRules;

/// How many non-empty lines at the top of a reply hold its header (issuer, 文号, title).
const HEADER_LINES: usize = 12;

/// What follows a place named as an assembly's: 五届人大, 第十七届人民代表大会, 人大常委会.
static ASSEMBLY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:第?[〇一二三四五六七八九十百0-9]+\s*届\s*)?(?:人大|政协|人民代表大会|政治协商会议)")
        .unwrap_or_else(|e| panic!("assembly pattern: {e}"))
});

static PROPOSAL_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"《([^《》\n]{4,120})》").unwrap_or_else(|e| panic!("proposal title pattern: {e}"))
});

/// Extracts [`ReplyFields`] from reply text, with the region table and topic rules it was
/// built with.
#[derive(Debug, Clone)]
pub struct Extractor {
    regions: &'static RegionTable,
    topics: TopicRules,
}

impl Extractor {
    pub fn new(regions: &'static RegionTable, topics: TopicRules) -> Self {
        Extractor { regions, topics }
    }

    /// The extractor over the tables compiled into this build.
    pub fn embedded() -> Result<Self, ExtractError> {
        Ok(Self::new(RegionTable::embedded(), TopicRules::embedded()?))
    }

    pub fn regions(&self) -> &'static RegionTable {
        self.regions
    }

    pub fn topic_rules(&self) -> &TopicRules {
        &self.topics
    }

    /// Extracts every field this version knows from a reply's text.
    pub fn extract(&self, text: &str) -> ReplyFields {
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
            .collect();
        let header: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].is_empty())
            .take(HEADER_LINES)
            .collect();

        let title_at = header.iter().position(|&i| title::is_title_line(lines[i]));
        let (title, title_end) = match title_at {
            Some(pos) => {
                let mut t = lines[header[pos]].to_string();
                let mut end = header[pos];
                // A long title wraps: join lines until it ends like a title.
                let mut next = pos + 1;
                while !title::ends_title(&t) && next < header.len() && next <= pos + 2 {
                    t.push_str(lines[header[next]]);
                    end = header[next];
                    next += 1;
                }
                let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                (Some(t), end)
            }
            None => (None, 0),
        };

        let doc_number = header
            .iter()
            .filter(|&&i| i <= title_end + 1)
            .find_map(|&i| find_doc_number(lines[i]));

        let date_at = (title_end..lines.len()).find(|&i| parse_date_line(lines[i]).is_some());
        let date = date_at.and_then(|i| parse_date_line(lines[i]));

        let issuer = header
            .first()
            .and_then(|&i| department::from_issuer_line(lines[i]));
        let department = date_at
            .and_then(|i| department::from_signature(&lines, i))
            .or(issuer)
            .or_else(|| title.as_deref().and_then(department::from_title));

        let assembly = title.as_deref().and_then(title::assembly);
        let tier = title.as_deref().and_then(title::tier);
        let proposal_number = title.as_deref().and_then(title::proposal_number);
        let proposal_title = PROPOSAL_TITLE.captures(text).map(|c| {
            c[1].chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        });

        let named_place = title.as_deref().and_then(|t| self.assembly_place(t));
        let stated_level = named_place
            .map(|code| self.level_of(code))
            .or(tier.as_ref().map(|t| t.level));
        let region_code = department
            .as_deref()
            .and_then(|d| self.resolve_region(d, stated_level))
            .or(named_place);
        // 市人大 is a municipality's (province tier), a prefecture city's or a county-level
        // city's assembly: the replying body's place decides which.
        let level = match (&tier, named_place, region_code) {
            (Some(t), None, Some(code)) if t.by_shi => Some(self.tier_of_shi(code, t.level)),
            _ => stated_level,
        };
        let region = region_code
            .map(|c| self.region_fields(c))
            .unwrap_or_default();
        // A reply's year is its signing year; failing that, the year of its 文号.
        let year = date.map(|d| d.year).or_else(|| {
            doc_number
                .as_deref()
                .and_then(|n| n.split_once('〔'))
                .and_then(|(_, rest)| rest.get(..4))
                .and_then(|y| y.parse().ok())
        });

        let mut titles: Vec<&str> = Vec::new();
        titles.extend(title.as_deref());
        titles.extend(proposal_title.as_deref());
        let scores = self.topics.classify(&titles, text);

        ReplyFields {
            title,
            doc_number,
            assembly,
            level,
            proposal_number,
            proposal_title,
            department,
            region,
            date: date.map(|d| d.iso()),
            year,
            primary_topic: scores.first().map(|s| s.slug.clone()),
            topics: scores.into_iter().map(|s| s.slug).collect(),
        }
    }

    /// The tier of a 市 assembly whose replying body sits in `code`.
    fn tier_of_shi(&self, code: u32, stated: Level) -> Level {
        match self.regions.get(code) {
            Some(r) if r.level == RegionLevel::Province && r.name.ends_with('市') => {
                Level::Province
            }
            Some(r) if r.level == RegionLevel::County && r.name.ends_with('市') => Level::County,
            Some(r) if r.level == RegionLevel::City => Level::City,
            _ => stated,
        }
    }

    fn level_of(&self, code: u32) -> Level {
        match self.regions.get(code).map(|r| r.level) {
            Some(RegionLevel::Province) => Level::Province,
            Some(RegionLevel::City) => Level::City,
            _ => Level::County,
        }
    }

    /// The place an assembly is named after in a title: 政协万州区…, 政协贵州省第十三届委员会…,
    /// 重庆市五届人大…, 嘉善县人大常委会… (a full official name, unambiguous).
    fn assembly_place(&self, title: &str) -> Option<u32> {
        self.regions.find_in(title).into_iter().find_map(|m| {
            let named = m.full_name
                && m.candidates.len() == 1
                && (title[..m.start].ends_with("政协")
                    || title[..m.start].ends_with("人大")
                    || ASSEMBLY_AFTER.is_match(&title[m.end..]));
            named.then(|| m.candidates[0])
        })
    }

    /// The division a department's name places it in: the most specific name written, each
    /// inside the one before (重庆市九龙坡区科学技术局 is the district, 吉林省民政厅 the province and
    /// not the city 吉林市). An ambiguous name (鼓楼区民政局) is resolved by an enclosing name
    /// written before it, a name inside it written after it, or the tier the title states;
    /// otherwise the reply's region stops at what is certain.
    fn resolve_region(&self, department: &str, level: Option<Level>) -> Option<u32> {
        let t = self.regions;
        let mentions = t.find_in(department);
        let wanted = level.and_then(|l| match l {
            Level::Province => Some(RegionLevel::Province),
            Level::City => Some(RegionLevel::City),
            Level::County => Some(RegionLevel::County),
            Level::National => None,
        });
        let mut current: Option<u32> = None;
        for (i, m) in mentions.iter().enumerate() {
            let mut candidates: Vec<u32> = m
                .candidates
                .iter()
                .copied()
                .filter(|&c| current.is_none_or(|cur| cur != c && t.contains(cur, c)))
                .collect();
            if candidates.len() > 1 {
                let inner: Vec<u32> = mentions[i + 1..]
                    .iter()
                    .flat_map(|m| m.candidates.iter().copied())
                    .collect();
                let with_inner: Vec<u32> = candidates
                    .iter()
                    .copied()
                    .filter(|&c| inner.iter().any(|&o| o != c && t.contains(c, o)))
                    .collect();
                if with_inner.len() == 1 {
                    candidates = with_inner;
                }
            }
            if candidates.len() > 1
                && let Some(wanted) = wanted
            {
                candidates.retain(|&c| t.get(c).map(|r| r.level) == Some(wanted));
            }
            match candidates.as_slice() {
                [one] => current = Some(*one),
                [] => continue,
                _ => break,
            }
        }
        current
    }

    fn region_fields(&self, code: u32) -> RegionFields {
        let t = self.regions;
        let province = t.province_of(code);
        let city = t.city_of(code);
        let county = t.get(code).filter(|r| r.level == RegionLevel::County);
        let name = |r: Option<&crate::region::Region>| r.map(|r| r.name.clone());
        let code_of = |r: Option<&crate::region::Region>| r.map(|r| format!("{:06}", r.code));
        RegionFields {
            province: name(province),
            province_code: code_of(province),
            city: name(city),
            city_code: code_of(city),
            county: name(county),
            county_code: code_of(county),
        }
    }
}
