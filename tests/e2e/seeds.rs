//! The foundation issue's acceptance tests on the two real replies in `../shared/corpus/seeds`.

use std::sync::Arc;

use serde_json::Value;

use dafu_query::SearchEngine;

use crate::support::{build, facet, get, ids, shared_corpus};

const JILIN: &str = "000_f816d77ca6acb2ac";
const JIAXING: &str = "004_c8affcde4ae63ebc";

fn seeds_engine() -> Option<(tempfile::TempDir, Arc<SearchEngine>)> {
    let corpus = shared_corpus()?;
    let dir = tempfile::tempdir().expect("tempdir");
    let (engine, summary) = build(&dir.path().join("index"), &[corpus.join("seeds")]);
    assert_eq!(summary.indexed, 2, "{:?}", summary.skipped);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    Some((dir, engine))
}

#[tokio::test]
async fn talent_query_ranks_the_jilin_reply_first() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    let (status, body) = get(&engine, "/api/search", &[("q", "人才队伍")]).await;
    assert_eq!(status, 200, "{body}");
    // 004 mentions 人才队伍 once; 000 is about it.
    assert_eq!(ids(&body), [JILIN, JIAXING]);
    assert_eq!(body["total"], 2);
    let first = &body["hits"][0];
    assert_eq!(first["doc_number"], "吉民议字〔2020〕4号");
    assert_eq!(first["department"], "吉林省民政厅");
    assert_eq!(first["region"]["province"], "吉林省");
    assert_eq!(first["region"]["city"], Value::Null);
    assert_eq!(first["year"], 2020);
    assert_eq!(first["date"], "2020-06-30");
    assert!(
        first["topics"]
            .as_array()
            .is_some_and(|t| t.contains(&"talent".into()))
    );
}

#[tokio::test]
async fn region_filter_returns_only_the_zhejiang_reply() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    let (status, body) = get(&engine, "/api/search", &[("region", "浙江省")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), [JIAXING]);
    let (_, by_city) = get(&engine, "/api/search", &[("region", "嘉兴市")]).await;
    assert_eq!(ids(&by_city), [JIAXING]);
    let (_, jilin) = get(
        &engine,
        "/api/search",
        &[("region", "吉林省"), ("q", "社会组织")],
    )
    .await;
    assert_eq!(ids(&jilin), [JILIN]);
    // 吉林市 is a city inside 吉林省; the provincial reply is not in it.
    let (_, jilin_city) = get(&engine, "/api/search", &[("region", "吉林市")]).await;
    assert_eq!(jilin_city["total"], 0);
}

#[tokio::test]
async fn facet_counts_match_the_hits_and_are_disjunctive() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    let (_, all) = get(&engine, "/api/search", &[]).await;
    assert_eq!(all["total"], 2);
    assert_eq!(
        facet(&all, "region"),
        [("吉林省".into(), 1), ("浙江省".into(), 1)]
    );
    assert_eq!(facet(&all, "year"), [("2020".into(), 2)]);
    assert_eq!(
        facet(&all, "assembly"),
        [("cppcc".into(), 1), ("npc".into(), 1)]
    );

    let (_, zj) = get(&engine, "/api/search", &[("region", "浙江省")]).await;
    // Other dimensions count only the hits ...
    for dim in ["year", "assembly", "level", "department", "topic"] {
        let counts = facet(&zj, dim);
        let hits = zj["hits"].as_array().expect("hits");
        for (value, count) in &counts {
            let matching = hits
                .iter()
                .filter(|h| match dim {
                    "year" => h["year"].as_u64().map(|y| y.to_string()).as_ref() == Some(value),
                    "topic" => h["topics"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|x| x == value.as_str())),
                    _ => h[dim] == value.as_str(),
                })
                .count() as u64;
            assert_eq!(*count, matching, "{dim}={value}");
        }
    }
    assert_eq!(facet(&zj, "assembly"), [("npc".into(), 1)]);
    assert_eq!(facet(&zj, "city"), [("嘉兴市".into(), 1)]);
    // ... while the region dimension ignores its own filter.
    assert_eq!(
        facet(&zj, "region"),
        [("吉林省".into(), 1), ("浙江省".into(), 1)]
    );

    let (_, both) = get(
        &engine,
        "/api/search",
        &[("region", "浙江省"), ("assembly", "cppcc")],
    )
    .await;
    assert_eq!(both["total"], 0);
    // Each dimension shows what dropping its own filter would give.
    assert_eq!(facet(&both, "region"), [("吉林省".into(), 1)]);
    assert_eq!(facet(&both, "assembly"), [("npc".into(), 1)]);
}

