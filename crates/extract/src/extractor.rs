//! The extractor: one reply's text in, its [`ReplyFields`] out.

use std::sync::LazyLock;

use regex::Regex;

use crate::abbreviations::DocAbbreviations;
use crate::commitments::find_commitments;
use crate::date::parse_date_line;
use crate::department::{self, DepartmentAliases};
use crate::doc_number::find_doc_number;
use crate::error::ExtractError;
use crate::paperwork;
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

/// A section heading: 一、…, （二）…, 三是… on a short line of its own.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])[^。]{2,40}$")
        .unwrap_or_else(|e| panic!("heading pattern: {e}"))
});

/// A handling class stated with its label: 办理结果：A, 答复类别：B类, 办理类别为C.
static RESULT_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:办理结果|答复类别|办理类别|答复类型|办复类别|结果类别|答复结果)\s*(?:[：:]|为|是)?\s*[（(]?\s*([ABCDＡＢＣＤ])(?:\s*类)?(?:$|[^A-Za-z])",
    )
    .unwrap_or_else(|e| panic!("result class pattern: {e}"))
});

/// A header line that is nothing but a class mark: A, （B类）, C类.
static RESULT_CLASS_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?\s*([ABCDＡＢＣＤ])\s*类?\s*[）)]?$")
        .unwrap_or_else(|e| panic!("result class mark pattern: {e}"))
});

/// Extracts [`ReplyFields`] from reply text, with the region table and topic rules it was
/// built with.
#[derive(Debug, Clone)]
pub struct Extractor {
    regions: &'static RegionTable,
    aliases: &'static DepartmentAliases,
    abbreviations: &'static DocAbbreviations,
    topics: TopicRules,
}

