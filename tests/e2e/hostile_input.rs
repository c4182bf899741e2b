//! Hostile input: files that `dafu index` must report and skip while it indexes everything
//! else (empty, binary, truncated, mislabelled, damaged, 50 MB), and HTTP requests that must be
//! a 4xx JSON error, never a 500 or a hang.

use std::process::Command;

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;

use crate::support::{FIXTURES, call, fixture_engine, get, write_fixtures};

/// A reply of our own, long enough for the encoding checks to judge it.
const REPLY: &str = "对市八届人大五次会议第77号建议的答复\n\n李代表：\n\n您提出的《关于改善农村饮水安全的建议》收悉，现答复如下：\n一、全县已完成农村供水管网改造一百二十公里。\n二、下一步，我局将于2022年底前新建集中供水站5座，确保农村自来水普及率达到98%以上。\n\n某县水利局\n2021年7月9日\n";

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

#[test]
fn index_reports_and_skips_hostile_files_and_indexes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_fixtures(&input);
    let put = |name: &str, bytes: &[u8]| std::fs::write(input.join(name), bytes).unwrap();

    // Readable replies in unusual but honest encodings: indexed.
    put("utf16-reply.txt", &utf16le(REPLY));
    let json_line = |id: &str| serde_json::json!({"id": id, "text": REPLY}).to_string() + "\n";
    put(
        "utf16-batch.jsonl",
        &utf16le(&(json_line("u16-a") + &json_line("u16-b"))),
    );
    // A 50 MB line between two good ones: the good ones are indexed.
    let huge_line = format!(
        "{{\"id\": \"huge\", \"text\": \"{}\"}}\n",
        "答复".repeat(50 << 20 >> 3)
    );
    let mut mixed = json_line("before-huge").into_bytes();
    mixed.extend_from_slice(huge_line.as_bytes());
    mixed.extend_from_slice(json_line("after-huge").as_bytes());
    put("mixed.jsonl", &mixed);

    // Hostile files: each skipped with its reason.
    let bytes = REPLY.as_bytes();
    let cut = REPLY.find("水利局").unwrap() + 1;
    put("truncated.txt", &bytes[..cut]);
    let mut mislabelled = vec![0xFF, 0xFE];
    mislabelled.extend_from_slice(bytes);
    if mislabelled.len() % 2 == 1 {
        mislabelled.push(b'\n');
    }
    put("mislabelled.txt", &mislabelled);
    let mut damaged = bytes.to_vec();
    damaged.insert(60, 0xC0);
    put("damaged.txt", &damaged);
    put(
        "huge.txt",
        &REPLY.repeat((50 << 20) / REPLY.len() + 1).into_bytes(),
    );
    put("empty.txt", b"");
    put("empty.jsonl", b"");
    put(
        "binary.jsonl",
        &(0..300_000u32)
            .map(|i| (i * 131 % 251) as u8)
            .collect::<Vec<u8>>(),
    );

    let index = dir.path().join("index");
    let summary_file = dir.path().join("summary.json");
    let out = Command::new(env!("CARGO_BIN_EXE_dafu"))
        .args(["index", "--quiet", "--input"])
        .arg(&input)
        .arg("--index")
        .arg(&index)
        .arg("--summary")
        .arg(&summary_file)
        .env("DAFU_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The five readable copies of REPLY (UTF-16 file, two UTF-16 lines, two lines around the
    // huge one) are one reply with five sources.
    let expected = FIXTURES.len() + 1;
    assert!(
        stdout.contains(&format!("indexed {expected} replies")),
        "{stdout}"
    );

    assert!(
        stdout.contains("4 copies of replies read before"),
        "{stdout}"
    );
    let summary: Value = serde_json::from_slice(&std::fs::read(&summary_file).unwrap()).unwrap();
    assert_eq!(summary["indexed"], expected);
    assert_eq!(summary["duplicates"], 4);
    let skipped: Vec<(String, Option<u64>, String)> = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            (
                name,
                s["line"].as_u64(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reason_of = |name: &str| -> String {
        let found: Vec<_> = skipped.iter().filter(|(n, _, _)| n == name).collect();
        assert_eq!(found.len(), 1, "{name}: {skipped:?}");
        found[0].2.clone()
    };
    assert!(reason_of("truncated.txt").contains("truncated UTF-8"));
    let mislabelled = reason_of("mislabelled.txt");
    assert!(
        mislabelled.contains("mislabelled") || mislabelled.contains("byte-order mark"),
        "{mislabelled}"
    );
    assert!(reason_of("damaged.txt").contains("damaged UTF-8"));
    assert!(reason_of("huge.txt").contains("limit"));
    assert!(reason_of("empty.txt").contains("empty"));
    assert!(reason_of("empty.jsonl").contains("empty"));
    assert!(reason_of("binary.jsonl").contains("not JSON Lines"));
    let huge = skipped.iter().find(|(n, _, _)| n == "mixed.jsonl").unwrap();
    assert_eq!(huge.1, Some(2));
    assert!(huge.2.contains("limit"), "{huge:?}");
    assert_eq!(skipped.len(), 8, "{skipped:?}");

    // What was indexed reads as it was written, whatever its encoding.
    let out = Command::new(env!("CARGO_BIN_EXE_dafu"))
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg("\"农村饮水安全\"")
        .output()
        .unwrap();
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits["total"], 1, "{hits}");
    let analysis = dafu_index::analysis::Analysis::embedded().unwrap();
    let engine = dafu_query::SearchEngine::new(
        dafu_index::ReplyIndex::open(&index, analysis).unwrap(),
        dafu_extract::Extractor::embedded().unwrap(),
    )
    .unwrap();
    let id = hits["hits"][0]["id"].as_str().unwrap();
    let reply = engine.reply(id).unwrap();
    let mut copies: Vec<(String, Option<usize>, String)> = reply
        .sources
        .iter()
        .map(|s| {
            let path = s.path.as_deref().unwrap_or("");
            let name = path.rsplit('/').next().unwrap_or("").to_string();
            (name, s.line, s.encoding.clone().unwrap_or_default())
        })
        .collect();
    copies.sort();
    let copy = |name: &str, line: Option<usize>, encoding: &str| {
        (name.to_string(), line, encoding.to_string())
    };
    assert_eq!(
        copies,
        [
            copy("mixed.jsonl", Some(1), "UTF-8"),
            copy("mixed.jsonl", Some(3), "UTF-8"),
            copy("utf16-batch.jsonl", Some(1), "UTF-16LE"),
            copy("utf16-batch.jsonl", Some(2), "UTF-16LE"),
            copy("utf16-reply.txt", None, "UTF-16LE"),
        ]
    );
}

#[tokio::test]
async fn hostile_requests_are_4xx_json() {
    let (_dir, engine) = fixture_engine();
    let many_terms = (0..40)
        .map(|i| format!("词{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let deep = format!("{}养老{}", "(".repeat(200), ")".repeat(200));
    let cases: &[&str] = &[
        "/api/search?q=%E5%85",
        "/api/search?offset=99999999999999999999999999",
        "/api/search?limit=1e9",
        "/api/search?limit=NaN",
        "/api/search?year=99999999999",
        "/api/search?cursor=%00%01",
        "/api/search?colour=red",
        "/api/commitments?strength=maybe",
        "/api/export?format=xlsx",
        "/api/stats?facet=everything",
    ];
    for uri in cases {
        let (status, body) = call(&engine, Request::get(*uri).body(Body::empty()).unwrap()).await;
        assert!(status.is_client_error(), "{uri}: {status} {body}");
        assert!(body["error"]["message"].is_string(), "{uri}: {body}");
    }
    // A percent sign not followed by two hex digits is itself (the WHATWG URL rule): searched
    // as written, not an error.
    let (status, body) = call(
        &engine,
        Request::get("/api/search?q=%ZZ")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for q in [many_terms.as_str(), deep.as_str()] {
        let (status, body) = get(&engine, "/api/search", &[("q", q)]).await;
        assert_eq!(status, 400, "{q}: {body}");
        assert_eq!(body["error"]["code"], "invalid_query", "{body}");
    }
    // A JSON body with the wrong shapes.
    for body in [
        "[]",
        "{\"q\": 5}",
        "{\"limit\": {\"deep\": [1, 2]}}",
        "{\"q\": \"a\", \"q\": \"b\"}",
        "\u{feff}{}",
    ] {
        let (status, answer) = call(
            &engine,
            Request::post("/api/search")
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert!(status.is_client_error(), "{body}: {status} {answer}");
    }
}
