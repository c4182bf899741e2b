//! `dafu extract`: print what extraction finds in reply files, as a JSON array.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use serde_json::{Value, json};

use dafu_extract::decode::decode;

use crate::resources;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Reply text files (UTF-8 or GBK).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A folder laid out like index-data/ to use instead of the compiled-in topic rules.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

pub fn run(args: ExtractArgs) -> Result<()> {
    let res = resources::for_indexing(args.data_dir.as_deref())?;
    let mut out = Vec::new();
    let mut failed = 0;
    for path in &args.files {
        let result = std::fs::read(path)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| decode(&bytes).map_err(anyhow::Error::from));
        match result {
            Ok(decoded) => {
                let mut v = serde_json::to_value(res.extractor.extract(&decoded.text))?;
                if let Value::Object(map) = &mut v {
                    map.insert("file".into(), json!(path.display().to_string()));
                    map.insert("encoding".into(), json!(decoded.encoding));
                }
                out.push(v);
            }
            Err(e) => {
                failed += 1;
                eprintln!("skipped {}: {e}", path.display());
            }
        }
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&out).context("printing JSON")?
    );
    if failed == args.files.len() {
        anyhow::bail!("no file could be read");
    }
    Ok(())
}