impl Extractor {
    /// An extractor over `regions` and `topics`, with the compiled-in department aliases and
    /// document-number abbreviations.
    pub fn new(regions: &'static RegionTable, topics: TopicRules) -> Self {
        Extractor {
            regions,
            aliases: DepartmentAliases::embedded(),
            abbreviations: DocAbbreviations::embedded(),
            topics,
        }
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
        let mut warnings = Vec::new();
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
            .collect();
        let header: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].is_empty())
            .take(HEADER_LINES)
            .collect();

        let title_at = header.iter().position(|&i| title::is_title_line(lines[i]));
        let (written_title, title_end) = match title_at {
            Some(pos) => {
                // A title wrapped before its 第N号 keeps its head on the line above.
                let head = pos
                    .checked_sub(1)
                    .map(|p| lines[header[p]])
                    .filter(|l| title::is_title_head(l) && find_doc_number(l).is_none());
                let mut t = head.unwrap_or_default().to_string();
                t.push_str(lines[header[pos]]);
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
            None => {
                warnings.push("title not found".to_string());
                (None, 0)
            }
        };
        // A 文号 in parentheses after the title belongs to the header, not the title.
        let (title, number_in_title) = match written_title.as_deref() {
            Some(t) => {
                let (t, n) = title::split_doc_number(t);
                (Some(t.to_string()), n)
            }
            None => (None, None),
        };

        let doc_number = header
            .iter()
            .filter(|&&i| i <= title_end + 1)
            .find_map(|&i| find_doc_number(lines[i]))
            .or(number_in_title);

        let date_at = (title_end..lines.len()).find(|&i| parse_date_line(lines[i]).is_some());
        let date = date_at.and_then(|i| parse_date_line(lines[i]));
        if date.is_none() {
            warnings.push("signing date not found".to_string());
        }

        let issuer = header
            .first()
            .and_then(|&i| department::from_issuer_line(lines[i]));
        let written_department = date_at
            .and_then(|i| department::from_signature(&lines, i))
            .or(issuer)
            .or_else(|| title.as_deref().and_then(department::from_title));

        let assembly = title.as_deref().and_then(title::assembly);
        let tier = title.as_deref().and_then(title::tier);
        let session = title.as_deref().and_then(title::session);
        let reply_kind = title.as_deref().and_then(title::reply_kind);
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
        let abbreviated = doc_number
            .as_deref()
            .and_then(|n| self.abbreviated_place(n, tier.as_ref(), written_department.as_deref()));
        let hints: Vec<u32> = named_place.into_iter().chain(abbreviated).collect();
        let region_code = written_department
            .as_deref()
            .and_then(|d| self.resolve_region(d, stated_level, &hints, &mut warnings))
            .or(named_place)
            .or(abbreviated);
        if region_code.is_none() && stated_level != Some(Level::National) {
            warnings.push("region not found".to_string());
        }
        // 市人大 is a municipality's (province tier), a prefecture city's or a county-level
        // city's assembly: the replying body's place decides which.
        let level = match (&tier, named_place, region_code) {
            (Some(t), None, Some(code)) if t.by_shi => Some(self.tier_of_shi(code, t.level)),
            _ => stated_level,
        };
        let region = region_code
            .map(|c| self.region_fields(c))
            .unwrap_or_default();
        let department = written_department
            .as_deref()
            .map(|d| self.aliases.canonical(d, self.regions, region_code));
        if department.is_none() {
            warnings.push("department not found".to_string());
        }
        let mut co_departments: Vec<String> = Vec::new();
        for mention in paperwork::co_handling_mentions(text) {
            let name = self.aliases.canonical(&mention, self.regions, region_code);
            if Some(&name) != department.as_ref() && !co_departments.contains(&name) {
                co_departments.push(name);
            }
        }
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
        let headings: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| HEADING.is_match(l))
            .collect();
        let scores = self.topics.classify(&titles, &headings, text);
        let commitments = find_commitments(text, date, department.as_deref());

        ReplyFields {
            title,
            doc_number,
            assembly,
            level,
            session,
            proposal_number,
            proposal_title,
            proposer: paperwork::proposer(text),
            department,
            co_departments,
            region,
            date: date.map(|d| d.iso()),
            year,
            primary_topic: scores.first().map(|s| s.slug.clone()),
            topics: scores.iter().map(|s| s.slug.clone()).collect(),
            topic_scores: scores,
            contacts: paperwork::contacts(text),
            attachments: paperwork::attachments(text),
            cc: paperwork::cc(text),
            commitments,
            reply_kind,
            result_class: result_class(text, &lines, &header),
            warnings,
        }
    }

    /// The place the head of a 文号's issuer code stands for (吉 in 吉民议字), when the
    /// reply's tier and the places its department names leave exactly one candidate.
    fn abbreviated_place(
        &self,
        doc_number: &str,
        tier: Option<&title::TierMention>,
        department: Option<&str>,
    ) -> Option<u32> {
        let t = self.regions;
        let mut candidates = self.abbreviations.candidates(doc_number);
        if candidates.len() > 1
            && let Some(tier) = tier
        {
            candidates.retain(|&c| match (t.get(c), tier.level) {
                (Some(r), Level::Province) => r.level == RegionLevel::Province,
                // 市人大 may be a municipality's.
                (Some(r), Level::City) if tier.by_shi => {
                    r.level == RegionLevel::City
                        || (r.level == RegionLevel::Province && r.name.ends_with('市'))
                }
                (Some(r), Level::City) => r.level == RegionLevel::City,
                _ => true,
            });
        }
        // It must agree with every place the department's name makes certain.
        let named: Vec<u32> = department
            .map(|d| t.find_in(d))
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.candidates.len() == 1)
            .map(|m| m.candidates[0])
            .collect();
        candidates.retain(|&c| named.iter().all(|&n| t.contains(c, n) || t.contains(n, c)));
        match candidates.as_slice() {
            [one] => Some(*one),
            _ => None,
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
    /// 重庆市五届人大…, 嘉善县人大常委会…, 政协徐州市鼓楼区… (full official names, each inside
    /// the one before, the first unambiguous): the most specific of them.
    fn assembly_place(&self, title: &str) -> Option<u32> {
        let t = self.regions;
        let mentions = t.find_in(title);
        let mut i = 0;
        while i < mentions.len() {
            let first = &mentions[i];
            let opens =
                title[..first.start].ends_with("政协") || title[..first.start].ends_with("人大");
            let mut current =
                (first.full_name && first.candidates.len() == 1).then(|| first.candidates[0]);
            let mut end = first.end;
            let mut j = i + 1;
            // Names written one after another, each inside the one before.
            while let (Some(cur), Some(next)) = (current, mentions.get(j)) {
                if next.start != end || !next.full_name {
                    break;
                }
                let inside: Vec<u32> = next
                    .candidates
                    .iter()
                    .copied()
                    .filter(|&c| c != cur && t.contains(cur, c))
                    .collect();
                let [one] = inside.as_slice() else { break };
                current = Some(*one);
                end = next.end;
                j += 1;
            }
            if let Some(code) = current
                && (opens || ASSEMBLY_AFTER.is_match(&title[end..]))
            {
                return Some(code);
            }
            i = j;
        }
        None
    }

    /// The division a department's name places it in: the most specific name written, each
    /// inside the one before (重庆市九龙坡区科学技术局 is the district, 吉林省民政厅 the province and
    /// not the city 吉林市). An ambiguous name (鼓楼区民政局) is resolved by an enclosing name
    /// written before it, a name inside it written after it, or the tier the title states;
    /// otherwise the reply's region stops at what is certain.
    fn resolve_region(
        &self,
        department: &str,
        level: Option<Level>,
        hints: &[u32],
        warnings: &mut Vec<String>,
    ) -> Option<u32> {
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
            if candidates.len() > 1 {
                // The assembly named in the title or the 文号's place abbreviation.
                let hinted: Vec<u32> = candidates
                    .iter()
                    .copied()
                    .filter(|&c| hints.iter().any(|&h| t.contains(h, c) || t.contains(c, h)))
                    .collect();
                if !hinted.is_empty() {
                    candidates = hinted;
                }
            }
            match candidates.as_slice() {
                [one] => current = Some(*one),
                [] => continue,
                _ => {
                    warnings.push(format!(
                        "region ambiguous: {}",
                        department.get(m.start..m.end).unwrap_or_default()
                    ));
                    break;
                }
            }
        }
        current
    }

    /// The reply's region as the API shows it, with codes.
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

/// The handling class (办理结果 A/B/C/D) a reply prints: with its label anywhere, or as a bare
/// mark (（A类）) among the header lines.
fn result_class(text: &str, lines: &[&str], header: &[usize]) -> Option<String> {
    let found = RESULT_CLASS
        .captures(text)
        .or_else(|| {
            header
                .iter()
                .find_map(|&i| RESULT_CLASS_MARK.captures(lines[i]))
        })?
        .get(1)?
        .as_str()
        .chars()
        .next()?;
    let class = crate::normalize::fold_char(found).to_ascii_uppercase();
    Some(class.to_string())
}