#[tokio::test]
async fn document_numbers_are_found_whatever_their_brackets() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    for q in [
        "\"吉民议字〔2020〕4号\"",
        "\"吉民议字[2020]4号\"",
        "吉民议字[2020]4号",
        "吉民议字（2020）4号",
        "“吉民议字【２０２０】４号”",
    ] {
        let (status, body) = get(&engine, "/api/search", &[("q", q)]).await;
        assert_eq!(status, 200, "{q}: {body}");
        assert_eq!(ids(&body), [JILIN], "{q}");
    }
    let (_, jx) = get(&engine, "/api/search", &[("q", "嘉政民函[2020]8号")]).await;
    assert_eq!(ids(&jx), [JIAXING]);
}

#[tokio::test]
async fn quoted_literals_match_exact_text_even_across_line_breaks() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    let (_, body) = get(
        &engine,
        "/api/search",
        &[("q", "\"培训人次不少于500人次\"")],
    )
    .await;
    assert_eq!(ids(&body), [JILIN]);
    // The attachment title wraps after 等 in the original.
    let (_, body) = get(
        &engine,
        "/api/search",
        &[("q", "\"协会商会等社会组织人才队伍建设提案\"")],
    )
    .await;
    assert_eq!(ids(&body), [JILIN]);
    // A substring jieba never produces as a word.
    let (_, body) = get(&engine, "/api/search", &[("q", "\"理事长张宝\"")]).await;
    assert_eq!(ids(&body), [JILIN]);
    let (_, none) = get(
        &engine,
        "/api/search",
        &[("q", "\"培训人次不少于600人次\"")],
    )
    .await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn highlight_offsets_slice_the_reply_text_to_the_marked_words() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    for q in [
        "人才队伍 培训",
        "\"不少于500人次\"",
        "突发事件",
        "吉民议字[2020]4号",
        // Wraps across a line break in 000's attachment title.
        "\"协会商会等社会组织人才队伍建设提案\"",
    ] {
        let (_, body) = get(&engine, "/api/search", &[("q", q)]).await;
        let hits = body["hits"].as_array().expect("hits");
        assert!(!hits.is_empty(), "{q}");
        for hit in hits {
            let id = hit["id"].as_str().expect("id");
            let (status, reply) = get(&engine, &format!("/api/replies/{id}"), &[]).await;
            assert_eq!(status, 200);
            let text: Vec<char> = reply["text"].as_str().expect("text").chars().collect();
            let fragments = hit["highlights"].as_array().expect("highlights");
            assert!(!fragments.is_empty(), "{q} {id}");
            let mut marked = 0;
            for f in fragments {
                let html = f["html"].as_str().expect("html");
                let in_html: Vec<String> = html
                    .split("<mark>")
                    .skip(1)
                    .map(|s| s.split("</mark>").next().unwrap_or_default().to_string())
                    .collect();
                let marks = f["marks"].as_array().expect("marks");
                assert_eq!(in_html.len(), marks.len(), "{html}");
                for (m, shown) in marks.iter().zip(&in_html) {
                    let (s, e) = (
                        m["start"].as_u64().unwrap() as usize,
                        m["end"].as_u64().unwrap() as usize,
                    );
                    let sliced: String = text[s..e].iter().collect();
                    assert_eq!(&sliced, shown, "{q} {id}");
                    marked += 1;
                }
                let (fs, fe) = (
                    f["start"].as_u64().unwrap() as usize,
                    f["end"].as_u64().unwrap() as usize,
                );
                let plain: String = text[fs..fe].iter().collect();
                let unmarked = html.replace("<mark>", "").replace("</mark>", "");
                assert_eq!(
                    unmarked,
                    plain
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                );
            }
            assert!(marked > 0, "{q} {id}");
        }
    }
}

