//! The response's optional parts (`facets=false`, `highlight=false`) and the exact-substring
//! matching of the bigram field, through the real router over 400 generated replies: leaving
//! parts out changes nothing else, the flat region facets agree with the region tree they are
//! now summed from, and a quoted phrase of any length finds exactly the replies whose text
//! contains it (counted here by brute force over the same corpus), and the API's JSON of a
//! search is serde's, its region tree (written without serde) last.

use std::sync::Arc;

use serde_json::Value;

use dafu_extract::normalize::{fold_char, is_separator};
use dafu_extract::region::RegionTable;
use dafu_query::SearchEngine;
use dafu_sample::{SampleOptions, generate};

use crate::support::{build, get, ids, send, uri};

const REPLIES: usize = 400;

fn options() -> SampleOptions {
    SampleOptions {
        count: REPLIES,
        ..SampleOptions::default()
    }
}

fn sample_engine() -> (tempfile::TempDir, Arc<SearchEngine>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("sample");
    dafu_sample::write_corpus(&corpus, RegionTable::embedded(), &options()).expect("sample");
    let (engine, summary) = build(&dir.path().join("index"), &[corpus]);
    assert_eq!(summary.indexed, REPLIES, "{:?}", summary.skipped);
    (dir, engine)
}

/// A text as the substring fields see it: folded, separators dropped.
fn compact(text: &str) -> String {
    text.chars()
        .map(fold_char)
        .filter(|c| !is_separator(*c))
        .collect()
}

/// The sample corpus's texts, [`compact`]ed.
fn sample_texts() -> Vec<String> {
    generate(RegionTable::embedded(), &options())
        .map(|r| compact(&r.text))
        .collect()
}

fn total(body: &Value) -> u64 {
    body["total"].as_u64().unwrap_or(u64::MAX)
}

