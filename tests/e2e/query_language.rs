//! The query language through the real router: OR, exclusions, groups, field scopes, 文号,
//! the proximity bonus and `explain`.

use std::sync::Arc;

use serde_json::Value;

use dafu_query::SearchEngine;

use crate::support::{build, get, ids, write_fixtures};

/// Two replies of 吉林省民政厅 with the same words: in the first, 志愿者 and 培训 sit side by
/// side; in the second, two words apart. The first is the older, so that it ranks first only
/// thanks to the proximity bonus (among equal scores the newer ranks first).
const VOLUNTEERS: &[(&str, &str)] = &[
    (
        "fx-jilin-volunteers-adjacent",
        "吉民函〔2020〕21号\n\n关于省十三届人大三次会议第21号建议的答复\n\n赵某某代表：\n\n您提出的《关于加强社区志愿服务的建议》收悉，现答复如下：\n一、我厅组织志愿者培训三百人次。\n二、下一步将继续完善社区服务体系。\n\n吉林省民政厅\n2020年5月8日\n",
    ),
    (
        "fx-jilin-volunteers-apart",
        "吉民函〔2021〕22号\n\n关于省十三届人大三次会议第22号建议的答复\n\n钱某某代表：\n\n您提出的《关于加强社区志愿服务的建议》收悉，现答复如下：\n一、我厅组织志愿者三百人次培训。\n二、下一步将继续完善社区服务体系。\n\n吉林省民政厅\n2021年5月8日\n",
    ),
];

const ADJACENT: &str = "fx-jilin-volunteers-adjacent";
const APART: &str = "fx-jilin-volunteers-apart";

/// An engine over the shared fixtures and [`VOLUNTEERS`].
fn engine() -> (tempfile::TempDir, Arc<SearchEngine>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    write_fixtures(&input);
    for (id, text) in VOLUNTEERS {
        std::fs::write(input.join(format!("{id}.txt")), text).expect("write fixture");
    }
    let (engine, summary) = build(&dir.path().join("index"), &[input]);
    assert_eq!(summary.indexed, 5, "{:?}", summary.skipped);
    (dir, engine)
}

async fn search(engine: &Arc<SearchEngine>, q: &str) -> Value {
    let (status, body) = get(engine, "/api/search", &[("q", q)]).await;
    assert_eq!(status, 200, "{q:?}: {body}");
    body
}

/// The ids found by `q`, sorted by id (for queries whose order is not the point).
async fn found(engine: &Arc<SearchEngine>, q: &str) -> Vec<String> {
    let mut found = ids(&search(engine, q).await);
    found.sort();
    found
}

#[tokio::test]
async fn or_finds_either() {
    let (_dir, engine) = engine();
    let both = ["fx-guangdong-emergency", "fx-hangzhou-edu"];
    assert_eq!(found(&engine, "课后服务 OR 应急救援").await, both);
    assert_eq!(found(&engine, "课后服务｜应急救援").await, both);
    // Lower-case `or` is a word, and no reply has both words and "or".
    assert!(found(&engine, "课后服务 or 应急救援").await.is_empty());
    // OR binds tighter than AND.
    assert_eq!(
        found(&engine, "杭州 课后服务 OR 应急救援").await,
        ["fx-hangzhou-edu"]
    );
}

#[tokio::test]
async fn exclusions_leave_out() {
    let (_dir, engine) = engine();
    assert_eq!(
        found(&engine, "建议 -农村").await,
        ["fx-hangzhou-edu", ADJACENT, APART]
    );
    assert_eq!(found(&engine, "志愿者 -\"三百人次培训\"").await, [ADJACENT]);
    // Only exclusions: every reply but those.
    let body = search(&engine, "-志愿者").await;
    assert_eq!(body["total"], 3);
    let body = search(&engine, "-(志愿者 OR 课后服务)").await;
    assert_eq!(ids(&body).len(), 2);
    assert!(
        !ids(&body).contains(&"fx-hangzhou-edu".to_string()),
        "{body}"
    );
    // Filters still apply.
    let (_, body) = get(
        &engine,
        "/api/search",
        &[("q", "-志愿者"), ("region", "广东")],
    )
    .await;
    assert_eq!(ids(&body), ["fx-guangdong-emergency"]);
}

