//! What the search page relies on, through the real router over a generated corpus: the page
//! and its assets, the reply's marks for a query, topic labels, several years and division
//! codes in filters, the commitment search's region tree and year histogram, and the
//! commitment export.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::Value;

use dafu_query::SearchEngine;

use crate::support::{build, encode, facet, get, send, write_sample};

/// An engine over 400 generated replies (the page's browser test uses the same generator).
fn sample_engine() -> (tempfile::TempDir, Arc<SearchEngine>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = write_sample(dir.path(), 400);
    let (engine, summary) = build(&dir.path().join("index"), &[corpus]);
    assert_eq!(summary.indexed, 400, "{:?}", summary.skipped);
    (dir, engine)
}

/// Status, headers and body bytes of a GET, optionally revalidating an entity tag.
async fn raw_get(
    engine: &Arc<SearchEngine>,
    uri: &str,
    etag: Option<&str>,
) -> (u16, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    if let Some(tag) = etag {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let (status, headers, body) = send(engine, request.body(Body::empty()).expect("request")).await;
    (status.as_u16(), headers, body)
}

fn total(body: &Value) -> u64 {
    body["total"].as_u64().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn every_page_address_serves_the_shell_and_its_assets_revalidate() {
    let (_dir, engine) = sample_engine();
    for uri in [
        "/",
        "/commitments",
        "/reply/sample-000001?q=%E5%9F%B9%E8%AE%AD",
    ] {
        let (status, headers, body) = raw_get(&engine, uri, None).await;
        assert_eq!(status, 200, "{uri}");
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        let html = String::from_utf8(body).expect("utf-8");
        assert!(html.contains("/assets/app.js"), "{uri}");
    }
    let (status, headers, body) = raw_get(&engine, "/assets/app.js", None).await;
    assert_eq!(status, 200);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/javascript")
    );
    assert!(String::from_utf8_lossy(&body).contains("import"));
    let tag = headers[header::ETAG].to_str().expect("etag").to_string();
    let (status, _, body) = raw_get(&engine, "/assets/app.js", Some(&tag)).await;
    assert_eq!(status, 304);
    assert!(body.is_empty());
    let (status, _, _) = raw_get(&engine, "/assets/app.js", Some("\"stale\"")).await;
    assert_eq!(status, 200);
    // Unknown assets are the API's JSON 404.
    let (status, body) = get(&engine, "/assets/nothing.js", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_reply_read_with_a_query_marks_every_match_in_its_text() {
    let (_dir, engine) = sample_engine();
    let (_, found) = get(&engine, "/api/search", &[("q", "培训"), ("limit", "1")]).await;
    let id = found["hits"][0]["id"].as_str().expect("a hit").to_string();
    let path = format!("/api/replies/{id}");

    let (status, plain) = get(&engine, &path, &[]).await;
    assert_eq!(status, 200);
    assert!(plain.get("marks").is_none(), "no q, no marks");

    let (status, marked) = get(&engine, &path, &[("q", "培训 -农村")]).await;
    assert_eq!(status, 200, "{marked}");
    let text: Vec<char> = marked["text"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .collect();
    let marks = marked["marks"].as_array().expect("marks");
    let expected = text.windows(2).filter(|w| w == &['培', '训']).count();
    assert_eq!(marks.len(), expected, "every 培训 is marked, nothing else");
    let mut last_end = 0;
    for m in marks {
        let (start, end) = (
            m["start"].as_u64().unwrap_or(0) as usize,
            m["end"].as_u64().unwrap_or(0) as usize,
        );
        assert!(start >= last_end && end <= text.len());
        assert_eq!(text[start..end].iter().collect::<String>(), "培训");
        last_end = end;
    }
    // The search's highlight marks are among the reply's marks.
    for fragment in found["hits"][0]["highlights"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for m in fragment["marks"].as_array().into_iter().flatten() {
            assert!(marks.contains(m), "{m} not in the reply's marks");
        }
    }

    let (status, body) = get(&engine, &path, &[("q", "\"培训")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "invalid_query");
    let (status, body) = get(&engine, &path, &[("colour", "red")]).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn topics_come_with_their_labels() {
    let (_dir, engine) = sample_engine();
    let (status, body) = get(&engine, "/api/topics", &[]).await;
    assert_eq!(status, 200);
    let topics = body.as_array().expect("a list");
    let rules = engine.extractor().topic_rules().topics();
    assert_eq!(topics.len(), rules.len());
    for (t, rule) in topics.iter().zip(rules) {
        assert_eq!(t["slug"], rule.slug.as_str());
        assert_eq!(t["label"], rule.label.as_str());
    }
    assert!(topics.iter().any(|t| t["label"] == "科技与人才"));
}

#[tokio::test]
async fn several_years_select_their_union() {
    let (_dir, engine) = sample_engine();
    let count = |year: &'static str| {
        let engine = engine.clone();
        async move { total(&get(&engine, "/api/search", &[("year", year)]).await.1) }
    };
    let (a, b, c) = (
        count("2018").await,
        count("2021").await,
        count("2022").await,
    );
    assert!(a > 0 && b > 0 && c > 0);
    assert_eq!(count("2018,2021").await, a + b);
    assert_eq!(count("2021,2018,2022").await, a + b + c);
    assert_eq!(count("2021..2022,2018").await, a + b + c);
    let (status, body) = get(&engine, "/api/search", &[("year", "2018,20x0")]).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("year")
    );
    // The year facet ignores the year filter; the other facets honour the union.
    let (_, both) = get(&engine, "/api/search", &[("year", "2018,2021")]).await;
    let years = facet(&both, "year");
    assert!(years.len() > 2, "{years:?}");
    let provinces: u64 = facet(&both, "region").iter().map(|(_, n)| n).sum();
    assert!(provinces <= a + b);
}

/// The nodes of a region tree below the top, with their province.
fn places(tree: &Value, out: &mut Vec<(String, String, u64)>, province: &str) {
    for node in tree.as_array().into_iter().flatten() {
        let name = node["value"].as_str().unwrap_or_default();
        let here = if province.is_empty() { name } else { province };
        if !province.is_empty()
            && let Some(code) = node["code"].as_str()
        {
            out.push((
                code.to_string(),
                name.to_string(),
                node["count"].as_u64().unwrap_or(0),
            ));
        }
        places(&node["children"], out, here);
    }
}

#[tokio::test]
async fn a_division_code_selects_that_place_as_the_tree_counts_it() {
    let (_dir, engine) = sample_engine();
    let (_, all) = get(&engine, "/api/search", &[("limit", "1")]).await;
    let mut nodes = Vec::new();
    places(&all["region_tree"], &mut nodes, "");
    assert!(nodes.len() > 10, "{nodes:?}");
    for (code, name, count) in nodes.iter().take(25) {
        let (status, body) = get(
            &engine,
            "/api/search",
            &[("region", code), ("limit", "100")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        // A node counts the replies placed at it or below it.
        assert_eq!(total(&body), *count, "{code} {name}");
        for hit in body["hits"].as_array().into_iter().flatten() {
            let r = &hit["region"];
            assert!(
                r["city"] == name.as_str() || r["county"] == name.as_str(),
                "{code} {name}: {r}"
            );
        }
    }
    // A code that names no division is refused, naming the parameter.
    let (status, body) = get(&engine, "/api/search", &[("region", "999999")]).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("999999")
    );
}

#[tokio::test]
async fn commitment_search_has_the_region_tree_and_the_year_histogram() {
    let (_dir, engine) = sample_engine();
    let (status, body) = get(&engine, "/api/commitments", &[("q", "培训")]).await;
    assert_eq!(status, 200, "{body}");
    let all = total(&body);
    assert!(all > 0);
    let tree = body["region_tree"].as_array().expect("region_tree");
    let regions = facet(&body, "region");
    for node in tree {
        let name = node["value"].as_str().unwrap_or_default();
        let expected = regions.iter().find(|(r, _)| r == name).map(|x| x.1);
        assert_eq!(node["count"].as_u64(), expected, "{name}");
    }
    let histogram = body["year_histogram"].as_array().expect("year_histogram");
    let by_year: u64 = histogram
        .iter()
        .map(|y| y["count"].as_u64().unwrap_or(0))
        .sum();
    let years: u64 = facet(&body, "year").iter().map(|(_, n)| n).sum();
    assert_eq!(by_year, years);
    assert!(by_year <= all);
}

#[tokio::test]
async fn the_commitment_export_has_every_hit_in_the_search_order() {
    let (_dir, engine) = sample_engine();
    let params = [("q", "培训"), ("sort", "date")];
    // The search's order, page by page.
    let mut expected_ids = Vec::new();
    let mut all = 0;
    for offset in ["0", "100", "200", "300"] {
        let (_, page) = get(
            &engine,
            "/api/commitments",
            &[
                ("q", "培训"),
                ("sort", "date"),
                ("limit", "100"),
                ("offset", offset),
            ],
        )
        .await;
        all = total(&page);
        expected_ids.extend(
            page["hits"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|h| h["id"].as_str().map(String::from)),
        );
    }
    assert!(all > 100 && all <= 400, "the test wants a few pages: {all}");
    assert_eq!(expected_ids.len() as u64, all);
    let query: String = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");

    let (status, headers, body) = raw_get(
        &engine,
        &format!("/api/export/commitments?{query}&bom=true"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap_or_default()
            .contains("dafu-commitments.csv")
    );
    assert!(body.starts_with(dafu_query::export::BOM));
    let mut csv = csv::Reader::from_reader(&body[3..]);
    let header_row: Vec<String> = csv
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header_row, dafu_query::export::COMMITMENT_CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len() as u64, all);
    let got: Vec<&str> = rows.iter().filter_map(|r| r.get(0)).collect();
    assert_eq!(got, expected_ids);
    for r in &rows {
        assert!(r.get(2).unwrap_or_default().contains("培训"), "{r:?}");
    }

    let (status, _, body) = raw_get(
        &engine,
        &format!("/api/export/commitments?{query}&format=ndjson"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let lines: Vec<Value> = String::from_utf8_lossy(&body)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len() as u64, all);
    assert!(
        lines
            .iter()
            .all(|l| l.get("highlights").is_none() && l["reply_id"].is_string())
    );

    // Reply-only filters are refused before anything is sent.
    let (status, body) = get(
        &engine,
        "/api/export/commitments",
        &[("has_commitments", "true")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "invalid_parameter");
}
