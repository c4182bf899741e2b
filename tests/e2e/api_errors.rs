//! Bad input gets a 4xx JSON error that says what to fix; never a 500.

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;

use crate::support::{call, fixture_engine, get};

fn error_of(body: &Value) -> (String, String) {
    (
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[tokio::test]
async fn malformed_parameters_are_400_with_a_message_naming_them() {
    let (_dir, engine) = fixture_engine();
    /// (parameters, error code, a word the message must contain)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (&[("year", "20x0")], "invalid_parameter", "year"),
        (&[("year", "2021..2019")], "invalid_parameter", "year"),
        (&[("limit", "101")], "invalid_parameter", "limit"),
        (&[("limit", "-5")], "invalid_parameter", "limit"),
        (&[("offset", "100000")], "invalid_parameter", "offset"),
        (&[("region", "火星省")], "invalid_parameter", "region"),
        (&[("topic", "astrology")], "invalid_parameter", "topic"),
        (&[("assembly", "senate")], "invalid_parameter", "assembly"),
        (&[("level", "galaxy")], "invalid_parameter", "level"),
        (&[("sort", "random")], "invalid_parameter", "sort"),
        (&[("colour", "red")], "invalid_parameter", "colour"),
        (&[("q", "培训 \"不少于")], "invalid_query", "never closed"),
        (&[("q", "((()))")], "invalid_query", "empty"),
    ];
    for (params, code, mentions) in cases {
        let (status, body) = get(&engine, "/api/search", params).await;
        assert_eq!(status, 400, "{params:?}: {body}");
        let (got_code, message) = error_of(&body);
        assert_eq!(got_code, *code, "{params:?}: {body}");
        assert!(message.contains(mentions), "{params:?}: {message}");
    }
    let long = "人".repeat(501);
    let (status, body) = get(&engine, "/api/search", &[("q", &long)]).await;
    assert_eq!(status, 400);
    assert!(error_of(&body).1.contains("500"), "{body}");
}

#[tokio::test]
async fn a_scoped_commitment_search_is_400_not_an_empty_answer() {
    let (_dir, engine) = fixture_engine();
    for (path, q) in [
        ("/api/commitments", "department:民政厅"),
        ("/api/commitments", "培训 -title:社会组织"),
        ("/api/commitments", "(培训 OR proposer:张)"),
        ("/api/export/commitments", "doc:\"吉民函〔2020〕12号\""),
    ] {
        let (status, body) = get(&engine, path, &[("q", q)]).await;
        assert_eq!(status, 400, "{path} {q}: {body}");
        let (code, message) = error_of(&body);
        assert_eq!(code, "invalid_query", "{body}");
        assert!(message.contains("department="), "{message}");
    }
    // The same words unscoped, and the scopes in a reply search, are answered.
    let (status, body) = get(&engine, "/api/commitments", &[("q", "培训 -社会组织")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&engine, "/api/search", &[("q", "department:民政厅")]).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn broken_encodings_and_bodies_are_400() {
    let (_dir, engine) = fixture_engine();
    // Invalid UTF-8 in percent-encoding.
    let (status, body) = call(
        &engine,
        Request::get("/api/search?q=%FF%FE")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["code"].is_string());
    let (status, body) = call(
        &engine,
        Request::post("/api/search")
            .header("content-type", "application/json")
            .body(Body::from("{\"q\": "))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_of(&body).0, "invalid_body");
    let (status, body) = call(
        &engine,
        Request::post("/api/search")
            .header("content-type", "application/json")
            .body(Body::from("{\"qq\": \"x\"}"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(error_of(&body).1.contains("qq"), "{body}");
}

#[tokio::test]
async fn unknown_replies_and_routes_are_404_json() {
    let (_dir, engine) = fixture_engine();
    let (status, body) = get(&engine, "/api/replies/no-such-reply", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(error_of(&body).0, "not_found");
    assert!(error_of(&body).1.contains("no-such-reply"));
    let (status, body) = get(&engine, "/api/nothing-here", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(error_of(&body).0, "not_found");
}

#[tokio::test]
async fn odd_but_valid_input_is_answered() {
    let (_dir, engine) = fixture_engine();
    for q in [
        "，。！",
        "\"\"",
        "《》",
        "ＡＢＣ",
        "a OR b",
        "((a))",
        "答复：",
        "-\"\"",
        "\\",
        "%",
        "\u{3000}",
    ] {
        let (status, body) = get(&engine, "/api/search", &[("q", q)]).await;
        assert_eq!(status, 200, "{q:?}: {body}");
    }
    let (status, body) = get(&engine, "/api/health", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["replies"], 3);
}

#[tokio::test]
async fn fixtures_extract_and_filter_as_written() {
    let (_dir, engine) = fixture_engine();
    let (_, body) = get(
        &engine,
        "/api/search",
        &[("region", "广东"), ("assembly", "政协")],
    )
    .await;
    assert_eq!(crate::support::ids(&body), ["fx-guangdong-emergency"]);
    let (_, body) = get(
        &engine,
        "/api/search",
        &[("year", "2020..2021"), ("sort", "date")],
    )
    .await;
    assert_eq!(
        crate::support::ids(&body),
        ["fx-hangzhou-edu", "fx-chengdu-transport"]
    );
    let (_, body) = get(&engine, "/api/search", &[("topic", "transport")]).await;
    assert_eq!(crate::support::ids(&body), ["fx-chengdu-transport"]);
    let (_, body) = get(&engine, "/api/search", &[("department", "杭州市教育局")]).await;
    assert_eq!(crate::support::ids(&body), ["fx-hangzhou-edu"]);
    let (_, body) = get(&engine, "/api/search", &[("level", "province")]).await;
    assert_eq!(crate::support::ids(&body), ["fx-guangdong-emergency"]);
}
