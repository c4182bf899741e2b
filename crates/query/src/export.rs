//! Exporting every hit of a reply search — tens of thousands of replies — as CSV (with the
//! metadata a journalist sorts and filters in a spreadsheet) or NDJSON (one search hit per
//! line), in the search's order; and every hit of a commitment search the same way.
//!
//! The reply writer pages through the hits with the search's cursor, a batch at a time, so
//! memory does not grow with the number of hits. Commitments have no cursor (they have no id
//! of their own to break ties with): their export ranks every hit in one pass, holding only
//! each hit's address and sort key (tens of bytes) until it is written.
//!
//! Both write to any [`Write`]: `/api/export` and `/api/export/commitments` stream it over
//! HTTP and `dafu export` writes it to a file, byte for byte the same.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Deserialize;
use serde::de::IgnoredAny;
use thiserror::Error;

use crate::engine::SearchEngine;
use crate::error::QueryError;
use crate::request::{Flag, SearchParams, SearchRequest, Target};
use crate::response::{CommitmentHit, Hit};

/// Hits loaded per pass over the index.
pub const BATCH: usize = 1000;

/// The UTF-8 byte order mark, which makes Excel read a CSV file as UTF-8.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// The columns of a CSV export, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "doc_number",
    "department",
    "province",
    "city",
    "county",
    "year",
    "date",
    "assembly",
    "level",
    "reply_kind",
    "result_class",
    "proposal_number",
    "proposal_title",
    "proposer",
    "topics",
    "commitment_count",
    "source_url",
];

/// The columns of a commitment CSV export, in order: the commitment, then its reply.
pub const COMMITMENT_CSV_COLUMNS: &[&str] = &[
    "id",
    "reply_id",
    "text",
    "strength",
    "quantities",
    "target_year",
    "deadline",
    "section",
    "department",
    "start",
    "end",
    "reply_title",
    "doc_number",
    "reply_department",
    "province",
    "city",
    "county",
    "year",
    "date",
];

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// Comma-separated values with a header row; topics joined with `;`.
    #[default]
    Csv,
    /// One JSON object per line: a search hit without highlights.
    Ndjson,
}

impl ExportFormat {
    /// `csv` or `ndjson`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "ndjson" | "jsonl" => Some(ExportFormat::Ndjson),
            _ => None,
        }
    }

    /// The HTTP `Content-Type` of the export.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Ndjson => "application/x-ndjson",
        }
    }

    /// The file name offered to browsers for an export of `target`.
    pub fn file_name(self, target: Target) -> &'static str {
        match (target, self) {
            (Target::Replies, ExportFormat::Csv) => "dafu-export.csv",
            (Target::Replies, ExportFormat::Ndjson) => "dafu-export.ndjson",
            (Target::Commitments, ExportFormat::Csv) => "dafu-commitments.csv",
            (Target::Commitments, ExportFormat::Ndjson) => "dafu-commitments.ndjson",
        }
    }
}

/// How to write an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// Start a CSV export with the UTF-8 byte order mark.
    pub bom: bool,
}

/// The raw parameters of an export: those of a search without paging, plus `format` and
/// `bom`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExportParams {
    pub format: Option<String>,
    pub bom: Option<Flag>,
    #[serde(flatten)]
    pub search: SearchParams,
    /// Parameters neither an export nor a search knows (refused).
    #[serde(flatten)]
    pub unknown: BTreeMap<String, IgnoredAny>,
}

impl ExportParams {
    /// Checks the parameters of a reply export against `engine`'s tables: the search to
    /// export and how.
    pub fn validate(
        &self,
        engine: &SearchEngine,
    ) -> Result<(SearchRequest, ExportOptions), QueryError> {
        self.validate_for(Target::Replies, engine)
    }

    /// Checks the parameters of an export of `target` (replies or commitments).
    pub fn validate_for(
        &self,
        target: Target,
        engine: &SearchEngine,
    ) -> Result<(SearchRequest, ExportOptions), QueryError> {
        if let Some(name) = self.unknown.keys().next() {
            return Err(QueryError::invalid(
                name,
                "unknown parameter; an export takes the search parameters (q, filters, sort), \
                 format and bom",
            ));
        }
        let s = &self.search;
        for (name, set) in [
            ("limit", s.limit.is_some()),
            ("offset", s.offset.is_some()),
            ("cursor", s.cursor.is_some()),
        ] {
            if set {
                return Err(QueryError::invalid(
                    name,
                    "an export has every hit of the search; drop limit, offset and cursor",
                ));
            }
        }
        let format = match self.format.as_deref().map(str::trim) {
            None | Some("") => ExportFormat::Csv,
            Some(f) => ExportFormat::parse(f).ok_or_else(|| {
                QueryError::invalid("format", format!("{f:?} is not csv or ndjson"))
            })?,
        };
        let bom = match &self.bom {
            None => false,
            Some(Flag::Bool(b)) => *b,
            Some(Flag::Text(t)) => match t.trim() {
                "" | "false" | "0" | "no" => false,
                "true" | "1" | "yes" => true,
                other => {
                    return Err(QueryError::invalid(
                        "bom",
                        format!("{other:?} is not true or false"),
                    ));
                }
            },
        };
        if bom && format != ExportFormat::Csv {
            return Err(QueryError::invalid(
                "bom",
                "a byte order mark is for CSV files opened in Excel; use it with format=csv",
            ));
        }
        let request = engine.validate_for(target, s)?;
        Ok((request, ExportOptions { format, bom }))
    }
}

