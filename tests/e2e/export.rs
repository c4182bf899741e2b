//! Cursor paging and export over the synthetic sample corpus: every hit once, in order, however
//! many tie; `/api/export` and `dafu export` send every hit of a search, as CSV or NDJSON.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::Value;

use dafu_query::SearchEngine;
use dafu_query::export::CSV_COLUMNS;

use crate::support::{build, encode, get, ids, send, write_sample};

const REPLIES: usize = 1500;
/// A word many sample replies use, so that scores vary.
const WORD: &str = "教育";
/// Two words: with the proximity bonus.
const TWO_WORDS: &str = "教育 发展";
/// Two words, one with a synonym (社保 is 社会保险).
const WITH_SYNONYM: &str = "社保 服务";

/// `REPLIES` sample replies, indexed in `dir/index`.
fn sample_engine(dir: &Path) -> Arc<SearchEngine> {
    let corpus = write_sample(dir, REPLIES);
    let (engine, summary) = build(&dir.join("index"), &[corpus]);
    assert_eq!(summary.indexed, REPLIES, "{:?}", summary.skipped.first());
    engine
}

/// GET returning the status, headers and raw body.
async fn raw(
    engine: &Arc<SearchEngine>,
    path: &str,
    params: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let uri = format!("{path}?{}", query.join("&"));
    send(engine, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// The ids of a CSV export, checking its header and that every row has every column.
fn csv_ids(bytes: &[u8]) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, CSV_COLUMNS);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), CSV_COLUMNS.len());
            r[0].to_string()
        })
        .collect()
}

fn ndjson(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn total(body: &Value) -> usize {
    body["total"].as_u64().unwrap() as usize
}

/// Every hit of a search, paged by cursor `limit` at a time.
async fn page_by_cursor(
    engine: &Arc<SearchEngine>,
    params: &[(&str, &str)],
    limit: &str,
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut p = params.to_vec();
        p.push(("limit", limit));
        if let Some(c) = &cursor {
            p.push(("cursor", c));
        }
        let (status, body) = get(engine, "/api/search", &p).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        seen.extend(ids(&body));
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => {
                assert!(body["next_cursor"].is_null(), "{body}");
                return seen;
            }
        }
        assert!(seen.len() <= REPLIES, "paging does not end");
    }
}

