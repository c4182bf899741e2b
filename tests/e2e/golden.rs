//! `dafu extract` on the two real replies in `../shared/corpus/seeds` against every field of
//! `../shared/corpus/golden/seeds.json`. Skipped (with a note) where `../shared` is absent.

use std::process::Command;

use serde_json::Value;

use crate::support::shared_corpus;

/// Whether every string of `wanted` is a substring of some string of `got`.
fn each_contained(got: &Value, wanted: &Value) -> Vec<String> {
    let items: Vec<&str> = got
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().or_else(|| v["text"].as_str()))
                .collect()
        })
        .unwrap_or_default();
    wanted
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|w| !items.iter().any(|i| i.contains(w)))
        .map(str::to_string)
        .collect()
}

#[test]
fn dafu_extract_gets_every_golden_field_of_both_seeds() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(corpus.join("golden/seeds.json")).expect("golden file"),
    )
    .expect("golden JSON");
    let docs = golden["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 2);
    let files: Vec<String> = docs
        .iter()
        .map(|g| {
            corpus
                .join("seeds")
                .join(g["file"].as_str().expect("file"))
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_dafu"))
        .arg("extract")
        .args(&files)
        .output()
        .expect("run dafu extract");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let extracted: Value = serde_json::from_slice(&out.stdout).expect("extract JSON");
    let extracted = extracted.as_array().expect("a JSON array");
    assert_eq!(extracted.len(), 2);

    let mut wrong = Vec::new();
    for (g, got) in docs.iter().zip(extracted) {
        let file = g["file"].as_str().unwrap_or_default();
        let mut check = |field: &str, ok: bool, got: &Value, want: &Value| {
            if !ok {
                wrong.push(format!("{file}: {field}: got {got}, want {want}"));
            }
        };
        for field in [
            "title",
            "doc_number",
            "assembly",
            "level",
            "session",
            "proposal_number",
            "proposal_title",
            "proposer",
            "department",
            "date",
            "year",
            "primary_topic",
            "contacts",
            "cc",
        ] {
            check(field, got[field] == g[field], &got[field], &g[field]);
        }
        for (key, want) in g["region"].as_object().expect("region") {
            let got = &got["region"][key];
            check(&format!("region.{key}"), got == want, got, want);
        }
        let any_of = &g["co_departments"]["any_of"];
        let ok = any_of
            .as_array()
            .is_some_and(|a| a.contains(&got["co_departments"]));
        check("co_departments", ok, &got["co_departments"], any_of);
        let topics = got["topics"].as_array().cloned().unwrap_or_default();
        for t in g["topics"]["contains"].as_array().into_iter().flatten() {
            check("topics", topics.contains(t), &got["topics"], t);
        }
        for t in g["topics"]["excludes_primary"]
            .as_array()
            .into_iter()
            .flatten()
        {
            check(
                "primary_topic",
                &got["primary_topic"] != t,
                &got["primary_topic"],
                t,
            );
        }
        let missing = each_contained(&got["attachments"], &g["attachments"]["contains"]);
        check(
            "attachments",
            missing.is_empty(),
            &got["attachments"],
            &missing.into(),
        );
        let missing = each_contained(&got["commitments"], &g["commitments"]["contains"]);
        check(
            "commitments",
            missing.is_empty(),
            &Value::Null,
            &missing.into(),
        );
        let commitments: Vec<&str> = got["commitments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["text"].as_str())
            .collect();
        for excluded in g["not_commitments"]["excludes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let excluded = excluded.as_str().unwrap_or_default();
            let hit = commitments.iter().find(|c| c.contains(excluded));
            check(
                "not_commitments",
                hit.is_none(),
                &hit.copied().into(),
                &excluded.into(),
            );
        }
        // A reply that prints no handling class has none; both seeds are replies.
        check(
            "reply_kind",
            got["reply_kind"] == "reply",
            &got["reply_kind"],
            &"reply".into(),
        );
        check(
            "result_class",
            got["result_class"].is_null(),
            &got["result_class"],
            &Value::Null,
        );
    }
    assert!(
        wrong.is_empty(),
        "fields differ from the golden file:\n{}",
        wrong.join("\n")
    );
}
