//! Field extraction on one core: every field of `dafu extract` (title, 文号, session, region,
//! department, proposer, contacts, 抄送, attachments, topics, commitments).
//!
//! - `synthetic_200_replies`: 200 synthetic replies; the time per iteration gives replies/s
//!   and the byte throughput MB/s.
//! - `scaling/Nx`: one reply's text repeated N times. Equal MB/s across N shows extraction is
//!   linear in the length of the text.
//! - `real_seeds`: the two real replies of `../shared/corpus/seeds`, when present.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use dafu_extract::Extractor;
use dafu_extract::decode::decode;

const REPLIES: usize = 200;

fn extract(c: &mut Criterion) {
    let replies: Vec<String> = dafu_benches::replies(REPLIES)
        .into_iter()
        .map(|r| r.text)
        .collect();
    let extractor = Extractor::embedded().expect("extractor");

    let mut group = c.benchmark_group("extract");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(dafu_benches::total_bytes(&replies)));
    group.bench_function("synthetic_200_replies", |b| {
        b.iter(|| {
            replies
                .iter()
                .map(|r| extractor.extract(black_box(r)).commitments.len())
                .sum::<usize>()
        })
    });

    let one = &replies[0];
    for n in [1usize, 4, 16] {
        let text = one.repeat(n);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("scaling", format!("{n}x")),
            &text,
            |b, t| b.iter(|| extractor.extract(black_box(t)).commitments.len()),
        );
    }

    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/seeds");
    let real: Vec<String> = std::fs::read_dir(&seeds)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|b| decode(&b).ok().map(|d| d.text))
        .collect();
    if real.is_empty() {
        eprintln!("note: {} is absent; skipping real_seeds", seeds.display());
    } else {
        group.throughput(Throughput::Bytes(dafu_benches::total_bytes(&real)));
        group.bench_function("real_seeds", |b| {
            b.iter(|| {
                real.iter()
                    .map(|r| extractor.extract(black_box(r)).commitments.len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, extract);
criterion_main!(benches);
