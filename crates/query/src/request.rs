//! A validated search request: the query, the filters, sorting and paging.
//!
//! Requests arrive as strings (URL parameters or JSON); [`SearchParams::validate`] turns them
//! into a [`SearchRequest`] or a [`QueryError`] that names the parameter and what would work.

use serde::Deserialize;

use dafu_extract::commitments::Strength;
use dafu_extract::region::RegionTable;
use dafu_extract::title::session_key;
use dafu_extract::topics::TopicRules;
use dafu_extract::{Assembly, Level, ReplyKind};
use dafu_index::schema::proposal_number_key;

use crate::cursor::{self, Position};
pub use crate::date_filter::DateRange;
use crate::date_filter::date_range;
use crate::error::QueryError;
use crate::query_text::{ParsedQuery, parse};
pub use crate::region_filter::RegionSelection;
use crate::region_filter::region_selection;
pub use crate::shaped_facets::RegionTreeView;
pub use crate::year_filter::{YearRange, parse_year_list, parse_years};

/// Largest page.
pub const MAX_LIMIT: usize = 100;
/// Default page size.
pub const DEFAULT_LIMIT: usize = 10;
/// Deepest offset + limit served (deeper paging needs a narrower query).
pub const MAX_WINDOW: usize = 10_000;
/// Most values in one multi-select filter.
pub const MAX_FILTER_VALUES: usize = 50;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (newest first among equal scores).
    #[default]
    Relevance,
    /// Newest signing date first.
    Date,
    /// Oldest signing date first.
    DateAsc,
}

/// What a search returns: replies (`/api/search`) or commitments (`/api/commitments`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    #[default]
    Replies,
    Commitments,
}

/// A validated search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchRequest {
    pub target: Target,
    pub query: ParsedQuery,
    pub region: Vec<RegionSelection>,
    /// Years and spans of years (`2018,2020..2021`); a reply in any of them passes.
    pub year: Vec<YearRange>,
    /// Signing dates (`date_from`, `date_to`); part of the year dimension.
    pub date: Option<DateRange>,
    pub topic: Vec<String>,
    pub department: Vec<String>,
    pub assembly: Vec<Assembly>,
    pub level: Vec<Level>,
    pub reply_kind: Vec<ReplyKind>,
    /// Handling classes A–D.
    pub result_class: Vec<String>,
    /// Proposal numbers without leading zeros.
    pub proposal_number: Vec<String>,
    /// Sessions as `term-meeting` keys (12-3).
    pub session: Vec<String>,
    /// Replies with (true) or without (false) commitments; replies only.
    pub has_commitments: Option<bool>,
    /// Commitment strengths; commitments only.
    pub strength: Vec<Strength>,
    /// Commitments that state a quantity (true) or not (false); commitments only.
    pub has_quantity: Option<bool>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// Resume after this hit (cursor paging, see [`crate::cursor`]); `offset` is then 0.
    pub cursor: Option<Position>,
    /// Add each hit's score explanation.
    pub explain: bool,
    /// Count the facets, the region tree and the year histogram (`facets=false`: none of
    /// them, for callers that only want hits or a total).
    pub facets: bool,
    /// Mark the query's words in each hit (`highlight=false`: hits without fragments).
    pub highlight: bool,
    /// How much of the region tree to write (`region_tree`, `region_open`); the counting is
    /// the same either way.
    pub region_tree: RegionTreeView,
}

/// A list parameter: `"浙江省,江苏省"` or `["浙江省", "江苏省"]`.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn values(&self) -> Vec<String> {
        let split = |s: &str| -> Vec<String> {
            s.split([',', '，', '、'])
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect()
        };
        match self {
            OneOrMany::One(s) => split(s),
            OneOrMany::Many(v) => v.iter().flat_map(|s| split(s)).collect(),
        }
    }
}

/// A number parameter as JSON (`10`) or text (`"10"`, which is what URLs carry).
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum NumberOrText {
    Number(i64),
    Text(String),
}

/// A yes/no parameter as JSON (`true`) or text (`"true"`, `"1"`, `"yes"`).
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Text(String),
}