#[tokio::test]
async fn excluded_terms_are_not_highlighted() {
    let (_dir, engine) = engine();
    let body = search(&engine, "志愿者 (-培训 OR 社区)").await;
    assert_eq!(body["total"], 2, "{body}");
    let mut marked = Vec::new();
    for hit in body["hits"].as_array().unwrap() {
        for fragment in hit["highlights"].as_array().unwrap() {
            let html = fragment["html"].as_str().unwrap();
            for piece in html.split("<mark>").skip(1) {
                marked.push(piece.split("</mark>").next().unwrap().to_string());
            }
        }
    }
    assert!(marked.iter().any(|m| m == "志愿者"), "{marked:?}");
    assert!(marked.iter().any(|m| m == "社区"), "{marked:?}");
    assert!(!marked.iter().any(|m| m.contains("培训")), "{marked:?}");
}

#[tokio::test]
async fn parentheses_group_in_both_widths() {
    let (_dir, engine) = engine();
    assert_eq!(
        found(&engine, "(课后服务 OR 应急救援) -广东").await,
        ["fx-hangzhou-edu"]
    );
    assert_eq!(
        found(&engine, "（课后服务｜应急救援）－广东").await,
        ["fx-hangzhou-edu"]
    );
    assert_eq!(
        found(&engine, "(志愿者 -赵某某) OR 客运").await,
        ["fx-chengdu-transport", APART]
    );
}

#[tokio::test]
async fn field_scopes_search_one_field() {
    let (_dir, engine) = engine();
    // 志愿者 is in the body, not in the title.
    assert_eq!(found(&engine, "志愿者").await.len(), 2);
    assert!(found(&engine, "title:志愿者").await.is_empty());
    assert_eq!(
        found(&engine, "title:提案").await,
        ["fx-guangdong-emergency"]
    );
    assert_eq!(found(&engine, "title:\"第21号\"").await, [ADJACENT]);
    // Part of the department's name, in either colon.
    assert_eq!(found(&engine, "department:民政厅").await, [ADJACENT, APART]);
    assert_eq!(
        found(&engine, "department：教育局").await,
        ["fx-hangzhou-edu"]
    );
    assert_eq!(
        found(&engine, "department:(教育局 OR 应急)").await,
        ["fx-guangdong-emergency", "fx-hangzhou-edu"]
    );
    assert_eq!(found(&engine, "proposer:赵").await, [ADJACENT]);
    assert_eq!(found(&engine, "proposer:\"钱某某\"").await, [APART]);
    assert_eq!(found(&engine, "社区 -proposer:赵").await, [APART]);
    // The 文号, whole (any brackets) or in part.
    assert_eq!(found(&engine, "doc:吉民函(2020)21号").await, [ADJACENT]);
    assert_eq!(found(&engine, "doc:吉民函").await, [ADJACENT, APART]);
    assert_eq!(
        found(&engine, "doc:粤应急函").await,
        ["fx-guangdong-emergency"]
    );
    // 2020 is in several texts, but in one 文号 only.
    assert_eq!(found(&engine, "doc:2020").await, [ADJACENT]);
}

#[tokio::test]
async fn doc_numbers_and_colons_in_text() {
    let (_dir, engine) = engine();
    assert_eq!(found(&engine, "吉民函[2021]22号").await, [APART]);
    assert_eq!(
        found(&engine, "(吉民函(2021)22号 OR 杭教函（2021）12号)").await,
        ["fx-hangzhou-edu", APART]
    );
    assert_eq!(found(&engine, "答复：课后服务").await, ["fx-hangzhou-edu"]);
}

