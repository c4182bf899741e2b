//! The embedded default corpus: what `dafu sample` generates is varied, covers what the
//! foundation issue asks, and reads back through extraction as it was written.

use std::collections::BTreeSet;

use dafu_extract::region::RegionTable;
use dafu_extract::{Extractor, ReplyFields};
use dafu_sample::{SampleOptions, generate};

use crate::support::{build, facet, get};

#[tokio::test]
async fn the_default_sample_covers_provinces_assemblies_levels_years_and_topics() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("sample");
    let options = SampleOptions::default();
    assert!(options.count >= 1000);
    let summary = dafu_sample::write_corpus(&corpus, RegionTable::embedded(), &options).unwrap();
    assert_eq!(summary.replies, options.count);
    let (engine, ingest) = build(&dir.path().join("index"), &[corpus]);
    assert_eq!(
        ingest.indexed,
        options.count,
        "{:?}",
        &ingest.skipped[..ingest.skipped.len().min(5)]
    );

    let (_, all) = get(&engine, "/api/search", &[("limit", "1")]).await;
    assert_eq!(all["total"], options.count);
    assert!(
        facet(&all, "region").len() >= 20,
        "{:?}",
        facet(&all, "region")
    );
    let assemblies: BTreeSet<String> = facet(&all, "assembly").into_iter().map(|x| x.0).collect();
    assert_eq!(assemblies, ["cppcc", "npc"].map(String::from).into());
    let levels: BTreeSet<String> = facet(&all, "level").into_iter().map(|x| x.0).collect();
    assert!(
        ["province", "city", "county"]
            .iter()
            .all(|l| levels.contains(*l)),
        "{levels:?}"
    );
    let years: BTreeSet<u64> = facet(&all, "year")
        .into_iter()
        .filter_map(|x| x.0.parse().ok())
        .collect();
    assert!((2016..=2025).all(|y| years.contains(&y)), "{years:?}");
    let topics: BTreeSet<String> = facet(&all, "topic").into_iter().map(|x| x.0).collect();
    for t in engine.extractor().topic_rules().topics() {
        assert!(topics.contains(&t.slug), "no reply tagged {}", t.slug);
    }
    // Every reply is marked synthetic.
    let (_, one) = get(&engine, "/api/search", &[("limit", "1")]).await;
    let id = one["hits"][0]["id"].as_str().unwrap().to_string();
    let (_, reply) = get(&engine, &format!("/api/replies/{id}"), &[]).await;
    assert_eq!(reply["origin"]["source"], "synthetic");
}

#[test]
fn extraction_reads_the_sample_back_as_generated() {
    let extractor = Extractor::embedded().unwrap();
    let options = SampleOptions {
        count: 400,
        ..SampleOptions::default()
    };
    let mut wrong: Vec<String> = Vec::new();
    let mut checked = 0;
    for reply in generate(RegionTable::embedded(), &options) {
        let f: ReplyFields = extractor.extract(&reply.text);
        let t = &reply.truth;
        let checks = [
            ("title", f.title.as_deref() == Some(t.title.as_str())),
            (
                "department",
                f.department.as_deref() == Some(t.department.as_str()),
            ),
            (
                "assembly",
                f.assembly.map(|a| a.as_str()) == Some(t.assembly),
            ),
            ("level", f.level.map(|l| l.as_str()) == Some(t.level)),
            (
                "province",
                f.region.province.as_deref() == Some(t.province.as_str()),
            ),
            ("city", f.region.city.as_deref() == t.city.as_deref()),
            ("date", f.date.as_deref() == Some(t.date.as_str())),
            ("year", f.year == Some(t.year)),
            (
                "primary_topic",
                f.primary_topic.as_deref() == Some(t.primary_topic),
            ),
        ];
        for (name, ok) in checks {
            checked += 1;
            if !ok {
                wrong.push(format!("{} {name}: {:?}", reply.id, f));
            }
        }
    }
    // Extraction is a first cut; it must still get the sample's plain forms right.
    assert!(
        wrong.len() * 100 <= checked * 2,
        "{} of {checked} wrong, e.g. {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
}
