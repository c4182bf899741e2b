//! The indexing floor of the end-to-end benchmark (`benches/e2e.sh`): issue 7's own prototype,
//! measured on the same corpus in the same run — a tantivy index of one text field, cut by raw
//! jieba-rs `cut(text, true)` with the index's dictionary, with term frequencies and positions,
//! nothing stored, nothing extracted.
//!
//! Issue 7 reports that this prototype reached about 0.25 × the jieba baseline on a 2-core
//! machine, and asks `dafu index` for 0.3 ×. `dafu index` does the prototype's work and more
//! (bigrams, commitment documents, titles, stored records, extraction); this tool measures the
//! prototype here, so the ratio dafu reaches can be read against the ratio the bare minimum
//! reaches on the same bytes and cores.
//!
//! Timed from the first line read to the commit and the end of the merges, reading and JSON
//! decoding included (`dafu index` is timed from its process's start, which adds loading the
//! dictionaries: well under a second), with the writer `dafu index` uses by default (two
//! threads sharing 512 MB, or `--threads`).
//!
//! `--analysis` decomposes the distance between the two, one search capability at a time:
//!
//! * `raw` (the default, the prototype): one field, raw jieba words;
//! * `words`: one field, dafu's word analyzer instead (folding, dictionary sub-words);
//! * `words+bigrams`: the words field and the bigram field dafu indexes beside it (every two
//!   characters in a row, so that a word jieba cut differently in a reply is still found).
//!
//! What `dafu index` does beyond `words+bigrams` (extraction, the commitment documents and their
//! own text fields, titles and names, the stored record) is the rest of its time.
//!
//! Usage: `prototype_index CORPUS_DIR INDEX_DIR [--threads N] [--analysis raw|words|words+bigrams]`.
//! `INDEX_DIR` must not exist or be empty. Prints one line of `key=value` pairs:
//! `prototype_analysis`, `prototype_bytes`, `prototype_replies`, `prototype_tokens` (raw only),
//! `prototype_secs`, `prototype_mb_s`, `prototype_threads`, `prototype_index_mb`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use dafu_benches::BenchError;
use dafu_index::analysis::{Analysis, BIGRAMS, BufferedTokenStream, WORDS};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, Tokenizer};
use tantivy::{Index, IndexWriter, TantivyDocument};

/// The writer's memory, as `dafu index` has it by default.
const MEMORY_BUDGET: usize = 512 << 20;

/// The tokenizer's name in the prototype's schema.
const JIEBA: &str = "jieba";

/// Raw jieba-rs `cut(text, true)`: one token per word, positions in order, nothing folded,
/// nothing dropped (the prototype's tokenizer).
#[derive(Clone)]
struct JiebaTokenizer {
    analysis: Analysis,
    tokens: Vec<Token>,
    cut: Arc<AtomicU64>,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = BufferedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferedTokenStream<'a> {
        self.tokens.clear();
        for (position, word) in self.analysis.jieba().cut(text, true).iter().enumerate() {
            self.tokens.push(Token {
                offset_from: word.byte_start,
                offset_to: word.byte_end,
                position,
                text: word.word.to_string(),
                position_length: 1,
            });
        }
        self.cut
            .fetch_add(self.tokens.len() as u64, Ordering::Relaxed);
        BufferedTokenStream::new(&mut self.tokens)
    }
}

fn main() -> Result<(), BenchError> {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut threads = 2usize;
    let mut analysis_name = "raw".to_string();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--analysis" => {
                analysis_name = args
                    .next()
                    .ok_or("--analysis needs raw, words or words+bigrams")?;
            }
            "--threads" => {
                let n = args.next().ok_or("--threads needs a number")?;
                threads = n
                    .parse::<usize>()
                    .map_err(|e| format!("--threads {n}: {e}"))?
                    .max(1);
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let [corpus, index_dir] = <[PathBuf; 2]>::try_from(paths)
        .map_err(|_| {
            "usage: prototype_index CORPUS_DIR INDEX_DIR [--threads N] [--analysis raw|words|words+bigrams]"
        })?;
    let (words_tokenizer, with_bigrams) = match analysis_name.as_str() {
        "raw" => (JIEBA, false),
        "words" => (WORDS, false),
        "words+bigrams" => (WORDS, true),
        other => return Err(format!("--analysis {other:?}: raw, words or words+bigrams").into()),
    };

    let analysis = Analysis::embedded()?;
    let cut = Arc::new(AtomicU64::new(0));
    let positional = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let mut schema = Schema::builder();
    let text = schema.add_text_field("text", positional(words_tokenizer));
    let bigrams = with_bigrams.then(|| schema.add_text_field("text_bigrams", positional(BIGRAMS)));
    std::fs::create_dir_all(&index_dir).map_err(|e| format!("{}: {e}", index_dir.display()))?;
    let index = Index::create_in_dir(&index_dir, schema.build())?;
    analysis.register(&index);
    index.tokenizers().register(
        JIEBA,
        JiebaTokenizer {
            analysis: analysis.clone(),
            tokens: Vec::new(),
            cut: Arc::clone(&cut),
        },
    );

    let started = Instant::now();
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, MEMORY_BUDGET)?;
    let (mut bytes, mut replies) = (0u64, 0u64);
    dafu_benches::for_each_text(&corpus, |body| {
        bytes += body.len() as u64;
        replies += 1;
        let mut doc = TantivyDocument::default();
        if let Some(bigrams) = bigrams {
            doc.add_text(bigrams, &body);
        }
        doc.add_text(text, body);
        writer.add_document(doc)?;
        Ok(())
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    let secs = started.elapsed().as_secs_f64();
    let index_mb = dir_bytes(&index_dir)? as f64 / 1e6;
    // The raw tokenizer counts its words; dafu's analyzers are tantivy's to drive.
    let tokens = match analysis_name.as_str() {
        "raw" => format!(" prototype_tokens={}", cut.load(Ordering::Relaxed)),
        _ => String::new(),
    };
    println!(
        "prototype_analysis={analysis_name} prototype_bytes={bytes} prototype_replies={replies}{tokens} \
         prototype_secs={secs:.3} prototype_mb_s={:.1} prototype_threads={threads} \
         prototype_index_mb={index_mb:.1}",
        bytes as f64 / 1e6 / secs.max(1e-9),
    );
    Ok(())
}

/// Bytes of the files directly in `dir` (a tantivy index is flat).
fn dir_bytes(dir: &std::path::Path) -> Result<u64, BenchError> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let meta = entry?.metadata()?;
        if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}
