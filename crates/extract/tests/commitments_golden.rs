//! Commitments in the two real replies in `../shared/corpus/seeds` against the `commitments`
//! and `not_commitments` of `../shared/corpus/golden/seeds.json`. Skipped (with a note) where
//! `../shared` is absent.

use std::path::PathBuf;

use dafu_extract::commitments::{Commitment, find_commitments};
use dafu_extract::date::Date;
use dafu_extract::decode::decode;
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(CORPUS);
    if dir.join("golden/seeds.json").exists() {
        Some(dir)
    } else {
        eprintln!("note: {CORPUS} not found; commitments golden test skipped");
        None
    }
}

fn seed(dir: &std::path::Path, file: &str) -> String {
    let bytes = std::fs::read(dir.join("seeds").join(file)).unwrap();
    decode(&bytes).unwrap().text
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn signing(file: &str) -> (Date, &'static str) {
    if file.starts_with("000") {
        (
            Date {
                year: 2020,
                month: 6,
                day: 30,
            },
            "吉林省民政厅",
        )
    } else {
        (
            Date {
                year: 2020,
                month: 8,
                day: 18,
            },
            "嘉兴市民政局",
        )
    }
}

#[test]
fn seeds_match_the_golden_commitments() {
    let Some(dir) = shared() else { return };
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("golden/seeds.json")).unwrap())
            .unwrap();
    let mut all: Vec<(String, Vec<Commitment>)> = Vec::new();
    for g in golden["documents"].as_array().unwrap() {
        let file = g["file"].as_str().unwrap();
        let text = seed(&dir, file);
        let (signed, department) = signing(file);
        let found = find_commitments(&text, Some(signed), Some(department));
        for c in &found {
            let slice: String = text.chars().skip(c.start).take(c.end - c.start).collect();
            assert_eq!(slice, c.text, "{file}: offsets of {c:?}");
            assert_eq!(c.text.trim(), c.text, "{file}: untrimmed {:?}", c.text);
        }
        for want in strs(&g["commitments"]["contains"]) {
            assert!(
                found.iter().any(|c| c.text.contains(want)),
                "{file}: no commitment contains {want:?}"
            );
        }
        for bad in strs(&g["not_commitments"]["excludes"]) {
            assert!(
                !found.iter().any(|c| c.text.contains(bad)),
                "{file}: {bad:?} was taken for a commitment"
            );
        }
        all.push((file.to_string(), found));
    }
    let (_, c000) = &all[0];
    let (_, c004) = &all[1];
    assert!(
        c000.iter()
            .flat_map(|c| &c.quantities)
            .any(|q| q.text == "500人次" && q.value == 500.0 && q.unit == "人次"),
        "000: 500人次"
    );
    assert!(
        c004.iter()
            .flat_map(|c| &c.quantities)
            .any(|q| q.text == "5%" && q.value == 5.0 && q.unit == "%"),
        "004: 5%"
    );
    let ni = c000
        .iter()
        .find(|c| c.text.contains("2020年拟引导10家"))
        .unwrap();
    assert_eq!(ni.target_year, Some(2020));
    assert!(ni.quantities.iter().any(|q| q.text == "10家"));
    // sections and departments
    let training = c000
        .iter()
        .find(|c| c.text.contains("培训人次不少于500人次"))
        .unwrap();
    assert_eq!(
        training.section.as_deref(),
        Some("二、加强社会组织人才队伍建设具体措施")
    );
    let hr = c000
        .iter()
        .find(|c| c.text.starts_with("省人社厅建立"))
        .unwrap();
    assert_eq!(hr.department.as_deref(), Some("省人社厅"));
    let checks = c004
        .iter()
        .find(|c| c.text.contains("抽查率不低于5%"))
        .unwrap();
    assert_eq!(
        checks.department.as_deref(),
        Some("市、县两级社会组织登记管理机关")
    );
    assert!(checks.quantities.iter().any(|q| q.text == "0.5%"));
}

/// `cargo test -p dafu-extract --test commitments_golden -- --ignored --nocapture` prints what
/// the extractor keeps in the seeds.
#[test]
#[ignore]
fn print_seed_commitments() {
    let Some(dir) = shared() else { return };
    for file in ["000_f816d77ca6acb2ac.txt", "004_c8affcde4ae63ebc.txt"] {
        let text = seed(&dir, file);
        let (signed, department) = signing(file);
        for c in find_commitments(&text, Some(signed), Some(department)) {
            println!(
                "{file} [{}..{}] {:?} {:?} y={:?} d={:?} dept={:?} sec={:?}\n    {}",
                c.start,
                c.end,
                c.strength,
                c.quantities.iter().map(|q| &q.text).collect::<Vec<_>>(),
                c.target_year,
                c.deadline,
                c.department,
                c.section,
                c.text
            );
        }
    }
}
