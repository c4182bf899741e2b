//! `/api/commitments`: commitments searched on their own, with their reply's facets, and the
//! commitment fields of reply search (`commitment_count`, `has_commitments`).

use serde_json::Value;

use dafu_extract::Extractor;

use crate::support::{
    build, facet, fixture_engine, get, shared_corpus, write_fixtures, write_sample,
};

const JILIN: &str = "000_f816d77ca6acb2ac";

fn texts(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["text"].as_str().map(String::from))
        .collect()
}

fn sum(counts: &[(String, u64)]) -> u64 {
    counts.iter().map(|(_, n)| n).sum()
}

#[tokio::test]
async fn commitments_are_searched_with_the_reply_facets() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (engine, _) = build(&dir.path().join("index"), &[corpus.join("seeds")]);

    let (status, body) = get(
        &engine,
        "/api/commitments",
        &[("q", "培训"), ("region", "吉林省"), ("year", "2020")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let total = body["total"].as_u64().unwrap_or(0);
    assert!(total >= 2, "{body}");
    let texts = texts(&body);
    assert!(texts.iter().all(|t| t.contains("培训")), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.contains("培训人次不少于500人次")),
        "{texts:?}"
    );
    // Facets: the commitment's own dimensions count every match, as do the reply's.
    assert_eq!(sum(&facet(&body, "strength")), total);
    assert_eq!(sum(&facet(&body, "has_quantity")), total);
    // Disjunctive: the region facet ignores the region filter, so 浙江省 shows what it adds.
    let regions = facet(&body, "region");
    assert!(regions.contains(&("吉林省".into(), total)), "{regions:?}");
    assert!(regions.iter().any(|(r, _)| r == "浙江省"), "{regions:?}");

    let (_, reply) = get(&engine, &format!("/api/replies/{JILIN}"), &[]).await;
    let reply_text: Vec<char> = reply["text"].as_str().unwrap_or_default().chars().collect();
    for hit in body["hits"].as_array().into_iter().flatten() {
        assert_eq!(hit["reply_id"], JILIN);
        assert_eq!(hit["reply"]["doc_number"], "吉民议字〔2020〕4号");
        assert_eq!(hit["reply_url"], format!("/api/replies/{JILIN}"));
        // The commitment and its highlights are cited by offsets into the reply's text.
        let slice = |from: &Value, to: &Value| -> String {
            let (a, b) = (from.as_u64().unwrap_or(0), to.as_u64().unwrap_or(0));
            reply_text[a as usize..b as usize].iter().collect()
        };
        assert_eq!(
            slice(&hit["start"], &hit["end"]),
            hit["text"].as_str().unwrap_or_default()
        );
        for f in hit["highlights"].as_array().into_iter().flatten() {
            for m in f["marks"].as_array().into_iter().flatten() {
                assert_eq!(slice(&m["start"], &m["end"]), "培训");
            }
        }
    }
    let quantified = body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["text"].as_str().is_some_and(|t| t.contains("500人次")))
        .cloned()
        .unwrap_or_default();
    assert!(
        quantified["quantities"]
            .as_array()
            .is_some_and(|q| q.iter().any(|q| q["text"] == "500人次")),
        "{quantified}"
    );

    // A filter narrows the hits, and its own facet still shows the other values.
    let (_, firm) = get(
        &engine,
        "/api/commitments",
        &[("q", "培训"), ("region", "吉林省"), ("strength", "firm")],
    )
    .await;
    assert!(
        firm["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|h| h["strength"] == "firm")
    );
    assert_eq!(facet(&firm, "strength"), facet(&body, "strength"));
    let (_, with_numbers) = get(
        &engine,
        "/api/commitments",
        &[
            ("region", "吉林省"),
            ("has_quantity", "true"),
            ("limit", "100"),
        ],
    )
    .await;
    assert!(with_numbers["total"].as_u64().unwrap_or(0) >= 1);
    assert!(
        with_numbers["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|h| h["quantities"].as_array().is_some_and(|q| !q.is_empty()))
    );
}

#[tokio::test]
async fn reply_search_counts_commitments_and_never_returns_them() {
    let (_dir, engine) = fixture_engine();
    let (_, all) = get(&engine, "/api/search", &[]).await;
    assert_eq!(all["total"], 3, "{all}");
    let (_, health) = get(&engine, "/api/health", &[]).await;
    assert_eq!(health["replies"], 3);
    for hit in all["hits"].as_array().into_iter().flatten() {
        assert!(hit["commitment_count"].as_u64().is_some(), "{hit}");
        assert!(hit["id"].as_str().is_some_and(|id| id.starts_with("fx-")));
    }
    let (_, with) = get(&engine, "/api/search", &[("has_commitments", "true")]).await;
    let (_, without) = get(&engine, "/api/search", &[("has_commitments", "false")]).await;
    assert_eq!(
        with["total"].as_u64().unwrap_or(0) + without["total"].as_u64().unwrap_or(0),
        3
    );
    assert!(with["total"].as_u64().unwrap_or(0) >= 2, "{with}");
    let (_, promised) = get(&engine, "/api/commitments", &[("q", "力争")]).await;
    assert!(promised["total"].as_u64().unwrap_or(0) >= 1, "{promised}");
    let (_, commitments) = get(&engine, "/api/commitments", &[("limit", "100")]).await;
    let total: u64 = with["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["commitment_count"].as_u64())
        .sum();
    assert_eq!(commitments["total"], total);
}

#[tokio::test]
async fn reindexing_replaces_commitments_instead_of_adding_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    write_fixtures(&input);
    let index = dir.path().join("index");
    let (engine, _) = build(&index, std::slice::from_ref(&input));
    let (_, first) = get(&engine, "/api/commitments", &[]).await;
    drop(engine);
    let (engine, _) = build(&index, std::slice::from_ref(&input));
    let (_, second) = get(&engine, "/api/commitments", &[]).await;
    assert!(first["total"].as_u64().unwrap_or(0) > 0);
    assert_eq!(first["total"], second["total"]);
    let (_, replies) = get(&engine, "/api/search", &[]).await;
    assert_eq!(replies["total"], 3);
}

#[tokio::test]
async fn a_reply_reads_back_its_commitments_in_order_before_and_after_reindexing() {
    // A reply's record does not repeat its commitments: they are read from their own
    // documents, and must come back whole and in the reply's order (what extraction finds in
    // the reply's text), also after the replies were indexed again (which replaces their
    // commitment documents).
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = write_sample(dir.path(), 30);
    let index = dir.path().join("index");
    let extractor = Extractor::embedded().expect("extractor");
    for round in 0..2 {
        let (engine, _) = build(&index, std::slice::from_ref(&corpus));
        let (_, all) = get(&engine, "/api/search", &[("limit", "100")]).await;
        let hits = all["hits"].as_array().expect("hits");
        assert_eq!(hits.len(), 30, "round {round}");
        let mut several = 0;
        for hit in hits {
            let id = hit["id"].as_str().expect("id");
            let (status, reply) = get(&engine, &format!("/api/replies/{id}"), &[]).await;
            assert_eq!(status, 200, "{reply}");
            let text = reply["text"].as_str().expect("text");
            let expected = serde_json::to_value(extractor.extract(text).commitments).unwrap();
            let n = expected.as_array().map_or(0, Vec::len);
            several += usize::from(n >= 2);
            assert_eq!(reply["commitments"], expected, "round {round}: {id}");
            assert_eq!(hit["commitment_count"], n, "round {round}: {id}");
        }
        assert!(several >= 20, "replies with several commitments: {several}");
    }
}

#[tokio::test]
async fn commitment_parameters_are_checked() {
    let (_dir, engine) = fixture_engine();
    for (path, param, value) in [
        ("/api/search", "strength", "firm"),
        ("/api/search", "has_quantity", "true"),
        ("/api/commitments", "has_commitments", "true"),
        ("/api/commitments", "strength", "strong"),
        ("/api/commitments", "has_quantity", "maybe"),
        ("/api/search", "has_commitments", "perhaps"),
    ] {
        let (status, body) = get(&engine, path, &[(param, value)]).await;
        assert_eq!(status, 400, "{path} {param}={value}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(param)),
            "{body}"
        );
    }
}
