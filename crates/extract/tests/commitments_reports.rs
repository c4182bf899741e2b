//! Commitments in the State Council government work reports (政府工作报告) of
//! `../shared/corpus/real/government_work_reports.jsonl`, a corpus full of promises.
//!
//! * `labelled_sample_of_the_2025_report_is_precise`: 50 commitments of the 2025 report, picked
//!   deterministically and labelled by hand in
//!   `tests/fixtures/commitments/report-2025-labels.tsv` (offsets only, no text), must still be
//!   found, and at least 90 % of them must be real commitments.
//! * `print_report_commitments` (ignored) prints what is kept, for tuning:
//!   `cargo test -p dafu-extract --test commitments_reports -- --ignored --nocapture`
//!   (`DAFU_REPORT_YEAR=2024` picks another report, `DAFU_SAMPLE=1` prints the sample).

use std::path::PathBuf;

use dafu_extract::commitments::{Commitment, find_commitments};
use dafu_extract::date::Date;
use serde_json::Value;

const REPORTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/real/government_work_reports.jsonl"
);
const LABELS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/commitments/report-2025-labels.tsv"
);
/// How many commitments of the 2025 report are labelled.
const SAMPLE: usize = 50;

/// `(year, content)` of every report with a year.
fn reports() -> Option<Vec<(i32, String)>> {
    let Ok(text) = std::fs::read_to_string(PathBuf::from(REPORTS)) else {
        eprintln!("note: {REPORTS} not found; report test skipped");
        return None;
    };
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        let year = v["year"].as_str().and_then(|y| y.parse::<i32>().ok());
        if let (Some(year), Some(content)) = (year, v["content"].as_str()) {
            out.push((year, content.to_string()));
        }
    }
    Some(out)
}

/// Reports are delivered at the NPC's March session.
fn extract(year: i32, content: &str) -> Vec<Commitment> {
    let signed = Date {
        year,
        month: 3,
        day: 5,
    };
    find_commitments(content, Some(signed), Some("国务院"))
}

/// Every k-th commitment, k = count / SAMPLE, starting at the first.
fn sample(found: &[Commitment]) -> Vec<&Commitment> {
    let step = (found.len() / SAMPLE).max(1);
    found.iter().step_by(step).take(SAMPLE).collect()
}

#[test]
fn labelled_sample_of_the_2025_report_is_precise() {
    let Some(reports) = reports() else { return };
    let Some((_, content)) = reports.iter().find(|(y, _)| *y == 2025) else {
        panic!("no 2025 report in {REPORTS}");
    };
    let found = extract(2025, content);
    let labels = std::fs::read_to_string(LABELS).unwrap();
    let mut total = 0;
    let mut good = 0;
    for line in labels
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (start, end, label) = (
            cols[0].parse::<usize>().unwrap(),
            cols[1].parse::<usize>().unwrap(),
            cols[2],
        );
        assert!(
            found.iter().any(|c| c.start == start && c.end == end),
            "labelled commitment {start}..{end} is no longer extracted"
        );
        total += 1;
        if label == "1" {
            good += 1;
        }
    }
    assert_eq!(total, SAMPLE, "labels in {LABELS}");
    let precision = good as f64 / total as f64;
    eprintln!(
        "2025 report: {} commitments, sample precision {precision:.2}",
        found.len()
    );
    assert!(precision >= 0.9, "precision {precision:.2} < 0.9");
}

#[test]
#[ignore]
fn print_report_commitments() {
    let Some(reports) = reports() else { return };
    let year: i32 = std::env::var("DAFU_REPORT_YEAR")
        .ok()
        .and_then(|y| y.parse().ok())
        .unwrap_or(2025);
    for (y, content) in &reports {
        let found = extract(*y, content);
        let units = content.chars().filter(|&c| c == '。').count();
        println!("{y}: {} commitments, {units} full stops", found.len());
        if *y != year {
            continue;
        }
        let shown: Vec<&Commitment> = if std::env::var("DAFU_SAMPLE").is_ok() {
            sample(&found)
        } else {
            found.iter().collect()
        };
        for c in shown {
            println!(
                "  {}\t{}\t{:?} {:?} y={:?} d={:?} dept={:?} sec={:?}\n      {}",
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