#[tokio::test]
async fn export_sends_every_hit_once_as_csv_or_ndjson() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let queries: [&[(&str, &str)]; 3] = [
        &[],
        &[("q", WORD), ("sort", "date")],
        &[("region", "浙江省"), ("assembly", "cppcc")],
    ];
    for params in queries {
        let (_, search) = get(&engine, "/api/search", params).await;
        let expected = total(&search);
        assert!(expected > 0, "{params:?}");

        let mut p = params.to_vec();
        p.push(("format", "csv"));
        let (status, headers, csv) = raw(&engine, "/api/export", &p).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"dafu-export.csv\""
        );
        assert!(!csv.starts_with("\u{feff}".as_bytes()));
        let rows = csv_ids(&csv);
        assert_eq!(rows.len(), expected, "{params:?}");
        assert_eq!(rows.iter().collect::<HashSet<_>>().len(), expected);
        // In the search's order: the export starts with the first page.
        assert_eq!(rows[..ids(&search).len()], ids(&search)[..], "{params:?}");

        let mut p = params.to_vec();
        p.push(("format", "ndjson"));
        let (status, headers, lines) = raw(&engine, "/api/export", &p).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "application/x-ndjson");
        let lines = ndjson(&lines);
        assert_eq!(lines.len(), expected);
        let line_ids: Vec<String> = lines
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(line_ids, rows);
        // The fields of a search hit, without highlights.
        let hit = &search["hits"][0];
        let line = &lines[0];
        for (key, value) in hit.as_object().unwrap() {
            if key != "highlights" {
                assert_eq!(&line[key], value, "{key}");
            }
        }
        assert!(line.get("highlights").is_none());
    }

    // The whole corpus, and a filter that narrows it.
    let (_, _, all) = raw(&engine, "/api/export", &[]).await;
    assert_eq!(csv_ids(&all).len(), REPLIES);
    let (_, filtered) = get(&engine, "/api/search", &[("region", "浙江省")]).await;
    assert!(total(&filtered) < REPLIES);

    // A byte order mark only when asked for.
    let (_, _, bom) = raw(
        &engine,
        "/api/export",
        &[("format", "csv"), ("bom", "true")],
    )
    .await;
    assert!(bom.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert_eq!(bom[3..], all[..]);
    let (_, _, no_bom) = raw(&engine, "/api/export", &[("bom", "false")]).await;
    assert_eq!(no_bom, all);

    // The CLI writes the same bytes.
    let index = dir.path().join("index");
    let out = dir.path().join("out.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_dafu"))
        .args(["export", "--index", index.to_str().unwrap(), "--region"])
        .args([
            "浙江省",
            "--assembly",
            "cppcc",
            "--format",
            "csv",
            "--bom",
            "--out",
        ])
        .arg(&out)
        .env("DAFU_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (_, _, http) = raw(
        &engine,
        "/api/export",
        &[("region", "浙江省"), ("assembly", "cppcc"), ("bom", "true")],
    )
    .await;
    assert_eq!(std::fs::read(&out).unwrap(), http);
    let run = Command::new(env!("CARGO_BIN_EXE_dafu"))
        .args(["export", "--index", index.to_str().unwrap(), WORD])
        .args(["--sort", "date", "--format", "ndjson"])
        .env("DAFU_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (_, _, http) = raw(
        &engine,
        "/api/export",
        &[("q", WORD), ("sort", "date"), ("format", "ndjson")],
    )
    .await;
    assert_eq!(run.stdout, http);

    // With --commitments, the bytes of /api/export/commitments.
    let run = Command::new(env!("CARGO_BIN_EXE_dafu"))
        .args(["export", "--index", index.to_str().unwrap(), WORD])
        .args(["--commitments", "--strength", "firm", "--bom"])
        .env("DAFU_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (status, _, http) = raw(
        &engine,
        "/api/export/commitments",
        &[("q", WORD), ("strength", "firm"), ("bom", "true")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(http.len() > 1000, "some commitments: {} bytes", http.len());
    assert_eq!(run.stdout, http);
    // A commitment filter without --commitments is refused, naming it.
    let run = Command::new(env!("CARGO_BIN_EXE_dafu"))
        .args([
            "export",
            "--index",
            index.to_str().unwrap(),
            "--strength",
            "firm",
        ])
        .env("DAFU_LOG", "warn")
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("strength"));
}

#[tokio::test]
async fn cursor_paging_visits_every_hit_exactly_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    for sort in ["relevance", "date", "date_asc"] {
        // The empty query with sort=relevance: every score ties. Two words (one with a
        // synonym: 社保 is 社会保险) score with the proximity bonus in the query, or deferred.
        let queries: [&[(&str, &str)]; 5] = [
            &[("sort", sort)],
            &[("q", WORD), ("sort", sort)],
            &[("q", WORD), ("sort", sort), ("assembly", "npc")],
            &[("q", TWO_WORDS), ("sort", sort)],
            &[("q", WITH_SYNONYM), ("sort", sort)],
        ];
        for params in queries {
            let (_, first) = get(&engine, "/api/search", params).await;
            let expected = total(&first);
            assert!(expected > 21, "{params:?}: {expected}");
            let paged = page_by_cursor(&engine, params, "7").await;
            assert_eq!(paged.len(), expected, "{params:?}");
            let unique: BTreeSet<&String> = paged.iter().collect();
            assert_eq!(unique.len(), expected, "{params:?}: a hit came twice");
            let mut p = params.to_vec();
            p.push(("format", "ndjson"));
            let (_, _, export) = raw(&engine, "/api/export", &p).await;
            let exported: Vec<String> = ndjson(&export)
                .iter()
                .map(|l| l["id"].as_str().unwrap().to_string())
                .collect();
            // The same hits in the same order as the export (and so as offset paging).
            assert_eq!(paged, exported, "{params:?}");
        }
    }

    // Offset paging agrees with cursor paging, ties included, and may hand over to a cursor.
    let (_, page) = get(&engine, "/api/search", &[("limit", "7"), ("offset", "14")]).await;
    let all = page_by_cursor(&engine, &[], "7").await;
    assert_eq!(ids(&page), all[14..21]);
    let next = page["next_cursor"].as_str().unwrap();
    let (_, after) = get(&engine, "/api/search", &[("limit", "7"), ("cursor", next)]).await;
    assert_eq!(ids(&after), all[21..28]);
    assert_eq!(after["offset"], 0);

    // The last page has no cursor, nor has a page beyond the end.
    let (_, last) = get(
        &engine,
        "/api/search",
        &[("limit", "100"), ("offset", "1400")],
    )
    .await;
    assert_eq!(ids(&last).len(), REPLIES - 1400);
    assert!(last["next_cursor"].is_null());
    let (_, beyond) = get(&engine, "/api/search", &[("offset", "1500")]).await;
    assert!(beyond["next_cursor"].is_null());
}