#[tokio::test]
async fn the_whole_reply_with_every_field() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    let (status, body) = get(&engine, &format!("/api/replies/{JIAXING}"), &[]).await;
    assert_eq!(status, 200);
    assert!(
        body["text"]
            .as_str()
            .is_some_and(|t| t.contains("嘉兴市民政局"))
    );
    assert_eq!(body["region"]["province_code"], "330000");
    assert_eq!(body["region"]["city_code"], "330400");
    assert_eq!(body["primary_topic"], "emergencies");
    assert_eq!(body["level"], "city");
    assert!(
        body["origin"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("004_c8affcde4ae63ebc.txt"))
    );
}

#[tokio::test]
async fn sorting_and_paging() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    let (_, newest) = get(&engine, "/api/search", &[("sort", "date")]).await;
    assert_eq!(ids(&newest), [JIAXING, JILIN]);
    let (_, oldest) = get(&engine, "/api/search", &[("sort", "date_asc")]).await;
    assert_eq!(ids(&oldest), [JILIN, JIAXING]);
    let (_, page2) = get(
        &engine,
        "/api/search",
        &[("sort", "date"), ("limit", "1"), ("offset", "1")],
    )
    .await;
    assert_eq!(ids(&page2), [JILIN]);
    assert_eq!(page2["total"], 2);
}

#[tokio::test]
async fn post_search_takes_the_same_parameters_as_json() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    let request = axum::http::Request::post("/api/search")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            r#"{"q": "社会组织", "region": ["浙江省"], "year": "2018..2020", "limit": 5}"#,
        ))
        .expect("request");
    let (status, body) = crate::support::call(&engine, request).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), [JIAXING]);
}

#[tokio::test]
async fn extraction_fields_are_filters_facets_and_reply_fields() {
    let Some((_dir, engine)) = seeds_engine() else {
        return;
    };
    for (param, value, want) in [
        ("proposal_number", "196", JILIN),
        ("proposal_number", "0124", JIAXING),
        ("proposal_number", "第124号", JIAXING),
        ("session", "12-3", JILIN),
        ("session", "十二届三次", JILIN),
        ("session", "八届五次会议", JIAXING),
        ("level", "city", JIAXING),
    ] {
        let (status, body) = get(&engine, "/api/search", &[(param, value)]).await;
        assert_eq!(status, 200, "{param}={value}: {body}");
        assert_eq!(ids(&body), [want], "{param}={value}");
    }
    let (_, none) = get(&engine, "/api/search", &[("result_class", "A")]).await;
    assert_eq!(none["total"], 0);

    let (_, all) = get(&engine, "/api/search", &[("session", "12-3")]).await;
    assert_eq!(facet(&all, "reply_kind"), [("reply".into(), 1)]);
    assert_eq!(facet(&all, "result_class"), []);
    assert_eq!(facet(&all, "level"), [("province".into(), 1)]);
    let hit = &all["hits"][0];
    assert_eq!(hit["proposer"], "魏**");
    assert_eq!(hit["proposal_number"], "196");
    assert_eq!(hit["reply_kind"], "reply");

    let (status, reply) = get(&engine, &format!("/api/replies/{JILIN}"), &[]).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["session"]["text"], "十二届三次会议");
    assert_eq!(reply["co_departments"][0], "吉林省人力资源和社会保障厅");
    assert_eq!(reply["contacts"][0]["name"], "田**");
    assert_eq!(reply["warnings"], serde_json::json!([]));
    let text: Vec<char> = reply["text"].as_str().unwrap_or_default().chars().collect();
    let commitments = reply["commitments"].as_array().cloned().unwrap_or_default();
    assert!(commitments.len() >= 4, "{commitments:?}");
    for c in commitments {
        let (start, end) = (
            c["start"].as_u64().unwrap_or(0),
            c["end"].as_u64().unwrap_or(0),
        );
        let slice: String = text[start as usize..end as usize].iter().collect();
        assert_eq!(c["text"], slice.as_str());
    }

    for (param, value) in [
        ("session", "三次会议"),
        ("proposal_number", "abc"),
        ("result_class", "E"),
        ("reply_kind", "answer"),
    ] {
        let (status, body) = get(&engine, "/api/search", &[(param, value)]).await;
        assert_eq!(status, 400, "{param}={value}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(param)),
            "{body}"
        );
    }
}