fn highlights(body: &Value) -> usize {
    body["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["highlights"].as_array().map_or(0, Vec::len))
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn leaving_out_facets_and_highlights_changes_nothing_else() {
    let (_dir, engine) = sample_engine();
    for (path, q) in [
        ("/api/search", "培训"),
        ("/api/search", "养老服务 资金"),
        ("/api/commitments", "资金"),
    ] {
        let (status, full) = get(&engine, path, &[("q", q), ("limit", "20")]).await;
        assert_eq!(status, 200, "{full}");
        let (status, bare) = get(
            &engine,
            path,
            &[
                ("q", q),
                ("limit", "20"),
                ("facets", "false"),
                ("highlight", "false"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{bare}");
        assert!(total(&full) > 20, "{path} {q}: too few hits to compare");
        assert_eq!(total(&bare), total(&full), "{path} {q}");
        if path == "/api/search" {
            assert_eq!(
                ids(&bare),
                ids(&full),
                "{q}: the same hits in the same order"
            );
        }
        assert!(highlights(&full) > 0 && !full["region_tree"].as_array().unwrap().is_empty());
        assert_eq!(highlights(&bare), 0, "{path} {q}");
        assert_eq!(bare["facets"], serde_json::json!({}));
        assert_eq!(bare["region_tree"], serde_json::json!([]));
        assert_eq!(bare["year_histogram"], serde_json::json!([]));

        // Each part on its own.
        let (_, no_facets) = get(&engine, path, &[("q", q), ("facets", "false")]).await;
        assert!(highlights(&no_facets) > 0);
        let (_, no_marks) = get(&engine, path, &[("q", q), ("highlight", "0")]).await;
        assert_eq!(highlights(&no_marks), 0);
        assert_eq!(no_marks["facets"], full["facets"], "{path} {q}");
    }
    // Filters still apply without facets.
    let filtered = [("q", "资金"), ("region", "浙江省"), ("facets", "false")];
    let (_, bare) = get(&engine, "/api/search", &filtered).await;
    let (_, full) = get(&engine, "/api/search", &filtered[..2]).await;
    assert_eq!(total(&bare), total(&full));
    assert!(total(&full) < total(&get(&engine, "/api/search", &filtered[..1]).await.1));

    let (status, body) = get(
        &engine,
        "/api/search",
        &[("q", "资金"), ("facets", "maybe")],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("facets")
    );
}

#[tokio::test]
async fn flat_region_facets_are_the_sums_of_the_region_tree() {
    let (_dir, engine) = sample_engine();
    for params in [
        vec![("q", "")],
        vec![("q", "培训")],
        vec![("q", "资金"), ("year", "2019..2021")],
    ] {
        let (status, body) = get(&engine, "/api/search", &params).await;
        assert_eq!(status, 200, "{body}");
        let facet = |name: &str| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> = body["facets"][name]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["value"].as_str().unwrap().to_string(),
                        f["count"].as_u64().unwrap(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        let tree = body["region_tree"].as_array().unwrap();
        let mut provinces: Vec<(String, u64)> = tree
            .iter()
            .map(|n| {
                (
                    n["value"].as_str().unwrap().to_string(),
                    n["count"].as_u64().unwrap(),
                )
            })
            .collect();
        provinces.sort();
        assert_eq!(facet("region"), provinces, "{params:?}");
        // Every city of the flat facet is a city node of the tree with the same count.
        for (city, count) in facet("city") {
            let in_tree: u64 = tree
                .iter()
                .flat_map(|p| p["children"].as_array().unwrap())
                .filter(|c| c["value"] == city.as_str())
                .map(|c| c["count"].as_u64().unwrap())
                .sum();
            assert_eq!(in_tree, count, "{city} in {params:?}");
        }
    }
}

#[tokio::test]
async fn a_quoted_phrase_finds_exactly_the_replies_that_contain_it() {
    let (_dir, engine) = sample_engine();
    let texts = sample_texts();
    // One character (a prefix of bigrams), two (one bigram), odd and even lengths, digits, and
    // text that spans a comma in the replies.
    for phrase in [
        "局",
        "函",
        "资金",
        "养老服务",
        "取得了明显成效",
        "进一步加强",
        "2019",
        "号建议",
        "收悉，非常感谢",
    ] {
        let needle = compact(phrase);
        let expected = texts.iter().filter(|t| t.contains(&needle)).count() as u64;
        let (status, body) = get(
            &engine,
            "/api/search",
            &[("q", &format!("\"{phrase}\"")), ("facets", "false")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(total(&body), expected, "\"{phrase}\"");
        assert!(expected > 0, "\"{phrase}\" occurs nowhere in the corpus");
    }
}

#[tokio::test]
async fn a_one_character_word_answers_the_same_from_the_kept_bit_sets() {
    // A one-character word matches its token or any bigram it begins; those bigrams are read
    // into a bit set per segment on the first search and kept for the next ones
    // (`dafu-query::prefix_docs`). A repeated search, of replies or commitments, quoted or as
    // a word beside another, gives what the first gave, and a quoted character finds exactly
    // the replies whose text holds it.
    let (_dir, engine) = sample_engine();
    let texts = sample_texts();
    let without_time = |mut body: Value| {
        if let Some(body) = body.as_object_mut() {
            body.remove("took_ms");
        }
        body
    };
    for (path, q) in [
        ("/api/search", "\"局\""),
        ("/api/search", "2020年"),
        ("/api/search", "年 资金"),
        ("/api/commitments", "2021年"),
        ("/api/commitments", "\"年\""),
    ] {
        let mut answers = Vec::new();
        for _ in 0..2 {
            let (status, body) = get(&engine, path, &[("q", q), ("explain", "true")]).await;
            assert_eq!(status, 200, "{body}");
            answers.push(without_time(body));
        }
        assert!(total(&answers[0]) > 0, "{path} {q}");
        assert_eq!(answers[0], answers[1], "{path} {q}");
    }
    // Each character's own set, kept or not.
    for c in ['局', '年', '函', '局'] {
        let expected = texts.iter().filter(|t| t.contains(c)).count() as u64;
        let q = format!("\"{c}\"");
        let (_, body) = get(&engine, "/api/search", &[("q", &q), ("facets", "false")]).await;
        assert_eq!(total(&body), expected, "{q}");
    }
}

#[tokio::test]
async fn a_word_finds_the_replies_holding_its_characters_whatever_jieba_did() {
    // A word of three characters or more is matched by its jieba token or by its characters
    // in a row in the body (one scorer that reads positions only where the token is missing),
    // or in the reply's or the proposal's title; a word of two characters by its one bigram
    // (the token sought only to score). So the replies found unquoted are those found as a
    // quoted phrase, plus at most those with the word in a title.
    let (_dir, engine) = sample_engine();
    let replies: Vec<(String, String)> = generate(RegionTable::embedded(), &options())
        .map(|r| {
            let titles = format!("{} {}", r.truth.title, r.truth.proposal_title);
            (compact(&r.text), compact(&titles))
        })
        .collect();
    for word in [
        "养老服务",
        "乡村振兴",
        "学前教育",
        "垃圾分类",
        "专项资金",
        "城市更新",
        "资金",
        "培训",
        "社区",
        "养老",
    ] {
        let needle = compact(word);
        let in_body = replies.iter().filter(|(t, _)| t.contains(&needle)).count() as u64;
        let in_title_only = replies
            .iter()
            .filter(|(t, titles)| !t.contains(&needle) && titles.contains(&needle))
            .count() as u64;
        let count = |q: String| {
            let engine = engine.clone();
            async move {
                let (status, body) =
                    get(&engine, "/api/search", &[("q", &q), ("facets", "false")]).await;
                assert_eq!(status, 200, "{body}");
                total(&body)
            }
        };
        let quoted = count(format!("\"{word}\"")).await;
        let unquoted = count(word.to_string()).await;
        assert_eq!(quoted, in_body, "\"{word}\"");
        assert!(in_body > 0, "{word} occurs nowhere in the corpus");
        assert!(
            (in_body..=in_body + in_title_only).contains(&unquoted),
            "{word}: {unquoted} replies unquoted, {in_body} hold it in the body, \
             {in_title_only} more in a title"
        );
    }
}

#[tokio::test]
async fn the_proximity_bonus_added_to_the_best_hits_only_ranks_like_the_whole_query() {
    // A search adds the multi-word proximity bonus only to the hits that can make the page
    // (by relevance, those that can score high enough; by date, those of the page's dates);
    // `explain=true` keeps the bonus in the query (every hit scored with it). Both must give
    // the same hits, in the same order, with the same scores to the last digit: a leaf of several words (文化旅游 is 文化 + 旅游) beside another word,
    // and a word with a synonym (医保 is 医疗保险), included.
    let (_dir, engine) = sample_engine();
    let hits = |body: &Value| -> Vec<(String, String)> {
        body["hits"]
            .as_array()
            .map(|hits| {
                hits.iter()
                    .map(|h| (h["id"].to_string(), h["score"].to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut compared = 0;
    for q in [
        "养老服务 资金",
        "人才 培训",
        "农村公路 养护",
        "乡村振兴 产业 人才",
        "资金 保障 落实",
        "就业 创业 补贴",
        "学前教育 师资",
        "文化旅游 融合 发展",
        "医保 报销 比例",
    ] {
        let pages = [("0", "10"), ("0", "3"), ("4", "6"), ("0", "100")];
        for ((offset, limit), sort) in pages
            .into_iter()
            .flat_map(|page| ["relevance", "date", "date_asc"].map(|sort| (page, sort)))
        {
            let params = [
                ("q", q),
                ("offset", offset),
                ("limit", limit),
                ("facets", "false"),
                ("sort", sort),
            ];
            let (status, deferred) = get(&engine, "/api/search", &params).await;
            assert_eq!(status, 200, "{deferred}");
            let mut whole = params.to_vec();
            whole.push(("explain", "true"));
            let (status, inline) = get(&engine, "/api/search", &whole).await;
            assert_eq!(status, 200, "{inline}");
            assert_eq!(
                hits(&deferred),
                hits(&inline),
                "{q} offset {offset} limit {limit} by {sort}"
            );
            assert_eq!(total(&deferred), total(&inline), "{q}");
            compared += hits(&deferred).len();
        }
    }
    assert!(compared > 100, "too few hits compared: {compared}");
}

/// `body` with its `took_ms` value blanked (it differs from one run of a search to the next).
fn timeless(body: &[u8]) -> String {
    let text = String::from_utf8(body.to_vec()).expect("UTF-8 JSON");
    let Some(at) = text.find("\"took_ms\":") else {
        return text;
    };
    let value = at + "\"took_ms\":".len();
    let end = text[value..]
        .find([',', '}'])
        .map_or(text.len(), |e| value + e);
    format!("{}{}", &text[..value], &text[end..])
}

#[tokio::test]
async fn the_api_writes_a_response_as_serde_does_with_its_region_tree_last() {
    // The API writes the region tree's JSON itself (`dafu-query::response_json`), the rest of
    // a search or commitment search with serde: the bytes are serde's for the whole response
    // (the CLI's `--json` and any caller of the library serialize it with serde).
    let (_dir, engine) = sample_engine();
    for (path, params) in [
        ("/api/search", vec![("q", "资金")]),
        (
            "/api/search",
            vec![("q", "养老服务"), ("region_tree", "folded")],
        ),
        (
            "/api/search",
            vec![
                ("q", "培训"),
                ("region_tree", "folded"),
                ("region_open", "浙江省"),
            ],
        ),
        ("/api/search", vec![("q", "社区"), ("year", "2019")]),
        ("/api/search", vec![]),
        ("/api/commitments", vec![("q", "资金")]),
        (
            "/api/commitments",
            vec![("q", "2021年"), ("region_tree", "folded")],
        ),
        ("/api/search", vec![("q", "资金"), ("facets", "false")]),
    ] {
        let uri = uri(path, &params);
        let request = axum::http::Request::get(&uri)
            .body(axum::body::Body::empty())
            .expect("request");
        let (status, headers, body) = send(&engine, request).await;
        assert_eq!(status, 200, "{uri}: {}", String::from_utf8_lossy(&body));
        assert_eq!(headers["content-type"], "application/json", "{uri}");
        let search: dafu_query::request::SearchParams = serde_json::from_value(serde_json::json!(
            params
                .iter()
                .cloned()
                .collect::<std::collections::BTreeMap<_, _>>()
        ))
        .expect("parameters");
        let expected = if path == "/api/commitments" {
            let request = engine
                .validate_for(dafu_query::request::Target::Commitments, &search)
                .expect("valid");
            serde_json::to_vec(&engine.search_commitments(&request).expect("search"))
        } else {
            let request = engine.validate(&search).expect("valid");
            serde_json::to_vec(&engine.search(&request).expect("search"))
        }
        .expect("JSON");
        assert_eq!(timeless(&body), timeless(&expected), "{uri}");
        // The tree after the last other field (both keys occur once, at the top).
        let text = timeless(&body);
        let (took, tree) = (text.find("\"took_ms\":"), text.find("\"region_tree\":"));
        assert!(
            took.is_some() && took < tree,
            "{uri}: the region tree is not last"
        );
        let json: Value = serde_json::from_slice(&body).expect("JSON");
        if params.is_empty() || params == [("q", "资金")] {
            // The full tree of a broad search: provinces, their cities and counties.
            let tree = json["region_tree"].as_array().expect("a tree");
            assert!(
                tree.iter()
                    .any(|p| p["children"].as_array().is_some_and(|c| {
                        c.iter()
                            .any(|city| city["children"].as_array().is_some_and(|k| !k.is_empty()))
                    })),
                "{uri}: no county in the full tree"
            );
        }
    }
}
