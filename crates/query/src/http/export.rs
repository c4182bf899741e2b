//! `GET /api/export` and `GET /api/export/commitments`: every hit of a reply or commitment
//! search as a CSV or NDJSON download, streamed.
//!
//! Parameters are checked before the first byte is sent (errors are the API's 400 JSON). Then a
//! blocking task writes the export ([`crate::export::write_export`]) into a bounded channel
//! whose chunks become the response body: memory stays constant however many hits there are,
//! and a client that goes away stops the task at its next chunk. A failure after the headers
//! are sent aborts the body, so a download never looks complete when it is not.

use std::io::{self, Write};

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::{ApiError, AppState, blocking, check_utf8};
use crate::export::{ExportParams, write_export};
use crate::request::{SearchParams, Target};

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;
/// Chunks in flight between the writer and the connection.
const CHUNKS_IN_FLIGHT: usize = 4;

type Chunk = Result<Bytes, io::Error>;

/// A writer that sends what it is given to the response body in chunks of [`CHUNK`] bytes.
struct ChannelWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            self.send()
        }
    }
}

/// Every hit of a search, streamed as CSV or NDJSON (constant memory, any number of rows).
#[utoipa::path(
    get,
    path = "/api/export",
    params(
        SearchParams,
        ("format" = Option<String>, Query, description = "`csv` (default) or `ndjson`"),
        ("bom" = Option<bool>, Query, description = "`true`: start the CSV with a UTF-8 BOM, for Excel"),
    ),
    responses(
        (status = 200, description = "Every matching reply, one row or line each, in the search's order",
            content(
                (String = "text/csv"),
                (String = "application/x-ndjson"),
            )),
        (status = 400, description = "A parameter or the query text is invalid", body = super::error::Body),
    )
)]
pub(super) async fn export(
    State(engine): State<AppState>,
    RawQuery(raw): RawQuery,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    stream(engine, params, Target::Replies).await
}

/// Every hit of a commitment search, streamed as CSV (the commitment's columns, then its
/// reply's) or NDJSON (one commitment hit per line, without highlights).
#[utoipa::path(
    get,
    path = "/api/export/commitments",
    params(
        SearchParams,
        ("format" = Option<String>, Query, description = "`csv` (default) or `ndjson`"),
        ("bom" = Option<bool>, Query, description = "`true`: start the CSV with a UTF-8 BOM, for Excel"),
    ),
    responses(
        (status = 200, description = "Every matching commitment, one row or line each, in the search's order",
            content(
                (String = "text/csv"),
                (String = "application/x-ndjson"),
            )),
        (status = 400, description = "A parameter or the query text is invalid", body = super::error::Body),
    )
)]
pub(super) async fn export_commitments(
    State(engine): State<AppState>,
    RawQuery(raw): RawQuery,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    stream(engine, params, Target::Commitments).await
}

/// Checks `params`, then streams the export of `target`.
async fn stream(
    engine: AppState,
    params: ExportParams,
    target: Target,
) -> Result<Response, ApiError> {
    let checking = engine.clone();
    let (request, options) = blocking(move || params.validate_for(target, &checking)).await?;
    let (tx, mut rx) = mpsc::channel::<Chunk>(CHUNKS_IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        let written = write_export(&engine, &request, options, &mut out);
        match written {
            Ok(rows) => tracing::debug!(rows, "export sent"),
            Err(e) if e.is_broken_pipe() => {
                tracing::debug!("export abandoned by the client");
            }
            Err(e) => {
                tracing::error!(error = %e, "export failed");
                let _ = out.tx.blocking_send(Err(io::Error::other(
                    "the export failed; the error is logged",
                )));
            }
        }
    });
    let chunks = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let disposition = format!(
        "attachment; filename=\"{}\"",
        options.format.file_name(target)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                options.format.content_type().to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(chunks),
    )
        .into_response())
}
