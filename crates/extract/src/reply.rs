//! What extraction produces for one reply (答复): the fields a journalist cites and an analyst
//! filters on. Field names are those of `dafu extract`'s JSON output and of the golden file.

use serde::{Deserialize, Serialize};

use crate::commitments::Commitment;
use crate::paperwork::Contact;
use crate::topics::TopicScore;

/// Which assembly the proposal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// What kind of document a reply is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    /// The lead department's answer to the proposer (答复, 答复函).
    Reply,
    /// A co-handling department's opinion sent to the lead department (会办意见).
    CoHandling,
    /// An assisting department's opinion (协办意见, 协办意见的函).
    Assisting,
}

impl ReplyKind {
    pub const ALL: [ReplyKind; 3] = [
        ReplyKind::Reply,
        ReplyKind::CoHandling,
        ReplyKind::Assisting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReplyKind::Reply => "reply",
            ReplyKind::CoHandling => "co_handling",
            ReplyKind::Assisting => "assisting",
        }
    }

    pub fn parse(s: &str) -> Option<ReplyKind> {
        ReplyKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// The assembly session (届次) a proposal was made at: 十二届三次会议 is the 3rd meeting of the
/// 12th term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// 届: the term of the assembly.
    pub term: Option<u32>,
    /// 次: the plenary meeting within the term.
    pub meeting: Option<u32>,
    /// The session as written, from the term number to 会议 (八届人大五次会议).
    pub text: String,
}

impl Session {
    /// The key the index filters on: `12-3` for term 12, meeting 3.
    pub fn key(&self) -> Option<String> {
        Some(format!("{}-{}", self.term?, self.meeting?))
    }
}

/// Where the replying body sits in the administrative-division table. Codes are the six-digit
/// division codes as strings (`"330400"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionFields {
    pub province: Option<String>,
    pub province_code: Option<String>,
    pub city: Option<String>,
    pub city_code: Option<String>,
    pub county: Option<String>,
    pub county_code: Option<String>,
}

/// Every field extracted from a reply. Unknown is `None` or empty, never a guess.
///
/// Records stored by earlier versions lack the newer fields; they read back as unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReplyFields {
    /// The reply's own title (对…第N号建议的答复).
    pub title: Option<String>,
    /// The document number (文号) in canonical form, brackets as 〔〕: 吉民议字〔2020〕4号.
    pub doc_number: Option<String>,
    pub assembly: Option<Assembly>,
    pub level: Option<Level>,
    /// The session (届次) the proposal was made at.
    pub session: Option<Session>,
    /// The proposal's number as written in the title (leading zeros kept).
    pub proposal_number: Option<String>,
    /// The title of the proposal being answered, as quoted in 《》.
    pub proposal_title: Option<String>,
    /// The deputy or member answered (提案人/领衔代表), without 代表/委员; masked names as written.
    pub proposer: Option<String>,
    /// The issuing (signing) department, in canonical full form.
    pub department: Option<String>,
    /// Co-handling departments (会办/协办单位) named by the reply or its attachments.
    pub co_departments: Vec<String>,
    pub region: RegionFields,
    /// Signing date, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub year: Option<i32>,
    /// The best-scoring topic slug.
    pub primary_topic: Option<String>,
    /// Every topic the reply is tagged with, best first.
    pub topics: Vec<String>,
    /// The score of each topic in `topics`, same order.
    pub topic_scores: Vec<TopicScore>,
    /// Contact people (联系人) and their phone numbers.
    pub contacts: Vec<Contact>,
    /// Attachments (附件) by title.
    pub attachments: Vec<String>,
    /// The 抄送 list, as written.
    pub cc: Vec<String>,
    /// What the reply promises to do (承诺).
    pub commitments: Vec<Commitment>,
    /// Reply, co-handling opinion (会办意见) or assisting opinion (协办意见).
    pub reply_kind: Option<ReplyKind>,
    /// The handling class the reply prints (办理结果/答复类别 A, B, C or D).
    pub result_class: Option<String>,
    /// What extraction was unsure of (`region ambiguous: 鼓楼区`), for people to check.
    pub warnings: Vec<String>,
}
