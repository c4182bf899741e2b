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

        let named_place = match (&title, &tier) {
            (Some(t), Some(tier)) if tier.end > 0 => self.place_ending_at(t, tier.end),
            _ => None,
        };
        let level = named_place
            .map(|code| self.level_of(code))
            .or(tier.map(|t| t.level));
        let region_code = department
            .as_deref()
            .and_then(|d| self.resolve_region(d, level))
            .or(named_place);
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

    fn level_of(&self, code: u32) -> Level {
        match self.regions.get(code).map(|r| r.level) {
            Some(RegionLevel::Province) => Level::Province,
            Some(RegionLevel::City) => Level::City,
            _ => Level::County,
        }
    }

    /// A full place name in `title` that ends at byte `end` (the 嘉善县 of 嘉善县人大).
    fn place_ending_at(&self, title: &str, end: usize) -> Option<u32> {
        let mention = self
            .regions
            .find_in(title)
            .into_iter()
            .find(|m| m.full_name && m.end == end)?;
        (mention.candidates.len() == 1).then(|| mention.candidates[0])
    }

    /// The division a department's name places it in. 吉林省民政厅 is the province, not the
    /// city 吉林市; an ambiguous name (鼓楼区民政局) is resolved by an enclosing name written
    /// beside it, or by the tier the title states, or left unknown.
    fn resolve_region(&self, department: &str, level: Option<Level>) -> Option<u32> {
        let mentions = self.regions.find_in(department);
        let first = mentions.first()?;
        if first.candidates.len() == 1 {
            return Some(first.candidates[0]);
        }
        let others: Vec<u32> = mentions[1..]
            .iter()
            .filter(|m| m.candidates.len() == 1)
            .map(|m| m.candidates[0])
            .collect();
        let in_context: Vec<u32> = first
            .candidates
            .iter()
            .copied()
            .filter(|&c| {
                others
                    .iter()
                    .any(|&o| self.regions.contains(c, o) || self.regions.contains(o, c))
            })
            .collect();
        if in_context.len() == 1 {
            return Some(in_context[0]);
        }
        let wanted = match level? {
            Level::Province => RegionLevel::Province,
            Level::City => RegionLevel::City,
            Level::County => RegionLevel::County,
            Level::National => return None,
        };
        let at_level: Vec<u32> = first
            .candidates
            .iter()
            .copied()
            .filter(|&c| self.regions.get(c).map(|r| r.level) == Some(wanted))
            .collect();
        (at_level.len() == 1).then(|| at_level[0])
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
