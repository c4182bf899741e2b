//! Analysis throughput over ~1 MB of synthetic reply text: the word, character and bigram
//! analyzers as registered on every index (folding included), against raw
//! `jieba.cut(text, true)` over the same texts, so the cost of folding, sub-words and tokens
//! over jieba is visible.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tantivy::tokenizer::TokenStream;

use dafu_index::ReplyIndex;
use dafu_index::analysis::{Analysis, BIGRAMS, CHARS, WORDS};

/// About 1 MB of UTF-8 (whole replies, each tokenized on its own as at index time).
const BYTES: usize = 1_000_000;

fn analysis(c: &mut Criterion) {
    let texts = dafu_benches::texts_of_at_least(BYTES);
    let bytes = dafu_benches::total_bytes(&texts);
    eprintln!("analysis fixture: {} replies, {bytes} bytes", texts.len());
    let analysis = Analysis::embedded().expect("analysis");
    // The analyzers exactly as tantivy's writer gets them from the index.
    let index = ReplyIndex::create_in_ram(analysis.clone());
    let mut words = index
        .index()
        .tokenizers()
        .get(WORDS)
        .expect("word analyzer");
    let mut chars = index
        .index()
        .tokenizers()
        .get(CHARS)
        .expect("char analyzer");
    let mut bigrams = index
        .index()
        .tokenizers()
        .get(BIGRAMS)
        .expect("bigram analyzer");
    let jieba = analysis.jieba();

    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(10));

    group.bench_function("jieba_cut_hmm", |b| {
        b.iter(|| {
            let mut n = 0;
            for text in &texts {
                n += jieba.cut(black_box(text), true).len();
            }
            n
        })
    });
    group.bench_function("word_tokenizer", |b| {
        b.iter(|| {
            let mut n = 0;
            for text in &texts {
                let mut stream = words.token_stream(black_box(text));
                while stream.advance() {
                    n += stream.token().text.len();
                }
            }
            n
        })
    });
    group.bench_function("char_tokenizer", |b| {
        b.iter(|| {
            let mut n = 0;
            for text in &texts {
                let mut stream = chars.token_stream(black_box(text));
                while stream.advance() {
                    n += stream.token().text.len();
                }
            }
            n
        })
    });
    group.bench_function("bigram_tokenizer", |b| {
        b.iter(|| {
            let mut n = 0;
            for text in &texts {
                let mut stream = bigrams.token_stream(black_box(text));
                while stream.advance() {
                    n += stream.token().text.len();
                }
            }
            n
        })
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