#[tokio::test]
async fn malformed_queries_say_what_and_where() {
    let (_dir, engine) = engine();
    for (q, mentions) in [
        ("培训 foo:农村", "at character 3"),
        ("培训 foo:农村", "department:"),
        ("培训 (农村", "never closed"),
        ("培训 农村)", "at character 5"),
        ("培训 ()", "empty"),
        ("培训 OR", "OR"),
        ("培训 -", "exclude"),
    ] {
        let (status, body) = get(&engine, "/api/search", &[("q", q)]).await;
        assert_eq!(status, 400, "{q}: {body}");
        assert_eq!(body["error"]["code"], "invalid_query", "{q}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(mentions), "{q}: {message}");
    }
}

#[tokio::test]
async fn words_side_by_side_rank_first() {
    let (_dir, engine) = engine();
    let body = search(&engine, "志愿者 培训").await;
    assert_eq!(ids(&body), [ADJACENT, APART]);
    let score = |i: usize| body["hits"][i]["score"].as_f64().unwrap();
    assert!(score(0) > score(1), "{body}");
    // Without the bonus the two tie, and the newer would come first: each word alone scores
    // them the same.
    let body = search(&engine, "培训").await;
    assert_eq!(ids(&body), [APART, ADJACENT]);
    let score = |i: usize| body["hits"][i]["score"].as_f64().unwrap();
    assert_eq!(score(0), score(1), "{body}");
}

#[tokio::test]
async fn explain_shows_how_a_score_was_computed() {
    let (_dir, engine) = engine();
    let (_, body) = get(
        &engine,
        "/api/search",
        &[("q", "志愿者 培训"), ("explain", "true")],
    )
    .await;
    let hit = &body["hits"][0];
    let explanation = &hit["explanation"];
    let value = explanation["value"].as_f64().unwrap();
    let score = hit["score"].as_f64().unwrap();
    assert!((value - score).abs() < 1e-4, "{value} vs {score}");
    assert!(explanation["description"].is_string(), "{explanation}");
    assert!(
        explanation.to_string().contains("志愿者"),
        "the tree names the terms: {explanation}"
    );
    let body = search(&engine, "志愿者 培训").await;
    assert!(body["hits"][0].get("explanation").is_none(), "{body}");
    // Commitments too.
    let (_, body) = get(
        &engine,
        "/api/commitments",
        &[("q", "力争"), ("explain", "1")],
    )
    .await;
    let hits = body["hits"].as_array().cloned().unwrap_or_default();
    assert!(!hits.is_empty(), "{body}");
    assert!(
        hits.iter().all(|h| h["explanation"]["value"].is_number()),
        "{body}"
    );
    let (status, body) = get(&engine, "/api/search", &[("explain", "maybe")]).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("explain"),
        "{body}"
    );
}

/// The values of the nodes of an explanation tree whose description starts with `name`.
fn constants(explanation: &Value, name: &str, out: &mut Vec<f64>) {
    if explanation["description"]
        .as_str()
        .is_some_and(|d| d.starts_with(name))
        && let Some(v) = explanation["value"].as_f64()
    {
        out.push(v);
    }
    for detail in explanation["details"].as_array().into_iter().flatten() {
        constants(detail, name, out);
    }
}

