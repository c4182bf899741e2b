//! The real `dafu` binary: index (with bad files among good ones), search (text and JSON),
//! extract, sample.

use std::path::Path;

use serde_json::Value;

use crate::support::{FIXTURES, dafu, shared_corpus, write_fixtures};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn search(index: &Path, args: &[&str]) -> Value {
    let mut all = vec![
        "search",
        "--json",
        "--index",
        index.to_str().expect("utf-8 path"),
    ];
    all.extend_from_slice(args);
    let out = dafu(&all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("search JSON")
}

#[test]
fn index_reports_and_skips_bad_files_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_fixtures(&input);
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(
        input.join("binary.txt"),
        (0..2048u32)
            .map(|i| (i * 31 % 256) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("对市八届人大五次会议第9号建议的答复\n\n您提出的《关于加强社区养老服务的建议》收悉。\n\n嘉兴市民政局\n2020年8月1日\n");
    std::fs::write(input.join("gbk-reply.txt"), &gbk).unwrap();
    std::fs::write(
        input.join("batch.jsonl"),
        "{\"id\": \"j1\", \"text\": \"关于市八届人大五次会议第5号建议的答复\\n宁波市民政局\\n2020年8月3日\", \"source_url\": \"https://example.invalid/j1\"}\nthis is not json\n{\"text\": \"\"}\n{\"id\": \"j2\", \"text\": \"养老服务答复\", \"province\": \"江苏省\", \"year\": 2019}\n",
    )
    .unwrap();
    std::fs::write(input.join("notes.md"), "not a reply").unwrap();
    let index = dir.path().join("index");
    let summary_file = dir.path().join("summary.json");
    let out = dafu(&[
        "index",
        "--quiet",
        "--input",
        input.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--summary",
        summary_file.to_str().unwrap(),
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let expected = FIXTURES.len() + 1 + 2;
    assert!(
        stdout.contains(&format!("indexed {expected} replies")),
        "{stdout}"
    );
    assert!(stdout.contains("skipped 4"), "{stdout}");
    assert!(stdout.contains("ignored 1 other files"), "{stdout}");
    assert!(
        stderr.contains("empty.txt: the document is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("binary.txt: the document is not text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("batch.jsonl:2: invalid JSON line"),
        "{stderr}"
    );
    assert!(stderr.contains("batch.jsonl:3: empty text"), "{stderr}");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_file).unwrap()).unwrap();
    assert_eq!(summary["indexed"], expected);
    assert_eq!(summary["skipped"].as_array().map(Vec::len), Some(4));

    // The GBK file was decoded, extracted and is searchable.
    let found = search(&index, &["养老服务", "--region", "嘉兴市"]);
    assert_eq!(found["hits"][0]["id"], "gbk-reply");
    // JSON Lines overrides apply.
    let j2 = search(&index, &["--region", "江苏省"]);
    assert_eq!(j2["hits"][0]["id"], "j2");
    assert_eq!(j2["hits"][0]["year"], 2019);
    // The CSV export carries the page a JSON Lines reply says it was published at.
    let out = dafu(&["export", "--index", index.to_str().unwrap()]);
    let csv = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("j1,") && l.ends_with(",https://example.invalid/j1")),
        "{csv}"
    );

    // Indexing the same input again replaces instead of duplicating.
    let out = dafu(&[
        "index",
        "--quiet",
        "--input",
        input.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert_eq!(search(&index, &[])["total"], expected);

    // --strict turns skips into a failure.
    let out = dafu(&[
        "index",
        "--quiet",
        "--strict",
        "--input",
        input.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--strict"));
}

#[test]
fn nothing_indexable_fails_and_leaves_the_index_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    write_fixtures(&good);
    let index = dir.path().join("index");
    let out = dafu(&[
        "index",
        "--quiet",
        "--input",
        good.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("empty.txt"), "   ").unwrap();
    let out = dafu(&[
        "index",
        "--quiet",
        "--input",
        bad.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("nothing was indexed"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(search(&index, &[])["total"], FIXTURES.len());
    let out = dafu(&[
        "index",
        "--quiet",
        "--input",
        "/no/such/folder",
        "--index",
        dir.path().join("other").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no such file or folder"));
}

#[test]
fn search_on_a_missing_index_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dafu(&[
        "search",
        "--index",
        dir.path().join("nope").to_str().unwrap(),
        "x",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not a dafu index"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn extract_prints_the_golden_fields_of_the_seeds() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let seeds = corpus.join("seeds");
    let a = seeds.join("000_f816d77ca6acb2ac.txt");
    let b = seeds.join("004_c8affcde4ae63ebc.txt");
    let out = dafu(&["extract", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["doc_number"], "吉民议字〔2020〕4号");
    assert_eq!(v[0]["region"]["province_code"], "220000");
    assert_eq!(v[0]["region"]["city"], Value::Null);
    assert_eq!(v[1]["region"]["province"], "浙江省");
    assert_eq!(v[1]["region"]["city"], "嘉兴市");
    assert_eq!(v[1]["assembly"], "npc");
    assert_eq!(v[1]["date"], "2020-08-18");
}

#[test]
fn sample_index_search_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("sample");
    let index = dir.path().join("index");
    let out = dafu(&["sample", "--out", corpus.to_str().unwrap(), "--count", "60"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = dafu(&[
        "index",
        "--quiet",
        "--strict",
        "--input",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("indexed 60 replies"),
        "{}",
        text(&out.stdout)
    );
    let all = search(&index, &[]);
    assert_eq!(all["total"], 60);
    // The index keeps the data it was built with, so a server reads queries the same way.
    assert!(index.join("dafu-data/topics.toml").exists());
    assert!(index.join("dafu-data/dict/domain.txt").exists());
}

#[test]
fn search_prints_ranked_hits_with_marked_fragments_or_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_fixtures(&input);
    let index = dir.path().join("index");
    let out = dafu(&[
        "index",
        "--quiet",
        "--input",
        input.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let json = search(&index, &["课后服务"]);
    assert_eq!(json["total"], 1);
    let title = json["hits"][0]["title"].as_str().unwrap().to_string();

    // Piped, the text has no escape codes and puts the marks in 【…】.
    let out = dafu(&["search", "课后服务", "--index", index.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let human = text(&out.stdout);
    assert!(human.contains("1 reply matches"), "{human}");
    assert!(human.contains(&title), "{human}");
    assert!(human.contains("杭教函〔2021〕12号"), "{human}");
    assert!(human.contains("杭州市教育局"), "{human}");
    assert!(human.contains("2021-06-18"), "{human}");
    assert!(human.contains("【课后服务】"), "{human}");
    assert!(human.contains("Facets"), "{human}");
    assert!(!human.contains('\u{1b}'), "{human:?}");
    assert!(serde_json::from_str::<Value>(&human).is_err());

    // Date filters, inclusive.
    let dated = search(
        &index,
        &["--date-from", "2020-09-30", "--date-to", "2021-06-18"],
    );
    assert_eq!(dated["total"], 2);
    let out = dafu(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--date-from",
        "2020-02-30",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("date_from"),
        "{}",
        text(&out.stderr)
    );
}
