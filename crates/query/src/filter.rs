//! Reply filters resolved against one segment's fast fields: each filter of a request, the
//! dimension it belongs to (for disjunctive facet counts), and whether a document passes it.
//! The search collector ([`crate::collector`]) and the analytics ([`crate::stats`]) share them.

use tantivy::DocId;
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FastFieldReaders;

use dafu_extract::region::RegionLevel;
use dafu_index::schema::names;

use crate::request::{DateRange, SearchRequest, YearRange};

/// Filter dimensions (a reply fails or passes each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dim {
    Region,
    Year,
    Topic,
    Department,
    Assembly,
    Level,
    ReplyKind,
    ResultClass,
    ProposalNumber,
    Session,
    HasCommitments,
    Strength,
    HasQuantity,
}

/// A string filter resolved to the ordinals of one segment's column.
pub(crate) struct StrFilter {
    column: Option<StrColumn>,
    allowed: Vec<u64>,
}

impl StrFilter {
    fn new(
        column: Option<StrColumn>,
        values: impl IntoIterator<Item = String>,
    ) -> tantivy::Result<Self> {
        let mut allowed = Vec::new();
        if let Some(c) = &column {
            for v in values {
                if let Some(ord) = c.dictionary().term_ord(v.as_bytes())? {
                    allowed.push(ord);
                }
            }
        }
        Ok(StrFilter { column, allowed })
    }

    fn passes(&self, doc: DocId) -> bool {
        match &self.column {
            Some(c) => c.term_ords(doc).any(|o| self.allowed.contains(&o)),
            None => false,
        }
    }
}

/// A place selected by its division code: its name at its level, inside its city and
/// province (each a filter that must pass too).
pub(crate) struct PinnedPlace {
    place: StrFilter,
    within: Vec<StrFilter>,
}

pub(crate) enum Filter {
    /// Province, city and county filters by name, and places selected by their code (pinned
    /// to their city and province); passing any one passes the region dimension.
    Region {
        names: Vec<StrFilter>,
        pinned: Vec<PinnedPlace>,
    },
    Str(StrFilter),
    /// The year dimension: the `year` and the signing-date filters, both to pass.
    When {
        years: Column<u64>,
        year: Vec<YearRange>,
        dates: Column<u64>,
        date: Option<DateRange>,
    },
    /// Whether a count column is above zero (`true`) or zero (`false`).
    NonZero(Column<u64>, bool),
}

impl Filter {
    /// Whether `doc` passes this filter.
    pub(crate) fn passes(&self, doc: DocId) -> bool {
        match self {
            Filter::Region { names, pinned } => {
                names.iter().any(|f| f.passes(doc))
                    || pinned
                        .iter()
                        .any(|p| p.place.passes(doc) && p.within.iter().all(|w| w.passes(doc)))
            }
            Filter::Str(f) => f.passes(doc),
            Filter::When {
                years,
                year,
                dates,
                date,
            } => {
                (year.is_empty()
                    || years.first(doc).is_some_and(|y| {
                        year.iter()
                            .any(|range| (range.from..=range.to).contains(&y))
                    }))
                    && date.is_none_or(|range| range.contains(dates.first(doc).unwrap_or(0)))
            }
            Filter::NonZero(col, wanted) => (col.first(doc).unwrap_or(0) > 0) == *wanted,
        }
    }
}

/// Every filter of `r`, resolved against one segment's fast fields, with its dimension.
pub(crate) fn filters(
    r: &SearchRequest,
    ff: &FastFieldReaders,
) -> tantivy::Result<Vec<(Dim, Filter)>> {
    let mut filters = Vec::new();
    if !r.region.is_empty() {
        let field_of = |level| match level {
            RegionLevel::Province => names::PROVINCE,
            RegionLevel::City => names::CITY,
            RegionLevel::County => names::COUNTY,
        };
        let mut by_name = Vec::new();
        for level in [
            RegionLevel::Province,
            RegionLevel::City,
            RegionLevel::County,
        ] {
            let values = r
                .region
                .iter()
                .filter(|s| s.level == level && s.within.is_empty())
                .map(|s| s.name.clone());
            by_name.push(StrFilter::new(ff.str(field_of(level))?, values)?);
        }
        let mut pinned = Vec::new();
        for s in r.region.iter().filter(|s| !s.within.is_empty()) {
            let mut within = Vec::new();
            for (level, name) in &s.within {
                within.push(StrFilter::new(ff.str(field_of(*level))?, [name.clone()])?);
            }
            pinned.push(PinnedPlace {
                place: StrFilter::new(ff.str(field_of(s.level))?, [s.name.clone()])?,
                within,
            });
        }
        filters.push((
            Dim::Region,
            Filter::Region {
                names: by_name,
                pinned,
            },
        ));
    }
    if !r.year.is_empty() || r.date.is_some() {
        filters.push((
            Dim::Year,
            Filter::When {
                years: ff.u64(names::YEAR)?,
                year: r.year.clone(),
                dates: ff.u64(names::DATE)?,
                date: r.date,
            },
        ));
    }
    if let Some(wanted) = r.has_commitments {
        filters.push((
            Dim::HasCommitments,
            Filter::NonZero(ff.u64(names::COMMITMENT_COUNT)?, wanted),
        ));
    }
    let str_filters = [
        (Dim::Topic, names::TOPIC, r.topic.clone()),
        (Dim::Department, names::DEPARTMENT, r.department.clone()),
        (
            Dim::Assembly,
            names::ASSEMBLY,
            r.assembly.iter().map(|a| a.as_str().to_string()).collect(),
        ),
        (
            Dim::Level,
            names::LEVEL,
            r.level.iter().map(|l| l.as_str().to_string()).collect(),
        ),
        (
            Dim::ReplyKind,
            names::REPLY_KIND,
            r.reply_kind
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
        ),
        (
            Dim::ResultClass,
            names::RESULT_CLASS,
            r.result_class.clone(),
        ),
        (
            Dim::ProposalNumber,
            names::PROPOSAL_NUMBER,
            r.proposal_number.clone(),
        ),
        (Dim::Session, names::SESSION, r.session.clone()),
        (
            Dim::Strength,
            names::STRENGTH,
            r.strength.iter().map(|s| s.as_str().to_string()).collect(),
        ),
        (
            Dim::HasQuantity,
            names::HAS_QUANTITY,
            r.has_quantity.iter().map(|b| b.to_string()).collect(),
        ),
    ];
    for (dim, field, values) in str_filters {
        if !values.is_empty() {
            filters.push((dim, Filter::Str(StrFilter::new(ff.str(field)?, values)?)));
        }
    }
    Ok(filters)
}

/// Whether `doc` passes every filter (what a hit is, without the facets' disjunction).
pub(crate) fn passes_all(filters: &[(Dim, Filter)], doc: DocId) -> bool {
    filters.iter().all(|(_, f)| f.passes(doc))
}