/// BM25 scores a reply among replies and a commitment among commitments: its `N` is the number
/// of documents of the kind searched, not of the whole index (replies and their commitments),
/// and no term is in more of them than that.
#[tokio::test]
async fn bm25_counts_the_documents_of_the_kind_searched() {
    let (_dir, engine) = engine();
    let total = |body: &Value| body["total"].as_f64().unwrap_or(-1.0);
    let (_, replies) = get(&engine, "/api/search", &[]).await;
    let (_, commitments) = get(&engine, "/api/commitments", &[]).await;
    let (replies, commitments) = (total(&replies), total(&commitments));
    assert!(
        commitments > 0.0 && replies > commitments,
        "{replies} replies, {commitments} commitments"
    );
    for (path, q, kind) in [
        ("/api/search", "志愿者 培训", replies),
        ("/api/search", "社区服务体系", replies),
        ("/api/commitments", "力争", commitments),
        ("/api/commitments", "应急救援队伍 乡镇", commitments),
    ] {
        let (status, body) = get(&engine, path, &[("q", q), ("explain", "true")]).await;
        assert_eq!(status, 200, "{body}");
        let hits = body["hits"].as_array().cloned().unwrap_or_default();
        assert!(!hits.is_empty(), "{path} {q}: {body}");
        for hit in &hits {
            let (mut n_all, mut n_term) = (Vec::new(), Vec::new());
            constants(&hit["explanation"], "N, total number of docs", &mut n_all);
            constants(
                &hit["explanation"],
                "n, number of docs containing",
                &mut n_term,
            );
            assert!(!n_all.is_empty(), "{path} {q}: {}", hit["explanation"]);
            assert!(
                n_all.iter().all(|&n| n == kind),
                "{path} {q}: N {n_all:?}, kind {kind}"
            );
            assert!(
                n_term.iter().all(|&n| n <= kind),
                "{path} {q}: n {n_term:?}, kind {kind}"
            );
        }
    }
}

/// A reply that holds 新能源 as a word, and one that only holds its characters inside
/// 创新能源, which jieba cuts 创新 / 能源.
const NEW_ENERGY: &[(&str, &str)] = &[
    (
        "fx-energy-word",
        "浙发改函〔2022〕31号\n\n关于省十三届人大六次会议第31号建议的答复\n\n孙某某代表：\n\n您提出的《关于推广新能源汽车的建议》收悉，现答复如下：\n一、我委今年新建充电桩四千个，新能源汽车保有量增长三成。\n二、下一步将继续完善充电网络。\n\n浙江省发展和改革委员会\n2022年6月8日\n",
    ),
    (
        "fx-energy-cut",
        "浙发改函〔2022〕32号\n\n关于省十三届人大六次会议第32号建议的答复\n\n李某某代表：\n\n您提出的《关于支持科技企业的建议》收悉，现答复如下：\n一、我委设立专项资金，推动创新能源产业集聚发展。\n二、下一步将继续优化营商环境。\n\n浙江省发展和改革委员会\n2022年6月9日\n",
    ),
];

#[tokio::test]
async fn a_word_jieba_cut_apart_in_a_reply_is_found_and_ranks_after_the_word() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for (id, text) in NEW_ENERGY {
        std::fs::write(input.join(format!("{id}.txt")), text).expect("write fixture");
    }
    let (engine, summary) = build(&dir.path().join("index"), &[input]);
    assert_eq!(summary.indexed, 2, "{:?}", summary.skipped);
    // The premise: the query is one word, which the first reply holds as a token and the
    // second does not.
    let analysis = engine.index().analysis();
    let holds = |text: &str| analysis.words(text).iter().any(|t| t.text == "新能源");
    assert_eq!(analysis.words("新能源").len(), 1);
    assert!(holds(NEW_ENERGY[0].1));
    assert!(!holds(NEW_ENERGY[1].1));
    // Found through its characters in a row, and ranked after the reply that holds the word.
    let body = search(&engine, "新能源").await;
    assert_eq!(ids(&body), ["fx-energy-word", "fx-energy-cut"], "{body}");
    let score = |i: usize| body["hits"][i]["score"].as_f64().unwrap_or(0.0);
    assert!(score(0) > score(1) && score(1) > 0.0, "{body}");
    // The same with the scorer that backs the word explained.
    let (_, body) = get(
        &engine,
        "/api/search",
        &[("q", "新能源"), ("explain", "true")],
    )
    .await;
    let explained = body["hits"][1]["explanation"].to_string();
    assert!(
        explained.contains("jieba cut them otherwise"),
        "{explained}"
    );
}