/// Why an export stopped.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the CSV export: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the NDJSON export: {0}")]
    Json(#[from] serde_json::Error),
}

impl ExportError {
    /// Whether writing failed because the reader of the export stopped reading (a client that
    /// closed its connection): the caller's doing, not a fault of the export.
    pub fn is_broken_pipe(&self) -> bool {
        let broken = |kind: std::io::ErrorKind| kind == std::io::ErrorKind::BrokenPipe;
        match self {
            ExportError::Query(_) => false,
            ExportError::Io(e) => broken(e.kind()),
            ExportError::Csv(e) => matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io.kind())),
            ExportError::Json(e) => e.io_error_kind().is_some_and(broken),
        }
    }
}

/// One CSV row of a hit.
fn csv_row(hit: &Hit, source_url: Option<&str>) -> [String; 19] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        hit.id.clone(),
        text(&hit.title),
        text(&hit.doc_number),
        text(&hit.department),
        text(&hit.region.province),
        text(&hit.region.city),
        text(&hit.region.county),
        hit.year.map(|y| y.to_string()).unwrap_or_default(),
        text(&hit.date),
        text(&hit.assembly),
        text(&hit.level),
        text(&hit.reply_kind),
        text(&hit.result_class),
        text(&hit.proposal_number),
        text(&hit.proposal_title),
        text(&hit.proposer),
        hit.topics.join(";"),
        hit.commitment_count.to_string(),
        source_url.unwrap_or_default().to_string(),
    ]
}

/// Writes a hit as one NDJSON line, without its highlights, its score as the search API
/// writes it (7.005822, not widened to f64 digits).
fn ndjson_line<W: Write, T: serde::Serialize>(
    out: &mut W,
    hit: &T,
    score: f32,
) -> Result<(), ExportError> {
    let mut value = serde_json::to_value(hit)?;
    if let Some(object) = value.as_object_mut() {
        object.remove("highlights");
        if let Ok(score) = score.to_string().parse::<f64>() {
            object.insert("score".into(), score.into());
        }
    }
    serde_json::to_writer(&mut *out, &value)?;
    out.write_all(b"\n").map_err(ExportError::from)
}

/// One CSV row of a commitment hit.
fn commitment_csv_row(hit: &CommitmentHit) -> [String; 19] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let c = &hit.commitment;
    let r = &hit.reply;
    [
        hit.id.clone(),
        hit.reply_id.clone(),
        c.text.clone(),
        c.strength.as_str().to_string(),
        c.quantities
            .iter()
            .map(|q| q.text.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        c.target_year.map(|y| y.to_string()).unwrap_or_default(),
        text(&c.deadline),
        text(&c.section),
        text(&c.department),
        c.start.to_string(),
        c.end.to_string(),
        text(&r.title),
        text(&r.doc_number),
        text(&r.department),
        text(&r.region.province),
        text(&r.region.city),
        text(&r.region.county),
        r.year.map(|y| y.to_string()).unwrap_or_default(),
        text(&r.date),
    ]
}

/// Writes every hit of `request` (replies or commitments, as its target says) to `out` as
/// `options` say; returns how many.
///
/// `out` is written in small pieces: give it a buffer.
pub fn write_export<W: Write>(
    engine: &SearchEngine,
    request: &SearchRequest,
    options: ExportOptions,
    out: W,
) -> Result<u64, ExportError> {
    match request.target {
        Target::Replies => write_rows(out, options, CSV_COLUMNS, |sink| {
            engine.for_each_hit(request, BATCH, |hit, source_url| {
                let csv = csv_row(&hit, source_url.as_deref());
                sink(Row {
                    hit: &hit,
                    score: hit.score,
                    csv,
                })
            })
        }),
        Target::Commitments => write_rows(out, options, COMMITMENT_CSV_COLUMNS, |sink| {
            engine.for_each_commitment(request, |hit| {
                let csv = commitment_csv_row(&hit);
                sink(Row {
                    hit: &hit,
                    score: hit.score,
                    csv,
                })
            })
        }),
    }
}

