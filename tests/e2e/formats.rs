//! Replies as governments publish them (issue 9): the same reply of our own as plain text in
//! four encodings, an HTML page (UTF-8 and GBK), a Word file and a PDF — the generated files
//! of `tests/fixtures/formats` (see its `make.sh`) — yields the same fields in every format, and
//! indexing all of them gives one reply that lists every copy among its sources.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use dafu_index::ingest::LiveWriter;
use dafu_query::SearchEngine;
use dafu_query::http::{AdminToken, ServerOptions, router_with};

use crate::support::{build, call, call_router, dafu, get};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/formats")
}

/// The copies of the reply, one per format and encoding.
const COPIES: [&str; 8] = [
    "reply.txt",
    "reply-gbk.txt",
    "reply-utf16.txt",
    "reply-bom.txt",
    "reply.html",
    "reply-gbk.html",
    "reply.docx",
    "reply.pdf",
];

/// `dafu extract` of `files`: the replies found, as JSON.
fn extract(files: &[PathBuf]) -> Vec<Value> {
    let mut args = vec!["extract".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = dafu(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON array")
}

/// The extracted fields of a reply, without what differs between copies: the file, and
/// where in its text each commitment stands (a CRLF file counts its line ends twice).
fn fields(reply: &Value) -> Value {
    let mut v = reply.clone();
    for key in ["file", "encoding", "sources"] {
        v.as_object_mut().expect("object").remove(key);
    }
    for c in v["commitments"].as_array_mut().expect("commitments") {
        let c = c.as_object_mut().expect("commitment");
        c.remove("start");
        c.remove("end");
    }
    v
}

#[test]
fn every_format_yields_the_fields_of_the_plain_text() {
    let dir = fixtures();
    let plain = extract(&[dir.join("reply.txt")]);
    let want = fields(&plain[0]);
    // What the plain text itself yields, so that equality below means something.
    assert_eq!(want["doc_number"], "湖交建〔2023〕27号");
    assert_eq!(want["department"], "湖州市交通运输局");
    assert_eq!(want["date"], "2023-06-12");
    assert_eq!(want["region"]["city"], "湖州市");
    assert_eq!(want["proposal_number"], "58");
    assert_eq!(want["proposer"], "沈建华");
    assert!(
        want["commitments"].as_array().expect("commitments").len() >= 3,
        "{want:#}"
    );
    for name in COPIES {
        let got = extract(&[dir.join(name)]);
        assert_eq!(got.len(), 1, "{name}");
        assert_eq!(fields(&got[0]), want, "{name}");
    }
    // All at once: one reply, every copy among its sources.
    let all = extract(&COPIES.map(|n| dir.join(n)));
    assert_eq!(all.len(), 1, "{all:#?}");
    let sources = all[0]["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), COPIES.len());
    let formats: Vec<&str> = sources
        .iter()
        .map(|s| s["format"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        formats,
        ["txt", "txt", "txt", "txt", "html", "html", "docx", "pdf"]
    );
    let encodings: Vec<&str> = sources
        .iter()
        .map(|s| s["encoding"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        encodings,
        [
            "UTF-8", "gb18030", "UTF-16LE", "UTF-8", "UTF-8", "gb18030", "docx", "pdf"
        ]
    );
    assert_eq!(sources[4]["published"], "2023-06-15");
    assert_eq!(
        sources[4]["source_url"],
        "https://jtj.example.gov.cn/art/2023/6/15/art_1229_58.html"
    );
}

#[test]
fn a_scan_and_a_legacy_word_file_are_reported_not_indexed() {
    let dir = fixtures();
    let out = dafu(&[
        "extract",
        dir.join("scan.pdf").to_str().expect("path"),
        dir.join("reply.doc").to_str().expect("path"),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("scan.pdf: a scan without a text layer"),
        "{stderr}"
    );
    assert!(
        stderr.contains("reply.doc: legacy Word 97-2003"),
        "{stderr}"
    );
}

fn copy_into(dir: &Path, names: &[&str]) {
    for name in names {
        std::fs::copy(fixtures().join(name), dir.join(name)).expect("copy fixture");
    }
}

async fn reply(engine: &Arc<SearchEngine>, id: &str) -> (StatusCode, Value) {
    call(
        engine,
        Request::get(format!("/api/replies/{id}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

/// The one reply a search for 危桥 finds, by id.
async fn only_hit(engine: &Arc<SearchEngine>) -> String {
    let (status, body) = get(engine, "/api/search", &[("q", "危桥")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1, "{body:#}");
    body["hits"][0]["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn indexing_every_copy_gives_one_reply_with_all_its_sources() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("crawl");
    std::fs::create_dir(&input).expect("mkdir");
    copy_into(&input, &COPIES);
    copy_into(&input, &["scan.pdf", "reply.doc"]);
    let index = tmp.path().join("index");
    let (engine, summary) = build(&index, std::slice::from_ref(&input));
    assert_eq!(summary.indexed, 1, "{summary:#?}");
    assert_eq!(summary.duplicates, COPIES.len() - 1);
    let mut reasons: Vec<String> = summary
        .skipped
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s.path.file_name().unwrap_or_default().to_string_lossy(),
                s.reason
            )
        })
        .collect();
    reasons.sort();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("reply.doc: legacy Word"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("scan.pdf: a scan without a text layer"),
        "{reasons:?}"
    );

    let id = only_hit(&engine).await;
    let (status, body) = reply(&engine, &id).await;
    assert_eq!(status, StatusCode::OK);
    let sources = body["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), COPIES.len(), "{body:#}");
    let mut files: Vec<String> = sources
        .iter()
        .map(|s| {
            Path::new(s["path"].as_str().expect("path"))
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let mut want: Vec<String> = COPIES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(files, want);
    assert!(
        body["fingerprint"].as_str().is_some_and(|f| f.len() == 32),
        "{body:#}"
    );
    assert_eq!(body["doc_number"], "湖交建〔2023〕27号");
    drop(engine);

    // A later crawl brings the PDF again under another name, and the same files again: still
    // one reply; the new name is one more source, the files read before are not listed twice.
    let later = tmp.path().join("later");
    std::fs::create_dir(&later).expect("mkdir");
    std::fs::copy(fixtures().join("reply.pdf"), later.join("art_1229_58.pdf")).expect("copy");
    let (engine, summary) = build(&index, &[later.clone(), input.clone()]);
    assert_eq!(summary.indexed, 0, "{summary:#?}");
    assert_eq!(summary.duplicates, 1 + COPIES.len(), "{summary:#?}");
    assert_eq!(only_hit(&engine).await, id);
    let (_, body) = reply(&engine, &id).await;
    let sources = body["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), COPIES.len() + 1, "{body:#}");
    assert!(
        sources.iter().any(|s| s["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("art_1229_58.pdf"))),
        "{body:#}"
    );
    let (status, _) = reply(&engine, "art_1229_58").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The same reply sent to the server under a new id joins the reply too.
    let text = std::fs::read_to_string(fixtures().join("reply.txt")).expect("reply.txt");
    let live = LiveWriter::new(engine.index().clone()).expect("live writer");
    let token = "formats-test-token-91c2";
    let app = router_with(
        engine.clone(),
        ServerOptions {
            writes: Some((AdminToken::new(token).expect("token"), Arc::new(live))),
            ..ServerOptions::default()
        },
    );
    let record = json!({"id": "api-copy", "text": text, "source": "newsroom upload"});
    let request = Request::post("/api/replies")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(record.to_string()))
        .expect("request");
    let (status, _, outcome) = call_router(&app, request).await;
    assert_eq!(status, StatusCode::OK, "{outcome:#}");
    assert_eq!(
        outcome["duplicates"],
        json!([{"id": "api-copy", "reply": id}])
    );
    assert_eq!(outcome["replaced"], json!([id]));
    engine.refresh().expect("refresh");
    assert_eq!(only_hit(&engine).await, id);
    let (status, _) = reply(&engine, "api-copy").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body) = reply(&engine, &id).await;
    let sources = body["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), COPIES.len() + 2, "{body:#}");
    assert_eq!(
        sources.last().map(|s| s["format"].clone()),
        Some(json!("api"))
    );
}
