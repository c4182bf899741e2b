//! Analytics (`/api/stats`): how many replies of a query and its filters fall on each value, or
//! each pair of values, of one or two dimensions (year × province, department × topic …), and
//! the departments that answer most.
//!
//! Its own collector reads fast-field columns only: every matching reply that passes all the
//! filters counts once in each cell it belongs to (a multi-valued column such as `topic` counts
//! once per value; a reply with no value counts under `null`). Unlike the search facets the
//! counts are not disjunctive: they are the matrix of the current result.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use serde::ser::SerializeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use dafu_index::schema::names;

use crate::SearchEngine;
use crate::error::QueryError;
use crate::filter::{Dim, Filter, filters, passes_all};
use crate::request::{SearchParams, SearchRequest, Target};
use crate::response::FacetValue;

/// Most cells a matrix may have.
pub const MAX_CELLS: usize = 10_000;
/// How many departments `top_departments` lists.
pub const TOP_DEPARTMENTS: usize = 10;

/// A dimension replies can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Year,
    Province,
    City,
    County,
    Department,
    Topic,
    Assembly,
    Level,
    ReplyKind,
    ResultClass,
}

impl Dimension {
    /// Every dimension, in the order the API lists them.
    pub const ALL: [Dimension; 10] = [
        Dimension::Year,
        Dimension::Province,
        Dimension::City,
        Dimension::County,
        Dimension::Department,
        Dimension::Topic,
        Dimension::Assembly,
        Dimension::Level,
        Dimension::ReplyKind,
        Dimension::ResultClass,
    ];

    /// The API name (`year`, `reply_kind` …).
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Year => "year",
            Dimension::Province => "province",
            Dimension::City => "city",
            Dimension::County => "county",
            Dimension::Department => "department",
            Dimension::Topic => "topic",
            Dimension::Assembly => "assembly",
            Dimension::Level => "level",
            Dimension::ReplyKind => "reply_kind",
            Dimension::ResultClass => "result_class",
        }
    }

    pub fn parse(name: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The fast-field column holding the dimension's values.
    fn column(self) -> &'static str {
        match self {
            Dimension::Year => names::YEAR,
            Dimension::Province => names::PROVINCE,
            Dimension::City => names::CITY,
            Dimension::County => names::COUNTY,
            Dimension::Department => names::DEPARTMENT,
            Dimension::Topic => names::TOPIC,
            Dimension::Assembly => names::ASSEMBLY,
            Dimension::Level => names::LEVEL,
            Dimension::ReplyKind => names::REPLY_KIND,
            Dimension::ResultClass => names::RESULT_CLASS,
        }
    }
}

/// Parses `group_by`: one or two different dimensions.
pub fn parse_group_by(values: &[String]) -> Result<Vec<Dimension>, QueryError> {
    let known = || {
        Dimension::ALL
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if values.is_empty() {
        return Err(QueryError::invalid(
            "group_by",
            format!("name one or two dimensions among {}", known()),
        ));
    }
    if values.len() > 2 {
        return Err(QueryError::invalid(
            "group_by",
            format!("at most two dimensions, not {}", values.len()),
        ));
    }
    let mut dims = Vec::new();
    for v in values {
        let d = Dimension::parse(v).ok_or_else(|| {
            QueryError::invalid(
                "group_by",
                format!("{v:?} is not a dimension; use {}", known()),
            )
        })?;
        if dims.contains(&d) {
            return Err(QueryError::invalid(
                "group_by",
                format!("{v:?} is named twice"),
            ));
        }
        dims.push(d);
    }
    Ok(dims)
}

/// A validated analytics request: a reply search's query and filters, and the dimensions.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsRequest {
    pub search: SearchRequest,
    pub group_by: Vec<Dimension>,
    /// Most cells the matrix may have ([`MAX_CELLS`] unless a caller lowers it).
    pub max_cells: usize,
}

/// One cell of the matrix: the dimensions' values (`None`: the reply has none) and the count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRow {
    pub values: Vec<(&'static str, Option<String>)>,
    pub count: u64,
}

impl Serialize for StatsRow {
    /// `{"year": "2020", "province": "浙江省", "count": 12}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.values.len() + 1))?;
        for (name, value) in &self.values {
            map.serialize_entry(name, value)?;
        }
        map.serialize_entry("count", &self.count)?;
        map.end()
    }
}

