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
    let (mut topics_checked, mut topics_wrong) = (0, Vec::new());
    for reply in generate(RegionTable::embedded(), &options) {
        let f: ReplyFields = extractor.extract(&reply.text);
        let t = &reply.truth;
        // A county name that several provinces have (城关区, 朝阳区), written without its city,
        // cannot be placed: the region must then be left unknown, never guessed.
        let regions = RegionTable::embedded();
        let place = t
            .county
            .as_deref()
            .or(t.city.as_deref())
            .unwrap_or(&t.province);
        let unplaceable = regions.lookup(place).len() > 1
            && !regions
                .lookup(place)
                .iter()
                .filter_map(|r| r.parent.and_then(|p| regions.get(p)))
                .any(|p| t.department.contains(&p.name));
        let region_ok = |got: Option<&str>, truth: Option<&str>| {
            got == truth || (unplaceable && f.region == Default::default())
        };
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
                region_ok(f.region.province.as_deref(), Some(t.province.as_str())),
            ),
            (
                "city",
                region_ok(f.region.city.as_deref(), t.city.as_deref()),
            ),
            (
                "county",
                region_ok(f.region.county.as_deref(), t.county.as_deref()),
            ),
            ("doc_number", f.doc_number.is_some()),
            ("date", f.date.as_deref() == Some(t.date.as_str())),
            ("year", f.year == Some(t.year)),
        ];
        topics_checked += 1;
        if f.primary_topic.as_deref() != Some(t.primary_topic) {
            topics_wrong.push(reply.id.clone());
        }
        for (name, ok) in checks {
            checked += 1;
            if !ok {
                wrong.push(format!("{} {name}: got {:?}\ntruth {:?}", reply.id, f, t));
            }
        }
    }
    // Topics are judged by weighted rules, not read: the generator's intended primary topic
    // must agree at least 98% of the time.
    assert!(
        topics_wrong.len() * 50 <= topics_checked,
        "primary topic differs on {topics_wrong:?} of {topics_checked}"
    );
    // The sample's forms are plain ones the first cut reads; every field must come back.
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong, e.g. {:#?}",
        wrong.len(),
        wrong
            .iter()
            .map(|w| w.split(" got").next().unwrap_or_default())
            .collect::<Vec<_>>()
    );
}
