//! The region tree, the year histogram, the date filters, `/api/stats` and their errors, over
//! the synthetic sample and a few JSON Lines replies with stated dates.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};

use dafu_query::request::OneOrMany;
use dafu_query::{QueryError, SearchEngine, SearchParams};

use crate::support::{build, call, facet, get, write_sample};

/// An index of 300 generated replies.
fn sample_engine(dir: &Path) -> Arc<SearchEngine> {
    let corpus = write_sample(dir, 300);
    let (engine, summary) = build(&dir.join("index"), &[corpus]);
    assert_eq!(summary.indexed, 300, "{:?}", summary.skipped);
    engine
}

/// Five replies: four signed on stated dates (2016 twice, 2017, 2019), one undated.
fn dated_engine(dir: &Path) -> Arc<SearchEngine> {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let lines = [
        json!({"id": "d1", "text": "关于养老服务的答复", "date": "2016-03-01", "department": "嘉兴市民政局", "city": "嘉兴市"}),
        json!({"id": "d2", "text": "关于养老服务的答复", "date": "2016-12-31", "department": "嘉兴市民政局", "county": "嘉善县", "city": "嘉兴市"}),
        json!({"id": "d3", "text": "关于养老服务的答复", "date": "2017-01-01", "department": "杭州市民政局", "city": "杭州市"}),
        json!({"id": "d4", "text": "关于养老服务的答复", "date": "2019-05-05", "department": "广东省民政厅", "province": "广东省"}),
        json!({"id": "d5", "text": "关于养老服务的答复", "department": "广东省民政厅", "province": "广东省"}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(input.join("dated.jsonl"), text).unwrap();
    let (engine, summary) = build(&dir.join("index"), &[input]);
    assert_eq!(summary.indexed, 5, "{:?}", summary.skipped);
    engine
}

fn ids(body: &Value) -> Vec<String> {
    let mut ids = crate::support::ids(body);
    ids.sort();
    ids
}

/// Checks that every node's children add up to at most its count, recursively.
fn check_children(node: &Value) {
    let count = node["count"].as_u64().unwrap();
    let children = node["children"].as_array().unwrap();
    let sum: u64 = children.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert!(sum <= count, "{node}");
    for c in children {
        assert!(c["count"].as_u64().unwrap() > 0, "{c}");
        check_children(c);
    }
}

fn assert_tree_matches_region_facet(body: &Value) {
    let tree = body["region_tree"].as_array().unwrap();
    let mut from_tree: Vec<(String, u64)> = tree
        .iter()
        .map(|p| {
            check_children(p);
            assert!(p["code"].as_str().is_some_and(|c| c.len() == 6), "{p}");
            (
                p["value"].as_str().unwrap().to_string(),
                p["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut flat = facet(body, "region");
    from_tree.sort();
    flat.sort();
    assert_eq!(from_tree, flat);
}

#[tokio::test]
async fn the_region_tree_adds_up_and_the_histogram_matches_the_year_facet() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let (status, all) = get(&engine, "/api/search", &[("limit", "1")]).await;
    assert_eq!(status, 200, "{all}");
    assert_tree_matches_region_facet(&all);
    let tree = all["region_tree"].as_array().unwrap();
    assert!(tree.len() >= 10, "{}", tree.len());
    // Some province has cities and some city has counties, all with codes under the province's.
    let with_counties = tree
        .iter()
        .flat_map(|p| {
            p["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |c| (p, c))
        })
        .find(|(_, c)| !c["children"].as_array().unwrap().is_empty());
    let (province, city) = with_counties.expect("a city with counties");
    let province_code = province["code"].as_str().unwrap();
    let city_code = city["code"].as_str().unwrap();
    assert_eq!(city_code[..2], province_code[..2], "{city}");
    for county in city["children"].as_array().unwrap() {
        assert_eq!(
            county["code"].as_str().unwrap()[..4],
            city_code[..4],
            "{county}"
        );
    }

    // Disjunctive like `region`: filtering on a province keeps the others, and another
    // dimension's filter narrows every count.
    let name = province["value"].as_str().unwrap();
    let (_, filtered) = get(
        &engine,
        "/api/search",
        &[("region", name), ("assembly", "npc"), ("limit", "1")],
    )
    .await;
    assert_tree_matches_region_facet(&filtered);
    assert!(filtered["region_tree"].as_array().unwrap().len() > 1);
    let (_, npc) = get(
        &engine,
        "/api/search",
        &[("assembly", "npc"), ("limit", "1")],
    )
    .await;
    assert_eq!(filtered["region_tree"], npc["region_tree"]);
    let own = filtered["region_tree"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["value"] == name)
        .unwrap();
    assert_eq!(own["count"], filtered["total"]);

    // The histogram: every year from the first to the last, ascending, equal to the facet.
    let histogram = all["year_histogram"].as_array().unwrap();
    let years: Vec<(u64, u64)> = histogram
        .iter()
        .map(|y| (y["year"].as_u64().unwrap(), y["count"].as_u64().unwrap()))
        .collect();
    assert!(years.len() >= 10, "{years:?}");
    assert!(years.windows(2).all(|w| w[1].0 == w[0].0 + 1), "{years:?}");
    assert!(years[0].1 > 0 && years[years.len() - 1].1 > 0);
    let facet_years = facet(&all, "year");
    for (year, count) in &years {
        let in_facet = facet_years
            .iter()
            .find(|(y, _)| y == &year.to_string())
            .map_or(0, |(_, n)| *n);
        assert_eq!(*count, in_facet, "{year}");
    }
    assert_eq!(
        years.iter().filter(|(_, n)| *n > 0).count(),
        facet_years.len()
    );
}

/// `(value, code, count, folded)` of each node of `nodes`.
fn nodes(nodes: &Value) -> Vec<(Value, Value, Value, bool)> {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let folded = n["folded"].as_bool().unwrap_or(false);
            (
                n["value"].clone(),
                n["code"].clone(),
                n["count"].clone(),
                folded,
            )
        })
        .collect()
}

/// The node of `nodes` with `code`.
fn node<'a>(nodes: &'a Value, code: &str) -> &'a Value {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {nodes}"))
}

#[tokio::test]
async fn a_folded_region_tree_lists_the_open_nodes_children_only() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let search = |params: Vec<(&'static str, String)>, path: &'static str| {
        let engine = engine.clone();
        async move {
            let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = get(&engine, path, &params).await;
            assert_eq!(status, 200, "{params:?}: {body}");
            body
        }
    };
    let folded = |open: &str| {
        vec![
            ("region_tree", "folded".to_string()),
            ("region_open", open.to_string()),
        ]
    };
    let full = search(vec![], "/api/search").await;
    let tree = &full["region_tree"];
    // Nothing open: the provinces with the full tree's counts, each folded when it has children.
    let bare = search(folded(""), "/api/search").await;
    let expected: Vec<_> = nodes(tree)
        .into_iter()
        .zip(tree.as_array().unwrap())
        .map(|((v, c, n, _), p)| (v, c, n, !p["children"].as_array().unwrap().is_empty()))
        .collect();
    assert_eq!(nodes(&bare["region_tree"]), expected);
    assert!(
        bare["region_tree"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["children"] == json!([]))
    );
    assert!(expected.iter().any(|n| n.3), "no province has children");
    // The flat facets and the hits do not change.
    assert_eq!(bare["facets"], full["facets"]);
    assert_eq!(bare["hits"], full["hits"]);

    // Open a province (by code) and one of its cities that has counties (by name).
    let (province, city) = tree
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| {
            let c = p["children"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["children"].as_array().is_some_and(|k| !k.is_empty()))?;
            Some((p, c))
        })
        .expect("a city with counties");
    let (pcode, ccode) = (
        province["code"].as_str().unwrap(),
        city["code"].as_str().unwrap(),
    );
    let open = format!("{pcode},{}", city["value"].as_str().unwrap());
    let opened = search(folded(&open), "/api/search").await;
    let p = node(&opened["region_tree"], pcode);
    assert!(p.get("folded").is_none(), "{p}");
    let cities = &p["children"];
    assert_eq!(
        nodes(cities).iter().map(|n| &n.2).collect::<Vec<_>>(),
        nodes(&province["children"])
            .iter()
            .map(|n| &n.2)
            .collect::<Vec<_>>()
    );
    assert_eq!(node(cities, ccode)["children"], city["children"]);
    for other in cities
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["code"] != ccode)
    {
        assert_eq!(other["children"], json!([]), "{other}");
    }
    // Every other province stays folded.
    for other in opened["region_tree"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] != pcode)
    {
        assert_eq!(other["children"], json!([]), "{other}");
    }

    // A county the region filter selects opens the way to it; commitments fold alike.
    let county = city["children"][0]["code"].as_str().unwrap().to_string();
    let selected = search(
        vec![("region_tree", "folded".into()), ("region", county.clone())],
        "/api/search",
    )
    .await;
    let p = node(&selected["region_tree"], pcode);
    assert_eq!(
        node(&node(&p["children"], ccode)["children"], &county)["count"],
        city["children"][0]["count"]
    );
    let commitments = search(folded(""), "/api/commitments").await;
    let provinces = commitments["region_tree"].as_array().unwrap();
    assert!(!provinces.is_empty());
    assert!(
        provinces.iter().all(|p| p["children"] == json!([])),
        "{commitments}"
    );
}

