//! Errors of the index crate.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why an index could not be built, opened or written.
#[derive(Debug, Error)]
pub enum IndexError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("dictionary {file}, line {line}: {message}")]
    Dictionary {
        file: String,
        line: usize,
        message: String,
    },
    #[error("synonyms {file}, line {line}: {message}")]
    Synonyms {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{0} is not a dafu index (no meta.json); build one with `dafu index`")]
    NotAnIndex(PathBuf),
    #[error("index at {path} does not have dafu's schema (field {field:?} missing); rebuild it")]
    SchemaMismatch { path: PathBuf, field: String },
    #[error(transparent)]
    Extract(#[from] dafu_extract::ExtractError),
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("no reply could be indexed ({skipped} skipped); see the reasons above")]
    NothingIndexed { skipped: usize },
}

impl IndexError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        IndexError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