#[tokio::test]
async fn bad_cursors_and_export_parameters_are_400s_naming_the_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let (_, first) = get(&engine, "/api/search", &[("q", WORD), ("limit", "5")]).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let mut edited = cursor.clone().into_bytes();
    edited[4] = if edited[4] == b'x' { b'y' } else { b'x' };
    let edited = String::from_utf8(edited).unwrap();
    // (what, parameters, the parameter the error names)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            "/api/search",
            vec![("q", WORD), ("cursor", "garbage!")],
            "cursor",
        ),
        (
            "/api/search",
            vec![("q", WORD), ("cursor", &edited)],
            "cursor",
        ),
        (
            "/api/search",
            vec![("q", WORD), ("cursor", &cursor[..cursor.len() - 2])],
            "cursor",
        ),
        // Another query, filter or sort than the cursor was made for.
        (
            "/api/search",
            vec![("q", "养老"), ("cursor", &cursor)],
            "cursor",
        ),
        (
            "/api/search",
            vec![("q", WORD), ("region", "浙江省"), ("cursor", &cursor)],
            "cursor",
        ),
        (
            "/api/search",
            vec![("q", WORD), ("sort", "date"), ("cursor", &cursor)],
            "cursor",
        ),
        (
            "/api/search",
            vec![("q", WORD), ("cursor", &cursor), ("offset", "5")],
            "cursor",
        ),
        (
            "/api/commitments",
            vec![("q", WORD), ("cursor", &cursor)],
            "cursor",
        ),
        ("/api/export", vec![("format", "xlsx")], "format"),
        (
            "/api/export",
            vec![("format", "ndjson"), ("bom", "true")],
            "bom",
        ),
        ("/api/export", vec![("bom", "maybe")], "bom"),
        ("/api/export", vec![("limit", "10")], "limit"),
        ("/api/export", vec![("cursor", &cursor)], "cursor"),
        ("/api/export", vec![("colour", "red")], "colour"),
        ("/api/export", vec![("year", "20x0")], "year"),
    ];
    for (path, params, name) in cases {
        let (status, body) = get(&engine, path, &params).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {params:?}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("{name}:")), "{message}");
    }
    // The cursor still works with its own query, whatever the page size.
    let (status, body) = get(
        &engine,
        "/api/search",
        &[("q", WORD), ("cursor", &cursor), ("limit", "3")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ids(&body).len(), 3);
}