#[tokio::test]
async fn date_filters_are_inclusive_belong_to_the_year_dimension_and_fill_the_histogram() {
    let dir = tempfile::tempdir().unwrap();
    let engine = dated_engine(dir.path());
    let search = |params: Vec<(&'static str, &'static str)>| {
        let engine = engine.clone();
        async move {
            let (status, body) = get(&engine, "/api/search", &params).await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let all = search(vec![]).await;
    assert_eq!(all["total"], 5);
    assert_eq!(
        all["year_histogram"],
        json!([
            {"year": 2016, "count": 2}, {"year": 2017, "count": 1},
            {"year": 2018, "count": 0}, {"year": 2019, "count": 1}
        ])
    );
    // Zhejiang: 嘉兴市 (with 嘉善县 under it) and 杭州市.
    let zj = &all["region_tree"][0];
    assert_eq!(zj["value"], "浙江省");
    assert_eq!(zj["code"], "330000");
    assert_eq!(zj["count"], 3);
    assert_eq!(zj["children"][0]["value"], "嘉兴市");
    assert_eq!(zj["children"][0]["count"], 2);
    assert_eq!(zj["children"][0]["children"][0]["value"], "嘉善县");
    assert_eq!(zj["children"][0]["children"][0]["code"], "330421");
    assert_eq!(zj["children"][0]["children"][0]["count"], 1);

    let from = search(vec![("date_from", "2016-12-31")]).await;
    assert_eq!(ids(&from), ["d2", "d3", "d4"]);
    let to = search(vec![("date_to", "2016-12-31")]).await;
    assert_eq!(ids(&to), ["d1", "d2"]);
    let both = search(vec![("date_from", "2016-12-31"), ("date_to", "2017-01-01")]).await;
    assert_eq!(ids(&both), ["d2", "d3"]);
    // An undated reply is outside every date range.
    let any = search(vec![("date_from", "1949-01-01")]).await;
    assert_eq!(any["total"], 4);
    // Dates and years combine; the year facet ignores both, other facets honour them.
    let with_year = search(vec![("date_from", "2016-06-01"), ("year", "2016..2017")]).await;
    assert_eq!(ids(&with_year), ["d2", "d3"]);
    assert_eq!(
        facet(&with_year, "year"),
        [
            ("2019".to_string(), 1),
            ("2017".to_string(), 1),
            ("2016".to_string(), 2)
        ]
    );
    assert_eq!(with_year["year_histogram"], all["year_histogram"]);
    let mut departments = facet(&with_year, "department");
    departments.sort();
    assert_eq!(
        departments,
        [
            ("嘉兴市民政局".to_string(), 1),
            ("杭州市民政局".to_string(), 1)
        ]
    );
    // POST takes them too.
    let (status, posted) = call(
        &engine,
        Request::post("/api/search")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"date_from": "2016-12-31", "date_to": "2017-01-01"}).to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{posted}");
    assert_eq!(ids(&posted), ["d2", "d3"]);
}

/// A path, its parameters and the parameter its 400 must name.
type BadCase<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

#[tokio::test]
async fn bad_dates_and_group_by_are_400s_naming_the_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let engine = dated_engine(dir.path());
    let cases: &[BadCase] = &[
        ("/api/search", &[("date_from", "2020-02-30")], "date_from"),
        ("/api/search", &[("date_from", "2020/01/01")], "date_from"),
        ("/api/search", &[("date_to", "yesterday")], "date_to"),
        (
            "/api/search",
            &[("date_from", "2021-01-01"), ("date_to", "2020-12-31")],
            "date_from",
        ),
        ("/api/search", &[("group_by", "year")], "group_by"),
        ("/api/stats", &[], "group_by"),
        ("/api/stats", &[("group_by", "colour")], "group_by"),
        ("/api/stats", &[("group_by", "year,year")], "group_by"),
        (
            "/api/stats",
            &[("group_by", "year,province,topic")],
            "group_by",
        ),
        (
            "/api/stats",
            &[("group_by", "year"), ("date_to", "2020-13-01")],
            "date_to",
        ),
        ("/api/stats", &[("group_by", "year"), ("q", "\"养老")], "q"),
        ("/api/search", &[("region_tree", "counties")], "region_tree"),
        ("/api/search", &[("region_open", "330000")], "region_open"),
        (
            "/api/commitments",
            &[("region_tree", "deep")],
            "region_tree",
        ),
    ];
    for (path, params, name) in cases {
        let (status, body) = get(&engine, path, params).await;
        assert_eq!(status, 400, "{path} {params:?}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("{name}:")),
            "{params:?}: {message}"
        );
    }
    // Too many cells is refused, saying so.
    let params = SearchParams {
        group_by: Some(OneOrMany::One("department,year".into())),
        ..Default::default()
    };
    let mut request = engine.validate_stats(&params).unwrap();
    // 嘉兴市民政局 2016 (twice), 杭州市民政局 2017, 广东省民政厅 2019 and undated.
    assert_eq!(engine.stats(&request).unwrap().rows.len(), 4);
    request.max_cells = 3;
    match engine.stats(&request) {
        Err(QueryError::InvalidParameter { parameter, message }) => {
            assert_eq!(parameter, "group_by");
            assert!(message.contains("more than 3 cells"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// `/api/stats` rows as (values, count).
fn rows(body: &Value) -> Vec<(Vec<Value>, u64)> {
    let dims: Vec<String> = body["group_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                dims.iter().map(|d| r[d].clone()).collect(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn stats_rows_sum_to_the_total_and_each_cell_is_a_filtered_search() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let (status, by_year) = get(&engine, "/api/stats", &[("group_by", "year")]).await;
    assert_eq!(status, 200, "{by_year}");
    assert_eq!(by_year["total"], 300);
    let year_rows = rows(&by_year);
    assert_eq!(year_rows.iter().map(|r| r.1).sum::<u64>(), 300);
    let years: Vec<&str> = year_rows.iter().filter_map(|r| r.0[0].as_str()).collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "{years:?}");

    // Single-valued dimensions add up to the total, unknowns (null) included; a query and
    // filters narrow it exactly as the search does.
    for dim in [
        "province",
        "county",
        "assembly",
        "level",
        "department",
        "reply_kind",
    ] {
        let params = [("group_by", dim), ("q", "建议"), ("year", "2018..2023")];
        let (status, body) = get(&engine, "/api/stats", &params).await;
        assert_eq!(status, 200, "{body}");
        let (_, search) = get(&engine, "/api/search", &params[1..]).await;
        assert_eq!(body["total"], search["total"], "{dim}");
        let sum: u64 = rows(&body).iter().map(|r| r.1).sum();
        assert_eq!(sum, search["total"].as_u64().unwrap(), "{dim}");
    }

    // Each cell of a pair is the count of a search filtered on both values.
    let (status, pairs) = get(&engine, "/api/stats", &[("group_by", "year,province")]).await;
    assert_eq!(status, 200, "{pairs}");
    let cells: Vec<(Vec<Value>, u64)> = rows(&pairs)
        .into_iter()
        .filter(|(v, _)| v.iter().all(Value::is_string))
        .collect();
    assert!(cells.len() > 20, "{}", cells.len());
    for (values, count) in cells.iter().step_by(cells.len() / 8) {
        let (year, province) = (values[0].as_str().unwrap(), values[1].as_str().unwrap());
        let (_, search) = get(
            &engine,
            "/api/search",
            &[("year", year), ("region", province), ("limit", "1")],
        )
        .await;
        assert_eq!(search["total"], *count, "{year} {province}");
    }
    let (_, topics) = get(
        &engine,
        "/api/stats",
        &[("group_by", "topic,assembly"), ("region", "浙江省,江苏省")],
    )
    .await;
    let topic_cells = rows(&topics);
    assert!(!topic_cells.is_empty());
    for (values, count) in topic_cells
        .iter()
        .filter(|(v, _)| v.iter().all(Value::is_string))
    {
        let (topic, assembly) = (values[0].as_str().unwrap(), values[1].as_str().unwrap());
        let (_, search) = get(
            &engine,
            "/api/search",
            &[
                ("topic", topic),
                ("assembly", assembly),
                ("region", "浙江省,江苏省"),
                ("limit", "1"),
            ],
        )
        .await;
        assert_eq!(search["total"], *count, "{topic} {assembly}");
    }

    // The top departments are the department facet's first values.
    let (_, search) = get(&engine, "/api/search", &[("limit", "1")]).await;
    let top: Vec<(String, u64)> = by_year["top_departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["value"].as_str().unwrap().to_string(),
                d["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(top.len(), 10);
    assert_eq!(top, facet(&search, "department")[..10]);

    // POST with a JSON body answers the same.
    let (status, posted) = call(
        &engine,
        Request::post("/api/stats")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"group_by": ["year", "province"]}).to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{posted}");
    assert_eq!(posted["rows"], pairs["rows"]);
    assert_eq!(posted["group_by"], json!(["year", "province"]));
}
