//! Live updates (在线更新) over HTTP: `POST /api/replies` adds or replaces replies,
//! `DELETE /api/replies/{id}` removes one. Each request is one atomic commit, visible to the
//! next search as soon as it is answered.
//!
//! Writes need `Authorization: Bearer <token>` matching the admin token the server was started
//! with (`DAFU_ADMIN_TOKEN`), compared in constant time; a server started without one refuses
//! every write with 403. The check runs before the body is read.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use dafu_index::ingest::{LiveWriter, WriteError, WriteOutcome, read_posted};

use super::error::{ApiError, Body as ErrorBody};
use super::{AppState, blocking};

/// Most reasons listed in the message of a refused body.
const REASONS_SHOWN: usize = 20;

/// The admin token writes must present.
#[derive(Clone)]
pub struct AdminToken(Arc<[u8]>);

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(…)")
    }
}

impl AdminToken {
    /// The token, or `None` for an empty one (which would let anyone write).
    pub fn new(token: &str) -> Option<Self> {
        let token = token.trim();
        (!token.is_empty()).then(|| AdminToken(token.as_bytes().into()))
    }

    /// Whether `presented` is the token, in time independent of where they differ.
    fn matches(&self, presented: &[u8]) -> bool {
        self.0.ct_eq(presented).into()
    }
}

/// What the write routes share.
pub struct Writes {
    pub(super) engine: AppState,
    /// The token writes must carry and the writer they go to; `None`: writes are disabled.
    pub(super) access: Option<(AdminToken, Arc<LiveWriter>)>,
    /// Largest body accepted, in bytes.
    pub(super) max_body: usize,
    /// How long receiving a body may take.
    pub(super) body_timeout: Duration,
}

pub type WriteState = Arc<Writes>;

impl Writes {
    /// The writer, for a request [`authorize`] let through.
    fn live(&self) -> Result<&LiveWriter, ApiError> {
        match &self.access {
            Some((_, live)) => Ok(live),
            None => Err(disabled()),
        }
    }
}

fn disabled() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "writes_disabled",
        "live updates are disabled on this server: start it with DAFU_ADMIN_TOKEN set to \
         enable POST and DELETE /api/replies",
    )
}

/// Refuses a write that does not carry the admin token, before its body is read.
pub(super) async fn authorize(
    State(writes): State<WriteState>,
    request: Request,
    next: Next,
) -> Response {
    let Some((token, _)) = &writes.access else {
        return disabled().into_response();
    };
    if bearer(request.headers()).is_some_and(|presented| token.matches(presented)) {
        return next.run(request).await;
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this route needs `Authorization: Bearer <token>` with the server's admin token",
    )
    .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    response
}

/// The credentials of an `Authorization: Bearer …` header.
fn bearer(headers: &HeaderMap) -> Option<&[u8]> {
    let value = headers.get(header::AUTHORIZATION)?.as_bytes();
    let (scheme, rest) = value.split_at_checked(7)?;
    scheme
        .eq_ignore_ascii_case(b"bearer ")
        .then(|| rest.trim_ascii())
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Invalid(skips) => {
                let mut reasons: Vec<String> = skips
                    .iter()
                    .take(REASONS_SHOWN)
                    .map(|s| match s.line {
                        Some(line) => format!("line {line}: {}", s.reason),
                        None => s.reason.clone(),
                    })
                    .collect();
                if skips.len() > REASONS_SHOWN {
                    reasons.push(format!("and {} more", skips.len() - REASONS_SHOWN));
                }
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_body",
                    format!(
                        "nothing was written: {} record(s) cannot be indexed: {}",
                        skips.len(),
                        reasons.join("; ")
                    ),
                )
            }
            WriteError::NotFound(id) => ApiError::not_found(format!("no reply has the id {id:?}")),
            WriteError::Locked => {
                ApiError::new(StatusCode::CONFLICT, "index_locked", e.to_string())
            }
            WriteError::Index(e) => {
                tracing::error!(error = %e, "live update failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the write failed and nothing of it was committed; the error is logged",
                )
            }
        }
    }
}