fn flag(name: &str, value: &Option<Flag>) -> Result<Option<bool>, QueryError> {
    match value {
        None => Ok(None),
        Some(Flag::Bool(b)) => Ok(Some(*b)),
        Some(Flag::Text(t)) => match t.trim() {
            "" => Ok(None),
            "true" | "1" | "yes" => Ok(Some(true)),
            "false" | "0" | "no" => Ok(Some(false)),
            other => Err(QueryError::invalid(
                name,
                format!("{other:?} is not true or false"),
            )),
        },
    }
}

/// The raw parameters of a search, as the HTTP layer receives them (query string or JSON).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    pub q: Option<String>,
    pub region: Option<OneOrMany>,
    pub year: Option<NumberOrText>,
    pub topic: Option<OneOrMany>,
    pub department: Option<OneOrMany>,
    pub assembly: Option<OneOrMany>,
    pub level: Option<OneOrMany>,
    pub reply_kind: Option<OneOrMany>,
    pub result_class: Option<OneOrMany>,
    pub proposal_number: Option<OneOrMany>,
    pub session: Option<OneOrMany>,
    pub has_commitments: Option<Flag>,
    pub strength: Option<OneOrMany>,
    pub has_quantity: Option<Flag>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// Dimensions of `/api/stats`; refused by the searches.
    pub group_by: Option<OneOrMany>,
    pub sort: Option<String>,
    pub limit: Option<NumberOrText>,
    pub offset: Option<NumberOrText>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub explain: Option<Flag>,
    /// `false`: no facets, region tree or year histogram (default `true`).
    pub facets: Option<Flag>,
    /// `false`: hits without highlighted fragments (default `true`).
    pub highlight: Option<Flag>,
    /// `full` (default): the region tree down to the counties; `folded`: the provinces, and
    /// below them the children of the `region_open` nodes, of the places the `region` filter
    /// selects and of the nodes above them (a node with unlisted children says `"folded": true`).
    pub region_tree: Option<String>,
    /// With `region_tree=folded`: the provinces and cities whose children to list, by
    /// division code (330400) or full name (嘉兴市).
    pub region_open: Option<OneOrMany>,
}

fn number(name: &str, value: &Option<NumberOrText>, default: usize) -> Result<usize, QueryError> {
    let n = match value {
        None => return Ok(default),
        Some(NumberOrText::Number(n)) => *n,
        Some(NumberOrText::Text(t)) => t
            .trim()
            .parse::<i64>()
            .map_err(|_| QueryError::invalid(name, format!("{t:?} is not a whole number")))?,
    };
    usize::try_from(n).map_err(|_| QueryError::invalid(name, format!("{n} is negative")))
}

fn list(name: &str, value: &Option<OneOrMany>) -> Result<Vec<String>, QueryError> {
    let values = value.as_ref().map(OneOrMany::values).unwrap_or_default();
    if values.len() > MAX_FILTER_VALUES {
        return Err(QueryError::invalid(
            name,
            format!("at most {MAX_FILTER_VALUES} values"),
        ));
    }
    Ok(values)
}

impl SearchParams {
    /// `region_tree` and `region_open`: `region_open` without a folded tree is refused (the
    /// full tree has every node open already).
    fn region_tree_view(&self) -> Result<RegionTreeView, QueryError> {
        let open = list("region_open", &self.region_open)?;
        match self.region_tree.as_deref().map(str::trim).unwrap_or("") {
            "folded" => Ok(RegionTreeView::Folded { open }),
            "" | "full" if open.is_empty() => Ok(RegionTreeView::Full),
            "" | "full" => Err(QueryError::invalid(
                "region_open",
                "opens nodes of a folded tree; add region_tree=folded",
            )),
            other => Err(QueryError::invalid(
                "region_tree",
                format!("{other:?} is not full or folded"),
            )),
        }
    }

    /// Checks every parameter of a reply search against the region table and the topic
    /// taxonomy.
    pub fn validate(
        &self,
        regions: &RegionTable,
        topics: &TopicRules,
    ) -> Result<SearchRequest, QueryError> {
        self.validate_for(Target::Replies, regions, topics)
    }

