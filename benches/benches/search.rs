//! Searches over an index of 5,000 synthetic replies, each through
//! `engine.search(&engine.validate(&params)?)`: the path the HTTP handler takes, with facets,
//! highlights and stored-field loading of the top 10 hits; and commitment searches through
//! `engine.search_commitments(&engine.validate_for(Target::Commitments, &params)?)`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use dafu_query::SearchParams;
use dafu_query::request::{NumberOrText, Target};

const REPLIES: usize = 5_000;

fn params(q: &str) -> SearchParams {
    SearchParams {
        q: Some(q.to_string()),
        limit: Some(NumberOrText::Number(10)),
        ..Default::default()
    }
}

fn search(c: &mut Criterion) {
    let fixture = dafu_benches::build_index(REPLIES).expect("index of sample replies");
    let engine = &fixture.engine;
    eprintln!(
        "search fixture: {} replies, {:.1} MB of JSON Lines indexed in {:.1} s",
        fixture.summary.indexed,
        fixture.summary.bytes as f64 / 1e6,
        fixture.summary.elapsed.as_secs_f64()
    );

    let cases = [
        ("one_word", params("人才队伍")),
        ("two_words", params("养老服务 资金")),
        ("phrase", params("\"取得了明显成效\"")),
        (
            "filter_only",
            SearchParams {
                q: Some(String::new()),
                region: Some(dafu_query::request::OneOrMany::One("浙江省".into())),
                year: Some(NumberOrText::Text("2018..2020".into())),
                limit: Some(NumberOrText::Number(10)),
                ..Default::default()
            },
        ),
    ];

    let mut group = c.benchmark_group("search");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(8));
    for (name, p) in &cases {
        let response = engine
            .search(&engine.validate(p).expect("valid parameters"))
            .expect("search");
        eprintln!(
            "search/{name}: {} matching replies, {} hits returned",
            response.total,
            response.hits.len()
        );
        group.bench_function(*name, |b| {
            b.iter(|| {
                let request = engine.validate(black_box(p)).expect("valid parameters");
                engine.search(&request).expect("search").hits.len()
            })
        });
    }
    // Commitments on their own (/api/commitments): one word, and one word with a facet filter.
    let commitment_cases = [
        ("commitments_one_word", params("培训")),
        (
            "commitments_filtered",
            SearchParams {
                strength: Some(dafu_query::request::OneOrMany::One("firm".into())),
                ..params("资金")
            },
        ),
    ];
    for (name, p) in &commitment_cases {
        let validate = |p| engine.validate_for(Target::Commitments, p);
        let response = engine
            .search_commitments(&validate(p).expect("valid parameters"))
            .expect("search");
        eprintln!(
            "search/{name}: {} matching commitments, {} hits returned",
            response.total,
            response.hits.len()
        );
        group.bench_function(*name, |b| {
            b.iter(|| {
                let request = validate(black_box(p)).expect("valid parameters");
                engine
                    .search_commitments(&request)
                    .expect("search")
                    .hits
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
