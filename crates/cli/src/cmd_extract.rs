//! `dafu extract`: print what extraction finds in reply files, as a JSON array — one element
//! per reply, its copies (the same text in several files or formats) merged into its `sources`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use serde_json::{Value, json};

use dafu_index::document::ReplySource;
use dafu_index::ingest::{DEFAULT_MAX_REPLY_BYTES, InputFormat, RawReply, prepare, read_file};

use crate::resources;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Reply files: .txt (UTF-8, UTF-16 or GBK), .jsonl, .html pages, .docx or .pdf.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A folder laid out like index-data/ to use instead of the compiled-in topic rules.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// One reply found in the files: its fields and every copy of it.
struct Found {
    fingerprint: String,
    fields: Value,
    sources: Vec<ReplySource>,
}

pub fn run(args: ExtractArgs) -> Result<()> {
    let res = resources::for_indexing(args.data_dir.as_deref())?;
    let mut found: Vec<Found> = Vec::new();
    // Fingerprint -> its reply in `found` (a .jsonl file may hold many thousands).
    let mut by_fingerprint: std::collections::HashMap<String, usize> = Default::default();
    let (mut failed, mut read) = (0, 0);
    for path in &args.files {
        let Some(format) = InputFormat::of(path) else {
            failed += 1;
            eprintln!(
                "skipped {}: not a reply format (.txt, .jsonl, .html, .docx, .pdf)",
                path.display()
            );
            continue;
        };
        let mut skips = Vec::new();
        let mut take = |raw: RawReply| -> Result<()> {
            let doc = match prepare(&res.extractor, raw) {
                Ok(doc) => doc,
                Err(skip) => {
                    eprintln!("skipped {}: {}", skip.path.display(), skip.reason);
                    return Ok(());
                }
            };
            read += 1;
            match by_fingerprint.get(&doc.fingerprint) {
                Some(&i) => found[i].sources.push(doc.origin),
                None => {
                    by_fingerprint.insert(doc.fingerprint.clone(), found.len());
                    found.push(Found {
                        fields: serde_json::to_value(&doc.fields)?,
                        fingerprint: doc.fingerprint,
                        sources: vec![doc.origin],
                    });
                }
            }
            Ok(())
        };
        read_file(path, format, DEFAULT_MAX_REPLY_BYTES, &mut take, &mut skips)?;
        for skip in &skips {
            eprintln!("skipped {}: {}", skip.path.display(), skip.reason);
        }
        if !skips.is_empty() {
            failed += 1;
        }
    }
    let out: Vec<Value> = found
        .into_iter()
        .map(|f| {
            let mut v = f.fields;
            if let Value::Object(map) = &mut v {
                let first = f.sources.first();
                map.insert("file".into(), json!(first.and_then(|s| s.path.clone())));
                map.insert(
                    "encoding".into(),
                    json!(first.and_then(|s| s.encoding.clone())),
                );
                map.insert("fingerprint".into(), json!(f.fingerprint));
                map.insert("sources".into(), json!(f.sources));
            }
            v
        })
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&out).context("printing JSON")?
    );
    if read == 0 && failed > 0 {
        anyhow::bail!("no file could be read");
    }
    Ok(())
}
