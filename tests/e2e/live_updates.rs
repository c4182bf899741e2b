//! Live updates through the real router over a real index: POST and DELETE /api/replies,
//! the admin token, atomic requests, and what searches see afterwards.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use dafu_index::ingest::LiveWriter;
use dafu_query::SearchEngine;
use dafu_query::http::{AdminToken, ServerOptions, router, router_with};

use crate::support::{call_router, fixture_engine};

const TOKEN: &str = "test-admin-token-7f3a";

fn writable(engine: &Arc<SearchEngine>, options: ServerOptions) -> Router {
    let live = LiveWriter::new(engine.index().clone()).expect("live writer");
    let token = AdminToken::new(TOKEN).expect("token");
    router_with(
        engine.clone(),
        ServerOptions {
            writes: Some((token, Arc::new(live))),
            ..options
        },
    )
}

fn post(body: impl Into<Body>, token: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/api/replies").header("content-type", "application/x-ndjson");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(body.into()).expect("request")
}

fn delete(id: &str, token: Option<&str>) -> Request<Body> {
    let mut request = Request::delete(format!("/api/replies/{id}"));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(Body::empty()).expect("request")
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

/// A reply of our own with a word no fixture has (海绵城市).
fn record(id: &str, extra: &str) -> Value {
    json!({
        "id": id,
        "text": format!(
            "关于市十四届人大五次会议第41号建议的答复\n\n赵某某代表：\n\n您提出的《关于推进海绵城市建设的建议》（办理编号{id}）收悉，现答复如下：\n下一步，我们将在2022年底前完成老旧小区海绵城市改造30个。{extra}\n\n杭州市住房和城乡建设局\n2021年7月1日\n"
        ),
        "source": "live test"
    })
}

async fn hits(app: &Router, q: &str) -> (u64, Vec<String>) {
    let uri = format!("/api/search?q={}", crate::support::encode(q));
    let (status, _, body) = call_router(app, get(&uri)).await;
    assert_eq!(status, 200, "{body}");
    (
        body["total"].as_u64().unwrap_or(0),
        crate::support::ids(&body),
    )
}

async fn commitments(app: &Router, q: &str) -> u64 {
    let uri = format!("/api/commitments?q={}", crate::support::encode(q));
    let (status, _, body) = call_router(app, get(&uri)).await;
    assert_eq!(status, 200, "{body}");
    body["total"].as_u64().unwrap_or(0)
}

/// The commitments of reply `id` (every commitment of the index, filtered).
async fn commitments_of(app: &Router, id: &str) -> usize {
    let (status, _, body) = call_router(app, get("/api/commitments?limit=100")).await;
    assert_eq!(status, 200, "{body}");
    body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|h| h["reply_id"] == id)
        .count()
}

