//! Shared helpers: building indexes, calling the router without a socket.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use dafu_extract::Extractor;
use dafu_index::analysis::Analysis;
use dafu_index::ingest::{IngestOptions, IngestSummary, Silent};
use dafu_index::{ReplyIndex, ingest};
use dafu_query::SearchEngine;
use dafu_query::http::router;

/// `../shared/corpus` beside the checkout, when present.
pub fn shared_corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("seeds").is_dir() {
        Some(dir)
    } else {
        eprintln!("note: ../shared/corpus is absent; skipping a test that needs it");
        None
    }
}

/// Writes `count` replies of the synthetic sample corpus (default seed) into `dir/sample` and
/// returns that folder.
pub fn write_sample(dir: &Path, count: usize) -> PathBuf {
    let corpus = dir.join("sample");
    let options = dafu_sample::SampleOptions {
        count,
        ..dafu_sample::SampleOptions::default()
    };
    dafu_sample::write_corpus(
        &corpus,
        dafu_extract::region::RegionTable::embedded(),
        &options,
    )
    .expect("sample corpus");
    corpus
}

/// Indexes `inputs` into `dir` with the compiled-in data and returns the engine and summary.
pub fn build(dir: &Path, inputs: &[PathBuf]) -> (Arc<SearchEngine>, IngestSummary) {
    let options = IngestOptions {
        threads: 2,
        memory_budget: 64 << 20,
        batch_size: 64,
        ..IngestOptions::default()
    };
    build_with(dir, inputs, &options)
}

/// [`build`] with the given ingestion options.
pub fn build_with(
    dir: &Path,
    inputs: &[PathBuf],
    options: &IngestOptions,
) -> (Arc<SearchEngine>, IngestSummary) {
    let analysis = Analysis::embedded().expect("analysis");
    let extractor = Extractor::embedded().expect("extractor");
    let index = ReplyIndex::open_or_create(dir, analysis).expect("index");
    let summary = ingest(&index, &extractor, inputs, options, &Silent).expect("ingest");
    let engine = SearchEngine::new(index, extractor).expect("engine");
    engine.refresh().expect("refresh");
    (Arc::new(engine), summary)
}

/// Sends a request to the real router and returns the status, the headers and the body.
pub async fn send(
    engine: &Arc<SearchEngine>,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    send_to(&router(engine.clone()), request).await
}

/// Sends a request to `app` and returns the status, the headers and the body.
pub async fn send_to(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = app.clone().oneshot(request).await.expect("router");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, headers, bytes.to_vec())
}

/// Sends a request to the real router and returns the status and the JSON body.
pub async fn call(engine: &Arc<SearchEngine>, request: Request<Body>) -> (StatusCode, Value) {
    let (status, _, bytes) = send(engine, request).await;
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, json)
}

/// Sends a request to the real router and returns the status and the `content-type`.
pub async fn router_response(
    engine: &Arc<SearchEngine>,
    request: Request<Body>,
) -> (StatusCode, String) {
    let (status, headers, _) = send(engine, request).await;
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, content_type)
}

/// `path` with query parameters, percent-encoded here.
pub fn uri(path: &str, params: &[(&str, &str)]) -> String {
    let query: String = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// GET with query parameters, percent-encoded here.
pub async fn get(
    engine: &Arc<SearchEngine>,
    path: &str,
    params: &[(&str, &str)],
) -> (StatusCode, Value) {
    call(
        engine,
        Request::get(uri(path, params))
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The ids of a search response's hits, in order.
pub fn ids(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(|h| h["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A facet's `value -> count` pairs.
pub fn facet(body: &Value, name: &str) -> Vec<(String, u64)> {
    body["facets"][name]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|x| {
                    (
                        x["value"].as_str().unwrap_or_default().to_string(),
                        x["count"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Three short replies written for these tests (not real documents).
pub const FIXTURES: &[(&str, &str)] = &[
    (
        "fx-hangzhou-edu",
        "杭教函〔2021〕12号\n\n关于市十四届人大五次会议第35号建议的答复\n\n张某某代表：\n\n您提出的《关于加强课后服务师资保障的建议》收悉，现答复如下：\n一、2020年全市学校课后服务覆盖率达到95%。\n二、下一步，我们将在2021年底前完成教师课后服务补助制度。\n\n杭州市教育局\n2021年6月18日\n",
    ),
    (
        "fx-guangdong-emergency",
        "粤应急函〔2019〕7号\n\n对省政协十二届二次会议第318号提案的答复\n\n李**委员：\n\n您提出的《关于完善基层应急救援队伍建设的提案》收悉。\n近年来我省应急救援队伍建设取得进展，防汛抗旱能力持续提升。\n下一步将力争每个乡镇建成一支应急救援队伍。\n\n广东省应急管理厅\n2019年7月2日\n",
    ),
    (
        "fx-chengdu-transport",
        "对市十七届人大三次会议第0087号建议的答复函\n\n王某某代表：\n\n您提出的《关于优化农村公路客运班线的建议》收悉。我市将逐步优化农村公路客运线路，力争2022年实现建制村通客车全覆盖。\n\n成都市交通运输局\n2020年9月30日\n",
    ),
];

/// Writes [`FIXTURES`] as `.txt` files into `dir`.
pub fn write_fixtures(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for (id, text) in FIXTURES {
        std::fs::write(dir.join(format!("{id}.txt")), text).expect("write fixture");
    }
}

/// An engine over the fixtures.
pub fn fixture_engine() -> (tempfile::TempDir, Arc<SearchEngine>) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixtures(&dir.path().join("in"));
    let (engine, summary) = build(&dir.path().join("index"), &[dir.path().join("in")]);
    assert_eq!(summary.indexed, FIXTURES.len(), "{:?}", summary.skipped);
    (dir, engine)
}

/// Sends a request to a router built by the test and returns the status, headers and JSON.
pub async fn call_router(
    router: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Value) {
    let (status, headers, bytes) = send_to(router, request).await;
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, headers, json)
}

/// Runs the real `dafu` binary with `args` (logs at warn) and returns what it did.
pub fn dafu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dafu"))
        .args(args)
        .env("DAFU_LOG", "warn")
        .output()
        .expect("run dafu")
}
