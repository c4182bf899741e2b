//! The one error type of the HTTP API: a status, a stable machine-readable `code`, and a message
//! that tells the caller what to fix. Internal failures are logged and answered with a generic
//! message.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::QueryError;

/// An API error, rendered as `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

/// The JSON body of every error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Body<'a> {
    pub error: Detail<'a>,
}

/// What went wrong and what to do about it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Detail<'a> {
    /// `invalid_parameter`, `invalid_query`, `invalid_body`, `not_found` or `internal`.
    pub code: &'a str,
    /// What to fix, naming the parameter (and the character position in `q`).
    pub message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Detail {
                code: self.code,
                message: &self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match &e {
            QueryError::InvalidParameter { .. } => {
                Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", e.to_string())
            }
            QueryError::InvalidQuery { .. } => {
                Self::new(StatusCode::BAD_REQUEST, "invalid_query", e.to_string())
            }
            QueryError::NotFound(_) => Self::not_found(e.to_string()),
            _ => {
                tracing::error!(error = %e, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server failed to answer; the error is logged",
                )
            }
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", e.body_text())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        let status = if e.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            e.status()
        } else {
            StatusCode::BAD_REQUEST
        };
        Self::new(status, "invalid_body", e.body_text())
    }
}