    /// Checks every parameter of a search for `target`.
    pub fn validate_for(
        &self,
        target: Target,
        regions: &RegionTable,
        topics: &TopicRules,
    ) -> Result<SearchRequest, QueryError> {
        let only = |name: &str, allowed: Target, set: bool| {
            if set && target != allowed {
                let endpoint = match allowed {
                    Target::Replies => "/api/search",
                    Target::Commitments => "/api/commitments",
                };
                Err(QueryError::invalid(
                    name,
                    format!("filters {endpoint} only"),
                ))
            } else {
                Ok(())
            }
        };
        if self.group_by.is_some() {
            return Err(QueryError::invalid(
                "group_by",
                "groups /api/stats only; a search has facets instead",
            ));
        }
        only(
            "has_commitments",
            Target::Replies,
            self.has_commitments.is_some(),
        )?;
        only("strength", Target::Commitments, self.strength.is_some())?;
        only(
            "has_quantity",
            Target::Commitments,
            self.has_quantity.is_some(),
        )?;
        let strength = list("strength", &self.strength)?
            .iter()
            .map(|s| {
                Strength::parse(s).ok_or_else(|| {
                    QueryError::invalid("strength", format!("{s:?} is not firm or tentative"))
                })
            })
            .collect::<Result<_, _>>()?;
        let query = parse(self.q.as_deref().unwrap_or(""))?;
        // The scopes look in a reply's own fields (titles, 文号, names), which commitment
        // documents do not have: a scoped word could only ever match nothing (and, excluded,
        // exclude nothing).
        if target == Target::Commitments
            && let Some(leaf) = query.root.first_scoped()
            && let Some(scope) = leaf.scope
        {
            return Err(QueryError::InvalidQuery {
                message: format!(
                    "`{}:` looks in a reply's fields (/api/search); a commitment search looks in \
                     the commitments' own text: narrow it with filters such as department=",
                    scope.name()
                ),
                position: leaf.position,
            });
        }
        let region = list("region", &self.region)?
            .iter()
            .map(|name| region_selection(regions, name))
            .collect::<Result<Vec<_>, _>>()?;
        let year = match &self.year {
            None => Vec::new(),
            Some(NumberOrText::Number(n)) => vec![parse_years(&n.to_string())?],
            Some(NumberOrText::Text(t)) => parse_year_list(t)?,
        };
        let topic = list("topic", &self.topic)?;
        if let Some(bad) = topic.iter().find(|t| topics.get(t).is_none()) {
            let known: Vec<&str> = topics.topics().iter().map(|t| t.slug.as_str()).collect();
            return Err(QueryError::invalid(
                "topic",
                format!("unknown topic {bad:?}; known: {}", known.join(", ")),
            ));
        }
        let assembly = list("assembly", &self.assembly)?
            .iter()
            .map(|a| {
                Assembly::parse(a).ok_or_else(|| {
                    QueryError::invalid(
                        "assembly",
                        format!("{a:?} is not npc (人大) or cppcc (政协)"),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let level = list("level", &self.level)?
            .iter()
            .map(|l| {
                Level::parse(l).ok_or_else(|| {
                    QueryError::invalid(
                        "level",
                        format!("{l:?} is not national, province, city or county"),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let reply_kind = list("reply_kind", &self.reply_kind)?
            .iter()
            .map(|k| {
                ReplyKind::parse(k).ok_or_else(|| {
                    QueryError::invalid(
                        "reply_kind",
                        format!("{k:?} is not reply, co_handling (会办) or assisting (协办)"),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let result_class = list("result_class", &self.result_class)?
            .iter()
            .map(|c| {
                match c
                    .trim()
                    .trim_end_matches('类')
                    .to_ascii_uppercase()
                    .as_str()
                {
                    class @ ("A" | "B" | "C" | "D") => Ok(class.to_string()),
                    _ => Err(QueryError::invalid(
                        "result_class",
                        format!("{c:?} is not a handling class A, B, C or D"),
                    )),
                }
            })
            .collect::<Result<_, _>>()?;
        let proposal_number = list("proposal_number", &self.proposal_number)?
            .iter()
            .map(|n| {
                let digits = n.trim().trim_start_matches('第').trim_end_matches('号');
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(proposal_number_key(digits))
                } else {
                    Err(QueryError::invalid(
                        "proposal_number",
                        format!("{n:?} is not a proposal number such as 196 or 0487"),
                    ))
                }
            })
            .collect::<Result<_, _>>()?;
        let session = list("session", &self.session)?
            .iter()
            .map(|s| {
                session_key(s).ok_or_else(|| {
                    QueryError::invalid(
                        "session",
                        format!(
                            "{s:?} is not a session; use 12-3 or 十二届三次 (term and meeting)"
                        ),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("") | Some("relevance") => Sort::Relevance,
            Some("date") | Some("date_desc") => Sort::Date,
            Some("date_asc") => Sort::DateAsc,
            Some(other) => {
                return Err(QueryError::invalid(
                    "sort",
                    format!("{other:?} is not relevance, date or date_asc"),
                ));
            }
        };
        let limit = number("limit", &self.limit, DEFAULT_LIMIT)?;
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(QueryError::invalid(
                "limit",
                format!("{limit} is not between 1 and {MAX_LIMIT}"),
            ));
        }
        let offset = number("offset", &self.offset, 0)?;
        if offset.saturating_add(limit) > MAX_WINDOW {
            return Err(QueryError::invalid(
                "offset",
                format!("offset + limit may not exceed {MAX_WINDOW}; narrow the query instead"),
            ));
        }
        let cursor_text = self
            .cursor
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if cursor_text.is_some() {
            if target != Target::Replies {
                return Err(QueryError::invalid(
                    "cursor",
                    "pages /api/search only; page /api/commitments with offset",
                ));
            }
            if offset != 0 {
                return Err(QueryError::invalid(
                    "cursor",
                    "a cursor already says where the page starts; drop offset",
                ));
            }
        }
        let mut request = SearchRequest {
            target,
            has_commitments: flag("has_commitments", &self.has_commitments)?,
            strength,
            has_quantity: flag("has_quantity", &self.has_quantity)?,
            query,
            region,
            year,
            date: date_range(&self.date_from, &self.date_to)?,
            topic,
            department: list("department", &self.department)?,
            assembly,
            level,
            reply_kind,
            result_class,
            proposal_number,
            session,
            sort,
            limit,
            offset,
            cursor: None,
            explain: flag("explain", &self.explain)?.unwrap_or(false),
            facets: flag("facets", &self.facets)?.unwrap_or(true),
            highlight: flag("highlight", &self.highlight)?.unwrap_or(true),
            region_tree: self.region_tree_view()?,
        };
        if let Some(text) = cursor_text {
            request.cursor = Some(cursor::decode(text, &request)?);
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(p: SearchParams) -> Result<SearchRequest, QueryError> {
        let topics = TopicRules::embedded().map_err(|e| QueryError::Corrupt(e.to_string()))?;
        p.validate(RegionTable::embedded(), &topics)
    }

    fn text(s: &str) -> Option<NumberOrText> {
        Some(NumberOrText::Text(s.into()))
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let cases = [
            SearchParams {
                limit: text("101"),
                ..Default::default()
            },
            SearchParams {
                limit: text("0"),
                ..Default::default()
            },
            SearchParams {
                limit: text("ten"),
                ..Default::default()
            },
            SearchParams {
                offset: text("-1"),
                ..Default::default()
            },
            SearchParams {
                offset: text("99999"),
                ..Default::default()
            },
            SearchParams {
                year: text("20x0"),
                ..Default::default()
            },
            SearchParams {
                topic: Some(OneOrMany::One("astrology".into())),
                ..Default::default()
            },
            SearchParams {
                assembly: Some(OneOrMany::One("senate".into())),
                ..Default::default()
            },
            SearchParams {
                sort: Some("random".into()),
                ..Default::default()
            },
        ];
        let expected = [
            "limit", "limit", "limit", "offset", "offset", "year", "topic", "assembly", "sort",
        ];
        for (p, name) in cases.into_iter().zip(expected) {
            match validate(p) {
                Err(QueryError::InvalidParameter { parameter, .. }) => assert_eq!(parameter, name),
                other => panic!("{name}: {other:?}"),
            }
        }
    }
}
