//! Errors of the query engine, split the way an API needs them: what the user must fix, and
//! what went wrong inside (logged, never shown in detail).

use thiserror::Error;

/// Why a search or a look-up failed.
#[derive(Debug, Error)]
pub enum QueryError {
    /// A parameter has a value we cannot use; the message says what would work.
    #[error("{parameter}: {message}")]
    InvalidParameter { parameter: String, message: String },
    /// The query text is malformed (for example an unclosed quote).
    #[error("q: {message} (at character {position})")]
    InvalidQuery { message: String, position: usize },
    /// No reply has this id.
    #[error("no reply has id {0:?}")]
    NotFound(String),
    /// The index could not be read.
    #[error("index error: {0}")]
    Index(#[from] dafu_index::IndexError),
    #[error("search error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

impl QueryError {
    pub fn invalid(parameter: &str, message: impl Into<String>) -> Self {
        QueryError::InvalidParameter {
            parameter: parameter.to_string(),
            message: message.into(),
        }
    }

    /// Whether the caller (not the server) is at fault.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            QueryError::InvalidParameter { .. }
                | QueryError::InvalidQuery { .. }
                | QueryError::NotFound(_)
        )
    }
}
