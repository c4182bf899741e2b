//! Errors of the extraction crate.

use thiserror::Error;

/// Why a reply or one of the extraction tables could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExtractError {
    /// The input has no bytes, or only whitespace.
    #[error("the document is empty")]
    Empty,
    /// The bytes are not text in any encoding we read (UTF-8, UTF-16, GB18030/GBK).
    #[error("the document is not text ({0})")]
    NotText(String),
    /// A line of the administrative-division table is malformed.
    #[error("regions table, line {line}: {message}")]
    RegionTable { line: usize, message: String },
    /// A line of another compiled-in table (`doc-abbreviations.tsv`) is malformed.
    #[error("{table}, line {line}: {message}")]
    Table {
        table: &'static str,
        line: usize,
        message: String,
    },
    /// The department alias table is malformed.
    #[error("department aliases: {0}")]
    DepartmentAliases(String),
    /// The topic rules file is malformed.
    #[error("topic rules: {0}")]
    TopicRules(String),
}
