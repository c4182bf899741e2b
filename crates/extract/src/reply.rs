//! What extraction produces for one reply (答复): the fields a journalist cites and an analyst
//! filters on. Field names are those of `dafu extract`'s JSON output and of the golden file.

use serde::{Deserialize, Serialize};

/// Which assembly the proposal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Assembly {
    /// 人民代表大会: deputies' suggestions (代表建议) and motions (议案).
    Npc,
    /// 政治协商会议: members' proposals (委员提案).
    Cppcc,
}

impl Assembly {
    pub const ALL: [Assembly; 2] = [Assembly::Npc, Assembly::Cppcc];

    pub fn as_str(self) -> &'static str {
        match self {
            Assembly::Npc => "npc",
            Assembly::Cppcc => "cppcc",
        }
    }

    /// The Chinese short name: 人大 or 政协.
    pub fn label(self) -> &'static str {
        match self {
            Assembly::Npc => "人大",
            Assembly::Cppcc => "政协",
        }
    }

    /// Accepts `npc`/`cppcc` and the Chinese names 人大/政协.
    pub fn parse(s: &str) -> Option<Assembly> {
        match s.trim() {
            "npc" | "人大" => Some(Assembly::Npc),
            "cppcc" | "政协" => Some(Assembly::Cppcc),
            _ => None,
        }
    }
}

/// The tier of the assembly the proposal was made to (and so of the replying body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// 全国人大 / 全国政协, answered by ministries.
    National,
    Province,
    City,
    County,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::National, Level::Province, Level::City, Level::County];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }
}

/// Where the replying body sits in the administrative-division table. Codes are the six-digit
/// division codes as strings (`"330400"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionFields {
    pub province: Option<String>,
    pub province_code: Option<String>,
    pub city: Option<String>,
    pub city_code: Option<String>,
    pub county: Option<String>,
    pub county_code: Option<String>,
}

/// Every field extracted from a reply. Unknown is `None` or empty, never a guess.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplyFields {
    /// The reply's own title (对…第N号建议的答复).
    pub title: Option<String>,
    /// The document number (文号) in canonical form, brackets as 〔〕: 吉民议字〔2020〕4号.
    pub doc_number: Option<String>,
    pub assembly: Option<Assembly>,
    pub level: Option<Level>,
    /// The proposal's number as written in the title (leading zeros kept).
    pub proposal_number: Option<String>,
    /// The title of the proposal being answered, as quoted in 《》.
    pub proposal_title: Option<String>,
    /// The issuing (signing) department.
    pub department: Option<String>,
    pub region: RegionFields,
    /// Signing date, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub year: Option<i32>,
    /// The best-scoring topic slug.
    pub primary_topic: Option<String>,
    /// Every topic the reply is tagged with, best first.
    pub topics: Vec<String>,
}