#[tokio::test]
async fn a_server_without_a_token_refuses_every_write() {
    let (_dir, engine) = fixture_engine();
    let app = router(engine.clone());
    let body = record("live-1", "").to_string();
    for request in [
        post(body.clone(), None),
        post(body, Some(TOKEN)),
        delete("fx-hangzhou-edu", Some(TOKEN)),
    ] {
        let (status, _, body) = call_router(&app, request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "writes_disabled");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("DAFU_ADMIN_TOKEN")
        );
    }
    assert_eq!(engine.num_replies(), 3);
    let (status, _, health) = call_router(&app, get("/api/health")).await;
    assert_eq!(status, 200);
    assert_eq!(health["writes_enabled"], false);
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_401_and_writes_nothing() {
    let (_dir, engine) = fixture_engine();
    let app = writable(&engine, ServerOptions::default());
    let body = record("live-1", "").to_string();
    let wrong = format!("{TOKEN}x");
    let short = &TOKEN[..TOKEN.len() - 1];
    for token in [None, Some(wrong.as_str()), Some(short), Some("")] {
        let (status, headers, body) = call_router(&app, post(body.clone(), token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}: {body}");
        assert_eq!(body["error"]["code"], "unauthorized");
        assert_eq!(headers["www-authenticate"], "Bearer");
    }
    let (status, _, _) = call_router(&app, delete("fx-hangzhou-edu", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(engine.num_replies(), 3);
    assert_eq!(hits(&app, "海绵城市").await.0, 0);
}

#[tokio::test]
async fn posting_creates_then_replaces_by_id_and_searches_see_it_at_once() {
    let (_dir, engine) = fixture_engine();
    let app = writable(&engine, ServerOptions::default());
    assert_eq!(hits(&app, "海绵城市").await.0, 0);
    let before = commitments(&app, "海绵城市").await;
    assert_eq!(before, 0);

    // One record, pretty-printed over several lines.
    let pretty = serde_json::to_string_pretty(&record("live-1", "")).expect("json");
    let (status, _, outcome) = call_router(&app, post(pretty.clone(), Some(TOKEN))).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["created"], json!(["live-1"]));
    assert_eq!(outcome["replaced"], json!([]));
    assert_eq!(
        hits(&app, "海绵城市").await,
        (1, vec!["live-1".to_string()])
    );
    let once = commitments(&app, "海绵城市").await;
    assert!(once >= 1, "the reply's commitment is searchable");

    // The same request again changes nothing but the commit.
    let (status, _, again) = call_router(&app, post(pretty, Some(TOKEN))).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["created"], json!([]));
    assert_eq!(again["replaced"], json!(["live-1"]));
    assert!(again["opstamp"].as_u64() > outcome["opstamp"].as_u64());
    assert_eq!(engine.num_replies(), 4);
    assert_eq!(hits(&app, "海绵城市").await.0, 1);
    assert_eq!(
        commitments(&app, "海绵城市").await,
        once,
        "commitments are not duplicated"
    );

    // A new version replaces the text: the old words go, the new ones come.
    let changed = record("live-1", "同步建设雨水花园。").to_string();
    let (status, _, _) = call_router(&app, post(changed, Some(TOKEN))).await;
    assert_eq!(status, 200);
    assert_eq!(hits(&app, "雨水花园").await.1, vec!["live-1".to_string()]);
    assert_eq!(engine.num_replies(), 4);

    // The stored record is what was sent, with its extracted fields.
    let (status, _, reply) = call_router(&app, get("/api/replies/live-1")).await;
    assert_eq!(status, 200, "{reply}");
    assert!(
        reply["text"]
            .as_str()
            .unwrap_or_default()
            .contains("雨水花园")
    );
    assert_eq!(reply["department"], "杭州市住房和城乡建设局");
    assert_eq!(reply["origin"]["source"], "live test");
    assert!(reply["origin"].get("path").is_none(), "{reply}");

    let (_, _, health) = call_router(&app, get("/api/health")).await;
    assert_eq!(health["writes_enabled"], true);
    assert_eq!(health["replies"], 4);
    assert_eq!(health["last_commit"]["by"], "live update");
}

#[tokio::test]
async fn ndjson_is_applied_whole_or_not_at_all() {
    let (_dir, engine) = fixture_engine();
    let app = writable(&engine, ServerOptions::default());
    let good_a = record("live-a", "").to_string();
    let good_b = record("live-b", "").to_string();
    let empty = json!({"id": "live-c", "text": "  "}).to_string();
    let no_id = json!({"text": "关于某某的答复"}).to_string();
    let unknown = json!({"id": "live-d", "text": "答复", "colour": "red"}).to_string();

    let body = format!("{good_a}\n{good_b}\n{empty}\n");
    let (status, _, error) = call_router(&app, post(body, Some(TOKEN))).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["code"], "invalid_body");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("line 3") && message.contains("empty text"),
        "{message}"
    );
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(
        engine.num_replies(),
        3,
        "the valid records were not written either"
    );

    for (body, mentions) in [
        (format!("{good_a}\n{no_id}"), "id"),
        (format!("{good_a}\n{unknown}"), "colour"),
        (format!("{good_a}\n{{\"id\": \"x\", \"text\": "), "line 2"),
        (format!("{good_a}\n{good_a}"), "twice"),
        ("   \n".to_string(), "no reply"),
    ] {
        let (status, _, error) = call_router(&app, post(body, Some(TOKEN))).await;
        assert_eq!(status, 400, "{error}");
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(mentions), "{mentions}: {message}");
    }
    let (status, _, error) =
        call_router(&app, post(vec![b'{', 0xFF, 0xFE, b'}'], Some(TOKEN))).await;
    assert_eq!(status, 400, "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("UTF-8")
    );
    assert_eq!(engine.num_replies(), 3);

    let body = format!("{good_a}\n\n{good_b}\n");
    let (status, _, outcome) = call_router(&app, post(body, Some(TOKEN))).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["created"], json!(["live-a", "live-b"]));
    assert_eq!(engine.num_replies(), 5);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_writes_nothing() {
    let (_dir, engine) = fixture_engine();
    let app = writable(
        &engine,
        ServerOptions {
            max_body_bytes: 2_000,
            ..ServerOptions::default()
        },
    );
    let big = record("live-big", &"海绵城市。".repeat(500)).to_string();
    let (status, _, error) = call_router(&app, post(big, Some(TOKEN))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{error}");
    assert_eq!(error["error"]["code"], "body_too_large");
    assert_eq!(engine.num_replies(), 3);
}

#[tokio::test]
async fn deleting_removes_the_reply_and_its_commitments() {
    let (_dir, engine) = fixture_engine();
    let app = writable(&engine, ServerOptions::default());
    let (_, ids) = hits(&app, "应急救援").await;
    assert_eq!(ids, vec!["fx-guangdong-emergency".to_string()]);
    assert!(commitments_of(&app, "fx-guangdong-emergency").await >= 1);

    let (status, _, outcome) =
        call_router(&app, delete("fx-guangdong-emergency", Some(TOKEN))).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["deleted"], json!(["fx-guangdong-emergency"]));
    assert_eq!(hits(&app, "应急救援").await.0, 0);
    assert_eq!(commitments_of(&app, "fx-guangdong-emergency").await, 0);
    let (status, _, _) = call_router(&app, get("/api/replies/fx-guangdong-emergency")).await;
    assert_eq!(status, 404);
    assert_eq!(engine.num_replies(), 2);

    let (status, _, error) = call_router(&app, delete("fx-guangdong-emergency", Some(TOKEN))).await;
    assert_eq!(status, 404, "{error}");
    assert_eq!(error["error"]["code"], "not_found");
    // Deleting, then posting again, brings it back.
    let (status, _, _) = call_router(
        &app,
        post(
            record("fx-guangdong-emergency", "").to_string(),
            Some(TOKEN),
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(engine.num_replies(), 3);
}

#[tokio::test]
async fn concurrent_writers_are_applied_one_at_a_time() {
    let (_dir, engine) = fixture_engine();
    let app = writable(&engine, ServerOptions::default());
    let mut tasks = Vec::new();
    for i in 0..8 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let body = format!(
                "{}\n{}",
                record(&format!("live-{i}"), ""),
                record("live-shared", "")
            );
            call_router(&app, post(body, Some(TOKEN))).await
        }));
    }
    for task in tasks {
        let (status, _, body) = task.await.expect("task");
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(engine.num_replies(), 3 + 8 + 1);
    assert_eq!(hits(&app, "海绵城市").await.0, 9);
}

#[tokio::test]
async fn a_writer_lock_held_elsewhere_is_409() {
    let (_dir, engine) = fixture_engine();
    let app = writable(&engine, ServerOptions::default());
    let other = engine
        .index()
        .writer(1, 20 << 20)
        .expect("the other writer");
    let (status, _, error) =
        call_router(&app, post(record("live-1", "").to_string(), Some(TOKEN))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_eq!(error["error"]["code"], "index_locked");
    drop(other);
    let (status, _, _) =
        call_router(&app, post(record("live-1", "").to_string(), Some(TOKEN))).await;
    assert_eq!(status, 200, "the lock is taken once it is free");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let (_dir, engine) = fixture_engine();
    let app = router(engine);
    let (_, headers, _) = call_router(&app, get("/api/health")).await;
    let made = headers["x-request-id"].to_str().expect("ascii");
    assert_eq!(made.len(), 36, "a UUID: {made}");
    let request = Request::get("/api/nothing")
        .header("x-request-id", "abc-123")
        .body(Body::empty())
        .expect("request");
    let (status, headers, _) = call_router(&app, request).await;
    assert_eq!(status, 404);
    assert_eq!(headers["x-request-id"], "abc-123");
}
