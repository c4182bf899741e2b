//! The two real replies in `../shared/corpus/seeds` against `../shared/corpus/golden/seeds.json`,
//! for the fields this version extracts. Skipped (with a note) where `../shared` is absent.

use std::path::PathBuf;

use dafu_extract::Extractor;
use dafu_extract::decode::decode;
use serde_json::Value;

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("golden/seeds.json").exists() {
        Some(dir)
    } else {
        eprintln!("note: ../shared/corpus not found; golden test skipped");
        None
    }
}

#[test]
fn seeds_match_the_golden_fields() {
    let Some(dir) = shared() else { return };
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("golden/seeds.json")).unwrap())
            .unwrap();
    let extractor = Extractor::embedded().unwrap();
    let docs = golden["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    for g in docs {
        let file = g["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join("seeds").join(file)).unwrap();
        let text = decode(&bytes).unwrap().text;
        let got = serde_json::to_value(extractor.extract(&text)).unwrap();
        for field in [
            "title",
            "doc_number",
            "assembly",
            "level",
            "department",
            "date",
            "year",
            "primary_topic",
            "proposal_number",
            "proposal_title",
        ] {
            assert_eq!(got[field], g[field], "{file}: {field}");
        }
        for (key, value) in g["region"].as_object().unwrap() {
            assert_eq!(&got["region"][key], value, "{file}: region.{key}");
        }
        let topics = got["topics"].as_array().unwrap();
        for t in g["topics"]["contains"].as_array().unwrap() {
            assert!(topics.contains(t), "{file}: topics {topics:?} lack {t}");
        }
        if let Some(excluded) = g["topics"]["excludes_primary"].as_array() {
            assert!(
                !excluded.contains(&got["primary_topic"]),
                "{file}: primary {}",
                got["primary_topic"]
            );
        }
    }
}