/// The value(s) an exported reply has in a facet dimension.
fn facet_values(row: &Value, dim: &str) -> Vec<String> {
    let v = match dim {
        "region" => &row["region"]["province"],
        "topic" => &row["topics"],
        other => &row[other],
    };
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Facet counts are the counts of the hits' values: over more hits than a segment counts at a
/// time (the collector counts hits in batches), with and without a filter.
#[tokio::test]
async fn facet_counts_are_those_of_every_exported_hit() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let searches: [&[(&str, &str)]; 3] = [&[], &[("q", WORD)], &[("assembly", "npc")]];
    for params in searches {
        let (_, body) = get(&engine, "/api/search", params).await;
        let mut p = params.to_vec();
        p.push(("format", "ndjson"));
        let (_, _, export) = raw(&engine, "/api/export", &p).await;
        let rows = ndjson(&export);
        assert_eq!(rows.len(), total(&body), "{params:?}");
        assert!(rows.len() > 300, "{params:?}: {} hits", rows.len());
        for dim in ["region", "year", "topic", "department", "assembly", "level"] {
            if params.iter().any(|(k, _)| *k == dim) {
                // Disjunctive: a filtered dimension counts as if unfiltered (seeds.rs).
                continue;
            }
            let counts = crate::support::facet(&body, dim);
            assert!(!counts.is_empty(), "{params:?} {dim}");
            for (value, count) in &counts {
                let exported = rows
                    .iter()
                    .filter(|r| facet_values(r, dim).contains(value))
                    .count() as u64;
                assert_eq!(*count, exported, "{params:?} {dim}={value}");
            }
        }
    }
}

/// Replies written for this test, each mentioning 养老 a different number of times (so that
/// replies of one date score apart), some with 服务 beside it: 48 on six signing dates in no
/// order, then 12 on dates of their own, each newer than the last.
fn same_date_engine(dir: &Path) -> Arc<SearchEngine> {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for i in 0..60 {
        let day = if i < 48 { 1 + (i * 5) % 6 } else { i - 41 };
        let mentions = "我们将加强养老工作。".repeat(1 + (i * 7) % 11);
        let service = if i % 4 == 0 {
            "推进养老服务体系建设。"
        } else {
            ""
        };
        let text = format!(
            "对省十三届人大三次会议第{n}号建议的答复\n\n赵某某代表：\n\n您提出的《关于第{n}项工作的建议》收悉。\n{mentions}{service}\n\n广东省民政厅\n2021年3月{day}日\n",
            n = 100 + i,
        );
        std::fs::write(input.join(format!("same-date-{i:02}.txt")), text).unwrap();
    }
    let (engine, summary) = build(&dir.join("index"), &[input]);
    assert_eq!(summary.indexed, 60, "{:?}", summary.skipped.first());
    engine
}

/// Sorted by date, a hit dated before the worst hit kept is not scored (it cannot be kept);
/// one of the same date is, and its score decides: every page of a few hits is the slice of
/// the whole sorted list, whether a date's replies fill several pages or share one. By
/// relevance too: after a cursor, the proximity bonus (养老服务) may bring a hit before it.
#[tokio::test]
async fn date_sorted_pages_are_slices_of_the_whole_order_with_ties_on_dates() {
    let dir = tempfile::tempdir().unwrap();
    let engine = same_date_engine(dir.path());
    for sort in ["date", "date_asc", "relevance"] {
        for q in ["养老", "养老 服务", "养老 工作"] {
            let params = [("q", q), ("sort", sort)];
            let mut all = params.to_vec();
            all.push(("limit", "100"));
            let (_, whole) = get(&engine, "/api/search", &all).await;
            let order = ids(&whole);
            assert_eq!(order.len(), total(&whole), "{params:?}");
            assert!(order.len() >= 15, "{params:?}: {}", order.len());
            for limit in [1usize, 4, 7] {
                let l = limit.to_string();
                for offset in [0usize, 3, 10] {
                    let o = offset.to_string();
                    let mut p = params.to_vec();
                    p.extend([("limit", l.as_str()), ("offset", o.as_str())]);
                    let (_, page) = get(&engine, "/api/search", &p).await;
                    let end = (offset + limit).min(order.len());
                    assert_eq!(ids(&page), order[offset..end], "{p:?}");
                }
                let paged = page_by_cursor(&engine, &params, &l).await;
                assert_eq!(paged, order, "{params:?} by cursor, {limit} a page");
            }
        }
    }
}