/// Reads the whole body within the size and time limits.
async fn receive(writes: &Writes, body: Body) -> Result<String, ApiError> {
    let limit = writes.max_body;
    let bytes = tokio::time::timeout(writes.body_timeout, axum::body::to_bytes(body, limit))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                format!(
                    "the body did not arrive within {} s; nothing was written",
                    writes.body_timeout.as_secs()
                ),
            )
        })?
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "the body is larger than {limit} bytes (or was cut off); send the replies \
                     in several requests"
                ),
            )
        })?;
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_body",
            format!(
                "the body is not UTF-8 (byte {} is invalid); nothing was written",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Runs a write on a blocking thread, then has the engine pick up its commit before the
/// request is answered (so the caller's next search sees it).
async fn commit(
    writes: WriteState,
    write: impl FnOnce(&Writes, &LiveWriter) -> Result<WriteOutcome, WriteError> + Send + 'static,
) -> Result<WriteOutcome, ApiError> {
    blocking(move || {
        let outcome = write(&writes, writes.live()?)?;
        writes.engine.refresh()?;
        Ok::<_, ApiError>(outcome)
    })
    .await
}

/// Add or replace replies: one JSON object shaped like a `.jsonl` input line, or NDJSON of
/// many. Every record needs an `id`; a reply with an id the index holds is replaced, with
/// its commitments. The request is committed whole or not at all, and the next search sees it.
#[utoipa::path(
    post,
    path = "/api/replies",
    request_body(
        content = String,
        content_type = "application/x-ndjson",
        description = "One or more records `{\"id\", \"text\", \"title\"?, \"department\"?, \
            \"date\"?, \"year\"?, \"province\"?, \"city\"?, \"county\"?, \"level\"?, \
            \"assembly\"?, \"topics\"?, \"source_url\"?, \"source\"?}`, one after another"
    ),
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Committed: which replies were created and which replaced", body = WriteOutcome),
        (status = 400, description = "A record is invalid; nothing was written", body = ErrorBody),
        (status = 401, description = "No or a wrong admin token", body = ErrorBody),
        (status = 403, description = "The server has no admin token: writes are disabled", body = ErrorBody),
        (status = 409, description = "Another process holds the index's writer lock", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
    )
)]
pub(super) async fn post_replies(
    State(writes): State<WriteState>,
    body: Body,
) -> Result<Json<WriteOutcome>, ApiError> {
    let text = receive(&writes, body).await?;
    let replies = read_posted(&text, Path::new("request body")).map_err(WriteError::Invalid)?;
    let count = replies.len();
    let outcome = commit(writes, move |writes, live| {
        live.upsert(writes.engine.extractor(), replies)
    })
    .await?;
    tracing::info!(
        replies = count,
        created = outcome.created.len(),
        replaced = outcome.replaced.len(),
        opstamp = outcome.opstamp,
        "live update committed"
    );
    Ok(Json(outcome))
}

/// Delete a reply and its commitments, in one commit.
#[utoipa::path(
    delete,
    path = "/api/replies/{id}",
    params(("id" = String, Path, description = "The reply's id")),
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Committed: the reply is gone", body = WriteOutcome),
        (status = 401, description = "No or a wrong admin token", body = ErrorBody),
        (status = 403, description = "The server has no admin token: writes are disabled", body = ErrorBody),
        (status = 404, description = "No reply has this id", body = ErrorBody),
        (status = 409, description = "Another process holds the index's writer lock", body = ErrorBody),
    )
)]
pub(super) async fn delete_reply(
    State(writes): State<WriteState>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<WriteOutcome>, ApiError> {
    let outcome = commit(writes, move |_, live| live.delete(&id)).await?;
    tracing::info!(id = %outcome.deleted.join(","), opstamp = outcome.opstamp, "reply deleted");
    Ok(Json(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_credentials_are_read_case_insensitively_and_trimmed() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            "Bearer s3cret ".parse().expect("value"),
        );
        assert_eq!(bearer(&headers), Some(&b"s3cret"[..]));
        headers.insert(
            header::AUTHORIZATION,
            "bearer s3cret".parse().expect("value"),
        );
        assert_eq!(bearer(&headers), Some(&b"s3cret"[..]));
        headers.insert(
            header::AUTHORIZATION,
            "Basic czNjcmV0".parse().expect("value"),
        );
        assert_eq!(bearer(&headers), None);
        headers.insert(header::AUTHORIZATION, "Bear".parse().expect("value"));
        assert_eq!(bearer(&headers), None);
    }

    #[test]
    fn tokens_match_only_whole() {
        let token = AdminToken::new(" s3cret\n").expect("token");
        assert!(token.matches(b"s3cret"));
        assert!(!token.matches(b"s3cre"));
        assert!(!token.matches(b"s3cret2"));
        assert!(!token.matches(b""));
        assert!(AdminToken::new("  ").is_none());
        assert_eq!(format!("{token:?}"), "AdminToken(…)");
    }
}
