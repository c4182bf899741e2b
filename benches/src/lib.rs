//! # dafu-benches: shared fixtures of the workspace benchmarks
//!
//! This package owns the Criterion benchmarks of dafu (`benches/benches/*.rs`, run with
//! `cargo bench -p dafu-benches`; results are recorded in `BENCHMARKS.md`) and the fixtures
//! they share: sample text of a given size and a search engine over an index of synthetic
//! replies built in a temporary folder by the real ingestion pipeline.
//!
//! Every input comes from the deterministic generator of `dafu-sample`, so two runs measure
//! the same bytes. This package contains no product code: it only calls the public APIs of
//! `dafu-extract`, `dafu-index` and `dafu-query`.

use std::error::Error;
use std::path::PathBuf;

use dafu_extract::Extractor;
use dafu_extract::region::RegionTable;
use dafu_index::analysis::Analysis;
use dafu_index::ingest::{IngestOptions, IngestSummary, Silent};
use dafu_index::{ReplyIndex, ingest};
use dafu_query::SearchEngine;
use dafu_sample::{SampleOptions, SampleReply, generate, write_corpus};
use tempfile::TempDir;

/// Seed of every benchmark corpus (the default of `dafu sample`).
pub const SEED: u64 = 2020;

/// Any failure while building a fixture.
pub type BenchError = Box<dyn Error + Send + Sync>;

/// The first `count` synthetic replies of [`SEED`].
pub fn replies(count: usize) -> Vec<SampleReply> {
    generate(
        RegionTable::embedded(),
        &SampleOptions { count, seed: SEED },
    )
    .collect()
}

/// Whole reply texts of [`SEED`], in order, until together they hold at least `min_bytes`
/// bytes of UTF-8.
pub fn texts_of_at_least(min_bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut bytes = 0;
    let all = generate(
        RegionTable::embedded(),
        &SampleOptions {
            count: usize::MAX,
            seed: SEED,
        },
    );
    for reply in all {
        if bytes >= min_bytes {
            break;
        }
        bytes += reply.text.len();
        out.push(reply.text);
    }
    out
}

/// The `.jsonl` files of a corpus folder, sorted (or the file itself when `path` is one).
pub fn jsonl_files(path: &std::path::Path) -> Result<Vec<PathBuf>, BenchError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))? {
        let p = entry?.path();
        if p.extension().is_some_and(|e| e == "jsonl") {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(format!("no .jsonl files in {}", path.display()).into());
    }
    Ok(files)
}

/// Calls `each` with the `text` of every reply of a JSON Lines corpus (a folder of `.jsonl`
/// files, or one file), in file order; blank lines are skipped, a line without `text` is an
/// error naming its file.
pub fn for_each_text(
    path: &std::path::Path,
    mut each: impl FnMut(String) -> Result<(), BenchError>,
) -> Result<(), BenchError> {
    use std::io::BufRead;

    #[derive(serde::Deserialize)]
    struct Line {
        text: String,
    }
    for file_path in jsonl_files(path)? {
        let file =
            std::fs::File::open(&file_path).map_err(|e| format!("{}: {e}", file_path.display()))?;
        for line in std::io::BufReader::new(file).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let Line { text } =
                serde_json::from_str(&line).map_err(|e| format!("{}: {e}", file_path.display()))?;
            each(text)?;
        }
    }
    Ok(())
}

/// Total UTF-8 length of `texts`, in bytes.
pub fn total_bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

/// A search engine over an index in a temporary folder, which lives as long as this value.
pub struct BenchIndex {
    pub engine: SearchEngine,
    pub summary: IngestSummary,
    _dir: TempDir,
}

/// Writes the first `count` replies of [`SEED`] as a JSON Lines corpus, indexes it with
/// [`dafu_index::ingest`] (the path of `dafu index`), commits, and opens an engine on it.
pub fn build_index(count: usize) -> Result<BenchIndex, BenchError> {
    let dir = tempfile::tempdir()?;
    let corpus = dir.path().join("corpus");
    write_corpus(
        &corpus,
        RegionTable::embedded(),
        &SampleOptions { count, seed: SEED },
    )?;
    let analysis = Analysis::embedded()?;
    let extractor = Extractor::embedded()?;
    let index = ReplyIndex::open_or_create(&dir.path().join("index"), analysis)?;
    let inputs: Vec<PathBuf> = vec![corpus];
    let summary = ingest(
        &index,
        &extractor,
        &inputs,
        &IngestOptions::default(),
        &Silent,
    )?;
    if summary.indexed != count {
        return Err(format!(
            "indexed {} of {count} replies; skipped: {:?}",
            summary.indexed, summary.skipped
        )
        .into());
    }
    let engine = SearchEngine::new(index, extractor)?;
    engine.refresh()?;
    Ok(BenchIndex {
        engine,
        summary,
        _dir: dir,
    })
}
