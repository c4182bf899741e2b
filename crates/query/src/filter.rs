//! Reply filters resolved against one segment's fast fields: each filter of a request, the
//! dimension it belongs to (for disjunctive facet counts), and whether a document passes it.
//! The search collector ([`crate::collector`]) and the analytics ([`crate::stats`]) share them;
//! the collector's filters of the coded facets test the facet codes instead
//! ([`crate::facet_codes::Allowed`]).

use std::sync::Arc;

use tantivy::DocId;
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FastFieldReaders;

use dafu_extract::region::RegionLevel;
use dafu_index::schema::names;

use crate::facet_codes::{Allowed, Facet, FacetCodes, RegionPath, SegmentCodes};
use crate::region_filter::RegionSelection;
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

/// A filter of a coded facet tested on the segment's facet codes: passed by the documents
/// whose code is allowed.
pub(crate) struct CodeFilter {
    codes: Arc<SegmentCodes>,
    facet: Facet,
    allowed: Allowed,
}

impl CodeFilter {
    fn passes(&self, doc: DocId) -> bool {
        let code = self.codes.code(doc, self.facet);
        self.allowed.get(code as usize).copied().unwrap_or(false)
    }
}

/// The engine's facet dictionaries and a segment's codes, for filters to be tested on codes.
pub(crate) type Coded<'a> = (&'a FacetCodes, &'a Arc<SegmentCodes>);

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
    /// A filter of a coded facet (any of the above but the count columns, the signing dates,
    /// 提案号 and the session), tested on the facet codes.
    Coded(CodeFilter),
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
            Filter::Coded(f) => f.passes(doc),
        }
    }
}

/// Whether a region path lies in one of the places `selected` (at the place's level, and in
/// the places a selection by code pins it to).
fn path_selected(path: &RegionPath, selected: &[RegionSelection]) -> bool {
    let on_path = |level: RegionLevel, name: &str| {
        let at = match level {
            RegionLevel::Province => 0,
            RegionLevel::City => 1,
            RegionLevel::County => 2,
        };
        path.get(at).and_then(|v| v.as_deref()) == Some(name)
    };
    selected.iter().any(|s| {
        on_path(s.level, &s.name) && s.within.iter().all(|(level, name)| on_path(*level, name))
    })
}

/// The facet a string filter's dimension is coded as, if it is.
fn coded_facet(dim: Dim) -> Option<Facet> {
    Some(match dim {
        Dim::Topic => Facet::Topic,
        Dim::Department => Facet::Department,
        Dim::Assembly => Facet::Assembly,
        Dim::Level => Facet::Level,
        Dim::ReplyKind => Facet::ReplyKind,
        Dim::ResultClass => Facet::ResultClass,
        Dim::Strength => Facet::Strength,
        Dim::HasQuantity => Facet::HasQuantity,
        _ => return None,
    })
}

/// A filter of `facet` on the codes of `coded`, if there are codes and their dictionaries
/// answer (`allowed`).
fn on_codes(
    coded: Option<Coded>,
    facet: Facet,
    allowed: impl FnOnce(&FacetCodes) -> Option<Allowed>,
) -> Option<Filter> {
    let (codes, segment) = coded?;
    Some(Filter::Coded(CodeFilter {
        codes: segment.clone(),
        facet,
        allowed: allowed(codes)?,
    }))
}

/// Every filter of `r`, resolved against one segment's fast fields, with its dimension; with
/// `coded` (the segment's facet codes, after they were read), those of coded facets tested on
/// the codes.
pub(crate) fn filters(
    r: &SearchRequest,
    ff: &FastFieldReaders,
    coded: Option<Coded>,
) -> tantivy::Result<Vec<(Dim, Filter)>> {
    let mut filters = Vec::new();
    let by_path = || {
        on_codes(coded, Facet::Region, |codes| {
            codes.allowed_paths(|path| path_selected(path, &r.region))
        })
    };
    if !r.region.is_empty()
        && let Some(filter) = by_path()
    {
        filters.push((Dim::Region, filter));
    } else if !r.region.is_empty() {
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
    // A year filter alone (a year stored as 0 is no year: it has no code).
    let by_year = || {
        if r.date.is_some() || r.year.is_empty() || r.year.iter().any(|y| y.from == 0) {
            return None;
        }
        on_codes(coded, Facet::Year, |codes| {
            codes.allowed_where(Facet::Year, |year| {
                year.parse::<u64>().is_ok_and(|y| {
                    r.year
                        .iter()
                        .any(|range| (range.from..=range.to).contains(&y))
                })
            })
        })
    };
    if let Some(filter) = by_year() {
        filters.push((Dim::Year, filter));
    } else if !r.year.is_empty() || r.date.is_some() {
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
        if values.is_empty() {
            continue;
        }
        let by_code = coded_facet(dim)
            .and_then(|facet| on_codes(coded, facet, |codes| codes.allowed_values(facet, &values)));
        match by_code {
            Some(filter) => filters.push((dim, filter)),
            None => filters.push((dim, Filter::Str(StrFilter::new(ff.str(field)?, values)?))),
        }
    }
    Ok(filters)
}

/// Whether `doc` passes every filter (what a hit is, without the facets' disjunction).
pub(crate) fn passes_all(filters: &[(Dim, Filter)], doc: DocId) -> bool {
    filters.iter().all(|(_, f)| f.passes(doc))
}
