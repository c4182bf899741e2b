//! The segmentation baseline of the end-to-end benchmark (`benches/e2e.sh`): raw jieba-rs
//! `cut(text, true)` over every reply text of a JSON Lines corpus, on all cores, with the same
//! dictionary the index uses (jieba's default, the domain dictionary and the place names).
//!
//! This is the physical limit of segmentation on the machine: `dafu index` segments the same
//! text (and does everything else besides), so its MB/s over this one is the figure issue 7
//! asks for. Only the cutting is timed; reading and JSON decoding are not. Texts are loaded in
//! chunks of about 256 MB so a corpus larger than memory can be measured.
//!
//! Usage: `jieba_baseline CORPUS_DIR [--threads N]`. Prints one line of `key=value` pairs:
//! `baseline_bytes`, `baseline_replies`, `baseline_secs`, `baseline_mb_s`, `baseline_threads`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dafu_benches::BenchError;
use dafu_index::analysis::Analysis;
use rayon::prelude::*;

/// Text loaded before each parallel cut.
const CHUNK_BYTES: usize = 256 << 20;

fn main() -> Result<(), BenchError> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut threads = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => {
                let n = args.next().ok_or("--threads needs a number")?;
                threads = Some(
                    n.parse::<usize>()
                        .map_err(|e| format!("--threads {n}: {e}"))?,
                );
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}").into()),
        }
    }
    let dir = dir.ok_or("usage: jieba_baseline CORPUS_DIR [--threads N]")?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?;
    let analysis = Analysis::embedded()?;
    let jieba = analysis.jieba();

    let mut cutting = Duration::ZERO;
    let (mut bytes, mut replies, mut words) = (0u64, 0u64, 0u64);
    let mut chunk: Vec<String> = Vec::new();
    let mut chunk_bytes = 0usize;
    let mut cut = |chunk: &mut Vec<String>| {
        let started = Instant::now();
        let n: usize = pool.install(|| {
            chunk
                .par_iter()
                .map(|text| jieba.cut(text, true).len())
                .sum()
        });
        cutting += started.elapsed();
        words += n as u64;
        chunk.clear();
    };
    dafu_benches::for_each_text(&dir, |text| {
        bytes += text.len() as u64;
        replies += 1;
        chunk_bytes += text.len();
        chunk.push(text);
        if chunk_bytes >= CHUNK_BYTES {
            cut(&mut chunk);
            chunk_bytes = 0;
        }
        Ok(())
    })?;
    cut(&mut chunk);
    let secs = cutting.as_secs_f64();
    println!(
        "baseline_bytes={bytes} baseline_replies={replies} baseline_words={words} \
         baseline_secs={secs:.3} baseline_mb_s={:.1} baseline_threads={}",
        bytes as f64 / 1e6 / secs.max(1e-9),
        pool.current_num_threads()
    );
    Ok(())
}
