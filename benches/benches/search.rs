//! Searches over an index of 5,000 synthetic replies (`DAFU_BENCH_REPLIES` to change it), each
//! through `engine.search(&engine.validate(&params)?)`: the path the HTTP handler takes, with
//! stored-field loading of the top 10 hits; and commitment searches through
//! `engine.search_commitments(&engine.validate_for(Target::Commitments, &params)?)`.
//!
//! Each query runs in up to four shapes, named by suffix: `plain` (`facets=false`,
//! `highlight=false`: matching, ranking and loading only), `facets` (every facet, the region
//! tree and the year histogram), `highlights` (three marked fragments per hit) and `full`
//! (both: the page's request and the API's default).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use dafu_query::SearchParams;
use dafu_query::request::{Flag, NumberOrText, Target};

const REPLIES: usize = 5_000;

fn params(q: &str) -> SearchParams {
    SearchParams {
        q: Some(q.to_string()),
        limit: Some(NumberOrText::Number(10)),
        ..Default::default()
    }
}

/// `p` with facets and highlights switched on or off.
fn shaped(p: &SearchParams, facets: bool, highlight: bool) -> SearchParams {
    SearchParams {
        facets: Some(Flag::Bool(facets)),
        highlight: Some(Flag::Bool(highlight)),
        ..p.clone()
    }
}

/// The four shapes of a query (see the module documentation).
fn shapes(name: &str, p: SearchParams) -> Vec<(String, SearchParams)> {
    vec![
        (format!("{name}/plain"), shaped(&p, false, false)),
        (format!("{name}/facets"), shaped(&p, true, false)),
        (format!("{name}/highlights"), shaped(&p, false, true)),
        (format!("{name}/full"), shaped(&p, true, true)),
    ]
}

fn search(c: &mut Criterion) {
    let replies = std::env::var("DAFU_BENCH_REPLIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(REPLIES);
    let fixture = dafu_benches::build_index(replies).expect("index of sample replies");
    let engine = &fixture.engine;
    eprintln!(
        "search fixture: {} replies, {:.1} MB of JSON Lines indexed in {:.1} s",
        fixture.summary.indexed,
        fixture.summary.bytes as f64 / 1e6,
        fixture.summary.elapsed.as_secs_f64()
    );

    let mut cases = Vec::new();
    cases.extend(shapes("one_word", params("人才队伍")));
    cases.extend(shapes("two_words", params("养老服务 资金")));
    cases.extend(shapes("phrase", params("\"取得了明显成效\"")));
    cases.push((
        "filter_only/full".to_string(),
        SearchParams {
            q: Some(String::new()),
            region: Some(dafu_query::request::OneOrMany::One("浙江省".into())),
            year: Some(NumberOrText::Text("2018..2020".into())),
            limit: Some(NumberOrText::Number(10)),
            ..Default::default()
        },
    ));

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
        group.bench_function(name.as_str(), |b| {
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
