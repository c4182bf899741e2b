//! How a corpus's vocabulary grows: the check that `dafu sample` text is not "the same 100
//! sentences shuffled" (issue 7), by comparing its statistics with real official text.
//!
//! Reads JSON Lines files (each line's `text`, or `content`), cuts every document with the
//! index's jieba dictionary (words of letters, digits or ideographs only), stops after
//! `--max-bytes` of text, and prints one `key=value` line: documents, bytes, word tokens,
//! distinct words, the distinct words after 10^4, 10^5 and 10^6 tokens (the Heaps curve),
//! the share of distinct words seen once (hapax legomena) and in one document only, and the
//! share of all tokens taken by the 100 commonest words.
//!
//! Usage: `corpus_stats [--max-bytes N] FILE_OR_DIR...`

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use dafu_benches::BenchError;
use dafu_index::analysis::Analysis;

fn main() -> Result<(), BenchError> {
    let mut max_bytes = u64::MAX;
    let mut inputs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--max-bytes" {
            let n = args.next().ok_or("--max-bytes needs a number")?;
            max_bytes = n.parse().map_err(|e| format!("--max-bytes {n}: {e}"))?;
        } else {
            inputs.push(PathBuf::from(a));
        }
    }
    if inputs.is_empty() {
        return Err("usage: corpus_stats [--max-bytes N] FILE_OR_DIR...".into());
    }
    let analysis = Analysis::embedded()?;
    let jieba = analysis.jieba();
    // word -> (occurrences, documents)
    let mut words: HashMap<String, (u64, u64)> = HashMap::new();
    let (mut docs, mut bytes, mut tokens) = (0u64, 0u64, 0u64);
    let mut heaps = Vec::new();
    let mut checkpoints = [10_000u64, 100_000, 1_000_000].into_iter().peekable();
    'files: for input in &inputs {
        for path in dafu_benches::jsonl_files(input)? {
            let file = File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for line in BufReader::new(file).lines() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                let value: serde_json::Value = serde_json::from_str(&line)?;
                let Some(text) = value["text"].as_str().or(value["content"].as_str()) else {
                    continue;
                };
                if bytes >= max_bytes {
                    break 'files;
                }
                docs += 1;
                bytes += text.len() as u64;
                let mut in_doc = std::collections::HashSet::new();
                for w in jieba.cut(text, true) {
                    if !w.word.chars().all(char::is_alphanumeric) {
                        continue;
                    }
                    tokens += 1;
                    let entry = words.entry(w.word.to_string()).or_default();
                    entry.0 += 1;
                    if in_doc.insert(w.word) {
                        entry.1 += 1;
                    }
                    if checkpoints.peek() == Some(&tokens) {
                        heaps.push((tokens, words.len()));
                        checkpoints.next();
                    }
                }
            }
        }
    }
    let distinct = words.len().max(1) as f64;
    let hapax = words.values().filter(|(n, _)| *n == 1).count() as f64 / distinct;
    let one_doc = words.values().filter(|(_, d)| *d == 1).count() as f64 / distinct;
    let mut counts: Vec<u64> = words.values().map(|(n, _)| *n).collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top100 = counts.iter().take(100).sum::<u64>() as f64 / tokens.max(1) as f64;
    let heaps: Vec<String> = heaps
        .iter()
        .map(|(t, v)| format!("distinct_at_{t}={v}"))
        .collect();
    println!(
        "docs={docs} bytes={bytes} tokens={tokens} distinct={} {} hapax_share={hapax:.3} \
         one_doc_share={one_doc:.3} top100_token_share={top100:.3}",
        words.len(),
        heaps.join(" ")
    );
    Ok(())
}
