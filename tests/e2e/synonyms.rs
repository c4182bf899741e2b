//! Traditional-Chinese input and query-time synonyms (`index-data/synonyms.txt`), on replies
//! written for these tests (not real documents).

use std::sync::Arc;

use serde_json::Value;

use dafu_query::SearchEngine;

use crate::support::{build, get, ids};

const FIXTURES: &[(&str, &str)] = &[
    (
        "syn-talent-simplified",
        "对省十三届人大三次会议第101号建议的答复\n\n赵某某代表：\n\n您提出的《关于加强基层社会工作人才队伍建设的建议》收悉。\n我省将持续加强社会工作人才队伍建设，完善培养体系。\n\n广东省民政厅\n2020年6月1日\n",
    ),
    (
        "syn-emergency-traditional",
        "對省政協十二屆三次會議第52號提案的答覆\n\n陳某某委員：\n\n您提出的《關於完善防汛應急預案的提案》收悉。\n我廳將修訂防汛應急預案，加強應急管理培訓。\n\n廣東省應急管理廳\n2020年7月8日\n",
    ),
    (
        "syn-hr-abbreviated",
        "对省十三届人大三次会议第205号建议的答复\n\n钱某某代表：\n\n您提出的《关于职称评审改革的建议》收悉。\n省人社厅高度重视职称评审工作，人社厅已会同有关部门开展试点。\n\n吉林省人社厅\n2020年5月20日\n",
    ),
    (
        "syn-hr-full-name",
        "对省十三届人大三次会议第206号建议的答复\n\n孙某某代表：\n\n您提出的《关于技能人才评价的建议》收悉。\n省人力资源和社会保障厅将完善技能人才评价制度。\n\n吉林省人力资源和社会保障厅\n2020年5月21日\n",
    ),
];

fn engine() -> (tempfile::TempDir, Arc<SearchEngine>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for (id, text) in FIXTURES {
        std::fs::write(input.join(format!("{id}.txt")), text).expect("write fixture");
    }
    let (engine, summary) = build(&dir.path().join("index"), &[input]);
    assert_eq!(summary.indexed, FIXTURES.len(), "{:?}", summary.skipped);
    (dir, engine)
}

/// Each marked span of a hit's highlights, sliced from the reply text by its character offsets,
/// checked against what the fragment's HTML marks.
async fn marked_spans(engine: &Arc<SearchEngine>, hit: &Value) -> Vec<String> {
    let id = hit["id"].as_str().expect("id");
    let (status, reply) = get(engine, &format!("/api/replies/{id}"), &[]).await;
    assert_eq!(status, 200, "{reply}");
    let text: Vec<char> = reply["text"].as_str().expect("text").chars().collect();
    let mut spans = Vec::new();
    for f in hit["highlights"].as_array().expect("highlights") {
        let html = f["html"].as_str().expect("html");
        let in_html: Vec<&str> = html
            .split("<mark>")
            .skip(1)
            .map(|s| s.split("</mark>").next().unwrap_or_default())
            .collect();
        let marks = f["marks"].as_array().expect("marks");
        assert_eq!(marks.len(), in_html.len(), "{html}");
        for (m, shown) in marks.iter().zip(in_html) {
            let start = m["start"].as_u64().expect("start") as usize;
            let end = m["end"].as_u64().expect("end") as usize;
            let sliced: String = text[start..end].iter().collect();
            assert_eq!(sliced, shown, "{id}");
            spans.push(sliced);
        }
    }
    spans
}

#[tokio::test]
async fn a_traditional_query_finds_a_simplified_reply_and_marks_it() {
    let (_dir, engine) = engine();
    let (status, body) = get(&engine, "/api/search", &[("q", "人才隊伍")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), ["syn-talent-simplified"]);
    let spans = marked_spans(&engine, &body["hits"][0]).await;
    assert!(!spans.is_empty());
    assert!(spans.iter().all(|s| s == "人才队伍"), "{spans:?}");
    // The same query typed in simplified characters gives the same answer.
    let (_, simplified) = get(&engine, "/api/search", &[("q", "人才队伍")]).await;
    assert_eq!(ids(&simplified), ids(&body));
}

#[tokio::test]
async fn a_simplified_query_finds_a_traditional_reply_and_marks_the_original() {
    let (_dir, engine) = engine();
    let (status, body) = get(&engine, "/api/search", &[("q", "应急预案")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), ["syn-emergency-traditional"]);
    let spans = marked_spans(&engine, &body["hits"][0]).await;
    // 应急预案 is two words; their marks slice the traditional text as written.
    assert!(spans.contains(&"應急".to_string()), "{spans:?}");
    assert!(spans.contains(&"預案".to_string()), "{spans:?}");
    assert!(
        spans.iter().all(|s| s == "應急" || s == "預案"),
        "{spans:?}"
    );
    // Traditional input finds it too, and so does a filter-free 廣東省 query.
    let (_, traditional) = get(&engine, "/api/search", &[("q", "應急管理")]).await;
    assert_eq!(ids(&traditional), ["syn-emergency-traditional"]);
    let (_, province) = get(&engine, "/api/search", &[("q", "廣東省")]).await;
    let mut found = ids(&province);
    found.sort();
    assert_eq!(
        found,
        ["syn-emergency-traditional", "syn-talent-simplified"],
        "{province}"
    );
}

#[tokio::test]
async fn an_abbreviation_finds_the_full_name_and_ranks_the_exact_word_first() {
    let (_dir, engine) = engine();
    let (status, body) = get(&engine, "/api/search", &[("q", "人社厅")]).await;
    assert_eq!(status, 200, "{body}");
    // The full-name reply never says 人社厅; the abbreviated one, which does, ranks first.
    assert_eq!(ids(&body), ["syn-hr-abbreviated", "syn-hr-full-name"]);
    let scores: Vec<f64> = body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["score"].as_f64().expect("score"))
        .collect();
    assert!(scores[0] > scores[1], "{scores:?}");
    // The synonym is what the full-name reply's highlights mark.
    let spans = marked_spans(&engine, &body["hits"][1]).await;
    assert!(
        spans.iter().any(|s| s == "人力资源和社会保障厅"),
        "{spans:?}"
    );
    // And the other way round: the full name finds the abbreviation, after itself.
    let (_, full) = get(&engine, "/api/search", &[("q", "人力资源和社会保障厅")]).await;
    assert_eq!(ids(&full), ["syn-hr-full-name", "syn-hr-abbreviated"]);
    // Traditional input reaches the synonyms as well.
    let (_, traditional) = get(&engine, "/api/search", &[("q", "人社廳")]).await;
    assert_eq!(ids(&traditional), ids(&body));
}

#[tokio::test]
async fn a_word_without_synonyms_is_unchanged() {
    let (_dir, engine) = engine();
    let (_, body) = get(&engine, "/api/search", &[("q", "职称评审")]).await;
    assert_eq!(ids(&body), ["syn-hr-abbreviated"]);
}