/// What `/api/stats` returns.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatsResponse {
    /// Exact number of matching replies.
    pub total: u64,
    pub group_by: Vec<&'static str>,
    /// Cells with a count, sorted by the dimensions' values (years ascending, `null` last):
    /// `{"<dimension>": "<value>" or null, …, "count": N}`.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<StatsRow>,
    /// The departments with the most matching replies.
    pub top_departments: Vec<FacetValue>,
    /// Server time spent, in milliseconds.
    pub took_ms: f64,
}

impl SearchEngine {
    /// Validates the parameters of `/api/stats`: those of a reply search plus `group_by`.
    pub fn validate_stats(&self, params: &SearchParams) -> Result<StatsRequest, QueryError> {
        let group_by = params
            .group_by
            .as_ref()
            .map(|g| g.values())
            .unwrap_or_default();
        let search = SearchParams {
            group_by: None,
            ..params.clone()
        };
        let search = self.validate_for(Target::Replies, &search)?;
        Ok(StatsRequest {
            group_by: parse_group_by(&group_by)?,
            search,
            max_cells: MAX_CELLS,
        })
    }

    /// Counts the matching replies by the request's dimensions.
    pub fn stats(&self, request: &StatsRequest) -> Result<StatsResponse, QueryError> {
        let started = Instant::now();
        let fruit = self.collect(
            &request.search,
            &StatsCollector {
                request: &request.search,
                group_by: &request.group_by,
                max_cells: request.max_cells,
            },
        )?;
        if fruit.overflow {
            return Err(QueryError::invalid(
                "group_by",
                format!(
                    "the matrix has more than {} cells; group by fewer or coarser \
                     dimensions, or narrow the query",
                    request.max_cells
                ),
            ));
        }
        let mut cells: Vec<([Option<String>; 2], u64)> = fruit.cells.into_iter().collect();
        // `None` (no value) after every value.
        let key = |v: &Option<String>| (v.is_none(), v.clone());
        cells.sort_by(|(a, _), (b, _)| {
            key(&a[0])
                .cmp(&key(&b[0]))
                .then_with(|| key(&a[1]).cmp(&key(&b[1])))
        });
        let rows = cells
            .into_iter()
            .map(|(values, count)| StatsRow {
                values: request
                    .group_by
                    .iter()
                    .zip(values)
                    .map(|(d, v)| (d.name(), v))
                    .collect(),
                count,
            })
            .collect();
        let mut top_departments: Vec<FacetValue> = fruit
            .departments
            .into_iter()
            .map(|(value, count)| FacetValue { value, count })
            .collect();
        top_departments.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        top_departments.truncate(TOP_DEPARTMENTS);
        Ok(StatsResponse {
            total: fruit.total,
            group_by: request.group_by.iter().map(|d| d.name()).collect(),
            rows,
            top_departments,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }
}

/// No value in a string column (ordinals are always smaller).
const NONE: u64 = u64::MAX;

/// A dimension's column in one segment.
enum Values {
    /// Years; 0 is unknown.
    Year(Column<u64>),
    Str(Option<StrColumn>),
}

impl Values {
    /// Puts the document's values (ordinals, or years) into `out`: [`NONE`] when it has none.
    fn read(&self, doc: DocId, out: &mut Vec<u64>) {
        out.clear();
        match self {
            Values::Year(col) => out.extend(col.first(doc).filter(|&y| y > 0)),
            Values::Str(Some(col)) => out.extend(col.term_ords(doc)),
            Values::Str(None) => {}
        }
        if out.is_empty() {
            out.push(NONE);
        }
    }

    /// The text of a value read by [`Values::read`].
    fn text(&self, value: u64) -> Option<String> {
        match self {
            Values::Year(_) => (value != NONE).then(|| value.to_string()),
            Values::Str(col) => {
                let col = col.as_ref().filter(|_| value != NONE)?;
                let mut s = String::new();
                matches!(col.ord_to_str(value, &mut s), Ok(true)).then_some(s)
            }
        }
    }
}

struct StatsCollector<'r> {
    request: &'r SearchRequest,
    group_by: &'r [Dimension],
    max_cells: usize,
}

struct StatsFruit {
    total: u64,
    cells: HashMap<[Option<String>; 2], u64>,
    departments: HashMap<String, u64>,
    overflow: bool,
}

struct SegmentStats {
    filters: Vec<(Dim, Filter)>,
    columns: Vec<Values>,
    departments: Option<StrColumn>,
    department_counts: Vec<u64>,
    cells: HashMap<[u64; 2], u64>,
    max_cells: usize,
    overflow: bool,
    total: u64,
    scratch: [Vec<u64>; 2],
}

impl Collector for StatsCollector<'_> {
    type Fruit = StatsFruit;
    type Child = SegmentStats;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentStats> {
        let ff = reader.fast_fields();
        let mut columns = Vec::new();
        for d in self.group_by {
            columns.push(match d {
                Dimension::Year => Values::Year(ff.u64(d.column())?),
                _ => Values::Str(ff.str(d.column())?),
            });
        }
        let departments = ff.str(names::DEPARTMENT)?;
        let n = departments.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentStats {
            filters: filters(self.request, ff, None)?,
            columns,
            departments,
            department_counts: vec![0; n],
            cells: HashMap::new(),
            max_cells: self.max_cells,
            overflow: false,
            total: 0,
            scratch: Default::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<StatsFruit>) -> tantivy::Result<StatsFruit> {
        let mut out = StatsFruit {
            total: 0,
            cells: HashMap::new(),
            departments: HashMap::new(),
            overflow: false,
        };
        for f in fruits {
            out.total += f.total;
            out.overflow |= f.overflow;
            for (k, n) in f.cells {
                *out.cells.entry(k).or_default() += n;
            }
            for (k, n) in f.departments {
                *out.departments.entry(k).or_default() += n;
            }
        }
        out.overflow |= out.cells.len() > self.max_cells;
        Ok(out)
    }
}

impl SegmentCollector for SegmentStats {
    type Fruit = StatsFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if !passes_all(&self.filters, doc) {
            return;
        }
        self.total += 1;
        if let Some(col) = &self.departments {
            for ord in col.term_ords(doc) {
                if let Some(n) = self.department_counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
        let [first, second] = &mut self.scratch;
        match self.columns.as_slice() {
            [a] => {
                a.read(doc, first);
                second.clear();
                second.push(NONE);
            }
            [a, b] => {
                a.read(doc, first);
                b.read(doc, second);
            }
            _ => return,
        }
        for &x in first.iter() {
            for &y in second.iter() {
                if let Some(n) = self.cells.get_mut(&[x, y]) {
                    *n += 1;
                } else if self.cells.len() < self.max_cells {
                    self.cells.insert([x, y], 1);
                } else {
                    self.overflow = true;
                }
            }
        }
    }

    fn harvest(self) -> StatsFruit {
        let mut texts: [HashMap<u64, Option<String>>; 2] = Default::default();
        let mut cells: HashMap<[Option<String>; 2], u64> = HashMap::new();
        for (key, n) in self.cells {
            let values: [Option<String>; 2] = std::array::from_fn(|i| {
                let column = self.columns.get(i)?;
                texts[i]
                    .entry(key[i])
                    .or_insert_with(|| column.text(key[i]))
                    .clone()
            });
            *cells.entry(values).or_default() += n;
        }
        let mut departments = HashMap::new();
        if let Some(col) = &self.departments {
            for (ord, &n) in self.department_counts.iter().enumerate() {
                let mut name = String::new();
                if n > 0 && matches!(col.ord_to_str(ord as u64, &mut name), Ok(true)) {
                    departments.insert(name, n);
                }
            }
        }
        StatsFruit {
            total: self.total,
            cells,
            departments,
            overflow: self.overflow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn group_by_takes_one_or_two_known_dimensions() {
        assert_eq!(
            parse_group_by(&strings(&["year", "province"])).ok(),
            Some(vec![Dimension::Year, Dimension::Province])
        );
        assert_eq!(
            parse_group_by(&strings(&["reply_kind"])).ok(),
            Some(vec![Dimension::ReplyKind])
        );
        for bad in [
            strings(&[]),
            strings(&["year", "year"]),
            strings(&["year", "province", "topic"]),
            strings(&["colour"]),
        ] {
            match parse_group_by(&bad) {
                Err(QueryError::InvalidParameter { parameter, .. }) => {
                    assert_eq!(parameter, "group_by")
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn rows_serialize_with_their_dimensions_in_order() {
        let row = StatsRow {
            values: vec![("year", Some("2020".into())), ("province", None)],
            count: 3,
        };
        assert_eq!(
            serde_json::to_string(&row).ok().as_deref(),
            Some(r#"{"year":"2020","province":null,"count":3}"#)
        );
    }
}