/// One hit as either format writes it.
struct Row<'h, T: serde::Serialize, const N: usize> {
    hit: &'h T,
    score: f32,
    csv: [String; N],
}

/// Writes the header (CSV), then each row that `hits` hands to the sink it is given.
fn write_rows<W: Write, T: serde::Serialize, const N: usize>(
    mut out: W,
    options: ExportOptions,
    columns: &[&str],
    hits: impl FnOnce(
        &mut dyn FnMut(Row<'_, T, N>) -> Result<(), ExportError>,
    ) -> Result<u64, ExportError>,
) -> Result<u64, ExportError> {
    match options.format {
        ExportFormat::Csv => {
            if options.bom {
                out.write_all(BOM)?;
            }
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(columns)?;
            let rows = hits(&mut |row| csv.write_record(&row.csv).map_err(ExportError::from))?;
            csv.flush()?;
            Ok(rows)
        }
        ExportFormat::Ndjson => {
            let rows = hits(&mut |row| ndjson_line(&mut out, row.hit, row.score))?;
            out.flush()?;
            Ok(rows)
        }
    }
}

#[cfg(test)]
mod tests {

    /// A reader that has hung up.
    struct HungUp;
    impl std::io::Write for HungUp {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "gone"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_client_that_hung_up_is_told_apart_from_a_failure() {
        let json = serde_json::to_writer(HungUp, &"答复").map_err(ExportError::from);
        assert!(json.is_err_and(|e| e.is_broken_pipe()));
        let mut csv = csv::Writer::from_writer(HungUp);
        let written = csv
            .write_record(["答复"])
            .and_then(|()| csv.flush().map_err(csv::Error::from))
            .map_err(ExportError::from);
        assert!(written.is_err_and(|e| e.is_broken_pipe()));
        let other = std::io::Error::other("disk full");
        assert!(!ExportError::from(other).is_broken_pipe());
    }

    use super::*;

    use axum::extract::Query;
    use axum::http::Uri;

    fn params(query: &str) -> ExportParams {
        let uri: Uri = format!("/api/export?{query}").parse().unwrap();
        Query::<ExportParams>::try_from_uri(&uri).unwrap().0
    }

    #[test]
    fn search_parameters_reach_the_search_and_the_rest_is_kept_apart() {
        let p = params(
            "q=%E5%9F%B9%E8%AE%AD&region=%E6%B5%99%E6%B1%9F&format=ndjson&bom=false&sort=date",
        );
        assert_eq!(p.format.as_deref(), Some("ndjson"));
        assert_eq!(p.search.q.as_deref(), Some("培训"));
        assert_eq!(p.search.sort.as_deref(), Some("date"));
        assert!(p.search.region.is_some());
        assert!(p.unknown.is_empty());
        let p = params("q=x&colour=red");
        assert_eq!(p.unknown.keys().collect::<Vec<_>>(), ["colour"]);
        let p = params("limit=5");
        assert!(p.search.limit.is_some());
    }

    #[test]
    fn formats() {
        assert_eq!(ExportFormat::parse("CSV"), Some(ExportFormat::Csv));
        assert_eq!(ExportFormat::parse("ndjson"), Some(ExportFormat::Ndjson));
        assert_eq!(ExportFormat::parse("xlsx"), None);
        assert_eq!(BOM, [0xEF, 0xBB, 0xBF]);
    }

    #[test]
    fn a_csv_row_has_every_column_in_order() {
        let hit = Hit {
            id: "r1".into(),
            title: Some("关于加强课后服务的答复".into()),
            doc_number: None,
            department: Some("杭州市教育局".into()),
            region: crate::response::HitRegion {
                province: Some("浙江省".into()),
                city: Some("杭州市".into()),
                county: None,
            },
            year: Some(2021),
            date: Some("2021-06-18".into()),
            assembly: Some("npc".into()),
            level: Some("city".into()),
            topics: vec!["education".into(), "talent".into()],
            proposal_title: None,
            proposal_number: Some("35".into()),
            proposer: None,
            reply_kind: Some("reply".into()),
            result_class: None,
            commitment_count: 2,
            score: 0.0,
            highlights: Vec::new(),
            explanation: None,
        };
        let row = csv_row(&hit, Some("https://example.invalid/r1"));
        assert_eq!(row.len(), CSV_COLUMNS.len());
        let at = |name: &str| &row[CSV_COLUMNS.iter().position(|c| *c == name).unwrap()];
        assert_eq!(at("topics"), "education;talent");
        assert_eq!(at("year"), "2021");
        assert_eq!(at("county"), "");
        assert_eq!(at("commitment_count"), "2");
        assert_eq!(at("source_url"), "https://example.invalid/r1");
    }
}
